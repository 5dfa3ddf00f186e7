#pragma once
// fingerprint_set: ids kept as 8 bytes each, without their text: 32 bits of the id's hash and
// the number of the id's owner, someone who can say for certain whether an id is theirs. A
// journal runner keeps the id of every event it applied in one (engine/journal.hpp): the owner
// is the event's member, whose effect book holds the id, so the id's text is already kept once.
//
// Membership is exact when every owner answers exactly: contains() asks the owner of every
// fingerprint that matches (`confirm(owner, id)`), and a fingerprint that matches by chance is
// turned down by its owner. For ids that are new (most of what a runner asks about) a match by
// chance is rare: all 32 bits must match, and the table's slots are placed by those bits, so
// the owner is asked about once in 2^(32 - log2 slots) lookups (once in 4,096 for a million
// ids, once in 64 for fifty million).
//
// The table is open addressing, linear probing, at most three quarters full, 16 slots at first
// and doubling; it is grown from the 32 bits kept (up to 2^32 slots). For fifty million ids,
// 0.5 to 1 GiB (10.7 to 21 bytes an id), where an id_set with the ids' text (core/id_set.hpp)
// takes about 1.1 to 1.6 GB.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "loyalty/core/prefetch.hpp"

namespace loyalty {

template <class Hash = std::hash<std::string_view>>
class fingerprint_set {
public:
    using owner = std::uint32_t;
    static constexpr owner most_owners = 0xFFFFFFFEu;  // owners are numbered 0 .. most_owners

    // Records `id` as `who`'s. The caller has found it not recorded (contains() is false): an id
    // recorded twice takes two slots and is still found.
    void insert(std::string_view id, owner who) {
        if (who > most_owners) throw std::length_error("fingerprint_set: owner number out of range");
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        const std::uint32_t h = hash32(id);
        std::size_t i = first_slot(h);
        while (slots_[i] != 0) i = next(i);
        slots_[i] = make_slot(h, who);
        ++size_;
    }
    // Whether `id` is recorded: `confirm(owner, id)` (true when the id is the owner's) is asked
    // for each recorded fingerprint that matches the id's, until one owner says yes.
    template <class Confirm>
    bool contains(std::string_view id, Confirm&& confirm) const {
        if (size_ == 0) return false;
        const std::uint32_t h = hash32(id);
        for (std::size_t i = first_slot(h);; i = next(i)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) return false;
            if (fingerprint(slot) == h && confirm(owner_of(slot), id)) return true;
        }
    }
    // Whether `id` is recorded as `who`'s, asking nobody: true also for an id of `who`'s whose
    // 32 bits match one recorded as theirs (for ids the owner holds, which are theirs anyway).
    bool may_be_of(std::string_view id, owner who) const {
        return contains(id, [who](owner o, std::string_view) { return o == who; });
    }
    // Reads the slot contains(id) and insert(id) start from, ahead of use (core/prefetch.hpp:
    // changes nothing). The table of a long journal is far larger than any cache.
    void prefetch(std::string_view id) const noexcept {
        if (!slots_.empty()) prefetch_bytes(&slots_[first_slot(hash32(id))], sizeof(std::uint64_t));
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // The bytes it holds on the heap (its table, with spare capacity).
    std::size_t heap_bytes() const noexcept { return slots_.capacity() * sizeof(std::uint64_t); }

private:
    // A slot: 0 when empty, else the hash's 32 bits above and (owner + 1) below.
    static std::uint32_t hash32(std::string_view id) noexcept {
        const std::uint64_t h = static_cast<std::uint64_t>(Hash{}(id));
        return static_cast<std::uint32_t>(h ^ (h >> 32));
    }
    static std::uint64_t make_slot(std::uint32_t h, owner who) noexcept {
        return (static_cast<std::uint64_t>(h) << 32) | (static_cast<std::uint64_t>(who) + 1);
    }
    static std::uint32_t fingerprint(std::uint64_t slot) noexcept { return static_cast<std::uint32_t>(slot >> 32); }
    static owner owner_of(std::uint64_t slot) noexcept { return static_cast<owner>((slot & 0xFFFFFFFFu) - 1); }
    // The slot to start from: the hash's low bits (the table's size is a power of two).
    std::size_t first_slot(std::uint32_t h) const noexcept { return static_cast<std::size_t>(h) & (slots_.size() - 1); }
    std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }

    // Doubles the table (16 slots at first) and puts every fingerprint in again.
    void grow() {
        if (slots_.size() >= (std::size_t{1} << 32)) throw std::length_error("fingerprint_set: at most 2^32 slots");
        std::vector<std::uint64_t> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
        for (const std::uint64_t slot : old) {
            if (slot == 0) continue;
            std::size_t i = first_slot(fingerprint(slot));
            while (slots_[i] != 0) i = next(i);
            slots_[i] = slot;
        }
    }

    std::vector<std::uint64_t> slots_;
    std::size_t size_ = 0;
};

}  // namespace loyalty
