#pragma once
// Liability for outstanding points, and the IFRS 15 view of the revenue deferred for them.
//
// Pure: ledger entries and the considerations of the earning events in, figures out. The
// consideration (transaction price) of an event is what the member paid for it: a vehicle's
// price, or a closed repair order's amount to pay after benefits, as price() computes it on
// the member's state just before the order (consideration_of(), apply_recording()).
//
// IFRS 15 (relative stand-alone selling price), per earning event E with consideration P and
// N points, point value v and expected redemption rate r:
//   SSP of the points  S = N x v x r                      (exact, not rounded)
//   deferred           D = P x S / (P + S)                rounded once to the minor unit
//   recognised at once     P - D
// D is split over E's lots in proportion to their points (largest remainder, exact). A lot's
// deferred revenue is released as its points are used, cumulatively:
//   released so far = D x min(C, N r) / (N r)             rounded once to the minor unit
// where C is the lot's points used so far (redeemed, less cancelled redemptions, plus points
// taken by debits, claw-backs and debt settlement). Each entry's share is the change in that
// figure, so the shares add up exactly. When no point of the lot is left (all used or expired)
// the rest of D is released; when expiry ended it, that rest is revenue from breakage. When the
// earning event is reversed (the sale refunded) what is left of D is derecognised with it.
// Points move between members (transfer_out/transfer_in, paired in order within an event) keep
// their origin lot, so the receiver's redemptions release the sender's deferred revenue.
// Every rounding uses the mode given in liability_options (default half_up), to the minor unit.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/audit/rollforward.hpp"
#include "loyalty/benefit/price.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty {

// What the member paid for an event that earned points: its transaction price.
struct consideration {
    money amount;
    std::string basis;                 // how it was found, for people
    std::optional<points> priced_points;  // what the priced order said closing it earns (cross-check)
    std::vector<std::pair<std::string, money>> discounts;  // benefit id -> money given, in order
    // The member who paid. An event can post points to another member too (a referred
    // member's first visit pays the referrer): those points are not part of this sale.
    std::string member;
};
using consideration_map = std::map<std::string, consideration>;  // by event id

// The consideration of `e` for a member in state `before` (just before e) under `prog`; none
// for events that are not a sale (enrolment, birthday, survey, referral, adjustments, ...).
LOYALTY_INLINE std::optional<consideration> consideration_of(const program& prog, const member_state& before, const event& e) {
    if (const auto* v = std::get_if<events::vehicle_purchase>(&e.body))
        return consideration{v->price, "vehicle price " + to_string(v->price), std::nullopt, {}, e.member};
    const auto* ro = std::get_if<events::repair_order>(&e.body);
    if (!ro || ro->status != events::ro_status::closed) return std::nullopt;
    try {
        const priced_order po = price(prog, before, *ro, e.at);
        consideration c{po.net_total, "", po.points_total, {}, e.member};
        money covered = money::zero(po.net_total.currency_of());
        for (const priced_line& l : po.lines)
            if (l.line.covered()) covered += l.list;
        // Vouchers were bought with points: what they pay is a redemption (released when the
        // points were redeemed), not part of this sale's consideration nor a benefit's discount.
        c.basis = "repair order " + (ro->number.empty() ? e.id : ro->number) + ": list " + po.list_total.to_string() +
                  (covered.is_zero() ? "" : " - paid by warranty or insurer " + covered.to_string()) + " - benefits " +
                  (po.discount_total - covered).to_string() +
                  (po.voucher_total.is_zero() ? "" : " - vouchers " + po.voucher_total.to_string()) + " = " +
                  po.net_total.to_string() + " paid by the member";
        for (const priced_line& l : po.lines)
            for (const price_adjustment& a : l.adjustments) {
                if (!prog.find_benefit(a.benefit)) continue;  // a voucher, not a benefit
                auto it = std::find_if(c.discounts.begin(), c.discounts.end(),
                                       [&](const auto& d) { return d.first == a.benefit; });
                if (it == c.discounts.end())
                    c.discounts.emplace_back(a.benefit, a.amount);
                else
                    it->second += a.amount;
            }
        return c;
    } catch (const error&) {
        return std::nullopt;  // the engine refuses such an order (invalid_order): it earns nothing
    }
}

// Applies `e` with the runner and, when it is accepted, records its consideration, priced on the
// member's state just before it (the state the engine prices the order on).
LOYALTY_INLINE outcome apply_recording(journal_runner& run, const event& e, consideration_map& out) {
    std::optional<consideration> c;
    if (const program* prog = run.versions().at(e.at)) {
        const auto it = run.members().find(e.member);
        c = it != run.members().end() ? consideration_of(*prog, it->second, e)
                                      : consideration_of(*prog, member_state(e.member), e);
    }
    outcome o = run.apply(e);
    if (o.accepted() && c) out.emplace(e.id, std::move(*c));
    return o;
}

struct liability_options {
    instant as_of;               // entries dated before this instant count
    money point_value;           // stand-alone value of one point (programme's point_value)
    decimal redemption_rate;     // expected share of points that will be redeemed, 0 < r <= 1
    rounding mode = rounding::half_up;
};

// One lot of earned points, with the lots transferred out of it (its family).
struct liability_lot {
    std::string member, lot, event, rule;
    instant earned_at;
    points earned, redeemed, used_otherwise, expired, reversed, outstanding;
    bool from_sale = false;
    money deferred, released_on_redemption, released_otherwise, released_on_breakage, derecognised;
    std::string funder{}, store{};  // of the entry that created it (its earning): who funds it, where it was issued
    money balance() const { return deferred - released_on_redemption - released_otherwise - released_on_breakage - derecognised; }
};

// Figures per earning rule of the origin lot ("" for the total), or per funder or store of the
// origin lot (by_funder, by_store: `key` names it, "" for lots whose earning names none).
struct liability_line {
    std::string rule;
    std::string key{};
    points issued, redeemed, used_otherwise, expired, reversed, outstanding;
    points outstanding_from_sales, outstanding_without_sale;
    money consideration, deferred, released_on_redemption, released_otherwise, released_on_breakage, derecognised;
    money recognised_at_once() const { return consideration - deferred; }
    money deferred_balance() const {
        return deferred - released_on_redemption - released_otherwise - released_on_breakage - derecognised;
    }
};

// One earning event that was a sale: the allocation, for the explanation.
struct liability_sale {
    std::string event, member;
    money consideration;
    points points_issued;
    money points_ssp;            // N x v x r, rounded for display only (the allocation uses the exact value)
    std::string ssp_exact;       // the exact value, e.g. "170"
    money deferred;
    std::string basis;
};

struct liability_report {
    instant as_of;
    money point_value;
    decimal redemption_rate;
    rounding mode = rounding::half_up;
    points balance;              // the sum of members' balances (debt netted): the roll-forward's closing
    points debt;                 // points owed by members (positive)
    points outstanding;          // points held in lots: balance + debt
    money outstanding_value;     // outstanding x point value (exact)
    points expected_redemptions; // outstanding x r, rounded with the mode
    points expected_breakage;    // outstanding - expected_redemptions
    money expected_redemption_value, expected_breakage_value;  // the same, valued (value split exactly)
    money without_sale_value;    // outstanding points issued without a sale x v x r, rounded
    std::vector<liability_line> by_rule;  // by rule id
    std::vector<liability_line> by_funder;  // by funder of the origin lot: they add up to `total` exactly
    std::vector<liability_line> by_store;   // by store where the origin lot was earned: the same
    liability_line total;
    std::vector<liability_lot> lots;      // origin lots, in order of earning
    std::vector<liability_sale> sales;    // in order of earning
    std::vector<std::string> notes;       // cross-check differences, unpaired transfers
};

namespace detail {

LOYALTY_INLINE int128 pow10_of(const decimal& d) { return decimal::pow10(d.scale()); }

// P x S / (P + S) with S = N x v x r, in minor units, rounded once.
LOYALTY_INLINE std::int64_t deferred_minor(std::int64_t price, points n, std::int64_t value, const decimal& r, rounding mode) {
    if (price <= 0 || n <= points(0)) return 0;
    const int128 s = int128(n.count()) * value * r.mantissa();  // S x 10^k
    return round_quotient(int128(price) * s, int128(price) * pow10_of(r) + s, mode);
}

// Splits `total` over `weights` exactly in proportion (largest remainder; ties to the earlier).
LOYALTY_INLINE std::vector<std::int64_t> split(std::int64_t total, const std::vector<std::int64_t>& weights) {
    std::int64_t sum = 0;
    for (std::int64_t w : weights) sum += w;
    std::vector<std::int64_t> out(weights.size(), 0);
    if (sum <= 0) return out;
    std::vector<std::pair<int128, std::size_t>> rest;
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        const int128 p = int128(total) * weights[i];
        out[i] = static_cast<std::int64_t>(p / sum);
        given += out[i];
        rest.emplace_back(p % sum, i);
    }
    std::stable_sort(rest.begin(), rest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t j = 0; given < total && j < rest.size(); ++j, ++given) ++out[rest[j].second];
    return out;
}

struct lot_family {
    liability_lot lot;
    points used;                 // C: redeemed + used otherwise (net)
    bool ended_by_reversal = false;
    std::int64_t released = 0;   // minor units released so far (all causes)
    // The revenue released so far as the rule above says.
    std::int64_t target(const decimal& r, rounding mode) const {
        const std::int64_t d = lot.deferred.minor_units();
        if (d == 0) return 0;
        if (lot.outstanding <= points(0) && (used > points(0) || lot.expired > points(0))) return d;
        if (used <= points(0)) return 0;
        const std::int64_t x = round_quotient(int128(d) * used.count() * pow10_of(r),
                                              int128(lot.earned.count()) * r.mantissa(), mode);
        return std::min(x, d);
    }
};

}  // namespace detail

namespace detail {

LOYALTY_INLINE liability_report liability_unchecked(const std::vector<ledger_entry>& entries,
                                            const consideration_map& considerations, const liability_options& o) {
    if (o.redemption_rate <= decimal() || decimal::integer(1) < o.redemption_rate)
        throw error("loyalty.liability.invalid_rate",
                    "the expected redemption rate must be more than 0 and at most 1, not " + o.redemption_rate.to_string());
    if (o.point_value.minor_units() <= 0)
        throw error("loyalty.liability.invalid_point_value", "the point value must be more than zero");
    const currency cur = o.point_value.currency_of();
    const money zero = money::zero(cur);
    liability_report rep;
    rep.as_of = o.as_of;
    rep.point_value = o.point_value;
    rep.redemption_rate = o.redemption_rate;
    rep.mode = o.mode;

    std::vector<const ledger_entry*> in;
    for (const ledger_entry& e : entries)
        if (e.at < o.as_of) in.push_back(&e);

    // Origin lots (earn entries) and the points each earning event issued.
    std::map<std::string, detail::lot_family> families;  // by member|lot of the origin lot
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::string>> lots_of_event;
    auto key = [](const ledger_entry& e) { return e.member + "|" + e.lot; };
    auto start = [&](const ledger_entry& e, bool earned) -> detail::lot_family& {
        detail::lot_family f;
        f.lot = {e.member, e.lot, e.event, e.rule, e.at, points(0), points(0), points(0), points(0), points(0), points(0),
                 false, zero, zero, zero, zero, zero};
        if (earned) f.lot.earned = e.amount;
        f.lot.funder = e.funder;
        f.lot.store = e.store;
        order.push_back(key(e));
        return families.emplace(key(e), std::move(f)).first->second;
    };
    for (const ledger_entry* e : in)
        if (e->kind == entry_kind::earn && !e->lot.empty() && !families.count(key(*e))) {
            start(*e, true);
            const auto c = considerations.find(e->event);
            if (c == considerations.end() || c->second.member.empty() || c->second.member == e->member)
                lots_of_event[e->event].push_back(key(*e));
        }
    // Deferral per sale, split over its lots.
    for (const auto& [ev, keys] : lots_of_event) {
        const auto c = considerations.find(ev);
        if (c == considerations.end()) continue;
        std::vector<std::int64_t> weights;
        points n;
        for (const std::string& k : keys) {
            weights.push_back(families.at(k).lot.earned.count());
            n += families.at(k).lot.earned;
        }
        const money p = c->second.amount;
        const std::int64_t d = detail::deferred_minor(p.minor_units(), n, o.point_value.minor_units(), o.redemption_rate, o.mode);
        const std::vector<std::int64_t> parts = detail::split(d, weights);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            liability_lot& l = families.at(keys[i]).lot;
            l.from_sale = true;
            l.deferred = money(parts[i], cur);
        }
        const std::vector<decimal> minor{decimal::integer(o.point_value.minor_units()), o.redemption_rate};
        const std::vector<decimal> major{o.point_value.amount(), o.redemption_rate};
        rep.sales.push_back({ev, families.at(keys.front()).lot.member, p, n,
                             money(scale_and_round(n.count(), minor, 0, o.mode), cur), exact_product_text(n.count(), major, 0),
                             money(d, cur), c->second.basis});
        if (c->second.priced_points && *c->second.priced_points != n)
            rep.notes.push_back("event " + ev + ": the priced order earns " + to_string(*c->second.priced_points) +
                                " pt, the ledger has " + to_string(n) + " pt");
    }
    std::stable_sort(rep.sales.begin(), rep.sales.end(), [&](const liability_sale& a, const liability_sale& b) {
        return families.at(lots_of_event.at(a.event).front()).lot.earned_at <
               families.at(lots_of_event.at(b.event).front()).lot.earned_at;
    });

    // Lots received by transfer belong to the family of the lot they came from.
    std::map<std::string, std::string> root;  // lot key -> origin lot key
    std::set<const ledger_entry*> paired_out;
    for (const auto& [k, f] : families) root[k] = k;
    std::map<std::string, std::pair<std::vector<const ledger_entry*>, std::vector<const ledger_entry*>>> transfers;
    for (const ledger_entry* e : in) {
        if (e->kind == entry_kind::transfer_out) transfers[e->event].first.push_back(e);
        if (e->kind == entry_kind::transfer_in) transfers[e->event].second.push_back(e);
    }
    for (const ledger_entry* e : in) {  // in ledger order, so that a transferred lot's origin is known
        if (e->kind != entry_kind::transfer_in) continue;
        const auto& [outs, ins] = transfers[e->event];
        const std::size_t i = static_cast<std::size_t>(std::find(ins.begin(), ins.end(), e) - ins.begin());
        const auto from = i < outs.size() && outs[i]->amount == -e->amount ? root.find(key(*outs[i])) : root.end();
        if (from != root.end()) {
            root[key(*e)] = from->second;
            paired_out.insert(outs[i]);
        } else
            rep.notes.push_back("event " + e->event + ": transfer into lot " + e->lot + " of " + e->member +
                                " has no matching transfer out; counted as a lot without a sale");
    }

    // Walk the entries in ledger order; each one moves points of a family and may release revenue.
    std::map<std::string, points> balance_of, debt_of;
    for (const ledger_entry* e : in) {
        balance_of[e->member] = e->balance;
        if (e->kind == entry_kind::debt) debt_of[e->member] -= e->amount;
        if (e->kind == entry_kind::settle_debt) debt_of[e->member] -= detail::settled_points(*e);
        // Voucher entries name the voucher in `lot`, not a lot of points: they move no points.
        const bool voucher = e->kind == entry_kind::voucher_issue || e->kind == entry_kind::voucher_use ||
                             e->kind == entry_kind::voucher_return || e->kind == entry_kind::voucher_expire;
        if (e->lot.empty() || voucher) continue;
        auto r = root.find(key(*e));
        if (r == root.end()) {  // a lot not earned from an event: a credit adjustment, an unpaired transfer
            start(*e, false);
            r = root.emplace(key(*e), key(*e)).first;
        }
        detail::lot_family& f = families.at(r->second);
        liability_lot& l = f.lot;
        const std::int64_t before = f.target(o.redemption_rate, o.mode);
        money* cause = nullptr;
        switch (e->kind) {
            case entry_kind::earn: l.outstanding += e->amount; break;  // the origin lot itself
            case entry_kind::transfer_in:
                if (r->second == key(*e)) { l.earned += e->amount; l.outstanding += e->amount; }
                break;  // else the points only moved within the family
            case entry_kind::transfer_out:
                if (!paired_out.count(e)) l.outstanding += e->amount;  // left the family: nothing to pair it with
                break;  // else the points only moved within the family
            case entry_kind::redeem:
            case entry_kind::redeem_cancel:
                l.redeemed -= e->amount;
                f.used -= e->amount;
                l.outstanding += e->amount;
                cause = &l.released_on_redemption;
                break;
            case entry_kind::expire:
                l.expired -= e->amount;
                l.outstanding += e->amount;
                cause = &l.released_on_breakage;
                break;
            case entry_kind::reverse:
                if (e->amount < points(0) && e->reverses == l.event) {  // the sale itself was reversed
                    l.reversed -= e->amount;
                    l.outstanding += e->amount;
                    if (!f.ended_by_reversal) {
                        f.ended_by_reversal = true;
                        l.derecognised = l.deferred - money(f.released, cur);
                    }
                    continue;
                }
                [[fallthrough]];  // points given back to, or taken from, a lot: a use undone or made
            case entry_kind::adjust:
                if (e->kind == entry_kind::adjust && e->amount > points(0) && r->second == key(*e) && l.earned == points(0)) {
                    l.earned += e->amount;  // the lot a credit adjustment created
                    l.outstanding += e->amount;
                    break;
                }
                [[fallthrough]];
            case entry_kind::claw_back:
                l.used_otherwise -= e->amount;
                f.used -= e->amount;
                l.outstanding += e->amount;
                cause = &l.released_otherwise;
                break;
            case entry_kind::settle_debt: {
                const points n = detail::settled_points(*e);
                l.used_otherwise += n;
                f.used += n;
                l.outstanding -= n;
                cause = &l.released_otherwise;
                break;
            }
            default: break;  // 0-point kinds that name a lot (vouchers): no points move
        }
        if (f.ended_by_reversal || !cause) continue;
        const std::int64_t after = f.target(o.redemption_rate, o.mode);
        *cause += money(after - before, cur);
        f.released = after;
    }

    // Totals.
    auto fresh_line = [&](const std::string& rule) {
        liability_line line;
        line.rule = rule;
        line.consideration = line.deferred = line.released_on_redemption = line.released_otherwise =
            line.released_on_breakage = line.derecognised = zero;
        return line;
    };
    std::map<std::string, liability_line> by_rule, by_funder, by_store;
    auto line_of = [&](std::map<std::string, liability_line>& lines, const std::string& k) -> liability_line& {
        auto it = lines.find(k);
        if (it == lines.end()) {
            it = lines.emplace(k, fresh_line("")).first;
            it->second.key = k;
        }
        return it->second;
    };
    rep.total = fresh_line("");
    for (const std::string& k : order) {
        const liability_lot& l = families.at(k).lot;
        if (!by_rule.count(l.rule)) by_rule.emplace(l.rule, fresh_line(l.rule));
        for (liability_line* line : {&by_rule.at(l.rule), &rep.total, &line_of(by_funder, l.funder), &line_of(by_store, l.store)}) {
            line->issued += l.earned;
            line->redeemed += l.redeemed;
            line->used_otherwise += l.used_otherwise;
            line->expired += l.expired;
            line->reversed += l.reversed;
            line->outstanding += l.outstanding;
            (l.from_sale ? line->outstanding_from_sales : line->outstanding_without_sale) += l.outstanding;
            line->deferred += l.deferred;
            line->released_on_redemption += l.released_on_redemption;
            line->released_otherwise += l.released_otherwise;
            line->released_on_breakage += l.released_on_breakage;
            line->derecognised += l.derecognised;
        }
        rep.lots.push_back(l);
    }
    for (const liability_sale& s : rep.sales) rep.total.consideration += s.consideration;
    for (auto& [rule, line] : by_rule) rep.by_rule.push_back(line);
    // A sale's consideration is attributed to its lots' rules in proportion to points (exact split);
    // the same parts go to the lots' funders and stores, so each split adds up to the total.
    for (const liability_sale& s : rep.sales) {
        std::vector<std::int64_t> w;
        const auto& keys = lots_of_event.at(s.event);
        for (const std::string& k : keys) w.push_back(families.at(k).lot.earned.count());
        const auto parts = detail::split(s.consideration.minor_units(), w);
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const liability_lot& l = families.at(keys[i]).lot;
            for (liability_line& line : rep.by_rule)
                if (line.rule == l.rule) line.consideration += money(parts[i], cur);
            by_funder.at(l.funder).consideration += money(parts[i], cur);
            by_store.at(l.store).consideration += money(parts[i], cur);
        }
    }
    for (auto& [k, line] : by_funder) rep.by_funder.push_back(line);
    for (auto& [k, line] : by_store) rep.by_store.push_back(line);

    for (const auto& [m, b] : balance_of) rep.balance += b;
    for (const auto& [m, d] : debt_of) rep.debt += d;
    rep.outstanding = rep.total.outstanding;
    rep.outstanding_value = money(checked::mul(rep.outstanding.count(), o.point_value.minor_units()), cur);
    const decimal r = o.redemption_rate;
    rep.expected_redemptions = points(round_quotient(int128(rep.outstanding.count()) * r.mantissa(), detail::pow10_of(r), o.mode));
    rep.expected_breakage = rep.outstanding - rep.expected_redemptions;
    rep.expected_redemption_value = money(round_quotient(int128(rep.outstanding_value.minor_units()) * r.mantissa(),
                                                         detail::pow10_of(r), o.mode), cur);
    rep.expected_breakage_value = rep.outstanding_value - rep.expected_redemption_value;
    rep.without_sale_value = money(round_quotient(int128(rep.total.outstanding_without_sale.count()) *
                                                      o.point_value.minor_units() * r.mantissa(),
                                                  detail::pow10_of(r), o.mode), cur);
    if (rep.outstanding != rep.balance + rep.debt)
        rep.notes.push_back("points in lots (" + to_string(rep.outstanding) + ") differ from balances plus debt (" +
                            to_string(rep.balance + rep.debt) + ")");
    return rep;
}

}  // namespace detail

// The report as of o.as_of. Products that do not fit in 128 bits (absurd rates with 18 decimals
// on huge sums) are the library's overflow error, never a wrap.
LOYALTY_INLINE liability_report liability(const std::vector<ledger_entry>& entries, const consideration_map& considerations,
                                  const liability_options& o) {
    try {
        return detail::liability_unchecked(entries, considerations, o);
    } catch (const std::overflow_error&) {
        throw error("loyalty.arithmetic.overflow", "a liability figure does not fit in 128 bits");
    }
}

}  // namespace loyalty
