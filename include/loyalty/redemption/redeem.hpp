#pragma once
// redeem(): buying catalogue rewards with points. check_redeem() decides every refusal before
// anything changes; redeem() then spends available points soonest-expiring first (one `redeem`
// entry per lot touched) and issues the vouchers a labour-voucher reward carries.
#include <cstdint>
#include <string>

#include "loyalty/core/checked.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/redemption/stock.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

// Units of `reward` the member redeemed within the period that contains `today`.
LOYALTY_INLINE std::int64_t redeemed_within(const member_state& s, const std::string& reward, const day_range& r) {
    std::int64_t n = 0;
    for (const redemption_use& u : s.redemptions)
        if (u.reward == reward && r.contains(u.on)) n += u.quantity;
    return n;
}

// The total price of `quantity` units at price option `option`, as points and money.
struct redemption_price {
    points cost;
    money cash;
};

LOYALTY_INLINE redemption_price price_of(const reward& r, std::size_t option, std::int64_t quantity) {
    const reward_price& p = r.prices.at(option);
    return {points(checked::mul(p.cost.count(), quantity)),
            money(checked::mul(p.cash.minor_units(), quantity), p.cash.currency_of())};
}

LOYALTY_INLINE refusal_reason check_redeem(const program& prog, const member_state& s, const reward_stock& stock,
                                   const events::redeem& r, instant at) {
    const reward* rw = prog.find_reward(r.reward);
    if (!rw) return {refusal::unknown_reward, "no reward '" + r.reward + "' in the catalogue of " + prog.id};
    if (r.option >= rw->prices.size())
        return {refusal::unknown_reward, "reward '" + r.reward + "' has " + std::to_string(rw->prices.size()) +
                                             " price option(s); option " + std::to_string(r.option) + " does not exist"};
    if (r.quantity < 1 || r.quantity > 1000)
        return {refusal::out_of_range, "quantity " + std::to_string(r.quantity) + " is outside 1..1000"};
    if (!rw->offered_at(at, prog.zone))
        return {refusal::reward_unavailable, "reward '" + r.reward + "' is not offered on " +
                                                 format_day(prog.zone.local_day(at))};
    if (!tier_allowed(rw->tiers, held_tier(prog, s)))
        return {refusal::tier_not_allowed, "reward '" + r.reward + "' is " + why_tier_not_allowed(rw->tiers, held_tier(prog, s))};
    const day today = prog.zone.local_day(at);
    if (rw->min_tenure_days > 0 && (today - s.member_since).count() < rw->min_tenure_days)
        return {refusal::minimum_not_met, "reward '" + r.reward + "' needs " + std::to_string(rw->min_tenure_days) +
                                              " days of membership; the member has " +
                                              std::to_string((today - s.member_since).count())};
    const points available = available_after_expiries(prog, s, at);
    // Only a reward that states a minimum has one: a member in debt is short of points, not of a minimum.
    if (rw->min_balance > points(0) && available < rw->min_balance)
        return {refusal::minimum_not_met, "reward '" + r.reward + "' needs a balance of " + to_string(rw->min_balance) +
                                              "; available " + to_string(available)};
    if (rw->limit) {
        const day_range range = rw->limit->per.containing(today, s.member_since);
        const std::int64_t used = redeemed_within(s, rw->id, range);
        if (used + r.quantity > rw->limit->count)
            return {refusal::limit_reached, "reward '" + r.reward + "': " + std::to_string(used) + " of " +
                                                std::to_string(rw->limit->count) + " redeemed " +
                                                describe(range, rw->limit->per) + "; " + std::to_string(r.quantity) +
                                                " more would exceed the limit"};
    }
    if (rw->stock) {
        const std::int64_t left = *rw->stock - stock.issued_of(rw->id);
        if (left < r.quantity)
            return {refusal::out_of_stock, "reward '" + r.reward + "': " + std::to_string(std::max<std::int64_t>(left, 0)) +
                                               " of " + std::to_string(*rw->stock) + " units left, " +
                                               std::to_string(r.quantity) + " asked"};
    }
    const redemption_price cost = price_of(*rw, r.option, r.quantity);
    if (available < cost.cost)
        return {refusal::insufficient_points, "reward '" + r.reward + "' costs " + to_string(cost.cost) +
                                                  " pt; available " + to_string(available) + " pt" +
                                                  (s.pending(at) > points(0) ? " (" + to_string(s.pending(at)) + " pt pending)" : "")};
    return {};
}

// Spends the points and issues the reward. Call after check_redeem() accepted the event and
// expiries due were posted.
LOYALTY_INLINE void redeem(posting& p, event_effect& effect, const events::redeem& r, outcome& out) {
    const program& prog = p.prog();
    member_state& s = p.state();
    const event& e = p.ev();
    const reward& rw = *prog.find_reward(r.reward);
    const redemption_price cost = price_of(rw, r.option, r.quantity);
    if (p.explaining())
        p.explain(rw.id, "redeems " + std::to_string(r.quantity) + " x " + rw.id +
                             (rw.name.empty() ? "" : " (" + rw.name + ")") + " for " + to_string(cost.cost) +
                             (cost.cash.is_zero() ? "" : " + " + to_string(cost.cash)) + ", price option " +
                             std::to_string(r.option));
    reason_args args = because(reason_code::redeems);
    args.count = r.quantity;
    args.figure = cost.cost;
    args.cash = cost.cash.minor_units();
    effect.consumed = p.debit(entry_kind::redeem, cost.cost, rw.id, args, {}, /*available_only=*/true,
                              cost.cash.is_zero() ? std::string() : to_string(cost.cash));
    effect.reward = rw.id;
    effect.quantity = r.quantity;
    if (!cost.cash.is_zero()) effect.cash = cost.cash;
    const day today = prog.zone.local_day(e.at);
    s.redemptions.push_back({rw.id, today, r.quantity, e.id});
    out.stock_moves.emplace_back(rw.id, r.quantity);
    if (rw.voucher) {
        for (std::int64_t k = 1; k <= r.quantity; ++k) {
            voucher v;
            v.id = e.id + "/" + rw.id + "#" + std::to_string(k);
            v.reward = rw.id;
            v.event = e.id;
            v.value = v.remaining = rw.voucher->value;
            v.used = money::zero(v.value.currency_of());
            v.expires_on = today + date::days(rw.voucher->valid_days);
            s.vouchers.push_back(v);
            effect.vouchers.push_back(v.id);
            p.note_money(entry_kind::voucher_issue, v.value, because(reason_code::voucher_issued), rw.id, v.id,
                         format_day(v.expires_on));
        }
    }
}

}  // namespace loyalty
