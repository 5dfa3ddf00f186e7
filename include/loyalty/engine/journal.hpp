#pragma once
// A journal runner: applies events in order to many members, keeps each member's state and
// collects the ledger, or hands each accepted event's entries to a sink as they are written.
// Event ids are unique across the whole journal, not only per member, and an id is judged once:
// an event sent again under an id that was accepted is a duplicate, and one sent again under an
// id that was refused gets the same refusal again (a client retries a refused event under a new
// id), so that re-sending any part of a journal changes nothing.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loyalty/core/fingerprint_set.hpp"
#include "loyalty/core/id_set.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/engine/apply.hpp"
#include "loyalty/ledger/describe.hpp"

namespace loyalty {

struct refused_event {
    std::string event;
    std::string member;
    refusal code = refusal::none;
    std::string message;
};

// Receives the entries of each accepted event, in the order they were written (an event that
// posts to two members, a transfer or a referral, hands over both members' entries at once).
using entry_sink = std::function<void(const std::vector<ledger_entry>&)>;
// The same entries as the engine wrote them (ledger/entry_list.hpp), their reasons rendered: a
// sink that writes them out (a ledger file) takes views of them and copies nothing. Named when
// given (`journal_runner run(v, entry_list_sink{[&](const entry_list& written) { ... }})`): an
// entry_list converts to a vector of entries, so a bare lambda would fit either sink.
struct entry_list_sink {
    std::function<void(const entry_list&)> take;
};

// The members' states a runner holds: in id order (members() reads them so), and found by
// hash, since a journal's members number in the millions and every event looks up a few. Each
// member is numbered when first held (0, 1, 2 ...): the runner records the events it applied by
// their member's number (core/fingerprint_set.hpp). A number is never given twice: a member
// handed over and held again gets a new one, and the old one finds nobody.
//
// The index is flat: 32 bits of each member id's hash under its number, in a fingerprint_set of
// 8-byte slots, and the numbers' nodes in a vector, whose key confirms a match. A lookup reads
// a slot, a pointer and the node (which holds the state looked for): two small arrays, a few
// hundred kilobytes for a brand's members, where a node-based hash map read a bucket, a node
// and the map's node for the key, each anywhere in the heap (docs/performance.md).
class member_table {
public:
    using number = std::uint32_t;

    member_table() = default;
    // A copy numbers its members as the original does.
    member_table(const member_table& other) : states_(other.states_) { index_as(other); }
    member_table& operator=(const member_table& other) {
        if (this != &other) {
            states_ = other.states_;
            index_as(other);
        }
        return *this;
    }
    // Moving keeps every node where it is, and so every pointer the numbers hold.
    member_table(member_table&&) = default;
    member_table& operator=(member_table&&) = default;

    member_state* find(std::string_view id) {
        node* n = node_of(id);
        return n ? &n->second : nullptr;
    }
    const member_state* find(std::string_view id) const {
        const node* n = node_of(id);
        return n ? &n->second : nullptr;
    }
    // The number of a member held (std::out_of_range otherwise).
    number number_of(std::string_view id) const {
        number n = 0;
        if (!node_of(id, &n)) throw std::out_of_range("the runner holds no state of member '" + std::string(id) + "'");
        return n;
    }
    // The state of the member numbered `n`, or nullptr when it was handed over.
    const member_state* numbered(number n) const {
        return n < by_number_.size() && by_number_[n] ? &by_number_[n]->second : nullptr;
    }
    // Adds the state of a member not held yet.
    member_state& add(std::string id, member_state s) {
        if (by_number_.size() > fingerprint_set<>::most_owners)
            throw std::length_error("a runner numbers at most 2^32 - 1 members");
        const auto at = states_.emplace(std::move(id), std::move(s)).first;
        index_.insert(at->first, static_cast<number>(by_number_.size()));
        by_number_.push_back(&*at);
        return at->second;
    }
    // Hands a member's state over and forgets it (nullopt when not held). Its slot in the index
    // stays until the index is made again, finding nobody: that is done when such slots come to
    // outnumber the members held.
    std::optional<member_state> take(std::string_view id) {
        number n = 0;
        node* found = node_of(id, &n);
        if (!found) return std::nullopt;
        by_number_[n] = nullptr;
        std::optional<member_state> out(std::move(states_.extract(found->first).mapped()));
        if (++handed_over_ > states_.size() + 64) reindex();
        return out;
    }
    const std::map<std::string, member_state>& in_order() const noexcept { return states_; }

private:
    using ordered = std::map<std::string, member_state>;
    using node = ordered::value_type;  // the member's id and state

    // The node of the member `id` (and its number), or nullptr.
    node* node_of(std::string_view id, number* number_out = nullptr) const {
        node* found = nullptr;
        index_.contains(id, [&](number n, std::string_view key) {
            node* candidate = by_number_[n];
            if (!candidate || candidate->first != key) return false;  // 32 bits alike by chance, or handed over
            found = candidate;
            if (number_out) *number_out = n;
            return true;
        });
        return found;
    }
    // Indexes states_ (a copy of other's) under other's numbers.
    void index_as(const member_table& other) {
        by_number_.assign(other.by_number_.size(), nullptr);
        for (node& held : states_) by_number_[other.number_of(held.first)] = &held;
        reindex();
    }
    // Makes the index again from the members held (their numbers kept).
    void reindex() {
        index_ = fingerprint_set<>();
        for (std::size_t n = 0; n < by_number_.size(); ++n)
            if (by_number_[n]) index_.insert(by_number_[n]->first, static_cast<number>(n));
        handed_over_ = 0;
    }

    ordered states_;
    fingerprint_set<> index_;       // each member's id hash and number; by_number_ confirms
    std::vector<node*> by_number_;  // nullptr: handed over
    std::size_t handed_over_ = 0;   // members handed over since the index was made
};

class journal_runner {
public:
    // Keeps the whole ledger: entries() grows with every accepted event.
    explicit journal_runner(program_versions versions) : versions_(std::move(versions)) {}
    // Keeps no ledger: each accepted event's entries go to `sink` (a file, a store, a hash
    // check), so replaying a large journal takes only its members' states in memory; entries()
    // stays empty. Every outcome apply() returns still carries its entries.
    journal_runner(program_versions versions, entry_sink sink)
        : versions_(std::move(versions)), sink_(std::move(sink)) {}
    // The same, the sink handed the engine's records (their reasons rendered) instead of
    // entries made from them: a sink that only writes lines out copies nothing (loyalty run).
    journal_runner(program_versions versions, entry_list_sink sink)
        : versions_(std::move(versions)), list_sink_(std::move(sink)) {}

    // Whether the outcomes apply() returns carry their trace: explanation::full by default;
    // explanation::none for a replay that reads only entries, states and refusals (`loyalty run`,
    // `audit verify`, Python's Engine.run): the engine then builds no text for people, and the
    // runner renders the entries' reasons as they leave it (to the sink, to entries(), and in
    // the outcome apply() returns).
    void set_explanation(explanation x) noexcept { explanation_ = x; }

    // Reads into the caches what `next`, the event the caller will apply after the current one,
    // needs: its member's state and its slot among the ids applied (core/prefetch.hpp). It
    // changes nothing: every apply() gives the same whether it is called or not. A journal that
    // interleaves many members finds each one's state out of every cache; read one event ahead,
    // the state's blocks come together instead of one after another as the event reaches them
    // (`loyalty run`, `audit verify` and Python's Engine.run(path) call it; 5-11% of their CPU
    // time, docs/performance.md).
    void prefetch(const event& next) const noexcept {
        seen_.prefetch(next.id);
        if (const member_state* s = states_.find(next.member)) s->prefetch();
    }

    // Applies one event and returns its outcome. The member's state is kept here and updated in
    // place, so the outcome's `state` is empty; read it with members(). A transfer updates both
    // members, and so does a referred member's event that pays (or takes back) the referrer's
    // reward; such an outcome's entries belong to both.
    outcome apply(const event& e) {
        outcome o;  // filled in place and returned without a move (it holds a member_state)
        apply_into(e, o);
        return o;
    }

    // How adopt() treats the ids of the events a seeded state has seen.
    enum class seen_ids {
        applied,         // they count as applied here: sent again, under any member, a duplicate
        judged_outside,  // the caller judges every id before apply() (a store does): not copied,
                         // which would cost a string per event of the member's history per batch
    };

    // Seeds a member's state (from a snapshot): later events continue from it.
    void adopt(member_state s, seen_ids ids = seen_ids::applied) {
        member_state* mine = held(s.member);
        if (mine) {
            keep_applied_ids_of(*mine, &s.effects);  // its number will confirm against the new book
            *mine = std::move(s);
        } else {
            std::string id = s.member;
            mine = &hold(std::move(id), std::move(s));
        }
        if (ids == seen_ids::applied) {
            const member_table::number n = states_.number_of(mine->member);
            mine->effects.for_each_id([&](std::string_view id) {
                if (!applied(id)) seen_.insert(id, n);
            });
        }
    }
    // Hands a member's state over and forgets it (nullopt when not held): a store keeps the
    // states a batch changed for the next batch without copying them. The ids of the events
    // applied here that its book held stay applied.
    std::optional<member_state> release(const std::string& member) {
        if (const member_state* s = held(member)) keep_applied_ids_of(*s);
        return states_.take(member);
    }
    // Seeds the programme-wide reward stock (from a snapshot).
    void adopt_stock(reward_stock stock) { stock_ = std::move(stock); }
    const reward_stock& stock() const noexcept { return stock_; }

    const program_versions& versions() const noexcept { return versions_; }
    const std::map<std::string, member_state>& members() const noexcept { return states_.in_order(); }
    // Every entry written so far (empty when the runner was given a sink).
    const std::vector<ledger_entry>& entries() const noexcept { return entries_; }
    const std::vector<refused_event>& refusals() const noexcept { return refusals_; }

    // One member's entries, in sequence.
    std::vector<ledger_entry> entries_of(const std::string& member) const {
        std::vector<ledger_entry> out;
        for (const ledger_entry& e : entries_)
            if (e.member == member) out.push_back(e);
        return out;
    }

private:
    // The accounts an event of member `s` may change: the accounts it concerns, or the account
    // itself for an account's own event.
    static std::vector<std::string> accounts_touched(const member_state& s, const event& e) {
        std::vector<std::string> out = accounts_concerned(s, e);
        if (s.fleet) out.push_back(s.member);
        return out;
    }
    // An account's tier, where it counts, is held by all its members: after any event of the
    // account or of one of them, the account's due reviews are posted and its members follow.
    // `s`: the state of the event's member, after the event.
    void share_account_tier_after(const member_state& s, const event& e, outcome& o) {
        const std::string id = o.account ? o.account->account : s.fleet ? e.member : s.account;
        if (id.empty()) return;
        const program& prog = *versions_.at(e.at);
        member_state& account = held_at(id);
        review_account_due(prog, account, e, o);
        share_account_tier(prog, account, [this](const std::string& m) -> member_state& { return held_at(m); }, e, o);
    }
    // An account whose tier its members hold may post to every one of them.
    void check_drivers_held(const member_state& account, const event& e) const {
        const program* prog = versions_.at(e.at);
        if (!prog || !counts_at_account_level(*prog, account)) return;
        for (const std::string& m : account.fleet->members)
            if (!held(m))
                throw error("loyalty.engine.account_member_missing",
                            "event " + e.id + " may change the tier of fleet account " + account.member +
                                ", which its member " + m + " holds too: the runner does not hold " + m + "'s state");
    }

    // apply() into `o`, a default-made outcome.
    void apply_into(const event& e, outcome& o) {
        if (applied(e.id)) {
            o.refused = refusal::duplicate_event;
            o.message = "event '" + e.id + "' was already applied";
            refusals_.push_back({e.id, e.member, o.refused, o.message});
            return;
        }
        if (const auto earlier = refused_ids_.find(e.id); earlier != refused_ids_.end()) {
            o.refused = earlier->second.code;
            o.message = earlier->second.message;
            refusals_.push_back({e.id, e.member, o.refused, o.message});
            return;
        }
        if (const auto* t = std::get_if<events::transfer>(&e.body)) return apply_transfer(e, t->to, o);
        if (const auto* en = std::get_if<events::enrol>(&e.body); en && !en->referred_by.empty()) {
            const member_state* referrer = held(en->referred_by);
            if (en->referred_by != e.member && (!referrer || !referrer->enrolled)) {
                o.refused = refusal::referral_refused;
                o.message = "the referrer '" + en->referred_by + "' is not a member";
                return record(e, o);
            }
        }
        if (const auto* j = std::get_if<events::join_account>(&e.body)) {
            const member_state* account = held(j->account);
            if (!account || !account->fleet) {
                o.refused = refusal::account_refused;
                o.message = "no fleet account '" + j->account + "' is open";
                return record(e, o);
            }
        }
        // A vehicle bought from another member: the seller's state is read, then their side posted.
        member_state* seller = nullptr;
        if (const auto* vp = std::get_if<events::vehicle_purchase>(&e.body); vp && !vp->previous_owner.empty()) {
            member_state* found = held(vp->previous_owner);
            if (!found || !found->enrolled) {
                o.refused = refusal::vehicle_not_held;
                o.message = "the previous owner '" + vp->previous_owner + "' of VIN " + vp->vin + " is not a member";
                return record(e, o);
            }
            seller = found;
        }
        member_state* state = held(e.member);
        // A referred member's event may post to the referrer, and a fleet member's to the account:
        // the runner must hold those states (a store seeds them). Checked before anything
        // changes, so an error leaves all as it was.
        if (state) {
            if (!state->referred_by.empty() && !held(state->referred_by))
                throw error("loyalty.engine.referrer_missing", "member " + e.member + " was referred by " +
                                                                   state->referred_by +
                                                                   ", whose state the runner does not hold");
            for (const std::string& account : accounts_concerned(*state, e))
                if (!held(account))
                    throw error("loyalty.engine.account_missing", "event " + e.id + " of member " + e.member +
                                                                      " concerns fleet account " + account +
                                                                      ", whose state the runner does not hold");
            for (const std::string& account : accounts_touched(*state, e))
                check_drivers_held(held_at(account), e);
        }
        const member_state* account = state && !state->account.empty() ? &held_at(state->account) : nullptr;
        if (state)
            detail::apply_in_place_into(o, versions_, *state, e, stock_, seller, account, explanation_);
        else
            apply_first(e, seller, state, o);
        if (o.accepted() && seller) release_vehicle_in_place(versions_, *seller, e, o);
        if (o.referral)  // the referred member's event pays (or takes back) the referrer's reward
            settle_referral_in_place(versions_, held_at(o.referral->referrer), e, o);
        if (o.account)  // a fleet member joined, left, or paid (or reversed) a visit
            settle_account_in_place(versions_, held_at(o.account->account), held_at(e.member), e, o);
        if (o.accepted()) share_account_tier_after(*state, e, o);
        return record(e, o);
    }

    void apply_transfer(const event& e, const std::string& to, outcome& o) {
        // Refusals leave both states as they were, so fresh states are kept only when accepted.
        member_state fresh_from(e.member), fresh_to(to);
        member_state* from = held(e.member);
        member_state* dest = held(to);
        member_state& sender = from ? *from : fresh_from;
        member_state& receiver = dest ? *dest : fresh_to;
        if (&sender == &receiver) {  // to oneself: judged against a copy, refused by check_transfer
            member_state copy = receiver;
            o = apply_transfer_in_place(versions_, sender, copy, e);
            return record(e, o);
        }
        o = apply_transfer_in_place(versions_, sender, receiver, e);
        if (o.accepted()) {
            if (!from) hold(e.member, std::move(fresh_from));
            if (!dest) hold(to, std::move(fresh_to));
        }
        return record(e, o);
    }

    // The state of member `id` the runner holds, or nullptr.
    member_state* held(std::string_view id) { return states_.find(id); }
    const member_state* held(std::string_view id) const { return states_.find(id); }
    // As held(), for a member the runner must hold (std::out_of_range otherwise, as map::at).
    member_state& held_at(std::string_view id) {
        member_state* s = held(id);
        if (!s) throw std::out_of_range("the runner holds no state of member '" + std::string(id) + "'");
        return *s;
    }
    // Keeps a new member's state (none of that id is held).
    member_state& hold(std::string id, member_state s) { return states_.add(std::move(id), std::move(s)); }

    // A member's first event: the state is kept only if the event is accepted (`state` then
    // points to it).
    void apply_first(const event& e, member_state* seller, member_state*& state, outcome& o) {
        member_state fresh(e.member);
        detail::apply_in_place_into(o, versions_, fresh, e, stock_, seller, nullptr, explanation_);
        if (o.accepted()) state = &hold(e.member, std::move(fresh));
    }

    // Records `o`: a refusal, or an accepted event's id, stock moves and entries (to the sink).
    void record(const event& e, outcome& o) {
        if (!o.accepted()) {
            refusals_.push_back({e.id, e.member, o.refused, o.message});
            if (o.refused != refusal::duplicate_event) refused_ids_.emplace(e.id, refusal_reason{o.refused, o.message});
            return;
        }
        seen_.insert(e.id, states_.number_of(e.member));  // an accepted event's member is held
        stock_.add(o.stock_moves);
        // The entries leave the runner with their sentences for people, rendered here when the
        // engine was asked for none (explanation::none: ledger/describe.hpp).
        render_reasons(o.entries, versions_, sentence_);
        if (list_sink_.take) {
            list_sink_.take(o.entries);
        } else if (sink_) {
            o.entries.copy_to(handed_, &spare_);  // the same entries' strings every time: no allocation
            sink_(handed_);
        } else {
            const std::size_t at = entries_.size();
            entries_.resize(at + o.entries.size());
            for (std::size_t i = 0; i < o.entries.size(); ++i) o.entries.copy_into(i, entries_[at + i]);
        }
    }

    // Whether an event of this id was applied: recorded under its member's number, and
    // confirmed by that member's effect book (or, once the member was handed over, by the ids
    // kept then).
    bool applied(std::string_view id) const {
        const auto in_book = [this](member_table::number n, std::string_view event_id) {
            const member_state* s = states_.numbered(n);
            return s && s->effects.contains(event_id);
        };
        return seen_.contains(id, in_book) || (!handed_over_.empty() && handed_over_.contains(id));
    }
    // Before a member's state leaves (released, or replaced by adopt()): the ids its number
    // recorded, which its book confirmed, are kept as text, but for those the book that replaces
    // it (`next`, when given) still holds and so confirms.
    void keep_applied_ids_of(const member_state& s, const effect_book* next = nullptr) {
        if (seen_.empty()) return;
        const member_table::number n = states_.number_of(s.member);
        s.effects.for_each_id([&](std::string_view id) {
            if (seen_.may_be_of(id, n) && !(next && next->contains(id))) handed_over_.insert(id);
        });
    }

    program_versions versions_;
    member_table states_;
    // The id of every event applied, as 8 bytes under its member's number: the text is in the
    // member's effect book (a journal may hold tens of millions of events).
    fingerprint_set<> seen_;
    id_set handed_over_;  // the ids of events applied here of members since handed over
    std::unordered_map<std::string, refusal_reason> refused_ids_;  // judged once: a re-sent id gets this again
    std::vector<ledger_entry> entries_;
    std::vector<ledger_entry> handed_;  // what the sink was last given (made from an outcome's records)
    std::vector<ledger_entry> spare_;   // entries handed_ held beyond the last outcome's, for the next
    std::vector<refused_event> refusals_;
    reward_stock stock_;
    entry_sink sink_;
    entry_list_sink list_sink_;
    explanation explanation_ = explanation::full;
    std::string sentence_;  // where record() writes each entry's sentence (reused: no allocation)
};

// Replays a whole journal from scratch.
LOYALTY_INLINE journal_runner replay(const program_versions& versions, const std::vector<event>& journal) {
    journal_runner run(versions);
    for (const event& e : journal) run.apply(e);
    return run;
}

}  // namespace loyalty
