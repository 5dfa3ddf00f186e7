#pragma once
// apply(): the engine. A pure function of (programme versions, member state, event):
// no clock, no globals, no I/O. It only orders the steps; each concept does its own part.
#include <algorithm>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "loyalty/accrual/accrue.hpp"
#include "loyalty/accrual/post_earnings.hpp"
#include "loyalty/benefit/price.hpp"
#include "loyalty/benefit/use.hpp"
#include "loyalty/benefit/vehicle_events.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/engine/limits.hpp"
#include "loyalty/engine/outcome.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/fleet/account_events.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/member/usage_horizon.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/redemption/cancel.hpp"
#include "loyalty/redemption/redeem.hpp"
#include "loyalty/redemption/stock.hpp"
#include "loyalty/redemption/voucher.hpp"
#include "loyalty/referral/referral.hpp"
#include "loyalty/reversal/partial.hpp"
#include "loyalty/reversal/reverse.hpp"
#include "loyalty/reversal/window.hpp"
#include "loyalty/tier/qualify.hpp"
#include "loyalty/transfer/transfer.hpp"

namespace loyalty {

namespace detail {

// Money in an event must be in the programme's currency.
LOYALTY_INLINE bool same_currency(const program& p, const event& e) {
    if (const auto* vp = std::get_if<events::vehicle_purchase>(&e.body)) return vp->price.currency_of() == p.currency_unit;
    if (const auto* ro = std::get_if<events::repair_order>(&e.body)) {
        for (const repair_order_line& l : ro->lines)
            if (l.unit_price.currency_of() != p.currency_unit) return false;
    }
    return true;
}

// Events the member initiated: they keep points alive under the inactivity policy.
LOYALTY_INLINE bool is_activity(const event& e) {
    switch (e.type()) {
        case event_type::enrol:
        case event_type::vehicle_purchase:
        case event_type::referral:
        case event_type::survey:
        case event_type::adjustment:
        case event_type::benefit_use:
        case event_type::redeem:
        case event_type::cancel_redemption:
        case event_type::transfer:
        case event_type::join_account:
        case event_type::leave_account:
            return true;
        case event_type::repair_order:
            return std::get<events::repair_order>(e.body).status == events::ro_status::closed;
        case event_type::birthday:
        case event_type::reverse:
        case event_type::tick:
        case event_type::assign_tier:  // an operator's act, not the member's
        case event_type::open_account:
        case event_type::settle_rebate:
            return false;
    }
    return false;
}

// Refusals that depend on the event's own content, decided before anything changes.
LOYALTY_INLINE refusal_reason check_event(const program& prog, const member_state& s, const event& e,
                                  const reward_stock& stock) {
    if (const refusal_reason r = limits::check(s, e); r.code != refusal::none) return r;
    if (const refusal_reason r = check_referral(prog, e); r.code != refusal::none) return r;
    if (const refusal_reason r = check_fleet(prog, s, e); r.code != refusal::none) return r;
    if (const auto* r = std::get_if<events::redeem>(&e.body)) return check_redeem(prog, s, stock, *r, e.at);
    if (const auto* c = std::get_if<events::cancel_redemption>(&e.body)) return check_cancel_redemption(prog, s, *c, e.at);
    if (const auto* sv = std::get_if<events::survey>(&e.body)) {
        bool per_order = false;
        for (const earning_rule& r : prog.earning_rules)
            if (r.once_per_repair_order && r.effective_at(e.at)) per_order = true;
        if (per_order) {
            const std::optional<effect_summary> order = s.effects.summary(sv->repair_order);
            if (sv->repair_order.empty() || !order || !order->closed_order || order->reversed)
                return {refusal::survey_refused, "survey " + sv->survey_id + " names no closed repair order of member " +
                                                     s.member + " ('" + sv->repair_order + "')"};
            if (std::find(s.surveyed_orders.begin(), s.surveyed_orders.end(), sv->repair_order) != s.surveyed_orders.end())
                return {refusal::survey_refused, "a survey of " + sv->repair_order + " was already rewarded"};
        }
    }
    if (std::holds_alternative<events::transfer>(e.body))
        return {refusal::counterparty_required,
                "a transfer needs the receiver's state: apply it with apply_transfer() or a journal_runner"};
    if (const auto* r = std::get_if<events::reverse>(&e.body)) {
        if (const refusal_reason why = check_reverse(s, *r); why.code != refusal::none) return why;
        if (const refusal_reason why = check_reversal_window(prog, s, r->event_id, e.at);
            why.code != refusal::none || !r->partial())
            return why;
        return check_partial_reverse(s, *r);
    }
    if (const auto* a = std::get_if<events::assign_tier>(&e.body)) return check_assign_tier(prog, *a);
    if (const auto* u = std::get_if<events::benefit_use>(&e.body)) return check_benefit_use(prog, s, *u, e.at);
    if (const auto* ro = std::get_if<events::repair_order>(&e.body))
        if (const auto bad = prog.orders.check(*ro)) return {refusal::invalid_order, bad->what()};
    if (const auto* a = std::get_if<events::adjustment>(&e.body); a && a->amount < points(0)) {
        const points left = balance_after_expiries(prog, s, e.at);
        if (left < -a->amount)
            return {refusal::insufficient_points,
                    "debit of " + to_string(-a->amount) + " pt exceeds the balance of " + to_string(left)};
    }
    return {};
}

// Step 1 for any event: idempotency, membership, currency and order. Sets `prog` to the
// version in force and `backdated` when a back-dated event is accepted.
LOYALTY_INLINE refusal_reason admit(const program_versions& versions, const member_state& state, const event& e,
                            const program*& prog, bool& backdated) {
    if (!state.member.empty() && state.member != e.member)
        throw error("loyalty.engine.member_mismatch",
                    "event " + e.id + " is for member " + e.member + ", state is of " + state.member);
    prog = versions.at(e.at);
    if (!prog) return {refusal::no_program, "no programme version is in force at " + format_instant(e.at)};
    if (state.has_seen(e.id)) return {refusal::duplicate_event, "event '" + e.id + "' was already applied"};
    const event_type type = e.type();
    // An account's chain starts with open_account as a member's starts with enrol.
    const bool opens = type == event_type::enrol || type == event_type::open_account;
    if (opens && state.enrolled)
        return {refusal::already_enrolled, (state.fleet ? "account " : "member ") + e.member + " is already " +
                                               (state.fleet ? "open" : "enrolled")};
    if (!opens && !state.enrolled)
        return {refusal::unknown_member, "member " + e.member + " has not enrolled"};
    if (!same_currency(*prog, e))
        return {refusal::currency_mismatch,
                "event money is not in the programme currency " + std::string(prog->currency_unit.code())};
    if (state.enrolled && e.at < state.last_event_at) {
        if (!prog->accept_backdated)
            return {refusal::out_of_order, "event at " + format_instant(e.at) +
                                               " is older than the member's last event at " +
                                               format_instant(state.last_event_at)};
        backdated = true;
    }
    return {};
}

// Step 5 for any accepted event: the member's clocks and the event's effect.
LOYALTY_INLINE void conclude(member_state& s, const event& e, event_effect effect) {
    if (is_activity(e)) s.last_activity_at = std::max(s.last_activity_at, e.at);
    s.last_event_at = std::max(s.last_event_at, e.at);
    s.effects.insert(e.id, effect);
    s.bury_spent_lots();
    // The effect is packed: its room, for the next event's (core/spare.hpp; taken where they
    // are reserved or first pushed: post_earnings(), record_order_lines(), apply_in_place(),
    // use_service_item()).
    give_spare_room_back<event_effect>(effect.earned);
    give_spare_room_back<event_effect>(effect.bases);
    give_spare_room_back<event_effect>(effect.cap_uses);
    give_spare_room_back<event_effect>(effect.benefit_uses);
    give_spare_room_back<event_effect>(effect.lines);
}

LOYALTY_INLINE const reward_stock& no_stock() {
    static const reward_stock none;
    return none;
}

// apply_in_place() into `out`, a default-made outcome: what journal_runner calls, which fills
// the outcome it returns without moving one (an outcome holds a member_state: its move and the
// moved-from object's end cost about 2,500 instructions an event).
LOYALTY_INLINE void apply_in_place_into(outcome& out, const program_versions& versions, member_state& state,
                                        const event& e, const reward_stock& stock,
                                        const member_state* previous_owner, const member_state* account,
                                        explanation x) {
    const auto refuse = [&out](const refusal_reason& r) {
        out.refused = r.code;
        out.message = r.message;
    };
    const program* found = nullptr;
    if (const refusal_reason r = detail::admit(versions, state, e, found, out.backdated); r.code != refusal::none)
        return refuse(r);
    const program& prog = *found;
    const event_type type = e.type();
    if (const refusal_reason r = detail::check_event(prog, state, e, stock); r.code != refusal::none)
        return refuse(r);
    if (const refusal_reason r = check_vehicle_event(prog, state, e, previous_owner); r.code != refusal::none)
        return refuse(r);

    // From here on the event is accepted and nothing below refuses.
    member_state& s = state;
    if (s.member.empty()) s.member = e.member;
    posting p(prog, s, e, out, x);
    event_effect effect;
    effect.type = type;
    effect.at = e.at;
    // What the member paid: a vehicle's price, or an RO's lines net of benefits that neither
    // warranty nor an insurer pays. Something paid makes it a paid visit (referrals, tiers).
    money spend = money::zero(prog.currency_unit);

    // 2. Roll time forward: expiries that fell due before this event.
    expire_due(p, e.at);
    review_tiers_due(p, e.at);  // downgrades dated at their review, after the expiries before them
    if (account) follow_account_tier(p, *account);  // the fleet account's tier, as of this event
    forget_unreachable_usage(prog, s, prog.zone.local_day(e.at));  // usage no window can count any more
    settle_effects_past_window(prog, s, e.at);                     // effects no reversal can reach any more
    if (out.backdated) p.explain("", "back-dated event accepted (programme allows back-dated events)");

    // 3. The event itself.
    std::visit(
        [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, events::enrol>) {
                s.enrolled = true;
                s.member_since = prog.zone.local_day(e.at);
                s.household = body.household;
                s.birthday_month = body.birthday_month;
                s.birthday_day = body.birthday_day;
                s.referred_by = body.referred_by;
                p.note(entry_kind::enrol, because(reason_code::enrolled));
                post_earnings(p, effect, accrue(prog, s, e));  // a welcome bonus, if any
            } else if constexpr (std::is_same_v<T, events::vehicle_purchase>) {
                if (std::find(s.vehicles.begin(), s.vehicles.end(), body.vin) == s.vehicles.end())
                    s.vehicles.push_back(body.vin);
                acquire_vehicle(p, body, previous_owner);
                spend = body.price;
                post_earnings(p, effect, accrue(prog, s, e));
            } else if constexpr (std::is_same_v<T, events::adjustment>) {
                reason_args args = because(reason_code::adjusted, body.reason);
                args.set_staff(body.operator_id);
                if (body.amount > points(0)) {
                    const lot_record& l = p.credit(entry_kind::adjust, "adjustment", body.amount, std::move(args));
                    effect.earned.emplace_back(s.lot_id_text_of(l), body.amount);
                } else {
                    effect.consumed = p.debit(entry_kind::adjust, -body.amount, "adjustment", args);
                }
            } else if constexpr (std::is_same_v<T, events::reverse>) {
                if (body.partial()) partial_reverse(p, body);
                else reverse(p, body);
            } else if constexpr (std::is_same_v<T, events::benefit_use>) {
                use_service_item(p, effect, body);
            } else if constexpr (std::is_same_v<T, events::redeem>) {
                redeem(p, effect, body, out);
            } else if constexpr (std::is_same_v<T, events::cancel_redemption>) {
                cancel_redemption(p, body, out);
            } else if constexpr (std::is_same_v<T, events::transfer>) {
                // Refused in check_event(): a transfer goes through apply_transfer_in_place().
            } else if constexpr (std::is_same_v<T, events::assign_tier>) {
                assign_tier(p, body);
            } else if constexpr (std::is_same_v<T, events::open_account>) {
                open_account(p, body);
            } else if constexpr (std::is_same_v<T, events::join_account>) {
                join_account(p, out, body);
            } else if constexpr (std::is_same_v<T, events::leave_account>) {
                leave_account(p, out, body);
            } else if constexpr (std::is_same_v<T, events::settle_rebate>) {
                settle_rebate(p, body);
            } else if constexpr (std::is_same_v<T, events::tick>) {
                // Time passing is all a tick does; expiries were posted above.
            } else if constexpr (std::is_same_v<T, events::repair_order>) {
                if (body.status == events::ro_status::estimate) {
                    p.explain("", "estimate: nothing is used or earned until the repair order is closed");
                } else {
                    // Benefits first: what the member pays decides what the order earns.
                    effect.closed_order = true;
                    priced_order priced = price(prog, s, body, e.at, &e, x);  // checked in check_event()
                    for (const priced_line& line : priced.lines) {
                        if (p.explaining()) {
                            for (const price_adjustment& a : line.adjustments) p.explain(a.benefit.str(), a.reason);
                            for (const std::string& n : line.notes) p.explain("", n);
                        }
                        if (!line.line.covered() && !line.net.is_negative()) spend += line.net;
                    }
                    use_spare_room<event_effect>(effect.benefit_uses);  // the last effect's (conclude() gives it back)
                    effect.benefit_uses.reserve(priced.consumes.size());  // one allocation, not one per doubling
                    s.benefit_usage.reserve_more(priced.consumes.size());  // the member's usage likewise
                    for (benefit_use& u : priced.consumes) record_benefit_use(p, effect, std::move(u));  // not read again
                    if (!body.vin.empty() && body.odometer_km) record_reading(p, vehicle_of(s, body.vin), *body.odometer_km);
                    record_voucher_uses(p, effect, priced.voucher_uses, body.number);
                    record_order_lines(effect, priced, body.number, prog.zone.local_day(e.at));
                    post_earnings(p, effect, std::move(priced.earnings));  // earned on what the member pays
                    // The priced order's room, for the next price() (core/spare.hpp).
                    give_spare_room_back<priced_order>(priced.lines);
                    give_spare_room_back<priced_order>(priced.consumes);
                    give_spare_room_back<priced_order>(priced.points_by_rule);
                }
            } else if constexpr (std::is_same_v<T, events::survey>) {
                if (!body.repair_order.empty()) s.surveyed_orders.push_back(body.repair_order);
                post_earnings(p, effect, accrue(prog, s, e));
            } else {  // referral, birthday: fixed bonuses
                post_earnings(p, effect, accrue(prog, s, e));
            }
        },
        e.body);

    // 4. A referred member's first paid visit pays the referrer (or its reversal takes it back);
    // what a member of a fleet account pays counts toward the account's spend.
    const bool paid_visit = !spend.is_zero();
    judge_referral(p, out, paid_visit);
    count_account_spend(p, effect, out, spend);
    // Tier re-evaluation on the new qualifying figures (an upgrade takes effect at once).
    evaluate_tier(p, effect, spend, paid_visit);
    // 5. Entries were sequenced as they were posted; they are hashed, one group, here (before
    // the effect is concluded; the posting's end would also do it).
    p.seal();
    detail::conclude(s, e, std::move(effect));
}

}  // namespace detail

// The engine, working on the caller's state: when the event is accepted, `state` becomes the
// next state; when it is refused, `state` is left exactly as it was (every refusal is decided
// before anything changes). The returned outcome's `state` is left empty; apply() fills it.
// journal_runner uses this to avoid copying each member's state per event.
// With explanation::none the outcome's trace stays empty, the texts only it would hold are not
// built, and the entries' `reason` stays empty: each entry carries the figures and arguments
// its sentence is rendered from, by describe() (ledger/describe.hpp) or render_reasons(), at
// the edge that shows it (journal_runner does, for its sink). Nothing else changes.
// Reward stock is programme-wide: pass what has been issued so far (journal_runner does); the
// outcome's stock_moves say what this event moved. Without it, no unit counts as issued.
// A vehicle_purchase naming a previous owner needs that member's state (`previous_owner`, read
// only); the caller then posts the seller's side with release_vehicle_in_place().
// A member of a fleet account whose tier counts at account level holds the account's tier too:
// pass the account's state (`account`, read only) and the member follows its tier before the
// event (journal_runner does); without it, the member's copy of the account's tier is used as is.
LOYALTY_INLINE outcome apply_in_place(const program_versions& versions, member_state& state, const event& e,
                              const reward_stock& stock = detail::no_stock(),
                              const member_state* previous_owner = nullptr, const member_state* account = nullptr,
                              explanation x = explanation::full) {
    outcome out;  // the caller's (returned without a move)
    detail::apply_in_place_into(out, versions, state, e, stock, previous_owner, account, x);
    return out;
}

// A transfer touches two members: the sender (the event's member) and the receiver. Both
// states change, or neither; the outcome's entries hold both chains' entries.
LOYALTY_INLINE outcome apply_transfer_in_place(const program_versions& versions, member_state& sender,
                                       member_state& receiver, const event& e) {
    outcome out;  // every return returns it: the caller's, never moved
    const auto* t = std::get_if<events::transfer>(&e.body);
    if (!t) throw error("loyalty.engine.not_a_transfer", "event " + e.id + " is not a transfer");
    if (!receiver.member.empty() && receiver.member != t->to)
        throw error("loyalty.engine.member_mismatch",
                    "transfer " + e.id + " is to member " + t->to + ", receiver state is of " + receiver.member);
    const program* found = nullptr;
    const refusal_reason r = [&]() -> refusal_reason {  // every refusal, before anything changes
        if (refusal_reason why = detail::admit(versions, sender, e, found, out.backdated); why.code != refusal::none)
            return why;
        if (refusal_reason why = limits::check(sender, e); why.code != refusal::none) return why;
        if (receiver.has_seen(e.id)) return {refusal::duplicate_event, "event '" + e.id + "' was already applied"};
        if (receiver.enrolled && e.at < receiver.last_event_at && !found->accept_backdated)
            return {refusal::out_of_order, "transfer at " + format_instant(e.at) +
                                               " is older than the receiver's last event at " +
                                               format_instant(receiver.last_event_at)};
        return check_transfer(*found, sender, receiver, *t, e.at);
    }();
    if (r.code != refusal::none) {
        out.refused = r.code;
        out.message = r.message;
        return out;
    }
    const program& prog = *found;

    posting from(prog, sender, e, out);
    posting to(prog, receiver, e, out);
    expire_due(from, e.at);
    expire_due(to, e.at);
    forget_unreachable_usage(prog, sender, prog.zone.local_day(e.at));
    forget_unreachable_usage(prog, receiver, prog.zone.local_day(e.at));
    settle_effects_past_window(prog, sender, e.at);
    settle_effects_past_window(prog, receiver, e.at);
    event_effect sent, received;
    sent.type = received.type = event_type::transfer;
    sent.at = received.at = e.at;
    transfer_points(from, to, sent, received, *t);
    detail::conclude(sender, e, std::move(sent));
    receiver.last_event_at = std::max(receiver.last_event_at, e.at);  // receiving is not the receiver's activity
    receiver.effects.insert(e.id, received);
    receiver.bury_spent_lots();
    from.seal();  // each member's entries one group, hashed here
    to.seal();
    return out;
}

// The engine as a pure function: the caller's state is never modified; the outcome carries
// the next state (or, when refused, a copy of the same state).
LOYALTY_INLINE outcome apply(const program_versions& versions, const member_state& state, const event& e) {
    member_state next = state;
    outcome out = apply_in_place(versions, next, e);
    out.state = std::move(next);
    return out;
}

// A transfer as a pure function: the outcome's `state` is the sender's next state and
// `counterparty` the receiver's.
LOYALTY_INLINE outcome apply_transfer(const program_versions& versions, const member_state& sender,
                              const member_state& receiver, const event& e) {
    member_state next_sender = sender, next_receiver = receiver;
    outcome out = apply_transfer_in_place(versions, next_sender, next_receiver, e);
    out.state = std::move(next_sender);
    out.counterparty = std::move(next_receiver);
    return out;
}

// Convenience for a single programme version. It copies the programme on every call: build a
// program_versions once when applying many events.
LOYALTY_INLINE outcome apply(const program& prog, const member_state& state, const event& e) {
    return apply(program_versions(prog), state, e);
}

}  // namespace loyalty
