#pragma once
// What each funder owes for a period, from the roll-forward's split by funder and the
// programme's stated costs (program/funding.hpp):
//   points cost = sum over its earning rules of (points earned x cost_per_point), exact, then
//                 rounded once half-up to the minor unit (one rounding per funder)
//   uses cost   = sum over its benefits of (quota units used, net of returns, x cost_per_use), exact
//   given       = money its benefits gave members (net of returns), as the ledger states it
// Points are gross of reversals, like the roll-forward's `earned`. Rules, benefits without a
// stated cost add nothing to the costs. Pure: figures in, figures out.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "loyalty/audit/rollforward.hpp"
#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/checked.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct funder_cost {
    std::string funder;          // "" for entries naming no funder
    points earned;               // earn entries of the period (gross of reversals)
    std::string points_cost_exact;  // the exact sum, as decimal text ("12.345")
    money points_cost;           // rounded half-up to the minor unit
    std::int64_t uses = 0;       // benefit quota units used, net of returns (all its benefits)
    money uses_cost;             // the uses of benefits with a cost_per_use x that cost
    money given;                 // money its benefits gave members, net of returns
};

LOYALTY_INLINE std::vector<funder_cost> funder_costs(const program& p, const rollforward_report& r) {
    const currency cur = p.currency_unit;
    constexpr int scale = decimal::max_scale;  // every cost_per_point brought to 18 decimals, exactly
    std::vector<funder_cost> out;
    try {
        for (const rollforward_split& s : r.by_funder) {
            funder_cost c;
            c.funder = s.key;
            c.earned = s.line.earned;
            c.points_cost = c.uses_cost = c.given = money::zero(cur);
            int128 exact = 0;
            for (const auto& [rule, n] : s.line.earned_by_rule) {
                const earning_rule* er = p.find_rule(rule);
                if (!er || !er->funding.cost_per_point) continue;
                const decimal& k = *er->funding.cost_per_point;
                exact += int128(n.count()) * k.mantissa() * decimal::pow10(scale - k.scale());
            }
            c.points_cost_exact = exact_text(exact, scale);
            c.points_cost = money(round_quotient(exact * decimal::pow10(cur.minor_digits()), decimal::pow10(scale),
                                                 rounding::half_up),
                                  cur);
            for (const auto& [id, uses] : s.benefit_uses) {
                c.uses += uses;
                const benefit* b = p.find_benefit(id);
                if (b && b->funding.cost_per_use)
                    c.uses_cost += money(checked::mul(uses, b->funding.cost_per_use->minor_units()), cur);
            }
            for (const auto& [id, m] : s.benefit_given)
                if (m.currency_of() == cur) c.given += m;
            out.push_back(std::move(c));
        }
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "a funder's cost does not fit in 128 bits");
    }
    return out;
}

}  // namespace loyalty
