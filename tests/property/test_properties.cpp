// Properties of the engine over random but valid journals (RapidCheck).
//
// Each case draws a programme variant (the reference 4S club with its reversal policy, expiry
// policy and pending days changed) and a journal for one to three members: enrol first, then
// repair orders, vehicle purchases, birthdays, surveys, referrals, adjustments both ways,
// reversals of earlier events, ticks, and a sprinkling of events the engine must refuse
// (duplicates, back-dated, wrong currency, second enrolment, unknown reversals). Each
// member's events are in non-decreasing time order (apart from the deliberately back-dated
// ones); the members' journals are merged by time.
//
// Journals are kept small (at most 25 events per member) so the file runs in a few seconds.
// RC_PARAMS="max_success=2000" runs more cases; RC_PARAMS="seed=..." reproduces a failure.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "test_support.hpp"

namespace property_properties {

namespace {

using namespace loyalty;
using std::chrono::seconds;

// rc::gen::inRange narrows its range at small sizes (at size 0 it always gives the minimum);
// prices, flags and gaps should be spread evenly whatever the size, so they use this.
template <class T>
T uniform(T min, T max) {
    return *rc::gen::resize(rc::kNominalSize, rc::gen::inRange<T>(min, max));
}

// ---------------------------------------------------------------------------------------------
// Programme variants

const program& reference() {
    static const program p = test::reference_program();
    return p;
}

struct variant {
    spent_points_policy when_spent = spent_points_policy::claw_back;
    expiry_policy expiry;
    int pending_days = 0;
};

std::string describe(const variant& v) {
    std::string s = v.when_spent == spent_points_policy::claw_back ? "claw_back" : "negative_balance";
    s += ", expiry " + std::string(to_string(v.expiry.kind));
    if (v.expiry.kind == expiry_kind::months_after_earning || v.expiry.kind == expiry_kind::inactivity)
        s += " " + std::to_string(v.expiry.months) + " months";
    if (v.expiry.kind == expiry_kind::end_of_calendar_year) s += " " + std::to_string(v.expiry.years) + " years";
    if (v.expiry.kind == expiry_kind::days_after_earning) s += " " + std::to_string(v.expiry.days) + " days";
    if (v.expiry.kind == expiry_kind::weeks_after_earning) s += " " + std::to_string(v.expiry.weeks) + " weeks";
    if (v.expiry.to_end_of_month) s += " to end of month";
    return s + ", pending_days " + std::to_string(v.pending_days);
}

program make_program(const variant& v) {
    program p = reference();
    p.when_spent = v.when_spent;
    p.expiry = v.expiry;
    p.pending_days = v.pending_days;
    // One member's history: a referral is the bonus event the store sends. The policy's
    // two-member flow has its own properties (test_referral_properties.cpp).
    p.referral.reset();
    return p;
}

variant gen_variant() {
    variant v;
    v.when_spent = *rc::gen::element(spent_points_policy::claw_back, spent_points_policy::negative_balance);
    switch (uniform<int>(0, 7)) {
        case 0:  // the reference: 24 months, to the end of the month
            v.expiry = reference().expiry;
            break;
        case 1:
            v.expiry.kind = expiry_kind::never;
            break;
        case 2:
            v.expiry.kind = expiry_kind::months_after_earning;
            v.expiry.months = *rc::gen::element(1, 3, 6, 12);
            v.expiry.to_end_of_month = *rc::gen::arbitrary<bool>();
            break;
        case 3:
            v.expiry.kind = expiry_kind::end_of_calendar_year;
            v.expiry.years = uniform<int>(0, 2);
            break;
        case 4:
            v.expiry.kind = expiry_kind::days_after_earning;
            v.expiry.days = *rc::gen::element(1, 7, 30, 90, 365);
            break;
        case 5:
            v.expiry.kind = expiry_kind::weeks_after_earning;
            v.expiry.weeks = *rc::gen::element(1, 4, 13, 52);
            break;
        default:
            v.expiry.kind = expiry_kind::inactivity;
            v.expiry.months = *rc::gen::element(1, 3, 6, 12);
            break;
    }
    v.pending_days = *rc::gen::element(0, 0, 1, 7, 30);
    return v;
}

// ---------------------------------------------------------------------------------------------
// Journals

const instant& programme_start() {
    static const instant t = test::at("2025-01-01T00:00:00+08:00");
    return t;
}

constexpr std::int64_t hour = 3600;
constexpr std::int64_t day_s = 24 * hour;

seconds gen_gap() {
    switch (*rc::gen::weightedElement<int>({{2, 0}, {3, 1}, {4, 2}, {3, 3}})) {
        case 0: return seconds(0);  // the same instant: allowed, not older
        case 1: return seconds(uniform<std::int64_t>(1, 12 * hour));
        case 2: return seconds(uniform<std::int64_t>(1, 60) * day_s + uniform<std::int64_t>(0, day_s));
        default: return seconds(uniform<std::int64_t>(60, 400) * day_s + uniform<std::int64_t>(0, day_s));
    }
}

repair_order_line gen_line(const currency& c) {
    repair_order_line l;
    l.kind = *rc::gen::element(line_kind::labour, line_kind::part);
    l.category = *rc::gen::weightedElement<std::string>(
        {{4, "maintenance"}, {3, "repair"}, {2, "accessory"}, {1, "tyres"}});
    l.operation = "OP-" + std::to_string(uniform<int>(1, 100));
    switch (uniform<int>(0, 3)) {
        case 0: l.quantity = decimal::integer(uniform<int>(1, 5)); break;
        case 1: l.quantity = decimal(uniform<int>(1, 40), 1); break;   // 0.1 .. 3.9 hours
        default: l.quantity = decimal(uniform<int>(1, 400), 2); break;  // 0.01 .. 3.99 litres
    }
    l.unit_price = money(uniform<std::int64_t>(0, 500000), c);  // 0.00 .. 4999.99
    for (line_flag f : {line_flag::accident, line_flag::warranty, line_flag::insurance_paid, line_flag::third_party})
        if (uniform<int>(0, 8) == 0) l.flags |= static_cast<unsigned>(f);
    return l;
}

events::repair_order gen_repair_order(const currency& c, int number) {
    events::repair_order ro;
    ro.number = "RO-" + std::to_string(number);
    ro.vin = "LFV3A23C0R30000" + std::to_string(10 + number % 90);
    ro.status = uniform<int>(0, 10) == 0 ? events::ro_status::estimate : events::ro_status::closed;
    const int lines = uniform<int>(1, 9);
    for (int i = 0; i < lines; ++i) ro.lines.push_back(gen_line(c));
    return ro;
}

// One member's events, in the order they reach the store. The generator follows the member's
// state as it goes (with the engine under test) only to size debits to the balance, so that
// lots are used up and reversals lead to claw-backs and debt; nothing is checked here.
std::vector<event> gen_member_journal(const program_versions& versions, const std::string& member, int max_events) {
    const currency cny = test::cny();
    std::vector<event> out;
    member_state state(member);
    auto follow = [&](const event& e) {
        outcome o = apply(versions, state, e);
        if (o.accepted()) state = std::move(o.state);
    };
    instant t = programme_start() + seconds(uniform<std::int64_t>(0, 150 * day_s));
    int counter = 0;
    auto make = [&](instant at, event_body body) {
        event e;
        e.id = member + "-e" + std::to_string(++counter);
        e.member = member;
        e.at = at;
        e.body = std::move(body);
        return e;
    };
    if (uniform<int>(0, 10) == 0) out.push_back(make(t, events::birthday{}));  // before enrolling: refused
    out.push_back(make(t, events::enrol{}));
    for (const event& e : out) follow(e);
    const int n = uniform<int>(0, max_events + 1);
    for (int i = 0; i < n; ++i) {
        t += gen_gap();
        enum kind { ro, purchase, birthday, survey, referral, credit, debit, reverse, tick, bad, spend_all };
        int k = *rc::gen::weightedElement<int>({{8, ro}, {1, purchase}, {2, birthday}, {2, survey}, {1, referral},
                                                {1, credit}, {4, debit}, {5, reverse}, {2, tick}, {2, bad},
                                                {1, spend_all}});
        if (k == spend_all) {  // spend the whole balance, then reverse something (below): claw-back or debt
            if (state.balance() > points(0)) {
                out.push_back(make(t, events::adjustment{-state.balance(), "spend all", "op-3"}));
                follow(out.back());
            }
            k = reverse;
        }
        switch (k) {
            case ro: out.push_back(make(t, gen_repair_order(cny, counter))); break;
            case purchase:
                out.push_back(make(t, events::vehicle_purchase{"LFV3A23C0R3999" + std::to_string(100 + counter),
                                                               money(uniform<std::int64_t>(8000000, 40000000), cny)}));
                break;
            case birthday: out.push_back(make(t, events::birthday{})); break;
            case survey: out.push_back(make(t, events::survey{"S-" + std::to_string(counter), ""})); break;
            case referral: out.push_back(make(t, events::referral{"R-" + std::to_string(counter)})); break;
            case credit:
                out.push_back(make(t, events::adjustment{points(uniform<std::int64_t>(1, 2000)), "goodwill", "op-1"}));
                break;
            case debit: {  // mostly half to all of the balance; else any amount, maybe too much (refused)
                const std::int64_t balance = state.balance().count();
                const std::int64_t n = balance > 1 && uniform<int>(0, 10) < 7
                                           ? uniform<std::int64_t>(balance / 2, balance + 1)
                                           : uniform<std::int64_t>(1, 1500);
                out.push_back(make(t, events::adjustment{points(-std::max<std::int64_t>(n, 1)), "correction", "op-2"}));
                break;
            }
            case reverse: {
                // Mostly an earlier event that earned or spent points (that is where debt and
                // claw-backs come from); else any earlier event, reversible or not, maybe
                // already reversed, maybe refused; rarely an id the member never had.
                std::vector<std::size_t> movers;
                for (std::size_t j = 0; j < out.size(); ++j) {
                    const event_type et = out[j].type();
                    if (et != event_type::enrol && et != event_type::tick && et != event_type::reverse) movers.push_back(j);
                }
                const int how = uniform<int>(0, 10);
                std::string target = member + "-no-such-event";
                if (how < 7 && !movers.empty()) target = out[movers[uniform<std::size_t>(0, movers.size())]].id;
                else if (how < 9) target = out[uniform<std::size_t>(0, out.size())].id;
                out.push_back(make(t, events::reverse{target, "customer complaint"}));
                break;
            }
            case tick: out.push_back(make(t, events::tick{})); break;
            default: {  // events the engine must refuse (unless an earlier refusal makes them fine)
                switch (uniform<int>(0, 4)) {
                    case 0: {  // a duplicate: an earlier event sent again
                        event dup = out[uniform<std::size_t>(0, out.size())];
                        dup.at = t;
                        out.push_back(dup);
                        break;
                    }
                    case 1:  // back-dated: older than the member's last event
                        out.push_back(make(t - seconds(uniform<std::int64_t>(1, 90 * day_s)), events::tick{}));
                        break;
                    case 2:  // money in the wrong currency (the whole RO, as its JSON can say)
                        out.push_back(make(t, gen_repair_order(*currency::from_code("USD"), counter)));
                        break;
                    default: out.push_back(make(t, events::enrol{})); break;  // enrolled already
                }
                break;
            }
        }
        follow(out.back());
    }
    return out;
}

// Merges member journals by time, keeping each member's own order.
std::vector<event> merge_by_time(const std::vector<std::vector<event>>& lists) {
    std::vector<std::size_t> next(lists.size(), 0);
    std::vector<event> out;
    for (;;) {
        std::size_t best = lists.size();
        for (std::size_t i = 0; i < lists.size(); ++i)
            if (next[i] < lists[i].size() && (best == lists.size() || lists[i][next[i]].at < lists[best][next[best]].at))
                best = i;
        if (best == lists.size()) return out;
        out.push_back(lists[best][next[best]++]);
    }
}

struct scenario {
    variant v;
    program_versions versions;
    std::vector<std::vector<event>> members;  // each member's own journal
    std::vector<event> journal;               // all of them, merged by time
};

scenario gen_scenario(int max_members = 3, int max_events = 25) {
    scenario sc;
    sc.v = gen_variant();
    sc.versions = program_versions(make_program(sc.v));
    const int members = *rc::gen::inRange(1, max_members + 1);
    for (int m = 0; m < members; ++m) sc.members.push_back(gen_member_journal(sc.versions, "M" + std::to_string(m + 1), max_events));
    sc.journal = merge_by_time(sc.members);
    return sc;
}

std::string dump(const scenario& sc) {
    std::string s = "programme: " + describe(sc.v) + "\njournal:\n";
    for (const event& e : sc.journal) s += "  " + io::event_to_json(e).dump() + "\n";
    return s;
}

// Fails the case with a message and the whole scenario; the message is built only on failure.
#define PROP_CHECK(cond, sc, what)                                                   \
    do {                                                                             \
        if (!(cond)) RC_FAIL(std::string(what) + " [" #cond "]\n" + dump(sc));       \
    } while (false)

// Applies the journal with apply() one event at a time, keeping states as the journal runner
// does, and calls check(before, event, outcome) for every event it judges. An id refused once is
// answered with that refusal again, unjudged, as the runner does; check() does not see it.
template <class Check>
std::map<std::string, member_state> fold(const scenario& sc, Check&& check) {
    std::map<std::string, member_state> states;
    std::set<std::string> refused;
    for (const event& e : sc.journal) {
        if (refused.count(e.id)) continue;
        const auto it = states.find(e.member);
        const member_state before = it == states.end() ? member_state(e.member) : it->second;
        const outcome o = apply(sc.versions, before, e);
        check(before, e, o);
        if (o.accepted()) states[e.member] = o.state;
        else if (o.refused != refusal::duplicate_event) refused.insert(e.id);
    }
    return states;
}

// Names the fields in which two member states differ, for failure messages.
std::string state_diff(const member_state& a, const member_state& b) {
    std::string d;
    if (a.member != b.member) d += " member";
    if (a.enrolled != b.enrolled) d += " enrolled";
    if (a.member_since != b.member_since) d += " member_since";
    if (a.last_event_at != b.last_event_at)
        d += " last_event_at (" + format_instant(a.last_event_at) + " vs " + format_instant(b.last_event_at) + ")";
    if (a.last_activity_at != b.last_activity_at) d += " last_activity_at";
    if (a.vehicles != b.vehicles) d += " vehicles";
    if (!(a.all_lots() == b.all_lots())) d += " lots";
    if (a.debt != b.debt) d += " debt";
    if (!(a.cap_usage == b.cap_usage)) d += " cap_usage";
    if (!(a.effects == b.effects)) {
        d += " effects";
        for (const auto& [id, y] : b.effects)
            if (!a.effects.contains(id)) d += " (only the second has " + id + ")";
        for (const auto& [id, record] : a.effects) {
            if (!b.effects.contains(id)) {
                d += " (" + id + " missing)";
                continue;
            }
            const event_effect x = a.effects.at(id);
            const event_effect y = b.effects.at(id);
            if (!(x == y))
                d += " (" + id + ": type " + std::string(to_string(x.type)) + "/" + std::string(to_string(y.type)) +
                     " at " + format_instant(x.at) + "/" + format_instant(y.at) + " reversed " +
                     std::to_string(x.reversed) + "/" + std::to_string(y.reversed) + " earned " +
                     std::to_string(x.earned.size()) + "/" + std::to_string(y.earned.size()) + " consumed " +
                     std::to_string(x.consumed.size()) + "/" + std::to_string(y.consumed.size()) + ")";
        }
    }
    if (a.last_seq != b.last_seq) d += " last_seq";
    if (a.last_hash != b.last_hash) d += " last_hash";
    return d.empty() ? " (none)" : d;
}

std::string states_diff(const std::map<std::string, member_state>& a, const std::map<std::string, member_state>& b) {
    if (a.size() != b.size()) return " different members";
    std::string d;
    for (const auto& [id, s] : a) {
        const auto it = b.find(id);
        if (it == b.end()) return " member " + id + " missing";
        if (!(s == it->second)) d += " " + id + ":" + state_diff(s, it->second);
    }
    return d;
}

std::int64_t sum_of(const std::vector<ledger_entry>& entries) {
    std::int64_t sum = 0;
    for (const ledger_entry& e : entries) sum += e.amount.count();
    return sum;
}

// ---------------------------------------------------------------------------------------------
// (a) The balance is the sum of the member's entries and the last entry's balance field.

RC_GTEST_PROP(LedgerProperties, BalanceIsTheSumOfEntries, ()) {
    const scenario sc = gen_scenario();
    // Every step: the entries continue the sequence and the running balance.
    fold(sc, [&](const member_state& before, const event& e, const outcome& o) {
        if (!o.accepted()) return;
        std::int64_t running = before.balance().count();
        std::int64_t seq = before.last_seq;
        for (const ledger_entry& x : o.entries) {
            running += x.amount.count();
            PROP_CHECK(x.balance.count() == running, sc, "entry balance is not the running sum, event " + e.id);
            PROP_CHECK(x.seq == ++seq, sc, "sequence gap at event " + e.id);
            PROP_CHECK(x.member == e.member && x.event == e.id, sc, "entry names another member or event: " + e.id);
        }
        PROP_CHECK(o.state.balance().count() == running, sc, "balance() differs from the entries after " + e.id);
    });
    // The whole ledger.
    const journal_runner run = replay(sc.versions, sc.journal);
    for (const auto& [member, state] : run.members()) {
        const std::vector<ledger_entry> entries = run.entries_of(member);
        PROP_CHECK(!entries.empty(), sc, "an enrolled member has no entries: " + member);
        PROP_CHECK(sum_of(entries) == state.balance().count(), sc, "balance() != sum of entries for " + member);
        PROP_CHECK(entries.back().balance == state.balance(), sc, "last entry's balance != balance() for " + member);
        PROP_CHECK(entries.back().seq == state.last_seq && entries.back().hash == state.last_hash, sc,
                   "state does not end where the ledger ends for " + member);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Lots. Points leave a lot by a debit, a reversal, a claw-back, paying debt or expiry, and
// come back only by restoring what a reversed debit took from that very lot. So for every lot,
// after every event:
//   earned > 0, remaining >= 0, expired >= 0 and remaining + expired <= earned
// (restored points were taken out first; restored points that are past their expiry expire
// again, which is why expired alone can reach earned). A lot whose expiry day has begun by the
// member's last event holds nothing. Over the ledger, the lots' expired points are exactly what
// the expire entries took, and the lots' earned points exactly what earn entries and positive
// adjustments created.

RC_GTEST_PROP(LedgerProperties, LotsNeverGoNegativeAndNeverHoldMoreThanEarned, ()) {
    const scenario sc = gen_scenario();
    const program& prog = sc.versions.latest();
    const auto final_states = fold(sc, [&](const member_state&, const event& e, const outcome& o) {
        if (!o.accepted()) return;
        std::set<std::string> ids;
        for (const lot& l : o.state.all_lots()) {  // spent ones too
            PROP_CHECK(ids.insert(l.id).second, sc, "two lots with id " + l.id);
            PROP_CHECK(l.earned > points(0), sc, "lot " + l.id + " earned nothing");
            PROP_CHECK(l.remaining >= points(0), sc, "lot " + l.id + " went negative after " + e.id);
            PROP_CHECK(l.expired >= points(0), sc, "lot " + l.id + " expired a negative amount after " + e.id);
            PROP_CHECK(l.remaining + l.expired <= l.earned, sc, "lot " + l.id + " holds more than it earned after " + e.id);
            if (l.expires_on)
                PROP_CHECK(prog.zone.start_of(*l.expires_on) > o.state.last_event_at || l.remaining == points(0), sc,
                           "lot " + l.id + " still holds points after its expiry day, event " + e.id);
        }
    });
    const journal_runner run = replay(sc.versions, sc.journal);
    for (const auto& [member, state] : run.members()) {
        PROP_CHECK(final_states.at(member) == state, sc, "apply() fold and journal runner disagree for " + member);
        std::int64_t expired_by_entries = 0, created_by_entries = 0, expired_in_lots = 0, earned_in_lots = 0;
        for (const ledger_entry& x : run.entries_of(member)) {
            if (x.kind == entry_kind::expire) expired_by_entries -= x.amount.count();
            if (x.kind == entry_kind::earn || (x.kind == entry_kind::adjust && x.amount > points(0)))
                created_by_entries += x.amount.count();
        }
        for (const lot& l : state.all_lots()) {
            expired_in_lots += l.expired.count();
            earned_in_lots += l.earned.count();
        }
        PROP_CHECK(expired_in_lots == expired_by_entries, sc, "lots' expired != expire entries for " + member);
        PROP_CHECK(earned_in_lots == created_by_entries, sc, "lots' earned != crediting entries for " + member);
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Replaying the same journal twice gives byte-identical entries and equal member states;
// so does replaying the journal after a round trip through its JSON form.

void expect_same_ledger(const scenario& sc, const journal_runner& a, const journal_runner& b, const char* what) {
    PROP_CHECK(a.entries().size() == b.entries().size(), sc, std::string(what) + ": number of entries differs");
    for (std::size_t i = 0; i < a.entries().size(); ++i) {
        const ledger_entry& x = a.entries()[i];
        const ledger_entry& y = b.entries()[i];
        PROP_CHECK(canonical_form(x) == canonical_form(y) && x.hash == y.hash && x == y, sc,
                   std::string(what) + ": entry " + std::to_string(i) + " differs: " + canonical_form(x) + " vs " +
                       canonical_form(y));
    }
    PROP_CHECK(a.members() == b.members(), sc, std::string(what) + ": member states differ in" + states_diff(a.members(), b.members()));
    PROP_CHECK(a.refusals().size() == b.refusals().size(), sc, std::string(what) + ": refusals differ");
}

RC_GTEST_PROP(LedgerProperties, ReplayIsDeterministic, ()) {
    const scenario sc = gen_scenario();
    const journal_runner first = replay(sc.versions, sc.journal);
    const journal_runner second = replay(program_versions(make_program(sc.v)), sc.journal);
    expect_same_ledger(sc, first, second, "second replay");

    std::vector<event> reloaded;
    for (const event& e : sc.journal) reloaded.push_back(io::load_event(io::event_to_json(e).dump(), test::cny()));
    expect_same_ledger(sc, first, replay(sc.versions, reloaded), "replay of the JSON round trip");
}

// Whether the trace is written changes nothing else: a replay without it (`loyalty run`, the
// store, Engine.run) writes the ledger, the states and the refusals of one with it, and its
// outcomes carry no trace.
RC_GTEST_PROP(LedgerProperties, ExplanationChangesOnlyTheTrace, ()) {
    const scenario sc = gen_scenario();
    journal_runner said(sc.versions), quiet(sc.versions);
    quiet.set_explanation(explanation::none);
    std::size_t lines = 0;
    for (const event& e : sc.journal) {
        lines += said.apply(e).trace.size();
        PROP_CHECK(quiet.apply(e).trace.empty(), sc, "event " + e.id + ": a trace without explanation");
    }
    RC_TAG(lines > 0 ? "traced" : "nothing traced");
    expect_same_ledger(sc, said, quiet, "replay without explanation");
}

// journal_runner::prefetch() only reads: a replay that reads each event's member one event
// ahead (as `loyalty run` does), also ahead of events it will refuse, gives the same ledger,
// refusals and states as one that never does.
RC_GTEST_PROP(LedgerProperties, PrefetchChangesNothing, ()) {
    const scenario sc = gen_scenario();
    const journal_runner plain = replay(sc.versions, sc.journal);
    journal_runner ahead(sc.versions);
    for (std::size_t i = 0; i < sc.journal.size(); ++i) {
        if (i + 1 < sc.journal.size()) ahead.prefetch(sc.journal[i + 1]);
        ahead.prefetch(sc.journal[i]);  // the event about to be applied, too: read twice
        ahead.apply(sc.journal[i]);
    }
    expect_same_ledger(sc, plain, ahead, "replay reading ahead");  // entries, states, refusals
}

// ---------------------------------------------------------------------------------------------
// (d) Members are independent: any interleaving of their journals that keeps each member's own
// order gives every member the same entries and state, and so does each member's journal alone.

RC_GTEST_PROP(LedgerProperties, InterleavingOfMembersDoesNotMatter, ()) {
    const scenario sc = gen_scenario();
    std::vector<event> shuffled;
    std::vector<std::size_t> next(sc.members.size(), 0);
    const auto picks = *rc::gen::container<std::vector<std::size_t>>(sc.journal.size(), rc::gen::inRange<std::size_t>(0, 1000));
    for (std::size_t pick : picks) {
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < sc.members.size(); ++i)
            if (next[i] < sc.members[i].size()) open.push_back(i);
        const std::size_t m = open[pick % open.size()];
        shuffled.push_back(sc.members[m][next[m]++]);
    }
    const journal_runner merged = replay(sc.versions, sc.journal);
    const journal_runner other = replay(sc.versions, shuffled);
    PROP_CHECK(merged.members() == other.members(), sc,
               "member states depend on the interleaving:" + states_diff(merged.members(), other.members()));
    for (std::size_t m = 0; m < sc.members.size(); ++m) {
        const std::string& member = sc.members[m].front().member;
        const auto expected = merged.entries_of(member);
        PROP_CHECK(expected == other.entries_of(member), sc, "entries of " + member + " depend on the interleaving");
        const journal_runner alone = replay(sc.versions, sc.members[m]);
        PROP_CHECK(expected == alone.entries_of(member), sc, "entries of " + member + " depend on the other members");
    }
}

// ---------------------------------------------------------------------------------------------
// (e) Every member's hash chain verifies and verify() finds the ledger equal to a replay. A
// changed entry breaks the chain; a forged ledger that is re-chained still differs from replay.

RC_GTEST_PROP(LedgerProperties, VerifyAcceptsTheLedgerAndCatchesForgery, ()) {
    const scenario sc = gen_scenario();
    const journal_runner run = replay(sc.versions, sc.journal);
    for (const auto& [member, state] : run.members()) {
        const auto broken = verify_chain(run.entries_of(member));
        PROP_CHECK(!broken, sc, "chain of " + member + " breaks at " + std::to_string(broken->seq) + ": " + broken->problem);
    }
    const verification_report report = verify(sc.versions, sc.journal, run.entries());
    PROP_CHECK(report.ok(), sc, "verify() reports problems, first: " + report.problems.front().problem);
    PROP_CHECK(report.entries == run.entries().size() && report.members == run.members().size(), sc,
               "verify() counted the wrong number of entries or members");

    // Tampering: change one entry's reason. It is rendered from the entry, not hashed (ledger
    // format 5): the chain holds, and the replay, which renders it again, finds it.
    const std::size_t i = uniform<std::size_t>(0, run.entries().size());
    std::vector<ledger_entry> reworded = run.entries();
    reworded[i].reason += " (edited)";
    PROP_CHECK(!verify_chain(by_member(reworded).at(reworded[i].member)), sc, "the reason is hashed");
    PROP_CHECK(!verify(sc.versions, sc.journal, reworded).ok(), sc, "verify() missed an edited reason");

    // Tampering: change one entry's reason arguments, which its group's hash covers.
    std::vector<ledger_entry> forged = run.entries();
    forged[i].args.set_note(std::string(forged[i].args.note()) + " (edited)");
    const std::string member = forged[i].member;
    PROP_CHECK(verify_chain(by_member(forged).at(member)).has_value(), sc, "an edited entry went unnoticed by the chain");
    PROP_CHECK(!verify(sc.versions, sc.journal, forged).ok(), sc, "verify() missed an edited entry");

    // A forger who recomputes every hash after the edit keeps the chain intact, but not the replay.
    test::rechain(forged, member);
    PROP_CHECK(!verify_chain(by_member(forged).at(member)), sc, "re-chaining did not restore the chain");
    PROP_CHECK(!verify(sc.versions, sc.journal, forged).ok(), sc, "verify() missed a re-chained forgery");

    // The forged ledger and the replay as two streams in a random interleaving (each in its own
    // order), as `loyalty audit verify` reads a ledger file beside the replay: the same report.
    const verification_report whole = verify_entries(forged, run.entries());
    ledger_verifier streams;
    for (std::size_t i = 0, j = 0; i < forged.size() || j < run.entries().size();) {
        if (j == run.entries().size() || (i < forged.size() && uniform<int>(0, 2) == 0))
            streams.stored(forged[i++]);
        else
            streams.replayed(run.entries()[j++]);
    }
    const verification_report streamed = streams.finish();
    bool same = streamed.members == whole.members && streamed.entries == whole.entries &&
                streamed.problems.size() == whole.problems.size();
    for (std::size_t k = 0; same && k < whole.problems.size(); ++k) {
        const verification_problem& a = streamed.problems[k];
        const verification_problem& b = whole.problems[k];
        same = a.member == b.member && a.seq == b.seq && a.problem == b.problem && a.stored == b.stored &&
               a.replayed == b.replayed && a.differences == b.differences;
    }
    PROP_CHECK(same, sc, "the streams in another order gave another report");
}

// ---------------------------------------------------------------------------------------------
// (f) A refused event leaves the state unchanged and produces no entries, whether refused in the
// journal or sent afterwards on purpose; apply_in_place() leaves the caller's state untouched.

void expect_refused(const scenario& sc, const program_versions& pv, const member_state& s, const event& e, refusal code) {
    const outcome o = apply(pv, s, e);
    PROP_CHECK(o.refused == code, sc,
               "event " + io::event_to_json(e).dump() + " gave " + std::string(to_string(o.refused)) + ", expected " +
                   std::string(to_string(code)));
    PROP_CHECK(o.state == s, sc, "a refused " + std::string(to_string(code)) + " changed the state");
    PROP_CHECK(o.entries.empty(), sc, "a refused " + std::string(to_string(code)) + " produced entries");
}

RC_GTEST_PROP(LedgerProperties, RefusedEventsChangeNothing, ()) {
    const scenario sc = gen_scenario();
    std::size_t refused = 0;
    const auto states = fold(sc, [&](const member_state& before, const event& e, const outcome& o) {
        // apply_in_place() agrees with apply(): the next state when accepted, untouched when refused.
        member_state in_place = before;
        const outcome p = apply_in_place(sc.versions, in_place, e);
        PROP_CHECK(p.refused == o.refused && p.entries == o.entries, sc, "apply_in_place() and apply() disagree on " + e.id);
        PROP_CHECK(in_place == (o.accepted() ? o.state : before), sc,
                   "apply_in_place() left another state than apply() for " + e.id + ":" +
                       state_diff(in_place, o.accepted() ? o.state : before));
        if (o.accepted()) return;
        ++refused;
        PROP_CHECK(o.state == before, sc, "refused event " + e.id + " changed the state");
        PROP_CHECK(o.entries.empty(), sc, "refused event " + e.id + " produced entries");
        PROP_CHECK(!o.message.empty(), sc, "refused event " + e.id + " gives no reason");
    });
    RC_CLASSIFY(refused > 0, "journal had refusals");

    // And on purpose, against each member's final state.
    const currency cny = test::cny();
    for (const auto& [member_id, s] : states) {
        const std::string& member = member_id;  // a binding no lambda may capture before C++20 (nor Clang 14)
        const instant t = s.last_event_at + seconds(uniform<std::int64_t>(0, 400 * day_s));
        auto make = [&](const std::string& id, instant at, event_body body) {
            event e;
            e.id = id;
            e.member = member;
            e.at = at;
            e.body = std::move(body);
            return e;
        };
        const std::string seen = std::next(s.effects.begin(), uniform<std::size_t>(0, s.effects.size()))->first;
        expect_refused(sc, sc.versions, s, make(seen, t, events::tick{}), refusal::duplicate_event);
        expect_refused(sc, sc.versions, s, make("x-enrol", t, events::enrol{}), refusal::already_enrolled);
        expect_refused(sc, sc.versions, s, make("x-rev", t, events::reverse{"no-such", ""}), refusal::unknown_event);
        const points over = max(s.balance(), points(0)) + points(uniform<std::int64_t>(1, 1000));
        expect_refused(sc, sc.versions, s, make("x-debit", t, events::adjustment{-over, "too much", "op"}),
                       refusal::insufficient_points);
        events::repair_order usd = gen_repair_order(cny, 1);
        usd.lines.front().unit_price = money(100, *currency::from_code("USD"));
        expect_refused(sc, sc.versions, s, make("x-usd", t, usd), refusal::currency_mismatch);
        if (s.last_event_at > programme_start())
            expect_refused(sc, sc.versions, s, make("x-old", s.last_event_at - seconds(1), events::tick{}),
                           refusal::out_of_order);
        for (const auto& [id, record] : s.effects) {
            const effect_summary& effect = record.summary;
            if (effect.type == event_type::enrol || effect.type == event_type::tick || effect.type == event_type::reverse)
                expect_refused(sc, sc.versions, s, make("x-rev-" + id, t, events::reverse{id, ""}), refusal::not_reversible);
            else if (effect.reversed)
                expect_refused(sc, sc.versions, s, make("x-rev-" + id, t, events::reverse{id, ""}), refusal::already_reversed);
        }
        // Before the programme took effect.
        expect_refused(sc, sc.versions, s, make("x-early", programme_start() - seconds(1), events::tick{}), refusal::no_program);
        // Someone else's event is a programming error, not a refusal.
        event other = make("x-other", t, events::tick{});
        other.member = member + "-other";
        RC_ASSERT_THROWS_AS(apply(sc.versions, s, other), loyalty::error);
    }
    // A member who never enrolled.
    expect_refused(sc, sc.versions, member_state("nobody"),
                   event{"x-ghost", "nobody", programme_start() + seconds(1), events::birthday{}}, refusal::unknown_member);
}

// ---------------------------------------------------------------------------------------------
// (g) Debt is never negative. Under claw_back a reversal takes spent points from every other lot
// before any debt arises, and later credits pay debt first, so debt > 0 means every lot is empty.
// Under negative_balance other lots are left alone, so only this holds: a lot created while the
// member is in debt pays it first (after the event, debt is 0 or the new lot is empty). Under
// either policy a negative balance implies debt.

RC_GTEST_PROP(LedgerProperties, DebtIsNeverNegativeAndIsPaidFirst, ()) {
    const scenario sc = gen_scenario();
    bool had_debt = false, had_claw_back = false, had_settle = false, had_restore = false, had_expiry = false;
    fold(sc, [&](const member_state&, const event& e, const outcome& o) {
        if (!o.accepted()) return;
        const member_state& s = o.state;
        PROP_CHECK(s.debt >= points(0), sc, "negative debt after " + e.id);
        PROP_CHECK(s.balance() >= points(0) || s.debt > points(0), sc, "negative balance without debt after " + e.id);
        had_debt = had_debt || s.debt > points(0);
        for (const ledger_entry& x : o.entries) {
            had_claw_back = had_claw_back || x.kind == entry_kind::claw_back;
            had_settle = had_settle || x.kind == entry_kind::settle_debt;
            had_restore = had_restore || (x.kind == entry_kind::reverse && x.amount > points(0));
            had_expiry = had_expiry || x.kind == entry_kind::expire;
        }
        if (sc.v.when_spent == spent_points_policy::claw_back && s.debt > points(0))
            for (const lot_record& l : s.lots)
                PROP_CHECK(l.remaining == points(0), sc, "in debt but lot " + s.lot_id(l) + " holds points after " + e.id);
        for (const auto& earned : s.effects.at(e.id).earned) {
            const std::string lot_id = earned.first.str();
            const std::vector<lot> all = s.all_lots();
            const auto l = std::find_if(all.begin(), all.end(), [&](const lot& x) { return x.id == lot_id; });
            PROP_CHECK(l != all.end(), sc, "lot " + lot_id + " of event " + e.id + " is missing");
            PROP_CHECK(s.debt == points(0) || l->remaining == points(0), sc,
                       "new lot " + lot_id + " did not pay the debt first");
        }
    });
    RC_TAG(had_debt ? "debt" : "no debt");
    RC_CLASSIFY(had_claw_back, "claw_back");
    RC_CLASSIFY(had_settle, "settle_debt");
    RC_CLASSIFY(had_restore, "restore");
    RC_CLASSIFY(had_expiry, "expiry");
}

// ---------------------------------------------------------------------------------------------
// (h) A member's ledger reads forward in time: entries are dated in non-decreasing order, and no
// lot expires before the day it was earned. (Programmes here refuse back-dated events.)
// This found that under the inactivity policy points credited after the deadline expired dated
// at the old deadline; they now expire when credited (expiries_due).

void expect_entries_in_time_order(const scenario& sc) {
    const program& prog = sc.versions.latest();
    const journal_runner run = replay(sc.versions, sc.journal);
    for (const auto& [member, state] : run.members()) {
        std::map<std::string, day> earned_on;
        for (const lot& l : state.all_lots()) earned_on[l.id] = l.earned_on;
        const auto entries = run.entries_of(member);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const ledger_entry& x = entries[i];
            if (i > 0)
                PROP_CHECK(entries[i - 1].at <= x.at, sc,
                           member + " entry " + std::to_string(x.seq) + " (" + std::string(to_string(x.kind)) +
                               ", event " + x.event + ") is dated " + format_instant(x.at) + ", before entry " +
                               std::to_string(entries[i - 1].seq) + " at " + format_instant(entries[i - 1].at));
            if (x.kind == entry_kind::expire)
                PROP_CHECK(earned_on.at(x.lot) <= prog.zone.local_day(x.at), sc,
                           "lot " + x.lot + " expires at " + format_instant(x.at) + ", before it was earned");
        }
    }
}

RC_GTEST_PROP(LedgerProperties, EntriesAreInTimeOrder, ()) {
    scenario sc = gen_scenario();
    expect_entries_in_time_order(sc);
}

}  // namespace

}  // namespace property_properties
