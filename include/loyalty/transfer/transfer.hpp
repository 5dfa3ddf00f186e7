#pragma once
// Points transfer between members of one household: one event, entries on both chains. The
// sender's available lots are spent soonest-expiring first (one transfer_out entry per lot);
// the receiver gets one new lot per sending lot, expiring on the same day (transfer_in).
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

// Points the sender has sent within the period of the transfer cap that contains `today`.
LOYALTY_INLINE points sent_within(const member_state& s, const day_range& r) {
    points n;
    for (const cap_use& c : s.cap_usage)
        if (c.rule == "transfer" && r.contains(c.on)) n += c.amount;
    return n;
}

LOYALTY_INLINE refusal_reason check_transfer(const program& prog, const member_state& from, const member_state& to,
                                     const events::transfer& t, instant at) {
    if (!prog.transfers) return {refusal::transfer_refused, "programme " + prog.id + " does not allow transfers"};
    const transfer_policy& pol = *prog.transfers;
    if (t.to == from.member) return {refusal::transfer_refused, "a member cannot transfer points to themself"};
    if (!to.enrolled) return {refusal::unknown_member, "receiver " + t.to + " has not enrolled"};
    if (!pol.within_household || from.household.empty() || from.household != to.household)
        return {refusal::transfer_refused, "members " + from.member + " and " + t.to + " are not of one household"};
    if (t.amount < pol.min_per_transfer)
        return {refusal::transfer_refused, "a transfer is at least " + to_string(pol.min_per_transfer)};
    if (pol.max_per_transfer && t.amount > *pol.max_per_transfer)
        return {refusal::transfer_refused, "a transfer is at most " + to_string(*pol.max_per_transfer)};
    if (pol.max_per_period) {
        const day_range r = pol.max_per_period->over.containing(prog.zone.local_day(at), from.member_since);
        const points sent = sent_within(from, r);
        if (sent + t.amount > pol.max_per_period->limit)
            return {refusal::transfer_refused, to_string(sent) + " sent " + describe(r, pol.max_per_period->over) +
                                                   "; the limit is " + to_string(pol.max_per_period->limit)};
    }
    const points available = available_after_expiries(prog, from, at);
    if (available < t.amount)
        return {refusal::insufficient_points,
                "transfer of " + to_string(t.amount) + " exceeds the available " + to_string(available)};
    return {};
}

// Posts both sides. Call after check_transfer() accepted it and after each side's expiries due
// were posted.
LOYALTY_INLINE void transfer_points(posting& sender, posting& receiver, event_effect& sent, event_effect& received,
                            const events::transfer& t) {
    member_state& from = sender.state();
    const lot_amounts taken = sender.debit(entry_kind::transfer_out, t.amount, "transfer",
                                           [&] {
                                               reason_args a = because(reason_code::sends, t.reason);
                                               a.set_counterpart(t.to);
                                               a.figure = t.amount;
                                               return a;
                                           }(),
                                           {},
                                           /*available_only=*/true);
    sent.consumed = taken;
    const day today = sender.prog().zone.local_day(sender.ev().at);
    from.cap_usage.push_back({"transfer", today, t.amount});
    std::size_t k = 0;
    for (const auto& [lot_id, n] : taken) {
        const lot_record& source = *from.find_lot(lot_id);
        reason_args args = because(reason_code::receives, t.reason);
        args.set_counterpart(from.member);
        args.set_other_lot(lot_id);
        const lot_record& got = receiver.credit_lot(entry_kind::transfer_in,
                                                    sender.ev().id + "/transfer#" + std::to_string(++k), "transfer", n,
                                                    source.expires_on, std::move(args), {},
                                                    sender.funder_of(source));
        received.earned.emplace_back(receiver.state().lot_id_text_of(got), n);
    }
    sender.explain("transfer", "sends " + to_string(t.amount) + " to " + t.to + " from " + std::to_string(taken.size()) +
                                   " lot(s), soonest-expiring first; the receiver's lots keep their expiry days");
}

}  // namespace loyalty
