#pragma once
// Tier evaluation, called by the engine at two steps of every accepted event:
//  - review_tiers_due() (step 2, rolling time forward): a window that ended (+ grace) before the
//    event is judged against the tier's `retain` threshold and a downgrade is posted dated at the
//    review instant, like an expiry: evaluation is lazy, the next event or tick posts it;
//  - evaluate_tier() (step 4): the event's qualifying figures are recorded, an upgrade takes
//    effect at once when a `qualify` threshold is reached within the window, and a reversal of
//    the event that gave the last upgrade undoes it when the figures fall below the threshold.
// Every change is a 0-point `tier_change` entry whose reason names the measure, its value, the
// threshold and the window; every judgement that changes nothing is a trace line.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "loyalty/core/checked.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/ledger/posting.hpp"
#include "loyalty/tier/tier.hpp"
#include "loyalty/tier/held.hpp"

namespace loyalty {

namespace detail {

LOYALTY_INLINE std::string describe(const tier_policy& tp, const day_range& r) {
    return tp.window.describe() + " " + format_day(r.first) + ".." + format_day(r.end - date::days(1));
}

LOYALTY_INLINE std::string tier_label(const std::string& id) { return id.empty() ? std::string("no tier") : id; }

// The window in force on day d: what an upgrade counts.
LOYALTY_INLINE day_range qualifying_window(const tier_policy& tp, day d, day member_since) {
    return tp.window.containing(d, member_since);
}

// The window a tier gained (or last judged) on day d is next judged on. A rolling window of N
// days is judged N days after it starts; the others at the end of the period containing d.
LOYALTY_INLINE day_range review_window(const tier_policy& tp, day d, day member_since) {
    if (tp.window.kind == period_kind::rolling_days) return {d, d + date::days(tp.window.days)};
    return tp.window.containing(d, member_since);
}

// The highest tier whose threshold (qualify or retain) the totals meet, or -1.
template <class Which>
int highest_met(const tier_policy& tp, const qualifying_totals& t, Which which) {
    for (int i = static_cast<int>(tp.tiers.size()) - 1; i >= 0; --i)
        if (which(tp.tiers[static_cast<std::size_t>(i)]).meets(t)) return i;
    return -1;
}

LOYALTY_INLINE void change_tier(posting& p, int to, const std::string& why, instant at) {
    const tier_policy& tp = *p.prog().tiers;
    member_state& s = p.state();
    const std::string from = s.tier;
    s.tier = to < 0 ? std::string() : tp.tiers[static_cast<std::size_t>(to)].id;
    s.tier_since = at;
    const std::string text = tier_label(from) + " -> " + tier_label(s.tier) + ": " + why;
    p.note(entry_kind::tier_change, as_text(text), s.tier, {}, at);
    p.explain(s.tier, text);
}

}  // namespace detail

// What the member's recorded events count over the days of `range`.
LOYALTY_INLINE qualifying_totals totals_in(const program& prog, const member_state& s, const day_range& range) {
    qualifying_totals t;
    std::int64_t spend = 0;  // minor units of the programme's currency (spend in another is not counted)
    for (const qualifying_record& q : s.qualifying) {
        if (!range.contains(q.on)) continue;
        t.earned += q.earned;
        if (q.spend.currency_of() == prog.currency_unit) spend = checked::add(spend, q.spend.minor_units());
        t.visits += q.visits;
        t.vehicles += q.vehicles;
    }
    t.spend = money(spend, prog.currency_unit);
    return t;
}

// The earning multiplier of the member's tier, if any.
LOYALTY_INLINE const tier* tier_of(const program& prog, const member_state& s) {
    return prog.tiers && !held_tier(prog, s).empty() ? prog.tiers->find(held_tier(prog, s)) : nullptr;
}

// The end date a member can be told: the local day the held tier is next reviewed (the window
// it is judged on, state.tier_window, ends; then the grace days). The tier holds through the day
// before; from 00:00 local time of this day it drops unless the window (or the grace days)
// reached its `retain` threshold. None when no tier is held, the held tier is not the
// programme's, or it cannot drop (the lowest tier, kept on nothing). Like an expiry, a review
// that fell due is posted by the member's next event; until then this day lies in the past.
LOYALTY_INLINE std::optional<day> tier_review_on(const program& prog, const member_state& s) {
    if (!prog.tiers || s.tier.empty()) return std::nullopt;
    const tier_policy& tp = *prog.tiers;
    const int held = tp.index_of(s.tier);
    if (held < 0) return std::nullopt;
    const qualifying_totals nothing{points(0), money::zero(prog.currency_unit), 0, 0};
    if (held == 0 && tp.tiers[0].retain.meets(nothing)) return std::nullopt;
    return tp.grace.review_of(s.tier_window.end);
}

// Step 2: judge every window that ended (+ grace) at or before `now`, each dated at its review.
// The tier is kept when the reviewed window, or the grace days after it, reach `retain`; else
// the member drops to the highest tier whose `retain` the window reaches, at most max_steps.
LOYALTY_INLINE void review_tiers_due(posting& p, instant now) {
    const program& prog = p.prog();
    member_state& s = p.state();
    if (!prog.tiers || s.tier.empty()) return;
    const tier_policy& tp = *prog.tiers;
    for (;;) {
        // On most events nothing is due: that is decided first, before the tier is looked up.
        const day review_day = tp.grace.review_of(s.tier_window.end);
        const instant due = prog.zone.start_of(review_day);
        if (now < due) return;
        const int cur = tp.index_of(s.tier);
        if (cur < 0) return;  // a tier a later programme version no longer has: left as assigned
        const tier& held = tp.tiers[static_cast<std::size_t>(cur)];
        const qualifying_totals in_window = totals_in(prog, s, s.tier_window);
        const qualifying_totals in_grace = totals_in(prog, s, day_range{s.tier_window.end, review_day});
        const std::string window = detail::describe(tp, s.tier_window);
        const day_range next = detail::review_window(tp, s.tier_window.end, s.member_since);
        std::string kept = held.retain.met_by(in_window);
        if (kept.empty() && tp.grace.any()) {
            kept = held.retain.met_by(in_grace);
            if (!kept.empty()) kept += " in the " + tp.grace.describe();
        }
        s.tier_upgrade_event.clear();  // a judged window is closed: its upgrade is no longer undone
        s.tier_before_upgrade.clear();
        if (!kept.empty()) {
            p.explain(held.id, held.id + " kept at the review of " + format_day(review_day) + ": " + kept + " (retain) in " + window);
        } else {
            const int met = detail::highest_met(tp, in_window, [](const tier& t) -> const tier_threshold& { return t.retain; });
            const int floor = tp.max_steps ? std::max(-1, cur - *tp.max_steps) : -1;
            const int to = std::max(met, floor);
            std::string why = held.retain.short_of(in_window) + " (retain of " + held.id + ") in " + window;
            if (tp.grace.any()) why += " and its " + tp.grace.describe();
            if (to >= 0 && to == met) why += "; " + tp.tiers[static_cast<std::size_t>(to)].retain.met_by(in_window) + " (retain of " + tp.tiers[static_cast<std::size_t>(to)].id + ")";
            if (to == floor && to != met) why += "; at most " + std::to_string(*tp.max_steps) + " tier(s) down per review";
            detail::change_tier(p, to, why, due);
        }
        s.tier_window = next;
        // A tier that cannot drop any further need not be judged window by window after a long gap.
        const int now_at = tp.index_of(s.tier);
        if (now_at == 0 && tp.tiers[0].retain.meets(qualifying_totals{points(0), money::zero(prog.currency_unit), 0}))
            while (prog.zone.start_of(tp.grace.review_of(s.tier_window.end)) <= now)
                s.tier_window = detail::review_window(tp, s.tier_window.end, s.member_since);
    }
}

namespace detail {

// Keeps only the records a window still to be judged can contain: the window in force and the
// one the held tier is next reviewed on.
LOYALTY_INLINE void keep_judgeable(member_state& s, const day_range& window) {
    day keep_from = window.first;
    if (!s.tier.empty()) keep_from = std::min(keep_from, s.tier_window.first);
    s.qualifying.erase(std::remove_if(s.qualifying.begin(), s.qualifying.end(),
                                      [&](const qualifying_record& q) { return q.on < keep_from; }),
                       s.qualifying.end());
}

// After the qualifying records changed on local day `today`: an upgrade takes effect at once when
// a `qualify` threshold is met within `window` (the window in force on `today`); when `undone`
// (an event whose figures no longer count; empty: none) gave the last upgrade, the upgrade is
// undone unless the figures still reach it (never below the tier held before it). `gained_by` is
// the event to name as having given an upgrade; `whose` is added to the window in the texts
// (" over the account's members"). Runs on every event: nothing here builds a string unless an
// entry or a trace line says it.
LOYALTY_INLINE void judge_upgrade(posting& p, day today, const day_range& window, std::string_view undone,
                          const std::string& gained_by, std::string_view whose) {
    const program& prog = p.prog();
    const tier_policy& tp = *prog.tiers;
    member_state& s = p.state();
    const instant at = p.ev().at;
    const int cur = tp.index_of(s.tier);
    // The highest tier can gain nothing; with no upgrade to undo there is nothing to judge.
    if (undone.empty() && cur == static_cast<int>(tp.tiers.size()) - 1) return;
    const qualifying_totals now = totals_in(prog, s, window);
    const int met = highest_met(tp, now, [](const tier& t) -> const tier_threshold& { return t.qualify; });
    // The window's text only when an entry or a trace line says it (not on every event).
    const auto in = [&] { return " in " + describe(tp, window) + std::string(whose); };
    if (!undone.empty() && undone == s.tier_upgrade_event && cur >= 0) {
        const int before = tp.index_of(s.tier_before_upgrade);
        const int to = std::max(met, before);
        const tier& held = tp.tiers[static_cast<std::size_t>(cur)];
        s.tier_upgrade_event.clear();
        s.tier_before_upgrade.clear();
        if (to < cur) {
            change_tier(p, to, "reverses " + std::string(undone) + ", which gave the upgrade to " + held.id + ": " +
                                   held.qualify.short_of(now) + " (qualify of " + held.id + ")" + in(),
                        at);
            s.tier_window = review_window(tp, today, s.member_since);
            return;
        }
        p.explain(held.id, "reverses " + std::string(undone) + ", which gave the upgrade to " + held.id + ": " +
                               held.qualify.met_by(now) + in() + ", the tier is kept");
        return;
    }
    if (met > cur) {
        const tier& to = tp.tiers[static_cast<std::size_t>(met)];
        s.tier_before_upgrade = s.tier;
        change_tier(p, met, to.qualify.met_by(now) + " (qualify of " + to.id + ")" + in(), at);
        s.tier_upgrade_event = gained_by;
        s.tier_window = review_window(tp, today, s.member_since);
    }
}

}  // namespace detail

// Step 4: record what the event counts toward tier status (or, for a reversal, drop what the
// reversed event counted), then upgrade or undo an upgrade. `spend` and `paid_visit` are what
// the engine found while applying the event; the points are the lots the earning rules created.
LOYALTY_INLINE void evaluate_tier(posting& p, const event_effect& effect, const money& spend, bool paid_visit) {
    const program& prog = p.prog();
    member_state& s = p.state();
    // An account's own events (rebates, adjustments) count toward nothing: its tier, if its
    // policy says so, is judged on its members' events (fleet/account_tier.hpp).
    if (!prog.tiers || s.fleet) return;
    const tier_policy& tp = *prog.tiers;
    const event& e = p.ev();
    const day today = prog.zone.local_day(e.at);
    const day_range window = detail::qualifying_window(tp, today, s.member_since);
    const auto* undo = std::get_if<events::reverse>(&e.body);
    if (undo && undo->partial()) undo = nullptr;  // partial_reverse() shrank the order's record itself
    if (undo) {
        const auto it = std::find_if(s.qualifying.begin(), s.qualifying.end(),
                                     [&](const qualifying_record& q) { return q.event == undo->event_id; });
        if (it != s.qualifying.end()) {
            p.explain("", "reverses " + undo->event_id + ": its " + to_string(it->earned) + " qualifying pt, " +
                              to_string(it->spend) + " spend, " + std::to_string(it->visits) + " paid visit(s) and " +
                              std::to_string(it->vehicles) + " vehicle(s) bought no longer count toward tiers");
            s.qualifying.erase(it);
        }
    } else {
        const bool earning_event = e.type() != event_type::adjustment && e.type() != event_type::transfer;
        qualifying_record q{{}, today, points(0), spend, paid_visit ? 1 : 0,
                            e.type() == event_type::vehicle_purchase ? 1 : 0};
        if (earning_event)
            for (const auto& lot_points : effect.earned) q.earned += lot_points.second;
        if (q.earned > points(0) || !q.spend.is_zero() || q.visits > 0 || q.vehicles > 0) {
            q.event = e.id;  // copied only for an event that counts
            s.qualifying.push_back(std::move(q));
        }
    }
    detail::keep_judgeable(s, window);
    detail::judge_upgrade(p, today, window, undo ? std::string_view(undo->event_id) : std::string_view(), e.id, {});
}

// An operator's tier assignment (or tier match). Refused when the tier is not the programme's.
LOYALTY_INLINE refusal_reason check_assign_tier(const program& prog, const events::assign_tier& a) {
    if (!prog.tiers || prog.tiers->index_of(a.tier) < 0)
        return {refusal::unknown_tier, "programme " + prog.id + " has no tier '" + a.tier + "'"};
    return {};
}

LOYALTY_INLINE void assign_tier(posting& p, const events::assign_tier& a) {
    const tier_policy& tp = *p.prog().tiers;
    member_state& s = p.state();
    const day today = p.prog().zone.local_day(p.ev().at);
    s.tier_upgrade_event.clear();
    s.tier_before_upgrade.clear();
    s.tier_window = detail::review_window(tp, today, s.member_since);
    const std::string why = "assigned by " + a.operator_id + ": " + a.reason + "; judged on " +
                            detail::describe(tp, s.tier_window) + " against its retain threshold";
    if (s.tier == a.tier) {
        p.explain(a.tier, "already " + a.tier + "; " + why);
        return;
    }
    detail::change_tier(p, tp.index_of(a.tier), why, p.ev().at);
}

}  // namespace loyalty
