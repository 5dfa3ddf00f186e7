#pragma once
// A member's spent lots: lots with no points left (spent, expired, taken back), kept packed.
//
// Most of a long-standing member's lots are spent (59% of them after five years of the generated
// journal), and nothing reads a spent lot again but a reversal or a cancelled redemption that
// gives points back into it, or takes back what it earned. So the state keeps only lots with
// points in member_state::lots, and the spent ones here, as bytes (the varints and prefixed ids
// of member/effect_codec.hpp): about 35 bytes a lot instead of about 220. A lot is unpacked
// again (member_state::find_lot) when one of those reads it; every other rule reads points, and
// a spent lot holds none. The form is an implementation detail of the state in memory
// (snapshots write every lot as JSON): it only has to be exact, dig_up(bury(l)) == l.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/member/effect_codec.hpp"
#include "loyalty/member/lot.hpp"

namespace loyalty {

class spent_lots {
public:
    std::size_t size() const noexcept { return count_; }
    bool empty() const noexcept { return count_ == 0; }

    // Keeps `l` (which holds no points) packed, its names written out from `names`.
    void bury(const lot_record& l, const lot_names& names) {
        using detail::effect_packing::writer;
        thread_local std::string body;  // reused: its capacity stays from one lot to the next
        body.clear();
        writer b(body, l.event);
        b.own_id(names[l.tail]);  // its id "<event>/<tail>", written as its tail
        b.text(names[l.rule]);
        b.text(names[l.funder]);
        b.unsigned_int(l.ordinal);
        b.day_value(l.earned_on);
        b.signed_int(l.available_at.time_since_epoch().count());
        b.signed_int(l.credited_at.time_since_epoch().count());
        b.flag(l.expires_on.has_value());
        if (l.expires_on) b.day_value(*l.expires_on);
        b.points_value(l.earned);
        b.points_value(l.remaining);
        b.points_value(l.expired);
        room_for(packed_, l.event.size() + body.size() + 24);  // two heads: at most 24
        writer head(packed_, {});
        head.text(l.event);
        head.unsigned_int(body.size());
        packed_ += body;
        ++count_;
    }

    // The lot `id`, taken out of the spent ones; none when no spent lot has that id.
    std::optional<lot> dig_up(std::string_view id) {
        std::size_t at = 0;
        while (at < packed_.size()) {
            const record r = read_record(at);
            if (matches(r, id)) {
                lot l = unpack(r);
                packed_.erase(at, r.end - at);
                --count_;
                return l;
            }
            at = r.end;
        }
        return std::nullopt;
    }

    // Every spent lot, unpacked, in the order they were buried.
    std::vector<lot> all() const {
        std::vector<lot> out;
        out.reserve(count_);
        for (std::size_t at = 0; at < packed_.size();) {
            const record r = read_record(at);
            out.push_back(unpack(r));
            at = r.end;
        }
        return out;
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
    static bool matches(const record& r, std::string_view id) {
        detail::effect_packing::reader b(r.body, r.event);
        return b.text() == id;
    }
    static lot unpack(const record& r) {
        detail::effect_packing::reader b(r.body, r.event);
        lot l;
        l.event = r.event;
        l.id = b.text();
        l.rule = b.text();
        l.funder = b.text();
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
