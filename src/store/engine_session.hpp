#pragma once
// Applies one batch of events with the engine, starting from the members' stored snapshots.
//
// journal_runner is the one place that applies events (and, for a points transfer, touches two
// members); the store seeds it with snapshots through journal_runner::adopt and with the reward
// stock through adopt_stock.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "loyalty/engine/journal.hpp"

namespace loyalty::store::detail {

class engine_session {
public:
    explicit engine_session(const program_versions& v) : runner_(v) {}

    void seed(member_state s) { runner_.adopt(std::move(s)); }

    void seed_stock(std::map<std::string, std::int64_t> issued) {
        reward_stock st;
        st.issued = std::move(issued);
        runner_.adopt_stock(std::move(st));
    }
    const std::map<std::string, std::int64_t>& stock() const { return runner_.stock().issued; }

    outcome apply(const event& e) { return runner_.apply(e); }

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

}  // namespace loyalty::store::detail
