#pragma once
// Posting: the one place that changes a member's lots and writes ledger entries, so that
// "balance = sum of entries" and "lots never go negative" hold by construction.
#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "loyalty/event/event.hpp"
#include "loyalty/ledger/describe.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/hash_chain.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

class posting {
public:
    posting(const program& p, member_state& s, const event& e, outcome& out, explanation x = explanation::full)
        : program_(p), state_(s), event_(e), out_(out), balance_(s.balance()), explaining_(x == explanation::full),
          first_(out.entries.size()), exceptions_(std::uncaught_exceptions()) {}
    posting(const posting&) = delete;
    posting& operator=(const posting&) = delete;
    // Seals the entries posted as one group (ledger format 5): an event's entries for a member
    // are hashed once, together, when its posting ends, unless seal() was called (a function
    // that reads or moves the entries before its posting ends calls it first). Not when an
    // exception leaves: the outcome is then thrown away.
    ~posting() {
        if (std::uncaught_exceptions() == exceptions_) seal();
    }

    // The entries this posting wrote, one group: they follow first_ in the outcome, among those
    // of another member when two postings write at once (a transfer's sender and receiver).
    void seal() {
        if (posted_ == 0) return;
        if (out_.entries.size() < first_ + posted_)  // a programming error: caught by every test, never by data
            throw std::logic_error("posting: its outcome's entries were moved or cleared before they were sealed");
        state_.last_hash = seal_group(out_.entries, first_, state_.last_hash, state_.member);
        posted_ = 0;
    }

    const program& prog() const noexcept { return program_; }
    member_state& state() noexcept { return state_; }
    const event& ev() const noexcept { return event_; }

    // The entries of the outcome so far (this posting's and any before it), and a view of one of
    // them (valid until the next entry is posted).
    std::size_t entry_count() const noexcept { return out_.entries.size(); }
    entry_view entry(std::size_t i) const {
        out_.entries.record(i);  // checks i
        return out_.entries.view(i);
    }

    // Whether this event's trace is written: a caller that builds a text only for explain()
    // asks first.
    bool explaining() const noexcept { return explaining_; }
    void explain(const std::string& rule, std::string text) {
        if (!explaining_) return;
        if (out_.trace.capacity() == 0) out_.trace.reserve(8);  // one allocation for a typical event
        out_.trace.push_back(trace_line{rule, program_.version, std::move(text)});
    }

    // A zero-point entry that records a change without points (enrolment, a benefit used).
    // `at`, when given, dates it when the change fell due (a tier review), not at the event.
    // `figures`: a carry entry's, when an earning rule wrote it.
    void note(entry_kind kind, reason_args args, const std::string& rule = {},
              const std::string& reverses = {}, std::optional<instant> at = std::nullopt,
              const earn_figures* figures = nullptr) {
        entry_record e = draft(kind, points(0), at.value_or(event_.at));
        e.args = std::move(args);
        e.rule = text(rule);
        e.reverses = text(reverses);
        if (figures) e.figures = *figures;
        if (kind == entry_kind::carry) e.funder = text(program_.funder_of_rule(rule));
        post(std::move(e));
    }

    // A benefit_use or benefit_return entry: the use's quota units and the money it gave (given
    // back, for a return) as fields, `uses` and `money` (docs/ledger.md, ledger format 4).
    void note_benefit(entry_kind kind, const benefit_use& u, reason_args args,
                      const std::string& reverses = {}) {
        entry_record e = draft(kind, points(0), event_.at);
        e.args = std::move(args);
        e.rule = text(u.benefit);
        e.reverses = text(reverses);
        e.uses = u.uses;
        if (u.discount != 0) e.money = money_text(money(u.discount, program_.currency_unit));
        e.funder = text(program_.funder_of_benefit(u.benefit));
        post(std::move(e));
    }

    // A zero-point entry that records money (a voucher issued, used, returned or lapsed).
    void note_money(entry_kind kind, const money& m, reason_args args, const std::string& rule,
                    const std::string& lot, const std::string& expires = {}, const std::string& reverses = {},
                    std::optional<instant> at = std::nullopt) {
        entry_record e = draft(kind, points(0), at.value_or(event_.at));
        e.args = std::move(args);
        e.rule = text(rule);
        e.lot = text(lot);
        e.expires = text(expires);
        e.reverses = text(reverses);
        e.money = money_text(m);
        // Vouchers are the reward's funder's; a rebate paid as money names no reward (default funder).
        e.funder = text(kind == entry_kind::rebate ? program_.funder_of(nullptr) : program_.funder_of_reward(rule));
        post(std::move(e));
    }

    // Points into a new lot. Any debt is paid from the new lot at once. `figures`: how an earning
    // rule reached n, for its earn entry.
    lot_record& credit(entry_kind kind, const std::string& rule, points n, reason_args args,
                       const earn_figures* figures = nullptr) {
        const day today = program_.zone.local_day(event_.at);
        const std::optional<day> expires_on = program_.expiry.lot_expiry(today);
        const instant available_at = program_.pending_days > 0
                                         ? program_.zone.start_of(today + date::days(program_.pending_days))
                                         : event_.at;
        lot_record& l = new_lot(rule, rule, program_.funder_of_rule(rule), n, today, available_at, expires_on);
        entry_record e = draft(kind, n, event_.at);
        e.lot = lot_text(l);
        e.rule = text(rule);
        e.expires = day_text(expires_on);
        e.args = std::move(args);
        e.funder = text(state_.funder_of(l));
        if (figures) e.figures = *figures;
        post(std::move(e));
        settle_debt(l);
        return l;
    }

    // Takes n points from lots, soonest-expiring first (then oldest, then first created).
    // Returns what it took from each lot; takes less than n only when the lots hold less.
    // With `available_only`, pending lots are left alone (redemptions and transfers spend only
    // available points). A redemption's money part, if any, goes on the first entry.
    lot_amounts debit(entry_kind kind, points n, const std::string& rule, const reason_args& args,
                      const std::string& reverses = {}, bool available_only = false,
                      const std::string& money_text = {}) {
        // In place for a member's usual few dozen lots; one block, not one per doubling, past them.
        boost::container::small_vector<lot_record*, 32> order;
        order.reserve(state_.lots.size());
        for (lot_record& l : state_.lots)
            if (l.remaining > points(0) && (!available_only || l.available_at <= event_.at)) order.push_back(&l);
        // Lots alike in both keep the order they were made in, their order in `lots`: what
        // std::stable_sort gave, without its buffer.
        std::sort(order.begin(), order.end(), [](const lot_record* a, const lot_record* b) {
            if (a->expires_on != b->expires_on) {
                if (!a->expires_on) return false;
                if (!b->expires_on) return true;
                return *a->expires_on < *b->expires_on;
            }
            if (a->earned_on != b->earned_on) return a->earned_on < b->earned_on;
            return std::less<const lot_record*>()(a, b);
        });
        // The lots it will touch, counted first: their entries and amounts go in without the
        // vectors growing (and moving every entry so far) on the way.
        std::size_t touched = 0;
        for (points left = n; touched < order.size() && left > points(0); ++touched)
            left -= min(left, order[touched]->remaining);
        lot_amounts taken;
        taken.reserve(touched);
        if (const std::size_t need = out_.entries.size() + touched; need > out_.entries.capacity())
            out_.entries.reserve(std::max(need, 2 * out_.entries.capacity()));
        // Every entry of a debit has the same sentence: its kinds' sentences (adjusted, redeems,
        // claws_back, sends) name the debit's figures, not the lot's. Rendered for the first
        // entry, which the others share. So do their rule, reverses and money texts.
        const text_span rule_span = text(rule), reverses_span = text(reverses), money_span = text(money_text);
        for (std::size_t i = 0; i < touched; ++i) {
            lot_record* l = order[i];
            const points take = min(n, l->remaining);
            take_from(*l, take, kind, rule_span, args, reverses_span, i == 0 ? money_span : text_span{});
            if (i == 0 && explaining_) reason_ = out_.entries.record(out_.entries.size() - 1).reason, sharing_ = true;
            taken.emplace_back(state_.lot_id_text_of(*l), take);
            n -= take;
        }
        sharing_ = false;
        return taken;
    }

    void take_from(lot_record& l, points n, entry_kind kind, std::string_view rule, const reason_args& args,
                   const std::string& reverses = {}, const std::string& money_text = {}) {
        take_from(l, n, kind, text(rule), args, text(reverses), text(money_text));
    }
    // The same with its texts already among the outcome's (a debit's entries share them).
    void take_from(lot_record& l, points n, entry_kind kind, text_span rule, const reason_args& args,
                   text_span reverses, text_span money_text) {
        l.remaining -= n;
        entry_record e = draft(kind, -n, event_.at);
        e.lot = lot_text(l);
        e.rule = rule;
        e.args = args;
        e.reverses = reverses;
        e.money = money_text;
        e.funder = text(funder_of(l));
        post(std::move(e));
    }

    // Who funds a lot's points: the funder it was given when credited; a lot from before
    // funders were declared takes its rule's funder in the programme now in force.
    // A view of the programme's name or of the member's, valid until a name is added.
    std::string_view funder_of(const lot_record& l) const {
        if (l.funder != name_table::none) return state_.funder_of(l);
        return program_.funder_of_rule(state_.rule_of(l));  // a reference into the programme
    }

    // Puts points back into the lot they came from, keeping its original expiry.
    void restore(lot_record& l, points n, reason_args args, const std::string& reverses,
                 entry_kind kind = entry_kind::reverse, const std::string& rule = {},
                 const std::string& money_text = {}) {
        l.remaining += n;
        l.credited_at = event_.at;
        entry_record e = draft(kind, n, event_.at);
        e.lot = lot_text(l);
        e.rule = text(rule.empty() ? state_.rule_of(l) : std::string_view(rule));
        e.args = std::move(args);
        e.reverses = text(reverses);
        e.money = text(money_text);
        e.funder = text(funder_of(l));
        post(std::move(e));
        settle_debt(l);
    }

    // Points into a new lot that keeps an expiry day decided elsewhere (a transfer keeps the
    // sender's; a cancelled redemption's grace gives a new one). Any debt is paid from it at once.
    // `funder`: the funder of the lot the points came from (else the rule's).
    lot_record& credit_lot(entry_kind kind, const std::string& lot_id, const std::string& rule, points n,
                           std::optional<day> expires_on, reason_args args,
                           const std::string& reverses = {}, std::string_view funder = {}) {
        if (!lot_record::id_fits(lot_id, event_.id))
            throw std::invalid_argument("credit_lot: lot id '" + lot_id + "' is not '" + event_.id + "/...'");
        // Copied: `funder` may be a name of this member's, which adding names may move.
        const std::string funder_text(funder.empty() ? std::string_view(program_.funder_of_rule(rule)) : funder);
        lot_record& l = new_lot(std::string_view(lot_id).substr(event_.id.size() + 1), rule, funder_text, n,
                                program_.zone.local_day(event_.at), event_.at, expires_on);
        entry_record e = draft(kind, n, event_.at);
        e.lot = text(lot_id);
        e.rule = text(state_.rule_of(l));  // the same text, read after the names were added
        e.expires = day_text(expires_on);
        e.args = std::move(args);
        e.reverses = text(reverses);
        e.funder = text(funder_text);
        post(std::move(e));
        settle_debt(l);
        return l;
    }

    void expire(lot_record& l, instant due, reason_args args) {
        const points n = l.remaining;
        l.remaining = points(0);
        l.expired += n;
        entry_record e = draft(entry_kind::expire, -n, due);
        e.lot = lot_text(l);
        e.rule = text(state_.rule_of(l));
        e.args = std::move(args);
        e.funder = text(funder_of(l));
        post(std::move(e));
    }

    // `funder`: whose points are owed (the reversed lot's funder), else the default funder.
    void add_debt(points n, reason_args args, const std::string& reverses,
                  const std::string& funder = {}) {
        state_.debt += n;
        entry_record e = draft(entry_kind::debt, -n, event_.at);
        e.args = std::move(args);
        e.reverses = text(reverses);
        e.funder = text(funder.empty() ? program_.funder_of(nullptr) : funder);
        post(std::move(e));
    }

private:
    // A new lot of the event's, last among the member's lots: its id "<event>/<tail>". Callers
    // pass no reference into the member's own names: adding one may move the others
    // (credit_lot copies its funder, which may be one).
    lot_record& new_lot(std::string_view tail, const std::string& rule, const std::string& funder, points n,
                        day earned_on, instant available_at, std::optional<day> expires_on) {
        lot_record l;
        l.event = event_.id;
        l.rule = state_.names.add(rule);
        l.tail = tail == rule ? l.rule : state_.names.add(tail);  // an earning's lot: "<event>/<rule>"
        l.funder = state_.names.add(funder);
        l.ordinal = state_.next_lot_ordinal();
        l.earned_on = earned_on;
        l.available_at = available_at;
        l.credited_at = event_.at;
        l.expires_on = expires_on;
        l.earned = n;
        l.remaining = n;
        state_.room_for_lot();
        state_.lots.push_back(std::move(l));
        return state_.lots.back();
    }

    // Moves points from a lot to the debt. The balance already counts both, so the entry's
    // amount is 0; it names the lot and the figures.
    void settle_debt(lot_record& l) {
        if (state_.debt <= points(0) || l.remaining <= points(0)) return;
        const points pay = min(state_.debt, l.remaining);
        const points before = state_.debt;
        state_.debt -= pay;
        l.remaining -= pay;
        entry_record e = draft(entry_kind::settle_debt, points(0), event_.at);
        e.debt_paid = pay;
        e.lot = lot_text(l);
        e.rule = text(state_.rule_of(l));
        e.args.code = reason_code::settles_debt;
        e.args.figure = before;
        e.funder = text(funder_of(l));
        post(std::move(e));
    }

    // `v` copied into the outcome's texts, and where it is there.
    text_span text(std::string_view v) { return out_.entries.add_text(v); }
    // A lot's id ("<event>/<tail>") written into the outcome's texts, without a string of its own.
    text_span lot_text(const lot_record& l) { return out_.entries.add_texts({l.event.view(), "/", state_.names[l.tail]}); }
    text_span day_text(const std::optional<day>& d) { return d ? text(format_day(*d)) : text_span{}; }
    text_span money_text(const money& m) {
        char written[money::text_bound];
        return text(std::string_view(written, static_cast<std::size_t>(m.write(written) - written)));
    }

    entry_record draft(entry_kind kind, points amount, instant at) {
        if (!shared_) {  // what every entry of this posting names, written once
            out_.entries.reserve_text(256);  // a repair order's four entries fit
            shared_ = shared_texts{text(state_.member), text(event_.id), text(program_.id), text(event_.store)};
        }
        entry_record e;
        e.member = shared_->member;
        e.event = shared_->event;
        e.at = at;
        e.kind = kind;
        e.amount = amount;
        e.program = shared_->program;
        e.version = program_.version;
        // Entries that fell due with the passing of time happened at no store.
        if (kind != entry_kind::expire && kind != entry_kind::voucher_expire) e.store = shared_->store;
        return e;
    }

    void post(entry_record&& e) {  // every caller hands over its draft
        balance_ += e.amount;
        e.balance = balance_;
        e.seq = ++state_.last_seq;
        if (out_.entries.capacity() == 0) out_.entries.reserve(4);  // a repair order writes about four
        out_.entries.push_back(std::move(e));
        ++posted_;
        // The sentence for people, only when the outcome is explained: a replay's runner
        // renders it as the entries leave it, an edge whenever it shows one (describe.hpp).
        if (!explaining_) return;
        const std::size_t i = out_.entries.size() - 1;
        if (sharing_)
            out_.entries.record(i).reason = reason_;
        else
            render_reason(out_.entries, i, program_, sentence_);
    }

    const program& program_;
    member_state& state_;
    const event& event_;
    outcome& out_;
    points balance_;
    bool explaining_ = true;
    std::size_t first_ = 0;   // the outcome's entries before this posting's
    std::size_t posted_ = 0;  // entries posted and not sealed yet
    struct shared_texts {
        text_span member, event, program, store;
    };
    std::optional<shared_texts> shared_;  // written with the first entry
    text_span reason_{};      // debit(): the sentence its first entry was given, which the others share
    std::string sentence_;    // where an explained entry's sentence is written, reused from entry to entry
    bool sharing_ = false;    // debit(): after its first entry
    int exceptions_ = 0;      // exceptions in flight when it began
};

}  // namespace loyalty
