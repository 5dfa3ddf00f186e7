#pragma once
// The tier a member holds, for everything a tier gives (earning multipliers, tier-limited
// benefits, rewards and promotions, tier-specific quotas): the member's own tier, or the tier of
// the fleet account they drive for when the account's policy counts qualification at account
// level and the account's tier is the higher (fleet/account_tier.hpp keeps `account_tier`).
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

// A tier the programme no longer has ranks below every tier it has.
LOYALTY_INLINE const std::string& held_tier(const program& prog, const member_state& s) {
    if (s.account_tier.empty() || !prog.tiers) return s.tier;
    return prog.tiers->index_of(s.account_tier) > prog.tiers->index_of(s.tier) ? s.account_tier : s.tier;
}

}  // namespace loyalty
