// Exact JSON reading: a SAX handler that builds a DOM but keeps non-integer numbers as text.
#include "loyalty/io/json.hpp"

#include <algorithm>
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
    std::string duplicate_;
    std::string duplicate_pointer_;
    std::string message_;
    std::size_t position_ = 0;
};

std::string type_name(const json& j) {
    if (j.is_binary()) return "number";
    return j.type_name();
}

}  // namespace

json parse_exact(std::string_view text) {
    json root;
    exact_dom_builder builder(root);
    const bool ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json, true);
    if (!ok) {
        if (!builder.duplicate().empty())
            throw error("loyalty.json.duplicate_key", builder.duplicate_pointer(), "key '" + builder.duplicate() + "' appears twice in one object");
        throw error("loyalty.json.parse_error", "", builder.message());
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

namespace {

// The converters below take the value's JSON pointer as a function, called only to report an
// error: building every field's pointer as text costs more than reading the field.
template <class Pointer>
const std::string& string_at(const json& j, const Pointer& pointer, const std::string& domain) {
    if (!j.is_string()) throw error(domain + ".type_error", pointer(), "expected a string, found " + type_name(j));
    return j.get_ref<const std::string&>();
}

template <class Pointer>
std::int64_t integer_at(const json& j, const Pointer& pointer, const std::string& domain) {
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
        throw error(domain + ".out_of_range", pointer(), "integer does not fit in 64 bits");
    if (!j.is_number_integer()) throw error(domain + ".type_error", pointer(), "expected an integer, found " + type_name(j));
    return j.get<std::int64_t>();
}

template <class Pointer>
decimal decimal_at(const json& j, const Pointer& pointer, const std::string& domain) {
    std::string_view text;
    if (j.is_number_integer()) {
        return decimal::integer(integer_at(j, pointer, domain));
    } else if (j.is_binary()) {
        const auto& bytes = j.get_binary();
        text = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    } else if (j.is_string()) {
        text = j.get_ref<const std::string&>();
    } else {
        throw error(domain + ".type_error", pointer(), "expected a decimal number or a string like \"0.7\", found " + type_name(j));
    }
    auto d = decimal::parse(text);
    if (!d)
        throw error(domain + ".inexact_number", pointer(),
                    "'" + std::string(text) + "' is not a decimal that can be held exactly (at most 18 decimals, 18 digits)");
    return *d;
}

template <class Pointer>
money money_at(const json& j, const currency& c, const Pointer& pointer, const std::string& domain) {
    const decimal d = decimal_at(j, pointer, domain);
    if (d.scale() > c.minor_digits())
        throw error(domain + ".invalid_amount", pointer(),
                    "'" + d.to_string() + "' has more decimals than " + std::string(c.code()) + " has (" +
                        std::to_string(c.minor_digits()) + ")");
    auto m = money::parse(d.to_string(), c);
    if (!m) throw error(domain + ".out_of_range", pointer(), "amount '" + d.to_string() + "' is out of range");
    return *m;
}

}  // namespace

std::string as_string(const json& j, const std::string& pointer, const std::string& domain) {
    return string_at(j, [&] { return pointer; }, domain);
}

std::int64_t as_integer(const json& j, const std::string& pointer, const std::string& domain) {
    return integer_at(j, [&] { return pointer; }, domain);
}

decimal as_decimal(const json& j, const std::string& pointer, const std::string& domain) {
    return decimal_at(j, [&] { return pointer; }, domain);
}

money as_money(const json& j, const currency& c, const std::string& pointer, const std::string& domain) {
    return money_at(j, c, [&] { return pointer; }, domain);
}

object_reader::object_reader(const json& j, std::string pointer, std::string domain)
    : j_(j), pointer_(std::move(pointer)), domain_(std::move(domain)) {
    if (!j_.is_object())
        throw error(domain_ + ".type_error", pointer_, "expected an object, found " + type_name(j_));
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
    if (!v) fail("missing_field", key, "required field '" + std::string(key) + "' is missing");
    return *v;
}

void object_reader::fail(std::string_view what, std::string_view key, const std::string& message) const {
    throw error(domain_ + "." + std::string(what), key.empty() ? pointer_ : pointer_of(key), message);
}

std::string object_reader::string(std::string_view key) {
    std::string s = string_at(required(key), [&] { return pointer_of(key); }, domain_);
    if (s.empty()) fail("empty_string", key, "'" + std::string(key) + "' must not be empty");
    return s;
}

std::string object_reader::string_or(std::string_view key, std::string fallback) {
    const json* v = optional(key);
    return v ? string_at(*v, [&] { return pointer_of(key); }, domain_) : fallback;
}

std::int64_t object_reader::integer(std::string_view key) {
    return integer_at(required(key), [&] { return pointer_of(key); }, domain_);
}

std::int64_t object_reader::integer_or(std::string_view key, std::int64_t fallback) {
    const json* v = optional(key);
    return v ? integer_at(*v, [&] { return pointer_of(key); }, domain_) : fallback;
}

bool object_reader::boolean_or(std::string_view key, bool fallback) {
    const json* v = optional(key);
    if (!v) return fallback;
    if (!v->is_boolean()) fail("type_error", key, "expected true or false, found " + type_name(*v));
    return v->get<bool>();
}

decimal object_reader::number(std::string_view key) {
    return decimal_at(required(key), [&] { return pointer_of(key); }, domain_);
}

money object_reader::amount(std::string_view key, const currency& c) {
    return money_at(required(key), c, [&] { return pointer_of(key); }, domain_);
}

instant object_reader::time(std::string_view key) {
    const std::string& s = string_at(required(key), [&] { return pointer_of(key); }, domain_);
    const auto t = parse_instant(s);
    if (!t)
        fail("invalid_time", key,
             "'" + s + "' is not an ISO 8601 instant like 2026-03-01T10:00:00Z or 2026-03-01T18:00:00+08:00");
    return *t;
}

day object_reader::date(std::string_view key) {
    const std::string& s = string_at(required(key), [&] { return pointer_of(key); }, domain_);
    const auto d = parse_day(s);
    if (!d) fail("invalid_date", key, "'" + s + "' is not a date like 2026-03-01");
    return *d;
}

void object_reader::finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it)
        if (std::find(read_.begin(), read_.end(), it.key()) == read_.end())
            fail("unknown_key", it.key(), "unknown key '" + it.key() + "'");
}

}  // namespace loyalty::io
