#pragma once
// Verification an auditor can run: every member's hash chain holds, and replaying the journal
// from scratch reproduces the stored ledger entry for entry.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty {

// What a problem is about: an entry (its chain, or its replay), or, in a store, a member's
// snapshot (seq: the entry it was written after) or a reward's stock (member "").
enum class verified { entry, snapshot, stock };

struct verification_problem {
    std::string member;
    std::int64_t seq = 0;
    std::string problem;
    verified about = verified::entry;
};

struct verification_report {
    std::size_t members = 0;
    std::size_t entries = 0;
    std::vector<verification_problem> problems;  // the first problem per member
    bool ok() const noexcept { return problems.empty(); }
};

LOYALTY_INLINE std::map<std::string, std::vector<ledger_entry>> by_member(const std::vector<ledger_entry>& ledger) {
    std::map<std::string, std::vector<ledger_entry>> out;
    for (const ledger_entry& e : ledger) out[e.member].push_back(e);
    return out;
}

// Every chain of the stored ledger holds, and it equals `replayed`, the entries a replay of its
// journal wrote.
LOYALTY_INLINE verification_report verify_entries(const std::vector<ledger_entry>& stored,
                                          const std::vector<ledger_entry>& replayed_ledger) {
    verification_report report;
    report.entries = stored.size();
    const auto stored_by_member = by_member(stored);
    const auto replayed_by_member = by_member(replayed_ledger);
    report.members = stored_by_member.size();
    for (const auto& [member, entries] : stored_by_member) {
        if (auto broken = verify_chain(entries)) {
            report.problems.push_back({member, broken->seq, "hash chain: " + broken->problem});
            continue;
        }
        const auto it = replayed_by_member.find(member);
        const std::vector<ledger_entry> none;
        const std::vector<ledger_entry>& replayed = it == replayed_by_member.end() ? none : it->second;
        for (std::size_t i = 0; i < std::max(entries.size(), replayed.size()); ++i) {
            if (i >= entries.size()) {
                report.problems.push_back({member, replayed[i].seq, "replay has an entry the ledger lacks"});
                break;
            }
            if (i >= replayed.size()) {
                report.problems.push_back({member, entries[i].seq, "ledger has an entry replay does not produce"});
                break;
            }
            if (entries[i] != replayed[i]) {
                report.problems.push_back({member, entries[i].seq,
                                           "differs from replay: stored " + canonical_form(entries[i]) +
                                               " replayed " + canonical_form(replayed[i])});
                break;
            }
        }
    }
    for (const auto& [member, entries] : replayed_by_member)
        if (!stored_by_member.count(member))
            report.problems.push_back({member, 1, "replay has entries for a member the ledger lacks"});
    return report;
}

LOYALTY_INLINE verification_report verify(const program_versions& versions, const std::vector<event>& journal,
                                  const std::vector<ledger_entry>& stored) {
    return verify_entries(stored, replay(versions, journal).entries());
}

}  // namespace loyalty
