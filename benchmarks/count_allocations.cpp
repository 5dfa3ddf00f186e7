// Counting replacements of the global allocation functions (count_allocations.hpp). In a
// translation unit of their own, so that no caller sees the malloc behind them. Every other
// form (arrays, nothrow, sized delete) calls these by default.
#include "count_allocations.hpp"

#include <cstdlib>
#include <new>

namespace {
std::size_t calls = 0;
}  // namespace

std::size_t loyalty::bench::allocations_made() noexcept { return calls; }

void* operator new(std::size_t size) {
    ++calls;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
