#pragma once
// Tier qualification counted at account level (fleet policy `qualification: account`).
//
// The account's own state holds a tier, judged with the programme's tier policy exactly as a
// member's is (tier/qualify.hpp): its qualifying records are copies of what each counted event
// of its members counts toward tiers on the member's own state (the money paid on a closed
// repair order or a vehicle purchase made while in the account, the paid visit, the vehicle
// bought, the qualifying points that event earned). An upgrade takes effect at once, on the
// account's chain, with the member's event that crossed the threshold; a whole reversal of that
// event undoes it unless the rest still reaches it; a partial reversal shrinks the event's
// figures; the account's reviews (end of window + grace, against `retain`) are posted, dated at
// the review, by the next event on the account's chain or of one of its members.
//
// Every member of the account holds the higher of their own tier and the account's (held_tier(),
// tier/held.hpp). follow_account_tier() keeps a member's copy of the account's tier
// (member_state::account_tier) and posts a 0-point tier_change entry on the member's chain
// whenever it changes, naming the tier the member now holds and why; journal_runner calls it for
// every member of the account after each event that touched the account.
#include <algorithm>
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/fleet/account.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/held.hpp"
#include "loyalty/tier/qualify.hpp"

namespace loyalty {

// Whether `account` (an account's own state) holds a tier of its own under `prog`.
LOYALTY_INLINE bool counts_at_account_level(const program& prog, const member_state& account) {
    if (!account.fleet || !prog.tiers) return false;
    const fleet_policy* fp = prog.find_fleet_policy(account.fleet->policy);
    return fp && fp->qualification == tier_qualification::account;
}

// The account's side of a member's counted event (settle_account_in_place(), on a posting on the
// account's state): the account's due reviews first, then the event's figures as the member's
// state now records them, then an upgrade, or the undoing of one by a whole reversal.
LOYALTY_INLINE void count_account_qualifying(posting& p, const member_state& member, const account_move& m) {
    member_state& a = p.state();
    const program& prog = p.prog();
    const tier_policy& tp = *prog.tiers;
    const event& e = p.ev();
    review_tiers_due(p, e.at);
    const auto* r = std::get_if<events::reverse>(&e.body);
    const bool whole_reversal = r && !r->partial();
    const auto same_event = [&](const qualifying_record& q) { return q.event == m.event; };
    const auto mine = std::find_if(member.qualifying.begin(), member.qualifying.end(), same_event);
    const auto held = std::find_if(a.qualifying.begin(), a.qualifying.end(), same_event);
    const std::string whose = member.member + "'s " + m.event;
    if (whole_reversal || (mine == member.qualifying.end() && !m.amount.is_negative())) {
        if (held != a.qualifying.end()) {
            p.explain("", "reverses " + whose + ": its " + to_string(held->spend) + " spend, " +
                              std::to_string(held->visits) + " paid visit(s), " + std::to_string(held->vehicles) +
                              " vehicle(s) and " + to_string(held->earned) +
                              " qualifying pt no longer count toward the account's tier");
            a.qualifying.erase(held);
        }
    } else if (mine != member.qualifying.end() && (held != a.qualifying.end() || !m.amount.is_negative())) {
        // What the member's record says now: a new event's figures, or a partly reversed
        // event's shrunk ones (only for an event the account counted: one it never counted, or
        // no longer keeps, does not come back by being partly reversed).
        p.explain("", whose + " counts toward the account's tier: " + to_string(mine->spend) + " spend, " +
                          std::to_string(mine->visits) + " paid visit(s), " + std::to_string(mine->vehicles) +
                          " vehicle(s), " + to_string(mine->earned) + " qualifying pt");
        if (held != a.qualifying.end()) *held = *mine;
        else a.qualifying.push_back(*mine);
    } else if (held != a.qualifying.end()) {
        // A partial reversal of an event the member's own records no longer keep (its window
        // was judged): the money taken out is all that is known to shrink.
        const money take = -m.amount < held->spend ? -m.amount : held->spend;
        held->spend -= take;
        p.explain("", "partly reverses " + whose + ": " + take.to_string() + " less spend counts toward the account's tier");
    }
    const day today = prog.zone.local_day(e.at);
    const day_range window = detail::qualifying_window(tp, today, a.member_since);
    detail::keep_judgeable(a, window);
    detail::judge_upgrade(p, today, window, whole_reversal ? std::string_view(m.event) : std::string_view(), m.event,
                          " over the account's members");
}

namespace detail {
// One 0-point tier_change entry on the member's chain for a change of the account tier it holds.
LOYALTY_INLINE void post_account_tier(posting& p, const std::string& account_tier, const std::string& why) {
    member_state& s = p.state();
    const program& prog = p.prog();
    const std::string before = held_tier(prog, s);
    s.account_tier = account_tier;
    const std::string& after = held_tier(prog, s);
    std::string text = tier_label(before) + " -> " + tier_label(after) + ": " + why;
    if (!account_tier.empty())
        text += after == account_tier && account_tier != s.tier ? "; held through the account"
                                                                 : "; the member's own tier " + tier_label(s.tier) + " is kept";
    else
        text += "; the member holds their own tier " + tier_label(s.tier);
    p.note(entry_kind::tier_change, as_text(text), after);
    p.explain(after, text);
}
}  // namespace detail

// The account's tier at event `e`: as its state says, or, when a review of the account fell due
// before `e` and is not posted yet, the tier that review gives (worked on a copy: the review is
// posted on the account's chain right after the event, by review_account_due()).
LOYALTY_INLINE std::string account_tier_at(const program& prog, const member_state& account, const event& e) {
    if (!counts_at_account_level(prog, account)) return {};
    const std::optional<day> review = tier_review_on(prog, account);
    if (!review || e.at < prog.zone.start_of(*review)) return account.tier;
    member_state probe = account;  // once per window and account
    outcome scratch;
    posting p(prog, probe, e, scratch);
    review_tiers_due(p, e.at);
    return probe.tier;
}

namespace detail {
LOYALTY_INLINE void follow(posting& p, const std::string& account, const std::string& want) {
    if (p.state().account_tier == want) return;
    detail::post_account_tier(p, want, want.empty() ? "fleet account " + account + "'s tier no longer counts for the member"
                                                    : "fleet account " + account + " holds " + want);
}
}  // namespace detail

// Step 2 of a member's own event (apply_in_place(), given the account's state): before the event
// is priced or earns, the member holds the account's tier as of the event.
LOYALTY_INLINE void follow_account_tier(posting& p, const member_state& account) {
    const member_state& s = p.state();
    if (s.account.empty() || s.account != account.member) return;
    detail::follow(p, account.member, account_tier_at(p.prog(), account, p.ev()));
}

// After an event that touched the account: member `member` follows the account's state (set
// while the member drives for an account whose tier counts at account level, empty otherwise).
// Does nothing when it already does.
LOYALTY_INLINE void follow_account_tier(const program& prog, const member_state& account, member_state& member,
                                const event& e, outcome& out) {
    const bool shares = member.account == account.member && counts_at_account_level(prog, account);
    const std::string want = shares ? account.tier : std::string();
    if (member.account_tier == want) return;
    posting p(prog, member, e, out);
    detail::follow(p, account.member, want);
}

// The account's reviews that fell due before `e`, posted on its chain (dated at each review) in
// `e`'s outcome: after any event of one of its members (journal_runner does it).
LOYALTY_INLINE void review_account_due(const program& prog, member_state& account, const event& e, outcome& out) {
    if (!counts_at_account_level(prog, account)) return;
    const std::optional<day> review = tier_review_on(prog, account);
    if (!review || e.at < prog.zone.start_of(*review)) return;
    posting p(prog, account, e, out);
    expire_due(p, e.at);
    review_tiers_due(p, e.at);
}

// The member's side of leaving an account: the account's tier no longer counts.
LOYALTY_INLINE void drop_account_tier(posting& p, const std::string& account) {
    if (p.state().account_tier.empty()) return;
    detail::post_account_tier(p, std::string(), "leaves fleet account " + account + ", whose tier no longer counts");
}

// After an event that touched `account` (its own, or a member's that joined, left or counted
// toward it): every member of the account follows its tier, where it counts at account level
// (under another policy, or a programme version without it, a member's copy is dropped by the
// member's own next event, step 2). `state_of(id)` gives a member's state; the caller must hold
// them all (journal_runner checks before applying).
template <class StateOf>
void share_account_tier(const program& prog, const member_state& account, StateOf&& state_of, const event& e,
                        outcome& out) {
    if (!counts_at_account_level(prog, account)) return;
    for (const std::string& m : account.fleet->members) follow_account_tier(prog, account, state_of(m), e, out);
}

}  // namespace loyalty
