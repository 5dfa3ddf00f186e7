#pragma once
// Forgetting usage records no window can count any more, so that a member's state does not grow
// with years of history (issue 10). Usage records (`benefit_usage`, `cap_usage`, `redemptions`)
// are only ever counted over a window of days: a benefit's quota period (and, with carry_over,
// the period before it), a benefit's money-cap period, an earning rule's cap period, a reward's
// per-member limit period and the transfer cap's period. Each of those windows, taken on a later
// day, starts no earlier than on today (calendar, anniversary and rolling periods only move
// forward), so a record dated before the earliest window start of today can never be counted
// again while this programme is in force: dropping it changes no refusal, price, entry or hash.
//
// The rule (docs/program-format.md, "How long usage is kept"):
//   - the horizon is the earliest first day of every window of the programme in force, taken on
//     the event's local day (one horizon for all three kinds of usage: the longest window of the
//     programme decides, whichever benefit, rule or reward a record is of);
//   - records dated before the horizon are dropped when time rolls forward to an accepted event;
//   - kept whatever their day: uses made on a vehicle (`vin` set: vehicle-scoped quotas count
//     them over the vehicle's life, every-N-km intervals look at the last one, and they follow the
//     vehicle to its next owner), and everything while the programme in force accepts back-dated
//     events (a back-dated event may be judged on an earlier window);
//   - a later programme version with a longer window than any of the version in force when a
//     record was dropped sees only what was kept: declare the longest window you may need in the
//     programme from the start (e.g. a reward limit per calendar_year keeps the current year).
// A reversal of an event whose record was dropped gives back nothing to the usage (the record is
// not found) and writes the same entry: quota given back to a period that has ended is never
// counted again, so the difference cannot be observed.
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "loyalty/core/growth.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

// The earliest local day any window of `prog` counts from, judged on day `today` for member `s`;
// nullopt when usage must all be kept (the programme accepts back-dated events). A programme
// without any window counts no usage: the horizon is then `today`.
LOYALTY_INLINE std::optional<day> usage_horizon(const program& prog, const member_state& s, day today) {
    if (prog.accept_backdated) return std::nullopt;
    day horizon = today;
    // Each distinct period is taken once: a programme's windows share a few (calendar_year for
    // most), and each costs date arithmetic on every accepted event.
    std::array<period, 8> taken{};
    std::size_t n = 0;
    const auto reach = [&](const period& per) {
        for (std::size_t i = 0; i < n; ++i)
            if (taken[i] == per) return;
        if (n < taken.size()) taken[n++] = per;
        horizon = std::min(horizon, per.containing(today, s.member_since).first);
    };
    for (const benefit& b : prog.benefits) {
        if (b.limit) {
            reach(b.limit->per);
            if (b.limit->carry_over) {  // the period before leaves its unused uses to this one
                const day first = b.limit->per.containing(today, s.member_since).first;
                horizon = std::min(horizon, b.limit->per.containing(first - date::days(1), s.member_since).first);
            }
        }
        if (b.max_per_period) reach(b.max_per_period->per);
    }
    for (const earning_rule& r : prog.earning_rules)
        if (r.max_per_period) reach(r.max_per_period->over);
    for (const reward& r : prog.rewards)
        if (r.limit) reach(r.limit->per);
    if (prog.transfers && prog.transfers->max_per_period) reach(prog.transfers->max_per_period->over);
    return horizon;
}


// Drops `s`'s usage records dated before the horizon of `prog` on `today` (see above).
//
// Once usage before a horizon is dropped, every record the state holds is dated on or after it
// (or made on a vehicle, which is kept): records are dated on their event's day, and an event is
// never before the horizon while back-dated events are refused. So while the horizon has not
// moved past the one last applied (`usage_forgotten_before`), there is nothing to drop and the
// scan is skipped. Accepting back-dated events forgets that horizon (a record may then be older).
LOYALTY_INLINE void forget_unreachable_usage(const program& prog, member_state& s, day today) {
    const std::optional<day> horizon = usage_horizon(prog, s, today);
    if (!horizon) {
        s.usage_forgotten_before.reset();
        return;
    }
    const day h = *horizon;
    if (s.usage_forgotten_before && h <= *s.usage_forgotten_before) return;
    s.benefit_usage.drop_member_uses_before(h);
    drop_where(s.cap_usage, [h](const cap_use& c) { return c.on < h; });
    drop_where(s.redemptions, [h](const redemption_use& r) { return r.on < h; });
    s.usage_forgotten_before = h;
}

}  // namespace loyalty
