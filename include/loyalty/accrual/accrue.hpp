#pragma once
// accrue(): what each earning rule gives for one event, with the figures that explain it.
// Pure: it reads the programme, the member state and the event, and returns earnings.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/accrual/rule.hpp"
#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/spare.hpp"
#include "loyalty/ledger/earn_figures.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

// What the member pays for each line of a repair order after benefits (price()'s, for
// accrue()): held in place for orders of up to eight lines, as an earning's counted amounts
// are (member/effect.hpp). Used as std::vector.
using line_nets = boost::container::small_vector<money, 8>;

// The extended amount of a line: quantity x unit list price, rounded to the minor unit.
LOYALTY_INLINE money line_amount(const repair_order_line& line, rounding mode) {
    return multiply(line.unit_price, line.quantity, mode);
}

// What the member pays for a line. Warranty and insurance lines are paid by someone else.
LOYALTY_INLINE money member_pays(const repair_order_line& line, rounding mode) {
    return line.covered() ? money::zero(line.unit_price.currency_of()) : line_amount(line, mode);
}

struct earning {
    const earning_rule* rule = nullptr;
    points amount;
    std::string text;     // why a rule gave nothing before it had figures (a promotion for other tiers,
                          // outside the birthday window), for the trace; else empty: the figures and
                          // arguments say how amount was reached (describe_earning_figures)
    earn_figures figures; // the same as numbers, for the entry (rule kept its points: see combine_exclusive)
    reason_args args;     // what the entry's reason is rendered from, with the figures (ledger/reason.hpp)
    day on;               // local business day, for per-period caps
    earning_basis basis;  // what the rule counted (kept for partial reversals and remainders)
    std::optional<decimal> carry_before, carry_after;  // a rule with carry_remainder: the member's remainder
};

// What accrue() reads of an event: its type, its instant, and the bodies earning rules count (a
// repair order's lines, a vehicle's price, a referral's referred member); none for other bodies.
struct accrual_subject {
    event_type type{};
    instant at{};
    const events::repair_order* ro = nullptr;
    const events::vehicle_purchase* purchase = nullptr;
    const events::referral* referral = nullptr;

    static accrual_subject of(const event& e) {
        return {e.type(), e.at, std::get_if<events::repair_order>(&e.body),
                std::get_if<events::vehicle_purchase>(&e.body), std::get_if<events::referral>(&e.body)};
    }
};

namespace detail {

// Points a rule has already earned in the period that contains `d`.
LOYALTY_INLINE points used_in_period(const member_state& s, const earning_rule& r, day d) {
    const day_range range = r.max_per_period->over.containing(d, s.member_since);
    points used;
    for (const cap_use& u : s.cap_usage)
        if (u.rule == r.id && range.contains(u.on)) used += u.amount;
    return used;
}

// The amount a per_amount rule counts for this event, in minor units; how it was counted goes
// in `args` (base, matching lines, covered lines' price).
// `nets`, when given, is what the member pays for each line after benefits (from price()).
// `per_line`, when given, receives what each line of a repair order counted (0: not matched).
LOYALTY_INLINE std::optional<money> counted_amount(const program& p, const earning_rule& r, const accrual_subject& e,
                                           const line_nets* nets, counted_amounts* per_line,
                                           reason_args& args) {
    if (const events::repair_order* ro = e.ro) {
        money sum = money::zero(p.currency_unit);
        money covered = money::zero(p.currency_unit);  // of it: covered lines counted at their price
        int lines = 0;
        if (per_line) per_line->reserve(per_line->size() + ro->lines.size());
        for (std::size_t i = 0; i < ro->lines.size(); ++i) {
            const repair_order_line& line = ro->lines[i];
            if (per_line) per_line->push_back(0);
            if (!r.lines.matches(line)) continue;
            const bool at_price = r.lines.earn_on_covered_lines && line.covered();
            const money counted = at_price ? line_amount(line, p.default_rounding)
                                  : nets   ? (*nets)[i]
                                           : member_pays(line, p.default_rounding);
            sum += counted;
            if (at_price) covered += counted;
            if (per_line) per_line->back() = counted.minor_units();
            ++lines;
        }
        // Say what the base was: what the member paid, and what warranty or an insurer paid on
        // covered lines the rule counts at their price (earn_on_covered_lines).
        args.base = covered.is_zero() ? earning_base::paid : earning_base::counted;
        args.count = lines;
        args.cash = covered.minor_units();
        return sum;
    }
    if (const events::vehicle_purchase* vp = e.purchase) {
        args.base = earning_base::vehicle_price;
        return vp->price;
    }
    return std::nullopt;
}

// Exclusive groups: of the rules of one group (or of the rules in no group, under the
// programme's `combine`) that give points for the event, best_for_member keeps the one giving
// the most (the first in programme order on a tie) and first_match the first in programme
// order; the others give nothing, and their figures name the rule that earned instead.
LOYALTY_INLINE void combine_exclusive(const program& p, std::vector<earning>& out) {
    const int groups = static_cast<int>(p.rule_groups.size());
    for (int g = -1; g < groups; ++g) {
        const rule_combine how = g < 0 ? p.combine : p.rule_groups[static_cast<std::size_t>(g)].combine;
        if (how == rule_combine::add) continue;
        const earning* winner = nullptr;
        for (const earning& got : out) {
            if (got.rule->group != g || got.amount <= points(0)) continue;
            if (!winner || (how == rule_combine::best_for_member && got.amount > winner->amount)) winner = &got;
        }
        if (!winner) continue;
        for (earning& got : out) {
            if (got.rule->group != g || &got == winner || got.amount <= points(0)) continue;
            const std::string clause =
                winner->rule->id +
                (how == rule_combine::best_for_member ? " gives " + to_string(winner->amount) + " pt"
                                                      : std::string(" comes first")) +
                " (" + std::string(to_string(how)) +
                (g < 0 ? std::string(" among the rules in no group")
                       : " in group " + p.rule_groups[static_cast<std::size_t>(g)].id) +
                ")";
            got.args.set_text(clause);
            got.amount = points(0);
        }
    }
}

}  // namespace detail

LOYALTY_INLINE std::string birthday_text(const member_state& s) {
    char buf[24];  // room for any two unsigned values
    std::snprintf(buf, sizeof buf, "%02u-%02u", s.birthday_month, s.birthday_day);
    return buf;
}

// Every rule that listens to the event and is in force, in programme order. Rules that give
// nothing are returned too (amount 0), so the trace can say why, and so are the rules of an
// exclusive group that lost to another (amount 0, the figures say to which). For a repair order, `nets`
// is what the member pays per line after benefits (apply() always passes price()'s nets);
// without it, each line counts its list amount, or nothing when warranty or an insurer pays.
//
// The event is read as an accrual_subject (its type, instant and the bodies rules count);
// price() hands its order that way, as closed, without copying it into an event.
LOYALTY_INLINE std::vector<earning> accrue(const program& p, const member_state& s, const accrual_subject& e,
                                           const line_nets* nets = nullptr) {
    // At most one earning per rule: room for all of them, the room of the last event's earnings
    // when post_earnings() gave it back (core/spare.hpp: about 5 KB, past malloc's thread cache).
    std::vector<earning> out;
    use_spare_room(out);
    out.reserve(p.earning_rules.size());
    const event_type type = e.type;
    const day today = p.zone.local_day(e.at);
    const std::string& holds = held_tier(p, s);  // the member's own tier or their fleet account's
    const tier* holds_tier = p.tiers && !holds.empty() ? p.tiers->find(holds) : nullptr;
    for (const earning_rule& r : p.earning_rules) {
        if (!r.listens_to(type) || !r.effective_at(e.at)) continue;
        if (!r.on_days.empty() && !r.on_days.matches(today)) continue;  // not one of the promotion's days
        earning got;
        got.rule = &r;
        got.on = today;
        got.args.code = reason_code::earned;
        if (!open_to_tier(r.tiers, holds)) {  // a promotion for other tiers: 0 points, with the reason
            std::string ids;
            for (const std::string& t : r.tiers) ids += (ids.empty() ? "" : ", ") + t;
            got.text = "for tiers " + ids + " only; the member holds " +
                          (holds.empty() ? std::string("no tier") : holds);
            out.push_back(std::move(got));
            continue;
        }
        if (r.birthday && type == event_type::birthday) {
            if (!s.birthday_month || !r.birthday->contains(today, s.birthday_month, s.birthday_day)) {
                got.text = s.birthday_month ? "not within the birthday window of " + birthday_text(s)
                                               : "the member's birthday is not known";
                out.push_back(std::move(got));  // 0 points, with the reason
                continue;
            }
        }
        // Points per unit, then every multiplier in force: written where the basis keeps them.
        earning_factors& factors = got.basis.factors;  // in place up to three (no allocation)
        std::int64_t base = 0;
        int divisor_exponent = 0;
        std::int64_t per_minor = 0;  // a ratio rate's amount
        counted_amounts counted;  // in place up to eight lines
        if (r.kind == earning_kind::per_amount) {
            const auto amount = detail::counted_amount(p, r, e, nets, &counted, got.args);
            if (!amount) continue;
            base = amount->minor_units();
            if (counted.empty()) counted.push_back(base);  // a vehicle's price: one amount
            divisor_exponent = amount->currency_of().minor_digits();
            factors.push_back(r.points_per_unit);
            // A ratio rate ("3 pt per 7.00"): the product is divided by it.
            if (r.per) {
                per_minor = r.per->minor_units();
                got.figures.per = per_minor;
                got.figures.per_scale = divisor_exponent;
            }
        } else {
            base = r.bonus.count();
            counted.push_back(base);
            got.args.base = earning_base::bonus;
            got.args.type = type;
            if (e.referral) got.args.set_counterpart(e.referral->referred_member);
        }
        for (const multiplier& m : p.multipliers) {
            if (!m.applies(r.id, e.at, today) || !open_to_tier(m.tiers, holds)) continue;
            if (factors.size() < earn_figures::max_factors)
                got.args.sources[factors.size()] = {factor_source::kind::multiplier,
                                                    static_cast<std::uint16_t>(&m - p.multipliers.data())};
            factors.push_back(m.factor);
        }
        // The member's tier multiplies every earning rule, shown like a programme multiplier.
        if (holds_tier && holds_tier->multiplier) {
            if (factors.size() < earn_figures::max_factors)
                got.args.sources[factors.size()] = {factor_source::kind::tier,
                                                    static_cast<std::uint16_t>(holds_tier - p.tiers->tiers.data())};
            factors.push_back(*holds_tier->multiplier);
        }
        const rounding mode = p.rounding_of(r);
        got.figures.base = base;
        got.figures.base_scale = divisor_exponent;
        got.figures.mode = mode;
        for (const decimal& f : factors)
            if (!got.figures.add_factor(f))  // the programme loader allows no more (check_multiplier_products)
                throw error("loyalty.program.too_many_multipliers",
                            "rule '" + r.id + "' has more than " + std::to_string(earn_figures::max_factors) +
                                " factors in force together");
        std::int64_t raw = 0;
        if (!r.carry_remainder) {
            const exact_points exact = exact_product(base, factors, divisor_exponent, per_minor);
            raw = round_exact(exact, mode);
        } else {
            // The member's carried remainder joins the exact points before the one rounding;
            // what rounding leaves is carried to the rule's next event (|carried| < 1 point).
            const auto held = s.carries.find(r.id);
            const decimal before = held == s.carries.end() ? decimal() : held->second;
            const exact_points exact = exact_product(base, factors, divisor_exponent);
            const exact_points total = add(exact, exact_of(before));
            raw = round_exact(total, mode);
            got.carry_before = before;
            got.figures.carried = before;
            got.carry_after = to_decimal(add(total, exact_of(raw), true));
        }
        got.basis.rule = r.id;
        got.basis.counted = std::move(counted);
        got.basis.divisor_exponent = divisor_exponent;
        got.basis.mode = mode;
        got.basis.carry = r.carry_remainder;
        got.basis.per = per_minor;
        got.figures.rounded = raw;
        points n(raw);
        if (r.max_per_event && n > *r.max_per_event) {
            n = *r.max_per_event;
            got.figures.cap = n;
            got.args.capped_per_event = true;
        }
        if (r.max_per_period) {
            const points used = detail::used_in_period(s, r, today);
            const points left = max(points(0), r.max_per_period->limit - used);
            if (n > left) {
                n = left;
                got.figures.cap = n;
                got.args.period_used = used;
            }
        }
        got.amount = n;
        out.push_back(std::move(got));
    }
    detail::combine_exclusive(p, out);
    return out;
}

// accrue() of an event. An estimate earns nothing; only a closed repair order does.
LOYALTY_INLINE std::vector<earning> accrue(const program& p, const member_state& s, const event& e,
                                           const line_nets* nets = nullptr) {
    const accrual_subject subject = accrual_subject::of(e);
    if (subject.ro && subject.ro->status == events::ro_status::estimate) return {};
    return accrue(p, s, subject, nets);
}

}  // namespace loyalty
