#pragma once
// The packed form of what an accepted event did (event_effect), as a member's state keeps it:
// only a later reversal reads it, so it is kept as bytes and unpacked when needed. The form is
// an implementation detail of the state in memory (snapshots keep their JSON); it only has to be
// exact: unpack(pack(e)) == e for every effect (a property test checks it).
//
// Integers are LEB128 varints (signed ones zigzag-coded); a string is its length and bytes, and
// a lot or voucher id that starts with "<event id>/" (the event's own lots) drops that prefix;
// within one effect a string written before (a benefit, its RO reference and VIN on every line,
// a rule and its lot) is written again as its number among the strings written so far; a
// currency is written once and then referred to as "the same as before". Packed with a name
// table (as a member's effect book packs), names (rule, benefit and reward ids, VINs, accounts,
// and the tails of the event's own lots' ids) are written as their numbers in the table, one
// byte for each of a member's first 16 names. A leading bit set says which parts are present,
// so an effect that holds nothing (an enrolment) packs to "".
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "loyalty/core/growth.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/varint.hpp"
#include "loyalty/member/effect.hpp"
#include "loyalty/member/name_table.hpp"

namespace loyalty {

namespace detail::effect_packing {

// A string's head: its length << 2 | how it is written (below); for a string written before by
// the same writer, its number among them << 2 | text_repeated; for a name in the table,
// (its number << 1 | 1 when it is the tail of an id of the event's own) << 2 | text_named.
enum text_form : unsigned { text_as_is = 0, text_own_id = 1, text_repeated = 2, text_named = 3 };

// At most this many strings of one pack are remembered for text_repeated (a repair order of
// 40 lines with two benefits each stays within it; past it, strings are written in full).
inline constexpr std::size_t remembered_texts = 48;

// The order's use of `benefit` that a line's use is part of: the first one naming it.
LOYALTY_INLINE const benefit_use* order_use(const std::vector<benefit_use>& order, std::string_view benefit) {
    for (const benefit_use& u : order)
        if (u.benefit == benefit) return &u;
    return nullptr;
}

class writer {
public:
    // `refer_back`: strings repeated within what this writer writes are written as references
    // (the reader must be made with it too, and read everything this writer wrote, in order).
    // `names`: the table name() writes numbers of (adding names it does not hold yet); the
    // reader needs the same table. Without one, name() writes text().
    // What it writes is gathered in a block of its own and appended to `out` a block at a time:
    // finish() appends the rest, and `out` holds all of it only then.
    writer(std::string& out, std::string_view event_id, bool refer_back = false, name_table* names = nullptr)
        : out_(out), event_id_(event_id), refer_back_(refer_back), names_(names) {}
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    void unsigned_int(std::uint64_t v) {
        room(varint_bound);
        used_ = static_cast<std::size_t>(put_varint(block_ + used_, v) - block_);
    }
    void signed_int(std::int64_t v) { unsigned_int(zigzag(v)); }
    void flag(bool b) {
        room(1);
        block_[used_++] = static_cast<char>(b ? 1 : 0);
    }
    void finish() {
        out_.append(block_, used_);
        used_ = 0;
    }
    void text(std::string_view s) {
        if (refer_back_ && !s.empty() && s.size() <= UINT32_MAX) {
            // Fingerprints first: a redemption's lot ids ("<event>/<rule>", 61 of them across 100
            // lots) share their length, prefix and suffix, and comparing each with every
            // remembered one called memcmp about 1,500 times a redemption.
            const std::uint32_t h = fingerprint(s);
            for (std::size_t i = 0; i < texts_; ++i)
                if (text_[i].hash == h && text_[i].size == s.size() && std::memcmp(text_[i].data, s.data(), s.size()) == 0) {
                    unsigned_int(static_cast<std::uint64_t>(i) << 2 | text_repeated);
                    return;
                }
            if (texts_ < remembered_texts) text_[texts_++] = {s.data(), static_cast<std::uint32_t>(s.size()), h};
        }
        // Ids of the event's own lots and vouchers ("<event id>/<rule id>") keep only their tail.
        if (own_id(s)) {
            const std::string_view tail = s.substr(event_id_.size() + 1);
            unsigned_int(static_cast<std::uint64_t>(tail.size()) << 2 | text_own_id);
            bytes(tail);
            return;
        }
        unsigned_int(static_cast<std::uint64_t>(s.size()) << 2 | text_as_is);
        bytes(s);
    }
    // A name: a rule, benefit or reward id, a VIN, an account. With a table, its number there.
    void name(std::string_view s) {
        if (!names_) return text(s);
        named(names_->add(s), false);
    }
    // A lot's id: one of the event's own lots ("<event id>/<rule id>", "<event id>/transfer#2")
    // as the number of its tail in the table; any other (another event's lot, or an own lot whose
    // tail is itself an id, as a cancelled redemption's is) as text(), which never fills the table.
    void lot_id(std::string_view s) {
        if (!names_ || !own_id(s)) return text(s);
        const std::string_view tail = s.substr(event_id_.size() + 1);
        if (tail.find('/') != std::string_view::npos) return text(s);
        named(names_->add(tail), true);
    }
    void day_value(day d) { signed_int(d.time_since_epoch().count()); }
    void points_value(points p) { signed_int(p.count()); }
    void money_value(const money& m) {
        signed_int(m.minor_units());
        const std::string_view code = m.currency_of().code();
        if (have_currency_ && code == std::string_view(last_currency_, 3)) {
            flag(false);
            return;
        }
        flag(true);
        bytes(code);
        for (int i = 0; i < 3; ++i) last_currency_[i] = code[static_cast<std::size_t>(i)];
        have_currency_ = true;
    }
    void decimal_value(const decimal& d) {
        signed_int(d.mantissa());
        unsigned_int(static_cast<std::uint64_t>(d.scale()));
    }
    void benefit(const benefit_use& u) {
        name(u.benefit);
        day_value(u.on);
        signed_int(u.uses);
        signed_int(u.discount);
        text(u.reference);
        name(u.vin);
        flag(u.odometer_km.has_value());
        if (u.odometer_km) signed_int(*u.odometer_km);
    }
    // A repair order line's part of one of the order's benefit uses (`order`: the order's uses,
    // written before): its day and reference are mostly the order's use's, and it names no
    // vehicle, which one flag says instead of writing them again.
    void line_benefit(const benefit_use& u, const std::vector<benefit_use>& order) {
        const benefit_use* whole = order_use(order, u.benefit);
        const bool as_order = whole && whole->on == u.on && whole->reference == u.reference && u.vin.empty() &&
                              !u.odometer_km;
        name(u.benefit);
        signed_int(u.uses);
        signed_int(u.discount);
        flag(as_order);
        if (as_order) return;
        day_value(u.on);
        text(u.reference);
        name(u.vin);
        flag(u.odometer_km.has_value());
        if (u.odometer_km) signed_int(*u.odometer_km);
    }
    template <class Items, class F>  // a std::vector or a small_vector
    void list(const Items& items, F&& each) {
        unsigned_int(items.size());
        for (const auto& x : items) each(x);
    }

private:
    bool own_id(std::string_view s) const noexcept {
        return s.size() > event_id_.size() && s[event_id_.size()] == '/' && s.substr(0, event_id_.size()) == event_id_;
    }
    void named(name_table::number n, bool own) {
        unsigned_int((static_cast<std::uint64_t>(n) << 1 | (own ? 1u : 0u)) << 2 | text_named);
    }

    // Room for `n` more bytes in the block (appending it to `out` when it has too little).
    void room(std::size_t n) {
        if (used_ + n > sizeof block_) finish();
    }
    void bytes(std::string_view s) {
        if (s.size() > sizeof block_ / 2) {  // a long text goes straight on
            finish();
            out_.append(s);
            return;
        }
        room(s.size());
        if (!s.empty()) std::memcpy(block_ + used_, s.data(), s.size());
        used_ += s.size();
    }

    std::string& out_;
    // Left uninitialised, as text_ below: only the first used_ bytes are ever read.
    char block_[256];
    std::size_t used_ = 0;
    std::string_view event_id_;
    char last_currency_[3] = {};
    bool have_currency_ = false;
    bool refer_back_ = false;
    name_table* names_ = nullptr;
    // A remembered string: a view of the caller's, alive while it packs, and its fingerprint.
    struct remembered {
        const char* data;
        std::uint32_t size;
        std::uint32_t hash;
    };
    // FNV-1a, 32 bits.
    static std::uint32_t fingerprint(std::string_view s) noexcept {
        std::uint32_t h = 2166136261u;
        for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
        return h;
    }
    std::size_t texts_ = 0;
    // Only the first texts_ are ever read, so the array is left uninitialised: a writer is made
    // for every effect and every spent lot, and zeroing it (768 bytes) showed in profiles.
    remembered text_[remembered_texts];
};

class reader {
public:
    reader(std::string_view in, std::string_view event_id, bool refer_back = false, const name_table* names = nullptr)
        : in_(in), event_id_(event_id), refer_back_(refer_back), names_(names) {}

    std::uint64_t unsigned_int() {
        std::uint64_t v = 0;
        for (int shift = 0;; shift += 7) {
            const auto b = static_cast<unsigned char>(in_.at(pos_++));
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80)) return v;
        }
    }
    std::int64_t signed_int() {
        const std::uint64_t u = unsigned_int();
        return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
    }
    bool flag() { return in_.at(pos_++) != 0; }
    std::string text() { return text_as<std::string>(); }
    // The same as a basic_short_id<N> (a benefit use's texts), without a heap block when it fits.
    template <std::size_t N>
    basic_short_id<N> short_text() { return text_as<basic_short_id<N>>(); }
    // A lot's id, written by writer::lot_id() or text(), without a heap block when it fits.
    lot_id_text lot_id() { return text_as<lot_id_text>(); }
    day day_value() { return day(date::days(static_cast<int>(signed_int()))); }
    points points_value() { return points(signed_int()); }
    money money_value() {
        const std::int64_t minor = signed_int();
        if (flag()) {
            const auto c = currency::from_code(in_.substr(pos_, 3));
            pos_ += 3;
            last_currency_ = c ? *c : currency::none();
        }
        return money(minor, last_currency_);
    }
    decimal decimal_value() {
        const std::int64_t m = signed_int();
        return decimal(m, static_cast<int>(unsigned_int()));
    }
    benefit_use benefit() {
        benefit_use u;
        u.benefit = short_text<32>();
        u.on = day_value();
        u.uses = signed_int();
        u.discount = signed_int();
        u.reference = short_text<24>();
        u.vin = short_text<24>();
        if (flag()) u.odometer_km = signed_int();
        return u;
    }
    // What writer::line_benefit() wrote, with the order's uses read before.
    benefit_use line_benefit(const std::vector<benefit_use>& order) {
        benefit_use u;
        u.benefit = short_text<32>();
        u.uses = signed_int();
        u.discount = signed_int();
        if (flag()) {
            const benefit_use* whole = order_use(order, u.benefit);
            if (!whole) throw std::out_of_range("effect_packing: a line's benefit use without the order's");
            u.on = whole->on;
            u.reference = whole->reference;
            return u;
        }
        u.on = day_value();
        u.reference = short_text<24>();
        u.vin = short_text<24>();
        if (flag()) u.odometer_km = signed_int();
        return u;
    }
    template <class Items, class F>  // a std::vector or a small_vector
    void list(Items& items, F&& each) {
        const std::size_t n = static_cast<std::size_t>(unsigned_int());
        items.reserve(n);
        for (std::size_t i = 0; i < n; ++i) items.push_back(each());
    }
    // Bytes read so far.
    std::size_t position() const noexcept { return pos_; }

private:
    // Where a string's bytes are in the input, and whether the event's id and '/' go before them.
    // (No default member initialisers: the array of them below is left uninitialised, as the
    // writer's is; every one is written before it is read.)
    struct written {
        std::uint32_t at;
        std::uint32_t size;
        bool own_id;
    };
    // "<event id>/<rest>" for an own lot's id, else `rest`, as a std::string or a lot_id_text.
    template <class Text>
    Text spelled(bool own, std::string_view rest) const {
        if constexpr (std::is_same_v<Text, std::string>) {
            std::string out;
            if (own) {
                out.reserve(event_id_.size() + 1 + rest.size());
                out.append(event_id_).append(1, '/');
            }
            out.append(rest);
            return out;  // by name: returned in place (append()'s reference would be copied)
        } else {
            return own ? Text::joined(event_id_, '/', rest) : Text(rest);
        }
    }
    template <class Text>
    Text spelled(const written& w) const {
        return spelled<Text>(w.own_id, in_.substr(w.at, w.size));
    }
    template <class Text>
    Text text_as() {
        const std::uint64_t head = unsigned_int();
        const auto form = static_cast<unsigned>(head & 3);
        if (form == text_repeated) {
            const std::uint64_t n = head >> 2;
            if (n >= texts_) throw std::out_of_range("effect_packing: a reference to a string not written before");
            return spelled<Text>(text_[static_cast<std::size_t>(n)]);
        }
        if (form == text_named) {
            const std::uint64_t n = head >> 2;
            if (!names_ || (n >> 1) > UINT32_MAX) throw std::out_of_range("effect_packing: a name not in the table");
            const std::string_view name = (*names_)[static_cast<name_table::number>(n >> 1)];  // std::out_of_range if unknown
            return spelled<Text>((n & 1) != 0, name);
        }
        if (form != text_as_is && form != text_own_id) throw std::out_of_range("effect_packing: a string of unknown form");
        if ((head >> 2) > in_.size() - std::min(pos_, in_.size()))
            throw std::out_of_range("effect_packing: a string past the end");
        const written w{static_cast<std::uint32_t>(pos_), static_cast<std::uint32_t>(head >> 2), form == text_own_id};
        pos_ += w.size;
        // As the writer remembers them: every string but the empty one ("<event id>/" is not empty).
        if (refer_back_ && (w.size > 0 || w.own_id) && texts_ < remembered_texts) text_[texts_++] = w;
        return spelled<Text>(w);
    }

    std::string_view in_;
    std::string_view event_id_;
    std::size_t pos_ = 0;
    currency last_currency_ = currency::none();
    bool refer_back_ = false;
    const name_table* names_ = nullptr;
    std::size_t texts_ = 0;
    std::array<written, remembered_texts> text_;  // the first texts_ are set
};

// The parts of an effect, in the order they are packed; bit i of the leading varint says part i
// is present.
enum part : unsigned {
    earned_part, consumed_part, cap_part, benefit_part, voucher_use_part, reward_part, cash_part, vouchers_part,
    account_part, lines_part, bases_part,
};

// A repair order line's leading varint: which of its mostly-empty parts follow.
enum line_bit : unsigned { line_refunded = 1, line_returned = 2, line_benefit_uses = 4, line_vouchers = 8 };
// An earning basis's leading varint: these bits, and the rounding mode above them (<< 5).
enum basis_bit : unsigned { basis_taken_back = 1, basis_expired_excused = 2, basis_carry = 4, basis_per = 8, basis_divisor = 16 };

}  // namespace detail::effect_packing

// Packs everything of `e` but what effect_summary keeps (type, at, reversed, settled, closed order).
// With `names`, names are written as their numbers there, added as needed (unpack with the same
// table); without, as text.
// pack_effect_into() writes into `out` (cleared first, its capacity kept): a caller that packs
// one effect after another and copies each where it goes (the effect book) reuses one buffer.
LOYALTY_INLINE void pack_effect_into(std::string& out, const event_effect& e, std::string_view event_id,
                                     name_table* names = nullptr) {
    using namespace detail::effect_packing;
    out.clear();
    unsigned present = 0;
    const auto mark = [&](part p, bool on) { present |= on ? 1u << p : 0u; };
    mark(earned_part, !e.earned.empty());
    mark(consumed_part, !e.consumed.empty());
    mark(cap_part, !e.cap_uses.empty());
    mark(benefit_part, !e.benefit_uses.empty());
    mark(voucher_use_part, !e.voucher_uses.empty());
    mark(reward_part, !e.reward.empty() || e.quantity != 0);
    mark(cash_part, e.cash.has_value());
    mark(vouchers_part, !e.vouchers.empty());
    mark(account_part, !e.account.empty() || !(e.account_spend == money()));
    mark(lines_part, !e.lines.empty());
    mark(bases_part, !e.bases.empty());
    if (present == 0) return;
    writer w(out, event_id, true, names);
    w.unsigned_int(present);
    const auto lot_amounts = [&](const loyalty::lot_amounts& v) {
        w.list(v, [&](const auto& x) {
            w.lot_id(x.first);
            w.points_value(x.second);
        });
    };
    if (present & 1u << earned_part) lot_amounts(e.earned);
    if (present & 1u << consumed_part) lot_amounts(e.consumed);
    if (present & 1u << cap_part)
        w.list(e.cap_uses, [&](const cap_use& c) {
            w.name(c.rule);
            w.day_value(c.on);
            w.points_value(c.amount);
        });
    if (present & 1u << benefit_part) w.list(e.benefit_uses, [&](const benefit_use& u) { w.benefit(u); });
    if (present & 1u << voucher_use_part)
        w.list(e.voucher_uses, [&](const voucher_use& u) {
            w.text(u.voucher);
            w.money_value(u.used);
            w.money_value(u.forfeited);
        });
    if (present & 1u << reward_part) {
        w.name(e.reward);
        w.signed_int(e.quantity);
    }
    if (present & 1u << cash_part) w.money_value(*e.cash);
    if (present & 1u << vouchers_part) w.list(e.vouchers, [&](const std::string& v) { w.text(v); });
    if (present & 1u << account_part) {
        w.name(e.account);
        w.money_value(e.account_spend);
    }
    if (present & 1u << lines_part)
        w.list(e.lines, [&](const order_line_effect& l) {
            // Most lines were paid and nothing more: what is not there is said by one byte.
            const bool refunded = !(l.refunded == money::zero(l.paid.currency_of()));
            w.unsigned_int((refunded ? line_refunded : 0u) | (l.returned ? line_returned : 0u) |
                           (l.benefit_uses.empty() ? 0u : line_benefit_uses) | (l.vouchers.empty() ? 0u : line_vouchers));
            w.money_value(l.paid);
            if (refunded) w.money_value(l.refunded);
            if (!l.benefit_uses.empty())
                w.list(l.benefit_uses, [&](const benefit_use& u) { w.line_benefit(u, e.benefit_uses); });
            if (!l.vouchers.empty())
                w.list(l.vouchers, [&](const std::pair<std::string, money>& v) {
                    w.text(v.first);
                    w.money_value(v.second);
                });
        });
    if (present & 1u << bases_part)
        w.list(e.bases, [&](const earning_basis& b) {
            // The rounding mode and which of the mostly-zero figures follow, in one varint.
            w.unsigned_int(static_cast<std::uint64_t>(b.mode) << 5 | (b.taken_back != points(0) ? basis_taken_back : 0u) |
                           (b.expired_excused != points(0) ? basis_expired_excused : 0u) | (b.carry ? basis_carry : 0u) |
                           (b.per != 0 ? basis_per : 0u) | (b.divisor_exponent != 0 ? basis_divisor : 0u));
            w.name(b.rule);
            w.lot_id(b.lot);
            w.list(b.counted, [&](std::int64_t c) { w.signed_int(c); });
            w.list(b.factors, [&](const decimal& f) { w.decimal_value(f); });
            if (b.divisor_exponent != 0) w.signed_int(b.divisor_exponent);
            w.points_value(b.earned);
            if (b.taken_back != points(0)) w.points_value(b.taken_back);
            if (b.expired_excused != points(0)) w.points_value(b.expired_excused);
            if (b.per != 0) w.signed_int(b.per);
        });
    w.finish();
}
LOYALTY_INLINE std::string pack_effect(const event_effect& e, std::string_view event_id, name_table* names = nullptr) {
    std::string out;
    pack_effect_into(out, e, event_id, names);
    return out;
}

// The effect `summary` and `packed` (pack_effect of the event `event_id`, with `names` when it
// was packed with them) describe.
LOYALTY_INLINE event_effect unpack_effect(const effect_summary& summary, std::string_view packed, std::string_view event_id,
                                          const name_table* names = nullptr) {
    using namespace detail::effect_packing;
    event_effect e;
    e.type = summary.type;
    e.at = summary.at;
    e.reversed = summary.reversed;
    e.settled = summary.settled;
    e.closed_order = summary.closed_order;
    if (packed.empty()) return e;
    reader r(packed, event_id, true, names);
    const auto present = static_cast<unsigned>(r.unsigned_int());
    const auto lot_amounts = [&](loyalty::lot_amounts& v) {
        r.list(v, [&] {
            lot_id_text id = r.lot_id();
            return std::pair<lot_id_text, points>(std::move(id), r.points_value());
        });
    };
    if (present & 1u << earned_part) lot_amounts(e.earned);
    if (present & 1u << consumed_part) lot_amounts(e.consumed);
    if (present & 1u << cap_part)
        r.list(e.cap_uses, [&] {
            cap_use c;
            c.rule = r.text();
            c.on = r.day_value();
            c.amount = r.points_value();
            return c;
        });
    if (present & 1u << benefit_part) r.list(e.benefit_uses, [&] { return r.benefit(); });
    if (present & 1u << voucher_use_part)
        r.list(e.voucher_uses, [&] {
            voucher_use u;
            u.voucher = r.text();
            u.used = r.money_value();
            u.forfeited = r.money_value();
            return u;
        });
    if (present & 1u << reward_part) {
        e.reward = r.text();
        e.quantity = r.signed_int();
    }
    if (present & 1u << cash_part) e.cash = r.money_value();
    if (present & 1u << vouchers_part) r.list(e.vouchers, [&] { return r.text(); });
    if (present & 1u << account_part) {
        e.account = r.text();
        e.account_spend = r.money_value();
    }
    if (present & 1u << lines_part)
        r.list(e.lines, [&] {
            order_line_effect l;
            const auto bits = static_cast<unsigned>(r.unsigned_int());
            l.paid = r.money_value();
            l.refunded = bits & line_refunded ? r.money_value() : money::zero(l.paid.currency_of());
            l.returned = (bits & line_returned) != 0;
            if (bits & line_benefit_uses) r.list(l.benefit_uses, [&] { return r.line_benefit(e.benefit_uses); });
            if (bits & line_vouchers)
                r.list(l.vouchers, [&] {
                    std::string id = r.text();
                    return std::pair<std::string, money>(std::move(id), r.money_value());
                });
            return l;
        });
    if (present & 1u << bases_part)
        r.list(e.bases, [&] {
            earning_basis b;
            const std::uint64_t bits = r.unsigned_int();
            b.mode = static_cast<rounding>(bits >> 5);
            b.carry = (bits & basis_carry) != 0;
            b.rule = r.text();
            b.lot = r.lot_id();
            r.list(b.counted, [&] { return r.signed_int(); });
            r.list(b.factors, [&] { return r.decimal_value(); });
            if (bits & basis_divisor) b.divisor_exponent = static_cast<int>(r.signed_int());
            b.earned = r.points_value();
            if (bits & basis_taken_back) b.taken_back = r.points_value();
            if (bits & basis_expired_excused) b.expired_excused = r.points_value();
            if (bits & basis_per) b.per = r.signed_int();
            return b;
        });
    return e;
}

}  // namespace loyalty
