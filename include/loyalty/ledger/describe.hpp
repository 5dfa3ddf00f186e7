#pragma once
// describe(entry, program): the sentence a person reads for a ledger entry, rendered from its
// fields, its reason arguments (ledger/reason.hpp) and the programme version that wrote it.
// Never from the stored `reason`. It is the one place the sentences are made: the engine keeps
// only the figures and arguments, and fills an entry's `reason` with describe() when its
// outcome is explained (posting.hpp); a replay's runner does it as the entries leave it
// (engine/journal.hpp). The wording is the one the engine wrote before the sentences were
// rendered (docs/ledger-format-5.md, step 3).
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/entry_list.hpp"
#include "loyalty/ledger/reason.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

namespace detail {

// A sentence written into one string: each piece appended in place, numbers without a
// temporary string, so that a sentence costs one allocation at most.
class sentence {
public:
    explicit sentence(std::string& s) : s_(s) {}
    sentence& operator<<(std::string_view v) {
        s_.append(v.data(), v.size());
        return *this;
    }
    sentence& operator<<(const char* v) { return *this << std::string_view(v); }
    sentence& operator<<(const std::string& v) { return *this << std::string_view(v); }
    sentence& operator<<(char c) {
        s_.push_back(c);
        return *this;
    }
    sentence& operator<<(std::int64_t n) {
        char buf[24];
        const auto r = std::to_chars(buf, buf + sizeof buf, n);
        s_.append(buf, static_cast<std::size_t>(r.ptr - buf));
        return *this;
    }
    sentence& operator<<(int n) { return *this << static_cast<std::int64_t>(n); }
    sentence& operator<<(points n) { return *this << n.count(); }
    sentence& operator<<(day d) { return *this << std::string_view(format_day(d)); }
    sentence& operator<<(const decimal& d) {  // "1.5"
        char text[fixed_text_bound];
        s_.append(text, write_fixed(text, d.mantissa(), d.scale()));
        return *this;
    }
    sentence& operator<<(const money& m) {  // "350.00 CNY", as to_string(money)
        char text[money::text_bound];
        s_.append(text, m.write(text));
        return *this;
    }
    // The note of the event as the sentences end with it: ": <note>" when there is one ({why}).
    sentence& why(const reason_args& a) {
        if (!a.note().empty()) *this << ": " << a.note();
        return *this;
    }

private:
    std::string& s_;
};

// The amount of an entry's money field ("60.00" of "60.00 CNY").
LOYALTY_INLINE std::string_view money_amount(std::string_view money_text) {
    return money_text.substr(0, money_text.find(' '));
}

// "1 use, 60.00 CNY given (RO-1)": what a benefit use took, each part only when there is one.
LOYALTY_INLINE void append_use(std::string& s, const entry_view& e) {
    sentence out(s);
    const std::size_t start = s.size();
    const std::int64_t uses = e.uses.value_or(0);
    if (uses > 0) out << uses << (uses == 1 ? " use" : " uses");
    if (!e.money.empty()) {
        if (s.size() != start) out << ", ";
        out << e.money << " given";
    }
    if (!e.args.reference().empty()) out << " (" << e.args.reference() << ')';
}

// How an earning rule reached its points (accrue()'s words), from its figures and arguments,
// appended to `s`: "<base> x <factors> = <exact> -> <points> pt (rounded <mode>)[, capped ...]".
LOYALTY_INLINE void append_earning_figures(std::string& s, std::string_view rule, const earn_figures& f,
                                           const reason_args& a, const program& p) {
    sentence out(s);
    const currency& c = p.currency_unit;
    switch (a.base) {
        case earning_base::paid: out << money(f.base, c) << " paid on " << a.count << " matching line(s)"; break;
        case earning_base::counted:
            out << money(f.base, c) << " counted on " << a.count << " matching line(s): "
                << money(f.base - a.cash, c) << " paid by the member, " << money(a.cash, c)
                << " of covered lines at their price (earn_on_covered_lines)";
            break;
        case earning_base::vehicle_price: out << money(f.base, c) << " vehicle price"; break;
        case earning_base::bonus:
            out << f.base << " pt bonus for " << to_string(a.type);
            if (!a.counterpart().empty()) out << " of " << a.counterpart();
            break;
    }
    for (std::size_t i = 0; i < f.factors; ++i) {
        const factor_source& from = a.sources[i];
        out << " x " << f.factor[i];
        switch (from.from) {
            case factor_source::kind::rate:
                out << " pt per " << (f.per > 0 ? money(f.per, c).to_string() : std::string("1.00"));
                break;
            case factor_source::kind::multiplier: out << " (" << p.multipliers.at(from.index).id << ')'; break;
            case factor_source::kind::tier: out << " (tier " << p.tiers.value().tiers.at(from.index).id << ')'; break;
        }
    }
    const auto factors = f.used_factors();
    if (!f.carried) {
        const exact_points exact = exact_product(f.base, factors, f.base_scale, f.per);
        out << " = " << to_text(exact) << " -> " << f.rounded << " pt (rounded " << to_string(f.mode) << ')';
    } else {
        const exact_points exact = exact_product(f.base, factors, f.base_scale);
        const exact_points total = add(exact, exact_of(*f.carried));
        out << " = " << to_text(exact) << ", + " << *f.carried << " carried = " << to_text(total)
            << " -> " << f.rounded << " pt (rounded " << to_string(f.mode) << "), remainder "
            << to_decimal(add(total, exact_of(f.rounded), true)) << " pt carried";
    }
    const earning_rule* r = p.find_rule(rule);
    if (a.capped_per_event && r && r->max_per_event) out << ", capped at " << *r->max_per_event << " per event";
    if (a.period_used && r && r->max_per_period && f.cap)
        out << ", capped at " << *f.cap << " (" << *a.period_used << " of " << r->max_per_period->limit
            << " used this " << r->max_per_period->over.describe() << ')';
    if (!a.text().empty()) out << "; not given: " << a.text();
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

// The entry's reason, rendered and appended to `s`. `p` is the programme version that wrote the
// entry (its id and version are the entry's). An entry without arguments (read back from a
// file or a store) appends nothing.
LOYALTY_INLINE void append_reason(std::string& s, const entry_view& e, const program& p) {
    const reason_args& a = e.args;
    detail::sentence out(s);
    // takes_back, claws_back, owes_spent: a settlement's figures follow the event's words.
    const auto why_figures = [&] {
        out.why(a);
        if (!a.text().empty()) out << " [" << a.text() << ']';
    };
    switch (a.code) {
        case reason_code::none: return;
        case reason_code::text: out << a.text(); return;
        case reason_code::enrolled: out << "enrolled in " << e.program << " v" << e.version; return;
        case reason_code::earned:
            if (!e.figures) {
                out << e.rule << ": (no figures)";
                return;
            }
            out << e.rule << ": ";
            detail::append_earning_figures(s, e.rule, *e.figures, a, p);
            return;
        case reason_code::adjusted: out << "adjustment by " << a.staff() << ": " << a.note(); return;
        case reason_code::takes_back:
            out << "reverses " << -e.amount << " pt earned by " << e.reverses;
            why_figures();
            return;
        case reason_code::claws_back:
            out << "claws back " << a.figure << " pt of " << e.reverses << " that were already spent";
            why_figures();
            return;
        case reason_code::owes_spent:
            out << -e.amount << " pt of " << e.reverses << " were spent and cannot be taken back";
            why_figures();
            return;
        case reason_code::carries_back:
            out << a.text() << " (reverses " << e.reverses;
            out.why(a) << ')';
            return;
        case reason_code::gives_back_taken:
            out << "gives back " << e.amount << " pt taken by " << e.reverses;
            out.why(a);
            return;
        case reason_code::gives_back_spent:
            out << "gives back " << e.amount << " pt spent by " << e.reverses;
            out.why(a);
            return;
        case reason_code::gives_back_to_lapsed:
            out << "gives back " << e.amount << " pt spent by " << e.reverses << " to lot " << e.lot
                << ", which expired on " << a.on;
            out.why(a);
            return;
        case reason_code::gives_back_with_grace:
            out << "gives back " << e.amount << " pt spent by " << e.reverses << " from lot " << a.other_lot()
                << ", which expired on " << a.on << "; grace of " << p.redemption.grace_days << " days";
            out.why(a);
            return;
        case reason_code::expires_given_back:
            out << "lot " << e.lot << " expired on " << a.on
                << ": points given back by a cancelled redemption expire at once";
            return;
        case reason_code::lot_expires:
            out << "lot earned " << a.since << " expires on " << a.on << " (" << to_string(p.expiry.kind) << ')';
            return;
        case reason_code::inactive_expires:
            out << "no activity since " << a.since << ": all points expire after " << p.expiry.months << " months";
            return;
        case reason_code::settles_debt: {
            const points paid = e.debt_paid.value_or(points(0));
            out << paid << " pt of lot " << e.lot << " pay off debt (" << a.figure << " -> " << a.figure - paid << ')';
            return;
        }
        case reason_code::benefit_used:
            out << e.rule << ": ";
            detail::append_use(s, e);
            return;
        case reason_code::benefit_given_back:
            out << e.rule << ": gives back ";
            detail::append_use(s, e);
            out << " of " << e.reverses;
            out.why(a);
            return;
        case reason_code::redeems: {
            const reward* rw = p.find_reward(e.rule);
            out << "redeems " << a.count << " x " << e.rule;
            if (rw && !rw->name.empty()) out << " (" << rw->name << ')';
            out << " for " << a.figure;
            if (a.cash != 0) out << " + " << money(a.cash, p.currency_unit);
            return;
        }
        case reason_code::voucher_issued:
            out << e.lot << ": voucher of " << detail::money_amount(e.money) << " for labour, valid until " << e.expires
                << " (exclusive)";
            return;
        case reason_code::voucher_pays:
            out << e.lot << ": pays " << detail::money_amount(e.money) << " of labour on ";
            if (a.reference().empty()) out << "repair order " << e.event << " (no RO number)";
            else out << a.reference();
            out << ", " << money(a.cash, p.currency_unit).to_string() << " left";
            return;
        case reason_code::voucher_forfeited:
            out << e.lot << ": the remaining " << detail::money_amount(e.money)
                << " is forfeited (the reward's vouchers are single-use)";
            return;
        case reason_code::voucher_lapses:
            out << e.lot << ": " << detail::money_amount(e.money) << " of " << money(a.cash, p.currency_unit).to_string()
                << " left lapses on " << a.on;
            return;
        case reason_code::voucher_given_back:
            out << e.lot << ": gives back " << detail::money_amount(e.money) << " used by " << e.reverses;
            out.why(a);
            return;
        case reason_code::voucher_line_given_back:
            out << e.lot << ": gives back " << detail::money_amount(e.money) << " used on line " << a.count << " of "
                << e.reverses;
            out.why(a);
            return;
        case reason_code::voucher_withdrawn:
            out << e.lot << ": withdrawn, its redemption " << e.reverses << " was cancelled";
            out.why(a);
            return;
        case reason_code::sends:
            out << "sends " << a.figure << " to " << a.counterpart();
            out.why(a);
            return;
        case reason_code::receives:
            out << "receives " << e.amount << " from " << a.counterpart() << " (lot " << a.other_lot()
                << ", same expiry)";
            out.why(a);
            return;
        case reason_code::account_opened:
            out << "fleet account";
            if (!a.note().empty()) out << " '" << a.note() << '\'';
            out << " opened under fleet policy " << e.rule;
            return;
        case reason_code::joins_account:
            out << "joins fleet account " << a.counterpart();
            out.why(a);
            return;
        case reason_code::leaves_account:
            out << "leaves fleet account " << a.counterpart();
            out.why(a);
            return;
        case reason_code::member_joins: out << "member " << a.counterpart() << " joins the account"; return;
        case reason_code::member_leaves: out << "member " << a.counterpart() << " leaves the account"; return;
    }
}

// The entry's reason, rendered (append_reason). An entry without arguments gives "".
LOYALTY_INLINE std::string describe(const entry_view& e, const program& p) {
    std::string s;
    if (e.args.code == reason_code::none) return s;
    s.reserve(e.args.code == reason_code::earned ? 192 : 96);
    append_reason(s, e, p);
    return s;
}
LOYALTY_INLINE std::string describe(const ledger_entry& e, const program& p) { return describe(view_of(e), p); }

namespace detail {
// The programme version that wrote an entry, among `versions`; `p` when it is that one already.
LOYALTY_INLINE const program& version_of(const entry_view& e, const program* p, const program_versions& versions) {
    if (p && p->version == e.version) return *p;
    if (const program* found = versions.numbered(e.version)) return *found;
    throw error("loyalty.program.unknown_version", "the entry " + std::to_string(e.seq) + " of " +
                                                       std::string(e.member) + " names programme version " +
                                                       std::to_string(e.version) + ", which is not loaded");
}
}  // namespace detail

// Fills the reason of every entry that has arguments and no reason yet (an outcome applied
// without explanation) with describe(), under the programme version that wrote it (the
// entry's `version` among `versions`). Entries read back from a file or a store keep theirs.
LOYALTY_INLINE void render_reasons(std::vector<ledger_entry>& entries, const program_versions& versions) {
    const program* p = nullptr;
    for (ledger_entry& e : entries) {
        if (!e.reason.empty() || e.args.code == reason_code::none) continue;
        p = &detail::version_of(view_of(e), p, versions);
        e.reason = describe(e, *p);
    }
}
// Record i's reason rendered under `p` and kept in the list, written through `scratch` (a
// caller's buffer, reused from one entry to the next): posting does it for an explained outcome
// as each entry is posted, render_reasons() for what leaves a runner.
LOYALTY_INLINE void render_reason(entry_list& entries, std::size_t i, const program& p, std::string& scratch) {
    scratch.clear();
    append_reason(scratch, entries.view(i), p);
    entries.set_reason(i, scratch);
}

// The same for an outcome's entries (journal_runner renders them so as they leave it), each
// sentence written through `scratch` (journal_runner keeps one from event to event).
LOYALTY_INLINE void render_reasons(entry_list& entries, const program_versions& versions, std::string& scratch) {
    const program* p = nullptr;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const entry_view e = entries.view(i);
        if (!e.reason.empty() || e.args.code == reason_code::none) continue;
        p = &detail::version_of(e, p, versions);
        render_reason(entries, i, *p, scratch);
    }
}
LOYALTY_INLINE void render_reasons(entry_list& entries, const program_versions& versions) {
    std::string scratch;
    render_reasons(entries, versions, scratch);
}

}  // namespace loyalty
