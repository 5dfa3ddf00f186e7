// Writing programmes as JSON: program_to_json(load(doc)) is the source document itself, once
// the document is put in canonical form (documented defaults filled in, one spelling for
// numbers, money and instants). A field the writer forgets, or writes wrong, shows up as a
// difference. The canonical form below is written from docs/program-format.md, not from the
// writer.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "loyalty/io/member_value_json.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "test_support.hpp"

namespace loyalty {
namespace unit_program_to_json {

using io::json;

// --- the source document in canonical form --------------------------------------------------

void drop_nulls(json& j) {  // "null counts as absent"
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end();) {
            if (it->is_null()) it = j.erase(it);
            else drop_nulls(*it++);
        }
    } else if (j.is_array()) {
        for (json& x : j) drop_nulls(x);
    }
}

void defaults(json& j, const json& fields) {
    for (const auto& [key, value] : fields.items())
        if (!j.contains(key)) j[key] = value;
}

void rate(json& j, const char* key) {  // "0.50", 0.5, 5e-1 -> "0.5"
    if (j.contains(key)) j[key] = io::as_decimal(j[key], key, "test").to_string();
}

void amount(json& j, const char* key, const currency& c) {  // "50" in CNY -> "50.00"
    if (j.contains(key)) j[key] = io::as_money(j[key], c, key, "test").to_string();
}

void instant_key(json& j, const char* key) {  // any zone -> UTC "...Z"
    if (j.contains(key)) j[key] = format_instant(test::at(j[key].get<std::string>()));
}

void lines(json& j, bool for_earning) {
    defaults(j, {{"kinds", json::array()}, {"categories", json::array()}, {"exclude_categories", json::array()},
                 {"operations", json::array()}, {"exclude_flags", json::array()}});
    if (for_earning) defaults(j, {{"earn_on_covered_lines", false}});
}

json canonical(json doc) {
    drop_nulls(doc);
    doc.erase("description");  // for people; the loader does not keep it
    const currency cur = *currency::from_code(doc["currency"].get<std::string>());
    defaults(doc, {{"name", ""}, {"pending_days", 0}, {"backdated_events", "refuse"},
                   {"reversal", {{"when_spent", "claw_back"}}}, {"multipliers", json::array()},
                   {"benefit_stacking", "in_order"}, {"benefits", json::array()},
                   {"line_categories", json::array()}, {"forbidden_flags", json::array()},
                   {"rewards", json::array()}, {"redemption", {{"when_lot_expired", "expire_at_once"}}},
                   {"odometer", {{"backwards", "refuse"}}}});
    // The member value section has its own loader, writer and tests (test_member_value_json.cpp):
    // here its canonical form is its writer's, from the defaults when the document has none.
    doc["member_value"] = io::member_value_rules_to_json(
        doc.contains("member_value") ? io::member_value_rules_from_json(doc["member_value"], "/member_value", cur)
                                     : member_value_rules{},
        cur);
    instant_key(doc, "effective_from");
    amount(doc, "point_value", cur);
    if (doc["expiry"]["policy"] == "months_after_earning") defaults(doc["expiry"], {{"to_end_of_month", false}});
    for (json& r : doc["earning_rules"]) {
        defaults(r, {{"description", ""}, {"once_per_repair_order", false}, {"tiers", json::array()}});
        instant_key(r, "effective_from");
        instant_key(r, "effective_to");
        if (r["type"] == "per_amount") {
            rate(r, "points_per_unit");
            defaults(r, {{"lines", json::object()}});
            lines(r["lines"], true);
        }
    }
    for (json& m : doc["multipliers"]) {
        defaults(m, {{"description", ""}, {"rules", json::array()}, {"tiers", json::array()}});
        rate(m, "factor");
        instant_key(m, "from");
        instant_key(m, "to");
    }
    for (json& b : doc["benefits"]) {
        defaults(b, {{"description", ""}, {"tiers", json::array()}, {"scope", "member"}});
        instant_key(b, "effective_from");
        instant_key(b, "effective_to");
        if (b.contains("quota")) defaults(b["quota"], {{"carry_over", false}});
        if (b["type"] == "service_item") {
            defaults(b, {{"refuse_flags", json::array()}});
            continue;
        }
        defaults(b, {{"stacks", false}});
        lines(b["lines"], false);
        amount(b, "max_per_order", cur);
        if (b.contains("max_per_period")) amount(b["max_per_period"], "amount", cur);
        rate(b, "pay");
    }
    for (json& rw : doc["rewards"]) {
        defaults(rw, {{"name", ""}, {"tiers", json::array()}, {"min_balance", 0}, {"min_tenure_days", 0}});
        instant_key(rw, "available_from");
        instant_key(rw, "available_to");
        for (json& price : rw["prices"]) {
            price.erase("currency");  // only checked against the programme's
            amount(price, "money", cur);
        }
        if (!rw.contains("voucher")) continue;
        json& v = rw["voucher"];
        defaults(v, {{"remainder", "keep"}, {"lines", json::object()}});
        amount(v, "value", cur);
        lines(v["lines"], false);
        if (v["lines"]["kinds"].empty()) v["lines"]["kinds"] = {"labour"};  // a labour-fee voucher pays labour
    }
    if (doc.contains("fleet_policies")) {
        for (json& f : doc["fleet_policies"]) {
            defaults(f, {{"name", ""}});
            if (f.contains("discount")) {
                lines(f["discount"]["lines"], false);
                rate(f["discount"], "pays");
            }
            if (!f.contains("volume_rebate")) continue;
            json& v = f["volume_rebate"];
            defaults(v, {{"pay_as", "money"}, {"rounding", "down"}});
            if (v["pay_as"] == "points") defaults(v, {{"points_per_unit", "1"}});
            rate(v, "points_per_unit");
            for (json& b : v["bands"]) {
                amount(b, "from", cur);
                rate(b, "rate");
            }
        }
    }
    if (doc.contains("transfers")) defaults(doc["transfers"], {{"min_points", 1}});
    if (doc.contains("tiers")) {
        json& t = doc["tiers"];
        defaults(t, {{"grace_days", 0}});
        for (json& level : t["levels"]) {
            defaults(level, {{"name", ""}});
            if (!level.contains("retain")) level["retain"] = level["qualify"];
            for (const char* which : {"qualify", "retain"}) amount(level[which], "spend", cur);
            rate(level, "multiplier");
        }
    }
    return doc;
}

// Compares the writer's output with the canonical source; on a difference prints the JSON
// patch that turns one into the other (each operation names the field).
void expect_written_as_source(const std::string& source_text) {
    const json source = io::parse_exact(source_text);
    const program p = io::program_from_json(source);
    const json written = io::program_to_json(p);
    const json expected = canonical(source);
    EXPECT_EQ(written, expected) << "patch from written to expected: " << json::diff(written, expected).dump(1);
    // Writing what was read back gives the same JSON again (a fixed point), through text.
    EXPECT_EQ(io::program_to_json(io::load_program(written.dump())), written);
}

// --- programmes that between them set every option away from its default ---------------------

// Rates and money as JSON numbers with fractions and exponents, instants in +08:00 and Z, nulls.
const char* const every_option_a = R"({
  "id": "every-option-a", "version": 3, "name": "Every option, A", "description": "not kept",
  "effective_from": "2025-06-01T00:00:00+08:00", "currency": "CNY", "time_zone": "Asia/Shanghai",
  "rounding": "half_even", "point_value": 0.1, "pending_days": 7, "backdated_events": "accept",
  "reversal": { "when_spent": "negative_balance" },
  "expiry": { "policy": "inactivity", "months": 18 },
  "earning_rules": [
    { "id": "spend", "description": "every per_amount field", "type": "per_amount",
      "on": ["repair_order", "vehicle_purchase"], "points_per_unit": 0.250, "rounding": "half_up",
      "lines": { "kinds": ["labour", "part"], "categories": ["maintenance", "repair"],
                 "exclude_categories": ["accessory"], "operations": ["OIL-CHANGE", "BRAKE-PADS"],
                 "exclude_flags": ["accident", "third_party"], "earn_on_covered_lines": true },
      "effective_from": "2025-06-01T00:00:00Z", "effective_to": "2026-06-01T00:00:00+08:00",
      "max_per_event": 3000, "max_per_period": { "period": "rolling_days", "days": 90, "points": 9000 },
      "on_days": { "days_of_month": [18, 28], "weekdays": ["wednesday", "saturday"] } },
    { "id": "bonus", "type": "fixed_bonus", "on": ["survey", "birthday", "referral", "enrol", "benefit_use"],
      "points": 25, "rounding": "toward_zero", "max_per_period": { "period": "anniversary_year", "points": 100 },
      "max_per_event": null, "birthday_window": { "within": "month" }, "once_per_repair_order": false },
    { "id": "birthday-week", "type": "fixed_bonus", "on": ["birthday"], "points": 200,
      "birthday_window": { "within": "days", "days": 7 }, "on_days": { "weekdays": ["sunday"] } },
    { "id": "survey-per-ro", "type": "fixed_bonus", "on": ["survey"], "points": 50, "once_per_repair_order": true }
  ],
  "multipliers": [
    { "id": "one-and-a-half", "description": "x1.5 on spend", "factor": 15e-1, "rules": ["spend"],
      "on_days": { "days_of_month": [18] },
      "from": "2025-07-01T00:00:00+08:00", "to": "2025-08-01T00:00:00+08:00" },
    { "id": "everything", "factor": "1.2500", "from": "2025-09-01T00:00:00Z", "to": "2025-09-02T00:00:00Z" }
  ],
  "benefit_stacking": "best_for_member",
  "benefits": [
    { "id": "free-wash", "description": "every free_line field", "type": "free_line",
      "lines": { "kinds": ["labour"], "categories": ["care"], "exclude_categories": ["body"],
                 "operations": ["WASH-EXT"], "exclude_flags": ["warranty"] },
      "rounding": "up", "quota": { "uses": 3, "period": "rolling_days", "days": 30, "carry_over": true },
      "stacks": true, "max_per_order": "50", "max_per_period": { "period": "calendar_month", "amount": 200.5 },
      "tiers": ["gold"], "effective_from": "2025-06-01T00:00:00+08:00", "effective_to": "2027-01-01T00:00:00Z" },
    { "id": "labour-15-off", "type": "discount", "lines": { "kinds": ["labour"] }, "pay": 0.85,
      "quota": { "uses": 2, "period": "calendar_year" } },
    { "id": "claims", "type": "service_item", "refuse_flags": ["third_party", "accident"],
      "quota": { "uses": 1, "period": "calendar_month" }, "tiers": ["gold", "platinum"],
      "effective_to": "2030-01-01T00:00:00+08:00" },
    { "id": "first-service", "type": "free_line", "lines": { "operations": ["FIRST-SERVICE"] }, "scope": "vehicle",
      "on_transfer": "follow", "since_purchase": { "months": 6, "km": 7500, "uses": 1 } },
    { "id": "inspection", "type": "discount", "pay": 0.5, "lines": { "operations": ["INSPECT-36"] },
      "scope": "vehicle", "on_transfer": "end", "every_km": 15000, "quota": { "uses": 4, "period": "calendar_year" } }
  ],
  "line_categories": ["maintenance", "repair", "care", "*"],
  "forbidden_flags": [["warranty", "accident"], ["insurance_paid", "third_party", "accident"]],
  "odometer": { "backwards": "flag" },
  "rewards": [
    { "id": "labour-200", "name": "Labour voucher 200.00", "kind": "labour_voucher",
      "prices": [ { "points": 2000 }, { "points": 800, "money": 60, "currency": "CNY" } ],
      "tiers": ["gold"], "limit": { "count": 2, "period": "rolling_days", "days": 365 }, "stock": 50,
      "available_from": "2025-06-01T00:00:00+08:00", "available_to": "2026-01-01T00:00:00Z", "months": [6, 12],
      "min_balance": 2500, "min_tenure_days": 30,
      "voucher": { "value": "200", "valid_days": 180, "remainder": "forfeit",
                   "lines": { "kinds": ["labour", "part"], "categories": ["maintenance"], "exclude_flags": ["accident"] } } },
    { "id": "kettle", "kind": "goods", "prices": [ { "points": 1500 } ], "stock": 0 },
    { "id": "plain-voucher", "kind": "labour_voucher", "prices": [ { "points": 1000 } ],
      "voucher": { "value": 100.5, "valid_days": 30 } }
  ],
  "tiers": { "window": { "period": "rolling_days", "days": 365 }, "grace_days": 14, "max_steps": 2,
             "levels": [ { "id": "silver", "qualify": { "points": 0 } },
                         { "id": "gold", "name": "Gold", "qualify": { "points": 3000, "spend": "5000", "visits": 4 },
                           "retain": { "points": 2000, "visits": 2 }, "multiplier": 1.5 },
                         { "id": "platinum", "qualify": { "points": 8000, "spend": 20000.5 }, "multiplier": "2" } ] },
  "redemption": { "when_lot_expired": "grace_days", "grace_days": 30 },
  "transfers": { "within": "household", "min_points": 100, "max_points": 5000,
                 "max_per_period": { "period": "calendar_year", "points": 20000 } }
})";

// Only the required fields (and nulls for optional ones): every default is filled in by the writer.
const char* const minimal_b = R"({
  "id": "minimal-b", "version": 1, "name": null, "effective_from": "2026-01-01T00:00:00+09:00",
  "currency": "JPY", "time_zone": "Asia/Tokyo", "rounding": "up",
  "expiry": { "policy": "never" }, "earning_rules": [], "multipliers": null
})";

// A currency with three decimals, calendar-year expiry, months_after_earning elsewhere below.
const char* const three_decimals_c = R"({
  "id": "three-decimals-c", "version": 12, "effective_from": "2025-01-01T00:00:00+03:00",
  "currency": "KWD", "time_zone": "Asia/Kuwait", "rounding": "down", "point_value": "0.125",
  "expiry": { "policy": "end_of_calendar_year", "years": 2 },
  "earning_rules": [ { "id": "ro", "type": "per_amount", "on": ["repair_order"], "points_per_unit": "1000" },
                     { "id": "car", "type": "per_amount", "on": ["vehicle_purchase"], "points_per_unit": "1e-3",
                       "lines": {} } ],
  "benefits": [ { "id": "parts", "type": "discount", "lines": { "kinds": ["part"] }, "pay": "0.995",
                  "max_per_order": "1.5", "max_per_period": { "period": "anniversary_year", "amount": "20" } } ],
  "rewards": [ { "id": "fuel-card", "kind": "service", "prices": [ { "points": 10, "money": "0.125" } ],
                 "limit": { "count": 1, "period": "calendar_month" } } ],
  "transfers": { "within": "household" }
})";

const char* const months_after_earning_d = R"({
  "id": "months-d", "version": 1, "effective_from": "2025-01-01T00:00:00Z",
  "currency": "USD", "time_zone": "America/New_York", "rounding": "half_up",
  "expiry": { "policy": "months_after_earning", "months": 1200 },
  "earning_rules": [ { "id": "welcome", "type": "fixed_bonus", "on": ["enrol"], "points": 1000000000 } ]
})";

// A programme of one welcome bonus in Shanghai, with the given expiry object.
std::string with_expiry(const std::string& expiry) {
    return R"({
  "id": "expiry-e", "version": 1, "effective_from": "2025-01-01T00:00:00+08:00",
  "currency": "CNY", "time_zone": "Asia/Shanghai", "rounding": "down", "expiry": )" +
           expiry + R"(,
  "earning_rules": [ { "id": "welcome", "type": "fixed_bonus", "on": ["enrol"], "points": 500 } ]
})";
}
const std::string days_after_earning_e = with_expiry(R"({ "policy": "days_after_earning", "days": 90 })");
const std::string weeks_after_earning_f = with_expiry(R"({ "policy": "weeks_after_earning", "weeks": 5200 })");

TEST(ProgramToJson, TheReferenceProgrammeIsWrittenAsItsSource) {
    expect_written_as_source(std::string(io::reference_program_json()));
}

TEST(ProgramToJson, EveryOptionIsWrittenAsItsSource) {
    expect_written_as_source(every_option_a);
    expect_written_as_source(minimal_b);
    expect_written_as_source(three_decimals_c);
    expect_written_as_source(months_after_earning_d);
    expect_written_as_source(days_after_earning_e);
    expect_written_as_source(weeks_after_earning_f);
}

// Weeks are written as weeks (not as 7N days), and the unit of one policy is never written
// under another, so the written programme loads back to the same policy.
TEST(ProgramToJson, DaysAndWeeksExpiryAreWrittenInTheirOwnUnit) {
    const program days = io::load_program(days_after_earning_e);
    EXPECT_EQ(io::program_to_json(days)["expiry"], json({{"policy", "days_after_earning"}, {"days", 90}}));
    const program weeks = io::load_program(weeks_after_earning_f);
    EXPECT_EQ(io::program_to_json(weeks)["expiry"], json({{"policy", "weeks_after_earning"}, {"weeks", 5200}}));
    for (const program* p : {&days, &weeks}) {
        const program back = io::load_program(io::program_to_json(*p).dump());
        EXPECT_EQ(back.expiry.kind, p->expiry.kind);
        EXPECT_EQ(back.expiry.days, p->expiry.days);
        EXPECT_EQ(back.expiry.weeks, p->expiry.weeks);
    }
}

// The canonical form is not the identity: the test above would pass vacuously if it were.
TEST(ProgramToJson, CanonicalFormFillsDefaultsAndSpellsValuesOneWay) {
    const json c = canonical(io::parse_exact(every_option_a));
    EXPECT_FALSE(c.contains("description"));
    EXPECT_EQ(c["point_value"], "0.10");                                    // 0.1 CNY
    EXPECT_EQ(c["effective_from"], "2025-05-31T16:00:00Z");                 // 00:00 +08:00
    EXPECT_EQ(c["earning_rules"][0]["points_per_unit"], "0.25");            // 0.250
    EXPECT_EQ(c["earning_rules"][1]["description"], "");
    EXPECT_FALSE(c["earning_rules"][1].contains("max_per_event"));          // null: absent
    EXPECT_EQ(c["multipliers"][0]["factor"], "1.5");                        // 15e-1
    EXPECT_EQ(c["multipliers"][1]["rules"], json::array());
    EXPECT_EQ(c["benefits"][0]["max_per_order"], "50.00");
    EXPECT_EQ(c["benefits"][0]["max_per_period"]["amount"], "200.50");
    EXPECT_EQ(c["benefits"][1]["stacks"], false);
    EXPECT_EQ(c["benefits"][1]["quota"]["carry_over"], false);
    EXPECT_EQ(c["benefits"][1]["pay"], "0.85");
    EXPECT_EQ(c["rewards"][0]["prices"][1], json({{"points", 800}, {"money", "60.00"}}));
    EXPECT_EQ(c["rewards"][1]["min_balance"], 0);
    EXPECT_EQ(c["rewards"][2]["voucher"]["remainder"], "keep");
    EXPECT_EQ(c["rewards"][2]["voucher"]["value"], "100.50");
    EXPECT_EQ(c["rewards"][2]["voucher"]["lines"]["kinds"], json({"labour"}));
    const json b = canonical(io::parse_exact(minimal_b));
    EXPECT_EQ(b["reversal"], json({{"when_spent", "claw_back"}}));
    EXPECT_EQ(b["backdated_events"], "refuse");
    EXPECT_EQ(b["name"], "");
    EXPECT_EQ(b["redemption"], json({{"when_lot_expired", "expire_at_once"}}));
    EXPECT_FALSE(b.contains("transfers"));
    EXPECT_EQ(canonical(io::parse_exact(three_decimals_c))["transfers"], json({{"within", "household"}, {"min_points", 1}}));
}

// Exact numbers: rates are decimal text, money has the currency's decimals, counts are integers,
// and no JSON number with a fraction (a double) appears anywhere.
TEST(ProgramToJson, NumbersAreExactText) {
    const json a = io::program_to_json(io::load_program(every_option_a));
    EXPECT_EQ(a["earning_rules"][0]["points_per_unit"], "0.25");
    EXPECT_EQ(a["multipliers"][0]["factor"], "1.5");
    EXPECT_EQ(a["benefits"][1]["pay"], "0.85");
    EXPECT_EQ(a["point_value"], "0.10");
    EXPECT_EQ(a["earning_rules"][0]["max_per_event"], 3000);
    const json c = io::program_to_json(io::load_program(three_decimals_c));
    EXPECT_EQ(c["earning_rules"][1]["points_per_unit"], "0.001");  // 1e-3
    EXPECT_EQ(c["benefits"][0]["pay"], "0.995");
    EXPECT_EQ(c["benefits"][0]["max_per_order"], "1.500");          // KWD: 3 decimals
    EXPECT_EQ(c["point_value"], "0.125");
    const json d = io::program_to_json(io::load_program(months_after_earning_d));
    EXPECT_EQ(d["earning_rules"][0]["points"], 1000000000);
    for (const json* doc : {&a, &c, &d}) {
        std::function<void(const json&)> walk = [&](const json& j) {
            EXPECT_FALSE(j.is_number_float()) << j.dump();
            EXPECT_FALSE(j.is_binary());
            if (j.is_structured())
                for (const json& x : j) walk(x);
        };
        walk(*doc);
    }
}

// A programme built in code (not from JSON) survives write + load: the values of the fields,
// not only their presence, come back.
TEST(ProgramToJson, AProgrammeBuiltInCodeComesBack) {
    program p = test::reference_program();
    p.version = 9;
    p.name = "edited";
    p.pending_days = 2;
    p.default_rounding = rounding::half_even;
    p.earning_rules[0].points_per_unit = decimal(125, 2);  // 1.25
    p.earning_rules[0].max_per_event = points(777);
    p.multipliers[0].factor = decimal(3, 0);
    p.benefits[5].pay = decimal(65, 2);                     // 0.65
    p.benefits[3].limit->carry_over = true;
    p.orders.forbidden_flags = {{line_flag::warranty, line_flag::third_party}};
    const program q = io::load_program(io::program_to_json(p).dump());
    EXPECT_EQ(q.version, 9);
    EXPECT_EQ(q.name, "edited");
    EXPECT_EQ(q.pending_days, 2);
    EXPECT_EQ(q.default_rounding, rounding::half_even);
    EXPECT_EQ(q.earning_rules[0].points_per_unit, decimal(125, 2));
    EXPECT_EQ(q.earning_rules[0].max_per_event, points(777));
    EXPECT_EQ(q.multipliers[0].factor, decimal::integer(3));
    EXPECT_EQ(q.benefits[5].pay, decimal(65, 2));
    EXPECT_TRUE(q.benefits[3].limit->carry_over);
    ASSERT_EQ(q.orders.forbidden_flags.size(), 1u);
    EXPECT_EQ(q.orders.forbidden_flags[0], (std::vector<line_flag>{line_flag::warranty, line_flag::third_party}));
    EXPECT_EQ(io::program_to_json(q), io::program_to_json(p));
}

// A tripwire for fields added to the programme's types later: when one of these sizes changes,
// extend program_to_json (and the programmes above), then record the new size here.
// Sizes are those of libstdc++ on x86-64 (Debian 12), the project's one platform.
TEST(ProgramToJson, StructsHaveTheFieldsThisFileWrites) {
#if defined(__GLIBCXX__) && defined(__x86_64__)
    EXPECT_EQ(sizeof(fleet_policy), 320u) << "fleet_policy changed: extend io::program_to_json (fleet_policy_json)";
    EXPECT_EQ(sizeof(fleet_discount), 160u) << "fleet_discount changed: extend io::program_to_json (fleet_policy_json)";
    EXPECT_EQ(sizeof(volume_rebate), 72u) << "volume_rebate changed: extend io::program_to_json (fleet_policy_json)";
    EXPECT_EQ(sizeof(tier_policy), 48u) << "tier_policy changed: extend io::tiers_to_json";
    EXPECT_EQ(sizeof(tier), 232u) << "tier changed: extend io::tiers_to_json";
    EXPECT_EQ(sizeof(tier_threshold), 72u) << "tier_threshold changed: extend io::tiers_to_json";
    EXPECT_EQ(sizeof(program), 816u) << "program changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(earning_rule), 528u) << "earning_rule changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(rule_group), 72u) << "rule_group changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(tier_grace), 8u) << "tier_grace changed: extend io::tiers_to_json";
    EXPECT_EQ(sizeof(multiplier), 192u) << "multiplier changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(benefit), 576u) << "benefit changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(line_filter), 128u) << "line_filter changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(expiry_policy), 24u) << "expiry_policy changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(order_rules), 48u) << "order_rules changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(quota), 40u) << "quota changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(money_cap), 24u) << "money_cap changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(period_cap), 16u) << "period_cap changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(reward), 472u) << "reward changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(reward_price), 24u) << "reward_price changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(voucher_terms), 152u) << "voucher_terms changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(redemption_limit), 16u) << "redemption_limit changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(redemption_policy), 8u) << "redemption_policy changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(transfer_policy), 56u) << "transfer_policy changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(referral_policy), 4u) << "referral_policy changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(vehicle_terms), 72u) << "vehicle_terms changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(purchase_window), 40u) << "purchase_window changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(odometer_policy), 4u) << "odometer_policy changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(day_pattern), 48u) << "day_pattern changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(birthday_window), 8u) << "birthday_window changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(funder), 64u) << "funder changed: extend io::program_to_json";
    EXPECT_EQ(sizeof(funding_terms), 80u) << "funding_terms changed: extend io::program_to_json (put_funding)";
#else
    GTEST_SKIP() << "sizes are recorded for libstdc++ on x86-64 only";
#endif
}

}  // namespace unit_program_to_json
}  // namespace loyalty
