#pragma once
// Money: an integer count of minor units (fen, cents) with its ISO 4217 currency.
// Mixing currencies is an error; there is no money x money and no money + points.
#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "loyalty/core/checked.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

class currency {
public:
    // The currencies the library knows, with their ISO 4217 minor-unit digits.
    static std::optional<currency> from_code(std::string_view code) noexcept {
        struct known { const char* code; int digits; };
        static constexpr known table[] = {
            {"CNY", 2}, {"HKD", 2}, {"TWD", 2}, {"MOP", 2}, {"USD", 2}, {"EUR", 2}, {"GBP", 2},
            {"CHF", 2}, {"CAD", 2}, {"AUD", 2}, {"NZD", 2}, {"SGD", 2}, {"MYR", 2}, {"THB", 2},
            {"INR", 2}, {"RUB", 2}, {"BRL", 2}, {"MXN", 2}, {"ZAR", 2}, {"SEK", 2}, {"NOK", 2},
            {"DKK", 2}, {"PLN", 2}, {"AED", 2}, {"SAR", 2}, {"JPY", 0}, {"KRW", 0}, {"VND", 0},
            {"IDR", 2}, {"CLP", 0}, {"ISK", 0}, {"KWD", 3}, {"BHD", 3}, {"OMR", 3}, {"JOD", 3},
            {"XXX", 0},
        };
        for (const known& k : table)
            if (code == k.code) return currency(k.code, k.digits);
        return std::nullopt;
    }

    // ISO 4217 "XXX", no currency: what a default-constructed money holds. Combining it
    // with a real currency is a currency_mismatch error, so it cannot pass unnoticed.
    static currency none() noexcept { return currency("XXX", 0); }

    std::string_view code() const noexcept { return std::string_view(code_.data(), 3); }
    int minor_digits() const noexcept { return digits_; }

    // Byte by byte: std::array's == calls memcmp for three bytes, on every sum of money.
    friend bool operator==(const currency& a, const currency& b) noexcept {
        return a.code_[0] == b.code_[0] && a.code_[1] == b.code_[1] && a.code_[2] == b.code_[2];
    }
    friend bool operator!=(const currency& a, const currency& b) noexcept { return !(a == b); }

private:
    currency(const char* code, int digits) noexcept : code_{code[0], code[1], code[2]}, digits_(digits) {}
    std::array<char, 3> code_;
    int digits_;
};

class money {
public:
    money() noexcept : money(0, currency::none()) {}
    money(std::int64_t minor_units, currency c) noexcept : minor_(minor_units), currency_(c) {}
    static money zero(currency c) noexcept { return money(0, c); }

    // "1234.56" in currency c. More decimals than the currency has is refused, not rounded.
    static std::optional<money> parse(std::string_view text, currency c) noexcept {
        auto d = decimal::parse(text);
        if (!d || d->scale() > c.minor_digits()) return std::nullopt;
        std::int64_t m = d->mantissa();
        for (int s = d->scale(); s < c.minor_digits(); ++s)
            if (__builtin_mul_overflow(m, 10, &m)) return std::nullopt;
        return money(m, c);
    }

    std::int64_t minor_units() const noexcept { return minor_; }
    const currency& currency_of() const noexcept { return currency_; }
    bool is_zero() const noexcept { return minor_ == 0; }
    bool is_negative() const noexcept { return minor_ < 0; }

    // As an exact decimal in major units ("1234.56").
    decimal amount() const { return decimal(minor_, currency_.minor_digits()); }
    std::string to_string() const {
        char text[fixed_text_bound];
        return std::string(text, write_fixed(text, minor_, currency_.minor_digits()));
    }
    // "350.00 CNY" (to_string(money)) written at `p`, which has room for text_bound chars;
    // returns its end.
    static constexpr std::size_t text_bound = fixed_text_bound + 4;
    char* write(char* p) const {
        p = write_fixed(p, minor_, currency_.minor_digits());
        *p++ = ' ';
        const std::string_view code = currency_.code();
        for (const char c : code) *p++ = c;
        return p;
    }

    money& operator+=(const money& o) { same_currency(o); minor_ = checked::add(minor_, o.minor_); return *this; }
    money& operator-=(const money& o) { same_currency(o); minor_ = checked::sub(minor_, o.minor_); return *this; }
    friend money operator+(money a, const money& b) { return a += b; }
    friend money operator-(money a, const money& b) { return a -= b; }
    friend money operator-(const money& a) { return money(checked::neg(a.minor_), a.currency_); }

    friend bool operator==(const money& a, const money& b) noexcept {
        return a.minor_ == b.minor_ && a.currency_ == b.currency_;
    }
    friend bool operator!=(const money& a, const money& b) noexcept { return !(a == b); }
    friend bool operator<(const money& a, const money& b) { a.same_currency(b); return a.minor_ < b.minor_; }
    friend bool operator>(const money& a, const money& b) { return b < a; }
    friend bool operator<=(const money& a, const money& b) { return !(b < a); }
    friend bool operator>=(const money& a, const money& b) { return !(a < b); }

    friend std::ostream& operator<<(std::ostream& os, const money& m) {
        return os << m.to_string() << ' ' << m.currency_.code();
    }

private:
    // Inline, three compares; the error is built out of line (every sum and comparison of money
    // checks, and a call per check was 4% of pricing an order).
    void same_currency(const money& o) const {
        if (__builtin_expect(currency_ != o.currency_, 0)) mismatch(o);
    }
    [[noreturn, gnu::noinline, gnu::cold]] void mismatch(const money& o) const {
        throw error("loyalty.money.currency_mismatch",
                    "cannot combine " + std::string(currency_.code()) + " with " + std::string(o.currency_.code()));
    }
    std::int64_t minor_;
    currency currency_;
};

LOYALTY_INLINE std::string to_string(const money& m) {
    char text[money::text_bound];
    return std::string(text, m.write(text));
}

}  // namespace loyalty
