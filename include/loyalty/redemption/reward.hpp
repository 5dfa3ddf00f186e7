#pragma once
// The rewards catalogue: what members may buy with points, at what price, when, how often.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/program/funding.hpp"
#include "loyalty/program/line_filter.hpp"

namespace loyalty {

enum class reward_kind { labour_voucher, goods, accessory, repair_item, service };

LOYALTY_INLINE std::string_view to_string(reward_kind k) noexcept {
    switch (k) {
        case reward_kind::labour_voucher: return "labour_voucher";
        case reward_kind::goods: return "goods";
        case reward_kind::accessory: return "accessory";
        case reward_kind::repair_item: return "repair_item";
        case reward_kind::service: return "service";
    }
    return "?";
}

LOYALTY_INLINE std::optional<reward_kind> parse_reward_kind(std::string_view s) noexcept {
    for (reward_kind k : {reward_kind::labour_voucher, reward_kind::goods, reward_kind::accessory,
                          reward_kind::repair_item, reward_kind::service})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

// One way to pay for a unit: points only ("2,000 points") or points + money ("800 points + 60.00").
struct reward_price {
    points cost;  // more than zero
    money cash;   // zero for a points-only price
};

// A labour-fee voucher: money the member spends on labour lines of later repair orders.
struct voucher_terms {
    money value;
    int valid_days = 365;          // from the day of issue; lapses at 00:00 local time of issue day + valid_days
    bool keep_remainder = true;    // false: what a repair order leaves of it is forfeited
    line_filter lines;             // which lines it pays (kinds defaults to labour)
};

// At most `count` units per member in each period.
struct redemption_limit {
    std::int64_t count = 0;
    period per;
};

struct reward {
    std::string id;
    std::string name;
    reward_kind kind = reward_kind::goods;
    std::vector<reward_price> prices;       // the options a member may choose from (event "option", default 0)
    std::vector<std::string> tiers;         // empty: every member (tiers are not modelled yet: a list refuses everyone)
    std::optional<redemption_limit> limit;  // per member
    std::optional<std::int64_t> stock;      // units in total, programme-wide; none: unlimited
    std::optional<instant> available_from;  // inclusive
    std::optional<instant> available_to;    // exclusive
    std::vector<unsigned> months;           // local calendar months (1-12) it is offered in, every year; empty: all
    points min_balance;                     // available points the member must hold before paying
    int min_tenure_days = 0;                // days since enrolment
    std::optional<voucher_terms> voucher;   // labour_voucher only
    funding_terms funding;                  // who pays for it (program/funding.hpp; funder only)

    bool offered_at(instant t, const time_zone& zone) const {
        if (available_from && t < *available_from) return false;
        if (available_to && !(t < *available_to)) return false;
        if (months.empty()) return true;
        const unsigned m = static_cast<unsigned>(date::year_month_day(zone.local_day(t)).month());
        for (unsigned x : months)
            if (x == m) return true;
        return false;
    }
};

// What a cancelled redemption does with points whose lot expired in between.
enum class expired_return { expire_at_once, grace_days };

struct redemption_policy {
    expired_return when_lot_expired = expired_return::expire_at_once;
    int grace_days = 0;  // with grace_days: the returned points expire this many local days after the cancellation
};

}  // namespace loyalty
