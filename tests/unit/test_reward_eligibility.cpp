// Who may redeem a reward: a minimum tenure counted in local days since enrolment, and a
// quantity of 1..1000 units enforced by the engine for events built in code too (the JSON
// loader refuses such a quantity earlier, with invalid_quantity).
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_reward_eligibility {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The points programme with one reward: an umbrella for 300 points, for members of 60 days.
program umbrella_after_60_days() {
    return variant([](nlohmann::json& j) {
        j["rewards"] = nlohmann::json::parse(
            R"([{"id":"umbrella","kind":"goods","prices":[{"points":300}],"min_tenure_days":60}])");
    });
}

std::string redeem_umbrella(const std::string& id, const std::string& when) {
    return simple(id, when, "redeem", R"(,"reward":"umbrella")");
}

}  // namespace

TEST(RewardEligibility, TenureIsCountedInLocalDaysSinceEnrolment) {
    member_run run(umbrella_after_60_days());
    ASSERT_TRUE(run.apply(enrol("e1", "2025-03-01T10:00:00+08:00")).accepted());
    EXPECT_EQ(run.state().balance(), points(500));  // the welcome bonus
    // 1 March -> 29 April: 31 days of March + 28 of April = 59 days, one short.
    const outcome early = run.apply(redeem_umbrella("r1", "2025-04-29T23:30:00+08:00"));
    EXPECT_EQ(early.refused, refusal::minimum_not_met);
    EXPECT_EQ(early.message, "reward 'umbrella' needs 60 days of membership; the member has 59");
    EXPECT_TRUE(early.entries.empty());
    // 00:10 on 30 April in Shanghai is still 29 April in UTC, but it is local day 60.
    const outcome o = run.apply(redeem_umbrella("r2", "2025-04-30T00:10:00+08:00"));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().balance(), points(200));  // 500 - 300
}

TEST(RewardEligibility, AQuantityOutsideOneToAThousandIsOutOfRange) {
    const program p = umbrella_after_60_days();
    member_run run(p);
    ASSERT_TRUE(run.apply(enrol("e1", "2025-03-01T10:00:00+08:00")).accepted());
    const std::string text = redeem_umbrella("r1", "2025-06-01T10:00:00+08:00");
    EXPECT_EQ(error_id([&] { ev(text.substr(0, text.size() - 1) + R"(,"quantity":0})"); }),
              "loyalty.event.invalid_quantity");
    for (const std::int64_t quantity : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1001}}) {
        event e = ev(text);
        std::get<events::redeem>(e.body).quantity = quantity;
        const outcome o = apply(p, run.state(), e);
        EXPECT_EQ(o.refused, refusal::out_of_range) << quantity;
        EXPECT_EQ(o.message, "quantity " + std::to_string(quantity) + " is outside 1..1000");
        EXPECT_TRUE(o.entries.empty());
    }
    // 1 unit is inside the range (and 92 days of membership are enough).
    EXPECT_TRUE(apply(p, run.state(), ev(text)).accepted());
}

}  // namespace unit_reward_eligibility
