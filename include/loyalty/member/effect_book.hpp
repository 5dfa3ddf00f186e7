#pragma once
// A member's book of effects: what each accepted event did, by event id, so that a later
// reverse or cancel_redemption can undo exactly that. Every accepted event stays in it (its id
// is how a member's state knows the event was seen). Kept compactly: the summary every check
// reads as fields, the rest packed into bytes (member/effect_codec.hpp) and unpacked only by
// the functions that undo or inspect an event. An effect settled past the reversal window keeps
// its summary and nothing else.
//
// The whole book is one byte string, record after record (the id, the summary, the packed
// effect: varints), and an index of the records' offsets sorted by event id: about 180 bytes an
// event where a map node per event took about 300. Looking an id up is a binary search of the
// index; adding an event appends its record and inserts its offset. Changing a record (a
// reversal, settling) writes it again; the bytes of the record it replaces are dropped when
// they come to half the string. The names the packed effects hold (rule and benefit ids, VINs)
// are numbers in the book's own name_table (member/name_table.hpp): a byte each, where a repair
// order wrote every benefit, rule and VIN it touched in full.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/core/by_value_iterator.hpp"
#include "loyalty/core/prefetch.hpp"
#include "loyalty/core/varint.hpp"
#include "loyalty/member/effect.hpp"
#include "loyalty/member/effect_codec.hpp"

namespace loyalty {

class effect_book {
public:
    // One record as iteration gives it: views into the book, valid until it changes.
    struct record {
        effect_summary summary;
        std::string_view packed;  // pack_effect(); "" when nothing but the summary
    };

    // Gives (id, record) pairs by value: the id a copy, the record's bytes views into the book.
    using const_iterator = by_value_iterator<effect_book, std::pair<std::string, record>>;

    bool contains(std::string_view id) const { return find(id).second; }
    std::size_t size() const noexcept { return index_.size(); }
    bool empty() const noexcept { return index_.empty(); }

    // The summary of the event `id`, or none when the member has no such event.
    std::optional<effect_summary> summary(std::string_view id) const {
        const auto [at, found] = find(id);
        if (!found) return std::nullopt;
        return decode(index_[at]).second.summary;
    }
    // The whole effect of the event `id`, unpacked (a copy). Raises std::out_of_range when the
    // member has no such event: callers check first, as with std::map::at.
    event_effect at(std::string_view id) const {
        const auto [at, found] = find(id);
        if (!found) throw std::out_of_range("no effect of event '" + std::string(id) + "'");
        const auto [key, r] = decode(index_[at]);
        return unpack_effect(r.summary, r.packed, key, &names_);
    }
    // The whole effect of a record iteration gave (the event `id`'s), unpacked.
    event_effect unpacked(std::string_view id, const record& r) const { return unpack_effect(r.summary, r.packed, id, &names_); }
    // Records the effect of a newly accepted event; an id already in the book keeps its effect.
    void insert(std::string_view id, const event_effect& e) {
        const auto [at, found] = find(id);
        if (found) return;
        index_.insert(index_.begin() + static_cast<std::ptrdiff_t>(at), append(id, summary_of(e), packed(e, id)));
    }
    // Records `e` as the effect of `id`, replacing any (an effect changed by a reversal).
    void assign(std::string_view id, const event_effect& e) {
        const auto [at, found] = find(id);
        const std::string_view bytes = packed(e, id);
        if (!found) {
            index_.insert(index_.begin() + static_cast<std::ptrdiff_t>(at), append(id, summary_of(e), bytes));
            return;
        }
        replace(at, summary_of(e), bytes);
    }
    void mark_reversed(std::string_view id) {
        const auto [at, found] = find(id);
        if (!found) throw std::out_of_range("no effect of event '" + std::string(id) + "'");
        flags_byte(index_[at]) |= reversed_flag;  // in place: the record keeps its size
    }
    // Settles every effect not settled yet whose event happened before `before`: it can no longer
    // be undone, so all but its summary goes.
    void settle_before(instant before) {
        for (std::size_t i = 0; i < index_.size(); ++i) {
            const auto [key, r] = decode(index_[i]);
            if (r.summary.settled || !(r.summary.at < before)) continue;
            effect_summary settled = r.summary;
            settled.settled = true;
            replace(i, settled, {});
        }
    }

    // In event id order: `first` the id, `second` a record (its summary, and packed bytes, which
    // unpacked() reads: names in them are numbers in this book's table).
    const_iterator begin() const noexcept { return {this, 0}; }
    const_iterator end() const noexcept { return {this, index_.size()}; }
    // Calls f(id) for every event's id, in id order: views into the book, nothing decoded or copied.
    template <class F>
    void for_each_id(F&& f) const {
        for (const std::uint32_t offset : index_) f(decode_id(offset));
    }

    // Reads the index, the records and the names ahead of use (core/prefetch.hpp: changes
    // nothing): looking an id up and adding an event read all three.
    void prefetch() const noexcept {
        prefetch_elements(index_);
        prefetch_elements(bytes_);
        names_.prefetch();
    }

    // Bytes the book takes beyond its own object (an estimate for reports and benchmarks, not an
    // allocator's count).
    std::size_t heap_bytes() const noexcept {
        return (bytes_.capacity() > 15 ? bytes_.capacity() + 1 : 0) + index_.capacity() * sizeof(std::uint32_t) +
               names_.heap_bytes();
    }

    // The same events with the same effects (however the bytes are laid out, and whatever
    // numbers the names have: two books of the same events may have met them in another order).
    friend bool operator==(const effect_book& a, const effect_book& b) {
        if (a.size() != b.size()) return false;
        const bool same_names = a.names_ == b.names_;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const auto [ka, ra] = a.decode(a.index_[i]);
            const auto [kb, rb] = b.decode(b.index_[i]);
            if (ka != kb || !(ra.summary == rb.summary)) return false;
            if (same_names ? ra.packed != rb.packed : !(a.unpacked(ka, ra) == b.unpacked(kb, rb))) return false;
        }
        return true;
    }
    friend bool operator!=(const effect_book& a, const effect_book& b) { return !(a == b); }

private:
    // `e` packed (pack_effect_into) into this thread's buffer, which is reused from one effect to
    // the next, so that packing allocates nothing once the buffer is large enough: the view lasts
    // until the next call, and the caller copies it into the book first.
    std::string_view packed(const event_effect& e, std::string_view id) {
        thread_local std::string buffer;
        pack_effect_into(buffer, e, id, &names_);
        return buffer;
    }
    friend const_iterator;
    // The i-th record in id order, as iteration gives it.
    std::pair<std::string, record> value_at(std::size_t i) const {
        const auto [id, r] = decode(index_[i]);
        return {std::string(id), r};
    }

    // A record: varint id size, id, event type (1 byte), flags (1 byte), zigzag varint of the
    // instant's seconds, varint packed size, packed bytes.
    static constexpr unsigned char reversed_flag = 1, settled_flag = 2, closed_order_flag = 4;

    std::pair<std::string_view, record> decode(std::uint32_t offset) const {
        const std::string_view id = decode_id(offset);
        std::size_t pos = end_of(id);  // the type, then the flags
        record r;
        r.summary.type = static_cast<event_type>(static_cast<unsigned char>(bytes_[pos]));
        const auto flags = static_cast<unsigned char>(bytes_[pos + 1]);
        r.summary.reversed = (flags & reversed_flag) != 0;
        r.summary.settled = (flags & settled_flag) != 0;
        r.summary.closed_order = (flags & closed_order_flag) != 0;
        pos += 2;
        detail::effect_packing::reader rest(std::string_view(bytes_).substr(pos), {});
        r.summary.at = instant(std::chrono::seconds(rest.signed_int()));
        const auto packed_size = static_cast<std::size_t>(rest.unsigned_int());
        pos += rest.position();
        r.packed = std::string_view(bytes_).substr(pos, packed_size);
        return {id, r};
    }
    char& flags_byte(std::uint32_t offset) { return bytes_[end_of(decode_id(offset)) + 1]; }
    std::size_t record_end(std::uint32_t offset) const { return end_of(decode(offset).second.packed); }
    // Appends a record; returns its offset.
    std::uint32_t append(std::string_view id, const effect_summary& s, std::string_view packed) {
        if (bytes_.size() + id.size() + packed.size() + 32 > UINT32_MAX)
            throw std::length_error("a member's effect book is limited to 4 GiB");
        const auto offset = static_cast<std::uint32_t>(bytes_.size());
        room_for(bytes_, id.size() + packed.size() + 32);  // the rest: at most 32
        append_varint(bytes_, id.size());
        bytes_.append(id);
        bytes_ += static_cast<char>(static_cast<unsigned char>(s.type));
        bytes_ += static_cast<char>((s.reversed ? reversed_flag : 0) | (s.settled ? settled_flag : 0) |
                                    (s.closed_order ? closed_order_flag : 0));
        append_varint(bytes_, zigzag(s.at.time_since_epoch().count()));
        append_varint(bytes_, packed.size());
        bytes_.append(packed);
        return offset;
    }
    // Writes record i again with a new summary and packed bytes; the old bytes become garbage.
    void replace(std::size_t i, const effect_summary& s, std::string_view packed) {
        const std::uint32_t old = index_[i];
        const std::string id(decode(old).first);  // copied: appending may move the bytes
        garbage_ += record_end(old) - old;
        index_[i] = append(id, s, packed);
        if (garbage_ * 2 > bytes_.size()) compact();
    }
    // Drops the bytes of replaced records: every live record copied in index order.
    void compact() {
        std::string kept;
        kept.reserve(bytes_.size() - garbage_);
        for (std::uint32_t& offset : index_) {
            const std::size_t end = record_end(offset);
            const auto moved = static_cast<std::uint32_t>(kept.size());
            kept.append(bytes_, offset, end - offset);
            offset = moved;
        }
        bytes_ = std::move(kept);
        garbage_ = 0;
    }
    // Where `id` is in the index, or where it would go; and whether it is there.
    std::pair<std::size_t, bool> find(std::string_view id) const {
        const auto it = std::lower_bound(index_.begin(), index_.end(), id,
                                         [this](std::uint32_t offset, std::string_view key) { return decode_id(offset) < key; });
        const auto at = static_cast<std::size_t>(it - index_.begin());
        return {at, it != index_.end() && decode_id(*it) == id};
    }
    // The id of the record at `offset` (after its varint size): a view into the bytes.
    std::string_view decode_id(std::uint32_t offset) const {
        // Nearly every id is shorter than 128 bytes: its size is one byte.
        if (const auto size = static_cast<unsigned char>(bytes_[offset]); size < 0x80)
            return std::string_view(bytes_).substr(offset + 1, size);
        detail::effect_packing::reader in(std::string_view(bytes_).substr(offset), {});
        const auto id_size = static_cast<std::size_t>(in.unsigned_int());
        return std::string_view(bytes_).substr(offset + in.position(), id_size);
    }
    // The offset just after a view into the bytes.
    std::size_t end_of(std::string_view part) const {
        return static_cast<std::size_t>(part.data() + part.size() - bytes_.data());
    }

    std::string bytes_;                  // the records
    std::vector<std::uint32_t> index_;   // their offsets, by event id
    std::size_t garbage_ = 0;            // bytes of records written again since
    name_table names_;                   // the names the packed effects hold by number
};

}  // namespace loyalty
