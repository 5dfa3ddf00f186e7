#pragma once
// How much of a benefit a member has used: uses and money given, per local day.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/benefit.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/short_id.hpp"

namespace loyalty {

// Its texts are held in place up to 31 bytes (the benefit's id) and 23 (an RO number, a VIN):
// an order's uses are copied into its lines' parts and its effect, and as std::strings their
// RO numbers (16 bytes past a member's ninth visit) and VINs (17) each took a heap block.
struct benefit_use {
    basic_short_id<32> benefit;
    day on;                       // local business day of the use
    std::int64_t uses = 0;        // quota units consumed
    std::int64_t discount = 0;    // money given, in minor units of the programme currency
    basic_short_id<24> reference; // RO number, claim or policy reference
    // {} so that brace-initialised uses written before these fields need not name them.
    basic_short_id<24> vin{};     // a vehicle-scoped benefit: the vehicle it was used on
    std::optional<std::int64_t> odometer_km{};  // and its reading then, when the RO gave one

    friend bool operator==(const benefit_use& a, const benefit_use& b) {
        return a.benefit == b.benefit && a.on == b.on && a.uses == b.uses && a.discount == b.discount &&
               a.reference == b.reference && a.vin == b.vin && a.odometer_km == b.odometer_km;
    }
};

// Uses and money of one benefit within a range of days.
struct usage_total {
    std::int64_t uses = 0;
    std::int64_t discount = 0;
};

LOYALTY_INLINE usage_total used_within(const std::vector<benefit_use>& usage, const std::string& benefit, const day_range& r) {
    usage_total t;
    for (const benefit_use& u : usage)
        if (u.benefit == benefit && r.contains(u.on)) {
            t.uses += u.uses;
            t.discount += u.discount;
        }
    return t;
}

// What is left of a quota on day d: uses this period, plus (with carry_over) what the period
// just before left unused. `tier` is the tier whose `by_tier` number set `allowed` (empty: the
// base number). A member who used more under a higher tier than a lower one allows has none left.
struct quota_position {
    day_range period;
    std::int64_t allowed = 0;
    std::int64_t used = 0;
    std::string tier;
    std::int64_t left() const noexcept { return allowed > used ? allowed - used : 0; }
};

// `tier` is the tier the member holds on day d (member_state::tier at the event). `usage`: a
// vector of uses (a vehicle's) or a member's benefit_use_log (member/benefit_use_log.hpp), anything
// used_within() reads.
template <class Usage>
quota_position quota_on(const quota& q, const Usage& usage, const std::string& benefit, day d, day member_since,
                        const std::string& tier) {
    quota_position p;
    p.period = q.per.containing(d, member_since);
    p.allowed = q.uses_for(tier);
    if (q.override_for(tier)) p.tier = tier;
    p.used = used_within(usage, benefit, p.period).uses;
    if (q.carry_over && member_since < p.period.first) {
        const day_range before = q.per.containing(p.period.first - date::days(1), member_since);
        const std::int64_t unused = q.uses - used_within(usage, benefit, before).uses;
        if (unused > 0) p.allowed += unused;
    }
    return p;
}

LOYALTY_INLINE std::string describe(const day_range& r, const period& per) {
    return per.describe() + " " + format_day(r.first) + ".." + format_day(r.end - date::days(1));
}

// " (platinum quota 6 per calendar_year)" when a tier's own number applies, else empty: said in
// price lines, refusals and statements so that a member sees why the number differs.
LOYALTY_INLINE std::string tier_quota_note(const quota_position& q, const period& per) {
    if (q.tier.empty()) return {};
    return " (" + q.tier + " quota " + std::to_string(q.allowed) + " per " + per.describe() + ")";
}

}  // namespace loyalty
