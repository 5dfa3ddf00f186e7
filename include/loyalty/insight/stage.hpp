#pragma once
// A member's life-cycle stage, decided by the rules in a fixed order, first match wins:
//   1. prospect     no paid visit yet (no vehicle bought, nothing paid on a repair order)
//   2. new_owner    a vehicle bought at most new_owner_days ago
//   3. lapsed       the last paid visit more than lapsed_after_days ago
//   4. at_risk      the last paid visit more than at_risk_after_days ago
//   5. high_value   RFM scores at least the rules' minimums, all three
//   6. established  everyone else
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/inline.hpp"
#include "loyalty/insight/rfm.hpp"

namespace loyalty {

enum class life_cycle_stage { prospect, new_owner, established, high_value, at_risk, lapsed };

LOYALTY_INLINE std::string_view to_string(life_cycle_stage s) noexcept {
    switch (s) {
        case life_cycle_stage::prospect: return "prospect";
        case life_cycle_stage::new_owner: return "new_owner";
        case life_cycle_stage::established: return "established";
        case life_cycle_stage::high_value: return "high_value";
        case life_cycle_stage::at_risk: return "at_risk";
        case life_cycle_stage::lapsed: return "lapsed";
    }
    return "?";
}

struct stage_decision {
    life_cycle_stage stage = life_cycle_stage::prospect;
    std::string reason;
};

LOYALTY_INLINE stage_decision decide_stage(const program& prog, const member_history& h, const rfm_scores& rfm, instant as_of,
                                   const member_value_rules& rules) {
    const stage_rules& r = rules.stages;
    if (!rfm.days_since_paid_visit) return {life_cycle_stage::prospect, "no paid visit yet"};
    const day today = prog.zone.local_day(as_of);
    std::optional<std::int64_t> since_purchase;
    for (const visit& v : h.visits)
        if (v.type == event_type::vehicle_purchase && v.stands_at(as_of)) {
            const std::int64_t d = days_between(prog.zone.local_day(v.at), today);
            if (!since_purchase || d < *since_purchase) since_purchase = d;
        }
    if (since_purchase && *since_purchase <= r.new_owner_days)
        return {life_cycle_stage::new_owner, "vehicle bought " + std::to_string(*since_purchase) + " days ago (at most " +
                                                 std::to_string(r.new_owner_days) + ")"};
    const std::int64_t since = *rfm.days_since_paid_visit;
    if (since > r.lapsed_after_days)
        return {life_cycle_stage::lapsed, "last paid visit " + std::to_string(since) + " days ago (more than " +
                                              std::to_string(r.lapsed_after_days) + ")"};
    if (since > r.at_risk_after_days)
        return {life_cycle_stage::at_risk, "last paid visit " + std::to_string(since) + " days ago (more than " +
                                               std::to_string(r.at_risk_after_days) + ")"};
    const std::string scores = "R" + std::to_string(rfm.recency) + " F" + std::to_string(rfm.frequency) + " M" +
                               std::to_string(rfm.monetary);
    if (rfm.recency >= r.high_value_min_recency && rfm.frequency >= r.high_value_min_frequency &&
        rfm.monetary >= r.high_value_min_monetary)
        return {life_cycle_stage::high_value, scores + " at least R" + std::to_string(r.high_value_min_recency) + " F" +
                                                  std::to_string(r.high_value_min_frequency) + " M" +
                                                  std::to_string(r.high_value_min_monetary)};
    return {life_cycle_stage::established, scores + ", last paid visit " + std::to_string(since) + " days ago"};
}

}  // namespace loyalty
