// Money x money means nothing (yuan squared): it must not compile.
#include "loyalty/core/money.hpp"

int main() {
    loyalty::money a(100, *loyalty::currency::from_code("CNY"));
    loyalty::money b(250, *loyalty::currency::from_code("CNY"));
#ifdef LOYALTY_MISUSE
    auto r = a * b;
#else
    auto r = a + b;
#endif
    (void)r;
}
