#pragma once
// Where a member stands toward the tiers at an instant, for a statement: what the window in
// force counts, what keeps the held tier at its review (and whether the grace after the judged
// window is running), and what reaches the next tier up. Pure: read from the member's state.
#include <optional>
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/qualify.hpp"
#include "loyalty/tier/tier.hpp"

namespace loyalty {

// Keeping the held tier: at 00:00 local time of `review_on` the tier is kept when the judged
// window, or the grace after it, reaches `retain`.
struct tier_keep {
    std::string tier;
    day_range judged{};                  // the window the tier is judged on (member_state::tier_window)
    qualifying_totals judged_totals;     // its totals so far
    std::optional<day_range> grace;      // the grace days after it, once they have begun
    qualifying_totals grace_totals;      // their totals so far (zero before they begin)
    day review_on{};
    tier_threshold retain;
    bool met = false;                    // the judged window or the grace already reaches `retain`
};

// Reaching the next tier up: an upgrade at once when the window in force reaches `qualify`.
struct tier_reach {
    std::string tier;
    tier_threshold qualify;
};

struct tier_standing {
    day_range window{};                  // the window in force at the instant: what an upgrade counts
    qualifying_totals totals;            // its totals so far
    std::string held;                    // the member's own tier ("" none)
    std::optional<tier_keep> keep;       // none when no tier is held, or the held tier cannot drop
    std::optional<tier_reach> next;      // none when the highest tier is held
    // The instant lies in the grace after the judged window: the day the grace ends (the review).
    std::optional<day> in_grace_until;
};

// The member's standing under `prog`'s tiers at `at`; none when the programme has no tiers.
// For the member's own tier: a tier held through a fleet account is judged on the account's
// figures (the account's own standing). A review that fell due before `at` but is not posted
// yet (reviews are lazy) is shown as it stands: `review_on` is then in the past.
LOYALTY_INLINE std::optional<tier_standing> standing_of(const program& prog, const member_state& s, instant at) {
    if (!prog.tiers) return std::nullopt;
    const tier_policy& tp = *prog.tiers;
    const day today = prog.zone.local_day(at);
    tier_standing out;
    out.window = detail::qualifying_window(tp, today, s.member_since);
    out.totals = totals_in(prog, s, out.window);
    out.held = s.tier;
    const int held = tp.index_of(s.tier);
    if (held + 1 < static_cast<int>(tp.tiers.size())) {
        const tier& up = tp.tiers[static_cast<std::size_t>(held + 1)];
        out.next = tier_reach{up.id, up.qualify};
    }
    if (const std::optional<day> review = tier_review_on(prog, s)) {
        tier_keep k;
        k.tier = s.tier;
        k.judged = s.tier_window;
        k.judged_totals = totals_in(prog, s, s.tier_window);
        k.review_on = *review;
        k.retain = tp.tiers[static_cast<std::size_t>(held)].retain;
        k.grace_totals = qualifying_totals{points(0), money::zero(prog.currency_unit), 0, 0};
        if (tp.grace.any() && s.tier_window.end <= today) {
            k.grace = day_range{s.tier_window.end, *review};
            k.grace_totals = totals_in(prog, s, *k.grace);
            if (today < *review) out.in_grace_until = *review;
        }
        k.met = k.retain.meets(k.judged_totals) || (k.grace && k.retain.meets(k.grace_totals));
        out.keep = std::move(k);
    }
    return out;
}

}  // namespace loyalty
