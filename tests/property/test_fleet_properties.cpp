// Properties of fleet accounts (RapidCheck): over random journals of four members and two
// accounts under the reference programme's "corporate" policy — joining, leaving, paid visits,
// vehicle purchases, whole and partial reversals (refunds), settlements of 2025 at random times —
//   - what an account counts is exactly what its members' states say counted toward it and
//     was not reversed, and its members are exactly those whose state names it;
//   - after a last settlement of 2025, the money the account was paid for 2025 is exactly
//     compute_rebate() of the 2025 spend it holds, whatever settled and reversed before;
//   - every chain verifies (the accounts' too) and replay equals live through JSON snapshots.
// RC_PARAMS="max_success=2000" runs more cases.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "fleet_support.hpp"
#include "loyalty/io/state_json.hpp"

namespace property_fleet_properties {

namespace {

using namespace loyalty;
using loyalty::test::event_of;

const char* const drivers[] = {"M1", "M2", "M3", "M4"};
const char* const accounts[] = {"A1", "A2"};

std::vector<event> gen_journal() {
    std::vector<event> out;
    auto add = [&](const std::string& text) { out.push_back(test::ev(text)); };
    add(event_of("a1", "A1", "2025-01-01T01:00:00Z", "open_account", R"(,"policy":"corporate")"));
    add(event_of("a2", "A2", "2025-01-01T01:00:00Z", "open_account", R"(,"policy":"corporate")"));
    for (const char* m : drivers) add(event_of(std::string("e-") + m, m, "2025-01-01T02:00:00Z", "enrol"));
    date::sys_seconds t = test::at("2025-01-02T02:00:00Z");
    std::map<std::string, std::vector<std::string>> visits;
    const int n = *rc::gen::inRange(5, 50);
    for (int i = 0; i < n; ++i) {
        t += std::chrono::hours(*rc::gen::element(1, 30, 24 * 20, 24 * 60));
        const std::string m = drivers[*rc::gen::inRange(0, 4)];
        const std::string id = "x" + std::to_string(i);
        const std::string when = format_instant(t);
        switch (*rc::gen::inRange(0, 8)) {
            case 0:
                add(event_of(id, m, when, "join_account", std::string(R"(,"account":")") + accounts[*rc::gen::inRange(0, 2)] + "\""));
                break;
            case 1: add(event_of(id, m, when, "leave_account")); break;
            case 2:
            case 3:
                add(test::ro_for(id, m, when, std::to_string(*rc::gen::inRange(1, 90000)) + ".00"));
                visits[m].push_back(id);
                break;
            case 4:
                add(event_of(id, m, when, "vehicle_purchase",
                             R"(,"vin":"V)" + id + R"(","price":")" + std::to_string(*rc::gen::inRange(50000, 200000)) + R"(.00")"));
                visits[m].push_back(id);
                break;
            case 5:
                // A refund of part of a visit (refused when more than was paid, or not an order).
                if (visits[m].empty()) continue;
                add(event_of(id, m, when, "reverse",
                             R"(,"event":")" + *rc::gen::elementOf(visits[m]) + R"(","amount":")" +
                                 std::to_string(*rc::gen::inRange(1, 30000)) + R"(.00")"));
                break;
            case 6:
                if (visits[m].empty()) continue;
                add(event_of(id, m, when, "reverse", R"(,"event":")" + *rc::gen::elementOf(visits[m]) + "\""));
                break;
            default:
                add(event_of(id, accounts[*rc::gen::inRange(0, 2)], when, "settle_rebate", R"(,"period_of":"2025-07-01")"));
                break;
        }
    }
    // A last settlement of 2025 for both, after everything: after 2025 has ended and after the
    // journal's last event (50 steps of up to 60 days can reach 2033, and a member joining an
    // account writes on the account's chain, so a fixed date could be older than its last event
    // and be refused out_of_order).
    const std::string last = format_instant(std::max(test::at("2028-01-01T00:00:00Z"), t + std::chrono::hours(1)));
    add(event_of("s-A1", "A1", last, "settle_rebate", R"(,"period_of":"2025-07-01")"));
    add(event_of("s-A2", "A2", last, "settle_rebate", R"(,"period_of":"2025-07-01")"));
    return out;
}

const program_versions& versions() {
    static const program_versions v(test::reference_program());
    return v;
}

}  // namespace

RC_GTEST_PROP(FleetProperties, AccountsCountWhatTheirMembersPaidAndAreRebatedExactly, ()) {
    const std::vector<event> journal = gen_journal();
    const std::vector<ledger_entry> live_entries = test::run_through_snapshots(versions(), journal).second;
    const journal_runner replayed = replay(versions(), journal);
    RC_ASSERT(replayed.entries() == live_entries);

    const currency cny = versions().latest().currency_unit;
    const volume_rebate& vr = *versions().latest().find_fleet_policy("corporate")->rebate;
    const day_range y2025{test::on("2025-01-01"), test::on("2026-01-01")};
    for (const char* a : accounts) {
        const member_state& account = replayed.members().at(a);
        RC_ASSERT(account.fleet.has_value());
        // What the account holds, event by event, is what its members' effects say.
        std::map<std::string, money> counted, held;
        for (const auto& [id, s] : replayed.members())
            for (const auto& [event_id, record] : s.effects)
                if (const event_effect fx = s.effects.at(event_id); fx.account == a && !fx.reversed && !fx.account_spend.is_zero()) counted.emplace(event_id, fx.account_spend);
        for (const account_spend& sp : account.fleet->spend) held.emplace(sp.event, sp.amount);
        RC_ASSERT(counted == held);
        std::vector<std::string> in_it;
        for (const auto& [id, s] : replayed.members())
            if (s.account == a) in_it.push_back(id);
        std::vector<std::string> members = account.fleet->members;
        std::sort(members.begin(), members.end());
        RC_ASSERT(members == in_it);
        // The last settlement leaves exactly the rebate of the 2025 spend paid, as money.
        const money due = compute_rebate(vr, account.fleet->spend_within(y2025, cny)).rebate;
        money paid = money::zero(cny);
        for (const ledger_entry& en : replayed.entries_of(a))
            if (en.kind == entry_kind::rebate) paid += *money::parse(en.money.substr(0, en.money.find(' ')), cny);
        RC_ASSERT(paid == due);
        RC_ASSERT(account.fleet->credit == due);
    }
    for (const auto& [id, s] : replayed.members()) {
        const std::vector<ledger_entry> chain = replayed.entries_of(id);
        RC_ASSERT(!verify_chain(chain));
        if (!chain.empty()) RC_ASSERT(chain.back().balance == s.balance());
    }
}

namespace {

// The same journals under the reference programme with tiers on calendar-year spend (gold from
// 5,000.00, platinum from 20,000.00; retained on 3,000.00 and 15,000.00) and the corporate
// policy counting tier qualification at account level.
const program_versions& pooled_versions() {
    static const program_versions v(test::variant([](nlohmann::json& j) {
        j["tiers"] = nlohmann::json::parse(R"({"window": {"period": "calendar_year"}, "grace_days": 10, "levels": [
            {"id": "gold", "name": "Gold", "qualify": {"spend": "5000.00"}, "retain": {"spend": "3000.00"}, "multiplier": "1.5"},
            {"id": "platinum", "name": "Platinum", "qualify": {"spend": "20000.00"}, "retain": {"spend": "15000.00"}, "multiplier": "2"}]})");
        j["fleet_policies"][0]["qualification"] = "account";
    }));
    return v;
}

}  // namespace

// Account-level qualification: replay equals live through JSON snapshots; every member of an
// account holds the account's tier (its copy is the account's, and what it holds is never
// lower), members of no account hold no account tier; what an account counts toward its tier is
// never negative; every chain verifies.
RC_GTEST_PROP(FleetProperties, MembersHoldTheirAccountsTierAndReplayEqualsLive, ()) {
    const std::vector<event> journal = gen_journal();
    const program_versions& v = pooled_versions();
    const std::vector<ledger_entry> live_entries = test::run_through_snapshots(v, journal).second;
    const journal_runner replayed = replay(v, journal);
    RC_ASSERT(replayed.entries() == live_entries);
    const program& prog = v.latest();
    for (const auto& [id, s] : replayed.members()) {
        if (s.fleet) {
            for (const qualifying_record& q : s.qualifying) RC_ASSERT(!q.spend.is_negative());
            continue;
        }
        if (s.account.empty()) {
            RC_ASSERT(s.account_tier.empty());
            continue;
        }
        const member_state& account = replayed.members().at(s.account);
        RC_ASSERT(s.account_tier == account.tier);
        RC_ASSERT(prog.tiers->index_of(held_tier(prog, s)) >= prog.tiers->index_of(account.tier));
        RC_ASSERT(prog.tiers->index_of(held_tier(prog, s)) >= prog.tiers->index_of(s.tier));
    }
    for (const auto& [id, s] : replayed.members()) RC_ASSERT(!verify_chain(replayed.entries_of(id)));
}

}  // namespace property_fleet_properties
