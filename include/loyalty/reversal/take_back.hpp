#pragma once
// Taking back points an event earned, shared by whole and partial reversals: out of the lot the
// event created first, then (what was spent) by claw-back or debt; a rule that carries its
// rounding remainder gets the event's remainder back exactly.
#include <string>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/posting.hpp"

namespace loyalty {

// The exact points a basis stands for now: its counted amounts less what partial reversals
// returned or refunded on each line (`lines` is the RO's lines; empty for other events).
LOYALTY_INLINE exact_points exact_now(const earning_basis& b, const std::vector<order_line_effect>& lines) {
    std::int64_t base = 0;
    for (std::size_t i = 0; i < b.counted.size(); ++i) {
        if (b.counted[i] == 0) continue;
        if (i < lines.size() && !lines.empty()) {
            if (lines[i].returned) continue;
            // A line the member paid on counted what was paid; a refund comes off it. A covered
            // line counted at list price was not paid by the member and is never refunded.
            base += b.counted[i] - (lines[i].paid.is_zero() ? 0 : lines[i].refunded.minor_units());
        } else {
            base += b.counted[i];
        }
    }
    return exact_product(base, b.factors, b.divisor_exponent, b.per);
}

// Takes n points that lot `lot_id` received from the reversed event back: from the lot, else
// (spent points) by the programme's policy; expired points are not taken twice. `excused`
// counts the lot's expired points already treated as expired by earlier partial reversals.
LOYALTY_INLINE void take_back_points(posting& p, std::string_view lot_id, points n, points& excused,
                             const std::string& event_id, const std::string& note, const std::string& figures = {}) {
    // The event's words, then a settlement's figures when it gave some.
    const auto args = [&](reason_code code, points figure = points(0)) {
        reason_args a = because(code, note);
        a.set_text(figures);
        a.figure = figure;
        return a;
    };
    member_state& s = p.state();
    lot_record* l = s.find_lot(lot_id);
    if (!l || n <= points(0)) return;
    const points from_lot = min(l->remaining, n);
    if (from_lot > points(0))
        p.take_from(*l, from_lot, entry_kind::reverse, s.rule_of(*l), args(reason_code::takes_back), event_id);
    // What expired was already taken off the balance; what was spent is owed.
    const points expired = min(max(points(0), l->expired - excused), n - from_lot);
    excused += expired;
    const points spent = n - from_lot - expired;
    if (expired > points(0))
        p.explain(std::string(s.rule_of(*l)), to_string(expired) + " pt of lot " + std::string(lot_id) + " had already expired; nothing to take back");
    if (spent <= points(0)) return;
    const std::string rule(s.rule_of(*l));  // `l` may move when posting appends lots
    const std::string funder(p.funder_of(*l));
    points owed = spent;
    if (p.prog().when_spent == spent_points_policy::claw_back) {
        const lot_amounts taken = p.debit(entry_kind::claw_back, owed, rule, args(reason_code::claws_back, spent),
                                          event_id);
        for (const auto& [id, k] : taken) owed -= k;
        p.explain(rule, "policy claw_back: " + to_string(spent - owed) + " pt taken from other lots");
    }
    if (owed > points(0)) {
        p.add_debt(owed, args(reason_code::owes_spent), event_id, funder);
        p.explain(rule, "member owes " + to_string(owed) + " pt, settled from future earnings");
    }
}

// Settles one earning rule of the reversed event after its exact points went from `before` to
// `after`, and returns the points taken back. Never more than the rule still holds of the
// event (earned - taken_back), so all reversals of an event together never exceed what it earned.
//  - Without a remainder: points the rule keeps = min(round(after), earned), i.e. what the
//    event would have earned with only what is left of it; the difference is taken back.
//  - With a remainder carried: the member's remainder, less the exact points removed, is
//    rounded with the rule's mode; the whole points go back out and the fraction stays carried.
//    A whole reversal takes back all the event still holds and carries the difference.
// A whole reversal of a rule without a remainder posts exactly what it always did (old ledgers
// replay unchanged); partial reversals and remainders say their figures in the entries' reasons.
LOYALTY_INLINE points settle_basis(posting& p, earning_basis& b, const exact_points& before, const exact_points& after,
                           const std::string& event_id, const std::string& note, bool partial) {
    member_state& s = p.state();
    const points holds = b.earned - b.taken_back;
    points n;
    std::string figures;
    if (!b.carry) {
        const points keep = min(points(round_exact(after, b.mode)), b.earned);
        n = max(points(0), holds - keep);
        figures = b.rule + ": what is left counts " + to_text(after) + " -> " + to_string(keep) + " pt (rounded " +
                  std::string(to_string(b.mode)) + "); the event holds " + to_string(holds) + ", " + to_string(n) +
                  " pt go back";
    } else {
        const auto held = s.carries.find(b.rule);
        const decimal carried = held == s.carries.end() ? decimal() : held->second;
        const exact_points removed = add(before, after, true);
        const exact_points total = add(exact_of(carried), removed, true);
        const std::int64_t whole = round_exact(total, b.mode);  // <= 0: points the removal takes
        // A whole reversal takes back everything the event still holds, whatever the mode (under
        // `up` or `toward_zero` a negative total rounds toward 0 and would leave points behind).
        n = partial ? min(max(points(0), points(-whole)), holds) : holds;
        exact_points rest = add(total, exact_of(n.count()));
        // Only a capped earning can leave a whole point here: caps cut whole points, not carried.
        const std::int64_t cut = rest.numerator < 0 ? -round_exact({-rest.numerator, rest.scale, rest.divisor}, rounding::toward_zero)
                                                    : round_exact(rest, rounding::toward_zero);
        if (cut != 0) rest = add(rest, exact_of(cut), true);
        const decimal now = to_decimal(rest);
        if (now.is_zero()) s.carries.erase(b.rule);
        else s.carries[b.rule] = now;
        figures = b.rule + ": " + to_text(removed) + " exact pt removed from remainder " + carried.to_string() +
                  " = " + to_text(total) + " -> " + to_string(n) + " pt go back, remainder " + now.to_string() +
                  " pt carried";
        if (n.count() == 0 && !(now == carried))
            p.note(entry_kind::carry,
                   [&] {
                       reason_args a = because(reason_code::carries_back, note);
                       a.set_text(figures);
                       return a;
                   }(),
                   b.rule, event_id);
    }
    const bool say = partial || b.carry;
    if (say) p.explain(b.rule, figures);
    if (!b.lot.empty())
        take_back_points(p, b.lot, n, b.expired_excused, event_id, note, say ? figures : std::string());
    b.taken_back += n;
    return n;
}

}  // namespace loyalty
