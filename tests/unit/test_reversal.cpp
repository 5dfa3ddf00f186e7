// Reversal: undoing an event with new entries that name it; spent points per programme policy.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_reversal {

using namespace loyalty;
using namespace loyalty::test;
using nlohmann::json;

namespace {

const program negative_balance = variant([](json& j) { j["reversal"]["when_spent"] = "negative_balance"; });

}  // namespace

TEST(Reversal, UnspentEarningsComeOutOfTheirLot) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00"));  // 800 pt
    const outcome o = run.apply(reverse_of("x1", "2025-02-11T10:00:00+08:00", "r1"));
    ASSERT_TRUE(o.accepted()) << o.message;
    ASSERT_EQ(o.entries.size(), 1u);
    EXPECT_EQ(o.entries[0].kind, entry_kind::reverse);
    EXPECT_EQ(o.entries[0].amount, points(-800));
    EXPECT_EQ(o.entries[0].lot, "r1/service-spend");
    EXPECT_EQ(o.entries[0].reverses, "r1");
    EXPECT_EQ(run.state().balance(), points(500));
    EXPECT_TRUE(run.state().effects.at("r1").reversed);
}

TEST(Reversal, SpentPointsAreClawedBackFromOtherLots) {
    member_run run(points_only());  // claw_back
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));                // welcome 500, expires 2027-03-01
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00"));  // 800, expires 2027-03-01
    run.apply(simple_ro("r2", "2025-05-10T10:00:00+08:00", "400.00"));  // 400, expires 2027-06-01
    // Spend 1000: welcome 500 first (same expiry, earned earlier), then 500 of r1's 800.
    run.apply(adjust("a1", "2025-05-11T10:00:00+08:00", -1000));
    EXPECT_EQ(run.lot_of("r1/service-spend").remaining, points(300));
    // Reverse r1: 300 from its lot; 500 were spent -> clawed back from r2's lot (400), and the
    // remaining 100 cannot be taken: debt 100. Balance 700 - 800 = -100.
    const outcome o = run.apply(reverse_of("x1", "2025-05-12T10:00:00+08:00", "r1"));
    ASSERT_TRUE(o.accepted());
    ASSERT_EQ(o.entries.size(), 3u);
    EXPECT_EQ(o.entries[0].kind, entry_kind::reverse);
    EXPECT_EQ(o.entries[0].amount, points(-300));
    EXPECT_EQ(o.entries[1].kind, entry_kind::claw_back);
    EXPECT_EQ(o.entries[1].lot, "r2/service-spend");
    EXPECT_EQ(o.entries[1].amount, points(-400));
    EXPECT_EQ(o.entries[2].kind, entry_kind::debt);
    EXPECT_EQ(o.entries[2].amount, points(-100));
    EXPECT_EQ(run.state().debt, points(100));
    EXPECT_EQ(run.state().balance(), points(-100));
    // The next earning pays the debt first: 250 earned, 100 to debt, 150 left in the new lot.
    const outcome next = run.apply(simple_ro("r3", "2025-06-01T10:00:00+08:00", "250.00"));
    ASSERT_EQ(next.entries.size(), 2u);
    EXPECT_EQ(next.entries[1].kind, entry_kind::settle_debt);
    EXPECT_EQ(next.entries[1].amount, points(0));
    EXPECT_EQ(next.entries[1].debt_paid, points(100));  // a field: reports read it, not the reason
    EXPECT_EQ(next.entries[0].debt_paid, std::nullopt);
    EXPECT_EQ(o.entries[2].debt_paid, std::nullopt);    // the debt entry itself moves points
    EXPECT_EQ(run.state().debt, points(0));
    EXPECT_EQ(run.lot_of("r3/service-spend").remaining, points(150));
    EXPECT_EQ(run.state().balance(), points(150));
}

TEST(Reversal, NegativeBalancePolicyLeavesOtherLotsAlone) {
    member_run run(negative_balance);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00"));
    run.apply(simple_ro("r2", "2025-05-10T10:00:00+08:00", "400.00"));
    run.apply(adjust("a1", "2025-05-11T10:00:00+08:00", -1000));
    // Same as above, but the 500 spent points all become debt; r2's lot keeps its 400.
    const outcome o = run.apply(reverse_of("x1", "2025-05-12T10:00:00+08:00", "r1"));
    ASSERT_EQ(o.entries.size(), 2u);
    EXPECT_EQ(o.entries[0].amount, points(-300));
    EXPECT_EQ(o.entries[1].kind, entry_kind::debt);
    EXPECT_EQ(o.entries[1].amount, points(-500));
    EXPECT_EQ(run.lot_of("r2/service-spend").remaining, points(400));
    EXPECT_EQ(run.state().debt, points(500));
    EXPECT_EQ(run.state().balance(), points(-100));  // 400 in lots - 500 debt
}

TEST(Reversal, ExpiredPointsAreNotTakenBackTwice) {
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "months_after_earning"}, {"months", 1}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00"));  // expires 2025-03-10
    run.apply(tick("t1", "2025-03-20T10:00:00+08:00"));                  // both lots expired
    const outcome o = run.apply(reverse_of("x1", "2025-03-21T10:00:00+08:00", "r1"));
    ASSERT_TRUE(o.accepted());
    EXPECT_TRUE(o.entries.empty());  // nothing left to take; breakage already removed them
    EXPECT_EQ(run.state().debt, points(0));
    EXPECT_EQ(run.state().balance(), points(0));
}

TEST(Reversal, ReversingADebitRestoresTheSameLotsWithTheirExpiry) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));                // 500, expires 2027-03-01
    run.apply(simple_ro("r1", "2025-05-10T10:00:00+08:00", "400.00"));  // 400, expires 2027-06-01
    run.apply(adjust("a1", "2025-05-11T10:00:00+08:00", -600));         // 500 welcome + 100 r1
    const outcome o = run.apply(reverse_of("x1", "2025-05-12T10:00:00+08:00", "a1"));
    ASSERT_EQ(o.entries.size(), 2u);
    EXPECT_EQ(o.entries[0].lot, "e1/welcome");
    EXPECT_EQ(o.entries[0].amount, points(500));
    EXPECT_EQ(o.entries[1].lot, "r1/service-spend");
    EXPECT_EQ(o.entries[1].amount, points(100));
    EXPECT_EQ(run.lot_of("e1/welcome").remaining, points(500));
    EXPECT_EQ(run.lot_of("e1/welcome").expires_on, on("2027-03-01"));
    EXPECT_EQ(run.state().balance(), points(900));
}

TEST(Reversal, PointsRestoredToAnExpiredLotExpireAtOnce) {
    const program p = variant([](json& j) { j["expiry"] = {{"policy", "months_after_earning"}, {"months", 1}}; });
    member_run run(p);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));          // 500, expires 2025-03-01
    run.apply(adjust("a1", "2025-02-05T10:00:00+08:00", -200));   // 200 from the welcome lot
    const outcome o = run.apply(reverse_of("x1", "2025-04-01T10:00:00+08:00", "a1"));
    // First the 300 left expire (due 2025-03-01), then 200 come back and expire at once.
    ASSERT_EQ(o.entries.size(), 3u);
    EXPECT_EQ(o.entries[0].kind, entry_kind::expire);
    EXPECT_EQ(o.entries[0].amount, points(-300));
    EXPECT_EQ(o.entries[1].kind, entry_kind::reverse);
    EXPECT_EQ(o.entries[1].amount, points(200));
    EXPECT_EQ(o.entries[2].kind, entry_kind::expire);
    EXPECT_EQ(o.entries[2].amount, points(-200));
    EXPECT_EQ(o.entries[2].at, at("2025-04-01T10:00:00+08:00"));
    EXPECT_EQ(run.state().balance(), points(0));
    EXPECT_EQ(run.lot_of("e1/welcome").expired, points(500));
}

TEST(Reversal, PeriodCapIsReleased) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple("b1", "2025-05-20T10:00:00+08:00", "birthday"));  // 200, cap 200 a year
    EXPECT_TRUE(run.apply(simple("b2", "2025-05-21T10:00:00+08:00", "birthday")).entries.empty());
    run.apply(reverse_of("x1", "2025-05-22T10:00:00+08:00", "b1"));
    const outcome again = run.apply(simple("b3", "2025-05-23T10:00:00+08:00", "birthday"));
    ASSERT_EQ(again.entries.size(), 1u);
    EXPECT_EQ(again.entries[0].amount, points(200));
}

TEST(Reversal, RefusalsHaveReasonCodes) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-02-10T10:00:00+08:00", "100.00"));
    EXPECT_EQ(run.apply(reverse_of("x1", "2025-02-11T10:00:00+08:00", "nope")).refused, refusal::unknown_event);
    EXPECT_EQ(run.apply(reverse_of("x2", "2025-02-11T10:00:00+08:00", "e1")).refused, refusal::not_reversible);
    ASSERT_TRUE(run.apply(reverse_of("x3", "2025-02-11T10:00:00+08:00", "r1")).accepted());
    EXPECT_EQ(run.apply(reverse_of("x4", "2025-02-12T10:00:00+08:00", "r1")).refused, refusal::already_reversed);
    EXPECT_EQ(run.apply(reverse_of("x5", "2025-02-12T10:00:00+08:00", "x3")).refused, refusal::not_reversible);
    EXPECT_EQ(run.state().balance(), points(500));
}

}  // namespace unit_reversal
