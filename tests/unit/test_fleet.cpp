// Fleet (corporate) accounts: members join an account, their paid visits count toward its
// spend, a volume rebate is settled on the period's spend in bands, and a fleet discount prices
// the members' orders. Every figure is worked by hand in the test.
#include <gtest/gtest.h>

#include "fleet_support.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/io/state_json.hpp"

namespace loyalty::test {
namespace unit_fleet {

const std::string shanghai_2025_06 = "2025-06-10T10:00:00+08:00";

volume_rebate bands(rebate_method method) {
    volume_rebate v;
    v.method = method;
    v.bands = {{yuan("100000.00"), decimal(2, 2)}, {yuan("300000.00"), decimal(3, 2)}};
    return v;
}

// ---- the rebate arithmetic ----

TEST(FleetRebate, WholeSpendAtTheBandReachedWithTheEdgesInclusive) {
    const volume_rebate v = bands(rebate_method::whole);
    EXPECT_EQ(compute_rebate(v, yuan("99999.99")).rebate, yuan("0.00"));     // below the first band
    EXPECT_EQ(compute_rebate(v, yuan("100000.00")).rebate, yuan("2000.00"));  // exactly at it: 0.02 x 100,000.00
    // 0.02 x 299,999.99 = 5,999.9998, rounded down to 5,999.99
    EXPECT_EQ(compute_rebate(v, yuan("299999.99")).rebate, yuan("5999.99"));
    EXPECT_EQ(compute_rebate(v, yuan("300000.00")).rebate, yuan("9000.00"));  // 0.03 x 300,000.00
    const rebate_calculation c = compute_rebate(v, yuan("312400.00"));       // 0.03 x 312,400.00 = 9,372.00
    EXPECT_EQ(c.rebate, yuan("9372.00"));
    EXPECT_NE(c.how.find("band from 300000.00 reached"), std::string::npos) << c.how;
}

TEST(FleetRebate, MarginalRatesEachBandOnItsOwnPartAndRoundsOnce) {
    const volume_rebate v = bands(rebate_method::marginal);
    EXPECT_EQ(compute_rebate(v, yuan("100000.00")).rebate, yuan("0.00"));  // nothing above the first band's start
    // 0.02 x (300,000.00 - 100,000.00) + 0.03 x (350,000.00 - 300,000.00) = 4,000.00 + 1,500.00
    EXPECT_EQ(compute_rebate(v, yuan("350000.00")).rebate, yuan("5500.00"));
    // Two half-cent parts: 0.005 x 1.00 + 0.005 x 1.00 = 0.01 exactly; rounding each part down
    // first would give 0.00.
    volume_rebate tiny;
    tiny.method = rebate_method::marginal;
    tiny.bands = {{yuan("0.00"), decimal(5, 3)}, {yuan("1.00"), decimal(5, 3)}};
    EXPECT_EQ(compute_rebate(tiny, yuan("2.00")).rebate, yuan("0.01"));
}

TEST(FleetRebate, PointsAreTheRebateTimesThePointsPerUnitRoundedDown) {
    volume_rebate v = bands(rebate_method::whole);
    v.pay_as = rebate_payment::points;
    v.points_per_unit = decimal(15, 1);  // 1.5 pt per 1.00
    // 2,000.01 x 1.5 = 3,000.015 -> 3,000 pt
    EXPECT_EQ(rebate_points(v, yuan("2000.01")), points(3000));
}

// ---- the account on the journal ----

// Account A opened 2 Jan 2025; drivers D1 and D2 enrol and join it.
journal_runner with_account(const program& p = fleet_program()) {
    journal_runner run{program_versions(p)};
    auto ok = [&](const std::string& text) {
        const outcome o = run.apply(ev(text));
        EXPECT_TRUE(o.accepted()) << text << ": " << o.message;
    };
    ok(event_of("a-open", "A", "2025-01-02T09:00:00+08:00", "open_account", R"(,"policy":"corporate","name":"Huaxin Logistics")"));
    ok(event_of("d1-enrol", "D1", "2025-01-03T09:00:00+08:00", "enrol"));
    ok(event_of("d2-enrol", "D2", "2025-01-03T09:30:00+08:00", "enrol"));
    ok(event_of("d1-join", "D1", "2025-01-03T10:00:00+08:00", "join_account", R"(,"account":"A","reason":"company car")"));
    ok(event_of("d2-join", "D2", "2025-01-03T10:30:00+08:00", "join_account", R"(,"account":"A")"));
    return run;
}

TEST(FleetAccount, JoiningIsOnBothChainsAndPaidVisitsCountTowardTheAccount) {
    journal_runner run = with_account();
    const member_state& a = run.members().at("A");
    ASSERT_TRUE(a.fleet);
    EXPECT_EQ(a.fleet->members, (std::vector<std::string>{"D1", "D2"}));
    EXPECT_EQ(run.members().at("D1").account, "A");
    EXPECT_EQ(run.members().at("D1").account_policy, "corporate");
    // The account's chain: opened, then the two joins, each with the driver's event id.
    const std::vector<ledger_entry> chain = run.entries_of("A");
    ASSERT_EQ(chain.size(), 3u);
    EXPECT_EQ(chain[0].kind, entry_kind::account_open);
    EXPECT_EQ(chain[1].kind, entry_kind::account_join);
    EXPECT_EQ(chain[1].event, "d1-join");
    EXPECT_EQ(chain[2].event, "d2-join");
    EXPECT_FALSE(verify_chain(chain));

    const outcome o = run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "60000.00")));
    ASSERT_TRUE(o.accepted());
    ASSERT_TRUE(o.account);
    EXPECT_EQ(o.account->amount, yuan("60000.00"));
    ASSERT_TRUE(run.apply(ev(ro_for("d2-ro", "D2", "2025-07-01T10:00:00+08:00", "40000.00"))).accepted());
    // 60,000.00 + 40,000.00, no entry on the account's chain for either.
    EXPECT_EQ(run.members().at("A").fleet->spend_within({on("2025-01-01"), on("2026-01-01")}, cny()), yuan("100000.00"));
    EXPECT_EQ(run.entries_of("A").size(), 3u);
}

TEST(FleetAccount, RebateIsSettledAfterTheYearEndsAcrossTheShanghaiDayBoundary) {
    journal_runner run = with_account();
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "60000.00"))).accepted());
    ASSERT_TRUE(run.apply(ev(ro_for("d2-ro", "D2", "2025-07-01T10:00:00+08:00", "40000.00"))).accepted());
    const std::string settle = R"(,"period_of":"2025-06-30")";
    // 31 Dec 2025 23:59:59 in Shanghai is 15:59:59 UTC: the year has not ended.
    const outcome early = run.apply(ev(event_of("a-settle-early", "A", "2025-12-31T15:59:59Z", "settle_rebate", settle)));
    EXPECT_EQ(early.refused, refusal::account_refused);
    EXPECT_NE(early.message.find("2025-01-01 to 2025-12-31 has not ended on 2025-12-31"), std::string::npos) << early.message;
    // One second later it is 1 Jan 2026 in Shanghai: exactly 100,000.00, the first band's edge: 2%.
    const outcome o = run.apply(ev(event_of("a-settle", "A", "2025-12-31T16:00:00Z", "settle_rebate", settle)));
    ASSERT_TRUE(o.accepted()) << o.message;
    const std::vector<ledger_entry> rebate = entries_of_kind(o, entry_kind::rebate);
    ASSERT_EQ(rebate.size(), 1u);
    EXPECT_EQ(rebate[0].member, "A");
    EXPECT_EQ(rebate[0].money, "2000.00 CNY");  // 0.02 x 100,000.00
    EXPECT_EQ(rebate[0].amount, points(0));
    EXPECT_EQ(rebate[0].rule, "rebate:corporate");
    EXPECT_NE(rebate[0].reason.find("spend 100000.00"), std::string::npos) << rebate[0].reason;
    EXPECT_EQ(run.members().at("A").fleet->credit, yuan("2000.00"));
}

TEST(FleetAccount, AReversalAfterSettlementIsTrueUpByTheNextSettlement) {
    journal_runner run = with_account();
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "60000.00"))).accepted());
    ASSERT_TRUE(run.apply(ev(ro_for("d2-ro", "D2", "2025-07-01T10:00:00+08:00", "40000.00"))).accepted());
    const std::string settle = R"(,"period_of":"2025-01-01")";
    ASSERT_TRUE(run.apply(ev(event_of("a-s1", "A", "2026-01-05T10:00:00+08:00", "settle_rebate", settle))).accepted());
    // D2's July order is refunded in January: the 2025 spend falls to 60,000.00, below the first band.
    const outcome rev = run.apply(ev(event_of("d2-rev", "D2", "2026-01-10T10:00:00+08:00", "reverse", R"(,"event":"d2-ro")")));
    ASSERT_TRUE(rev.accepted());
    ASSERT_TRUE(rev.account);
    EXPECT_EQ(rev.account->amount, yuan("-40000.00"));
    EXPECT_EQ(run.members().at("A").fleet->spend_within({on("2025-01-01"), on("2026-01-01")}, cny()), yuan("60000.00"));
    // Settling 2025 again takes the 2,000.00 back: due 0.00, paid 2,000.00.
    const outcome again = run.apply(ev(event_of("a-s2", "A", "2026-01-31T10:00:00+08:00", "settle_rebate", settle)));
    ASSERT_TRUE(again.accepted());
    const std::vector<ledger_entry> trued = entries_of_kind(again, entry_kind::rebate);
    ASSERT_EQ(trued.size(), 1u);
    EXPECT_EQ(trued[0].money, "-2000.00 CNY");
    EXPECT_NE(trued[0].reason.find("true-up -2000.00"), std::string::npos) << trued[0].reason;
    EXPECT_EQ(run.members().at("A").fleet->credit, yuan("0.00"));
    // A third settlement finds nothing more due and posts nothing.
    const outcome third = run.apply(ev(event_of("a-s3", "A", "2026-02-01T10:00:00+08:00", "settle_rebate", settle)));
    ASSERT_TRUE(third.accepted());
    EXPECT_TRUE(third.entries.empty());
    // Settlements are not reversed: the next one trues up.
    EXPECT_EQ(run.apply(ev(event_of("a-rev", "A", "2026-02-02T10:00:00+08:00", "reverse", R"(,"event":"a-s1")"))).refused,
              refusal::not_reversible);
}

TEST(FleetAccount, RebateAsPointsGoesIntoALotAndASmallerRebateIsOwed) {
    journal_runner run = with_account(fleet_program(corporate_policy("whole", true)));
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "250000.00"))).accepted());
    ASSERT_TRUE(run.apply(ev(ro_for("d2-ro", "D2", "2025-07-01T10:00:00+08:00", "60000.00"))).accepted());
    const std::string settle = R"(,"period_of":"2025-12-31")";
    // 310,000.00 x 0.03 = 9,300.00 -> 9,300 pt at 1 pt per 1.00.
    const outcome o = run.apply(ev(event_of("a-s1", "A", "2026-01-05T10:00:00+08:00", "settle_rebate", settle)));
    ASSERT_TRUE(o.accepted());
    const std::vector<ledger_entry> earned = entries_of_kind(o, entry_kind::earn);
    ASSERT_EQ(earned.size(), 1u);
    EXPECT_EQ(earned[0].amount, points(9300));
    EXPECT_EQ(earned[0].lot, "a-s1/rebate:corporate");
    EXPECT_EQ(run.members().at("A").balance(), points(9300));
    // D2's order reversed: 250,000.00 x 0.02 = 5,000.00 -> 5,000 pt due, 9,300 paid: owes 4,300.
    ASSERT_TRUE(run.apply(ev(event_of("d2-rev", "D2", "2026-01-10T10:00:00+08:00", "reverse", R"(,"event":"d2-ro")"))).accepted());
    const outcome again = run.apply(ev(event_of("a-s2", "A", "2026-01-31T10:00:00+08:00", "settle_rebate", settle)));
    ASSERT_TRUE(again.accepted());
    const std::vector<ledger_entry> debt = entries_of_kind(again, entry_kind::debt);
    ASSERT_EQ(debt.size(), 1u);
    EXPECT_EQ(debt[0].amount, points(-4300));
    EXPECT_EQ(run.members().at("A").balance(), points(5000));  // 9,300 - 4,300
}

TEST(FleetAccount, AfterLeavingVisitsNoLongerCountButAnEarlierVisitsReversalStillComesOff) {
    journal_runner run = with_account();
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "1000.00"))).accepted());
    const outcome left = run.apply(ev(event_of("d1-leave", "D1", "2025-06-20T10:00:00+08:00", "leave_account", R"(,"reason":"left the company")")));
    ASSERT_TRUE(left.accepted());
    EXPECT_EQ(run.members().at("D1").account, "");
    EXPECT_EQ(run.members().at("A").fleet->members, std::vector<std::string>{"D2"});
    EXPECT_EQ(entries_of_kind(left, entry_kind::account_leave).size(), 2u);  // on D1's chain and on A's
    const outcome later = run.apply(ev(ro_for("d1-ro2", "D1", "2025-07-01T10:00:00+08:00", "500.00")));
    ASSERT_TRUE(later.accepted());
    EXPECT_FALSE(later.account);
    const outcome rev = run.apply(ev(event_of("d1-rev", "D1", "2025-07-02T10:00:00+08:00", "reverse", R"(,"event":"d1-ro")")));
    ASSERT_TRUE(rev.accepted());
    ASSERT_TRUE(rev.account);
    EXPECT_EQ(rev.account->account, "A");
    EXPECT_TRUE(run.members().at("A").fleet->spend.empty());
}

TEST(FleetAccount, APartialRefundTakesOutWhatIsNoLongerPaidAndTheWholeReversalTheRest) {
    journal_runner run = with_account();
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "1000.00"))).accepted());
    // 400.00 refunded after the fact: 1,000.00 - 400.00 = 600.00 still counts.
    const outcome part = run.apply(ev(event_of("d1-refund", "D1", "2025-06-12T10:00:00+08:00", "reverse",
                                               R"(,"event":"d1-ro","amount":"400.00")")));
    ASSERT_TRUE(part.accepted()) << part.message;
    ASSERT_TRUE(part.account);
    EXPECT_EQ(part.account->amount, yuan("-400.00"));
    const day_range y2025{on("2025-01-01"), on("2026-01-01")};
    EXPECT_EQ(run.members().at("A").fleet->spend_within(y2025, cny()), yuan("600.00"));
    // The whole reversal then takes out the 600.00 left, not the 1,000.00 first counted.
    const outcome rest = run.apply(ev(event_of("d1-rev", "D1", "2025-06-13T10:00:00+08:00", "reverse", R"(,"event":"d1-ro")")));
    ASSERT_TRUE(rest.accepted());
    EXPECT_EQ(rest.account->amount, yuan("-600.00"));
    EXPECT_EQ(run.members().at("A").fleet->spend_within(y2025, cny()), yuan("0.00"));
}

TEST(FleetAccount, RefusalsSayWhy) {
    journal_runner run = with_account();
    auto refused = [&](const std::string& text) { return run.apply(ev(text)); };
    EXPECT_EQ(refused(event_of("x1", "B", "2025-02-01T10:00:00+08:00", "open_account", R"(,"policy":"nope")")).refused,
              refusal::account_refused);
    EXPECT_EQ(refused(event_of("x2", "D1", "2025-02-01T10:00:00+08:00", "join_account", R"(,"account":"A")")).refused,
              refusal::account_refused);  // already in A
    ASSERT_TRUE(run.apply(ev(event_of("d3-enrol", "D3", "2025-02-01T10:00:00+08:00", "enrol"))).accepted());
    const outcome none = refused(event_of("x3", "D3", "2025-02-01T11:00:00+08:00", "join_account", R"(,"account":"Z")"));
    EXPECT_EQ(none.refused, refusal::account_refused);
    EXPECT_EQ(none.message, "no fleet account 'Z' is open");
    EXPECT_EQ(refused(event_of("x4", "D3", "2025-02-01T12:00:00+08:00", "leave_account")).refused, refusal::account_refused);
    EXPECT_EQ(refused(ro_for("x5", "A", "2025-02-01T12:00:00+08:00", "100.00")).refused, refusal::account_refused);
    EXPECT_EQ(refused(event_of("x6", "D3", "2026-02-01T12:00:00+08:00", "settle_rebate", R"(,"period_of":"2025-01-01")")).refused,
              refusal::account_refused);  // D3 is not an account
    EXPECT_EQ(refused(event_of("x7", "A", "2025-02-01T12:00:00+08:00", "open_account", R"(,"policy":"corporate")")).refused,
              refusal::already_enrolled);
    EXPECT_EQ(refused(event_of("x8", "D1", "2025-02-01T12:00:00+08:00", "reverse", R"(,"event":"d1-join")")).refused,
              refusal::not_reversible);
}

TEST(FleetAccount, SnapshotsOfAccountAndMemberRoundTripAndReplayContinuesFromThem) {
    journal_runner run = with_account();
    ASSERT_TRUE(run.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "150000.00"))).accepted());
    // Continue in a second runner seeded from JSON snapshots: the same figures as live.
    journal_runner resumed{program_versions(fleet_program())};
    for (const auto& [id, s] : run.members()) {
        const member_state back = io::state_from_json(io::state_to_json(s));
        EXPECT_EQ(back, s) << id;
        resumed.adopt(back);
    }
    const std::string settle = event_of("a-s", "A", "2026-01-02T10:00:00+08:00", "settle_rebate", R"(,"period_of":"2025-05-05")");
    const outcome live = run.apply(ev(settle));
    const outcome replayed = resumed.apply(ev(settle));
    ASSERT_TRUE(live.accepted());
    EXPECT_EQ(live.entries, replayed.entries);
    EXPECT_EQ(live.entries.at(0).money, "3000.00 CNY");  // 0.02 x 150,000.00
    EXPECT_EQ(run.members().at("A"), resumed.members().at("A"));
}

TEST(FleetAccount, AnAccountThatIsNotHeldIsAnErrorBeforeAnythingChanges) {
    journal_runner run = with_account();
    journal_runner partial{program_versions(fleet_program())};
    partial.adopt(run.members().at("D1"));  // D1 without A
    const member_state before = partial.members().at("D1");
    EXPECT_THROW(partial.apply(ev(ro_for("d1-ro", "D1", shanghai_2025_06, "100.00"))), error);
    EXPECT_EQ(partial.members().at("D1"), before);
}

// ---- the fleet discount in pricing ----

program with_discount(const std::string& combine) {
    return io::load_program(edited([&](nlohmann::json& j) {
        j["fleet_policies"] = nlohmann::json::array(
            {{{"id", "corporate"},
              {"discount", {{"lines", {{"kinds", {"labour"}}}}, {"pays", "0.9"}, {"combine", combine}}}}});
    }));
}

member_state fleet_member() {
    member_state s("D1");
    s.enrolled = true;
    s.member_since = on("2025-01-03");
    s.account = "A";
    s.account_policy = "corporate";
    return s;
}

events::repair_order brake_labour() {
    // 200.00 of repair labour: the reference programme's labour-30-off applies to it.
    return std::get<events::repair_order>(
        ev(ro_for("ro", "D1", shanghai_2025_06, "200.00")).body);
}

TEST(FleetDiscount, StacksAfterTheMembersBenefits) {
    const priced_order o = price(with_discount("stack"), fleet_member(), brake_labour(), at(shanghai_2025_06));
    ASSERT_EQ(o.lines.size(), 1u);
    // labour-30-off: 200.00 x 0.7 = 140.00; then the fleet pays 0.9 x 140.00 = 126.00.
    EXPECT_EQ(o.lines[0].net, yuan("126.00"));
    ASSERT_EQ(o.lines[0].adjustments.size(), 2u);
    EXPECT_EQ(o.lines[0].adjustments[0].benefit, "labour-30-off");
    EXPECT_EQ(o.lines[0].adjustments[1].benefit, "fleet:corporate");
    EXPECT_EQ(o.lines[0].adjustments[1].amount, yuan("14.00"));
}

TEST(FleetDiscount, ReplacesTheMembersBenefitsOnTheLinesItSelects) {
    const priced_order o = price(with_discount("replace"), fleet_member(), brake_labour(), at(shanghai_2025_06));
    // The fleet pays 0.9 x 200.00 = 180.00 and the member's 30% off is not applied.
    EXPECT_EQ(o.lines[0].net, yuan("180.00"));
    ASSERT_EQ(o.lines[0].adjustments.size(), 1u);
    EXPECT_EQ(o.lines[0].adjustments[0].benefit, "fleet:corporate");
    bool noted = false;
    for (const std::string& n : o.lines[0].notes) noted = noted || n.find("replaces them") != std::string::npos;
    EXPECT_TRUE(noted);
    // A member outside any account keeps the 30% off: 140.00.
    member_state plain = fleet_member();
    plain.account.clear();
    plain.account_policy.clear();
    EXPECT_EQ(price(with_discount("replace"), plain, brake_labour(), at(shanghai_2025_06)).lines[0].net, yuan("140.00"));
}

// ---- the programme section ----

TEST(FleetPolicyJson, BadSectionsAreRefusedWithPointers) {
    auto with = [](const nlohmann::json& policy) {
        return [policy](nlohmann::json& j) { j["fleet_policies"] = nlohmann::json::array({policy}); };
    };
    nlohmann::json unordered = corporate_policy();
    unordered["volume_rebate"]["bands"][1]["from"] = "100000.00";
    expect_refused(with(unordered), "loyalty.program.unordered_bands", "/fleet_policies/0/volume_rebate/bands/1/from");
    nlohmann::json zero = corporate_policy();
    zero["volume_rebate"]["bands"][0]["rate"] = "0";
    expect_refused(with(zero), "loyalty.program.invalid_rate", "/fleet_policies/0/volume_rebate/bands/0/rate");
    nlohmann::json method = corporate_policy("tiered");
    expect_refused(with(method), "loyalty.program.invalid_option", "/fleet_policies/0/volume_rebate/method");
    expect_refused(with({{"id", "empty"}}), "loyalty.program.empty_policy", "/fleet_policies/0");
    nlohmann::json combine = {{"id", "c"}, {"discount", {{"lines", nlohmann::json::object()}, {"pays", "0.9"}, {"combine", "both"}}}};
    expect_refused(with(combine), "loyalty.program.invalid_option", "/fleet_policies/0/discount/combine");
    nlohmann::json ppu = corporate_policy();
    ppu["volume_rebate"]["points_per_unit"] = "2";  // pay_as money
    expect_refused(with(ppu), "loyalty.program.invalid_option", "/fleet_policies/0/volume_rebate/points_per_unit");
}

}  // namespace unit_fleet
}  // namespace loyalty::test

namespace loyalty::test {
namespace unit_fleet {

// Every option of a fleet policy is written back as read: the programme's text round-trips.
TEST(FleetPolicyJson, EveryOptionIsWrittenBackAsRead) {
    nlohmann::json policy = corporate_policy("marginal", true);
    policy["volume_rebate"]["points_per_unit"] = "1.5";
    policy["volume_rebate"]["rounding"] = "half_even";
    policy["discount"] = {{"lines", {{"kinds", {"labour"}}, {"exclude_flags", {"accident"}}}},
                          {"pays", "0.95"},
                          {"combine", "replace"},
                          {"rounding", "half_up"}};
    const program p = fleet_program(policy);
    ASSERT_EQ(p.fleet_policies.size(), 1u);
    const fleet_policy& f = p.fleet_policies[0];
    EXPECT_EQ(f.rebate->method, rebate_method::marginal);
    EXPECT_EQ(f.rebate->points_per_unit, decimal(15, 1));
    EXPECT_EQ(f.rebate->rounding_mode, rounding::half_even);
    EXPECT_EQ(f.discount->pay, decimal(95, 2));
    EXPECT_EQ(f.discount->combine, discount_combination::replace);
    const program back = io::load_program(io::program_to_json(p).dump());
    EXPECT_EQ(io::program_to_json(back), io::program_to_json(p));
    EXPECT_EQ(io::program_to_json(p)["fleet_policies"][0]["volume_rebate"]["bands"][1]["from"], "300000.00");
}

}  // namespace unit_fleet
}  // namespace loyalty::test
