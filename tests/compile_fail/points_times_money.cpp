// Scaling points by money means nothing: points x money must not compile.
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"

int main() {
    loyalty::points p(5);
    loyalty::money m(100, *loyalty::currency::from_code("CNY"));
#ifdef LOYALTY_MISUSE
    auto x = p * m;
#else
    auto x = p - p;
    (void)(m - m);
#endif
    (void)x;
}
