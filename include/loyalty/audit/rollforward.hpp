#pragma once
// Roll-forward: for a period [from, to), per member and in total,
//   opening + earned + redeemed + expired + reversed + adjusted + transferred + debt + other = closing
// where every movement is the signed sum of the amounts of one kind of entry dated in the
// period, and opening and closing are read independently from the entries' running `balance`
// fields (the balance after the member's last entry dated before `from`, resp. before `to`).
// So the reconciliation is a real check: it fails when balances were edited or when entries
// are dated out of order (a back-dated event). Pure: entries in, figures out.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty {

struct rollforward_line {
    std::string member;                        // "" for the total line
    points opening;
    points earned;                             // earn entries
    std::map<std::string, points> earned_by_rule;
    points redeemed;                           // redeem (negative) and redeem_cancel (positive) entries
    std::map<std::string, points> redeemed_by_reward;  // the same by reward id (the entries' rule)
    points expired;                            // expire entries (negative: breakage)
    points reversed;                           // reverse and claw_back entries
    points adjusted;                           // adjust entries, both signs (front-desk exchanges are debits)
    points adjusted_credit;                    // the positive adjust entries
    points adjusted_debit;                     // the negative adjust entries (negative)
    points transferred;                        // transfer_out (negative) and transfer_in (positive) entries
    points transferred_in;                     // the transfer_in entries
    points transferred_out;                    // the transfer_out entries (negative)
    points debt;                               // debt entries: points owed (negative)
    points debt_settled;                       // informative: points of new lots that paid off debt (0-amount entries)
    points other;                              // any kind not listed above with a non-zero amount
    // Rounding leakage by rule, exact points: what rounding each earning gave (+) or kept back
    // (-) against the exact figure and did not carry: points rounded - exact + remainder carried
    // on, from the earn (and 0-point carry) entries' figures (their reasons, for entries written
    // before entries had figures). Gross of reversals, like `earned`.
    // Exact: a decimal, or a fraction for a ratio rate ("3 points per 7.00"): to_text() writes it.
    std::map<std::string, exact_points> leakage_by_rule;
    points closing;
    std::size_t entries = 0;                   // entries dated in the period

    points movements() const { return earned + redeemed + expired + reversed + adjusted + transferred + debt + other; }
    bool reconciles() const { return opening + movements() == closing; }
};

// The period's figures of the entries naming one funder, or one store (the entries' `funder` or
// `store` field; "" gathers the entries that name none). Movements as in rollforward_line; the
// opening and closing are the sums of the amounts of those entries dated before `from`, resp.
// before `to` (a funder's points still held, net of debt, which is the default funder's), so
// every split reconciles by construction and the splits add up to the total line exactly.
struct rollforward_split {
    std::string key;                                   // the funder or store id
    rollforward_line line;                             // `member` is ""
    std::map<std::string, std::int64_t> benefit_uses;  // by benefit: quota units used, net of returns
    std::map<std::string, money> benefit_given;        // by benefit: money its uses gave, net of returns
};

struct rollforward_report {
    instant from;
    instant to;  // exclusive
    std::vector<rollforward_line> members;  // by member id
    rollforward_line total;
    std::vector<rollforward_split> by_funder;  // by funder id
    std::vector<rollforward_split> by_store;   // by store id
    bool reconciles() const {
        if (!total.reconciles()) return false;
        for (const rollforward_line& l : members)
            if (!l.reconciles()) return false;
        return true;
    }
};

namespace detail {

// The debt a settle_debt entry paid off: its `debt_paid`; an entry written before the field
// existed states it only in its reason, "1290 pt of lot e-0105/service-spend pay off debt
// (1500 -> 1290)": the leading count.
LOYALTY_INLINE points settled_points(const ledger_entry& e) {
    if (e.debt_paid) return *e.debt_paid;
    const std::string& reason = e.reason;
    std::int64_t n = 0;
    std::size_t i = 0;
    for (; i < reason.size() && reason[i] >= '0' && reason[i] <= '9' && i < 18; ++i) n = n * 10 + (reason[i] - '0');
    if (i == 0 || reason.compare(i, 4, " pt ") != 0) return points(0);
    return points(n);
}

// The rounding an earning's reason states: "... = <exact> -> <n> pt (rounded <mode>)[, remainder
// <c> pt carried]" gives n - exact + c. False when the reason states none (an exact bonus has
// one too, giving 0; reasons written by other code, such as a referral's, may have none).
LOYALTY_INLINE bool stated_rounding(const std::string& reason, exact_points& out, bool& carries) {
    const std::size_t rounded = reason.rfind(" pt (rounded ");
    if (rounded == std::string::npos) return false;
    const std::size_t arrow = reason.rfind(" -> ", rounded);
    if (arrow == std::string::npos) return false;
    const std::size_t equals = reason.rfind(" = ", arrow);
    if (equals == std::string::npos) return false;
    const auto exact = decimal::parse(std::string_view(reason).substr(equals + 3, arrow - equals - 3));
    const auto n = decimal::parse(std::string_view(reason).substr(arrow + 4, rounded - arrow - 4));
    if (!exact || !n) return false;
    out = add(exact_of(*n), exact_of(*exact), true);
    carries = false;
    const std::size_t rem = reason.find(", remainder ", rounded);
    if (rem != std::string::npos) {
        const std::size_t end = reason.find(" pt carried", rem);
        const auto c = end == std::string::npos ? std::nullopt
                                                : decimal::parse(std::string_view(reason).substr(rem + 12, end - rem - 12));
        if (c) {
            out = add(out, exact_of(*c));
            carries = true;
        }
    }
    return true;
}

// The same from an entry's figures: rounded - exact, or 0 for a rule that carries its remainder
// (what rounding left is carried, not lost).
LOYALTY_INLINE void figures_rounding(const earn_figures& f, exact_points& out, bool& carries) {
    carries = f.carried.has_value();
    if (carries) {
        out = exact_of(std::int64_t{0});
        return;
    }
    out = add(exact_of(f.rounded), f.total(), true);
}

LOYALTY_INLINE void add_leakage(std::map<std::string, exact_points>& to, const std::string& rule, const exact_points& x) {
    exact_points& d = to[rule];
    d = add(d, x);
    if (const std::optional<exact_points> finite = detail::as_finite_decimal(d)) d = *finite;  // keep divisors small
}

LOYALTY_INLINE void add_movement(rollforward_line& l, const ledger_entry& e) {
    ++l.entries;
    if (e.kind == entry_kind::earn || e.kind == entry_kind::carry) {
        exact_points leak;
        bool carries = false;
        // Entries written with figures state them as numbers; older ones (and a reversal's carry
        // entries) only in their reasons.
        const bool stated = e.figures ? (figures_rounding(*e.figures, leak, carries), true)
                                      : stated_rounding(e.reason, leak, carries);
        if (stated && (carries || leak.numerator != 0))
            add_leakage(l.leakage_by_rule, e.rule, leak);
    }
    switch (e.kind) {
        case entry_kind::earn:
            l.earned += e.amount;
            l.earned_by_rule[e.rule] += e.amount;
            return;
        case entry_kind::redeem:
        case entry_kind::redeem_cancel:
            l.redeemed += e.amount;
            l.redeemed_by_reward[e.rule] += e.amount;
            return;
        case entry_kind::transfer_in:
        case entry_kind::transfer_out:
            l.transferred += e.amount;
            (e.kind == entry_kind::transfer_in ? l.transferred_in : l.transferred_out) += e.amount;
            return;
        case entry_kind::expire: l.expired += e.amount; return;
        case entry_kind::reverse:
        case entry_kind::claw_back: l.reversed += e.amount; return;
        case entry_kind::adjust:
            l.adjusted += e.amount;
            (e.amount < points(0) ? l.adjusted_debit : l.adjusted_credit) += e.amount;
            return;
        case entry_kind::debt: l.debt += e.amount; return;
        case entry_kind::settle_debt:
            l.debt_settled += settled_points(e);
            l.other += e.amount;  // 0 by construction; kept so that a tampered amount still shows
            return;
        case entry_kind::enrol:
        case entry_kind::benefit_use:
        case entry_kind::benefit_return:
        case entry_kind::voucher_issue:
        case entry_kind::voucher_use:
        case entry_kind::voucher_return:
        case entry_kind::voucher_expire:
        case entry_kind::vehicle_transfer:
        case entry_kind::tier_change:
        case entry_kind::account_open:
        case entry_kind::account_join:
        case entry_kind::account_leave:
        case entry_kind::carry:
        case entry_kind::rebate: l.other += e.amount; return;  // 0 by construction (a rebate in points is `earn`)
    }
    l.other += e.amount;
}

LOYALTY_INLINE void add_line(rollforward_line& total, const rollforward_line& l) {
    total.opening += l.opening;
    total.earned += l.earned;
    for (const auto& [rule, n] : l.earned_by_rule) total.earned_by_rule[rule] += n;
    for (const auto& [rule, d] : l.leakage_by_rule) add_leakage(total.leakage_by_rule, rule, d);
    total.redeemed += l.redeemed;
    for (const auto& [reward, n] : l.redeemed_by_reward) total.redeemed_by_reward[reward] += n;
    total.expired += l.expired;
    total.transferred += l.transferred;
    total.transferred_in += l.transferred_in;
    total.transferred_out += l.transferred_out;
    total.reversed += l.reversed;
    total.adjusted += l.adjusted;
    total.adjusted_credit += l.adjusted_credit;
    total.adjusted_debit += l.adjusted_debit;
    total.debt += l.debt;
    total.debt_settled += l.debt_settled;
    total.other += l.other;
    total.closing += l.closing;
    total.entries += l.entries;
}

// An entry's `money` field, "60.00 CNY", as money; none when it has none (or it does not read).
LOYALTY_INLINE std::optional<money> entry_money(const std::string& text) {
    const std::size_t space = text.rfind(' ');
    if (space == std::string::npos) return std::nullopt;
    const auto c = currency::from_code(text.substr(space + 1));
    if (!c) return std::nullopt;
    return money::parse(std::string_view(text).substr(0, space), *c);
}

// What a benefit_use or benefit_return entry used (gave back, for a return: negated): its
// `uses` and `money` fields (ledger format 4). An entry written before states them only in its
// reason (describe.hpp's append_use): "<benefit>: [gives back ]N use[s][, X.XX CUR given] ...".
// False when the entry states neither.
LOYALTY_INLINE bool stated_use(const ledger_entry& e, std::int64_t& uses, std::optional<money>& given) {
    uses = 0;
    given.reset();
    if (e.uses) {
        const bool back = e.kind == entry_kind::benefit_return;
        uses = back ? -*e.uses : *e.uses;
        if (!e.money.empty()) {
            given = entry_money(e.money);
            if (given && back) given = money(-given->minor_units(), given->currency_of());
        }
        return uses != 0 || given.has_value();
    }
    const std::string& s = e.reason;
    std::size_t i = e.rule.size() + 2;
    if (s.compare(0, i, e.rule + ": ") != 0) return false;
    const bool back = s.compare(i, 11, "gives back ") == 0;
    if (back) i += 11;
    auto token = [&](std::size_t from) {
        const std::size_t end = s.find(' ', from);
        return end == std::string::npos ? std::string_view() : std::string_view(s).substr(from, end - from);
    };
    const std::string_view first = token(i);
    if (!first.empty() && s.compare(i + first.size(), 4, " use") == 0) {
        const auto n = decimal::parse(first);
        if (!n || n->scale() != 0) return false;
        uses = n->mantissa();
        i += first.size() + 4;
        if (s.compare(i, 1, "s") == 0) ++i;
        if (s.compare(i, 2, ", ") == 0) i += 2;
    }
    const std::string_view amount = token(i);
    if (!amount.empty()) {
        const std::string_view code = token(i + amount.size() + 1);
        const std::size_t after = i + amount.size() + 1 + code.size();
        if (!code.empty() && (s.compare(after, 6, " given") == 0)) {
            const auto c = currency::from_code(std::string(code));
            if (c) given = money::parse(amount, *c);
        }
    }
    if (back) {
        uses = -uses;
        if (given) given = money(-given->minor_units(), given->currency_of());
    }
    return uses != 0 || given.has_value();
}

// Adds one entry to the split of `key`: its amount to the opening (dated before `from`) or to
// the movements (in the period), and a benefit's use to the benefit figures.
LOYALTY_INLINE void add_to_split(std::map<std::string, rollforward_split>& splits, const std::string& key,
                         const ledger_entry& e, instant from, instant to) {
    if (!(e.at < to)) return;
    rollforward_split& s = splits[key];
    s.key = key;
    s.line.closing += e.amount;
    if (e.at < from) {
        s.line.opening += e.amount;
        return;
    }
    add_movement(s.line, e);
    if (e.kind != entry_kind::benefit_use && e.kind != entry_kind::benefit_return) return;
    std::int64_t uses = 0;
    std::optional<money> given;
    if (!stated_use(e, uses, given)) return;
    s.benefit_uses[e.rule] += uses;
    if (given) {
        const auto it = s.benefit_given.find(e.rule);
        if (it == s.benefit_given.end()) s.benefit_given.emplace(e.rule, *given);
        else it->second += *given;
    }
}

}  // namespace detail

// The roll-forward of `entries` (any order, any members) over [from, to). Members whose
// chain has no entry before `to` are left out.
LOYALTY_INLINE rollforward_report rollforward(const std::vector<ledger_entry>& entries, instant from, instant to) {
    rollforward_report report;
    report.from = from;
    report.to = to;
    std::map<std::string, std::vector<const ledger_entry*>> by_member;
    std::map<std::string, rollforward_split> by_funder, by_store;
    for (const ledger_entry& e : entries) {
        by_member[e.member].push_back(&e);
        detail::add_to_split(by_funder, e.funder, e, from, to);
        detail::add_to_split(by_store, e.store, e, from, to);
    }
    for (auto& [key, s] : by_funder) report.by_funder.push_back(std::move(s));
    for (auto& [key, s] : by_store) report.by_store.push_back(std::move(s));
    for (auto& [member, list] : by_member) {
        std::stable_sort(list.begin(), list.end(), [](const ledger_entry* a, const ledger_entry* b) { return a->seq < b->seq; });
        rollforward_line line;
        line.member = member;
        bool any = false;
        for (const ledger_entry* e : list) {
            if (e->at < from) line.opening = e->balance;
            if (e->at < to) {
                line.closing = e->balance;
                any = true;
            }
            if (from <= e->at && e->at < to) detail::add_movement(line, *e);
        }
        if (!any) continue;
        detail::add_line(report.total, line);
        report.members.push_back(std::move(line));
    }
    return report;
}

}  // namespace loyalty
