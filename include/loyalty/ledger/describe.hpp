#pragma once
// describe(entry, program): the sentence a person reads for a ledger entry, rendered from its
// fields, its reason arguments (ledger/reason.hpp) and the programme version that wrote it.
// Never from the stored `reason`. It is the one place the sentences are made: the engine keeps
// only the figures and arguments, and fills an entry's `reason` with describe() when its
// outcome is explained (posting.hpp); a replay's runner does it as the entries leave it
// (engine/journal.hpp). The wording is the one the engine wrote before the sentences were
// rendered (docs/ledger-format-5.md, step 3).
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/reason.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

namespace detail {

// The amount of an entry's money field ("60.00" of "60.00 CNY").
LOYALTY_INLINE std::string_view money_amount(std::string_view money_text) {
    return money_text.substr(0, money_text.find(' '));
}

LOYALTY_INLINE std::string why(const reason_args& a) { return why_text(a.note()); }

// "1 use, 60.00 CNY given (RO-1)": what a benefit use took, each part only when there is one.
LOYALTY_INLINE void append_use(std::string& s, const ledger_entry& e) {
    const std::size_t start = s.size();
    const std::int64_t uses = e.uses.value_or(0);
    if (uses > 0) s += std::to_string(uses) + (uses == 1 ? " use" : " uses");
    if (!e.money.empty()) {
        if (s.size() != start) s += ", ";
        s += e.money + " given";
    }
    if (!e.args.reference().empty()) (s += " (").append(e.args.reference()) += ')';
}

// How an earning rule reached its points (accrue()'s words), from its figures and arguments,
// appended to `s`: "<base> x <factors> = <exact> -> <points> pt (rounded <mode>)[, capped ...]".
LOYALTY_INLINE void append_earning_figures(std::string& s, std::string_view rule, const earn_figures& f,
                                           const reason_args& a, const program& p) {
    const currency& c = p.currency_unit;
    switch (a.base) {
        case earning_base::paid:
            s += to_string(money(f.base, c)) + " paid on " + std::to_string(a.count) + " matching line(s)";
            break;
        case earning_base::counted:
            s += to_string(money(f.base, c)) + " counted on " + std::to_string(a.count) + " matching line(s): " +
                 to_string(money(f.base - a.cash, c)) + " paid by the member, " + to_string(money(a.cash, c)) +
                 " of covered lines at their price (earn_on_covered_lines)";
            break;
        case earning_base::vehicle_price: s += to_string(money(f.base, c)) + " vehicle price"; break;
        case earning_base::bonus:
            s += std::to_string(f.base) + " pt bonus for " + std::string(to_string(a.type));
            if (!a.counterpart().empty()) (s += " of ").append(a.counterpart());
            break;
    }
    std::vector<decimal> factors(f.factor.begin(), f.factor.begin() + static_cast<std::ptrdiff_t>(f.factors));
    for (std::size_t i = 0; i < f.factors; ++i) {
        const factor_source& from = a.sources[i];
        s += " x " + f.factor[i].to_string();
        switch (from.from) {
            case factor_source::kind::rate:
                s += " pt per " + (f.per > 0 ? money(f.per, c).to_string() : std::string("1.00"));
                break;
            case factor_source::kind::multiplier: s += " (" + p.multipliers.at(from.index).id + ")"; break;
            case factor_source::kind::tier: s += " (tier " + p.tiers.value().tiers.at(from.index).id + ")"; break;
        }
    }
    if (!f.carried) {
        const exact_points exact = exact_product(f.base, factors, f.base_scale, f.per);
        s += " = " + to_text(exact) + " -> " + std::to_string(f.rounded) + " pt (rounded " +
             std::string(to_string(f.mode)) + ")";
    } else {
        const exact_points exact = exact_product(f.base, factors, f.base_scale);
        const exact_points total = add(exact, exact_of(*f.carried));
        s += " = " + to_text(exact) + ", + " + f.carried->to_string() + " carried = " + to_text(total) + " -> " +
             std::to_string(f.rounded) + " pt (rounded " + std::string(to_string(f.mode)) + "), remainder " +
             to_decimal(add(total, exact_of(f.rounded), true)).to_string() + " pt carried";
    }
    const earning_rule* r = p.find_rule(rule);
    if (a.capped_per_event && r && r->max_per_event) s += ", capped at " + to_string(*r->max_per_event) + " per event";
    if (a.period_used && r && r->max_per_period && f.cap)
        s += ", capped at " + to_string(*f.cap) + " (" + to_string(*a.period_used) + " of " +
             to_string(r->max_per_period->limit) + " used this " + r->max_per_period->over.describe() + ")";
    if (!a.text().empty()) (s += "; not given: ").append(a.text());
}

// An earning's sentence: "<rule>: <how>".
LOYALTY_INLINE std::string describe_earning(const ledger_entry& e, const program& p) {
    if (!e.figures) return e.rule + ": (no figures)";
    std::string s = e.rule + ": ";
    append_earning_figures(s, e.rule, *e.figures, e.args, p);
    return s;
}

}  // namespace detail

// How an earning reached its points, without the rule's name in front: what the trace says
// for an earning rule (post_earnings), and its entry's reason after "<rule>: ".
LOYALTY_INLINE std::string describe_earning_figures(std::string_view rule, const earn_figures& f,
                                                    const reason_args& a, const program& p) {
    std::string s;
    s.reserve(160);
    detail::append_earning_figures(s, rule, f, a, p);
    return s;
}

// The entry's reason, rendered. `p` is the programme version that wrote the entry (its id and
// version are the entry's). An entry without arguments (read back from a file or a store) gives "".
LOYALTY_INLINE std::string describe(const ledger_entry& e, const program& p) {
    const reason_args& a = e.args;
    const std::string note(a.note()), staff(a.staff()), reference(a.reference()), counterpart(a.counterpart()),
        other_lot(a.other_lot()), text(a.text());
    const std::string n = to_string(e.amount);
    const std::string minus_n = to_string(-e.amount);
    // takes_back, claws_back, owes_spent: a settlement's figures follow the event's words.
    const std::string why_figures = detail::why(a) + (text.empty() ? std::string() : " [" + text + "]");
    switch (a.code) {
        case reason_code::none: return {};
        case reason_code::text: return text;
        case reason_code::enrolled: return "enrolled in " + e.program + " v" + std::to_string(e.version);
        case reason_code::earned: return detail::describe_earning(e, p);
        case reason_code::adjusted: return "adjustment by " + staff + ": " + note;
        case reason_code::takes_back: return "reverses " + minus_n + " pt earned by " + e.reverses + why_figures;
        case reason_code::claws_back:
            return "claws back " + to_string(a.figure) + " pt of " + e.reverses + " that were already spent" +
                   why_figures;
        case reason_code::owes_spent:
            return minus_n + " pt of " + e.reverses + " were spent and cannot be taken back" + why_figures;
        case reason_code::carries_back: return text + " (reverses " + e.reverses + detail::why(a) + ")";
        case reason_code::gives_back_taken: return "gives back " + n + " pt taken by " + e.reverses + detail::why(a);
        case reason_code::gives_back_spent: return "gives back " + n + " pt spent by " + e.reverses + detail::why(a);
        case reason_code::gives_back_to_lapsed:
            return "gives back " + n + " pt spent by " + e.reverses + " to lot " + e.lot + ", which expired on " +
                   format_day(a.on) + detail::why(a);
        case reason_code::gives_back_with_grace:
            return "gives back " + n + " pt spent by " + e.reverses + " from lot " + other_lot +
                   ", which expired on " + format_day(a.on) + "; grace of " +
                   std::to_string(p.redemption.grace_days) + " days" + detail::why(a);
        case reason_code::expires_given_back:
            return "lot " + e.lot + " expired on " + format_day(a.on) +
                   ": points given back by a cancelled redemption expire at once";
        case reason_code::lot_expires:
            return "lot earned " + format_day(a.since) + " expires on " + format_day(a.on) + " (" +
                   std::string(to_string(p.expiry.kind)) + ")";
        case reason_code::inactive_expires:
            return "no activity since " + format_day(a.since) + ": all points expire after " +
                   std::to_string(p.expiry.months) + " months";
        case reason_code::settles_debt: {
            const points paid = e.debt_paid.value_or(points(0));
            return to_string(paid) + " pt of lot " + e.lot + " pay off debt (" + to_string(a.figure) + " -> " +
                   to_string(a.figure - paid) + ")";
        }
        case reason_code::benefit_used: {
            std::string s = e.rule + ": ";
            detail::append_use(s, e);
            return s;
        }
        case reason_code::benefit_given_back: {
            std::string s = e.rule + ": gives back ";
            detail::append_use(s, e);
            return s + " of " + e.reverses + detail::why(a);
        }
        case reason_code::redeems: {
            const reward* rw = p.find_reward(e.rule);
            return "redeems " + std::to_string(a.count) + " x " + e.rule +
                   (rw && !rw->name.empty() ? " (" + rw->name + ")" : std::string()) + " for " + to_string(a.figure) +
                   (a.cash == 0 ? std::string() : " + " + to_string(money(a.cash, p.currency_unit)));
        }
        case reason_code::voucher_issued:
            return e.lot + ": voucher of " + std::string(detail::money_amount(e.money)) + " for labour, valid until " +
                   e.expires + " (exclusive)";
        case reason_code::voucher_pays:
            return e.lot + ": pays " + std::string(detail::money_amount(e.money)) + " of labour on " +
                   (reference.empty() ? "repair order " + e.event + " (no RO number)" : reference) + ", " +
                   money(a.cash, p.currency_unit).to_string() + " left";
        case reason_code::voucher_forfeited:
            return e.lot + ": the remaining " + std::string(detail::money_amount(e.money)) +
                   " is forfeited (the reward's vouchers are single-use)";
        case reason_code::voucher_lapses:
            return e.lot + ": " + std::string(detail::money_amount(e.money)) + " of " +
                   money(a.cash, p.currency_unit).to_string() + " left lapses on " + format_day(a.on);
        case reason_code::voucher_given_back:
            return e.lot + ": gives back " + std::string(detail::money_amount(e.money)) + " used by " + e.reverses +
                   detail::why(a);
        case reason_code::voucher_line_given_back:
            return e.lot + ": gives back " + std::string(detail::money_amount(e.money)) + " used on line " +
                   std::to_string(a.count) + " of " + e.reverses + detail::why(a);
        case reason_code::voucher_withdrawn:
            return e.lot + ": withdrawn, its redemption " + e.reverses + " was cancelled" + detail::why(a);
        case reason_code::sends: return "sends " + to_string(a.figure) + " to " + counterpart + detail::why(a);
        case reason_code::receives:
            return "receives " + n + " from " + counterpart + " (lot " + other_lot + ", same expiry)" +
                   detail::why(a);
        case reason_code::account_opened:
            return "fleet account" + (note.empty() ? std::string() : " '" + note + "'") +
                   " opened under fleet policy " + e.rule;
        case reason_code::joins_account: return "joins fleet account " + counterpart + detail::why(a);
        case reason_code::leaves_account: return "leaves fleet account " + counterpart + detail::why(a);
        case reason_code::member_joins: return "member " + counterpart + " joins the account";
        case reason_code::member_leaves: return "member " + counterpart + " leaves the account";
    }
    return {};
}

// Fills the reason of every entry that has arguments and no reason yet (an outcome applied
// without explanation) with describe(), under the programme version that wrote it (the
// entry's `version` among `versions`). Entries read back from a file or a store keep theirs.
LOYALTY_INLINE void render_reasons(std::vector<ledger_entry>& entries, const program_versions& versions) {
    const program* p = nullptr;
    for (ledger_entry& e : entries) {
        if (!e.reason.empty() || e.args.code == reason_code::none) continue;
        if (!p || p->version != e.version) p = versions.numbered(e.version);
        if (!p)
            throw error("loyalty.program.unknown_version", "the entry " + std::to_string(e.seq) + " of " + e.member +
                                                               " names programme version " +
                                                               std::to_string(e.version) + ", which is not loaded");
        e.reason = describe(e, *p);
    }
}

}  // namespace loyalty
