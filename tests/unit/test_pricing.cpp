// price(): benefits on repair-order lines, every line explained; compare() of estimate and bill.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_pricing {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The reference programme's benefits, built in code so this file tests pricing alone.
benefit labour_discount() {
    benefit b;
    b.id = "labour-30-off";
    b.kind = benefit_kind::discount;
    b.lines.kinds = {line_kind::labour};
    b.lines.categories = {"maintenance", "repair"};
    b.lines.exclude_flags = {line_flag::accident};
    b.pay = *decimal::parse("0.7");
    b.rounding_mode = rounding::half_up;
    return b;
}
benefit parts_discount() {
    benefit b;
    b.id = "parts-10-off";
    b.kind = benefit_kind::discount;
    b.lines.kinds = {line_kind::part};
    b.lines.categories = {"filters", "wipers", "brakes"};
    b.pay = *decimal::parse("0.9");
    b.rounding_mode = rounding::half_up;
    return b;
}
// A service free on the lines of these operations; the callers add its limits.
benefit free_service(std::string id, std::vector<std::string> operations) {
    benefit b;
    b.id = std::move(id);
    b.kind = benefit_kind::free_line;
    b.lines.operations = std::move(operations);
    return b;
}
benefit free_oil_labour() {
    benefit b = free_service("oil-change-labour", {"OIL-CHANGE", "OIL-FILTER-CHANGE", "AIR-FILTER-CHANGE"});
    b.lines.kinds = {line_kind::labour};
    return b;
}
benefit waxing() {
    benefit b = free_service("waxing", {"WAX-FULL"});
    b.limit = quota{4, period{period_kind::calendar_year, 0}, false};
    return b;
}
benefit inspection() {
    benefit b = free_service("inspection-36", {"INSPECT-36"});
    b.limit = quota{6, period{period_kind::anniversary_year, 0}, false};
    return b;
}

// An exterior wash free up to 50.00 an order, and the same wash at half price.
benefit capped_wash() {
    benefit b = free_service("exterior-wash", {"WASH-EXT"});
    b.max_per_order = yuan("50.00");
    return b;
}
benefit half_price_wash() {
    benefit b;
    b.id = "wash-half-price";
    b.kind = benefit_kind::discount;
    b.lines.operations = {"WASH-EXT"};
    b.pay = *decimal::parse("0.5");
    return b;
}

program club(std::vector<benefit> benefits, stacking how = stacking::in_order) {
    program p = reference_program();
    p.benefits = std::move(benefits);
    p.benefit_stacking = how;
    return p;
}

member_state member_since(const program& p, const std::string& when) {
    const outcome o = apply(p, member_state("M1"), ev(enrol("e0", when)));
    return o.state;
}

repair_order_line line(line_kind k, const std::string& category, const std::string& op, const std::string& price,
                       const std::string& qty = "1", unsigned flags = 0) {
    repair_order_line l;
    l.kind = k;
    l.category = category;
    l.operation = op;
    l.quantity = *decimal::parse(qty);
    l.unit_price = yuan(price);
    l.flags = flags;
    return l;
}

events::repair_order order(std::vector<repair_order_line> lines, const std::string& number = "RO-1") {
    events::repair_order ro;
    ro.number = number;
    ro.lines = std::move(lines);
    return ro;
}

const unsigned accident = static_cast<unsigned>(line_flag::accident);

}  // namespace

// The issue's worked example: labour 800.00, parts 1,200.00 of which 400.00 in a discounted
// category: 800.00 x 0.7 + 800.00 + 400.00 x 0.9 = 560.00 + 800.00 + 360.00 = 1,720.00.
TEST(Pricing, MaintenanceLabourAndDiscountedParts) {
    const program p = club({labour_discount(), parts_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    const priced_order o = price(p, s,
                                 order({line(line_kind::labour, "maintenance", "SERVICE-B", "800.00"),
                                        line(line_kind::part, "engine", "TIMING-BELT", "800.00"),
                                        line(line_kind::part, "filters", "OIL-FILTER", "400.00")}),
                                 at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.lines[0].net, yuan("560.00"));
    EXPECT_EQ(o.lines[1].net, yuan("800.00"));
    EXPECT_EQ(o.lines[2].net, yuan("360.00"));
    EXPECT_EQ(o.net_total, yuan("1720.00"));
    EXPECT_EQ(o.list_total, yuan("2000.00"));
    EXPECT_EQ(o.discount_total, yuan("280.00"));
    EXPECT_EQ(o.labour_net, yuan("560.00"));
    EXPECT_EQ(o.parts_net, yuan("1160.00"));
    ASSERT_EQ(o.lines[0].adjustments.size(), 1u);
    EXPECT_EQ(o.lines[0].adjustments[0].benefit, "labour-30-off");
    EXPECT_EQ(o.lines[0].adjustments[0].amount, yuan("240.00"));
    EXPECT_EQ(o.lines[0].adjustments[0].reason, "labour-30-off: pays 0.7 x 800.00 = 560.00 (half_up), 240.00 off");
    // Points on what the member pays: 560 + 800 + 360 = 1720, all in maintenance? Only the
    // maintenance labour line is in service-spend's categories (maintenance, repair): 560 pt.
    EXPECT_EQ(o.points_total, points(560));
}

// The event overload prices the event's order at its instant, and refuses another member's
// order or an event that is not a repair order, naming the field.
TEST(Pricing, AnEventIsPricedForItsOwnMemberOnly) {
    const program p = club({labour_discount(), parts_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    event e;
    e.id = "ro-1";
    e.member = "M1";
    e.at = at("2025-06-01T10:00:00+08:00");
    e.body = order({line(line_kind::labour, "maintenance", "SERVICE-B", "800.00")});
    const program_versions versions(p);
    EXPECT_EQ(price(versions, s, e).net_total, yuan("560.00"));  // 800.00 x 0.7
    EXPECT_EQ(price(versions, s, e).points_total, points(560));
    // The id and pointer of the error pricing `e` for `s` raises ("" when it prices it).
    const auto refusal = [&] {
        try {
            price(versions, s, e);
        } catch (const error& x) {
            return x.id() + " at " + x.pointer();
        }
        return std::string();
    };
    e.member = "M2";
    EXPECT_EQ(refusal(), "loyalty.event.other_member at /member");
    // A fresh state of no member yet (a prospect at the counter) prices any member's order.
    EXPECT_EQ(price(versions, member_state(), e).net_total, yuan("560.00"));
    e.body = events::birthday{};
    EXPECT_EQ(refusal(), "loyalty.event.not_repair_order at /type");
}

// The same lines flagged accident: the labour discount excludes accident repairs, the parts
// discount does not: 800.00 + 800.00 + 400.00 x 0.9 = 1,960.00.
TEST(Pricing, AccidentRepairsAreExcludedFromTheLabourDiscountOnly) {
    const program p = club({labour_discount(), parts_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    const priced_order o = price(p, s,
                                 order({line(line_kind::labour, "repair", "BODY", "800.00", "1", accident),
                                        line(line_kind::part, "engine", "TIMING-BELT", "800.00", "1", accident),
                                        line(line_kind::part, "filters", "OIL-FILTER", "400.00", "1", accident)}),
                                 at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.net_total, yuan("1960.00"));
    ASSERT_EQ(o.lines[0].notes.size(), 1u);
    EXPECT_EQ(o.lines[0].notes[0], "labour-30-off: not applied, the line is flagged accident (excluded)");
    EXPECT_EQ(o.lines[2].net, yuan("360.00"));
}

TEST(Pricing, FreeOilChangeLabourPartsArePaid) {
    const program p = club({free_oil_labour(), labour_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    const priced_order o = price(p, s,
                                 order({line(line_kind::labour, "maintenance", "OIL-CHANGE", "150.00"),
                                        line(line_kind::part, "maintenance", "OIL-5W30", "68.50", "4")}),
                                 at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.lines[0].net, yuan("0.00"));
    EXPECT_EQ(o.lines[0].adjustments.at(0).benefit, "oil-change-labour");
    // The 30% off does not stack on a line already free: noted, not applied.
    EXPECT_EQ(o.lines[0].adjustments.size(), 1u);
    EXPECT_EQ(o.lines[1].net, yuan("274.00"));  // 4 x 68.50
    EXPECT_EQ(o.net_total, yuan("274.00"));
}

TEST(Pricing, BestForTheMemberPicksTheLargestDiscount) {
    benefit ten_off = labour_discount();
    ten_off.id = "labour-10-off";
    ten_off.pay = *decimal::parse("0.9");
    const auto l = order({line(line_kind::labour, "maintenance", "SERVICE-B", "800.00")});
    const program in_order = club({ten_off, labour_discount()}, stacking::in_order);
    const program best = club({ten_off, labour_discount()}, stacking::best_for_member);
    const instant t = at("2025-06-01T10:00:00+08:00");
    // In programme order the first (10% off) applies: 720.00; best for the member: 560.00.
    EXPECT_EQ(price(in_order, member_since(in_order, "2025-02-01T10:00:00+08:00"), l, t).net_total, yuan("720.00"));
    EXPECT_EQ(price(best, member_since(best, "2025-02-01T10:00:00+08:00"), l, t).net_total, yuan("560.00"));
}

TEST(Pricing, AStackingBenefitAppliesOnTopAndCapsHold) {
    benefit extra;
    extra.id = "festival-5-off";
    extra.kind = benefit_kind::discount;
    extra.lines.kinds = {line_kind::labour};
    extra.pay = *decimal::parse("0.95");
    extra.stacks = true;
    extra.max_per_order = yuan("20.00");
    const program p = club({labour_discount(), extra});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    // 800.00 -> 560.00 (30% off); then 5% of 560.00 = 28.00, capped at 20.00 -> 540.00.
    const priced_order o =
        price(p, s, order({line(line_kind::labour, "maintenance", "SERVICE-B", "800.00")}), at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.lines[0].net, yuan("540.00"));
    ASSERT_EQ(o.lines[0].adjustments.size(), 2u);
    EXPECT_EQ(o.lines[0].adjustments[1].amount, yuan("20.00"));
    EXPECT_NE(o.lines[0].adjustments[1].reason.find("capped at 20.00 per order"), std::string::npos);
}

TEST(Pricing, CoveredLinesCostNothingAndUseNoBenefit) {
    const program p = club({labour_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    const priced_order o = price(
        p, s, order({line(line_kind::labour, "repair", "GEARBOX", "900.00", "1", static_cast<unsigned>(line_flag::warranty))}),
        at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.net_total, yuan("0.00"));
    EXPECT_TRUE(o.lines[0].adjustments.empty());
    EXPECT_TRUE(o.consumes.empty());
}

TEST(Pricing, FractionalDiscountsRoundPerTheBenefitAndTotalsAreExactSums) {
    const program p = club({labour_discount()});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    // 1.5 h x 133.33 = 199.995 -> 200.00 (programme rounding down? the reference rounds down:
    // 199.99); 0.7 x 199.99 = 139.993 -> 139.99 half_up; discount 60.00.
    const priced_order o = price(p, s, order({line(line_kind::labour, "repair", "BRAKES", "133.33", "1.5"),
                                              line(line_kind::labour, "repair", "BRAKES", "0.05")}),
                                 at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.lines[0].list, yuan("199.99"));
    EXPECT_EQ(o.lines[0].net, yuan("139.99"));
    // 0.7 x 0.05 = 0.035 -> 0.04 half_up: discount 0.01.
    EXPECT_EQ(o.lines[1].net, yuan("0.04"));
    EXPECT_EQ(o.net_total, yuan("140.03"));
    EXPECT_EQ(o.discount_total, o.list_total - o.net_total);
}

TEST(Pricing, QuotaPerCalendarYearInTheProgrammeZone) {
    const program p = club({waxing()});
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    auto wax_ro = [](const std::string& id, const std::string& when) {
        return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
               R"(","type":"repair_order","ro":")" + id + R"(","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})";
    };
    for (int i = 1; i <= 4; ++i) ASSERT_TRUE(run.apply(wax_ro("w" + std::to_string(i), "2025-0" + std::to_string(i + 4) + "-01T10:00:00+08:00")).accepted());
    // The fifth waxing of 2025 is at the normal price, and the reason says why.
    const priced_order fifth = price(p, run.state(), std::get<events::repair_order>(ev(wax_ro("w5", "2025-12-31T23:00:00+08:00")).body),
                                     at("2025-12-31T23:00:00+08:00"));
    EXPECT_EQ(fifth.net_total, yuan("280.00"));
    EXPECT_EQ(fifth.lines[0].notes.at(0), "waxing: 4 of 4 used in calendar_year 2025-01-01..2025-12-31; normal price");
    // 2025-12-31T16:30:00Z is already 2026 in Shanghai: a new quota.
    const priced_order new_year = price(p, run.state(), std::get<events::repair_order>(ev(wax_ro("w6", "2025-12-31T16:30:00Z")).body),
                                        at("2025-12-31T16:30:00Z"));
    EXPECT_EQ(new_year.net_total, yuan("0.00"));
    EXPECT_EQ(new_year.lines[0].adjustments.at(0).reason,
              "waxing: free, 280.00 off, use 1 of 4 in calendar_year 2026-01-01..2026-12-31");
}

TEST(Pricing, AnniversaryYearsFromAnEnrolmentOn29February) {
    const program p = club({inspection()});
    member_run run(p);
    ASSERT_TRUE(run.apply(enrol("e0", "2028-02-29T10:00:00+08:00")).accepted());
    auto insp = [](const std::string& id, const std::string& when) {
        return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
               R"(","type":"repair_order","lines":[{"kind":"labour","category":"care","operation":"INSPECT-36","unit_price":"199.00"}]})";
    };
    const priced_order o = price(p, run.state(), std::get<events::repair_order>(ev(insp("i1", "2029-03-01T10:00:00+08:00")).body),
                                 at("2029-03-01T10:00:00+08:00"));
    // Membership years: 2028-02-29..2029-02-27, then 2029-02-28..2030-02-27 (29 Feb clamps to 28 Feb).
    EXPECT_EQ(o.lines[0].adjustments.at(0).reason,
              "inspection-36: free, 199.00 off, use 1 of 6 in anniversary_year 2029-02-28..2030-02-27");
    const priced_order before = price(p, run.state(), std::get<events::repair_order>(ev(insp("i0", "2029-02-27T10:00:00+08:00")).body),
                                      at("2029-02-27T10:00:00+08:00"));
    EXPECT_EQ(before.lines[0].adjustments.at(0).reason,
              "inspection-36: free, 199.00 off, use 1 of 6 in anniversary_year 2028-02-29..2029-02-27");
}

TEST(Pricing, ClosingConsumesWhatTheEstimateSaidAndReversalGivesItBack) {
    const program p = club({waxing(), labour_discount()});
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const std::string ro = R"({"id":"r1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"repair_order","ro":"RO-7",
        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","quantity":2,"unit_price":"280.00"},
                 {"kind":"labour","category":"maintenance","operation":"SERVICE-A","unit_price":"300.00"}]})";
    const event closed = ev(ro);
    const priced_order estimate = price(p, run.state(), std::get<events::repair_order>(closed.body), closed.at);
    ASSERT_EQ(estimate.consumes.size(), 2u);  // waxing: 2 uses; labour-30-off: money given
    EXPECT_EQ(estimate.consumes[0].benefit, "waxing");
    EXPECT_EQ(estimate.consumes[0].uses, 2);
    EXPECT_EQ(estimate.net_total, yuan("210.00"));  // waxes free, 300.00 x 0.7
    const outcome o = run.apply(ro);
    ASSERT_TRUE(o.accepted());
    EXPECT_EQ(run.state().benefit_usage.all(), estimate.consumes);
    int uses = 0;
    for (const ledger_entry& e : o.entries)
        if (e.kind == entry_kind::benefit_use) ++uses;
    EXPECT_EQ(uses, 2);
    // Points on the net paid: service-spend counts maintenance 210.00 -> 210.
    EXPECT_EQ(run.state().balance(), points(500 + 210));
    const outcome back = run.apply(reverse_of("x1", "2025-06-02T10:00:00+08:00", "r1"));
    ASSERT_TRUE(back.accepted());
    EXPECT_TRUE(run.state().benefit_usage.empty());
    int returns = 0;
    for (const ledger_entry& e : back.entries)
        if (e.kind == entry_kind::benefit_return) ++returns;
    EXPECT_EQ(returns, 2);
}

TEST(Pricing, EstimatesConsumeNothing) {
    const program p = club({waxing()});
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const outcome o = run.apply(R"({"id":"r1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"repair_order",
        "status":"estimate","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})");
    ASSERT_TRUE(o.accepted());
    EXPECT_TRUE(o.entries.empty());
    EXPECT_TRUE(run.state().benefit_usage.empty());
}

TEST(Pricing, CompareListsEveryDifferenceLineByLine) {
    const program p = club({waxing(), labour_discount()});
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const instant t = at("2025-06-01T10:00:00+08:00");
    const priced_order estimate =
        price(p, run.state(),
              order({line(line_kind::labour, "maintenance", "SERVICE-A", "300.00"),
                     line(line_kind::part, "maintenance", "OIL-5W30", "68.50", "4"),
                     line(line_kind::labour, "care", "WAX-FULL", "280.00")}),
              t);
    const priced_order final_bill =
        price(p, run.state(),
              order({line(line_kind::labour, "maintenance", "SERVICE-A", "300.00"),
                     line(line_kind::part, "maintenance", "OIL-5W30", "68.50", "5"),
                     line(line_kind::part, "brakes", "PADS", "420.00")}),
              t);
    const bill_comparison c = compare(estimate, final_bill);
    // Estimate: 210.00 + 274.00 + 0.00 = 484.00. Final: 210.00 + 342.50 + 420.00 = 972.50.
    EXPECT_EQ(c.estimate_total, yuan("484.00"));
    EXPECT_EQ(c.final_total, yuan("972.50"));
    EXPECT_EQ(c.change, yuan("488.50"));
    ASSERT_EQ(c.differences.size(), 3u);
    EXPECT_EQ(c.differences[0].kind, difference_kind::quantity_changed);
    EXPECT_EQ(c.differences[0].reason, "part maintenance OIL-5W30: quantity 4 -> 5, net 274.00 -> 342.50");
    EXPECT_EQ(c.differences[1].kind, difference_kind::line_added);
    EXPECT_EQ(c.differences[2].kind, difference_kind::line_removed);
    EXPECT_EQ(c.differences[2].reason, "labour care WAX-FULL removed: was 0.00");
    EXPECT_TRUE(compare(estimate, estimate).same());
}

TEST(Pricing, AMoneyCapStatesWhatIsGivenAndOnceUsedUpBlocksNothing) {
    const benefit wash = capped_wash(), half = half_price_wash();
    const program p = club({wash, half});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    // Two washes of 80.00: the first is free up to the 50.00 cap (30.00 left to pay); the cap is
    // then used up, so the second line gets the next benefit instead: 80.00 x 0.5 = 40.00.
    const priced_order o = price(p, s, order({line(line_kind::labour, "care", "WASH-EXT", "80.00"),
                                              line(line_kind::labour, "care", "WASH-EXT", "80.00")}),
                                 at("2025-06-01T10:00:00+08:00"));
    ASSERT_EQ(o.lines[0].adjustments.size(), 1u);
    EXPECT_EQ(o.lines[0].adjustments[0].reason, "exterior-wash: free, 50.00 off, capped at 50.00 per order");
    EXPECT_EQ(o.lines[0].net, yuan("30.00"));
    ASSERT_EQ(o.lines[1].adjustments.size(), 1u);
    EXPECT_EQ(o.lines[1].adjustments[0].benefit, "wash-half-price");
    EXPECT_EQ(o.lines[1].net, yuan("40.00"));
    EXPECT_EQ(o.lines[1].notes.at(0),
              "exterior-wash: not applied, its money cap is used up (capped at 50.00 per order); normal price");
    ASSERT_EQ(o.consumes.size(), 2u);
    EXPECT_EQ(o.consumes[0].uses, 1);  // one wash used the free benefit
}

// Without explanation (the engine's replays, which write no trace) price() gives the same
// figures and builds no text: no adjustment's reason, no note. With it, every line says why.
TEST(Pricing, WithoutExplanationTheFiguresAreTheSameAndNoReasonIsWritten) {
    const benefit wash = capped_wash(), half = half_price_wash();
    benefit extra;
    extra.id = "festival-5-off";
    extra.kind = benefit_kind::discount;
    extra.lines.kinds = {line_kind::labour};
    extra.pay = *decimal::parse("0.95");
    extra.stacks = true;
    benefit late = parts_discount();
    late.effective_from = at("2026-01-01T00:00:00+08:00");
    for (const stacking how : {stacking::in_order, stacking::best_for_member}) {
        const program p = club({wash, half, labour_discount(), extra, waxing(), late}, how);
        member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
        for (int i = 0; i < 4; ++i)  // this year's four waxings are used
            s.benefit_usage.push_back({"waxing", on("2025-03-0" + std::to_string(i + 1)), 1, 0, "RO-0", {}, {}});
        const events::repair_order ro =
            order({line(line_kind::labour, "care", "WASH-EXT", "80.00"), line(line_kind::labour, "care", "WASH-EXT", "80.00"),
                   line(line_kind::labour, "maintenance", "SERVICE-B", "800.00"),
                   line(line_kind::labour, "repair", "GEARBOX", "900.00", "1", static_cast<unsigned>(line_flag::warranty)),
                   line(line_kind::labour, "care", "WAX-FULL", "300.00"), line(line_kind::part, "filters", "OIL-FILTER", "400.00")});
        const instant when = at("2025-06-01T10:00:00+08:00");
        const priced_order said = price(p, s, ro, when), quiet = price(p, s, ro, when, nullptr, explanation::none);
        ASSERT_EQ(said.lines.size(), quiet.lines.size());
        std::size_t reasons = 0, notes = 0;
        for (std::size_t i = 0; i < said.lines.size(); ++i) {
            const priced_line &a = said.lines[i], &b = quiet.lines[i];
            EXPECT_EQ(a.net, b.net) << i;
            ASSERT_EQ(a.adjustments.size(), b.adjustments.size()) << i;
            for (std::size_t k = 0; k < a.adjustments.size(); ++k) {
                EXPECT_EQ(a.adjustments[k].benefit, b.adjustments[k].benefit);
                EXPECT_EQ(a.adjustments[k].amount, b.adjustments[k].amount);
                EXPECT_EQ(a.adjustments[k].uses, b.adjustments[k].uses);
                EXPECT_EQ(a.adjustments[k].quota, b.adjustments[k].quota);
                EXPECT_FALSE(a.adjustments[k].reason.empty());
                EXPECT_TRUE(b.adjustments[k].reason.empty());
                ++reasons;
            }
            ASSERT_EQ(a.used_up.size(), b.used_up.size()) << i;
            for (std::size_t k = 0; k < a.used_up.size(); ++k) EXPECT_EQ(a.used_up[k].quota, b.used_up[k].quota);
            notes += a.notes.size();
            EXPECT_TRUE(b.notes.empty()) << i;
        }
        // Said: the cap used up, the stacking discount, the warranty line, the waxing quota
        // used up, the parts discount not yet in force.
        EXPECT_GE(reasons, 4u);
        EXPECT_GE(notes, 4u);
        EXPECT_EQ(said.net_total, quiet.net_total);
        EXPECT_EQ(said.discount_total, quiet.discount_total);
        EXPECT_EQ(said.consumes, quiet.consumes);
        EXPECT_EQ(said.points_by_rule, quiet.points_by_rule);
    }
}

TEST(Pricing, ABenefitOutOfItsWindowSaysSo) {
    benefit b = labour_discount();
    b.effective_to = at("2025-06-01T00:00:00+08:00");
    const program p = club({b});
    const member_state s = member_since(p, "2025-02-01T10:00:00+08:00");
    const priced_order o = price(p, s, order({line(line_kind::labour, "maintenance", "SERVICE-A", "100.00")}),
                                 at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(o.net_total, yuan("100.00"));
    EXPECT_EQ(o.lines[0].notes.at(0),
              "labour-30-off: not in force on 2025-06-01T02:00:00Z (until 2025-05-31T16:00:00Z)");
}

// Bad input: a line category the programme does not list, or flags it forbids together, are
// refused with an id and the line's JSON pointer, and nothing is consumed.
TEST(Pricing, UnknownCategoriesAndForbiddenFlagsAreRefused) {
    const program p = [] {
        program q = club({waxing()});
        q.orders.categories = {"maintenance", "repair", "care"};
        q.orders.forbidden_flags = {{line_flag::warranty, line_flag::accident}};
        return q;
    }();
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    const member_state before = run.state();
    const outcome cat = run.apply(R"({"id":"r1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"},
                 {"kind":"part","category":"tyres","unit_price":"800.00"}]})");
    EXPECT_EQ(cat.refused, refusal::invalid_order);
    EXPECT_EQ(cat.message, "[loyalty.order.unknown_category] (/lines/1/category) category 'tyres' is not one of the "
                           "programme's line categories");
    const outcome flags = run.apply(R"({"id":"r2","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"labour","category":"repair","unit_price":"80.00","flags":["accident","warranty"]}]})");
    EXPECT_EQ(flags.refused, refusal::invalid_order);
    EXPECT_NE(flags.message.find("(/lines/0/flags) the programme forbids a line flagged warranty and accident"),
              std::string::npos);
    EXPECT_EQ(run.state(), before);  // nothing consumed
    // price() throws the same error for an estimate.
    try {
        price(p, before, std::get<events::repair_order>(ev(R"({"id":"q","member":"M1","at":"2025-06-01T10:00:00+08:00",
            "type":"repair_order","lines":[{"kind":"part","category":"tyres","unit_price":"1.00"}]})").body),
              at("2025-06-01T10:00:00+08:00"));
        FAIL() << "priced an order with an unknown category";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.order.unknown_category");
        EXPECT_EQ(e.pointer(), "/lines/0/category");
    }
    // A "*" in the list is a catch-all.
    program any = p;
    any.orders.categories.push_back("*");
    EXPECT_NO_THROW(price(any, before, std::get<events::repair_order>(ev(R"({"id":"q","member":"M1","at":"2025-06-01T10:00:00+08:00",
        "type":"repair_order","lines":[{"kind":"part","category":"tyres","unit_price":"1.00"}]})").body),
                          at("2025-06-01T10:00:00+08:00")));
}

TEST(Pricing, UnusedQuotaCarriesOverOnlyWhenTheBenefitSaysSo) {
    auto wax_ro = [](const std::string& id, const std::string& when) {
        return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
               R"(","type":"repair_order","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","quantity":6,"unit_price":"280.00"}]})";
    };
    for (const bool carry : {false, true}) {
        benefit b = waxing();
        b.limit->carry_over = carry;
        const program p = club({b});
        member_run run(p);
        run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
        ASSERT_TRUE(run.apply(wax_ro("w1", "2025-06-01T10:00:00+08:00")).accepted());
        // 2025: one order of 6 waxings uses all 4 (2 at the normal price). Nothing is left
        // over, so 2026 has 4 either way; use none in 2026 ...
        // 2027: with carry_over, the 4 unused of 2026 are added: 8 allowed, so 6 are free;
        // without it, 4 are free and 2 cost 280.00 each.
        const priced_order o = price(p, run.state(), std::get<events::repair_order>(ev(wax_ro("w2", "2027-03-01T10:00:00+08:00")).body),
                                     at("2027-03-01T10:00:00+08:00"));
        EXPECT_EQ(o.net_total, carry ? yuan("0.00") : yuan("560.00")) << "carry_over " << carry;
    }
}

TEST(Pricing, AMoneyCapPerPeriodCountsWhatEarlierOrdersWereGiven) {
    benefit b = labour_discount();
    b.max_per_period = money_cap{period{period_kind::calendar_year, 0}, yuan("300.00")};
    const program p = club({b});
    member_run run(p);
    run.apply(enrol("e0", "2025-02-01T10:00:00+08:00"));
    // 800.00 x 0.3 = 240.00 off in March; in June only 60.00 of the 300.00 a year are left.
    ASSERT_TRUE(run.apply(simple_ro("r1", "2025-03-01T10:00:00+08:00", "800.00")).accepted());
    const priced_order june = price(p, run.state(), std::get<events::repair_order>(ev(simple_ro("r2", "2025-06-01T10:00:00+08:00", "800.00")).body),
                                    at("2025-06-01T10:00:00+08:00"));
    EXPECT_EQ(june.net_total, yuan("740.00"));
    EXPECT_EQ(june.lines[0].adjustments.at(0).reason,
              "labour-30-off: pays 0.7 x 800.00 = 560.00 (half_up), 60.00 off, capped at 300.00 per calendar_year "
              "2025-01-01..2025-12-31");
    // A new year, a new cap: 240.00 off again.
    const priced_order next = price(p, run.state(), std::get<events::repair_order>(ev(simple_ro("r3", "2026-01-05T10:00:00+08:00", "800.00")).body),
                                    at("2026-01-05T10:00:00+08:00"));
    EXPECT_EQ(next.net_total, yuan("560.00"));
}

}  // namespace unit_pricing
