#pragma once
// JSON text read with simdjson (On-Demand) into a flat tape of values, exactly: numbers keep
// their source text and are classified as parse_exact classifies them, duplicate keys are
// refused (loyalty.json.duplicate_key, with the same pointer and message as parse_exact).
//
// The tape is the volume path's DOM: one reused array, no node allocated per value. Strings and
// numbers are views into the reader's buffers, valid until its next read().
//
// read() declines (returns false) whatever it cannot judge exactly as parse_exact does: text
// simdjson refuses (parse_exact then gives its own error and message), a root that is not an
// object, trailing text, an exponent that does not make an exact decimal, a number of more than
// 300 digits, nesting deeper than 32. The caller then reads the text with parse_exact: same
// result, at its speed. No event of docs/events.md is declined.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exact_value.hpp"

namespace loyalty::io {

// Whether two keys are the same: sizes, then the first byte, before memcmp (keys of one object
// mostly differ in size or first letter; a plain == calls memcmp for every key of equal size).
inline bool same_key(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), a.size()) == 0));
}

// One of 64 bits for a key, from its size and first byte: equal keys have equal bits, and the
// keys of one object mostly differ in size or first byte.
inline std::uint64_t key_bit(std::string_view key) noexcept {
    const unsigned first = key.empty() ? 0u : static_cast<unsigned char>(key[0]);
    return std::uint64_t{1} << ((key.size() * 7 + first) & 63);
}

// A value on the tape. A container's members follow it; `span` is the number of values of its
// subtree (itself included), so the next sibling is `this + span`.
struct tape_value {
    exact::value_view value;
    std::string_view key;  // its key in the enclosing object ("" in an array or at the root)
    std::uint32_t span = 1;
    std::uint32_t size = 0;     // members of an array or object
    std::uint64_t key_bits = 0;  // an object: key_bit() of each of its keys, or-ed (a key whose bit
                                 // is not set is not there, and no search for it is needed)
    mutable bool read = false;  // an object reader has asked for it (by key)
    // The root only: false when no string can hold U+0000..U+001F or U+007F. simdjson refuses
    // them raw but U+007F, so only a text with a backslash or a U+007F byte can.
    bool may_hold_control_characters = true;

    const tape_value* first() const noexcept { return this + 1; }
    const tape_value* next() const noexcept { return this + span; }
};

class json_tape {
public:
    json_tape();
    ~json_tape();
    json_tape(const json_tape&) = delete;
    json_tape& operator=(const json_tape&) = delete;

    // True when the text is read; false when it is declined (above). Throws
    // loyalty.json.duplicate_key.
    bool read(std::string_view text);
    const tape_value& root() const noexcept { return values_.front(); }

private:
    struct parser;
    std::unique_ptr<parser> parser_;
    std::string buffer_;  // the text and simdjson's padding
    std::vector<tape_value> values_;
};

}  // namespace loyalty::io
