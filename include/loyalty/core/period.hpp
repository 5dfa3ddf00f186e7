#pragma once
// Periods over which caps, quotas and windows are counted: calendar year, calendar month,
// membership anniversary year, rolling N days. All are half-open ranges of local days.
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

// [first, end): the days d with first <= d < end.
struct day_range {
    day first;
    day end;
    bool contains(day d) const noexcept { return first <= d && d < end; }
    friend bool operator==(const day_range& a, const day_range& b) noexcept {
        return a.first == b.first && a.end == b.end;
    }
};

enum class period_kind { calendar_year, calendar_month, anniversary_year, rolling_days };

LOYALTY_INLINE std::string_view to_string(period_kind k) noexcept {
    switch (k) {
        case period_kind::calendar_year: return "calendar_year";
        case period_kind::calendar_month: return "calendar_month";
        case period_kind::anniversary_year: return "anniversary_year";
        case period_kind::rolling_days: return "rolling_days";
    }
    return "?";
}

LOYALTY_INLINE std::optional<period_kind> parse_period_kind(std::string_view s) noexcept {
    for (period_kind k : {period_kind::calendar_year, period_kind::calendar_month,
                          period_kind::anniversary_year, period_kind::rolling_days})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

struct period {
    period_kind kind = period_kind::calendar_year;
    int days = 0;  // length of a rolling_days window; 0 for the other kinds

    // The period that contains day d. `anniversary` is the membership start date, used by
    // anniversary_year (an anniversary on 29 Feb falls on 28 Feb in common years).
    day_range containing(day d, day anniversary) const {
        const date::year_month_day ymd(d);
        switch (kind) {
            case period_kind::calendar_year: {
                const day first{ymd.year() / date::January / 1};
                return {first, day{(ymd.year() + date::years(1)) / date::January / 1}};
            }
            case period_kind::calendar_month: {
                const day first{ymd.year() / ymd.month() / 1};
                return {first, add_months(first, 1)};
            }
            case period_kind::anniversary_year: {
                int k = static_cast<int>(ymd.year()) - static_cast<int>(date::year_month_day(anniversary).year());
                if (add_years(anniversary, k) > d) --k;
                return {add_years(anniversary, k), add_years(anniversary, k + 1)};
            }
            case period_kind::rolling_days:
                return {d - date::days(days - 1), d + date::days(1)};
        }
        return {d, d};
    }

    std::string describe() const {
        if (kind == period_kind::rolling_days) return "rolling " + std::to_string(days) + " days";
        return std::string(to_string(kind));
    }
    friend bool operator==(const period& a, const period& b) noexcept { return a.kind == b.kind && a.days == b.days; }
    friend bool operator!=(const period& a, const period& b) noexcept { return !(a == b); }
};

}  // namespace loyalty
