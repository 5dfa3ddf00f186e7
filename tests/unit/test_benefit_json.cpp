// Benefits in the programme JSON (src/io/benefit_json.cpp): the reference programme's nine
// published items, the defaults, then one test per validation rule, each checking the error id
// and the JSON pointer of the offending field.
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "program_edit.hpp"
#include "test_support.hpp"

namespace unit_benefit_json {

namespace {

using namespace loyalty;
using loyalty::test::at;
using loyalty::test::yuan;
using json = nlohmann::json;

using loyalty::test::expect_refused;

program load_edited(const std::function<void(json&)>& edit) { return io::load_program(loyalty::test::edited(edit)); }

// Indices of the reference programme's benefits (examples/programs/4s-club.json).
constexpr int wash = 0, tyre = 1, oil_labour = 2, wax = 3, inspection = 4, labour_off = 5, parts_off = 6, claim = 7;

// A benefit of the reference programme by index, for edits.
json& benefit_at(json& j, int i) { return j.at("benefits").at(static_cast<std::size_t>(i)); }

const benefit& find(const program& p, const std::string& id) {
    const benefit* b = p.find_benefit(id);
    if (!b) throw std::runtime_error("no benefit " + id);
    return *b;
}

// ---------------------------------------------------------------- the reference programme

TEST(BenefitJson, ReferenceProgrammeHasTheNinePublishedItems) {
    const program p = test::reference_program();
    EXPECT_EQ(p.benefit_stacking, stacking::in_order);
    ASSERT_EQ(p.benefits.size(), 11u);
    const std::vector<std::string> ids{"exterior-wash", "tyre-inflation", "oil-change-labour", "waxing",
                                       "inspection-36", "labour-30-off",  "parts-10-off",      "claim-handling",
                                       "insurance-renewal", "club-tour", "car-lecture"};
    const std::vector<benefit_kind> kinds{benefit_kind::free_line,    benefit_kind::free_line,    benefit_kind::free_line,
                                          benefit_kind::free_line,    benefit_kind::free_line,    benefit_kind::discount,
                                          benefit_kind::discount,     benefit_kind::service_item, benefit_kind::service_item,
                                          benefit_kind::service_item, benefit_kind::service_item};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        EXPECT_EQ(p.benefits[i].id, ids[i]);
        EXPECT_EQ(p.benefits[i].kind, kinds[i]) << ids[i];
        // Nothing in the reference programme is tier-limited, dated, capped or stacking.
        EXPECT_TRUE(p.benefits[i].tiers.empty()) << ids[i];
        EXPECT_FALSE(p.benefits[i].effective_from.has_value()) << ids[i];
        EXPECT_FALSE(p.benefits[i].effective_to.has_value()) << ids[i];
        EXPECT_FALSE(p.benefits[i].max_per_order.has_value()) << ids[i];
        EXPECT_FALSE(p.benefits[i].max_per_period.has_value()) << ids[i];
        EXPECT_FALSE(p.benefits[i].stacks) << ids[i];
        EXPECT_FALSE(p.benefits[i].lines.earn_on_covered_lines) << ids[i];
        EXPECT_FALSE(p.benefits[i].description.empty()) << ids[i];
    }
    // Every numbered item 1..9 of domain.md is named by some benefit's description.
    for (int item = 1; item <= 9; ++item) {
        bool found = false;
        for (const benefit& b : p.benefits) found = found || b.description.rfind(std::to_string(item) + ". ", 0) == 0;
        EXPECT_TRUE(found) << "item " << item;
    }
}

TEST(BenefitJson, ItemOneAndTwoAreFreeLinesByOperation) {
    const program p = test::reference_program();
    const benefit& w = find(p, "exterior-wash");
    EXPECT_EQ(w.lines.operations, (std::vector<std::string>{"WASH-EXT"}));
    EXPECT_TRUE(w.lines.kinds.empty());
    EXPECT_TRUE(w.lines.categories.empty());
    EXPECT_FALSE(w.limit.has_value());  // unlimited
    EXPECT_FALSE(w.rounding_mode.has_value());
    EXPECT_EQ(find(p, "tyre-inflation").lines.operations, (std::vector<std::string>{"TYRE-INFLATE"}));
    EXPECT_FALSE(find(p, "tyre-inflation").limit.has_value());

    const benefit& oil = find(p, "oil-change-labour");
    EXPECT_EQ(oil.lines.kinds, (std::vector<line_kind>{line_kind::labour}));  // the parts are paid
    EXPECT_EQ(oil.lines.operations,
              (std::vector<std::string>{"OIL-CHANGE", "OIL-FILTER-CHANGE", "AIR-FILTER-CHANGE"}));
    EXPECT_FALSE(oil.limit.has_value());
}

TEST(BenefitJson, ItemsThreeAndFourHaveQuotas) {
    const program p = test::reference_program();
    const benefit& w = find(p, "waxing");
    EXPECT_EQ(w.kind, benefit_kind::free_line);
    EXPECT_EQ(w.lines.operations, (std::vector<std::string>{"WAX-FULL"}));
    ASSERT_TRUE(w.limit.has_value());
    EXPECT_EQ(w.limit->uses, 4);
    EXPECT_EQ(w.limit->per.kind, period_kind::calendar_year);
    EXPECT_EQ(w.limit->per.days, 0);
    EXPECT_FALSE(w.limit->carry_over);

    const benefit& i = find(p, "inspection-36");
    EXPECT_EQ(i.lines.operations, (std::vector<std::string>{"INSPECT-36"}));
    ASSERT_TRUE(i.limit.has_value());
    EXPECT_EQ(i.limit->uses, 6);
    EXPECT_EQ(i.limit->per.kind, period_kind::anniversary_year);
    EXPECT_FALSE(i.limit->carry_over);
}

TEST(BenefitJson, ItemFiveIsTwoDiscounts) {
    const program p = test::reference_program();
    const benefit& labour = find(p, "labour-30-off");
    EXPECT_EQ(labour.pay, decimal(7, 1));
    EXPECT_EQ(labour.lines.kinds, (std::vector<line_kind>{line_kind::labour}));
    EXPECT_EQ(labour.lines.categories, (std::vector<std::string>{"maintenance", "repair"}));
    EXPECT_EQ(labour.lines.exclude_flags, (std::vector<line_flag>{line_flag::accident}));  // accident repairs excluded
    EXPECT_TRUE(labour.lines.operations.empty());
    ASSERT_TRUE(labour.rounding_mode.has_value());
    EXPECT_EQ(*labour.rounding_mode, rounding::half_up);
    EXPECT_FALSE(labour.limit.has_value());

    const benefit& parts = find(p, "parts-10-off");
    EXPECT_EQ(parts.pay, decimal(9, 1));
    EXPECT_EQ(parts.lines.kinds, (std::vector<line_kind>{line_kind::part}));
    EXPECT_EQ(parts.lines.categories, (std::vector<std::string>{"filters", "wipers", "brakes", "batteries"}));
    EXPECT_TRUE(parts.lines.exclude_flags.empty());  // the accident exclusion is the labour discount's only
    ASSERT_TRUE(parts.rounding_mode.has_value());
    EXPECT_EQ(*parts.rounding_mode, rounding::half_up);
}

TEST(BenefitJson, ItemsSixToNineAreServiceItems) {
    const program p = test::reference_program();
    const benefit& c = find(p, "claim-handling");
    EXPECT_EQ(c.kind, benefit_kind::service_item);
    EXPECT_EQ(c.refuse_flags, (std::vector<line_flag>{line_flag::third_party}));  // third-party claims excluded
    EXPECT_FALSE(c.limit.has_value());
    for (const char* id : {"insurance-renewal", "club-tour", "car-lecture"}) {
        EXPECT_EQ(find(p, id).kind, benefit_kind::service_item) << id;
        EXPECT_TRUE(find(p, id).refuse_flags.empty()) << id;
        EXPECT_FALSE(find(p, id).limit.has_value()) << id;
    }
    EXPECT_EQ(p.find_benefit("no-such-benefit"), nullptr);
}

// The loaded reference programme prices issue 4's worked example: labour 800.00 x 0.7 +
// parts 800.00 + discounted parts 400.00 x 0.9 = 560.00 + 800.00 + 360.00 = 1,720.00; flagged
// accident: 800.00 + 800.00 + 360.00 = 1,960.00 (only the labour discount excludes accidents).
TEST(BenefitJson, ReferenceBenefitsPriceTheIssueExample) {
    const program p = test::reference_program();
    const member_state s = apply(p, member_state("M1"), test::ev(R"({"id":"e0","member":"M1","at":"2025-02-01T10:00:00+08:00","type":"enrol"})")).state;
    const auto ro = [](const std::string& flags) {
        return std::get<events::repair_order>(
            test::ev(R"({"id":"r1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"repair_order","lines":[)"
                     R"({"kind":"labour","category":"repair","operation":"BODY","unit_price":"800.00")" + flags + "},"
                     R"({"kind":"part","category":"engine","operation":"TIMING-BELT","unit_price":"800.00")" + flags + "},"
                     R"({"kind":"part","category":"filters","operation":"OIL-FILTER","unit_price":"400.00")" + flags + "}]}")
                .body);
    };
    const instant t = at("2025-06-01T10:00:00+08:00");
    const priced_order plain = price(p, s, ro(""), t);
    EXPECT_EQ(plain.net_total, yuan("1720.00"));
    EXPECT_EQ(plain.discount_total, yuan("280.00"));
    const priced_order accident = price(p, s, ro(R"(,"flags":["accident"])"), t);
    EXPECT_EQ(accident.net_total, yuan("1960.00"));
    EXPECT_EQ(accident.lines[0].notes.at(0), "labour-30-off: not applied, the line is flagged accident (excluded)");
}

// ---------------------------------------------------------------- defaults and every field

TEST(BenefitJson, DefaultsOfOptionalFields) {
    const program p = load_edited([](json& j) {
        j.erase("benefit_stacking");
        j["benefits"] = json::array({{{"id", "wash"}, {"type", "free_line"}, {"lines", {{"operations", json::array({"WASH"})}}}},
                                     {{"id", "claim"}, {"type", "service_item"}}});
    });
    EXPECT_EQ(p.benefit_stacking, stacking::in_order);
    ASSERT_EQ(p.benefits.size(), 2u);
    const benefit& b = p.benefits[0];
    EXPECT_EQ(b.description, "");
    EXPECT_EQ(b.kind, benefit_kind::free_line);
    EXPECT_EQ(b.pay, decimal(1, 0));
    EXPECT_FALSE(b.rounding_mode.has_value());  // the programme's rounding is used
    EXPECT_FALSE(b.limit.has_value());
    EXPECT_FALSE(b.stacks);
    EXPECT_FALSE(b.max_per_order.has_value());
    EXPECT_FALSE(b.max_per_period.has_value());
    EXPECT_TRUE(b.tiers.empty());
    EXPECT_TRUE(b.refuse_flags.empty());
    EXPECT_FALSE(b.effective_from.has_value());
    EXPECT_FALSE(b.effective_to.has_value());
    EXPECT_TRUE(b.lines.kinds.empty());
    EXPECT_TRUE(b.lines.exclude_flags.empty());
    EXPECT_TRUE(p.benefits[1].refuse_flags.empty());

    // No benefits at all is a programme with none.
    EXPECT_TRUE(load_edited([](json& j) { j.erase("benefits"); }).benefits.empty());
    EXPECT_TRUE(load_edited([](json& j) { j["benefits"] = json::array(); }).benefits.empty());
}

TEST(BenefitJson, NullCountsAsAbsent) {
    const program p = load_edited([](json& j) {
        j["benefit_stacking"] = nullptr;
        json& w = benefit_at(j, wax);
        w["quota"] = nullptr;
        w["rounding"] = nullptr;
        w["max_per_order"] = nullptr;
        w["tiers"] = nullptr;
        benefit_at(j, claim)["refuse_flags"] = nullptr;
    });
    EXPECT_EQ(p.benefit_stacking, stacking::in_order);
    EXPECT_FALSE(find(p, "waxing").limit.has_value());
    EXPECT_FALSE(find(p, "waxing").max_per_order.has_value());
    EXPECT_TRUE(find(p, "claim-handling").refuse_flags.empty());
    EXPECT_EQ(load_edited([](json& j) { j["benefits"] = nullptr; }).benefits.size(), 0u);
}

TEST(BenefitJson, EveryFieldOfADiscount) {
    const program p = load_edited([](json& j) {
        j["benefit_stacking"] = "best_for_member";
        json& b = benefit_at(j, labour_off);
        b["pay"] = "@@0.85@@";  // an exact JSON number
        b["rounding"] = "half_even";
        b["stacks"] = true;
        b["max_per_order"] = "200.00";
        b["max_per_period"] = {{"period", "rolling_days"}, {"days", 30}, {"amount", 1000}};
        b["quota"] = {{"uses", 2}, {"period", "calendar_month"}, {"carry_over", true}};
        b["tiers"] = {"gold", "platinum"};
        b["effective_from"] = "2025-03-01T00:00:00+08:00";
        b["effective_to"] = "2026-03-01T00:00:00+08:00";
        b["lines"]["exclude_categories"] = json::array({"accident_repair"});
        b["lines"]["operations"] = {"SERVICE-A", "SERVICE-B"};
    });
    EXPECT_EQ(p.benefit_stacking, stacking::best_for_member);
    const benefit& b = find(p, "labour-30-off");
    EXPECT_EQ(b.pay, decimal(85, 2));
    EXPECT_EQ(b.rounding_mode, rounding::half_even);
    EXPECT_TRUE(b.stacks);
    EXPECT_EQ(b.max_per_order, yuan("200.00"));
    ASSERT_TRUE(b.max_per_period.has_value());
    EXPECT_EQ(b.max_per_period->per.kind, period_kind::rolling_days);
    EXPECT_EQ(b.max_per_period->per.days, 30);
    EXPECT_EQ(b.max_per_period->limit, yuan("1000.00"));
    ASSERT_TRUE(b.limit.has_value());
    EXPECT_EQ(b.limit->uses, 2);
    EXPECT_EQ(b.limit->per.kind, period_kind::calendar_month);
    EXPECT_TRUE(b.limit->carry_over);
    EXPECT_EQ(b.tiers, (std::vector<std::string>{"gold", "platinum"}));
    // Shanghai midnight is 16:00 UTC the day before.
    EXPECT_EQ(b.effective_from, at("2025-02-28T16:00:00Z"));
    EXPECT_EQ(b.effective_to, at("2026-02-28T16:00:00Z"));
    EXPECT_FALSE(b.effective_at(at("2025-02-28T15:59:59Z")));
    EXPECT_TRUE(b.effective_at(at("2025-02-28T16:00:00Z")));
    EXPECT_FALSE(b.effective_at(at("2026-02-28T16:00:00Z")));  // effective_to is exclusive
    EXPECT_EQ(b.lines.exclude_categories, (std::vector<std::string>{"accident_repair"}));
    EXPECT_EQ(b.lines.operations, (std::vector<std::string>{"SERVICE-A", "SERVICE-B"}));
}

TEST(BenefitJson, PayAsStringOrNumberIsTheSameExactDecimal) {
    const program a = load_edited([](json& j) { benefit_at(j, labour_off)["pay"] = "0.7"; });
    const program b = load_edited([](json& j) { benefit_at(j, labour_off)["pay"] = "@@0.7@@"; });
    const program c = load_edited([](json& j) { benefit_at(j, labour_off)["pay"] = "@@7e-1@@"; });
    EXPECT_EQ(find(a, "labour-30-off").pay, decimal(7, 1));
    EXPECT_EQ(find(b, "labour-30-off").pay, decimal(7, 1));
    EXPECT_EQ(find(c, "labour-30-off").pay, decimal(7, 1));
}

TEST(BenefitJson, QuotaOverRollingDays) {
    const program p = load_edited([](json& j) {
        benefit_at(j, wax)["quota"] = {{"uses", 1}, {"period", "rolling_days"}, {"days", 90}};
        benefit_at(j, claim)["quota"] = {{"uses", 3}, {"period", "calendar_year"}};  // service items take quotas too
    });
    const benefit& w = find(p, "waxing");
    ASSERT_TRUE(w.limit.has_value());
    EXPECT_EQ(w.limit->uses, 1);
    EXPECT_EQ(w.limit->per.kind, period_kind::rolling_days);
    EXPECT_EQ(w.limit->per.days, 90);
    ASSERT_TRUE(find(p, "claim-handling").limit.has_value());
    EXPECT_EQ(find(p, "claim-handling").limit->uses, 3);
}

TEST(BenefitJson, EarningRuleLinesTakeOperations) {
    const program p = load_edited([](json& j) {
        j["earning_rules"][0]["lines"]["operations"] = json::array({"SERVICE-A"});
        j["earning_rules"][0]["lines"]["earn_on_covered_lines"] = true;
    });
    EXPECT_EQ(p.earning_rules[0].lines.operations, (std::vector<std::string>{"SERVICE-A"}));
    EXPECT_TRUE(p.earning_rules[0].lines.earn_on_covered_lines);
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["operations"] = "SERVICE-A"; }, "loyalty.program.type_error",
                   "/earning_rules/0/lines/operations");
}

// ---------------------------------------------------------------- validation, one rule each

TEST(BenefitJson, UnknownOrMissingType) {
    expect_refused([](json& j) { benefit_at(j, wax)["type"] = "voucher"; }, "loyalty.program.invalid_benefit_type",
                   "/benefits/3/type");
    expect_refused([](json& j) { benefit_at(j, wax)["type"] = "Free_Line"; }, "loyalty.program.invalid_benefit_type",
                   "/benefits/3/type");
    expect_refused([](json& j) { benefit_at(j, wax).erase("type"); }, "loyalty.program.missing_field", "/benefits/3/type");
}

TEST(BenefitJson, MissingIdOrEmptyId) {
    expect_refused([](json& j) { benefit_at(j, wash).erase("id"); }, "loyalty.program.missing_field", "/benefits/0/id");
    expect_refused([](json& j) { benefit_at(j, wash)["id"] = ""; }, "loyalty.program.empty_string", "/benefits/0/id");
}

TEST(BenefitJson, FreeLinesAndDiscountsNeedLines) {
    expect_refused([](json& j) { benefit_at(j, wash).erase("lines"); }, "loyalty.program.missing_field",
                   "/benefits/0/lines");
    expect_refused([](json& j) { benefit_at(j, labour_off).erase("lines"); }, "loyalty.program.missing_field",
                   "/benefits/5/lines");
    // Lines that name no kind, category or operation would select every line: refused.
    expect_refused([](json& j) { benefit_at(j, wash)["lines"] = json::object(); }, "loyalty.program.invalid_lines",
                   "/benefits/0/lines");
    expect_refused([](json& j) { benefit_at(j, wash)["lines"] = {{"exclude_flags", json::array({"accident"})}, {"exclude_categories", json::array({"x"})}}; },
                   "loyalty.program.invalid_lines", "/benefits/0/lines");
    expect_refused([](json& j) { benefit_at(j, wash)["lines"] = {{"operations", json::array()}}; },
                   "loyalty.program.invalid_lines", "/benefits/0/lines");
    expect_refused([](json& j) { benefit_at(j, wash)["lines"] = json::array({"WASH-EXT"}); }, "loyalty.program.type_error",
                   "/benefits/0/lines");
}

TEST(BenefitJson, KeysOfOtherBenefitTypesAreUnknown) {
    // A service item is not an RO line: lines, stacks and money caps belong to the other types.
    expect_refused([](json& j) { benefit_at(j, claim)["lines"] = {{"operations", json::array({"CLAIM"})}}; },
                   "loyalty.program.unknown_key", "/benefits/7/lines");
    expect_refused([](json& j) { benefit_at(j, claim)["stacks"] = true; }, "loyalty.program.unknown_key",
                   "/benefits/7/stacks");
    expect_refused([](json& j) { benefit_at(j, claim)["max_per_order"] = "10.00"; }, "loyalty.program.unknown_key",
                   "/benefits/7/max_per_order");
    expect_refused([](json& j) { benefit_at(j, claim)["max_per_period"] = {{"period", "calendar_year"}, {"amount", "10.00"}}; },
                   "loyalty.program.unknown_key", "/benefits/7/max_per_period");
    expect_refused([](json& j) { benefit_at(j, claim)["pay"] = "0.5"; }, "loyalty.program.unknown_key", "/benefits/7/pay");
    // pay is a discount's only; refuse_flags a service item's only.
    expect_refused([](json& j) { benefit_at(j, wax)["pay"] = "0.5"; }, "loyalty.program.unknown_key", "/benefits/3/pay");
    expect_refused([](json& j) { benefit_at(j, labour_off)["refuse_flags"] = json::array({"third_party"}); },
                   "loyalty.program.unknown_key", "/benefits/5/refuse_flags");
    expect_refused([](json& j) { benefit_at(j, wash)["colour"] = "blue"; }, "loyalty.program.unknown_key",
                   "/benefits/0/colour");
}

TEST(BenefitJson, UnknownKeyInsideLines) {
    // earn_on_covered_lines is a key of earning-rule lines only.
    expect_refused([](json& j) { benefit_at(j, labour_off)["lines"]["earn_on_covered_lines"] = true; },
                   "loyalty.program.unknown_key", "/benefits/5/lines/earn_on_covered_lines");
    expect_refused([](json& j) { benefit_at(j, labour_off)["lines"]["categoriez"] = json::array({"repair"}); },
                   "loyalty.program.unknown_key", "/benefits/5/lines/categoriez");
    expect_refused([](json& j) { benefit_at(j, labour_off)["lines"]["kinds"] = {"labour", "paint"}; },
                   "loyalty.program.invalid_line_kind", "/benefits/5/lines/kinds/1");
    expect_refused([](json& j) { benefit_at(j, labour_off)["lines"]["exclude_flags"] = json::array({"flood"}); },
                   "loyalty.program.invalid_flag", "/benefits/5/lines/exclude_flags/0");
    expect_refused([](json& j) { benefit_at(j, oil_labour)["lines"]["operations"] = {"OIL-CHANGE", 7}; },
                   "loyalty.program.type_error", "/benefits/2/lines/operations/1");
}

TEST(BenefitJson, PayOutOfRange) {
    // pay is the fraction the member pays: strictly between 0 and 1.
    for (const char* pay : {"1", "0", "1.5", "-0.3", "0.0"})
        expect_refused([&](json& j) { benefit_at(j, labour_off)["pay"] = pay; }, "loyalty.program.invalid_rate",
                       "/benefits/5/pay");
    expect_refused([](json& j) { benefit_at(j, parts_off)["pay"] = "@@1@@"; }, "loyalty.program.invalid_rate",
                   "/benefits/6/pay");
    expect_refused([](json& j) { benefit_at(j, parts_off).erase("pay"); }, "loyalty.program.missing_field",
                   "/benefits/6/pay");
    expect_refused([](json& j) { benefit_at(j, parts_off)["pay"] = "ninety percent"; }, "loyalty.program.inexact_number",
                   "/benefits/6/pay");
    expect_refused([](json& j) { benefit_at(j, parts_off)["pay"] = "0.1234567890123456789"; },
                   "loyalty.program.inexact_number", "/benefits/6/pay");
    expect_refused([](json& j) { benefit_at(j, parts_off)["pay"] = true; }, "loyalty.program.type_error",
                   "/benefits/6/pay");
}

TEST(BenefitJson, BadQuotaUses) {
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["uses"] = 0; }, "loyalty.program.invalid_quota",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["uses"] = -4; }, "loyalty.program.invalid_quota",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["uses"] = 100001; }, "loyalty.program.invalid_quota",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["uses"] = "4"; }, "loyalty.program.type_error",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["uses"] = "@@4.5@@"; }, "loyalty.program.type_error",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"].erase("uses"); }, "loyalty.program.missing_field",
                   "/benefits/3/quota/uses");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["carry_over"] = "yes"; }, "loyalty.program.type_error",
                   "/benefits/3/quota/carry_over");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"]["per"] = "year"; }, "loyalty.program.unknown_key",
                   "/benefits/3/quota/per");
    expect_refused([](json& j) { benefit_at(j, wax)["quota"] = 4; }, "loyalty.program.type_error", "/benefits/3/quota");
    // The upper bound itself is accepted.
    EXPECT_EQ(find(load_edited([](json& j) { benefit_at(j, wax)["quota"]["uses"] = 100000; }), "waxing").limit->uses, 100000);
}

TEST(BenefitJson, UnknownPeriod) {
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"]["period"] = "fortnight"; },
                   "loyalty.program.invalid_period", "/benefits/4/quota/period");
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"].erase("period"); }, "loyalty.program.missing_field",
                   "/benefits/4/quota/period");
    // rolling_days needs days 1..3660; the other periods have no days.
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"]["period"] = "rolling_days"; },
                   "loyalty.program.missing_field", "/benefits/4/quota/days");
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"] = {{"uses", 6}, {"period", "rolling_days"}, {"days", 0}}; },
                   "loyalty.program.invalid_period", "/benefits/4/quota/days");
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"] = {{"uses", 6}, {"period", "rolling_days"}, {"days", 3661}}; },
                   "loyalty.program.invalid_period", "/benefits/4/quota/days");
    expect_refused([](json& j) { benefit_at(j, inspection)["quota"]["days"] = 30; }, "loyalty.program.unknown_key",
                   "/benefits/4/quota/days");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "week"}, {"amount", "100.00"}}; },
                   "loyalty.program.invalid_period", "/benefits/5/max_per_period/period");
}

TEST(BenefitJson, BadMoneyCaps) {
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_order"] = "-1.00"; }, "loyalty.program.invalid_amount",
                   "/benefits/5/max_per_order");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_order"] = "@@-50@@"; }, "loyalty.program.invalid_amount",
                   "/benefits/5/max_per_order");
    // CNY has two decimals.
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_order"] = "12.345"; }, "loyalty.program.invalid_amount",
                   "/benefits/5/max_per_order");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "calendar_year"}, {"amount", "-5"}}; },
                   "loyalty.program.invalid_amount", "/benefits/5/max_per_period/amount");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "calendar_year"}}; },
                   "loyalty.program.missing_field", "/benefits/5/max_per_period/amount");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "calendar_year"}, {"points", 100}}; },
                   "loyalty.program.missing_field", "/benefits/5/max_per_period/amount");
    expect_refused(
        [](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "calendar_year"}, {"amount", "5"}, {"points", 1}}; },
        "loyalty.program.unknown_key", "/benefits/5/max_per_period/points");
}

TEST(BenefitJson, DuplicateBenefitId) {
    expect_refused([](json& j) { benefit_at(j, inspection)["id"] = "waxing"; }, "loyalty.program.duplicate_id",
                   "/benefits/4/id");
    // The second occurrence is the one named, whatever its type.
    expect_refused([](json& j) { benefit_at(j, claim)["id"] = "exterior-wash"; }, "loyalty.program.duplicate_id",
                   "/benefits/7/id");
}

TEST(BenefitJson, BadBenefitStacking) {
    expect_refused([](json& j) { j["benefit_stacking"] = "cheapest"; }, "loyalty.program.invalid_option",
                   "/benefit_stacking");
    expect_refused([](json& j) { j["benefit_stacking"] = "Best_For_Member"; }, "loyalty.program.invalid_option",
                   "/benefit_stacking");
    expect_refused([](json& j) { j["benefit_stacking"] = 1; }, "loyalty.program.type_error", "/benefit_stacking");
    expect_refused([](json& j) { j["benefit_stacking"] = ""; }, "loyalty.program.empty_string", "/benefit_stacking");
}

TEST(BenefitJson, BenefitsMustBeAnArrayOfObjects) {
    expect_refused([](json& j) { j["benefits"] = json::object(); }, "loyalty.program.type_error", "/benefits");
    expect_refused([](json& j) { j["benefits"][2] = "oil-change-labour"; }, "loyalty.program.type_error", "/benefits/2");
}

TEST(BenefitJson, OtherFieldChecks) {
    expect_refused([](json& j) { benefit_at(j, labour_off)["rounding"] = "nearest"; }, "loyalty.program.invalid_rounding",
                   "/benefits/5/rounding");
    expect_refused([](json& j) { benefit_at(j, labour_off)["stacks"] = "true"; }, "loyalty.program.type_error",
                   "/benefits/5/stacks");
    expect_refused([](json& j) { benefit_at(j, tyre)["tiers"] = "gold"; }, "loyalty.program.type_error", "/benefits/1/tiers");
    expect_refused([](json& j) { benefit_at(j, tyre)["tiers"] = {"gold", 2}; }, "loyalty.program.type_error",
                   "/benefits/1/tiers/1");
    expect_refused([](json& j) { benefit_at(j, claim)["refuse_flags"] = {"third_party", "hail"}; },
                   "loyalty.program.invalid_flag", "/benefits/7/refuse_flags/1");
    expect_refused([](json& j) { benefit_at(j, claim)["refuse_flags"] = "third_party"; }, "loyalty.program.type_error",
                   "/benefits/7/refuse_flags");
    expect_refused([](json& j) { benefit_at(j, tyre)["description"] = 1; }, "loyalty.program.type_error",
                   "/benefits/1/description");
}

TEST(BenefitJson, EffectiveWindow) {
    expect_refused([](json& j) { benefit_at(j, wax)["effective_from"] = "2025-03-01"; }, "loyalty.program.invalid_time",
                   "/benefits/3/effective_from");
    expect_refused(
        [](json& j) {
            benefit_at(j, wax)["effective_from"] = "2026-01-01T00:00:00+08:00";
            benefit_at(j, wax)["effective_to"] = "2025-12-31T16:00:00Z";  // the same instant: an empty window
        },
        "loyalty.program.invalid_window", "/benefits/3/effective_to");
    expect_refused(
        [](json& j) {
            benefit_at(j, claim)["effective_from"] = "2026-01-01T00:00:00Z";
            benefit_at(j, claim)["effective_to"] = "2025-01-01T00:00:00Z";
        },
        "loyalty.program.invalid_window", "/benefits/7/effective_to");
    // An open end on either side is fine.
    const program p = load_edited([](json& j) { benefit_at(j, wax)["effective_to"] = "2026-01-01T00:00:00+08:00"; });
    EXPECT_EQ(find(p, "waxing").effective_to, at("2025-12-31T16:00:00Z"));
    EXPECT_FALSE(find(p, "waxing").effective_from.has_value());
}

TEST(BenefitJson, DuplicateKeyInABenefit) {
    std::string text(io::reference_program_json());
    const std::string key = R"("id": "waxing",)";
    const std::size_t pos = text.find(key);
    ASSERT_NE(pos, std::string::npos);
    text.insert(pos + key.size(), R"( "type": "discount",)");
    try {
        io::load_program(text);
        FAIL() << "programme accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.duplicate_key");
        EXPECT_EQ(e.pointer(), "/benefits/3/type");
    }
}

}  // namespace

TEST(BenefitJson, CapsMustBeGreaterThanZero) {
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_order"] = "0.00"; }, "loyalty.program.invalid_amount",
                   "/benefits/5/max_per_order");
    expect_refused([](json& j) { benefit_at(j, labour_off)["max_per_period"] = {{"period", "calendar_year"}, {"amount", "0"}}; },
                   "loyalty.program.invalid_amount", "/benefits/5/max_per_period/amount");
}

TEST(BenefitJson, BenefitIdsMustNotCollideWithEarningRules) {
    // Both name themselves in the ledger's `rule` field.
    expect_refused([](json& j) { benefit_at(j, wash)["id"] = "service-spend"; }, "loyalty.program.duplicate_id",
                   "/benefits/0/id");
    expect_refused([](json& j) { benefit_at(j, wash)["id"] = "adjustment"; }, "loyalty.program.duplicate_id",
                   "/benefits/0/id");
}

TEST(BenefitJson, AServiceItemHasNoRounding) {
    expect_refused([](json& j) { benefit_at(j, claim)["rounding"] = "half_up"; }, "loyalty.program.unknown_key",
                   "/benefits/7/rounding");
}

TEST(BenefitJson, LineCategoriesAndForbiddenFlags) {
    const program p = load_edited([](json& j) {
        j["line_categories"] = json::array({"maintenance", "repair", "*"});
        j["forbidden_flags"] = json::array({json::array({"warranty", "accident"})});
    });
    EXPECT_EQ(p.orders.categories, (std::vector<std::string>{"maintenance", "repair", "*"}));
    ASSERT_EQ(p.orders.forbidden_flags.size(), 1u);
    EXPECT_EQ(p.orders.forbidden_flags[0], (std::vector<line_flag>{line_flag::warranty, line_flag::accident}));
    expect_refused([](json& j) { j["forbidden_flags"] = json::array({json::array({"warranty"})}); },
                   "loyalty.program.invalid_flag", "/forbidden_flags/0");
    expect_refused([](json& j) { j["forbidden_flags"] = json::array({json::array({"warranty", "rusty"})}); },
                   "loyalty.program.invalid_flag", "/forbidden_flags/0/1");
}

}  // namespace unit_benefit_json
