#pragma once
// Whether a short list of names holds a name: sizes and first bytes tell most names apart
// without a call to memcmp. For the lists a programme names line categories and operations in,
// which every line of every order is checked against (std::find compares each by memcmp).
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/inline.hpp"

namespace loyalty {

LOYALTY_INLINE bool contains_name(const std::vector<std::string>& names, std::string_view name) noexcept {
    for (const std::string& s : names)
        if (s.size() == name.size() &&
            (s.empty() || (s[0] == name[0] && std::memcmp(s.data(), name.data(), s.size()) == 0)))
            return true;
    return false;
}

}  // namespace loyalty
