// Tier qualification counted at account level (fleet policy `qualification: account`): the
// account holds a tier judged on what all its members' counted events bring together, and each
// member holds the higher of their own tier and the account's. Every figure is worked by hand.
#include <gtest/gtest.h>

#include "fleet_support.hpp"
#include "loyalty/audit/statement.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/io/state_json.hpp"

namespace loyalty::test {
namespace unit_fleet_tier {

// The reference club without benefits or promotion multipliers (a member pays the list price;
// 1 pt per 1.00 of maintenance), with two tiers on calendar-year qualifying spend:
//   gold     qualify 5,000.00, retain 3,000.00, x1.5
//   platinum qualify 20,000.00, retain 15,000.00, x2
// no grace days, and a fleet policy "pooled" that counts qualification at account level.
program pooled_program(const std::string& qualification = "account") {
    return variant([&](nlohmann::json& j) {
        j.erase("multipliers");
        j["benefits"] = nlohmann::json::array();
        j["tiers"] = nlohmann::json::parse(R"({"window": {"period": "calendar_year"}, "levels": [
            {"id": "gold", "name": "Gold", "qualify": {"spend": "5000.00"}, "retain": {"spend": "3000.00"}, "multiplier": "1.5"},
            {"id": "platinum", "name": "Platinum", "qualify": {"spend": "20000.00"}, "retain": {"spend": "15000.00"}, "multiplier": "2"}]})");
        nlohmann::json policy = {{"id", "pooled"}, {"name", "Pooled tier"}, {"qualification", qualification}};
        if (qualification == "member") policy["volume_rebate"] = corporate_policy()["volume_rebate"];  // a policy gives something
        j["fleet_policies"] = nlohmann::json::array({policy});
    });
}

struct pooled {
    journal_runner run;
    explicit pooled(const program& p = pooled_program()) : run(program_versions(p)) {
        ok(event_of("a-open", "A", "2025-01-02T09:00:00+08:00", "open_account", R"(,"policy":"pooled","name":"Huaxin Logistics")"));
        ok(event_of("d1-enrol", "D1", "2025-01-03T09:00:00+08:00", "enrol"));
        ok(event_of("d2-enrol", "D2", "2025-01-03T09:30:00+08:00", "enrol"));
        ok(event_of("d1-join", "D1", "2025-01-03T10:00:00+08:00", "join_account", R"(,"account":"A")"));
        ok(event_of("d2-join", "D2", "2025-01-03T10:30:00+08:00", "join_account", R"(,"account":"A")"));
    }
    outcome ok(const std::string& text) {
        outcome o = run.apply(ev(text));
        EXPECT_TRUE(o.accepted()) << text << ": " << o.message;
        return o;
    }
    const member_state& state(const std::string& m) const { return run.members().at(m); }
    std::string held(const std::string& m) const { return held_tier(*run.versions().at(state(m).last_event_at), state(m)); }
    std::vector<ledger_entry> tier_changes(const std::string& m) const {
        std::vector<ledger_entry> out;
        for (const ledger_entry& e : run.entries_of(m))
            if (e.kind == entry_kind::tier_change) out.push_back(e);
        return out;
    }
    points earned_by(const std::string& m, const std::string& event) const {
        points total;
        for (const ledger_entry& e : run.entries_of(m))
            if (e.event == event && e.kind == entry_kind::earn) total += e.amount;
        return total;
    }
};

// A closed RO of one maintenance labour line.
std::string ro(const std::string& id, const std::string& member, const std::string& when, const std::string& price) {
    return ro_for(id, member, when, price);
}

TEST(FleetTier, TheAccountQualifiesOnWhatItsMembersPayTogetherAndEveryMemberHoldsItAtOnce) {
    pooled f;
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));
    // 3,000.00 < 5,000.00: neither D1 nor the account is gold yet.
    EXPECT_EQ(f.state("A").tier, "");
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));
    // The account: 3,000.00 + 2,500.00 = 5,500.00 >= 5,000.00 -> gold, with D2's order; each
    // member alone (3,000.00 and 2,500.00) is short of it.
    EXPECT_EQ(f.state("A").tier, "gold");
    EXPECT_EQ(f.state("D1").tier, "");
    EXPECT_EQ(f.state("D2").tier, "");
    EXPECT_EQ(f.held("D1"), "gold");
    EXPECT_EQ(f.held("D2"), "gold");
    const std::vector<ledger_entry> account = f.tier_changes("A");
    ASSERT_EQ(account.size(), 1u);
    EXPECT_EQ(account[0].event, "d2-ro");
    EXPECT_EQ(account[0].rule, "gold");
    EXPECT_NE(account[0].reason.find("qualifying spend 5500.00 CNY >= 5000.00 CNY (qualify of gold)"), std::string::npos)
        << account[0].reason;
    EXPECT_NE(account[0].reason.find("over the account's members"), std::string::npos) << account[0].reason;
    // Both members' chains say so, at D2's order.
    for (const std::string m : {"D1", "D2"}) {
        const std::vector<ledger_entry> mine = f.tier_changes(m);
        ASSERT_EQ(mine.size(), 1u) << m;
        EXPECT_EQ(mine[0].event, "d2-ro");
        EXPECT_EQ(mine[0].rule, "gold");
        EXPECT_EQ(mine[0].amount, points(0));
        EXPECT_NE(mine[0].reason.find("no tier -> gold: fleet account A holds gold; held through the account"),
                  std::string::npos)
            << mine[0].reason;
    }
    // D2's order earned before the upgrade: 2,500 pt. D1's next order earns at gold:
    // 1,000.00 x 1 pt x 1.5 = 1,500 pt.
    // D1's statement: gold, held through account A, reviewed with the account (no own day).
    const statement st = make_statement(*f.run.versions().at(f.state("D1").last_event_at), f.state("D1"),
                                        f.run.entries_of("D1"), at("2025-04-02T00:00:00Z"));
    EXPECT_EQ(st.tier, "gold");
    EXPECT_EQ(st.tier_through, "A");
    EXPECT_FALSE(st.tier_review_on);
    EXPECT_EQ(f.earned_by("D2", "d2-ro"), points(2500));
    f.ok(ro("d1-ro2", "D1", "2025-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(f.earned_by("D1", "d1-ro2"), points(1500));
    for (const std::string m : {"A", "D1", "D2"}) EXPECT_FALSE(verify_chain(f.run.entries_of(m))) << m;
}

TEST(FleetTier, ReversingTheUpgradingOrderUndoesTheAccountsUpgradeForEveryMember) {
    pooled f;
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));
    f.ok(event_of("d2-undo", "D2", "2025-04-02T10:00:00+08:00", "reverse", R"(,"event":"d2-ro","reason":"billed in error")"));
    // 5,500.00 - 2,500.00 = 3,000.00 < 5,000.00: back to no tier.
    EXPECT_EQ(f.state("A").tier, "");
    const std::vector<ledger_entry> account = f.tier_changes("A");
    ASSERT_EQ(account.size(), 2u);
    EXPECT_EQ(account[1].event, "d2-undo");
    EXPECT_NE(account[1].reason.find("reverses d2-ro, which gave the upgrade to gold: qualifying spend 3000.00 CNY < 5000.00 CNY"),
              std::string::npos)
        << account[1].reason;
    for (const std::string m : {"D1", "D2"}) {
        EXPECT_EQ(f.held(m), "") << m;
        const std::vector<ledger_entry> mine = f.tier_changes(m);
        ASSERT_EQ(mine.size(), 2u) << m;
        EXPECT_EQ(mine[1].event, "d2-undo");
        EXPECT_EQ(mine[1].rule, "");
    }
    // A partial refund shrinks what counts: D1 pays 3,000.00 + 2,400.00 = 5,400.00 -> gold; then
    // 500.00 of the second order is refunded: 4,900.00 < 5,000.00, but only a whole reversal of the
    // upgrading order undoes an upgrade (as for a member): gold stays until the year's review.
    f.ok(ro("d1-ro2", "D1", "2025-05-01T10:00:00+08:00", "2400.00"));
    EXPECT_EQ(f.state("A").tier, "gold");
    f.ok(event_of("d1-part", "D1", "2025-05-02T10:00:00+08:00", "reverse", R"(,"event":"d1-ro2","amount":"500.00","reason":"goodwill")"));
    EXPECT_EQ(f.state("A").tier, "gold");
    money counted = money::zero(cny());
    for (const qualifying_record& q : f.state("A").qualifying) counted += q.spend;
    EXPECT_EQ(counted, yuan("4900.00"));
}

TEST(FleetTier, AMembersHigherOwnTierIsKeptAndLeavingDropsTheAccountsTier) {
    pooled f;
    f.ok(R"({"id":"d1-match","member":"D1","at":"2025-02-01T10:00:00+08:00","type":"assign_tier","tier":"platinum","reason":"tier match","operator":"op-7"})");
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));  // platinum: 3,000 x 2 = 6,000 pt
    EXPECT_EQ(f.earned_by("D1", "d1-ro"), points(6000));
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));  // the account: 5,500.00 -> gold
    EXPECT_EQ(f.state("A").tier, "gold");
    EXPECT_EQ(f.state("D1").account_tier, "gold");
    EXPECT_EQ(f.held("D1"), "platinum");  // its own, the higher
    const std::vector<ledger_entry> d1 = f.tier_changes("D1");
    ASSERT_EQ(d1.size(), 2u);  // the tier match, then the account's gold (which changes nothing held)
    EXPECT_EQ(d1[1].rule, "platinum");
    EXPECT_NE(d1[1].reason.find("platinum -> platinum: fleet account A holds gold; the member's own tier platinum is kept"),
              std::string::npos)
        << d1[1].reason;
    // D2 leaves: no longer gold.
    f.ok(event_of("d2-leave", "D2", "2025-06-01T10:00:00+08:00", "leave_account", R"(,"reason":"changed jobs")"));
    EXPECT_EQ(f.held("D2"), "");
    EXPECT_EQ(f.state("D2").account_tier, "");
    const std::vector<ledger_entry> d2 = f.tier_changes("D2");
    ASSERT_EQ(d2.size(), 2u);
    EXPECT_NE(d2[1].reason.find("gold -> no tier: leaves fleet account A"), std::string::npos) << d2[1].reason;
    // D2's next order earns at no tier: 1,000 pt for 1,000.00.
    f.ok(ro("d2-ro2", "D2", "2025-07-01T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(f.earned_by("D2", "d2-ro2"), points(1000));
}

TEST(FleetTier, TheAccountIsReviewedAtYearEndBeforeAMembersNextOrderIsPriced) {
    pooled f;
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));  // gold on 5,500.00
    // 2026: the review of 2025 (5,500.00 >= retain 3,000.00) keeps gold; D1 pays 100.00 in 2026.
    f.ok(ro("d1-2026", "D1", "2026-01-10T10:00:00+08:00", "100.00"));
    EXPECT_EQ(f.state("A").tier, "gold");
    EXPECT_EQ(f.earned_by("D1", "d1-2026"), points(150));  // 100 x 1.5
    // 2027-01-01 00:00 Shanghai (2026-12-31T16:00:00Z): 2026 counted 100.00 < 3,000.00 -> no tier.
    // D2's first order of 2027, on 5 January, is already priced without the gold multiplier.
    f.ok(ro("d2-2027", "D2", "2027-01-05T10:00:00+08:00", "1000.00"));
    EXPECT_EQ(f.earned_by("D2", "d2-2027"), points(1000));
    EXPECT_EQ(f.state("A").tier, "");
    const std::vector<ledger_entry> account = f.tier_changes("A");
    ASSERT_EQ(account.size(), 2u);
    EXPECT_EQ(account[1].at, at("2026-12-31T16:00:00Z"));  // dated at the review
    EXPECT_EQ(account[1].event, "d2-2027");
    EXPECT_NE(account[1].reason.find("qualifying spend 100.00 CNY < 3000.00 CNY (retain of gold)"), std::string::npos)
        << account[1].reason;
    // D2 followed before its order (one entry), D1 after it (one entry); nobody holds gold.
    for (const std::string m : {"D1", "D2"}) {
        const std::vector<ledger_entry> mine = f.tier_changes(m);
        ASSERT_EQ(mine.size(), 2u) << m;
        EXPECT_EQ(mine[1].event, "d2-2027") << m;
        EXPECT_EQ(mine[1].rule, "") << m;
        EXPECT_EQ(f.held(m), "") << m;
    }
    const std::vector<ledger_entry> d2 = f.run.entries_of("D2");
    // On D2's chain the tier change comes before the order's earning.
    std::size_t change = 0, earn = 0;
    for (std::size_t i = 0; i < d2.size(); ++i) {
        if (d2[i].event != "d2-2027") continue;
        if (d2[i].kind == entry_kind::tier_change) change = i;
        if (d2[i].kind == entry_kind::earn) earn = i;
    }
    EXPECT_LT(change, earn);
    for (const std::string m : {"A", "D1", "D2"}) EXPECT_FALSE(verify_chain(f.run.entries_of(m))) << m;
}

TEST(FleetTier, UnderMemberQualificationTheAccountHoldsNoTier) {
    pooled f(pooled_program("member"));
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));
    EXPECT_EQ(f.state("A").tier, "");
    EXPECT_EQ(f.held("D1"), "");
    EXPECT_TRUE(f.state("A").qualifying.empty());
}

TEST(FleetTier, SnapshotsKeepTheAccountsTierAndAResumedRunnerGoesOnTheSame) {
    pooled f;
    f.ok(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00"));
    f.ok(ro("d2-ro", "D2", "2025-04-01T10:00:00+08:00", "2500.00"));
    journal_runner resumed{program_versions(pooled_program())};
    for (const auto& [id, s] : f.run.members()) {
        const member_state back = io::state_from_json(nlohmann::json::parse(io::state_to_json_text(s)));
        EXPECT_EQ(back, s) << id;
        resumed.adopt(back);
    }
    EXPECT_EQ(resumed.members().at("D1").account_tier, "gold");
    const std::string next = ro("d1-ro2", "D1", "2025-05-01T10:00:00+08:00", "1000.00");
    EXPECT_EQ(resumed.apply(ev(next)).entries, f.run.apply(ev(next)).entries);
}

TEST(FleetTier, AllTheAccountsMembersMustBeHeldByTheRunner) {
    pooled f;
    journal_runner partial{program_versions(pooled_program())};
    partial.adopt(f.state("A"));
    partial.adopt(f.state("D1"));  // not D2
    try {
        partial.apply(ev(ro("d1-ro", "D1", "2025-03-01T10:00:00+08:00", "3000.00")));
        FAIL() << "expected loyalty.engine.account_member_missing";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.engine.account_member_missing");
    }
    EXPECT_EQ(partial.members().at("D1"), f.state("D1"));  // nothing changed
}

TEST(FleetTier, ThePolicyIsReadCheckedAndWrittenBack) {
    const program p = pooled_program();
    ASSERT_EQ(p.fleet_policies.size(), 1u);
    EXPECT_EQ(p.fleet_policies[0].qualification, tier_qualification::account);
    EXPECT_EQ(io::program_to_json(p)["fleet_policies"][0]["qualification"], "account");
    EXPECT_EQ(io::program_to_json(io::load_program(io::program_to_json(p).dump())), io::program_to_json(p));
    // Without tiers there is nothing to qualify for; an unknown word is refused.
    expect_refused(
        [](nlohmann::json& j) {
            j["fleet_policies"] = nlohmann::json::array({{{"id", "pooled"}, {"qualification", "account"}}});
        },
        "loyalty.program.no_tiers", "/fleet_policies/0/qualification");
    expect_refused(
        [](nlohmann::json& j) {
            j["fleet_policies"] = nlohmann::json::array({{{"id", "pooled"}, {"qualification", "household"}}});
        },
        "loyalty.program.invalid_option", "/fleet_policies/0/qualification");
}

}  // namespace unit_fleet_tier
}  // namespace loyalty::test
