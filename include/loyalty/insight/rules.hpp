#pragma once
// Member value rules: the bands of the RFM scores, the lifetime-value assumptions, the
// life-cycle stage thresholds and the touch-point lead times (docs/member-value.md).
// Plain values with defaults; io/member_value_json.hpp reads them from JSON and validates them.
// Only core types here, so that a programme can hold these rules without pulling in the rest.
#include <array>
#include <cstdint>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

// RFM scores run 1..5. Each dimension has four thresholds, one per score above 1, strictly
// increasing (ordered, no two bands sharing an edge).
struct rfm_bands {
    // Days since the last paid visit: at most [0] days scores 5, at most [1] scores 4, at most
    // [2] scores 3, at most [3] scores 2; more, or no paid visit at all, scores 1.
    std::array<std::int64_t, 4> recency_days{30, 90, 180, 365};
    // Paid visits within the window: at least [0] scores 2, [1] scores 3, [2] scores 4, [3] scores 5.
    std::array<std::int64_t, 4> frequency_visits{2, 3, 5, 8};
    // Money paid within the window, in major units of the programme currency (exact): at least
    // [0] scores 2 ... at least [3] scores 5.
    std::array<decimal, 4> monetary_amounts{decimal::integer(1000), decimal::integer(3000), decimal::integer(8000),
                                            decimal::integer(20000)};
};

// Customer lifetime value: average annual paid spend x expected remaining years, where a member
// is retained from one year to the next with probability `retention` (expected remaining years
// r + r^2 + ... = r / (1 - r)).
struct lifetime_value_rules {
    decimal retention = decimal(8, 1);   // 0 <= r < 1
    std::int64_t min_observed_days = 365;  // spend is averaged over at least this many days
    bool include_vehicle_purchases = false;  // a car is not bought every year: off by default
    rounding mode = rounding::half_up;   // the one rounding, to the currency's minor unit
};

// Life-cycle stages are decided in a fixed order, first match wins:
// prospect, new_owner, lapsed, at_risk, high_value, established.
struct stage_rules {
    std::int64_t new_owner_days = 365;      // a vehicle bought at most this many days ago
    std::int64_t lapsed_after_days = 730;   // no paid visit for more than this many days
    std::int64_t at_risk_after_days = 365;  // no paid visit for more than this many days (< lapsed)
    int high_value_min_recency = 3;         // RFM scores at least these, all three
    int high_value_min_frequency = 3;
    int high_value_min_monetary = 4;
};

struct touch_point_rules {
    std::int64_t care_call_days = 30;      // the care call: this many days after a vehicle purchase
    std::int64_t maintenance_months = 6;   // maintenance falls due this many months after the last service
    std::int64_t maintenance_km = 0;       // ... or this many km after the last odometer reading (0: not judged)
    std::int64_t within_days = 7;          // the report looks at the as-of day and the next N days
};

struct member_value_rules {
    std::int64_t window_days = 365;  // frequency and monetary count the last N local days, as-of day included
    rfm_bands bands;
    lifetime_value_rules lifetime;
    stage_rules stages;
    touch_point_rules touch_points;
};

}  // namespace loyalty
