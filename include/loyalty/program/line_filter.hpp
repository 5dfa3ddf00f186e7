#pragma once
// Which repair-order lines a rule or a benefit applies to.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/contains.hpp"
#include "loyalty/event/event.hpp"

namespace loyalty {

struct line_filter {
    std::vector<line_kind> kinds;                // empty: labour and parts
    std::vector<std::string> categories;         // empty: every category
    std::vector<std::string> exclude_categories;
    std::vector<std::string> operations;         // empty: every operation code
    std::vector<line_flag> exclude_flags;        // e.g. accident: accident repairs excluded
    // Lines paid by warranty or insurance cost the member nothing and so earn nothing,
    // unless the rule says they earn on their list amount.
    bool earn_on_covered_lines = false;

    // The first flag of the line that the filter excludes, if any.
    std::optional<line_flag> excluding_flag(const repair_order_line& line) const {
        for (line_flag f : exclude_flags)
            if (line.has(f)) return f;
        return std::nullopt;
    }

    // Whether the line is of the kinds, categories and operations named (flags aside). Every
    // line of an order is asked about by every benefit and rule, and most answers are no: the
    // operations (most benefits name a few) are asked first, and an empty list costs no call.
    [[gnu::always_inline]] bool selects(const repair_order_line& line) const {
        if (!kinds.empty() && !contains(kinds, line.kind)) return false;
        if (!operations.empty() && !contains(operations, line.operation)) return false;
        if (!categories.empty() && !contains(categories, line.category)) return false;
        return exclude_categories.empty() || !contains(exclude_categories, line.category);
    }

    bool matches(const repair_order_line& line) const { return selects(line) && !excluding_flag(line); }

private:
    template <class T>
    static bool contains(const std::vector<T>& v, const T& x) {
        return std::find(v.begin(), v.end(), x) != v.end();
    }
    // A category or operation among the filter's (every line is asked about by every benefit
    // and rule: core/contains.hpp).
    static bool contains(const std::vector<std::string>& v, const std::string& x) noexcept {
        return contains_name(v, x);
    }
};

}  // namespace loyalty
