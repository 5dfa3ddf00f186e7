// A member's lots with points are fixed-size records (member/lot.hpp): the id is the event and
// a tail, and the rule, funder and tail are numbers in the member's name_table, each name kept
// once however many lots hold it. The edges still see a lot with its names written out.
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/io/state_json.hpp"
#include "loyalty/member/lot.hpp"
#include "loyalty/member/state.hpp"

#include "engine_support.hpp"

namespace unit_lot_record {

using namespace loyalty;

lot earned(const std::string& event, const std::string& rule, const std::string& funder) {
    lot l = test::a_lot(event, rule, rule, funder);
    l.earned = points(120);
    l.remaining = points(120);
    return l;
}

TEST(LotRecord, NamesAreKeptOnceAndTheIdIsTheEventAndItsTail) {
    member_state s("M1");
    for (int i = 0; i < 50; ++i) {
        lot l = earned("RO-" + std::to_string(i), i % 2 ? "service-spend" : "welcome", i % 2 ? "manufacturer" : "dealer");
        l.ordinal = s.next_lot_ordinal();
        s.add_lot(l);
    }
    // Two rules (which are also the tails) and two funders: four names for fifty lots.
    EXPECT_EQ(s.names.size(), 4u);
    EXPECT_EQ(s.lot_id(s.lots[7]), "RO-7/service-spend");
    EXPECT_EQ(s.rule_of(s.lots[7]), "service-spend");
    EXPECT_EQ(s.funder_of(s.lots[8]), "dealer");
    EXPECT_TRUE(s.lots[7].has_id("RO-7/service-spend", s.names));
    EXPECT_FALSE(s.lots[7].has_id("RO-7/welcome", s.names));
    EXPECT_FALSE(s.lots[7].has_id("RO-70/service-spend", s.names));
    EXPECT_FALSE(s.lots[7].has_id("RO-/service-spend", s.names));
    EXPECT_EQ(s.find_lot("RO-12/welcome"), &s.lots[12]);
    EXPECT_EQ(s.find_lot("RO-12/service-spend"), nullptr);
    // Written out, a record is the lot it was made from.
    EXPECT_EQ(s.lots[7].written(s.names), [&] {
        lot l = earned("RO-7", "service-spend", "manufacturer");
        l.ordinal = 7;
        return l;
    }());
    // A tail that is not the rule (a transfer's lot, a cancelled redemption's) and no funder.
    lot t = earned("T-1", "transfer", "");
    t.id = "T-1/E-9/welcome";
    t.ordinal = s.next_lot_ordinal();
    s.add_lot(t);
    EXPECT_EQ(s.names.size(), 6u);  // "transfer" and "E-9/welcome"; "" is no name
    EXPECT_EQ(s.lot_id(s.lots.back()), "T-1/E-9/welcome");
    EXPECT_EQ(s.lots.back().funder, name_table::none);
    EXPECT_EQ(s.all_lots().back(), t);
}

TEST(LotRecord, ALotWhoseIdIsNotItsEventsIsRefused) {
    name_table names;
    lot l = earned("RO-1", "service-spend", "");
    l.id = "RO-2/service-spend";
    EXPECT_THROW(lot_record::of(l, names), std::invalid_argument);
    l.id = "RO-1/";  // no tail
    EXPECT_THROW(lot_record::of(l, names), std::invalid_argument);
    l.id = "RO-1";
    EXPECT_THROW(lot_record::of(l, names), std::invalid_argument);
    EXPECT_EQ(names.size(), 0u);

    // A snapshot says which lot, where.
    member_state s("M1");
    s.add_lot(earned("RO-1", "service-spend", ""));
    io::json j = io::state_to_json(s);
    j["lots"][0]["id"] = "RO-2/service-spend";
    try {
        io::state_from_json(j, "/members/0");
        ADD_FAILURE() << "accepted a lot id that is not its event's";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.state.invalid_lot_id");
        EXPECT_EQ(e.pointer(), "/members/0/lots/0/id");
    }
}

// A cancelled redemption whose lot expired meanwhile credits a new lot with the old lot's funder,
// a name of the member's, while adding a new name (the new lot's tail): the funder is copied
// before (under the sanitizers a dangling name would be read here).
TEST(LotRecord, ANewLotTakesAFunderFromTheMembersOwnNames) {
    test::member_run run(test::points_only());
    ASSERT_TRUE(run.apply(test::enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(test::simple("r1", "2027-01-20T10:00:00+08:00", "redeem", R"(,"reward":"car-care-kit")"))
                    .accepted());
    const std::size_t names_before = run.state().names.size();
    const outcome o =
        run.apply(test::simple("c1", "2027-02-10T10:00:00+08:00", "cancel_redemption", R"(,"redemption":"r1")"));
    ASSERT_TRUE(o.accepted()) << o.message;
    const ledger_entry& back = o.entries.back();
    ASSERT_EQ(back.kind, entry_kind::redeem_cancel);
    EXPECT_EQ(back.lot, "c1/e1/welcome");
    EXPECT_EQ(back.funder, "dealer");  // the welcome bonus's funder: the programme's default
    EXPECT_EQ(names_before, 2u);  // "welcome", "dealer": a vector of two, which the next name moves
    EXPECT_EQ(run.state().names.size(), names_before + 2);  // the tail "e1/welcome", the rule (the reward)
    EXPECT_EQ(run.state().funder_of(run.state().lots.back()), "dealer");
}

}  // namespace unit_lot_record
