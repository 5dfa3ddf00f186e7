#pragma once
// cancel_redemption(): undoes a redemption. Points go back to the lots they came from with their
// original expiry; points whose lot expired in between follow the programme's
// redemption.when_lot_expired policy; stock comes back; vouchers it issued are withdrawn.
#include <algorithm>
#include <optional>
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/reversal/window.hpp"

namespace loyalty {

// `now`: the cancellation's instant, judged against the reversal window of `prog`.
LOYALTY_INLINE refusal_reason check_cancel_redemption(const program& prog, const member_state& s,
                                              const events::cancel_redemption& c, instant now) {
    const std::optional<effect_summary> summary = s.effects.summary(c.redemption);
    if (!summary) return {refusal::unknown_event, "member " + s.member + " has no event '" + c.redemption + "'"};
    if (summary->type != event_type::redeem)
        return {refusal::not_cancellable, "event '" + c.redemption + "' is a " + std::string(to_string(summary->type)) +
                                              ", not a redemption (use reverse)"};
    if (summary->reversed) return {refusal::already_reversed, "redemption '" + c.redemption + "' was already cancelled"};
    if (const refusal_reason w = check_reversal_window(prog, s, c.redemption, now); w.code != refusal::none) return w;
    for (const std::string& id : s.effects.at(c.redemption).vouchers) {
        const auto v = std::find_if(s.vouchers.begin(), s.vouchers.end(), [&](const voucher& x) { return x.id == id; });
        if (v != s.vouchers.end() && !v->used.is_zero())
            return {refusal::not_cancellable, "voucher " + id + " of redemption '" + c.redemption + "' was used (" +
                                                  v->used.to_string() + "); reverse the repair order first"};
    }
    return {};
}

LOYALTY_INLINE void cancel_redemption(posting& p, const events::cancel_redemption& c, outcome& out) {
    member_state& s = p.state();
    const program& prog = p.prog();
    const instant now = p.ev().at;
    const day today = prog.zone.local_day(now);
    const event_effect effect = s.effects.at(c.redemption);  // unpacked
    const std::string cash = effect.cash ? to_string(*effect.cash) : std::string();
    bool first = true;
    for (const auto& [lot_id, n] : effect.consumed) {
        lot_record& l = *s.find_lot(lot_id);
        const std::string money_text = first ? cash : std::string();  // the money to refund, on the first entry
        first = false;
        const bool lapsed = l.expires_on && *l.expires_on <= today;
        if (!lapsed) {
            p.restore(l, n, because(reason_code::gives_back_spent, c.reason), c.redemption,
                      entry_kind::redeem_cancel, effect.reward, money_text);
            continue;
        }
        if (prog.redemption.when_lot_expired == expired_return::grace_days) {
            const day until = today + date::days(prog.redemption.grace_days);
            reason_args grace = because(reason_code::gives_back_with_grace, c.reason);
            grace.set_other_lot(lot_id);
            grace.on = *l.expires_on;
            p.credit_lot(entry_kind::redeem_cancel, p.ev().id + "/" + lot_id.str(), effect.reward, n, until, std::move(grace),
                         c.redemption, p.funder_of(l));
            continue;
        }
        // expire_at_once: back into the lot, which expired on its day, so out again at once.
        p.restore(l, n,
                  [&] {
                      reason_args a = because(reason_code::gives_back_to_lapsed, c.reason);
                      a.on = *l.expires_on;
                      return a;
                  }(),
                  c.redemption, entry_kind::redeem_cancel, effect.reward, money_text);
        p.expire(l, now,
                 [&] {
                     reason_args a = because(reason_code::expires_given_back);
                     a.on = *l.expires_on;
                     return a;
                 }());
    }
    for (const std::string& id : effect.vouchers) {
        voucher& v = *s.find_voucher(id);
        v.withdrawn = true;
        if (!v.remaining.is_zero())
            p.note_money(entry_kind::voucher_return, v.remaining, because(reason_code::voucher_withdrawn, c.reason),
                         v.reward, v.id, {}, c.redemption);
        v.remaining = money::zero(v.value.currency_of());
    }
    s.redemptions.erase(std::remove_if(s.redemptions.begin(), s.redemptions.end(),
                                       [&](const redemption_use& u) { return u.event == c.redemption; }),
                        s.redemptions.end());
    out.stock_moves.emplace_back(effect.reward, -effect.quantity);
    p.explain(effect.reward, "cancels " + std::to_string(effect.quantity) + " x " + effect.reward + " of " +
                                 c.redemption + "; stock +" + std::to_string(effect.quantity));
    s.effects.mark_reversed(c.redemption);
}

}  // namespace loyalty
