// loyalty-bench: how fast the engine judges events.
//
//   apply/repair_order_8_lines   one closed 8-line RO (labour and parts; maintenance, repair,
//                                accessory; one accident line) for a member with two years of
//                                history (~20 lots); the event is already parsed
//   (apply_in_place per event type, as journal_runner applies them: bench_events.cpp;
//    a generated 1,000,000-event journal from JSON lines: bench_replay.cpp)
//   apply/birthday               a birthday bonus (per-period cap) for the same member
//   apply/repair_order_program_copy   the same RO through apply(const program&, ...), which
//                                copies the programme on every call (what not to do in a loop)
//   price/repair_order_20_lines_5_benefits   price() of a 20-line RO with five benefits applying
//   price/..._without_explanation  the same with explanation::none: no reasons or notes (a replay's)
//   io/load_event_8_line_ro      parsing the RO's JSON line into an event
//   io/load_event_into_8_line_ro the same into one event, reused line after line (what a
//                                journal's reader does: io::load_event_into)
//   io/simdjson_walk_8_line_ro   a plain simdjson On-Demand walk of the same line, touching every
//                                key and value (strings unescaped, numbers' text): the floor
//                                load_event is held to (issue 21: at most 3 times it)
//   replay/journal               a whole journal (1,000 members x 100 events) from scratch
//
// The programme versions are built once, outside the timed loops. Target: at most 1 us per RO.
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <simdjson.h>

#include "bench_support.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

void report_state(benchmark::State& state, const member_state& s) {
    std::int64_t live = 0;
    for (const lot_record& l : s.lots) live += l.remaining > points(0) ? 1 : 0;
    state.counters["lots"] = static_cast<double>(s.lots.size());
    state.counters["live_lots"] = static_cast<double>(live);
    state.counters["events"] = static_cast<double>(s.effects.size());
}

void apply_repair_order(benchmark::State& state) {
    const member_state& s = member_with_history();
    const event e = io::load_event(ro_json, cny());
    const program_versions& v = versions();
    {
        const outcome check = apply(v, s, e);
        std::size_t earned = 0;
        for (const ledger_entry& x : check.entries) earned += x.kind == entry_kind::earn ? 1 : 0;
        if (!check.accepted() || earned != 2) state.SkipWithError("the RO did not earn two lots");
    }
    for (auto _ : state) {
        outcome o = apply(v, s, e);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
    report_state(state, s);
}
BENCHMARK(apply_repair_order)->Name("apply/repair_order_8_lines");

void apply_birthday(benchmark::State& state) {
    const member_state& s = member_with_history();
    const event e = make("bench-bday", "M0001", at("2027-01-06T09:00:00+08:00"), events::birthday{});
    const program_versions& v = versions();
    {
        const outcome check = apply(v, s, e);
        if (!check.accepted() || check.entries.empty()) state.SkipWithError("the birthday earned nothing");
    }
    for (auto _ : state) {
        outcome o = apply(v, s, e);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
    report_state(state, s);
}
BENCHMARK(apply_birthday)->Name("apply/birthday");

// For comparison: apply(const program&, ...) builds a program_versions (a copy of the whole
// programme) on every call.
void apply_repair_order_program_copy(benchmark::State& state) {
    const member_state& s = member_with_history();
    const event e = io::load_event(ro_json, cny());
    const program& p = reference();
    for (auto _ : state) {
        outcome o = apply(p, s, e);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(apply_repair_order_program_copy)->Name("apply/repair_order_program_copy");

// price() of a 20-line repair order on which five benefits apply (oil-change labour, waxing
// quota, inspection quota, 30% off labour, 10% off parts), for the member with history.
// X: explanation::full writes every reason and note (what `loyalty price` and Python's price()
// show); explanation::none writes none (what a replay's engine asks for).
template <explanation X>
void price_repair_order_20_lines(benchmark::State& state) {
    const member_state& s = member_with_history();
    const events::repair_order ro = twenty_line_order();
    const program& p = reference();
    const instant t = at("2027-01-05T10:00:00+08:00");
    {
        const priced_order check = price(p, s, ro, t);
        std::size_t benefits = 0;
        for (const priced_line& l : check.lines) benefits += l.adjustments.size();
        if (check.lines.size() != 20 || benefits < 16) state.SkipWithError("the benefits did not apply");
    }
    for (auto _ : state) {
        priced_order o = price(p, s, ro, t, nullptr, X);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(price_repair_order_20_lines, explanation::full)->Name("price/repair_order_20_lines_5_benefits");
BENCHMARK_TEMPLATE(price_repair_order_20_lines, explanation::none)
    ->Name("price/repair_order_20_lines_5_benefits_without_explanation");

void load_event_ro(benchmark::State& state) {
    const std::string text = ro_json;
    const currency c = cny();
    for (auto _ : state) {
        event e = io::load_event(text, c);
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(load_event_ro)->Name("io/load_event_8_line_ro");

void load_event_into_ro(benchmark::State& state) {
    const std::string text = ro_json;
    const currency c = cny();
    event e;
    for (auto _ : state) {
        io::load_event_into(text, c, e);
        benchmark::DoNotOptimize(e);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(load_event_into_ro)->Name("io/load_event_into_8_line_ro");

// Every key and value of a JSON value; the bytes seen, so that nothing is skipped unread.
std::size_t walk(simdjson::ondemand::value v) {
    namespace od = simdjson::ondemand;
    std::size_t seen = 0;
    switch (v.type().value()) {
        case od::json_type::object:
            for (auto field : v.get_object()) {
                seen += field.unescaped_key().value().size();
                seen += walk(field.value());
            }
            break;
        case od::json_type::array:
            for (auto element : v.get_array()) seen += walk(element.value());
            break;
        case od::json_type::string: seen += v.get_string().value().size(); break;
        case od::json_type::number: seen += v.raw_json_token().size(); break;
        case od::json_type::boolean: seen += v.get_bool().value() ? 1 : 0; break;
        case od::json_type::null: seen += v.is_null().value() ? 1 : 0; break;
    }
    return seen;
}

void simdjson_walk_ro(benchmark::State& state) {
    const simdjson::padded_string text{std::string_view(ro_json)};
    simdjson::ondemand::parser parser;
    for (auto _ : state) {
        simdjson::ondemand::document doc = parser.iterate(text);
        std::size_t seen = 0;
        for (auto field : doc.get_object()) {
            seen += field.unescaped_key().value().size();
            seen += walk(field.value());
        }
        benchmark::DoNotOptimize(seen);
    }
    state.SetItemsProcessed(state.iterations());
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(simdjson_walk_ro)->Name("io/simdjson_walk_8_line_ro");

// 1,000 members x 100 events over two years: mostly repair orders of 2 to 8 lines, with
// birthdays, surveys, the odd spend of points, reversal and tick. Merged in time order.
std::vector<event> make_journal(int members, int per_member) {
    std::vector<std::vector<event>> lists(members);
    std::uint64_t rng = 0x9e3779b97f4a7c15ull;
    auto next = [&](std::uint64_t bound) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng % bound;
    };
    const instant start = at("2025-01-01T09:00:00+08:00");
    static const char* const categories[] = {"maintenance", "maintenance", "repair", "accessory", "tyres"};
    for (int m = 0; m < members; ++m) {
        const std::string member = "M" + std::to_string(100000 + m);
        std::vector<event>& out = lists[m];
        instant t = start + std::chrono::seconds(next(90 * 86400));
        out.push_back(make(member + "-0", member, t, events::enrol{}));
        for (int i = 1; i < per_member; ++i) {
            t += std::chrono::seconds(next(7 * 86400) + 60);
            const std::string id = member + "-" + std::to_string(i);
            const auto roll = next(100);
            if (roll < 80) {
                events::repair_order ro;
                ro.number = "RO-" + id;
                const auto lines = 2 + next(7);
                for (std::uint64_t k = 0; k < lines; ++k)
                    ro.lines.push_back(line(next(2) ? line_kind::labour : line_kind::part, categories[next(5)], "OP",
                                            decimal::integer(static_cast<std::int64_t>(1 + next(3))),
                                            static_cast<std::int64_t>(1000 + next(80000)), next(20) == 0 ? 1u : 0u));
                out.push_back(make(id, member, t, std::move(ro)));
            } else if (roll < 85) {
                out.push_back(make(id, member, t, events::birthday{}));
            } else if (roll < 90) {
                out.push_back(make(id, member, t, events::survey{"S", ""}));
            } else if (roll < 94) {
                out.push_back(make(id, member, t, events::adjustment{points(-static_cast<std::int64_t>(1 + next(300))), "gift", "op"}));
            } else if (roll < 97) {
                out.push_back(make(id, member, t, events::reverse{member + "-" + std::to_string(1 + next(i)), "correction"}));
            } else {
                out.push_back(make(id, member, t, events::tick{}));
            }
        }
    }
    std::vector<event> journal;
    journal.reserve(static_cast<std::size_t>(members) * per_member);
    std::vector<std::size_t> pos(members, 0);
    for (;;) {  // merge by time, each member's own order kept
        int best = -1;
        for (int m = 0; m < members; ++m)
            if (pos[m] < lists[m].size() && (best < 0 || lists[m][pos[m]].at < lists[best][pos[best]].at)) best = m;
        if (best < 0) break;
        journal.push_back(std::move(lists[best][pos[best]++]));
    }
    return journal;
}

void replay_journal(benchmark::State& state) {
    const std::vector<event> journal = make_journal(1000, 100);
    const program_versions& v = versions();
    std::size_t entries = 0, refused = 0;
    for (auto _ : state) {
        journal_runner run = replay(v, journal);
        entries = run.entries().size();
        refused = run.refusals().size();
        benchmark::DoNotOptimize(run);
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(journal.size()));
    state.counters["events"] = static_cast<double>(journal.size());
    state.counters["entries"] = static_cast<double>(entries);
    state.counters["refused"] = static_cast<double>(refused);
}
BENCHMARK(replay_journal)->Name("replay/journal_100k")->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace

