#pragma once
// One JSON value as both exact readers see it (parse_exact's nlohmann DOM and the simdjson tape
// of json_tape.hpp), and the typed conversions they share, so that the two give the same value
// or the same error (id, pointer and message) for the same text.
//
// Numbers are classified as nlohmann classifies them: a non-negative integer that fits in 64
// bits is `unsigned_integer`, a negative one (and "-0") is `integer`, anything else (a fraction,
// an exponent, an integer past 64 bits) is `number_text`, kept as its source text.
#include <cstdint>
#include <string>
#include <string_view>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/io/json.hpp"

namespace loyalty::io::exact {

enum class kind : unsigned char { null, boolean, integer, unsigned_integer, number_text, string, array, object };

struct value_view {
    exact::kind kind = exact::kind::null;
    bool boolean = false;
    std::int64_t integer = 0;        // kind::integer
    std::uint64_t unsigned_value = 0;  // kind::unsigned_integer
    std::string_view text;           // kind::string (unescaped) or kind::number_text (source text)
};

// A value of parse_exact's DOM (its binary values are numbers' source text).
value_view view_of(const json& j) noexcept;

// nlohmann's names ("number" for every number), as the messages have always said.
const char* type_name(kind k) noexcept;

// The errors, out of line; `pointer` is the value's JSON pointer.
[[noreturn]] void refuse_type(const value_view& v, const char* expected, const std::string& pointer, const std::string& domain);
[[noreturn]] void refuse_duplicate_key(std::string_view key, const std::string& pointer);  // loyalty.json.duplicate_key
[[noreturn]] void refuse_too_large_integer(const std::string& pointer, const std::string& domain);
[[noreturn]] void refuse_inexact(std::string_view text, const std::string& pointer, const std::string& domain);
[[noreturn]] void refuse_amount(const decimal& d, const currency& c, bool too_many_decimals, const std::string& pointer,
                                const std::string& domain);
[[noreturn]] void refuse_time(std::string_view text, const std::string& pointer, const std::string& domain);
[[noreturn]] void refuse_date(std::string_view text, const std::string& pointer, const std::string& domain);

// Whether a number's source text is an integer (an optional '-' and digits only).
inline bool is_integer_text(std::string_view text) noexcept {
    std::size_t i = !text.empty() && text[0] == '-' ? 1 : 0;
    if (i == text.size()) return false;
    for (; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    return true;
}

// The converters take the value's JSON pointer as a function, called only to report an error:
// building every field's pointer as text costs more than reading the field.
template <class Pointer>
std::string_view string_at(const value_view& v, const Pointer& pointer, const std::string& domain) {
    if (v.kind != kind::string) refuse_type(v, "a string", pointer(), domain);
    return v.text;
}

template <class Pointer>
std::int64_t integer_at(const value_view& v, const Pointer& pointer, const std::string& domain) {
    if (v.kind == kind::unsigned_integer) {
        if (v.unsigned_value > static_cast<std::uint64_t>(INT64_MAX)) refuse_too_large_integer(pointer(), domain);
        return static_cast<std::int64_t>(v.unsigned_value);
    }
    // An integer past 64 bits is kept as its text: too large, not of the wrong type.
    if (v.kind == kind::number_text && is_integer_text(v.text)) refuse_too_large_integer(pointer(), domain);
    if (v.kind != kind::integer) refuse_type(v, "an integer", pointer(), domain);
    return v.integer;
}

template <class Pointer>
decimal decimal_at(const value_view& v, const Pointer& pointer, const std::string& domain) {
    if (v.kind == kind::integer || v.kind == kind::unsigned_integer) return decimal::integer(integer_at(v, pointer, domain));
    if (v.kind != kind::number_text && v.kind != kind::string)
        refuse_type(v, "a decimal number or a string like \"0.7\"", pointer(), domain);
    const auto d = decimal::parse(v.text);
    if (!d) refuse_inexact(v.text, pointer(), domain);
    return *d;
}

template <class Pointer>
money money_at(const value_view& v, const currency& c, const Pointer& pointer, const std::string& domain) {
    const decimal d = decimal_at(v, pointer, domain);
    if (d.scale() > c.minor_digits()) refuse_amount(d, c, true, pointer(), domain);
    // What money::parse(d.to_string(), c) gives, without the text: the decimal's text reads back
    // as the same (normalised) mantissa and scale, except INT64_MIN's, which parse refuses.
    std::int64_t minor = d.mantissa();
    bool fits = minor != INT64_MIN;
    for (int s = d.scale(); fits && s < c.minor_digits(); ++s) fits = !__builtin_mul_overflow(minor, 10, &minor);
    if (!fits) refuse_amount(d, c, false, pointer(), domain);
    return money(minor, c);
}

template <class Pointer>
instant instant_at(const value_view& v, const Pointer& pointer, const std::string& domain) {
    const std::string_view s = string_at(v, pointer, domain);
    const auto t = parse_instant(s);
    if (!t) refuse_time(s, pointer(), domain);
    return *t;
}

template <class Pointer>
day day_at(const value_view& v, const Pointer& pointer, const std::string& domain) {
    const std::string_view s = string_at(v, pointer, domain);
    const auto d = parse_day(s);
    if (!d) refuse_date(s, pointer(), domain);
    return *d;
}

}  // namespace loyalty::io::exact
