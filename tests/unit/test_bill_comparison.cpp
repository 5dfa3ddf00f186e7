// compare() of an estimate and the final bill (docs/pricing.md, "Estimate and final bill"):
// a changed unit price, a line flagged differently, and a line whose benefit was used up in
// between are each listed with the documented reason text and, for a quota, its figures.
// (Added, removed and quantity changes are in test_pricing.cpp.)
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_bill_comparison {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The points programme with one benefit: `uses` free full-car waxings per calendar year.
program waxings_a_year(int uses = 1) {
    return variant([uses](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(R"([{"id":"waxing","type":"free_line",
            "lines":{"operations":["WAX-FULL"]},"quota":{"period":"calendar_year"}}])");
        j["benefits"][0]["quota"]["uses"] = uses;
    });
}

repair_order_line line(line_kind k, const std::string& category, const std::string& op, const std::string& price,
                       unsigned flags = 0) {
    repair_order_line l;
    l.kind = k;
    l.category = category;
    l.operation = op;
    l.quantity = *decimal::parse("1");
    l.unit_price = yuan(price);
    l.flags = flags;
    return l;
}

events::repair_order order(std::vector<repair_order_line> lines) {
    events::repair_order ro;
    ro.number = "RO-7";
    ro.lines = std::move(lines);
    return ro;
}

}  // namespace

TEST(BillComparison, KindsHaveTheirDocumentedNames) {
    EXPECT_EQ(to_string(difference_kind::line_added), "line_added");
    EXPECT_EQ(to_string(difference_kind::line_removed), "line_removed");
    EXPECT_EQ(to_string(difference_kind::quantity_changed), "quantity_changed");
    EXPECT_EQ(to_string(difference_kind::price_changed), "price_changed");
    EXPECT_EQ(to_string(difference_kind::benefit_changed), "benefit_changed");
}

TEST(BillComparison, ANewUnitPriceAndANewFlagAreBothPriceChanges) {
    const program p = waxings_a_year();
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const instant t = at("2025-06-01T10:00:00+08:00");
    const unsigned accident = static_cast<unsigned>(line_flag::accident);
    const priced_order estimate = price(p, run.state(),
                                        order({line(line_kind::labour, "maintenance", "SERVICE-B", "300.00"),
                                               line(line_kind::labour, "repair", "BODY-PANEL", "500.00")}),
                                        t);
    // The service went up to 320.00; the panel turned out to be accident damage, same price.
    const priced_order final_bill = price(p, run.state(),
                                          order({line(line_kind::labour, "maintenance", "SERVICE-B", "320.00"),
                                                 line(line_kind::labour, "repair", "BODY-PANEL", "500.00", accident)}),
                                          t);
    const bill_comparison c = compare(estimate, final_bill);
    // No benefit touches these lines: estimate 300.00 + 500.00 = 800.00, final 320.00 + 500.00 = 820.00.
    EXPECT_EQ(c.estimate_total, yuan("800.00"));
    EXPECT_EQ(c.final_total, yuan("820.00"));
    EXPECT_EQ(c.change, yuan("20.00"));
    EXPECT_FALSE(c.same());
    ASSERT_EQ(c.differences.size(), 2u);

    const bill_difference& service = c.differences[0];
    EXPECT_EQ(service.kind, difference_kind::price_changed);
    EXPECT_EQ(service.estimate_line, std::optional<std::size_t>(0));
    EXPECT_EQ(service.final_line, std::optional<std::size_t>(0));
    EXPECT_EQ(service.estimate_net, yuan("300.00"));
    EXPECT_EQ(service.final_net, yuan("320.00"));
    EXPECT_EQ(service.reason, "labour maintenance SERVICE-B: unit price 300.00 -> 320.00, net 300.00 -> 320.00");

    const bill_difference& panel = c.differences[1];
    EXPECT_EQ(panel.kind, difference_kind::price_changed);
    EXPECT_EQ(panel.estimate_line, std::optional<std::size_t>(1));
    EXPECT_EQ(panel.final_line, std::optional<std::size_t>(1));
    EXPECT_EQ(panel.estimate_net, yuan("500.00"));
    EXPECT_EQ(panel.final_net, yuan("500.00"));
    EXPECT_EQ(panel.reason, "labour repair BODY-PANEL: unit price 500.00 -> 500.00 (flags changed), net 500.00 -> 500.00");
}

// Quoted with the year's free waxing still unused; the member used it on another order before
// the bill was made, so the bill charges the waxing and says why.
TEST(BillComparison, AQuotaUsedUpInBetweenIsABenefitChangeWithBothQuotaPositions) {
    const program p = waxings_a_year();
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const auto waxing = [] { return order({line(line_kind::labour, "care", "WAX-FULL", "280.00")}); };
    const priced_order estimate = price(p, run.state(), waxing(), at("2025-06-01T10:00:00+08:00"));
    ASSERT_TRUE(run.apply(R"({"id":"r1","member":"M1","at":"2025-06-02T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})")
                    .accepted());
    const priced_order final_bill = price(p, run.state(), waxing(), at("2025-06-03T10:00:00+08:00"));

    const bill_comparison c = compare(estimate, final_bill);
    // Estimate: 280.00 - 280.00 free = 0.00. Final: 280.00, the one use of 2025 is gone.
    EXPECT_EQ(c.estimate_total, yuan("0.00"));
    EXPECT_EQ(c.final_total, yuan("280.00"));
    EXPECT_EQ(c.change, yuan("280.00"));
    ASSERT_EQ(c.differences.size(), 1u);
    const bill_difference& d = c.differences[0];
    EXPECT_EQ(d.kind, difference_kind::benefit_changed);
    EXPECT_EQ(d.estimate_line, std::optional<std::size_t>(0));
    EXPECT_EQ(d.final_line, std::optional<std::size_t>(0));
    EXPECT_EQ(d.estimate_net, yuan("0.00"));
    EXPECT_EQ(d.final_net, yuan("280.00"));
    // The bill's note "waxing: 1 of 1 used in ...; normal price" is said with both positions instead.
    EXPECT_EQ(d.reason,
              "labour care WAX-FULL: benefits waxing -280.00 -> none, net 0.00 -> 280.00; "
              "waxing: used up since the estimate: 0 of 1 used at the estimate, 1 of 1 at the bill in "
              "calendar_year 2025-01-01..2025-12-31 (1 used in between); 280.00 off -> 0.00");
    // The figures behind the sentence.
    ASSERT_EQ(d.quota_changes.size(), 1u);
    const quota_change& q = d.quota_changes[0];
    EXPECT_EQ(q.benefit, "waxing");
    EXPECT_EQ(q.at_estimate, (quota_seen{0, 1, q.at_final.period, period{period_kind::calendar_year, 0}}));
    EXPECT_EQ(q.at_final.used, 1);
    EXPECT_EQ(q.at_final.allowed, 1);
    EXPECT_EQ(format_day(q.at_final.period.first), "2025-01-01");
    EXPECT_EQ(format_day(q.at_final.period.end), "2026-01-01");
    EXPECT_EQ((std::pair{q.estimate_uses, q.final_uses}), (std::pair<std::int64_t, std::int64_t>{1, 0}));
    EXPECT_EQ(q.estimate_discount, yuan("280.00"));
    EXPECT_EQ(q.final_discount, yuan("0.00"));
    EXPECT_TRUE(q.used_up());
    EXPECT_EQ(q.used_since(), std::optional<std::int64_t>(1));
}

// price() keeps the quota position it priced on: on the adjustment (before the line's own
// uses) and, when the quota is used up, on the line.
TEST(BillComparison, PriceKeepsTheQuotaFiguresOfEachLine) {
    const program p = waxings_a_year(2);
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    // Three one-waxing lines on one order: uses 1 and 2 of 2, then used up.
    const auto wax = [] { return line(line_kind::labour, "care", "WAX-FULL", "280.00"); };
    const priced_order o = price(p, run.state(), order({wax(), wax(), wax()}), at("2025-06-01T10:00:00+08:00"));
    ASSERT_EQ(o.lines.size(), 3u);
    ASSERT_EQ(o.lines[1].adjustments.size(), 1u);
    ASSERT_TRUE(o.lines[1].adjustments[0].quota);
    const quota_seen& second = *o.lines[1].adjustments[0].quota;
    EXPECT_EQ((std::pair{second.used, second.allowed}), (std::pair<std::int64_t, std::int64_t>{1, 2}));
    EXPECT_EQ(describe(second), "calendar_year 2025-01-01..2025-12-31");
    EXPECT_TRUE(o.lines[2].adjustments.empty());
    ASSERT_EQ(o.lines[2].used_up.size(), 1u);
    EXPECT_EQ(o.lines[2].used_up[0].benefit, "waxing");
    EXPECT_EQ((std::pair{o.lines[2].used_up[0].quota.used, o.lines[2].used_up[0].quota.left()}),
              (std::pair<std::int64_t, std::int64_t>{2, 0}));
    EXPECT_EQ(o.lines[2].notes, std::vector<std::string>{"waxing: 2 of 2 used in calendar_year 2025-01-01..2025-12-31; normal price"});
}

// The estimate gives two waxings free (uses 1-2 of 2); one is used in between, so the bill
// gives one (use 2 of 2) and charges the other: fewer uses left, with both positions.
TEST(BillComparison, AQuotaPartlyUsedInBetweenSaysFewerUsesLeft) {
    const program p = waxings_a_year(2);
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    repair_order_line two = line(line_kind::labour, "care", "WAX-FULL", "280.00");
    two.quantity = *decimal::parse("2");
    const priced_order estimate = price(p, run.state(), order({two}), at("2025-06-01T10:00:00+08:00"));
    ASSERT_TRUE(run.apply(R"({"id":"r1","member":"M1","at":"2025-06-02T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})")
                    .accepted());
    const priced_order final_bill = price(p, run.state(), order({two}), at("2025-06-03T10:00:00+08:00"));
    const bill_comparison c = compare(estimate, final_bill);
    // Estimate: 560.00 - 560.00 = 0.00. Bill: one of two units free, 560.00 x 1/2 = 280.00 off: 280.00.
    EXPECT_EQ(c.change, yuan("280.00"));
    ASSERT_EQ(c.differences.size(), 1u);
    const bill_difference& d = c.differences[0];
    EXPECT_EQ(d.kind, difference_kind::benefit_changed);
    ASSERT_EQ(d.quota_changes.size(), 1u);
    const quota_change& q = d.quota_changes[0];
    EXPECT_FALSE(q.used_up());
    EXPECT_EQ((std::pair{q.estimate_uses, q.final_uses}), (std::pair<std::int64_t, std::int64_t>{2, 1}));
    EXPECT_EQ((std::pair{q.at_estimate.used, q.at_final.used}), (std::pair<std::int64_t, std::int64_t>{0, 1}));
    EXPECT_EQ(d.reason,
              "labour care WAX-FULL: benefits waxing -560.00 -> waxing -280.00, net 0.00 -> 280.00; "
              "waxing: fewer uses left since the estimate: 0 of 2 used at the estimate, 1 of 2 at the bill in "
              "calendar_year 2025-01-01..2025-12-31 (1 used in between); 560.00 off -> 280.00");
}

// A new year between estimate and bill: the positions are in different periods, each named.
TEST(BillComparison, AQuotaChangeAcrossPeriodsNamesBothPeriods) {
    quota_change q{"waxing", {3, 4, {}, period{}}, {4, 4, {}, period{}}, 1, 0, yuan("280.00"), yuan("0.00")};
    q.at_estimate.period = {day{date::year(2025) / 1 / 1}, day{date::year(2026) / 1 / 1}};
    q.at_final.period = {day{date::year(2026) / 1 / 1}, day{date::year(2027) / 1 / 1}};
    EXPECT_EQ(q.used_since(), std::nullopt);
    EXPECT_EQ(describe(q), "waxing: used up since the estimate: 3 of 4 used at the estimate in calendar_year "
                           "2025-01-01..2025-12-31, 4 of 4 at the bill in calendar_year 2026-01-01..2026-12-31; "
                           "280.00 off -> 0.00");
}

}  // namespace unit_bill_comparison
