#pragma once
// Exact points and rounding remainders. An earning rule's exact points are
// base x f1 x f2 ... / 10^divisor_exponent; a rule with carry_remainder adds the member's carried
// remainder before rounding and carries what rounding left (docs/program-format.md).
#include <cstdint>
#include <string>
#include <vector>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

// numerator / 10^scale points, exactly.
struct exact_points {
    int128 numerator = 0;
    int scale = 0;
};

LOYALTY_INLINE exact_points exact_product(std::int64_t base, const std::vector<decimal>& factors, int divisor_exponent) {
    exact_points x;
    x.scale = divisor_exponent;
    x.numerator = detail::exact_numerator(base, factors, x.scale);
    return x;
}

namespace detail {
LOYALTY_INLINE exact_points at_scale(const exact_points& x, int scale) {
    try {
        return {x.numerator * pow10_checked(scale - x.scale), scale};
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "exact points do not fit in 128 bits");
    }
}
}  // namespace detail

// a + b, or a - b, exactly.
LOYALTY_INLINE exact_points add(const exact_points& a, const exact_points& b, bool subtract = false) {
    const int scale = a.scale > b.scale ? a.scale : b.scale;
    const exact_points x = detail::at_scale(a, scale), y = detail::at_scale(b, scale);
    try {
        return {subtract ? x.numerator - y.numerator : x.numerator + y.numerator, scale};
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "exact points do not fit in 128 bits");
    }
}
LOYALTY_INLINE exact_points exact_of(const decimal& d) { return {int128(d.mantissa()), d.scale()}; }
LOYALTY_INLINE exact_points exact_of(std::int64_t n) { return {int128(n), 0}; }

LOYALTY_INLINE std::int64_t round_exact(const exact_points& x, rounding mode) {
    return round_quotient(x.numerator, detail::pow10_checked(x.scale), mode);
}

// The value as a decimal (trailing zeros removed). A remainder always fits: |x| < 1 point has at
// most 18 significant decimals when its scale is at most 18; a scale past that (more than 18
// decimals of rates and multipliers together) is the library's overflow error.
LOYALTY_INLINE decimal to_decimal(exact_points x) {
    while (x.scale > 0 && x.numerator % 10 == 0) {
        x.numerator /= 10;
        --x.scale;
    }
    if (x.scale > decimal::max_scale || x.numerator > int128(INT64_MAX) || x.numerator < int128(INT64_MIN))
        throw error("loyalty.arithmetic.overflow", "an exact remainder needs more than 18 decimals");
    return decimal(static_cast<std::int64_t>(x.numerator), x.scale);
}

// "12.345", "-0.001", "0": for explanations and the ledger's reasons.
LOYALTY_INLINE std::string to_text(const exact_points& x) { return exact_text(x.numerator, x.scale); }

}  // namespace loyalty
