// A bare integer is not silently points: the constructor is explicit, so copy-initialising
// points from an int must not compile.
#include "loyalty/core/points.hpp"

int main() {
#ifdef LOYALTY_MISUSE
    loyalty::points p = 5;
#else
    loyalty::points p(5);
#endif
    (void)p;
}
