// Properties of partial reversals and rounding remainders (RapidCheck), over random repair
// orders under "1 point per 10.00" (a fractional rate, so rounding matters) or the ratio rate
// "3 points per 7.00" (sevenths, no finite decimal):
//   - partial reversals never take back more than the order earned; the order's net earning
//     stays >= 0 and is 0 after the whole reversal;
//   - replay equals live: the same journal applied through snapshots written and read back
//     between events gives the same entries and the same state;
//   - every earn entry's figures give its amount, and the chain verifies;
//   - with carry_remainder, |carried| < 1 point always, and posted points + carried = the exact
//     unrounded sum (no caps in these programmes).
// RC_PARAMS="max_success=2000" runs more cases.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"
#include "loyalty/accrual/remainder.hpp"
#include "loyalty/io/state_json.hpp"

namespace property_partial_reversal_properties {

namespace {

using namespace loyalty;

program one_per_ten(bool carry, const std::string& mode, bool ratio = false) {
    return test::variant([&](nlohmann::json& j) {
        if (ratio) {  // never with carry_remainder
            j["earning_rules"][0].erase("points_per_unit");
            j["earning_rules"][0]["rate"] = {{"points", "3"}, {"per", "7.00"}};
        } else {
            j["earning_rules"][0]["points_per_unit"] = "0.1";
        }
        j["earning_rules"][0]["rounding"] = mode;
        if (carry) j["earning_rules"][0]["carry_remainder"] = true;
        j.erase("multipliers");
    });
}

std::string cents_text(std::int64_t c) {
    std::string s = std::to_string(c / 100) + ".";
    const std::int64_t f = c % 100;
    return s + (f < 10 ? "0" : "") + std::to_string(f);
}

std::string when(int n) {  // one event per hour from 1 May 2025
    return format_instant(test::at("2025-05-01T00:00:00Z") + std::chrono::hours(n));
}

std::string ro_json(const std::string& id, int t, const std::vector<std::int64_t>& cents) {
    std::string lines;
    for (std::int64_t c : cents)
        lines += std::string(lines.empty() ? "" : ",") + R"({"kind":"part","category":"repair","unit_price":")" +
                 cents_text(c) + "\"}";
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when(t) + R"(","type":"repair_order","lines":[)" + lines +
           "]}";
}

template <class Entries>  // an outcome's entries or a runner's ledger
points net_of(const Entries& entries, const std::string& id) {
    points n;
    for (const ledger_entry& e : entries)
        if ((e.event == id && e.kind == entry_kind::earn) || e.reverses == id) n += e.amount;
    return n;
}

const char* const modes[] = {"down", "up", "half_up", "half_even", "toward_zero"};

}  // namespace

RC_GTEST_PROP(PartialReversalProperties, NeverMoreThanEarnedAndReplayEqualsLive, ()) {
    const bool ratio = *rc::gen::arbitrary<bool>();
    const bool carry = !ratio && *rc::gen::arbitrary<bool>();
    const std::string mode = modes[*rc::gen::inRange(0, 5)];
    const program prog = one_per_ten(carry, mode, ratio);
    const auto lines = *rc::gen::container<std::vector<std::int64_t>>(
        static_cast<std::size_t>(*rc::gen::inRange(1, 5)), rc::gen::inRange<std::int64_t>(1, 100000));
    std::vector<std::string> journal = {test::enrol("e0", when(0)),
                                        ro_json("x", 1, {*rc::gen::inRange<std::int64_t>(1, 50000)}),
                                        ro_json("ro", 2, lines)};
    // Random partial reversals of "ro": a line, or money on the order or on a line.
    const int steps = *rc::gen::inRange(0, 6);
    for (int k = 0; k < steps; ++k) {
        const std::string id = "p" + std::to_string(k);
        const std::string head = R"({"id":")" + id + R"(","member":"M1","at":")" + when(3 + k) +
                                 R"(","type":"reverse","event":"ro")";
        if (*rc::gen::arbitrary<bool>())
            journal.push_back(head + R"(,"lines":[)" + std::to_string(*rc::gen::inRange<std::size_t>(0, lines.size())) + "]}");
        else
            journal.push_back(head + R"(,"amount":")" + cents_text(*rc::gen::inRange<std::int64_t>(1, 20000)) + "\"" +
                              (*rc::gen::arbitrary<bool>()
                                   ? R"(,"line":)" + std::to_string(*rc::gen::inRange<std::size_t>(0, lines.size()))
                                   : std::string()) +
                              "}");
    }
    journal.push_back(test::reverse_of("whole", when(20), "ro"));

    test::member_run live(prog);
    member_state replayed("M1");
    std::vector<ledger_entry> replayed_entries;
    const program_versions versions(prog);
    points earned;
    for (const std::string& text : journal) {
        const outcome o = live.apply(text);
        // The same event on a state written to a snapshot and read back.
        const member_state from_snapshot = io::state_from_json(io::parse_exact(io::state_to_json_text(replayed)));
        RC_ASSERT(from_snapshot == replayed);
        const outcome r = apply(versions, from_snapshot, test::ev(text));
        RC_ASSERT(r.refused == o.refused);
        if (r.accepted()) {
            replayed = r.state;
            replayed_entries.insert(replayed_entries.end(), r.entries.begin(), r.entries.end());
        }
        if (o.accepted() && text.find("\"ro\",\"member\"") != std::string::npos) earned = net_of(o.entries, "ro");
        const points net = net_of(live.entries(), "ro");
        RC_ASSERT(net >= points(0));
        RC_ASSERT(net <= earned);
        const auto c = live.state().carries.find("service-spend");
        if (c != live.state().carries.end()) {
            RC_ASSERT(c->second < decimal::integer(1));
            RC_ASSERT(decimal::integer(-1) < c->second);
        }
    }
    RC_ASSERT(net_of(live.entries(), "ro") == points(0));
    RC_ASSERT(replayed == live.state());
    RC_ASSERT(replayed_entries == live.entries());
    for (const ledger_entry& e : live.entries())
        if (e.kind == entry_kind::earn) {
            RC_ASSERT(e.figures.has_value());
            if (e.rule == "service-spend") RC_ASSERT(e.figures->per == (ratio ? 700 : 0));  // 7.00 in minor units
            RC_ASSERT(figures_problem(*e.figures, e.amount).empty());
        }
    RC_ASSERT(!verify_chain(live.entries()));
}

RC_GTEST_PROP(PartialReversalProperties, CarriedRemainderStaysUnderOnePointAndAddsUp, ()) {
    const std::string mode = modes[*rc::gen::inRange(0, 5)];
    test::member_run run(one_per_ten(true, mode));
    run.apply(test::enrol("e0", when(0)));
    const auto orders = *rc::gen::container<std::vector<std::int64_t>>(
        static_cast<std::size_t>(*rc::gen::inRange(1, 15)), rc::gen::inRange<std::int64_t>(1, 100000));
    exact_points exact;  // the exact unrounded sum of the orders' points: cents x 0.1 / 100
    points posted;
    for (std::size_t i = 0; i < orders.size(); ++i) {
        const outcome o = run.apply(ro_json("r" + std::to_string(i), static_cast<int>(i) + 1, {orders[i]}));
        RC_ASSERT(o.accepted());
        exact = add(exact, exact_points{int128(orders[i]), 3});
        for (const ledger_entry& e : o.entries)
            if (e.kind == entry_kind::earn && e.rule == "service-spend") posted += e.amount;
        const auto c = run.state().carries.find("service-spend");
        const decimal carried = c == run.state().carries.end() ? decimal() : c->second;
        RC_ASSERT(carried < decimal::integer(1));
        RC_ASSERT(decimal::integer(-1) < carried);
        // posted + carried == exact, exactly
        const exact_points lhs = add(exact_of(posted.count()), exact_of(carried));
        const exact_points diff = add(lhs, exact, true);
        RC_ASSERT(diff.numerator == 0);
    }
}

}  // namespace property_partial_reversal_properties
