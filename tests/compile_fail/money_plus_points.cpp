// Money and points are different quantities: money + points must not compile.
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"

int main() {
    loyalty::money m(100, *loyalty::currency::from_code("CNY"));
    loyalty::points p(5);
#ifdef LOYALTY_MISUSE
    auto r = m + p;
#else
    auto r = m + m;
    (void)(p + p);
#endif
    (void)r;
}
