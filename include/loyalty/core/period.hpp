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
    // Each date is split into year, month and day once (the engine asks on every event: the
    // usage horizon, quotas, caps); the anniversary years are those add_years() gives.
    day_range containing(day d, day anniversary) const {
        const date::year_month_day ymd(d);
        switch (kind) {
            case period_kind::calendar_year: {
                const day first{ymd.year() / date::January / 1};
                return {first, day{(ymd.year() + date::years(1)) / date::January / 1}};
            }
            case period_kind::calendar_month: {
                const date::year_month month = ymd.year() / ymd.month();
                return {day{month / 1}, day{(month + date::months(1)) / 1}};
            }
            case period_kind::anniversary_year: {
                const date::year_month_day a(anniversary);
                // The anniversary in year y: its month and day, or the month's last day when the
                // month is shorter (29 February in a common year), as add_years() clamps.
                const auto in_year = [&a](date::year y) {
                    const date::year_month_day x = y / a.month() / a.day();
                    return x.ok() ? day{x} : day{y / a.month() / date::last};
                };
                date::year y = ymd.year();
                day first = in_year(y);
                if (first > d) first = in_year(--y);
                return {first, in_year(y + date::years(1))};
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
