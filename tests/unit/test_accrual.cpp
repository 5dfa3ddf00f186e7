// Earning rules: per-amount, bonuses, filters, covered lines, multipliers, caps, windows, rounding.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/audit/rollforward.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "program_edit.hpp"

namespace unit_accrual {

using namespace loyalty;
using namespace loyalty::test;
using nlohmann::json;

namespace {

const char* t0 = "2025-02-01T10:00:00+08:00";

points earned_by(const outcome& o, const std::string& rule) {
    points sum;
    for (const ledger_entry& e : o.entries)
        if (e.kind == entry_kind::earn && e.rule == rule) sum += e.amount;
    return sum;
}

}  // namespace

TEST(Accrual, PerAmountCountsOnlyMatchingLinesAndRoundsDown) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    // service-spend: maintenance 123.45 + repair 2 x 10.10 = 143.65 -> 143 (down);
    // accessory-spend: 99.99 x 0.5 = 49.995 -> 49 (down); tyres category earns nothing.
    const outcome o = run.apply(R"({"id":"e2","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
      "lines":[{"kind":"labour","category":"maintenance","unit_price":"123.45"},
               {"kind":"part","category":"repair","quantity":2,"unit_price":"10.10"},
               {"kind":"part","category":"accessory","unit_price":"99.99"},
               {"kind":"part","category":"tyres","unit_price":"800.00"}]})");
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(earned_by(o, "service-spend"), points(143));
    EXPECT_EQ(earned_by(o, "accessory-spend"), points(49));
    EXPECT_EQ(o.entries.size(), 2u);
    EXPECT_EQ(run.state().balance(), points(500 + 143 + 49));
}

TEST(Accrual, AccidentLinesAreExcludedAndCoveredLinesEarnNothing) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    // accident (excluded by flag), warranty (member pays 0), insurance_paid (member pays 0):
    // only the plain 200.00 maintenance line earns: 200 pt.
    const outcome o = run.apply(R"({"id":"e2","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
      "lines":[{"kind":"labour","category":"repair","unit_price":"1000.00","flags":["accident"]},
               {"kind":"part","category":"repair","unit_price":"500.00","flags":["warranty"]},
               {"kind":"part","category":"maintenance","unit_price":"300.00","flags":["insurance_paid"]},
               {"kind":"labour","category":"maintenance","unit_price":"200.00"}]})");
    ASSERT_TRUE(o.accepted());
    EXPECT_EQ(earned_by(o, "service-spend"), points(200));
}

TEST(Accrual, ARuleCanEarnOnCoveredLinesAtListAmount) {
    const program p = variant([](json& j) { j["earning_rules"][0]["lines"]["earn_on_covered_lines"] = true; });
    member_run run(p);
    run.apply(enrol("e1", t0));
    // warranty line 500.00 now counts at list price: 500 + 200 = 700 pt.
    const outcome o = run.apply(R"({"id":"e2","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
      "lines":[{"kind":"part","category":"repair","unit_price":"500.00","flags":["warranty"]},
               {"kind":"labour","category":"maintenance","unit_price":"200.00"}]})");
    EXPECT_EQ(earned_by(o, "service-spend"), points(700));
    // The entry says what the base was: the member paid 200.00, the warranty line counts at its price.
    for (const ledger_entry& e : o.entries)
        if (e.rule == "service-spend" && e.kind == entry_kind::earn) {
            EXPECT_EQ(e.reason.rfind("service-spend: 700.00 CNY counted on 2 matching line(s): 200.00 CNY paid by the member, "
                                     "500.00 CNY of covered lines at their price (earn_on_covered_lines) x 1 pt per 1.00",
                                     0),
                      0u)
                << e.reason;
        }
}

TEST(Accrual, EstimatesEarnNothing) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    const outcome o = run.apply(R"({"id":"e2","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
      "status":"estimate","lines":[{"kind":"labour","category":"maintenance","unit_price":"200.00"}]})");
    ASSERT_TRUE(o.accepted());
    EXPECT_TRUE(o.entries.empty());
    EXPECT_EQ(run.state().balance(), points(500));
}

TEST(Accrual, MultiplierWindowIsFromInclusiveToExclusive) {
    // maintenance-month: x2 from 2025-03-01T00:00+08:00 (inclusive) to 2025-04-01T00:00+08:00 (exclusive).
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    const outcome before = run.apply(simple_ro("e2", "2025-02-28T23:59:59+08:00", "100.00"));
    const outcome first = run.apply(simple_ro("e3", "2025-03-01T00:00:00+08:00", "100.00"));
    const outcome last = run.apply(simple_ro("e4", "2025-03-31T23:59:59+08:00", "100.00"));
    const outcome after = run.apply(simple_ro("e5", "2025-04-01T00:00:00+08:00", "100.00"));
    EXPECT_EQ(earned_by(before, "service-spend"), points(100));
    EXPECT_EQ(earned_by(first, "service-spend"), points(200));
    EXPECT_EQ(earned_by(last, "service-spend"), points(200));
    EXPECT_EQ(earned_by(after, "service-spend"), points(100));
}

TEST(Accrual, StackedMultipliersMultiplyAndRoundOnce) {
    const program p = variant([](json& j) {
        j["multipliers"].push_back({{"id", "gold-week"}, {"factor", "1.5"}, {"rules", json::array({"service-spend"})},
                                    {"from", "2025-03-10T00:00:00+08:00"}, {"to", "2025-03-17T00:00:00+08:00"}});
    });
    member_run run(p);
    run.apply(enrol("e1", t0));
    // 33.33 x 1 x 2 x 1.5 = 99.99 -> 99; rounding each step would give 33 x 2 = 66 x 1.5 = 99 too,
    // so use 33.37: exact 100.11 -> 100, while stepwise 33 -> 66 -> 99.
    const outcome o = run.apply(simple_ro("e2", "2025-03-12T10:00:00+08:00", "33.37"));
    EXPECT_EQ(earned_by(o, "service-spend"), points(100));
}

TEST(Accrual, RoundingModeComesFromTheRule) {
    const program up = variant([](json& j) { j["earning_rules"][0]["rounding"] = "up"; });
    const program half_even = variant([](json& j) { j["earning_rules"][0]["rounding"] = "half_even"; });
    const program prog_default = variant([](json& j) {
        j["earning_rules"][0].erase("rounding");
        j["rounding"] = "half_up";
    });
    auto earn = [](const program& p, const std::string& price) {
        member_run run(p);
        run.apply(enrol("e1", t0));
        return earned_by(run.apply(simple_ro("e2", "2025-02-02T10:00:00+08:00", price)), "service-spend");
    };
    EXPECT_EQ(earn(up, "10.01"), points(11));         // 10.01 -> up 11
    EXPECT_EQ(earn(half_even, "10.50"), points(10));  // tie -> even 10
    EXPECT_EQ(earn(half_even, "11.50"), points(12));  // tie -> even 12
    EXPECT_EQ(earn(prog_default, "10.50"), points(11));  // programme default half_up
}

TEST(Accrual, VehiclePurchaseIsCappedPerEvent) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    // 620,000.00 x 0.01 = 6200 -> capped at 5000.
    const outcome o = run.apply(simple("e2", "2025-02-02T10:00:00+08:00", "vehicle_purchase",
                                       R"(,"vin":"VIN1","price":"620000.00")"));
    EXPECT_EQ(earned_by(o, "vehicle-purchase"), points(5000));
    EXPECT_NE(o.trace.front().text.find("capped at 5000 per event"), std::string::npos);
    EXPECT_EQ(run.state().vehicles, std::vector<std::string>{"VIN1"});
    // The earn entry's figures: 620000.00 x 0.01 rounded down is 6200, and the cap left 5000.
    const ledger_entry& earn = o.entries.back();
    ASSERT_EQ(earn.kind, entry_kind::earn);
    ASSERT_TRUE(earn.figures);
    EXPECT_EQ(earn.figures->base_text(), "620000.00");
    ASSERT_EQ(earn.figures->factors, 1u);
    EXPECT_EQ(earn.figures->factor[0], *decimal::parse("0.01"));
    EXPECT_EQ(earn.figures->mode, rounding::down);
    EXPECT_EQ(earn.figures->rounded, 6200);
    EXPECT_EQ(earn.figures->cap, points(5000));
    EXPECT_FALSE(earn.figures->carried);
    EXPECT_EQ(earn.figures->amount(), points(5000));
    EXPECT_EQ(figures_problem(*earn.figures, earn.amount), "");
    EXPECT_EQ(figures_text(earn.figures),
              R"({"base":"620000.00","cap":5000,"factors":["0.01"],"rounded":6200,"rounding":"down"})");
    // A cap that did not cut, or an amount past it, is not what the figures give.
    earn_figures wrong = *earn.figures;
    wrong.cap = points(7000);
    EXPECT_EQ(figures_problem(wrong, points(6200)), "figures: a cap of 7000 does not cut 6200");
    EXPECT_EQ(figures_problem(*earn.figures, points(6200)), "amount 6200 is not the 5000 its figures give");
}

TEST(Accrual, PeriodCapsCountPerCalendarMonthInTheProgrammeZone) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    // survey: 50 pt, at most 50 per calendar month (Asia/Shanghai).
    EXPECT_EQ(earned_by(run.apply(simple("s1", "2025-03-31T20:00:00+08:00", "survey", R"(,"survey":"a")")), "survey"),
              points(50));
    // 2025-03-31T16:30:00Z is 2025-04-01 00:30 in Shanghai: a new month, earns again.
    EXPECT_EQ(earned_by(run.apply(simple("s2", "2025-03-31T16:30:00Z", "survey", R"(,"survey":"b")")), "survey"),
              points(50));
    // Same April: capped to 0, and the trace says so.
    const outcome third = run.apply(simple("s3", "2025-04-20T10:00:00+08:00", "survey", R"(,"survey":"c")"));
    ASSERT_TRUE(third.accepted());
    EXPECT_TRUE(third.entries.empty());
    EXPECT_NE(third.trace.at(0).text.find("50 of 50 used this calendar_month"), std::string::npos);
}

TEST(Accrual, RollingDayCapsSlide) {
    const program p = variant([](json& j) {
        j["earning_rules"][0]["max_per_period"] = {{"period", "rolling_days"}, {"days", 30}, {"points", 300}};
    });
    member_run run(p);
    run.apply(enrol("e1", t0));
    // Day 1: 200 of 300. Day 20: 200 more would exceed -> 100. Day 31 (30 days after day 1):
    // day 1 has left the window [day 2 .. day 31], so 300 - 100 = 200 left.
    EXPECT_EQ(earned_by(run.apply(simple_ro("r1", "2025-05-01T10:00:00+08:00", "200.00")), "service-spend"), points(200));
    EXPECT_EQ(earned_by(run.apply(simple_ro("r2", "2025-05-20T10:00:00+08:00", "200.00")), "service-spend"), points(100));
    EXPECT_EQ(earned_by(run.apply(simple_ro("r3", "2025-05-31T10:00:00+08:00", "250.00")), "service-spend"), points(200));
}

TEST(Accrual, RulesOutsideTheirEffectiveWindowDoNotEarn) {
    const program p = variant([](json& j) {
        j["earning_rules"][5]["effective_from"] = "2025-06-01T00:00:00+08:00";  // survey
        j["earning_rules"][5]["effective_to"] = "2025-07-01T00:00:00+08:00";
    });
    member_run run(p);
    run.apply(enrol("e1", t0));
    EXPECT_TRUE(run.apply(simple("s1", "2025-05-31T10:00:00+08:00", "survey", R"(,"survey":"a")")).entries.empty());
    EXPECT_EQ(earned_by(run.apply(simple("s2", "2025-06-15T10:00:00+08:00", "survey", R"(,"survey":"b")")), "survey"),
              points(50));
    EXPECT_TRUE(run.apply(simple("s3", "2025-07-01T00:00:00+08:00", "survey", R"(,"survey":"c")")).entries.empty());
}

TEST(Accrual, EveryEarningEntryExplainsItsFigures) {
    member_run run(points_only());
    run.apply(enrol("e1", t0));
    const outcome o = run.apply(simple_ro("e2", "2025-03-05T10:00:00+08:00", "99.99"));
    ASSERT_EQ(o.entries.size(), 1u);
    // 99.99 x 1 x 2 = 199.98 exact -> 199 rounded down.
    EXPECT_EQ(o.entries[0].reason,
              "service-spend: 99.99 CNY paid on 1 matching line(s) x 1 pt per 1.00 x 2 (maintenance-month) = 199.98 -> 199 pt "
              "(rounded down)");
    EXPECT_EQ(o.entries[0].rule, "service-spend");
    EXPECT_EQ(o.entries[0].program, "4s-club");
    EXPECT_EQ(o.entries[0].version, 1);
}

TEST(Accrual, PendingPointsBecomeAvailableAfterTheStatedDays) {
    const program p = variant([](json& j) { j["pending_days"] = 7; });
    member_run run(p);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    // Earned 2025-02-01 (local); available from 00:00 local on 2025-02-08.
    EXPECT_EQ(run.state().pending(at("2025-02-07T23:59:59+08:00")), points(500));
    EXPECT_EQ(run.state().available(at("2025-02-07T23:59:59+08:00")), points(0));
    EXPECT_EQ(run.state().available(at("2025-02-08T00:00:00+08:00")), points(500));
    EXPECT_EQ(run.state().balance(), points(500));
}


// How rules combine (docs/program-format.md, "How rules combine"). The points-only club plus two
// repair-order bonuses in the group `visit`: visit-100 (100 pt) and visit-250 (250 pt, at most
// 250 a calendar year). service-spend, in no group, adds as always.
namespace combine {

program with_visit_group(const std::string& how, const std::function<void(json&)>& more = {}) {
    return variant([&](json& j) {
        j["rule_groups"] = json::array({{{"id", "visit"}, {"combine", how}}});
        j["earning_rules"].push_back(
            {{"id", "visit-100"}, {"type", "fixed_bonus"}, {"on", {"repair_order"}}, {"points", 100}, {"group", "visit"}});
        j["earning_rules"].push_back({{"id", "visit-250"},
                                      {"type", "fixed_bonus"},
                                      {"on", {"repair_order"}},
                                      {"points", 250},
                                      {"group", "visit"},
                                      {"max_per_period", {{"period", "calendar_year"}, {"points", 250}}}});
        if (more) more(j);
    });
}

std::string trace_of(const outcome& o, const std::string& rule) {
    for (const trace_line& t : o.trace)
        if (t.rule == rule) return t.text;
    return "";
}

}  // namespace combine

TEST(RuleCombine, BestForMemberGivesTheLargestAndNamesItToTheOthers) {
    member_run run(combine::with_visit_group("best_for_member"));
    run.apply(enrol("e1", t0));  // welcome 500
    // 1000.00 of maintenance labour: service-spend 1000; visit-250 beats visit-100.
    const outcome o = run.apply(simple_ro("ro1", "2026-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(earned_by(o, "service-spend"), points(1000));
    EXPECT_EQ(earned_by(o, "visit-250"), points(250));
    EXPECT_EQ(earned_by(o, "visit-100"), points(0));
    EXPECT_EQ(entries_of_kind(o, entry_kind::earn).size(), 2u);  // no entry for the rule that lost
    EXPECT_EQ(combine::trace_of(o, "visit-100"), "100 pt bonus for repair_order = 100 -> 100 pt (rounded down); "
                                                 "not given: visit-250 gives 250 pt (best_for_member in group visit)");
    EXPECT_EQ(run.state().balance(), points(1750));
    // The same year: visit-250 has used its 250, so it gives 0 and visit-100 is the best.
    const outcome again = run.apply(simple_ro("ro2", "2026-06-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(earned_by(again, "visit-100"), points(100));
    EXPECT_EQ(earned_by(again, "visit-250"), points(0));
    EXPECT_EQ(run.state().balance(), points(2850));
    // Reversing the first order takes back what it earned: 1000 + 250, nothing of visit-100.
    const outcome back = run.apply(reverse_of("rv1", "2026-06-02T10:00:00+08:00", "ro1"));
    EXPECT_EQ(run.state().balance(), points(1600));
    for (const ledger_entry& e : back.entries) EXPECT_NE(e.rule, "visit-100") << e.reason;
}

TEST(RuleCombine, FirstMatchGivesTheFirstInProgrammeOrder) {
    member_run run(combine::with_visit_group("first_match"));
    run.apply(enrol("e1", t0));
    const outcome o = run.apply(simple_ro("ro1", "2026-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(earned_by(o, "visit-100"), points(100));
    EXPECT_EQ(earned_by(o, "visit-250"), points(0));
    EXPECT_EQ(earned_by(o, "service-spend"), points(1000));
    EXPECT_EQ(combine::trace_of(o, "visit-250"), "250 pt bonus for repair_order = 250 -> 250 pt (rounded down); "
                                                 "not given: visit-100 comes first (first_match in group visit)");
}

TEST(RuleCombine, ATieGoesToTheFirstAndAddIsTodaysBehaviour) {
    // visit-250 made a second 100: a tie, won by visit-100, the first.
    member_run tie(combine::with_visit_group("best_for_member",
                                             [](json& j) { j["earning_rules"].back()["points"] = 100; }));
    tie.apply(enrol("e1", t0));
    const outcome o = tie.apply(simple_ro("ro1", "2026-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(earned_by(o, "visit-100"), points(100));
    EXPECT_EQ(earned_by(o, "visit-250"), points(0));
    // add: both bonuses, as without a group.
    member_run add(combine::with_visit_group("add"));
    add.apply(enrol("e1", t0));
    const outcome both = add.apply(simple_ro("ro1", "2026-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(earned_by(both, "visit-100") + earned_by(both, "visit-250"), points(350));
}

TEST(RuleCombine, TheProgrammesCombineIsThatOfTheRulesInNoGroup) {
    // combine best_for_member for the ungrouped rules: on 1000.00 of maintenance labour and
    // 400.00 of accessory labour, service-spend (1000) beats accessory-spend (400 x 0.5 = 200).
    member_run run(variant([](json& j) { j["combine"] = "best_for_member"; }));
    run.apply(enrol("e1", t0));
    const outcome o = run.apply(R"({"id":"ro1","member":"M1","at":"2026-05-01T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"labour","category":"maintenance","unit_price":"1000.00"},
                 {"kind":"labour","category":"accessory","unit_price":"400.00"}]})");
    EXPECT_EQ(earned_by(o, "service-spend"), points(1000));
    EXPECT_EQ(earned_by(o, "accessory-spend"), points(0));
    EXPECT_EQ(combine::trace_of(o, "accessory-spend"),
              "400.00 CNY paid on 1 matching line(s) x 0.5 pt per 1.00 = 200 -> 200 pt (rounded down); not given: "
              "service-spend gives 1000 pt (best_for_member among the rules in no group)");
}

TEST(RuleCombine, GroupsAreCheckedWithIdAndPointerAndRoundTrip) {
    const auto with = [](const std::function<void(json&)>& edit) {
        return [edit](json& j) {
            j["rule_groups"] = json::array({{{"id", "visit"}, {"combine", "best_for_member"}}});
            edit(j);
        };
    };
    expect_refused(with([](json& j) { j["earning_rules"][0]["group"] = "visits"; }), "loyalty.program.unknown_group",
                   "/earning_rules/0/group");
    expect_refused(with([](json& j) { j["rule_groups"][0]["combine"] = "max"; }), "loyalty.program.invalid_option",
                   "/rule_groups/0/combine");
    expect_refused(with([](json& j) { j["rule_groups"].push_back({{"id", "visit"}, {"combine", "add"}}); }),
                   "loyalty.program.duplicate_id", "/rule_groups/1/id");
    expect_refused(with([](json& j) { j["combine"] = "sum"; }), "loyalty.program.invalid_option", "/combine");
    expect_refused(with([](json& j) {
                       j["earning_rules"][0]["group"] = "visit";
                       j["earning_rules"][0]["carry_remainder"] = true;
                   }),
                   "loyalty.program.invalid_option", "/earning_rules/0/carry_remainder");
    expect_refused(with([](json& j) {
                       j["combine"] = "first_match";
                       j["earning_rules"][0]["carry_remainder"] = true;
                   }),
                   "loyalty.program.invalid_option", "/earning_rules/0/carry_remainder");
    const program p = combine::with_visit_group("first_match", [](json& j) { j["combine"] = "best_for_member"; });
    const json written = io::program_to_json(p);
    EXPECT_EQ(written["combine"], "best_for_member");
    EXPECT_EQ(written["rule_groups"], json::parse(R"([{"id":"visit","description":"","combine":"first_match"}])"));
    EXPECT_EQ(written["earning_rules"].back()["group"], "visit");
    const program back = io::load_program(written.dump());
    EXPECT_EQ(io::program_to_json(back), written);
    EXPECT_EQ(back.earning_rules.back().group, 0);
    EXPECT_FALSE(io::program_to_json(points_only()).contains("combine"));  // add, the default, is not written
}

// Ratio rates held exactly (issue 22): "rate": {"points": P, "per": A} gives P points per A of
// money, computed once as round(paid x P / A) in 128-bit integers, never as a truncated decimal
// rate (1/900 is no finite decimal: points_per_unit "0.0011" would give 900.00 -> 0).
namespace {

program ratio(const std::string& points, const std::string& per, const std::string& rounding = "down") {
    return variant([&](json& j) {
        json& rule = j["earning_rules"][0];  // service-spend
        rule.erase("points_per_unit");
        rule["rate"] = {{"points", points}, {"per", per}};
        rule["rounding"] = rounding;
    });
}

}  // namespace

TEST(RatioRates, OnePointPerNineHundred) {
    const program p = ratio("1", "900.00");
    ASSERT_TRUE(p.earning_rules[0].per);
    EXPECT_EQ(p.earning_rules[0].per->minor_units(), 90000);
    auto earn = [&](const std::string& price) {
        member_run run(p);
        run.apply(enrol("e1", t0));
        return earned_by(run.apply(simple_ro("o1", "2025-02-02T10:00:00+08:00", price)), "service-spend");
    };
    EXPECT_EQ(earn("900.00"), points(1));   // 900.00 x 1 / 900.00 = 1
    EXPECT_EQ(earn("899.99"), points(0));   // 89999/90000 -> 0
    EXPECT_EQ(earn("1799.99"), points(1));  // 1.99998... -> 1
    EXPECT_EQ(earn("1800.00"), points(2));
}

TEST(RatioRates, ThreePointsPerSevenStatesTheRatioAndItsFigures) {
    member_run run(ratio("3", "7.00"));
    run.apply(enrol("e1", t0));
    // 10.00 x 3 / 7.00 = 30/7 = 4.28... -> 4 (down)
    const outcome o = run.apply(simple_ro("o1", "2025-02-02T10:00:00+08:00", "10.00"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const ledger_entry& e = o.entries.back();
    ASSERT_EQ(e.kind, entry_kind::earn);
    EXPECT_EQ(e.amount, points(4));
    EXPECT_EQ(e.reason, "service-spend: 10.00 CNY paid on 1 matching line(s) x 3 pt per 7.00 = 30/7 -> 4 pt (rounded down)");
    EXPECT_EQ(figures_text(e.figures), R"({"base":"10.00","factors":["3"],"per":"7.00","rounded":4,"rounding":"down"})");
    EXPECT_EQ(figures_problem(*e.figures, e.amount), "");
    EXPECT_EQ(to_text(e.figures->total()), "30/7");
    // The figures read back from the ledger's JSON and verify.
    const std::vector<ledger_entry> back = io::load_ledger(io::entry_to_json(e).dump());
    EXPECT_EQ(back.at(0), e);
    // 700.00 x 3 / 7.00 = 300 exactly; a terminating ratio is written as a decimal: 3.50 -> 1.5 -> 1.
    EXPECT_EQ(earned_by(run.apply(simple_ro("o2", "2025-02-03T10:00:00+08:00", "700.00")), "service-spend"), points(300));
    const outcome half = run.apply(simple_ro("o3", "2025-02-04T10:00:00+08:00", "3.50"));
    EXPECT_NE(half.entries.back().reason.find("= 1.5 -> 1 pt"), std::string::npos) << half.entries.back().reason;
    EXPECT_TRUE(!verify_chain(run.entries()));
}

TEST(RatioRates, RoundingModesAndMultipliersApplyOnceToTheExactRatio) {
    // 11.00 x 3 / 7 = 33/7 = 4.71...: half_up 5, down 4, up 5.
    for (const auto& [mode, want] : {std::pair<const char*, int>{"half_up", 5}, {"down", 4}, {"up", 5}}) {
        member_run run(ratio("3", "7.00", mode));
        run.apply(enrol("e1", t0));
        EXPECT_EQ(earned_by(run.apply(simple_ro("o1", "2025-02-02T10:00:00+08:00", "11.00")), "service-spend"), points(want))
            << mode;
    }
    // A x2 multiplier in March: 10.00 x 3 / 7 x 2 = 60/7 = 8.57 -> 8, rounded once (not 4 x 2).
    program p = ratio("3", "7.00");
    member_run run(p);
    run.apply(enrol("e1", t0));
    const outcome o = run.apply(simple_ro("o1", "2025-03-12T10:00:00+08:00", "10.00"));
    ASSERT_EQ(p.multipliers.size(), 1u);
    EXPECT_EQ(earned_by(o, "service-spend"), points(8));
    EXPECT_EQ(figures_text(o.entries.back().figures),
              R"({"base":"10.00","factors":["3","2"],"per":"7.00","rounded":8,"rounding":"down"})");
}

TEST(RatioRates, AReversalRecomputesWhatIsLeftWithTheRatio) {
    member_run run(ratio("3", "7.00"));
    run.apply(enrol("e1", t0));
    // Two lines of 7.00 and 3.00: 10.00 x 3 / 7 = 30/7 -> 4. Refunding the 3.00 line's 3.00
    // leaves 7.00 x 3 / 7 = 3: one point goes back.
    ASSERT_TRUE(run.apply(R"({"id":"o1","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
      "lines":[{"kind":"labour","category":"maintenance","unit_price":"7.00"},
               {"kind":"labour","category":"maintenance","unit_price":"3.00"}]})").accepted());
    EXPECT_EQ(run.state().balance(), points(500 + 4));
    const outcome o = run.apply(R"({"id":"r1","member":"M1","at":"2025-02-03T10:00:00+08:00","type":"reverse",
      "event":"o1","amount":"3.00"})");
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().balance(), points(500 + 3));
    EXPECT_NE(o.entries.back().reason.find("what is left counts 3 -> 3 pt"), std::string::npos) << o.entries.back().reason;
}

TEST(RatioRates, TheRollForwardLeakageOfARatioIsAnExactFraction) {
    member_run run(ratio("3", "7.00"));
    run.apply(enrol("e1", t0));
    run.apply(simple_ro("o1", "2025-02-02T10:00:00+08:00", "10.00"));  // 4 - 30/7 = -2/7
    run.apply(simple_ro("o2", "2025-02-03T10:00:00+08:00", "10.00"));  // -2/7 again
    const rollforward_report r = rollforward(run.entries(), at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"));
    EXPECT_EQ(to_text(r.total.leakage_by_rule.at("service-spend")), "-4/7");
}

TEST(RatioRates, TheRateIsValidatedAndWrittenBack) {
    const auto with_rate = [](json rate) {
        return [rate](json& j) {
            j["earning_rules"][0].erase("points_per_unit");
            j["earning_rules"][0]["rate"] = rate;
        };
    };
    expect_refused([](json& j) { j["earning_rules"][0]["rate"] = {{"points", "1"}, {"per", "900.00"}}; },
                   "loyalty.program.invalid_rate", "/earning_rules/0/rate");  // both given
    expect_refused(with_rate({{"points", "1"}, {"per", "0.00"}}), "loyalty.program.invalid_rate", "/earning_rules/0/rate/per");
    expect_refused(with_rate({{"points", "0"}, {"per", "7.00"}}), "loyalty.program.invalid_rate", "/earning_rules/0/rate/points");
    expect_refused(with_rate({{"points", "1000"}, {"per", "0.50"}}), "loyalty.program.invalid_rate",
                   "/earning_rules/0/rate/points");  // 2000 points per 1.00
    expect_refused(with_rate({{"points", "1"}, {"per", "7.001"}}), "loyalty.program.invalid_amount", "/earning_rules/0/rate/per");
    expect_refused(with_rate({{"points", "1"}}), "loyalty.program.missing_field", "/earning_rules/0/rate/per");
    expect_refused(with_rate({{"points", "1"}, {"per", "7"}, {"pre", "7"}}), "loyalty.program.unknown_key",
                   "/earning_rules/0/rate/pre");
    expect_refused(
        [&](json& j) {
            with_rate({{"points", "3"}, {"per", "7.00"}})(j);
            j["earning_rules"][0]["carry_remainder"] = true;
        },
        "loyalty.program.invalid_option", "/earning_rules/0/carry_remainder");
    // Written back as the ratio it is, and read again to the same programme.
    const program p = ratio("3", "7.00");
    const json written = io::program_to_json(p);
    EXPECT_EQ(written["earning_rules"][0]["rate"], json({{"points", "3"}, {"per", "7.00"}}));
    EXPECT_FALSE(written["earning_rules"][0].contains("points_per_unit"));
    EXPECT_EQ(io::program_to_json(io::load_program(written.dump())), written);
}

}  // namespace unit_accrual
