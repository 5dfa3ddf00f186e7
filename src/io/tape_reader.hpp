#pragma once
// io::object_reader's accessors over a json_tape object: the same reads and the same errors (id,
// pointer, message), for the fields of an event (event_fields.hpp) and of a ledger entry
// (ledger_fields.hpp), and the tape's walk.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exact_value.hpp"
#include "json_tape.hpp"

namespace loyalty::io {

class tape_reader {
public:
    // `pointer` and `domain` are kept by reference (a reader lives within one function's read of
    // one object, and a line's event has ten of them): they must outlive the reader.
    tape_reader(const tape_value& object, const std::string& pointer, const std::string& domain);
    tape_reader(const tape_value&, std::string&&, const std::string&) = delete;
    tape_reader(const tape_value&, const std::string&, std::string&&) = delete;
    // The element `index` of the array at `array_pointer`: its pointer is built only for an
    // error (a repair order's eight lines read without building "/lines/0" .. "/lines/7").
    tape_reader(const tape_value& object, const std::string& array_pointer, std::size_t index, const std::string& domain);
    tape_reader(const tape_value&, std::string&&, std::size_t, const std::string&) = delete;
    tape_reader(const tape_value&, const std::string&, std::size_t, std::string&&) = delete;

    bool has(std::string_view key) const;               // present, null or not (object_reader::has)
    const tape_value* optional(std::string_view key);  // null counts as absent
    const tape_value& required(std::string_view key);

    std::string string(std::string_view key);  // not empty
    std::string string_or(std::string_view key, std::string fallback);
    // The same texts in place, valid while the tape is (for assign(): a string keeps its room).
    std::string_view text(std::string_view key);  // not empty
    std::string_view text_or(std::string_view key, std::string_view fallback);
    std::int64_t integer(std::string_view key);
    std::int64_t integer_or(std::string_view key, std::int64_t fallback);
    decimal number(std::string_view key);
    money amount(std::string_view key, const currency& c);
    instant time(std::string_view key);
    day date(std::string_view key);

    std::string pointer() const;  // of the object
    std::string pointer_of(std::string_view key) const { return pointer_append(pointer(), key); }
    [[noreturn]] void fail(std::string_view what, std::string_view key, const std::string& message) const;
    void finish() const;  // refuses the first key, in key order, that was never asked for

private:
    const tape_value& object_;
    const std::string& pointer_;  // the object's, or its array's when index_ is not npos
    std::size_t index_ = std::string::npos;
    const std::string& domain_;
    const tape_value* next_;  // where the next search by key starts: member next_index_
    std::size_t next_index_ = 0;
    std::size_t read_count_ = 0;  // members found (each once): finish() has nothing to look for at size
    // The keys asked for are string literals at the call sites (event_fields.hpp,
    // ledger_fields.hpp): asked_ keeps their addresses, and an address and a size name a text.
    // The key asked for last and what it found: an optional field is asked for twice, whether it
    // is given, then its value (event_fields::given), and the second ask is this compare of the
    // literal's address instead of a search around the object (distinct literals of equal text
    // may have distinct addresses; they are then searched for, and found the same).
    const char* last_key_ = nullptr;
    std::size_t last_size_ = std::string_view::npos;  // no key's: the first ask always searches
    const tape_value* last_found_ = nullptr;
    // The keys asked for, for "did you mean" in finish() (literals at the call sites; no heap:
    // past the capacity, a suggestion may be missed, never wrong).
    // A trivial record, left uninitialised (only the first asked_count_ are read): a
    // std::string_view array would write 640 bytes for every object read.
    struct asked_key {
        const char* data;
        std::size_t size;
    };
    std::array<asked_key, 40> asked_;
    std::size_t asked_count_ = 0;
};

// The tape for event_fields.hpp.
struct tape_access {
    using value = tape_value;
    using reader = tape_reader;
    static const exact::value_view& view(const tape_value& v) noexcept { return v.value; }
    static std::size_t size(const tape_value& v) noexcept { return v.size; }
    template <class F>
    static void for_each_element(const tape_value& array, F&& f) {
        const tape_value* item = array.first();
        for (std::size_t i = 0; i < array.size; ++i, item = item->next()) f(i, *item);
    }
    template <class F>
    static void for_each_member_in_key_order(const tape_value& object, F&& f) {
        for (const tape_value* member : in_key_order(object)) f(member->key, *member);
    }
    static bool may_hold_control_characters(const tape_value& doc) noexcept { return doc.may_hold_control_characters; }
    static std::vector<const tape_value*> in_key_order(const tape_value& object);
};

}  // namespace loyalty::io
