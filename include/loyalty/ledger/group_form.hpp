#pragma once
// Ledger format 5's canonical form: the bytes one SHA-256 is taken over for a *group*, the entries
// one event wrote for one member (docs/ledger.md, "Ledger format 5"). Binary, fields in a fixed
// order, so that hashing an event's entries costs one pass over a few hundred bytes:
//
//   uint   unsigned LEB128: 7 bits a byte, least significant first, 0x80 on every byte but the last
//   int    a signed 64-bit value zigzag-coded ((x << 1) ^ (x >> 63), as unsigned), then uint
//   text   uint(its UTF-8 byte length), then its bytes
//   byte   one byte
//   opt_*  byte 0 when absent; else byte 1, then the value
//
//   group  = "loyalty-ledger-5\n" (17 bytes), prev_hash (32 bytes),
//            text member, text event, text program, int version, then each entry in sequence order
//   entry  = int seq, int at (seconds since 1970, UTC), text kind, int amount, int balance,
//            opt_int debt_paid, text lot, opt_int expires (days since 1970), text rule, text reverses,
//            text money, text funder, text store ("" when none), opt_int uses, figures, args
//   figures = byte 0 (none), or byte 1, text base, uint n, n x text factor, text per ("" none),
//            text rounding, int rounded, opt_int cap, opt_text carried
//   args   = text code, text note, text staff, text reference, text counterpart, text other_lot,
//            text text, int figure, int count, int cash, int on, int since (days since 1970),
//            text base, text type, uint k, k x (text from, uint index), byte capped_per_event,
//            opt_int period_used
//
// Texts are the words the JSON line writes (kinds, codes, decimals, ids), so that a verifier
// with nothing but the file (scripts/verify_ledger.py) builds the same bytes. A reason is not
// in it: it is rendered from the entry and its arguments (describe.hpp), never hashed.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/scratch_buffer.hpp"
#include "loyalty/core/sha256.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/core/varint.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/entry_list.hpp"

namespace loyalty {

namespace group_form {

inline constexpr std::string_view tag = "loyalty-ledger-5\n";

// The writers write at `p`, into room the caller made from the bounds below, and return the end
// of what they wrote (no check of room, no allocation: an event's form is one pass of stores).
constexpr std::size_t uint_bound = varint_bound;
LOYALTY_INLINE char* put_uint(char* p, std::uint64_t v) noexcept { return put_varint(p, v); }
LOYALTY_INLINE char* put_int(char* p, std::int64_t v) noexcept { return put_varint(p, zigzag(v)); }
LOYALTY_INLINE char* put_text(char* p, std::string_view s) noexcept {
    p = put_uint(p, s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());  // (an empty view's data may be null)
    return p + s.size();
}
LOYALTY_INLINE char* put_byte(char* p, unsigned char b) noexcept {
    *p = static_cast<char>(b);
    return p + 1;
}
LOYALTY_INLINE char* put_days(char* p, day d) noexcept { return put_int(p, d.time_since_epoch().count()); }
template <class T>
char* put_optional_int(char* p, const std::optional<T>& v) noexcept {
    if (!v) return put_byte(p, 0);
    return put_int(put_byte(p, 1), static_cast<std::int64_t>(*v));
}

// The same appended to a string (tests; the chain checker's form, built entry by entry).
LOYALTY_INLINE void put_uint(std::string& out, std::uint64_t v) {
    char bytes[uint_bound];
    out.append(bytes, static_cast<std::size_t>(put_uint(bytes, v) - bytes));
}
LOYALTY_INLINE void put_int(std::string& out, std::int64_t v) {
    char bytes[uint_bound];
    out.append(bytes, static_cast<std::size_t>(put_int(bytes, v) - bytes));
}

// The opening: the tag, the previous group's hash and what every entry of the group shares.
LOYALTY_INLINE std::size_t opening_bound(const entry_view& first) noexcept {
    return tag.size() + sha256_digest::size + 4 * uint_bound + first.member.size() + first.event.size() +
           first.program.size();
}
LOYALTY_INLINE char* write_opening(char* p, const sha256_digest& prev_hash, const entry_view& first) noexcept {
    std::memcpy(p, tag.data(), tag.size());
    p += tag.size();
    std::memcpy(p, prev_hash.data(), sha256_digest::size);
    p += sha256_digest::size;
    p = put_text(p, first.member);
    p = put_text(p, first.event);
    p = put_text(p, first.program);
    return put_int(p, first.version);
}

LOYALTY_INLINE char* write_figures(char* p, const std::optional<earn_figures>& figures) {
    if (!figures) return put_byte(p, 0);
    const earn_figures& f = *figures;
    p = put_byte(p, 1);
    p = put_text(p, f.base_text());
    p = put_uint(p, f.factors);
    for (std::size_t i = 0; i < f.factors; ++i) p = put_text(p, f.factor[i].to_string());
    p = put_text(p, f.per_text());
    p = put_text(p, to_string(f.mode));
    p = put_int(p, f.rounded);
    p = put_optional_int(p, f.cap ? std::optional<std::int64_t>(f.cap->count()) : std::nullopt);
    if (!f.carried) return put_byte(p, 0);
    return put_text(put_byte(p, 1), f.carried->to_string());
}

// How many of an entry's factor sources are written: up to the last that is not the default
// ({rate, 0}), so that the arguments read back compare equal to the ones written.
LOYALTY_INLINE std::size_t sources_written(const reason_args& a) noexcept {
    std::size_t k = a.sources.size();
    while (k > 0 && a.sources[k - 1] == factor_source{}) --k;
    return k;
}

LOYALTY_INLINE char* write_args(char* p, const reason_args& a) noexcept {
    p = put_text(p, a.code == reason_code::none ? std::string_view() : to_string(a.code));
    p = put_text(p, a.note());
    p = put_text(p, a.staff());
    p = put_text(p, a.reference());
    p = put_text(p, a.counterpart());
    p = put_text(p, a.other_lot());
    p = put_text(p, a.text());
    p = put_int(p, a.figure.count());
    p = put_int(p, a.count);
    p = put_int(p, a.cash);
    p = put_days(p, a.on);
    p = put_days(p, a.since);
    p = put_text(p, to_string(a.base));
    p = put_text(p, to_string(a.type));
    const std::size_t k = sources_written(a);
    p = put_uint(p, k);
    for (std::size_t i = 0; i < k; ++i) p = put_uint(put_text(p, to_string(a.sources[i].from)), a.sources[i].index);
    p = put_byte(p, a.capped_per_event ? 1 : 0);
    return put_optional_int(p, a.period_used ? std::optional<std::int64_t>(a.period_used->count()) : std::nullopt);
}

// The most bytes write_entry writes for `e`: its own texts and their lengths, and room for the
// rest at its longest, counted generously: 17 numbers (10 bytes each), 6 presence bytes, 7 names
// (kind, code, base, type, rounding: each under 32 bytes), 8 sources (a name and an index),
// 6 + 6 text lengths: under 1,024 bytes; the figures, 11 decimals of at most 48 bytes each with
// their lengths: under 1,024 more.
LOYALTY_INLINE std::size_t entry_bound(const entry_view& e) noexcept {
    const reason_args& a = e.args;
    const std::size_t texts = e.lot.size() + e.rule.size() + e.reverses.size() + e.money.size() + e.funder.size() +
                              e.store.size() + a.note().size() + a.staff().size() + a.reference().size() +
                              a.counterpart().size() + a.other_lot().size() + a.text().size();
    return 1024 + texts + (e.figures ? 1024 : 0);
}

// One entry of the group.
LOYALTY_INLINE char* write_entry(char* p, const entry_view& e) {
    p = put_int(p, e.seq);
    p = put_int(p, e.at.time_since_epoch().count());
    p = put_text(p, to_string(e.kind));
    p = put_int(p, e.amount.count());
    p = put_int(p, e.balance.count());
    p = put_optional_int(p, e.debt_paid ? std::optional<std::int64_t>(e.debt_paid->count()) : std::nullopt);
    p = put_text(p, e.lot);
    if (e.expires.empty()) {
        p = put_byte(p, 0);
    } else {
        const auto d = parse_day(e.expires);
        if (!d) throw error("loyalty.ledger.invalid_date", "", "expiry '" + std::string(e.expires) + "' is not a day");
        p = put_days(put_byte(p, 1), *d);
    }
    p = put_text(p, e.rule);
    p = put_text(p, e.reverses);
    p = put_text(p, e.money);
    p = put_text(p, e.funder);
    p = put_text(p, e.store);
    p = put_optional_int(p, e.uses);
    p = write_figures(p, e.figures);
    return write_args(p, e.args);
}

// The same appended to `out`: begin() clears it and writes the opening, add() an entry.
LOYALTY_INLINE void begin(std::string& out, const sha256_digest& prev_hash, const entry_view& first) {
    out.resize(opening_bound(first));
    out.resize(static_cast<std::size_t>(write_opening(&out[0], prev_hash, first) - out.data()));
}
LOYALTY_INLINE void add(std::string& out, const entry_view& e) {
    const std::size_t at = out.size();
    out.resize(at + entry_bound(e));
    out.resize(static_cast<std::size_t>(write_entry(&out[at], e) - out.data()));
}
// The same for an entry of text (one read from a file or a store).
LOYALTY_INLINE std::size_t entry_bound(const ledger_entry& e) noexcept { return entry_bound(view_of(e)); }
LOYALTY_INLINE void begin(std::string& out, const sha256_digest& prev_hash, const ledger_entry& first) {
    begin(out, prev_hash, view_of(first));
}
LOYALTY_INLINE void add(std::string& out, const ledger_entry& e) { add(out, view_of(e)); }


// The hash of the group of the entries view(i), i in [0, n), that in_group(i) picks: their form
// written once into this thread's scratch buffer and hashed. The entries are one member's, of
// one event, programme and version, in sequence order; at least one.
template <class View, class Pick>
sha256_digest hash_group(std::size_t n, const sha256_digest& prev_hash, View&& view, Pick&& in_group) {
    std::size_t opening = n;
    std::size_t bound = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (in_group(i)) {
            const entry_view e = view(i);
            if (opening == n) opening = i, bound = opening_bound(e);
            bound += entry_bound(e);
        }
    if (opening == n) throw std::logic_error("seal_group: a group has at least one entry");
    char* const form = scratch_buffer(bound);
    char* p = write_opening(form, prev_hash, view(opening));
    for (std::size_t i = opening; i < n; ++i)
        if (in_group(i)) p = write_entry(p, view(i));
    return sha256(std::string_view(form, static_cast<std::size_t>(p - form)));
}

}  // namespace group_form

// Seals the entries of [first, last) that `in_group` picks as one group after `prev_hash`: hashes
// their form once and gives each its prev_hash and the group's hash, which it returns. The
// entries are one member's, of one event, programme and version, in sequence order (posting
// writes them so; a caller that builds entries by hand groups them so); at least one.
template <class EntryIt, class Pick>
sha256_digest seal_group(EntryIt first, EntryIt last, const sha256_digest& prev_hash, Pick&& in_group) {
    const auto n = static_cast<std::size_t>(last - first);
    const auto picked = [&](std::size_t i) { return in_group(first[static_cast<std::ptrdiff_t>(i)]); };
    const sha256_digest hash = group_form::hash_group(
        n, prev_hash, [&](std::size_t i) { return view_of(first[static_cast<std::ptrdiff_t>(i)]); }, picked);
    for (std::size_t i = 0; i < n; ++i)
        if (picked(i)) first[static_cast<std::ptrdiff_t>(i)].prev_hash = prev_hash, first[static_cast<std::ptrdiff_t>(i)].hash = hash;
    return hash;
}

template <class EntryIt>
sha256_digest seal_group(EntryIt first, EntryIt last, const sha256_digest& prev_hash) {
    return seal_group(first, last, prev_hash, [](const ledger_entry&) { return true; });
}

// The same for the records of `entries` from `first` on whose member is `member` (posting seals
// its entries so: a transfer's two postings write into one list).
LOYALTY_INLINE sha256_digest seal_group(entry_list& entries, std::size_t first, const sha256_digest& prev_hash,
                                        std::string_view member) {
    const std::size_t n = entries.size() - first;
    const auto picked = [&](std::size_t i) { return entries.text(entries.record(first + i).member) == member; };
    const sha256_digest hash = group_form::hash_group(
        n, prev_hash, [&](std::size_t i) { return entries.view(first + i); }, picked);
    for (std::size_t i = 0; i < n; ++i)
        if (picked(i)) entries.record(first + i).prev_hash = prev_hash, entries.record(first + i).hash = hash;
    return hash;
}

}  // namespace loyalty
