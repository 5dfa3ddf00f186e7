#pragma once
// Time: instants are UTC seconds; calendar questions (which business day, which period,
// when does a lot expire) are answered in the programme's IANA time zone with date/tz.h.
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "loyalty/core/error.hpp"

namespace loyalty {

using instant = date::sys_seconds;
using day = date::sys_days;  // a calendar date (no zone attached), counted in days

inline std::string format_instant(instant t) { return date::format("%FT%TZ", t); }
inline std::string format_day(day d) { return date::format("%F", d); }

// "2026-03-01T10:00:00Z" or "2026-03-01T18:00:00+08:00"; whole seconds only.
inline std::optional<instant> parse_instant(std::string_view text) {
    const std::string s(text);
    const bool zulu = !s.empty() && s.back() == 'Z';
    std::istringstream in(zulu ? s.substr(0, s.size() - 1) : s);
    instant t;
    if (zulu) {
        in >> date::parse("%FT%T", t);
    } else {
        std::chrono::minutes offset{};
        in >> date::parse("%FT%T%Ez", t, offset);  // date::parse already subtracts the offset
    }
    if (in.fail() || in.peek() != std::char_traits<char>::eof()) return std::nullopt;
    // %T would accept a fraction of a second on some inputs; require the exact shape.
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return std::nullopt;
    return t;
}

// "2026-03-01"
inline std::optional<day> parse_day(std::string_view text) {
    if (text.size() != 10) return std::nullopt;
    std::istringstream in{std::string(text)};
    date::year_month_day ymd{};
    in >> date::parse("%F", ymd);
    if (in.fail() || !ymd.ok()) return std::nullopt;
    return day(ymd);
}

// Adds calendar months; a day past the end of the target month clamps to its last day
// (31 Jan + 1 month = 28 or 29 Feb). This is a stated rule of the library.
inline day add_months(day d, int months) {
    const date::year_month_day ymd(d);
    const date::year_month ym = date::year_month(ymd.year(), ymd.month()) + date::months(months);
    const date::day last = date::year_month_day_last(ym.year(), date::month_day_last(ym.month())).day();
    return day(date::year_month_day(ym.year(), ym.month(), ymd.day() > last ? last : ymd.day()));
}
inline day add_years(day d, int years) { return add_months(d, 12 * years); }

// A programme's time zone. Looking the zone up reads the OS time-zone database, so it is
// done once, when the programme is loaded, never inside the engine.
class time_zone {
public:
    static time_zone locate(const std::string& name) {
        try {
            return time_zone(date::locate_zone(name));
        } catch (const std::exception&) {
            throw error("loyalty.time.unknown_zone", "unknown IANA time zone '" + name + "'");
        }
    }
    std::string_view name() const { return zone_->name(); }

    // The local calendar date of an instant: the business day it belongs to.
    day local_day(instant t) const {
        return day(date::floor<date::days>(zone_->to_local(t)).time_since_epoch());
    }

    // 00:00 local time of d, as an instant. When midnight does not exist (a DST gap at
    // midnight) the day starts at the end of the gap; when it occurs twice, at the first.
    instant start_of(day d) const {
        const date::local_seconds midnight{d.time_since_epoch()};
        const date::local_info info = zone_->get_info(midnight);
        switch (info.result) {
            case date::local_info::unique:
                return instant{midnight.time_since_epoch() - info.first.offset};
            case date::local_info::nonexistent:
                return info.second.begin;
            case date::local_info::ambiguous:
            default:
                return instant{midnight.time_since_epoch() - info.first.offset};
        }
    }

    friend bool operator==(const time_zone& a, const time_zone& b) noexcept { return a.zone_ == b.zone_; }
    friend bool operator!=(const time_zone& a, const time_zone& b) noexcept { return a.zone_ != b.zone_; }

private:
    explicit time_zone(const date::time_zone* z) noexcept : zone_(z) {}
    const date::time_zone* zone_;
};

}  // namespace loyalty
