#pragma once
// What a programme accepts on a repair order: the line categories it knows (when it lists
// them; "*" in the list is a catch-all) and combinations of flags it forbids (a line flagged
// both warranty and accident, say). A bad line is named by its JSON pointer.
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/contains.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/event/event.hpp"

namespace loyalty {

struct order_rules {
    std::vector<std::string> categories;               // empty: any category
    std::vector<std::vector<line_flag>> forbidden_flags;  // each: flags that may not all be on one line

    // The first problem of the order, as an error with id and JSON pointer, if any.
    std::optional<error> check(const events::repair_order& ro) const {
        const bool any_category = categories.empty() || contains_name(categories, "*");
        for (std::size_t i = 0; i < ro.lines.size(); ++i) {
            const repair_order_line& l = ro.lines[i];
            const auto at = [i] { return "/lines/" + std::to_string(i); };  // only for an error
            if (!any_category && !contains_name(categories, l.category))
                return error("loyalty.order.unknown_category", at() + "/category",
                             "category '" + l.category + "' is not one of the programme's line categories");
            for (const auto& combination : forbidden_flags) {
                bool all = !combination.empty();
                for (line_flag f : combination) all = all && l.has(f);
                if (!all) continue;
                std::string names;
                for (line_flag f : combination) names += (names.empty() ? "" : " and ") + std::string(to_string(f));
                return error("loyalty.order.forbidden_flags", at() + "/flags", "the programme forbids a line flagged " + names);
            }
        }
        return std::nullopt;
    }
};

}  // namespace loyalty
