// Properties of the supported range of time (RapidCheck): whatever instant the event loader
// accepts, the event round-trips through its JSON, and the member state it leads to (lots,
// expiry days, periods) round-trips through the snapshot text the store keeps.
//
// Instants are drawn over every year the ISO 8601 syntax can write (0000..9999), half of them
// inside 1970-01-01T00:00:00Z .. 2199-12-31T23:59:59Z, written with an offset of -12:00..+14:00;
// the programme's expiry reaches as far as the programme format allows (1,200 months, 100
// calendar years) in zones at both ends of the clock.
// RC_PARAMS="max_success=2000" runs more cases; RC_PARAMS="seed=..." reproduces a failure.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"

namespace property_time_range {

namespace {

using namespace loyalty;

// rc::gen::inRange narrows its range at small sizes; instants should be spread evenly.
template <class T>
T uniform(T min, T max) {
    return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

constexpr std::int64_t day_s = 86400;

std::int64_t seconds_of(const std::string& iso) { return test::at(iso).time_since_epoch().count(); }

// An instant: half inside the supported range, a quarter a little outside it (within a year of
// either end), a quarter anywhere in the years 0000..9999 (with room for any offset to be
// written in local time within those years).
instant gen_instant() {
    const std::int64_t first = earliest_supported_instant.time_since_epoch().count();
    const std::int64_t last = latest_supported_instant.time_since_epoch().count();
    static const std::int64_t year_0 = seconds_of("0000-01-01T12:00:00Z"), year_9999 = seconds_of("9999-12-31T09:59:59Z");
    switch (*rc::gen::weightedElement<int>({{4, 0}, {1, 1}, {1, 2}, {2, 3}})) {
        case 0: return instant(std::chrono::seconds(uniform<std::int64_t>(first, last)));
        case 1: return instant(std::chrono::seconds(first - uniform<std::int64_t>(1, 366 * day_s)));
        case 2: return instant(std::chrono::seconds(last + uniform<std::int64_t>(1, 366 * day_s)));
        default: return instant(std::chrono::seconds(uniform<std::int64_t>(year_0, year_9999)));
    }
}

// `t` written in local time with a UTC offset of -12:00..+14:00 in quarter hours, as a store
// in any zone might send it.
std::string written_with_offset(instant t) {
    const int quarters = uniform<int>(-48, 56);
    const std::string local = format_instant(t + std::chrono::minutes(15 * quarters));
    const int minutes = quarters < 0 ? -15 * quarters : 15 * quarters;
    char offset[16];  // "+hh:mm" and room the compiler can prove
    std::snprintf(offset, sizeof offset, "%c%02d:%02d", quarters < 0 ? '-' : '+', minutes / 60, minutes % 60);
    return local.substr(0, 19) + offset;
}

// The reference club in force from 1970, with the longest expiries the format allows (or a
// short one), in a zone of either end of the clock.
program_versions gen_programme() {
    const std::string zone = *rc::gen::element<std::string>("Asia/Shanghai", "Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC");
    nlohmann::json expiry;
    switch (uniform<int>(0, 6)) {
        case 0: expiry = {{"policy", "months_after_earning"}, {"months", 1200}, {"to_end_of_month", true}}; break;
        case 1: expiry = {{"policy", "months_after_earning"}, {"months", *rc::gen::element(1, 24, 1200)}}; break;
        case 2: expiry = {{"policy", "end_of_calendar_year"}, {"years", *rc::gen::element(0, 1, 100)}}; break;
        case 3: expiry = {{"policy", "inactivity"}, {"months", 1200}}; break;
        case 4: expiry = {{"policy", "days_after_earning"}, {"days", *rc::gen::element(1, 90, 36500)}}; break;
        case 5: expiry = {{"policy", "weeks_after_earning"}, {"weeks", *rc::gen::element(1, 13, 5200)}}; break;
        default: expiry = {{"policy", "never"}}; break;
    }
    const int pending_days = *rc::gen::element(0, 30, 365);
    return program_versions(test::variant([&](nlohmann::json& j) {
        j["effective_from"] = "1970-01-01T00:00:00Z";
        j["time_zone"] = zone;
        j["expiry"] = expiry;
        j["pending_days"] = pending_days;
    }));
}

std::string event_text(const std::string& id, const std::string& at, const std::string& rest) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + at + R"(",)" + rest + "}";
}

// Every event the loader accepts reads back equal from what event_to_json writes; an instant
// it refuses is outside the supported range, and one inside is never refused.
RC_GTEST_PROP(TimeRangeProperties, EveryInstantTheLoaderAcceptsRoundTripsThroughEventJson, ()) {
    const instant t = gen_instant();
    const std::string at = written_with_offset(t);
    const std::string text = event_text("e-1", at, R"("type":"tick")");
    RC_TAG(is_supported_instant(t) ? "inside" : "outside");
    event e;
    try {
        e = test::ev(text);
    } catch (const error& refused) {
        RC_ASSERT(refused.id() == std::string("loyalty.event.out_of_range"));
        RC_ASSERT(refused.pointer() == std::string("/at"));
        RC_ASSERT(!is_supported_instant(t));
        return;
    }
    RC_ASSERT(is_supported_instant(t));
    RC_ASSERT(e.at == t);
    const std::string once = io::event_to_json(e).dump();
    RC_ASSERT(test::ev(once).at == t);
    RC_ASSERT(io::event_to_json(test::ev(once)).dump() == once);
}

// A member who enrols and earns at any accepted instant has a state whose snapshot text (what
// the store writes) reads back equal, and ledger entries whose instants and expiry days read
// back from the text the store writes them as.
RC_GTEST_PROP(TimeRangeProperties, WhatAnAcceptedInstantLeadsToIsKeptAndReadBack, ()) {
    const program_versions club = gen_programme();
    const instant t = gen_instant();
    const std::string at = written_with_offset(t);
    std::vector<event> journal;
    try {
        journal.push_back(test::ev(event_text("e-1", at, R"("type":"enrol")")));
        journal.push_back(test::ev(event_text(
            "e-2", at, R"("type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"880.00"}])")));
        journal.push_back(test::ev(event_text("e-3", at, R"("type":"adjustment","points":120,"reason":"r","operator":"o")")));
    } catch (const error& refused) {
        RC_ASSERT(!is_supported_instant(t));  // refused at the loader: nothing to keep
        return;
    }
    RC_TAG(is_supported_instant(t) ? "inside" : "outside");
    journal_runner run(club);
    for (const event& e : journal) RC_ASSERT(run.apply(e).accepted());
    const member_state& m = run.members().at("M1");
    RC_ASSERT(!m.lots.empty());
    const std::string snapshot = io::state_to_json_text(m);
    member_state read_back("");
    try {
        read_back = io::state_from_json(io::parse_exact(snapshot));
    } catch (const error& unreadable) {
        RC_FAIL("the snapshot cannot be read back: " + std::string(unreadable.what()));
    }
    RC_ASSERT(read_back == m);
    for (const ledger_entry& entry : run.entries()) {
        RC_ASSERT(parse_instant(format_instant(entry.at)) == std::optional<instant>(entry.at));
        if (!entry.expires.empty()) RC_ASSERT(parse_day(entry.expires).has_value());
    }
}

}  // namespace

}  // namespace property_time_range
