// loyalty-bench: a generated journal replayed from JSON lines to ledger, and what members cost
// in memory. The journal is written by scripts/generate_journal.py (scripts/bench.sh makes a
// 1,000,000-event one, seed 1, and names it in LOYALTY_BENCH_JOURNAL); without it these
// benchmarks are skipped.
//
//   replay_jsonl/threads:1   read the file line by line, each line into one event
//                            (load_event_into(), as `loyalty run` reads), apply it with a
//                            journal_runner that keeps every member's state and the whole ledger
//   replay_jsonl/threads:2   partitioned by member: each thread reads the file, keeps the lines
//                            of its members (a hash of the "member" field), and runs its own
//                            journal_runner; wall-clock time
//   replay_jsonl_reversal_window/window_days:N   one thread, under the reference programme
//                            with reversal.window_days N (effects past it settled)
//   parse_jsonl              load_event_into() of every line into one event only (no engine)
//   replay_partitioned_in_memory/threads:N   partition_journal() + replay_partitioned() of the
//                            journal loaded beforehand: linked members share a part
//
// Counters: events/s (items_per_second, wall clock), events_per_cpu_s (events over the CPU time
// of the busiest thread: what idle cores give, when the machine is shared), refused, ledger entries, peak_rss_MB (the process's
// peak resident memory during the replay, reset before it through /proc/self/clear_refs), and,
// single thread, state_B_per_member: the heap bytes of a copy of each member's state (its
// strings, lots, usage and per-event effects; the runner's map node not counted) plus
// sizeof(member_state), averaged over the members of the journal (~5 years of history each;
// state_B_median, state_B_p90 and state_B_max: the same of each member's copy, measured alone),
// with B_<part> counters: the heap bytes of each part (effects, of which their per-line records
// and earning bases, benefit usage, cap usage, redemptions, lots with points, spent lots (packed),
// vehicles, qualifying records).
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

// The member id of a JSON line, read without parsing it (as a partitioner in front of the
// loaders would): the text after "member":" up to the next quote.
std::string_view member_of(std::string_view line) {
    static constexpr std::string_view key = "\"member\":\"";
    const auto b = line.find(key);
    if (b == std::string_view::npos) return {};
    const auto start = b + key.size();
    return line.substr(start, line.find('"', start) - start);
}

struct part_result {
    std::size_t events = 0, refused = 0, entries = 0, members = 0;
    double cpu_s = 0;  // CPU time of the thread that replayed this part
};

part_result replay_part(const std::string& path, unsigned part, unsigned parts, journal_runner& run) {
    std::ifstream in(path, std::ios::binary);
    const currency c = run.versions().latest().currency_unit;
    std::string line;
    event e;  // each line read into it (its room reused)
    part_result r;
    const double cpu0 = thread_cpu_seconds();
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        if (parts > 1 && std::hash<std::string_view>{}(member_of(line)) % parts != part) continue;
        io::load_event_into(line, c, e);
        run.apply(e);
        ++r.events;
    }
    r.cpu_s = thread_cpu_seconds() - cpu0;
    r.refused = run.refusals().size();
    r.entries = run.entries().size();
    r.members = run.members().size();
    return r;
}

void reset_peak_rss() {
    std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM to the current RSS
}

double peak_rss_mb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kb = 0;
            status >> kb;
            return kb / 1024.0;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

// The heap bytes, per member, of copies of one part of every member's state. The copies are
// kept until measured (a chunk freed and taken again from malloc's caches would not be seen),
// in a vector reserved beforehand; the part's own header lies in sizeof(member_state).
template <class Part, class Count, class Copy>
double heap_per_member(const journal_runner& run, Count count, Copy copy) {
    std::size_t parts = 0;
    for (const auto& kv : run.members()) parts += count(kv.second);
    std::vector<Part> kept;
    kept.reserve(parts);
    const std::size_t before = mallinfo2().uordblks;
    for (const auto& kv : run.members()) copy(kv.second, kept);
    const std::size_t after = mallinfo2().uordblks;
    return run.members().empty() ? 0.0 : static_cast<double>(after - before) / static_cast<double>(run.members().size());
}

// Heap bytes of a copy of every member's state, averaged, plus the struct itself; and what a
// state holds on average (counters), to see where the bytes go.
double state_bytes_per_member(const journal_runner& run, benchmark::State& state) {
    double lots = 0, spent = 0, effects = 0, usage = 0, redemptions = 0;
    for (const auto& kv : run.members()) {
        lots += static_cast<double>(kv.second.lots.size() + kv.second.spent.size());
        spent += static_cast<double>(kv.second.spent.size());
        effects += static_cast<double>(kv.second.effects.size());
        usage += static_cast<double>(kv.second.cap_usage.size() + kv.second.benefit_usage.size());
        redemptions += static_cast<double>(kv.second.redemptions.size());
    }
    const double n = run.members().empty() ? 1.0 : static_cast<double>(run.members().size());
    state.counters["lots_per_member"] = lots / n;
    state.counters["spent_lots_per_member"] = spent / n;
    state.counters["effects_per_member"] = effects / n;
    state.counters["usage_per_member"] = usage / n;
    state.counters["redemptions_per_member"] = redemptions / n;
    // Where the bytes go: heap bytes of copies of each part of every state, per member.
    const auto one = [](const member_state&) { return std::size_t{1}; };
    state.counters["B_effects"] = heap_per_member<effect_book>(
        run, one, [](const member_state& m, auto& k) { k.push_back(m.effects); });
    // Of which the packed bytes of the effects (member/effect_codec.hpp), per effect.
    double packed = 0, packed_n = 0;
    for (const auto& kv : run.members())
        for (const auto& [id, record] : kv.second.effects) {
            packed += static_cast<double>(record.packed.size());
            packed_n += 1;
        }
    state.counters["packed_B_per_effect"] = packed_n > 0 ? packed / packed_n : 0;
    state.counters["B_benefit_usage"] = heap_per_member<benefit_use_log>(
        run, one, [](const member_state& m, auto& k) { k.push_back(m.benefit_usage); });
    state.counters["B_cap_usage"] = heap_per_member<std::vector<cap_use>>(
        run, one, [](const member_state& m, auto& k) { k.push_back(m.cap_usage); });
    state.counters["B_redemptions"] = heap_per_member<std::vector<redemption_use>>(
        run, one, [](const member_state& m, auto& k) { k.push_back(m.redemptions); });
    state.counters["B_lots"] =
        heap_per_member<std::vector<lot_record>>(run, one, [](const member_state& m, auto& k) { k.push_back(m.lots); });
    state.counters["B_lot_names"] =
        heap_per_member<name_table>(run, one, [](const member_state& m, auto& k) { k.push_back(m.names); });
    state.counters["B_spent_lots"] =
        heap_per_member<spent_lots>(run, one, [](const member_state& m, auto& k) { k.push_back(m.spent); });
    state.counters["B_vehicles"] = heap_per_member<std::pair<std::vector<std::string>, std::vector<vehicle_record>>>(
        run, one, [](const member_state& m, auto& k) { k.emplace_back(m.vehicles, m.vehicle_records); });
    state.counters["B_qualifying"] = heap_per_member<std::vector<qualifying_record>>(
        run, one, [](const member_state& m, auto& k) { k.push_back(m.qualifying); });
    // Each member's copy measured on its own too (the copies are kept, as above): the issue's
    // target is the median member, and a journal's members differ (a fleet account or a member
    // of many visits holds more than most).
    std::vector<member_state> copies;
    copies.reserve(run.members().size());
    std::vector<double> each;
    each.reserve(run.members().size());
    const std::size_t before = mallinfo2().uordblks;
    for (const auto& kv : run.members()) {
        const std::size_t at = mallinfo2().uordblks;
        copies.push_back(kv.second);
        each.push_back(static_cast<double>(mallinfo2().uordblks - at + sizeof(member_state)));
    }
    const std::size_t after = mallinfo2().uordblks;
    if (copies.empty()) return 0.0;
    std::sort(each.begin(), each.end());
    const auto percentile = [&each](std::size_t p) { return each[(each.size() - 1) * p / 100]; };
    state.counters["state_B_median"] = percentile(50);
    state.counters["state_B_p90"] = percentile(90);
    state.counters["state_B_max"] = each.back();
    return static_cast<double>(after - before) / static_cast<double>(copies.size()) + static_cast<double>(sizeof(member_state));
}

void replay_jsonl(benchmark::State& state) {
    const char* path = journal_path();
    if (!path) {
        state.SkipWithError("LOYALTY_BENCH_JOURNAL is not set (scripts/bench.sh sets it)");
        return;
    }
    const auto parts = static_cast<unsigned>(state.range(0));
    part_result total;
    double rss = 0, per_member = 0, max_thread_cpu = 0;
    for (auto _ : state) {
        reset_peak_rss();
        std::vector<journal_runner> runs(parts, journal_runner(versions()));
        std::vector<part_result> results(parts);
        std::vector<std::thread> threads;
        for (unsigned p = 1; p < parts; ++p)
            threads.emplace_back([&, p] { results[p] = replay_part(path, p, parts, runs[p]); });
        results[0] = replay_part(path, 0, parts, runs[0]);
        for (std::thread& t : threads) t.join();
        rss = peak_rss_mb();
        total = {};
        max_thread_cpu = 0;
        for (const part_result& r : results) {
            total.events += r.events;
            total.refused += r.refused;
            total.entries += r.entries;
            total.members += r.members;
            total.cpu_s += r.cpu_s;
            max_thread_cpu = std::max(max_thread_cpu, r.cpu_s);
        }
        if (parts == 1) {
            state.PauseTiming();
            per_member = state_bytes_per_member(runs[0], state);
            state.ResumeTiming();
        }
        state.PauseTiming();  // freeing the runners is not part of the replay
        runs.clear();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(total.events));
    state.counters["events"] = static_cast<double>(total.events);
    state.counters["members"] = static_cast<double>(total.members);
    state.counters["refused"] = static_cast<double>(total.refused);
    state.counters["entries"] = static_cast<double>(total.entries);
    state.counters["peak_rss_MB"] = rss;
    // CPU seconds of the busiest thread: on a machine shared with other work the wall-clock
    // time overstates the replay's own cost; events / this is the rate an idle core gives.
    state.counters["cpu_s_max_thread"] = max_thread_cpu;
    state.counters["cpu_s_all_threads"] = total.cpu_s;
    state.counters["events_per_cpu_s"] = max_thread_cpu > 0 ? static_cast<double>(total.events) / max_thread_cpu : 0;
    if (parts == 1) state.counters["state_B_per_member"] = per_member;
}
BENCHMARK(replay_jsonl)->ArgName("threads")->Arg(1)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

// The library's partitioned replay (engine/partition.hpp) of the journal held in memory (read
// and loaded once, before the timing): partition_journal() keeps linked members together, so
// every part count refuses what one thread refuses. Timed: the split and the replay;
// counters: refused, entries, split_s, parts_used.
void replay_partitioned_in_memory(benchmark::State& state) {
    const char* path = journal_path();
    if (!path) {
        state.SkipWithError("LOYALTY_BENCH_JOURNAL is not set (scripts/bench.sh sets it)");
        return;
    }
    static std::vector<event> journal;  // loaded once for every thread count
    if (journal.empty()) {
        std::ifstream in(path, std::ios::binary);
        const currency c = cny();
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) journal.push_back(io::load_event(line, c));
    }
    const auto parts = static_cast<std::size_t>(state.range(0));
    std::size_t refused = 0, entries = 0, used = 0;
    double split_s = 0;
    for (auto _ : state) {
        const double t0 = thread_cpu_seconds();
        const journal_partition split = partition_journal(versions(), journal, parts);
        split_s = thread_cpu_seconds() - t0;
        used = std::set<std::uint32_t>(split.part_of.begin(), split.part_of.end()).size();
        std::vector<journal_runner> runs = replay_partitioned(versions(), journal, split);
        refused = entries = 0;
        for (const journal_runner& r : runs) {
            refused += r.refusals().size();
            entries += r.entries().size();
        }
        state.PauseTiming();  // freeing the runners is not part of the replay
        runs.clear();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(journal.size()));
    state.counters["refused"] = static_cast<double>(refused);
    state.counters["entries"] = static_cast<double>(entries);
    state.counters["split_s"] = split_s;
    state.counters["parts_used"] = static_cast<double>(used);
}
BENCHMARK(replay_partitioned_in_memory)->ArgName("threads")->Arg(1)->Arg(2)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

// The reference programme with a reversal window of `days` (reversal.window_days): effects of
// events past it are settled as time rolls forward, so a member keeps the means to undo only
// recent events. One thread; the counters of replay_jsonl/threads:1 (refused: reversals or
// cancellations later than the window, which the generated journal has none of).
const program_versions& windowed_versions(int days) {
    static std::map<int, program_versions> made;
    auto it = made.find(days);
    if (it == made.end()) {
        io::json j = io::json::parse(io::reference_program_json());
        j["reversal"]["window_days"] = days;
        it = made.emplace(days, program_versions(io::load_program(j.dump()))).first;
    }
    return it->second;
}

void replay_jsonl_reversal_window(benchmark::State& state) {
    const char* path = journal_path();
    if (!path) {
        state.SkipWithError("LOYALTY_BENCH_JOURNAL is not set (scripts/bench.sh sets it)");
        return;
    }
    const program_versions& v = windowed_versions(static_cast<int>(state.range(0)));
    part_result r;
    double per_member = 0;
    for (auto _ : state) {
        journal_runner run(v);
        r = replay_part(path, 0, 1, run);
        state.PauseTiming();
        per_member = state_bytes_per_member(run, state);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(r.events));
    state.counters["events"] = static_cast<double>(r.events);
    state.counters["refused"] = static_cast<double>(r.refused);
    state.counters["entries"] = static_cast<double>(r.entries);
    state.counters["state_B_per_member"] = per_member;
}
BENCHMARK(replay_jsonl_reversal_window)->ArgName("window_days")->Arg(365)->Arg(90)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

void parse_jsonl(benchmark::State& state) {
    const char* path = journal_path();
    if (!path) {
        state.SkipWithError("LOYALTY_BENCH_JOURNAL is not set (scripts/bench.sh sets it)");
        return;
    }
    std::size_t events = 0;
    const currency c = cny();
    for (auto _ : state) {
        std::ifstream in(path, std::ios::binary);
        std::string line;
        event e;
        events = 0;
        while (std::getline(in, line)) {
            if (line.empty()) continue;
            io::load_event_into(line, c, e);
            benchmark::DoNotOptimize(e);
            ++events;
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events));
    state.counters["events"] = static_cast<double>(events);
}
BENCHMARK(parse_jsonl)->Iterations(1)->Unit(benchmark::kSecond);  // rate per CPU second

}  // namespace
