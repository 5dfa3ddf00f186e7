// benefit_use events of service items (a club tour, claim handling): a use naming no service
// item is refused, an accepted use posts a 0-point entry, and a quota over a rolling window of
// local days refuses a use only while the window still holds the earlier uses.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_service_items {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The points programme with a free waxing (a free_line, not a service item) and club tours,
// at most 2 within any 30 local days.
program tours_twice_a_month() {
    return variant([](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(R"([
            {"id":"waxing","type":"free_line","lines":{"operations":["WAX-FULL"]}},
            {"id":"club-tour","type":"service_item","quota":{"uses":2,"period":"rolling_days","days":30}}])");
    });
}

std::string use(const std::string& id, const std::string& when, const std::string& benefit,
                const std::string& reference = "") {
    return simple(id, when, "benefit_use",
                  R"(,"benefit":")" + benefit + "\"" + (reference.empty() ? "" : R"(,"reference":")" + reference + "\""));
}

}  // namespace

TEST(ServiceItems, AUseNamingNoServiceItemIsRefused) {
    member_run run(tours_twice_a_month());
    run.apply(enrol("e0", "2025-05-01T10:00:00+08:00"));
    const member_state before = run.state();
    // waxing exists, but as a repair-order benefit; lecture does not exist at all.
    const outcome wax = run.apply(use("u1", "2025-06-01T10:00:00+08:00", "waxing"));
    EXPECT_EQ(wax.refused, refusal::unknown_benefit);
    EXPECT_EQ(wax.message, "programme 4s-club has no service item 'waxing'");
    EXPECT_TRUE(wax.entries.empty());
    const outcome lecture = run.apply(use("u2", "2025-06-01T11:00:00+08:00", "car-lecture"));
    EXPECT_EQ(lecture.refused, refusal::unknown_benefit);
    EXPECT_EQ(lecture.message, "programme 4s-club has no service item 'car-lecture'");
    EXPECT_EQ(run.state().benefit_usage.size(), before.benefit_usage.size());
}

TEST(ServiceItems, AnAcceptedUseIsAZeroPointEntryNamingTheBenefit) {
    member_run run(tours_twice_a_month());
    run.apply(enrol("e0", "2025-05-01T10:00:00+08:00"));
    const points balance = run.state().balance();
    const outcome o = run.apply(use("u1", "2025-06-01T10:00:00+08:00", "club-tour", "TOUR-25-06"));
    ASSERT_TRUE(o.accepted()) << o.message;
    ASSERT_EQ(o.entries.size(), 1u);
    EXPECT_EQ(o.entries[0].kind, entry_kind::benefit_use);
    EXPECT_EQ(o.entries[0].amount, points(0));
    EXPECT_EQ(o.entries[0].rule, "club-tour");
    EXPECT_EQ(o.entries[0].reason, "club-tour: 1 use (TOUR-25-06)");
    EXPECT_EQ(run.state().balance(), balance);
    ASSERT_EQ(run.state().benefit_usage.size(), 1u);
    EXPECT_EQ(run.state().benefit_usage[0].on, on("2025-06-01"));
}

TEST(ServiceItems, ARollingQuotaCountsTheLast30LocalDays) {
    member_run run(tours_twice_a_month());
    run.apply(enrol("e0", "2025-05-01T10:00:00+08:00"));
    ASSERT_TRUE(run.apply(use("u1", "2025-06-01T10:00:00+08:00", "club-tour")).accepted());
    ASSERT_TRUE(run.apply(use("u2", "2025-06-10T10:00:00+08:00", "club-tour")).accepted());
    // 30 days ending 30 June: 1 June..30 June holds both uses (1 and 10 June).
    const outcome third = run.apply(use("u3", "2025-06-30T10:00:00+08:00", "club-tour"));
    EXPECT_EQ(third.refused, refusal::quota_used_up);
    EXPECT_EQ(third.message, "club-tour: 2 of 2 used in rolling 30 days 2025-06-01..2025-06-30");
    EXPECT_TRUE(third.entries.empty());
    // 30 days ending 1 July: 2 June..1 July holds only the use of 10 June.
    const outcome next_day = run.apply(use("u4", "2025-07-01T10:00:00+08:00", "club-tour"));
    EXPECT_TRUE(next_day.accepted()) << next_day.message;
    EXPECT_EQ(run.state().benefit_usage.size(), 3u);
    // 00:30 on 10 July in Shanghai (still 9 July in UTC): the window is of local days,
    // 10 July - 29 days = 11 June..10 July, which holds only the use of 1 July.
    const outcome late = run.apply(use("u5", "2025-07-10T00:30:00+08:00", "club-tour"));
    EXPECT_TRUE(late.accepted()) << late.message;
    // Now 1 July and 10 July are in 11 June..10 July: a third use that day is refused.
    const outcome again = run.apply(use("u6", "2025-07-10T20:00:00+08:00", "club-tour"));
    EXPECT_EQ(again.refused, refusal::quota_used_up);
    EXPECT_EQ(again.message, "club-tour: 2 of 2 used in rolling 30 days 2025-06-11..2025-07-10");
}

}  // namespace unit_service_items
