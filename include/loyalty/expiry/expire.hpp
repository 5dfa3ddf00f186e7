#pragma once
// Rolling time forward: posts the expiries that fell due up to `now`, each dated when it fell due.
#include <algorithm>
#include <vector>

#include "loyalty/ledger/posting.hpp"

namespace loyalty {

inline void expire_due(posting& p, instant now) {
    member_state& s = p.state();
    const program& prog = p.prog();
    struct due_lot {
        instant due;
        lot* l;
    };
    std::vector<due_lot> due;
    if (prog.expiry.kind == expiry_kind::inactivity) {
        if (!s.enrolled) return;
        const day last = prog.zone.local_day(s.last_activity_at);
        const instant when = prog.zone.start_of(*prog.expiry.inactivity_expiry(last));
        if (now < when) return;
        for (lot& l : s.lots)
            if (l.remaining > points(0)) due.push_back({when, &l});
        for (const due_lot& d : due)
            p.expire(*d.l, d.due,
                     "no activity since " + format_day(last) + ": all points expire after " +
                         std::to_string(prog.expiry.months) + " months");
        return;
    }
    for (lot& l : s.lots) {
        if (l.remaining <= points(0) || !l.expires_on) continue;
        const instant when = prog.zone.start_of(*l.expires_on);
        if (when <= now) due.push_back({when, &l});
    }
    std::stable_sort(due.begin(), due.end(), [](const due_lot& a, const due_lot& b) { return a.due < b.due; });
    for (const due_lot& d : due)
        p.expire(*d.l, d.due,
                 "lot earned " + format_day(d.l->earned_on) + " expires on " + format_day(*d.l->expires_on) + " (" +
                     std::string(to_string(prog.expiry.kind)) + ")");
}

}  // namespace loyalty
