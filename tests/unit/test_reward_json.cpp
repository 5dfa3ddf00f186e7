// Loading the rewards catalogue, the redemption policy, transfers and promotion fields:
// what the reference programme holds, and each bad input refused with its id and pointer.
#include <gtest/gtest.h>

#include "program_edit.hpp"

namespace loyalty::test {
namespace unit_reward_json {

using nlohmann::json;

TEST(RewardJson, ReferenceCatalogue) {
    const program p = reference_program();
    ASSERT_EQ(p.rewards.size(), 5u);
    const reward& voucher = p.rewards[0];
    EXPECT_EQ(voucher.id, "labour-voucher-100");
    EXPECT_EQ(voucher.kind, reward_kind::labour_voucher);
    ASSERT_EQ(voucher.prices.size(), 2u);
    EXPECT_EQ(voucher.prices[0].cost, points(1000));
    EXPECT_TRUE(voucher.prices[0].cash.is_zero());
    EXPECT_EQ(voucher.prices[1].cost, points(400));
    EXPECT_EQ(voucher.prices[1].cash, yuan("60.00"));
    ASSERT_TRUE(voucher.voucher.has_value());
    EXPECT_EQ(voucher.voucher->value, yuan("100.00"));
    EXPECT_EQ(voucher.voucher->valid_days, 365);
    EXPECT_TRUE(voucher.voucher->keep_remainder);
    EXPECT_EQ(voucher.voucher->lines.kinds, std::vector<line_kind>{line_kind::labour});  // the default
    ASSERT_TRUE(voucher.limit.has_value());
    EXPECT_EQ(voucher.limit->count, 4);
    const reward& cooker = *p.find_reward("rice-cooker");
    EXPECT_EQ(cooker.stock, 50);
    EXPECT_EQ(cooker.months, std::vector<unsigned>{12});
    EXPECT_EQ(p.find_reward("floor-mats")->min_tenure_days, 90);
    EXPECT_EQ(p.redemption.when_lot_expired, expired_return::grace_days);
    EXPECT_EQ(p.redemption.grace_days, 30);
    ASSERT_TRUE(p.transfers.has_value());
    EXPECT_TRUE(p.transfers->within_household);
    EXPECT_EQ(p.transfers->min_per_transfer, points(100));
    EXPECT_EQ(p.transfers->max_per_period->limit, points(10000));
}

TEST(RewardJson, BadRewardsRefusedWithPointer) {
    expect_refused([](json& j) { j["rewards"][2]["prices"][0]["points"] = 0; }, "loyalty.program.invalid_points",
                   "/rewards/2/prices/0/points");
    expect_refused([](json& j) { j["rewards"][2]["prices"][0]["points"] = -300; }, "loyalty.program.invalid_points",
                   "/rewards/2/prices/0/points");
    expect_refused([](json& j) { j["rewards"][1]["prices"][1]["currency"] = "USD"; },
                   "loyalty.program.currency_mismatch", "/rewards/1/prices/1/currency");
    expect_refused([](json& j) { j["rewards"][1]["prices"][1]["money"] = "60.001"; }, "loyalty.program.invalid_amount",
                   "/rewards/1/prices/1/money");
    expect_refused(
        [](json& j) {
            j["rewards"][2]["available_from"] = "2025-12-31T00:00:00+08:00";
            j["rewards"][2]["available_to"] = "2025-12-01T00:00:00+08:00";
        },
        "loyalty.program.invalid_window", "/rewards/2/available_to");
    expect_refused([](json& j) { j["rewards"][2]["prices"] = json::array(); }, "loyalty.program.invalid_prices",
                   "/rewards/2/prices");
    expect_refused([](json& j) { j["rewards"][2]["kind"] = "appliance"; }, "loyalty.program.invalid_reward_kind",
                   "/rewards/2/kind");
    expect_refused([](json& j) { j["rewards"][1]["months"] = {12, 13}; }, "loyalty.program.invalid_months",
                   "/rewards/1/months/1");
    expect_refused([](json& j) { j["rewards"][3]["id"] = "rice-cooker"; }, "loyalty.program.duplicate_id",
                   "/rewards/3/id");
    expect_refused([](json& j) { j["rewards"][0].erase("voucher"); }, "loyalty.program.missing_field",
                   "/rewards/0/voucher");
    expect_refused([](json& j) { j["rewards"][2]["voucher"] = j["rewards"][0]["voucher"]; },
                   "loyalty.program.invalid_option", "/rewards/2/voucher");
    expect_refused([](json& j) { j["rewards"][0]["voucher"]["remainder"] = "refund"; },
                   "loyalty.program.invalid_option", "/rewards/0/voucher/remainder");
    expect_refused([](json& j) { j["rewards"][0]["limit"]["count"] = 0; }, "loyalty.program.invalid_limit",
                   "/rewards/0/limit/count");
    expect_refused([](json& j) { j["rewards"][1]["stock"] = -1; }, "loyalty.program.invalid_stock", "/rewards/1/stock");
    expect_refused([](json& j) { j["redemption"] = {{"when_lot_expired", "grace_days"}}; },
                   "loyalty.program.missing_field", "/redemption/grace_days");
    expect_refused([](json& j) { j["transfers"]["within"] = "anyone"; }, "loyalty.program.invalid_option",
                   "/transfers/within");
}

TEST(RewardJson, PromotionFields) {
    expect_refused([](json& j) { j["earning_rules"][0]["on_days"] = {{"days_of_month", {0}}}; },
                   "loyalty.program.invalid_days", "/earning_rules/0/on_days/days_of_month/0");
    expect_refused([](json& j) { j["earning_rules"][0]["on_days"] = {{"weekdays", {"wed"}}}; },
                   "loyalty.program.invalid_days", "/earning_rules/0/on_days/weekdays/0");
    // A birthday window on a rule that does not listen to birthdays.
    expect_refused([](json& j) { j["earning_rules"][0]["birthday_window"] = {{"within", "month"}}; },
                   "loyalty.program.invalid_option", "/earning_rules/0/birthday_window");
    expect_refused([](json& j) { j["earning_rules"][4]["birthday_window"] = {{"within", "days"}, {"days", 400}}; },
                   "loyalty.program.invalid_period", "/earning_rules/4/birthday_window/days");
    expect_refused([](json& j) { j["earning_rules"][4]["once_per_repair_order"] = true; },
                   "loyalty.program.invalid_option", "/earning_rules/4/once_per_repair_order");
    // Redemptions and transfers earn nothing: no rule may listen to them.
    expect_refused([](json& j) { j["earning_rules"][3]["on"] = {"redeem"}; }, "loyalty.program.invalid_event_type",
                   "/earning_rules/3/on/0");
}

}  // namespace unit_reward_json
}  // namespace loyalty::test
