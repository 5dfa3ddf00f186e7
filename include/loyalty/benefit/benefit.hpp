#pragma once
// Benefits: rights a member holds. On repair-order lines they make a line free or discount it;
// service items that are not RO lines (insurance-claim handling, club events) are used directly.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/benefit/vehicle_terms.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/program/funding.hpp"
#include "loyalty/program/line_filter.hpp"

namespace loyalty {

enum class benefit_kind {
    free_line,     // the matching line costs the member nothing (free wash, free oil-change labour)
    discount,      // the member pays `pay` times the amount (0.7 = 30% off)
    service_item,  // not an RO line: used by a benefit_use event (claim handling, club events)
};

LOYALTY_INLINE std::string_view to_string(benefit_kind k) noexcept {
    switch (k) {
        case benefit_kind::free_line: return "free_line";
        case benefit_kind::discount: return "discount";
        case benefit_kind::service_item: return "service_item";
    }
    return "?";
}

// N uses per period; unused uses do not carry over unless carry_over says so (then the unused
// uses of the period just before are added, once).
// `by_tier` gives some tiers another number (platinum: 6 waxings instead of 4). Uses are counted
// per period whatever tier was held when they were used; the number allowed is the one of the
// tier held at the event, so a member upgraded mid-period after 4 of 4 gets 2 more at 6.
struct quota {
    int uses = 0;
    period per;
    bool carry_over = false;
    std::vector<std::pair<std::string, int>> by_tier{};  // tier id, uses (in programme order)

    // The override for a member holding `tier`, or nullptr: the base `uses` applies.
    const std::pair<std::string, int>* override_for(const std::string& tier) const noexcept {
        if (tier.empty()) return nullptr;
        for (const auto& t : by_tier)
            if (t.first == tier) return &t;
        return nullptr;
    }
    int uses_for(const std::string& tier) const noexcept {
        const auto* o = override_for(tier);
        return o ? o->second : uses;
    }
};

// A cap on the money a benefit gives, per period.
struct money_cap {
    period per;
    money limit;
};

struct benefit {
    std::string id;
    std::string description;
    benefit_kind kind = benefit_kind::free_line;
    line_filter lines;                    // free_line and discount: which lines
    decimal pay = decimal::integer(1);    // discount: the fraction the member pays
    std::optional<rounding> rounding_mode;  // of the discounted amount; else the programme's
    std::optional<quota> limit;           // none: unlimited
    bool stacks = false;                  // may apply to a line another benefit already discounted
    std::optional<money> max_per_order;   // most money it gives on one repair order
    std::optional<money_cap> max_per_period;
    std::vector<std::string> tiers;       // empty: every member (the tiers issue fills this in)
    std::vector<line_flag> refuse_flags;  // service_item: uses flagged so are refused (third_party)
    std::optional<instant> effective_from;
    std::optional<instant> effective_to;
    std::optional<vehicle_terms> vehicle;  // none: member-scoped; else counted per VIN (vehicle_terms.hpp)
    funding_terms funding;                 // who pays for its uses (program/funding.hpp)

    bool effective_at(instant t) const {
        return (!effective_from || *effective_from <= t) && (!effective_to || t < *effective_to);
    }
};

enum class stacking {
    in_order,         // benefits apply in programme order
    best_for_member,  // of the benefits that do not stack, the one giving the most applies
};

}  // namespace loyalty
