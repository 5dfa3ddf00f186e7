#pragma once
// How a member's containers grow: by a quarter of their size rather than by doubling (what
// libstdc++ does, even for a string's reserve()). A member's packed bytes, lots and usage only
// grow, event after event, and keep the capacity their busiest day needed: a million members'
// states carried about a quarter of their size empty on average with doubling, up to a half.
#include <cstddef>
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"

namespace loyalty {

// Room in `bytes` for `more` bytes. The bytes are kept; room already there is used as it is.
LOYALTY_INLINE void room_for(std::string& bytes, std::size_t more) {
    const std::size_t need = bytes.size() + more;
    if (need <= bytes.capacity()) return;
    std::string grown;
    grown.reserve(need + bytes.size() / 4 + 32);  // from an empty string: exactly this much
    grown.append(bytes);
    bytes.swap(grown);
}

// Room in `items` for one more. Like push_back's own growth, it moves the items (and so
// invalidates references to them) only when the vector is full.
template <class T>
void room_for_one_more(std::vector<T>& items) {
    if (items.size() == items.capacity()) items.reserve(items.size() + items.size() / 4 + 2);
}

}  // namespace loyalty
