// Properties of member value and touch points over random histories (RapidCheck): members of
// the reference club buy vehicles, bring repair orders (some free, some reversed), and are
// valued at a random as-of instant under random, well-formed bands.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/insight/member_value.hpp"
#include "loyalty/insight/touch_points.hpp"
#include "test_support.hpp"

namespace property_member_value_properties {

namespace {

using namespace loyalty;

template <class T>
T uniform(T min, T max) {
    return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

// Four strictly increasing thresholds from `lo`, each step 1..`step`.
template <class T>
std::array<T, 4> increasing(std::int64_t lo, std::int64_t step) {
    std::array<T, 4> out{};
    std::int64_t v = lo;
    for (T& t : out) {
        v += uniform<std::int64_t>(1, step);
        t = T(v);
    }
    return out;
}

member_value_rules random_rules() {
    member_value_rules r;
    r.window_days = uniform<std::int64_t>(1, 800);
    r.bands.recency_days = increasing<std::int64_t>(-1, 200);
    r.bands.frequency_visits = increasing<std::int64_t>(0, 4);
    for (std::size_t i = 0; i < 4; ++i) r.bands.monetary_amounts[i] = decimal::integer(1000 * (static_cast<std::int64_t>(i) + 1) * uniform<std::int64_t>(1, 5) + static_cast<std::int64_t>(i));
    std::sort(r.bands.monetary_amounts.begin(), r.bands.monetary_amounts.end());
    r.lifetime.retention = decimal(uniform<std::int64_t>(0, 999), 3);
    r.lifetime.include_vehicle_purchases = uniform(0, 1) == 1;
    r.lifetime.mode = static_cast<rounding>(uniform(0, 4));
    r.stages.at_risk_after_days = uniform<std::int64_t>(0, 500);
    r.stages.lapsed_after_days = r.stages.at_risk_after_days + uniform<std::int64_t>(1, 500);
    return r;
}

std::string stamp(std::int64_t day_number, int hour) {
    const day d = *parse_day("2025-01-01") + date::days(day_number);
    return format_day(d) + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00:00+08:00";
}

struct random_member {
    history_recorder rec{program_versions(test::reference_program())};
    std::int64_t last_day = 0;
};

random_member random_history() {
    random_member m;
    m.rec.apply(test::ev(R"({"id":"e0","member":"M1","at":")" + stamp(0, 9) + R"(","type":"enrol","birthday":"02-29"})"));
    std::vector<std::string> ids;
    std::int64_t d = 0;
    const int n = uniform(0, 25);
    for (int i = 0; i < n; ++i) {
        d += uniform<std::int64_t>(0, 120);
        const std::string id = "x" + std::to_string(i);
        const int kind = uniform(0, 9);
        std::string text;
        if (kind == 0) {
            text = R"({"id":")" + id + R"(","member":"M1","at":")" + stamp(d, 10) +
                   R"(","type":"vehicle_purchase","vin":"V)" + std::to_string(uniform(1, 3)) + R"(","price":")" +
                   std::to_string(uniform(0, 300000)) + R"(.00"})";
        } else if (kind == 1 && !ids.empty()) {
            text = R"({"id":")" + id + R"(","member":"M1","at":")" + stamp(d, 11) + R"(","type":"reverse","event":")" +
                   ids[static_cast<std::size_t>(uniform<int>(0, static_cast<int>(ids.size()) - 1))] + R"("})";
        } else {
            static const char* const ops[] = {"WASH-EXT", "WAX-FULL", "SERVICE-A", "INSPECT-36", "BRAKE-PADS"};
            text = R"({"id":")" + id + R"(","member":"M1","at":")" + stamp(d, 12) +
                   R"(","type":"repair_order","vin":"V)" + std::to_string(uniform(1, 3)) +
                   R"(","lines":[{"kind":"labour","category":"maintenance","operation":")" + ops[uniform(0, 4)] +
                   R"(","unit_price":")" + std::to_string(uniform(0, 5000)) + R"(.)" + std::to_string(uniform(10, 99)) +
                   R"("}]})";
        }
        if (m.rec.apply(test::ev(text)).accepted() && kind != 1) ids.push_back(id);
    }
    m.last_day = d;
    return m;
}

RC_GTEST_PROP(MemberValueProperties, ScoresWithinOneToFiveAndMoneyNeverNegative, ()) {
    const random_member m = random_history();
    const member_value_rules rules = random_rules();
    const program& p = m.rec.versions().latest();
    const member_state& s = m.rec.runner().members().at("M1");
    const member_history h = m.rec.history_of("M1");
    const instant as_of = *parse_instant(stamp(m.last_day + uniform<std::int64_t>(0, 900), 23));
    const member_value v = value_of(p, s, h, as_of, rules);
    for (int score : {v.rfm.recency, v.rfm.frequency, v.rfm.monetary}) {
        RC_ASSERT(score >= 1);
        RC_ASSERT(score <= 5);
    }
    RC_ASSERT(!v.rfm.paid.is_negative());
    RC_ASSERT(!v.clv.total_paid.is_negative());
    RC_ASSERT(!v.clv.value.is_negative());
    RC_ASSERT(v.rfm.visits >= 0);
    RC_ASSERT(v.clv.observed_days >= rules.lifetime.min_observed_days);
    // Prospect exactly when there is no paid visit; the window's money never exceeds the lifetime's
    // (when vehicle purchases count in both).
    RC_ASSERT((v.stage.stage == life_cycle_stage::prospect) == !v.rfm.days_since_paid_visit.has_value());
    if (rules.lifetime.include_vehicle_purchases) RC_ASSERT(v.rfm.paid <= v.clv.total_paid);
    // More retention never lowers the value.
    member_value_rules more = rules;
    if (rules.lifetime.retention < decimal(999, 3)) {
        more.lifetime.retention = decimal(999, 3);
        RC_ASSERT(value_of(p, s, h, as_of, more).clv.value >= v.clv.value);
    }
}

RC_GTEST_PROP(MemberValueProperties, TouchPointsInsideTheWindow, ()) {
    const random_member m = random_history();
    const program& p = m.rec.versions().latest();
    const member_state& s = m.rec.runner().members().at("M1");
    const std::int64_t within = uniform<std::int64_t>(0, 60);
    const instant as_of = *parse_instant(stamp(uniform<std::int64_t>(0, m.last_day + 400), 8));
    std::set<std::string> distinct;
    for (const touch_point& t : touch_points_of(p, s, m.rec.history_of("M1"), as_of, member_value_rules{}, within)) {
        RC_ASSERT(t.days_from_as_of <= within);
        if (t.kind != touch_point_kind::maintenance_due) RC_ASSERT(t.days_from_as_of >= 0);
        if (t.kind == touch_point_kind::points_expiring) RC_ASSERT(t.amount > points(0));
        if (t.kind == touch_point_kind::quota_unused) RC_ASSERT(t.uses_left > 0);
        // One touch point per kind, day and subject.
        RC_ASSERT(distinct.insert(std::string(to_string(t.kind)) + format_day(t.on) + t.subject).second);
    }
}

}  // namespace

}  // namespace property_member_value_properties
