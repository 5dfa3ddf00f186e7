#pragma once
// Exact points and rounding remainders. An earning rule's exact points are
// base x f1 x f2 ... / 10^divisor_exponent, divided by the amount of a ratio rate ("3 points per
// 7.00"); a rule with carry_remainder (never a ratio rate) adds the member's carried remainder
// before rounding and carries what rounding left (docs/program-format.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

// numerator / (10^scale x divisor) points, exactly. The divisor is 1 but for a ratio rate's
// figures (its amount in minor units), and is always positive.
struct exact_points {
    int128 numerator = 0;
    int scale = 0;
    int128 divisor = 1;
};

namespace detail {
[[noreturn]] LOYALTY_INLINE void exact_overflow() {
    throw error("loyalty.arithmetic.overflow", "exact points do not fit in 128 bits");
}
LOYALTY_INLINE exact_points at_scale(const exact_points& x, int scale) {
    try {
        return {x.numerator * pow10_checked(scale - x.scale), scale, x.divisor};
    } catch (const std::overflow_error&) {
        exact_overflow();
    }
}
}  // namespace detail

// base x factors / 10^divisor_exponent, divided by `per_minor` minor units of money when a
// ratio rate gives its points per an amount (then 10^divisor_exponent is the currency's minor
// unit: base / 10^e / (per_minor / 10^e) = base / per_minor).
// `factors` is any range of decimals (an earning's earning_factors, a vector).
template <class Factors>
exact_points exact_product(std::int64_t base, const Factors& factors, int divisor_exponent, std::int64_t per_minor = 0) {
    exact_points x;
    x.scale = divisor_exponent;
    x.numerator = detail::exact_numerator(base, factors, x.scale);
    if (per_minor > 0) {
        x.scale -= divisor_exponent;
        x.divisor = per_minor;
    }
    return x;
}

// a + b, or a - b, exactly.
LOYALTY_INLINE exact_points add(const exact_points& a, const exact_points& b, bool subtract = false) {
    const int scale = a.scale > b.scale ? a.scale : b.scale;
    exact_points x = detail::at_scale(a, scale), y = detail::at_scale(b, scale);
    try {
        if (x.divisor != y.divisor) {  // over the product of the divisors
            x.numerator *= y.divisor;
            y.numerator *= x.divisor;
            x.divisor *= y.divisor;
        }
        return {subtract ? x.numerator - y.numerator : x.numerator + y.numerator, scale, x.divisor};
    } catch (const std::overflow_error&) {
        detail::exact_overflow();
    }
}
LOYALTY_INLINE exact_points exact_of(const decimal& d) { return {int128(d.mantissa()), d.scale()}; }
LOYALTY_INLINE exact_points exact_of(std::int64_t n) { return {int128(n), 0}; }

LOYALTY_INLINE std::int64_t round_exact(const exact_points& x, rounding mode) {
    try {
        return round_quotient(x.numerator, detail::pow10_checked(x.scale) * x.divisor, mode);
    } catch (const std::overflow_error&) {
        detail::exact_overflow();
    }
}

namespace detail {
// The greatest common divisor of |a| and b (b > 0), by Euclid's algorithm.
LOYALTY_INLINE int128 gcd(int128 a, int128 b) {
    if (a < 0) a = -a;
    while (b != 0) {
        const int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}
// The same value with its divisor folded into the power of ten, when the divisor divides some
// 10^k (k <= 18: a finite decimal); nothing when it does not (1/3, 10/9).
LOYALTY_INLINE std::optional<exact_points> as_finite_decimal(const exact_points& x) {
    if (x.divisor == 1) return x;
    for (int k = 1; k <= decimal::max_scale; ++k) {
        const int128 p = decimal::pow10(k);
        if (p % x.divisor != 0) continue;
        try {
            return exact_points{x.numerator * (p / x.divisor), x.scale + k, 1};
        } catch (const std::overflow_error&) {
            exact_overflow();
        }
    }
    // The divisor may share factors with the numerator: reduce, then try again.
    if (const int128 a = gcd(x.numerator, x.divisor); a > 1) return as_finite_decimal({x.numerator / a, x.scale, x.divisor / a});
    return std::nullopt;
}
}  // namespace detail

// The value as a decimal (trailing zeros removed). A remainder always fits: |x| < 1 point has at
// most 18 significant decimals when its scale is at most 18; a scale past that (more than 18
// decimals of rates and multipliers together), or a value that is no finite decimal (a ratio
// rate's, which never carries a remainder), is the library's overflow error.
LOYALTY_INLINE decimal to_decimal(const exact_points& exact) {
    const std::optional<exact_points> finite = detail::as_finite_decimal(exact);
    if (!finite) throw error("loyalty.arithmetic.overflow", "an exact value is no finite decimal");
    exact_points x = *finite;
    while (x.scale > 0 && x.numerator % 10 == 0) {
        x.numerator /= 10;
        --x.scale;
    }
    if (x.scale > decimal::max_scale || x.numerator > int128(INT64_MAX) || x.numerator < int128(INT64_MIN))
        throw error("loyalty.arithmetic.overflow", "an exact remainder needs more than 18 decimals");
    return decimal(static_cast<std::int64_t>(x.numerator), x.scale);
}

// "12.345", "-0.001", "0", or a fraction in lowest terms when the value is no finite decimal
// ("10/9", "-1/3"): for explanations and the ledger's reasons.
LOYALTY_INLINE std::string to_text(const exact_points& x) {
    if (const std::optional<exact_points> finite = detail::as_finite_decimal(x))
        return exact_text(finite->numerator, finite->scale);
    int128 num = x.numerator, den;
    try {
        den = detail::pow10_checked(x.scale) * x.divisor;
    } catch (const std::overflow_error&) {
        detail::exact_overflow();
    }
    const int128 a = detail::gcd(num, den);
    num /= a;
    den /= a;
    return exact_text(num, 0) + "/" + exact_text(den, 0);
}

// Exact equality of values (10/9 == 20/18, 1.50 == 1.5).
LOYALTY_INLINE bool same_value(const exact_points& a, const exact_points& b) {
    return add(a, b, true).numerator == 0;
}

}  // namespace loyalty
