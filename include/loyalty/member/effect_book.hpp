#pragma once
// A member's book of effects: what each accepted event did, by event id, so that a later
// reverse or cancel_redemption can undo exactly that. Every accepted event stays in it (its id
// is how a member's state knows the event was seen). Kept compactly: the summary every check
// reads as fields, the rest packed into bytes (member/effect_codec.hpp) and unpacked only by
// the functions that undo or inspect an event. An effect settled past the reversal window keeps
// its summary and nothing else.
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "loyalty/member/effect.hpp"
#include "loyalty/member/effect_codec.hpp"

namespace loyalty {

class effect_book {
public:
    struct record {
        effect_summary summary;
        std::string packed;  // pack_effect(); "" when nothing but the summary
        friend bool operator==(const record& a, const record& b) {
            return a.summary == b.summary && a.packed == b.packed;
        }
    };
    using map_type = std::map<std::string, record, std::less<>>;
    using const_iterator = map_type::const_iterator;

    bool contains(std::string_view id) const { return records_.find(id) != records_.end(); }
    std::size_t size() const noexcept { return records_.size(); }
    bool empty() const noexcept { return records_.empty(); }

    // The summary of the event `id`, or nullptr when the member has no such event.
    const effect_summary* summary(std::string_view id) const {
        const auto it = records_.find(id);
        return it == records_.end() ? nullptr : &it->second.summary;
    }
    // The whole effect of the event `id`, unpacked (a copy). Raises std::out_of_range when the
    // member has no such event: callers check first, as with std::map::at.
    event_effect at(std::string_view id) const {
        const auto it = records_.find(id);
        if (it == records_.end()) throw std::out_of_range("no effect of event '" + std::string(id) + "'");
        return unpack_effect(it->second.summary, it->second.packed, it->first);
    }
    // Records the effect of a newly accepted event; an id already in the book keeps its effect.
    void insert(const std::string& id, const event_effect& e) {
        const auto [it, added] = records_.try_emplace(id);
        if (added) it->second = record{summary_of(e), pack_effect(e, id)};
    }
    // Records `e` as the effect of `id`, replacing any (an effect changed by a reversal).
    void assign(const std::string& id, const event_effect& e) {
        records_.insert_or_assign(id, record{summary_of(e), pack_effect(e, id)});
    }
    void mark_reversed(std::string_view id) {
        const auto it = records_.find(id);
        if (it == records_.end()) throw std::out_of_range("no effect of event '" + std::string(id) + "'");
        it->second.summary.reversed = true;
    }
    // Settles every effect not settled yet whose event happened before `before`: it can no longer
    // be undone, so all but its summary goes.
    void settle_before(instant before) {
        for (auto& [id, r] : records_) {
            if (r.summary.settled || !(r.summary.at < before)) continue;
            r.summary.settled = true;
            std::string().swap(r.packed);
        }
    }

    // In event id order: `first` the id, `second` a record (its summary, and packed bytes).
    const_iterator begin() const noexcept { return records_.begin(); }
    const_iterator end() const noexcept { return records_.end(); }

    // Bytes the book takes beyond its own object: map nodes and packed bytes that left the
    // small-string buffer (an estimate for reports and benchmarks, not an allocator's count).
    std::size_t heap_bytes() const noexcept {
        std::size_t n = 0;
        for (const auto& [id, r] : records_) {
            n += sizeof(std::pair<const std::string, record>) + 4 * sizeof(void*);
            if (id.capacity() > 15) n += id.capacity() + 1;
            if (r.packed.capacity() > 15) n += r.packed.capacity() + 1;
        }
        return n;
    }

    friend bool operator==(const effect_book& a, const effect_book& b) { return a.records_ == b.records_; }
    friend bool operator!=(const effect_book& a, const effect_book& b) { return !(a == b); }

private:
    map_type records_;
};

}  // namespace loyalty
