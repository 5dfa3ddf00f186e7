// Usage no window can count any more is forgotten when time rolls forward
// (member/usage_horizon.hpp): the horizon is the earliest first day of every window of the
// programme in force, taken on the event's local day. The reference programme's own windows
// (without its benefits) are all calendar years and months: its birthday cap per calendar_year,
// its survey cap per calendar_month, its reward limits per calendar_year and its transfer cap per
// calendar_year; so there the horizon is 1 January of the event's year.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/member/usage_horizon.hpp"

namespace loyalty::test {
namespace unit_usage_horizon {

// The points programme with club tours, at most 2 per calendar year, and car lectures, unlimited.
program tours_and_lectures(bool accept_backdated = false) {
    return variant([&](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(R"([
            {"id":"club-tour","type":"service_item","quota":{"uses":2,"period":"calendar_year"}},
            {"id":"car-lecture","type":"service_item"}])");
        if (accept_backdated) j["backdated_events"] = "accept";
    });
}

// A programme whose only window is `benefits`' (no earning caps, reward limits or transfer cap).
program only_windows(const std::string& benefits) {
    return variant([&](nlohmann::json& j) {
        for (auto& r : j["earning_rules"]) r.erase("max_per_period");
        for (auto& r : j["rewards"]) r.erase("limit");
        j.erase("transfers");
        j["benefits"] = nlohmann::json::parse(benefits);
    });
}

std::string use(const std::string& id, const std::string& when, const std::string& benefit) {
    return simple(id, when, "benefit_use", R"(,"benefit":")" + benefit + "\"");
}

member_state member_since(const std::string& ymd) {
    member_state s("M1");
    s.enrolled = true;
    s.member_since = on(ymd);
    return s;
}

TEST(UsageHorizon, TheEarliestWindowOfTheProgrammeDecides) {
    const member_state s = member_since("2025-01-10");
    // Rolling 30 days on 2025-06-30: [06-30 - 29 days, 07-01) = from 2025-06-01.
    const program rolling = only_windows(R"([{"id":"club-tour","type":"service_item",
        "quota":{"uses":2,"period":"rolling_days","days":30}}])");
    EXPECT_EQ(usage_horizon(rolling, s, on("2025-06-30")), on("2025-06-01"));
    // A monthly quota carrying over its unused uses also counts the month before: from 2025-05-01.
    const program carried = only_windows(R"([
        {"id":"club-tour","type":"service_item","quota":{"uses":2,"period":"rolling_days","days":30}},
        {"id":"car-lecture","type":"service_item","quota":{"uses":1,"period":"calendar_month","carry_over":true}}])");
    EXPECT_EQ(usage_horizon(carried, s, on("2025-06-30")), on("2025-05-01"));
    // An anniversary-year money cap of a member since 2025-01-10: from 2025-01-10 (until 2026-01-10).
    const program anniversary = only_windows(R"([{"id":"labour","type":"discount","lines":{"kinds":["labour"]},
        "pay":"0.9","max_per_period":{"period":"anniversary_year","amount":"500.00"}}])");
    EXPECT_EQ(usage_horizon(anniversary, s, on("2025-06-30")), on("2025-01-10"));
    EXPECT_EQ(usage_horizon(anniversary, s, on("2026-01-10")), on("2026-01-10"));
    // No window at all: nothing is counted, the horizon is the day itself.
    EXPECT_EQ(usage_horizon(only_windows("[]"), s, on("2025-06-30")), on("2025-06-30"));
    // The reference programme without benefits: calendar years and months, so 1 January.
    EXPECT_EQ(usage_horizon(points_only(), s, on("2026-03-15")), on("2026-01-01"));
    // A programme accepting back-dated events keeps everything: an event may be judged on an earlier window.
    EXPECT_EQ(usage_horizon(tours_and_lectures(true), s, on("2026-03-15")), std::nullopt);
}

TEST(UsageHorizon, ForgetsOnlyWhatNoWindowCounts) {
    member_state s = member_since("2024-02-01");
    s.benefit_usage = {{"club-tour", on("2025-12-31"), 1, 0, "T1"},
                       {"club-tour", on("2026-01-01"), 1, 0, "T2"},
                       {"inspection", on("2024-03-01"), 1, 9999, "RO-1", "VIN1"}};  // on a vehicle: kept
    s.cap_usage = {{"transfer", on("2025-12-31"), points(500)}, {"survey", on("2026-01-02"), points(50)}};
    s.redemptions = {{"car-care-kit", on("2025-06-01"), 1, "r1"}, {"car-care-kit", on("2026-01-03"), 1, "r2"}};
    // On 2026-01-05 the horizon of the points programme is 2026-01-01 (calendar year and month).
    forget_unreachable_usage(points_only(), s, on("2026-01-05"));
    const std::vector<benefit_use> uses{{"club-tour", on("2026-01-01"), 1, 0, "T2"},
                                        {"inspection", on("2024-03-01"), 1, 9999, "RO-1", "VIN1"}};
    EXPECT_EQ(s.benefit_usage.all(), uses);
    const std::vector<cap_use> caps{{"survey", on("2026-01-02"), points(50)}};
    EXPECT_EQ(s.cap_usage, caps);
    const std::vector<redemption_use> redemptions{{"car-care-kit", on("2026-01-03"), 1, "r2"}};
    EXPECT_EQ(s.redemptions, redemptions);
}

// The horizon applied is remembered, so that the next event under the same horizon skips the
// scan; accepting back-dated events forgets it, since a record may then be older than it, and
// the next horizon applied scans again and drops that record.
TEST(UsageHorizon, TheHorizonAppliedIsRememberedUntilBackdatedEventsAreAccepted) {
    member_state s = member_since("2024-02-01");
    s.benefit_usage = {{"club-tour", on("2025-12-31"), 1, 0, "T1"}};
    forget_unreachable_usage(points_only(), s, on("2026-01-05"));
    EXPECT_TRUE(s.benefit_usage.empty());
    ASSERT_EQ(s.usage_forgotten_before, on("2026-01-01"));
    forget_unreachable_usage(points_only(), s, on("2026-03-05"));  // the same horizon: nothing to do
    EXPECT_EQ(s.usage_forgotten_before, on("2026-01-01"));

    forget_unreachable_usage(tours_and_lectures(true), s, on("2026-03-06"));  // back-dated events accepted
    EXPECT_FALSE(s.usage_forgotten_before.has_value());
    s.benefit_usage = {{"club-tour", on("2025-12-20"), 1, 0, "T0"},  // a back-dated use, then accepted
                       {"club-tour", on("2026-03-06"), 1, 0, "T2"}};
    forget_unreachable_usage(points_only(), s, on("2026-03-07"));
    const std::vector<benefit_use> kept{{"club-tour", on("2026-03-06"), 1, 0, "T2"}};
    EXPECT_EQ(s.benefit_usage.all(), kept);
    EXPECT_EQ(s.usage_forgotten_before, on("2026-01-01"));
}

// Five years of club tours and lectures: the usage kept is this year's, and the quota still counts.
TEST(UsageHorizon, FiveYearsOfUsesKeepOnlyTheCurrentYear) {
    member_run run(tours_and_lectures());
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-02T10:00:00+08:00")).accepted());
    int n = 0;
    for (int year = 2025; year <= 2029; ++year) {
        const std::string y = std::to_string(year);
        for (const char* md : {"-03-01", "-06-01", "-09-01", "-12-01"}) {
            const std::string when = y + md + "T10:00:00+08:00";
            ASSERT_TRUE(run.apply(use("l" + std::to_string(++n), when, "car-lecture")).accepted());
            const outcome tour = run.apply(use("t" + std::to_string(n), when, "club-tour"));
            // Two tours a year: March and June are accepted, September and December refused.
            const bool first_half = std::string(md) < "-07";
            ASSERT_EQ(tour.accepted(), first_half) << when << ": " << tour.message;
            if (!first_half) {
                EXPECT_EQ(tour.refused, refusal::quota_used_up);
                EXPECT_EQ(tour.message, "club-tour: 2 of 2 used in calendar_year " + y + "-01-01.." + y + "-12-31");
            }
            for (const benefit_use& u : run.state().benefit_usage) EXPECT_EQ(date::year_month_day(u.on).year(), date::year(year));
        }
    }
    // 2029 only: lectures in March, June, September, December and tours in March and June = 6
    // records (all 5 years would be 5 x 6 = 30).
    EXPECT_EQ(run.state().benefit_usage.size(), 6u);
}

// A reversal of a use whose record was forgotten writes the same entries as when every record is
// kept (the same programme accepting back-dated events keeps them all), and the quota of the
// current year counts the same: giving back a use to a year that has ended changes nothing.
TEST(UsageHorizon, ReversingAForgottenUseChangesNothingObservable) {
    member_run pruned(tours_and_lectures()), kept(tours_and_lectures(true));
    const std::vector<std::string> journal{
        enrol("e0", "2025-01-02T10:00:00+08:00"),
        use("u1", "2025-03-01T10:00:00+08:00", "club-tour"),
        use("u2", "2025-06-01T10:00:00+08:00", "club-tour"),
        use("l1", "2025-12-01T10:00:00+08:00", "car-lecture"),
        use("u3", "2026-01-10T10:00:00+08:00", "club-tour"),  // rolls into 2026: 2025's records are forgotten
        reverse_of("x1", "2026-02-01T10:00:00+08:00", "u1"),
        use("u4", "2026-03-01T10:00:00+08:00", "club-tour"),
        use("u5", "2026-04-01T10:00:00+08:00", "club-tour"),  // 3rd of 2026: refused, u1's return does not count
        reverse_of("x2", "2026-05-01T10:00:00+08:00", "u2"),
        use("u6", "2026-06-01T10:00:00+08:00", "club-tour"),  // still refused
    };
    for (const std::string& text : journal) {
        const outcome a = pruned.apply(text), b = kept.apply(text);
        EXPECT_EQ(a.refused, b.refused) << text;
        EXPECT_EQ(a.message, b.message) << text;
        ASSERT_EQ(a.entries.size(), b.entries.size()) << text;
        for (std::size_t i = 0; i < a.entries.size(); ++i) {
            EXPECT_EQ(a.entries[i].reason, b.entries[i].reason);
            EXPECT_EQ(a.entries[i].hash, b.entries[i].hash);
        }
    }
    ASSERT_EQ(pruned.entries().size(), kept.entries().size());
    // x1 and x2 each give back their use: one benefit_return entry each, naming it.
    std::vector<std::string> returns;
    for (const ledger_entry& e : pruned.entries())
        if (e.kind == entry_kind::benefit_return) returns.push_back(e.reason);
    const std::vector<std::string> expected{"club-tour: gives back 1 use of u1", "club-tour: gives back 1 use of u2"};
    EXPECT_EQ(returns, expected);
    // u5 and u6: 2 of 2 used in 2026 (u3, u4).
    // The records: kept has 2025's lecture besides u3 and u4; pruned only 2026's.
    const std::vector<benefit_use> now{{"club-tour", on("2026-01-10"), 1, 0, ""},
                                       {"club-tour", on("2026-03-01"), 1, 0, ""}};
    EXPECT_EQ(pruned.state().benefit_usage.all(), now);
    EXPECT_EQ(kept.state().benefit_usage.size(), 3u);
    EXPECT_EQ(pruned.state().balance(), kept.state().balance());
}

// Per-member reward limits: last year's redemptions are forgotten; a cancellation of one still
// gives its points back; this year's limit still counts this year's.
TEST(UsageHorizon, RedemptionsOfEndedYearsAreForgotten) {
    member_run run(points_only());
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-02T10:00:00+08:00")).accepted());  // welcome 500
    ASSERT_TRUE(run.apply(adjust("a1", "2025-01-03T10:00:00+08:00", 5000)).accepted());
    const auto redeem = [&](const std::string& id, const std::string& when) {
        return run.apply(simple(id, when, "redeem", R"(,"reward":"labour-voucher-100")"));
    };
    ASSERT_TRUE(redeem("r1", "2025-05-01T10:00:00+08:00").accepted());
    ASSERT_TRUE(redeem("r2", "2026-05-01T10:00:00+08:00").accepted());
    ASSERT_EQ(run.state().redemptions.size(), 1u);  // 2025's was forgotten on 2026-05-01
    EXPECT_EQ(run.state().redemptions[0].event, "r2");
    // 500 + 5,000 - 2 x 1,000 = 3,500; cancelling r1 gives its 1,000 back: 4,500.
    const outcome c = run.apply(simple("c1", "2026-05-02T10:00:00+08:00", "cancel_redemption", R"(,"redemption":"r1")"));
    ASSERT_TRUE(c.accepted()) << c.message;
    EXPECT_EQ(run.state().balance(), points(4500));
    // Limit 4 per calendar year: r2 and three more in 2026, the fifth refused.
    for (const char* id : {"r3", "r4", "r5"}) ASSERT_TRUE(redeem(id, "2026-06-01T10:00:00+08:00").accepted()) << id;
    const outcome fifth = redeem("r6", "2026-06-02T10:00:00+08:00");
    // (4,500 - 3 x 1,000 = 1,500 points left: enough, so the limit is what refuses.)
    EXPECT_EQ(fifth.refused, refusal::limit_reached);
    EXPECT_EQ(fifth.message, "reward 'labour-voucher-100': 4 of 4 redeemed calendar_year 2026-01-01..2026-12-31; "
                             "1 more would exceed the limit");
    EXPECT_EQ(run.state().redemptions.size(), 4u);
}

}  // namespace unit_usage_horizon
}  // namespace loyalty::test
