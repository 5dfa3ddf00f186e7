// short_id (core/short_id.hpp): an id in 16 bytes, up to 15 bytes in place, longer ones on the
// heap; it reads back the bytes it was given whatever their length or content, through copies,
// moves and assignments, its own bytes included.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/core/short_id.hpp"

namespace unit_short_id {

using loyalty::short_id;

TEST(ShortId, KeepsUpTo15BytesInPlaceAndLongerOnTheHeap) {
    EXPECT_EQ(sizeof(short_id), 16u);
    const short_id none;
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.view(), "");
    EXPECT_FALSE(none.heap());
    const short_id fifteen(std::string_view("RO-25-0000018-3"));
    EXPECT_EQ(fifteen.size(), 15u);
    EXPECT_FALSE(fifteen.heap());
    EXPECT_EQ(fifteen, std::string_view("RO-25-0000018-3"));
    const short_id sixteen(std::string_view("RO-25-0000018-12"));
    EXPECT_TRUE(sixteen.heap());
    EXPECT_EQ(sixteen.view(), "RO-25-0000018-12");
    const std::string odd("a\0b\xff\xe4\xbf\x9d", 6);  // a NUL byte, 0xff, UTF-8
    EXPECT_EQ(short_id(odd).view(), odd);
    const std::string long_odd = odd + std::string(300, '\0') + odd;
    EXPECT_EQ(short_id(long_odd).view(), long_odd);
    EXPECT_EQ(short_id(long_odd).str(), long_odd);
}

TEST(ShortId, CopiesMovesAndAssignmentsKeepTheBytes) {
    for (const std::string& text : {std::string("e-1"), std::string(15, 'x'), std::string(40, 'y')}) {
        short_id a(text);
        short_id b = a;  // a copy of its own
        EXPECT_EQ(b, a);
        EXPECT_EQ(b.view(), text);
        if (a.heap()) {
            EXPECT_NE(static_cast<const void*>(a.data()), static_cast<const void*>(b.data()));
        }
        short_id c = std::move(a);
        EXPECT_EQ(c.view(), text);
        EXPECT_TRUE(a.empty());  // NOLINT: a moved-from id is empty
        short_id d(std::string_view("something-else-that-is-long"));
        d = c;
        EXPECT_EQ(d.view(), text);
        d = std::move(c);
        EXPECT_EQ(d.view(), text);
        const short_id& same = d;
        d = same;  // to itself
        EXPECT_EQ(d.view(), text);
        d = d.view();  // its own bytes, in place or on the heap
        EXPECT_EQ(d.view(), text);
        d = d.view().substr(1);
        EXPECT_EQ(d.view(), text.substr(1));
        d = std::string("short");
        EXPECT_EQ(d, std::string_view("short"));
        EXPECT_FALSE(d.heap());
        d = "";
        EXPECT_TRUE(d.empty());
    }
    std::vector<short_id> grown;  // moved as the vector grows
    for (int i = 0; i < 100; ++i) grown.emplace_back(std::string(static_cast<std::size_t>(i), 'a' + i % 26));
    for (int i = 0; i < 100; ++i) EXPECT_EQ(grown[static_cast<std::size_t>(i)].size(), static_cast<std::size_t>(i));
}

TEST(ShortId, AWiderOneKeepsAllButItsLastByteInPlace) {
    using wide = loyalty::basic_short_id<24>;
    EXPECT_EQ(sizeof(wide), 24u);
    EXPECT_EQ(wide::in_place, 23u);
    const wide sixteen(std::string_view("RO-25-0000018-12"));
    EXPECT_FALSE(sixteen.heap());
    EXPECT_EQ(sixteen.view(), "RO-25-0000018-12");
    const wide twenty_three(std::string(23, 'r'));
    EXPECT_FALSE(twenty_three.heap());
    EXPECT_EQ(twenty_three.view(), std::string(23, 'r'));
    wide twenty_four(std::string(24, 's'));
    EXPECT_TRUE(twenty_four.heap());
    EXPECT_EQ(twenty_four.view(), std::string(24, 's'));
    wide moved = std::move(twenty_four);
    EXPECT_EQ(moved.view(), std::string(24, 's'));
    EXPECT_TRUE(twenty_four.empty());  // NOLINT: a moved-from id is empty
    moved = sixteen;
    EXPECT_FALSE(moved.heap());
    EXPECT_EQ(moved, sixteen);
}

TEST(ShortId, ComparesWithTextOfAnyKind) {
    const short_id a(std::string_view("G0000452-12"));
    EXPECT_TRUE(a == std::string("G0000452-12"));
    EXPECT_TRUE(std::string("G0000452-12") == a);
    EXPECT_TRUE(a == "G0000452-12");
    EXPECT_TRUE(a != "G0000452-1");
    EXPECT_TRUE(a != short_id(std::string_view("G0000452-12 ")));
    EXPECT_EQ(std::string("lot ") + std::string(a.view()), "lot G0000452-12");
}

TEST(ShortId, JoinedMakesALotsIdInPlaceWhenItFits) {
    using lot_id = loyalty::basic_short_id<48>;
    const lot_id own = lot_id::joined("G0000452-12", '/', "ro-labour");
    EXPECT_FALSE(own.heap());
    EXPECT_EQ(own, "G0000452-12/ro-labour");
    // 47 bytes (23 + 1 + 23) in place, 48 on the heap: the same text either way.
    const lot_id longest = lot_id::joined(std::string(23, 'e'), '/', std::string(23, 'r'));
    EXPECT_FALSE(longest.heap());
    EXPECT_EQ(longest, std::string(23, 'e') + "/" + std::string(23, 'r'));
    const lot_id past = lot_id::joined(std::string(23, 'e'), '/', std::string(24, 'r'));
    EXPECT_TRUE(past.heap());
    EXPECT_EQ(past, std::string(23, 'e') + "/" + std::string(24, 'r'));
    // Empty parts (an empty view may hold no pointer at all).
    EXPECT_EQ(lot_id::joined({}, '/', {}), "/");
    EXPECT_EQ(lot_id::joined("e-1", '/', {}), "e-1/");
    // Made from text as std::string is: implicitly, so that a pair is written as text.
    const std::pair<lot_id, int> pair{"e-1/welcome", 100};
    EXPECT_EQ(pair.first, std::string("e-1/welcome"));
}

}  // namespace unit_short_id
