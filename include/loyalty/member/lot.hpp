#pragma once
// A lot: a block of points a member received together (an earning, a transfer in, points given
// back after an expiry), spent and expired soonest-expiring first (ledger/posting.hpp).
//
// Two forms: `lot`, with its names written out, is what the edges see (snapshots, statements,
// Python, member_state::all_lots()); `lot_record` is how a member's state holds a lot with
// points: fixed size, its rule, funder and id tail numbers in the member's name_table, its id
// "<event>/<tail>" derived, not stored.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loyalty/core/points.hpp"
#include "loyalty/core/short_id.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/member/name_table.hpp"

namespace loyalty {

// A lot's id, "<event id>/<tail>", as a value: up to 47 bytes in place (an event id and a rule
// id), a longer one on the heap. An event's effect names the lots it made or drew on; built as
// std::strings those ids were most of a redemption's allocations.
using lot_id_text = basic_short_id<48>;

// A block of points earned together, with the day it expires.
struct lot {
    std::string id;               // "<event id>/<tail>": the tail is its rule id for an earning
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

// A lot as a member's state holds it (member_state::lots): 88 bytes and, for an event id of up
// to 15 bytes, nothing on the heap (core/short_id.hpp). Names are numbers in the member's name_table.
struct lot_record {
    short_id event;                    // the event that created it; its id is "<event>/<tail>"
    name_table::number tail = name_table::none;
    name_table::number rule = name_table::none;
    name_table::number funder = name_table::none;
    std::uint32_t ordinal = 0;         // as lot::ordinal
    day earned_on;
    std::optional<day> expires_on;
    instant available_at;
    instant credited_at;
    points earned;
    points remaining;
    points expired;

    // Whether its id is `id`, without writing the id out.
    bool has_id(std::string_view id, const name_table& names) const {
        // The event first: it tells most lots apart without looking the tail up.
        const std::string_view ev = event.view();
        if (id.size() <= ev.size() || id[ev.size()] != '/' || id.compare(0, ev.size(), ev) != 0)
            return false;
        return id.substr(ev.size() + 1) == names[tail];
    }
    // The same without a heap block when it fits (an effect's lists of lots).
    lot_id_text id_text(const name_table& names) const { return lot_id_text::joined(event.view(), '/', names[tail]); }
    std::string id(const name_table& names) const {
        const std::string_view t = names[tail];
        std::string out;
        out.reserve(event.size() + 1 + t.size());
        out.append(event.view()).append(1, '/').append(t);
        return out;
    }
    // The lot with its names written out.
    lot written(const name_table& names) const {
        lot l;
        l.id = id(names);
        l.event = event.str();
        l.rule = names[rule];
        l.earned_on = earned_on;
        l.ordinal = ordinal;
        l.available_at = available_at;
        l.credited_at = credited_at;
        l.expires_on = expires_on;
        l.earned = earned;
        l.remaining = remaining;
        l.expired = expired;
        l.funder = names[funder];
        return l;
    }
    // `l` as a record, its names added to `names`. Raises std::invalid_argument when its id is
    // not "<event>/<tail>" (the engine makes no other; a snapshot is checked before, state_json).
    static lot_record of(const lot& l, name_table& names) {
        if (!id_fits(l.id, l.event))
            throw std::invalid_argument("lot id '" + l.id + "' does not start with its event '" + l.event + "/'");
        lot_record r;
        r.event = l.event;
        r.tail = names.add(std::string_view(l.id).substr(l.event.size() + 1));
        r.rule = names.add(l.rule);
        r.funder = names.add(l.funder);
        r.ordinal = l.ordinal;
        r.earned_on = l.earned_on;
        r.expires_on = l.expires_on;
        r.available_at = l.available_at;
        r.credited_at = l.credited_at;
        r.earned = l.earned;
        r.remaining = l.remaining;
        r.expired = l.expired;
        return r;
    }
    // Whether a lot id can be held as a record of the event: "<event>/<tail>", tail not empty.
    static bool id_fits(std::string_view id, std::string_view event) noexcept {
        return id.size() > event.size() + 1 && id.compare(0, event.size(), event) == 0 && id[event.size()] == '/';
    }
};

}  // namespace loyalty
