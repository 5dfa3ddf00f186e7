#pragma once
// Partial reversals of a closed repair order: lines returned (by their 0-based index in the
// order's lines) and/or money refunded after the fact (a discount). Points go back rule by rule
// as settle_basis() says (reversal/take_back.hpp): each rule keeps what the order would have
// earned with only what is left of it, so all partial reversals of an order together never
// take back more than it earned, and a later whole reversal takes back only what is left.
// A returned line gives back the quota and money caps its benefits used and what vouchers paid
// on it, once; a refund of money gives back no quota and no voucher money (the line stands).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/benefit/price.hpp"
#include "loyalty/benefit/use.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/reversal/take_back.hpp"

namespace loyalty {

// What each line of a closed order did, from its priced form: kept in the event's effect.
LOYALTY_INLINE void record_order_lines(event_effect& effect, const priced_order& priced, const std::string& order_number,
                               day on) {
    use_spare_room<event_effect>(effect.lines);  // the last effect's (conclude() gives it back)
    effect.lines.reserve(effect.lines.size() + priced.lines.size());
    for (const priced_line& pl : priced.lines) {
        order_line_effect le;
        le.paid = pl.line.covered() || pl.net.is_negative() ? money::zero(pl.net.currency_of()) : pl.net;
        le.refunded = money::zero(pl.net.currency_of());
        for (const price_adjustment& a : pl.adjustments) {
            const bool voucher = std::any_of(priced.voucher_uses.begin(), priced.voucher_uses.end(),
                                             [&](const voucher_use& u) { return u.voucher == a.benefit; });
            if (voucher) le.vouchers.emplace_back(a.benefit, a.amount);
            else le.benefit_uses.push_back({a.benefit, on, a.uses, a.amount.minor_units(), order_number});
        }
        effect.lines.push_back(std::move(le));
    }
}

namespace detail {
// Money the member still stands to have paid on line i (what a refund can still come off).
LOYALTY_INLINE money refundable(const order_line_effect& l) { return l.paid - l.refunded; }
}  // namespace detail

// Whether the partial reversal `r` may be applied; check_reverse() has already found the event
// and seen that it was not wholly reversed.
LOYALTY_INLINE refusal_reason check_partial_reverse(const member_state& s, const events::reverse& r) {
    const event_effect e = s.effects.at(r.event_id);  // unpacked
    const auto refuse = [&](const std::string& why) {
        return refusal_reason{refusal::invalid_reversal, "partial reversal of '" + r.event_id + "': " + why};
    };
    if (e.type != event_type::repair_order || !e.closed_order)
        return refuse("only a closed repair order can be reversed in part (reverse the whole event instead)");
    if (e.lines.empty()) return refuse("the order was recorded before partial reversals existed; reverse it whole");
    std::vector<bool> named(e.lines.size(), false);
    for (std::size_t i : r.lines) {
        if (i >= e.lines.size())
            return refuse("line " + std::to_string(i) + " does not exist (the order has " +
                          std::to_string(e.lines.size()) + " lines, numbered from 0)");
        if (e.lines[i].returned) return refuse("line " + std::to_string(i) + " was already returned");
        if (named[i]) return refuse("line " + std::to_string(i) + " is named twice");
        named[i] = true;
    }
    if (r.amount) {
        if (r.amount->is_zero() || r.amount->is_negative()) return refuse("the amount refunded must be greater than 0");
        money room = money::zero(r.amount->currency_of());
        if (r.amount_line) {
            const std::size_t i = *r.amount_line;
            if (i >= e.lines.size()) return refuse("line " + std::to_string(i) + " does not exist");
            if (e.lines[i].returned || named[i]) return refuse("line " + std::to_string(i) + " is returned");
            if (e.lines[i].paid.currency_of() != r.amount->currency_of()) return refuse("the amount is in another currency");
            room = detail::refundable(e.lines[i]);
        } else {
            for (std::size_t i = 0; i < e.lines.size(); ++i)
                if (!e.lines[i].returned && !named[i]) {
                    if (e.lines[i].paid.currency_of() != r.amount->currency_of())
                        return refuse("the amount is in another currency");
                    room += detail::refundable(e.lines[i]);
                }
        }
        if (room < *r.amount)
            return refuse("a refund of " + to_string(*r.amount) + " exceeds the " + to_string(room) +
                          " the member still paid on " + (r.amount_line ? "that line" : "the order's remaining lines"));
    }
    return {};
}

namespace detail {

// Spreads `amount` over the lines not returned, in proportion to what is still refundable on
// each (largest remainder; ties to the lower index), so the parts add up to it exactly.
LOYALTY_INLINE std::vector<std::int64_t> spread(const std::vector<order_line_effect>& lines, std::int64_t amount) {
    std::vector<std::int64_t> part(lines.size(), 0), rest(lines.size(), 0);
    std::int64_t total = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (!lines[i].returned) total += refundable(lines[i]).minor_units();
    if (total == 0) return part;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].returned) continue;
        const int128 share = int128(amount) * refundable(lines[i]).minor_units();
        part[i] = static_cast<std::int64_t>(share / total);
        rest[i] = static_cast<std::int64_t>(share % total);
        given += part[i];
    }
    while (given < amount) {
        std::size_t best = lines.size();
        for (std::size_t i = 0; i < lines.size(); ++i)
            if (!lines[i].returned && part[i] < refundable(lines[i]).minor_units() &&
                (best == lines.size() || rest[i] > rest[best]))
                best = i;
        ++part[best];
        rest[best] = -1;  // one extra unit per line at most from the remainders
        ++given;
    }
    return part;
}

// Gives back the part of an order's benefit use that one returned line took.
LOYALTY_INLINE void return_line_benefit(posting& p, event_effect& effect, const benefit_use& part, const std::string& event_id,
                                const std::string& note) {
    for (benefit_use& whole : effect.benefit_uses) {
        if (whole.benefit != part.benefit) continue;
        const benefit_use was = whole;
        whole.uses -= part.uses;
        whole.discount -= part.discount;
        if (whole.uses <= 0 && whole.discount <= 0) p.state().benefit_usage.erase(was);
        else p.state().benefit_usage.replace(was, whole);
        p.note_benefit(entry_kind::benefit_return, part, return_args(part, note), event_id);
        break;
    }
    effect.benefit_uses.erase(std::remove_if(effect.benefit_uses.begin(), effect.benefit_uses.end(),
                                             [](const benefit_use& u) { return u.uses <= 0 && u.discount <= 0; }),
                              effect.benefit_uses.end());
}

}  // namespace detail

// Applies a partial reversal that check_partial_reverse() accepted.
LOYALTY_INLINE void partial_reverse(posting& p, const events::reverse& r) {
    member_state& s = p.state();
    event_effect effect = s.effects.at(r.event_id);  // unpacked; written back at the end
    const std::string& id = r.event_id;

    // Exact points of each rule before, then the lines change, then each rule settles.
    std::vector<exact_points> before;
    for (const earning_basis& b : effect.bases) before.push_back(exact_now(b, effect.lines));
    money refunded_cash = money::zero(p.prog().currency_unit);
    for (std::size_t i : r.lines) {
        refunded_cash += detail::refundable(effect.lines[i]);
        effect.lines[i].returned = true;
        p.explain("", id + " line " + std::to_string(i) + " returned: " +
                          detail::refundable(effect.lines[i]).to_string() + " paid on it no longer counts");
    }
    if (r.amount) {
        std::vector<std::int64_t> part(effect.lines.size(), 0);
        if (r.amount_line) part[*r.amount_line] = r.amount->minor_units();
        else part = detail::spread(effect.lines, r.amount->minor_units());
        std::string parts;
        for (std::size_t i = 0; i < part.size(); ++i) {
            if (part[i] == 0) continue;
            const money m(part[i], r.amount->currency_of());
            effect.lines[i].refunded += m;
            parts += (parts.empty() ? "" : ", ") + m.to_string() + " on line " + std::to_string(i);
        }
        refunded_cash += *r.amount;
        p.explain("", id + ": " + to_string(*r.amount) + " refunded after the fact (" + parts + ")");
    }
    points taken;
    for (std::size_t k = 0; k < effect.bases.size(); ++k) {
        earning_basis& b = effect.bases[k];
        const exact_points after = exact_now(b, effect.lines);
        const points n = settle_basis(p, b, before[k], after, id, r.reason, true);
        taken += n;
        // Per-period cap usage of the rule is released by what went back.
        if (n > points(0))
            for (cap_use& u : effect.cap_uses)
                if (u.rule == b.rule)
                    for (cap_use& c : s.cap_usage)
                        if (c.rule == u.rule && c.on == u.on) {
                            const points release = min(n, u.amount);
                            c.amount = max(points(0), c.amount - release);
                            u.amount -= release;
                        }
    }

    // Returned lines give back their benefits' quota and money, and what vouchers paid on them.
    bool vouchers_back = false;
    for (std::size_t i : r.lines) {
        order_line_effect& line = effect.lines[i];
        for (const benefit_use& u : line.benefit_uses) detail::return_line_benefit(p, effect, u, id, r.reason);
        for (const auto& [vid, m] : line.vouchers) {
            voucher* v = s.find_voucher(vid);
            if (!v) continue;
            v->remaining += m;
            v->used -= m;
            for (voucher_use& u : effect.voucher_uses)
                if (u.voucher == vid) u.used -= m;  // a later whole reversal gives back only the rest
            p.note_money(entry_kind::voucher_return, m,
                         [&] {
                             reason_args a = because(reason_code::voucher_line_given_back, r.reason);
                             a.count = static_cast<std::int64_t>(i);
                             return a;
                         }(),
                         v->reward, v->id, format_day(v->expires_on), id);
            vouchers_back = true;
        }
    }
    if (vouchers_back) expire_vouchers_due(p, p.ev().at);  // a voucher past its day lapses again at once
    s.effects.assign(id, effect);

    // What the order counts toward tiers shrinks by the points and the money that went back.
    for (qualifying_record& q : s.qualifying)
        if (q.event == id) {
            q.earned = max(points(0), q.earned - taken);
            q.spend = refunded_cash < q.spend ? q.spend - refunded_cash : money::zero(q.spend.currency_of());
        }
}

}  // namespace loyalty
