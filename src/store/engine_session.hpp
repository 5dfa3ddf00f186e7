#pragma once
// Applies one batch of events with the engine, starting from the members' stored snapshots.
//
// journal_runner is the one place that applies events (and, for a points transfer, touches two
// members); the store seeds it with snapshots through journal_runner::adopt and with the reward
// stock through adopt_stock.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "loyalty/engine/journal.hpp"

namespace loyalty::store::detail {

class engine_session {
public:
    // The store keeps entries, states and refusals, never a trace.
    explicit engine_session(const program_versions& v) : runner_(v) { runner_.set_explanation(explanation::none); }

    // The store judges every id before it applies an event (judgement.hpp), so the session
    // need not learn the ids a state has seen.
    void seed(member_state s) { runner_.adopt(std::move(s), journal_runner::seen_ids::judged_outside); }

    void seed_stock(std::map<std::string, std::int64_t> issued) {
        reward_stock st;
        st.issued = std::move(issued);
        runner_.adopt_stock(std::move(st));
    }
    const std::map<std::string, std::int64_t>& stock() const { return runner_.stock().issued; }

    outcome apply(const event& e) { return runner_.apply(e); }

    // Takes the member's state out of the session (for the store's cache, after the commit).
    std::optional<member_state> release(const std::string& member) { return runner_.release(member); }

    const member_state* state(const std::string& member) const {
        const auto& m = runner_.members();
        const auto it = m.find(member);
        return it == m.end() ? nullptr : &it->second;
    }

private:
    journal_runner runner_;
};

// The members an event names that it may change or must read: its own; for a points transfer,
// the receiver; for an enrolment with a referrer, the referrer (who must be a member, and whom
// the new member's visits may pay). Their snapshots must be locked and seeded too. A referred
// member's later events name no referrer: the store knows it from the member's snapshot.
inline std::vector<std::string> members_of(const event& e) {
    std::vector<std::string> out{e.member};
    if (const auto* t = std::get_if<events::transfer>(&e.body)) out.push_back(t->to);
    if (const auto* en = std::get_if<events::enrol>(&e.body); en && !en->referred_by.empty())
        out.push_back(en->referred_by);
    if (const auto* j = std::get_if<events::join_account>(&e.body)) out.push_back(j->account);
    if (const auto* vp = std::get_if<events::vehicle_purchase>(&e.body); vp && !vp->previous_owner.empty())
        out.push_back(vp->previous_owner);  // the seller: read, and its side posted
    return out;
}

// The members an event may post to that it does not name, as the states held say: the member's
// referrer (a referred member's visit may pay the referral reward, its reversal take it back),
// the fleet accounts the event concerns and, for an account whose tier its members hold
// (qualification "account"), every member of the account. Exactly the states journal_runner::
// apply() must hold for the event. An account's members are known only once its state is held,
// so the caller asks again after seeding the accounts returned. `held(id)`: the state, or null.
template <class Held>
std::vector<std::string> counterparts_of(const program_versions& versions, const event& e, Held&& held) {
    std::vector<std::string> out;
    std::vector<std::string> accounts;
    if (const member_state* s = held(e.member)) {
        if (!s->referred_by.empty()) out.push_back(s->referred_by);
        accounts = accounts_concerned(*s, e);
        out.insert(out.end(), accounts.begin(), accounts.end());
        if (s->fleet) accounts.push_back(e.member);  // an account's own event
    } else if (const auto* j = std::get_if<events::join_account>(&e.body)) {
        // A member with no state yet (enrolled earlier in the batch) has no referrer or account
        // to learn of, but the account it joins is named, and its members are reached all the
        // same when the account's tier is theirs.
        accounts.push_back(j->account);
    }
    const program* prog = versions.at(e.at);
    for (const std::string& id : accounts)
        if (const member_state* account = held(id); account && prog && counts_at_account_level(*prog, *account))
            out.insert(out.end(), account->fleet->members.begin(), account->fleet->members.end());
    return out;
}

}  // namespace loyalty::store::detail
