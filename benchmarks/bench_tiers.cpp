// loyalty-bench: what tiers add to a journal replay, per event, on a realistic mix (issue 5:
// tier evaluation adds at most 200 ns to apply() on average). The first events of the journal
// in LOYALTY_BENCH_JOURNAL (scripts/generate_journal.py; 20,000 unless
// LOYALTY_BENCH_TIER_EVENTS says otherwise) are parsed once, then replayed through a
// journal_runner that hands its entries to a sink (no ledger kept, so the ledger's growth does
// not blur the comparison) under three programmes:
//
//   replay_parsed/untiered                  the reference programme
//   replay_parsed/unreached_tiers           + two tiers no member reaches: every event is
//                                           judged, nothing changes (the judgement alone)
//   replay_parsed/tiers_without_effect      + silver/gold/platinum on calendar-year points that
//                                           change nothing the members earn: the judgement, the
//                                           tier_change entries and the yearly reviews
//   replay_parsed/untiered_ledger_kept      the first, with a runner that keeps the whole ledger
//                                           (entries()): what streaming the entries saves
//
// Run with --benchmark_repetitions=9 --benchmark_enable_random_interleaving=true and compare
// the medians of items_per_second (events per second): the three differ by a few per cent,
// less than a shared machine's drift between separate runs.
#include <cstdlib>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

const std::vector<event>* parsed_journal() {
    static const std::vector<event>* parsed = []() -> const std::vector<event>* {
        const char* path = journal_path();
        if (!path) return nullptr;
        const char* limit = std::getenv("LOYALTY_BENCH_TIER_EVENTS");
        return new std::vector<event>(load_journal_lines(path, limit ? std::strtoull(limit, nullptr, 10) : 20000));
    }();
    return parsed;
}

void replay_parsed(benchmark::State& state, const program_versions& (*under)(), bool keep_ledger = false) {
    const std::vector<event>* events = parsed_journal();
    if (!events) {
        state.SkipWithError("LOYALTY_BENCH_JOURNAL is not set (scripts/bench.sh sets it)");
        return;
    }
    std::size_t entries = 0, refused = 0;
    for (auto _ : state) {
        entries = 0;
        journal_runner run = keep_ledger ? journal_runner(under())
                                         : journal_runner(under(), [&](const std::vector<ledger_entry>& e) {
                                               entries += e.size();
                                           });
        for (const event& e : *events) run.apply(e);
        if (keep_ledger) entries = run.entries().size();
        refused = run.refusals().size();
        state.PauseTiming();  // freeing the members' states is not part of the replay
        { journal_runner gone = std::move(run); }
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(events->size()));
    state.counters["events"] = static_cast<double>(events->size());
    state.counters["entries"] = static_cast<double>(entries);
    state.counters["refused"] = static_cast<double>(refused);
}

}  // namespace

BENCHMARK_CAPTURE(replay_parsed, untiered, &versions)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(replay_parsed, unreached_tiers, &unreached_tiers_versions)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(replay_parsed, tiers_without_effect, &tiers_without_effect_versions)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(replay_parsed, untiered_ledger_kept, &versions, true)->Unit(benchmark::kMillisecond);
