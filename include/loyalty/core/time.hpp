#pragma once
// Time: instants are UTC seconds; calendar questions (which business day, which period,
// when does a lot expire) are answered in the programme's IANA time zone with date/tz.h.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

using instant = date::sys_seconds;
using day = date::sys_days;  // a calendar date (no zone attached), counted in days

namespace detail {

LOYALTY_INLINE void put_digits(char* out, unsigned value, int width) noexcept {
    for (int i = width - 1; i >= 0; --i, value /= 10) out[i] = static_cast<char>('0' + value % 10);
}

}  // namespace detail

// Writes "2026-03-01" (10 bytes) at `p` and returns its end, for years 0000..9999; nullptr,
// writing nothing, for other years (append_day writes those through date::format). Written by
// hand: it is on the ledger's and the snapshots' hot path, and date::format goes through an
// ostringstream.
LOYALTY_INLINE char* write_day_digits(char* p, day d) noexcept {
    const date::year_month_day ymd(d);
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > 9999) return nullptr;
    detail::put_digits(p, static_cast<unsigned>(y), 4);
    p[4] = '-';
    detail::put_digits(p + 5, static_cast<unsigned>(ymd.month()), 2);
    p[7] = '-';
    detail::put_digits(p + 8, static_cast<unsigned>(ymd.day()), 2);
    return p + 10;
}

// Writes "T10:00:00Z" (10 bytes), the time of day of `t` in UTC, at `p`; returns its end.
LOYALTY_INLINE char* write_time_digits(char* p, instant t) noexcept {
    const auto s = static_cast<unsigned>((t - date::floor<date::days>(t)).count());
    p[0] = 'T';
    detail::put_digits(p + 1, s / 3600, 2);
    p[3] = ':';
    detail::put_digits(p + 4, s / 60 % 60, 2);
    p[6] = ':';
    detail::put_digits(p + 7, s % 60, 2);
    p[9] = 'Z';
    return p + 10;
}

// Writes "2026-03-01T10:00:00Z" (20 bytes) at `p` and returns its end, for years 0000..9999;
// nullptr, writing nothing, for other years (append_instant writes those).
LOYALTY_INLINE char* write_instant_digits(char* p, instant t) noexcept {
    char* const end = write_day_digits(p, date::floor<date::days>(t));
    return end ? write_time_digits(end, t) : nullptr;
}

// Appends "2026-03-01" to `out` (years outside 0000..9999 as date::format writes them).
LOYALTY_INLINE void append_day(std::string& out, day d) {
    char buf[10];
    if (write_day_digits(buf, d)) out.append(buf, sizeof buf);
    else out += date::format("%F", d);
}

// Appends "2026-03-01T10:00:00Z" to `out`.
LOYALTY_INLINE void append_instant(std::string& out, instant t) {
    char buf[10];
    append_day(out, date::floor<date::days>(t));
    out.append(buf, static_cast<std::size_t>(write_time_digits(buf, t) - buf));
}

// "2026-03-01"
LOYALTY_INLINE std::string format_day(day d) {
    std::string out;
    append_day(out, d);
    return out;
}

// "2026-03-01T10:00:00Z"
LOYALTY_INLINE std::string format_instant(instant t) {
    std::string out;
    out.reserve(20);
    append_instant(out, t);
    return out;
}

namespace detail {

// Reads exactly n decimal digits at text[pos]; -1 when they are not all digits.
LOYALTY_INLINE int read_digits(std::string_view text, std::size_t pos, std::size_t n) noexcept {
    if (pos + n > text.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (text[i] < '0' || text[i] > '9') return -1;
        v = v * 10 + (text[i] - '0');
    }
    return v;
}

}  // namespace detail

// "2026-03-01" (ISO 8601 calendar date); invalid dates such as 2026-02-30 are refused.
LOYALTY_INLINE std::optional<day> parse_day(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const int y = detail::read_digits(text, 0, 4), m = detail::read_digits(text, 5, 2), d = detail::read_digits(text, 8, 2);
    if (y < 0 || m < 0 || d < 0) return std::nullopt;
    const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(m)), date::day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    return day(ymd);
}

// "2026-03-01T10:00:00Z" or "2026-03-01T18:00:00+08:00" (RFC 3339, whole seconds only).
// Parsed by hand rather than with date::parse: it is strict about the shape and it sits on
// the hot path of event loading.
LOYALTY_INLINE std::optional<instant> parse_instant(std::string_view text) noexcept {
    if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
    const auto d = parse_day(text.substr(0, 10));
    const int hh = detail::read_digits(text, 11, 2), mm = detail::read_digits(text, 14, 2), ss = detail::read_digits(text, 17, 2);
    if (!d || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return std::nullopt;
    int offset_minutes = 0;
    const std::string_view zone = text.substr(19);
    if (zone == "Z") {
        offset_minutes = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        const int oh = detail::read_digits(zone, 1, 2), om = detail::read_digits(zone, 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
        offset_minutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    } else {
        return std::nullopt;
    }
    return instant{d->time_since_epoch()} + std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss) -
           std::chrono::minutes(offset_minutes);
}

// The instants events may carry: 1970-01-01T00:00:00Z .. 2199-12-31T23:59:59Z (the event
// loader refuses others, loyalty.event.out_of_range). Every date the engine computes from such
// an instant is at most about a century away from it (the longest: an expiry 1,200 months or
// 100 calendar years later, so no later than 2300-12-31), far inside the years 0000..9999 that
// format_day writes in four digits and parse_day reads back: whatever is accepted can be
// stored and read back (docs/events.md).
inline constexpr instant earliest_supported_instant{std::chrono::seconds(0)};
inline constexpr instant latest_supported_instant{std::chrono::seconds(7258118399)};  // 2200-01-01T00:00:00Z - 1 s
inline constexpr bool is_supported_instant(instant t) noexcept {
    return earliest_supported_instant <= t && t <= latest_supported_instant;
}
// The calendar dates of that range: a day an event names (a rebate's `period_of`).
LOYALTY_INLINE bool is_supported_day(day d) noexcept {
    return date::floor<date::days>(earliest_supported_instant) <= d && d <= date::floor<date::days>(latest_supported_instant);
}

// Adds calendar months; a day past the end of the target month clamps to its last day
// (31 Jan + 1 month = 28 or 29 Feb). This is a stated rule of the library.
LOYALTY_INLINE day add_months(day d, int months) {
    const date::year_month_day ymd(d);
    const date::year_month ym = date::year_month(ymd.year(), ymd.month()) + date::months(months);
    const date::day last = date::year_month_day_last(ym.year(), date::month_day_last(ym.month())).day();
    return day(date::year_month_day(ym.year(), ym.month(), ymd.day() > last ? last : ymd.day()));
}
LOYALTY_INLINE day add_years(day d, int years) { return add_months(d, 12 * years); }

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
    // The engine asks this several times per event, nearly always inside the same stretch of
    // one UTC offset, so the last stretch found (date's sys_info: [begin, end) and its offset)
    // is kept per thread and reused while the instant falls inside it: the same answer as
    // zone_->to_local(t), without date's search of the zone's transitions.
    day local_day(instant t) const {
        struct stretch {
            const date::time_zone* zone = nullptr;
            instant begin, end;
            std::chrono::seconds offset{0};
        };
        thread_local stretch last;
        if (last.zone != zone_ || t < last.begin || !(t < last.end)) {
            const date::sys_info info = zone_->get_info(t);
            last = {zone_, info.begin, info.end, info.offset};
        }
        return date::floor<date::days>(t + last.offset);
    }

    // 00:00 local time of d, as an instant. When midnight does not exist (a DST gap at
    // midnight) the day starts at the end of the gap; when it occurs twice, at the first.
    // Expiries ask this for every lot on every event, so answers are kept per thread in a
    // small table indexed by day (a zone's rules never change once loaded): a hit returns
    // exactly what find_start_of() returned for that zone and day.
    instant start_of(day d) const {
        struct slot {
            const date::time_zone* zone = nullptr;
            day d{};
            instant start{};
        };
        thread_local slot table[256];
        slot& s = table[static_cast<std::size_t>(d.time_since_epoch().count()) & 255u];
        if (s.zone != zone_ || s.d != d) s = {zone_, d, find_start_of(d)};
        return s.start;
    }

    // The instant as a person in the zone reads it, RFC 3339 with the local offset:
    // "2025-01-10T10:00:00+08:00" for 2025-01-10T02:00:00Z in Asia/Shanghai. For text meant for
    // people; JSON and the ledger keep UTC (format_instant).
    std::string format_local(instant t) const {
        const std::chrono::seconds offset = zone_->get_info(t).offset;
        std::string out;
        append_instant(out, t + offset);
        out.pop_back();  // the "Z"
        const long long minutes = offset.count() / 60;  // a zone's offset: within a day
        const long long m = minutes < 0 ? -minutes : minutes;
        char buf[48];  // "+HH:MM"; room for any long long, which the compiler cannot bound
        std::snprintf(buf, sizeof buf, "%c%02lld:%02lld", minutes < 0 ? '-' : '+', m / 60, m % 60);
        out += buf;
        return out;
    }

    friend bool operator==(const time_zone& a, const time_zone& b) noexcept { return a.zone_ == b.zone_; }
    friend bool operator!=(const time_zone& a, const time_zone& b) noexcept { return a.zone_ != b.zone_; }

private:
    instant find_start_of(day d) const {
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

    explicit time_zone(const date::time_zone* z) noexcept : zone_(z) {}
    const date::time_zone* zone_;
};

}  // namespace loyalty
