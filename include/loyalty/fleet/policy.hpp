#pragma once
// Fleet (corporate) incentive policies: what a programme gives an account that groups several
// members (the company's drivers) and their vehicles. A policy may give the account's members a
// discount that replaces or stacks with their own benefits, and a volume rebate on the spend of
// all its members over a period, in bands ("2% from 100,000.00, 3% from 300,000.00"), paid as a
// money credit or as points to the account.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/program/line_filter.hpp"

namespace loyalty {

// How a fleet discount meets the member's own benefits on a line it selects.
//   replace: the member's benefits are not applied to that line; the fleet discount is.
//   stack:   the member's benefits apply first, the fleet discount on what is left.
enum class discount_combination { replace, stack };

LOYALTY_INLINE std::string_view to_string(discount_combination c) noexcept {
    return c == discount_combination::replace ? "replace" : "stack";
}
LOYALTY_INLINE std::optional<discount_combination> parse_discount_combination(std::string_view s) noexcept {
    if (s == "replace") return discount_combination::replace;
    if (s == "stack") return discount_combination::stack;
    return std::nullopt;
}

struct fleet_discount {
    line_filter lines;   // the lines it applies to
    decimal pay;         // the member pays this fraction of the line (0.85: 15% off)
    discount_combination combine = discount_combination::stack;
    std::optional<rounding> rounding_mode;  // none: the programme's rounding
};

// whole:    the rate of the highest band reached applies to the whole spend.
// marginal: each band's rate applies to the part of the spend inside that band.
enum class rebate_method { whole, marginal };

LOYALTY_INLINE std::string_view to_string(rebate_method m) noexcept {
    return m == rebate_method::whole ? "whole" : "marginal";
}
LOYALTY_INLINE std::optional<rebate_method> parse_rebate_method(std::string_view s) noexcept {
    if (s == "whole") return rebate_method::whole;
    if (s == "marginal") return rebate_method::marginal;
    return std::nullopt;
}

enum class rebate_payment { money, points };

LOYALTY_INLINE std::string_view to_string(rebate_payment m) noexcept { return m == rebate_payment::money ? "money" : "points"; }
LOYALTY_INLINE std::optional<rebate_payment> parse_rebate_payment(std::string_view s) noexcept {
    if (s == "money") return rebate_payment::money;
    if (s == "points") return rebate_payment::points;
    return std::nullopt;
}

// A band starts at `from` (inclusive: spend of exactly `from` is in the band).
struct rebate_band {
    money from;
    decimal rate;  // 0.02 for 2%
};

struct volume_rebate {
    period per;                       // the period whose spend is rebated (calendar year, ...)
    rebate_method method = rebate_method::whole;
    std::vector<rebate_band> bands;   // strictly rising `from`
    rebate_payment pay_as = rebate_payment::money;
    decimal points_per_unit = decimal::integer(1);  // points per currency unit of rebate (pay_as points)
    rounding rounding_mode = rounding::down;        // of the rebate to the minor unit
};

// Where tier status is counted for an account's members.
//   member:  each member qualifies on their own figures (the default).
//   account: the account itself holds a tier, judged with the programme's tier policy on what
//            all its members' counted events bring together (spend, paid visits, vehicles bought,
//            the qualifying points those events earned); each member holds the higher of their
//            own tier and the account's (fleet/account_tier.hpp).
enum class tier_qualification { member, account };

LOYALTY_INLINE std::string_view to_string(tier_qualification q) noexcept {
    return q == tier_qualification::member ? "member" : "account";
}
LOYALTY_INLINE std::optional<tier_qualification> parse_tier_qualification(std::string_view s) noexcept {
    if (s == "member") return tier_qualification::member;
    if (s == "account") return tier_qualification::account;
    return std::nullopt;
}

struct fleet_policy {
    std::string id;
    std::string name;
    std::optional<fleet_discount> discount;
    std::optional<volume_rebate> rebate;
    tier_qualification qualification = tier_qualification::member;
};

}  // namespace loyalty
