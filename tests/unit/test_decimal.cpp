// decimal: exact mantissa x 10^-scale. Parsing, normalisation, comparison, text.
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "loyalty/core/decimal.hpp"

namespace unit_decimal {

namespace {

using loyalty::decimal;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

decimal parsed(const std::string& text) {
    auto d = decimal::parse(text);
    if (!d) throw std::runtime_error("test expected '" + text + "' to parse");
    return *d;
}

void expect_parts(const std::string& text, std::int64_t mantissa, int scale) {
    SCOPED_TRACE(text);
    auto d = decimal::parse(text);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->mantissa(), mantissa);
    EXPECT_EQ(d->scale(), scale);
}

TEST(DecimalParse, PlainDecimals) {
    expect_parts("0.7", 7, 1);          // 7 x 10^-1
    expect_parts("12", 12, 0);
    expect_parts("-0.7", -7, 1);
    expect_parts("-3", -3, 0);
    expect_parts("+5", 5, 0);           // a leading '+' is accepted
    expect_parts("0.05", 5, 2);         // zero after the point is kept in the scale
    expect_parts("1234.56", 123456, 2);
}

TEST(DecimalParse, TrailingZerosAreNormalisedAway) {
    expect_parts("1.50", 15, 1);        // 150 x 10^-2 = 15 x 10^-1
    expect_parts("100", 100, 0);        // integer zeros are value, not scale
    expect_parts("2.000", 2, 0);
    expect_parts("0.0", 0, 0);
    expect_parts("-0", 0, 0);           // negative zero is zero
    expect_parts("007.5", 75, 1);       // leading zeros do not matter
}

TEST(DecimalParse, ManyTrailingZerosStillFit) {
    // 1.5 followed by 19 zeros: 150000000000000000000 would not fit in int64, but the
    // value is 1.5, so it must be accepted (the header promises exactly this).
    expect_parts("1.50000000000000000000", 15, 1);
    // 30 fractional zeros after an integer: the value is 7.
    expect_parts("7.000000000000000000000000000000", 7, 0);
    // zeros between significant digits are value: 1.05 = 105 x 10^-2
    expect_parts("1.0500000000000000000000", 105, 2);
}

TEST(DecimalParse, Exponents) {
    expect_parts("1e-3", 1, 3);         // 1 x 10^-3
    expect_parts("2.5E2", 250, 0);      // 25 x 10^-1 x 10^2 = 250
    expect_parts("2.5e+2", 250, 0);
    expect_parts("1.25e1", 125, 1);     // 12.5
    expect_parts("-7E-2", -7, 2);       // -0.07
    expect_parts("1e-18", 1, 18);       // the smallest positive value: 10^-18
    expect_parts("0e999", 0, 0);        // zero to any power is zero
    expect_parts("120e-1", 12, 0);      // 12.0
}

TEST(DecimalParse, LeadingPointIsAccepted) {
    // The parser counts digits after the point; ".5" has one and no trailing point, so it
    // reads as 0.5 (more lenient than JSON, which would refuse it).
    expect_parts(".5", 5, 1);
}

TEST(DecimalParse, MalformedTextIsRefused) {
    for (const char* text : {"", "-", "+", ".", "1.", "-1.", "1.e5", "abc", "1a", "a1", "1,5", "1.2.3",
                             "1e", "1e+", "1e-", "e5", "1 ", " 1", "--1", "0x10", "1e5.0", "1e2e3",
                             "nan", "inf"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(decimal::parse(text).has_value());
    }
}

TEST(DecimalParse, ValuesThatDoNotFitExactlyAreRefused) {
    // 19 significant decimals: scale 19 > max_scale 18.
    EXPECT_FALSE(decimal::parse("0.1234567890123456789").has_value());
    EXPECT_FALSE(decimal::parse("1e-19").has_value());
    EXPECT_FALSE(decimal::parse("0.0000000000000000001").has_value());
    // 18 decimals is the limit and fits: 0.123456789012345678 = 123456789012345678 x 10^-18
    expect_parts("0.123456789012345678", 123456789012345678, 18);
    // The mantissa must fit in int64: 2^63 - 1 = 9223372036854775807.
    expect_parts("9223372036854775807", int64_max, 0);
    expect_parts("-9223372036854775807", -int64_max, 0);
    EXPECT_FALSE(decimal::parse("9223372036854775808").has_value());
    EXPECT_FALSE(decimal::parse("99999999999999999999").has_value());
    // An exponent that pushes the mantissa past int64: 9.3 x 10^18 > 2^63 - 1.
    EXPECT_FALSE(decimal::parse("93e17").has_value());
    EXPECT_FALSE(decimal::parse("1e19").has_value());
    expect_parts("1e18", 1000000000000000000, 0);
    // Absurd exponents are refused without looping or overflowing an int.
    EXPECT_FALSE(decimal::parse("1e100000").has_value());
    EXPECT_FALSE(decimal::parse("1e-100000").has_value());
}

TEST(DecimalConstruct, NormalisesTrailingZeros) {
    const decimal d(150, 2);            // 1.50
    EXPECT_EQ(d.mantissa(), 15);
    EXPECT_EQ(d.scale(), 1);
    const decimal z(0, 7);
    EXPECT_EQ(z.mantissa(), 0);
    EXPECT_EQ(z.scale(), 0);
    EXPECT_TRUE(z.is_zero());
    EXPECT_TRUE(decimal(-5, 1).is_negative());
    EXPECT_TRUE(decimal(300, 2).is_integer());   // 3.00 = 3
    EXPECT_FALSE(decimal(7, 1).is_integer());
    EXPECT_EQ(decimal::integer(42), decimal(42, 0));
    EXPECT_EQ(decimal(), decimal::integer(0));
}

TEST(DecimalConstruct, ScaleOutsideRangeIsAnError) {
    for (int scale : {-1, 19}) {
        SCOPED_TRACE(scale);
        try {
            decimal d(1, scale);
            ADD_FAILURE() << "scale " << scale << " was accepted: " << d;
        } catch (const loyalty::error& e) {
            EXPECT_EQ(e.id(), "loyalty.decimal.invalid_scale");
        }
    }
    EXPECT_NO_THROW(decimal(1, 18));
}

TEST(DecimalCompare, EqualityAcrossScales) {
    EXPECT_EQ(parsed("1.50"), parsed("1.5"));
    EXPECT_EQ(parsed("1.5"), decimal(15, 1));
    EXPECT_EQ(decimal(1500, 3), decimal(15, 1));
    EXPECT_EQ(parsed("2.5E2"), decimal::integer(250));
    EXPECT_EQ(parsed("0.000"), decimal::integer(0));
    EXPECT_NE(parsed("0.7"), parsed("0.07"));
    EXPECT_NE(parsed("0.7"), parsed("-0.7"));
}

TEST(DecimalCompare, OrderingAcrossScales) {
    // 0.7 = 700 x 10^-3 > 0.699 = 699 x 10^-3
    EXPECT_LT(parsed("0.699"), parsed("0.7"));
    EXPECT_GT(parsed("0.7"), parsed("0.699"));
    EXPECT_LT(parsed("-0.7"), parsed("-0.699"));  // -0.700 < -0.699
    EXPECT_LT(parsed("0.000000000000000001"), parsed("0.00000000000000001"));  // 1e-18 < 1e-17
    EXPECT_LT(parsed("-1"), parsed("0"));
    EXPECT_LE(parsed("1.50"), parsed("1.5"));
    EXPECT_GE(parsed("1.50"), parsed("1.5"));
    EXPECT_FALSE(parsed("1.5") < parsed("1.50"));
    // Extremes: int64 max at scale 0 against int64 max at scale 18 (about 9.22).
    const decimal big(int64_max, 0);
    const decimal small(int64_max, 18);
    EXPECT_LT(small, big);
    EXPECT_GT(big, small);
    EXPECT_LT(decimal(-int64_max, 0), decimal(-int64_max, 18));
}

TEST(DecimalText, ToString) {
    EXPECT_EQ(parsed("0.7").to_string(), "0.7");
    EXPECT_EQ(parsed("1.50").to_string(), "1.5");
    EXPECT_EQ(parsed("-0.05").to_string(), "-0.05");
    EXPECT_EQ(parsed("1e-3").to_string(), "0.001");
    EXPECT_EQ(parsed("2.5E2").to_string(), "250");
    EXPECT_EQ(parsed("-3").to_string(), "-3");
    EXPECT_EQ(decimal().to_string(), "0");
    EXPECT_EQ(decimal(1, 18).to_string(), "0.000000000000000001");
    EXPECT_EQ(decimal(-123456, 3).to_string(), "-123.456");
    EXPECT_EQ(decimal(std::numeric_limits<std::int64_t>::min(), 0).to_string(), "-9223372036854775808");
    EXPECT_EQ(decimal(std::numeric_limits<std::int64_t>::min(), 18).to_string(), "-9.223372036854775808");
    EXPECT_EQ(loyalty::to_string(decimal(7, 1)), "0.7");
    std::ostringstream os;
    os << decimal(-7, 2);
    EXPECT_EQ(os.str(), "-0.07");
}

// write_fixed: exactly `scale` decimals (money's and the figures' form; a decimal's own scale
// has no trailing zeros), within fixed_text_bound chars at the longest.
TEST(DecimalText, WriteFixedKeepsEveryDecimalWithinItsBound) {
    char text[loyalty::fixed_text_bound];
    const auto written = [&](std::int64_t m, int scale) {
        return std::string(text, loyalty::write_fixed(text, m, scale));
    };
    EXPECT_EQ(written(6000, 2), "60.00");
    EXPECT_EQ(written(0, 2), "0.00");
    EXPECT_EQ(written(0, 0), "0");
    EXPECT_EQ(written(-5, 3), "-0.005");
    EXPECT_EQ(written(70, 1), "7.0");
    EXPECT_EQ(written(std::numeric_limits<std::int64_t>::max(), 0), "9223372036854775807");
    EXPECT_EQ(written(-1, 18), "-0.000000000000000001");
    EXPECT_EQ(written(-1, 18).size(), loyalty::fixed_text_bound);
    EXPECT_EQ(written(std::numeric_limits<std::int64_t>::min(), 18), "-9.223372036854775808");
    EXPECT_EQ(written(std::numeric_limits<std::int64_t>::min(), 18).size(), loyalty::fixed_text_bound);
    // A scale past what the buffer is sized for is refused, never written past its end.
    EXPECT_THROW(written(1, 19), loyalty::error);
    EXPECT_THROW(written(1, -1), loyalty::error);
}

TEST(DecimalText, RoundTripsThroughParse) {
    for (const char* text : {"0", "0.7", "-0.7", "1234.56", "0.000000000000000001", "-9223372036854775807",
                             "9.223372036854775807", "100"}) {
        SCOPED_TRACE(text);
        EXPECT_EQ(parsed(text).to_string(), text);
        EXPECT_EQ(parsed(parsed(text).to_string()), parsed(text));
    }
}

}  // namespace

}  // namespace unit_decimal
