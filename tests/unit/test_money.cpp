// currency, money (integer minor units + currency) and points.
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/core/contains.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/points.hpp"
#include "test_support.hpp"

namespace unit_money {

namespace {

using loyalty::currency;
using loyalty::money;
using loyalty::points;
using loyalty::contains_name;
using loyalty::error;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

using loyalty::test::error_id;

currency cur(const char* code) { return *currency::from_code(code); }

money parsed(const char* text, const char* code) {
    auto m = money::parse(text, cur(code));
    if (!m) throw std::runtime_error(std::string("test expected '") + text + "' to parse");
    return *m;
}

TEST(Currency, KnownCodesAndMinorDigits) {
    ASSERT_TRUE(currency::from_code("CNY").has_value());
    EXPECT_EQ(cur("CNY").code(), "CNY");
    EXPECT_EQ(cur("CNY").minor_digits(), 2);  // fen
    EXPECT_EQ(cur("USD").minor_digits(), 2);
    EXPECT_EQ(cur("JPY").minor_digits(), 0);  // no minor unit
    EXPECT_EQ(cur("KRW").minor_digits(), 0);
    EXPECT_EQ(cur("KWD").minor_digits(), 3);  // fils
    EXPECT_EQ(cur("BHD").minor_digits(), 3);
}

TEST(Currency, UnknownCodesAreRefused) {
    for (const char* code : {"", "cny", "CN", "CNYY", "ABC", "RMB", " CNY"}) {
        SCOPED_TRACE(code);
        EXPECT_FALSE(currency::from_code(code).has_value());
    }
}

TEST(Currency, NoneIsXxxAndEqualityIsByCode) {
    EXPECT_EQ(currency::none().code(), "XXX");
    EXPECT_EQ(currency::none().minor_digits(), 0);
    EXPECT_EQ(currency::none(), cur("XXX"));
    EXPECT_EQ(cur("CNY"), cur("CNY"));
    EXPECT_NE(cur("CNY"), cur("HKD"));
    EXPECT_NE(cur("CNY"), currency::none());
}

TEST(MoneyParse, InTheCurrencysMinorUnits) {
    EXPECT_EQ(parsed("1234.56", "CNY").minor_units(), 123456);  // 1234.56 x 100
    EXPECT_EQ(parsed("1234.5", "CNY").minor_units(), 123450);   // missing digit is a zero
    EXPECT_EQ(parsed("1234", "CNY").minor_units(), 123400);
    EXPECT_EQ(parsed("0.05", "CNY").minor_units(), 5);
    EXPECT_EQ(parsed("-0.05", "CNY").minor_units(), -5);
    EXPECT_EQ(parsed("1.230", "CNY").minor_units(), 123);       // 1.230 = 1.23 exactly
    EXPECT_EQ(parsed("1234", "JPY").minor_units(), 1234);       // yen are whole
    EXPECT_EQ(parsed("1.234", "KWD").minor_units(), 1234);      // 1.234 x 1000 fils
    EXPECT_EQ(parsed("1234.56", "CNY").currency_of(), cur("CNY"));
}

TEST(MoneyParse, TooManyDecimalsAreRefusedNotRounded) {
    EXPECT_FALSE(money::parse("1234.567", cur("CNY")).has_value());
    EXPECT_FALSE(money::parse("0.001", cur("CNY")).has_value());
    EXPECT_FALSE(money::parse("1234.5", cur("JPY")).has_value());
    EXPECT_FALSE(money::parse("1.2345", cur("KWD")).has_value());
    EXPECT_TRUE(money::parse("1234.0", cur("JPY")).has_value());  // 1234.0 is a whole number of yen
}

TEST(MoneyParse, MalformedOrTooLargeIsRefused) {
    for (const char* text : {"", "abc", "1.", "12,34", "1.2.3", "CNY 12"}) {
        SCOPED_TRACE(text);
        EXPECT_FALSE(money::parse(text, cur("CNY")).has_value());
    }
    // int64 max fen is 92233720368547758.07 yuan; one fen more does not fit.
    EXPECT_EQ(parsed("92233720368547758.07", "CNY").minor_units(), int64_max);
    EXPECT_FALSE(money::parse("92233720368547758.08", cur("CNY")).has_value());
    // 10^17 yuan = 10^19 fen: the decimal fits, scaling to fen does not.
    EXPECT_FALSE(money::parse("100000000000000000", cur("CNY")).has_value());
}

TEST(MoneyText, ToString) {
    EXPECT_EQ(money(123456, cur("CNY")).to_string(), "1234.56");
    EXPECT_EQ(money(5, cur("CNY")).to_string(), "0.05");
    EXPECT_EQ(money(-5, cur("CNY")).to_string(), "-0.05");
    EXPECT_EQ(money(-50, cur("CNY")).to_string(), "-0.50");   // the currency's digits are kept
    EXPECT_EQ(money(0, cur("CNY")).to_string(), "0.00");
    EXPECT_EQ(money(100, cur("CNY")).to_string(), "1.00");
    EXPECT_EQ(money(-123456, cur("CNY")).to_string(), "-1234.56");
    EXPECT_EQ(money(1234, cur("JPY")).to_string(), "1234");
    EXPECT_EQ(money(-7, cur("JPY")).to_string(), "-7");
    EXPECT_EQ(money(1, cur("KWD")).to_string(), "0.001");
    EXPECT_EQ(money(int64_min, cur("CNY")).to_string(), "-92233720368547758.08");
    EXPECT_EQ(loyalty::to_string(money(5, cur("CNY"))), "0.05 CNY");
    std::ostringstream os;
    os << money(-123456, cur("CNY"));
    EXPECT_EQ(os.str(), "-1234.56 CNY");
}

// to_string(money) and the sentences write money into a buffer of money::text_bound chars:
// the longest text, the most negative amount with the most digits, fills it exactly.
TEST(MoneyText, TheLongestTextFitsItsBound) {
    char text[money::text_bound];
    const money longest(int64_min, cur("KWD"));
    const std::string written(text, longest.write(text));
    EXPECT_EQ(written, "-9223372036854775.808 KWD");
    EXPECT_EQ(written.size(), money::text_bound);
    EXPECT_EQ(loyalty::to_string(longest), written);
    EXPECT_EQ(loyalty::to_string(money(0, cur("JPY"))), "0 JPY");
    EXPECT_EQ(loyalty::to_string(money(-50, cur("CNY"))), "-0.50 CNY");
}

TEST(MoneyText, AmountIsTheExactDecimalInMajorUnits) {
    EXPECT_EQ(money(123456, cur("CNY")).amount(), *loyalty::decimal::parse("1234.56"));
    EXPECT_EQ(money(-5, cur("CNY")).amount(), *loyalty::decimal::parse("-0.05"));
    EXPECT_EQ(money(1234, cur("JPY")).amount(), loyalty::decimal::integer(1234));
}

TEST(MoneyBasics, DefaultZeroAndPredicates) {
    const money m;
    EXPECT_EQ(m.minor_units(), 0);
    EXPECT_EQ(m.currency_of(), currency::none());
    EXPECT_TRUE(m.is_zero());
    EXPECT_EQ(money::zero(cur("CNY")), money(0, cur("CNY")));
    EXPECT_TRUE(money(-1, cur("CNY")).is_negative());
    EXPECT_FALSE(money(0, cur("CNY")).is_negative());
}

TEST(MoneyArithmetic, AddSubtractNegate) {
    const currency cny = cur("CNY");
    // 12.34 + 0.66 = 13.00; 12.34 - 20.00 = -7.66
    EXPECT_EQ(money(1234, cny) + money(66, cny), money(1300, cny));
    EXPECT_EQ(money(1234, cny) - money(2000, cny), money(-766, cny));
    EXPECT_EQ(-money(1234, cny), money(-1234, cny));
    money total = money::zero(cny);
    total += money(500, cny);
    total += money(250, cny);
    total -= money(100, cny);
    EXPECT_EQ(total, money(650, cny));  // 5.00 + 2.50 - 1.00 = 6.50
}

TEST(MoneyCompare, SameCurrency) {
    const currency cny = cur("CNY");
    EXPECT_LT(money(-5, cny), money(5, cny));
    EXPECT_GT(money(100, cny), money(99, cny));
    EXPECT_LE(money(5, cny), money(5, cny));
    EXPECT_GE(money(5, cny), money(5, cny));
    // Equality includes the currency: 5 CNY fen is not 5 HKD cents, and asking is no error.
    EXPECT_NE(money(5, cny), money(5, cur("HKD")));
    EXPECT_NE(money(), money::zero(cny));
}

TEST(MoneyErrors, CurrencyMismatchIsAnError) {
    const money cny(100, cur("CNY"));
    const money usd(100, cur("USD"));
    const std::string mismatch = "loyalty.money.currency_mismatch";
    EXPECT_EQ(error_id([&] { (void)(cny + usd); }), mismatch);
    EXPECT_EQ(error_id([&] { (void)(cny - usd); }), mismatch);
    EXPECT_EQ(error_id([&] { money m = cny; m += usd; }), mismatch);
    EXPECT_EQ(error_id([&] { money m = cny; m -= usd; }), mismatch);
    EXPECT_EQ(error_id([&] { (void)(cny < usd); }), mismatch);
    EXPECT_EQ(error_id([&] { (void)(cny > usd); }), mismatch);
    EXPECT_EQ(error_id([&] { (void)(cny <= usd); }), mismatch);
    EXPECT_EQ(error_id([&] { (void)(cny >= usd); }), mismatch);
    // A default money (XXX) does not silently join a real currency.
    EXPECT_EQ(error_id([&] { (void)(money() + cny); }), mismatch);
    EXPECT_THROW((void)(cny + usd), loyalty::error);
    try {
        (void)(cny + usd);
    } catch (const loyalty::error& e) {
        EXPECT_EQ(std::string(e.what()), "[loyalty.money.currency_mismatch] cannot combine CNY with USD");
    }
}

TEST(MoneyErrors, OverflowIsAnErrorNotAWrap) {
    const currency cny = cur("CNY");
    const std::string overflow = "loyalty.arithmetic.overflow";
    EXPECT_EQ(error_id([&] { (void)(money(int64_max, cny) + money(1, cny)); }), overflow);
    EXPECT_EQ(error_id([&] { (void)(money(int64_min, cny) - money(1, cny)); }), overflow);
    EXPECT_EQ(error_id([&] { (void)(-money(int64_min, cny)); }), overflow);
    EXPECT_EQ(money(int64_max, cny) + money(int64_min, cny), money(-1, cny));  // (2^63 - 1) - 2^63
    money m(int64_max, cny);
    EXPECT_EQ(error_id([&] { m += money(1, cny); }), overflow);
    EXPECT_EQ(m, money(int64_max, cny));  // unchanged after the failed addition
}

TEST(Points, ArithmeticAndComparison) {
    const points a(120), b(30);
    EXPECT_EQ(a.count(), 120);
    EXPECT_EQ(points().count(), 0);
    EXPECT_EQ(a + b, points(150));
    EXPECT_EQ(a - b, points(90));
    EXPECT_EQ(b - a, points(-90));
    EXPECT_EQ(-a, points(-120));
    points p(10);
    p += points(5);
    p -= points(20);
    EXPECT_EQ(p, points(-5));  // 10 + 5 - 20
    EXPECT_LT(b, a);
    EXPECT_GT(a, b);
    EXPECT_LE(a, points(120));
    EXPECT_GE(a, points(120));
    EXPECT_NE(a, b);
    EXPECT_EQ(loyalty::min(a, b), b);
    EXPECT_EQ(loyalty::max(a, b), a);
    EXPECT_EQ(loyalty::to_string(points(-42)), "-42");
    std::ostringstream os;
    os << points(7);
    EXPECT_EQ(os.str(), "7 pt");
    static_assert(points(3).count() == 3, "points are usable in constant expressions");
    static_assert(points(3) < points(4), "comparisons are constexpr");
}

TEST(Points, OverflowIsAnErrorNotAWrap) {
    const std::string overflow = "loyalty.arithmetic.overflow";
    EXPECT_EQ(error_id([] { (void)(points(int64_max) + points(1)); }), overflow);
    EXPECT_EQ(error_id([] { (void)(points(int64_min) - points(1)); }), overflow);
    EXPECT_EQ(error_id([] { (void)(-points(int64_min)); }), overflow);
    EXPECT_EQ(error_id([] { points p(int64_max); p += points(1); }), overflow);
    EXPECT_EQ(error_id([] { points p(int64_min); p -= points(1); }), overflow);
    EXPECT_EQ(points(int64_max) - points(int64_max), points(0));
}

// Currencies compare by their letters (currency's == compares byte by byte): no two known codes
// share their first two letters, so each pair below differs in the first or the second.
TEST(Currency, EqualByEveryLetter) {
    EXPECT_EQ(cur("CNY"), cur("CNY"));
    EXPECT_EQ(currency::none(), cur("XXX"));
    EXPECT_NE(cur("CNY"), cur("HKD"));  // first letter
    EXPECT_NE(cur("CNY"), cur("CAD"));  // second
    EXPECT_NE(cur("MYR"), cur("MXN"));
    EXPECT_NE(cur("KRW"), cur("KWD"));
    EXPECT_NE(cur("SEK"), cur("SAR"));
    EXPECT_THROW(money(1, cur("CNY")) + money(1, cur("CAD")), error);
}

// contains_name (core/contains.hpp): a name among a line filter's or an order's categories.
TEST(ContainsName, FindsOnlyTheSameName) {
    const std::vector<std::string> names{"maintenance", "m", "", "repair", "maintenancf"};
    EXPECT_TRUE(contains_name(names, "maintenance"));
    EXPECT_TRUE(contains_name(names, "repair"));
    EXPECT_TRUE(contains_name(names, "m"));
    EXPECT_TRUE(contains_name(names, ""));
    EXPECT_FALSE(contains_name(names, "maintenanc"));    // a prefix
    EXPECT_FALSE(contains_name(names, "maintenanceX"));  // longer
    EXPECT_FALSE(contains_name(names, "Maintenance"));   // another first byte
    EXPECT_FALSE(contains_name(names, "maintenancd"));   // another last byte
    EXPECT_FALSE(contains_name({}, ""));
    EXPECT_FALSE(contains_name({"tyres"}, std::string_view("tyres\0", 6)));
}

}  // namespace

}  // namespace unit_money
