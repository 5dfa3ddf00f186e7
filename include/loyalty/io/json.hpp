#pragma once
// Reading JSON exactly. Numbers with a fraction or exponent are never turned into binary
// floating point: the reader keeps their text, so "0.7" and 0.7 both become exactly 7 x 10^-1.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty::io {

using json = nlohmann::json;

// Parses JSON text. A number with a fraction or exponent is kept as its source text, stored
// as a json binary value (a type JSON text itself can never produce). Duplicate keys in an
// object are refused. Errors: loyalty.json.parse_error, loyalty.json.duplicate_key.
json parse_exact(std::string_view text);

// In a handler of `e`: an error of the JSON text itself (parse_exact's and the simdjson tape's
// loyalty.json.<x>) is rethrown as the reader's own, <domain>.<x> (domain "loyalty.event",
// "loyalty.ledger", "loyalty.program", ...), with the same pointer, message and place; any other
// exception being handled is rethrown as it is.
[[noreturn]] LOYALTY_INLINE void rethrow_in_domain(const error& e, std::string_view domain) {
    if (e.id().rfind("loyalty.json.", 0) == 0) throw e.with_id(std::string(domain) + e.id().substr(12));
    throw;  // called in a handler: the exception being handled
}

// "/earning_rules/2" + "rate" with ~ and / escaped as RFC 6901 says.
std::string pointer_append(const std::string& pointer, std::string_view key);
LOYALTY_INLINE std::string pointer_append(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

// Walks one JSON object, reading fields by name with typed accessors. Every error names the
// field's JSON pointer and an id under `domain` ("loyalty.program", "loyalty.event").
// finish() refuses any key that was never read: a typo must not silently disable a rule.
class object_reader {
public:
    object_reader(const json& j, std::string pointer, std::string domain);
    // The element `index` of the array at `array_pointer`.
    object_reader(const json& j, const std::string& array_pointer, std::size_t index, std::string domain)
        : object_reader(j, pointer_append(array_pointer, index), std::move(domain)) {}

    bool has(std::string_view key) const;
    const json& required(std::string_view key);
    const json* optional(std::string_view key);

    std::string string(std::string_view key);  // not empty
    std::string string_or(std::string_view key, std::string fallback);
    // The same texts in place, valid while the document is (for assign(): a string keeps its room).
    std::string_view text(std::string_view key);  // not empty
    std::string_view text_or(std::string_view key, std::string_view fallback);
    std::int64_t integer(std::string_view key);
    std::int64_t integer_or(std::string_view key, std::int64_t fallback);
    bool boolean_or(std::string_view key, bool fallback);
    decimal number(std::string_view key);  // integer, exact fraction, or a string like "0.7"
    money amount(std::string_view key, const currency& c);
    instant time(std::string_view key);
    day date(std::string_view key);

    std::string pointer_of(std::string_view key) const { return pointer_append(pointer_, key); }
    const std::string& pointer() const noexcept { return pointer_; }
    const std::string& domain() const noexcept { return domain_; }
    [[noreturn]] void fail(std::string_view what, std::string_view key, const std::string& message) const;

    void finish() const;

private:
    const json& j_;
    std::string pointer_;
    std::string domain_;
    std::vector<std::string> read_;
};

// Converters for single values, with the value's own pointer.
std::string as_string(const json& j, const std::string& pointer, const std::string& domain);
std::int64_t as_integer(const json& j, const std::string& pointer, const std::string& domain);
decimal as_decimal(const json& j, const std::string& pointer, const std::string& domain);
money as_money(const json& j, const currency& c, const std::string& pointer, const std::string& domain);

}  // namespace loyalty::io
