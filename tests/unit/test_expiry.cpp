// Expiry policies: lots expire at 00:00 local time of their expiry day, once, dated when due.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_expiry {

using namespace loyalty;
using namespace loyalty::test;
using nlohmann::json;

namespace {

std::vector<ledger_entry> expiries(const outcome& o) {
    std::vector<ledger_entry> out;
    for (const ledger_entry& e : o.entries)
        if (e.kind == entry_kind::expire) out.push_back(e);
    return out;
}

// Ticks the run at `kept` (which must post no expiry), then at `due`: the expiries `due` posted.
std::vector<ledger_entry> kept_then_expired(member_run& run, const std::string& kept, const std::string& due) {
    EXPECT_TRUE(expiries(run.apply(tick("t-kept", kept))).empty()) << "an expiry posted by " << kept;
    return expiries(run.apply(tick("t-due", due)));
}

}  // namespace

TEST(ExpiryPolicy, LotExpiryDays) {
    expiry_policy months{expiry_kind::months_after_earning, 24, 0, false};
    expiry_policy months_eom{expiry_kind::months_after_earning, 24, 0, true};
    expiry_policy year_end{expiry_kind::end_of_calendar_year, 0, 1, false};
    expiry_policy never{};
    // 2024-02-29 + 24 months = 2026-02-28 (clamped; 2026 is not a leap year).
    EXPECT_EQ(months.lot_expiry(on("2024-02-29")), on("2026-02-28"));
    // ... to the end of that month: usable through 2026-02-28, expires on 2026-03-01.
    EXPECT_EQ(months_eom.lot_expiry(on("2024-02-29")), on("2026-03-01"));
    // Earned in 2025, end of the first calendar year after: usable through 2026-12-31.
    EXPECT_EQ(year_end.lot_expiry(on("2025-07-15")), on("2027-01-01"));
    EXPECT_EQ(never.lot_expiry(on("2025-07-15")), std::nullopt);
}

TEST(ExpiryPolicy, DaysAfterEarningCountsCalendarDays) {
    expiry_policy days90{};
    days90.kind = expiry_kind::days_after_earning;
    days90.days = 90;
    // 2025-01-31 + 90: 28 days to 2025-02-28, 31 more to 2025-03-31, 30 more to 2025-04-30 (89), 2025-05-01 (90).
    EXPECT_EQ(days90.lot_expiry(on("2025-01-31")), on("2025-05-01"));
    expiry_policy days2 = days90;
    days2.days = 2;
    // A leap year: 2024-02-28 + 1 = 2024-02-29, + 2 = 2024-03-01. Not one: 2025-02-28 + 2 = 2025-03-02.
    EXPECT_EQ(days2.lot_expiry(on("2024-02-28")), on("2024-03-01"));
    EXPECT_EQ(days2.lot_expiry(on("2025-02-28")), on("2025-03-02"));
    // The year's end: 2025-12-31 + 2 = 2026-01-02.
    EXPECT_EQ(days2.lot_expiry(on("2025-12-31")), on("2026-01-02"));
    // The longest: 2025-01-01 to 2125-01-01 is 100 x 365 days plus the 24 leap days of 2028..2124
    // (2100 is not one), so 36500 days from 2025-01-01 is 2125-01-01 - 24 days = 2124-12-08.
    expiry_policy longest = days90;
    longest.days = 36500;
    EXPECT_EQ(longest.lot_expiry(on("2025-01-01")), on("2124-12-08"));
}

TEST(ExpiryPolicy, WeeksAfterEarningIsSevenDaysAWeek) {
    expiry_policy weeks13{};
    weeks13.kind = expiry_kind::weeks_after_earning;
    weeks13.weeks = 13;
    // 2025-01-31 + 91 days: one day after the 90 above, 2025-05-02 (a Friday, as 2025-01-31 is).
    EXPECT_EQ(weeks13.lot_expiry(on("2025-01-31")), on("2025-05-02"));
    for (int n : {1, 2, 13, 52, 5200}) {
        expiry_policy weeks{};
        weeks.kind = expiry_kind::weeks_after_earning;
        weeks.weeks = n;
        expiry_policy days{};
        days.kind = expiry_kind::days_after_earning;
        days.days = 7 * n;
        for (day d = on("2024-01-01"); d < on("2025-01-01"); d += date::days(1))
            ASSERT_EQ(weeks.lot_expiry(d), days.lot_expiry(d)) << n << " weeks from " << format_day(d);
    }
}

TEST(Expiry, DaysAfterEarningExpiresAtLocalMidnightOfEarnDayPlusN) {
    // Earned at 23:30 in Shanghai on 2025-01-31: still local day 2025-01-31, so + 90 days the lot
    // expires on 2025-05-01, at 2025-05-01T00:00+08:00 = 2025-04-30T16:00:00Z.
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 90}}; });
    member_run run(p);
    const outcome earned = run.apply(enrol("e1", "2025-01-31T23:30:00+08:00"));
    const auto earn = entries_of_kind(earned, entry_kind::earn);
    ASSERT_EQ(earn.size(), 1u);
    EXPECT_EQ(earn[0].expires, "2025-05-01");
    EXPECT_EQ(run.lot_of("e1/welcome").expires_on, on("2025-05-01"));
    // The last second of the day before keeps it; 00:00 of 2025-05-01 expires it.
    const auto ex = kept_then_expired(run, "2025-04-30T23:59:59+08:00", "2025-05-01T00:00:00+08:00");
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_EQ(ex[0].amount, points(-500));
    EXPECT_EQ(ex[0].at, at("2025-04-30T16:00:00Z"));
    EXPECT_EQ(ex[0].lot, "e1/welcome");
    EXPECT_EQ(ex[0].reason, "lot earned 2025-01-31 expires on 2025-05-01 (days_after_earning)");
    EXPECT_EQ(run.state().balance(), points(0));
    EXPECT_EQ(run.lot_of("e1/welcome").expired, points(500));
}

TEST(Expiry, DaysCountFromTheLocalDayNotTheUtcDay) {
    // 00:30 in Shanghai on 2025-03-10 is still 2025-03-09 in UTC; the lot is of local day
    // 2025-03-10 and with 1 day expires at 2025-03-11T00:00+08:00, not a day sooner.
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 1}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-03-10T00:30:00+08:00"));
    EXPECT_EQ(run.lot_of("e1/welcome").earned_on, on("2025-03-10"));
    const auto ex = kept_then_expired(run, "2025-03-10T23:59:59+08:00", "2025-03-11T00:00:00+08:00");
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_EQ(ex[0].at, at("2025-03-10T16:00:00Z"));
}

TEST(Expiry, WeeksAfterEarningThroughTheEngine) {
    // 13 weeks = 91 days: earned 2025-01-31 (local), expires 2025-05-02T00:00+08:00; a repair
    // order of 300.00 on 2025-02-10 earns 300 points that expire 2025-05-12, and stay.
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", 13}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-01-31T23:30:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "300.00"));
    EXPECT_EQ(run.lot_of("r1/service-spend").expires_on, on("2025-05-12"));
    const auto ex = kept_then_expired(run, "2025-05-01T23:59:59+08:00", "2025-05-02T00:00:00+08:00");
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_EQ(ex[0].amount, points(-500));
    EXPECT_EQ(ex[0].at, at("2025-05-01T16:00:00Z"));
    EXPECT_EQ(ex[0].reason, "lot earned 2025-01-31 expires on 2025-05-02 (weeks_after_earning)");
    EXPECT_EQ(run.state().balance(), points(300));
}

TEST(Expiry, ALotExpiresAtLocalMidnightOfItsExpiryDay) {
    // Reference: 24 months to the end of the month. Welcome lot earned 2025-01-10 expires on
    // 2027-02-01, i.e. at 2027-02-01T00:00+08:00 = 2027-01-31T16:00:00Z.
    member_run run(points_only());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    EXPECT_TRUE(expiries(run.apply(tick("t1", "2027-01-31T23:59:59+08:00"))).empty());
    EXPECT_EQ(run.state().balance(), points(500));
    const outcome o = run.apply(tick("t2", "2027-02-01T00:00:00+08:00"));
    const auto ex = expiries(o);
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_EQ(ex[0].amount, points(-500));
    EXPECT_EQ(ex[0].at, at("2027-01-31T16:00:00Z"));
    EXPECT_EQ(ex[0].lot, "e1/welcome");
    EXPECT_EQ(run.state().balance(), points(0));
    EXPECT_EQ(run.lot_of("e1/welcome").expired, points(500));
}

TEST(Expiry, ExpiriesArePostedOnceByAnyLaterEventDatedWhenDue) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "300.00"));  // 300 pt, expires 2027-03-01
    // A repair order in 2027-06 posts both expiries first, each dated when it fell due.
    const outcome o = run.apply(simple_ro("r2", "2027-06-10T10:00:00+08:00", "100.00"));
    const auto ex = expiries(o);
    ASSERT_EQ(ex.size(), 2u);
    EXPECT_EQ(ex[0].at, at("2027-02-01T00:00:00+08:00"));
    EXPECT_EQ(ex[0].amount, points(-500));
    EXPECT_EQ(ex[1].at, at("2027-03-01T00:00:00+08:00"));
    EXPECT_EQ(ex[1].amount, points(-300));
    EXPECT_EQ(o.entries.back().kind, entry_kind::earn);  // then the event's own earning
    EXPECT_EQ(run.state().balance(), points(100));
    EXPECT_TRUE(expiries(run.apply(tick("t1", "2027-12-31T00:00:00+08:00"))).empty());  // never twice
}

TEST(Expiry, SpendingTakesTheSoonestExpiringLotFirst) {
    const program p = variant([](json& j) {
        j["expiry"] = {{"policy", "months_after_earning"}, {"months", 12}};
    });
    member_run run(p);
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));                // 500, expires 2026-01-10
    run.apply(simple_ro("r1", "2025-06-10T10:00:00+08:00", "300.00"));  // 300, expires 2026-06-10
    const outcome o = run.apply(adjust("a1", "2025-07-01T10:00:00+08:00", -600));
    ASSERT_TRUE(o.accepted());
    ASSERT_EQ(o.entries.size(), 2u);
    EXPECT_EQ(o.entries[0].lot, "e1/welcome");
    EXPECT_EQ(o.entries[0].amount, points(-500));
    EXPECT_EQ(o.entries[1].lot, "r1/service-spend");
    EXPECT_EQ(o.entries[1].amount, points(-100));
    EXPECT_EQ(run.lot_of("r1/service-spend").remaining, points(200));
}

TEST(Expiry, EndOfCalendarYearPolicy) {
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "end_of_calendar_year"}, {"years", 1}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-12-31T23:00:00+08:00"));  // 2025 in Shanghai: usable through 2026-12-31
    const auto ex = kept_then_expired(run, "2026-12-31T23:59:59+08:00", "2027-01-01T00:00:00+08:00");
    ASSERT_EQ(ex.size(), 1u);
    EXPECT_EQ(ex[0].at, at("2026-12-31T16:00:00Z"));
}

TEST(Expiry, InactivityExpiresEverythingAfterNMonthsWithoutActivity) {
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "inactivity"}, {"months", 12}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-06-10T10:00:00+08:00", "300.00"));  // activity: clock restarts
    // A birthday is not activity: it does not restart the clock.
    run.apply(simple("b1", "2026-05-20T10:00:00+08:00", "birthday"));
    EXPECT_EQ(run.state().balance(), points(1000));
    EXPECT_TRUE(expiries(run.apply(tick("t1", "2026-06-09T23:59:59+08:00"))).empty());
    const outcome o = run.apply(tick("t2", "2026-06-10T00:00:00+08:00"));
    const auto ex = expiries(o);
    ASSERT_EQ(ex.size(), 3u);  // welcome 500, service 300, birthday 200
    for (const auto& e : ex) EXPECT_EQ(e.at, at("2026-06-10T00:00:00+08:00"));
    EXPECT_EQ(run.state().balance(), points(0));
}

TEST(Expiry, NeverPolicyKeepsPoints) {
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "never"}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    EXPECT_TRUE(expiries(run.apply(tick("t1", "2045-01-01T00:00:00Z"))).empty());
    EXPECT_EQ(run.state().balance(), points(500));
}

// Regression (found by the property tests): under inactivity, points credited after the
// deadline used to expire at the old deadline, dated before they were earned.
TEST(Expiry, PointsCreditedAfterTheInactivityDeadlineExpireWhenCreditedNeverBefore) {
    const program p = variant([](json& j) {
        j["expiry"] = {{"policy", "inactivity"}, {"months", 1}};
        j.erase("referral");  // a referral event pays at once, as the store's own judgement
    });
    member_run run(p);
    run.apply(enrol("e1", "2025-01-01T10:00:00+08:00"));       // deadline 2025-02-01 00:00 local
    run.apply(simple("b1", "2025-05-02T10:00:00+08:00", "birthday"));  // not activity
    const outcome o = run.apply(simple("r1", "2025-05-03T10:00:00+08:00", "referral", R"(,"referred":"M9")"));
    ASSERT_TRUE(o.accepted());
    const auto& all = run.entries();
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1].at, all[i].at) << "entry " << all[i].seq;
    // The welcome lot expired at the deadline (posted by the birthday); the birthday's 200
    // expire when credited, posted by the referral, which is activity and earns 1000.
    EXPECT_EQ(run.lot_of("e1/welcome").expired, points(500));
    EXPECT_EQ(run.lot_of("b1/birthday").expired, points(200));
    EXPECT_EQ(o.entries.at(0).kind, entry_kind::expire);
    EXPECT_EQ(o.entries.at(0).at, at("2025-05-02T10:00:00+08:00"));
    EXPECT_EQ(run.state().balance(), points(1000));
}

}  // namespace unit_expiry
