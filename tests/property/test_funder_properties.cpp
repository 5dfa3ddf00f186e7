// Property (issue 11): the liability and roll-forward splits by funder and by store add up to
// the totals exactly, whatever a member earns, redeems, adjusts and reverses, at whichever stores.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"
#include "loyalty/audit/liability.hpp"
#include "loyalty/audit/rollforward.hpp"

namespace property_funder_properties {

using namespace loyalty;
using namespace loyalty::test;

namespace {

liability_line sum_of(const std::vector<liability_line>& lines) {
    liability_line s;
    s.consideration = s.deferred = s.released_on_redemption = s.released_otherwise = s.released_on_breakage =
        s.derecognised = yuan("0");
    for (const liability_line& l : lines) {
        s.issued += l.issued;
        s.redeemed += l.redeemed;
        s.used_otherwise += l.used_otherwise;
        s.expired += l.expired;
        s.reversed += l.reversed;
        s.outstanding += l.outstanding;
        s.deferred += l.deferred;
        s.consideration += l.consideration;
        s.released_on_redemption += l.released_on_redemption;
        s.released_on_breakage += l.released_on_breakage;
    }
    return s;
}

void expect_sums(const std::vector<liability_line>& lines, const liability_line& t) {
    const liability_line s = sum_of(lines);
    RC_ASSERT(s.issued == t.issued);
    RC_ASSERT(s.redeemed == t.redeemed);
    RC_ASSERT(s.used_otherwise == t.used_otherwise);
    RC_ASSERT(s.expired == t.expired);
    RC_ASSERT(s.reversed == t.reversed);
    RC_ASSERT(s.outstanding == t.outstanding);
    RC_ASSERT(s.deferred == t.deferred);
    RC_ASSERT(s.consideration == t.consideration);
    RC_ASSERT(s.released_on_redemption == t.released_on_redemption);
    RC_ASSERT(s.released_on_breakage == t.released_on_breakage);
}

void expect_sums(const std::vector<rollforward_split>& splits, const rollforward_line& t) {
    rollforward_line s;
    for (const rollforward_split& x : splits) {
        RC_ASSERT(x.line.reconciles());
        s.opening += x.line.opening;
        s.earned += x.line.earned;
        s.redeemed += x.line.redeemed;
        s.expired += x.line.expired;
        s.reversed += x.line.reversed;
        s.adjusted += x.line.adjusted;
        s.debt += x.line.debt;
        s.other += x.line.other;
        s.closing += x.line.closing;
        s.entries += x.line.entries;
    }
    RC_ASSERT(s.opening == t.opening);
    RC_ASSERT(s.earned == t.earned);
    RC_ASSERT(s.redeemed == t.redeemed);
    RC_ASSERT(s.expired == t.expired);
    RC_ASSERT(s.reversed == t.reversed);
    RC_ASSERT(s.adjusted == t.adjusted);
    RC_ASSERT(s.debt == t.debt);
    RC_ASSERT(s.other == t.other);
    RC_ASSERT(s.closing == t.closing);
    RC_ASSERT(s.entries == t.entries);
}

}  // namespace

RC_GTEST_PROP(FunderProperties, SplitsByFunderAndStoreSumToTheTotals, ()) {
    member_run run(points_only());
    run.apply(enrol("e-0", "2025-01-02T02:00:00Z"));  // 500 welcome (dealer)
    const std::vector<std::string> stores{"", "north", "south"};
    const int n = *rc::gen::inRange(1, 14);
    std::vector<std::string> ros;
    for (int i = 1; i <= n; ++i) {
        // One event a fortnight over about half a year, at a store or none.
        const int day = 1 + 14 * i;
        const std::string when = format_instant(at("2025-01-02T02:00:00Z") + std::chrono::hours(24 * day));
        const std::string id = "ev-" + std::to_string(i);
        const std::string store = stores[*rc::gen::inRange<std::size_t>(0, stores.size())];
        const std::string where = store.empty() ? "" : R"(,"store":")" + store + "\"";
        std::string text;
        switch (*rc::gen::inRange(0, 4)) {
            case 0: {  // a repair order: manufacturer-funded points
                text = simple_ro(id, when, std::to_string(*rc::gen::inRange(1, 3000)) + ".00");
                ros.push_back(id);
                break;
            }
            case 1: text = adjust(id, when, -*rc::gen::inRange(1, 400)); break;  // spends from lots
            case 2: text = simple(id, when, "redeem", R"(,"reward":"car-care-kit")"); break;
            default:
                if (ros.empty()) continue;
                text = reverse_of(id, when, ros[*rc::gen::inRange<std::size_t>(0, ros.size())]);
        }
        text.insert(text.size() - 1, where);
        run.apply(text);  // refusals (not enough points, reversed twice) are part of the story
    }
    const instant from = at("2025-01-02T02:00:00Z") + std::chrono::hours(24 * *rc::gen::inRange(0, 120));
    const instant to = from + std::chrono::hours(24 * *rc::gen::inRange(1, 200));
    const rollforward_report r = rollforward(run.entries(), from, to);
    RC_ASSERT(r.reconciles());
    expect_sums(r.by_funder, r.total);
    expect_sums(r.by_store, r.total);

    liability_options o;
    o.as_of = to;
    o.point_value = yuan("0.10");
    o.redemption_rate = *decimal::parse("0.85");
    consideration_map paid;  // each RO paid its price (1 pt per 1.00: its points in yuan)
    for (const ledger_entry& e : run.entries())
        if (e.kind == entry_kind::earn && e.rule == "service-spend")
            paid[e.event] = consideration{money(e.amount.count() * 100, cny()), "test", std::nullopt, {}, "M1"};
    const liability_report l = liability(run.entries(), paid, o);
    expect_sums(l.by_funder, l.total);
    expect_sums(l.by_store, l.total);
}

}  // namespace property_funder_properties
