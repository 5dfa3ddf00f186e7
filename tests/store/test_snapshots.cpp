// Snapshots are verified, not trusted (issue 20, defect 5), on SQLite and PostgreSQL: an append
// builds only on a snapshot sealed to the member's chain head, and verify() checks every
// snapshot and the reward stock against a replay of the journal.
#include <string>
#include <vector>

#include "store/snapshot.hpp"
#include "store_support.hpp"
#include "loyalty/io/state_json.hpp"

namespace loyalty {
namespace store_snapshots {
namespace {

using test::adjust_of;
using test::club;
using test::enrol_of;
using test::error_id;

class snapshot_test : public test::store_test {
protected:
    std::unique_ptr<store::detail::connection> raw(const std::string& u) {
        return store::detail::connect(u, std::chrono::milliseconds(5000));
    }
};

// The problem verify() reports for `member`, or "" when none.
std::string problem_of(const verification_report& r, const std::string& member) {
    for (const verification_problem& p : r.problems)
        if (p.member == member) return p.problem;
    return "";
}

// M1 enrols (500 welcome points, entries 1 and 2); then the snapshot is edited to hold 2,000.
member_state forged_rich(store::store& db) {
    member_state s = *db.member("M1");
    EXPECT_EQ(s.balance(), points(500));
    s.lots.at(0).remaining = points(2000);
    return s;
}

TEST_P(snapshot_test, AnEditedSnapshotIsNeverBuiltOn) {
    const std::string u = url();
    auto db = store::store::open(u, club());
    db->append({enrol_of("s-1", "M1", "2026-01-05T10:00:00Z")});
    const member_state rich = forged_rich(*db);
    raw(u)->query("UPDATE snapshots SET state = ? WHERE member = 'M1'", {io::state_to_json_text(rich)});

    auto next = store::store::open(u, club());  // no state of M1 in memory: it reads the snapshot
    EXPECT_EQ(error_id([&] { next->append({adjust_of("s-2", "M1", "2026-01-06T10:00:00Z", 10)}); }),
              "loyalty.store.corrupt");
    EXPECT_EQ(error_id([&] { next->member("M1"); }), "loyalty.store.corrupt");
    EXPECT_EQ(next->event_count(), 1u);  // nothing of the batch was stored
    EXPECT_EQ(next->ledger_of("M1").size(), 2u);

    const verification_report r = next->verify();
    EXPECT_FALSE(r.ok());
    EXPECT_NE(problem_of(r, "M1").find("does not match its seal"), std::string::npos) << problem_of(r, "M1");
}

// A forger who also recomputes the seal (the formula is public) gets past an append, but not
// past verify(), which compares every snapshot with a replay and names the field.
TEST_P(snapshot_test, AResealedForgeryIsFoundByVerify) {
    const std::string u = url();
    auto db = store::store::open(u, club());
    db->append({enrol_of("s-1", "M1", "2026-01-05T10:00:00Z")});
    const member_state rich = forged_rich(*db);
    const std::string text = io::state_to_json_text(rich);
    raw(u)->query("UPDATE snapshots SET state = ?, seal = ? WHERE member = 'M1'",
                  {text, store::detail::snapshot_seal("M1", rich.last_seq, rich.last_hash.hex(), text)});

    const verification_report r = store::store::open(u, club())->verify();
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(problem_of(r, "M1"),
              "snapshot differs from a replay of the journal at /lots/0/remaining: stored 2000, replayed 500");
}

// A snapshot restored from an older copy (here: the one written after the enrolment, put back
// after a later batch) no longer extends the member's chain: refused, and named by verify().
TEST_P(snapshot_test, ASnapshotOfAnOlderChainHeadIsRefused) {
    const std::string u = url();
    auto db = store::store::open(u, club());
    db->append({enrol_of("s-1", "M1", "2026-01-05T10:00:00Z")});
    const auto old = raw(u)->query("SELECT state, seal, last_seq FROM snapshots WHERE member = 'M1'", {});
    ASSERT_EQ(old.size(), 1u);
    EXPECT_EQ(store::detail::as_int(old[0][2]), 2);
    db->append({adjust_of("s-2", "M1", "2026-01-06T10:00:00Z", 10)});
    raw(u)->query("UPDATE snapshots SET state = ?, seal = ?, last_seq = ?, revision = revision + 1 WHERE member = 'M1'",
                  {old[0][0], old[0][1], store::detail::as_int(old[0][2])});

    auto next = store::store::open(u, club());
    try {
        next->append({adjust_of("s-3", "M1", "2026-01-07T10:00:00Z", 10)});
        ADD_FAILURE() << "a batch was built on a snapshot older than the chain";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.store.corrupt");
        EXPECT_NE(std::string(e.what()).find("was written after entry 2, but the member's chain ends at entry 3"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(next->event_count(), 2u);
    EXPECT_NE(problem_of(next->verify(), "M1").find("chain ends at entry 3"), std::string::npos);
}

// The stock a store keeps is what later redemptions are judged on: a reset or deleted count is
// found by verify(), which compares it with the units a replay issued.
TEST_P(snapshot_test, AResetRewardStockIsFoundByVerify) {
    const std::string u = url();
    const program_versions kit(test::variant([](nlohmann::json& j) {
        for (nlohmann::json& r : j["rewards"])
            if (r["id"] == "car-care-kit") r["stock"] = 6;
    }));
    auto db = store::store::open(u, kit);
    db->append({enrol_of("s-1", "M1", "2026-01-05T10:00:00Z"),
                test::ev(R"({"id":"s-2","member":"M1","at":"2026-01-06T10:00:00Z","type":"redeem","reward":"car-care-kit"})")});
    EXPECT_EQ(db->reward_stock(), (std::map<std::string, std::int64_t>{{"car-care-kit", 1}}));
    EXPECT_TRUE(db->verify().ok());

    raw(u)->query("UPDATE reward_stock SET issued = 0 WHERE reward = 'car-care-kit'", {});
    verification_report r = db->verify();
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].member, "");
    EXPECT_EQ(r.problems[0].problem,
              "reward stock of 'car-care-kit': the store counts 0 units issued, a replay of the journal 1");

    raw(u)->query("DELETE FROM reward_stock", {});
    r = db->verify();
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].problem,
              "reward stock of 'car-care-kit': the store counts 0 units issued, a replay of the journal 1");
}

// Snapshots written before schema version 5 have no seal: opening the database seals them (to
// the chain heads they extend), and the store then reads and builds on them as before.
TEST_P(snapshot_test, SnapshotsOfVersion4AreSealedOnOpen) {
    const std::string u = url();
    const std::vector<event> journal = test::example_journal();
    {
        auto db = store::store::open(u, club());
        db->append(journal);
    }
    {
        auto r = raw(u);
        r->exec("ALTER TABLE snapshots DROP COLUMN seal");
        r->exec("ALTER TABLE personal DROP COLUMN sealed");  // version 6's
        r->exec("ALTER TABLE entries DROP COLUMN figures");  // version 7's
        r->exec("ALTER TABLE entries DROP COLUMN debt_paid");  // version 8's
        r->exec("ALTER TABLE entries DROP COLUMN uses");  // version 9's
        r->exec("ALTER TABLE entries DROP COLUMN args");  // version 10's
        r->query("UPDATE loyalty_meta SET value = '4' WHERE key = 'schema_version'", {});
    }
    auto db = store::store::open(u, club());
    EXPECT_EQ(db->stored_schema_version(), store::schema_version);
    EXPECT_EQ(store::detail::as_int(raw(u)->query("SELECT COUNT(*) FROM snapshots WHERE seal = ''", {}).at(0).at(0)), 0)
        << "every snapshot is sealed";
    EXPECT_TRUE(db->verify().ok());
    const std::string m = journal.front().member;
    const auto r = db->append({adjust_of("after-v5", m, "2027-06-01T10:00:00Z", 10)});
    ASSERT_EQ(r.accepted, 1u);
    EXPECT_EQ(r.events[0].entries.back().amount, points(10));
    EXPECT_EQ(db->member(m)->balance(), r.events[0].entries.back().balance);
    EXPECT_TRUE(db->verify().ok());
}

INSTANTIATE_TEST_SUITE_P(backend, snapshot_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_snapshots
}  // namespace loyalty
