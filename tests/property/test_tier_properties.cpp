// Properties of tiers (RapidCheck): over random single-member journals under the tiered club of
// tier_support.hpp (calendar year, or rolling 30 / 365 days) — paid repair orders of any size,
// vehicle purchases, reversals, point spends, ticks and manual assignments, days to months apart —
//   - replay equals live: applying the journal straight through, and applying it to a state
//     rebuilt from its JSON snapshot after every event (as the store does), give the same tier,
//     the same state and the same ledger;
//   - qualifying figures are never negative;
//   - the member holds exactly one tier at any instant once enrolled (silver is the base
//     tier), and every tier change names the tier before it: the chain of tier_change entries
//     moves from the tier held to the next one without a gap.
// RC_PARAMS="max_success=2000" runs more cases.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/io/state_json.hpp"
#include "tier_support.hpp"

namespace property_tier_properties {

namespace {

using namespace loyalty;

std::vector<std::string> gen_journal() {
    std::vector<std::string> out{test::enrol("e0", "2025-01-10T02:00:00Z")};
    date::sys_seconds t = test::at("2025-01-10T02:00:00Z");
    std::vector<std::string> orders;
    const int n = *rc::gen::inRange(3, 40);
    for (int i = 0; i < n; ++i) {
        t += std::chrono::hours(*rc::gen::element(1, 7, 24 * 3, 24 * 40, 24 * 200));
        const std::string id = "x" + std::to_string(i);
        const std::string when = format_instant(t);
        switch (*rc::gen::inRange(0, 7)) {
            case 0:
            case 1:
                out.push_back(test::simple_ro(id, when, std::to_string(*rc::gen::inRange(1, 6000)) + ".00"));
                orders.push_back(id);
                break;
            case 2:
                if (!orders.empty()) out.push_back(test::reverse_of(id, when, *rc::gen::elementOf(orders)));
                break;
            case 3: out.push_back(test::adjust(id, when, -*rc::gen::inRange(1, 500))); break;
            case 4: out.push_back(test::assign(id, when, *rc::gen::element<std::string>("silver", "gold", "platinum", "x")));
                break;
            case 5:  // a vehicle purchase: qualifying points, spend, a paid visit and a vehicle; reversible
                out.push_back(test::simple(id, when, "vehicle_purchase",
                                           R"(,"vin":"V)" + id + R"(","price":")" +
                                               std::to_string(*rc::gen::inRange(50000, 400000)) + R"(.00")"));
                orders.push_back(id);
                break;
            default: out.push_back(test::tick(id, when)); break;
        }
    }
    return out;
}

std::string tier_before(const ledger_entry& e) { return e.reason.substr(0, e.reason.find(" -> ")); }

}  // namespace

RC_GTEST_PROP(TierProperties, ReplayEqualsLiveAndOneTierAtATime, ()) {
    const std::string window = *rc::gen::element<std::string>(
        R"({"period":"calendar_year"})", R"({"period":"rolling_days","days":30})",
        R"({"period":"anniversary_year"})");
    static const program_versions by_window[] = {program_versions(test::tiered(R"({"period":"calendar_year"})")),
                                                 program_versions(test::tiered(R"({"period":"rolling_days","days":30})")),
                                                 program_versions(test::tiered(R"({"period":"anniversary_year"})"))};
    const program_versions& club = by_window[window.find("rolling") != std::string::npos ? 1
                                             : window.find("anniversary") != std::string::npos ? 2 : 0];
    const std::vector<std::string> journal = gen_journal();
    const currency cny = club.latest().currency_unit;

    member_state straight("M1"), snapshotted("M1");
    std::vector<ledger_entry> live, replayed;
    std::string held;  // the tier according to the chain of tier_change entries
    for (const std::string& text : journal) {
        const event e = io::load_event(text, cny);
        const outcome a = apply(club, straight, e);
        const member_state from_snapshot = io::state_from_json(io::state_to_json(snapshotted));
        const outcome b = apply(club, from_snapshot, e);
        RC_ASSERT(a.refused == b.refused);
        if (!a.accepted()) continue;
        straight = a.state;
        snapshotted = b.state;
        live.insert(live.end(), a.entries.begin(), a.entries.end());
        replayed.insert(replayed.end(), b.entries.begin(), b.entries.end());
        for (const ledger_entry& x : a.entries) {
            if (x.kind != entry_kind::tier_change) continue;
            RC_ASSERT(tier_before(x) == (held.empty() ? std::string("no tier") : held));
            RC_ASSERT(x.rule != held);
            held = x.rule;
        }
        RC_ASSERT(straight.tier == held);
        RC_ASSERT(club.latest().tiers->index_of(straight.tier) >= 0);  // exactly one, and a real one
        for (const qualifying_record& q : straight.qualifying) {
            RC_ASSERT(q.earned >= points(0));
            RC_ASSERT(!q.spend.is_negative());
            RC_ASSERT(q.visits >= 0);
            RC_ASSERT(q.vehicles >= 0);
        }
    }
    RC_ASSERT(straight == snapshotted);
    RC_ASSERT(live == replayed);
}

}  // namespace property_tier_properties
