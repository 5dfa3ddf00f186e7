#pragma once
// Events: things that happened and may earn or cost points. One variant, one struct per type.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

enum class event_type {
    enrol, vehicle_purchase, repair_order, referral, survey, birthday, adjustment, reverse, tick, benefit_use,
    redeem, cancel_redemption, transfer, assign_tier, open_account, join_account, leave_account, settle_rebate
};

LOYALTY_INLINE std::string_view to_string(event_type t) noexcept {
    switch (t) {
        case event_type::enrol: return "enrol";
        case event_type::vehicle_purchase: return "vehicle_purchase";
        case event_type::repair_order: return "repair_order";
        case event_type::referral: return "referral";
        case event_type::survey: return "survey";
        case event_type::birthday: return "birthday";
        case event_type::adjustment: return "adjustment";
        case event_type::reverse: return "reverse";
        case event_type::tick: return "tick";
        case event_type::benefit_use: return "benefit_use";
        case event_type::redeem: return "redeem";
        case event_type::cancel_redemption: return "cancel_redemption";
        case event_type::transfer: return "transfer";
        case event_type::assign_tier: return "assign_tier";
        case event_type::open_account: return "open_account";
        case event_type::join_account: return "join_account";
        case event_type::leave_account: return "leave_account";
        case event_type::settle_rebate: return "settle_rebate";
    }
    return "?";
}

LOYALTY_INLINE std::optional<event_type> parse_event_type(std::string_view s) noexcept {
    for (event_type t : {event_type::enrol, event_type::vehicle_purchase, event_type::repair_order,
                         event_type::referral, event_type::survey, event_type::birthday,
                         event_type::adjustment, event_type::reverse, event_type::tick, event_type::benefit_use,
                         event_type::redeem, event_type::cancel_redemption, event_type::transfer,
                         event_type::assign_tier, event_type::open_account, event_type::join_account,
                         event_type::leave_account, event_type::settle_rebate})
        if (to_string(t) == s) return t;
    return std::nullopt;
}

enum class line_kind { labour, part };
enum class line_flag : unsigned { accident = 1, warranty = 2, insurance_paid = 4, third_party = 8 };

LOYALTY_INLINE std::string_view to_string(line_kind k) noexcept { return k == line_kind::labour ? "labour" : "part"; }
LOYALTY_INLINE std::optional<line_kind> parse_line_kind(std::string_view s) noexcept {
    if (s == "labour") return line_kind::labour;
    if (s == "part") return line_kind::part;
    return std::nullopt;
}
LOYALTY_INLINE std::string_view to_string(line_flag f) noexcept {
    switch (f) {
        case line_flag::accident: return "accident";
        case line_flag::warranty: return "warranty";
        case line_flag::insurance_paid: return "insurance_paid";
        case line_flag::third_party: return "third_party";
    }
    return "?";
}
LOYALTY_INLINE std::optional<line_flag> parse_line_flag(std::string_view s) noexcept {
    for (line_flag f : {line_flag::accident, line_flag::warranty, line_flag::insurance_paid, line_flag::third_party})
        if (to_string(f) == s) return f;
    return std::nullopt;
}

struct repair_order_line {
    line_kind kind = line_kind::labour;
    std::string category;   // "maintenance", "repair", "accident_repair", "tyres", ...
    std::string operation;  // operation code, e.g. "OIL-CHANGE"
    decimal quantity = decimal::integer(1);  // hours of labour or number of parts
    money unit_price;       // list price of one unit
    unsigned flags = 0;     // bit set of line_flag

    bool has(line_flag f) const noexcept { return (flags & static_cast<unsigned>(f)) != 0; }
    // Paid by warranty or by an insurer rather than by the member.
    bool covered() const noexcept { return has(line_flag::warranty) || has(line_flag::insurance_paid); }
};

namespace events {

struct enrol {
    std::string household;  // optional: members of one household may transfer points to each other
    unsigned birthday_month = 0;  // optional (0: unknown): what birthday rules need, not the year
    unsigned birthday_day = 0;
    // optional: the member who brought this one in. Under a programme with a referral policy the
    // referrer is paid when this member completes a first qualifying visit (referral/referral.hpp).
    std::string referred_by;
};
struct vehicle_purchase {
    std::string vin;
    money price;
    std::optional<std::int64_t> odometer_km{};  // the reading at the purchase, if known ({}: see below)
    // A vehicle bought from another member (a used car sold through the dealer): its
    // vehicle-scoped benefits follow it or end (benefit/vehicle_scope.hpp); journal_runner posts
    // the seller's side.
    std::string previous_owner{};  // {}: brace-initialised purchases written before need not name it
};
enum class ro_status { estimate, closed };
struct repair_order {
    std::string number;  // the store's RO number
    std::string vin;
    ro_status status = ro_status::closed;
    std::vector<repair_order_line> lines;
    std::optional<std::int64_t> odometer_km{};  // the vehicle's reading (needs the VIN)
};
// A referral bonus the store itself judged due, for programmes without a referral policy. Under
// a referral policy the engine posts it (on the referrer's chain) and refuses it in a journal.
struct referral {
    std::string referred_member;
};
struct survey {
    std::string survey_id;
    std::string repair_order;  // the closed RO event the survey is about (rules with once_per_repair_order need it)
};
struct birthday {};
struct adjustment {
    points amount;  // signed
    std::string reason;
    std::string operator_id;
};
struct reverse {
    std::string event_id;  // the event whose effects are undone
    std::string reason;
    // A partial reversal of a closed repair order (reversal/partial.hpp): lines returned, by
    // their 0-based index in the order's `lines`, and/or money refunded after the fact.
    std::vector<std::size_t> lines{};
    std::optional<money> amount{};
    std::optional<std::size_t> amount_line{};  // the line the amount is refunded on; none: spread over the order
    bool partial() const noexcept { return !lines.empty() || amount.has_value(); }
};
struct tick {};
// Use of a benefit that is not a repair-order line: insurance-claim handling, renewal
// handling, a club tour or lecture. Flags such as third_party may exclude it.
struct benefit_use {
    std::string benefit;
    std::string reference;  // claim number, policy number, event code
    unsigned flags = 0;     // bit set of line_flag
    bool has(line_flag f) const noexcept { return (flags & static_cast<unsigned>(f)) != 0; }
};

// Buys `quantity` units of a catalogue reward with points (price option `option` of the reward).
struct redeem {
    std::string reward;
    std::int64_t quantity = 1;
    std::size_t option = 0;
};
// Undoes an earlier redemption: points back to their lots, stock back, vouchers withdrawn.
struct cancel_redemption {
    std::string redemption;  // the redeem event's id
    std::string reason;
};
// Sends points to another member of the same household; the receiver's lots keep the
// sender's expiry days. One event, entries on both members' chains.
struct transfer {
    std::string to;  // the receiving member
    points amount;
    std::string reason;
};

// An operator puts the member in a tier: a manual assignment, or a tier match for a member
// coming from another programme. The tier is then judged like any other at its window's end.
struct assign_tier {
    std::string tier;
    std::string reason;
    std::string operator_id;
};

// Fleet (corporate) accounts (fleet/). `open_account` starts the account's own chain: its
// event's member is the account id. A member joins with `join_account` (event of the member)
// and leaves with `leave_account`; `settle_rebate` (event of the account) pays the volume
// rebate of the period containing `period_of`, once that period has ended.
struct open_account {
    std::string policy;  // the programme's fleet policy
    std::string name;    // the company, for people
};
struct join_account {
    std::string account;
    std::string reason;
};
struct leave_account {
    std::string reason;
};
struct settle_rebate {
    day period_of{};  // any day of the period to settle
};

}  // namespace events

using event_body = std::variant<events::enrol, events::vehicle_purchase, events::repair_order, events::referral,
                                events::survey, events::birthday, events::adjustment, events::reverse, events::tick,
                                events::benefit_use, events::redeem, events::cancel_redemption, events::transfer,
                                events::assign_tier, events::open_account, events::join_account,
                                events::leave_account, events::settle_rebate>;

struct event {
    std::string id;      // unique across the journal
    std::string member;  // pseudonymous member id
    instant at;          // when it happened (UTC)
    event_body body;
    std::string store{};  // the store (dealer outlet) where it happened, if given; its entries carry it

    // The variant's alternatives are declared in event_type order.
    event_type type() const noexcept { return static_cast<event_type>(body.index()); }
};

}  // namespace loyalty
