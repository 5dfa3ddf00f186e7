#pragma once
// The per-member hash chain (docs/ledger.md). Ledger format 5, written since it exists: the
// entries one event wrote for one member are a group, hashed once (SHA-256 over the group's
// binary form, ledger/group_form.hpp, which starts with the previous group's hash); every entry
// of the group carries that hash. Format 4, still read and verified: each entry hashed alone,
// over its canonical JSON form with the previous entry's hash in it, which a verifier using only
// Python's standard library re-computes as
//   json.dumps(entry_without_hash, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
// The JSON writing below is also the ledger line's (io::append_ledger_line).
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/scratch_buffer.hpp"
#include "loyalty/core/sha256.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/group_form.hpp"

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

// Writing JSON text into a buffer the caller made large enough: each write_* function writes at
// `p` and returns the end of what it wrote. No function checks room: the callers size the buffer
// from bounds (a string takes at most 2 + 6 bytes per byte: quotes, and "\u00XX" per byte).

// The most bytes write_json_string writes for `s`.
constexpr std::size_t json_string_bound(std::size_t bytes) noexcept { return 2 + 6 * bytes; }

// A JSON string literal escaped exactly as Python's json.dumps(..., ensure_ascii=False) does.
// Text with nothing to escape (hashes, ids, most reasons) goes in eight bytes per test.
LOYALTY_INLINE char* write_json_string(char* p, std::string_view s) noexcept {
    *p++ = '"';
    std::size_t clean = 0;  // s[0, clean) holds nothing to escape
    for (; clean + 8 <= s.size(); clean += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + clean, 8);
        if (word_needs_escape(w)) break;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t run = 0;  // start of the current run of characters copied as they are
    for (std::size_t i = clean; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (!json_escape_table.escaped[c]) continue;
        std::memcpy(p, s.data() + run, i - run);
        p += i - run;
        run = i + 1;
        *p++ = '\\';
        switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            default:  // "\u00XX", lower-case hex
                p[0] = 'u', p[1] = '0', p[2] = '0', p[3] = hex[c >> 4], p[4] = hex[c & 0xf];
                p += 5;
        }
    }
    std::memcpy(p, s.data() + run, s.size() - run);
    p += s.size() - run;
    *p++ = '"';
    return p;
}

// The same appended to `out`.
LOYALTY_INLINE void append_json_string(std::string& out, std::string_view s) {
    char* const buffer = scratch_buffer(json_string_bound(s.size()));
    out.append(buffer, static_cast<std::size_t>(write_json_string(buffer, s) - buffer));
}

// `,"key":`: the comma, quotes and key in one copy (keys are literals of known length).
template <std::size_t N>
inline char* write_key(char* p, const char (&key)[N]) noexcept {
    *p++ = ',';
    *p++ = '"';
    std::memcpy(p, key, N - 1);
    p += N - 1;
    *p++ = '"';
    *p++ = ':';
    return p;
}
constexpr std::size_t integer_bound = 20;  // "-9223372036854775808"
LOYALTY_INLINE char* write_integer(char* p, std::int64_t value) noexcept {
    return std::to_chars(p, p + integer_bound, value).ptr;
}
// An instant exactly as format_instant writes it ("2025-03-15T01:30:00Z"), quoted; years
// outside 0000..9999 go through format_instant itself.
constexpr std::size_t instant_bound = json_string_bound(40);
LOYALTY_INLINE char* write_instant(char* p, instant t) {
    *p = '"';
    char* const end = write_instant_digits(p + 1, t);
    if (!end) return write_json_string(p, format_instant(t));
    *end = '"';
    return end + 1;
}
LOYALTY_INLINE char* write_digest(char* p, const sha256_digest& d) noexcept {
    *p++ = '"';
    p = d.write_hex(p);
    *p++ = '"';
    return p;
}

// `{...}`: an earn entry's figures, keys in byte order, decimals as decimal::to_string writes
// them (strings, so that no reader turns them into floating point). Every decimal and fixed
// text is at most 41 bytes (a 19-digit mantissa, a sign, a point and up to 18 decimals, with
// leading zeros), so figures_bound holds them all escaped as if each byte were escaped.
constexpr std::size_t figures_bound = 128 + (earn_figures::max_factors + 3) * (json_string_bound(41) + 1 + 16);
LOYALTY_INLINE char* write_figures_object(char* p, const earn_figures& f) {
    static constexpr char open[] = "{\"base\":";
    std::memcpy(p, open, sizeof open - 1);
    p = write_json_string(p + sizeof open - 1, f.base_text());
    if (f.cap) p = write_integer(write_key(p, "cap"), f.cap->count());
    if (f.carried) p = write_json_string(write_key(p, "carried"), f.carried->to_string());
    p = write_key(p, "factors");
    *p++ = '[';
    for (std::size_t i = 0; i < f.factors; ++i) {
        if (i) *p++ = ',';
        p = write_json_string(p, f.factor[i].to_string());
    }
    *p++ = ']';
    if (f.per > 0) p = write_json_string(write_key(p, "per"), f.per_text());  // a ratio rate only
    p = write_integer(write_key(p, "rounded"), f.rounded);
    p = write_json_string(write_key(p, "rounding"), to_string(f.mode));
    *p++ = '}';
    return p;
}
LOYALTY_INLINE void append_figures_object(std::string& out, const earn_figures& f) {
    char* const buffer = scratch_buffer(figures_bound);
    out.append(buffer, static_cast<std::size_t>(write_figures_object(buffer, f) - buffer));
}

// `{...}`: an entry's reason arguments as a format-5 line writes them (docs/ledger.md, "args"):
// keys in byte order, each only when it is not its default ("code" too: none, for an entry made
// without arguments, is written as no key, and the object may be empty).
LOYALTY_INLINE std::size_t args_object_bound(const reason_args& a) noexcept {
    const std::size_t text = a.note().size() + a.staff().size() + a.reference().size() + a.counterpart().size() +
                             a.other_lot().size() + a.text().size();
    return 512 + 6 * text + earn_figures::max_factors * 32;
}
LOYALTY_INLINE char* write_day(char* p, day d) {
    const std::string text = format_day(d);
    return write_json_string(p, text);
}
LOYALTY_INLINE char* write_args_object(char* p, const reason_args& a) {
    *p++ = '{';
    bool first = true;
    const auto key = [&](std::string_view name) -> char* {  // `"name":`, after a comma but for the first
        if (!first) *p++ = ',';
        first = false;
        *p++ = '"';
        std::memcpy(p, name.data(), name.size());
        p += name.size();
        *p++ = '"';
        *p++ = ':';
        return p;
    };
    if (a.base != earning_base::paid) p = write_json_string(key("base"), to_string(a.base));
    if (a.capped_per_event) {
        static constexpr char yes[] = "true";
        p = key("capped_per_event");
        std::memcpy(p, yes, sizeof yes - 1);
        p += sizeof yes - 1;
    }
    if (a.cash != 0) p = write_integer(key("cash"), a.cash);
    if (a.code != reason_code::none) p = write_json_string(key("code"), to_string(a.code));
    if (a.count != 0) p = write_integer(key("count"), a.count);
    if (!a.counterpart().empty()) p = write_json_string(key("counterpart"), a.counterpart());
    if (a.figure != points(0)) p = write_integer(key("figure"), a.figure.count());
    if (!a.note().empty()) p = write_json_string(key("note"), a.note());
    if (a.on != day{}) p = write_day(key("on"), a.on);
    if (!a.other_lot().empty()) p = write_json_string(key("other_lot"), a.other_lot());
    if (a.period_used) p = write_integer(key("period_used"), a.period_used->count());
    if (!a.reference().empty()) p = write_json_string(key("reference"), a.reference());
    if (a.since != day{}) p = write_day(key("since"), a.since);
    if (const std::size_t k = group_form::sources_written(a); k > 0) {
        p = key("sources");
        *p++ = '[';
        for (std::size_t i = 0; i < k; ++i) {
            if (i) *p++ = ',';
            *p++ = '[';
            p = write_json_string(p, to_string(a.sources[i].from));
            *p++ = ',';
            p = write_integer(p, a.sources[i].index);
            *p++ = ']';
        }
        *p++ = ']';
    }
    if (!a.staff().empty()) p = write_json_string(key("staff"), a.staff());
    if (!a.text().empty()) p = write_json_string(key("text"), a.text());
    if (a.type != event_type::repair_order) p = write_json_string(key("type"), to_string(a.type));
    *p++ = '}';
    return p;
}

// The most bytes write_entry_object writes for `e`: its text fields as if every byte were
// escaped, and room for its keys (about 200 bytes), numbers, instant, kind and two hashes.
LOYALTY_INLINE std::size_t entry_object_bound(const entry_view& e) noexcept {
    const std::size_t text = e.member.size() + e.event.size() + e.lot.size() + e.expires.size() + e.rule.size() +
                             e.program.size() + e.reason.size() + e.reverses.size() + e.money.size() +
                             e.funder.size() + e.store.size();
    return 1024 + 6 * text + (e.figures ? figures_bound : 0) + args_object_bound(e.args);
}

// Writes an entry as a JSON object, keys in byte order, no whitespace: the canonical form
// (below) when `hash` is null, else the same object with `"hash"` in its place among the keys,
// which is the entry's line in a ledger file (io::write_ledger_line). At most
// entry_object_bound(e) bytes.
LOYALTY_INLINE char* write_entry_object(char* p, const entry_view& e, const sha256_digest* hash) {
    static constexpr char open[] = "{\"amount\":";
    std::memcpy(p, open, sizeof open - 1);
    p = write_integer(p + sizeof open - 1, e.amount.count());
    const bool format_5 = hash && e.format == 5;  // a format-5 line: its arguments and format too
    if (format_5) p = write_args_object(write_key(p, "args"), e.args);
    p = write_instant(write_key(p, "at"), e.at);
    p = write_integer(write_key(p, "balance"), e.balance.count());
    if (e.debt_paid) p = write_integer(write_key(p, "debt_paid"), e.debt_paid->count());  // only settle_debt entries
    p = write_json_string(write_key(p, "event"), e.event);
    p = write_json_string(write_key(p, "expires"), e.expires);
    if (e.figures) p = write_figures_object(write_key(p, "figures"), *e.figures);  // only entries of an earning rule
    if (format_5) p = write_integer(write_key(p, "format"), 5);
    if (!e.funder.empty()) p = write_json_string(write_key(p, "funder"), e.funder);  // only when funders are declared
    if (hash) p = write_digest(write_key(p, "hash"), *hash);
    p = write_json_string(write_key(p, "kind"), to_string(e.kind));
    p = write_json_string(write_key(p, "lot"), e.lot);
    p = write_json_string(write_key(p, "member"), e.member);
    if (!e.money.empty()) p = write_json_string(write_key(p, "money"), e.money);  // only entries that record money
    p = write_digest(write_key(p, "prev_hash"), e.prev_hash);
    p = write_json_string(write_key(p, "program"), e.program);
    p = write_json_string(write_key(p, "reason"), e.reason);
    p = write_json_string(write_key(p, "reverses"), e.reverses);
    p = write_json_string(write_key(p, "rule"), e.rule);
    p = write_integer(write_key(p, "seq"), e.seq);
    if (!e.store.empty()) p = write_json_string(write_key(p, "store"), e.store);  // only entries of events that name a store
    if (e.uses) p = write_integer(write_key(p, "uses"), *e.uses);  // only benefit_use and benefit_return entries
    p = write_integer(write_key(p, "version"), e.version);
    *p++ = '}';
    return p;
}

// The same appended to `out`.
LOYALTY_INLINE void append_entry_object(std::string& out, const entry_view& e, const sha256_digest* hash) {
    char* const buffer = scratch_buffer(entry_object_bound(e));
    out.append(buffer, static_cast<std::size_t>(write_entry_object(buffer, e, hash) - buffer));
}

}  // namespace detail

// The canonical serialisation: every field but "hash", keys in byte order, no whitespace;
// "money" only when the entry records money (so it is absent from points-only entries), and
// "funder" and "store" only when not empty (so ledgers written before they existed still verify).
LOYALTY_INLINE std::string canonical_form(const ledger_entry& e) {
    std::string out;
    detail::append_entry_object(out, view_of(e), nullptr);
    return out;
}

// An entry's figures as the canonical form writes them (a JSON object), or "" when it has none.
LOYALTY_INLINE std::string figures_text(const std::optional<earn_figures>& f) {
    std::string out;
    if (f) detail::append_figures_object(out, *f);
    return out;
}

// An entry's reason arguments as a format-5 line writes them (a JSON object).
LOYALTY_INLINE std::string args_text(const reason_args& a) {
    char* const buffer = scratch_buffer(detail::args_object_bound(a));
    return std::string(buffer, static_cast<std::size_t>(detail::write_args_object(buffer, a) - buffer));
}

LOYALTY_INLINE sha256_digest entry_hash(const ledger_entry& e) {
    char* const form = scratch_buffer(detail::entry_object_bound(view_of(e)));  // reused from entry to entry
    const char* const end = detail::write_entry_object(form, view_of(e), nullptr);
    return sha256(std::string_view(form, static_cast<std::size_t>(end - form)));
}

// The first problem in one member's chain, if any.
struct chain_break {
    std::int64_t seq = 0;  // the entry where the chain breaks (a group's: its first entry)
    std::string problem;
};

// A member's chain checked one entry at a time, in order: sequence 1, 2, 3 ...; each balance is
// the previous balance + amount; each earning's figures give its amount; and the hashes:
//   - format 5 (group_form.hpp): the entries of one group carry the same prev_hash and hash; a
//     group's prev_hash is the previous group's (or format-4 entry's) hash, its entries share
//     member, event, programme and version, and its hash is SHA-256 of its form, checked when
//     the group ends: at the next entry of another group, or at finish();
//   - format 4: each entry's prev_hash is the previous hash and its hash is entry_hash().
// A verifier that reads a ledger as a stream keeps one per member, and asks each for finish()
// at the end.
class chain_checker {
public:
    // The break `e` makes in the chain so far (or the group before it, which `e` ends), or
    // nothing when it extends it.
    std::optional<chain_break> next(const ledger_entry& e) {
        const std::int64_t expected_seq = seq_ + 1;
        if (e.seq != expected_seq)
            return chain_break{e.seq, "sequence " + std::to_string(e.seq) + " where " +
                                          std::to_string(expected_seq) + " was expected (entry missing or moved)"};
        if (e.format == 5 && open_ && e.prev_hash == group_prev_ && e.hash == prev_) {
            if (e.event != event_ || e.program != program_ || e.version != version_)
                return chain_break{e.seq, "an entry of the group of entries from " + std::to_string(first_seq_) +
                                              " (event " + event_ + ") names another event, programme or version"};
            group_form::add(form_, e);
        } else {
            if (auto broken = finish()) return broken;
            open_ = false;
            if (e.prev_hash != prev_) return chain_break{e.seq, "prev_hash does not match the previous entry's hash"};
            if (e.format == 5) {
                open_ = true;
                group_prev_ = e.prev_hash;
                first_seq_ = e.seq;
                event_ = e.event;
                program_ = e.program;
                version_ = e.version;
                group_form::begin(form_, e.prev_hash, e);
                group_form::add(form_, e);
            } else if (entry_hash(e) != e.hash) {
                return chain_break{e.seq, "hash does not match the entry's content"};
            }
        }
        if (e.figures)
            if (std::string why = figures_problem(*e.figures, e.amount, e.kind != entry_kind::carry); !why.empty())
                return chain_break{e.seq, why};
        balance_ += e.amount.count();
        if (e.balance.count() != balance_) return chain_break{e.seq, "balance is not the running sum of amounts"};
        prev_ = e.hash;
        seq_ = e.seq;
        return std::nullopt;
    }

    // The break of the group still open, if its hash does not match its content (format 5).
    std::optional<chain_break> finish() const {
        if (!open_ || sha256(form_) == prev_) return std::nullopt;
        return chain_break{first_seq_, "hash does not match the content of the group of entries " +
                                           std::to_string(first_seq_) + "-" + std::to_string(seq_) + " (event " +
                                           event_ + ")"};
    }

private:
    sha256_digest prev_ = genesis_hash();  // the last entry's hash
    std::int64_t seq_ = 0;
    std::int64_t balance_ = 0;
    // The open group (format 5): its prev_hash, first entry, opening and form so far.
    bool open_ = false;
    sha256_digest group_prev_{};
    std::int64_t first_seq_ = 0;
    std::string event_, program_;
    std::int64_t version_ = 0;
    std::string form_;
};

// Checks one member's entries, in order, as chain_checker does.
LOYALTY_INLINE std::optional<chain_break> verify_chain(const std::vector<ledger_entry>& entries) {
    chain_checker chain;
    for (const ledger_entry& e : entries)
        if (auto broken = chain.next(e)) return broken;
    return chain.finish();
}

}  // namespace loyalty
