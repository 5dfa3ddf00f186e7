#pragma once
// Anchors: what a member's hash chain cannot show on its own. A chain proves that no entry
// inside it was changed, but not that its tail is all there: a ledger cut after any entry, or
// with its tail re-forged and re-hashed, or with well-hashed entries added at the end, still
// verifies. An anchor, written down by an auditor at a period close, pins history up to then.
//
// The anchor of the first N entries of a ledger (in the order it was written, which only
// grows at the end) is N and the SHA-256 of every member's chain head among them:
//   heads  = [[member, seq, hash], ...] of each member's last entry among the first N,
//            sorted by member (byte order of UTF-8, which is code-point order)
//   digest = SHA-256 of json.dumps(heads, separators=(",", ":"), ensure_ascii=False)
// written "v1:N:<64 hex digits>". Each head's hash commits to the member's whole chain, so any
// change to an entry among the first N, a deletion, or a cut before N changes the digest or
// leaves fewer than N entries. Entries after the first N are new history, which the next
// anchor covers. docs/ledger.md states the format; scripts/verify_ledger.py computes the same.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty {

struct ledger_anchor {
    std::size_t entries = 0;  // how many entries, from the first, the anchor covers
    std::string digest;       // SHA-256 of their members' chain heads, 64 lower-case hex digits

    std::string to_string() const { return "v1:" + std::to_string(entries) + ":" + digest; }
    friend bool operator==(const ledger_anchor& a, const ledger_anchor& b) {
        return a.entries == b.entries && a.digest == b.digest;
    }
    friend bool operator!=(const ledger_anchor& a, const ledger_anchor& b) { return !(a == b); }
};

// "v1:N:HEX" as `audit anchor` prints it; loyalty.ledger.invalid_anchor otherwise.
LOYALTY_INLINE ledger_anchor parse_anchor(std::string_view text) {
    const auto refuse = [&] {
        throw error("loyalty.ledger.invalid_anchor",
                    "'" + std::string(text) + "' is not an anchor like v1:39:<64 hex digits> (loyalty audit anchor)");
    };
    if (text.substr(0, 3) != "v1:") refuse();
    const std::size_t colon = text.find(':', 3);
    if (colon == std::string_view::npos || colon == 3 || colon - 3 > 18) refuse();
    ledger_anchor a;
    for (const char c : text.substr(3, colon - 3)) {
        if (c < '0' || c > '9') refuse();
        a.entries = a.entries * 10 + static_cast<std::size_t>(c - '0');
    }
    a.digest = std::string(text.substr(colon + 1));
    if (a.digest.size() != 64 || a.digest.find_first_not_of("0123456789abcdef") != std::string::npos) refuse();
    return a;
}

// The anchor of a ledger read one entry at a time, in the order written: add() every entry;
// the anchor covers the first `count` of them (all, by default). Holds one chain head per member.
class anchor_accumulator {
public:
    explicit anchor_accumulator(std::size_t count = static_cast<std::size_t>(-1)) : count_(count) {}
    void add(const ledger_entry& e) {
        if (added_++ < count_) heads_[e.member] = head{e.seq, e.hash};
    }
    // Entries added so far (those past `count` included).
    std::size_t added() const noexcept { return added_; }
    // The anchor of the first min(count, added()) entries.
    ledger_anchor anchor() const;

private:
    struct head {
        std::int64_t seq = 0;
        sha256_digest hash;
    };
    std::size_t count_;
    std::size_t added_ = 0;
    std::map<std::string, head> heads_;  // sorted by member, bytewise
};

LOYALTY_INLINE ledger_anchor anchor_accumulator::anchor() const {
    std::string text = "[";
    for (const auto& [member, h] : heads_) {
        if (text.size() > 1) text += ',';
        text += '[';
        detail::append_json_string(text, member);
        text += ',';
        text += std::to_string(h.seq);
        text += ',';
        text += '"';
        h.hash.append_hex(text);
        text += '"';
        text += ']';
    }
    text += ']';
    return ledger_anchor{std::min(count_, added_), sha256_hex(text)};
}

// The anchor of the first `count` entries of `ledger` (all of them when count exceeds its size).
LOYALTY_INLINE ledger_anchor anchor_of(const std::vector<ledger_entry>& ledger, std::size_t count) {
    anchor_accumulator a(count);
    for (std::size_t i = 0; i < count && i < ledger.size(); ++i) a.add(ledger[i]);
    return a.anchor();
}

LOYALTY_INLINE ledger_anchor anchor_of(const std::vector<ledger_entry>& ledger) { return anchor_of(ledger, ledger.size()); }

// Why the ledger `read` was given (every entry, to an accumulator made with anchor.entries) does
// not hold the history `anchor` pinned, or nothing when it does.
LOYALTY_INLINE std::optional<std::string> check_anchor(const anchor_accumulator& read, const ledger_anchor& anchor) {
    if (read.added() < anchor.entries)
        return "the ledger holds " + std::to_string(read.added()) + " entries, fewer than the " +
               std::to_string(anchor.entries) + " the anchor covers: history was cut";
    const ledger_anchor now = read.anchor();
    if (now.digest != anchor.digest)
        return "the first " + std::to_string(anchor.entries) + " entries are not those anchored: their chain heads hash to " +
               now.digest + ", the anchor says " + anchor.digest;
    return std::nullopt;
}

// Why `ledger` does not hold the history `anchor` pinned, or nothing when it does.
LOYALTY_INLINE std::optional<std::string> check_anchor(const std::vector<ledger_entry>& ledger, const ledger_anchor& anchor) {
    anchor_accumulator read(anchor.entries);
    for (const ledger_entry& e : ledger) read.add(e);
    return check_anchor(read, anchor);
}

}  // namespace loyalty
