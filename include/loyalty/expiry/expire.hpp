#pragma once
// Rolling time forward: posts the expiries that fell due up to `now`, each dated when it fell due.
#include <algorithm>
#include <string>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/posting.hpp"

namespace loyalty {

// A lot (by index in member_state::lots) whose points fall due to expire, and when.
struct due_expiry {
    instant due;
    std::size_t lot;
};
// Held in place for up to eight (an event is asked which lots are due several times, and a few
// are, if any), so that asking allocates nothing. Used as std::vector.
using due_expiries = boost::container::small_vector<due_expiry, 8>;

// Every lot with points that expire at or before `now`, in the order they fall due. Points
// that came into a lot after its expiry (a birthday bonus to a member already inactive, points
// given back by a reversal) expire when they came in, never before.
LOYALTY_INLINE due_expiries expiries_due(const program& prog, const member_state& s, instant now) {
    due_expiries due;
    if (!s.enrolled) return due;
    if (prog.expiry.kind == expiry_kind::inactivity) {
        const instant when =
            prog.zone.start_of(*prog.expiry.inactivity_expiry(prog.zone.local_day(s.last_activity_at)));
        if (now < when) return due;
        for (std::size_t i = 0; i < s.lots.size(); ++i)
            if (s.lots[i].remaining > points(0)) due.push_back({std::max(when, s.lots[i].credited_at), i});
    } else {
        // A lot expires at the start of its expiry day, which is at or before `now` exactly when
        // that day is at or before now's local day: days are compared, and the time zone asked
        // only for the lots that are due.
        const day today = prog.zone.local_day(now);
        for (std::size_t i = 0; i < s.lots.size(); ++i) {
            const lot_record& l = s.lots[i];
            if (l.remaining <= points(0) || !l.expires_on || today < *l.expires_on) continue;
            const instant when = std::max(prog.zone.start_of(*l.expires_on), l.credited_at);
            if (when <= now) due.push_back({when, i});
        }
    }
    // Lots falling due together keep their order (std::stable_sort's order, without its buffer).
    std::sort(due.begin(), due.end(), [](const due_expiry& a, const due_expiry& b) {
        return a.due < b.due || (a.due == b.due && a.lot < b.lot);
    });
    return due;
}

// The balance the member will have once the expiries due at `now` are posted.
LOYALTY_INLINE points balance_after_expiries(const program& prog, const member_state& s, instant now) {
    points b = s.balance();
    for (const due_expiry& d : expiries_due(prog, s, now)) b -= s.lots[d.lot].remaining;
    return b;
}

// Points the member may spend at `now` once those expiries are posted: lots no longer
// pending, less debt. Pending points never count.
LOYALTY_INLINE points available_after_expiries(const program& prog, const member_state& s, instant now) {
    points b = s.available(now);
    for (const due_expiry& d : expiries_due(prog, s, now))
        if (s.lots[d.lot].available_at <= now) b -= s.lots[d.lot].remaining;
    return b;
}

// Vouchers whose expiry day has come lapse with what is left of them.
LOYALTY_INLINE void expire_vouchers_due(posting& p, instant now) {
    member_state& s = p.state();
    const program& prog = p.prog();
    for (voucher& v : s.vouchers) {
        if (v.withdrawn || v.remaining.is_zero()) continue;
        const instant due = prog.zone.start_of(v.expires_on);
        if (now < due) continue;
        const money left = v.remaining;
        v.remaining = money::zero(left.currency_of());
        reason_args args = because(reason_code::voucher_lapses);
        args.cash = v.value.minor_units();
        args.on = v.expires_on;
        p.note_money(entry_kind::voucher_expire, left, std::move(args), v.reward, v.id, {}, {}, due);
    }
}

LOYALTY_INLINE void expire_due(posting& p, instant now) {
    member_state& s = p.state();
    const program& prog = p.prog();
    for (const due_expiry& d : expiries_due(prog, s, now)) {
        lot_record& l = s.lots[d.lot];
        const bool inactive = prog.expiry.kind == expiry_kind::inactivity;
        reason_args args = because(inactive ? reason_code::inactive_expires : reason_code::lot_expires);
        args.since = inactive ? prog.zone.local_day(s.last_activity_at) : l.earned_on;
        if (!inactive) args.on = *l.expires_on;
        p.expire(l, d.due, std::move(args));
    }
    expire_vouchers_due(p, now);
}

}  // namespace loyalty
