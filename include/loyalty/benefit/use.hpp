#pragma once
// Recording benefit uses on the ledger and in the member's usage, and giving them back.
#include <algorithm>
#include <string>
#include <utility>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/growth.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

// A benefit_use or benefit_return entry's arguments: the use's reference and the event's words.
LOYALTY_INLINE reason_args use_args(reason_code code, const benefit_use& u, const std::string& note = {}) {
    reason_args a = because(code, note);
    a.set_reference(u.reference);
    return a;
}
LOYALTY_INLINE reason_args return_args(const benefit_use& u, const std::string& note) {
    return use_args(reason_code::benefit_given_back, u, note);
}

// A benefit used by the current event: a 0-point ledger entry naming it, and the usage kept
// for quotas and caps. `u` is taken by value and ends in the event's effect: a caller done with
// its use moves it in (a repair order's uses are priced_order::consumes), and its texts are not
// copied again.
LOYALTY_INLINE void record_benefit_use(posting& p, event_effect& effect, benefit_use u) {
    p.note_benefit(entry_kind::benefit_use, u, use_args(reason_code::benefit_used, u));
    p.state().benefit_usage.push_back(u);
    effect.benefit_uses.push_back(std::move(u));
}

// Gives back what an earlier event used (when that event is reversed).
LOYALTY_INLINE void return_benefit_use(posting& p, const benefit_use& u, const std::string& reversed_event,
                               const std::string& note) {
    p.state().benefit_usage.erase(u);
    p.note_benefit(entry_kind::benefit_return, u, return_args(u, note), reversed_event);
}

// Whether a service item (claim handling, a club event) may be used now.
LOYALTY_INLINE refusal_reason check_benefit_use(const program& prog, const member_state& s, const events::benefit_use& u,
                                        instant at) {
    const benefit* b = prog.find_benefit(u.benefit);
    if (!b || b->kind != benefit_kind::service_item)
        return {refusal::unknown_benefit, "programme " + prog.id + " has no service item '" + u.benefit + "'"};
    if (!b->effective_at(at)) return {refusal::benefit_excluded, u.benefit + " is not in force at " + format_instant(at)};
    for (line_flag f : b->refuse_flags)
        if (u.has(f))
            return {refusal::benefit_excluded, u.benefit + " excludes uses flagged " + std::string(to_string(f))};
    if (!tier_allowed(b->tiers, held_tier(prog, s)))
        return {refusal::benefit_excluded, u.benefit + " is " + why_tier_not_allowed(b->tiers, held_tier(prog, s))};
    if (b->limit) {
        const quota_position q =
            quota_on(*b->limit, s.benefit_usage, b->id, prog.zone.local_day(at), s.member_since, held_tier(prog, s));
        if (q.left() <= 0)
            return {refusal::quota_used_up, u.benefit + ": " + std::to_string(q.used) + " of " +
                                                std::to_string(q.allowed) + " used in " + describe(q.period, b->limit->per) +
                                                tier_quota_note(q, b->limit->per)};
    }
    return {};
}

LOYALTY_INLINE void use_service_item(posting& p, event_effect& effect, const events::benefit_use& u) {
    benefit_use use;
    use.benefit = u.benefit;
    use.on = p.prog().zone.local_day(p.ev().at);
    use.uses = 1;
    use.reference = u.reference;
    use_spare_room<event_effect>(effect.benefit_uses);  // the last effect's (conclude() gives it back)
    record_benefit_use(p, effect, std::move(use));
}

}  // namespace loyalty
