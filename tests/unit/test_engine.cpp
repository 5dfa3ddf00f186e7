// apply(): ordering, idempotency, refusals, programme versions, purity.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine_support.hpp"

namespace unit_engine {

using namespace loyalty;
using namespace loyalty::test;
using nlohmann::json;

TEST(Engine, EnrolStartsTheChainAndPaysTheWelcomeBonus) {
    member_run run(points_only());
    const outcome o = run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    ASSERT_TRUE(o.accepted());
    ASSERT_EQ(o.entries.size(), 2u);
    EXPECT_EQ(o.entries[0].kind, entry_kind::enrol);
    EXPECT_EQ(o.entries[0].seq, 1);
    EXPECT_EQ(o.entries[0].prev_hash.hex(), std::string(64, '0'));
    EXPECT_EQ(o.entries[1].seq, 2);
    // One event, one group (ledger format 5): both entries carry its hash and the genesis.
    EXPECT_EQ(o.entries[1].prev_hash, o.entries[0].prev_hash);
    EXPECT_EQ(o.entries[1].hash, o.entries[0].hash);
    EXPECT_EQ(run.state().last_hash, o.entries[0].hash);
    EXPECT_EQ(o.entries[1].amount, points(500));
    EXPECT_EQ(o.entries[1].balance, points(500));
    EXPECT_EQ(o.entries[1].expires, "2027-03-01");  // 2025-02-01 + 24 months, to the end of that month
    EXPECT_TRUE(run.state().enrolled);
    EXPECT_EQ(run.state().member_since, on("2025-02-01"));
}

TEST(Engine, BusinessRefusalsAreOutcomesAndChangeNothing) {
    member_run run(points_only());
    EXPECT_EQ(run.apply(simple_ro("r0", "2025-02-01T10:00:00+08:00", "10.00")).refused, refusal::unknown_member);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    const member_state before = run.state();
    EXPECT_EQ(run.apply(enrol("e2", "2025-02-02T10:00:00+08:00")).refused, refusal::already_enrolled);
    EXPECT_EQ(run.apply(enrol("e1", "2025-02-02T10:00:00+08:00")).refused, refusal::duplicate_event);
    EXPECT_EQ(run.apply(simple_ro("r1", "2025-01-31T10:00:00+08:00", "10.00")).refused, refusal::out_of_order);
    EXPECT_EQ(run.apply(adjust("a1", "2025-02-02T10:00:00+08:00", -501)).refused, refusal::insufficient_points);
    const outcome usd = run.apply(R"({"id":"u1","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
        "currency":"USD","lines":[{"kind":"labour","category":"maintenance","unit_price":"10.00"}]})");
    EXPECT_EQ(usd.refused, refusal::currency_mismatch);
    EXPECT_TRUE(usd.entries.empty());
    EXPECT_EQ(usd.state, before);
    EXPECT_EQ(run.state(), before);
}

TEST(Engine, NoProgrammeBeforeTheFirstVersion) {
    member_run run(points_only());
    EXPECT_EQ(run.apply(enrol("e1", "2024-12-31T23:59:59+08:00")).refused, refusal::no_program);
}

TEST(Engine, BackdatedEventsWhenTheProgrammeAllowsThem) {
    const program p = variant([](json& j) { j["backdated_events"] = "accept"; });
    member_run run(p);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    run.apply(simple_ro("r1", "2025-03-10T10:00:00+08:00", "10.00"));
    const outcome o = run.apply(simple_ro("r0", "2025-02-20T10:00:00+08:00", "10.00"));
    ASSERT_TRUE(o.accepted());
    EXPECT_TRUE(o.backdated);
    EXPECT_EQ(run.state().last_event_at, at("2025-03-10T10:00:00+08:00"));
}

TEST(Engine, EachEventIsJudgedByTheVersionInForce) {
    program_versions versions(points_only());
    versions.add(variant([](json& j) {
        j["version"] = 2;
        j["effective_from"] = "2026-01-01T00:00:00+08:00";
        j["earning_rules"][0]["points_per_unit"] = "2";
    }));
    member_run run(versions);
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    const outcome v1 = run.apply(simple_ro("r1", "2025-12-31T23:59:59+08:00", "100.00"));
    const outcome v2 = run.apply(simple_ro("r2", "2026-01-01T00:00:00+08:00", "100.00"));
    EXPECT_EQ(v1.entries.at(0).amount, points(100));
    EXPECT_EQ(v1.entries.at(0).version, 1);
    EXPECT_EQ(v2.entries.at(0).amount, points(200));
    EXPECT_EQ(v2.entries.at(0).version, 2);
    EXPECT_EQ(v2.trace.at(0).version, 2);
}

TEST(Engine, ProgrammeVersionsRefuseDuplicates) {
    program_versions versions(points_only());
    try {
        versions.add(points_only());
        FAIL() << "duplicate version accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.program.duplicate_version");
    }
}

TEST(Engine, ApplyIsPureAndDeterministic) {
    const program_versions versions(points_only());
    member_state s("M1");
    const event e1 = ev(enrol("e1", "2025-02-01T10:00:00+08:00"));
    const outcome a = apply(versions, s, e1);
    const outcome b = apply(versions, s, e1);
    EXPECT_EQ(s, member_state("M1"));  // the caller's state is untouched
    EXPECT_EQ(a.entries, b.entries);
    EXPECT_EQ(a.state, b.state);
    EXPECT_EQ(a.trace, b.trace);
}

TEST(Engine, StateOfAnotherMemberIsAnError) {
    const program_versions versions(points_only());
    member_state other("M2");
    try {
        apply(versions, other, ev(enrol("e1", "2025-02-01T10:00:00+08:00")));
        FAIL();
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.engine.member_mismatch");
    }
}

TEST(Engine, JournalRunnerRefusesDuplicateIdsAcrossMembers) {
    journal_runner run{program_versions(points_only())};
    ASSERT_TRUE(run.apply(ev(enrol("e1", "2025-02-01T10:00:00+08:00"))).accepted());
    event other = ev(enrol("e1", "2025-02-01T11:00:00+08:00"));
    other.member = "M2";
    EXPECT_EQ(run.apply(other).refused, refusal::duplicate_event);
    ASSERT_EQ(run.refusals().size(), 1u);
    EXPECT_EQ(run.members().size(), 1u);
}

// An id is judged once: a refused event sent again gets the same refusal, even once its reason
// has gone (here: the member has enrolled since, at the same instant), so that running a journal
// again, or any part of it, changes nothing. Under a new id the same event is judged anew.
TEST(Engine, JournalRunnerAnswersARefusedIdWithTheSameRefusal) {
    journal_runner run{program_versions(points_only())};
    const event early = ev(adjust("a1", "2025-02-01T10:00:00+08:00", 40));
    const outcome first = run.apply(early);
    ASSERT_EQ(first.refused, refusal::unknown_member);
    ASSERT_TRUE(run.apply(ev(enrol("e1", "2025-02-01T10:00:00+08:00"))).accepted());
    const outcome again = run.apply(early);
    EXPECT_EQ(again.refused, refusal::unknown_member);
    EXPECT_EQ(again.message, first.message);
    EXPECT_TRUE(again.entries.empty());
    EXPECT_EQ(run.members().at("M1").balance(), points(500));  // the welcome points only
    ASSERT_EQ(run.refusals().size(), 2u);                       // each refusal is reported where it is met
    event renewed = early;
    renewed.id = "a2";
    EXPECT_TRUE(run.apply(renewed).accepted());
    EXPECT_EQ(run.members().at("M1").balance(), points(540));
}

// The runner finds members by hash beside its ordered map (member_table): a copy finds its own
// states, not the original's; a state released and adopted again is found again; moving a
// runner keeps every member found.
TEST(Engine, JournalRunnerCopiesFindTheirOwnMembers) {
    journal_runner original{program_versions(points_only())};
    ASSERT_TRUE(original.apply(ev(enrol("e1", "2025-02-01T10:00:00+08:00"))).accepted());
    journal_runner copy = original;
    ASSERT_TRUE(copy.apply(ev(adjust("a1", "2025-02-02T10:00:00+08:00", 40))).accepted());
    EXPECT_EQ(copy.members().at("M1").balance(), points(540));
    EXPECT_EQ(original.members().at("M1").balance(), points(500));
    copy = original;  // assigned: the copy's own states again, found through its own index
    ASSERT_TRUE(copy.apply(ev(adjust("a2", "2025-02-02T10:00:00+08:00", 7))).accepted());
    EXPECT_EQ(copy.members().at("M1").balance(), points(507));
    EXPECT_EQ(original.members().at("M1").balance(), points(500));

    std::optional<member_state> taken = copy.release("M1");
    ASSERT_TRUE(taken.has_value());
    EXPECT_FALSE(copy.release("M1").has_value());
    EXPECT_EQ(copy.apply(ev(adjust("a3", "2025-02-03T10:00:00+08:00", 1))).refused, refusal::unknown_member);
    copy.adopt(std::move(*taken));
    journal_runner moved = std::move(copy);
    ASSERT_TRUE(moved.apply(ev(adjust("a4", "2025-02-03T10:00:00+08:00", 3))).accepted());
    EXPECT_EQ(moved.members().at("M1").balance(), points(510));
    ASSERT_EQ(moved.members().size(), 1u);
}

// The runner keeps the ids it applied as fingerprints under their members' numbers, confirmed
// by the members' effect books (core/fingerprint_set.hpp): an id stays applied, under any
// member, after its member's state was handed over (release), replaced by an older one (adopt),
// or copied with the runner.
TEST(Engine, JournalRunnerKeepsAppliedIdsThroughReleaseAdoptAndCopy) {
    journal_runner run{program_versions(points_only())};
    ASSERT_TRUE(run.apply(ev(enrol("e1", "2025-02-01T10:00:00+08:00"))).accepted());
    const member_state enrolled = run.members().at("M1");
    ASSERT_TRUE(run.apply(ev(adjust("a1", "2025-02-02T10:00:00+08:00", 40))).accepted());
    const auto as = [](event e, const char* member) {
        e.member = member;
        return e;
    };
    event m2 = ev(enrol("e2", "2025-02-03T10:00:00+08:00"));
    m2.member = "M2";
    ASSERT_TRUE(run.apply(m2).accepted());

    journal_runner copy = run;  // numbers its members as the original does
    EXPECT_EQ(copy.apply(as(ev(adjust("a1", "2025-02-04T10:00:00+08:00", 1)), "M2")).refused, refusal::duplicate_event);
    EXPECT_EQ(copy.apply(as(ev(enrol("e2", "2025-02-04T10:00:00+08:00")), "M3")).refused, refusal::duplicate_event);

    // M1 replaced by its state before a1: a1 is still applied, under M1 or anyone else.
    run.adopt(enrolled);
    EXPECT_EQ(run.members().at("M1").balance(), points(500));
    EXPECT_EQ(run.apply(ev(adjust("a1", "2025-02-04T10:00:00+08:00", 40))).refused, refusal::duplicate_event);
    EXPECT_EQ(run.apply(as(ev(adjust("a1", "2025-02-04T10:00:00+08:00", 40)), "M2")).refused, refusal::duplicate_event);
    EXPECT_EQ(run.members().at("M1").balance(), points(500));

    // M1 handed over: its ids stay applied; held again, under a new number, its state answers too.
    std::optional<member_state> taken = run.release("M1");
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(run.apply(as(ev(adjust("e1", "2025-02-05T10:00:00+08:00", 1)), "M2")).refused, refusal::duplicate_event);
    EXPECT_EQ(run.apply(as(ev(adjust("a1", "2025-02-05T10:00:00+08:00", 1)), "M2")).refused, refusal::duplicate_event);
    run.adopt(std::move(*taken));
    ASSERT_TRUE(run.apply(ev(adjust("a2", "2025-02-06T10:00:00+08:00", 5))).accepted());
    EXPECT_EQ(run.apply(as(ev(adjust("a2", "2025-02-06T10:00:00+08:00", 5)), "M2")).refused, refusal::duplicate_event);
    EXPECT_EQ(run.members().at("M1").balance(), points(505));
    EXPECT_EQ(run.members().at("M2").balance(), points(500));

    // Moved, the runner still answers for the number M1 had before it was handed over.
    journal_runner moved = std::move(run);
    EXPECT_EQ(moved.apply(as(ev(adjust("a1", "2025-02-06T11:00:00+08:00", 1)), "M2")).refused, refusal::duplicate_event);
    EXPECT_EQ(moved.apply(as(ev(adjust("a2", "2025-02-06T11:00:00+08:00", 1)), "M2")).refused, refusal::duplicate_event);
    ASSERT_TRUE(moved.apply(as(ev(adjust("a9", "2025-02-06T11:00:00+08:00", 1)), "M2")).accepted());

    // A state seeded from a snapshot: its events count as applied here, under any member.
    journal_runner seeded{program_versions(points_only())};
    seeded.adopt(moved.members().at("M1"));
    EXPECT_EQ(seeded.apply(as(ev(adjust("a2", "2025-02-07T10:00:00+08:00", 5)), "M9")).refused, refusal::duplicate_event);
    EXPECT_EQ(seeded.apply(ev(enrol("e1", "2025-02-07T10:00:00+08:00"))).refused, refusal::duplicate_event);
    // M1's state there is the one from before a1 (adopted above): a1 is new to it.
    ASSERT_TRUE(seeded.apply(ev(adjust("a1", "2025-02-07T10:00:00+08:00", 5))).accepted());
    EXPECT_EQ(seeded.members().at("M1").balance(), points(510));
}

// member_table numbers members as it first holds them; a number handed over finds nobody, in
// the table, in a copy of it and in a table moved from it.
TEST(Engine, MemberTableNumbersSurviveCopiesAndMoves) {
    member_table t;
    t.add("M1", member_state("M1"));
    t.add("M2", member_state("M2"));
    EXPECT_EQ(t.number_of("M1"), 0u);
    EXPECT_EQ(t.number_of("M2"), 1u);
    ASSERT_TRUE(t.take("M1").has_value());
    t.add("M1", member_state("M1"));  // held again: a new number
    EXPECT_EQ(t.number_of("M1"), 2u);
    EXPECT_EQ(t.numbered(0), nullptr);
    EXPECT_EQ(t.numbered(3), nullptr);
    EXPECT_THROW(t.number_of("M9"), std::out_of_range);
    const member_table copy = t;
    EXPECT_EQ(copy.numbered(0), nullptr);
    EXPECT_EQ(copy.numbered(1), copy.find("M2"));
    EXPECT_EQ(copy.numbered(2), copy.find("M1"));
    EXPECT_NE(copy.numbered(2), t.numbered(2));  // its own states
    const member_state* m1 = t.find("M1");
    member_table moved = std::move(t);
    EXPECT_EQ(moved.numbered(0), nullptr);
    EXPECT_EQ(moved.numbered(1), moved.find("M2"));
    EXPECT_EQ(moved.numbered(2), m1);  // the same node
    EXPECT_EQ(moved.number_of("M1"), 2u);
}

// The table's index is flat (fingerprints of the ids under their numbers, confirmed by the
// node's key); a member handed over leaves a slot that finds nobody until the index is made
// again, which happens once such slots outnumber the members held. Through a store's pattern
// (members handed over and held again, batch after batch) every member is found under its
// latest number, and no other.
TEST(Engine, MemberTableFindsEveryMemberThroughManyHandOvers) {
    member_table t;
    std::vector<std::string> ids;
    for (int i = 0; i < 300; ++i) ids.push_back("M" + std::to_string(i));
    std::map<std::string, member_table::number> latest;
    member_table::number next = 0;
    for (const std::string& id : ids) {
        t.add(id, member_state(id));
        latest[id] = next++;
    }
    for (int round = 0; round < 20; ++round)
        for (std::size_t i = static_cast<std::size_t>(round) % 3; i < ids.size(); i += 3) {  // a third each round
            std::optional<member_state> s = t.take(ids[i]);
            ASSERT_TRUE(s.has_value());
            EXPECT_EQ(s->member, ids[i]);
            EXPECT_EQ(t.find(ids[i]), nullptr);
            EXPECT_FALSE(t.take(ids[i]).has_value());
            t.add(ids[i], std::move(*s));
            latest[ids[i]] = next++;
        }
    ASSERT_EQ(t.in_order().size(), ids.size());
    for (const std::string& id : ids) {
        const member_state* s = t.find(id);
        ASSERT_NE(s, nullptr) << id;
        EXPECT_EQ(s->member, id);
        EXPECT_EQ(t.number_of(id), latest[id]) << id;
        EXPECT_EQ(t.numbered(latest[id]), s);
    }
    std::size_t found = 0;
    for (member_table::number n = 0; n < next; ++n) found += t.numbered(n) ? 1 : 0;
    EXPECT_EQ(found, ids.size());  // every number handed over finds nobody
    EXPECT_EQ(t.find("M300"), nullptr);
    EXPECT_EQ(t.find(""), nullptr);
    const member_table copy = t;  // made from the numbers, not the slots
    for (const std::string& id : ids) EXPECT_EQ(copy.number_of(id), latest[id]) << id;
}

// Values past the engine's limits are refused before anything changes, so that no arithmetic
// can overflow half-way through an event (engine/limits.hpp).
TEST(Engine, ValuesPastTheLimitsAreRefusedNotOverflowed) {
    member_run run(points_only());
    run.apply(enrol("e1", "2025-02-01T10:00:00+08:00"));
    const member_state before = run.state();
    // 10^11 units x 1,000,000.00: far past 10^13 minor units.
    const outcome huge = run.apply(R"({"id":"r1","member":"M1","at":"2025-02-02T10:00:00+08:00","type":"repair_order",
        "lines":[{"kind":"part","category":"repair","quantity":"100000000000","unit_price":"1000000.00"}]})");
    EXPECT_EQ(huge.refused, refusal::out_of_range);
    EXPECT_EQ(run.apply(adjust("a1", "2025-02-02T10:00:00+08:00", 10'000'000'000'001)).refused, refusal::out_of_range);
    EXPECT_EQ(run.apply(simple("v1", "2025-02-02T10:00:00+08:00", "vehicle_purchase",
                               R"(,"vin":"V","price":"100000000000.01")")).refused,
              refusal::out_of_range);
    EXPECT_EQ(run.state(), before);
    // At the limit itself: accepted. 100,000,000,000.00 CNY x 1 pt per 1.00 (down) = 10^11 pt.
    const outcome edge = run.apply(simple_ro("r2", "2025-02-03T10:00:00+08:00", "100000000000.00", "repair"));
    ASSERT_TRUE(edge.accepted()) << edge.message;
    EXPECT_EQ(edge.entries.at(0).amount, points(100'000'000'000));
}

}  // namespace unit_engine
