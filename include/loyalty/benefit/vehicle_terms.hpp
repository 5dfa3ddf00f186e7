#pragma once
// The terms of a vehicle-scoped benefit ("4 waxings a year per vehicle", "free first service
// within 6 months or 7,500 km of purchase", "one 36-point inspection every 15,000 km"): its
// quota counts per VIN, it may hold only within a window from the vehicle's purchase or once per
// N km, and the programme says what happens to it when the vehicle changes owner.
#include <cstdint>
#include <optional>
#include <string_view>

#include "loyalty/core/inline.hpp"

namespace loyalty {

// When a vehicle changes owner: the vehicle keeps its entitlements under the new owner (the
// windows from its first purchase, the uses already made on it), or they end with the sale.
enum class on_transfer { follow, end };

LOYALTY_INLINE std::string_view to_string(on_transfer t) noexcept { return t == on_transfer::follow ? "follow" : "end"; }

// Within `months` months or `km` km of the vehicle's purchase, whichever comes first (either may
// be absent). Both are half-open: a vehicle bought on 15 Jan with 6 months is inside through
// 14 Jul; one bought at 0 km with 7,500 km is inside through 7,499 km.
// `uses`, when given, is how many uses the window allows on the vehicle ("free first service":
// 1); without it, the benefit's quota (if any) is all that counts them.
struct purchase_window {
    std::optional<int> months;
    std::optional<std::int64_t> km;
    std::optional<std::int64_t> uses;
};

struct vehicle_terms {
    on_transfer transfer = on_transfer::follow;
    std::optional<purchase_window> since_purchase;
    // One use per `every_km` km on the vehicle: a use is allowed when the vehicle has no earlier
    // use of the benefit, or when its reading is at least the reading of the last use + every_km.
    std::optional<std::int64_t> every_km;
};

}  // namespace loyalty
