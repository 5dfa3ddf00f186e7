#pragma once
// Points: a whole number of loyalty points. Distinct from money and rates, so that
// adding points to money or scaling points by money does not compile.
#include <cstdint>
#include <ostream>
#include <string>

#include "loyalty/core/checked.hpp"
#include "loyalty/core/inline.hpp"

namespace loyalty {

class points {
public:
    constexpr points() noexcept = default;
    constexpr explicit points(std::int64_t n) noexcept : n_(n) {}

    constexpr std::int64_t count() const noexcept { return n_; }

    points& operator+=(points o) { n_ = checked::add(n_, o.n_); return *this; }
    points& operator-=(points o) { n_ = checked::sub(n_, o.n_); return *this; }
    friend points operator+(points a, points b) { return a += b; }
    friend points operator-(points a, points b) { return a -= b; }
    friend points operator-(points a) { return points(checked::neg(a.n_)); }

    friend constexpr bool operator==(points a, points b) noexcept { return a.n_ == b.n_; }
    friend constexpr bool operator!=(points a, points b) noexcept { return a.n_ != b.n_; }
    friend constexpr bool operator<(points a, points b) noexcept { return a.n_ < b.n_; }
    friend constexpr bool operator<=(points a, points b) noexcept { return a.n_ <= b.n_; }
    friend constexpr bool operator>(points a, points b) noexcept { return a.n_ > b.n_; }
    friend constexpr bool operator>=(points a, points b) noexcept { return a.n_ >= b.n_; }

    friend std::ostream& operator<<(std::ostream& os, points p) { return os << p.n_ << " pt"; }

private:
    std::int64_t n_ = 0;
};

LOYALTY_INLINE points min(points a, points b) noexcept { return a < b ? a : b; }
LOYALTY_INLINE points max(points a, points b) noexcept { return a < b ? b : a; }
LOYALTY_INLINE std::string to_string(points p) { return std::to_string(p.count()); }

}  // namespace loyalty
