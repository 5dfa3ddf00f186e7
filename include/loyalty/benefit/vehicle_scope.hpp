#pragma once
// Whether a vehicle-scoped benefit can apply to a repair order, and on what count: its quota
// counts the uses made on the order's VIN (by this member, and by earlier owners when the
// benefit follows the vehicle); a window from the purchase and a once-per-N-km interval are
// judged on the order's odometer reading. Pure: price() and the touch points use it.
//
// Boundaries (all half-open, so that two windows never share a day or a kilometre):
//   months from purchase  inside while the order's day < purchase day + M months (add_months)
//   km from purchase      inside while reading - purchase reading < N (no purchase reading: 0 km)
//   every N km            allowed when there is no earlier use on the VIN, or reading >= the
//                         reading of the last use + N (14,990 km after a use at 0 km is the same
//                         interval; 15,000 km and 15,010 km start a new one); one use per order
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/benefit.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty {

// 15010 -> "15,010 km"
LOYALTY_INLINE std::string km_text(std::int64_t km) {
    std::string digits = std::to_string(km < 0 ? -km : km);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return (km < 0 ? "-" : "") + digits + " km";
}

// This vehicle's uses of benefit `b`: earlier owners' (kept on the vehicle record), then the member's.
LOYALTY_INLINE std::vector<benefit_use> vehicle_uses(const member_state& s, const std::string& benefit, const std::string& vin) {
    std::vector<benefit_use> out;
    if (const vehicle_record* v = s.find_vehicle(vin))
        for (const benefit_use& u : v->earlier_uses)
            if (u.benefit == benefit) out.push_back(u);
    for (benefit_use& u : s.benefit_usage.select([&](std::string_view b, std::string_view v) { return b == benefit && v == vin; }))
        out.push_back(std::move(u));
    return out;
}

struct vehicle_position {
    std::string vin;                   // the order's vehicle
    std::string blocked;               // why the benefit cannot apply to this order (a line note); empty: it can
    std::vector<benefit_use> usage;    // the vehicle's uses of the benefit, for its quota
    std::optional<std::int64_t> cap;   // every_km: uses the interval allows on one order (1)
    std::string text;                  // the window that applied, for the price line
};

// Judges vehicle-scoped benefit b (b.vehicle set) for order `ro` of member s on local day `today`.
LOYALTY_INLINE vehicle_position vehicle_position_of(const member_state& s, const benefit& b, const events::repair_order& ro,
                                            day today) {
    vehicle_position out;
    out.vin = ro.vin;
    const vehicle_terms& t = *b.vehicle;
    const std::string not_applied = b.id + ": not applied, ";
    if (ro.vin.empty()) {
        out.blocked = not_applied + "it counts per vehicle and the repair order names no VIN";
        return out;
    }
    const vehicle_record* v = s.find_vehicle(ro.vin);
    if (v && v->sold_on) {
        out.blocked = not_applied + "VIN " + ro.vin + " was sold to " + v->sold_to + " on " + format_day(*v->sold_on) +
                      "; its vehicle benefits left with it";
        return out;
    }
    if (v && !v->previous_owner.empty() && t.transfer == on_transfer::end) {
        out.blocked = not_applied + "VIN " + ro.vin + " came from member " + v->previous_owner +
                      " and this benefit ends when the vehicle changes owner (on_transfer: end)";
        return out;
    }
    out.usage = vehicle_uses(s, b.id, ro.vin);
    const std::string reading = ro.odometer_km ? km_text(*ro.odometer_km) : std::string();
    if (t.since_purchase) {
        const purchase_window& w = *t.since_purchase;
        if (!v || !v->purchased_on) {
            out.blocked = not_applied + "no purchase of VIN " + ro.vin + " is recorded, and it holds from the purchase";
            return out;
        }
        const day bought = *v->purchased_on;
        std::string inside;
        if (w.months) {
            const day end = add_months(bought, *w.months);
            if (!(today < end)) {
                out.blocked = not_applied + std::to_string(*w.months) + " months from the purchase on " + format_day(bought) +
                              " ended on " + format_day(end) + " (this order: " + format_day(today) + ")";
                return out;
            }
            inside = std::to_string(*w.months) + " months (through " + format_day(end - date::days(1)) + ")";
        }
        if (w.km) {
            if (!ro.odometer_km) {
                out.blocked = not_applied + "the repair order gives no odometer reading, and it holds within " +
                              km_text(*w.km) + " of the purchase";
                return out;
            }
            const std::int64_t from = v->purchase_km.value_or(0);
            const std::string base = v->purchase_km ? km_text(from) : "0 km (no reading recorded at the purchase)";
            if (*ro.odometer_km - from >= *w.km) {
                out.blocked = not_applied + km_text(*w.km) + " from the purchase at " + base + " ended at " +
                              km_text(from + *w.km) + " (this order: " + reading + ")";
                return out;
            }
            inside += (inside.empty() ? "" : " or ") + km_text(*w.km) + " (through " + km_text(from + *w.km - 1) + ")";
        }
        std::int64_t used = 0;  // uses of the benefit on the vehicle (all within the window: it starts at the purchase)
        for (const benefit_use& u : out.usage) used += u.uses;
        std::string use_of;
        if (w.uses) {
            if (used >= *w.uses) {
                out.blocked = b.id + ": " + std::to_string(*w.uses) + " of " + std::to_string(*w.uses) +
                              " used within the purchase window on VIN " + ro.vin + "; normal price";
                return out;
            }
            out.cap = *w.uses - used;
            use_of = "use " + std::to_string(used + 1) + " of " + std::to_string(*w.uses) + " ";
        }
        out.text += "; " + use_of + "within " + inside + " of the purchase on " + format_day(bought) +
                    (w.months && w.km ? ", whichever comes first" : "") + ": this order " + format_day(today) +
                    (reading.empty() ? "" : " at " + reading);
    }
    if (t.every_km) {
        const std::string per = "one per " + km_text(*t.every_km) + " on VIN " + ro.vin;
        if (!ro.odometer_km) {
            out.blocked = not_applied + per + " and the repair order gives no odometer reading";
            return out;
        }
        const benefit_use* last = nullptr;
        for (const benefit_use& u : out.usage)
            if (u.odometer_km) last = &u;
        if (!last) {
            out.text += "; " + per + ": no earlier use, this order at " + reading;
        } else if (*ro.odometer_km - *last->odometer_km >= *t.every_km) {
            out.text += "; " + per + ": last at " + km_text(*last->odometer_km) + ", this order at " + reading +
                        " -> new interval";
        } else {
            out.blocked = b.id + ": " + per + ": last at " + km_text(*last->odometer_km) + " (" + format_day(last->on) +
                          (last->reference.empty() ? "" : ", " + last->reference.str()) + "), this order at " + reading +
                          " is in the same interval (next from " + km_text(*last->odometer_km + *t.every_km) +
                          "); normal price";
            return out;
        }
        out.cap = std::min<std::int64_t>(out.cap.value_or(1), 1);
    }
    return out;
}

// A change of owner is not undone by `reverse` (it touched two members' states): the vehicle is
// sold back instead. True when event `id` of member s was one, on either side.
LOYALTY_INLINE bool is_change_of_owner(const member_state& s, const std::string& id) {
    for (const vehicle_record& v : s.vehicle_records)
        if ((v.acquired_by == id && !v.previous_owner.empty()) || v.sold_by == id) return true;
    return false;
}

// What a reversed event told the vehicle records is withdrawn: its odometer readings, and the
// purchase it recorded (a purchase window no longer runs from a purchase that was undone).
LOYALTY_INLINE void withdraw_vehicle_facts(member_state& s, const std::string& id) {
    for (vehicle_record& v : s.vehicle_records) {
        v.readings.erase(std::remove_if(v.readings.begin(), v.readings.end(),
                                        [&](const odometer_reading& r) { return r.event == id; }),
                         v.readings.end());
        if (v.acquired_by == id) {
            v.acquired_by.clear();
            v.purchased_on.reset();
            v.purchase_km.reset();
        }
    }
}

}  // namespace loyalty
