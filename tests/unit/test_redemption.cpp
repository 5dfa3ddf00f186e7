// Redemption: the rewards catalogue, redeem(), cancel_redemption and stock. Figures are worked
// by hand from the reference programme (examples/programs/4s-club.json) without its benefits:
// 1 point per 1.00 CNY paid for maintenance, a 500-point welcome bonus, points expiring at the
// end of the month 24 months after they were earned (Asia/Shanghai).
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty::test {
namespace unit_redemption {

std::string redeem_ev(const std::string& id, const std::string& when, const std::string& reward,
                      const std::string& extra = "") {
    return simple(id, when, "redeem", R"(,"reward":")" + reward + "\"" + extra);
}
std::string cancel_ev(const std::string& id, const std::string& when, const std::string& redemption) {
    return simple(id, when, "cancel_redemption", R"(,"redemption":")" + redemption + "\"");
}

// Three lots: welcome 500 (expires 2027-02-01), May 1,000 (2027-06-01), August 800 (2027-09-01).
member_run three_lots(program p = points_only()) {
    member_run run(std::move(p));
    EXPECT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    EXPECT_TRUE(run.apply(simple_ro("e2", "2025-05-20T10:00:00+08:00", "1000.00")).accepted());
    EXPECT_TRUE(run.apply(simple_ro("e3", "2025-08-15T10:00:00+08:00", "800.00")).accepted());
    EXPECT_EQ(run.state().balance(), points(2300));
    return run;
}

TEST(Redeem, SpendsLotsSoonestExpiringFirstOneEntryPerLot) {
    member_run run = three_lots();
    // The rice cooker (2,000 points) is offered in December only.
    const outcome o = run.apply(redeem_ev("r1", "2025-12-05T10:00:00+08:00", "rice-cooker"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto spent = entries_of_kind(o, entry_kind::redeem);
    ASSERT_EQ(spent.size(), 3u);
    // 2,000 = all 500 of the welcome lot + all 1,000 of May + 500 of August's 800.
    EXPECT_EQ(spent[0].lot, "e1/welcome");
    EXPECT_EQ(spent[0].amount, points(-500));
    EXPECT_EQ(spent[1].lot, "e2/service-spend");
    EXPECT_EQ(spent[1].amount, points(-1000));
    EXPECT_EQ(spent[2].lot, "e3/service-spend");
    EXPECT_EQ(spent[2].amount, points(-500));
    EXPECT_EQ(spent[2].balance, points(300));
    EXPECT_EQ(spent[0].rule, "rice-cooker");
    EXPECT_TRUE(spent[0].money.empty());  // a points-only price records no money
    EXPECT_EQ(o.stock_moves, (std::vector<std::pair<std::string, std::int64_t>>{{"rice-cooker", 1}}));
    EXPECT_EQ(run.lot_of("e3/service-spend").remaining, points(300));
    EXPECT_FALSE(verify_chain(run.entries()).has_value());
}

TEST(Redeem, PointsPlusMoneyRecordsTheMoneyOnTheFirstEntry) {
    member_run run = three_lots();
    // Option 1: 800 points + 60.00, taken from the welcome lot (500) and May's (300).
    const outcome o = run.apply(redeem_ev("r1", "2025-12-05T10:00:00+08:00", "rice-cooker", R"(,"option":1)"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto spent = entries_of_kind(o, entry_kind::redeem);
    ASSERT_EQ(spent.size(), 2u);
    EXPECT_EQ(spent[0].amount, points(-500));
    EXPECT_EQ(spent[0].money, "60.00 CNY");
    EXPECT_EQ(spent[1].amount, points(-300));
    EXPECT_TRUE(spent[1].money.empty());
    EXPECT_EQ(run.state().balance(), points(1500));  // 2,300 - 800
}

TEST(Redeem, QuantityMultipliesThePrice) {
    member_run run = three_lots();
    // 3 car-care kits at 300 = 900 points: 500 from the welcome lot, 400 from May's.
    const outcome o = run.apply(redeem_ev("r1", "2025-09-01T10:00:00+08:00", "car-care-kit", R"(,"quantity":3)"));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(run.state().balance(), points(1400));
    EXPECT_EQ(o.stock_moves.front().second, 3);
}

TEST(Redeem, Refusals) {
    member_run run = three_lots();
    const auto refused = [&](const std::string& text) { return run.apply(text).refused; };
    EXPECT_EQ(refused(redeem_ev("x1", "2025-12-05T10:00:00+08:00", "rice-cookr")), refusal::unknown_reward);
    EXPECT_EQ(refused(redeem_ev("x2", "2025-12-05T10:00:00+08:00", "rice-cooker", R"(,"option":2)")),
              refusal::unknown_reward);
    // November is outside the December points-for-gifts month (Shanghai time: 30 Nov 23:30 is still November).
    EXPECT_EQ(refused(redeem_ev("x3", "2025-11-30T23:30:00+08:00", "rice-cooker")), refusal::reward_unavailable);
    // Labour vouchers: at most 4 a calendar year; 5 at once is over the limit before points are looked at.
    EXPECT_EQ(refused(redeem_ev("x4", "2025-09-01T10:00:00+08:00", "labour-voucher-100", R"(,"quantity":5)")),
              refusal::limit_reached);
    // 3 vouchers cost 3,000 > 2,300.
    EXPECT_EQ(refused(redeem_ev("x5", "2025-09-01T10:00:00+08:00", "labour-voucher-100", R"(,"quantity":3)")),
              refusal::insufficient_points);
    EXPECT_EQ(run.state().balance(), points(2300));  // nothing changed
    EXPECT_EQ(run.entries().size(), 4u);             // enrol, welcome, two earnings
}

// A reward without a minimum balance refuses a member in debt for want of points, not of a
// minimum of 0 (issue 22: "needs a balance of 0" was the wrong refusal).
TEST(Redeem, AMemberInDebtIsShortOfPointsNotOfAMinimum) {
    member_run run = three_lots();
    // The rice cooker spends 2,000 of 2,300; May's 1,000, reversed, takes back the 300 left
    // (claw_back) and leaves 700 as debt.
    ASSERT_TRUE(run.apply(redeem_ev("r1", "2025-12-05T10:00:00+08:00", "rice-cooker")).accepted());
    const outcome back = run.apply(reverse_of("v1", "2025-12-06T10:00:00+08:00", "e2"));
    ASSERT_TRUE(back.accepted()) << back.message;
    ASSERT_EQ(run.state().balance(), points(-700));
    const outcome o = run.apply(redeem_ev("r2", "2025-12-07T10:00:00+08:00", "car-care-kit"));
    EXPECT_EQ(o.refused, refusal::insufficient_points) << o.message;
    EXPECT_NE(o.message.find("costs 300 pt"), std::string::npos) << o.message;
}

TEST(Redeem, MinimumTenure) {
    member_run run(points_only());
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("e2", "2025-02-01T10:00:00+08:00", "1500.00")).accepted());
    // Floor mats need 90 days of membership: 10 Jan + 89 days = 9 April is too soon, 10 April is day 90.
    EXPECT_EQ(run.apply(redeem_ev("r1", "2025-04-09T10:00:00+08:00", "floor-mats")).refused, refusal::minimum_not_met);
    EXPECT_TRUE(run.apply(redeem_ev("r2", "2025-04-10T10:00:00+08:00", "floor-mats")).accepted());
}

TEST(Redeem, PendingPointsDoNotCount) {
    member_run run(variant([](nlohmann::json& j) { j["pending_days"] = 7; }));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    // The welcome 500 becomes available on 17 January; a 300-point kit on the 16th is refused.
    const outcome early = run.apply(redeem_ev("r1", "2025-01-16T10:00:00+08:00", "car-care-kit"));
    EXPECT_EQ(early.refused, refusal::insufficient_points);
    EXPECT_NE(early.message.find("500 pt pending"), std::string::npos) << early.message;
    EXPECT_TRUE(run.apply(redeem_ev("r2", "2025-01-17T00:00:00+08:00", "car-care-kit")).accepted());
}

TEST(Redeem, TierLimitedRewardRefusesMembersWithoutTheTier) {
    member_run run(variant([](nlohmann::json& j) { j["rewards"][2]["tiers"] = {"gold"}; }));
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    EXPECT_EQ(run.apply(redeem_ev("r1", "2025-02-01T10:00:00+08:00", "car-care-kit")).refused,
              refusal::tier_not_allowed);
}

TEST(Redeem, ReverseIsNotTheWayToUndoARedemption) {
    member_run run = three_lots();
    ASSERT_TRUE(run.apply(redeem_ev("r1", "2025-09-01T10:00:00+08:00", "car-care-kit")).accepted());
    EXPECT_EQ(run.apply(reverse_of("x", "2025-09-02T10:00:00+08:00", "r1")).refused, refusal::not_reversible);
}

TEST(CancelRedemption, GivesPointsBackToTheirLotsWithTheirExpiry) {
    member_run run = three_lots();
    ASSERT_TRUE(run.apply(redeem_ev("r1", "2025-12-05T10:00:00+08:00", "rice-cooker", R"(,"option":1)")).accepted());
    const outcome o = run.apply(cancel_ev("c1", "2025-12-06T10:00:00+08:00", "r1"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto back = entries_of_kind(o, entry_kind::redeem_cancel);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].lot, "e1/welcome");
    EXPECT_EQ(back[0].amount, points(500));
    EXPECT_EQ(back[0].money, "60.00 CNY");  // the money to refund
    EXPECT_EQ(back[0].reverses, "r1");
    EXPECT_EQ(back[1].lot, "e2/service-spend");
    EXPECT_EQ(back[1].amount, points(300));
    EXPECT_EQ(run.state().balance(), points(2300));
    EXPECT_EQ(run.lot_of("e1/welcome").remaining, points(500));
    EXPECT_EQ(*run.lot_of("e1/welcome").expires_on, on("2027-02-01"));
    EXPECT_EQ(o.stock_moves, (std::vector<std::pair<std::string, std::int64_t>>{{"rice-cooker", -1}}));
    // The yearly limit of one rice cooker is free again; a second cancel is refused.
    EXPECT_TRUE(run.apply(redeem_ev("r2", "2025-12-07T10:00:00+08:00", "rice-cooker")).accepted());
    EXPECT_EQ(run.apply(cancel_ev("c2", "2025-12-08T10:00:00+08:00", "r1")).refused, refusal::already_reversed);
    EXPECT_EQ(run.apply(cancel_ev("c3", "2025-12-08T10:00:00+08:00", "e2")).refused, refusal::not_cancellable);
    EXPECT_EQ(run.apply(cancel_ev("c4", "2025-12-08T10:00:00+08:00", "nope")).refused, refusal::unknown_event);
}

// Redeem 300 points in January 2027 from the welcome lot (expires 2027-02-01); cancel on 10 February.
outcome cancel_after_expiry(member_run& run) {
    EXPECT_TRUE(run.apply(redeem_ev("r1", "2027-01-20T10:00:00+08:00", "car-care-kit")).accepted());
    return run.apply(cancel_ev("c1", "2027-02-10T10:00:00+08:00", "r1"));
}

TEST(CancelRedemption, ExpiredLotWithGraceDaysGetsANewLot) {
    member_run run = three_lots();  // the reference programme: 30 days of grace
    const outcome o = cancel_after_expiry(run);
    ASSERT_TRUE(o.accepted()) << o.message;
    // On 1 Feb the welcome lot's other 200 expired (posted by the cancel event, dated 1 Feb 00:00).
    const auto expired = entries_of_kind(o, entry_kind::expire);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].amount, points(-200));
    const auto back = entries_of_kind(o, entry_kind::redeem_cancel);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].amount, points(300));
    EXPECT_EQ(back[0].lot, "c1/e1/welcome");
    EXPECT_EQ(back[0].expires, "2027-03-12");  // 10 Feb + 30 days
    // 2,300 - 300 - 200 expired + 300 back.
    EXPECT_EQ(run.state().balance(), points(2100));
    // On 12 March the 300 expire.
    const outcome later = run.apply(tick("t1", "2027-03-12T00:00:00+08:00"));
    ASSERT_EQ(entries_of_kind(later, entry_kind::expire).size(), 1u);
    EXPECT_EQ(entries_of_kind(later, entry_kind::expire)[0].amount, points(-300));
}

TEST(CancelRedemption, ExpiredLotWithExpireAtOnce) {
    member_run run = three_lots(variant([](nlohmann::json& j) {
        j["redemption"] = {{"when_lot_expired", "expire_at_once"}};
    }));
    const outcome o = cancel_after_expiry(run);
    ASSERT_TRUE(o.accepted()) << o.message;
    // The lot's 200 expire on 1 Feb; the 300 given back go into the lot and expire at once.
    std::vector<std::pair<entry_kind, std::int64_t>> got;
    for (const ledger_entry& e : o.entries) got.emplace_back(e.kind, e.amount.count());
    EXPECT_EQ(got, (std::vector<std::pair<entry_kind, std::int64_t>>{
                       {entry_kind::expire, -200}, {entry_kind::redeem_cancel, 300}, {entry_kind::expire, -300}}));
    EXPECT_EQ(run.state().balance(), points(1800));  // 2,300 - 300 - 200: nothing came back to spend
    EXPECT_EQ(run.lot_of("e1/welcome").expired, points(500));
}

TEST(Stock, TwoMembersRaceForTheLastUnitInOneJournal) {
    program p = variant([](nlohmann::json& j) { j["rewards"][1]["stock"] = 1; });
    journal_runner run{program_versions(p)};
    for (const char* m : {"A", "B"}) {
        const std::string id(m);
        ASSERT_TRUE(run.apply(ev(R"({"id":"en-)" + id + R"(","member":")" + id +
                                 R"(","at":"2025-01-10T10:00:00+08:00","type":"enrol"})"))
                        .accepted());
        ASSERT_TRUE(run.apply(ev(R"({"id":"ro-)" + id + R"(","member":")" + id +
                                 R"(","at":"2025-06-10T10:00:00+08:00","type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"2000.00"}]})"))
                        .accepted());
    }
    const auto redeem_by = [&](const std::string& id, const std::string& m, const std::string& when) {
        return run.apply(ev(R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when +
                            R"(","type":"redeem","reward":"rice-cooker"})"));
    };
    EXPECT_TRUE(redeem_by("rA", "A", "2025-12-01T09:00:00+08:00").accepted());
    const outcome second = redeem_by("rB", "B", "2025-12-01T09:00:01+08:00");
    EXPECT_EQ(second.refused, refusal::out_of_stock);
    EXPECT_EQ(run.stock().issued_of("rice-cooker"), 1);
    // A cancels: the unit comes back and B gets it.
    ASSERT_TRUE(run.apply(ev(R"({"id":"cA","member":"A","at":"2025-12-02T09:00:00+08:00","type":"cancel_redemption","redemption":"rA"})"))
                    .accepted());
    EXPECT_EQ(run.stock().issued_of("rice-cooker"), 0);
    EXPECT_TRUE(redeem_by("rB2", "B", "2025-12-02T10:00:00+08:00").accepted());
    EXPECT_EQ(run.stock().issued_of("rice-cooker"), 1);
}

TEST(Stock, AdoptedStockIsWhatTheRunnerJudgesBy) {
    program p = variant([](nlohmann::json& j) { j["rewards"][2]["stock"] = 5; });
    journal_runner run{program_versions(p)};
    reward_stock seeded;
    seeded.issued["car-care-kit"] = 5;  // issued before this run (from a store's snapshot)
    run.adopt_stock(seeded);
    ASSERT_TRUE(run.apply(ev(R"({"id":"en","member":"A","at":"2025-01-10T10:00:00+08:00","type":"enrol"})")).accepted());
    EXPECT_EQ(run.apply(ev(R"({"id":"r","member":"A","at":"2025-01-11T10:00:00+08:00","type":"redeem","reward":"car-care-kit"})"))
                  .refused,
              refusal::out_of_stock);
}

}  // namespace unit_redemption
}  // namespace loyalty::test
