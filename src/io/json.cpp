// Exact JSON reading: a SAX handler that builds a DOM but keeps non-integer numbers as text.
#include "loyalty/io/json.hpp"

#include "did_you_mean.hpp"
#include "exact_value.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace loyalty::io {

namespace {

class exact_dom_builder {
public:
    using number_integer_t = json::number_integer_t;
    using number_unsigned_t = json::number_unsigned_t;
    using number_float_t = json::number_float_t;
    using string_t = json::string_t;
    using binary_t = json::binary_t;

    explicit exact_dom_builder(json& root) : root_(root) {}

    bool null() { return put(json(nullptr)); }
    bool boolean(bool b) { return put(json(b)); }
    bool number_integer(number_integer_t n) { return put(json(n)); }
    bool number_unsigned(number_unsigned_t n) { return put(json(n)); }
    // The parsed binary value is ignored; only the source text counts.
    bool number_float(number_float_t, const string_t& text) {
        return put(json::binary(json::binary_t::container_type(text.begin(), text.end())));
    }
    bool string(string_t& s) { return put(json(std::move(s))); }
    bool binary(binary_t& b) { return put(json::binary(std::move(b))); }
    bool start_object(std::size_t) {
        json* o = put_container(json::object());
        stack_.push_back(o);
        return true;
    }
    bool key(string_t& k) {
        // One lookup: insert a null and see whether the key was there already.
        auto& members = stack_.back()->get_ref<json::object_t&>();
        const auto [it, inserted] = members.try_emplace(std::move(k));  // k is left as it was if present
        if (!inserted) {
            found_duplicate_ = true;  // the key may be "" (a flag, not duplicate_.empty())
            duplicate_ = k;
            duplicate_pointer_ = pointer_append(current_pointer(), k);
            return false;
        }
        key_ = &it->second;
        return true;
    }
    bool end_object() {
        stack_.pop_back();
        return true;
    }
    bool start_array(std::size_t) {
        json* a = put_container(json::array());
        stack_.push_back(a);
        return true;
    }
    bool end_array() {
        stack_.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) {
        message_ = ex.what();
        position_ = position;
        return false;
    }

    bool found_duplicate() const { return found_duplicate_; }
    const std::string& duplicate() const { return duplicate_; }
    const std::string& duplicate_pointer() const { return duplicate_pointer_; }
    const std::string& message() const { return message_; }

private:
    // The JSON pointer of the innermost open container: each open container is the last
    // element of its parent array, or the value of one of its parent object's keys (found by
    // address: only needed for an error, so no key is copied while parsing).
    std::string current_pointer() const {
        std::string p;
        for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
            if (stack_[i]->is_array()) {
                p = pointer_append(p, stack_[i]->size() - 1);
                continue;
            }
            for (const auto& [key, value] : stack_[i]->get_ref<const json::object_t&>())
                if (&value == stack_[i + 1]) {
                    p = pointer_append(p, key);
                    break;
                }
        }
        return p;
    }
    json* put_container(json v) {
        if (stack_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        json& top = *stack_.back();
        if (top.is_array()) {
            top.push_back(std::move(v));
            return &top.back();
        }
        *key_ = std::move(v);
        return key_;
    }
    bool put(json v) {
        put_container(std::move(v));
        return true;
    }

    json& root_;
    std::vector<json*> stack_;
    json* key_ = nullptr;
    bool found_duplicate_ = false;
    std::string duplicate_;
    std::string duplicate_pointer_;
    std::string message_;
    std::size_t position_ = 0;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 74: syntax error
// while parsing object key - unexpected '}'; expected string literal" as one error: its own id,
// the position as the error's line and column, the rest as the message.
error parse_failure(const std::string& what) {
    static constexpr std::string_view at = "parse error at line ";
    const std::size_t start = what.find(at);
    if (start == std::string::npos) {  // no position: the text after nlohmann's own id
        const std::size_t id_end = what.rfind("[json.exception.", 0) == 0 ? what.find("] ") : std::string::npos;
        return error("loyalty.json.parse_error", "", id_end == std::string::npos ? what : what.substr(id_end + 2));
    }
    std::size_t i = start + at.size(), line = 0, column = 0;
    for (; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i) line = line * 10 + static_cast<std::size_t>(what[i] - '0');
    if (what.compare(i, 9, ", column ") == 0)
        for (i += 9; i < what.size() && what[i] >= '0' && what[i] <= '9'; ++i)
            column = column * 10 + static_cast<std::size_t>(what[i] - '0');
    if (what.compare(i, 2, ": ") == 0) i += 2;
    return error("loyalty.json.parse_error", "", what.substr(i)).at(line, column);
}

}  // namespace

json parse_exact(std::string_view text) {
    json root;
    exact_dom_builder builder(root);
    const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
    if (!ok) {
        if (builder.found_duplicate()) exact::refuse_duplicate_key(builder.duplicate(), builder.duplicate_pointer());
        throw parse_failure(builder.message());
    }
    return root;
}

std::string pointer_append(const std::string& pointer, std::string_view key) {
    std::string out = pointer + "/";
    for (char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

const char* exact::type_name(kind k) noexcept {
    switch (k) {
        case kind::null: return "null";
        case kind::boolean: return "boolean";
        case kind::integer:
        case kind::unsigned_integer:
        case kind::number_text: return "number";
        case kind::string: return "string";
        case kind::array: return "array";
        case kind::object: return "object";
    }
    return "value";
}

void exact::refuse_type(const value_view& v, const char* expected, const std::string& pointer, const std::string& domain) {
    throw error(domain + ".type_error", pointer, std::string("expected ") + expected + ", found " + type_name(v.kind));
}

void exact::refuse_too_large_integer(const std::string& pointer, const std::string& domain) {
    throw error(domain + ".out_of_range", pointer, "integer does not fit in 64 bits");
}

void exact::refuse_duplicate_key(std::string_view key, const std::string& pointer) {
    throw error("loyalty.json.duplicate_key", pointer, "key '" + std::string(key) + "' appears twice in one object");
}

namespace {

// How many decimals a number's text has once trailing zeros are dropped and its exponent
// applied ("1.50e-3": 5), or nothing when the text is not a number ([+-]digits[.digits][e[+-]digits]).
std::optional<long> decimals_of(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    const std::size_t int_start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == int_start) return std::nullopt;
    long decimals = 0;
    if (i < text.size() && text[i] == '.') {
        const std::size_t frac_start = ++i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (i == frac_start) return std::nullopt;
        std::size_t end = i;
        while (end > frac_start && text[end - 1] == '0') --end;
        decimals = static_cast<long>(end - frac_start);
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
        const std::size_t exp_start = i;
        long exponent = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
            ++i;
        }
        if (i == exp_start) return std::nullopt;
        decimals += negative ? exponent : -exponent;
    }
    if (i != text.size()) return std::nullopt;
    return decimals;
}

}  // namespace

void exact::refuse_inexact(std::string_view text, const std::string& pointer, const std::string& domain) {
    // A well-formed number with at most 18 decimals fails only by its size: out of range.
    if (const auto decimals = decimals_of(text); decimals && *decimals <= decimal::max_scale)
        throw error(domain + ".out_of_range", pointer,
                    "'" + std::string(text) + "' is out of range (an exact decimal has at most 18 decimals and "
                    "a mantissa that fits in 64 bits)");
    throw error(domain + ".inexact_number", pointer,
                "'" + std::string(text) + "' is not a decimal that can be held exactly (at most 18 decimals, 18 digits)");
}

void exact::refuse_amount(const decimal& d, const currency& c, bool too_many_decimals, const std::string& pointer,
                          const std::string& domain) {
    if (too_many_decimals)
        throw error(domain + ".invalid_amount", pointer,
                    "'" + d.to_string() + "' has more decimals than " + std::string(c.code()) + " has (" +
                        std::to_string(c.minor_digits()) + ")");
    throw error(domain + ".out_of_range", pointer, "amount '" + d.to_string() + "' is out of range");
}

void exact::refuse_time(std::string_view text, const std::string& pointer, const std::string& domain) {
    throw error(domain + ".invalid_time", pointer,
                "'" + std::string(text) +
                    "' is not an ISO 8601 instant like 2026-03-01T10:00:00Z or 2026-03-01T18:00:00+08:00");
}

void exact::refuse_date(std::string_view text, const std::string& pointer, const std::string& domain) {
    throw error(domain + ".invalid_date", pointer, "'" + std::string(text) + "' is not a date like 2026-03-01");
}

exact::value_view exact::view_of(const json& j) noexcept {
    exact::value_view v;
    switch (j.type()) {
        case json::value_t::boolean: v.kind = exact::kind::boolean; v.boolean = j.get<bool>(); break;
        case json::value_t::number_integer: v.kind = exact::kind::integer; v.integer = j.get<std::int64_t>(); break;
        case json::value_t::number_unsigned:
            v.kind = exact::kind::unsigned_integer;
            v.unsigned_value = j.get<std::uint64_t>();
            break;
        case json::value_t::binary: {  // a number's source text (parse_exact)
            const auto& bytes = j.get_binary();
            v.kind = exact::kind::number_text;
            v.text = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
            break;
        }
        case json::value_t::string: v.kind = exact::kind::string; v.text = j.get_ref<const std::string&>(); break;
        case json::value_t::array: v.kind = exact::kind::array; break;
        case json::value_t::object: v.kind = exact::kind::object; break;
        default: break;  // null (a float never occurs: parse_exact keeps its text)
    }
    return v;
}

std::string as_string(const json& j, const std::string& pointer, const std::string& domain) {
    return std::string(exact::string_at(exact::view_of(j), [&] { return pointer; }, domain));
}

std::int64_t as_integer(const json& j, const std::string& pointer, const std::string& domain) {
    return exact::integer_at(exact::view_of(j), [&] { return pointer; }, domain);
}

decimal as_decimal(const json& j, const std::string& pointer, const std::string& domain) {
    return exact::decimal_at(exact::view_of(j), [&] { return pointer; }, domain);
}

money as_money(const json& j, const currency& c, const std::string& pointer, const std::string& domain) {
    return exact::money_at(exact::view_of(j), c, [&] { return pointer; }, domain);
}

object_reader::object_reader(const json& j, std::string pointer, std::string domain)
    : j_(j), pointer_(std::move(pointer)), domain_(std::move(domain)) {
    if (!j_.is_object()) exact::refuse_type(exact::view_of(j_), "an object", pointer_, domain_);
}

bool object_reader::has(std::string_view key) const { return j_.contains(key); }

const json* object_reader::optional(std::string_view key) {
    read_.emplace_back(key);
    const auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
}

const json& object_reader::required(std::string_view key) {
    const json* v = optional(key);
    if (!v) {
        // A key typed close to the missing one is its misspelling: name the typo, not the gap.
        for (auto it = j_.begin(); it != j_.end(); ++it)
            if (std::find(read_.begin(), read_.end(), it.key()) == read_.end() && spelling::close(it.key(), key))
                fail("unknown_key", it.key(), spelling::unknown_key_message(it.key(), std::array<std::string_view, 1>{key}));
        fail("missing_field", key, "required field '" + std::string(key) + "' is missing");
    }
    return *v;
}

void object_reader::fail(std::string_view what, std::string_view key, const std::string& message) const {
    throw error(domain_ + "." + std::string(what), key.empty() ? pointer_ : pointer_of(key), message);
}

std::string_view object_reader::text(std::string_view key) {
    const std::string_view s = exact::string_at(exact::view_of(required(key)), [&] { return pointer_of(key); }, domain_);
    if (s.empty()) fail("empty_string", key, "'" + std::string(key) + "' must not be empty");
    return s;
}

std::string_view object_reader::text_or(std::string_view key, std::string_view fallback) {
    const json* v = optional(key);
    return v ? exact::string_at(exact::view_of(*v), [&] { return pointer_of(key); }, domain_) : fallback;
}

std::string object_reader::string(std::string_view key) { return std::string(text(key)); }

std::string object_reader::string_or(std::string_view key, std::string fallback) {
    const json* v = optional(key);
    return v ? std::string(exact::string_at(exact::view_of(*v), [&] { return pointer_of(key); }, domain_)) : fallback;
}

std::int64_t object_reader::integer(std::string_view key) {
    return exact::integer_at(exact::view_of(required(key)), [&] { return pointer_of(key); }, domain_);
}

std::int64_t object_reader::integer_or(std::string_view key, std::int64_t fallback) {
    const json* v = optional(key);
    return v ? exact::integer_at(exact::view_of(*v), [&] { return pointer_of(key); }, domain_) : fallback;
}

bool object_reader::boolean_or(std::string_view key, bool fallback) {
    const json* v = optional(key);
    if (!v) return fallback;
    if (!v->is_boolean()) exact::refuse_type(exact::view_of(*v), "true or false", pointer_of(key), domain_);
    return v->get<bool>();
}

decimal object_reader::number(std::string_view key) {
    return exact::decimal_at(exact::view_of(required(key)), [&] { return pointer_of(key); }, domain_);
}

money object_reader::amount(std::string_view key, const currency& c) {
    return exact::money_at(exact::view_of(required(key)), c, [&] { return pointer_of(key); }, domain_);
}

instant object_reader::time(std::string_view key) {
    return exact::instant_at(exact::view_of(required(key)), [&] { return pointer_of(key); }, domain_);
}

day object_reader::date(std::string_view key) {
    return exact::day_at(exact::view_of(required(key)), [&] { return pointer_of(key); }, domain_);
}

void object_reader::finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
        if (std::find(read_.begin(), read_.end(), it.key()) == read_.end())
            fail("unknown_key", it.key(), spelling::unknown_key_message(it.key(), read_));
}

}  // namespace loyalty::io
