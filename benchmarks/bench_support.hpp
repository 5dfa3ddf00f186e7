#pragma once
// What the benchmark programs share: the reference programme (loaded once), small event
// builders, and a member with two years of history to apply events to.
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

namespace loyalty::bench {

inline const program& reference() {
    static const program p = io::load_program(io::reference_program_json());
    return p;
}

inline const program_versions& versions() {
    static const program_versions v(reference());
    return v;
}

// The reference programme with the tiers of `tiers` (the programme JSON's "tiers" object).
inline program_versions with_tiers(const char* tiers) {
    io::json j = io::json::parse(io::reference_program_json());
    j["tiers"] = io::json::parse(tiers);
    return program_versions(io::load_program(j.dump()));
}

// The reference programme with three tiers on calendar-year qualifying points (silver base,
// gold from 3000 x1.5, platinum from 8000 x2): what tier evaluation costs on every event.
inline const program_versions& tiered_versions() {
    static const program_versions v = with_tiers(R"({"window": {"period": "calendar_year"}, "grace_days": 31, "max_steps": 1,
            "levels": [{"id": "silver", "name": "Silver", "qualify": {"points": 0}},
                       {"id": "gold", "name": "Gold", "qualify": {"points": 3000}, "retain": {"points": 2000}, "multiplier": "1.5"},
                       {"id": "platinum", "name": "Platinum", "qualify": {"points": 8000}, "retain": {"points": 6000}, "multiplier": "2"}]})");
    return v;
}

// The same three tiers with no effect on earning (no multipliers, nothing limited to a tier):
// applying an event under it differs from versions() only by what the tiers do themselves (the
// qualifying record, the window, the thresholds judged, and the tier changes and reviews of
// members who hold a tier), which is what issue 5's 200 ns bounds.
inline const program_versions& tiers_without_effect_versions() {
    static const program_versions v = with_tiers(R"({"window": {"period": "calendar_year"}, "grace_days": 31, "max_steps": 1,
            "levels": [{"id": "silver", "name": "Silver", "qualify": {"points": 0}},
                       {"id": "gold", "name": "Gold", "qualify": {"points": 3000}, "retain": {"points": 2000}},
                       {"id": "platinum", "name": "Platinum", "qualify": {"points": 8000}, "retain": {"points": 6000}}]})");
    return v;
}

// Tiers no member reaches (qualifying points far beyond any journal): every event is judged
// and nothing changes, so against versions() this is the judgement alone, without the
// tier_change entries and yearly reviews of members who hold a tier.
inline const program_versions& unreached_tiers_versions() {
    static const program_versions v = with_tiers(R"({"window": {"period": "calendar_year"}, "grace_days": 31, "max_steps": 1,
            "levels": [{"id": "gold", "name": "Gold", "qualify": {"points": 100000000000}, "retain": {"points": 100000000000}},
                       {"id": "platinum", "name": "Platinum", "qualify": {"points": 1000000000000}, "retain": {"points": 1000000000000}}]})");
    return v;
}

// The generated journal the replay benchmarks read (scripts/bench.sh sets it), or null.
inline const char* journal_path() { return std::getenv("LOYALTY_BENCH_JOURNAL"); }

// The first `limit` events of a JSON-lines journal, parsed (every line that is not empty).
inline std::vector<event> load_journal_lines(const char* path, std::size_t limit = SIZE_MAX) {
    std::vector<event> events;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(std::string("cannot read ") + path);
    std::string line;
    while (events.size() < limit && std::getline(in, line))
        if (!line.empty()) events.push_back(io::load_event(line, versions().latest().currency_unit));
    return events;
}

// This thread's CPU time: what other load on a shared machine disturbs least.
inline double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

inline currency cny() { return *currency::from_code("CNY"); }

inline instant at(const std::string& iso) { return *parse_instant(iso); }

inline repair_order_line line(line_kind kind, const char* category, const char* op, decimal qty, std::int64_t fen,
                       unsigned flags = 0) {
    repair_order_line l;
    l.kind = kind;
    l.category = category;
    l.operation = op;
    l.quantity = qty;
    l.unit_price = money(fen, cny());
    l.flags = flags;
    return l;
}

inline event make(const std::string& id, const std::string& member, instant t, event_body body) {
    event e;
    e.id = id;
    e.member = member;
    e.at = t;
    e.body = std::move(body);
    return e;
}

// The 20-line repair order price() is measured on: four visits' worth of oil-change labour,
// waxing, a 36-point inspection, brake labour and filters, on which five benefits apply to the
// member with history (oil-change labour, the waxing and inspection quotas, 30% off labour,
// 10% off parts).
inline events::repair_order twenty_line_order() {
    events::repair_order ro;
    ro.number = "RO-BENCH-20";
    for (int i = 0; i < 4; ++i) {
        ro.lines.push_back(line(line_kind::labour, "maintenance", "OIL-CHANGE", decimal::integer(1), 12000));
        ro.lines.push_back(line(line_kind::labour, "care", "WAX-FULL", decimal::integer(1), 28000));
        ro.lines.push_back(line(line_kind::labour, "care", "INSPECT-36", decimal::integer(1), 19900));
        ro.lines.push_back(line(line_kind::labour, "repair", "BRAKE-PADS", decimal(15, 1), 18000));
        ro.lines.push_back(line(line_kind::part, "filters", "FILTER-SET", decimal::integer(2), 4500));
    }
    return ro;
}

// A typical closed service visit: oil service, brake job, an accessory, one accident line.
inline const char* const ro_json =
    R"({"id":"bench-ro","member":"M0001","at":"2027-01-05T10:00:00+08:00","type":"repair_order",)"
    R"("ro":"RO-27-0001","vin":"LFV3A23C0R3000001","lines":[)"
    R"({"kind":"labour","category":"maintenance","operation":"OIL-CHANGE","unit_price":"120.00"},)"
    R"({"kind":"part","category":"maintenance","operation":"OIL-5W30-1L","quantity":"4","unit_price":"68.50"},)"
    R"({"kind":"part","category":"maintenance","operation":"OIL-FILTER","unit_price":"45.00"},)"
    R"({"kind":"part","category":"maintenance","operation":"AIR-FILTER","unit_price":"85.00"},)"
    R"({"kind":"labour","category":"repair","operation":"BRAKE-PADS","quantity":"1.5","unit_price":"180.00"},)"
    R"({"kind":"part","category":"repair","operation":"BRAKE-PAD-SET","unit_price":"460.00"},)"
    R"({"kind":"part","category":"accessory","operation":"FLOOR-MATS","unit_price":"380.00"},)"
    R"({"kind":"labour","category":"repair","operation":"BUMPER-REFIT","quantity":"2","unit_price":"200.00","flags":["accident"]}]})";

// Two years of a member's life: enrolment, a service visit every two months, birthdays, surveys,
// a goodwill credit and a spend of points. Ends in Dec 2026 with ~20 lots.
inline member_state history(const std::string& member, const program_versions& under = versions()) {
    member_state s(member);
    auto apply_one = [&](const event& e) {
        outcome o = apply(under, s, e);
        if (!o.accepted()) throw std::runtime_error("history event refused: " + o.message);
        s = std::move(o.state);
    };
    instant t = at("2025-01-10T10:00:00+08:00");
    int n = 0;
    auto id = [&] { return member + "-h" + std::to_string(++n); };
    apply_one(make(id(), member, t, events::enrol{}));
    for (int visit = 0; visit < 12; ++visit) {
        t += std::chrono::hours(24 * 58);
        events::repair_order ro;
        ro.number = "RO-" + std::to_string(visit);
        ro.vin = "LFV3A23C0R3000001";
        ro.lines.push_back(line(line_kind::labour, "maintenance", "SERVICE", decimal::integer(1), 35000));
        ro.lines.push_back(line(line_kind::part, "maintenance", "OIL", decimal(45, 1), 6850));
        if (visit % 3 == 0) ro.lines.push_back(line(line_kind::part, "accessory", "DASH-CAM", decimal::integer(1), 59900));
        if (visit % 4 == 1) ro.lines.push_back(line(line_kind::labour, "repair", "AC-REPAIR", decimal(25, 1), 18000));
        apply_one(make(id(), member, t, ro));
        const instant later = t + std::chrono::hours(2);
        if (visit % 4 == 2) apply_one(make(id(), member, later, events::survey{"S" + std::to_string(visit), ""}));
        if (visit == 3 || visit == 11) apply_one(make(id(), member, later, events::birthday{}));
        if (visit == 9) apply_one(make(id(), member, later, events::adjustment{points(1000), "goodwill", "op"}));
        if (visit == 10) apply_one(make(id(), member, later, events::adjustment{points(-1500), "gift", "op"}));
    }
    apply_one(make(id(), member, at("2026-12-20T09:00:00+08:00"), events::tick{}));
    return s;
}

inline const member_state& member_with_history() {
    static const member_state s = history("M0001");
    return s;
}

// The same history under tiered_versions().
inline const member_state& tiered_member_with_history() {
    static const member_state s = history("M0001", tiered_versions());
    return s;
}

// The same history under tiers_without_effect_versions().
inline const member_state& member_with_history_under_tiers_without_effect() {
    static const member_state s = history("M0001", tiers_without_effect_versions());
    return s;
}

// A member who earned 100 lots of 30 points on 100 consecutive days (the welcome lot spent);
// redemption() buys the floor mats (1,500 points) on 2025-06-01: the 50 soonest-expiring lots.
inline const member_state& member_with_100_lots() {
    static const member_state s = [] {
        member_state m("M-R");
        instant t = at("2025-01-10T10:00:00+08:00");
        m = apply(versions(), m, make("en", "M-R", t, events::enrol{})).state;
        // Spend the welcome lot so that exactly 100 lots hold points.
        events::adjustment spend{points(-500), "bench", "op"};
        m = apply(versions(), m, make("adj", "M-R", t, spend)).state;
        for (int i = 0; i < 100; ++i) {
            t += std::chrono::hours(24);
            events::repair_order ro;
            ro.number = "RO-" + std::to_string(i);
            ro.lines.push_back(line(line_kind::labour, "repair", "FIX", decimal::integer(1), 3000));
            const outcome o = apply(versions(), m, make("ro-" + std::to_string(i), "M-R", t, ro));
            if (!o.accepted()) throw std::runtime_error("setup refused: " + o.message);
            m = o.state;
        }
        return m;
    }();
    return s;
}

inline event redemption() {
    return make("redeem", "M-R", at("2025-06-01T10:00:00+08:00"), events::redeem{"floor-mats", 1, 0});
}

}  // namespace loyalty::bench
