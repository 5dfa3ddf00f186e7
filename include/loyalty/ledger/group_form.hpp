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
#include <string>
#include <string_view>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/sha256.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty {

namespace group_form {

inline constexpr std::string_view tag = "loyalty-ledger-5\n";

LOYALTY_INLINE void put_uint(std::string& out, std::uint64_t v) {
    char bytes[10];
    std::size_t n = 0;
    while (v >= 0x80) {
        bytes[n++] = static_cast<char>(static_cast<unsigned char>(v | 0x80));
        v >>= 7;
    }
    bytes[n++] = static_cast<char>(static_cast<unsigned char>(v));
    out.append(bytes, n);
}
LOYALTY_INLINE void put_int(std::string& out, std::int64_t v) {
    put_uint(out, (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
}
LOYALTY_INLINE void put_text(std::string& out, std::string_view s) {
    put_uint(out, s.size());
    out.append(s.data(), s.size());
}
LOYALTY_INLINE void put_byte(std::string& out, unsigned char b) { out.push_back(static_cast<char>(b)); }
LOYALTY_INLINE void put_days(std::string& out, day d) { put_int(out, d.time_since_epoch().count()); }

// The group's opening: the tag, the previous group's hash and what every entry of it shares.
// `out` is cleared first.
LOYALTY_INLINE void begin(std::string& out, const sha256_digest& prev_hash, const ledger_entry& first) {
    out.assign(tag.data(), tag.size());
    out.append(reinterpret_cast<const char*>(prev_hash.data()), sha256_digest::size);
    put_text(out, first.member);
    put_text(out, first.event);
    put_text(out, first.program);
    put_int(out, first.version);
}

LOYALTY_INLINE void put_figures(std::string& out, const earn_figures& f) {
    put_byte(out, 1);
    put_text(out, f.base_text());
    put_uint(out, f.factors);
    for (std::size_t i = 0; i < f.factors; ++i) put_text(out, f.factor[i].to_string());
    put_text(out, f.per_text());
    put_text(out, to_string(f.mode));
    put_int(out, f.rounded);
    if (f.cap) {
        put_byte(out, 1);
        put_int(out, f.cap->count());
    } else {
        put_byte(out, 0);
    }
    if (f.carried) {
        put_byte(out, 1);
        put_text(out, f.carried->to_string());
    } else {
        put_byte(out, 0);
    }
}

// How many of an entry's factor sources are written: up to the last that is not the default
// ({rate, 0}), so that the arguments read back compare equal to the ones written.
LOYALTY_INLINE std::size_t sources_written(const reason_args& a) noexcept {
    std::size_t k = a.sources.size();
    while (k > 0 && a.sources[k - 1] == factor_source{}) --k;
    return k;
}

LOYALTY_INLINE void put_args(std::string& out, const reason_args& a) {
    put_text(out, a.code == reason_code::none ? std::string_view() : to_string(a.code));
    put_text(out, a.note());
    put_text(out, a.staff());
    put_text(out, a.reference());
    put_text(out, a.counterpart());
    put_text(out, a.other_lot());
    put_text(out, a.text());
    put_int(out, a.figure.count());
    put_int(out, a.count);
    put_int(out, a.cash);
    put_days(out, a.on);
    put_days(out, a.since);
    put_text(out, to_string(a.base));
    put_text(out, to_string(a.type));
    const std::size_t k = sources_written(a);
    put_uint(out, k);
    for (std::size_t i = 0; i < k; ++i) {
        put_text(out, to_string(a.sources[i].from));
        put_uint(out, a.sources[i].index);
    }
    put_byte(out, a.capped_per_event ? 1 : 0);
    if (a.period_used) {
        put_byte(out, 1);
        put_int(out, a.period_used->count());
    } else {
        put_byte(out, 0);
    }
}

// One entry of the group, appended.
LOYALTY_INLINE void add(std::string& out, const ledger_entry& e) {
    put_int(out, e.seq);
    put_int(out, e.at.time_since_epoch().count());
    put_text(out, to_string(e.kind));
    put_int(out, e.amount.count());
    put_int(out, e.balance.count());
    if (e.debt_paid) {
        put_byte(out, 1);
        put_int(out, e.debt_paid->count());
    } else {
        put_byte(out, 0);
    }
    put_text(out, e.lot);
    if (e.expires.empty()) {
        put_byte(out, 0);
    } else {
        const auto d = parse_day(e.expires);
        if (!d) throw error("loyalty.ledger.invalid_date", "", "expiry '" + e.expires + "' is not a day");
        put_byte(out, 1);
        put_days(out, *d);
    }
    put_text(out, e.rule);
    put_text(out, e.reverses);
    put_text(out, e.money);
    put_text(out, e.funder);
    put_text(out, e.store);
    if (e.uses) {
        put_byte(out, 1);
        put_int(out, *e.uses);
    } else {
        put_byte(out, 0);
    }
    if (e.figures) put_figures(out, *e.figures);
    else put_byte(out, 0);
    put_args(out, e.args);
}

// Whether `e` can be in the group that `first` opened: the fields the opening holds are its.
LOYALTY_INLINE bool shares_opening(const ledger_entry& first, const ledger_entry& e) noexcept {
    return e.member == first.member && e.event == first.event && e.program == first.program &&
           e.version == first.version;
}

}  // namespace group_form

// A buffer of this thread's for one group's form: reused, so that hashing allocates nothing once
// it is large enough. Not reentrant: one group's form is built and hashed before the next.
LOYALTY_INLINE std::string& group_form_buffer() {
    thread_local std::string buffer;
    return buffer;
}

// Seals entries [first, last) as one group after `prev_hash`: hashes their form once and gives
// each its prev_hash and the group's hash, which it returns. The entries are one member's, of one
// event, programme and version, in sequence order (posting writes them so; a caller that builds
// entries by hand groups them so).
template <class EntryIt, class Pick>
sha256_digest seal_group(EntryIt first, EntryIt last, const sha256_digest& prev_hash, Pick&& in_group) {
    std::string& form = group_form_buffer();
    bool opened = false;
    for (EntryIt it = first; it != last; ++it) {
        if (!in_group(*it)) continue;
        if (!opened) group_form::begin(form, prev_hash, *it), opened = true;
        group_form::add(form, *it);
    }
    const sha256_digest hash = sha256(form);
    for (EntryIt it = first; it != last; ++it)
        if (in_group(*it)) it->prev_hash = prev_hash, it->hash = hash;
    return hash;
}

template <class EntryIt>
sha256_digest seal_group(EntryIt first, EntryIt last, const sha256_digest& prev_hash) {
    return seal_group(first, last, prev_hash, [](const ledger_entry&) { return true; });
}

}  // namespace loyalty
