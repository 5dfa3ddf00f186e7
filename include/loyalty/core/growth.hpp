#pragma once
// How a member's containers grow: by a quarter of their size rather than by doubling (what
// libstdc++ does, even for a string's reserve()). A member's packed bytes, lots and usage only
// grow, event after event, and keep the capacity their busiest day needed: a million members'
// states carried about a quarter of their size empty on average with doubling, up to a half.
#include <algorithm>
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

// Room in `items` for `n` more, by a quarter past them: several items added together (an
// order's benefit uses) take at most one block. Like push_back's own growth, it moves the items
// (and so invalidates references to them) only when they do not fit.
template <class T>
void room_for_more(std::vector<T>& items, std::size_t n) {
    if (items.size() + n > items.capacity()) items.reserve(items.size() + n + items.size() / 4 + 1);
}
// Room in `items` for one more (a quarter and two past a full vector).
template <class T>
void room_for_one_more(std::vector<T>& items) {
    room_for_more(items, 1);
}

// Drops the items `gone` picks, keeping the others in order; gives memory back when most of
// the vector went (usage records a member's state forgets, member/usage_horizon.hpp).
template <class T, class Gone>
void drop_where(std::vector<T>& items, Gone gone) {
    const auto end = std::remove_if(items.begin(), items.end(), gone);
    if (end == items.end()) return;
    items.erase(end, items.end());
    if (items.capacity() > 2 * items.size() + 4) items.shrink_to_fit();
}

}  // namespace loyalty
