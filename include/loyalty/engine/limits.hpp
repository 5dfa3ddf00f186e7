#pragma once
// Magnitude limits. An event within them, under a programme that passed validation, can never
// overflow the engine's 64-bit arithmetic, so apply_in_place() never fails half-way: a value
// past them is refused (out_of_range) before anything changes.
//
//   money of one event (sum of |quantity x unit price| over the lines, or a vehicle price)
//       <= 10^13 minor units (100,000,000,000.00 CNY)
//   points of one adjustment                                    <= 10^13
//   a member's balance and debt                                 <= 10^17
// With the programme limits (points_per_unit <= 1000, the product of all multiplier factors
// <= 1000, bonuses <= 10^9: checked by the loader) one event earns at most 10^17 points.
#include <cstdint>
#include <string>
#include <variant>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/engine/outcome.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty::limits {

inline constexpr std::int64_t max_event_money = 10'000'000'000'000;   // minor units
inline constexpr std::int64_t max_adjustment = 10'000'000'000'000;    // points
inline constexpr std::int64_t max_balance = 100'000'000'000'000'000;  // points

// The event's money and points within the limits, and the member's balance far from int64's.
LOYALTY_INLINE refusal_reason check(const member_state& s, const event& e) {
    auto too_big = [](const std::string& what) {
        return refusal_reason{refusal::out_of_range, what + " is beyond what the engine accepts (see engine/limits.hpp)"};
    };
    if (s.balance() > points(max_balance) || s.debt > points(max_balance)) return too_big("the member's balance");
    if (const auto* ro = std::get_if<events::repair_order>(&e.body)) {
        int128 total = 0;
        for (const repair_order_line& l : ro->lines) {
            // |quantity| x |unit price| in minor units, rounded up: an upper bound of the line.
            const int128 q = l.quantity.mantissa() < 0 ? int128(-l.quantity.mantissa()) : int128(l.quantity.mantissa());
            const int128 p = l.unit_price.minor_units() < 0 ? int128(-l.unit_price.minor_units())
                                                            : int128(l.unit_price.minor_units());
            const int128 unit = decimal::pow10(l.quantity.scale());
            total += (q * p + unit - 1) / unit;
            if (total > max_event_money) return too_big("the repair order's amount");
        }
    } else if (const auto* v = std::get_if<events::vehicle_purchase>(&e.body)) {
        if (v->price.minor_units() > max_event_money || v->price.minor_units() < -max_event_money)
            return too_big("the vehicle price");
    } else if (const auto* a = std::get_if<events::adjustment>(&e.body)) {
        if (a->amount > points(max_adjustment) || a->amount < points(-max_adjustment)) return too_big("the adjustment");
    } else if (const auto* t = std::get_if<events::transfer>(&e.body)) {
        if (t->amount > points(max_adjustment) || t->amount < points(0)) return too_big("the transfer");
    }
    return {};
}

}  // namespace loyalty::limits
