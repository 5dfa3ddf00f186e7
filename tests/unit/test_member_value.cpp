// Member value: RFM scores, lifetime value and life-cycle stage from a member's history.
// Every expected figure is worked out by hand in the comment above it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_support.hpp"
#include "loyalty/insight/member_value.hpp"

namespace loyalty::test {
namespace unit_member_value {

// The reference club without its benefits: a repair order's member pays its list price.
// Its time zone is Asia/Shanghai.
struct replay {
    explicit replay(program p, const std::vector<std::string>& events) : rec(program_versions(std::move(p))) {
        for (const std::string& e : events) {
            const outcome o = rec.apply(ev(e));
            if (!o.accepted()) throw std::runtime_error("refused: " + e + ": " + o.message);
        }
    }
    member_value value(const std::string& as_of, const member_value_rules& rules = {}) const {
        const program& p = rec.versions().latest();
        return value_of(p, rec.runner().members().at("M1"), rec.history_of("M1"), at(as_of), rules);
    }
    history_recorder rec;
};

std::vector<std::string> three_orders() {
    return {enrol("e1", "2025-01-10T10:00:00+08:00"),
            simple_ro("r1", "2025-03-01T10:00:00+08:00", "1200.00"),
            simple_ro("r2", "2025-07-01T10:00:00+08:00", "850.50"),
            simple_ro("r3", "2025-12-01T10:00:00+08:00", "2000.00")};
}

TEST(MemberValue, ThreePaidOrdersScoresAndLifetimeValue) {
    const replay r(points_only(), three_orders());
    const member_value v = r.value("2025-12-31T23:59:59+08:00");
    // Recency: last paid visit 2025-12-01, as-of day 2025-12-31: 30 days, at most 30 -> 5.
    EXPECT_EQ(v.rfm.days_since_paid_visit, 30);
    EXPECT_EQ(v.rfm.recency, 5);
    // Window: 365 days up to 2025-12-31, i.e. 2025-01-01..2025-12-31; all three orders in it.
    EXPECT_EQ(v.rfm.window.first, on("2025-01-01"));
    EXPECT_EQ(v.rfm.visits, 3);
    EXPECT_EQ(v.rfm.frequency, 3);  // 3 >= 3 (score 3), < 5
    // Monetary: 1200.00 + 850.50 + 2000.00 = 4050.50; >= 3000 (score 3), < 8000.
    EXPECT_EQ(v.rfm.paid, yuan("4050.50"));
    EXPECT_EQ(v.rfm.monetary, 3);
    // Lifetime value: tenure 2025-01-10..2025-12-31 = 356 days, observed max(356, 365) = 365;
    // annual 4050.50 x 365 / 365 = 4050.50; years 0.8 / 0.2 = 4; value 4050.50 x 4 = 16202.00.
    EXPECT_EQ(v.clv.tenure_days, 356);
    EXPECT_EQ(v.clv.observed_days, 365);
    EXPECT_EQ(v.clv.annual_spend, yuan("4050.50"));
    EXPECT_EQ(v.clv.value, yuan("16202.00"));
    // Stage: not a prospect, no vehicle, 30 days (not at risk); R5 F3 M3 misses M >= 4: established.
    EXPECT_EQ(v.stage.stage, life_cycle_stage::established);
}

TEST(MemberValue, LongerTenureRoundsOnceHalfUp) {
    const replay r(points_only(), three_orders());
    const member_value v = r.value("2026-06-30T12:00:00+08:00");
    // Last paid visit 2025-12-01 -> 2026-06-30: 30 + 181 = 211 days: > 180, <= 365 -> 2.
    EXPECT_EQ(v.rfm.days_since_paid_visit, 211);
    EXPECT_EQ(v.rfm.recency, 2);
    // Window 2025-07-01..2026-06-30: r2 (2025-07-01, the window's first day) and r3.
    EXPECT_EQ(v.rfm.window.first, on("2025-07-01"));
    EXPECT_EQ(v.rfm.visits, 2);
    EXPECT_EQ(v.rfm.frequency, 2);
    EXPECT_EQ(v.rfm.paid, yuan("2850.50"));  // 850.50 + 2000.00 < 3000 -> 2
    EXPECT_EQ(v.rfm.monetary, 2);
    // Tenure 2025-01-10..2026-06-30 = 356 + 181 = 537 days = observed.
    // value = 405050 fen x 365 x 8 / (537 x (10 - 8)) = 1,182,746,000 / 1074 = 1,101,253.26 -> 1,101,253 fen.
    EXPECT_EQ(v.clv.observed_days, 537);
    EXPECT_EQ(v.clv.value, yuan("11012.53"));
    // annual = 405050 x 365 / 537 = 275,313.31 -> 275,313 fen.
    EXPECT_EQ(v.clv.annual_spend, yuan("2753.13"));
    // Rounding up instead: 1,101,254 fen.
    member_value_rules up;
    up.lifetime.mode = rounding::up;
    EXPECT_EQ(r.value("2026-06-30T12:00:00+08:00", up).clv.value, yuan("11012.54"));
}

TEST(MemberValue, RecencyBandEdge) {
    const replay r(points_only(), three_orders());
    // 2025-12-01 -> 2025-12-31 is 30 days (score 5); -> 2026-01-01 is 31 days (score 4).
    EXPECT_EQ(r.value("2025-12-31T23:59:59+08:00").rfm.recency, 5);
    EXPECT_EQ(r.value("2026-01-01T00:00:00+08:00").rfm.recency, 4);
}

TEST(MemberValue, MonetaryBandEdge) {
    // Exactly 3000.00 in the window scores 3; 2999.99 scores 2.
    const replay exact(points_only(), {enrol("e1", "2025-01-10T10:00:00+08:00"),
                                       simple_ro("r1", "2025-03-01T10:00:00+08:00", "3000.00")});
    EXPECT_EQ(exact.value("2025-06-01T10:00:00+08:00").rfm.monetary, 3);
    const replay below(points_only(), {enrol("e1", "2025-01-10T10:00:00+08:00"),
                                       simple_ro("r1", "2025-03-01T10:00:00+08:00", "2999.99")});
    EXPECT_EQ(below.value("2025-06-01T10:00:00+08:00").rfm.monetary, 2);
}

TEST(MemberValue, ReversedOrderCountsOnlyUntilItsReversal) {
    std::vector<std::string> events = three_orders();
    events.push_back(reverse_of("x3", "2025-12-15T10:00:00+08:00", "r3"));
    const replay r(points_only(), events);
    // Before the reversal r3 stands: 3 visits, 4050.50.
    const member_value before = r.value("2025-12-10T10:00:00+08:00");
    EXPECT_EQ(before.rfm.visits, 3);
    EXPECT_EQ(before.rfm.paid, yuan("4050.50"));
    // After it: r1 + r2 = 2050.50 (score 2), 2 visits (score 2); last paid visit 2025-07-01, 183 days
    // before 2025-12-31 (> 180) -> recency 2; lifetime value 2050.50 x 4 = 8202.00.
    const member_value after = r.value("2025-12-31T23:59:59+08:00");
    EXPECT_EQ(after.rfm.visits, 2);
    EXPECT_EQ(after.rfm.paid, yuan("2050.50"));
    EXPECT_EQ(after.rfm.monetary, 2);
    EXPECT_EQ(after.rfm.days_since_paid_visit, 183);
    EXPECT_EQ(after.rfm.recency, 2);
    EXPECT_EQ(after.clv.value, yuan("8202.00"));
}

TEST(MemberValue, EventsAfterTheAsOfInstantDoNotCount) {
    const replay r(points_only(), three_orders());
    // As of 2025-11-30: r1 and r2 only (2050.50); last paid 2025-07-01 -> 152 days (> 90, <= 180 -> 3).
    const member_value v = r.value("2025-11-30T23:59:59+08:00");
    EXPECT_EQ(v.rfm.visits, 2);
    EXPECT_EQ(v.rfm.paid, yuan("2050.50"));
    EXPECT_EQ(v.rfm.recency, 3);
}

TEST(MemberValue, ShanghaiDayBoundaryAgainstUtc) {
    // The order is at 2025-11-30T16:30:00Z: 00:30 on 1 December in Shanghai, still 30 November in UTC.
    // As of 2025-12-31T12:00:00Z (Shanghai 20:00, UTC 12:00, both 31 December):
    const std::vector<std::string> events = {enrol("e1", "2025-01-10T10:00:00+08:00"),
                                             simple_ro("r1", "2025-11-30T16:30:00Z", "500.00")};
    const replay shanghai(points_only(), events);
    // Shanghai: 2025-12-01 -> 2025-12-31 = 30 days -> 5.
    EXPECT_EQ(shanghai.value("2025-12-31T12:00:00Z").rfm.days_since_paid_visit, 30);
    EXPECT_EQ(shanghai.value("2025-12-31T12:00:00Z").rfm.recency, 5);
    const replay utc(variant([](nlohmann::json& j) { j["time_zone"] = "UTC"; }), events);
    // UTC: 2025-11-30 -> 2025-12-31 = 31 days -> 4.
    EXPECT_EQ(utc.value("2025-12-31T12:00:00Z").rfm.days_since_paid_visit, 31);
    EXPECT_EQ(utc.value("2025-12-31T12:00:00Z").rfm.recency, 4);
}

TEST(MemberValue, ProspectWhenNothingPaid) {
    // The reference club's exterior wash is free for members: a closed order paying 0.00 is a
    // visit but not a paid one.
    const replay r(reference_program(),
                   {enrol("e1", "2025-01-10T10:00:00+08:00"),
                    R"({"id":"w1","member":"M1","at":"2025-02-01T10:00:00+08:00","type":"repair_order",
                        "lines":[{"kind":"labour","category":"care","operation":"WASH-EXT","unit_price":"40.00"}]})"});
    ASSERT_EQ(r.rec.history_of("M1").visits.size(), 1u);
    EXPECT_EQ(r.rec.history_of("M1").visits[0].paid, yuan("0.00"));
    const member_value v = r.value("2025-03-01T10:00:00+08:00");
    EXPECT_FALSE(v.rfm.days_since_paid_visit.has_value());
    EXPECT_EQ(v.rfm.recency, 1);
    EXPECT_EQ(v.rfm.frequency, 1);
    EXPECT_EQ(v.rfm.monetary, 1);
    EXPECT_EQ(v.clv.value, yuan("0.00"));
    EXPECT_EQ(v.stage.stage, life_cycle_stage::prospect);
}

TEST(MemberValue, PaidIsWhatTheMemberPaysAfterBenefits) {
    // Reference club: maintenance labour 800.00 at 70% (labour-30-off) = 560.00 paid.
    const replay r(reference_program(),
                   {enrol("e1", "2025-01-10T10:00:00+08:00"),
                    R"({"id":"r1","member":"M1","at":"2025-02-01T10:00:00+08:00","type":"repair_order",
                        "lines":[{"kind":"labour","category":"maintenance","operation":"SERVICE-B","unit_price":"800.00"}]})"});
    EXPECT_EQ(r.value("2025-03-01T10:00:00+08:00").rfm.paid, yuan("560.00"));
}

std::vector<std::string> purchase(const std::string& when) {
    return {enrol("e1", "2025-05-01T10:00:00+08:00"),
            R"({"id":"p1","member":"M1","at":")" + when + R"(","type":"vehicle_purchase","vin":"VIN1","price":"150000.00"})"};
}

TEST(MemberValue, NewOwnerThenAtRiskAtTheEdge) {
    const replay r(points_only(), purchase("2025-06-01T10:00:00+08:00"));
    // 2025-06-01 -> 2026-06-01 = 365 days: at most new_owner_days (365) -> new_owner.
    EXPECT_EQ(r.value("2026-06-01T23:00:00+08:00").stage.stage, life_cycle_stage::new_owner);
    // -> 2026-06-02 = 366 days: no longer new; the purchase is the last paid visit, 366 > 365 -> at_risk.
    const member_value v = r.value("2026-06-02T09:00:00+08:00");
    EXPECT_EQ(v.stage.stage, life_cycle_stage::at_risk);
    // -> 2027-06-02 = 731 days > 730 -> lapsed.
    EXPECT_EQ(r.value("2027-06-02T09:00:00+08:00").stage.stage, life_cycle_stage::lapsed);
    // -> 2027-06-01 = 730 days, not more than 730 -> still at_risk.
    EXPECT_EQ(r.value("2027-06-01T09:00:00+08:00").stage.stage, life_cycle_stage::at_risk);
}

TEST(MemberValue, VehiclePurchaseInMonetaryButNotInLifetimeValueByDefault) {
    const replay r(points_only(), purchase("2025-06-01T10:00:00+08:00"));
    const member_value v = r.value("2025-12-01T10:00:00+08:00");
    EXPECT_EQ(v.rfm.visits, 1);
    EXPECT_EQ(v.rfm.paid, yuan("150000.00"));
    EXPECT_EQ(v.rfm.monetary, 5);  // >= 20000
    EXPECT_EQ(v.clv.value, yuan("0.00"));
    // With vehicle purchases: tenure 2025-05-01..2025-12-01 = 215 days, observed 365;
    // 15,000,000 fen x 365 x 8 / (365 x 2) = 60,000,000 fen = 600000.00.
    member_value_rules with;
    with.lifetime.include_vehicle_purchases = true;
    EXPECT_EQ(r.value("2025-12-01T10:00:00+08:00", with).clv.value, yuan("600000.00"));
}

TEST(MemberValue, HighValue) {
    // Five orders of 1000.00 (March to July 2025) and one of 5000.00 on 2025-12-01; as of
    // 2025-12-11 the last is 10 days old.
    std::vector<std::string> events = {enrol("e1", "2025-01-10T10:00:00+08:00")};
    for (int i = 0; i < 5; ++i)
        events.push_back(simple_ro("r" + std::to_string(i), "2025-0" + std::to_string(3 + i) + "-01T10:00:00+08:00",
                                   "1000.00"));
    events.push_back(simple_ro("r9", "2025-12-01T10:00:00+08:00", "5000.00"));
    const replay r(points_only(), events);
    // R5 (10 <= 30), F4 (6 visits >= 5, < 8), M4 (5 x 1000.00 + 5000.00 = 10000.00 >= 8000, < 20000):
    // at least R3 F3 M4 -> high_value.
    const member_value v = r.value("2025-12-11T10:00:00+08:00");
    EXPECT_EQ(v.rfm.recency, 5);
    EXPECT_EQ(v.rfm.frequency, 4);
    EXPECT_EQ(v.rfm.monetary, 4);
    EXPECT_EQ(v.stage.stage, life_cycle_stage::high_value);
    // Asking for M5 makes the same member established.
    member_value_rules strict;
    strict.stages.high_value_min_monetary = 5;
    EXPECT_EQ(r.value("2025-12-11T10:00:00+08:00", strict).stage.stage, life_cycle_stage::established);
}

TEST(MemberValue, RefusedEventsAreNoVisits) {
    // A repeated event id is refused by the runner: it is not recorded twice.
    const replay r(points_only(), {enrol("e1", "2025-01-10T10:00:00+08:00"),
                                   simple_ro("r1", "2025-03-01T10:00:00+08:00", "100.00")});
    history_recorder rec = r.rec;
    EXPECT_FALSE(rec.apply(ev(simple_ro("r1", "2025-03-02T10:00:00+08:00", "100.00"))).accepted());
    EXPECT_EQ(rec.history_of("M1").visits.size(), 1u);
    // An estimate is priced but is no visit.
    EXPECT_TRUE(rec.apply(ev(R"({"id":"q1","member":"M1","at":"2025-03-03T10:00:00+08:00","type":"repair_order",
        "status":"estimate","lines":[{"kind":"labour","category":"maintenance","unit_price":"100.00"}]})")).accepted());
    EXPECT_EQ(rec.history_of("M1").visits.size(), 1u);
}

}  // namespace unit_member_value
}  // namespace loyalty::test
