#pragma once
// A volume rebate computed from an account's spend over a period: pure arithmetic, exact,
// rounded once to the minor unit with the policy's rounding, and explained.
#include <algorithm>
#include <string>
#include <vector>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/fleet/policy.hpp"

namespace loyalty {

struct rebate_calculation {
    money spend;
    money rebate;       // rounded to the minor unit
    std::string how;    // the bands and figures, for people and for the ledger entry
};

namespace detail {
// Sum of parts[i] x rates[i] (minor units x exact decimals), rounded once.
LOYALTY_INLINE std::int64_t sum_of_products(const std::vector<std::pair<std::int64_t, decimal>>& terms, rounding mode) {
    int scale = 0;
    for (const auto& [minor, rate] : terms) scale = std::max(scale, rate.scale());
    int128 numerator = 0;
    try {
        for (const auto& [minor, rate] : terms)
            numerator += int128(minor) * int128(rate.mantissa()) * pow10_checked(scale - rate.scale());
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "rebate does not fit in 128 bits");
    }
    return round_quotient(numerator, detail::pow10_checked(scale), mode);
}
}  // namespace detail

// whole:    the highest band whose `from` the spend reaches gives its rate to the whole spend.
// marginal: each band's rate applies to the part of the spend from its `from` up to the next
//           band's `from`.
// A spend below the first band earns nothing. Bands are strictly rising (the loader checks).
LOYALTY_INLINE rebate_calculation compute_rebate(const volume_rebate& vr, const money& spend) {
    rebate_calculation out{spend, money::zero(spend.currency_of()), {}};
    const std::string mode = std::string(to_string(vr.rounding_mode));
    std::vector<std::pair<std::int64_t, decimal>> terms;
    std::string parts;
    if (vr.method == rebate_method::whole) {
        const rebate_band* reached = nullptr;
        for (const rebate_band& b : vr.bands)
            if (spend >= b.from) reached = &b;
        if (!reached) {
            out.how = "spend " + spend.to_string() + " is below the first band (from " +
                      (vr.bands.empty() ? std::string("-") : vr.bands.front().from.to_string()) + "): no rebate";
            return out;
        }
        terms.emplace_back(spend.minor_units(), reached->rate);
        parts = "band from " + reached->from.to_string() + " reached: " + reached->rate.to_string() + " x " +
                spend.to_string() + " (whole spend)";
    } else {
        for (std::size_t i = 0; i < vr.bands.size(); ++i) {
            const rebate_band& b = vr.bands[i];
            if (spend <= b.from) break;
            const money top = i + 1 < vr.bands.size() && vr.bands[i + 1].from < spend ? vr.bands[i + 1].from : spend;
            const money part = top - b.from;
            terms.emplace_back(part.minor_units(), b.rate);
            parts += (parts.empty() ? "" : " + ") + b.rate.to_string() + " x " + part.to_string() + " (" +
                     b.from.to_string() + " to " + top.to_string() + ")";
        }
        if (terms.empty()) {
            out.how = "spend " + spend.to_string() + " does not pass the first band (from " +
                      (vr.bands.empty() ? std::string("-") : vr.bands.front().from.to_string()) + "): no rebate";
            return out;
        }
    }
    out.rebate = money(detail::sum_of_products(terms, vr.rounding_mode), spend.currency_of());
    out.how = "spend " + spend.to_string() + ", " + parts + " = " + out.rebate.to_string() + " (" + mode + ")";
    return out;
}

// The points a money rebate buys under pay_as points: rebate x points_per_unit, rounded down to
// whole points (a fraction of a point is never paid).
LOYALTY_INLINE points rebate_points(const volume_rebate& vr, const money& rebate) {
    const std::vector<decimal> factors{vr.points_per_unit};
    return points(scale_and_round(rebate.minor_units(), factors, rebate.currency_of().minor_digits(), rounding::down));
}

}  // namespace loyalty
