#pragma once
// Touch points the store should act on, for an as-of day and the `within` days after it. The
// library reports them; it sends nothing. Every touch point concerns one local day `on` (the
// programme's time zone) and is listed when as-of day <= on <= as-of day + within, except a
// maintenance that is already overdue, which stays listed until the next service:
//
//   care_call        vehicle purchase day + care_call_days
//   birthday         the member's next birthday on or after the as-of day (29 Feb is 28 Feb in
//                    other years, as the engine's birthday rules count it)
//   maintenance_due  last service of the vehicle (closed repair order, else its purchase)
//                    + maintenance_months (31 Aug + 6 months = 28/29 Feb, add_months())
//   service_due_km   the day the vehicle is estimated to reach its last odometer reading +
//                    maintenance_km (when set): km per day from the first and the last reading
//                    of the vehicle (its record, earlier owners' readings included), exact:
//                    last day + ceil(maintenance_km x days between the readings / km between
//                    them), the first whole day on which the estimate reaches the due reading.
//                    Not estimated with fewer than two readings on different days, or when the
//                    readings do not increase; a sold vehicle is not the member's to remind of
//   points_expiring  the last day points can be used: a lot expiring on day E (at 00:00 local
//                    time) is usable through E - 1; lots expiring on the same day are summed
//   quota_unused     the last day of a benefit quota's period when uses are left in it
//                    (calendar and anniversary periods; a rolling window never ends)
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/benefit/vehicle_scope.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/insight/history.hpp"
#include "loyalty/insight/rfm.hpp"
#include "loyalty/insight/rules.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

enum class touch_point_kind { care_call, birthday, maintenance_due, points_expiring, quota_unused, service_due_km };

LOYALTY_INLINE std::string_view to_string(touch_point_kind k) noexcept {
    switch (k) {
        case touch_point_kind::care_call: return "care_call";
        case touch_point_kind::birthday: return "birthday";
        case touch_point_kind::maintenance_due: return "maintenance_due";
        case touch_point_kind::points_expiring: return "points_expiring";
        case touch_point_kind::quota_unused: return "quota_unused";
        case touch_point_kind::service_due_km: return "service_due_km";
    }
    return "?";
}

struct touch_point {
    std::string member;
    touch_point_kind kind = touch_point_kind::care_call;
    day on{};                        // the day it concerns (see above)
    std::int64_t days_from_as_of = 0;  // on - as-of day; negative when overdue
    std::string subject;             // a VIN, a benefit id, the purchase event; empty for a birthday
    points amount;                   // points_expiring: the points
    std::int64_t uses_left = 0;      // quota_unused: uses left in the period
    std::string reason;
};

// The birthday (month, day) in year y; 29 February is 28 February in a common year.
LOYALTY_INLINE day birthday_in(int y, unsigned month, unsigned dom) {
    const date::year year(y);
    if (month == 2 && dom == 29 && !year.is_leap()) dom = 28;
    return day(year / date::month(month) / date::day(dom));
}

LOYALTY_INLINE std::vector<touch_point> touch_points_of(const program& prog, const member_state& s, const member_history& h,
                                                instant as_of, const member_value_rules& rules, std::int64_t within_days) {
    std::vector<touch_point> out;
    if (!s.enrolled) return out;
    const touch_point_rules& r = rules.touch_points;
    const day today = prog.zone.local_day(as_of);
    const day last = today + date::days(within_days);
    const auto in_window = [&](day d) { return today <= d && d <= last; };
    const auto add = [&](touch_point_kind k, day on, std::string subject, std::string reason) -> touch_point& {
        touch_point t;
        t.member = s.member;
        t.kind = k;
        t.on = on;
        t.days_from_as_of = days_between(today, on);
        t.subject = std::move(subject);
        t.reason = std::move(reason);
        out.push_back(std::move(t));
        return out.back();
    };

    // Care calls, and each vehicle's last service (by VIN; orders without a VIN are one vehicle "").
    std::map<std::string, std::pair<day, std::string>> last_service;  // vin -> day, what it was
    for (const visit& v : h.visits) {
        if (!v.stands_at(as_of)) continue;
        const day d = prog.zone.local_day(v.at);
        if (v.type == event_type::vehicle_purchase) {
            const day call = d + date::days(r.care_call_days);
            if (in_window(call))
                add(touch_point_kind::care_call, call, v.vin,
                    "care call " + std::to_string(r.care_call_days) + " days after the purchase on " + format_day(d) + " (" +
                        v.event + ")");
        }
        auto it = last_service.find(v.vin);
        const std::string what = (v.type == event_type::vehicle_purchase ? "purchase " : "service ") + format_day(d);
        if (it == last_service.end())
            last_service.emplace(v.vin, std::make_pair(d, what));
        else if (it->second.first < d || (it->second.first == d && v.type == event_type::repair_order))
            it->second = {d, what};
    }
    for (const auto& [vin, seen] : last_service) {
        const day due = add_months(seen.first, static_cast<int>(r.maintenance_months));
        if (due <= last)
            add(touch_point_kind::maintenance_due, due, vin,
                "maintenance due " + std::to_string(r.maintenance_months) + " months after the " + seen.second +
                    (due < today ? " (overdue)" : ""));
    }

    if (r.maintenance_km > 0)
        for (const vehicle_record& v : s.vehicle_records) {
            if (v.sold_on || v.readings.size() < 2) continue;
            const odometer_reading& first = v.readings.front();
            const odometer_reading& recent = v.readings.back();
            const std::int64_t days = days_between(first.on, recent.on);
            const std::int64_t km = recent.km - first.km;
            if (days <= 0 || km <= 0) continue;
            // Ceiling of maintenance_km x days / km: exact integers (both at most 10^7 km, days < 10^6).
            const std::int64_t after = (r.maintenance_km * days + km - 1) / km;
            const day due = recent.on + date::days(after);
            if (due > last) continue;
            add(touch_point_kind::service_due_km, due, v.vin,
                "service due at " + km_text(recent.km + r.maintenance_km) + " (last reading " + km_text(recent.km) +
                    " on " + format_day(recent.on) + " + " + km_text(r.maintenance_km) + "), estimated " + format_day(due) +
                    " at " + km_text(km) + " over " + std::to_string(days) + " days (" + format_day(first.on) + ".." +
                    format_day(recent.on) + "; rounded up to a whole day)" + (due < today ? " (overdue)" : ""));
        }

    if (s.birthday_month != 0) {
        const int y = static_cast<int>(date::year_month_day(today).year());
        day b = birthday_in(y, s.birthday_month, s.birthday_day);
        if (b < today) b = birthday_in(y + 1, s.birthday_month, s.birthday_day);
        if (in_window(b)) add(touch_point_kind::birthday, b, "", "birthday on " + format_day(b));
    }

    std::map<day, points> expiring;  // expiry day -> points
    for (const lot_record& l : s.lots)
        if (l.expires_on && l.remaining > points(0) && in_window(*l.expires_on - date::days(1)))
            expiring[*l.expires_on] += l.remaining;
    for (const auto& [expires, pts] : expiring) {
        touch_point& t = add(touch_point_kind::points_expiring, expires - date::days(1), "",
                             std::to_string(pts.count()) + " pt expire on " + format_day(expires) + " (usable through " +
                                 format_day(expires - date::days(1)) + ")");
        t.amount = pts;
    }

    for (const benefit& b : prog.benefits) {
        if (!b.limit || b.limit->per.kind == period_kind::rolling_days || !b.tiers.empty() || !b.effective_at(as_of))
            continue;
        const quota_position q = quota_on(*b.limit, s.benefit_usage, b.id, today, s.member_since, held_tier(prog, s));
        const day end = q.period.end - date::days(1);
        if (q.left() <= 0 || !in_window(end)) continue;
        touch_point& t = add(touch_point_kind::quota_unused, end, b.id,
                             b.id + ": " + std::to_string(q.left()) + " of " + std::to_string(q.allowed) + " left in " +
                                 describe(q.period, b.limit->per) + tier_quota_note(q, b.limit->per));
        t.uses_left = q.left();
    }

    std::sort(out.begin(), out.end(), [](const touch_point& a, const touch_point& b) {
        return std::tie(a.on, a.kind, a.subject) < std::tie(b.on, b.kind, b.subject);
    });
    return out;
}

}  // namespace loyalty
