#pragma once
// What the member's state knows of each vehicle it has seen: its purchase (day and odometer),
// the odometer readings repair orders gave, and, for a vehicle bought from another member, the
// uses earlier owners made of benefits that follow the vehicle. Mileage windows are judged on it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

struct odometer_reading {
    day on;                    // local business day of the event
    std::int64_t km = 0;
    std::string event;         // the vehicle purchase or repair order that gave it
    bool flagged = false;      // lower than the reading before it, accepted under odometer.backwards "flag"
    friend bool operator==(const odometer_reading& a, const odometer_reading& b) {
        return a.on == b.on && a.km == b.km && a.event == b.event && a.flagged == b.flagged;
    }
};

struct vehicle_record {
    std::string vin;
    std::optional<day> purchased_on;          // the vehicle's first recorded purchase (kept across owners)
    std::optional<std::int64_t> purchase_km;  // its odometer then, when given
    std::string acquired_by;                  // the vehicle_purchase event by which this member got it
    std::string previous_owner;               // the member it came from (empty: none recorded)
    std::optional<day> sold_on;               // sold to another member: its vehicle benefits left with it
    std::string sold_to;
    std::string sold_by;                      // the buyer's vehicle_purchase event
    std::vector<odometer_reading> readings;   // in the order recorded, earlier owners' first
    std::vector<benefit_use> earlier_uses;    // earlier owners' uses of benefits that follow the vehicle

    const odometer_reading* last_reading() const { return readings.empty() ? nullptr : &readings.back(); }

    friend bool operator==(const vehicle_record& a, const vehicle_record& b) {
        return a.vin == b.vin && a.purchased_on == b.purchased_on && a.purchase_km == b.purchase_km &&
               a.acquired_by == b.acquired_by && a.previous_owner == b.previous_owner && a.sold_on == b.sold_on &&
               a.sold_to == b.sold_to && a.sold_by == b.sold_by && a.readings == b.readings && a.earlier_uses == b.earlier_uses;
    }
};

}  // namespace loyalty
