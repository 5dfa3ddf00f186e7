#pragma once
// reverse(): undoes the effects of an earlier event with new entries that name it.
#include <optional>
#include <string>

#include "loyalty/benefit/use.hpp"
#include "loyalty/benefit/vehicle_scope.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/reversal/take_back.hpp"
#include "loyalty/reversal/window.hpp"

namespace loyalty {

// Whether `r` may be applied to `s`; decided before anything changes.
LOYALTY_INLINE refusal_reason check_reverse(const member_state& s, const events::reverse& r) {
    const std::optional<effect_summary> undone = s.effects.summary(r.event_id);
    if (!undone) return {refusal::unknown_event, "member " + s.member + " has no event '" + r.event_id + "'"};
    if (undone->reversed) return {refusal::already_reversed, "event '" + r.event_id + "' was already reversed"};
    const event_type t = undone->type;
    if (t == event_type::enrol || t == event_type::tick || t == event_type::reverse ||
        t == event_type::cancel_redemption || t == event_type::transfer || t == event_type::assign_tier)
        return {refusal::not_reversible, std::string(to_string(t)) + " events cannot be reversed" +
                                             (t == event_type::transfer ? " (transfer the points back instead)" : "")};
    if (t == event_type::redeem)
        return {refusal::not_reversible, "a redemption is undone with cancel_redemption, which also returns the stock"};
    if (is_change_of_owner(s, r.event_id))
        return {refusal::not_reversible, "a vehicle's change of owner is undone by selling it back (a vehicle_purchase "
                                         "naming the previous owner)"};
    // Settled under a reversal window: nothing is left to undo it with, whatever version is in
    // force now (the engine also refuses an event past the window not yet settled: check_event()).
    if (undone->settled) return {refusal::reversal_window_passed, reversal_window_text(r.event_id, *undone)};
    return {};
}

// Undoes the effects of the event `r` names. check_reverse() must have accepted it.
LOYALTY_INLINE void reverse(posting& p, const events::reverse& r) {
    member_state& s = p.state();
    // Unpacked: `effect` as the event left it, `live` what is written back at the end (step 1
    // settles its earning bases).
    const event_effect effect = s.effects.at(r.event_id);
    event_effect live = effect;
    const instant now = p.ev().at;

    // 1. Points the event earned come back out of the lots it created: what each rule still holds
    //    of it after partial reversals (reversal/partial.hpp), with its remainder given back.
    for (const auto& [lot_id, earned] : effect.earned) {
        earning_basis* b = nullptr;
        for (earning_basis& x : live.bases)
            if (x.lot == lot_id) b = &x;
        if (b) {
            settle_basis(p, *b, exact_now(*b, live.lines), exact_points{}, r.event_id, r.reason, false);
            continue;
        }
        points none;
        take_back_points(p, lot_id, earned, none, r.event_id, r.reason);
    }
    for (earning_basis& b : live.bases)  // a remainder-carrying rule that posted no points
        if (b.lot.empty())
            settle_basis(p, b, exact_now(b, live.lines), exact_points{}, r.event_id, r.reason, false);

    // 2. Points the event took (a debit) go back to the lots they came from, with their original
    //    expiry. If a lot's expiry has passed in between, they come back and expire at once.
    for (const auto& [lot_id, n] : effect.consumed) {
        lot_record* l = s.find_lot(lot_id);
        p.restore(*l, n, because(reason_code::gives_back_taken, r.reason), r.event_id);
    }
    if (!effect.consumed.empty()) expire_due(p, now);

    // 3. Benefits it used are given back (quota and money caps).
    for (const benefit_use& u : effect.benefit_uses) return_benefit_use(p, u, r.event_id, r.reason);

    // 3b. Vouchers it paid with get that money back (and any remainder a forfeit struck off).
    for (const voucher_use& u : effect.voucher_uses) {
        voucher* v = s.find_voucher(u.voucher);
        const money back = u.used + u.forfeited;
        v->remaining += back;
        v->used -= u.used;
        p.note_money(entry_kind::voucher_return, back, because(reason_code::voucher_given_back, r.reason), v->reward, v->id,
                     format_day(v->expires_on), r.event_id);
    }
    if (!effect.voucher_uses.empty()) expire_vouchers_due(p, now);  // a voucher past its day lapses again at once

    // 4. Per-period cap usage is released.
    for (const cap_use& u : effect.cap_uses)
        for (cap_use& c : s.cap_usage)
            if (c.rule == u.rule && c.on == u.on) c.amount = max(points(0), c.amount - u.amount);

    // 5. Odometer readings and a purchase it recorded are withdrawn from the vehicle records.
    withdraw_vehicle_facts(s, r.event_id);

    live.reversed = true;
    s.effects.assign(r.event_id, live);
}

}  // namespace loyalty
