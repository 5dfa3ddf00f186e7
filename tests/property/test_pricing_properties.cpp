// Properties of price() over random repair orders and member histories (RapidCheck), under
// the reference programme's benefits (free lines, quotas, discounts) and variants of it
// (best-for-member stacking, a stacking discount with a per-order cap).
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "test_support.hpp"

namespace property_pricing_properties {

namespace {

using namespace loyalty;

template <class T>
T uniform(T min, T max) {
    return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

const program& variant_of(int which) {
    static const std::vector<program> variants = [] {
        std::vector<program> v;
        v.push_back(test::reference_program());
        program best = test::reference_program();
        best.benefit_stacking = stacking::best_for_member;
        v.push_back(best);
        program extra = test::reference_program();
        benefit festival;
        festival.id = "festival";
        festival.kind = benefit_kind::discount;
        festival.lines.kinds = {line_kind::labour, line_kind::part};
        festival.pay = *decimal::parse("0.95");
        festival.stacks = true;
        festival.max_per_order = *money::parse("30.00", test::cny());
        extra.benefits.push_back(festival);
        v.push_back(extra);
        return v;
    }();
    return variants.at(static_cast<std::size_t>(which));
}

repair_order_line random_line() {
    static const char* const ops[] = {"WASH-EXT", "TYRE-INFLATE", "OIL-CHANGE", "WAX-FULL", "INSPECT-36",
                                      "SERVICE-A", "BRAKE-PADS", "FILTER-SET", "GEARBOX", "MATS"};
    static const char* const categories[] = {"maintenance", "repair", "filters", "brakes", "accessory", "care"};
    repair_order_line l;
    l.kind = uniform(0, 1) == 0 ? line_kind::labour : line_kind::part;
    l.category = categories[uniform(0, 5)];
    l.operation = ops[uniform(0, 9)];
    l.quantity = uniform(0, 3) == 0 ? decimal(uniform<std::int64_t>(1, 40), 1) : decimal::integer(uniform(1, 5));
    l.unit_price = money(uniform<std::int64_t>(0, 500000), test::cny());
    l.flags = static_cast<unsigned>(uniform(0, 15)) & static_cast<unsigned>(uniform(0, 15));
    return l;
}

events::repair_order random_order() {
    events::repair_order ro;
    ro.number = "RO-P";
    const int n = uniform(1, 12);
    for (int i = 0; i < n; ++i) ro.lines.push_back(random_line());
    return ro;
}

// A member who joined on 2025-01-10 and has closed a few random orders since (quotas partly used).
member_state member_with_history(const program& p) {
    const program_versions versions(p);
    member_state s("M1");
    s = apply(versions, s, test::ev(R"({"id":"e0","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})")).state;
    const int visits = uniform(0, 6);
    for (int i = 0; i < visits; ++i) {
        event e;
        e.id = "h" + std::to_string(i);
        e.member = "M1";
        e.at = test::at("2025-02-01T10:00:00+08:00") + std::chrono::hours(24 * 20 * i);
        e.body = random_order();
        const outcome o = apply(versions, s, e);
        RC_ASSERT(o.accepted());
        s = o.state;
    }
    return s;
}

}  // namespace

RC_GTEST_PROP(PricingProperties, NetNeverExceedsListNorGoesNegativeAndTotalsAreSums, ()) {
    const program& p = variant_of(uniform(0, 2));
    const member_state s = member_with_history(p);
    const priced_order o = price(p, s, random_order(), test::at("2025-06-01T10:00:00+08:00"));
    money list = money::zero(test::cny()), net = money::zero(test::cny()), labour = list, parts = list;
    for (const priced_line& l : o.lines) {
        RC_ASSERT(l.net <= l.list);
        RC_ASSERT(!l.net.is_negative());
        money given = money::zero(test::cny());
        for (const price_adjustment& a : l.adjustments) {
            RC_ASSERT(!a.amount.is_negative());
            given += a.amount;
        }
        // Each line explains all of its discount, unless a warranty or insurer pays it.
        if (!l.line.covered()) RC_ASSERT(l.list - l.net == given);
        list += l.list;
        net += l.net;
        (l.line.kind == line_kind::labour ? labour : parts) += l.net;
    }
    RC_ASSERT(o.list_total == list);
    RC_ASSERT(o.net_total == net);
    RC_ASSERT(o.discount_total == list - net);
    RC_ASSERT(o.labour_net == labour);
    RC_ASSERT(o.parts_net == parts);
}

RC_GTEST_PROP(PricingProperties, PricingTheSameOrderTwiceGivesTheSameResult, ()) {
    const program& p = variant_of(uniform(0, 2));
    const member_state s = member_with_history(p);
    const events::repair_order ro = random_order();
    const instant t = test::at("2025-06-01T10:00:00+08:00");
    const priced_order a = price(p, s, ro, t), b = price(p, s, ro, t);
    RC_ASSERT(a.net_total == b.net_total);
    RC_ASSERT(a.consumes == b.consumes);
    RC_ASSERT(a.points_total == b.points_total);
    RC_ASSERT(compare(a, b).same());
}

RC_GTEST_PROP(PricingProperties, ClosingConsumesExactlyWhatTheEstimateSaid, ()) {
    const program& p = variant_of(uniform(0, 2));
    const member_state s = member_with_history(p);
    event e;
    e.id = "close";
    e.member = "M1";
    e.at = test::at("2025-06-01T10:00:00+08:00");
    e.body = random_order();
    const priced_order estimate = price(p, s, std::get<events::repair_order>(e.body), e.at);
    const outcome o = apply(program_versions(p), s, e);
    RC_ASSERT(o.accepted());
    // The new usage records are exactly the estimate's consumption, and the points earned are
    // what the estimate said.
    const std::vector<benefit_use> after = o.state.benefit_usage.all();
    std::vector<benefit_use> added(after.begin() + static_cast<long>(s.benefit_usage.size()), after.end());
    RC_ASSERT(added == estimate.consumes);
    RC_ASSERT(o.state.balance() - s.balance() == estimate.points_total);
}

RC_GTEST_PROP(PricingProperties, QuotasAreNeverExceeded, ()) {
    const program& p = variant_of(0);
    member_state s = member_with_history(p);
    // After any history, the waxings used in 2025 are at most 4 and inspections in the
    // membership year at most 6.
    std::int64_t wax = 0, inspections = 0;
    for (const benefit_use& u : s.benefit_usage) {
        if (u.benefit == "waxing") wax += u.uses;
        if (u.benefit == "inspection-36") inspections += u.uses;
    }
    RC_ASSERT(wax <= 4);
    RC_ASSERT(inspections <= 6);
}

}  // namespace property_pricing_properties
