#pragma once
// The discount a fleet policy gives its account's members on repair-order lines. It replaces
// the member's own benefits on the lines it selects, or stacks on what they leave, as the policy
// states; price() applies it and explains it like any benefit.
#include <string>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct fleet_line_discount {
    std::string policy;
    money amount;        // the discount, positive
    std::string reason;
};

// The fleet discount that prices this member's orders, if the member drives for an account
// whose policy (in this programme version) has one.
LOYALTY_INLINE const fleet_policy* fleet_discount_policy(const program& p, const member_state& s) {
    if (s.account_policy.empty()) return nullptr;
    const fleet_policy* fp = p.find_fleet_policy(s.account_policy);
    return fp && fp->discount ? fp : nullptr;
}

// Whether the fleet discount takes the place of the member's benefits on this line.
LOYALTY_INLINE bool fleet_replaces_benefits(const fleet_policy* fp, const repair_order_line& line) {
    return fp && fp->discount->combine == discount_combination::replace && fp->discount->lines.matches(line);
}

// The fleet discount on what the member would still pay for the line (`net`); zero when the
// policy does not select the line.
LOYALTY_INLINE fleet_line_discount fleet_discount_on(const program& p, const fleet_policy& fp, const member_state& s,
                                             const repair_order_line& line, const money& net) {
    const fleet_discount& d = *fp.discount;
    fleet_line_discount out{"fleet:" + fp.id, money::zero(net.currency_of()), {}};
    if (!d.lines.matches(line) || net.is_zero() || net.is_negative()) return out;
    const rounding mode = d.rounding_mode.value_or(p.default_rounding);
    const money pays = multiply(net, d.pay, mode);
    out.amount = net - pays;
    out.reason = out.policy + ": account " + s.account + " pays " + d.pay.to_string() + " x " + net.to_string() +
                 " = " + pays.to_string() + " (" + std::string(to_string(mode)) + "), " + out.amount.to_string() +
                 " off (" + (d.combine == discount_combination::replace ? "in place of member benefits" : "after member benefits") +
                 ")";
    return out;
}

}  // namespace loyalty
