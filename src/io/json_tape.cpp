// JSON text to a tape with simdjson On-Demand: one walk in text order, as parse_exact reads.
#include "json_tape.hpp"

#include <array>
#include <cstring>
#include <utility>

#include <simdjson.h>

namespace loyalty::io {

namespace od = simdjson::ondemand;

struct json_tape::parser {
    od::parser simdjson;
};

namespace {

constexpr int max_depth = 32;                  // an event nests 4 deep
constexpr std::size_t max_integer_digits = 300;  // below DBL_MAX: nlohmann's double of it is finite

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A scalar's token as simdjson gives it runs to the next token: whitespace included.
std::string_view trimmed(std::string_view token) noexcept {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' || token.back() == '\r'))
        token.remove_suffix(1);
    return token;
}

// A JSON number (RFC 8259 grammar), classified as nlohmann's lexer does: a 64-bit integer
// (unsigned when not negative; "-0" is a signed 0), else the text of a double. nlohmann refuses
// a double that overflows (parse_error); false declines every number that might, and every one
// that is not JSON.
bool read_number(std::string_view t, exact::value_view& v) noexcept {
    const std::size_t n = t.size();
    std::size_t i = 0;
    const bool negative = n > 0 && t[0] == '-';
    if (negative) ++i;
    const std::size_t integer_start = i;
    if (i < n && t[i] == '0') {
        ++i;
    } else if (i < n && t[i] >= '1' && t[i] <= '9') {
        while (i < n && is_digit(t[i])) ++i;
    } else {
        return false;
    }
    const std::size_t integer_digits = i - integer_start;
    bool fraction = false, exponent = false;
    if (i < n && t[i] == '.') {
        fraction = true;
        const std::size_t start = ++i;
        while (i < n && is_digit(t[i])) ++i;
        if (i == start) return false;
    }
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        exponent = true;
        ++i;
        if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
        const std::size_t start = i;
        while (i < n && is_digit(t[i])) ++i;
        if (i == start) return false;
    }
    if (i != n) return false;
    if (!fraction && !exponent) {
        std::uint64_t m = 0;
        bool overflow = false;
        for (std::size_t k = integer_start; k < n && !overflow; ++k) {
            const auto d = static_cast<std::uint64_t>(t[k] - '0');
            if (m > (UINT64_MAX - d) / 10) overflow = true;
            else m = m * 10 + d;
        }
        if (!overflow && !negative) {
            v.kind = exact::kind::unsigned_integer;
            v.unsigned_value = m;
            return true;
        }
        if (!overflow && m <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
            v.kind = exact::kind::integer;
            v.integer = m == static_cast<std::uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<std::int64_t>(m);
            return true;
        }
    }
    // A double for nlohmann: finite when it has at most 300 integer digits and no exponent, or
    // when it is an exact decimal (a mantissa of 18 digits, a scale of at most 18).
    if (exponent ? !decimal::parse(t) : integer_digits > max_integer_digits) return false;
    v.kind = exact::kind::number_text;
    v.text = t;
    return true;
}

class builder {
public:
    explicit builder(std::vector<tape_value>& values) : values_(values) {}

    bool root(od::object o) {
        values_.emplace_back();
        values_[0].value.kind = exact::kind::object;
        if (!members(o, 0, 1)) return false;
        values_[0].span = static_cast<std::uint32_t>(values_.size());
        return true;
    }

private:
    bool value(od::value v, std::string_view key, int depth) {
        if (depth > max_depth) return false;
        od::json_type type;
        if (v.type().get(type)) return false;
        const std::size_t at = values_.size();
        values_.emplace_back();
        values_[at].key = key;
        exact::value_view& out = values_[at].value;
        switch (type) {
            case od::json_type::object: {
                od::object o;
                if (v.get_object().get(o)) return false;
                out.kind = exact::kind::object;
                if (!members(o, at, depth)) return false;
                break;
            }
            case od::json_type::array: {
                od::array a;
                if (v.get_array().get(a)) return false;
                out.kind = exact::kind::array;
                if (!elements(a, at, depth)) return false;
                break;
            }
            case od::json_type::string: {
                std::string_view s;
                if (v.get_string().get(s)) return false;
                out.kind = exact::kind::string;
                out.text = s;
                break;
            }
            case od::json_type::number: {
                if (!read_number(trimmed(v.raw_json_token()), out)) return false;
                break;
            }
            case od::json_type::boolean:
            case od::json_type::null: {
                const std::string_view token = trimmed(v.raw_json_token());
                if (token == "true" || token == "false") {
                    out.kind = exact::kind::boolean;
                    out.boolean = token == "true";
                } else if (token != "null") {
                    return false;
                }
                break;
            }
        }
        values_[at].span = static_cast<std::uint32_t>(values_.size() - at);
        return true;
    }

    bool members(od::object o, std::size_t at, int depth) {
        open_[depth_++] = at;
        std::uint64_t keys_seen = 0;  // key_bit() of every key read so far
        for (auto f : o) {
            od::field field;
            std::string_view key;
            if (std::move(f).get(field) || field.unescaped_key().get(key)) return false;
            // Against the keys read so far, as parse_exact meets a duplicate: in text order. Only
            // when a key read before has the same bit (json_tape.hpp): most keys skip the scan.
            const std::uint64_t bit = key_bit(key);
            if (keys_seen & bit)
                for (std::size_t j = at + 1; j < values_.size(); j += values_[j].span)
                    if (same_key(values_[j].key, key)) exact::refuse_duplicate_key(key, pointer_of_open() + "/" + escaped(key));
            keys_seen |= bit;
            if (!value(field.value(), key, depth + 1)) return false;
            ++values_[at].size;
        }
        values_[at].key_bits = keys_seen;
        --depth_;
        return true;
    }

    bool elements(od::array a, std::size_t at, int depth) {
        open_[depth_++] = at;
        for (auto e : a) {
            od::value v;
            if (std::move(e).get(v) || !value(v, {}, depth + 1)) return false;
            ++values_[at].size;
        }
        --depth_;
        return true;
    }

    // The pointer of the innermost open container: a member of an array is at the array's
    // current size (it is counted once read), a member of an object at its key.
    std::string pointer_of_open() const {
        std::string p;
        for (std::size_t l = 1; l < depth_; ++l) {
            const tape_value& parent = values_[open_[l - 1]];
            if (parent.value.kind == exact::kind::array) p = pointer_append(p, parent.size);
            else p = pointer_append(p, values_[open_[l]].key);
        }
        return p;
    }
    static std::string escaped(std::string_view key) { return pointer_append("", key).substr(1); }

    std::vector<tape_value>& values_;
    std::array<std::size_t, max_depth + 1> open_{};  // the open containers, outermost first
    std::size_t depth_ = 0;
};

}  // namespace

json_tape::json_tape() : parser_(std::make_unique<parser>()) {}
json_tape::~json_tape() = default;

bool json_tape::read(std::string_view text) {
    values_.clear();
    if (buffer_.size() < text.size() + simdjson::SIMDJSON_PADDING) buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
    if (!text.empty()) std::memcpy(buffer_.data(), text.data(), text.size());
    od::document doc;
    if (parser_->simdjson.iterate(buffer_.data(), text.size(), buffer_.size()).get(doc)) return false;
    od::json_type type;
    od::object o;
    if (doc.type().get(type) || type != od::json_type::object || doc.get_object().get(o)) return false;
    if (!builder(values_).root(o)) return false;
    values_[0].may_hold_control_characters =
        std::memchr(text.data(), '\\', text.size()) != nullptr || std::memchr(text.data(), 0x7f, text.size()) != nullptr;
    const char* trailing = nullptr;
    return doc.current_location().get(trailing) != simdjson::SUCCESS;  // nothing after the object
}

}  // namespace loyalty::io
