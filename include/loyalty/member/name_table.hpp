#pragma once
// Names a member's records hold over and over, each kept once and referred to by its number.
// Two tables per member: the lots' (member_state::names: rule ids, funder ids and id tails; a
// lot_record holds three 4-byte numbers instead of three strings, member/lot.hpp) and the
// effect book's (member/effect_book.hpp: rule, benefit and reward ids, VINs, accounts; a packed
// effect writes one byte for each). Only names go in a table: ids the programme or the member's
// vehicles bound, never per-event text (references, event ids), so a table stays small.
//
// Names are only ever added, never changed or removed, so a number stays valid as long as the
// table does (copies of a state copy the table with its lots). A reference to a name is valid
// until the next name is added: copy a name before anything that may add one (posting a new
// lot, member_state::add_lot).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace loyalty {

class name_table {
public:
    using number = std::uint32_t;
    static constexpr number none = 0;  // the empty name, always present

    // The number of `name`, added when it is not there yet.
    number add(std::string_view name) {
        if (name.empty()) return none;
        for (std::size_t i = 0; i < names_.size(); ++i)
            if (names_[i] == name) return static_cast<number>(i + 1);
        names_.emplace_back(name);
        return static_cast<number>(names_.size());
    }
    // The name numbered `n` ("" for none). Raises std::out_of_range for a number it never gave.
    const std::string& operator[](number n) const {
        static const std::string empty;
        if (n == none) return empty;
        return names_.at(n - 1);
    }
    std::size_t size() const noexcept { return names_.size(); }
    // Bytes the table takes beyond its own object (an estimate, as effect_book::heap_bytes).
    std::size_t heap_bytes() const noexcept {
        std::size_t bytes = names_.capacity() * sizeof(std::string);
        for (const std::string& n : names_)
            if (n.capacity() > 15) bytes += n.capacity() + 1;
        return bytes;
    }
    // The same names with the same numbers.
    friend bool operator==(const name_table& a, const name_table& b) { return a.names_ == b.names_; }
    friend bool operator!=(const name_table& a, const name_table& b) { return !(a == b); }

private:
    std::vector<std::string> names_;  // name n is names_[n - 1]
};

}  // namespace loyalty
