#pragma once
// Referrals ("old customers bring new ones"). The referred member names the referrer on their
// enrolment (`referred_by`); under the programme's referral policy the referrer is paid when the
// referred member completes a first qualifying visit within N local days of enrolling: a closed
// repair order they pay something for, or a vehicle purchase. One reward per referred member:
// the referral is settled by one event, and only a reversal of that event reopens it (taking the
// reward back from the referrer).
//
// The referred member's side is decided by apply_in_place() (it may say `outcome::referral`);
// the referrer's side is posted by settle_referral_in_place(), on the referrer's chain, with the
// referred member's event id, in the same outcome. journal_runner does both.
#include <string>

#include "loyalty/accrual/accrue.hpp"
#include "loyalty/accrual/post_earnings.hpp"
#include "loyalty/benefit/vehicle_scope.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/reversal/reverse.hpp"
#include "loyalty/tier/qualify.hpp"

namespace loyalty {

// Refusals a referral can cause that the member's own state can decide. Whether the referrer
// is a member needs the referrer's state: journal_runner checks that.
LOYALTY_INLINE refusal_reason check_referral(const program& prog, const event& e) {
    if (const auto* en = std::get_if<events::enrol>(&e.body); en && !en->referred_by.empty()) {
        if (!prog.referral)
            return {refusal::referral_refused, "programme " + prog.id + " has no referral policy; '" +
                                                   en->referred_by + "' cannot be paid for referring " + e.member};
        if (en->referred_by == e.member) return {refusal::referral_refused, "a member cannot refer themself"};
    }
    if (std::holds_alternative<events::referral>(e.body) && prog.referral)
        return {refusal::referral_refused,
                "programme " + prog.id + " pays referrals itself when the referred member qualifies: name the "
                "referrer on the referred member's enrolment (referred_by)"};
    return {};
}

// The referred member's side, after the event itself was posted. `paid` says whether the event
// is a paid visit: a closed repair order the member paid something for, or a vehicle purchase.
// Sets out.referral when the referrer is to be paid, or (for a reversal of the qualifying
// event) when the reward is to be taken back.
LOYALTY_INLINE void judge_referral(posting& p, outcome& out, bool paid) {
    member_state& s = p.state();
    const program& prog = p.prog();
    const event& e = p.ev();
    if (s.referred_by.empty() || !prog.referral) return;
    if (const auto* r = std::get_if<events::reverse>(&e.body)) {
        if (r->partial() || r->event_id != s.referral_event) return;  // a partly returned visit still counts
        s.referral_event.clear();
        out.referral = referral_settlement{s.referred_by, r->event_id, true};
        p.explain("referral", "reverses " + r->event_id + ", the visit that paid " + s.referred_by +
                                  "'s referral reward: the reward is taken back and the referral is open again");
        return;
    }
    if (!paid || !s.referral_event.empty() || s.referral_lapsed) return;
    const int window = prog.referral->completes_within_days;
    const auto days = (prog.zone.local_day(e.at) - s.member_since).count();
    const std::string when = "first qualifying visit on day " + std::to_string(days) + " after enrolling (" +
                             format_day(s.member_since) + "), the policy allows " + std::to_string(window);
    if (days > window) {
        s.referral_lapsed = true;
        p.explain("referral", when + ": " + s.referred_by + " is not paid for the referral");
        return;
    }
    s.referral_event = e.id;
    out.referral = referral_settlement{s.referred_by, e.id, false};
    p.explain("referral", when + ": " + s.referred_by + " earns the referral reward");
}

// The referrer's side of out.referral: the referral rules' points (with the referred member's
// event id, under the programme version in force at the event), or their reversal. Call after
// the referred member's event was accepted; does nothing when out.referral is empty.
LOYALTY_INLINE void settle_referral_in_place(const program_versions& versions, member_state& referrer, const event& e,
                                     outcome& out) {
    if (!out.referral) return;
    const referral_settlement& due = *out.referral;
    if (referrer.member != due.referrer)
        throw error("loyalty.engine.member_mismatch",
                    "the referral reward of " + e.id + " is due to " + due.referrer + ", state is of " + referrer.member);
    // The referrer may already carry this event's id for one reason only: the referred member
    // bought the referrer's own vehicle with it, and the seller's side was posted just before.
    const bool sold_by_this_event = is_change_of_owner(referrer, e.id);
    if (referrer.has_seen(e.id) && !sold_by_this_event)
        throw error("loyalty.engine.duplicate_event_id",
                    "event id '" + e.id + "' is already on the chain of referrer " + referrer.member);
    const program& prog = *versions.at(e.at);
    event_effect effect;
    effect.at = e.at;
    const events::reverse undo{due.qualifying_event, "the referred member " + e.member + " reversed " +
                                                         due.qualifying_event};
    const event posted = due.claw_back ? event{e.id, referrer.member, e.at, undo}
                                       : event{e.id, referrer.member, e.at, events::referral{e.member}};
    posting p(prog, referrer, posted, out);
    expire_due(p, e.at);
    review_tiers_due(p, e.at);
    if (!due.claw_back) {
        effect.type = event_type::referral;
        post_earnings(p, effect, accrue(prog, referrer, posted));
    } else {
        effect.type = event_type::reverse;
        // Refused only when the reward is no longer there to take (it was already reversed).
        if (const refusal_reason r = check_reverse(referrer, undo); r.code == refusal::none)
            reverse(p, undo);
        else
            p.explain("referral", r.message);
    }
    // The reward counts toward the referrer's tier like any earning (and its reversal undoes that).
    evaluate_tier(p, effect, money::zero(prog.currency_unit), false);
    referrer.last_event_at = std::max(referrer.last_event_at, e.at);  // not the referrer's activity
    // One effect per event id: the seller's side recorded only its type and instant (the sale is
    // in the vehicle record, which makes the event irreversible on this chain too), so the
    // referral's effect, holding the lots the reward created, takes its place.
    referrer.effects.assign(e.id, effect);
}

}  // namespace loyalty
