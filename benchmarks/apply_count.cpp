// loyalty-apply-count: applies one event of bench_support.hpp to N fresh copies of a member's
// state, in one function that nothing else calls, so that an instruction counter can measure
// exactly what apply_in_place() costs (scripts/count_apply.sh runs it under callgrind, which
// is exact and undisturbed by other load on the machine; Google Benchmark's times are not).
//
//   loyalty-apply-count CASE [N]     CASE: repair_order, repair_order_tiers_without_effect,
//                                    repair_order_tiered, repair_order_without_explanation (the
//                                    first with explanation::none: no trace and no sentences,
//                                    what a replay's engine does), redeem_100_lots[_without_explanation]
//                                    (bench_support.hpp's redemption across 100 lots); N copies
//                                    (default 100)
//   loyalty-apply-count price_20_lines [N] | price_20_lines_without_explanation [N]
//                                    price() of bench_support.hpp's 20-line order for the member
//                                    with history, N times (its own measured function)
//   loyalty-apply-count replay JOURNAL [tiers_without_effect | unreached_tiers]
//                                    every event of a JSON-lines journal (scripts/generate_journal.py)
//                                    through one journal_runner, under the reference programme, or
//                                    under it with tiers that change nothing the members earn, or
//                                    with tiers no member reaches: the average over a realistic
//                                    mix of events and of members' histories
//   loyalty-apply-count steady JOURNAL [SHARE]
//                                    what `loyalty run` does per line, counted line by line: each
//                                    line read into one event (io::load_event_into) and applied
//                                    by a journal_runner without explanation whose entries go to
//                                    a sink; prints the share of events that made no heap
//                                    allocation at all (the rest are a member's containers
//                                    growing: nothing transient is allocated per event). With
//                                    SHARE (0..1), exits 1 when fewer events than that made none.
//
// Every copy is made, and every journal line parsed, before the measured function runs; the
// event must be accepted (a replay prints how many were refused). Both also print how many
// heap allocations the measured function made (operator new, counted here): issue 21 asks for
// none per event in steady state.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "bench_support.hpp"
#include "loyalty/io/journal_lines.hpp"
#include "count_allocations.hpp"

namespace {

using namespace loyalty;
using namespace loyalty::bench;

// The 8-line repair order of bench_support.hpp, read from its JSON.
event repair_order_event() { return io::load_event(ro_json, cny()); }

struct bench_case {
    const char* name;
    const member_state& (*start)();
    const program_versions& (*under)();
    explanation x = explanation::full;
    event (*what)() = repair_order_event;
};

const bench_case cases[] = {
    {"repair_order", member_with_history, versions},
    {"repair_order_tiers_without_effect", member_with_history_under_tiers_without_effect,
     tiers_without_effect_versions},
    {"repair_order_tiered", tiered_member_with_history, tiered_versions},
    {"repair_order_without_explanation", member_with_history, versions, explanation::none},
    {"redeem_100_lots", member_with_100_lots, versions, explanation::full, redemption},
    {"redeem_100_lots_without_explanation", member_with_100_lots, versions, explanation::none, redemption},
};

// What is measured: toggle-collect on this function's name.
[[gnu::noinline]] std::size_t measured_apply_all(const program_versions& v, std::vector<member_state>& copies,
                                                 const event& e, explanation x) {
    std::size_t accepted = 0;
    for (member_state& s : copies)
        accepted += apply_in_place(v, s, e, detail::no_stock(), nullptr, nullptr, x).accepted() ? 1 : 0;
    return accepted;
}

[[gnu::noinline]] std::size_t measured_price_all(const program& p, const member_state& s,
                                                 const events::repair_order& ro, instant t, long n, explanation x) {
    std::size_t adjustments = 0;
    for (long i = 0; i < n; ++i)
        for (const priced_line& l : price(p, s, ro, t, nullptr, x).lines) adjustments += l.adjustments.size();
    return adjustments;
}

// price() of the 20-line order, n times: prints the allocations per call.
int count_price(long n, explanation x, const char* name) {
    const program& p = reference();
    const member_state& s = member_with_history();
    const events::repair_order ro = twenty_line_order();
    const instant t = at("2027-01-05T10:00:00+08:00");
    const std::size_t allocations0 = allocations_made();
    const std::size_t adjustments = measured_price_all(p, s, ro, t, n, x);
    const std::size_t made = allocations_made() - allocations0;
    std::printf("%s: %zu adjustments over %ld prices, %.1f allocations per price\n", name, adjustments, n,
                static_cast<double>(made) / static_cast<double>(n));
    return adjustments == 0 ? 1 : 0;
}

[[gnu::noinline]] std::size_t measured_replay(journal_runner& run, const std::vector<event>& events) {
    for (const event& e : events) run.apply(e);
    return run.refusals().size();
}

// The programmes a replay may be judged under, by the name on the command line.
const program_versions* programme_named(const std::string& name) {
    if (name.empty()) return &versions();
    if (name == "tiers_without_effect") return &tiers_without_effect_versions();
    if (name == "unreached_tiers") return &unreached_tiers_versions();
    return nullptr;
}

int replay(const char* path, const std::string& under) {
    const program_versions* v = programme_named(under);
    if (!v) {
        std::fprintf(stderr, "unknown programme '%s'\n", under.c_str());
        return 2;
    }
    std::vector<event> events;
    try {
        events = load_journal_lines(path);
    } catch (const std::exception& x) {  // an unreadable file or a line that is not an event
        std::fprintf(stderr, "%s: %s\n", path, x.what());
        return 2;
    }
    journal_runner run(*v);
    const double cpu0 = thread_cpu_seconds();
    const std::size_t allocations0 = allocations_made();
    const std::size_t refused = measured_replay(run, events);
    const std::size_t made = allocations_made() - allocations0;
    const double cpu = thread_cpu_seconds() - cpu0;
    const auto per_event = static_cast<double>(events.empty() ? 1 : events.size());
    std::printf("replay%s%s: %zu events, %zu refused, %zu entries, %.0f ns CPU per event, %.1f allocations per event\n",
                under.empty() ? "" : " under ", under.c_str(), events.size(), refused, run.entries().size(),
                cpu * 1e9 / per_event, static_cast<double>(made) / per_event);
    return 0;
}

// One line read and applied, as `loyalty run` does; the allocations it made.
[[gnu::noinline]] std::size_t measured_line(journal_runner& run, std::string_view text, const currency& c, event& e) {
    const std::size_t before = allocations_made();
    io::load_event_into(text, c, e);
    run.apply(e);
    return allocations_made() - before;
}

int steady(const char* path, double share_wanted) {
    const program_versions& v = versions();
    std::size_t entries = 0;
    journal_runner run(v, entry_list_sink{[&](const entry_list& written) { entries += written.size(); }});
    run.set_explanation(explanation::none);
    event e;
    std::size_t events = 0, without = 0, made = 0, most = 0;
    try {
        io::journal_lines lines(path);  // as `loyalty run` reads a journal: blocks, lines as views
        std::string_view line;
        while (lines.next(line)) {
            const std::size_t n = measured_line(run, line, v.latest().currency_unit, e);
            ++events;
            made += n;
            without += n == 0 ? 1 : 0;
            most = std::max(most, n);
        }
    } catch (const std::exception& x) {  // an unreadable file, or a line that is not an event
        std::fprintf(stderr, "%s, event %zu: %s\n", path, events + 1, x.what());
        return 2;
    }
    const double share = events == 0 ? 0 : static_cast<double>(without) / static_cast<double>(events);
    std::printf("steady: %zu events, %zu refused, %zu entries, %.2f allocations per event, %.1f%% of events made none, "
                "at most %zu for one event\n",
                events, run.refusals().size(), entries, static_cast<double>(made) / static_cast<double>(events ? events : 1),
                share * 100, most);
    return share >= share_wanted ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: loyalty-apply-count CASE [N] | price_20_lines[_without_explanation] [N] | replay JOURNAL [tiers_without_effect | unreached_tiers] | steady JOURNAL [SHARE]\n");
        return 2;
    }
    const std::string name = argv[1];
    if (name == "replay" && argc > 2) return replay(argv[2], argc > 3 ? argv[3] : "");
    if (name == "steady" && argc > 2) return steady(argv[2], argc > 3 ? std::strtod(argv[3], nullptr) : 0.0);
    const long n = argc > 2 ? std::max(1L, std::strtol(argv[2], nullptr, 10)) : 100;
    if (name == "price_20_lines") return count_price(n, explanation::full, argv[1]);
    if (name == "price_20_lines_without_explanation") return count_price(n, explanation::none, argv[1]);
    for (const bench_case& c : cases) {
        if (name != c.name) continue;
        const event e = c.what();
        std::vector<member_state> copies(static_cast<std::size_t>(n), c.start());
        const std::size_t allocations0 = allocations_made();
        const std::size_t accepted = measured_apply_all(c.under(), copies, e, c.x);
        const std::size_t made = allocations_made() - allocations0;
        std::printf("%s: %zu of %zu applied, %.1f allocations per apply\n", c.name, accepted, copies.size(),
                    static_cast<double>(made) / static_cast<double>(copies.size()));
        return accepted == copies.size() ? 0 : 1;
    }
    std::fprintf(stderr, "unknown case '%s'\n", name.c_str());
    return 2;
}
