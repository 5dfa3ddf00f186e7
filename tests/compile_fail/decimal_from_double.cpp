// No double anywhere a rate is computed: a decimal cannot be made from a double, it is
// parsed from text or built from mantissa and scale.
#include "loyalty/core/decimal.hpp"

int main() {
#ifdef LOYALTY_MISUSE
    loyalty::decimal r = 0.7;
#else
    loyalty::decimal r = *loyalty::decimal::parse("0.7");
#endif
    (void)r;
}
