#pragma once
// Fetching memory into the caches ahead of use. It reads bytes and throws them away: no value
// changes, so a call costs time at most, and nothing depends on it being made.
//
// Why: a journal of a whole brand interleaves many members, so the state an event needs is
// rarely in a cache, and the engine reaches it block after block (the state, its effect book,
// its lots, its usage), each a wait on memory. journal_runner::prefetch() reads a member's
// blocks one event ahead, where the reads of all the blocks overlap, before the event before it
// is applied (engine/journal.hpp; `loyalty run`, `audit verify` and Python's Engine.run(path)
// do it). Measured in docs/performance.md: 5% of `loyalty run`'s CPU time on 100,000 events,
// 11% on 1,000,000 (medians of alternating runs).
//
// Reads, not prefetch instructions: on this project's machines (AMD EPYC, a VM) the same
// blocks asked for with __builtin_prefetch saved nothing measurable, nor did a read of each
// page with prefetches for its other lines (a prefetch whose page's translation is not cached
// is dropped); reading every line saved the most.
#include <cstddef>

namespace loyalty {

// At most this many bytes of one block are read (64 cache lines): the rest of a larger block
// is left to the hardware's own prefetching.
constexpr std::size_t prefetch_limit = 4096;

// Reads one byte of each cache line of [p, p + n), up to prefetch_limit bytes. The bytes must
// be readable: a block the caller holds (a container's elements, an object, whose padding is
// read too: as unsigned char, whose values are discarded, which the language allows).
inline void prefetch_bytes(const void* p, std::size_t n) noexcept {
    const volatile unsigned char* const first = static_cast<const volatile unsigned char*>(p);
    const std::size_t bytes = n < prefetch_limit ? n : prefetch_limit;
    for (std::size_t at = 0; at < bytes; at += 64) (void)first[at];
    if (bytes != 0) (void)first[bytes - 1];  // the last line, when the block starts mid-line
}

// The elements of a contiguous container (std::vector, std::string, Boost's small_vector).
template <class Contiguous>
void prefetch_elements(const Contiguous& c) noexcept {
    if (!c.empty()) prefetch_bytes(c.data(), c.size() * sizeof(*c.data()));
}

}  // namespace loyalty
