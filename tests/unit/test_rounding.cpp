// round_quotient (the one place that rounds), scale_and_round, multiply(money, rate, mode)
// and exact_product_text.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/rounding.hpp"
#include "test_support.hpp"

namespace unit_rounding {

namespace {

using loyalty::decimal;
using loyalty::int128;
using loyalty::money;
using loyalty::round_quotient;
using loyalty::rounding;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

using loyalty::test::error_id;

// One row: numerator / denominator and the expected result in each mode.
struct row {
    std::int64_t numerator, denominator;
    std::int64_t down, up, half_up, half_even, toward_zero;
};

// Each row in 128 bits and in 64 bits (round_quotient's two overloads).
void check(const row& r) {
    SCOPED_TRACE(std::to_string(r.numerator) + "/" + std::to_string(r.denominator));
    const int128 n = r.numerator, d = r.denominator;
    EXPECT_EQ(round_quotient(n, d, rounding::down), r.down);
    EXPECT_EQ(round_quotient(n, d, rounding::up), r.up);
    EXPECT_EQ(round_quotient(n, d, rounding::half_up), r.half_up);
    EXPECT_EQ(round_quotient(n, d, rounding::half_even), r.half_even);
    EXPECT_EQ(round_quotient(n, d, rounding::toward_zero), r.toward_zero);
    EXPECT_EQ(round_quotient(r.numerator, r.denominator, rounding::down), r.down);
    EXPECT_EQ(round_quotient(r.numerator, r.denominator, rounding::up), r.up);
    EXPECT_EQ(round_quotient(r.numerator, r.denominator, rounding::half_up), r.half_up);
    EXPECT_EQ(round_quotient(r.numerator, r.denominator, rounding::half_even), r.half_even);
    EXPECT_EQ(round_quotient(r.numerator, r.denominator, rounding::toward_zero), r.toward_zero);
}

const rounding every_mode[] = {rounding::down, rounding::up, rounding::half_up, rounding::half_even,
                               rounding::toward_zero};

//                         n      d    down  up  h_up h_even tz
TEST(RoundQuotient, PositiveNonTies) {
    check({27, 10, 2, 3, 3, 3, 2});      // 2.7
    check({23, 10, 2, 3, 2, 2, 2});      // 2.3
    check({1, 3, 0, 1, 0, 0, 0});        // 0.333...
    check({2, 3, 0, 1, 1, 1, 0});        // 0.666...
    check({2499, 1000, 2, 3, 2, 2, 2});  // 2.499: just below the tie
    check({2501, 1000, 2, 3, 3, 3, 2});  // 2.501: just above the tie
}

TEST(RoundQuotient, NegativeNonTies) {
    check({-27, 10, -3, -2, -3, -3, -2});      // -2.7
    check({-23, 10, -3, -2, -2, -2, -2});      // -2.3
    check({-1, 3, -1, 0, 0, 0, 0});            // -0.333...
    check({-2, 3, -1, 0, -1, -1, 0});          // -0.666...
    check({-2499, 1000, -3, -2, -2, -2, -2});  // -2.499
    check({-2501, 1000, -3, -2, -3, -3, -2});  // -2.501
}

TEST(RoundQuotient, PositiveTies) {
    check({25, 10, 2, 3, 3, 2, 2});  // 2.5: half_even goes to the even 2
    check({35, 10, 3, 4, 4, 4, 3});  // 3.5: half_even goes to the even 4
    check({1, 2, 0, 1, 1, 0, 0});    // 0.5: half_even goes to 0
    check({3, 2, 1, 2, 2, 2, 1});    // 1.5
}

TEST(RoundQuotient, NegativeTies) {
    check({-25, 10, -3, -2, -3, -2, -2});  // -2.5: half_up is away from zero
    check({-35, 10, -4, -3, -4, -4, -3});  // -3.5
    check({-1, 2, -1, 0, -1, 0, 0});       // -0.5
    check({-3, 2, -2, -1, -2, -2, -1});    // -1.5
}

TEST(RoundQuotient, ExactQuotientsAreUnchangedInEveryMode) {
    check({20, 10, 2, 2, 2, 2, 2});
    check({-20, 10, -2, -2, -2, -2, -2});
    check({0, 7, 0, 0, 0, 0, 0});
    check({int64_max, 1, int64_max, int64_max, int64_max, int64_max, int64_max});
    check({int64_min, 1, int64_min, int64_min, int64_min, int64_min, int64_min});
}

TEST(RoundQuotient, DenominatorMustBePositive) {
    for (std::int64_t d : {0, -1, -10}) {
        SCOPED_TRACE(d);
        EXPECT_EQ(error_id([&] { round_quotient(int128(5), int128(d), rounding::half_up); }),
                  "loyalty.arithmetic.bad_denominator");
        EXPECT_EQ(error_id([&] { round_quotient(std::int64_t{5}, d, rounding::half_up); }),
                  "loyalty.arithmetic.bad_denominator");
    }
}

// The 64-bit overload rounds as the 128-bit one, for any numerator and positive denominator
// (small ones too, where ties and remainders of one are common).
RC_GTEST_PROP(RoundQuotient, SixtyFourBitsRoundAsOneHundredTwentyEight, ()) {
    const auto numerator = *rc::gen::oneOf(rc::gen::arbitrary<std::int64_t>(), rc::gen::inRange<std::int64_t>(-1000, 1000));
    const auto denominator = *rc::gen::oneOf(rc::gen::inRange<std::int64_t>(1, INT64_MAX),
                                             rc::gen::inRange<std::int64_t>(1, 20));
    for (const rounding mode : every_mode)
        RC_ASSERT(round_quotient(numerator, denominator, mode) == round_quotient(int128(numerator), int128(denominator), mode));
}

// scale_and_round() takes 64 bits when the exact product fits and 128 bits when it does not: the
// result is the exact product rounded once either way (checked against 128 bits throughout).
RC_GTEST_PROP(ScaleAndRound, EqualsTheExactProductRoundedOnce, ()) {
    const auto base = *rc::gen::oneOf(rc::gen::arbitrary<std::int64_t>(), rc::gen::inRange<std::int64_t>(-100000, 100000));
    const auto factor = [] {
        return decimal(*rc::gen::oneOf(rc::gen::arbitrary<std::int64_t>(), rc::gen::inRange<std::int64_t>(-2000, 2000)),
                       *rc::gen::inRange(0, 7));
    };
    const std::vector<decimal> factors = {factor(), factor()};
    const int divisor_exponent = *rc::gen::inRange(0, 6);
    for (const rounding mode : every_mode) {
        std::optional<std::int64_t> expected;  // none: the product or the result does not fit
        try {
            int128 exact = base;
            int scale = divisor_exponent;
            for (const decimal& f : factors) exact *= f.mantissa(), scale += f.scale();
            expected = round_quotient(exact, decimal::pow10(scale), mode);
        } catch (const std::overflow_error&) {  // past 128 bits (Boost's checked integer)
        } catch (const loyalty::error&) {       // past 64 bits
        }
        if (expected)
            RC_ASSERT(loyalty::scale_and_round(base, factors, divisor_exponent, mode) == *expected);
        else
            RC_ASSERT(error_id([&] { loyalty::scale_and_round(base, factors, divisor_exponent, mode); }) ==
                      std::string("loyalty.arithmetic.overflow"));
    }
}

TEST(RoundQuotient, ResultPastInt64IsAnOverflowErrorNotAWrap) {
    const int128 max = int64_max;
    const int128 min = int64_min;
    // 2^63 / 1 does not fit.
    EXPECT_EQ(error_id([&] { round_quotient(max + 1, int128(1), rounding::down); }), "loyalty.arithmetic.overflow");
    EXPECT_EQ(error_id([&] { round_quotient(min - 1, int128(1), rounding::down); }), "loyalty.arithmetic.overflow");
    // (2 x max + 1) / 2 = max + 0.5: rounding down fits, rounding away from zero does not.
    const int128 above = max * 2 + 1;
    EXPECT_EQ(round_quotient(above, int128(2), rounding::down), int64_max);
    EXPECT_EQ(round_quotient(above, int128(2), rounding::toward_zero), int64_max);
    EXPECT_EQ(error_id([&] { round_quotient(above, int128(2), rounding::up); }), "loyalty.arithmetic.overflow");
    EXPECT_EQ(error_id([&] { round_quotient(above, int128(2), rounding::half_up); }), "loyalty.arithmetic.overflow");
    // max is odd, so the tie max + 0.5 goes to the even max + 1 under half_even.
    EXPECT_EQ(error_id([&] { round_quotient(above, int128(2), rounding::half_even); }), "loyalty.arithmetic.overflow");
    // (2 x min - 1) / 2 = min - 0.5: up and toward zero give min; down and half_up overflow.
    const int128 below = min * 2 - 1;
    EXPECT_EQ(round_quotient(below, int128(2), rounding::up), int64_min);
    EXPECT_EQ(round_quotient(below, int128(2), rounding::toward_zero), int64_min);
    // min is even, so the tie min - 0.5 goes to min under half_even.
    EXPECT_EQ(round_quotient(below, int128(2), rounding::half_even), int64_min);
    EXPECT_EQ(error_id([&] { round_quotient(below, int128(2), rounding::down); }), "loyalty.arithmetic.overflow");
    EXPECT_EQ(error_id([&] { round_quotient(below, int128(2), rounding::half_up); }), "loyalty.arithmetic.overflow");
}

TEST(RoundQuotient, DenominatorNearThe128BitLimit) {
    // 2^127 + 5 over 2^127 + 6 is just below 1. The rounding decision must not form
    // 2 x remainder (about 2^128, past the 128-bit range).
    int128 p127 = 1;
    for (int i = 0; i < 127; ++i) p127 *= 2;
    const int128 n = p127 + 5, d = p127 + 6;
    EXPECT_EQ(round_quotient(n, d, rounding::half_up), 1);
    EXPECT_EQ(round_quotient(n, d, rounding::half_even), 1);
    EXPECT_EQ(round_quotient(n, d, rounding::down), 0);
    EXPECT_EQ(round_quotient(-n, d, rounding::half_up), -1);
    // 2^126 + 3 over 2^127 + 6 is exactly one half.
    EXPECT_EQ(round_quotient(p127 / 2 + 3, d, rounding::half_up), 1);
    EXPECT_EQ(round_quotient(p127 / 2 + 3, d, rounding::half_even), 0);
}

TEST(RoundingNames, RoundTrip) {
    for (rounding r : {rounding::down, rounding::up, rounding::half_up, rounding::half_even, rounding::toward_zero})
        EXPECT_EQ(loyalty::parse_rounding(loyalty::to_string(r)), r);
    EXPECT_EQ(loyalty::to_string(rounding::half_even), "half_even");
    EXPECT_FALSE(loyalty::parse_rounding("HALF_UP").has_value());
    EXPECT_FALSE(loyalty::parse_rounding("nearest").has_value());
    EXPECT_FALSE(loyalty::parse_rounding("").has_value());
}

decimal d(const char* text) { return *decimal::parse(text); }

TEST(ScaleAndRound, MoneyTimesRate) {
    // 123.45 yuan = 12345 fen, x 0.7 = 86415 / 10 = 8641.5 fen.
    const std::vector<decimal> seventy{d("0.7")};
    EXPECT_EQ(loyalty::scale_and_round(12345, seventy, 0, rounding::down), 8641);
    EXPECT_EQ(loyalty::scale_and_round(12345, seventy, 0, rounding::up), 8642);
    EXPECT_EQ(loyalty::scale_and_round(12345, seventy, 0, rounding::half_up), 8642);
    EXPECT_EQ(loyalty::scale_and_round(12345, seventy, 0, rounding::half_even), 8642);  // 8641 is odd
    EXPECT_EQ(loyalty::scale_and_round(12345, seventy, 0, rounding::toward_zero), 8641);
    // A refund: -8641.5 fen.
    EXPECT_EQ(loyalty::scale_and_round(-12345, seventy, 0, rounding::down), -8642);
    EXPECT_EQ(loyalty::scale_and_round(-12345, seventy, 0, rounding::up), -8641);
    EXPECT_EQ(loyalty::scale_and_round(-12345, seventy, 0, rounding::half_up), -8642);
    EXPECT_EQ(loyalty::scale_and_round(-12345, seventy, 0, rounding::half_even), -8642);
    EXPECT_EQ(loyalty::scale_and_round(-12345, seventy, 0, rounding::toward_zero), -8641);
}

TEST(ScaleAndRound, PointsFromMinorUnitsAndSeveralFactors) {
    // 123.45 yuan at 1 point per yuan: 12345 fen / 10^2 = 123.45 -> 123 points (down).
    EXPECT_EQ(loyalty::scale_and_round(12345, std::vector<decimal>{}, 2, rounding::down), 123);
    EXPECT_EQ(loyalty::scale_and_round(12345, std::vector<decimal>{}, 2, rounding::up), 124);
    // 100.00 yuan x 1.5 (tier multiplier) x 0.7: 10000 x 15 x 7 = 1050000, / 10^(2+1+1) = 105.
    EXPECT_EQ(loyalty::scale_and_round(10000, std::initializer_list<decimal>{d("1.5"), d("0.7")}, 2, rounding::down),
              105);
    // 25 x 0.1 = 2.5 exactly: a tie.
    const std::vector<decimal> tenth{d("0.1")};
    EXPECT_EQ(loyalty::scale_and_round(25, tenth, 0, rounding::half_even), 2);
    EXPECT_EQ(loyalty::scale_and_round(25, tenth, 0, rounding::half_up), 3);
    // The product is formed in 128 bits: int64 max x 5 does not fit in 64 bits, but
    // int64 max x 0.5 = 4611686018427387903.5 does after division.
    const std::vector<decimal> half{d("0.5")};
    EXPECT_EQ(loyalty::scale_and_round(int64_max, half, 0, rounding::down), 4611686018427387903);
    EXPECT_EQ(loyalty::scale_and_round(int64_max, half, 0, rounding::half_even), 4611686018427387904);  // 903 odd
}

TEST(ScaleAndRound, OverflowIsTheLibrarysError) {
    // int64 max x 2 does not fit in the int64 result.
    EXPECT_EQ(error_id([] { loyalty::scale_and_round(int64_max, std::vector<decimal>{d("2")}, 0, rounding::down); }),
              "loyalty.arithmetic.overflow");
    // (2^63 - 1)^4 is about 7.2 x 10^75, far past 128 bits: the intermediate overflows.
    const decimal m = decimal::integer(int64_max);
    EXPECT_EQ(error_id([&] { loyalty::scale_and_round(int64_max, std::vector<decimal>{m, m, m}, 0, rounding::down); }),
              "loyalty.arithmetic.overflow");
    // Three factors at scale 18 divide by 10^54, which is past 128 bits (about 3.4 x 10^38).
    const decimal tiny(1, 18);
    EXPECT_EQ(error_id([&] {
                  loyalty::scale_and_round(1, std::vector<decimal>{tiny, tiny, tiny}, 0, rounding::down);
              }),
              "loyalty.arithmetic.overflow");
    EXPECT_EQ(error_id([&] { loyalty::exact_product_text(int64_max, std::vector<decimal>{m, m, m}, 0); }),
              "loyalty.arithmetic.overflow");
}

TEST(Multiply, MoneyByRateKeepsCurrencyAndRoundsOnce) {
    const auto cny = *loyalty::currency::from_code("CNY");
    const auto jpy = *loyalty::currency::from_code("JPY");
    // 123.45 CNY x 0.7 = 86.415 CNY = 8641.5 fen.
    EXPECT_EQ(loyalty::multiply(money(12345, cny), d("0.7"), rounding::half_up), money(8642, cny));
    EXPECT_EQ(loyalty::multiply(money(12345, cny), d("0.7"), rounding::down), money(8641, cny));
    // -0.05 CNY x 0.5 = -2.5 fen.
    EXPECT_EQ(loyalty::multiply(money(-5, cny), d("0.5"), rounding::half_even), money(-2, cny));
    EXPECT_EQ(loyalty::multiply(money(-5, cny), d("0.5"), rounding::half_up), money(-3, cny));
    // 1001 JPY x 0.5 = 500.5 yen (yen has no minor unit).
    EXPECT_EQ(loyalty::multiply(money(1001, jpy), d("0.5"), rounding::half_even), money(500, jpy));
    EXPECT_EQ(loyalty::multiply(money(1001, jpy), d("0.5"), rounding::half_up), money(501, jpy));
    EXPECT_EQ(loyalty::multiply(money(1001, jpy), d("0.5"), rounding::half_up).currency_of(), jpy);
    // x 1 is the identity, x 0 is zero in the same currency.
    EXPECT_EQ(loyalty::multiply(money(12345, cny), d("1"), rounding::down), money(12345, cny));
    EXPECT_EQ(loyalty::multiply(money(12345, cny), d("0"), rounding::down), money::zero(cny));
    EXPECT_EQ(error_id([&] { loyalty::multiply(money(int64_max, cny), d("1.5"), rounding::down); }),
              "loyalty.arithmetic.overflow");
}

TEST(ExactProductText, ShowsTheUnroundedValue) {
    using loyalty::exact_product_text;
    const std::vector<decimal> seventy{d("0.7")};
    EXPECT_EQ(exact_product_text(12345, seventy, 0), "8641.5");    // 12345 x 0.7
    EXPECT_EQ(exact_product_text(12345, seventy, 2), "86.415");    // in yuan
    EXPECT_EQ(exact_product_text(-12345, seventy, 2), "-86.415");
    EXPECT_EQ(exact_product_text(1, std::vector<decimal>{d("1e-3")}, 0), "0.001");
    EXPECT_EQ(exact_product_text(100, std::vector<decimal>{d("1.5")}, 0), "150");  // 1500 x 10^-1, zero trimmed
    EXPECT_EQ(exact_product_text(0, seventy, 0), "0");
    EXPECT_EQ(exact_product_text(-5, std::vector<decimal>{d("0.1")}, 0), "-0.5");
    EXPECT_EQ(exact_product_text(12345, std::vector<decimal>{}, 2), "123.45");
    EXPECT_EQ(exact_product_text(8, std::vector<decimal>{}, 0), "8");
    // int64 max x 5 x 10^-1, beyond 64 bits before the point is placed.
    EXPECT_EQ(exact_product_text(int64_max, std::vector<decimal>{d("0.5")}, 0), "4611686018427387903.5");
}

}  // namespace

}  // namespace unit_rounding
