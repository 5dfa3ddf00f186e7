// loyalty-bench-redeem: redeem() against a member with 100 lots (issue 6: mean at most 1 us).
//
//   redeem/apply_in_place_100_lots   a 1,500-point redemption through the engine (admission,
//                                    expiry roll-forward, refusal checks, one entry per lot
//                                    touched); the member state is copied outside the timing
//   redeem/apply_in_place_100_lots_without_explanation   the same with explanation::none: no
//                                    trace, the entries' reasons left to the edge (a replay's)
//   redeem/check_100_lots            check_redeem() alone: every refusal decided, nothing changed
//
// The member earned 100 lots of 30 points on 100 consecutive days; the floor mats (1,500 points)
// spend the 50 soonest-expiring lots (50 x 30 = 1,500), so the redemption writes 50 entries.
#include <string>

#include <benchmark/benchmark.h>

#include "bench_support.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

template <explanation X>
void redeem_apply_in_place(benchmark::State& state) {
    const member_state& base = member_with_100_lots();
    const event e = redemption();
    const program_versions& v = versions();
    std::size_t entries = 0;
    for (auto _ : state) {
        state.PauseTiming();
        member_state s = base;
        state.ResumeTiming();
        const outcome o = apply_in_place(v, s, e, detail::no_stock(), nullptr, nullptr, X);
        if (!o.accepted()) state.SkipWithError(o.message.c_str());
        entries = o.entries.size();
        benchmark::DoNotOptimize(o);
    }
    state.counters["entries"] = static_cast<double>(entries);
}
BENCHMARK_TEMPLATE(redeem_apply_in_place, explanation::full)->Name("redeem/apply_in_place_100_lots");
BENCHMARK_TEMPLATE(redeem_apply_in_place, explanation::none)->Name("redeem/apply_in_place_100_lots_without_explanation");

void redeem_check(benchmark::State& state) {
    const member_state& s = member_with_100_lots();
    const events::redeem r{"floor-mats", 1, 0};
    const instant t = at("2025-06-01T10:00:00+08:00");
    const program& p = reference();
    const reward_stock stock;
    for (auto _ : state) benchmark::DoNotOptimize(check_redeem(p, s, stock, r, t));
}
BENCHMARK(redeem_check)->Name("redeem/check_100_lots");

}  // namespace
