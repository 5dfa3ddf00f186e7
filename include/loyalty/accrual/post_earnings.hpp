#pragma once
// post_earnings(): credits what accrue() found, records per-period cap usage, and explains
// every rule, including those that gave nothing.
#include <utility>
#include <vector>

#include "loyalty/accrual/accrue.hpp"
#include "loyalty/ledger/posting.hpp"

namespace loyalty {

inline void post_earnings(posting& p, event_effect& effect, const std::vector<earning>& earnings) {
    for (const earning& got : earnings) {
        const earning_rule& r = *got.rule;
        p.explain(r.id, got.figures);
        if (got.amount <= points(0)) continue;
        const lot& l = p.credit(entry_kind::earn, r.id, got.amount, r.id + ": " + got.figures);
        effect.earned.emplace_back(l.id, got.amount);
        if (r.max_per_period) {
            cap_use use{r.id, got.on, got.amount};
            effect.cap_uses.push_back(use);
            member_state& s = p.state();
            // Forget usage that no current period can reach, then add today's.
            const day_range range = r.max_per_period->over.containing(got.on, s.member_since);
            std::vector<cap_use> kept;
            bool merged = false;
            for (cap_use& c : s.cap_usage) {
                if (c.rule == r.id && c.on < range.first) continue;
                if (c.rule == r.id && c.on == got.on) {
                    c.amount += got.amount;
                    merged = true;
                }
                kept.push_back(c);
            }
            if (!merged) kept.push_back(use);
            s.cap_usage = std::move(kept);
        }
    }
}

}  // namespace loyalty
