#pragma once
// compare(): every difference between an estimate and the final bill, line by line, with the
// reason, so the store can show the customer why the bill differs from what was quoted.
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/price.hpp"

namespace loyalty {

enum class difference_kind { line_added, line_removed, quantity_changed, price_changed, benefit_changed };

inline std::string_view to_string(difference_kind k) noexcept {
    switch (k) {
        case difference_kind::line_added: return "line_added";
        case difference_kind::line_removed: return "line_removed";
        case difference_kind::quantity_changed: return "quantity_changed";
        case difference_kind::price_changed: return "price_changed";
        case difference_kind::benefit_changed: return "benefit_changed";
    }
    return "?";
}

struct bill_difference {
    difference_kind kind = difference_kind::line_added;
    std::optional<std::size_t> estimate_line;  // index in the estimate, when the line is there
    std::optional<std::size_t> final_line;     // index in the final bill, when the line is there
    money estimate_net;                        // that line's net in the estimate (0 when absent)
    money final_net;
    std::string reason;
};

struct bill_comparison {
    std::vector<bill_difference> differences;
    money estimate_total;
    money final_total;
    money change;  // final - estimate; equals the sum of the lines' net changes
    bool same() const { return differences.empty(); }
};

namespace detail {

inline std::string line_name(const repair_order_line& l) {
    return std::string(to_string(l.kind)) + " " + l.category + (l.operation.empty() ? "" : " " + l.operation);
}

inline bool same_line(const repair_order_line& a, const repair_order_line& b) {
    return a.kind == b.kind && a.category == b.category && a.operation == b.operation;
}

// The benefits of a line as "id amount" strings, for comparison.
inline std::string benefit_text(const priced_line& l) {
    std::string s;
    for (const price_adjustment& a : l.adjustments) s += (s.empty() ? "" : ", ") + a.benefit + " -" + a.amount.to_string();
    return s.empty() ? "none" : s;
}

}  // namespace detail

inline bill_comparison compare(const priced_order& estimate, const priced_order& final_bill) {
    bill_comparison out;
    out.estimate_total = estimate.net_total;
    out.final_total = final_bill.net_total;
    out.change = final_bill.net_total - estimate.net_total;
    const money zero = money::zero(final_bill.net_total.currency_of());
    std::vector<bool> matched(estimate.lines.size(), false);
    for (std::size_t f = 0; f < final_bill.lines.size(); ++f) {
        const priced_line& fl = final_bill.lines[f];
        std::optional<std::size_t> e;
        for (std::size_t i = 0; i < estimate.lines.size() && !e; ++i)
            if (!matched[i] && detail::same_line(estimate.lines[i].line, fl.line)) e = i;
        if (!e) {
            out.differences.push_back({difference_kind::line_added, std::nullopt, f, zero, fl.net,
                                       detail::line_name(fl.line) + " added: " + fl.net.to_string()});
            continue;
        }
        matched[*e] = true;
        const priced_line& el = estimate.lines[*e];
        if (el.line.quantity != fl.line.quantity)
            out.differences.push_back({difference_kind::quantity_changed, e, f, el.net, fl.net,
                                       detail::line_name(fl.line) + ": quantity " + el.line.quantity.to_string() +
                                           " -> " + fl.line.quantity.to_string() + ", net " + el.net.to_string() +
                                           " -> " + fl.net.to_string()});
        else if (el.line.unit_price != fl.line.unit_price || el.line.flags != fl.line.flags)
            out.differences.push_back({difference_kind::price_changed, e, f, el.net, fl.net,
                                       detail::line_name(fl.line) + ": unit price " + el.line.unit_price.to_string() +
                                           " -> " + fl.line.unit_price.to_string() +
                                           (el.line.flags != fl.line.flags ? " (flags changed)" : "") + ", net " +
                                           el.net.to_string() + " -> " + fl.net.to_string()});
        else if (detail::benefit_text(el) != detail::benefit_text(fl) || el.net != fl.net) {
            std::string why = detail::line_name(fl.line) + ": benefits " + detail::benefit_text(el) + " -> " +
                              detail::benefit_text(fl) + ", net " + el.net.to_string() + " -> " + fl.net.to_string();
            for (const std::string& note : fl.notes) why += "; " + note;
            out.differences.push_back({difference_kind::benefit_changed, e, f, el.net, fl.net, why});
        }
    }
    for (std::size_t i = 0; i < estimate.lines.size(); ++i)
        if (!matched[i])
            out.differences.push_back({difference_kind::line_removed, i, std::nullopt, estimate.lines[i].net, zero,
                                       detail::line_name(estimate.lines[i].line) + " removed: was " +
                                           estimate.lines[i].net.to_string()});
    return out;
}

}  // namespace loyalty
