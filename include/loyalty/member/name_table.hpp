#pragma once
// Names a member's records hold over and over, each kept once and referred to by its number.
// Three tables per member: the lots' (member_state::names: rule ids, funder ids and id tails; a
// lot_record holds three 4-byte numbers instead of three strings, member/lot.hpp), the effect
// book's (member/effect_book.hpp: rule, benefit and reward ids, VINs, accounts; a packed effect
// writes one byte for each) and the benefit usage's (member/benefit_use_log.hpp: benefit ids and
// VINs). Only names go in a table: ids the programme or the member's vehicles bound, never
// per-event text (references, event ids), so a table stays small: a member's holds about ten.
//
// The names are one string, each after its length (a varint), so a table is one heap block of
// about a hundred bytes (a vector of strings took about 450: 32 bytes a string, room for twice
// as many, and a block of its own for every name longer than 15 bytes). Finding a name or a
// number reads the names in order, which for a handful of names costs what a vector's scan did.
//
// Names are only ever added, never changed or removed, so a number stays valid as long as the
// table does (copies of a state copy the table with its lots). A view of a name is valid until
// the next name is added: copy a name before anything that may add one (posting a new lot,
// member_state::add_lot).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loyalty/core/growth.hpp"
#include "loyalty/core/prefetch.hpp"
#include "loyalty/core/varint.hpp"

namespace loyalty {

class name_table {
public:
    using number = std::uint32_t;
    static constexpr number none = 0;  // the empty name, always present

    // The number of `name`, added when it is not there yet.
    number add(std::string_view name) {
        if (name.empty()) return none;
        if (const std::optional<number> n = find(name)) return *n;
        room_for(bytes_, name.size() + 5);  // by a quarter (core/growth.hpp)
        append_varint(bytes_, name.size());
        bytes_.append(name);
        return static_cast<number>(size());
    }
    // The number of `name`, or none when the table does not hold it (none for "" too).
    std::optional<number> find(std::string_view name) const {
        if (name.empty()) return none;
        const char* p = bytes_.data();
        const char* const end = p + bytes_.size();
        for (number n = 1; p < end; ++n) {
            const std::size_t length = length_at(p);  // moves p past the length
            // (Names are never empty: the first bytes tell most apart without a call.)
            if (length == name.size() && *p == name[0] && std::memcmp(p, name.data(), length) == 0) return n;
            p += length;
        }
        return std::nullopt;
    }
    // The name numbered `n` ("" for none). Raises std::out_of_range for a number it never gave.
    std::string_view operator[](number n) const {
        if (n == none) return {};
        const char* p = bytes_.data();
        const char* const end = p + bytes_.size();
        for (number i = 1; p < end; ++i) {
            const std::size_t length = length_at(p);
            if (i == n) return std::string_view(p, length);
            p += length;
        }
        throw std::out_of_range("name_table: no name numbered " + std::to_string(n));
    }
    // How many names it holds (counted: tables are small, and asked rarely).
    std::size_t size() const noexcept {
        std::size_t n = 0;
        const char* p = bytes_.data();
        for (const char* const end = p + bytes_.size(); p < end; ++n) p += length_at(p);
        return n;
    }
    // Reads the names' bytes ahead of use (core/prefetch.hpp: changes nothing).
    void prefetch() const noexcept { prefetch_elements(bytes_); }
    // Bytes the table takes beyond its own object (an estimate, as effect_book::heap_bytes).
    std::size_t heap_bytes() const noexcept { return bytes_.capacity() > 15 ? bytes_.capacity() + 1 : 0; }
    // The same names with the same numbers.
    friend bool operator==(const name_table& a, const name_table& b) { return a.bytes_ == b.bytes_; }
    friend bool operator!=(const name_table& a, const name_table& b) { return !(a == b); }

private:
    // The length of the name at `p` (a varint: one byte for a name shorter than 128 bytes);
    // moves `p` to the name's first byte.
    static std::size_t length_at(const char*& p) noexcept { return static_cast<std::size_t>(read_varint(p)); }

    std::string bytes_;  // each name after its length, in the order they were added
};

}  // namespace loyalty
