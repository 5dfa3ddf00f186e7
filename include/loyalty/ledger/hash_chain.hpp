#pragma once
// The per-member hash chain. Each entry's hash is SHA-256 over its canonical serialisation,
// which includes the previous entry's hash. The format is documented in docs/ledger.md so
// that a verifier using only Python's standard library can re-check it:
//   json.dumps(entry_without_hash, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/sha256.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty {

// The prev_hash of a member's first entry: all zeros ("0" * 64 written).
LOYALTY_INLINE sha256_digest genesis_hash() noexcept { return sha256_digest{}; }

namespace detail {

// The bytes a JSON string literal escapes: control characters, '"' and '\\'.
struct json_escapes {
    bool escaped[256] = {};
    constexpr json_escapes() {
        for (int c = 0; c < 0x20; ++c) escaped[c] = true;
        escaped[static_cast<unsigned char>('"')] = true;
        escaped[static_cast<unsigned char>('\\')] = true;
    }
};
inline constexpr json_escapes json_escape_table{};

// Whether any of the 8 bytes of `w` is one a JSON string escapes (below 0x20, '"' or '\\').
// Exact: each test below is the standard "has a zero byte" / "has a byte less than n" word
// test, which can say which byte wrongly but never whether one is there.
LOYALTY_INLINE bool word_needs_escape(std::uint64_t w) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    const std::uint64_t below_space = (w - ones * 0x20) & ~w & highs;
    return (below_space | has_zero(w ^ (ones * '"')) | has_zero(w ^ (ones * '\\'))) != 0;
}

// A JSON string literal escaped exactly as Python's json.dumps(..., ensure_ascii=False) does.
// Text with nothing to escape (hashes, ids, most reasons) goes in eight bytes per test.
LOYALTY_INLINE void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    std::size_t clean = 0;  // s[0, clean) holds nothing to escape
    for (; clean + 8 <= s.size(); clean += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + clean, 8);
        if (word_needs_escape(w)) break;
    }
    std::size_t run = 0;  // start of the current run of characters copied as they are
    for (std::size_t i = clean; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (!json_escape_table.escaped[c]) continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            }
        }
    }
    out.append(s.data() + run, s.size() - run);
    out += '"';
}

// `,"key":` — keys are literals whose length is known at compile time, so the comma, quotes
// and key go in with one append.
template <std::size_t N>
inline void append_key(std::string& out, const char (&key)[N]) {
    char buf[N + 3];
    buf[0] = ',';
    buf[1] = '"';
    for (std::size_t i = 0; i + 1 < N; ++i) buf[2 + i] = key[i];
    buf[N + 1] = '"';
    buf[N + 2] = ':';
    out.append(buf, N + 3);
}
LOYALTY_INLINE void append_integer(std::string& out, std::int64_t value) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}
// An instant exactly as format_instant writes it ("2025-03-15T01:30:00Z"), quoted, without a
// temporary string; years outside 0000..9999 go through format_instant itself.
LOYALTY_INLINE void append_instant(std::string& out, instant t) {
    const day d = date::floor<date::days>(t);
    const date::year_month_day ymd(d);
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > 9999) {
        append_json_string(out, format_instant(t));
        return;
    }
    const auto s = static_cast<unsigned>((t - d).count());
    char buf[22] = {'"', 0, 0, 0, 0, '-', 0, 0, '-', 0, 0, 'T', 0, 0, ':', 0, 0, ':', 0, 0, 'Z', '"'};
    put_digits(buf + 1, static_cast<unsigned>(y), 4);
    put_digits(buf + 6, static_cast<unsigned>(ymd.month()), 2);
    put_digits(buf + 9, static_cast<unsigned>(ymd.day()), 2);
    put_digits(buf + 12, s / 3600, 2);
    put_digits(buf + 15, s / 60 % 60, 2);
    put_digits(buf + 18, s % 60, 2);
    out.append(buf, sizeof buf);
}
template <std::size_t N>
inline void append_field(std::string& out, const char (&key)[N], std::string_view value) {
    append_key(out, key);
    append_json_string(out, value);
}
template <std::size_t N>
inline void append_field(std::string& out, const char (&key)[N], const sha256_digest& value) {
    append_key(out, key);
    out += '"';
    value.append_hex(out);
    out += '"';
}
template <std::size_t N>
inline void append_field(std::string& out, const char (&key)[N], std::int64_t value) {
    append_key(out, key);
    append_integer(out, value);
}

// `,"figures":{...}`: an earn entry's figures, keys in byte order, decimals as decimal::to_string
// writes them (strings, so that no reader turns them into floating point).
LOYALTY_INLINE void append_figures_object(std::string& out, const earn_figures& f) {
    out += "{\"base\":";
    append_json_string(out, f.base_text());
    if (f.cap) append_field(out, "cap", f.cap->count());
    if (f.carried) append_field(out, "carried", f.carried->to_string());
    append_key(out, "factors");
    out += '[';
    for (std::size_t i = 0; i < f.factors; ++i) {
        if (i) out += ',';
        append_json_string(out, f.factor[i].to_string());
    }
    out += ']';
    if (f.per > 0) append_field(out, "per", f.per_text());  // a ratio rate only
    append_field(out, "rounded", f.rounded);
    append_field(out, "rounding", to_string(f.mode));
    out += '}';
}
LOYALTY_INLINE void append_figures(std::string& out, const earn_figures& f) {
    append_key(out, "figures");
    append_figures_object(out, f);
}

// Appends an entry as a JSON object, keys in byte order, no whitespace: the canonical form
// (below) when `hash` is null, else the same object with `"hash"` in its place among the keys,
// which is the entry's line in a ledger file (io::write_ledger_line).
LOYALTY_INLINE void append_entry_object(std::string& out, const ledger_entry& e, const sha256_digest* hash) {
    out += "{\"amount\":";
    append_integer(out, e.amount.count());
    append_key(out, "at");
    append_instant(out, e.at);
    append_field(out, "balance", e.balance.count());
    if (e.debt_paid) append_field(out, "debt_paid", e.debt_paid->count());  // only settle_debt entries
    append_field(out, "event", e.event);
    append_field(out, "expires", e.expires);
    if (e.figures) append_figures(out, *e.figures);  // only entries of an earning rule
    if (!e.funder.empty()) append_field(out, "funder", e.funder);  // only when the programme declares funders
    if (hash) append_field(out, "hash", *hash);
    append_field(out, "kind", to_string(e.kind));
    append_field(out, "lot", e.lot);
    append_field(out, "member", e.member);
    if (!e.money.empty()) append_field(out, "money", e.money);  // only entries that record money
    append_field(out, "prev_hash", e.prev_hash);
    append_field(out, "program", e.program);
    append_field(out, "reason", e.reason);
    append_field(out, "reverses", e.reverses);
    append_field(out, "rule", e.rule);
    append_field(out, "seq", e.seq);
    if (!e.store.empty()) append_field(out, "store", e.store);  // only entries of events that name a store
    if (e.uses) append_field(out, "uses", *e.uses);  // only benefit_use and benefit_return entries
    append_field(out, "version", e.version);
    out += '}';
}

// Writes the canonical form (below) into `out`, replacing what it held: a buffer reused from
// entry to entry keeps its capacity, so hashing allocates nothing for it.
LOYALTY_INLINE void write_canonical_form(std::string& out, const ledger_entry& e) {
    out.clear();
    append_entry_object(out, e, nullptr);
}

}  // namespace detail

// The canonical serialisation: every field but "hash", keys in byte order, no whitespace;
// "money" only when the entry records money (so it is absent from points-only entries), and
// "funder" and "store" only when not empty (so ledgers written before they existed still verify).
LOYALTY_INLINE std::string canonical_form(const ledger_entry& e) {
    std::string out;
    out.reserve(320 + e.reason.size());
    detail::write_canonical_form(out, e);
    return out;
}

// An entry's figures as the canonical form writes them (a JSON object), or "" when it has none.
LOYALTY_INLINE std::string figures_text(const std::optional<earn_figures>& f) {
    std::string out;
    if (f) detail::append_figures_object(out, *f);
    return out;
}

LOYALTY_INLINE sha256_digest entry_hash(const ledger_entry& e) {
    thread_local std::string form;  // reused: its capacity stays from one entry to the next
    detail::write_canonical_form(form, e);
    return sha256(form);
}

// The first problem in one member's chain, if any.
struct chain_break {
    std::int64_t seq = 0;  // the entry where the chain breaks
    std::string problem;
};

// A member's chain checked one entry at a time, in order: sequence 1, 2, 3 ...; each
// prev_hash is the previous hash; each hash matches the entry's content; each balance is the
// previous balance + amount. A verifier that reads a ledger as a stream keeps one per member.
class chain_checker {
public:
    // The break `e` makes in the chain so far, or nothing when it extends it.
    std::optional<chain_break> next(const ledger_entry& e) {
        const std::int64_t expected_seq = seq_ + 1;
        if (e.seq != expected_seq)
            return chain_break{e.seq, "sequence " + std::to_string(e.seq) + " where " +
                                          std::to_string(expected_seq) + " was expected (entry missing or moved)"};
        if (e.prev_hash != prev_) return chain_break{e.seq, "prev_hash does not match the previous entry's hash"};
        if (entry_hash(e) != e.hash) return chain_break{e.seq, "hash does not match the entry's content"};
        if (e.figures)
            if (std::string why = figures_problem(*e.figures, e.amount, e.kind != entry_kind::carry); !why.empty())
                return chain_break{e.seq, why};
        balance_ += e.amount.count();
        if (e.balance.count() != balance_) return chain_break{e.seq, "balance is not the running sum of amounts"};
        prev_ = e.hash;
        seq_ = e.seq;
        return std::nullopt;
    }

private:
    sha256_digest prev_ = genesis_hash();
    std::int64_t seq_ = 0;
    std::int64_t balance_ = 0;
};

// Checks one member's entries, in order, as chain_checker does.
LOYALTY_INLINE std::optional<chain_break> verify_chain(const std::vector<ledger_entry>& entries) {
    chain_checker chain;
    for (const ledger_entry& e : entries)
        if (auto broken = chain.next(e)) return broken;
    return std::nullopt;
}

}  // namespace loyalty
