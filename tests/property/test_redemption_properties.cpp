// Properties of redemption (RapidCheck): over random journals of repair orders, redemptions of
// the reference catalogue, cancellations and ticks for one member,
//   - the balance is the sum of the lots less debt, and the last entry's running balance;
//   - no lot ever holds negative points, and the available balance is never negative;
//   - a redemption cancelled at once gives back exactly what it took, lot by lot: no points are
//     created or lost by a redeem/cancel round trip.
// RC_PARAMS="max_success=2000" runs more cases.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"

namespace property_redemption_properties {

namespace {

using namespace loyalty;

const char* const rewards[] = {"car-care-kit", "wiper-blades", "labour-voucher-100", "floor-mats", "rice-cooker"};

std::string at_text(date::sys_seconds t) { return format_instant(t); }

void check_invariants(const member_state& s, const std::vector<ledger_entry>& entries, date::sys_seconds now) {
    points lots;
    for (const lot_record& l : s.lots) {
        RC_ASSERT(l.remaining >= points(0));
        lots += l.remaining;
    }
    RC_ASSERT(s.balance() == lots - s.debt);
    if (!entries.empty()) RC_ASSERT(entries.back().balance == s.balance());
    RC_ASSERT(s.available(now) >= points(0));
}

}  // namespace

RC_GTEST_PROP(RedemptionProperties, BalancesHoldAndRoundTripsCreateNothing, ()) {
    test::member_run run(test::points_only());
    date::sys_seconds now = test::at("2025-01-10T02:00:00Z");
    RC_ASSERT(run.apply(test::enrol("e0", at_text(now))).accepted());
    std::vector<std::string> redemptions;
    const int steps = *rc::gen::inRange(5, 40);
    for (int i = 0; i < steps; ++i) {
        now += std::chrono::hours(*rc::gen::inRange(1, 24 * 45));
        const std::string id = "e" + std::to_string(i + 1);
        const int what = *rc::gen::inRange(0, 10);
        if (what < 4) {
            const int yuan = *rc::gen::inRange(1, 3000);
            run.apply(test::simple_ro(id, at_text(now), std::to_string(yuan) + ".00"));
        } else if (what < 8) {
            const std::string reward = rewards[*rc::gen::inRange(0, 5)];
            const int quantity = *rc::gen::inRange(1, 3);
            const int option = *rc::gen::inRange(0, 2);
            const std::string text = test::simple(id, at_text(now), "redeem",
                                                  R"(,"reward":")" + reward + R"(","quantity":)" +
                                                      std::to_string(quantity) + R"(,"option":)" + std::to_string(option));
            member_state before = run.state();
            const outcome o = run.apply(text);
            if (o.accepted()) {
                // Lots that expired at this instant are posted first, by the redemption itself
                // (step 2): they are what the redemption met, and what a cancellation restores.
                for (const ledger_entry& x : o.entries)
                    if (x.kind == entry_kind::expire) before.find_lot(x.lot)->remaining += x.amount;
                RC_ASSERT(run.state().balance() < before.balance());
                redemptions.push_back(id);
                // Cancelled at the same instant: every lot is back where it was.
                if (*rc::gen::inRange(0, 3) == 0) {
                    const outcome c = run.apply(test::simple(id + "-c", at_text(now), "cancel_redemption",
                                                             R"(,"redemption":")" + id + "\""));
                    RC_ASSERT(c.accepted());
                    const member_state& after = run.state();
                    RC_ASSERT(after.balance() == before.balance());
                    const std::vector<lot> lots_after = after.all_lots(), lots_before = before.all_lots();
                    RC_ASSERT(lots_after.size() == lots_before.size());
                    for (std::size_t k = 0; k < lots_after.size(); ++k)
                        RC_ASSERT(lots_after[k].remaining == lots_before[k].remaining);
                }
            }
        } else if (what < 9 && !redemptions.empty()) {
            const std::string target = redemptions[*rc::gen::inRange<std::size_t>(0, redemptions.size())];
            run.apply(test::simple(id, at_text(now), "cancel_redemption", R"(,"redemption":")" + target + "\""));
        } else {
            run.apply(test::tick(id, at_text(now)));
        }
        check_invariants(run.state(), run.entries(), now);
    }
    RC_ASSERT(!verify_chain(run.entries()).has_value());
}

}  // namespace property_redemption_properties
