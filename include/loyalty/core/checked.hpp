#pragma once
// Overflow-checked int64 arithmetic. Overflow is an error with an id, never a wrap-around.
#include <cstdint>

#include "loyalty/core/error.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty::checked {

LOYALTY_INLINE std::int64_t add(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) throw error("loyalty.arithmetic.overflow", "int64 addition overflows");
    return r;
}
LOYALTY_INLINE std::int64_t sub(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) throw error("loyalty.arithmetic.overflow", "int64 subtraction overflows");
    return r;
}
LOYALTY_INLINE std::int64_t mul(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) throw error("loyalty.arithmetic.overflow", "int64 multiplication overflows");
    return r;
}
LOYALTY_INLINE std::int64_t neg(std::int64_t a) { return sub(0, a); }

}  // namespace loyalty::checked
