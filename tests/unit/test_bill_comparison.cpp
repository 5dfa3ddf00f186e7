// compare() of an estimate and the final bill (docs/pricing.md, "Estimate and final bill"):
// a changed unit price, a line flagged differently, and a line whose benefit was used up in
// between are each listed with the documented reason text. (Added, removed and quantity
// changes are in test_pricing.cpp.)
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_bill_comparison {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The points programme with one benefit: one free full-car waxing per calendar year.
program one_waxing_a_year() {
    return variant([](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(R"([{"id":"waxing","type":"free_line",
            "lines":{"operations":["WAX-FULL"]},"quota":{"uses":1,"period":"calendar_year"}}])");
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
    const program p = one_waxing_a_year();
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
TEST(BillComparison, AQuotaUsedUpInBetweenIsABenefitChangeWithTheFinalLinesNote) {
    const program p = one_waxing_a_year();
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
    EXPECT_EQ(d.reason,
              "labour care WAX-FULL: benefits waxing -280.00 -> none, net 0.00 -> 280.00; "
              "waxing: 1 of 1 used in calendar_year 2025-01-01..2025-12-31; normal price");
}

}  // namespace unit_bill_comparison
