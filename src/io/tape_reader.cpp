// io::object_reader's accessors over a json_tape object (its implementation in json.cpp is the
// model: same checks, and the messages of exact_value.hpp).
#include "tape_reader.hpp"

#include <algorithm>
#include <vector>

#include "did_you_mean.hpp"

namespace loyalty::io {

tape_reader::tape_reader(const tape_value& object, const std::string& pointer, const std::string& domain)
    : tape_reader(object, pointer, std::string::npos, domain) {}

tape_reader::tape_reader(const tape_value& object, const std::string& array_pointer, std::size_t index,
                         const std::string& domain)
    : object_(object), pointer_(array_pointer), index_(index), domain_(domain), next_(object.first()) {
    if (object_.value.kind != exact::kind::object) exact::refuse_type(object_.value, "an object", pointer(), domain_);
}

std::string tape_reader::pointer() const {
    return index_ == std::string::npos ? pointer_ : pointer_append(pointer_, index_);
}

bool tape_reader::has(std::string_view key) const {
    if (!(object_.key_bits & key_bit(key))) return false;
    const tape_value* member = object_.first();
    for (std::size_t i = 0; i < object_.size; ++i, member = member->next())
        if (same_key(member->key, key)) return true;
    return false;
}

// Keys are unique (the tape refuses duplicates), so where the search starts does not change what
// it finds: it starts after the member found last, as fields are mostly read in their order.
const tape_value* tape_reader::optional(std::string_view key) {
    if (key.data() == last_key_ && key.size() == last_size_) return last_found_;  // asked again
    if (asked_count_ < asked_.size()) asked_[asked_count_++] = {key.data(), key.size()};
    last_key_ = key.data();
    last_size_ = key.size();
    last_found_ = nullptr;
    if (!(object_.key_bits & key_bit(key))) return nullptr;  // not one of its keys: no search
    for (std::size_t i = 0; i < object_.size; ++i) {
        if (next_index_ == object_.size) {
            next_ = object_.first();
            next_index_ = 0;
        }
        const tape_value* member = next_;
        next_ = next_->next();
        ++next_index_;
        if (same_key(member->key, key)) {
            if (!member->read) {
                member->read = true;
                ++read_count_;
            }
            return last_found_ = member->value.kind == exact::kind::null ? nullptr : member;
        }
    }
    return nullptr;
}

const tape_value& tape_reader::required(std::string_view key) {
    const tape_value* v = optional(key);
    if (!v) {
        // A key typed close to the missing one is its misspelling: name the typo, not the gap
        // (the first such key in key order, as object_reader finds it).
        for (const tape_value* member : tape_access::in_key_order(object_))
            if (!member->read && spelling::close(member->key, key))
                fail("unknown_key", member->key,
                     spelling::unknown_key_message(member->key, std::array<std::string_view, 1>{key}));
        fail("missing_field", key, "required field '" + std::string(key) + "' is missing");
    }
    return *v;
}

void tape_reader::fail(std::string_view what, std::string_view key, const std::string& message) const {
    throw error(domain_ + "." + std::string(what), key.empty() ? pointer() : pointer_of(key), message);
}

std::string_view tape_reader::text(std::string_view key) {
    const std::string_view s = exact::string_at(required(key).value, [&] { return pointer_of(key); }, domain_);
    if (s.empty()) fail("empty_string", key, "'" + std::string(key) + "' must not be empty");
    return s;
}

std::string_view tape_reader::text_or(std::string_view key, std::string_view fallback) {
    const tape_value* v = optional(key);
    return v ? exact::string_at(v->value, [&] { return pointer_of(key); }, domain_) : fallback;
}

std::string tape_reader::string(std::string_view key) { return std::string(text(key)); }

std::string tape_reader::string_or(std::string_view key, std::string fallback) {
    const tape_value* v = optional(key);
    return v ? std::string(exact::string_at(v->value, [&] { return pointer_of(key); }, domain_)) : fallback;
}

std::int64_t tape_reader::integer(std::string_view key) {
    return exact::integer_at(required(key).value, [&] { return pointer_of(key); }, domain_);
}

std::int64_t tape_reader::integer_or(std::string_view key, std::int64_t fallback) {
    const tape_value* v = optional(key);
    return v ? exact::integer_at(v->value, [&] { return pointer_of(key); }, domain_) : fallback;
}

decimal tape_reader::number(std::string_view key) {
    return exact::decimal_at(required(key).value, [&] { return pointer_of(key); }, domain_);
}

money tape_reader::amount(std::string_view key, const currency& c) {
    return exact::money_at(required(key).value, c, [&] { return pointer_of(key); }, domain_);
}

instant tape_reader::time(std::string_view key) {
    return exact::instant_at(required(key).value, [&] { return pointer_of(key); }, domain_);
}

day tape_reader::date(std::string_view key) {
    return exact::day_at(required(key).value, [&] { return pointer_of(key); }, domain_);
}

void tape_reader::finish() const {
    if (read_count_ == object_.size) return;  // every member was asked for
    const tape_value* first_unread = nullptr;
    const tape_value* member = object_.first();
    for (std::size_t i = 0; i < object_.size; ++i, member = member->next())
        if (!member->read && (!first_unread || member->key < first_unread->key)) first_unread = member;
    if (first_unread) {
        const std::string key(first_unread->key);
        std::vector<std::string_view> asked;
        asked.reserve(asked_count_);
        for (std::size_t i = 0; i < asked_count_; ++i) asked.emplace_back(asked_[i].data, asked_[i].size);
        fail("unknown_key", key, spelling::unknown_key_message(key, asked));
    }
}

std::vector<const tape_value*> tape_access::in_key_order(const tape_value& object) {
    std::vector<const tape_value*> members;
    members.reserve(object.size);
    for (const tape_value* m = object.first(); members.size() < object.size; m = m->next()) members.push_back(m);
    std::sort(members.begin(), members.end(), [](const tape_value* a, const tape_value* b) { return a->key < b->key; });
    return members;
}

}  // namespace loyalty::io
