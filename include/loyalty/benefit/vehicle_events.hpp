#pragma once
// What events do to the member's vehicle records: an odometer reading recorded (or refused when
// it goes backwards, as the programme states), a vehicle bought (from the dealer, or from another
// member: a change of owner), and the seller's side of that change.
//
// A change of owner touches two members' states. The buyer's event carries `previous_owner`;
// journal_runner (and so the CLI, the store and Python) gives apply_in_place() the seller's
// state to read and then posts the seller's side with release_vehicle_in_place(), on the
// seller's chain under the same event id. Benefits that follow the vehicle carry the uses made
// on it into the buyer's vehicle record (earlier_uses: copied, exact, named in a ledger entry),
// together with its purchase and readings; benefits that end do not apply to it for the buyer,
// and neither kind applies to it for the seller any more. Member-scoped benefits are untouched.
#include <algorithm>
#include <string>

#include "loyalty/benefit/vehicle_scope.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/qualify.hpp"

namespace loyalty {

// A reading lower than the vehicle's last one, when the programme refuses those; decided before
// anything changes. `v` is the record the reading would be compared with (null: none yet).
LOYALTY_INLINE refusal_reason check_reading(const program& prog, const vehicle_record* v, const std::string& vin,
                                    std::int64_t km) {
    const odometer_reading* last = v ? v->last_reading() : nullptr;
    if (!last || km >= last->km || prog.odometer.backwards != backwards_reading::refuse) return {};
    return {refusal::odometer_backwards, "odometer " + km_text(km) + " on VIN " + vin + " is lower than its last reading " +
                                             km_text(last->km) + " on " + format_day(last->on) + " (" + last->event +
                                             "); the programme refuses readings that go backwards"};
}

LOYALTY_INLINE vehicle_record& vehicle_of(member_state& s, const std::string& vin) {
    if (vehicle_record* v = s.find_vehicle(vin)) return *v;
    vehicle_record v;
    v.vin = vin;
    s.vehicle_records.push_back(std::move(v));
    return s.vehicle_records.back();
}

// Records the event's reading on the vehicle. check_reading() has accepted it; a reading that
// goes backwards here is one the programme flags.
LOYALTY_INLINE void record_reading(posting& p, vehicle_record& v, std::int64_t km) {
    odometer_reading r;
    r.on = p.prog().zone.local_day(p.ev().at);
    r.km = km;
    r.event = p.ev().id;
    if (const odometer_reading* last = v.last_reading(); last && km < last->km) {
        r.flagged = true;
        p.explain("", "odometer: " + km_text(km) + " on VIN " + v.vin + " is lower than its last reading " +
                          km_text(last->km) + " on " + format_day(last->on) + " (" + last->event +
                          "); accepted and flagged (odometer.backwards: flag)");
    }
    v.readings.push_back(std::move(r));
}

// Refusals of a vehicle purchase or repair order that concern the vehicle. `seller` is the
// previous owner's state when the purchase names one (null: not at hand).
LOYALTY_INLINE refusal_reason check_vehicle_event(const program& prog, const member_state& s, const event& e,
                                          const member_state* seller) {
    if (const auto* ro = std::get_if<events::repair_order>(&e.body);
        ro && ro->odometer_km && ro->status == events::ro_status::closed)
        return check_reading(prog, s.find_vehicle(ro->vin), ro->vin, *ro->odometer_km);
    const auto* vp = std::get_if<events::vehicle_purchase>(&e.body);
    if (!vp) return {};
    const vehicle_record* before = s.find_vehicle(vp->vin);
    if (!vp->previous_owner.empty()) {
        if (!seller || seller->member != vp->previous_owner)
            return {refusal::counterparty_required, "a vehicle bought from member " + vp->previous_owner +
                                                        " needs their state: apply it through a journal_runner"};
        if (vp->previous_owner == s.member)
            return {refusal::vehicle_not_held, "member " + s.member + " cannot buy VIN " + vp->vin + " from themself"};
        const vehicle_record* held = seller->find_vehicle(vp->vin);
        const bool holds = std::find(seller->vehicles.begin(), seller->vehicles.end(), vp->vin) != seller->vehicles.end();
        if (!holds || (held && held->sold_on))
            return {refusal::vehicle_not_held, "member " + vp->previous_owner + " does not hold VIN " + vp->vin};
        before = held;
    }
    if (vp->odometer_km) return check_reading(prog, before, vp->vin, *vp->odometer_km);
    return {};
}

// What each vehicle-scoped benefit does when the vehicle changes owner, for the entries.
LOYALTY_INLINE std::string transfer_terms(const program& prog, const std::vector<benefit_use>& carried) {
    std::string out;
    for (const benefit& b : prog.benefits) {
        if (!b.vehicle) continue;
        std::int64_t uses = 0;
        for (const benefit_use& u : carried)
            if (u.benefit == b.id) uses += u.uses;
        out += (out.empty() ? "" : "; ") + b.id +
               (b.vehicle->transfer == on_transfer::follow
                    ? " follows the vehicle (" + std::to_string(uses) + (uses == 1 ? " use" : " uses") + " made on it go with it)"
                    : " ends (on_transfer: end)");
    }
    return out.empty() ? "the programme has no vehicle-scoped benefits" : out;
}

// The uses made on `vin` of benefits that follow the vehicle: what the seller's record had from
// earlier owners, then the seller's own.
LOYALTY_INLINE std::vector<benefit_use> uses_that_follow(const program& prog, const member_state& seller, const std::string& vin) {
    std::vector<benefit_use> out;
    const auto follows = [&](std::string_view id) {
        const benefit* b = prog.find_benefit(id);
        return b && b->vehicle && b->vehicle->transfer == on_transfer::follow;
    };
    if (const vehicle_record* v = seller.find_vehicle(vin))
        for (const benefit_use& u : v->earlier_uses)
            if (follows(u.benefit)) out.push_back(u);
    for (benefit_use& u : seller.benefit_usage.select([&](std::string_view b, std::string_view v) { return v == vin && follows(b); }))
        out.push_back(std::move(u));
    return out;
}

// The buyer's side of a vehicle purchase: the vehicle record (its purchase, or what came with it
// from the previous owner) and the reading. check_vehicle_event() has accepted the event.
LOYALTY_INLINE void acquire_vehicle(posting& p, const events::vehicle_purchase& vp, const member_state* seller) {
    member_state& s = p.state();
    const day today = p.prog().zone.local_day(p.ev().at);
    vehicle_record& v = vehicle_of(s, vp.vin);
    v.acquired_by = p.ev().id;
    v.sold_on.reset();
    v.sold_to.clear();
    if (!vp.previous_owner.empty() && seller) {
        const vehicle_record* from = seller->find_vehicle(vp.vin);
        v.previous_owner = vp.previous_owner;
        v.purchased_on = from ? from->purchased_on : std::nullopt;
        v.purchase_km = from ? from->purchase_km : std::nullopt;
        v.readings = from ? from->readings : std::vector<odometer_reading>{};
        v.earlier_uses = uses_that_follow(p.prog(), *seller, vp.vin);
        const std::string text =
            "bought VIN " + vp.vin + " from member " + vp.previous_owner + ": " + transfer_terms(p.prog(), v.earlier_uses);
        p.note(entry_kind::vehicle_transfer, as_text(text), "");
    } else if (!v.purchased_on) {
        v.purchased_on = today;
        v.purchase_km = vp.odometer_km;
    }
    if (vp.odometer_km) record_reading(p, v, *vp.odometer_km);
}

// The seller's side of a change of owner, posted on the seller's chain under the buyer's event id
// (after the buyer's side was accepted). The vehicle leaves the seller's vehicles; its record
// stays, marked sold, so its vehicle benefits no longer apply for the seller.
LOYALTY_INLINE void release_vehicle_in_place(const program_versions& versions, member_state& seller, const event& e,
                                     outcome& out) {
    const auto& vp = std::get<events::vehicle_purchase>(e.body);
    if (seller.has_seen(e.id))
        throw error("loyalty.engine.duplicate_event_id",
                    "event id '" + e.id + "' is already on the chain of member " + seller.member);
    const program& prog = *versions.at(e.at);
    const event posted{e.id, seller.member, e.at, events::tick{}};  // the seller's side buys nothing
    posting p(prog, seller, posted, out);
    expire_due(p, e.at);  // the seller's entries stay in date order
    review_tiers_due(p, e.at);
    const std::vector<benefit_use> carried = uses_that_follow(prog, seller, vp.vin);
    vehicle_record& v = vehicle_of(seller, vp.vin);
    v.sold_on = prog.zone.local_day(e.at);
    v.sold_to = e.member;
    v.sold_by = e.id;
    seller.vehicles.erase(std::remove(seller.vehicles.begin(), seller.vehicles.end(), vp.vin), seller.vehicles.end());
    const std::string text = "sold VIN " + vp.vin + " to member " + e.member +
                             ": its vehicle benefits leave with it; " + transfer_terms(prog, carried);
    p.note(entry_kind::vehicle_transfer, as_text(text), "");
    event_effect effect;
    effect.type = event_type::vehicle_purchase;
    effect.at = e.at;
    seller.last_event_at = std::max(seller.last_event_at, e.at);  // not the seller's activity
    seller.effects.insert(e.id, effect);
    seller.bury_spent_lots();
}

}  // namespace loyalty
