#pragma once
// When points expire. An expiry "on day D" takes effect at 00:00 local time of D.
#include <optional>
#include <string_view>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

enum class expiry_kind {
    never,
    months_after_earning,  // D = earn day + N months (clamped); or the 1st of the month after that, when to_end_of_month
    end_of_calendar_year,  // usable through 31 Dec of the Nth calendar year after the earning year
    inactivity,            // every point expires N months after the member's last activity
    days_after_earning,    // D = earn day + N days
    weeks_after_earning,   // D = earn day + 7N days
};

LOYALTY_INLINE std::string_view to_string(expiry_kind k) noexcept {
    switch (k) {
        case expiry_kind::never: return "never";
        case expiry_kind::months_after_earning: return "months_after_earning";
        case expiry_kind::end_of_calendar_year: return "end_of_calendar_year";
        case expiry_kind::inactivity: return "inactivity";
        case expiry_kind::days_after_earning: return "days_after_earning";
        case expiry_kind::weeks_after_earning: return "weeks_after_earning";
    }
    return "?";
}

struct expiry_policy {
    expiry_kind kind = expiry_kind::never;
    int months = 0;  // months_after_earning, inactivity
    int years = 0;   // end_of_calendar_year
    bool to_end_of_month = false;
    int days = 0;   // days_after_earning
    int weeks = 0;  // weeks_after_earning

    // The day a lot earned on `earned` expires (at its local midnight); none when lots
    // do not expire on their own (never, inactivity).
    std::optional<day> lot_expiry(day earned) const {
        switch (kind) {
            case expiry_kind::months_after_earning: {
                const day d = add_months(earned, months);
                if (!to_end_of_month) return d;
                const date::year_month_day ymd(d);
                return add_months(day(ymd.year() / ymd.month() / 1), 1);
            }
            case expiry_kind::end_of_calendar_year: {
                const date::year_month_day ymd(earned);
                return day((ymd.year() + date::years(years + 1)) / date::January / 1);
            }
            // Calendar days of the programme's zone: a day that is 23 or 25 hours long
            // (a daylight-saving change) still counts as one.
            case expiry_kind::days_after_earning: return earned + date::days(days);
            case expiry_kind::weeks_after_earning: return earned + date::days(7 * weeks);
            case expiry_kind::never:
            case expiry_kind::inactivity:
                return std::nullopt;
        }
        return std::nullopt;
    }

    // Under the inactivity policy, the day every point expires given the last activity day.
    std::optional<day> inactivity_expiry(day last_activity) const {
        if (kind != expiry_kind::inactivity) return std::nullopt;
        return add_months(last_activity, months);
    }
};

}  // namespace loyalty
