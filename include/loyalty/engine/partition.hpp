#pragma once
// Partitioned replay: a journal split into parts that replay independently, one thread each,
// to the ledger one replay gives (design.md: linked members share a partition, so any
// partitioning replays to the same ledger).
//
// Members are linked when an event makes one member's outcome depend on another's state: an
// enrolment naming a referrer (whose later visits may pay the referrer), a points transfer (the
// receiver), a referral bonus (the referred member), a fleet account joined (the account, whose
// tier its members may share), a vehicle bought from a member (the seller). Events that share an
// id link their members (the second is judged against the first), and every redemption of a
// reward with a programme-wide stock links its member to every other such redeemer (the stock
// is one count). A group of linked members goes whole to one part: the part of its smallest
// member id, by a hash that is the same on every machine.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty {

struct journal_partition {
    std::size_t parts = 1;
    std::vector<std::uint32_t> part_of;  // per event of the journal, in order: its part
};

namespace detail {

// Union-find over member ids; each group's representative is its smallest id.
class member_groups {
public:
    std::uint32_t node(const std::string& id) {
        const auto [it, fresh] = index_.try_emplace(id, static_cast<std::uint32_t>(parent_.size()));
        if (fresh) {
            parent_.push_back(it->second);
            ids_.push_back(&it->first);
        }
        return it->second;
    }
    std::uint32_t root(std::uint32_t n) {
        while (parent_[n] != n) n = parent_[n] = parent_[parent_[n]];
        return n;
    }
    void join(const std::string& a, const std::string& b) {
        const std::uint32_t ra = root(node(a)), rb = root(node(b));
        if (ra == rb) return;
        // The smaller id stays the root, so a group's root is its smallest id whatever the order
        // of the joins.
        if (*ids_[rb] < *ids_[ra]) parent_[ra] = rb;
        else parent_[rb] = ra;
    }
    const std::string& representative(const std::string& id) { return *ids_[root(node(id))]; }

private:
    std::unordered_map<std::string, std::uint32_t> index_;
    std::vector<std::uint32_t> parent_;
    std::vector<const std::string*> ids_;  // keys of index_: stable, as unordered_map never moves its nodes
};

// FNV-1a, 64 bits: the same on every machine and standard library (std::hash is not).
LOYALTY_INLINE std::uint64_t stable_hash(std::string_view s) noexcept {
    std::uint64_t h = 1469598103934665603ull;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

// The members `e` links its own member to (see the top of this file), and whether it redeems a
// reward whose stock is programme-wide.
LOYALTY_INLINE std::vector<std::string> linked_by(const program_versions& versions, const event& e, bool& shares_stock) {
    std::vector<std::string> out;
    shares_stock = false;
    if (const auto* en = std::get_if<events::enrol>(&e.body); en && !en->referred_by.empty()) out.push_back(en->referred_by);
    if (const auto* t = std::get_if<events::transfer>(&e.body)) out.push_back(t->to);
    if (const auto* r = std::get_if<events::referral>(&e.body)) out.push_back(r->referred_member);
    if (const auto* j = std::get_if<events::join_account>(&e.body)) out.push_back(j->account);
    if (const auto* v = std::get_if<events::vehicle_purchase>(&e.body); v && !v->previous_owner.empty())
        out.push_back(v->previous_owner);
    if (const auto* r = std::get_if<events::redeem>(&e.body)) {
        const program* prog = versions.at(e.at);
        const reward* rw = prog ? prog->find_reward(r->reward) : nullptr;
        shares_stock = rw && rw->stock;
    }
    return out;
}

}  // namespace detail

// Splits `journal` into `parts` parts (at least 1) so that linked members share a part.
// Deterministic: the same journal and number of parts give the same split everywhere.
LOYALTY_INLINE journal_partition partition_journal(const program_versions& versions, const std::vector<event>& journal,
                                           std::size_t parts) {
    journal_partition out;
    out.parts = parts == 0 ? 1 : parts;
    detail::member_groups groups;
    std::unordered_map<std::string_view, const std::string*> first_with_id;  // event id -> its first member
    const std::string* first_redeemer = nullptr;
    for (const event& e : journal) {
        groups.node(e.member);
        bool shares_stock = false;
        for (const std::string& other : detail::linked_by(versions, e, shares_stock)) groups.join(e.member, other);
        if (shares_stock) {
            if (first_redeemer) groups.join(*first_redeemer, e.member);
            else first_redeemer = &e.member;
        }
        const auto [it, fresh] = first_with_id.try_emplace(e.id, &e.member);
        if (!fresh) groups.join(*it->second, e.member);
    }
    out.part_of.reserve(journal.size());
    for (const event& e : journal)
        out.part_of.push_back(static_cast<std::uint32_t>(detail::stable_hash(groups.representative(e.member)) % out.parts));
    return out;
}

// Replays each part of `partition` in its own thread, in journal order within the part. Returns
// one runner per part; their ledgers and states together are those of one replay (see
// merged_ledger). The first exception a part throws is rethrown after every thread ended.
LOYALTY_INLINE std::vector<journal_runner> replay_partitioned(const program_versions& versions, const std::vector<event>& journal,
                                                      const journal_partition& partition) {
    std::vector<journal_runner> runners;
    runners.reserve(partition.parts);
    for (std::size_t p = 0; p < partition.parts; ++p) {
        runners.emplace_back(versions);
        runners.back().set_explanation(explanation::none);  // the outcomes are not returned
    }
    std::vector<std::exception_ptr> failures(partition.parts);
    std::vector<std::thread> threads;
    threads.reserve(partition.parts);
    for (std::size_t p = 0; p < partition.parts; ++p)
        threads.emplace_back([&, p] {
            try {
                for (std::size_t i = 0; i < journal.size(); ++i)
                    if (partition.part_of[i] == p) runners[p].apply(journal[i]);
            } catch (...) {
                failures[p] = std::current_exception();
            }
        });
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& f : failures)
        if (f) std::rethrow_exception(f);
    return runners;
}

// The parts' ledgers as one, in the order one replay writes it: event after event of the
// journal, each event's entries as its part wrote them (every entry carries the id of the event
// that wrote it). loyalty.engine.partition_mismatch if `runners` are not the replay of `journal`
// split by `partition`.
LOYALTY_INLINE std::vector<ledger_entry> ledger_in_journal_order(const std::vector<event>& journal,
                                                         const journal_partition& partition,
                                                         const std::vector<journal_runner>& runners) {
    std::vector<std::size_t> next(runners.size(), 0);
    std::size_t total = 0;
    for (const journal_runner& r : runners) total += r.entries().size();
    std::vector<ledger_entry> out;
    out.reserve(total);
    for (std::size_t i = 0; i < journal.size(); ++i) {
        const std::size_t p = partition.part_of.at(i);
        const std::vector<ledger_entry>& entries = runners.at(p).entries();
        while (next[p] < entries.size() && entries[next[p]].event == journal[i].id) out.push_back(entries[next[p]++]);
    }
    if (out.size() != total)
        throw error("loyalty.engine.partition_mismatch",
                    "the parts' ledgers hold " + std::to_string(total) + " entries, of which " +
                        std::to_string(out.size()) + " follow the journal's events in order");
    return out;
}

// The parts' refusals in the order one replay gives them (each part's are in its events' order).
LOYALTY_INLINE std::vector<refused_event> refusals_in_journal_order(const std::vector<event>& journal,
                                                            const journal_partition& partition,
                                                            const std::vector<journal_runner>& runners) {
    std::vector<std::size_t> next(runners.size(), 0);
    std::vector<refused_event> out;
    for (std::size_t i = 0; i < journal.size(); ++i) {
        const std::size_t p = partition.part_of.at(i);
        const std::vector<refused_event>& refused = runners.at(p).refusals();
        if (next[p] < refused.size() && refused[next[p]].event == journal[i].id && refused[next[p]].member == journal[i].member)
            out.push_back(refused[next[p]++]);
    }
    return out;
}

// The parts' ledgers as one, by member and seq (as store::ledger() gives a ledger).
LOYALTY_INLINE std::vector<ledger_entry> merged_ledger(const std::vector<journal_runner>& runners) {
    std::map<std::string, std::vector<const ledger_entry*>> by_member;
    for (const journal_runner& r : runners)
        for (const ledger_entry& e : r.entries()) by_member[e.member].push_back(&e);
    std::vector<ledger_entry> out;
    for (auto& [member, entries] : by_member) {
        std::stable_sort(entries.begin(), entries.end(),
                         [](const ledger_entry* a, const ledger_entry* b) { return a->seq < b->seq; });
        for (const ledger_entry* e : entries) out.push_back(*e);
    }
    return out;
}

}  // namespace loyalty
