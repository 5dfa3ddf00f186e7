// Labour-fee vouchers: issued by redeeming a labour_voucher reward, used by repair-order pricing
// on labour lines, lapsing on their day, given back when an order is reversed. The reference
// programme's voucher: 100.00 for 1,000 points, valid 365 days, remainder kept. Benefits are
// stripped (points_only) so that labour is paid in full unless a voucher pays it.
#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace loyalty::test {
namespace unit_voucher {

std::string redeem_voucher(const std::string& id, const std::string& when) {
    return simple(id, when, "redeem", R"(,"reward":"labour-voucher-100")");
}
std::string labour_and_part(const std::string& id, const std::string& when, const std::string& labour,
                            const std::string& part) {
    return simple(id, when, "repair_order",
                  R"(,"ro":"RO-)" + id + R"(","lines":[{"kind":"labour","category":"maintenance","unit_price":")" +
                      labour + R"("},{"kind":"part","category":"maintenance","unit_price":")" + part + R"("}])");
}
// Enrolled 10 Jan 2025 (500 welcome), 1,000 earned in May, a voucher bought on 1 Sep 2025.
member_run with_voucher(program p = points_only()) {
    member_run run(std::move(p));
    EXPECT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    EXPECT_TRUE(run.apply(simple_ro("e2", "2025-05-20T10:00:00+08:00", "1000.00")).accepted());
    const outcome o = run.apply(redeem_voucher("r1", "2025-09-01T10:00:00+08:00"));
    EXPECT_TRUE(o.accepted()) << o.message;
    return run;
}

TEST(Voucher, IssuedByARedemption) {
    member_run run(points_only());
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("e2", "2025-05-20T10:00:00+08:00", "1000.00")).accepted());
    const outcome o = run.apply(redeem_voucher("r1", "2025-09-01T10:00:00+08:00"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto issued = entries_of_kind(o, entry_kind::voucher_issue);
    ASSERT_EQ(issued.size(), 1u);
    EXPECT_EQ(issued[0].lot, "r1/labour-voucher-100#1");
    EXPECT_EQ(issued[0].money, "100.00 CNY");
    EXPECT_EQ(issued[0].expires, "2026-09-01");  // 1 Sep 2025 + 365 days
    EXPECT_EQ(issued[0].amount, points(0));
    ASSERT_EQ(run.state().vouchers.size(), 1u);
    EXPECT_EQ(run.state().vouchers[0].remaining, yuan("100.00"));
    EXPECT_EQ(run.state().balance(), points(500));  // 1,500 - 1,000
}

TEST(Voucher, PaysLabourOnlyAndPointsAreEarnedOnWhatIsLeft) {
    member_run run = with_voucher();
    // Labour 150.00, part 200.00: the voucher pays 100.00 of the labour; the member pays 50 + 200.
    const outcome o = run.apply(labour_and_part("o1", "2025-09-10T10:00:00+08:00", "150.00", "200.00"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto used = entries_of_kind(o, entry_kind::voucher_use);
    ASSERT_EQ(used.size(), 1u);
    EXPECT_EQ(used[0].money, "100.00 CNY");
    const auto earned = entries_of_kind(o, entry_kind::earn);
    ASSERT_EQ(earned.size(), 1u);
    EXPECT_EQ(earned[0].amount, points(250));  // 1 point per 1.00 of 250.00 paid
    EXPECT_TRUE(run.state().vouchers[0].remaining.is_zero());
    EXPECT_EQ(run.state().vouchers[0].used, yuan("100.00"));
}

// The entries say which order a voucher paid and which reward was redeemed, with no empty parts
// when the order has no RO number or the reward no name (issue 22).
TEST(Voucher, EntriesHaveNoEmptyParts) {
    member_run run = with_voucher();
    const outcome o = run.apply(simple("o1", "2025-09-10T10:00:00+08:00", "repair_order",
                                       R"(,"lines":[{"kind":"labour","category":"maintenance","unit_price":"150.00"}])"));
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(entries_of_kind(o, entry_kind::voucher_use).at(0).reason,
              "r1/labour-voucher-100#1: pays 100.00 of labour on repair order o1 (no RO number), 0.00 left");
    member_run unnamed(variant([](nlohmann::json& j) { j["rewards"][0].erase("name"); }));
    ASSERT_TRUE(unnamed.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(unnamed.apply(simple_ro("e2", "2025-05-20T10:00:00+08:00", "1000.00")).accepted());
    const outcome r = unnamed.apply(redeem_voucher("r1", "2025-09-01T10:00:00+08:00"));
    ASSERT_TRUE(r.accepted()) << r.message;
    EXPECT_EQ(entries_of_kind(r, entry_kind::redeem).at(0).reason, "redeems 1 x labour-voucher-100 for 1000")
        << entries_of_kind(r, entry_kind::redeem).at(0).reason;
    EXPECT_EQ(entries_of_kind(r, entry_kind::redeem).at(0).reason.find("()"), std::string::npos);
}

TEST(Voucher, RemainderIsKeptForTheNextOrder) {
    member_run run = with_voucher();
    ASSERT_TRUE(run.apply(labour_and_part("o1", "2025-09-10T10:00:00+08:00", "60.00", "10.00")).accepted());
    EXPECT_EQ(run.state().vouchers[0].remaining, yuan("40.00"));
    const outcome o = run.apply(labour_and_part("o2", "2025-10-10T10:00:00+08:00", "30.00", "10.00"));
    ASSERT_TRUE(o.accepted());
    EXPECT_EQ(entries_of_kind(o, entry_kind::voucher_use)[0].money, "30.00 CNY");
    EXPECT_EQ(run.state().vouchers[0].remaining, yuan("10.00"));
}

TEST(Voucher, RemainderForfeitedWhenTheRewardSaysSo) {
    member_run run = with_voucher(variant([](nlohmann::json& j) { j["rewards"][0]["voucher"]["remainder"] = "forfeit"; }));
    const outcome o = run.apply(labour_and_part("o1", "2025-09-10T10:00:00+08:00", "60.00", "10.00"));
    ASSERT_TRUE(o.accepted());
    EXPECT_EQ(entries_of_kind(o, entry_kind::voucher_use)[0].money, "60.00 CNY");
    const auto lost = entries_of_kind(o, entry_kind::voucher_expire);
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_EQ(lost[0].money, "40.00 CNY");
    EXPECT_TRUE(run.state().vouchers[0].remaining.is_zero());
}

TEST(Voucher, LapsesOnItsDayInTheProgrammeTimeZone) {
    member_run run = with_voucher();
    // 31 Aug 2026 23:59 Shanghai: still valid.
    EXPECT_TRUE(entries_of_kind(run.apply(tick("t1", "2026-08-31T23:59:00+08:00")), entry_kind::voucher_expire).empty());
    const outcome o = run.apply(tick("t2", "2026-09-01T00:00:00+08:00"));
    const auto lapsed = entries_of_kind(o, entry_kind::voucher_expire);
    ASSERT_EQ(lapsed.size(), 1u);
    EXPECT_EQ(lapsed[0].money, "100.00 CNY");
    EXPECT_EQ(lapsed[0].at, at("2026-08-31T16:00:00Z"));
    // A lapsed voucher pays nothing.
    const outcome later = run.apply(labour_and_part("o1", "2026-09-02T10:00:00+08:00", "60.00", "10.00"));
    EXPECT_TRUE(entries_of_kind(later, entry_kind::voucher_use).empty());
}

TEST(Voucher, ReversedOrderGivesTheUseBack) {
    member_run run = with_voucher(variant([](nlohmann::json& j) { j["rewards"][0]["voucher"]["remainder"] = "forfeit"; }));
    ASSERT_TRUE(run.apply(labour_and_part("o1", "2025-09-10T10:00:00+08:00", "60.00", "10.00")).accepted());
    const outcome o = run.apply(reverse_of("x1", "2025-09-11T10:00:00+08:00", "o1"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto back = entries_of_kind(o, entry_kind::voucher_return);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].money, "100.00 CNY");  // 60.00 used + 40.00 forfeited
    EXPECT_EQ(back[0].reverses, "o1");
    EXPECT_EQ(run.state().vouchers[0].remaining, yuan("100.00"));
    EXPECT_TRUE(run.state().vouchers[0].used.is_zero());
}

TEST(Voucher, CancellingTheRedemptionNeedsAnUnusedVoucher) {
    member_run run = with_voucher();
    ASSERT_TRUE(run.apply(labour_and_part("o1", "2025-09-10T10:00:00+08:00", "60.00", "10.00")).accepted());
    const auto cancel = [&](const std::string& id) {
        return run.apply(simple(id, "2025-09-12T10:00:00+08:00", "cancel_redemption", R"(,"redemption":"r1")"));
    };
    EXPECT_EQ(cancel("c1").refused, refusal::not_cancellable);
    ASSERT_TRUE(run.apply(reverse_of("x1", "2025-09-11T10:00:00+08:00", "o1")).accepted());
    const outcome o = cancel("c2");
    ASSERT_TRUE(o.accepted()) << o.message;
    const auto withdrawn = entries_of_kind(o, entry_kind::voucher_return);
    ASSERT_EQ(withdrawn.size(), 1u);
    EXPECT_EQ(withdrawn[0].money, "100.00 CNY");
    EXPECT_TRUE(run.state().vouchers[0].withdrawn);
    // 500 welcome + 1,000 from May, all back (the reversed order's 10 points are gone again).
    EXPECT_EQ(run.state().balance(), points(1500));
}

TEST(Voucher, EstimateShowsTheVoucherOnTheLine) {
    member_run run = with_voucher();
    events::repair_order ro;
    ro.number = "RO-EST";
    ro.status = events::ro_status::estimate;
    ro.lines.push_back({line_kind::labour, "maintenance", "", decimal::integer(2), yuan("80.00"), 0});
    const priced_order priced = price(points_only(), run.state(), ro, at("2025-09-10T10:00:00+08:00"));
    ASSERT_EQ(priced.lines.size(), 1u);
    // 2 h x 80.00 = 160.00; the voucher pays 100.00; the member pays 60.00 and earns 60 points.
    EXPECT_EQ(priced.lines[0].list, yuan("160.00"));
    EXPECT_EQ(priced.lines[0].net, yuan("60.00"));
    EXPECT_EQ(priced.voucher_total, yuan("100.00"));
    EXPECT_EQ(priced.net_total, yuan("60.00"));
    EXPECT_TRUE(priced.discount_total.is_zero());
    EXPECT_EQ(priced.points_total, points(60));
    ASSERT_EQ(priced.lines[0].adjustments.size(), 1u);
    EXPECT_EQ(priced.lines[0].adjustments[0].benefit, "r1/labour-voucher-100#1");
}

}  // namespace unit_voucher
}  // namespace loyalty::test
