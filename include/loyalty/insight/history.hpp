#pragma once
// A member's history of visits, as member value and touch points need it: every accepted
// vehicle purchase and closed repair order, what the member paid for it, and whether (and when)
// it was reversed. What the member paid is the engine's own figure: a vehicle's price, or
// price() of the order on the member's state just before it (audit/liability.hpp's
// consideration_of(), the same figure the IFRS 15 report uses), so nothing is priced twice.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "loyalty/audit/liability.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty {

struct visit {
    std::string event;
    instant at;
    event_type type = event_type::repair_order;  // vehicle_purchase or repair_order (closed)
    std::string vin;
    money paid;                           // what the member paid (vouchers and covered lines excluded)
    std::optional<instant> reversed_at;   // when an accepted `reverse` undid it

    // Whether the visit stands at `as_of`: it had happened and had not been reversed by then.
    bool stands_at(instant as_of) const { return at <= as_of && !(reversed_at && *reversed_at <= as_of); }
    // A paid visit: a vehicle purchase, or a closed repair order on which the member paid something.
    bool is_paid() const { return type == event_type::vehicle_purchase || (!paid.is_zero() && !paid.is_negative()); }
};

struct member_history {
    std::string member;
    std::vector<visit> visits;  // in journal order
};

// Replays a journal with a journal_runner and keeps each member's history on the way.
class history_recorder {
public:
    explicit history_recorder(program_versions versions) : run_(std::move(versions)) {}

    outcome apply(const event& e) {
        consideration_map paid;  // what the member paid for e, priced as the engine does, if a sale
        outcome o = apply_recording(run_, e, paid);
        if (!o.accepted()) return o;
        if (const auto* r = std::get_if<events::reverse>(&e.body); r && !r->partial()) {
            member_history& h = histories_[e.member];
            for (visit& v : h.visits)
                if (v.event == r->event_id && !v.reversed_at) v.reversed_at = e.at;
        } else if (const auto sale = paid.find(e.id); sale != paid.end()) {  // a vehicle purchase or a closed RO
            member_history& h = histories_[e.member];
            h.member = e.member;
            visit v;
            v.event = e.id;
            v.at = e.at;
            v.type = e.type();
            if (const auto* p = std::get_if<events::vehicle_purchase>(&e.body)) v.vin = p->vin;
            if (const auto* ro = std::get_if<events::repair_order>(&e.body)) v.vin = ro->vin;
            v.paid = sale->second.amount;
            h.visits.push_back(std::move(v));
        }
        return o;
    }

    const journal_runner& runner() const noexcept { return run_; }
    const program_versions& versions() const noexcept { return run_.versions(); }

    // The member's history; an empty one for a member with no visit.
    member_history history_of(const std::string& member) const {
        const auto it = histories_.find(member);
        if (it != histories_.end()) return it->second;
        member_history h;
        h.member = member;
        return h;
    }

private:
    journal_runner run_;
    std::map<std::string, member_history> histories_;
};

}  // namespace loyalty
