// The harness's control: correct use of the exact types, compiled exactly as the misuse
// cases are. If this fails, the harness (flags, include paths) is broken, not the types.
#include <vector>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"

int main() {
    const loyalty::currency cny = *loyalty::currency::from_code("CNY");
    loyalty::money m(12345, cny);
    m += loyalty::money(55, cny);
    const loyalty::decimal rate = *loyalty::decimal::parse("0.7");
    const loyalty::money discounted = loyalty::multiply(m, rate, loyalty::rounding::half_even);
    loyalty::points p(5);
    p += loyalty::points(
        loyalty::scale_and_round(discounted.minor_units(), std::vector<loyalty::decimal>{rate}, 2, loyalty::rounding::down));
    const loyalty::day d = *loyalty::parse_day("2026-03-01");
    const loyalty::period year{loyalty::period_kind::calendar_year, 0};
    return year.containing(d, d).contains(d) && p > loyalty::points(0) ? 0 : 1;
}
