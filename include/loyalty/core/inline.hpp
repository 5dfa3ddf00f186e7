#pragma once
// LOYALTY_INLINE: how the library's functions are defined in its headers.
//
// The library is header-only: every function defined in a header is `inline`, and that is
// what a user gets. This project's own builds may compile them once instead of once per
// translation unit that calls them (CMake option LOYALTY_INLINE_ONCE, GCC or Clang; see
// docs/contributing.md): ALL for every file of the -O0 sanitizer build, PROGRAMS for the
// command, the Python module, the store and the test programs of the -O2 build (compiled with
// -fno-inline; TESTS for the test programs alone). There a header's definitions are GNU
// inline definitions (`gnu_inline`: a body the compiler may inline but never emits, a call to
// it being a call to the one definition), and the one file that emits them (inline_once.cpp,
// generated into loyalty_io) defines LOYALTY_DEFINE_INLINE_FUNCTIONS, which makes them
// ordinary external definitions. Under the sanitizers a test file compiles about three times
// faster: the engine's code was most of every file's code.
//
// Templates and constexpr functions are never marked: they stay `inline`. With TESTS or PROGRAMS,
// loyalty_io's own files stay header-only, so a program may hold a function's static locals
// twice (the emitted definition's and an inlined copy's); they are constants and per-thread
// caches (core/sha256.hpp, time.hpp), and nothing relies on their identity. Keep it so.
#if defined(LOYALTY_DEFINE_INLINE_FUNCTIONS)
#define LOYALTY_INLINE
#elif defined(LOYALTY_INLINE_COMPILED_ONCE) && defined(__GNUC__)
#define LOYALTY_INLINE inline __attribute__((gnu_inline))
#else
#define LOYALTY_INLINE inline
#endif
