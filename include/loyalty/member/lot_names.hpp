#pragma once
// The names a member's lots hold (member/lot.hpp): rule ids, funder ids and id tails, each kept
// once per member and referred to by its number. A member's lots name a handful of rules and
// funders over and over; a lot_record holds three 4-byte numbers instead of three strings.
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

class lot_names {
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

private:
    std::vector<std::string> names_;  // name n is names_[n - 1]
};

}  // namespace loyalty
