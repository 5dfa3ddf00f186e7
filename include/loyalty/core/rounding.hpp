#pragma once
// Rounding modes, and the one function that rounds an exact quotient to an integer.
// Every rounding in the library goes through round_quotient(); the mode always comes
// from a rule or from the programme, never from a default hidden here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

using int128 = boost::multiprecision::checked_int128_t;

enum class rounding {
    down,         // toward negative infinity (floor):    2.7 -> 2, -2.3 -> -3
    up,           // toward positive infinity (ceiling):  2.3 -> 3, -2.7 -> -2
    half_up,      // nearest, ties away from zero:        2.5 -> 3, -2.5 -> -3
    half_even,    // nearest, ties to even (banker's):    2.5 -> 2,  3.5 -> 4
    toward_zero,  // truncate:                            2.7 -> 2, -2.7 -> -2
};

LOYALTY_INLINE std::string_view to_string(rounding r) noexcept {
    switch (r) {
        case rounding::down: return "down";
        case rounding::up: return "up";
        case rounding::half_up: return "half_up";
        case rounding::half_even: return "half_even";
        case rounding::toward_zero: return "toward_zero";
    }
    return "?";
}

LOYALTY_INLINE std::optional<rounding> parse_rounding(std::string_view s) noexcept {
    for (rounding r : {rounding::down, rounding::up, rounding::half_up, rounding::half_even,
                       rounding::toward_zero})
        if (to_string(r) == s) return r;
    return std::nullopt;
}

namespace detail {
// numerator / denominator rounded with `mode`, in Int (int128 or std::int64_t: the same steps,
// so that the two widths cannot round differently). The denominator is positive.
template <class Int>
Int rounded_quotient(const Int& numerator, const Int& denominator, rounding mode) {
    Int q = numerator / denominator;  // truncates toward zero
    const Int r = numerator % denominator;  // same sign as numerator
    if (r != 0) {
        const bool negative = numerator < 0;
        // Compare |r| with the half of the denominator as |r| vs denominator - |r|: doubling
        // |r| could overflow when the denominator is near the limit.
        const Int rest = r < 0 ? Int(-r) : r;
        const Int other = denominator - rest;
        const int cmp = rest < other ? -1 : (rest > other ? 1 : 0);
        bool away = false;  // away from zero, i.e. |q| + 1
        switch (mode) {
            case rounding::toward_zero: away = false; break;
            case rounding::down: away = negative; break;
            case rounding::up: away = !negative; break;
            case rounding::half_up: away = cmp >= 0; break;
            case rounding::half_even: away = cmp > 0 || (cmp == 0 && (q % 2) != 0); break;
        }
        // |q| < |numerator| here (the denominator is at least 2), so this cannot overflow.
        if (away) q += negative ? -1 : 1;
    }
    return q;
}
[[noreturn, gnu::noinline, gnu::cold]] inline void bad_denominator() {
    throw error("loyalty.arithmetic.bad_denominator", "denominator must be positive");
}
}  // namespace detail

// numerator / denominator rounded with `mode`, exactly. The denominator must be positive.
// Overflow of the 128-bit intermediate or of the int64 result is an error, never a wrap.
LOYALTY_INLINE std::int64_t round_quotient(const int128& numerator, const int128& denominator, rounding mode) {
    if (denominator <= 0) detail::bad_denominator();
    const int128 q = detail::rounded_quotient(numerator, denominator, mode);
    if (q > int128(INT64_MAX) || q < int128(INT64_MIN))
        throw error("loyalty.arithmetic.overflow", "rounded result does not fit in 64 bits");
    return static_cast<std::int64_t>(q);
}
// The same in 64 bits, where both fit (the common case: scale_and_round() takes it when the
// exact product fits); the result always fits.
LOYALTY_INLINE std::int64_t round_quotient(std::int64_t numerator, std::int64_t denominator, rounding mode) {
    if (denominator <= 0) detail::bad_denominator();
    return detail::rounded_quotient(numerator, denominator, mode);
}

}  // namespace loyalty
