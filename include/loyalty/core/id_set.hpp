#pragma once
// id_set: a set of ids (strings) that only grows, kept compactly: the ids' bytes back to back in
// one arena (each after its length as a varint) and an open-addressing table of 8-byte slots
// that hold an id's offset and 24 bits of its hash, at most three quarters full: 11 to 21
// bytes of table per id beside its own bytes and length, where a std::unordered_set<std::string>
// takes about 72 for an id of up to 15 characters. Membership is exact: a slot whose hash bits
// match is confirmed by comparing the id's bytes.
//
// A journal runner keeps the id of every event it has applied in one (engine/journal.hpp): for
// 50 million events with ids of 10 characters, about 1.1 to 1.6 GB where the set of strings
// took about 3.6 GB.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/core/varint.hpp"

namespace loyalty {

class id_set {
public:
    // Adds `id`; false when it was there already.
    bool insert(std::string_view id) {
        if ((size_ + 1) * 4 > slots_.size() * 3) grow();
        const std::uint64_t h = hash(id);
        for (std::size_t i = first_slot(h);; i = next(i)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) {
                slots_[i] = make_slot(append(id), h);
                ++size_;
                return true;
            }
            if (fingerprint(slot) == fingerprint_of(h) && at(offset(slot)) == id) return false;
        }
    }
    bool contains(std::string_view id) const {
        if (size_ == 0) return false;
        const std::uint64_t h = hash(id);
        for (std::size_t i = first_slot(h);; i = next(i)) {
            const std::uint64_t slot = slots_[i];
            if (slot == 0) return false;
            if (fingerprint(slot) == fingerprint_of(h) && at(offset(slot)) == id) return true;
        }
    }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    // The bytes it holds on the heap (arena and table, with their spare capacity).
    std::size_t heap_bytes() const noexcept {
        const std::size_t arena = bytes_.capacity() > std::string().capacity() ? bytes_.capacity() : 0;  // not the string's own buffer
        return arena + slots_.capacity() * sizeof(std::uint64_t);
    }

    // Calls f(id) for every id, in the order they were inserted.
    template <class F>
    void for_each(F&& f) const {
        for (std::size_t pos = 0; pos < bytes_.size();) {
            const std::string_view id = at(pos);
            f(id);
            pos = static_cast<std::size_t>(id.data() - bytes_.data()) + id.size();
        }
    }

private:
    // A slot: 0 when empty, else (offset + 1) in the low 40 bits and the hash's top 24 bits above.
    static constexpr int offset_bits = 40;
    static constexpr std::uint64_t offset_mask = (std::uint64_t{1} << offset_bits) - 1;

    static std::uint64_t hash(std::string_view id) noexcept { return std::hash<std::string_view>{}(id); }
    static std::uint64_t fingerprint_of(std::uint64_t h) noexcept { return h >> offset_bits; }
    static std::uint64_t fingerprint(std::uint64_t slot) noexcept { return slot >> offset_bits; }
    static std::size_t offset(std::uint64_t slot) noexcept { return static_cast<std::size_t>((slot & offset_mask) - 1); }
    static std::uint64_t make_slot(std::size_t offset, std::uint64_t h) noexcept {
        return (fingerprint_of(h) << offset_bits) | (static_cast<std::uint64_t>(offset) + 1);
    }
    // The slot to start from: the hash's low bits (the table's size is a power of two).
    std::size_t first_slot(std::uint64_t h) const noexcept { return static_cast<std::size_t>(h) & (slots_.size() - 1); }
    std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }

    // Appends an id to the arena; returns where its length starts.
    std::size_t append(std::string_view id) {
        const std::size_t pos = bytes_.size();
        if (pos + id.size() + 10 > offset_mask) throw std::length_error("an id_set holds at most 1 TiB of ids");
        append_varint(bytes_, id.size());
        bytes_.append(id);
        return pos;
    }
    // The id whose length starts at `pos`.
    std::string_view at(std::size_t pos) const noexcept {
        const char* p = bytes_.data() + pos;
        const auto n = static_cast<std::size_t>(read_varint(p));
        return std::string_view(p, n);
    }
    // Doubles the table (16 slots at first) and puts every id in again.
    void grow() {
        std::vector<std::uint64_t> old = std::move(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
        for (const std::uint64_t slot : old) {
            if (slot == 0) continue;
            std::size_t i = first_slot(hash(at(offset(slot))));
            while (slots_[i] != 0) i = next(i);
            slots_[i] = slot;
        }
    }

    std::string bytes_;
    std::vector<std::uint64_t> slots_;
    std::size_t size_ = 0;
};

}  // namespace loyalty
