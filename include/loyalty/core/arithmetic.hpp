#pragma once
// Scaling by exact decimals. The product is formed exactly in checked 128-bit integers and
// rounded once, with the caller's mode, by round_quotient().
#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

namespace detail {
// base x f1 x f2 x ... as an exact 128-bit numerator; `scale` accumulates the power of ten
// it is to be divided by. A product past 128 bits is the library's overflow error, not
// Boost's std::overflow_error.
template <class Factors>
int128 exact_numerator(std::int64_t base, const Factors& factors, int& scale) {
    try {
        int128 numerator = base;
        for (const decimal& f : factors) {
            numerator *= f.mantissa();
            scale += f.scale();
        }
        return numerator;
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "exact product does not fit in 128 bits");
    }
}
LOYALTY_INLINE int128 pow10_checked(int n) {
    try {
        return decimal::pow10(n);
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "10^" + std::to_string(n) + " does not fit in 128 bits");
    }
}
}  // namespace detail

// base x f1 x f2 x ... / 10^divisor_exponent, rounded once. `factors` is any range of decimals.
// When the exact product and the power of ten fit in 64 bits (nearly always: money in minor
// units times a rate or two), it is formed and rounded in int64, exactly as in 128 bits
// (round_quotient's two overloads take the same steps); otherwise in checked 128 bits.
template <class Factors>
std::int64_t scale_and_round(std::int64_t base, const Factors& factors, int divisor_exponent, rounding mode) {
    {
        static constexpr std::int64_t pow10[] = {1,
                                                 10,
                                                 100,
                                                 1000,
                                                 10000,
                                                 100000,
                                                 1000000,
                                                 10000000,
                                                 100000000,
                                                 1000000000,
                                                 10000000000,
                                                 100000000000,
                                                 1000000000000,
                                                 10000000000000,
                                                 100000000000000,
                                                 1000000000000000,
                                                 10000000000000000,
                                                 100000000000000000,
                                                 1000000000000000000};
        std::int64_t numerator = base;
        int scale = divisor_exponent;
        bool fits = true;
        for (const decimal& f : factors) {
            fits = fits && !__builtin_mul_overflow(numerator, f.mantissa(), &numerator);
            scale += f.scale();
        }
        if (fits && scale >= 0 && scale <= 18) return round_quotient(numerator, pow10[scale], mode);
    }
    int scale = divisor_exponent;
    const int128 numerator = detail::exact_numerator(base, factors, scale);
    return round_quotient(numerator, detail::pow10_checked(scale), mode);
}

// numerator / 10^scale written exactly, trailing zeros after the point removed: "1234.565",
// "-0.001", "0". For explanations and reports of exact 128-bit figures (a `decimal` holds only a
// 64-bit mantissa). Never used to compute anything.
LOYALTY_INLINE std::string exact_text(const int128& numerator, int scale) {
    const bool negative = numerator < 0;
    const int128 magnitude = negative ? int128(-numerator) : numerator;
    std::string digits = magnitude <= int128(INT64_MAX) ? std::to_string(static_cast<std::int64_t>(magnitude))
                                                        : magnitude.str();
    if (scale > 0) {
        const auto places = static_cast<std::size_t>(scale);
        if (digits.size() <= places) digits.insert(0, places - digits.size() + 1, '0');
        digits.insert(digits.size() - places, ".");
        while (digits.back() == '0') digits.pop_back();
        if (digits.back() == '.') digits.pop_back();
    }
    return negative ? "-" + digits : digits;
}

// The exact value of base x f1 x f2 x ... / 10^divisor_exponent as a decimal string, for
// explanations ("1234.565 exact"). Never used to compute anything.
template <class Factors>
std::string exact_product_text(std::int64_t base, const Factors& factors, int divisor_exponent) {
    int scale = divisor_exponent;
    const int128 numerator = detail::exact_numerator(base, factors, scale);
    return exact_text(numerator, scale);
}

// money x rate, rounded to the currency's minor unit.
LOYALTY_INLINE money multiply(const money& m, const decimal& r, rounding mode) {
    return money(scale_and_round(m.minor_units(), std::initializer_list<decimal>{r}, 0, mode), m.currency_of());
}

}  // namespace loyalty
