// The member_value section in JSON: defaults, exact numbers, and every refusal with its id and
// JSON pointer (under the section's own pointer, as when it sits inside a programme).
#include <gtest/gtest.h>

#include <string>

#include "loyalty/io/member_value_json.hpp"
#include "test_support.hpp"

namespace loyalty::test {
namespace unit_member_value_json {

member_value_rules load(const std::string& text) { return io::load_member_value_rules(text, cny()); }

// The error a section gives when it is read at /member_value, as the programme will read it.
std::pair<std::string, std::string> refusal(const std::string& text) {
    try {
        io::member_value_rules_from_json(io::parse_exact(text), "/member_value", cny());
    } catch (const error& e) {
        return {e.id(), e.pointer()};
    }
    return {"", ""};
}

TEST(MemberValueJson, EmptySectionGivesTheDefaults) {
    const member_value_rules r = load("{}");
    const member_value_rules d;
    EXPECT_EQ(r.window_days, 365);
    EXPECT_EQ(r.bands.recency_days, d.bands.recency_days);
    EXPECT_EQ(r.bands.frequency_visits, d.bands.frequency_visits);
    EXPECT_EQ(r.bands.monetary_amounts, d.bands.monetary_amounts);
    EXPECT_EQ(r.lifetime.retention, decimal(8, 1));
    EXPECT_EQ(r.lifetime.mode, rounding::half_up);
    EXPECT_EQ(r.stages.at_risk_after_days, 365);
    EXPECT_EQ(r.stages.lapsed_after_days, 730);
    EXPECT_EQ(r.touch_points.care_call_days, 30);
    EXPECT_EQ(r.touch_points.within_days, 7);
}

TEST(MemberValueJson, EveryFieldRead) {
    const member_value_rules r = load(R"({
      "rfm": {"window_days": 730, "recency_days": [7, 30, 60, 120], "frequency_visits": [1, 2, 4, 6],
              "monetary_amounts": [500, "1500.50", 4000.25, "1e4"]},
      "lifetime_value": {"retention": 0.65, "min_observed_days": 180, "include_vehicle_purchases": true, "rounding": "down"},
      "stages": {"new_owner_days": 90, "at_risk_after_days": 200, "lapsed_after_days": 400,
                 "high_value": {"recency": 4, "frequency": 2, "monetary": 5}},
      "touch_points": {"care_call_days": 14, "maintenance_months": 5, "within_days": 3}})");
    EXPECT_EQ(r.window_days, 730);
    EXPECT_EQ(r.bands.recency_days[0], 7);
    EXPECT_EQ(r.bands.frequency_visits[3], 6);
    // Exact from the source text: 4000.25 is 400025 x 10^-2, "1e4" is 10000.
    EXPECT_EQ(r.bands.monetary_amounts[1], decimal(150050, 2));
    EXPECT_EQ(r.bands.monetary_amounts[2], decimal(400025, 2));
    EXPECT_EQ(r.bands.monetary_amounts[3], decimal::integer(10000));
    EXPECT_EQ(r.lifetime.retention, decimal(65, 2));
    EXPECT_EQ(r.lifetime.min_observed_days, 180);
    EXPECT_TRUE(r.lifetime.include_vehicle_purchases);
    EXPECT_EQ(r.lifetime.mode, rounding::down);
    EXPECT_EQ(r.stages.new_owner_days, 90);
    EXPECT_EQ(r.stages.high_value_min_monetary, 5);
    EXPECT_EQ(r.touch_points.maintenance_months, 5);
    EXPECT_EQ(r.touch_points.within_days, 3);
}

TEST(MemberValueJson, WritesBackWhatItReads) {
    const std::string text = R"({"rfm": {"monetary_amounts": ["500", "1500.50", "4000", "9000"]},
                                  "lifetime_value": {"retention": "0.75"}})";
    const member_value_rules r = load(text);
    const io::json back = io::member_value_rules_to_json(r, cny());
    EXPECT_EQ(back["rfm"]["monetary_amounts"][1], "1500.50");
    EXPECT_EQ(back["lifetime_value"]["retention"], "0.75");
    const member_value_rules again = load(back.dump());
    EXPECT_EQ(again.bands.monetary_amounts, r.bands.monetary_amounts);
    EXPECT_EQ(again.lifetime.retention, r.lifetime.retention);
    EXPECT_EQ(again.stages.lapsed_after_days, r.stages.lapsed_after_days);
}

TEST(MemberValueJson, NullIsAbsent) {
    EXPECT_EQ(load(R"({"rfm": {"window_days": null}, "stages": null})").window_days, 365);
}

TEST(MemberValueJson, WindowShorterThanADayRefused) {
    EXPECT_EQ(refusal(R"({"rfm": {"window_days": 0}})"),
              std::make_pair(std::string("loyalty.program.invalid_window"), std::string("/member_value/rfm/window_days")));
    EXPECT_EQ(refusal(R"({"rfm": {"window_days": -5}})").first, "loyalty.program.invalid_window");
    EXPECT_EQ(refusal(R"({"rfm": {"window_days": 3661}})").first, "loyalty.program.invalid_window");
    // A fraction of a day is not an integer count of days.
    EXPECT_EQ(refusal(R"({"rfm": {"window_days": 0.5}})"),
              std::make_pair(std::string("loyalty.program.type_error"), std::string("/member_value/rfm/window_days")));
}

TEST(MemberValueJson, UnorderedOrOverlappingBandsRefused) {
    // 90 after 180: unordered; the pointer names the threshold that is not above the one before.
    EXPECT_EQ(refusal(R"({"rfm": {"recency_days": [30, 180, 90, 365]}})"),
              std::make_pair(std::string("loyalty.program.unordered_bands"), std::string("/member_value/rfm/recency_days/2")));
    // Two equal thresholds: two bands on one edge (overlap), one of them empty.
    EXPECT_EQ(refusal(R"({"rfm": {"frequency_visits": [2, 3, 3, 8]}})"),
              std::make_pair(std::string("loyalty.program.unordered_bands"), std::string("/member_value/rfm/frequency_visits/2")));
    EXPECT_EQ(refusal(R"({"rfm": {"monetary_amounts": ["1000.00", "999.99", "8000", "20000"]}})"),
              std::make_pair(std::string("loyalty.program.unordered_bands"), std::string("/member_value/rfm/monetary_amounts/1")));
}

TEST(MemberValueJson, BadBandsRefused) {
    EXPECT_EQ(refusal(R"({"rfm": {"recency_days": [30, 90, 180]}})"),
              std::make_pair(std::string("loyalty.program.invalid_bands"), std::string("/member_value/rfm/recency_days")));
    EXPECT_EQ(refusal(R"({"rfm": {"recency_days": 30}})").first, "loyalty.program.invalid_bands");
    EXPECT_EQ(refusal(R"({"rfm": {"recency_days": [-1, 90, 180, 365]}})"),
              std::make_pair(std::string("loyalty.program.invalid_bands"), std::string("/member_value/rfm/recency_days/0")));
    EXPECT_EQ(refusal(R"({"rfm": {"frequency_visits": [0, 3, 5, 8]}})"),
              std::make_pair(std::string("loyalty.program.invalid_bands"), std::string("/member_value/rfm/frequency_visits/0")));
    EXPECT_EQ(refusal(R"({"rfm": {"monetary_amounts": ["0", "1", "2", "3"]}})"),
              std::make_pair(std::string("loyalty.program.invalid_bands"), std::string("/member_value/rfm/monetary_amounts/0")));
    // More decimals than CNY has.
    EXPECT_EQ(refusal(R"({"rfm": {"monetary_amounts": ["1000.001", "3000", "8000", "20000"]}})"),
              std::make_pair(std::string("loyalty.program.invalid_amount"), std::string("/member_value/rfm/monetary_amounts/0")));
    EXPECT_EQ(refusal(R"({"rfm": {"frequency_visits": [1, "2", 3, 4]}})"),
              std::make_pair(std::string("loyalty.program.type_error"), std::string("/member_value/rfm/frequency_visits/1")));
}

TEST(MemberValueJson, UnknownKeysRefusedAtEveryLevel) {
    EXPECT_EQ(refusal(R"({"rfn": {}})"),
              std::make_pair(std::string("loyalty.program.unknown_key"), std::string("/member_value/rfn")));
    EXPECT_EQ(refusal(R"({"rfm": {"window": 30}})"),
              std::make_pair(std::string("loyalty.program.unknown_key"), std::string("/member_value/rfm/window")));
    EXPECT_EQ(refusal(R"({"stages": {"high_value": {"recency": 3, "spend": 4}}})"),
              std::make_pair(std::string("loyalty.program.unknown_key"), std::string("/member_value/stages/high_value/spend")));
    EXPECT_EQ(refusal(R"({"touch_points": {"birthday_days": 7}})").second, "/member_value/touch_points/birthday_days");
}

TEST(MemberValueJson, RetentionAndRoundingRefused) {
    EXPECT_EQ(refusal(R"({"lifetime_value": {"retention": 1}})"),
              std::make_pair(std::string("loyalty.program.invalid_rate"), std::string("/member_value/lifetime_value/retention")));
    EXPECT_EQ(refusal(R"({"lifetime_value": {"retention": "-0.1"}})").first, "loyalty.program.invalid_rate");
    EXPECT_EQ(refusal(R"({"lifetime_value": {"retention": "0.1234567"}})").first, "loyalty.program.invalid_rate");
    EXPECT_EQ(refusal(R"({"lifetime_value": {"retention": "eighty"}})").first, "loyalty.program.inexact_number");
    EXPECT_EQ(refusal(R"({"lifetime_value": {"rounding": "nearest"}})"),
              std::make_pair(std::string("loyalty.program.invalid_rounding"), std::string("/member_value/lifetime_value/rounding")));
    EXPECT_EQ(refusal(R"({"lifetime_value": {"min_observed_days": 0}})").first, "loyalty.program.invalid_period");
    EXPECT_EQ(refusal(R"({"lifetime_value": {"include_vehicle_purchases": "yes"}})").first, "loyalty.program.type_error");
}

TEST(MemberValueJson, StageRulesThatCanNeverBeMetRefused) {
    // lapsed is decided before at_risk: lapsed_after_days 365 <= at_risk_after_days 365 leaves no at_risk member.
    EXPECT_EQ(refusal(R"({"stages": {"lapsed_after_days": 365}})"),
              std::make_pair(std::string("loyalty.program.unreachable_stage"), std::string("/member_value/stages/lapsed_after_days")));
    EXPECT_EQ(refusal(R"({"stages": {"at_risk_after_days": 800}})").first, "loyalty.program.unreachable_stage");
    EXPECT_EQ(refusal(R"({"stages": {"high_value": {"monetary": 6}}})"),
              std::make_pair(std::string("loyalty.program.invalid_score"), std::string("/member_value/stages/high_value/monetary")));
    EXPECT_EQ(refusal(R"({"stages": {"high_value": {"recency": 0}}})").first, "loyalty.program.invalid_score");
    EXPECT_EQ(refusal(R"({"touch_points": {"maintenance_months": 0}})").first, "loyalty.program.invalid_period");
    EXPECT_EQ(refusal(R"({"touch_points": {"within_days": 367}})").first, "loyalty.program.invalid_period");
}

TEST(MemberValueJson, DocumentErrors) {
    EXPECT_EQ(error_id([] { load("{"); }), "loyalty.program.parse_error");
    EXPECT_EQ(error_id([] { load(R"({"rfm": {}, "rfm": {}})"); }), "loyalty.program.duplicate_key");
    EXPECT_EQ(error_id([] { load("[]"); }), "loyalty.program.type_error");
    EXPECT_EQ(error_id([] { io::load_member_value_rules_file("/nonexistent/rules.json", cny()); }), "loyalty.io.cannot_open");
    // A standalone file's pointers start at its root.
    try {
        load(R"({"rfm": {"window_days": 0}})");
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.pointer(), "/rfm/window_days");
    }
}

}  // namespace unit_member_value_json
}  // namespace loyalty::test
