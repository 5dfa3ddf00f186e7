// Money x rate has deliberately no operator*: scaling money needs a rounding mode, so it is
// spelled multiply(money, rate, mode).
#include "loyalty/core/arithmetic.hpp"

int main() {
    loyalty::money m(12345, *loyalty::currency::from_code("CNY"));
    loyalty::decimal r(7, 1);  // 0.7
#ifdef LOYALTY_MISUSE
    auto x = m * r;
#else
    auto x = loyalty::multiply(m, r, loyalty::rounding::half_up);
#endif
    (void)x;
}
