// Promotions: recurring maintenance days, the birthday window, surveys once per repair order.
// The reference programme's rules without its benefits, edited per test; figures by hand.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace loyalty::test {
namespace unit_promotions {

std::string enrol_born(const std::string& when, const std::string& birthday) {
    return R"({"id":"e1","member":"M1","at":")" + when + R"(","type":"enrol","birthday":")" + birthday + R"("})";
}
points earned(const outcome& o) {
    points n;
    for (const ledger_entry& e : o.entries)
        if (e.kind == entry_kind::earn) n += e.amount;
    return n;
}

TEST(MaintenanceDay, ExtraRuleOnTheEighteenthOfEachMonthWithItsOwnCap) {
    // One extra point per 1.00 of maintenance on the 18th (local), at most 300 a calendar month.
    member_run run(variant([](nlohmann::json& j) {
        j["earning_rules"].push_back({{"id", "maintenance-day"},
                                      {"type", "per_amount"},
                                      {"on", {"repair_order"}},
                                      {"points_per_unit", "1"},
                                      {"lines", {{"categories", {"maintenance"}}}},
                                      {"on_days", {{"days_of_month", {18}}}},
                                      {"max_per_period", {{"period", "calendar_month"}, {"points", 300}}}});
    }));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    // 17 June: 200.00 earns 200 (service-spend only).
    EXPECT_EQ(earned(run.apply(simple_ro("o1", "2025-06-17T10:00:00+08:00", "200.00"))), points(200));
    // 18 June, 00:30 in Shanghai (17 June in UTC): 200 + 200.
    const outcome day = run.apply(simple_ro("o2", "2025-06-18T00:30:00+08:00", "200.00"));
    EXPECT_EQ(earned(day), points(400));
    // Later that day: 250.00 earns 250 + the 100 left of the month's 300.
    EXPECT_EQ(earned(run.apply(simple_ro("o3", "2025-06-18T15:00:00+08:00", "250.00"))), points(350));
    // A repair line is not maintenance: the day's rule does not count it.
    EXPECT_EQ(earned(run.apply(simple_ro("o4", "2025-07-18T10:00:00+08:00", "100.00", "repair"))), points(100));
}

TEST(MaintenanceDay, MultiplierOnWednesdays) {
    member_run run(variant([](nlohmann::json& j) {
        j["multipliers"] = {{{"id", "double-wednesday"},
                             {"factor", "2"},
                             {"rules", {"service-spend"}},
                             {"from", "2025-06-01T00:00:00+08:00"},
                             {"to", "2025-07-01T00:00:00+08:00"},
                             {"on_days", {{"weekdays", {"wednesday"}}}}}};
    }));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    // 2025-06-11 is a Wednesday: 123.45 x 1 x 2 = 246.9 -> 246 (down); Thursday the 12th: 123.
    EXPECT_EQ(earned(run.apply(simple_ro("o1", "2025-06-11T10:00:00+08:00", "123.45"))), points(246));
    EXPECT_EQ(earned(run.apply(simple_ro("o2", "2025-06-12T10:00:00+08:00", "123.45"))), points(123));
    // Wednesday 2 July is after the window.
    EXPECT_EQ(earned(run.apply(simple_ro("o3", "2025-07-02T10:00:00+08:00", "123.45"))), points(123));
}

program birthday_in(const nlohmann::json& window) {
    return variant([&](nlohmann::json& j) {
        for (auto& r : j["earning_rules"])
            if (r["id"] == "birthday") r["birthday_window"] = window;
    });
}

TEST(Birthday, InTheBirthdayMonthOncePerYear) {
    member_run run(birthday_in({{"within", "month"}}));
    ASSERT_TRUE(run.apply(enrol_born("2025-01-10T10:00:00+08:00", "03-15")).accepted());
    EXPECT_EQ(earned(run.apply(simple("b1", "2025-02-28T10:00:00+08:00", "birthday"))), points(0));
    EXPECT_EQ(earned(run.apply(simple("b2", "2025-03-01T00:10:00+08:00", "birthday"))), points(200));
    EXPECT_EQ(earned(run.apply(simple("b3", "2025-03-15T10:00:00+08:00", "birthday"))), points(0));  // once a year
    EXPECT_EQ(earned(run.apply(simple("b4", "2026-03-31T23:59:00+08:00", "birthday"))), points(200));
}

TEST(Birthday, WithinDaysOfIt) {
    member_run run(birthday_in({{"within", "days"}, {"days", 7}}));
    ASSERT_TRUE(run.apply(enrol_born("2025-01-10T10:00:00+08:00", "01-03")).accepted());
    // 3 Jan +- 7 days: 27 Dec .. 10 Jan. 11 Jan 2025 is out; 27 Dec 2025 is in (the 2026 birthday).
    EXPECT_EQ(earned(run.apply(simple("b1", "2025-01-11T10:00:00+08:00", "birthday"))), points(0));
    const outcome out = run.apply(simple("b2", "2025-12-26T10:00:00+08:00", "birthday"));
    EXPECT_EQ(earned(out), points(0));
    EXPECT_EQ(earned(run.apply(simple("b3", "2025-12-27T10:00:00+08:00", "birthday"))), points(200));
}

TEST(Birthday, TwentyNinthOfFebruaryIsTheTwentyEighthInOtherYears) {
    member_run run(birthday_in({{"within", "days"}, {"days", 0}}));
    ASSERT_TRUE(run.apply(enrol_born("2025-01-10T10:00:00+08:00", "02-29")).accepted());
    EXPECT_EQ(earned(run.apply(simple("b1", "2025-02-27T10:00:00+08:00", "birthday"))), points(0));
    EXPECT_EQ(earned(run.apply(simple("b2", "2025-02-28T10:00:00+08:00", "birthday"))), points(200));
    EXPECT_EQ(earned(run.apply(simple("b3", "2028-02-28T10:00:00+08:00", "birthday"))), points(0));  // 2028 has a 29th
    EXPECT_EQ(earned(run.apply(simple("b4", "2028-02-29T10:00:00+08:00", "birthday"))), points(200));
}

TEST(Birthday, UnknownBirthdayEarnsNothingAndSaysWhy) {
    member_run run(birthday_in({{"within", "month"}}));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    const outcome o = run.apply(simple("b1", "2025-03-01T10:00:00+08:00", "birthday"));
    EXPECT_EQ(earned(o), points(0));
    bool said = false;
    for (const trace_line& t : o.trace) said = said || t.text.find("birthday is not known") != std::string::npos;
    EXPECT_TRUE(said);
    EXPECT_THROW(ev(enrol_born("2025-01-10T10:00:00+08:00", "02-30")), error);
    EXPECT_THROW(ev(enrol_born("2025-01-10T10:00:00+08:00", "1990-02-03")), error);
}

TEST(Survey, OncePerClosedRepairOrderOfTheMember) {
    member_run run(variant([](nlohmann::json& j) {
        for (auto& r : j["earning_rules"])
            if (r["id"] == "survey") {
                r.erase("max_per_period");
                r["once_per_repair_order"] = true;
            }
    }));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("o1", "2025-02-01T10:00:00+08:00", "100.00")).accepted());
    ASSERT_TRUE(run.apply(simple("est", "2025-02-02T10:00:00+08:00", "repair_order",
                                 R"(,"status":"estimate","lines":[{"kind":"labour","category":"maintenance","unit_price":"50.00"}])"))
                    .accepted());
    const auto survey = [&](const std::string& id, const std::string& ro) {
        return run.apply(simple(id, "2025-02-03T10:00:00+08:00", "survey", R"(,"survey":"S","repair_order":")" + ro + "\""));
    };
    EXPECT_EQ(run.apply(simple("s0", "2025-02-03T10:00:00+08:00", "survey", R"(,"survey":"S")")).refused,
              refusal::survey_refused);
    EXPECT_EQ(survey("s1", "est").refused, refusal::survey_refused);  // an estimate is not a closed RO
    EXPECT_EQ(survey("s2", "nope").refused, refusal::survey_refused);
    const outcome ok = survey("s3", "o1");
    ASSERT_TRUE(ok.accepted()) << ok.message;
    EXPECT_EQ(earned(ok), points(50));
    EXPECT_EQ(survey("s4", "o1").refused, refusal::survey_refused);  // once per RO
}

}  // namespace unit_promotions
}  // namespace loyalty::test
