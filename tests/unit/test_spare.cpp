// spare<Container, Kind> (core/spare.hpp): a transient container's room kept by its thread for
// the next one of its kind; and an entry_list's use of it. That the engine's uses change nothing
// but where the memory comes from is held by every replay the suite compares (the property
// tests replay many journals in one thread, each from the room the one before left: replay
// equals live, explanation and reading ahead change nothing) and by the generated journals'
// ledgers, the same byte for byte (docs/performance.md).
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/core/spare.hpp"
#include "loyalty/ledger/entry_list.hpp"

namespace unit_spare {

using loyalty::spare;

struct kind_a {};
struct kind_b {};
using ints_a = spare<std::vector<int>, kind_a>;
using ints_b = spare<std::vector<int>, kind_b>;

// Whatever an earlier test of this thread kept of a kind: taken and dropped (and from this
// take on, the thread keeps what is given back).
void drain_a() { (void)ints_a::take(); }

TEST(Spare, TakeGivesAnEmptyContainerWithTheRoomGivenBack) {
    drain_a();
    EXPECT_EQ(ints_a::take().capacity(), 0u);  // nothing kept yet
    std::vector<int> v(100, 7);
    const int* block = v.data();
    const std::size_t room = v.capacity();
    ints_a::give_back(v);
    EXPECT_TRUE(v.empty());
    EXPECT_EQ(v.capacity(), 0u);  // its room went to the spare (the spare held none)
    std::vector<int> again = ints_a::take();
    EXPECT_TRUE(again.empty());
    EXPECT_EQ(again.capacity(), room);
    EXPECT_EQ(again.data(), block);  // the same block: no allocation
    EXPECT_EQ(ints_a::take().capacity(), 0u);  // taken once: the spare is empty again
}

TEST(Spare, KeepsTheLargestRoomAndFreesTheSmaller) {
    drain_a();
    std::vector<int> small(10), large(1000);
    const std::size_t large_room = large.capacity();
    ints_a::give_back(large);
    ints_a::give_back(small);  // less room than kept: its elements and room are simply dropped
    EXPECT_TRUE(small.empty());
    EXPECT_EQ(small.capacity(), 10u);  // not swapped: it keeps its own room, freed with it
    EXPECT_EQ(ints_a::take().capacity(), large_room);
}

// use_spare_room() lends the room kept to an empty container only; give_spare_room_back() is
// give_back() with the type deduced (the kind named, the same at both ends).
TEST(Spare, TheRoomIsLentToAnEmptyContainerOnly) {
    drain_a();
    std::vector<int> big(400);
    const std::size_t room = big.capacity();
    loyalty::give_spare_room_back<kind_a>(big);
    std::vector<int> holding{1, 2, 3};
    loyalty::use_spare_room<kind_a>(holding);  // holds something: keeps what it has
    EXPECT_EQ(holding, (std::vector<int>{1, 2, 3}));
    EXPECT_LT(holding.capacity(), room);
    std::vector<int> empty;
    loyalty::use_spare_room<kind_a>(empty);
    EXPECT_TRUE(empty.empty());
    EXPECT_EQ(empty.capacity(), room);
    loyalty::use_spare_room<kind_a>(empty);  // nothing more kept: unchanged
    EXPECT_EQ(empty.capacity(), room);
}

TEST(Spare, KindsOfOneTypeAreKeptApart) {
    drain_a();
    (void)ints_b::take();
    std::vector<int> v(50);
    ints_b::give_back(v);
    EXPECT_EQ(ints_a::take().capacity(), 0u);
    EXPECT_GE(ints_b::take().capacity(), 50u);
}

// A thread keeps room only once it has taken a container of the kind: one that only frees (a
// consumer of outcomes made elsewhere) holds no memory for it.
TEST(Spare, AThreadThatNeverTookKeepsNothing) {
    std::size_t after_give_back = 1, after_take = 1;
    std::thread other([&] {
        std::vector<int> freed(200);
        ints_b::give_back(freed);  // no take() yet on this thread: not kept
        EXPECT_TRUE(freed.empty());
        after_give_back = freed.capacity();
        after_take = ints_b::take().capacity();  // empty: nothing was kept
    });
    other.join();
    EXPECT_EQ(after_give_back, 200u);  // its room stayed with it, freed with it
    EXPECT_EQ(after_take, 0u);
}

TEST(Spare, EachThreadKeepsItsOwnAndFreesItAtItsEnd) {
    drain_a();
    std::vector<int> mine(64);
    ints_a::give_back(mine);
    std::size_t seen_there = 1;
    std::thread other([&] {
        seen_there = ints_a::take().capacity();  // this thread's spare: none yet
        std::vector<int> theirs(500);
        ints_a::give_back(theirs);  // kept until the thread ends, then freed (LeakSanitizer checks)
    });
    other.join();
    EXPECT_EQ(seen_there, 0u);
    EXPECT_GE(ints_a::take().capacity(), 64u);
}

TEST(Spare, AStringKeepsItsRoomToo) {
    using texts = spare<std::string, kind_a>;
    (void)texts::take();
    std::string s(300, 'x');
    texts::give_back(s);
    EXPECT_TRUE(s.empty());
    const std::string t = texts::take();
    EXPECT_TRUE(t.empty());
    EXPECT_GE(t.capacity(), 300u);
}

// An entry_list hands its room on when it is destroyed: the next list starts from it, and holds
// only what is written into it.
TEST(Spare, AnEntryListStartsFromTheRoomOfOneFreedBefore) {
    using loyalty::entry_list;
    using loyalty::entry_record;
    {
        entry_list first;
        first.reserve(40);
        first.reserve_text(4000);
        first.push_back(entry_record{});
        first.add_text("text of the first list");
    }
    entry_list second;
    EXPECT_EQ(second.capacity(), 0u);  // nothing is taken until room is asked for
    second.reserve(1);
    EXPECT_GE(second.capacity(), 40u);
    EXPECT_TRUE(second.empty());
    second.reserve_text(10);
    const auto span = second.add_text("abc");
    EXPECT_EQ(span.at, 0u);  // the text string was taken empty
    EXPECT_EQ(second.text(span), "abc");
    // Copies and moves are as before: a copy holds the same entries, a moved-from list none.
    second.push_back(entry_record{});
    entry_list copy = second;
    EXPECT_EQ(copy.size(), 1u);
    entry_list moved = std::move(second);
    EXPECT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved.text(span), "abc");
}

}  // namespace unit_spare
