#pragma once
// price(): a repair order priced with the member's benefits, every line explained.
// Pure: the same programme, state and order always give the same priced order. An estimate
// and a final bill priced by this one function agree, and compare() lists any difference.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "loyalty/accrual/accrue.hpp"
#include "loyalty/benefit/usage.hpp"
#include "loyalty/benefit/vehicle_scope.hpp"
#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/fleet/discount.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

// A benefit's quota as price() saw it at one line: the uses already taken in its period (earlier
// orders, and earlier lines of the same order), the allowance, and the period (`per`: how the
// quota's periods run, e.g. calendar_year; a value, so that pricing allocates nothing for it). compare() uses it to say why a benefit was used up in between.
struct quota_seen {
    std::int64_t used = 0;
    std::int64_t allowed = 0;
    day_range period{};
    loyalty::period per{};
    std::int64_t left() const noexcept { return allowed > used ? allowed - used : 0; }
    bool operator==(const quota_seen& o) const {
        return used == o.used && allowed == o.allowed && period.first == o.period.first &&
               period.end == o.period.end && per == o.per;
    }
    bool operator!=(const quota_seen& o) const { return !(*this == o); }
};

// "calendar_year 2025-01-01..2025-12-31": the period of a quota_seen, as statements say it.
LOYALTY_INLINE std::string describe(const quota_seen& q) {
    return q.per.describe() + " " + format_day(q.period.first) + ".." + format_day(q.period.end - date::days(1));
}

// One benefit applied to a line.
struct price_adjustment {
    basic_short_id<32> benefit;  // a benefit's id or a voucher's ("<event>/<reward>#n"), in place up to 31 bytes
    std::int64_t version = 0;
    money amount;          // the discount, positive
    std::int64_t uses = 0; // quota units consumed
    std::string reason;
    std::optional<quota_seen> quota{};  // before this line's uses; none for a benefit without a quota
};

// A benefit that would have applied to a line but whose quota was already used up.
struct quota_used_up {
    std::string benefit;
    quota_seen quota;  // used >= allowed
};

// A line's adjustments: a vector that holds one in place (most lines have at most one: a
// benefit, or a voucher paying it), so that pricing an order allocates nothing for them.
// Indexing, iterating, push_back, size() and at() are std::vector's.
using price_adjustments = boost::container::small_vector<price_adjustment, 1>;

struct priced_line {
    // Each member default-constructed (an empty constructor: a value-initialised line, as
    // std::vector::emplace_back() makes, would first be zeroed whole, 350 bytes a line).
    priced_line() {}
    explicit priced_line(const repair_order_line& l) : line(l) {}  // copied, not assigned: inlined

    repair_order_line line;
    money list;                             // quantity x unit price
    money net;                              // what the member pays
    price_adjustments adjustments;
    std::vector<std::string> notes;         // benefits considered but not applied, and why
    std::vector<quota_used_up> used_up;     // of those, the ones whose quota was used up, with the figures
};

struct priced_order {
    std::string program;
    std::int64_t version = 0;
    std::vector<priced_line> lines;
    money list_total, discount_total, net_total;  // discount_total: benefits only
    money voucher_total;                         // paid with vouchers (bought with points earlier)
    money labour_net, parts_net;
    std::vector<voucher_use> voucher_uses;       // what closing the order would take from vouchers
    std::vector<benefit_use> consumes;           // what closing the order would use
    std::vector<earning> earnings;               // what closing it would earn, rule by rule, with figures
                                                 // (in words: describe_earning_figures(), ledger/describe.hpp)
    std::vector<std::pair<std::string, points>> points_by_rule;  // the same, as rule id and points
    points points_total;
};

namespace detail {

// The running position of one benefit while an order is priced: period usage plus what
// earlier lines of the same order took.
struct benefit_budget {
    benefit_budget() noexcept {}  // not zeroed whole first (see priced_line)
    const benefit* b = nullptr;
    std::optional<quota_position> quota_left;
    std::int64_t uses_this_order = 0;
    std::int64_t given_this_order = 0;   // minor units
    std::int64_t period_given = 0;       // minor units, in max_per_period's period
    day_range cap_period{};
    std::optional<vehicle_position> vehicle;  // a vehicle-scoped benefit, judged on the order's VIN
};

// Whether benefit b could apply to a line its filter selects (b.lines.selects(line), which
// price() asks first: most lines are not a benefit's kind, and for those there is no note); when
// not, and `why` is given, why (for the notes). `tier` is the member's tier: a benefit limited to
// tiers applies only to members holding one.
LOYALTY_INLINE bool eligible(const benefit& b, const repair_order_line& line, instant at, const std::string& tier,
                     std::string* why) {
    if (!b.effective_at(at)) {
        if (why)
            *why = b.id + ": not in force on " + format_instant(at) + " (" +
                   (b.effective_from ? "from " + format_instant(*b.effective_from) : std::string("")) +
                   (b.effective_from && b.effective_to ? " " : "") +
                   (b.effective_to ? "until " + format_instant(*b.effective_to) : std::string("")) + ")";
        return false;
    }
    if (const auto f = b.lines.excluding_flag(line)) {
        if (why) *why = b.id + ": not applied, the line is flagged " + std::string(to_string(*f)) + " (excluded)";
        return false;
    }
    if (!tier_allowed(b.tiers, tier)) {
        if (why) *why = b.id + ": not applied, " + why_tier_not_allowed(b.tiers, tier);
        return false;
    }
    return true;
}

LOYALTY_INLINE std::int64_t units_of(const repair_order_line& line) {
    // A quota counts whole units (2 waxings on one line are 2 uses); a fractional quantity
    // such as 1.5 hours of labour is one use.
    return line.quantity.is_integer() ? line.quantity.mantissa() : 1;
}

// The discount b would give on `net` of this line, with the uses it would take; 0 when none.
// The quota position of bb before this line's uses (earlier lines of the order counted).
LOYALTY_INLINE std::optional<quota_seen> quota_seen_of(const benefit_budget& bb) {
    if (!bb.quota_left) return std::nullopt;
    return quota_seen{bb.quota_left->used + bb.uses_this_order, bb.quota_left->allowed, bb.quota_left->period,
                      bb.b->limit->per};
}

// `reason`, when given, is set to why: what the benefit gives and how, or why it gives nothing.
LOYALTY_INLINE money potential(const program& p, benefit_budget& bb, const priced_line& pl, const money& net,
                       std::int64_t& uses, std::string* reason) {
    const benefit& b = *bb.b;
    const currency cur = net.currency_of();
    uses = 0;
    std::int64_t units = units_of(pl.line);
    std::int64_t covered_units = units;
    if (b.kind == benefit_kind::free_line) uses = units;  // every free service is recorded as used
    if (bb.vehicle && bb.vehicle->cap) {  // once per N km: the interval allows one use per order
        const std::int64_t left = *bb.vehicle->cap - bb.uses_this_order;
        if (left <= 0) {
            if (reason) *reason = b.id + ": one use per interval, already used on this order; normal price";
            uses = 0;
            return money::zero(cur);
        }
        covered_units = std::min(units, left);
        uses = covered_units;
    }
    std::string quota_text;
    if (bb.quota_left) {
        const std::int64_t left = bb.quota_left->left() - bb.uses_this_order;
        const auto where = [&] {
            return describe(bb.quota_left->period, b.limit->per) + tier_quota_note(*bb.quota_left, b.limit->per) +
                   (bb.vehicle ? " on VIN " + bb.vehicle->vin : "");
        };
        if (left <= 0) {
            if (reason)
                *reason = b.id + ": " + std::to_string(bb.quota_left->used + bb.uses_this_order) + " of " +
                          std::to_string(bb.quota_left->allowed) + " used in " + where() + "; normal price";
            uses = 0;
            return money::zero(cur);
        }
        covered_units = std::min(covered_units, left);
        uses = covered_units;
        const std::int64_t first = bb.quota_left->used + bb.uses_this_order + 1;
        if (reason)
            quota_text = covered_units == 1
                             ? ", use " + std::to_string(first) + " of " + std::to_string(bb.quota_left->allowed) + " in " + where()
                             : ", uses " + std::to_string(first) + "-" + std::to_string(first + covered_units - 1) + " of " +
                                   std::to_string(bb.quota_left->allowed) + " in " + where();
    }
    const rounding mode = b.rounding_mode.value_or(p.default_rounding);
    // The part of the line the quota covers: all of it, or covered_units of units.
    const money base = covered_units == units
                           ? net
                           : money(round_quotient(int128(net.minor_units()) * covered_units, units, mode), cur);
    // The discount before caps, and how it was reached.
    money discount = base;
    std::string how;
    if (b.kind == benefit_kind::discount) {
        const money pays = multiply(base, b.pay, mode);
        discount = base - pays;
        if (reason)
            how = "pays " + b.pay.to_string() + " x " + base.to_string() + " = " + pays.to_string() + " (" +
                  std::string(to_string(mode)) + ")";
    } else if (reason) {
        how = "free" + (covered_units == units ? std::string() : " for " + std::to_string(covered_units) + " of " +
                                                                    std::to_string(units) + " units");
    }
    // Money caps. The reason states what is actually given.
    bool cut = false;
    std::string capped;
    if (b.max_per_order) {
        const money room = money(std::max<std::int64_t>(0, b.max_per_order->minor_units() - bb.given_this_order), cur);
        if (discount > room) {
            discount = room;
            cut = true;
            if (reason) capped = ", capped at " + b.max_per_order->to_string() + " per order";
        }
    }
    if (b.max_per_period) {
        const std::int64_t left = b.max_per_period->limit.minor_units() - bb.period_given - bb.given_this_order;
        const money room = money(std::max<std::int64_t>(0, left), cur);
        if (discount > room) {
            discount = room;
            cut = true;
            if (reason)
                capped = ", capped at " + b.max_per_period->limit.to_string() + " per " +
                         describe(bb.cap_period, b.max_per_period->per);
        }
    }
    if (discount.is_zero() && cut) {
        // The cap is used up: the benefit does not apply and uses no quota.
        if (reason) *reason = b.id + ": not applied, its money cap is used up (" + capped.substr(2) + "); normal price";
        uses = 0;
        return discount;
    }
    if (reason)
        *reason = b.id + ": " + how + ", " + discount.to_string() + " off" + capped + quota_text +
                  (bb.vehicle ? bb.vehicle->text : "");
    return discount;
}

// Pays what is left of the lines with the member's vouchers: each line its reward's terms select
// (labour by default), soonest-expiring voucher first. A voucher whose reward forfeits the
// remainder loses what the order leaves of it.
LOYALTY_INLINE void pay_with_vouchers(const program& p, const member_state& s, priced_order& out, instant at,
                                      explanation x) {
    const currency cur = p.currency_unit;
    std::vector<const voucher*> held;
    for (const voucher& v : s.vouchers)
        if (v.usable_at(at, p.zone) && p.find_reward(v.reward) && p.find_reward(v.reward)->voucher) held.push_back(&v);
    std::stable_sort(held.begin(), held.end(),
                     [](const voucher* a, const voucher* b) { return a->expires_on < b->expires_on; });
    for (const voucher* v : held) {
        const voucher_terms& terms = *p.find_reward(v->reward)->voucher;
        money left = v->remaining;
        money used = money::zero(cur);
        for (priced_line& pl : out.lines) {
            if (left.is_zero()) break;
            if (pl.net.is_zero() || pl.line.covered() || !terms.lines.matches(pl.line)) continue;
            const money pay = pl.net < left ? pl.net : left;
            pl.net -= pay;
            left -= pay;
            used += pay;
            std::string reason;
            if (x == explanation::full)
                reason = v->id + ": voucher pays " + pay.to_string() + ", " + left.to_string() + " of " +
                         v->value.to_string() + " left" +
                         (terms.keep_remainder || left.is_zero() ? "" : " (forfeited after this order)");
            pl.adjustments.push_back({v->id, p.version, pay, 0, std::move(reason), std::nullopt});
        }
        if (used.is_zero()) continue;
        out.voucher_uses.push_back({v->id, used, terms.keep_remainder ? money::zero(cur) : left});
        out.voucher_total += used;
    }
}

}  // namespace detail

// Prices a repair order for a member as of `at`, under programme p. A line the programme does
// not accept throws loyalty::error (loyalty.order.*) with the line's JSON pointer.
// `closed` is for the engine only: the accepted closed repair order's own event (body `ro`, at
// `at`), whose lines the engine has already checked; they are then not checked again. Either
// way the earnings are those of the order closed at `at` (accrue() reads it as an
// accrual_subject, never a copy).
// With explanation::none the adjustments' reasons and the lines' notes are left empty (the
// engine asks so when it writes no trace); every figure is the same.
LOYALTY_INLINE priced_order price(const program& p, const member_state& s, const events::repair_order& ro, instant at,
                          const event* closed = nullptr, explanation x = explanation::full) {
    const bool say = x == explanation::full;
    if (!closed)
        if (const auto bad = p.orders.check(ro)) throw *bad;
    const currency cur = p.currency_unit;
    const day today = p.zone.local_day(at);
    priced_order out;
    out.program = p.id;
    out.version = p.version;
    out.list_total = out.discount_total = out.net_total = out.labour_net = out.parts_net = out.voucher_total =
        money::zero(cur);

    const fleet_policy* fleet = fleet_discount_policy(p, s);  // the member's account's discount, if any
    const std::string& tier = held_tier(p, s);                 // the member's or their account's
    // Held in place for a programme of up to twelve benefits (the reference programme has
    // eleven): no allocation for them. Reserved before the first is made, so none moves.
    boost::container::small_vector<detail::benefit_budget, 12> budgets;
    budgets.reserve(p.benefits.size());
    boost::container::small_vector<detail::benefit_budget*, 12> order;  // a line's candidates (one buffer for every line)
    order.reserve(p.benefits.size());
    use_spare_room<priced_order>(out.lines);  // the room of the last order applied (apply.hpp gives it back)
    out.lines.reserve(ro.lines.size());
    for (const benefit& b : p.benefits) {
        if (b.kind == benefit_kind::service_item) continue;
        detail::benefit_budget& bb = budgets.emplace_back();  // reserved: stays put
        bb.b = &b;
        if (b.vehicle) bb.vehicle = vehicle_position_of(s, b, ro, today);
        // `f` of the usage that counts: the vehicle's for a vehicle-scoped benefit, else the
        // member's (two types: a vector of uses, a benefit_use_log).
        const auto on_usage = [&](const auto& f) { return bb.vehicle ? f(bb.vehicle->usage) : f(s.benefit_usage); };
        if (b.limit)
            bb.quota_left = on_usage([&](const auto& usage) {
                return quota_on(*b.limit, usage, b.id, today, s.member_since, tier);
            });
        if (b.max_per_period) {
            bb.cap_period = b.max_per_period->per.containing(today, s.member_since);
            bb.period_given = on_usage([&](const auto& usage) { return used_within(usage, b.id, bb.cap_period); }).discount;
        }
    }

    for (const repair_order_line& line : ro.lines) {
        priced_line& pl = out.lines.emplace_back(line);  // in place: reserved above, so it stays put
        pl.list = line_amount(line, p.default_rounding);
        pl.net = pl.list;
        if (line.covered()) {
            pl.net = money::zero(cur);
            if (say)
                pl.notes.push_back(std::string("paid by ") + (line.has(line_flag::warranty) ? "warranty" : "the insurer") +
                                   "; the member pays nothing and no benefit is used");
        } else {
            // Candidates in programme order; best_for_member first picks the best non-stacking one.
            order.clear();
            for (detail::benefit_budget& bb : budgets) {
                if (!bb.b->lines.selects(line)) continue;  // not this benefit's kind of line: no note
                std::string why;
                const bool applies = detail::eligible(*bb.b, line, at, tier, say ? &why : nullptr);
                if (applies && bb.vehicle && !bb.vehicle->blocked.empty()) {
                    if (say) pl.notes.push_back(bb.vehicle->blocked);  // not this vehicle, or outside its window
                } else if (applies) {
                    order.push_back(&bb);
                } else if (!why.empty()) {
                    pl.notes.push_back(why);
                }
            }
            if (fleet_replaces_benefits(fleet, line)) {
                order.clear();
                if (say)
                    pl.notes.push_back("member benefits not applied: fleet policy " + fleet->id + " of account " +
                                       s.account + " replaces them on this line");
            }
            if (p.benefit_stacking == stacking::best_for_member) {
                detail::benefit_budget* best = nullptr;
                money best_discount = money::zero(cur);
                for (detail::benefit_budget* bb : order) {
                    if (bb->b->stacks) continue;
                    std::int64_t uses = 0;
                    const money d = detail::potential(p, *bb, pl, pl.net, uses, nullptr);
                    if (d > best_discount) best = bb, best_discount = d;
                }
                if (best) {  // to the front, the others in their order (stable_partition would take a buffer)
                    const auto at = std::find(order.begin(), order.end(), best);
                    std::rotate(order.begin(), at, at + 1);
                }
            }
            bool discounted = false;
            const std::string* first_benefit = nullptr;  // the benefit the line has (for a note)
            for (detail::benefit_budget* bb : order) {
                const benefit& b = *bb->b;
                if (discounted && !b.stacks) {
                    if (say)
                        pl.notes.push_back(b.id + ": not applied, the line already has " + *first_benefit +
                                           " and this benefit does not stack");
                    continue;
                }
                if (pl.net.is_zero()) break;
                std::int64_t uses = 0;
                std::string reason;
                const money d = detail::potential(p, *bb, pl, pl.net, uses, say ? &reason : nullptr);
                const std::optional<quota_seen> quota = detail::quota_seen_of(*bb);
                if (d.is_zero() && uses == 0) {
                    if (say) pl.notes.push_back(std::move(reason));
                    if (quota && quota->left() == 0) pl.used_up.push_back({b.id, *quota});
                    continue;
                }
                pl.net -= d;
                bb->uses_this_order += uses;
                bb->given_this_order += d.minor_units();
                // In place, default-initialised (emplace_back() would zero it whole first), no moves.
                pl.adjustments.resize(pl.adjustments.size() + 1, boost::container::default_init);
                price_adjustment& a = pl.adjustments.back();
                a.benefit = b.id;
                a.version = p.version;
                a.amount = d;
                a.uses = uses;
                a.reason = std::move(reason);
                a.quota = quota;
                if (!discounted) first_benefit = &b.id;
                discounted = true;
            }
            if (fleet) {
                const fleet_line_discount d = fleet_discount_on(p, *fleet, s, line, pl.net);
                if (!d.amount.is_zero()) {
                    pl.net -= d.amount;
                    pl.adjustments.push_back({d.policy, p.version, d.amount, 0, d.reason, std::nullopt});
                }
            }
        }
        out.list_total += pl.list;
        out.net_total += pl.net;
    }
    out.discount_total = out.list_total - out.net_total;
    // Vouchers pay after benefits, and points are earned on what is left for the member to pay.
    detail::pay_with_vouchers(p, s, out, at, x);
    out.net_total = money::zero(cur);
    for (const priced_line& pl : out.lines) {
        out.net_total += pl.net;
        (pl.line.kind == line_kind::labour ? out.labour_net : out.parts_net) += pl.net;
    }

    const auto used = [](const detail::benefit_budget& bb) { return bb.uses_this_order > 0 || bb.given_this_order > 0; };
    use_spare_room<priced_order>(out.consumes);
    out.consumes.reserve(static_cast<std::size_t>(std::count_if(budgets.begin(), budgets.end(), used)));
    for (const detail::benefit_budget& bb : budgets)
        if (used(bb)) {
            out.consumes.push_back({bb.b->id, today, bb.uses_this_order, bb.given_this_order, ro.number, {}, {}});
            if (bb.vehicle) out.consumes.back().vin = ro.vin, out.consumes.back().odometer_km = ro.odometer_km;
        }

    // Points the order would earn on what the member pays.
    line_nets nets;
    nets.reserve(out.lines.size());
    for (const priced_line& pl : out.lines) nets.push_back(pl.net);
    // As closed, whatever the order's status: what closing it would earn (no copy of the order).
    out.earnings = accrue(p, s, accrual_subject{event_type::repair_order, at, &ro}, &nets);
    use_spare_room<priced_order>(out.points_by_rule);
    out.points_by_rule.reserve(out.earnings.size());
    for (const earning& got : out.earnings) {
        out.points_by_rule.emplace_back(got.rule->id, got.amount);
        out.points_total += got.amount;
    }
    return out;
}

LOYALTY_INLINE priced_order price(const program_versions& versions, const member_state& s, const events::repair_order& ro,
                          instant at) {
    const program* p = versions.at(at);
    if (!p) throw error("loyalty.price.no_program", "no programme version is in force at " + format_instant(at));
    return price(*p, s, ro, at);
}

// Prices a repair-order event for the member whose state `s` is, as of `at` (default: the
// event's own instant), without applying it. Another type of event is
// loyalty.event.not_repair_order (pointer /type); another member's order is
// loyalty.event.other_member (pointer /member), unless `s` is a fresh state of no member yet.
LOYALTY_INLINE priced_order price(const program_versions& versions, const member_state& s, const event& e,
                                  std::optional<instant> at = std::nullopt) {
    const auto* ro = std::get_if<events::repair_order>(&e.body);
    if (!ro)
        throw error("loyalty.event.not_repair_order", "/type",
                    "price() takes a repair_order event, not " + std::string(to_string(e.type())));
    if (!s.member.empty() && e.member != s.member)
        throw error("loyalty.event.other_member", "/member",
                    "the order is member " + e.member + "'s, the state member " + s.member + "'s");
    return price(versions, s, *ro, at.value_or(e.at));
}

}  // namespace loyalty
