#pragma once
// Earning rules: how an event turns into points.
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/program/line_filter.hpp"

namespace loyalty {

struct period_cap {
    period over;
    points limit;
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
    decimal points_per_unit;          // per_amount
    points bonus;                     // fixed_bonus
    std::optional<rounding> rounding_mode;  // else the programme's default
    std::optional<instant> effective_from;  // inclusive
    std::optional<instant> effective_to;    // exclusive
    std::optional<points> max_per_event;
    std::optional<period_cap> max_per_period;

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

    bool applies(const std::string& rule_id, instant t) const {
        if (t < from || !(t < to)) return false;
        if (rules.empty()) return true;
        for (const std::string& r : rules)
            if (r == rule_id) return true;
        return false;
    }
};

}  // namespace loyalty
