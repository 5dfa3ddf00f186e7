#pragma once
// A lot: a block of points a member received together (an earning, a transfer in, points given
// back after an expiry), spent and expired soonest-expiring first (ledger/posting.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

// A block of points earned together, with the day it expires.
struct lot {
    std::string id;               // "<event id>/<rule id>"
    std::string event;            // the event that earned it
    std::string rule;             // the rule that earned it ("adjustment" for an operator's credit)
    day earned_on;                // local business day
    std::uint32_t ordinal = 0;    // its place among the member's lots, in the order they were created
                                  // (member_state::all_lots); not part of its value (==)
    instant available_at;         // pending until then
    instant credited_at;          // when points last came into it (earned, or given back)
    std::optional<day> expires_on;  // expires at 00:00 local time of this day
    points earned;
    points remaining;
    points expired;               // how much of it expired (breakage)
    std::string funder{};         // who funds its points (its rule's funder when earned; a transferred
                                  // or re-credited lot keeps its origin's); "" when no funders are declared

    friend bool operator==(const lot& a, const lot& b) {
        return a.id == b.id && a.event == b.event && a.rule == b.rule && a.earned_on == b.earned_on &&
               a.available_at == b.available_at && a.credited_at == b.credited_at && a.expires_on == b.expires_on && a.earned == b.earned &&
               a.remaining == b.remaining && a.expired == b.expired && a.funder == b.funder;
    }
};

}  // namespace loyalty
