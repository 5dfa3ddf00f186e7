#pragma once
// Tiers: ordered membership levels (silver, gold, platinum) gained on qualifying measures
// counted over a window, kept on a lower `retain` threshold, with an earning multiplier each.
// Definitions only; qualify.hpp evaluates them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"

namespace loyalty {

// What a member has done in a window toward tier status. Qualifying points are the points the
// earning rules gave (with every multiplier), never adjustments or transfers, and spending
// points does not lower them; spend is money the member paid (closed repair orders, vehicle
// purchases); visits are paid visits; vehicles are vehicle purchases (each counts 1).
struct qualifying_totals {
    points earned;
    money spend;
    std::int64_t visits = 0;
    std::int64_t vehicles = 0;
};

// A threshold on one or more measures; the member meets it when any stated measure is reached.
struct tier_threshold {
    std::optional<points> qualifying_points;
    std::optional<money> spend;
    std::optional<std::int64_t> visits;
    std::optional<std::int64_t> vehicles;

    bool stated() const noexcept { return qualifying_points || spend || visits || vehicles; }

    // The first measure met, described with its figures ("qualifying points 5200 >= 5000"), or
    // empty when none is met.
    std::string met_by(const qualifying_totals& t) const {
        if (qualifying_points && t.earned >= *qualifying_points)
            return "qualifying points " + to_string(t.earned) + " >= " + to_string(*qualifying_points);
        if (spend && t.spend >= *spend) return "qualifying spend " + to_string(t.spend) + " >= " + to_string(*spend);
        if (visits && t.visits >= *visits)
            return "paid visits " + std::to_string(t.visits) + " >= " + std::to_string(*visits);
        if (vehicles && t.vehicles >= *vehicles)
            return "vehicles bought " + std::to_string(t.vehicles) + " >= " + std::to_string(*vehicles);
        return {};
    }
    // Whether met_by() would name a measure, without writing its text (evaluated on every event).
    bool meets(const qualifying_totals& t) const {
        return (qualifying_points && t.earned >= *qualifying_points) || (spend && t.spend >= *spend) ||
               (visits && t.visits >= *visits) || (vehicles && t.vehicles >= *vehicles);
    }
    // Every stated measure with its figures, for a threshold that was not met.
    std::string short_of(const qualifying_totals& t) const {
        std::string s;
        auto add = [&](const std::string& part) { s += (s.empty() ? "" : ", ") + part; };
        if (qualifying_points) add("qualifying points " + to_string(t.earned) + " < " + to_string(*qualifying_points));
        if (spend) add("qualifying spend " + to_string(t.spend) + " < " + to_string(*spend));
        if (visits) add("paid visits " + std::to_string(t.visits) + " < " + std::to_string(*visits));
        if (vehicles) add("vehicles bought " + std::to_string(t.vehicles) + " < " + std::to_string(*vehicles));
        return s;
    }
};

struct tier {
    std::string id;
    std::string name;
    tier_threshold qualify;           // reached within the window: upgrade at once
    tier_threshold retain;            // reached within the reviewed window: the tier is kept
    std::optional<decimal> multiplier;  // on every earning rule, like the programme's multipliers
};

// How long a downgrade waits after the judged window ends: N local days, or N calendar months
// (a calendar-year window with three months' grace is reviewed on 1 April, whatever the year's
// length). What the member does in the grace also retains the tier. At most one is set.
struct tier_grace {
    int days = 0;
    int months = 0;

    bool any() const noexcept { return days > 0 || months > 0; }
    // The local day of the review of a window whose end (exclusive) is `window_end`. A month
    // that has no such day ends it: a window ending on 31 January with one month's grace is
    // reviewed on the last day of February.
    day review_of(day window_end) const { return months > 0 ? add_months(window_end, months) : window_end + date::days(days); }
    // "31 grace day(s)", "3 grace month(s)".
    std::string describe() const {
        return months > 0 ? std::to_string(months) + " grace month(s)" : std::to_string(days) + " grace day(s)";
    }
    friend bool operator==(const tier_grace& a, const tier_grace& b) { return a.days == b.days && a.months == b.months; }
};

// The programme's tiers, lowest first. Thresholds rise strictly from tier to tier.
struct tier_policy {
    std::vector<tier> tiers;
    period window;                   // calendar_year, anniversary_year, calendar_month or rolling_days N
    tier_grace grace;                // a downgrade waits this long after the window ends
    std::optional<int> max_steps;    // a review drops at most this many tiers (none: no limit)

    // Position of a tier (0 = lowest), or -1 when the id is not a tier of the programme.
    int index_of(const std::string& id) const noexcept {
        for (std::size_t i = 0; i < tiers.size(); ++i)
            if (tiers[i].id == id) return static_cast<int>(i);
        return -1;
    }
    const tier* find(const std::string& id) const noexcept {
        const int i = index_of(id);
        return i < 0 ? nullptr : &tiers[static_cast<std::size_t>(i)];
    }
};

// A reward's or benefit's `tiers` list: empty means every member; else the member's tier must
// be on it. The text says why not, for a refusal or a pricing note.
LOYALTY_INLINE bool tier_allowed(const std::vector<std::string>& tiers, const std::string& held) {
    for (const std::string& t : tiers)
        if (t == held) return true;
    return tiers.empty();
}
LOYALTY_INLINE std::string why_tier_not_allowed(const std::vector<std::string>& tiers, const std::string& held) {
    std::string list;
    for (const std::string& t : tiers) list += (list.empty() ? "" : ", ") + t;
    return "limited to tiers " + list + "; the member holds " + (held.empty() ? std::string("no tier") : held);
}

}  // namespace loyalty
