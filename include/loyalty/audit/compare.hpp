#pragma once
// What-if: the same journal replayed under two programmes, and what changes: points issued (per
// earning rule), discounts given (per benefit), points redeemed (per reward) and the liability
// (outstanding points and their value, revenue deferred), each per rule and in total. Programme
// designers cost a change before they make it. Pure: programmes and events in, figures out.
//
// Points issued are the `earn` entries (as in the roll-forward); discounts are the money the
// priced repair orders gave (price() on the member's state just before each closed order, as the
// engine prices it), less those of orders that were later reversed; points redeemed are the
// `redeem` entries less `redeem_cancel`; the liability is liability() as of `as_of`.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "loyalty/audit/liability.hpp"
#include "loyalty/audit/rollforward.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty {

struct compare_options {
    instant as_of;                            // the liability is measured at this instant (exclusive)
    std::optional<money> point_value;         // overrides each programme's point_value
    std::optional<decimal> redemption_rate;   // without it, no deferred revenue is compared
    rounding mode = rounding::half_up;
};

// One programme's figures over the journal.
struct programme_figures {
    std::size_t accepted = 0, refused = 0;
    std::map<std::string, points> issued_by_rule;
    std::map<std::string, money> discount_by_benefit;
    std::map<std::string, points> redeemed_by_reward;     // positive: points spent
    std::optional<money> point_value;                     // the one used, if any
    std::optional<liability_report> liability;            // when a point value and a rate are known
    points outstanding;                                   // points held in lots at as_of
    std::map<std::string, points> outstanding_by_rule;
};

enum class compare_measure { points_issued, discount_given, points_redeemed, points_outstanding, liability_value, deferred_revenue };

LOYALTY_INLINE std::string_view to_string(compare_measure m) noexcept {
    switch (m) {
        case compare_measure::points_issued: return "points_issued";
        case compare_measure::discount_given: return "discount_given";
        case compare_measure::points_redeemed: return "points_redeemed";
        case compare_measure::points_outstanding: return "points_outstanding";
        case compare_measure::liability_value: return "liability_value";
        case compare_measure::deferred_revenue: return "deferred_revenue";
    }
    return "?";
}

// One figure under both programmes. Points, or money in minor units of `currency`.
struct compare_line {
    compare_measure measure;
    std::string id;          // earning rule, benefit or reward; "" for the total
    bool is_money = false;
    std::int64_t before = 0, after = 0;
    std::int64_t difference() const { return checked::sub(after, before); }
};

struct compare_report {
    currency unit = currency::none();
    programme_figures before, after;
    std::vector<compare_line> lines;   // by measure, then id ("" total last)
    std::vector<std::string> notes;
};

// Replays the events of `journal` dated before as_of under `versions` and collects the figures.
LOYALTY_INLINE programme_figures programme_figures_of(const program_versions& versions, const std::vector<event>& journal,
                                              const compare_options& o) {
    programme_figures f;
    journal_runner run(versions);
    consideration_map paid;
    std::set<std::string> reversed;
    for (const event& e : journal) {
        if (!(e.at < o.as_of)) continue;  // the comparison is as of as_of
        const outcome out = apply_recording(run, e, paid);
        if (!out.accepted()) { ++f.refused; continue; }
        ++f.accepted;
        if (const auto* r = std::get_if<events::reverse>(&e.body); r && !r->partial()) reversed.insert(r->event_id);
    }
    const rollforward_line all = rollforward(run.entries(), instant::min(), o.as_of).total;
    f.issued_by_rule = all.earned_by_rule;
    for (const auto& [reward, n] : all.redeemed_by_reward) f.redeemed_by_reward[reward] = -n;
    for (const auto& [ev, c] : paid) {
        if (reversed.count(ev)) continue;
        for (const auto& [benefit, amount] : c.discounts) {
            auto it = f.discount_by_benefit.find(benefit);
            if (it == f.discount_by_benefit.end())
                f.discount_by_benefit.emplace(benefit, amount);
            else
                it->second += amount;
        }
    }
    const program* prog = versions.at(o.as_of);
    if (!prog && !versions.empty()) prog = &versions.latest();
    f.point_value = o.point_value ? o.point_value : (prog ? prog->point_value : std::nullopt);
    // Outstanding points need no value nor rate: measure them with rate 1 and a nominal value.
    liability_options lo;
    lo.as_of = o.as_of;
    lo.mode = o.mode;
    lo.point_value = f.point_value ? *f.point_value : money(1, prog ? prog->currency_unit : currency::none());
    lo.redemption_rate = o.redemption_rate ? *o.redemption_rate : decimal::integer(1);
    liability_report l = liability(run.entries(), paid, lo);
    f.outstanding = l.outstanding;
    for (const liability_line& line : l.by_rule) f.outstanding_by_rule[line.rule] = line.outstanding;
    if (f.point_value && o.redemption_rate) f.liability = std::move(l);
    return f;
}

namespace detail {

template <class V, class Units>
void compare_maps(compare_report& r, compare_measure m, bool is_money, const std::map<std::string, V>& a,
                  const std::map<std::string, V>& b, Units units) {
    std::set<std::string> ids;
    for (const auto& kv : a) ids.insert(kv.first);
    for (const auto& kv : b) ids.insert(kv.first);
    compare_line total{m, "", is_money, 0, 0};
    for (const std::string& id : ids) {
        compare_line line{m, id, is_money, 0, 0};
        if (auto it = a.find(id); it != a.end()) line.before = units(it->second);
        if (auto it = b.find(id); it != b.end()) line.after = units(it->second);
        total.before = checked::add(total.before, line.before);
        total.after = checked::add(total.after, line.after);
        r.lines.push_back(line);
    }
    r.lines.push_back(total);
}

}  // namespace detail

// The journal under `before` and under `after`, and the differences.
LOYALTY_INLINE compare_report compare_programmes(const program_versions& before, const program_versions& after,
                                         const std::vector<event>& journal, const compare_options& o) {
    compare_report r;
    r.unit = before.empty() ? currency::none() : before.latest().currency_unit;
    if (!after.empty() && after.latest().currency_unit != r.unit)
        throw error("loyalty.compare.currency_mismatch", "the programmes are in different currencies");
    r.before = programme_figures_of(before, journal, o);
    r.after = programme_figures_of(after, journal, o);
    const auto pts = [](points p) { return p.count(); };
    const auto minor = [](const money& m) { return m.minor_units(); };
    detail::compare_maps(r, compare_measure::points_issued, false, r.before.issued_by_rule, r.after.issued_by_rule, pts);
    detail::compare_maps(r, compare_measure::discount_given, true, r.before.discount_by_benefit,
                         r.after.discount_by_benefit, minor);
    detail::compare_maps(r, compare_measure::points_redeemed, false, r.before.redeemed_by_reward,
                         r.after.redeemed_by_reward, pts);
    detail::compare_maps(r, compare_measure::points_outstanding, false, r.before.outstanding_by_rule,
                         r.after.outstanding_by_rule, pts);
    if (r.before.point_value && r.after.point_value) {
        std::map<std::string, money> a, b;
        for (const auto& [rule, n] : r.before.outstanding_by_rule)
            a.emplace(rule, money(checked::mul(n.count(), r.before.point_value->minor_units()), r.unit));
        for (const auto& [rule, n] : r.after.outstanding_by_rule)
            b.emplace(rule, money(checked::mul(n.count(), r.after.point_value->minor_units()), r.unit));
        detail::compare_maps(r, compare_measure::liability_value, true, a, b, minor);
    } else {
        r.notes.push_back("no point value (programme point_value or an override): liability values not compared");
    }
    if (r.before.liability && r.after.liability) {
        std::map<std::string, money> a, b;
        for (const liability_line& line : r.before.liability->by_rule) a.emplace(line.rule, line.deferred_balance());
        for (const liability_line& line : r.after.liability->by_rule) b.emplace(line.rule, line.deferred_balance());
        detail::compare_maps(r, compare_measure::deferred_revenue, true, a, b, minor);
    } else if (!o.redemption_rate) {
        r.notes.push_back("no expected redemption rate: deferred revenue not compared");
    }
    return r;
}

}  // namespace loyalty
