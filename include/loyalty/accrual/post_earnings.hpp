#pragma once
// post_earnings(): credits what accrue() found, records per-period cap usage, and explains
// every rule, including those that gave nothing.
#include <algorithm>
#include <utility>
#include <vector>

#include "loyalty/accrual/accrue.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/posting.hpp"

namespace loyalty {

// `earnings` is taken by value: what a basis keeps is moved into the effect, not copied.
LOYALTY_INLINE void post_earnings(posting& p, event_effect& effect, std::vector<earning> earnings) {
    // A lot per earning at most, and a basis: in the room of the last effect's (conclude() in
    // engine/apply.hpp gives it back; core/spare.hpp).
    use_spare_room<event_effect>(effect.earned);
    use_spare_room<event_effect>(effect.bases);
    effect.earned.reserve(effect.earned.size() + earnings.size());
    effect.bases.reserve(effect.bases.size() + earnings.size());
    for (earning& got : earnings) {
        const earning_rule& r = *got.rule;
        // The trace line says how the rule reached its points: for a rule that posts an entry,
        // the words after "<rule>: " of that entry's reason (rendered once, as it is posted);
        // for one that posts none, rendered here (or its own words, when it had no figures).
        const bool posts_carry =
            got.carry_after && got.amount <= points(0) && !(*got.carry_after == *got.carry_before);
        const auto explain_entry = [&](std::size_t at) {
            if (p.explaining()) p.explain(r.id, std::string(p.entry(at).reason.substr(r.id.size() + 2)));
        };
        if (p.explaining() && !posts_carry && got.amount <= points(0))
            p.explain(r.id, got.text.empty() ? describe_earning_figures(r.id, got.figures, got.args, p.prog()) : got.text);
        if (got.carry_after) {
            // The remainder is the member's, per rule; it goes on the ledger in the entry's figures.
            member_state& s = p.state();
            if (got.carry_after->is_zero()) s.carries.erase(r.id);
            else s.carries[r.id] = *got.carry_after;
            if (posts_carry) {
                const std::size_t at = p.entry_count();
                p.note(entry_kind::carry, got.args, r.id, {}, std::nullopt, &got.figures);
                explain_entry(at);
            }
        }
        // What the rule counted, for a later partial reversal (closed repair orders) or to give
        // its remainder back exactly (rules that carry one).
        const bool keep_basis = (effect.closed_order && got.amount > points(0)) ||
                                (got.carry_after && !(*got.carry_after == *got.carry_before));
        if (keep_basis) {
            earning_basis b = std::move(got.basis);  // not read again
            b.earned = got.amount;
            if (got.amount > points(0)) b.lot = lot_id_text::joined(p.ev().id, '/', r.id);
            effect.bases.push_back(std::move(b));
        }
        if (got.amount <= points(0)) continue;
        const std::size_t at = p.entry_count();
        const lot_record& l = p.credit(entry_kind::earn, r.id, got.amount, std::move(got.args), &got.figures);
        explain_entry(at);
        effect.earned.emplace_back(p.state().lot_id_text_of(l), got.amount);
        if (r.max_per_period) {
            cap_use use{r.id, got.on, got.amount};
            use_spare_room<event_effect>(effect.cap_uses);  // the last effect's, as above
            effect.cap_uses.push_back(use);
            member_state& s = p.state();
            // Forget usage that no current period can reach, then add today's (in place, in order).
            const day_range range = r.max_per_period->over.containing(got.on, s.member_since);
            std::vector<cap_use>& usage = s.cap_usage;
            usage.erase(std::remove_if(usage.begin(), usage.end(),
                                       [&](const cap_use& c) { return c.rule == r.id && c.on < range.first; }),
                        usage.end());
            bool merged = false;
            for (cap_use& c : usage)
                if (c.rule == r.id && c.on == got.on) {
                    c.amount += got.amount;
                    merged = true;
                }
            if (!merged) usage.push_back(use);
        }
    }
    give_spare_room_back(earnings);  // its room, for the next accrue() (core/spare.hpp)
}

}  // namespace loyalty
