#pragma once
// The engine's steps for fleet accounts. An account has its own state and chain; a member's
// event that concerns it (joining, leaving, a paid visit and its reversal) is decided on the
// member's state by apply_in_place() (which says `outcome::account`), and the account's side is
// posted by settle_account_in_place() in the same outcome (journal_runner does both), like a
// referral's referrer side.
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/fleet/account_tier.hpp"
#include "loyalty/fleet/rebate.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

namespace detail {
LOYALTY_INLINE bool account_event(event_type t) {
    return t == event_type::open_account || t == event_type::join_account || t == event_type::leave_account ||
           t == event_type::settle_rebate;
}
// What an account's own chain takes: its opening, rebates, an operator's adjustments, spending
// its points on rewards, reversals (of adjustments) and ticks. Visits, benefits and the like are
// its members' events. An operator may assign the account a tier (a tier match), which its
// members then hold under qualification "account".
LOYALTY_INLINE bool account_may_take(event_type t) {
    return t == event_type::open_account || t == event_type::settle_rebate || t == event_type::adjustment ||
           t == event_type::assign_tier ||
           t == event_type::reverse || t == event_type::redeem || t == event_type::cancel_redemption ||
           t == event_type::tick;
}
LOYALTY_INLINE std::string period_text(const day_range& r) {
    return format_day(r.first) + " to " + format_day(r.end - date::days(1));
}
}  // namespace detail

// Refusals of account events the state itself can decide. Whether a joined account exists needs
// the account's state: journal_runner checks that.
LOYALTY_INLINE refusal_reason check_fleet(const program& prog, const member_state& s, const event& e) {
    const event_type t = e.type();
    if (s.fleet && !detail::account_may_take(t))
        return {refusal::account_refused, e.member + " is a fleet account: " + std::string(to_string(t)) +
                                              " events belong to its members"};
    if (const auto* r = std::get_if<events::reverse>(&e.body)) {
        const std::optional<effect_summary> undone = s.effects.summary(r->event_id);
        if (undone && detail::account_event(undone->type))
            return {refusal::not_reversible,
                    std::string(to_string(undone->type)) + " events cannot be reversed" +
                        (undone->type == event_type::settle_rebate
                             ? " (settle the period again: a settlement pays or takes back the difference)"
                             : "")};
    }
    if (const auto* o = std::get_if<events::open_account>(&e.body); o && !prog.find_fleet_policy(o->policy))
        return {refusal::account_refused, "programme " + prog.id + " v" + std::to_string(prog.version) +
                                              " has no fleet policy '" + o->policy + "'"};
    if (const auto* j = std::get_if<events::join_account>(&e.body)) {
        if (j->account == e.member) return {refusal::account_refused, "an account cannot join itself"};
        if (!s.account.empty())
            return {refusal::account_refused, "member " + e.member + " already drives for account " + s.account +
                                                  (s.account == j->account ? "" : ": leave it first")};
    }
    if (std::holds_alternative<events::leave_account>(e.body) && s.account.empty())
        return {refusal::account_refused, "member " + e.member + " is in no fleet account"};
    if (const auto* r = std::get_if<events::settle_rebate>(&e.body)) {
        if (!s.fleet) return {refusal::account_refused, e.member + " is not a fleet account"};
        const fleet_policy* fp = prog.find_fleet_policy(s.fleet->policy);
        if (!fp || !fp->rebate)
            return {refusal::account_refused, "fleet policy '" + s.fleet->policy + "' of programme " + prog.id + " v" +
                                                  std::to_string(prog.version) + " has no volume rebate"};
        const day_range range = fp->rebate->per.containing(r->period_of, s.member_since);
        const day today = prog.zone.local_day(e.at);
        if (today < range.end)
            return {refusal::account_refused, "the rebate period " + detail::period_text(range) +
                                                  " has not ended on " + format_day(today)};
    }
    return {};
}

// The fleet accounts an event of member `s` may post to: the member's account, the account a
// reversed event's spend counted toward, and the account the member joins. A runner or a store
// must hold (lock) their states too.
LOYALTY_INLINE std::vector<std::string> accounts_concerned(const member_state& s, const event& e) {
    std::vector<std::string> out;
    if (!s.account.empty()) out.push_back(s.account);
    if (const auto* j = std::get_if<events::join_account>(&e.body)) out.push_back(j->account);
    if (const auto* r = std::get_if<events::reverse>(&e.body)) {
        if (s.effects.contains(r->event_id))
            if (std::string account = s.effects.at(r->event_id).account; !account.empty()) out.push_back(std::move(account));
    }
    return out;
}

// open_account: the account's chain starts.
LOYALTY_INLINE void open_account(posting& p, const events::open_account& body) {
    member_state& s = p.state();
    s.enrolled = true;
    s.member_since = p.prog().zone.local_day(p.ev().at);
    fleet_account a;
    a.policy = body.policy;
    a.name = body.name;
    a.credit = money::zero(p.prog().currency_unit);
    s.fleet = std::move(a);
    p.note(entry_kind::account_open, because(reason_code::account_opened, body.name), body.policy);
}

// The member's side of joining and leaving.
LOYALTY_INLINE void join_account(posting& p, outcome& out, const events::join_account& body) {
    member_state& s = p.state();
    s.account = body.account;
    const day today = p.prog().zone.local_day(p.ev().at);
    out.account = account_move{account_move::kind::join, body.account, s.member, p.ev().id, today,
                               money::zero(p.prog().currency_unit)};
    p.note(entry_kind::account_join,
           [&] {
               reason_args a = because(reason_code::joins_account, body.reason);
               a.set_counterpart(body.account);
               return a;
           }());
}
LOYALTY_INLINE void leave_account(posting& p, outcome& out, const events::leave_account& body) {
    member_state& s = p.state();
    const day today = p.prog().zone.local_day(p.ev().at);
    out.account = account_move{account_move::kind::leave, s.account, s.member, p.ev().id, today,
                               money::zero(p.prog().currency_unit)};
    p.note(entry_kind::account_leave,
           [&] {
               reason_args a = because(reason_code::leaves_account, body.reason);
               a.set_counterpart(s.account);
               return a;
           }());
    drop_account_tier(p, s.account);
    s.account.clear();
    s.account_policy.clear();
}

// What a member's accepted event brings to the account: the money paid on a visit or a vehicle
// purchase while in an account counts toward its spend; reversing such an event takes out what
// it counted, from the account it counted toward (even if the member has left it since).
LOYALTY_INLINE void count_account_spend(posting& p, event_effect& effect, outcome& out, const money& spend) {
    member_state& s = p.state();
    const event& e = p.ev();
    if (const auto* r = std::get_if<events::reverse>(&e.body)) {
        event_effect undone = s.effects.at(r->event_id);  // unpacked; written back below
        if (undone.account.empty() || undone.account_spend.is_zero()) return;
        // A whole reversal takes out all the event still counts; a partial one (run before this)
        // what the member no longer pays: the cash left on the lines not returned, less refunds.
        money take = undone.account_spend;
        if (r->partial()) {
            money left = money::zero(p.prog().currency_unit);
            for (const order_line_effect& l : undone.lines)
                if (!l.returned) left += l.paid - l.refunded;
            if (left < undone.account_spend) take = undone.account_spend - left;
            else return;
        }
        undone.account_spend -= take;
        s.effects.assign(r->event_id, undone);
        out.account = account_move{account_move::kind::spend, undone.account, s.member, r->event_id,
                                   p.prog().zone.local_day(undone.at), -take};
        p.explain("fleet", (r->partial() ? "partly reverses " : "reverses ") + r->event_id + ": " + take.to_string() +
                               " of it no longer counts toward account " + undone.account + "'s spend");
        return;
    }
    if (s.account.empty() || spend.is_zero()) return;
    effect.account = s.account;
    effect.account_spend = spend;
    out.account = account_move{account_move::kind::spend, s.account, s.member, e.id, p.prog().zone.local_day(e.at), spend};
    p.explain("fleet", spend.to_string() + " paid counts toward account " + s.account + "'s spend");
}

// settle_rebate: the rebate due on the period's spend, less what earlier settlements of the same
// period paid. Paid as money, a `rebate` entry records the credit; as points, the new points go
// into a lot (an `earn` entry of rule "rebate:<policy>"), and a smaller rebate than was paid
// (spend reversed since) is owed as debt, settled from the account's next points.
LOYALTY_INLINE void settle_rebate(posting& p, const events::settle_rebate& body) {
    member_state& s = p.state();
    fleet_account& a = *s.fleet;
    const program& prog = p.prog();
    const fleet_policy& fp = *prog.find_fleet_policy(a.policy);
    const volume_rebate& vr = *fp.rebate;
    const day_range range = vr.per.containing(body.period_of, s.member_since);
    const rebate_calculation calc = compute_rebate(vr, a.spend_within(range, prog.currency_unit));
    const std::string rule = "rebate:" + fp.id;
    const std::string label = "volume rebate " + fp.id + " for " + detail::period_text(range) + ": " + calc.how;
    rebate_paid* paid = a.paid_for(range);
    const bool first_settlement = paid == nullptr;
    if (!paid) {
        a.rebates.push_back({range, calc.spend, money::zero(prog.currency_unit), points(0)});
        paid = &a.rebates.back();
    }
    const money before = paid->rebate;
    if (vr.pay_as == rebate_payment::money) {
        const money diff = calc.rebate - before;
        if (diff.is_zero()) {
            p.explain(rule, label + "; " + before.to_string() + " already paid, nothing more is due");
        } else {
            const std::string since =
                first_settlement ? std::string() : "; " + before.to_string() + " paid before, true-up " + diff.to_string();
            p.note_money(entry_kind::rebate, diff, as_text(label + since), rule, "");
            a.credit += diff;
        }
    } else {
        const points due = rebate_points(vr, calc.rebate);
        const points diff = due - paid->paid_points;
        const std::string as_points = " -> " + calc.rebate.to_string() + " x " + vr.points_per_unit.to_string() +
                                      " pt per unit = " + to_string(due) + " pt (down)";
        if (diff > points(0)) {
            const std::string text =
                label + as_points +
                (paid->paid_points > points(0) ? "; " + to_string(paid->paid_points) + " pt paid before" : "");
            p.credit(entry_kind::earn, rule, diff, as_text(text));
        } else if (diff < points(0)) {
            const std::string text = label + as_points + "; " + to_string(paid->paid_points) +
                                     " pt paid before: the account owes " + to_string(-diff) + " pt";
            p.add_debt(-diff, as_text(text), "");
        } else {
            p.explain(rule, label + as_points + "; already paid, nothing more is due");
        }
        paid->paid_points = due;
    }
    paid->spend = calc.spend;
    paid->rebate = calc.rebate;
}

// The account's side of out.account, posted on the account's state with the member's event id
// under the programme version in force at the event. `member` is the member's state after its
// event (joining copies the account's policy onto it, for pricing). Does nothing when
// out.account is empty.
LOYALTY_INLINE void settle_account_in_place(const program_versions& versions, member_state& account, member_state& member,
                                    const event& e, outcome& out) {
    if (!out.account) return;
    const account_move& m = *out.account;
    if (account.member != m.account || !account.fleet)
        throw error("loyalty.engine.member_mismatch",
                    "event " + e.id + " concerns fleet account " + m.account + ", state is of " + account.member);
    if (account.has_seen(e.id))
        throw error("loyalty.engine.duplicate_event_id",
                    "event id '" + e.id + "' is already on the chain of account " + account.member);
    const program& prog = *versions.at(e.at);
    fleet_account& a = *account.fleet;
    event_effect effect;
    effect.type = e.type();
    effect.at = e.at;
    switch (m.what) {
        case account_move::kind::join:
        case account_move::kind::leave: {
            const bool join = m.what == account_move::kind::join;
            posting p(prog, account, e, out);
            expire_due(p, e.at);
            if (counts_at_account_level(prog, account)) review_tiers_due(p, e.at);
            if (join) {
                a.members.push_back(m.member);
                member.account_policy = a.policy;
                p.explain("fleet", m.member + "'s repair orders are priced under fleet policy " + a.policy);
            } else {
                a.members.erase(std::remove(a.members.begin(), a.members.end(), m.member), a.members.end());
            }
            reason_args args = because(join ? reason_code::member_joins : reason_code::member_leaves);
            args.set_counterpart(m.member);
            p.note(join ? entry_kind::account_join : entry_kind::account_leave, std::move(args));
            account.last_event_at = std::max(account.last_event_at, e.at);  // not the account's activity
            account.effects.insert(e.id, effect);
            account.bury_spent_lots();
            break;
        }
        case account_move::kind::spend:
            // Spend is counted, not posted: the rebate entry states the period's total.
            if (!m.amount.is_negative()) {
                a.spend.push_back({m.event, m.member, m.on, m.amount});
            } else {
                money left = -m.amount;
                for (auto it = a.spend.begin(); it != a.spend.end() && !left.is_zero();) {
                    if (it->event != m.event) {
                        ++it;
                        continue;
                    }
                    const money take = it->amount < left ? it->amount : left;
                    it->amount -= take;
                    left -= take;
                    it = it->amount.is_zero() ? a.spend.erase(it) : it + 1;
                }
            }
            if (counts_at_account_level(prog, account)) {  // and toward the account's tier
                posting p(prog, account, e, out);
                expire_due(p, e.at);
                count_account_qualifying(p, member, m);
            }
            break;
    }
}

}  // namespace loyalty
