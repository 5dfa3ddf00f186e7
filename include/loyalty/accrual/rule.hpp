#pragma once
// Earning rules: how an event turns into points.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/program/funding.hpp"
#include "loyalty/program/line_filter.hpp"

namespace loyalty {

// Whether a rule or multiplier limited to `tiers` (empty: no limit) applies to a member of `held`.
LOYALTY_INLINE bool open_to_tier(const std::vector<std::string>& tiers, const std::string& held) {
    return tiers.empty() || std::find(tiers.begin(), tiers.end(), held) != tiers.end();
}

struct period_cap {
    period over;
    points limit;
};

// Recurring local days a promotion runs on: "the store's maintenance day" (the 18th of each
// month, every Wednesday). Empty lists put no condition; both given, a day must match both.
struct day_pattern {
    std::vector<unsigned> days_of_month;  // 1..31
    std::vector<unsigned> weekdays;       // 0 = Sunday .. 6 = Saturday

    bool empty() const noexcept { return days_of_month.empty() && weekdays.empty(); }
    bool matches(day d) const {
        const auto contains = [](const std::vector<unsigned>& v, unsigned x) {
            for (unsigned y : v)
                if (y == x) return true;
            return false;
        };
        if (!days_of_month.empty() && !contains(days_of_month, static_cast<unsigned>(date::year_month_day(d).day())))
            return false;
        return weekdays.empty() || contains(weekdays, date::weekday(d).c_encoding());
    }
};

// When a birthday bonus may be given: in the member's birthday month, or within `days` days
// either side of the birthday, in the programme's time zone. A 29 February birthday falls on
// 28 February in years without one.
struct birthday_window {
    bool whole_month = true;
    int days = 0;  // when not whole_month

    bool contains(day today, unsigned month, unsigned dom) const {
        const date::year_month_day t(today);
        if (whole_month) return static_cast<unsigned>(t.month()) == month;
        // The birthday in the years around `today`, clamped to the month's last day.
        for (int dy = -1; dy <= 1; ++dy) {
            const date::year y = t.year() + date::years(dy);
            const date::year_month_day_last last(y, date::month_day_last(date::month(month)));
            const unsigned d = std::min(dom, static_cast<unsigned>(last.day()));
            const day b = date::sys_days(date::year_month_day(y, date::month(month), date::day(d)));
            const auto gap = (today - b).count();
            if (-days <= gap && gap <= days) return true;
        }
        return false;
    }
};

// How the earning rules of one group combine on an event (docs/program-format.md, "How rules
// combine"): every rule that gives points adds them (add), or only one of them gives points:
// the one giving the most, the first in programme order on a tie (best_for_member), or the first
// in programme order (first_match). The programme's `combine` is that of the rules in no group.
enum class rule_combine { add, best_for_member, first_match };

LOYALTY_INLINE std::string_view to_string(rule_combine c) noexcept {
    switch (c) {
        case rule_combine::add: return "add";
        case rule_combine::best_for_member: return "best_for_member";
        case rule_combine::first_match: return "first_match";
    }
    return "?";
}

// A group of earning rules of which one earns (an exclusive `combine`), or all (add).
struct rule_group {
    std::string id;
    std::string description;
    rule_combine combine = rule_combine::add;
};

enum class earning_kind {
    per_amount,   // points_per_unit points for each major currency unit the member pays
    fixed_bonus,  // a fixed number of points per qualifying event
};

struct earning_rule {
    std::string id;
    std::string description;
    earning_kind kind = earning_kind::fixed_bonus;
    std::vector<event_type> on;       // event types the rule listens to
    line_filter lines;                // per_amount on repair orders
    decimal points_per_unit;          // per_amount: points per 1.00, or per `per` (a ratio rate)
    std::optional<money> per;         // a ratio rate ("3 points per 7.00"): the amount; never with carry_remainder
    points bonus;                     // fixed_bonus
    std::optional<rounding> rounding_mode;  // else the programme's default
    std::optional<instant> effective_from;  // inclusive
    std::optional<instant> effective_to;    // exclusive
    std::optional<points> max_per_event;
    std::optional<period_cap> max_per_period;
    day_pattern on_days;                    // promotions on recurring days (local)
    std::optional<birthday_window> birthday;  // birthday rules: when the bonus may be given
    bool once_per_repair_order = false;     // survey rules: the survey names a closed RO, once each
    bool carry_remainder = false;           // carry the rounding remainder per member instead of dropping it
    std::vector<std::string> tiers;         // empty: every member; else a promotion for these tiers only
    funding_terms funding;                  // who pays for its points (program/funding.hpp)
    int group = -1;                         // index into program::rule_groups; -1: none (program::combine)

    bool listens_to(event_type t) const {
        for (event_type e : on)
            if (e == t) return true;
        return false;
    }
    bool effective_at(instant t) const {
        return (!effective_from || *effective_from <= t) && (!effective_to || t < *effective_to);
    }
};

// A date-windowed multiplier ("double points in May") on the named rules (all when empty).
// Several active multipliers on one rule multiply together; the product is rounded once.
struct multiplier {
    std::string id;
    std::string description;
    decimal factor;
    instant from;  // inclusive
    instant to;    // exclusive
    std::vector<std::string> rules;
    day_pattern on_days;  // only on these recurring local days (the maintenance day), if given
    std::vector<std::string> tiers;  // empty: every member; else only members holding one of these tiers

    // `today` is t's local day in the programme's time zone.
    bool applies(const std::string& rule_id, instant t, day today) const {
        return in_window(rule_id, t) && (on_days.empty() || on_days.matches(today));
    }
    // In force at t on the rule, whatever the day.
    bool in_window(const std::string& rule_id, instant t) const {
        if (t < from || !(t < to)) return false;
        if (rules.empty()) return true;
        for (const std::string& r : rules)
            if (r == rule_id) return true;
        return false;
    }
};

}  // namespace loyalty
