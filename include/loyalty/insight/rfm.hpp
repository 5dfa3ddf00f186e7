#pragma once
// RFM scores of a member at an as-of instant: recency (days since the last paid visit),
// frequency (paid visits within the window) and monetary value (money paid within the window),
// each scored 1..5 by the rules' bands. Days are local days in the programme's time zone.
#include <cstdint>
#include <optional>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/insight/history.hpp"
#include "loyalty/insight/rules.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct rfm_scores {
    int recency = 1;
    int frequency = 1;
    int monetary = 1;
    std::optional<std::int64_t> days_since_paid_visit;  // none: no paid visit up to the as-of instant
    std::int64_t visits = 0;                            // paid visits within the window
    money paid;                                         // money paid within the window
    day_range window{};                                 // the window's local days, [first, end)
};

// The last `window_days` local days up to and including the as-of day.
LOYALTY_INLINE day_range value_window(day as_of_day, std::int64_t window_days) {
    return {as_of_day - date::days(window_days - 1), as_of_day + date::days(1)};
}

LOYALTY_INLINE std::int64_t days_between(day from, day to) { return (to - from).count(); }

// Scores of one dimension: thresholds are strictly increasing (the loader refuses others).
LOYALTY_INLINE int recency_score(const std::optional<std::int64_t>& days, const std::array<std::int64_t, 4>& at_most) {
    if (!days) return 1;
    for (std::size_t i = 0; i < at_most.size(); ++i)
        if (*days <= at_most[i]) return 5 - static_cast<int>(i);
    return 1;
}
template <class T>
int at_least_score(const T& value, const std::array<T, 4>& at_least) {
    int score = 1;
    for (const T& threshold : at_least)
        if (!(value < threshold)) ++score;
    return score;
}

LOYALTY_INLINE rfm_scores score_rfm(const program& prog, const member_history& h, instant as_of, const member_value_rules& rules) {
    rfm_scores s;
    const day today = prog.zone.local_day(as_of);
    s.window = value_window(today, rules.window_days);
    s.paid = money::zero(prog.currency_unit);
    std::optional<day> last;
    for (const visit& v : h.visits) {
        if (!v.is_paid() || !v.stands_at(as_of)) continue;
        const day d = prog.zone.local_day(v.at);
        if (!last || *last < d) last = d;
        if (s.window.contains(d)) {
            ++s.visits;
            s.paid += v.paid;
        }
    }
    if (last) s.days_since_paid_visit = days_between(*last, today);
    s.recency = recency_score(s.days_since_paid_visit, rules.bands.recency_days);
    s.frequency = at_least_score(s.visits, rules.bands.frequency_visits);
    s.monetary = at_least_score(s.paid.amount(), rules.bands.monetary_amounts);
    return s;
}

}  // namespace loyalty
