// Partial reversals (issue 11), worked by hand: a line of a repair order returned, money
// refunded after the fact, quota and voucher money given back once, buy -> refund -> repeat.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/benefit/usage.hpp"

namespace scenario_partial_reversal {

using namespace loyalty;
using namespace loyalty::test;

namespace {

std::string line(const std::string& kind, const std::string& category, const std::string& price,
                 const std::string& operation = "") {
    return R"({"kind":")" + kind + R"(","category":")" + category + R"(","unit_price":")" + price + "\"" +
           (operation.empty() ? "" : R"(,"operation":")" + operation + "\"") + "}";
}
std::string ro(const std::string& id, const std::string& when, const std::string& lines) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"repair_order","ro":"RO-)" + id +
           R"(","lines":[)" + lines + "]}";
}
std::string return_lines(const std::string& id, const std::string& when, const std::string& target,
                         const std::string& lines) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"reverse","event":")" + target +
           R"(","lines":)" + lines + R"(,"reason":"part returned"})";
}
std::string refund(const std::string& id, const std::string& when, const std::string& target,
                   const std::string& amount, const std::string& on_line = "") {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"reverse","event":")" + target +
           R"(","amount":")" + amount + "\"" + (on_line.empty() ? "" : R"(,"line":)" + on_line) +
           R"(,"reason":"goodwill discount"})";
}
// What the reversals of `target` took back, summed over the entries that name it (negative):
// of an outcome's entries or of a runner's ledger.
template <class Entries>
points taken_back(const Entries& entries, const std::string& target) {
    points n;
    for (const ledger_entry& e : entries)
        if (e.reverses == target) n += e.amount;
    return n;
}

}  // namespace

// service-spend: 1 pt per 1.00 paid on maintenance and repair lines, rounded down.
TEST(PartialReversal, AThreeLineOrderWithOneLineReturned) {
    member_run run(points_only());
    run.apply(enrol("e-1", "2025-05-01T02:00:00Z"));  // 500 welcome
    // 300.50 + 199.75 + 49.99 = 550.24 -> 550 pt
    run.apply(ro("e-2", "2025-05-05T02:00:00Z",
                 line("labour", "maintenance", "300.50") + "," + line("part", "maintenance", "199.75") + "," +
                     line("part", "repair", "49.99")));
    EXPECT_EQ(run.state().balance(), points(1050));
    // Line 1 (199.75) returned: the order as if it had only 300.50 + 49.99 = 350.49 -> 350 pt,
    // so 550 - 350 = 200 pt go back (the line's own 199.75 would have rounded to 199).
    const outcome o = run.apply(return_lines("e-3", "2025-05-06T02:00:00Z", "e-2", "[1]"));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(taken_back(o.entries, "e-2"), points(-200));
    EXPECT_EQ(run.state().balance(), points(850));
    EXPECT_EQ(run.lot_of("e-2/service-spend").remaining, points(350));
    // The same line again is refused; so is a line the order does not have.
    EXPECT_EQ(run.apply(return_lines("e-4", "2025-05-06T03:00:00Z", "e-2", "[1]")).refused, refusal::invalid_reversal);
    EXPECT_EQ(run.apply(return_lines("e-5", "2025-05-06T03:00:00Z", "e-2", "[3]")).refused, refusal::invalid_reversal);
    // The whole reversal afterwards takes back only what is left: 350 pt.
    const outcome whole = run.apply(reverse_of("e-6", "2025-05-07T02:00:00Z", "e-2"));
    ASSERT_TRUE(whole.accepted()) << whole.message;
    EXPECT_EQ(taken_back(whole.entries, "e-2"), points(-350));
    EXPECT_EQ(run.state().balance(), points(500));
    // Nothing can be taken back from a wholly reversed order.
    EXPECT_EQ(run.apply(return_lines("e-7", "2025-05-08T02:00:00Z", "e-2", "[0]")).refused, refusal::already_reversed);
    EXPECT_EQ(run.apply(refund("e-8", "2025-05-08T02:00:00Z", "e-2", "1.00")).refused, refusal::already_reversed);
}

TEST(PartialReversal, MoneyRefundedAfterTheFact) {
    member_run run(points_only());
    run.apply(enrol("e-1", "2025-05-01T02:00:00Z"));
    // 300.00 + 100.00 = 400.00 -> 400 pt
    run.apply(ro("e-2", "2025-05-05T02:00:00Z",
                 line("labour", "maintenance", "300.00") + "," + line("part", "repair", "100.00")));
    // 40.00 refunded on the order, spread in proportion to what was paid: 30.00 and 10.00;
    // 360.00 left -> 360 pt, 40 go back.
    const outcome a = run.apply(refund("e-3", "2025-05-06T02:00:00Z", "e-2", "40.00"));
    ASSERT_TRUE(a.accepted()) << a.message;
    EXPECT_EQ(taken_back(a.entries, "e-2"), points(-40));
    // 0.50 more on line 1: 359.50 left -> 359 pt, 1 more goes back.
    const outcome b = run.apply(refund("e-4", "2025-05-06T03:00:00Z", "e-2", "0.50", "1"));
    ASSERT_TRUE(b.accepted()) << b.message;
    EXPECT_EQ(taken_back(b.entries, "e-2"), points(-1));
    // Line 1 has 100.00 - 10.00 - 0.50 = 89.50 left to refund: 89.51 is refused.
    EXPECT_EQ(run.apply(refund("e-5", "2025-05-06T04:00:00Z", "e-2", "89.51", "1")).refused, refusal::invalid_reversal);
    // Returning line 0 (270.00 left of it): 89.50 -> 89 pt kept of 359, 270 go back.
    const outcome c = run.apply(return_lines("e-6", "2025-05-06T05:00:00Z", "e-2", "[0]"));
    ASSERT_TRUE(c.accepted()) << c.message;
    EXPECT_EQ(taken_back(c.entries, "e-2"), points(-270));
    EXPECT_EQ(run.state().balance(), points(500 + 89));
}

// With half_up rounding, the order's points are what a fresh order of what is kept would earn:
// buying two 15.00 lines, returning one and buying it again never gives more than keeping it.
TEST(PartialReversal, BuyRefundRepeatNeverGainsPoints) {
    member_run run(variant([](nlohmann::json& j) {
        j["earning_rules"][0]["points_per_unit"] = "0.1";
        j["earning_rules"][0]["rounding"] = "half_up";
    }));
    run.apply(enrol("e-0", "2025-05-01T02:00:00Z"));
    const std::string two = line("part", "repair", "15.00") + "," + line("part", "repair", "15.00");
    for (int i = 0; i < 5; ++i) {
        const std::string n = std::to_string(i);
        const std::string day = "2025-06-0" + std::to_string(i + 1);
        // 30.00 x 0.1 = 3 pt; return one line: 15.00 x 0.1 = 1.5 -> 2 pt kept (half_up), 1 back.
        run.apply(ro("b" + n, day + "T02:00:00Z", two));
        const outcome back = run.apply(return_lines("r" + n, day + "T03:00:00Z", "b" + n, "[0]"));
        ASSERT_TRUE(back.accepted()) << back.message;
        EXPECT_EQ(taken_back(back.entries, "b" + n), points(-1));
        // A fresh order of the one line kept earns the same 2 pt: nothing is gained.
        EXPECT_EQ(run.state().balance(), points(500 + 2 * (i + 1)));
    }
    // 15.00 alone: 1.5 -> 2 pt, the same as what each order kept.
    run.apply(ro("single", "2025-06-09T02:00:00Z", line("part", "repair", "15.00")));
    EXPECT_EQ(run.state().balance(), points(500 + 2 * 6));
}

// A returned free waxing gives its quota back; a returned labour line paid with a voucher gives
// the voucher back exactly what it paid on that line, once; the whole reversal gives the rest.
TEST(PartialReversal, QuotaAndVoucherMoneyComeBackOnce) {
    member_run run(reference_program());
    run.apply(enrol("e-1", "2025-05-01T02:00:00Z"));                 // 500 welcome
    run.apply(adjust("e-2", "2025-05-01T03:00:00Z", 1000));          // 1500
    ASSERT_TRUE(run.apply(simple("e-3", "2025-05-02T02:00:00Z", "redeem", R"(,"reward":"labour-voucher-100")"))
                    .accepted());  // 1000 pt for a 100.00 labour voucher: 500 left
    const std::string vid = run.state().vouchers.at(0).id;
    // Line 0: a waxing (free, use 1 of 4). Lines 1 and 2: repair labour 80.00 and 60.00, 30% off
    // (half_up) -> 56.00 and 42.00, both paid by the voucher (98.00 used, 2.00 left). The member
    // pays nothing, so the order earns nothing.
    const outcome o = run.apply(ro("e-4", "2025-05-05T02:00:00Z",
                                   line("labour", "maintenance", "200.00", "WAX-FULL") + "," +
                                       line("labour", "repair", "80.00") + "," + line("labour", "repair", "60.00")));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().vouchers.at(0).remaining, yuan("2.00"));
    const program prog = reference_program();
    const auto waxings_used = [&] {
        return quota_on(*prog.find_benefit("waxing")->limit, run.state().benefit_usage, "waxing", on("2025-05-10"),
                        run.state().member_since, run.state().tier)
            .used;
    };
    EXPECT_EQ(waxings_used(), 1);

    // Lines 0 and 1 returned: the waxing's use comes back, and 56.00 to the voucher (2.00 + 56.00).
    const outcome back = run.apply(return_lines("e-5", "2025-05-06T02:00:00Z", "e-4", "[0,1]"));
    ASSERT_TRUE(back.accepted()) << back.message;
    EXPECT_EQ(waxings_used(), 0);
    EXPECT_EQ(run.state().vouchers.at(0).remaining, yuan("58.00"));
    EXPECT_EQ(run.state().vouchers.at(0).used, yuan("42.00"));
    EXPECT_EQ(entries_of_kind(back, entry_kind::voucher_return).size(), 1u);
    // The discount given on line 1 (24.00) is back under the benefit's money figures: 18.00 stays.
    std::int64_t labour_discount = 0;
    for (const benefit_use& u : run.state().benefit_usage)
        if (u.benefit == "labour-30-off") labour_discount += u.discount;
    EXPECT_EQ(labour_discount, 1800);
    // Returning line 1 again is refused: nothing comes back twice.
    EXPECT_EQ(run.apply(return_lines("e-6", "2025-05-06T03:00:00Z", "e-4", "[1]")).refused, refusal::invalid_reversal);
    // The whole reversal gives the voucher only the 42.00 still used on the order: 100.00.
    ASSERT_TRUE(run.apply(reverse_of("e-7", "2025-05-07T02:00:00Z", "e-4")).accepted());
    EXPECT_EQ(run.state().vouchers.at(0).remaining, yuan("100.00"));
    EXPECT_EQ(run.state().vouchers.at(0).used, yuan("0.00"));
    EXPECT_EQ(run.state().balance(), points(500));  // spent points are not given back by a refund
    (void)vid;
}

// Points of a returned line that were already spent are clawed back once, not twice.
TEST(PartialReversal, SpentPointsAreTakenBackOnceOverTwoPartialRefunds) {
    member_run run(points_only());
    run.apply(enrol("e-1", "2025-05-01T02:00:00Z"));  // 500 (lot e-1/welcome)
    run.apply(ro("e-2", "2025-05-05T02:00:00Z",
                 line("part", "repair", "300.00") + "," + line("part", "repair", "200.00")));  // 500 pt
    run.apply(adjust("e-3", "2025-05-05T03:00:00Z", -900));  // spends 500 of the welcome lot, 400 of e-2's
    // Soonest-expiring first: both lots expire on the same day; the welcome lot is older, so
    // e-2's lot keeps 100.
    EXPECT_EQ(run.lot_of("e-2/service-spend").remaining, points(100));
    // Line 0 returned: 200 kept, 300 back: 100 from the lot, 200 clawed back (the member has
    // nothing else: 200 become debt).
    const outcome a = run.apply(return_lines("e-4", "2025-05-06T02:00:00Z", "e-2", "[0]"));
    ASSERT_TRUE(a.accepted()) << a.message;
    EXPECT_EQ(taken_back(a.entries, "e-2"), points(-300));
    EXPECT_EQ(run.state().balance(), points(-200));
    // Line 1 returned: the last 200 go back, all of it owed; never more than the 500 earned.
    const outcome b = run.apply(return_lines("e-5", "2025-05-06T03:00:00Z", "e-2", "[1]"));
    ASSERT_TRUE(b.accepted()) << b.message;
    EXPECT_EQ(taken_back(b.entries, "e-2"), points(-200));
    EXPECT_EQ(taken_back(run.entries(), "e-2"), points(-500));
    // A whole reversal now takes nothing more.
    const outcome c = run.apply(reverse_of("e-6", "2025-05-07T02:00:00Z", "e-2"));
    ASSERT_TRUE(c.accepted()) << c.message;
    EXPECT_EQ(taken_back(c.entries, "e-2"), points(0));
    EXPECT_EQ(run.state().balance(), points(-400));  // 500 + 500 - 900 - 500
}

TEST(PartialReversal, OnlyClosedRepairOrdersAreReversedInPart) {
    member_run run(points_only());
    run.apply(enrol("e-1", "2025-05-01T02:00:00Z"));
    run.apply(adjust("e-2", "2025-05-01T03:00:00Z", 10));
    EXPECT_EQ(run.apply(refund("e-3", "2025-05-02T02:00:00Z", "e-2", "1.00")).refused, refusal::invalid_reversal);
}

// The event's JSON form keeps every field of a partial reversal.
TEST(PartialReversal, PartialReversalEventsRoundTripThroughJson) {
    const event a = ev(R"({"id":"p","member":"M1","at":"2025-05-06T02:00:00Z","type":"reverse","event":"e-2",)"
                       R"("lines":[2,0],"amount":"12.30","line":1,"reason":"returned"})");
    const auto& r = std::get<events::reverse>(a.body);
    EXPECT_EQ(r.lines, (std::vector<std::size_t>{2, 0}));
    EXPECT_EQ(*r.amount, yuan("12.30"));
    EXPECT_EQ(*r.amount_line, 1u);
    const event b = io::event_from_json(io::event_to_json(a), cny());
    const auto& s = std::get<events::reverse>(b.body);
    EXPECT_EQ(s.lines, r.lines);
    EXPECT_EQ(s.amount, r.amount);
    EXPECT_EQ(s.amount_line, r.amount_line);
    // "line" without "amount", and a refund of 0, are input errors with their pointers.
    EXPECT_EQ(error_id([] { ev(R"({"id":"p","member":"M1","at":"2025-05-06T02:00:00Z","type":"reverse","event":"e","line":1})"); }),
              "loyalty.event.invalid_line");
    EXPECT_EQ(error_id([] { ev(R"({"id":"p","member":"M1","at":"2025-05-06T02:00:00Z","type":"reverse","event":"e","amount":"0.00"})"); }),
              "loyalty.event.invalid_amount");
}

}  // namespace scenario_partial_reversal
