#pragma once
// Heap allocations counted: a program that links count_allocations.cpp replaces the global
// operator new with one that counts its calls, for measuring how many allocations a function
// makes (issue 21: none per event in steady state). One thread only: the count is not atomic.
#include <cstddef>

namespace loyalty::bench {

// operator new calls since the program started.
std::size_t allocations_made() noexcept;

}  // namespace loyalty::bench
