// boxed<T> (core/boxed.hpp): an optional value on the heap, read as std::optional is; copies
// are copies of the value, and equality is std::optional's.
#include <optional>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "loyalty/core/boxed.hpp"

namespace unit_boxed {

using loyalty::boxed;

TEST(Boxed, ReadsAsAnOptional) {
    EXPECT_EQ(sizeof(boxed<std::string>), sizeof(void*));
    boxed<std::string> none;
    EXPECT_FALSE(none.has_value());
    EXPECT_FALSE(static_cast<bool>(none));
    EXPECT_THROW(none.value(), std::bad_optional_access);
    boxed<std::string> b = std::string("fleet-a");
    ASSERT_TRUE(b);
    EXPECT_EQ(*b, "fleet-a");
    EXPECT_EQ(b->size(), 7u);
    b->append("/2");
    EXPECT_EQ(b.value(), "fleet-a/2");
    b.emplace(3, 'x');
    EXPECT_EQ(*b, "xxx");
    b = *b + "y";  // its own value, assigned to itself
    EXPECT_EQ(*b, "xxxy");
    b = std::nullopt;
    EXPECT_FALSE(b);
    b = std::string("z");
    b.reset();
    EXPECT_FALSE(b);
}

TEST(Boxed, CopiesAreCopiesOfTheValue) {
    boxed<std::string> a = std::string("one");
    boxed<std::string> b = a;
    b->append("!");
    EXPECT_EQ(*a, "one");
    EXPECT_EQ(*b, "one!");
    a = b;
    EXPECT_EQ(*a, "one!");
    a->append("?");
    EXPECT_EQ(*b, "one!");
    boxed<std::string> c = std::move(a);
    EXPECT_EQ(*c, "one!?");
    a = c;  // a moved-from box takes a value again
    EXPECT_EQ(*a, "one!?");
}

TEST(Boxed, EqualityIsOptionals) {
    const boxed<std::string> none, also_none, one = std::string("1"), other_one = std::string("1"), two = std::string("2");
    EXPECT_EQ(none, also_none);
    EXPECT_EQ(one, other_one);
    EXPECT_NE(one, two);
    EXPECT_NE(none, one);
    EXPECT_NE(one, none);
    EXPECT_EQ(boxed<std::string>(std::string()), boxed<std::string>(std::string()));  // a value, empty
    EXPECT_NE(boxed<std::string>(std::string()), none);
}

}  // namespace unit_boxed
