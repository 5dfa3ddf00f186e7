#pragma once
// What an accepted event did to a member, kept so that a later reversal can undo exactly that
// (reversal/), and the summary every check reads without unpacking it (member/effect_book.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/member/lot.hpp"

namespace loyalty {

// Points one rule has earned for the member on one day, for per-period caps.
struct cap_use {
    std::string rule;
    day on;
    points amount;
    friend bool operator==(const cap_use& a, const cap_use& b) {
        return a.rule == b.rule && a.on == b.on && a.amount == b.amount;
    }
};

// Part of a voucher an event used, and what a forfeit policy struck off after it.
struct voucher_use {
    std::string voucher;
    money used;
    money forfeited;
    friend bool operator==(const voucher_use& a, const voucher_use& b) {
        return a.voucher == b.voucher && a.used == b.used && a.forfeited == b.forfeited;
    }
};

// A line's part of its order's benefit uses: held in place for one (a line is mostly given one
// benefit, if any), so that recording an order's lines allocates nothing for them. Used as
// std::vector.
using order_line_benefit_uses = boost::container::small_vector<benefit_use, 1>;

// What one line of a closed repair order did, so that a partial reversal can return it
// (reversal/partial.hpp): the cash the member paid on it and what benefits and vouchers gave it.
struct order_line_effect {
    money paid;                  // cash the member paid on the line (after benefits and vouchers)
    money refunded;              // money refunded on it since (partial reversals naming an amount)
    bool returned = false;       // the line was returned (a partial reversal naming it)
    order_line_benefit_uses benefit_uses;  // the line's part of the order's benefit uses
    std::vector<std::pair<std::string, money>> vouchers;  // voucher id, money it paid on the line
    friend bool operator==(const order_line_effect& a, const order_line_effect& b) {
        return a.paid == b.paid && a.refunded == b.refunded && a.returned == b.returned &&
               a.benefit_uses == b.benefit_uses && a.vouchers == b.vouchers;
    }
};

// What an earning rule counted per line of a repair order (one amount for other events), and
// its factors: held in place for orders of up to eight lines and up to three factors (the rate
// and two multipliers), so that an earning allocates nothing for them. Used as std::vector.
using counted_amounts = boost::container::small_vector<std::int64_t, 8>;
using earning_factors = boost::container::small_vector<decimal, 3>;

// Lots (member/lot.hpp's lot_id_text) and the points an event put into or took from each, in
// the order it did.
using lot_amounts = std::vector<std::pair<lot_id_text, points>>;

// What an earning rule counted on an event, so that its points can be recomputed for what is
// left of the event after a partial reversal, and its carried remainder given back exactly.
// exact points = sum(counted) x f1 x f2 ... / 10^divisor_exponent, or for a ratio rate
// sum(counted) x f1 x f2 ... / 10^(scales of the factors) / per.
struct earning_basis {
    std::string rule;
    lot_id_text lot;                     // the lot its points went into ("" when it posted none)
    counted_amounts counted;             // minor units counted per RO line (one entry for other events)
    earning_factors factors;             // points per unit, then every multiplier in force
    int divisor_exponent = 0;
    rounding mode = rounding::down;
    points earned;                       // what the rule posted (after caps)
    points taken_back;                   // taken back by reversals since
    points expired_excused;              // of its lot's expired points, counted as expired by reversals
    bool carry = false;                  // the rule carries its rounding remainder
    std::int64_t per = 0;                // a ratio rate: its amount in minor units, the product's divisor (0: none)
    friend bool operator==(const earning_basis& a, const earning_basis& b) {
        return a.rule == b.rule && a.lot == b.lot && a.counted == b.counted && a.factors == b.factors &&
               a.divisor_exponent == b.divisor_exponent && a.per == b.per && a.mode == b.mode && a.earned == b.earned &&
               a.taken_back == b.taken_back && a.expired_excused == b.expired_excused && a.carry == b.carry;
    }
};

// What an accepted event did, so that a later `reverse` can undo exactly that.
struct event_effect {
    event_type type = event_type::tick;
    instant at;
    bool reversed = false;
    lot_amounts earned;    // lots created: lot id, points
    lot_amounts consumed;  // lots drawn on by a debit: lot id, points
    std::vector<cap_use> cap_uses;
    std::vector<benefit_use> benefit_uses;  // quota and money of benefits it used
    std::vector<voucher_use> voucher_uses;  // a repair order: vouchers it paid labour with
    bool closed_order = false;              // a closed repair order (surveys may name it)
    // Past the programme's reversal window (reversal/window.hpp): it can no longer be undone, so
    // everything kept for undoing it was dropped; type, at, reversed and closed_order remain.
    bool settled = false;
    // A redemption: the reward, how many, the money part of the price, the vouchers it issued.
    std::string reward;
    std::int64_t quantity = 0;
    std::optional<money> cash;
    std::vector<std::string> vouchers;
    // The fleet account this event's spend counted toward, and how much (a reversal takes it out).
    std::string account;
    money account_spend;
    // Partial reversals: a closed RO's lines, and what each earning rule counted (any event whose
    // rule carries its remainder, every earning rule of a closed RO).
    std::vector<order_line_effect> lines;
    std::vector<earning_basis> bases;

    friend bool operator==(const event_effect& a, const event_effect& b) {
        return a.type == b.type && a.at == b.at && a.reversed == b.reversed && a.earned == b.earned &&
               a.consumed == b.consumed && a.cap_uses == b.cap_uses && a.benefit_uses == b.benefit_uses &&
               a.voucher_uses == b.voucher_uses && a.reward == b.reward && a.quantity == b.quantity &&
               a.cash == b.cash && a.vouchers == b.vouchers && a.closed_order == b.closed_order &&
               a.account == b.account && a.account_spend == b.account_spend &&
               a.lines == b.lines && a.bases == b.bases && a.settled == b.settled;
    }
};

// The facts of an event's effect that checks read on every event (a survey names a closed order,
// a reverse names an event not yet reversed, a window settles effects): kept as fields beside
// the packed rest.
struct effect_summary {
    event_type type = event_type::tick;
    instant at;
    bool reversed = false;
    bool settled = false;
    bool closed_order = false;
    friend bool operator==(const effect_summary& a, const effect_summary& b) {
        return a.type == b.type && a.at == b.at && a.reversed == b.reversed && a.settled == b.settled &&
               a.closed_order == b.closed_order;
    }
};

LOYALTY_INLINE effect_summary summary_of(const event_effect& e) {
    return effect_summary{e.type, e.at, e.reversed, e.settled, e.closed_order};
}

}  // namespace loyalty
