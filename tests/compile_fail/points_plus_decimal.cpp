// Points are whole points, a decimal is a rate: points + decimal must not compile.
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/points.hpp"

int main() {
    loyalty::points p(5);
    loyalty::decimal r(15, 1);  // 1.5
#ifdef LOYALTY_MISUSE
    auto x = p + r;
#else
    auto x = p + p;
    (void)(r < r);
#endif
    (void)x;
}
