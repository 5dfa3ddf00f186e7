// The programme loader (src/io/program_json.cpp): the reference programme, then one test per
// validation rule, each checking the error id and the JSON pointer of the offending field.
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "program_edit.hpp"
#include "test_support.hpp"
#include "loyalty/program/warnings.hpp"

namespace unit_program_json {

namespace {

using namespace loyalty;
using loyalty::test::at;
using json = nlohmann::json;

// The reference programme as a plain DOM (it holds no JSON numbers with a fraction, so the
// ordinary parser reads it without any floating point), for tests to change one field.

using loyalty::test::edited;
using loyalty::test::expect_refused;

// ---------------------------------------------------------------- the reference programme

TEST(ProgramJson, ReferenceProgrammeLoadsWithItsFields) {
    const program p = io::load_program(io::reference_program_json());
    EXPECT_EQ(p.id, "4s-club");
    EXPECT_EQ(p.version, 1);
    EXPECT_EQ(p.name, "4S Owners' Club");
    // 2025-01-01 00:00 in Shanghai (+08:00) is 2024-12-31 16:00 UTC.
    EXPECT_EQ(p.effective_from, at("2024-12-31T16:00:00Z"));
    EXPECT_EQ(p.currency_unit.code(), "CNY");
    EXPECT_EQ(p.currency_unit.minor_digits(), 2);
    EXPECT_EQ(p.zone.name(), "Asia/Shanghai");
    EXPECT_EQ(p.default_rounding, rounding::down);
    EXPECT_EQ(p.pending_days, 0);
    EXPECT_FALSE(p.accept_backdated);
    EXPECT_EQ(p.when_spent, spent_points_policy::claw_back);
    EXPECT_EQ(p.expiry.kind, expiry_kind::months_after_earning);
    EXPECT_EQ(p.expiry.months, 24);
    EXPECT_TRUE(p.expiry.to_end_of_month);

    ASSERT_EQ(p.earning_rules.size(), 7u);
    const earning_rule& service = p.earning_rules[0];
    EXPECT_EQ(service.id, "service-spend");
    EXPECT_EQ(service.kind, earning_kind::per_amount);
    ASSERT_EQ(service.on.size(), 1u);
    EXPECT_EQ(service.on[0], event_type::repair_order);
    EXPECT_EQ(service.points_per_unit, decimal(1, 0));
    EXPECT_EQ(service.lines.categories, (std::vector<std::string>{"maintenance", "repair"}));
    ASSERT_EQ(service.lines.exclude_flags.size(), 1u);
    EXPECT_EQ(service.lines.exclude_flags[0], line_flag::accident);
    EXPECT_TRUE(service.lines.kinds.empty());
    EXPECT_FALSE(service.lines.earn_on_covered_lines);
    ASSERT_TRUE(service.rounding_mode.has_value());
    EXPECT_EQ(*service.rounding_mode, rounding::down);
    EXPECT_FALSE(service.effective_from.has_value());
    EXPECT_FALSE(service.effective_to.has_value());

    EXPECT_EQ(p.earning_rules[1].id, "accessory-spend");
    EXPECT_EQ(p.earning_rules[1].points_per_unit, decimal(5, 1));
    EXPECT_EQ(p.earning_rules[1].lines.categories, (std::vector<std::string>{"accessory"}));

    const earning_rule& purchase = p.earning_rules[2];
    EXPECT_EQ(purchase.id, "vehicle-purchase");
    EXPECT_EQ(purchase.on, (std::vector<event_type>{event_type::vehicle_purchase}));
    EXPECT_EQ(purchase.points_per_unit, decimal(1, 2));
    ASSERT_TRUE(purchase.max_per_event.has_value());
    EXPECT_EQ(*purchase.max_per_event, points(5000));

    const earning_rule& welcome = p.earning_rules[3];
    EXPECT_EQ(welcome.id, "welcome");
    EXPECT_EQ(welcome.kind, earning_kind::fixed_bonus);
    EXPECT_EQ(welcome.bonus, points(500));
    EXPECT_EQ(welcome.on, (std::vector<event_type>{event_type::enrol}));
    EXPECT_FALSE(welcome.rounding_mode.has_value());
    EXPECT_EQ(p.rounding_of(welcome), rounding::down);  // the programme's default

    const earning_rule& birthday = p.earning_rules[4];
    EXPECT_EQ(birthday.bonus, points(200));
    ASSERT_TRUE(birthday.max_per_period.has_value());
    EXPECT_EQ(birthday.max_per_period->over.kind, period_kind::calendar_year);
    EXPECT_EQ(birthday.max_per_period->limit, points(200));

    const earning_rule& survey = p.earning_rules[5];
    EXPECT_EQ(survey.bonus, points(50));
    ASSERT_TRUE(survey.max_per_period.has_value());
    EXPECT_EQ(survey.max_per_period->over.kind, period_kind::calendar_month);
    EXPECT_EQ(survey.max_per_period->limit, points(50));

    EXPECT_EQ(p.earning_rules[6].id, "referral");
    EXPECT_EQ(p.earning_rules[6].bonus, points(1000));

    ASSERT_EQ(p.multipliers.size(), 1u);
    const multiplier& m = p.multipliers[0];
    EXPECT_EQ(m.id, "maintenance-month");
    EXPECT_EQ(m.factor, decimal(2, 0));
    EXPECT_EQ(m.rules, (std::vector<std::string>{"service-spend"}));
    EXPECT_EQ(m.from, at("2025-02-28T16:00:00Z"));
    EXPECT_EQ(m.to, at("2025-03-31T16:00:00Z"));
}

TEST(ProgramJson, CompiledInTextIsTheExampleFile) {
    std::ifstream in(std::string(LOYALTY_SOURCE_DIR) + "/examples/programs/4s-club.json", std::ios::binary);
    ASSERT_TRUE(in);
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), std::string(io::reference_program_json()));
    const program p = io::load_program_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/programs/4s-club.json");
    EXPECT_EQ(p.id, "4s-club");
    EXPECT_EQ(p.earning_rules.size(), 7u);
}

TEST(ProgramJson, MissingFileIsCannotOpen) {
    try {
        io::load_program_file("/nonexistent/programme.json");
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.io.cannot_open");
    }
}

TEST(ProgramJson, ProgramFromJsonTakesAnExactDom) {
    const program p = io::program_from_json(io::parse_exact(io::reference_program_json()));
    EXPECT_EQ(p.id, "4s-club");
    EXPECT_EQ(p.earning_rules[1].points_per_unit, decimal(5, 1));
}

TEST(ProgramJson, DefaultsOfOptionalFields) {
    const program p = io::load_program(edited([](json& j) {
        j.erase("name");
        j.erase("description");
        j.erase("pending_days");
        j.erase("backdated_events");
        j.erase("reversal");
        j.erase("multipliers");
        j["expiry"] = {{"policy", "months_after_earning"}, {"months", 12}};
        j["earning_rules"][3].erase("description");
    }));
    EXPECT_EQ(p.name, "");
    EXPECT_EQ(p.pending_days, 0);
    EXPECT_FALSE(p.accept_backdated);
    EXPECT_EQ(p.when_spent, spent_points_policy::claw_back);
    EXPECT_TRUE(p.multipliers.empty());
    EXPECT_EQ(p.expiry.months, 12);
    EXPECT_FALSE(p.expiry.to_end_of_month);
    EXPECT_EQ(p.earning_rules[3].description, "");
}

TEST(ProgramJson, OtherOptions) {
    const program p = io::load_program(edited([](json& j) {
        j["pending_days"] = 14;
        j["backdated_events"] = "accept";
        j["reversal"]["when_spent"] = "negative_balance";
        j["rounding"] = "half_even";
        j["earning_rules"][3]["effective_from"] = "2025-06-01T00:00:00+08:00";
        j["earning_rules"][3]["effective_to"] = "2026-01-01T00:00:00Z";
        j["earning_rules"][0]["lines"]["kinds"] = {"labour"};
        j["earning_rules"][0]["lines"]["exclude_categories"] = {"tyres"};
        j["earning_rules"][0]["lines"]["earn_on_covered_lines"] = true;
        j["earning_rules"][5]["max_per_period"] = {{"period", "rolling_days"}, {"days", 30}, {"points", 100}};
        j["multipliers"][0].erase("rules");
    }));
    EXPECT_EQ(p.pending_days, 14);
    EXPECT_TRUE(p.accept_backdated);
    EXPECT_EQ(p.when_spent, spent_points_policy::negative_balance);
    EXPECT_EQ(p.default_rounding, rounding::half_even);
    EXPECT_EQ(p.rounding_of(p.earning_rules[3]), rounding::half_even);
    EXPECT_EQ(*p.earning_rules[3].effective_from, at("2025-05-31T16:00:00Z"));
    EXPECT_EQ(*p.earning_rules[3].effective_to, at("2026-01-01T00:00:00Z"));
    EXPECT_EQ(p.earning_rules[0].lines.kinds, (std::vector<line_kind>{line_kind::labour}));
    EXPECT_EQ(p.earning_rules[0].lines.exclude_categories, (std::vector<std::string>{"tyres"}));
    EXPECT_TRUE(p.earning_rules[0].lines.earn_on_covered_lines);
    EXPECT_EQ(p.earning_rules[5].max_per_period->over.kind, period_kind::rolling_days);
    EXPECT_EQ(p.earning_rules[5].max_per_period->over.days, 30);
    EXPECT_EQ(p.earning_rules[5].max_per_period->limit, points(100));
    EXPECT_TRUE(p.multipliers[0].rules.empty());  // applies to every rule
}

TEST(ProgramJson, ExpiryPolicies) {
    const program never = io::load_program(edited([](json& j) { j["expiry"] = {{"policy", "never"}}; }));
    EXPECT_EQ(never.expiry.kind, expiry_kind::never);
    const program year = io::load_program(edited([](json& j) { j["expiry"] = {{"policy", "end_of_calendar_year"}, {"years", 1}}; }));
    EXPECT_EQ(year.expiry.kind, expiry_kind::end_of_calendar_year);
    EXPECT_EQ(year.expiry.years, 1);
    const program idle = io::load_program(edited([](json& j) { j["expiry"] = {{"policy", "inactivity"}, {"months", 18}}; }));
    EXPECT_EQ(idle.expiry.kind, expiry_kind::inactivity);
    EXPECT_EQ(idle.expiry.months, 18);
    const program days = io::load_program(edited([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 90}}; }));
    EXPECT_EQ(days.expiry.kind, expiry_kind::days_after_earning);
    EXPECT_EQ(days.expiry.days, 90);
    EXPECT_EQ(days.expiry.lot_expiry(date::sys_days(date::year(2025) / 1 / 31)), date::sys_days(date::year(2025) / 5 / 1));
    const program weeks = io::load_program(edited([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", 13}}; }));
    EXPECT_EQ(weeks.expiry.kind, expiry_kind::weeks_after_earning);
    EXPECT_EQ(weeks.expiry.weeks, 13);
    // The ends of the ranges are accepted.
    for (int n : {1, 36500})
        EXPECT_EQ(io::load_program(edited([n](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", n}}; }))
                      .expiry.days,
                  n);
    for (int n : {1, 5200})
        EXPECT_EQ(io::load_program(edited([n](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", n}}; }))
                      .expiry.weeks,
                  n);
}

// Each policy has its own unit: days under days_after_earning, weeks under weeks_after_earning.
// A unit of another policy, or both, is an unknown key at its own pointer.
TEST(ProgramJson, DaysAndWeeksExpiryRefusals) {
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 90}, {"weeks", 2}}; },
                   "loyalty.program.unknown_key", "/expiry/weeks");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", 2}, {"days", 14}}; },
                   "loyalty.program.unknown_key", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "months_after_earning"}, {"months", 3}, {"days", 90}}; },
                   "loyalty.program.unknown_key", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 90}, {"months", 3}}; },
                   "loyalty.program.unknown_key", "/expiry/months");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 90}, {"to_end_of_month", true}}; },
                   "loyalty.program.unknown_key", "/expiry/to_end_of_month");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"weeks", 2}}; },
                   "loyalty.program.missing_field", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}}; }, "loyalty.program.missing_field",
                   "/expiry/weeks");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", "90"}}; },
                   "loyalty.program.type_error", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 0}}; },
                   "loyalty.program.invalid_period", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", 36501}}; },
                   "loyalty.program.invalid_period", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days_after_earning"}, {"days", -90}}; },
                   "loyalty.program.invalid_period", "/expiry/days");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", 0}}; },
                   "loyalty.program.invalid_period", "/expiry/weeks");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "weeks_after_earning"}, {"weeks", 5201}}; },
                   "loyalty.program.invalid_period", "/expiry/weeks");
    // The issue's first spelling is not a policy of the format.
    expect_refused([](json& j) { j["expiry"] = {{"policy", "days"}, {"days", 90}}; }, "loyalty.program.invalid_expiry",
                   "/expiry/policy");
}

// ---------------------------------------------------------------- exact numbers

TEST(ProgramJson, StringAndJsonNumberGiveTheSameExactDecimal) {
    const program s = io::load_program(edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = "0.7"; }));
    const program n = io::load_program(edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = "@@0.7@@"; }));
    EXPECT_EQ(s.earning_rules[1].points_per_unit, decimal(7, 1));
    EXPECT_EQ(n.earning_rules[1].points_per_unit, decimal(7, 1));
    EXPECT_EQ(n.earning_rules[1].points_per_unit.mantissa(), 7);
    EXPECT_EQ(n.earning_rules[1].points_per_unit.scale(), 1);
}

TEST(ProgramJson, ExponentAndIntegerNumbers) {
    const program e = io::load_program(edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = "@@5e-1@@"; }));
    EXPECT_EQ(e.earning_rules[1].points_per_unit, decimal(5, 1));
    const program i = io::load_program(edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = 3; }));
    EXPECT_EQ(i.earning_rules[1].points_per_unit, decimal(3, 0));
    // Trailing zeros are not precision: 20 decimals of which 19 are zeros is exactly 1.5.
    const program z = io::load_program(
        edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = "@@1.50000000000000000000@@"; }));
    EXPECT_EQ(z.earning_rules[1].points_per_unit, decimal(15, 1));
    // 18 decimals is the most that is held exactly.
    const program most = io::load_program(
        edited([](json& j) { j["earning_rules"][1]["points_per_unit"] = "@@0.123456789012345678@@"; }));
    EXPECT_EQ(most.earning_rules[1].points_per_unit, decimal(123456789012345678, 18));
}

TEST(ProgramJson, NumberWithMoreThan18DecimalsIsInexact) {
    expect_refused([](json& j) { j["earning_rules"][1]["points_per_unit"] = "@@0.1234567890123456789@@"; },
                   "loyalty.program.inexact_number", "/earning_rules/1/points_per_unit");
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "1.0000000000000000001"; },
                   "loyalty.program.inexact_number", "/multipliers/0/factor");
    expect_refused([](json& j) { j["earning_rules"][1]["points_per_unit"] = "seven tenths"; },
                   "loyalty.program.inexact_number", "/earning_rules/1/points_per_unit");
}

// ---------------------------------------------------------------- rates and points

TEST(ProgramJson, NegativeRateInThirdRule) {
    expect_refused([](json& j) { j["earning_rules"][2]["points_per_unit"] = "-0.01"; }, "loyalty.program.invalid_rate",
                   "/earning_rules/2/points_per_unit");
    expect_refused([](json& j) { j["earning_rules"][2]["points_per_unit"] = "@@-0.5@@"; }, "loyalty.program.invalid_rate",
                   "/earning_rules/2/points_per_unit");
}

TEST(ProgramJson, ZeroRateAndZeroFactor) {
    expect_refused([](json& j) { j["earning_rules"][0]["points_per_unit"] = 0; }, "loyalty.program.invalid_rate",
                   "/earning_rules/0/points_per_unit");
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "0"; }, "loyalty.program.invalid_rate",
                   "/multipliers/0/factor");
}

TEST(ProgramJson, NonPositivePoints) {
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = 0; }, "loyalty.program.invalid_points",
                   "/earning_rules/3/points");
    expect_refused([](json& j) { j["earning_rules"][6]["points"] = -1000; }, "loyalty.program.invalid_points",
                   "/earning_rules/6/points");
    expect_refused([](json& j) { j["earning_rules"][2]["max_per_event"] = 0; }, "loyalty.program.invalid_points",
                   "/earning_rules/2/max_per_event");
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"]["points"] = -5; },
                   "loyalty.program.invalid_points", "/earning_rules/4/max_per_period/points");
}

TEST(ProgramJson, VersionMustBePositive) {
    expect_refused([](json& j) { j["version"] = 0; }, "loyalty.program.invalid_version", "/version");
}

// ---------------------------------------------------------------- unknown keys

TEST(ProgramJson, UnknownTopLevelKey) {
    expect_refused([](json& j) { j["colour"] = "red"; }, "loyalty.program.unknown_key", "/colour");
}

TEST(ProgramJson, UnknownKeyInNestedObjects) {
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["categoriez"] = {"tyres"}; },
                   "loyalty.program.unknown_key", "/earning_rules/0/lines/categoriez");
    expect_refused([](json& j) { j["earning_rules"][3]["point"] = 5; }, "loyalty.program.unknown_key",
                   "/earning_rules/3/point");
    expect_refused([](json& j) { j["expiry"]["month"] = 3; }, "loyalty.program.unknown_key", "/expiry/month");
    expect_refused([](json& j) { j["reversal"]["when"] = "now"; }, "loyalty.program.unknown_key", "/reversal/when");
    expect_refused([](json& j) { j["multipliers"][0]["rule"] = "survey"; }, "loyalty.program.unknown_key",
                   "/multipliers/0/rule");
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"]["day"] = 3; }, "loyalty.program.unknown_key",
                   "/earning_rules/4/max_per_period/day");
}

// A misspelt key is named, with the key it is closest to (issue 22): a misspelt required key is
// an unknown key at the typo, not a missing field at the key it stands for.
std::string message_of(const std::function<void(json&)>& edit) {
    try {
        io::load_program(edited(edit));
    } catch (const error& e) {
        return "[" + e.id() + "] (" + e.pointer() + ") " + e.message();
    }
    return "accepted";
}

TEST(ProgramJson, AMisspeltKeyIsNamedWithTheKeyItIsClosestTo) {
    const auto rename = [](json& j, const std::string& from, const std::string& to) {
        j[to] = j[from];
        j.erase(from);
    };
    EXPECT_EQ(message_of([&](json& j) { rename(j, "earning_rules", "earnign_rules"); }),
              "[loyalty.program.unknown_key] (/earnign_rules) unknown key 'earnign_rules' (did you mean 'earning_rules'?)");
    EXPECT_EQ(message_of([&](json& j) { rename(j["expiry"], "months", "monhts"); }),
              "[loyalty.program.unknown_key] (/expiry/monhts) unknown key 'monhts' (did you mean 'months'?)");
    // Optional keys: the suggestion comes from the keys the object may hold.
    EXPECT_EQ(message_of([&](json& j) { j["reversal"]["when_spnet"] = "claw_back"; }),
              "[loyalty.program.unknown_key] (/reversal/when_spnet) unknown key 'when_spnet' (did you mean 'when_spent'?)");
    EXPECT_EQ(message_of([&](json& j) { j["earning_rules"][0]["lines"]["categoriez"] = {"tyres"}; }),
              "[loyalty.program.unknown_key] (/earning_rules/0/lines/categoriez) unknown key 'categoriez' (did you mean "
              "'categories'?)");
    // Nothing close: no suggestion, and a required key simply missing is still missing_field.
    EXPECT_EQ(message_of([&](json& j) { j["colour"] = "red"; }), "[loyalty.program.unknown_key] (/colour) unknown key 'colour'");
    EXPECT_EQ(message_of([&](json& j) { j.erase("earning_rules"); }).rfind("[loyalty.program.missing_field] (/earning_rules)", 0), 0u);
}

// Valid but probably not meant (loyalty validate's warnings, program/warnings.hpp).
TEST(ProgramJson, WarningsNameWhatNoLineCanMatch) {
    EXPECT_TRUE(warnings_of(io::load_program(io::reference_program_json())).empty());  // it declares its categories
    const program none = io::load_program(edited([](json& j) { j.erase("line_categories"); }));
    ASSERT_EQ(warnings_of(none).size(), 1u);
    EXPECT_EQ(warnings_of(none)[0].id, "loyalty.program.no_line_categories");
    EXPECT_EQ(warnings_of(none)[0].pointer, "/line_categories");
    const program typos = io::load_program(edited([](json& j) {
        j["benefits"][0]["lines"]["categories"] = {"care", "tyers"};
        j["earning_rules"][0]["lines"]["exclude_categories"] = {"acident"};
    }));
    std::vector<std::string> pointers;
    for (const program_warning& w : warnings_of(typos)) {
        EXPECT_EQ(w.id, "loyalty.program.undeclared_category");
        pointers.push_back(w.pointer);
    }
    EXPECT_EQ(pointers, (std::vector<std::string>{"/earning_rules/0/lines/exclude_categories/0",
                                                  "/benefits/0/lines/categories/1"}));
    // "*" allows any category on purpose: nothing to warn about.
    EXPECT_TRUE(warnings_of(io::load_program(edited([](json& j) {
                    j["line_categories"] = {"*"};
                    j["benefits"][0]["lines"]["categories"] = {"tyers"};
                }))).empty());
}

TEST(ProgramJson, KeyOfAnotherRuleTypeIsUnknown) {
    // points_per_unit means nothing to a fixed bonus: refused rather than silently ignored.
    expect_refused([](json& j) { j["earning_rules"][3]["points_per_unit"] = "1"; }, "loyalty.program.unknown_key",
                   "/earning_rules/3/points_per_unit");
    // Likewise "to_end_of_month" under another expiry policy, and "days" outside rolling_days.
    expect_refused([](json& j) { j["expiry"] = {{"policy", "inactivity"}, {"months", 6}, {"to_end_of_month", true}}; },
                   "loyalty.program.unknown_key", "/expiry/to_end_of_month");
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"]["days"] = 30; }, "loyalty.program.unknown_key",
                   "/earning_rules/4/max_per_period/days");
}

TEST(ProgramJson, KeyWithSlashIsEscapedInPointer) {
    expect_refused([](json& j) { j["a/b~c"] = 1; }, "loyalty.program.unknown_key", "/a~1b~0c");
}

// ---------------------------------------------------------------- missing fields

TEST(ProgramJson, MissingTopLevelFields) {
    for (const char* key : {"id", "version", "effective_from", "currency", "time_zone", "rounding", "expiry", "earning_rules"})
        expect_refused([&](json& j) { j.erase(key); }, "loyalty.program.missing_field", std::string("/") + key);
}

TEST(ProgramJson, MissingNestedFields) {
    expect_refused([](json& j) { j["earning_rules"][3].erase("points"); }, "loyalty.program.missing_field",
                   "/earning_rules/3/points");
    expect_refused([](json& j) { j["earning_rules"][1].erase("points_per_unit"); }, "loyalty.program.missing_field",
                   "/earning_rules/1/points_per_unit");
    expect_refused([](json& j) { j["earning_rules"][5].erase("id"); }, "loyalty.program.missing_field",
                   "/earning_rules/5/id");
    expect_refused([](json& j) { j["earning_rules"][5].erase("type"); }, "loyalty.program.missing_field",
                   "/earning_rules/5/type");
    expect_refused([](json& j) { j["earning_rules"][5]["on"] = json::array(); }, "loyalty.program.missing_field",
                   "/earning_rules/5/on");
    expect_refused([](json& j) { j["expiry"].erase("months"); }, "loyalty.program.missing_field", "/expiry/months");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "end_of_calendar_year"}}; }, "loyalty.program.missing_field",
                   "/expiry/years");
    expect_refused([](json& j) { j["reversal"] = json::object(); }, "loyalty.program.missing_field",
                   "/reversal/when_spent");
    expect_refused([](json& j) { j["multipliers"][0].erase("to"); }, "loyalty.program.missing_field", "/multipliers/0/to");
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"] = {{"period", "rolling_days"}, {"points", 9}}; },
                   "loyalty.program.missing_field", "/earning_rules/4/max_per_period/days");
}

TEST(ProgramJson, NullCountsAsAbsent) {
    // A required field set to null is missing ...
    expect_refused([](json& j) { j["id"] = nullptr; }, "loyalty.program.missing_field", "/id");
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = nullptr; }, "loyalty.program.missing_field",
                   "/earning_rules/3/points");
    // ... and an optional one takes its default, at every level.
    const program p = io::load_program(edited([](json& j) {
        j["pending_days"] = nullptr;
        j["multipliers"] = nullptr;
        j["earning_rules"][0]["rounding"] = nullptr;
        j["earning_rules"][0]["effective_from"] = nullptr;
        j["earning_rules"][0]["effective_to"] = nullptr;
        j["earning_rules"][2]["max_per_event"] = nullptr;
        j["earning_rules"][4]["max_per_period"] = nullptr;
    }));
    EXPECT_EQ(p.pending_days, 0);
    EXPECT_TRUE(p.multipliers.empty());
    EXPECT_FALSE(p.earning_rules[0].rounding_mode.has_value());
    EXPECT_FALSE(p.earning_rules[0].effective_from.has_value());
    EXPECT_FALSE(p.earning_rules[0].effective_to.has_value());
    EXPECT_FALSE(p.earning_rules[2].max_per_event.has_value());
    EXPECT_FALSE(p.earning_rules[4].max_per_period.has_value());
}

TEST(ProgramJson, EmptyIdIsRefused) {
    expect_refused([](json& j) { j["id"] = ""; }, "loyalty.program.empty_string", "/id");
    expect_refused([](json& j) { j["earning_rules"][2]["id"] = ""; }, "loyalty.program.empty_string",
                   "/earning_rules/2/id");
}

// ---------------------------------------------------------------- wrong types

TEST(ProgramJson, WrongTypes) {
    expect_refused("[]", "loyalty.program.type_error", "");
    expect_refused([](json& j) { j["version"] = "1"; }, "loyalty.program.type_error", "/version");
    expect_refused([](json& j) { j["version"] = "@@1.5@@"; }, "loyalty.program.type_error", "/version");
    expect_refused([](json& j) { j["id"] = 42; }, "loyalty.program.type_error", "/id");
    expect_refused([](json& j) { j["earning_rules"] = json::object(); }, "loyalty.program.type_error", "/earning_rules");
    expect_refused([](json& j) { j["multipliers"] = "none"; }, "loyalty.program.type_error", "/multipliers");
    expect_refused([](json& j) { j["earning_rules"][1] = "accessory-spend"; }, "loyalty.program.type_error",
                   "/earning_rules/1");
    expect_refused([](json& j) { j["earning_rules"][0]["on"] = "repair_order"; }, "loyalty.program.type_error",
                   "/earning_rules/0/on");
    expect_refused([](json& j) { j["earning_rules"][0]["on"][0] = 1; }, "loyalty.program.type_error",
                   "/earning_rules/0/on/0");
    expect_refused([](json& j) { j["earning_rules"][0]["points_per_unit"] = true; }, "loyalty.program.type_error",
                   "/earning_rules/0/points_per_unit");
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["categories"] = "maintenance"; },
                   "loyalty.program.type_error", "/earning_rules/0/lines/categories");
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["categories"][1] = false; }, "loyalty.program.type_error",
                   "/earning_rules/0/lines/categories/1");
    expect_refused([](json& j) { j["earning_rules"][0]["lines"] = json::array(); }, "loyalty.program.type_error",
                   "/earning_rules/0/lines");
    expect_refused([](json& j) { j["expiry"]["to_end_of_month"] = "yes"; }, "loyalty.program.type_error",
                   "/expiry/to_end_of_month");
    expect_refused([](json& j) { j["expiry"] = "never"; }, "loyalty.program.type_error", "/expiry");
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = "@@500.5@@"; }, "loyalty.program.type_error",
                   "/earning_rules/3/points");
}

TEST(ProgramJson, IntegerPast64BitsIsOutOfRange) {
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = "@@18446744073709551615@@"; },
                   "loyalty.program.out_of_range", "/earning_rules/3/points");
    // Past unsigned 64 bits too (kept as text by the reader): out of range, not a type error.
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = "@@99999999999999999999@@"; },
                   "loyalty.program.out_of_range", "/earning_rules/3/points");
    expect_refused([](json& j) { j["version"] = "@@-99999999999999999999@@"; }, "loyalty.program.out_of_range", "/version");
    // A decimal too large to hold (not too precise) is out of range too.
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "1e400"; }, "loyalty.program.out_of_range",
                   "/multipliers/0/factor");
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "1e-400"; }, "loyalty.program.inexact_number",
                   "/multipliers/0/factor");
}

// ---------------------------------------------------------------- enumerations

TEST(ProgramJson, UnknownCurrency) {
    expect_refused([](json& j) { j["currency"] = "RMB"; }, "loyalty.program.unknown_currency", "/currency");
    // XXX is ISO 4217 "no currency": a programme must name a real one.
    expect_refused([](json& j) { j["currency"] = "XXX"; }, "loyalty.program.unknown_currency", "/currency");
}

TEST(ProgramJson, KnownCurrencyWithOtherMinorDigits) {
    // 0.10 CNY a point has no exact value in yen, which have no minor unit: the value must change too.
    expect_refused([](json& j) { j["currency"] = "JPY"; }, "loyalty.program.invalid_amount", "/point_value");
    const program p = io::load_program(edited([](json& j) {
        j["currency"] = "JPY";
        j["point_value"] = "2";
    }));
    EXPECT_EQ(p.currency_unit.code(), "JPY");
    EXPECT_EQ(p.currency_unit.minor_digits(), 0);
    EXPECT_EQ(p.point_value->minor_units(), 2);
}

TEST(ProgramJson, PointValue) {
    // The reference programme values a point at 0.10 CNY = 10 fen.
    EXPECT_EQ(test::reference_program().point_value->minor_units(), 10);
    const program none = io::load_program(edited([](json& j) { j.erase("point_value"); }));
    EXPECT_FALSE(none.point_value.has_value());
    expect_refused([](json& j) { j["point_value"] = "0.00"; }, "loyalty.program.invalid_amount", "/point_value");
    expect_refused([](json& j) { j["point_value"] = "-0.10"; }, "loyalty.program.invalid_amount", "/point_value");
}

TEST(ProgramJson, UnknownTimeZone) {
    expect_refused([](json& j) { j["time_zone"] = "Asia/Beijing"; }, "loyalty.program.unknown_time_zone", "/time_zone");
}

TEST(ProgramJson, UnknownRounding) {
    expect_refused([](json& j) { j["rounding"] = "nearest"; }, "loyalty.program.invalid_rounding", "/rounding");
    expect_refused([](json& j) { j["earning_rules"][1]["rounding"] = "HALF_UP"; }, "loyalty.program.invalid_rounding",
                   "/earning_rules/1/rounding");
}

TEST(ProgramJson, UnknownExpiryPolicy) {
    expect_refused([](json& j) { j["expiry"] = {{"policy", "weekly"}}; }, "loyalty.program.invalid_expiry",
                   "/expiry/policy");
}

TEST(ProgramJson, ExpiryLengthsOutOfRange) {
    expect_refused([](json& j) { j["expiry"]["months"] = 0; }, "loyalty.program.invalid_period", "/expiry/months");
    expect_refused([](json& j) { j["expiry"]["months"] = 1201; }, "loyalty.program.invalid_period", "/expiry/months");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "end_of_calendar_year"}, {"years", -1}}; },
                   "loyalty.program.invalid_period", "/expiry/years");
    expect_refused([](json& j) { j["expiry"] = {{"policy", "inactivity"}, {"months", -3}}; },
                   "loyalty.program.invalid_period", "/expiry/months");
}

TEST(ProgramJson, UnknownPeriod) {
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"]["period"] = "fortnight"; },
                   "loyalty.program.invalid_period", "/earning_rules/4/max_per_period/period");
    expect_refused([](json& j) { j["earning_rules"][4]["max_per_period"] = {{"period", "rolling_days"}, {"days", 0}, {"points", 9}}; },
                   "loyalty.program.invalid_period", "/earning_rules/4/max_per_period/days");
    expect_refused([](json& j) { j["pending_days"] = 366; }, "loyalty.program.invalid_period", "/pending_days");
    expect_refused([](json& j) { j["pending_days"] = -1; }, "loyalty.program.invalid_period", "/pending_days");
}

TEST(ProgramJson, UnknownOptions) {
    expect_refused([](json& j) { j["backdated_events"] = "maybe"; }, "loyalty.program.invalid_option", "/backdated_events");
    expect_refused([](json& j) { j["reversal"]["when_spent"] = "forgive"; }, "loyalty.program.invalid_option",
                   "/reversal/when_spent");
}

TEST(ProgramJson, UnknownRuleType) {
    expect_refused([](json& j) { j["earning_rules"][3]["type"] = "percentage"; }, "loyalty.program.invalid_rule_type",
                   "/earning_rules/3/type");
}

TEST(ProgramJson, EventTypesARuleListensTo) {
    expect_refused([](json& j) { j["earning_rules"][3]["on"] = {"enrol", "wedding"}; }, "loyalty.program.invalid_event_type",
                   "/earning_rules/3/on/1");
    // adjustment, reverse and tick never earn.
    expect_refused([](json& j) { j["earning_rules"][3]["on"] = {"tick"}; }, "loyalty.program.invalid_event_type",
                   "/earning_rules/3/on/0");
    // per_amount counts money, which only repair orders and vehicle purchases have.
    expect_refused([](json& j) { j["earning_rules"][0]["on"] = {"repair_order", "survey"}; },
                   "loyalty.program.invalid_event_type", "/earning_rules/0/on/1");
}

TEST(ProgramJson, UnknownLineKindAndFlag) {
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["kinds"] = {"labour", "paint"}; },
                   "loyalty.program.invalid_line_kind", "/earning_rules/0/lines/kinds/1");
    expect_refused([](json& j) { j["earning_rules"][0]["lines"]["exclude_flags"] = {"flood"}; },
                   "loyalty.program.invalid_flag", "/earning_rules/0/lines/exclude_flags/0");
}

// ---------------------------------------------------------------- ids and references

TEST(ProgramJson, DuplicateRuleIds) {
    expect_refused([](json& j) { j["earning_rules"][5]["id"] = "birthday"; }, "loyalty.program.duplicate_id",
                   "/earning_rules/5/id");
    // "adjustment" names operator adjustments in the ledger; no rule may take it.
    expect_refused([](json& j) { j["earning_rules"][0]["id"] = "adjustment"; }, "loyalty.program.duplicate_id",
                   "/earning_rules/0/id");
}

TEST(ProgramJson, DuplicateMultiplierIds) {
    expect_refused([](json& j) { j["multipliers"].push_back(j["multipliers"][0]); }, "loyalty.program.duplicate_id",
                   "/multipliers/1/id");
}

TEST(ProgramJson, MultiplierNamingUnknownRule) {
    expect_refused([](json& j) { j["multipliers"][0]["rules"] = {"service-spend", "service-spent"}; },
                   "loyalty.program.unknown_rule", "/multipliers/0/rules/1");
}

// ---------------------------------------------------------------- effective windows

TEST(ProgramJson, RuleWindowMustEndAfterItStarts) {
    expect_refused(
        [](json& j) {
            j["earning_rules"][3]["effective_from"] = "2025-06-01T00:00:00+08:00";
            j["earning_rules"][3]["effective_to"] = "2025-05-31T16:00:00Z";  // the same instant
        },
        "loyalty.program.invalid_window", "/earning_rules/3/effective_to");
}

TEST(ProgramJson, MultiplierWindowMustEndAfterItStarts) {
    expect_refused([](json& j) { j["multipliers"][0]["to"] = "2025-02-01T00:00:00+08:00"; },
                   "loyalty.program.invalid_window", "/multipliers/0/to");
}

TEST(ProgramJson, MalformedInstants) {
    expect_refused([](json& j) { j["effective_from"] = "2025-01-01"; }, "loyalty.program.invalid_time", "/effective_from");
    expect_refused([](json& j) { j["multipliers"][0]["from"] = "2025-02-30T00:00:00Z"; }, "loyalty.program.invalid_time",
                   "/multipliers/0/from");
    expect_refused([](json& j) { j["earning_rules"][0]["effective_to"] = "soon"; }, "loyalty.program.invalid_time",
                   "/earning_rules/0/effective_to");
}

// ---------------------------------------------------------------- JSON syntax

TEST(ProgramJson, DuplicateJsonKeys) {
    expect_refused(R"({"id": "a", "id": "b"})", "loyalty.program.duplicate_key", "/id");
    // The pointer locates a duplicate inside nested objects and arrays too.
    std::string text(io::reference_program_json());
    const std::string needle = "\"points\": 500";
    text.replace(text.find(needle), needle.size(), needle + ", \"points\": 600");
    expect_refused(text, "loyalty.program.duplicate_key", "/earning_rules/3/points");
}

TEST(ProgramJson, MalformedJson) {
    expect_refused(R"({"id": "4s-club",)", "loyalty.program.parse_error", "");
    expect_refused("", "loyalty.program.parse_error", "");
    expect_refused(R"({"id": '4s-club'})", "loyalty.program.parse_error", "");
    expect_refused(std::string(io::reference_program_json()) + "{}", "loyalty.program.parse_error", "");
}

// ---------------------------------------------------------------- program_versions

program version_of(std::int64_t version, const std::string& effective_from) {
    return io::load_program(edited([&](json& j) {
        j["version"] = version;
        j["effective_from"] = effective_from;
    }));
}

TEST(ProgramVersions, AtPicksTheVersionInForce) {
    program_versions versions;
    EXPECT_TRUE(versions.empty());
    versions.add(version_of(3, "2026-07-01T00:00:00+08:00"));
    versions.add(version_of(1, "2025-01-01T00:00:00+08:00"));
    versions.add(version_of(2, "2026-01-01T00:00:00+08:00"));
    EXPECT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions.latest().version, 3);

    EXPECT_EQ(versions.at(at("2024-12-31T15:59:59Z")), nullptr);  // before the first version
    ASSERT_NE(versions.at(at("2024-12-31T16:00:00Z")), nullptr);
    EXPECT_EQ(versions.at(at("2024-12-31T16:00:00Z"))->version, 1);  // the boundary is inclusive
    EXPECT_EQ(versions.at(at("2025-12-31T15:59:59Z"))->version, 1);
    EXPECT_EQ(versions.at(at("2025-12-31T16:00:00Z"))->version, 2);
    EXPECT_EQ(versions.at(at("2026-06-30T15:59:59Z"))->version, 2);
    EXPECT_EQ(versions.at(at("2026-06-30T16:00:00Z"))->version, 3);
    EXPECT_EQ(versions.at(at("2030-01-01T00:00:00Z"))->version, 3);
}

TEST(ProgramVersions, DuplicateVersionRefused) {
    program_versions versions(version_of(1, "2025-01-01T00:00:00+08:00"));
    try {
        versions.add(version_of(1, "2026-01-01T00:00:00+08:00"));
        FAIL() << "duplicate version accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.duplicate_version");
        EXPECT_EQ(e.pointer(), "/version");
    }
    EXPECT_EQ(versions.size(), 1u);
}

TEST(ProgramVersions, SameEffectiveInstantRefused) {
    program_versions versions(version_of(1, "2025-01-01T00:00:00+08:00"));
    try {
        versions.add(version_of(2, "2024-12-31T16:00:00Z"));  // the same instant, written in UTC
        FAIL() << "two versions at one instant accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.duplicate_effective_from");
        EXPECT_EQ(e.pointer(), "/effective_from");
    }
}

TEST(ProgramVersions, VersionOfAnotherProgrammeRefused) {
    program_versions versions(version_of(1, "2025-01-01T00:00:00+08:00"));
    program other = version_of(2, "2026-01-01T00:00:00+08:00");
    other.id = "other-club";
    try {
        versions.add(other);
        FAIL() << "foreign version accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.id_mismatch");
        EXPECT_EQ(e.pointer(), "/id");
    }
}

}  // namespace

// Programme limits that keep every event within 64-bit arithmetic (engine/limits.hpp).
TEST(ProgramLimits, RatesFactorsAndBonusesAreBounded) {
    using nlohmann::json;
    expect_refused([](json& j) { j["earning_rules"][0]["points_per_unit"] = "1000.01"; }, "loyalty.program.invalid_rate",
                   "/earning_rules/0/points_per_unit");
    expect_refused([](json& j) { j["earning_rules"][3]["points"] = 1'000'000'001; }, "loyalty.program.invalid_points",
                   "/earning_rules/3/points");
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "100.5"; }, "loyalty.program.invalid_rate",
                   "/multipliers/0/factor");
    expect_refused([](json& j) { j["multipliers"][0]["factor"] = "1.00001"; }, "loyalty.program.invalid_rate",
                   "/multipliers/0/factor");
}

TEST(ProgramLimits, MultipliersInForceTogetherMayNotExceedAThousand) {
    using nlohmann::json;
    // Three x20 on service-spend in March: 20 x 20 x 20 = 8000 at once.
    expect_refused(
        [](json& j) {
            j["multipliers"][0]["factor"] = "20";
            for (const char* id : {"m2", "m3"})
                j["multipliers"].push_back({{"id", id}, {"factor", "20"}, {"rules", json::array({"service-spend"})},
                                            {"from", "2025-03-10T00:00:00+08:00"}, {"to", "2025-03-20T00:00:00+08:00"}});
        },
        "loyalty.program.invalid_rate", "/multipliers");
    // Twelve monthly x2 promotions never overlap: each instant has at most one. Accepted.
    json j = json::parse(io::reference_program_json());
    j["multipliers"] = json::array();
    for (int month = 1; month <= 12; ++month) {
        char from[32], to[32];
        std::snprintf(from, sizeof from, "2025-%02d-01T00:00:00+08:00", month);
        std::snprintf(to, sizeof to, "%04d-%02d-01T00:00:00+08:00", month == 12 ? 2026 : 2025, month == 12 ? 1 : month + 1);
        j["multipliers"].push_back({{"id", "m" + std::to_string(month)}, {"factor", "2"}, {"from", from}, {"to", to}});
    }
    EXPECT_EQ(io::load_program(j.dump()).multipliers.size(), 12u);
}

// An earn entry's figures hold the rate, six multipliers and the tier's: a seventh multiplier in
// force at once on a rule is refused, even when their product is small (1.01^7).
TEST(ProgramLimits, AtMostSixMultipliersInForceTogether) {
    using nlohmann::json;
    const auto with = [](int n) {
        return [n](json& j) {
            j["multipliers"] = json::array();
            for (int i = 0; i < n; ++i)
                j["multipliers"].push_back({{"id", "m" + std::to_string(i)}, {"factor", "1.01"},
                                            {"from", "2025-03-10T00:00:00+08:00"}, {"to", "2025-03-20T00:00:00+08:00"}});
        };
    };
    expect_refused(with(7), "loyalty.program.too_many_multipliers", "/multipliers");
    json j = json::parse(io::reference_program_json());
    with(6)(j);
    EXPECT_EQ(io::load_program(j.dump()).multipliers.size(), 6u);
}

}  // namespace unit_program_json
