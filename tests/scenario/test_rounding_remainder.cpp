// Rounding remainders carried per member (issue 11), worked by hand: ten repair orders of 99.99
// under "1 point per 10.00, rounded down", without and with carry_remainder.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/audit/rollforward.hpp"
#include "loyalty/audit/statement.hpp"

namespace scenario_rounding_remainder {

using namespace loyalty;
using namespace loyalty::test;

namespace {

program one_per_ten(bool carry) {
    return variant([carry](nlohmann::json& j) {
        j["earning_rules"][0]["points_per_unit"] = "0.1";
        if (carry) j["earning_rules"][0]["carry_remainder"] = true;
    });
}

void ten_orders(member_run& run) {
    run.apply(enrol("e-0", "2025-05-01T02:00:00Z"));  // 500 welcome
    for (int i = 1; i <= 10; ++i) {
        const outcome o = run.apply(simple_ro("ro-" + std::to_string(i), "2025-05-" + std::to_string(10 + i) + "T02:00:00Z",
                                              "99.99"));
        ASSERT_TRUE(o.accepted()) << o.message;
    }
}

decimal carried(const member_state& s) {
    const auto it = s.carries.find("service-spend");
    return it == s.carries.end() ? decimal() : it->second;
}

}  // namespace

TEST(RoundingRemainder, WithoutCarryEachOrderDropsItsFraction) {
    member_run run(one_per_ten(false));
    ten_orders(run);
    // 99.99 x 0.1 = 9.999 -> 9 pt each; 10 x 9 = 90.
    EXPECT_EQ(run.state().balance(), points(500 + 90));
    EXPECT_TRUE(run.state().carries.empty());
    // The roll-forward's leakage: 10 x (9 - 9.999) = -9.99 pt given away.
    const rollforward_report r = rollforward(run.entries(), at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"));
    EXPECT_EQ(to_text(r.total.leakage_by_rule.at("service-spend")), "-9.99");
    EXPECT_EQ(r.total.leakage_by_rule.count("welcome"), 0u);  // 500 exact: nothing leaked
}

TEST(RoundingRemainder, WithCarryTheFractionsAddUp) {
    member_run run(one_per_ten(true));
    ten_orders(run);
    // After k orders the exact total is 9.999k; the member holds floor(9.999k) and carries the
    // rest: 9 (0.999), 19 (0.998), ... 10 x 9.999 = 99.99 -> 99 pt, 0.99 carried.
    EXPECT_EQ(run.state().balance(), points(500 + 99));
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.99"));
    // The first order: 9.999 + 0 = 9.999 -> 9, 0.999 carried; the second: 9.999 + 0.999 = 10.998 -> 10.
    EXPECT_EQ(run.lot_of("ro-1/service-spend").earned, points(9));
    EXPECT_EQ(run.lot_of("ro-2/service-spend").earned, points(10));
    // The carried fraction is on the ledger, in the earn entry's reason and its figures: ro-10's
    // 99.99 x 0.1 + 0.991 carried in = 10.99, rounded down 10 (0.99 carried on).
    const ledger_entry& last = run.entries().back();
    EXPECT_EQ(last.kind, entry_kind::earn);
    EXPECT_NE(last.reason.find("remainder 0.99 pt carried"), std::string::npos) << last.reason;
    EXPECT_EQ(figures_text(last.figures),
              R"({"base":"99.99","carried":"0.991","factors":["0.1"],"rounded":10,"rounding":"down"})");
    EXPECT_EQ(figures_problem(*last.figures, last.amount), "");
    // ... and in the member's statement, exactly.
    const statement st = make_statement(one_per_ten(true), run.state(), run.entries(), at("2025-06-01T00:00:00Z"));
    EXPECT_EQ(st.carries.at("service-spend"), *decimal::parse("0.99"));
    // No leakage: what rounding kept back is carried.
    const rollforward_report r = rollforward(run.entries(), at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"));
    EXPECT_EQ(to_text(r.total.leakage_by_rule.at("service-spend")), "0");
}

TEST(RoundingRemainder, AReversalGivesTheRemainderBackExactly) {
    member_run run(one_per_ten(true));
    ten_orders(run);
    // ro-10: 9.999 + 0.991 carried (after 9 orders: 89.991 -> 89) = 10.99 -> 10 pt, 0.99 carried.
    // Reversing it: 0.99 - 9.999 = -9.009 -> -10 (down): 10 pt back, 0.991 carried again.
    const outcome o = run.apply(reverse_of("rev", "2025-05-25T02:00:00Z", "ro-10"));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().balance(), points(500 + 89));
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.991"));
    // A small order that earns no whole point still moves the remainder, on a 0-point entry:
    // 0.05 x 0.1 = 0.005 + 0.991 = 0.996 -> 0 pt.
    const outcome small = run.apply(simple_ro("tiny", "2025-05-26T02:00:00Z", "0.05"));
    ASSERT_TRUE(small.accepted());
    ASSERT_EQ(entries_of_kind(small, entry_kind::carry).size(), 1u);
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.996"));
    // Reversing it gives the 0.005 back: 0.991, on a 0-point entry again.
    const outcome back = run.apply(reverse_of("rev-tiny", "2025-05-27T02:00:00Z", "tiny"));
    ASSERT_TRUE(back.accepted());
    EXPECT_EQ(entries_of_kind(back, entry_kind::carry).size(), 1u);
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.991"));
}

TEST(RoundingRemainder, APartialReversalRemovesTheLinesExactPoints) {
    member_run run(one_per_ten(true));
    run.apply(enrol("e-0", "2025-05-01T02:00:00Z"));
    // 25.55 + 14.44 = 39.99 x 0.1 = 3.999 -> 3 pt, 0.999 carried.
    run.apply(R"({"id":"r1","member":"M1","at":"2025-05-02T02:00:00Z","type":"repair_order","lines":[)"
              R"({"kind":"part","category":"repair","unit_price":"25.55"},)"
              R"({"kind":"part","category":"repair","unit_price":"14.44"}]})");
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.999"));
    // Line 1 (14.44 -> 1.444 exact pt) returned: 0.999 - 1.444 = -0.445 -> -1 (down): 1 pt back,
    // 0.555 carried. Posted 2 + carried 0.555 = 2.555 = 25.55 x 0.1, exactly.
    const outcome o = run.apply(
        R"({"id":"p1","member":"M1","at":"2025-05-03T02:00:00Z","type":"reverse","event":"r1","lines":[1]})");
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().balance(), points(502));
    EXPECT_EQ(carried(run.state()), *decimal::parse("0.555"));
}

}  // namespace scenario_rounding_remainder
