// A member's names (member/name_table.hpp) are one string of names, each after its length, and
// a name's number is its place in the order names were added. Values worked by hand.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "loyalty/member/name_table.hpp"

namespace unit_name_table {

using namespace loyalty;

TEST(NameTable, NumbersFollowTheOrderNamesWereAdded) {
    name_table names;
    EXPECT_EQ(names.add(""), name_table::none);  // the empty name is always there, as 0
    EXPECT_EQ(names.add("waxing"), 1u);
    EXPECT_EQ(names.add("LSVAU2180N2183294"), 2u);
    EXPECT_EQ(names.add("waxing"), 1u);  // once, however often it is added
    const std::string long_name(200, 'x');  // a length of two varint bytes (200 = 0xc8 0x01)
    EXPECT_EQ(names.add(long_name), 3u);
    EXPECT_EQ(names.add("labour-30-off"), 4u);
    EXPECT_EQ(names.size(), 4u);
    EXPECT_EQ(names[0], "");
    EXPECT_EQ(names[1], "waxing");
    EXPECT_EQ(names[2], "LSVAU2180N2183294");
    EXPECT_EQ(names[3], long_name);
    EXPECT_EQ(names[4], "labour-30-off");
    EXPECT_EQ(names.find("labour-30-off"), 4u);
    EXPECT_EQ(names.find(""), name_table::none);
    EXPECT_FALSE(names.find("waxing-2").has_value());
    EXPECT_FALSE(names.find("wax").has_value());  // a prefix of a name is not the name
    // 1 + 6, 1 + 17, 2 + 200, 1 + 13 bytes in one block.
    EXPECT_GE(names.heap_bytes(), 241u);
}

TEST(NameTable, ANumberItNeverGaveIsOutOfRange) {
    name_table names;
    EXPECT_THROW(names[1], std::out_of_range);
    names.add("welcome");
    EXPECT_EQ(names[1], "welcome");
    EXPECT_THROW(names[2], std::out_of_range);
    EXPECT_THROW(names[4000000000u], std::out_of_range);
}

TEST(NameTable, TablesAreEqualWhenTheyHoldTheSameNamesInTheSameOrder) {
    name_table a, b, c;
    a.add("welcome");
    a.add("dealer");
    b.add("welcome");
    b.add("dealer");
    c.add("dealer");
    c.add("welcome");
    EXPECT_TRUE(a == b);
    EXPECT_TRUE(a != c);  // the same names under other numbers
}

}  // namespace unit_name_table
