#pragma once
// An exact decimal: integer mantissa and a power-of-ten scale (0.7 = 7 x 10^-1).
// Used for rates, multipliers and quantities. There is deliberately no operator*
// with money or points: scaling needs a rounding mode, see arithmetic.hpp.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

// The text of mantissa x 10^-scale with exactly `scale` decimals ("60.00" for 6000 and 2,
// "-0.05" for -5 and 2, "7" for 7 and 0), written at `p` with no allocation; returns its end.
// `p` has room for fixed_text_bound chars. A scale outside 0..18 (which no decimal, money or
// figure holds) is loyalty.decimal.invalid_scale.
inline constexpr std::size_t fixed_text_bound = 21;  // a sign, 19 digits, a point
LOYALTY_INLINE char* write_fixed(char* p, std::int64_t mantissa, int scale) {
    if (scale < 0 || scale > 18)
        throw error("loyalty.decimal.invalid_scale", "scale " + std::to_string(scale) + " is outside 0..18");
    std::uint64_t u = mantissa < 0 ? 0 - static_cast<std::uint64_t>(mantissa) : static_cast<std::uint64_t>(mantissa);
    char digits[20];  // least significant first
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + u % 10);
        u /= 10;
    } while (u != 0);
    while (n <= scale) digits[n++] = '0';  // "0.05": a digit before the point
    if (mantissa < 0) *p++ = '-';
    for (int i = n - 1; i >= 0; --i) {
        *p++ = digits[i];
        if (i == scale && scale > 0) *p++ = '.';
    }
    return p;
}

class decimal {
public:
    static constexpr int max_scale = 18;

    constexpr decimal() noexcept = default;
    // mantissa x 10^-scale. Trailing zeros are removed so that equal values compare equal.
    decimal(std::int64_t mantissa, int scale) : m_(mantissa), s_(scale) {
        if (scale < 0 || scale > max_scale)
            throw error("loyalty.decimal.invalid_scale", "scale must be in 0.." + std::to_string(max_scale));
        normalise();
    }
    static decimal integer(std::int64_t n) { return decimal(n, 0); }

    // Parses "12", "-0.7", "1.50", and JSON number lexemes with an exponent ("1e-3", "2.5E2").
    // Refuses anything that does not fit exactly (more than 18 decimals, mantissa past int64).
    static std::optional<decimal> parse(std::string_view text) noexcept {
        std::size_t i = 0;
        bool negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
        std::uint64_t m = 0;  // magnitude; must stay <= INT64_MAX
        int digits = 0, frac = 0;
        int zeros = 0;  // fractional zeros not yet followed by a nonzero digit
        bool dot = false;
        for (; i < text.size(); ++i) {
            char c = text[i];
            if (c == '.') {
                if (dot) return std::nullopt;
                dot = true;
                continue;
            }
            if (c == 'e' || c == 'E') break;
            if (c < '0' || c > '9') return std::nullopt;
            if (m == 0 && c == '0' && !dot) { ++digits; continue; }  // leading zeros
            // Trailing fractional zeros do not change the value: count them and only bring
            // them into the mantissa when a nonzero digit follows, so "1.50000000000000000000"
            // fits although 150000000000000000000 does not.
            if (dot && c == '0') { ++digits; ++zeros; continue; }
            for (; zeros > 0; --zeros, ++frac)
                if (!times10_plus(m, 0)) return std::nullopt;
            if (!times10_plus(m, c - '0')) return std::nullopt;
            ++digits;
            if (dot) ++frac;
        }
        if (digits == 0) return std::nullopt;
        if (dot && text[i - 1] == '.') return std::nullopt;  // "1." is not a number
        int exponent = 0;
        if (i < text.size()) {  // exponent part
            ++i;
            bool eneg = false;
            if (i < text.size() && (text[i] == '-' || text[i] == '+')) eneg = text[i++] == '-';
            if (i == text.size()) return std::nullopt;
            for (; i < text.size(); ++i) {
                if (text[i] < '0' || text[i] > '9') return std::nullopt;
                exponent = exponent * 10 + (text[i] - '0');
                if (exponent > 1000) return std::nullopt;
            }
            if (eneg) exponent = -exponent;
        }
        // Remove trailing zeros of the mantissa first, so "1.50000000000000000000" fits.
        while (m != 0 && frac > 0 && m % 10 == 0) { m /= 10; --frac; }
        int scale = frac - exponent;
        while (scale < 0) {
            if (!times10_plus(m, 0)) return std::nullopt;
            ++scale;
        }
        while (m != 0 && scale > 0 && m % 10 == 0) { m /= 10; --scale; }
        if (m == 0) scale = 0;
        if (scale > max_scale) return std::nullopt;
        decimal d;
        d.m_ = negative ? -static_cast<std::int64_t>(m) : static_cast<std::int64_t>(m);
        d.s_ = scale;
        return d;
    }

    constexpr std::int64_t mantissa() const noexcept { return m_; }
    constexpr int scale() const noexcept { return s_; }
    constexpr bool is_zero() const noexcept { return m_ == 0; }
    constexpr bool is_negative() const noexcept { return m_ < 0; }
    constexpr bool is_integer() const noexcept { return s_ == 0; }

    std::string to_string() const {
        char text[fixed_text_bound];
        return std::string(text, write_fixed(text, m_, s_));
    }

    // Exact comparison across scales.
    friend bool operator==(const decimal& a, const decimal& b) noexcept { return a.m_ == b.m_ && a.s_ == b.s_; }
    friend bool operator!=(const decimal& a, const decimal& b) noexcept { return !(a == b); }
    friend bool operator<(const decimal& a, const decimal& b) {
        return int128(a.m_) * pow10(b.s_) < int128(b.m_) * pow10(a.s_);
    }
    friend bool operator>(const decimal& a, const decimal& b) { return b < a; }
    friend bool operator<=(const decimal& a, const decimal& b) { return !(b < a); }
    friend bool operator>=(const decimal& a, const decimal& b) { return !(a < b); }

    friend std::ostream& operator<<(std::ostream& os, const decimal& d) { return os << d.to_string(); }

    // 10^n, n in 0..36, as a 128-bit integer.
    static int128 pow10(int n) {
        int128 r = 1;
        while (n-- > 0) r *= 10;
        return r;
    }

private:
    static bool times10_plus(std::uint64_t& m, int digit) noexcept {
        if (__builtin_mul_overflow(m, 10u, &m) || __builtin_add_overflow(m, static_cast<unsigned>(digit), &m))
            return false;
        return m <= static_cast<std::uint64_t>(INT64_MAX);
    }
    void normalise() noexcept {
        while (m_ != 0 && s_ > 0 && m_ % 10 == 0) { m_ /= 10; --s_; }
        if (m_ == 0) s_ = 0;
    }
    std::int64_t m_ = 0;
    int s_ = 0;
};

// write_fixed() is declared before decimal (whose to_string() calls it), so its scale check and
// buffer sizes name 18 themselves: they must stay decimal's.
static_assert(decimal::max_scale == 18, "write_fixed() and fixed_text_bound are sized for 18 decimals");

// A rate (points per currency unit, a multiplier, a discount) is an exact decimal.
using rate = decimal;

LOYALTY_INLINE std::string to_string(const decimal& d) { return d.to_string(); }

}  // namespace loyalty
