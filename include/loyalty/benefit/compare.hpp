#pragma once
// compare(): every difference between an estimate and the final bill, line by line, with the
// reason, so the store can show the customer why the bill differs from what was quoted.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/price.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

enum class difference_kind { line_added, line_removed, quantity_changed, price_changed, benefit_changed };

LOYALTY_INLINE std::string_view to_string(difference_kind k) noexcept {
    switch (k) {
        case difference_kind::line_added: return "line_added";
        case difference_kind::line_removed: return "line_removed";
        case difference_kind::quantity_changed: return "quantity_changed";
        case difference_kind::price_changed: return "price_changed";
        case difference_kind::benefit_changed: return "benefit_changed";
    }
    return "?";
}

// A benefit with a quota that the estimate applied to a line and that the final bill applies
// less (partly) or not at all, because uses of it were taken between the two instants: its
// position as each saw it (before the line's own uses), the uses each line takes and what each
// takes off. The figures of "waxing: used up since the estimate: 2 of 4 used at the estimate,
// 4 of 4 at the bill".
struct quota_change {
    std::string benefit;
    quota_seen at_estimate;
    quota_seen at_final;
    std::int64_t estimate_uses = 0;  // units the estimate's line takes
    std::int64_t final_uses = 0;     // units the bill's line takes (0: used up)
    money estimate_discount;
    money final_discount;
    bool used_up() const { return final_uses == 0; }
    // Uses taken in between, when both saw the same period.
    std::optional<std::int64_t> used_since() const {
        if (at_estimate.period.first != at_final.period.first || at_estimate.per != at_final.per) return std::nullopt;
        return at_final.used - at_estimate.used;
    }
};

// The sentence for a quota_change, rendered from its figures.
LOYALTY_INLINE std::string describe(const quota_change& q) {
    const bool same_period = q.used_since().has_value();
    std::string s = q.benefit + (q.used_up() ? ": used up since the estimate: " : ": fewer uses left since the estimate: ") +
                    std::to_string(q.at_estimate.used) + " of " + std::to_string(q.at_estimate.allowed) +
                    " used at the estimate" + (same_period ? "" : " in " + describe(q.at_estimate)) + ", " +
                    std::to_string(q.at_final.used) + " of " + std::to_string(q.at_final.allowed) + " at the bill" +
                    " in " + describe(q.at_final);
    if (same_period) s += " (" + std::to_string(*q.used_since()) + " used in between)";
    return s + "; " + q.estimate_discount.to_string() + " off -> " + q.final_discount.to_string();
}

struct bill_difference {
    difference_kind kind = difference_kind::line_added;
    std::optional<std::size_t> estimate_line;  // index in the estimate, when the line is there
    std::optional<std::size_t> final_line;     // index in the final bill, when the line is there
    money estimate_net;                        // that line's net in the estimate (0 when absent)
    money final_net;
    std::string reason;
    std::vector<quota_change> quota_changes{};  // benefit_changed: quotas used in between, with figures
};

struct bill_comparison {
    std::vector<bill_difference> differences;
    money estimate_total;
    money final_total;
    money change;  // final - estimate; equals the sum of the lines' net changes
    bool same() const { return differences.empty(); }
};

// "labour care WAX-FULL": a line as the reasons and the command name it.
LOYALTY_INLINE std::string line_name(const repair_order_line& l) {
    return std::string(to_string(l.kind)) + " " + l.category + (l.operation.empty() ? "" : " " + l.operation);
}

namespace detail {

LOYALTY_INLINE bool same_line(const repair_order_line& a, const repair_order_line& b) {
    return a.kind == b.kind && a.category == b.category && a.operation == b.operation;
}

// The benefits of a line as "id amount" strings, for comparison.
LOYALTY_INLINE std::string benefit_text(const priced_line& l) {
    std::string s;
    for (const price_adjustment& a : l.adjustments) s += (s.empty() ? "" : ", ") + a.benefit.str() + " -" + a.amount.to_string();
    return s.empty() ? "none" : s;
}

// The quota benefits the estimate's line had that the final line gives less of.
LOYALTY_INLINE std::vector<quota_change> quota_changes(const priced_line& el, const priced_line& fl) {
    std::vector<quota_change> out;
    for (const price_adjustment& a : el.adjustments) {
        if (!a.quota) continue;
        const auto same_benefit = [&](const auto& x) { return x.benefit == a.benefit; };
        const auto f = std::find_if(fl.adjustments.begin(), fl.adjustments.end(), same_benefit);
        if (f != fl.adjustments.end()) {
            if (f->quota && f->uses < a.uses)
                out.push_back({a.benefit.str(), *a.quota, *f->quota, a.uses, f->uses, a.amount, f->amount});
            continue;
        }
        const auto u = std::find_if(fl.used_up.begin(), fl.used_up.end(), same_benefit);
        if (u != fl.used_up.end())
            out.push_back({a.benefit.str(), *a.quota, u->quota, a.uses, 0, a.amount, money::zero(a.amount.currency_of())});
    }
    return out;
}

}  // namespace detail

LOYALTY_INLINE bill_comparison compare(const priced_order& estimate, const priced_order& final_bill) {
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
                                       line_name(fl.line) + " added: " + fl.net.to_string()});
            continue;
        }
        matched[*e] = true;
        const priced_line& el = estimate.lines[*e];
        if (el.line.quantity != fl.line.quantity)
            out.differences.push_back({difference_kind::quantity_changed, e, f, el.net, fl.net,
                                       line_name(fl.line) + ": quantity " + el.line.quantity.to_string() +
                                           " -> " + fl.line.quantity.to_string() + ", net " + el.net.to_string() +
                                           " -> " + fl.net.to_string()});
        else if (el.line.unit_price != fl.line.unit_price || el.line.flags != fl.line.flags)
            out.differences.push_back({difference_kind::price_changed, e, f, el.net, fl.net,
                                       line_name(fl.line) + ": unit price " + el.line.unit_price.to_string() +
                                           " -> " + fl.line.unit_price.to_string() +
                                           (el.line.flags != fl.line.flags ? " (flags changed)" : "") + ", net " +
                                           el.net.to_string() + " -> " + fl.net.to_string()});
        else if (detail::benefit_text(el) != detail::benefit_text(fl) || el.net != fl.net) {
            std::string why = line_name(fl.line) + ": benefits " + detail::benefit_text(el) + " -> " +
                              detail::benefit_text(fl) + ", net " + el.net.to_string() + " -> " + fl.net.to_string();
            std::vector<quota_change> quotas = detail::quota_changes(el, fl);
            // A benefit whose quota changed is said with both positions instead of the bill's note.
            for (const std::string& note : fl.notes) {
                const bool said = std::any_of(quotas.begin(), quotas.end(), [&](const quota_change& q) {
                    return note.compare(0, q.benefit.size() + 2, q.benefit + ": ") == 0;
                });
                if (!said) why += "; " + note;
            }
            for (const quota_change& q : quotas) why += "; " + describe(q);
            out.differences.push_back({difference_kind::benefit_changed, e, f, el.net, fl.net, why, std::move(quotas)});
        }
    }
    for (std::size_t i = 0; i < estimate.lines.size(); ++i)
        if (!matched[i])
            out.differences.push_back({difference_kind::line_removed, i, std::nullopt, estimate.lines[i].net, zero,
                                       line_name(estimate.lines[i].line) + " removed: was " +
                                           estimate.lines[i].net.to_string()});
    return out;
}

}  // namespace loyalty
