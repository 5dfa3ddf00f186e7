#pragma once
// Member value at an as-of instant: RFM scores, lifetime value and life-cycle stage together.
// Read-only: from the programme, the member's state and history; nothing is posted.
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/insight/lifetime_value.hpp"
#include "loyalty/insight/rfm.hpp"
#include "loyalty/insight/stage.hpp"

namespace loyalty {

struct member_value {
    std::string member;
    rfm_scores rfm;
    lifetime_value clv;
    stage_decision stage;
};

LOYALTY_INLINE member_value value_of(const program& prog, const member_state& s, const member_history& h, instant as_of,
                             const member_value_rules& rules) {
    member_value v;
    v.member = s.member;
    v.rfm = score_rfm(prog, h, as_of, rules);
    v.clv = estimate_lifetime_value(prog, s, h, as_of, rules);
    v.stage = decide_stage(prog, h, v.rfm, as_of, rules);
    return v;
}

}  // namespace loyalty
