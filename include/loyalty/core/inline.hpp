#pragma once
// LOYALTY_INLINE: how the library's functions are defined in its headers.
//
// The library is header-only: every function defined in a header is `inline`, and that is
// what a user gets. One build mode exists for this project's own unoptimised builds (the
// sanitizer build, scripts/sanitize.sh): with -DLOYALTY_COMPILE_INLINE_ONCE=ON (GCC only) the
// functions are compiled once, in loyalty_io (src/io/inline_once.cpp), instead of once per
// translation unit that calls them. There a header's definitions are GNU inline definitions
// (`gnu_inline`: a body the compiler may inline but never emits, a call to it being a call to
// the one definition), which at -O0 makes a test file compile about three times faster: the
// engine's code was most of every file's code. The one file that emits them defines
// LOYALTY_DEFINE_INLINE_FUNCTIONS, which makes them ordinary external definitions.
//
// Templates and constexpr functions are never marked: they stay `inline`.
#if defined(LOYALTY_DEFINE_INLINE_FUNCTIONS)
#define LOYALTY_INLINE
#elif defined(LOYALTY_INLINE_COMPILED_ONCE) && defined(__GNUC__) && !defined(__clang__)
#define LOYALTY_INLINE inline __attribute__((gnu_inline))
#else
#define LOYALTY_INLINE inline
#endif
