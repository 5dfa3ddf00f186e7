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
    EXPECT_TRUE(expiries(run.apply(tick("t1", "2026-12-31T23:59:59+08:00"))).empty());
    const auto ex = expiries(run.apply(tick("t2", "2027-01-01T00:00:00+08:00")));
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
