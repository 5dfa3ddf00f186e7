// loyalty-bench: apply_in_place() per event type, as journal_runner applies events (no copy
// of the member's state), for the member with two years of history of bench_support.hpp
// (an enrolment for a new member). The event is already parsed.
//
//   apply_in_place/<type>        one event of that type, on January 5-6, 2027
//   apply_in_place/repair_order_8_lines_without_explanation   the order with explanation::none
//
// Each copy of the state takes the event once (a second time would be a duplicate), so a pool
// of copies is refilled outside the timed region; only apply_in_place() is timed. Every
// benchmark first checks that its event is accepted.
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_support.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

void run_in_place(benchmark::State& state, const member_state& start, const event& e,
                  const program_versions& v = versions(), explanation x = explanation::full) {
    {
        member_state check = start;
        const outcome o = apply_in_place(v, check, e, detail::no_stock(), nullptr, nullptr, x);
        if (!o.accepted()) {
            state.SkipWithError(("refused: " + o.message).c_str());
            return;
        }
    }
    std::vector<member_state> pool;
    std::size_t next = 0;
    for (auto _ : state) {
        if (next == pool.size()) {
            state.PauseTiming();
            pool.assign(256, start);
            next = 0;
            state.ResumeTiming();
        }
        outcome o = apply_in_place(v, pool[next++], e, detail::no_stock(), nullptr, nullptr, x);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
}

instant jan5() { return at("2027-01-05T10:00:00+08:00"); }

void BM_enrol(benchmark::State& state) {
    run_in_place(state, member_state("M0002"), make("b-enrol", "M0002", jan5(), events::enrol{}));
}
void BM_vehicle_purchase(benchmark::State& state) {
    run_in_place(state, member_with_history(),
                 make("b-vp", "M0001", jan5(), events::vehicle_purchase{"LFV3A23C0R3000002", money(18680000, cny())}));
}
void BM_repair_order(benchmark::State& state) {
    run_in_place(state, member_with_history(), io::load_event(ro_json, cny()));
}
// The same without explanation: no trace, and the entries' reasons left to the edge that shows
// them (what a replay's engine does: `loyalty run`, the store, partitioned replays).
void BM_repair_order_without_explanation(benchmark::State& state) {
    run_in_place(state, member_with_history(), io::load_event(ro_json, cny()), versions(), explanation::none);
}
// The same order under a programme with tiers: the difference is what tier evaluation costs.
void BM_repair_order_tiered(benchmark::State& state) {
    run_in_place(state, tiered_member_with_history(), io::load_event(ro_json, cny()), tiered_versions());
}
// The same order under tiers that change nothing it earns or is given: against
// apply_in_place/repair_order_8_lines, the difference is tier evaluation alone.
void BM_repair_order_tiers_without_effect(benchmark::State& state) {
    run_in_place(state, member_with_history_under_tiers_without_effect(), io::load_event(ro_json, cny()),
                 tiers_without_effect_versions());
}
void BM_repair_order_estimate(benchmark::State& state) {
    event e = io::load_event(ro_json, cny());
    std::get<events::repair_order>(e.body).status = events::ro_status::estimate;
    run_in_place(state, member_with_history(), e);
}
// The referrer's side of a referred member's first paid visit: settle_referral_in_place() on
// the member with history (the referred member's own apply_in_place is the visit's benchmark).
void BM_referral(benchmark::State& state) {
    const program_versions& v = versions();
    const event visit = make("b-ref", "M0777", jan5(), events::vehicle_purchase{"LFV3A23C0R3000777", money(18680000, cny())});
    outcome due;
    due.referral = referral_settlement{"M0001", "b-ref", false};
    std::vector<member_state> pool;
    std::size_t next = 0;
    for (auto _ : state) {
        if (next == pool.size()) {
            state.PauseTiming();
            pool.assign(256, member_with_history());
            next = 0;
            state.ResumeTiming();
        }
        outcome o = due;
        settle_referral_in_place(v, pool[next++], visit, o);
        benchmark::DoNotOptimize(o);
    }
    state.SetItemsProcessed(state.iterations());
}
void BM_survey(benchmark::State& state) {
    run_in_place(state, member_with_history(), make("b-srv", "M0001", jan5(), events::survey{"CSI-27-01", ""}));
}
void BM_birthday(benchmark::State& state) {
    run_in_place(state, member_with_history(), make("b-bday", "M0001", jan5(), events::birthday{}));
}
void BM_adjustment_credit(benchmark::State& state) {
    run_in_place(state, member_with_history(), make("b-adj", "M0001", jan5(), events::adjustment{points(300), "goodwill", "op"}));
}
void BM_adjustment_debit(benchmark::State& state) {
    run_in_place(state, member_with_history(), make("b-adj", "M0001", jan5(), events::adjustment{points(-300), "gift", "op"}));
}
void BM_reverse(benchmark::State& state) {
    // The history's last repair order (its 13th event): its points are still live.
    const member_state& s = member_with_history();
    std::string last_ro;
    for (const auto& [id, record] : s.effects)
        if (record.summary.type == event_type::repair_order &&
            (last_ro.empty() || record.summary.at > s.effects.summary(last_ro)->at))
            last_ro = id;
    run_in_place(state, s, make("b-rev", "M0001", jan5(), events::reverse{last_ro, "disputed"}));
}
void BM_benefit_use(benchmark::State& state) {
    run_in_place(state, member_with_history(),
                 make("b-use", "M0001", jan5(), events::benefit_use{"insurance-renewal", "POL-27", 0}));
}
void BM_tick_with_expiries(benchmark::State& state) {
    // Two years on, the lots of 2025 have expired: the tick posts their expiries.
    run_in_place(state, member_with_history(), make("b-tick", "M0001", at("2027-06-01T00:00:00+08:00"), events::tick{}));
}

BENCHMARK(BM_enrol)->Name("apply_in_place/enrol");
BENCHMARK(BM_vehicle_purchase)->Name("apply_in_place/vehicle_purchase");
BENCHMARK(BM_repair_order)->Name("apply_in_place/repair_order_8_lines");
BENCHMARK(BM_repair_order_without_explanation)->Name("apply_in_place/repair_order_8_lines_without_explanation");
BENCHMARK(BM_repair_order_tiered)->Name("apply_in_place/repair_order_8_lines_tiered");
BENCHMARK(BM_repair_order_tiers_without_effect)->Name("apply_in_place/repair_order_8_lines_tiers_without_effect");
BENCHMARK(BM_repair_order_estimate)->Name("apply_in_place/repair_order_estimate");
BENCHMARK(BM_referral)->Name("settle_referral_in_place/referrer");
BENCHMARK(BM_survey)->Name("apply_in_place/survey");
BENCHMARK(BM_birthday)->Name("apply_in_place/birthday");
BENCHMARK(BM_adjustment_credit)->Name("apply_in_place/adjustment_credit");
BENCHMARK(BM_adjustment_debit)->Name("apply_in_place/adjustment_debit");
BENCHMARK(BM_reverse)->Name("apply_in_place/reverse_repair_order");
BENCHMARK(BM_benefit_use)->Name("apply_in_place/benefit_use");
BENCHMARK(BM_tick_with_expiries)->Name("apply_in_place/tick_with_expiries");

}  // namespace
