// Spent lots leave member_state::lots for a packed store (member/spent_lots.hpp) and come back,
// at their place in creation order, when a reversal or a cancelled redemption reads them.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/io/state_json.hpp"
#include "loyalty/member/spent_lots.hpp"
#include "loyalty/member/state.hpp"

#include "engine_support.hpp"

namespace unit_spent_lots {

using namespace loyalty;

lot spent_lot(const std::string& event, const std::string& tail, std::uint32_t ordinal) {
    lot l = test::a_lot(event, tail, "service-spend", "dealer");
    l.ordinal = ordinal;
    l.earned = points(1290);
    l.remaining = points(0);
    l.expired = points(90);
    return l;
}

// A member's packed bytes (spent lots, the effect book) and lots vector grow by a quarter of
// their size, not by doubling: what a million members' states carry empty is a quarter, not up
// to a half. The bytes are kept; room already there is used as it is.
TEST(SpentLots, PackedBytesAndLotsGrowByAQuarter) {
    std::string bytes(1000, 'x');
    bytes[999] = 'y';
    room_for(bytes, 10);
    EXPECT_GE(bytes.capacity(), 1010u);
    EXPECT_LE(bytes.capacity(), 1010u + 250u + 32u);  // doubling would give 2,000
    EXPECT_EQ(bytes, std::string(999, 'x') + "y");
    const char* const data = bytes.data();
    room_for(bytes, 10);  // the room is there: nothing moves
    EXPECT_EQ(bytes.data(), data);

    member_state s("M1");
    for (std::uint32_t i = 0; i < 40; ++i) {
        s.room_for_lot();
        s.add_lot(spent_lot("e" + std::to_string(i), "rule", i));
    }
    EXPECT_EQ(s.lots.size(), 40u);
    EXPECT_LE(s.lots.capacity(), 40u + 40u / 4u + 2u);  // doubling would give 64
}

// Several items added together (an order's benefit uses) take one block: room for all of them
// and a quarter past, where one at a time would move the items once per quarter.
TEST(SpentLots, RoomForSeveralItemsIsMadeOnce) {
    std::vector<int> items(8, 1);
    items.shrink_to_fit();
    ASSERT_EQ(items.capacity(), 8u);
    room_for_more(items, 3);
    EXPECT_EQ(items.capacity(), 8u + 3u + 8u / 4u + 1u);  // 14
    const int* const data = items.data();
    for (int i = 0; i < 3; ++i) items.push_back(2);
    room_for_more(items, 3);  // 11 of 14: room for 3 is there, nothing moves
    EXPECT_EQ(items.data(), data);
    EXPECT_EQ(items.size(), 11u);
    room_for_one_more(items);  // not full: nothing moves
    EXPECT_EQ(items.data(), data);
    items.resize(14);
    room_for_one_more(items);  // full: a quarter and two more
    EXPECT_EQ(items.capacity(), 14u + 14u / 4u + 2u);  // 19

    benefit_use_log log;
    log.push_back(benefit_use{"wash", day{}, 1, 0, "RO-0"});  // the name "wash" in its table
    log.reserve_more(4);
    const std::size_t bytes = log.heap_bytes();
    for (int i = 1; i <= 4; ++i) log.push_back(benefit_use{"wash", day{}, 1, 0, "RO-" + std::to_string(i)});
    EXPECT_EQ(log.size(), 5u);
    EXPECT_EQ(log.heap_bytes(), bytes);  // the four took the room made for them (5 + 0 + 1: 6)
    log.push_back(benefit_use{"wash", day{}, 1, 0, "RO-5"});
    EXPECT_EQ(log.heap_bytes(), bytes);  // the sixth: the one over
    log.push_back(benefit_use{"wash", day{}, 1, 0, "RO-6"});
    EXPECT_GT(log.heap_bytes(), bytes);  // and then there was none
}

TEST(SpentLots, DiggingUpGivesBackWhatWasBuriedAndTakesItOut) {
    spent_lots spent;
    lot a = spent_lot("RO-1", "service-spend", 0);
    lot b = spent_lot("G-7", "welcome", 1);
    b.expires_on.reset();  // never expires
    b.funder = "";
    lot c = spent_lot("X-9", "Y-1/transfer#1", 2);  // a tail with a '/' (a cancelled redemption's lot)
    name_table names;
    for (const lot& l : {a, b, c}) spent.bury(lot_record::of(l, names));
    EXPECT_EQ(spent.size(), 3u);
    EXPECT_EQ(spent.all(names), (std::vector<lot>{a, b, c}));
    EXPECT_EQ(spent.dig_up("RO-1/missing", names), std::nullopt);
    EXPECT_EQ(spent.dig_up("RO-1/welcome", names), std::nullopt);  // another lot's tail
    EXPECT_EQ(spent.dig_up("RO-1", names), std::nullopt);
    const std::optional<lot_record> got = spent.dig_up("G-7/welcome", names);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->written(names), b);
    EXPECT_EQ(got->ordinal, 1u);
    EXPECT_EQ(spent.size(), 2u);
    EXPECT_EQ(spent.all(names), (std::vector<lot>{a, c}));
    EXPECT_EQ(spent.dig_up("G-7/welcome", names), std::nullopt);  // taken out
    EXPECT_EQ(spent.dig_up("X-9/Y-1/transfer#1", names)->written(names), c);
    EXPECT_EQ(spent.dig_up("RO-1/service-spend", names)->written(names), a);
    EXPECT_TRUE(spent.empty());
}

TEST(SpentLots, AStateKeepsOnlyLotsWithPointsAndFindsSpentOnesInCreationOrder) {
    member_state s("m-1");
    for (std::uint32_t i = 0; i < 4; ++i) {
        lot l = spent_lot("e-" + std::to_string(i), "visit", s.next_lot_ordinal());
        l.remaining = points(i % 2 == 0 ? 0 : 10);  // e-0 and e-2 are spent
        s.add_lot(l);
    }
    const std::vector<lot> all = s.all_lots();
    s.bury_spent_lots();
    ASSERT_EQ(s.lots.size(), 2u);
    EXPECT_EQ(s.lot_id(s.lots[0]), "e-1/visit");
    EXPECT_EQ(s.lot_id(s.lots[1]), "e-3/visit");
    EXPECT_EQ(s.spent.size(), 2u);
    EXPECT_EQ(s.all_lots(), all);     // the same lots, in the same order
    EXPECT_EQ(s.balance(), points(20));
    EXPECT_EQ(s.next_lot_ordinal(), 4u);
    // A spent lot read again comes back between its neighbours.
    lot_record* e2 = s.find_lot("e-2/visit");
    ASSERT_NE(e2, nullptr);
    ASSERT_EQ(s.lots.size(), 3u);
    EXPECT_EQ(s.lot_id(s.lots[1]), "e-2/visit");
    EXPECT_EQ(e2, &s.lots[1]);
    EXPECT_EQ(s.all_lots(), all);
    EXPECT_EQ(s.find_lot("e-9/visit"), nullptr);
    // A state is the same value however its spent lots are kept.
    member_state t = s;
    t.bury_spent_lots();
    EXPECT_EQ(t.lots.size(), 2u);
    EXPECT_EQ(t, s);
    // Snapshots write every lot, in creation order, and read back the same state.
    const member_state back = io::state_from_json(io::state_to_json(s));
    EXPECT_EQ(back, s);
    EXPECT_EQ(back.lots.size(), 2u);
    EXPECT_EQ(back.spent.size(), 2u);
}

// Through the engine (the reference programme without benefits, as tests/unit/test_redemption.cpp
// works it by hand): welcome 500, May 1,000, August 800. The rice cooker (2,000) spends the
// first two to their last point, which leave `lots`; cancelling it gives their points back to
// those same lots, in their places, with the ledger naming them.
TEST(SpentLots, ACancelledRedemptionGivesPointsBackToSpentLotsInTheirPlaces) {
    test::member_run run(test::points_only());
    ASSERT_TRUE(run.apply(test::enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(test::simple_ro("e2", "2025-05-20T10:00:00+08:00", "1000.00")).accepted());
    ASSERT_TRUE(run.apply(test::simple_ro("e3", "2025-08-15T10:00:00+08:00", "800.00")).accepted());
    ASSERT_TRUE(run.apply(test::simple("r1", "2025-12-05T10:00:00+08:00", "redeem", R"(,"reward":"rice-cooker")"))
                    .accepted());
    const member_state& s = run.state();
    ASSERT_EQ(s.lots.size(), 1u);  // August's, with 300 left
    EXPECT_EQ(s.lot_id(s.lots[0]), "e3/service-spend");
    EXPECT_EQ(s.lots[0].remaining, points(300));
    EXPECT_EQ(s.spent.size(), 2u);
    EXPECT_EQ(s.balance(), points(300));
    const outcome o =
        run.apply(test::simple("c1", "2025-12-06T10:00:00+08:00", "cancel_redemption", R"(,"redemption":"r1")"));
    ASSERT_TRUE(o.accepted()) << o.message;
    ASSERT_EQ(o.entries.size(), 3u);
    EXPECT_EQ(o.entries[0].lot, "e1/welcome");
    EXPECT_EQ(o.entries[0].amount, points(500));
    EXPECT_EQ(o.entries[1].lot, "e2/service-spend");
    EXPECT_EQ(o.entries[1].amount, points(1000));
    EXPECT_EQ(o.entries[2].lot, "e3/service-spend");
    EXPECT_EQ(o.entries[2].amount, points(500));
    const member_state& back = run.state();
    ASSERT_EQ(back.lots.size(), 3u);
    EXPECT_EQ(back.lot_id(back.lots[0]), "e1/welcome");
    EXPECT_EQ(back.lots[0].remaining, points(500));
    EXPECT_EQ(back.lot_id(back.lots[1]), "e2/service-spend");
    EXPECT_EQ(back.lots[1].remaining, points(1000));
    EXPECT_EQ(back.lots[2].remaining, points(800));
    EXPECT_TRUE(back.spent.empty());
    EXPECT_EQ(back.balance(), points(2300));
    EXPECT_FALSE(verify_chain(run.entries()).has_value());
}

}  // namespace unit_spent_lots
