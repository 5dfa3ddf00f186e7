#pragma once
// A simple customer lifetime value: average annual paid spend x expected remaining years.
//
//   tenure    T = as-of day - membership day + 1              (local days, both ends counted)
//   observed  O = max(T, min_observed_days)                   (a new member is not extrapolated from weeks)
//   total     P = money paid on standing paid visits up to the as-of instant (repair orders;
//                 vehicle purchases too when include_vehicle_purchases)
//   annual    A = P x 365 / O
//   years     Y = r / (1 - r)                                  (retained each year with probability r:
//                                                              r + r^2 + r^3 + ... )
//   value     V = A x Y = P x 365 x r / (O x (1 - r))         rounded once, to the minor unit, with the mode
//
// All exact: r = m x 10^-s, so V = P x 365 x m / (O x (10^s - m)) in minor units, one round_quotient().
#include <cstdint>
#include <stdexcept>
#include <string>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/insight/history.hpp"
#include "loyalty/insight/rules.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct lifetime_value {
    money total_paid;
    std::int64_t tenure_days = 0;
    std::int64_t observed_days = 0;
    money annual_spend;   // A, rounded with the same mode; for explanation, V is computed from P
    money value;          // V
    std::string formula;  // the figures, for people
};

LOYALTY_INLINE lifetime_value estimate_lifetime_value(const program& prog, const member_state& s, const member_history& h,
                                              instant as_of, const member_value_rules& rules) {
    const lifetime_value_rules& lr = rules.lifetime;
    lifetime_value out;
    const currency cur = prog.currency_unit;
    out.total_paid = money::zero(cur);
    for (const visit& v : h.visits) {
        if (!v.is_paid() || !v.stands_at(as_of)) continue;
        if (v.type == event_type::vehicle_purchase && !lr.include_vehicle_purchases) continue;
        out.total_paid += v.paid;
    }
    const day today = prog.zone.local_day(as_of);
    out.tenure_days = s.enrolled ? (today - s.member_since).count() + 1 : 0;
    if (out.tenure_days < 1) out.tenure_days = 1;
    out.observed_days = out.tenure_days < lr.min_observed_days ? lr.min_observed_days : out.tenure_days;
    const std::int64_t m = lr.retention.mantissa();
    try {
        const int128 one = decimal::pow10(lr.retention.scale());
        out.annual_spend = money(round_quotient(int128(out.total_paid.minor_units()) * 365, out.observed_days, lr.mode), cur);
        out.value = money(round_quotient(int128(out.total_paid.minor_units()) * 365 * m, int128(out.observed_days) * (one - m),
                                         lr.mode),
                          cur);
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "lifetime value does not fit in 128 bits");
    }
    out.formula = out.total_paid.to_string() + " paid x 365 / " + std::to_string(out.observed_days) + " days = " +
                  out.annual_spend.to_string() + " a year; x " + lr.retention.to_string() + " / (1 - " +
                  lr.retention.to_string() + ") = " + out.value.to_string() + " (" + std::string(to_string(lr.mode)) + ")";
    return out;
}

}  // namespace loyalty
