#pragma once
// Vouchers used by a closed repair order: what price() took from each is taken from the
// member's vouchers and written on the ledger (voucher_use; voucher_expire for a remainder the
// reward's terms forfeit). Issue is in redeem.hpp, lapse in expiry/expire.hpp, give-back in
// reversal/reverse.hpp and redemption/cancel.hpp.
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/posting.hpp"

namespace loyalty {

LOYALTY_INLINE void record_voucher_uses(posting& p, event_effect& effect, const std::vector<voucher_use>& uses,
                                const std::string& order_number) {
    member_state& s = p.state();
    for (const voucher_use& u : uses) {
        voucher& v = *s.find_voucher(u.voucher);
        v.remaining -= u.used;
        v.used += u.used;
        p.note_money(entry_kind::voucher_use, u.used,
                     [&] {
                         reason_args a = because(reason_code::voucher_pays);
                         a.set_reference(order_number);
                         a.cash = v.remaining.minor_units();
                         return a;
                     }(),
                     v.reward, v.id);
        if (!u.forfeited.is_zero()) {
            v.remaining -= u.forfeited;
            p.note_money(entry_kind::voucher_expire, u.forfeited, because(reason_code::voucher_forfeited), v.reward,
                         v.id);
        }
        effect.voucher_uses.push_back(u);
    }
}

}  // namespace loyalty
