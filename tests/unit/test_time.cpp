// Instants, days, month arithmetic, time zones (business days, start of day across DST)
// and the periods that quotas and windows are counted over.
#include <ostream>
#include <string>
#include <tuple>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/core/period.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {
// Readable failure messages for ranges of days.
inline void PrintTo(const day_range& r, std::ostream* os) {
    *os << "[" << format_day(r.first) << ", " << format_day(r.end) << ")";
}
}  // namespace loyalty

namespace unit_time {

namespace {

using namespace std::chrono_literals;
using loyalty::day;
using loyalty::day_range;
using loyalty::instant;
using loyalty::period;
using loyalty::period_kind;
using loyalty::time_zone;

instant at(const std::string& text) {
    auto t = loyalty::parse_instant(text);
    if (!t) throw std::runtime_error("test expected instant '" + text + "' to parse");
    return *t;
}

day on(const std::string& text) {
    auto d = loyalty::parse_day(text);
    if (!d) throw std::runtime_error("test expected day '" + text + "' to parse");
    return *d;
}

// An instant built from its parts, independently of parse_instant.
instant utc(int y, unsigned m, unsigned d, std::chrono::seconds time_of_day) {
    return instant{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} + time_of_day;
}

TEST(ParseInstant, UtcAndOffsets) {
    EXPECT_EQ(at("2026-03-01T10:00:00Z"), utc(2026, 3, 1, 10h));
    // 18:00 at +08:00 is 10:00 UTC.
    EXPECT_EQ(at("2026-03-01T18:00:00+08:00"), utc(2026, 3, 1, 10h));
    // 02:00 at +08:00 is 18:00 UTC the day before.
    EXPECT_EQ(at("2026-01-01T02:00:00+08:00"), utc(2025, 12, 31, 18h));
    // 10:00 at -05:30 is 15:30 UTC.
    EXPECT_EQ(at("2026-03-01T10:00:00-05:30"), utc(2026, 3, 1, 15h + 30min));
    EXPECT_EQ(at("2026-03-01T10:00:00+00:00"), at("2026-03-01T10:00:00Z"));
    EXPECT_EQ(at("1970-01-01T00:00:00Z").time_since_epoch(), 0s);
    EXPECT_EQ(at("2024-02-29T23:59:59Z"), utc(2024, 2, 29, 23h + 59min + 59s));
}

TEST(ParseInstant, MalformedTextIsRefused) {
    for (const char* text : {
             "",
             "Z",
             "2026-03-01",                 // a day, not an instant
             "2026-03-01T10:00:00",        // no zone: ambiguous
             "2026-03-01T10:00Z",          // no seconds
             "2026-03-01 10:00:00Z",       // space instead of T
             "2026-3-1T10:00:00Z",         // unpadded fields
             "2026-03-01T1:00:00Z",
             "2026-03-01T10:00:00.5Z",     // whole seconds only
             "2026-03-01T10:00:00z",       // lower-case z
             "2026-03-01T10:00:00ZZ",
             "2026-03-01T10:00:00Z ",      // trailing space
             " 2026-03-01T10:00:00Z",      // leading space
             "2026-02-30T10:00:00Z",       // no such date
             "2026-13-01T10:00:00Z",
             "2026-03-01T24:00:00Z",       // no such time
             "2026-03-01T10:60:00Z",
             "2026-03-01T10:00:60Z",
             "2026-03-01T18:00:00+0800",   // offset must be +hh:mm
             "2026-03-01T18:00:00+08",
             "2026-03-01T18:00:00+8:00",
             "2026-03-01T18:00:00+08:0",
             "2026-03-01T18:00:00+08:60",  // no such offset
             "2026-03-01T18:00:00+24:00",
             "2026-03-01T18:00:00+99:00",
             "2026-03-01T18:00:00+08:00Z",
             "not a time",
         }) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(loyalty::parse_instant(text).has_value());
    }
}

TEST(FormatInstant, IsUtcWithZ) {
    EXPECT_EQ(loyalty::format_instant(utc(2026, 3, 1, 10h)), "2026-03-01T10:00:00Z");
    EXPECT_EQ(loyalty::format_instant(at("2026-01-01T02:00:00+08:00")), "2025-12-31T18:00:00Z");
    EXPECT_EQ(loyalty::format_instant(instant{}), "1970-01-01T00:00:00Z");
    for (const char* text : {"2026-03-01T10:00:00Z", "2024-02-29T23:59:59Z", "1999-12-31T00:00:01Z"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(loyalty::format_instant(at(text)), text);
    }
}

// Times for people (the CLI's text): RFC 3339 with the zone's offset at that instant, which
// parse_instant reads back to the same instant.
TEST(FormatLocal, WritesTheZonesOffsetAtThatInstant) {
    const auto local = [](const char* zone, const char* utc) {
        const std::string text = time_zone::locate(zone).format_local(*loyalty::parse_instant(utc));
        EXPECT_EQ(loyalty::parse_instant(text), loyalty::parse_instant(utc)) << text;
        return text;
    };
    EXPECT_EQ(local("Asia/Shanghai", "2025-01-10T02:00:00Z"), "2025-01-10T10:00:00+08:00");
    // An expiry at 00:00 local of 2027-02-01 reads as that day, not 2027-01-31T16:00:00Z.
    EXPECT_EQ(local("Asia/Shanghai", "2027-01-31T16:00:00Z"), "2027-02-01T00:00:00+08:00");
    EXPECT_EQ(local("America/New_York", "2025-07-01T12:00:00Z"), "2025-07-01T08:00:00-04:00");  // daylight time
    EXPECT_EQ(local("America/New_York", "2025-01-01T12:00:00Z"), "2025-01-01T07:00:00-05:00");
    EXPECT_EQ(local("Asia/Kolkata", "2025-01-01T00:00:00Z"), "2025-01-01T05:30:00+05:30");
    EXPECT_EQ(local("UTC", "2025-01-01T00:00:00Z"), "2025-01-01T00:00:00+00:00");
}

TEST(ParseDay, ValidAndInvalid) {
    EXPECT_EQ(on("2026-03-01"), date::sys_days{date::year{2026} / 3 / 1});
    EXPECT_EQ(on("2024-02-29"), date::sys_days{date::year{2024} / 2 / 29});
    EXPECT_EQ(loyalty::format_day(on("2024-02-29")), "2024-02-29");
    for (const char* text : {"", "2025-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01",
                             "20260101", "2026-01-011", "2026/01/01", "2026-01-01T", " 2026-01-1", "abcd-ef-gh"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(loyalty::parse_day(text).has_value());
    }
}

TEST(AddMonths, ClampsToTheLastDayOfTheTargetMonth) {
    using loyalty::add_months;
    EXPECT_EQ(add_months(on("2025-01-31"), 1), on("2025-02-28"));   // 2025 is a common year
    EXPECT_EQ(add_months(on("2024-01-31"), 1), on("2024-02-29"));   // 2024 is a leap year
    EXPECT_EQ(add_months(on("2024-02-29"), 12), on("2025-02-28"));
    EXPECT_EQ(add_months(on("2024-02-29"), 48), on("2028-02-29"));  // leap to leap
    EXPECT_EQ(add_months(on("2025-03-31"), -1), on("2025-02-28"));
    EXPECT_EQ(add_months(on("2024-03-31"), -1), on("2024-02-29"));
    EXPECT_EQ(add_months(on("2025-10-31"), 1), on("2025-11-30"));   // 30-day month
    EXPECT_EQ(add_months(on("2025-08-31"), 6), on("2026-02-28"));
    EXPECT_EQ(add_months(on("2025-01-31"), -2), on("2024-11-30"));  // across a year backwards
    EXPECT_EQ(add_months(on("2025-12-31"), 1), on("2026-01-31"));   // across a year forwards
    EXPECT_EQ(add_months(on("2025-01-15"), 1), on("2025-02-15"));   // no clamping needed
    EXPECT_EQ(add_months(on("2025-01-15"), 0), on("2025-01-15"));
    EXPECT_EQ(add_months(on("2025-01-15"), 120), on("2035-01-15"));
    // Clamping is not undone later: 31 Jan + 1 month + 1 month = 28 Mar, not 31 Mar.
    EXPECT_EQ(add_months(add_months(on("2025-01-31"), 1), 1), on("2025-03-28"));
    EXPECT_EQ(add_months(on("2025-01-31"), 2), on("2025-03-31"));
}

TEST(AddYears, IsTwelveMonths) {
    EXPECT_EQ(loyalty::add_years(on("2024-02-29"), 1), on("2025-02-28"));
    EXPECT_EQ(loyalty::add_years(on("2024-02-29"), 4), on("2028-02-29"));
    EXPECT_EQ(loyalty::add_years(on("2025-06-30"), -1), on("2024-06-30"));
}

TEST(TimeZone, LocateKnownAndUnknown) {
    const time_zone shanghai = time_zone::locate("Asia/Shanghai");
    EXPECT_EQ(shanghai.name(), "Asia/Shanghai");
    EXPECT_EQ(shanghai, time_zone::locate("Asia/Shanghai"));
    EXPECT_NE(shanghai, time_zone::locate("UTC"));
    for (const char* name : {"Mars/Olympus_Mons", "", "asia/shanghai_", "Asia/Beijing"}) {
        SCOPED_TRACE(name);
        try {
            time_zone::locate(name);
            ADD_FAILURE() << "zone '" << name << "' was accepted";
        } catch (const loyalty::error& e) {
            EXPECT_EQ(e.id(), "loyalty.time.unknown_zone");
        }
    }
}

TEST(TimeZone, LocalDayAtTheTurnOfTheYear) {
    const time_zone shanghai = time_zone::locate("Asia/Shanghai");
    const time_zone utc_zone = time_zone::locate("UTC");
    // 16:30 UTC on 31 Dec is 00:30 on 1 Jan in Shanghai (UTC+8).
    const instant t = at("2025-12-31T16:30:00Z");
    EXPECT_EQ(shanghai.local_day(t), on("2026-01-01"));
    EXPECT_EQ(utc_zone.local_day(t), on("2025-12-31"));
    // One second before Shanghai midnight (15:59:59 UTC = 23:59:59 local).
    EXPECT_EQ(shanghai.local_day(at("2025-12-31T15:59:59Z")), on("2025-12-31"));
    EXPECT_EQ(shanghai.local_day(at("2025-12-31T16:00:00Z")), on("2026-01-01"));
    // West of UTC: 03:00 UTC on 1 Jan is 22:00 EST on 31 Dec in New York (UTC-5).
    EXPECT_EQ(time_zone::locate("America/New_York").local_day(at("2026-01-01T03:00:00Z")), on("2025-12-31"));
}

TEST(TimeZone, StartOfAnOrdinaryDay) {
    // Midnight in Shanghai (UTC+8) is 16:00 UTC the day before.
    EXPECT_EQ(time_zone::locate("Asia/Shanghai").start_of(on("2026-01-01")), at("2025-12-31T16:00:00Z"));
    EXPECT_EQ(time_zone::locate("UTC").start_of(on("2026-01-01")), at("2026-01-01T00:00:00Z"));
    // Midnight in New York in winter (UTC-5) is 05:00 UTC.
    EXPECT_EQ(time_zone::locate("America/New_York").start_of(on("2026-01-01")), at("2026-01-01T05:00:00Z"));
}

TEST(TimeZone, StartOfADstDayWhoseMidnightExists) {
    const time_zone berlin = time_zone::locate("Europe/Berlin");
    // Clocks go forward at 02:00 on 29 Mar 2026; midnight is still CET (UTC+1): 23:00 UTC on the 28th.
    EXPECT_EQ(berlin.start_of(on("2026-03-29")), at("2026-03-28T23:00:00Z"));
    // The next midnight is CEST (UTC+2): 22:00 UTC, so the day lasts 23 hours.
    EXPECT_EQ(berlin.start_of(on("2026-03-30")), at("2026-03-29T22:00:00Z"));
    EXPECT_EQ(berlin.start_of(on("2026-03-30")) - berlin.start_of(on("2026-03-29")), 23h);
    // start_of is the first instant of its local day, and one second earlier is the day before.
    EXPECT_EQ(berlin.local_day(berlin.start_of(on("2026-03-29"))), on("2026-03-29"));
    EXPECT_EQ(berlin.local_day(berlin.start_of(on("2026-03-29")) - 1s), on("2026-03-28"));
}

TEST(TimeZone, StartOfADayWhoseMidnightDoesNotExist) {
    const time_zone sao_paulo = time_zone::locate("America/Sao_Paulo");
    // Brazil began DST at 00:00 on 4 Nov 2018: clocks jumped from 00:00 (UTC-3) to 01:00
    // (UTC-2). The day starts at the end of the gap, 01:00 local = 03:00 UTC.
    EXPECT_EQ(sao_paulo.start_of(on("2018-11-04")), at("2018-11-04T03:00:00Z"));
    EXPECT_EQ(sao_paulo.start_of(on("2018-11-04")), at("2018-11-04T01:00:00-02:00"));
    // Neighbouring days: midnight at UTC-3 before, at UTC-2 after.
    EXPECT_EQ(sao_paulo.start_of(on("2018-11-03")), at("2018-11-03T03:00:00Z"));
    EXPECT_EQ(sao_paulo.start_of(on("2018-11-05")), at("2018-11-05T02:00:00Z"));
    EXPECT_EQ(sao_paulo.local_day(sao_paulo.start_of(on("2018-11-04"))), on("2018-11-04"));
    EXPECT_EQ(sao_paulo.local_day(sao_paulo.start_of(on("2018-11-04")) - 1s), on("2018-11-03"));
}

TEST(TimeZone, StartOfADayWhoseMidnightOccursTwice) {
    const time_zone havana = time_zone::locate("America/Havana");
    // Cuba ends DST at 01:00 CDT (UTC-4) on the first Sunday of November, back to 00:00 CST
    // (UTC-5): 00:00-00:59 on 2 Nov 2025 happens twice. The day starts at the first midnight,
    // 00:00 at UTC-4 = 04:00 UTC.
    EXPECT_EQ(havana.start_of(on("2025-11-02")), at("2025-11-02T04:00:00Z"));
    EXPECT_EQ(havana.local_day(havana.start_of(on("2025-11-02")) - 1s), on("2025-11-01"));
}

TEST(Period, CalendarYear) {
    const period p{period_kind::calendar_year, 0};
    const day_range expected{on("2026-01-01"), on("2027-01-01")};
    EXPECT_EQ(p.containing(on("2026-07-15"), on("2020-05-10")), expected);
    EXPECT_EQ(p.containing(on("2026-01-01"), on("2020-05-10")), expected);
    EXPECT_EQ(p.containing(on("2026-12-31"), on("2020-05-10")), expected);
    EXPECT_TRUE(expected.contains(on("2026-12-31")));
    EXPECT_FALSE(expected.contains(on("2027-01-01")));  // half-open
    EXPECT_FALSE(expected.contains(on("2025-12-31")));
}

TEST(Period, CalendarMonth) {
    const period p{period_kind::calendar_month, 0};
    const day anniversary = on("2020-05-10");
    EXPECT_EQ(p.containing(on("2026-02-10"), anniversary), (day_range{on("2026-02-01"), on("2026-03-01")}));
    EXPECT_EQ(p.containing(on("2024-02-29"), anniversary), (day_range{on("2024-02-01"), on("2024-03-01")}));
    EXPECT_EQ(p.containing(on("2025-12-31"), anniversary), (day_range{on("2025-12-01"), on("2026-01-01")}));
    EXPECT_EQ(p.containing(on("2025-01-01"), anniversary), (day_range{on("2025-01-01"), on("2025-02-01")}));
}

// The periods as add_months() and add_years() give them, written the plain way: containing()
// splits each date once, and must give the same ranges.
day_range reference_period(const period& p, day d, day anniversary) {
    const date::year_month_day ymd(d);
    switch (p.kind) {
        case period_kind::calendar_year:
            return {day{ymd.year() / date::January / 1}, day{(ymd.year() + date::years(1)) / date::January / 1}};
        case period_kind::calendar_month: {
            const day first{ymd.year() / ymd.month() / 1};
            return {first, loyalty::add_months(first, 1)};
        }
        case period_kind::anniversary_year: {
            int k = static_cast<int>(ymd.year()) - static_cast<int>(date::year_month_day(anniversary).year());
            if (loyalty::add_years(anniversary, k) > d) --k;
            return {loyalty::add_years(anniversary, k), loyalty::add_years(anniversary, k + 1)};
        }
        case period_kind::rolling_days: return {d - date::days(p.days - 1), d + date::days(1)};
    }
    return {d, d};
}

RC_GTEST_PROP(Period, ContainingIsTheAddMonthsArithmetic, ()) {
    // Days from 1990 to 2100, with leap days and month ends drawn often.
    const auto some_day = rc::gen::oneOf(
        rc::gen::map(rc::gen::inRange(7305, 47482), [](int n) { return day{date::days(n)}; }),
        rc::gen::map(rc::gen::tuple(rc::gen::inRange(1990, 2100), rc::gen::inRange(1, 13)), [](std::tuple<int, int> ym) {
            const date::year_month m = date::year(std::get<0>(ym)) / date::month(static_cast<unsigned>(std::get<1>(ym)));
            return day{m / date::last};
        }),
        rc::gen::map(rc::gen::inRange(1990, 2100), [](int y) {
            return day{date::year(y) / date::February / (date::year(y).is_leap() ? 29 : 28)};
        }));
    const day d = *some_day;
    const day anniversary = *some_day;
    for (const period_kind k : {period_kind::calendar_year, period_kind::calendar_month, period_kind::anniversary_year}) {
        const period p{k, 0};
        const day_range got = p.containing(d, anniversary);
        RC_ASSERT(got == reference_period(p, d, anniversary));
        RC_ASSERT(got.contains(d));
    }
}

TEST(Period, AnniversaryYear) {
    const period p{period_kind::anniversary_year, 0};
    const day joined = on("2023-05-10");
    // The day before the anniversary belongs to the previous membership year.
    EXPECT_EQ(p.containing(on("2026-05-09"), joined), (day_range{on("2025-05-10"), on("2026-05-10")}));
    EXPECT_EQ(p.containing(on("2026-05-10"), joined), (day_range{on("2026-05-10"), on("2027-05-10")}));
    EXPECT_EQ(p.containing(on("2023-05-10"), joined), (day_range{on("2023-05-10"), on("2024-05-10")}));
    EXPECT_EQ(p.containing(on("2026-12-31"), joined), (day_range{on("2026-05-10"), on("2027-05-10")}));
}

TEST(Period, AnniversaryYearOn29February) {
    const period p{period_kind::anniversary_year, 0};
    const day joined = on("2024-02-29");
    // In common years the anniversary falls on 28 Feb.
    EXPECT_EQ(p.containing(on("2024-02-29"), joined), (day_range{on("2024-02-29"), on("2025-02-28")}));
    EXPECT_EQ(p.containing(on("2025-02-27"), joined), (day_range{on("2024-02-29"), on("2025-02-28")}));
    EXPECT_EQ(p.containing(on("2025-02-28"), joined), (day_range{on("2025-02-28"), on("2026-02-28")}));
    EXPECT_EQ(p.containing(on("2025-03-01"), joined), (day_range{on("2025-02-28"), on("2026-02-28")}));
    // In the next leap year it is 29 Feb again, so 28 Feb 2028 is still in the 2027 year.
    EXPECT_EQ(p.containing(on("2028-02-28"), joined), (day_range{on("2027-02-28"), on("2028-02-29")}));
    EXPECT_EQ(p.containing(on("2028-02-29"), joined), (day_range{on("2028-02-29"), on("2029-02-28")}));
}

TEST(Period, RollingDays) {
    const period p{period_kind::rolling_days, 30};
    // The 30 days ending with 15 Mar 2026: 14 Feb..28 Feb (15 days) + 1 Mar..15 Mar (15 days).
    const day_range r = p.containing(on("2026-03-15"), on("2020-05-10"));
    EXPECT_EQ(r, (day_range{on("2026-02-14"), on("2026-03-16")}));
    EXPECT_EQ((r.end - r.first).count(), 30);
    const period one{period_kind::rolling_days, 1};
    EXPECT_EQ(one.containing(on("2026-03-15"), on("2020-05-10")), (day_range{on("2026-03-15"), on("2026-03-16")}));
}

TEST(Period, EveryDayLiesInItsPeriodAndPeriodsTile) {
    const day joined = on("2024-02-29");
    for (const period& p : {period{period_kind::calendar_year, 0}, period{period_kind::calendar_month, 0},
                            period{period_kind::anniversary_year, 0}}) {
        SCOPED_TRACE(p.describe());
        for (day d = on("2024-02-29"); d < on("2029-03-31"); d += date::days(1)) {
            const day_range r = p.containing(d, joined);
            ASSERT_TRUE(r.contains(d)) << loyalty::format_day(d);
            // The next period starts where this one ends, and the previous one ends where it starts.
            ASSERT_EQ(p.containing(r.end, joined).first, r.end) << loyalty::format_day(d);
            if (r.first > joined) {
                ASSERT_EQ(p.containing(r.first - date::days(1), joined).end, r.first) << loyalty::format_day(d);
            }
        }
    }
}

TEST(Period, NamesAndDescriptions) {
    EXPECT_EQ(loyalty::to_string(period_kind::anniversary_year), "anniversary_year");
    for (period_kind k : {period_kind::calendar_year, period_kind::calendar_month, period_kind::anniversary_year,
                          period_kind::rolling_days})
        EXPECT_EQ(loyalty::parse_period_kind(loyalty::to_string(k)), k);
    EXPECT_FALSE(loyalty::parse_period_kind("yearly").has_value());
    EXPECT_EQ((period{period_kind::rolling_days, 30}.describe()), "rolling 30 days");
    EXPECT_EQ((period{period_kind::calendar_month, 0}.describe()), "calendar_month");
}

}  // namespace

}  // namespace unit_time
