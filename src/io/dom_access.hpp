#pragma once
// parse_exact's DOM (nlohmann/json) for the field code shared by both exact readers
// (event_fields.hpp, ledger_fields.hpp); tape_reader.hpp's tape_access is the other. Its objects
// are std::maps: their members are in key order already.
#include <cstddef>
#include <string_view>

#include "loyalty/io/json.hpp"

#include "exact_value.hpp"

namespace loyalty::io {

struct dom_access {
    using value = json;
    using reader = object_reader;
    static exact::value_view view(const json& j) noexcept { return exact::view_of(j); }
    static std::size_t size(const json& j) noexcept { return j.size(); }
    template <class F>
    static void for_each_element(const json& j, F&& f) {
        for (std::size_t i = 0; i < j.size(); ++i) f(i, j[i]);
    }
    template <class F>
    static void for_each_member_in_key_order(const json& j, F&& f) {
        for (auto it = j.begin(); it != j.end(); ++it) f(std::string_view(it.key()), *it);
    }
    // No fast check: the walk in key order is the check.
    static bool may_hold_control_characters(const json&) noexcept { return true; }
};

}  // namespace loyalty::io
