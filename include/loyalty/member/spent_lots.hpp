#pragma once
// A member's spent lots: lots with no points left (spent, expired, taken back), kept packed.
//
// Most of a long-standing member's lots are spent (59% of them after five years of the generated
// journal), and nothing reads a spent lot again but a reversal or a cancelled redemption that
// gives points back into it, or takes back what it earned. So the state keeps only lots with
// points in member_state::lots, and the spent ones here, as bytes (the varints of
// member/effect_codec.hpp; the event id as text, the rule, funder and id tail as their numbers in
// the member's name_table): about 36 bytes a lot instead of 104. A lot is unpacked
// again (member_state::find_lot) when one of those reads it; every other rule reads points, and
// a spent lot holds none. The form is an implementation detail of the state in memory
// (snapshots write every lot as JSON): it only has to be exact, dig_up(bury(l)) == l.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/prefetch.hpp"
#include "loyalty/core/varint.hpp"
#include "loyalty/member/effect_codec.hpp"
#include "loyalty/member/lot.hpp"

namespace loyalty {

class spent_lots {
public:
    std::size_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }

    // Keeps `l` (which holds no points) packed. Its names stay numbers in the member's `names`,
    // which every other call must be given too (a state keeps both).
    void bury(const lot_record& l) {
        // The body: varints and a flag written in place (no string grown byte by byte), the bytes
        // the codec's writer would write (days, instants and points zigzag-coded), which
        // unpack() reads back with its reader; dig_up(bury(l)) == l is tested.
        char body[12 * varint_bound + 1];
        char* p = body;
        p = put_varint(p, l.tail);
        p = put_varint(p, l.rule);
        p = put_varint(p, l.funder);
        p = put_varint(p, l.ordinal);
        p = put_varint(p, zigzag(l.earned_on.time_since_epoch().count()));
        p = put_varint(p, zigzag(l.available_at.time_since_epoch().count()));
        p = put_varint(p, zigzag(l.credited_at.time_since_epoch().count()));
        *p++ = static_cast<char>(l.expires_on ? 1 : 0);
        if (l.expires_on) p = put_varint(p, zigzag(l.expires_on->time_since_epoch().count()));
        p = put_varint(p, zigzag(l.earned.count()));
        p = put_varint(p, zigzag(l.remaining.count()));
        p = put_varint(p, zigzag(l.expired.count()));
        const auto size = static_cast<std::size_t>(p - body);
        room_for(packed_, l.event.size() + size + 24);  // two heads: at most 24
        detail::effect_packing::writer head(packed_, {});
        head.text(l.event);
        head.unsigned_int(size);
        head.finish();  // the head's bytes, before the body
        packed_.append(body, size);
        ++count_;
    }

    // The lot `id`, taken out of the spent ones; none when no spent lot has that id.
    std::optional<lot_record> dig_up(std::string_view id, const name_table& names) {
        std::size_t at = 0;
        while (at < packed_.size()) {
            const record r = read_record(at);
            if (lot_record::id_fits(id, r.event)) {
                lot_record l = unpack(r);
                if (names[l.tail] == id.substr(r.event.size() + 1)) {
                    packed_.erase(at, r.end - at);
                    --count_;
                    return l;
                }
            }
            at = r.end;
        }
        return std::nullopt;
    }

    // Every spent lot, with its names written out, in the order they were buried.
    std::vector<lot> all(const name_table& names) const {
        std::vector<lot> out;
        out.reserve(count_);
        for (std::size_t at = 0; at < packed_.size();) {
            const record r = read_record(at);
            out.push_back(unpack(r).written(names));
            at = r.end;
        }
        return out;
    }

    // Reads the end of the packed lots ahead of use, where bury() appends (core/prefetch.hpp:
    // changes nothing).
    void prefetch() const noexcept {
        const std::size_t tail = std::min<std::size_t>(packed_.size(), 128);
        prefetch_bytes(packed_.data() + packed_.size() - tail, tail);
    }

    // Bytes beyond the object itself (an estimate for benchmarks, not an allocator's count).
    std::size_t heap_bytes() const noexcept { return packed_.capacity() > 15 ? packed_.capacity() + 1 : 0; }

private:
    struct record {
        std::string event;
        std::string_view body;
        std::size_t end = 0;  // offset of the next record
    };

    record read_record(std::size_t at) const {
        detail::effect_packing::reader head(std::string_view(packed_).substr(at), {});
        record r;
        r.event = head.text();
        const auto size = static_cast<std::size_t>(head.unsigned_int());
        const std::size_t body = at + head.position();
        r.body = std::string_view(packed_).substr(body, size);
        r.end = body + size;
        return r;
    }
    static lot_record unpack(const record& r) {
        detail::effect_packing::reader b(r.body, {});
        lot_record l;
        l.event = r.event;
        l.tail = static_cast<name_table::number>(b.unsigned_int());
        l.rule = static_cast<name_table::number>(b.unsigned_int());
        l.funder = static_cast<name_table::number>(b.unsigned_int());
        l.ordinal = static_cast<std::uint32_t>(b.unsigned_int());
        l.earned_on = b.day_value();
        l.available_at = instant(std::chrono::seconds(b.signed_int()));
        l.credited_at = instant(std::chrono::seconds(b.signed_int()));
        if (b.flag()) l.expires_on = b.day_value();
        l.earned = b.points_value();
        l.remaining = b.points_value();
        l.expired = b.points_value();
        return l;
    }

    std::string packed_;
    std::size_t count_ = 0;
};

}  // namespace loyalty
