#pragma once
// Verification an auditor can run: every member's hash chain holds, and replaying the journal
// from scratch reproduces the stored ledger entry for entry.
//
// ledger_verifier does it on two streams, the stored ledger as it is read and the entries a
// replay writes as they are written, holding per member only its chain's head and the entries
// one side has given and the other not yet. A ledger file read alongside the replay of its own
// journal is in the replay's order, so a brand's whole history is verified in the memory of its
// members' states (`loyalty audit verify`). verify_entries() is the same check on two vectors.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty {

// What a problem is about: an entry (its chain, or its replay), or, in a store, a member's
// snapshot (seq: the entry it was written after) or a reward's stock (member "").
enum class verified { entry, snapshot, stock };

// One field in which a stored entry and its replay differ, each value as the canonical form
// writes it (numbers and instants as text, strings as they are).
struct field_difference {
    std::string field;  // "amount", "reason", ... (the keys of the canonical form, and "hash")
    std::string stored;
    std::string replayed;
    friend bool operator==(const field_difference& a, const field_difference& b) {
        return a.field == b.field && a.stored == b.stored && a.replayed == b.replayed;
    }
};

struct verification_problem {
    std::string member;
    std::int64_t seq = 0;
    std::string problem;
    verified about = verified::entry;
    // The entries the problem is about, where there are any: the stored one and the one the
    // replay wrote at that place of the member's chain (for a break of the chain, the one of the
    // same seq), and the fields they differ in (none when they are equal or one is missing).
    std::optional<ledger_entry> stored;
    std::optional<ledger_entry> replayed;
    std::vector<field_difference> differences;
};

struct verification_report {
    std::size_t members = 0;
    std::size_t entries = 0;
    std::vector<verification_problem> problems;  // the first problem per member
    bool ok() const noexcept { return problems.empty(); }
};

// The fields in which two entries differ, in the canonical form's key order; "hash" only when
// nothing else differs (any other difference changes it too).
LOYALTY_INLINE std::vector<field_difference> differences(const ledger_entry& stored, const ledger_entry& replayed) {
    std::vector<field_difference> out;
    const auto text = [&](const char* field, const std::string& a, const std::string& b) {
        if (a != b) out.push_back({field, a, b});
    };
    const auto number = [&](const char* field, std::int64_t a, std::int64_t b) {
        if (a != b) out.push_back({field, std::to_string(a), std::to_string(b)});
    };
    number("amount", stored.amount.count(), replayed.amount.count());
    if (stored.format == 5 && replayed.format == 5) text("args", args_text(stored.args), args_text(replayed.args));
    text("at", format_instant(stored.at), format_instant(replayed.at));
    number("balance", stored.balance.count(), replayed.balance.count());
    const auto optional_points = [](const std::optional<points>& p) { return p ? std::to_string(p->count()) : std::string(); };
    text("debt_paid", optional_points(stored.debt_paid), optional_points(replayed.debt_paid));
    text("event", stored.event, replayed.event);
    text("expires", stored.expires, replayed.expires);
    text("figures", figures_text(stored.figures), figures_text(replayed.figures));
    number("format", stored.format, replayed.format);
    text("funder", stored.funder, replayed.funder);
    text("kind", std::string(to_string(stored.kind)), std::string(to_string(replayed.kind)));
    text("lot", stored.lot, replayed.lot);
    text("member", stored.member, replayed.member);
    text("money", stored.money, replayed.money);
    text("prev_hash", stored.prev_hash.hex(), replayed.prev_hash.hex());
    text("program", stored.program, replayed.program);
    text("reason", stored.reason, replayed.reason);
    text("reverses", stored.reverses, replayed.reverses);
    text("rule", stored.rule, replayed.rule);
    number("seq", stored.seq, replayed.seq);
    text("store", stored.store, replayed.store);
    const auto optional_integer = [](const std::optional<std::int64_t>& n) { return n ? std::to_string(*n) : std::string(); };
    text("uses", optional_integer(stored.uses), optional_integer(replayed.uses));
    number("version", stored.version, replayed.version);
    if (out.empty()) text("hash", stored.hash.hex(), replayed.hash.hex());
    return out;
}

class ledger_verifier {
public:
    // An entry of the stored ledger, in the order it is read (each member's in seq order).
    void stored(const ledger_entry& e);
    // An entry the replay of the journal wrote, in the order written.
    void replayed(const ledger_entry& e);
    // The report, once both streams have ended: per member the first problem, a break of its
    // chain before a difference from the replay; members in byte order of their ids, then the
    // members only the replay has. The same whatever the order the two streams came in.
    verification_report finish() const;

    // Stored entries read so far.
    std::size_t entries() const noexcept { return entries_; }

private:
    // Entries one side gave before the other: a queue that frees its memory whenever it is
    // empty, which it is most of the time (std::deque would keep a block per member).
    class entry_queue {
    public:
        bool empty() const noexcept { return head_ == items_.size(); }
        const ledger_entry& front() const { return items_[head_]; }
        void push_back(const ledger_entry& e) { items_.push_back(e); }
        void pop_front() {
            if (++head_ == items_.size()) clear();
        }
        void clear() {
            std::vector<ledger_entry>().swap(items_);
            head_ = 0;
        }

    private:
        std::vector<ledger_entry> items_;
        std::size_t head_ = 0;
    };
    // The n-th stored entry of a member is paired with its n-th replayed entry.
    struct member_check {
        chain_checker chain;
        std::size_t stored = 0;                     // entries of the stored ledger so far
        std::size_t replayed = 0;                   // entries of the replay so far
        entry_queue stored_ahead;     // stored, their replayed pair not yet given
        entry_queue replayed_ahead;   // replayed, their stored pair not yet given
        // Out of line: a problem holds two entries (about 1 KB), and most members have none.
        std::unique_ptr<verification_problem> broken;   // the chain's first break (nothing more is checked)
        std::size_t broken_at = 0;                      // its place among the member's stored entries
        std::unique_ptr<verification_problem> differs;  // the first pair that differs
    };
    static void compare(member_check& m, const ledger_entry& stored, const ledger_entry& replayed);
    static void attach_replayed(verification_problem& broken, const ledger_entry& replayed);

    std::map<std::string, member_check> members_;
    std::size_t entries_ = 0;
};

// A break of the chain shows the replay's entry at the same place, and how they differ.
LOYALTY_INLINE void ledger_verifier::attach_replayed(verification_problem& broken, const ledger_entry& replayed) {
    broken.replayed = replayed;
    if (broken.stored) broken.differences = differences(*broken.stored, replayed);
}

LOYALTY_INLINE void ledger_verifier::compare(member_check& m, const ledger_entry& stored, const ledger_entry& replayed) {
    if (m.differs || stored == replayed) return;
    std::vector<field_difference> diff = differences(stored, replayed);
    // Only the hash differs, after the same prev_hash: the group's hash covers an entry of the
    // group still to come, which differs (a field, or its arguments): that one is named.
    if (stored.format == 5 && diff.size() == 1 && diff[0].field == "hash" && stored.prev_hash == replayed.prev_hash)
        return;
    std::string text = "differs from replay: ";
    for (std::size_t i = 0; i < diff.size(); ++i) text += (i ? ", " : "") + diff[i].field;
    // A ledger written before earn entries carried their figures (ledger format 1) differs from
    // every replay at its first earn entry: say so, and how to get a ledger of today's format.
    if (stored.format == 4 && replayed.format == 5)  // hashed alone: every hash differs
        text += " (the stored entry is of ledger format 4, hashed alone; a replay writes format 5, one hash per "
                "event and member, docs/ledger.md; write the ledger again from its journal with `loyalty run`, or "
                "open a store with this version to upgrade it)";
    else if (!stored.figures && replayed.figures)
        text += " (the stored entry has no figures: a ledger written before version 2 of the ledger format, "
                "docs/ledger.md; write it again from its journal with `loyalty run`, or open a store with "
                "this version to upgrade it)";
    else if (!stored.debt_paid && replayed.debt_paid)  // the same for format 2, before settle_debt's field
        text += " (the stored entry has no debt_paid: a ledger written before version 3 of the ledger format, "
                "docs/ledger.md; write it again from its journal with `loyalty run`, or open a store with "
                "this version to upgrade it)";
    else if (!stored.uses && replayed.uses)  // the same for format 3, before benefit entries' uses
        text += " (the stored entry has no uses: a ledger written before version 4 of the ledger format, "
                "docs/ledger.md; write it again from its journal with `loyalty run`, or open a store with "
                "this version to upgrade it)";
    m.differs.reset(new verification_problem{stored.member, stored.seq, std::move(text), verified::entry, stored,
                                             replayed, std::move(diff)});
}

LOYALTY_INLINE void ledger_verifier::stored(const ledger_entry& e) {
    ++entries_;
    member_check& m = members_[e.member];
    ++m.stored;
    if (m.broken) return;
    if (auto broken = m.chain.next(e)) {
        // A group that does not match its hash breaks at its first entry, which `e` follows.
        const bool at_e = broken->seq == e.seq;
        m.broken.reset(new verification_problem{e.member, broken->seq, "hash chain: " + broken->problem,
                                                verified::entry, at_e ? std::optional<ledger_entry>(e) : std::nullopt,
                                                std::nullopt, {}});
        m.broken_at = at_e ? m.stored : 0;
        // Its pair: already given when the replay is ahead (the queue's first), else to come.
        if (at_e && !m.replayed_ahead.empty()) attach_replayed(*m.broken, m.replayed_ahead.front());
        m.stored_ahead.clear();
        m.replayed_ahead.clear();
        return;
    }
    if (m.replayed_ahead.empty()) {
        m.stored_ahead.push_back(e);
        return;
    }
    compare(m, e, m.replayed_ahead.front());
    m.replayed_ahead.pop_front();
}

LOYALTY_INLINE void ledger_verifier::replayed(const ledger_entry& e) {
    member_check& m = members_[e.member];
    ++m.replayed;
    if (m.broken) {
        if (m.replayed == m.broken_at) attach_replayed(*m.broken, e);
        return;
    }
    if (m.stored_ahead.empty()) {
        m.replayed_ahead.push_back(e);
        return;
    }
    compare(m, m.stored_ahead.front(), e);
    m.stored_ahead.pop_front();
}

LOYALTY_INLINE verification_report ledger_verifier::finish() const {
    verification_report report;
    report.entries = entries_;
    std::vector<verification_problem> only_replayed;
    for (const auto& [member, m] : members_) {
        if (m.stored == 0) {
            only_replayed.push_back({member, 1, "replay has entries for a member the ledger lacks", verified::entry,
                                     std::nullopt, m.replayed_ahead.front(), {}});
            continue;
        }
        ++report.members;
        if (m.broken) {
            report.problems.push_back(*m.broken);
        } else if (const auto last_group = m.chain.finish()) {  // the member's last group
            report.problems.push_back({member, last_group->seq, "hash chain: " + last_group->problem, verified::entry,
                                       std::nullopt, std::nullopt, {}});
        } else if (m.differs) {
            report.problems.push_back(*m.differs);
        } else if (!m.replayed_ahead.empty()) {
            const ledger_entry& r = m.replayed_ahead.front();
            report.problems.push_back({member, r.seq, "replay has an entry the ledger lacks", verified::entry,
                                       std::nullopt, r, {}});
        } else if (!m.stored_ahead.empty()) {
            const ledger_entry& s = m.stored_ahead.front();
            report.problems.push_back({member, s.seq, "ledger has an entry replay does not produce", verified::entry,
                                       s, std::nullopt, {}});
        }
    }
    for (verification_problem& p : only_replayed) report.problems.push_back(std::move(p));
    return report;
}

LOYALTY_INLINE std::map<std::string, std::vector<ledger_entry>> by_member(const std::vector<ledger_entry>& ledger) {
    std::map<std::string, std::vector<ledger_entry>> out;
    for (const ledger_entry& e : ledger) out[e.member].push_back(e);
    return out;
}

// Every chain of the stored ledger holds, and it equals `replayed`, the entries a replay of its
// journal wrote.
LOYALTY_INLINE verification_report verify_entries(const std::vector<ledger_entry>& stored,
                                                  const std::vector<ledger_entry>& replayed) {
    ledger_verifier v;
    for (const ledger_entry& e : stored) v.stored(e);
    for (const ledger_entry& e : replayed) v.replayed(e);
    return v.finish();
}

LOYALTY_INLINE verification_report verify(const program_versions& versions, const std::vector<event>& journal,
                                          const std::vector<ledger_entry>& stored) {
    return verify_entries(stored, replay(versions, journal).entries());
}

}  // namespace loyalty
