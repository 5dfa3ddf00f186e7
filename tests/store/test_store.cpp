// The store test suite, run on SQLite and (under scripts/with-postgres.sh) on PostgreSQL.
#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "engine_support.hpp"
#include "store/entry_rows.hpp"
#include "store_support.hpp"

namespace loyalty {
namespace store_store {
namespace {

using store::event_status;
using test::adjust_of;
using test::club;
using test::enrol_of;
using test::error_id;
using test::store_test;

std::vector<ledger_entry> sorted_by_member(std::vector<ledger_entry> v) {
    std::stable_sort(v.begin(), v.end(), [](const ledger_entry& a, const ledger_entry& b) {
        return a.member < b.member || (a.member == b.member && a.seq < b.seq);
    });
    return v;
}

// The example journal appended in batches of 5 gives exactly what replaying it in memory
// gives: the same ledger, the same member states (read from snapshots), the same refusals.
TEST_P(store_test, BatchesGiveWhatReplayGives) {
    const auto journal = test::example_journal();
    const journal_runner expected = replay(club(), journal);
    const std::string u = url();
    {
        auto db = store::store::open(u, club());
        for (std::size_t i = 0; i < journal.size(); i += 5) {
            const std::vector<event> batch(journal.begin() + i, journal.begin() + std::min(journal.size(), i + 5));
            db->append(batch);
        }
    }
    auto db = store::store::open(u, club());  // a new connection reads only what was committed
    EXPECT_EQ(db->ledger(), sorted_by_member(expected.entries()));
    for (const auto& [id, state] : expected.members()) {
        const auto stored = db->member(id);
        ASSERT_TRUE(stored) << id;
        EXPECT_EQ(*stored, state) << id;
        EXPECT_EQ(db->ledger_of(id), expected.entries_of(id));
    }
    EXPECT_FALSE(db->member("nobody"));
    // The journal holds the accepted events, in the order applied, and reads back equal;
    // business refusals are logged, duplicates (the example repeats e-0005) only answered.
    std::vector<std::string> accepted;
    std::size_t business_refusals = 0;
    journal_runner again(club());
    for (const event& e : journal) {
        const outcome o = again.apply(e);
        if (o.accepted()) accepted.push_back(e.id);
        else if (o.refused != refusal::duplicate_event) ++business_refusals;
    }
    ASSERT_LT(accepted.size(), journal.size());
    EXPECT_EQ(db->refusals().size(), business_refusals);
    EXPECT_EQ(db->event_count(), accepted.size());
    std::vector<std::string> stored_ids;
    for (const event& e : db->journal()) stored_ids.push_back(e.id);
    EXPECT_EQ(stored_ids, accepted);
    EXPECT_EQ(io::event_to_json(*db->event_by_id(journal[1].id)), io::event_to_json(journal[1]));
    EXPECT_FALSE(db->event_by_id("no-such-event"));
    EXPECT_TRUE(db->verify().ok());
}

TEST_P(store_test, ADuplicateIsReportedAndNeverAppliedTwice) {
    auto db = store::store::open(url(), club());
    const std::vector<event> batch = {enrol_of("d-1", "M1", "2026-01-05T10:00:00Z"),
                                      adjust_of("d-2", "M1", "2026-01-05T11:00:00Z", 40),
                                      adjust_of("d-2", "M1", "2026-01-05T11:00:00Z", 40)};  // again, same batch
    const auto first = db->append(batch);
    EXPECT_EQ(first.accepted, 2u);
    EXPECT_EQ(first.duplicates, 1u);
    EXPECT_EQ(first.events[2].status, event_status::duplicate);
    EXPECT_EQ(first.events[2].code, refusal::duplicate_event);
    const auto again = db->append(batch);  // a client retrying after a lost acknowledgement
    EXPECT_EQ(again.accepted, 0u);
    EXPECT_EQ(again.duplicates, 3u);
    EXPECT_EQ(db->member("M1")->balance(), points(540));  // 500 welcome + 40 once, not 580 or 620
    EXPECT_EQ(db->event_count(), 2u);
    EXPECT_TRUE(db->refusals().empty());  // duplicates are answered, not logged
}

TEST_P(store_test, ARefusalIsLoggedButNotJournaled) {
    auto db = store::store::open(url(), club());
    const auto r = db->append({adjust_of("r-1", "M7", "2026-01-05T10:00:00Z", 10)});  // M7 never enrolled
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].status, event_status::refused);
    EXPECT_EQ(r.events[0].code, refusal::unknown_member);
    EXPECT_EQ(db->event_count(), 0u);
    ASSERT_EQ(db->refusals().size(), 1u);
    EXPECT_EQ(db->refusals()[0].code, "unknown_member");
    EXPECT_FALSE(db->member("M7"));
    // A refusal is final: once the member has enrolled, the same event sent again (a client
    // retrying, a file run again after a crash) gets the same refusal, not a new judgement, and
    // is not logged twice. A client that means it again sends it under a new id.
    const auto later = db->append({enrol_of("r-0", "M7", "2026-01-05T09:00:00Z"), adjust_of("r-1", "M7", "2026-01-05T10:00:00Z", 10)});
    EXPECT_EQ(later.accepted, 1u);
    ASSERT_EQ(later.events.size(), 2u);
    EXPECT_EQ(later.events[1].status, event_status::refused);
    EXPECT_EQ(later.events[1].code, refusal::unknown_member);
    EXPECT_EQ(later.events[1].message, r.events[0].message);
    EXPECT_EQ(db->member("M7")->balance(), points(500));  // the welcome points only
    EXPECT_EQ(db->refusals().size(), 1u);
    EXPECT_EQ(db->append({adjust_of("r-2", "M7", "2026-01-05T10:00:00Z", 10)}).accepted, 1u);
    EXPECT_EQ(db->member("M7")->balance(), points(510));
}

// An id the store judged before, sent again with another body, is refused as such
// (event_id_reused), whether the first was accepted or refused, in an earlier batch or the same
// one: nothing is applied and nothing logged, and the first judgement stands.
TEST_P(store_test, AnIdSentAgainWithAnotherBodyIsRefusedAsSuch) {
    auto db = store::store::open(url(), club());
    ASSERT_EQ(db->append({enrol_of("i-1", "M1", "2026-01-05T10:00:00Z"), adjust_of("i-2", "M1", "2026-01-05T11:00:00Z", 40),
                          adjust_of("i-3", "M9", "2026-01-05T11:00:00Z", 5)})
                  .refused,
              1u);  // i-3: M9 never enrolled
    const auto r = db->append({adjust_of("i-2", "M1", "2026-01-05T11:00:00Z", 400),    // accepted before as +40
                               adjust_of("i-3", "M1", "2026-01-05T11:00:00Z", 5),      // refused before, for M9
                               adjust_of("i-4", "M1", "2026-01-05T12:00:00Z", 7),
                               adjust_of("i-4", "M1", "2026-01-05T12:00:00Z", 70),     // earlier in this batch
                               adjust_of("i-2", "M1", "2026-01-05T11:00:00Z", 40),    // the same as before
                               adjust_of("i-2", "M1", "2026-01-05T19:00:00+08:00", 40)});  // the same instant
    ASSERT_EQ(r.events.size(), 6u);
    for (const std::size_t k : {0u, 1u, 3u}) {
        EXPECT_EQ(r.events[k].status, event_status::refused) << k;
        EXPECT_EQ(to_string(r.events[k].code), "event_id_reused") << k;
        EXPECT_NE(r.events[k].message.find(r.events[k].event), std::string::npos) << r.events[k].message;
    }
    EXPECT_EQ(r.events[2].status, event_status::accepted);
    EXPECT_EQ(r.events[4].status, event_status::duplicate);
    EXPECT_EQ(r.events[5].status, event_status::duplicate);
    EXPECT_EQ(db->member("M1")->balance(), points(547));  // 500 + 40 + 7
    EXPECT_EQ(db->refusals().size(), 1u);                 // only i-3's first judgement
    EXPECT_EQ(io::event_to_json(*db->event_by_id("i-2")), io::event_to_json(adjust_of("i-2", "M1", "2026-01-05T11:00:00Z", 40)));
    EXPECT_TRUE(db->verify().ok());
}

TEST_P(store_test, SnapshotsCarryTheChainAcrossBatchesAndConnections) {
    const std::string u = url();
    store::store::open(u, club())->append({enrol_of("s-1", "M1", "2026-01-05T10:00:00Z"),
                                           adjust_of("s-2", "M1", "2026-01-06T10:00:00Z", 100)});
    auto db = store::store::open(u, club());
    const auto r = db->append({adjust_of("s-3", "M1", "2026-01-07T10:00:00Z", -30)});
    ASSERT_EQ(r.accepted, 1u);
    ASSERT_EQ(r.events[0].entries.size(), 1u);
    // enrol (seq 1), 500 welcome (seq 2), +100 (seq 3), -30 (seq 4): the new entry continues
    // the stored chain.
    EXPECT_EQ(r.events[0].entries[0].seq, 4);
    EXPECT_EQ(r.events[0].entries[0].balance, points(570));  // 500 + 100 - 30
    EXPECT_EQ(r.events[0].entries[0].prev_hash, db->ledger_of("M1")[2].hash);
    EXPECT_EQ(db->member("M1")->last_seq, 4);
    EXPECT_TRUE(db->verify().ok());
}

// A store keeps the states it wrote in memory; another writer's batch in between must be seen.
TEST_P(store_test, AnotherWritersBatchIsNotHiddenByTheCache) {
    const std::string u = url();
    auto a = store::store::open(u, club());
    auto b = store::store::open(u, club());
    a->append({enrol_of("h-1", "M1", "2026-01-05T10:00:00Z")});
    b->append({adjust_of("h-2", "M1", "2026-01-06T10:00:00Z", 7)});
    const auto r = a->append({adjust_of("h-3", "M1", "2026-01-07T10:00:00Z", 11)});
    ASSERT_EQ(r.accepted, 1u);
    // enrol (1), welcome 500 (2), +7 by b (3), +11 by a (4): 500 + 7 + 11 = 518.
    EXPECT_EQ(r.events[0].entries.at(0).seq, 4);
    EXPECT_EQ(r.events[0].entries.at(0).balance, points(518));
    EXPECT_EQ(b->member("M1")->balance(), points(518));
    EXPECT_TRUE(a->verify().ok());
}

// A referred member's first paid visit pays the referrer, whose snapshot the batch does not
// name: the store finds the referrer in the member's snapshot and locks and seeds it too, on a
// connection that has never seen either member. The reversal of the visit takes it back.
TEST_P(store_test, AReferredMembersVisitPaysTheReferrerInAnotherBatch) {
    const std::string u = url();
    store::store::open(u, club())->append({enrol_of("f-1", "R1", "2026-01-05T10:00:00Z")});
    const auto enrolled = store::store::open(u, club())->append({test::ev(
        R"({"id":"f-2","member":"N1","at":"2026-01-06T10:00:00Z","type":"enrol","referred_by":"R1"})")});
    ASSERT_EQ(enrolled.accepted, 1u);
    EXPECT_EQ(store::store::open(u, club())->append({test::ev(
        R"({"id":"f-0","member":"N2","at":"2026-01-06T11:00:00Z","type":"enrol","referred_by":"NOBODY"})")})
                  .events.at(0).code,
              refusal::referral_refused);
    auto db = store::store::open(u, club());
    const auto visit = db->append({test::ev(R"({"id":"f-3","member":"N1","at":"2026-02-01T10:00:00Z","type":"repair_order",)"
                                      R"("lines":[{"kind":"labour","category":"maintenance","unit_price":"300.00"}]})")});
    ASSERT_EQ(visit.accepted, 1u);
    // R1: 500 welcome + 1000 referral; N1: 500 welcome + 300 x 0.7 (30% off labour) = 710.
    EXPECT_EQ(db->member("R1")->balance(), points(1500));
    EXPECT_EQ(db->member("N1")->balance(), points(710));
    const auto undo = store::store::open(u, club())->append({test::ev(
        R"({"id":"f-4","member":"N1","at":"2026-02-03T10:00:00Z","type":"reverse","event":"f-3"})")});
    ASSERT_EQ(undo.accepted, 1u);
    EXPECT_EQ(db->member("R1")->balance(), points(500));
    EXPECT_EQ(db->member("N1")->balance(), points(500));
    EXPECT_TRUE(db->verify().ok());
}

// A fleet member's visit counts toward the account, whose snapshot the batch does not name:
// the store finds the account in the member's snapshot, locks it and writes its new snapshot
// (spend is counted there without an entry). The rebate is then settled from what was stored.
TEST_P(store_test, AFleetMembersVisitCountsTowardTheAccountInAnotherBatch) {
    const std::string u = url();
    store::store::open(u, club())->append(
        {test::ev(R"({"id":"g-1","member":"A1","at":"2025-01-02T10:00:00Z","type":"open_account","policy":"corporate"})"),
         enrol_of("g-2", "D1", "2025-01-03T10:00:00Z")});
    const auto joined = store::store::open(u, club())->append(
        {test::ev(R"({"id":"g-3","member":"D1","at":"2025-01-04T10:00:00Z","type":"join_account","account":"A1"})")});
    ASSERT_EQ(joined.accepted, 1u);
    // A van for 150,000.00, on a connection that has seen neither.
    const auto van = store::store::open(u, club())->append({test::ev(
        R"({"id":"g-4","member":"D1","at":"2025-03-01T10:00:00Z","type":"vehicle_purchase","vin":"V1","price":"150000.00"})")});
    ASSERT_EQ(van.accepted, 1u);
    auto db = store::store::open(u, club());
    ASSERT_TRUE(db->member("A1")->fleet);
    EXPECT_EQ(db->member("A1")->fleet->spend.size(), 1u);
    const auto settled = db->append({test::ev(
        R"({"id":"g-5","member":"A1","at":"2026-01-05T10:00:00Z","type":"settle_rebate","period_of":"2025-06-30"})")});
    ASSERT_EQ(settled.accepted, 1u);
    ASSERT_EQ(settled.events[0].entries.size(), 1u);
    EXPECT_EQ(settled.events[0].entries[0].money, "3000.00 CNY");  // 0.02 x 150,000.00
    EXPECT_TRUE(db->verify().ok());
}

// Under a policy that counts tier qualification at account level, a member's visit may change
// the tier every member of the account holds: the store finds the account's members in its
// snapshot, locks them too, and writes the snapshot of a member the batch never named (D2),
// with the same entries as a replay in memory.
TEST_P(store_test, AnAccountsTierReachesAMemberTheBatchDoesNotName) {
    const program_versions pooled(test::variant([](nlohmann::json& j) {
        j["tiers"] = nlohmann::json::parse(R"({"window": {"period": "calendar_year"}, "levels": [
            {"id": "gold", "name": "Gold", "qualify": {"spend": "5000.00"}, "retain": {"spend": "3000.00"}}]})");
        j["fleet_policies"][0]["qualification"] = "account";
    }));
    const std::vector<event> setup = {
        test::ev(R"({"id":"t-1","member":"A1","at":"2025-01-02T10:00:00Z","type":"open_account","policy":"corporate"})"),
        enrol_of("t-2", "D1", "2025-01-03T10:00:00Z"), enrol_of("t-3", "D2", "2025-01-03T11:00:00Z"),
        test::ev(R"({"id":"t-4","member":"D1","at":"2025-01-04T10:00:00Z","type":"join_account","account":"A1"})"),
        test::ev(R"({"id":"t-5","member":"D2","at":"2025-01-04T11:00:00Z","type":"join_account","account":"A1"})")};
    const event van = test::ev(
        R"({"id":"t-6","member":"D1","at":"2025-03-01T10:00:00Z","type":"vehicle_purchase","vin":"V1","price":"150000.00"})");
    const std::string u = url();
    ASSERT_EQ(store::store::open(u, pooled)->append(setup).accepted, 5u);
    const auto bought = store::store::open(u, pooled)->append({van});  // names D1 only
    ASSERT_EQ(bought.accepted, 1u);
    auto db = store::store::open(u, pooled);
    EXPECT_EQ(db->member("A1")->tier, "gold");  // 150,000.00 >= 5,000.00
    EXPECT_EQ(db->member("D2")->account_tier, "gold");
    std::vector<event> all = setup;
    all.push_back(van);
    const journal_runner expected = replay(pooled, all);
    EXPECT_EQ(*db->member("D2"), expected.members().at("D2"));
    EXPECT_EQ(sorted_by_member(bought.events[0].entries), sorted_by_member(std::vector<ledger_entry>(
                                                              expected.entries().end() - static_cast<std::ptrdiff_t>(bought.events[0].entries.size()),
                                                              expected.entries().end())));
    EXPECT_TRUE(db->verify().ok());
}

TEST_P(store_test, LedgerOfAPeriod) {
    auto db = store::store::open(url(), club());
    db->append({enrol_of("p-1", "M1", "2026-01-05T10:00:00Z"), enrol_of("p-2", "M2", "2026-01-31T23:59:59Z"),
                adjust_of("p-3", "M1", "2026-02-01T00:00:00Z", 5), adjust_of("p-4", "M2", "2026-02-10T00:00:00Z", 7)});
    // [2026-01-31T23:59:59Z, 2026-02-10T00:00:00Z): M2's enrolment (two entries: enrol and the
    // 500 welcome points) and M1's +5; not p-4 (the end is excluded) nor p-1 (before).
    const auto period = db->ledger_between(test::at("2026-01-31T23:59:59Z"), test::at("2026-02-10T00:00:00Z"));
    ASSERT_EQ(period.size(), 3u);
    EXPECT_EQ(period[0].event, "p-2");
    EXPECT_EQ(period[1].event, "p-2");
    EXPECT_EQ(period[1].amount, points(500));
    EXPECT_EQ(period[2].event, "p-3");
    EXPECT_EQ(period[2].amount, points(5));
}

TEST_P(store_test, ErasingPersonalDataKeepsEveryChain) {
    auto db = store::store::open(url(), club(), test::with_key_file());
    db->append({enrol_of("x-1", "M1", "2026-01-05T10:00:00Z"), adjust_of("x-2", "M1", "2026-01-06T10:00:00Z", 25)});
    const store::personal_data wang{"Wang Fang", "+86 138 0000 0000", test::on("1990-04-12")};
    db->put_personal("M1", wang);
    EXPECT_EQ(db->personal("M1"), wang);
    const auto ledger_before = db->ledger();
    const auto state_before = db->member("M1");

    EXPECT_TRUE(db->erase_personal("M1"));
    EXPECT_FALSE(db->personal("M1"));
    EXPECT_FALSE(db->erase_personal("M1"));  // nothing left to erase
    EXPECT_EQ(db->ledger(), ledger_before);  // not one byte of the chain changed
    EXPECT_EQ(db->member("M1"), state_before);
    EXPECT_TRUE(db->verify().ok());
    // Nothing hashed names the person: the ledger and journal hold only "M1".
    for (const ledger_entry& e : db->ledger()) EXPECT_EQ(canonical_form(e).find("Wang"), std::string::npos);
    for (const event& e : db->journal()) EXPECT_EQ(io::event_to_json(e).dump().find("Wang"), std::string::npos);
}

// What erasure means on disk (issue 20, defect 9): after erase_personal, no file of the SQLite
// database, its write-ahead log included, holds the name or the phone, even while connections
// are open (SQLite removes the -wal file only when the last one closes).
TEST(SqliteErasure, NoFileHoldsTheErasedPersonAnyMore) {
    const std::string path = test::fresh_path("erasure");
    auto db = store::store::open("sqlite:" + path, club());
    auto reader = store::store::open("sqlite:" + path, club());  // another store system, open all along
    db->append({enrol_of("x-1", "M1", "2026-01-05T10:00:00Z")});
    db->put_personal("M1", {"Qian-Erasable-Name", "+86 137 5555 0199", test::on("1990-04-12")});
    ASSERT_TRUE(reader->personal("M1"));
    const auto files_holding = [&](const std::string& needle) { return test::files_holding(test::sqlite_files(path), needle); };
    ASSERT_FALSE(files_holding("Qian-Erasable-Name").empty());  // the scan sees what is there

    ASSERT_TRUE(db->erase_personal("M1"));
    EXPECT_EQ(files_holding("Qian-Erasable-Name"), std::vector<std::string>{});
    EXPECT_EQ(files_holding("5555 0199"), std::vector<std::string>{});
    EXPECT_FALSE(reader->personal("M1"));
    EXPECT_TRUE(reader->verify().ok());
}

TEST_P(store_test, OlderSchemaIsMigratedNewerIsRefused) {
    const std::string u = url();
    {
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        store::detail::migrate_between(*raw, 0, 1);  // a database written by the first release
        raw->query("INSERT INTO personal (member, name, phone, birthday) VALUES ('M1', 'Li', '1', NULL)", {});
    }
    {
        auto db = store::store::open(u, club());
        EXPECT_EQ(db->stored_schema_version(), store::schema_version);
        EXPECT_EQ(db->personal("M1")->name, "Li");  // data kept across the migration
        EXPECT_TRUE(db->reward_stock().empty());    // the table version 2 adds is there
    }
    {
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        raw->query("UPDATE loyalty_meta SET value = ? WHERE key = 'schema_version'", {std::to_string(store::schema_version + 1)});
    }
    EXPECT_EQ(error_id([&] { store::store::open(u, club()); }), "loyalty.store.schema_too_new");
}

// Writes `entries` into the entries table as an older version wrote them: `strip` takes out
// what that version did not write, each member's chain is hashed again, and the rows fill the
// table's first `columns` columns (entry_columns' order), the columns that version had.
void store_as_written_before(store::detail::connection& raw, std::vector<ledger_entry> entries,
                             const std::function<void(ledger_entry&)>& strip, std::size_t columns) {
    std::map<std::string, sha256_digest> heads;
    for (ledger_entry& e : entries) {
        strip(e);
        e.format = 4;  // every version before 10 wrote format 4 or earlier: each entry hashed alone
        const auto head = heads.find(e.member);
        e.prev_hash = head == heads.end() ? genesis_hash() : head->second;
        e.hash = entry_hash(e);
        heads[e.member] = e.hash;
    }
    std::string names = store::detail::entry_columns, marks = "?";
    std::size_t end = 0;
    for (std::size_t i = 1; i < columns; ++i) {
        end = names.find(", ", end) + 2;
        marks += ", ?";
    }
    names = names.substr(0, names.find(", ", end));
    for (const ledger_entry& e : entries) {
        std::vector<store::detail::value> values = store::detail::entry_params(e);
        values.resize(columns);
        raw.query("INSERT INTO entries (" + names + ") VALUES (" + marks + ")", values);
    }
}

// What ledger format 4 added to an entry: a benefit entry's uses, and the money it gave.
void without_benefit_fields(ledger_entry& e) {
    if (!e.uses) return;
    e.uses.reset();
    e.money.clear();
}

const std::string upgrade_notice_tail =
    " events (ledger format 5: one hash per event and member, over entries that carry their figures, debt paid, "
    "uses, money and reasons' arguments; anchors taken before no longer match, take new ones; docs/store.md, "
    "\"Upgrading\")";

// Stores the whole `journal` at `whole` and only its first event at `first`.
void store_whole_and_first(const std::string& whole, const std::string& first, const std::vector<event>& journal) {
    store::store::open(whole, club())->append(journal);
    store::store::open(first, club())->append(std::vector<event>(journal.begin(), journal.begin() + 1));
}

// The entries stored, by member and seq, taken out of the table (which is left empty).
std::vector<ledger_entry> take_entries(store::detail::connection& raw) {
    std::vector<ledger_entry> stored;
    for (const store::detail::row& r :
         raw.query(std::string("SELECT ") + store::detail::entry_columns + " FROM entries ORDER BY member, seq", {}))
        stored.push_back(store::detail::entry_from_row(r));
    raw.exec("DELETE FROM entries");
    return stored;
}

// A store at `u` holding the example journal; its replay.
journal_runner store_example_journal(const std::string& u) {
    const std::vector<event> journal = test::example_journal();
    store::store::open(u, club())->append(journal);
    return replay(club(), journal);
}

// A store written before ledger format 2 (schema version 6: earn entries without figures, hashed
// without them) is upgraded when opened: its ledger is written again from its journal, once, and
// then equals an in-memory replay and verifies. Under programme versions that refuse one of its
// events the upgrade changes nothing and says which event; the next open with the right ones
// completes it.
TEST_P(store_test, ALedgerWrittenBeforeFiguresIsWrittenAgainFromItsJournal) {
    const std::string u = url();
    const journal_runner replayed = store_example_journal(u);
    std::size_t earn_entries = 0;
    {
        // The entries as version 6 wrote them: the same without figures, each chain hashed again.
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        raw->exec("DELETE FROM entries");
        raw->exec("ALTER TABLE entries DROP COLUMN args");       // version 10's
        raw->exec("ALTER TABLE entries DROP COLUMN uses");       // version 9's
        raw->exec("ALTER TABLE entries DROP COLUMN debt_paid");  // version 8's
        raw->exec("ALTER TABLE entries DROP COLUMN figures");
        for (const ledger_entry& e : replayed.entries()) earn_entries += e.figures ? 1 : 0;
        // Every column up to `store` (19): neither figures nor debt_paid nor uses.
        store_as_written_before(
            *raw, replayed.entries(),
            [](ledger_entry& e) {
                e.figures.reset();
                without_benefit_fields(e);
            },
            19);
        raw->query("UPDATE loyalty_meta SET value = '6' WHERE key = 'schema_version'", {});
    }
    ASSERT_GT(earn_entries, 10u);
    const auto without_figures = [&] {
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        return store::detail::as_int(raw->query("SELECT COUNT(*) FROM entries WHERE figures = ''", {}).at(0).at(0));
    };

    // Without its benefits the programme refuses the journal's benefit uses: nothing changes.
    const program_versions points_only(test::points_only());
    EXPECT_EQ(error_id([&] { store::store::open(u, points_only); }), "loyalty.store.rederive_refused");
    EXPECT_EQ(without_figures(), static_cast<std::int64_t>(replayed.entries().size()));

    {
        auto db = store::store::open(u, club());
        EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of " +
                                            std::to_string(db->event_count()) + upgrade_notice_tail);
        EXPECT_EQ(db->ledger(), sorted_by_member(replayed.entries()));
        EXPECT_TRUE(db->verify().ok());
        for (const auto& [id, s] : replayed.members()) EXPECT_EQ(*db->member(id), s) << id;
    }
    EXPECT_EQ(without_figures(), static_cast<std::int64_t>(replayed.entries().size() - earn_entries));
    auto again = store::store::open(u, club());
    EXPECT_EQ(again->upgrade_notice(), "");  // once
}

// A journal in which M1 runs into debt and pays it off: r1 reversed after its points were spent,
// what other lots cannot give back becomes debt, and r3's points pay it (a settle_debt entry).
std::vector<event> journal_with_debt() {
    using test::ev;
    return {ev(test::enrol("e1", "2025-02-01T10:00:00+08:00")), ev(test::simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00")),
            ev(test::adjust("a1", "2025-05-11T10:00:00+08:00", -1000)),
            ev(test::reverse_of("x1", "2025-05-12T10:00:00+08:00", "r1")),
            ev(test::simple_ro("r3", "2025-06-01T10:00:00+08:00", "2500.00"))};
}

// A store written before ledger format 3 (schema version 7: settle_debt entries without their
// debt_paid, hashed without it) is upgraded when opened: its ledger is written again from its
// journal, once, and then equals an in-memory replay and verifies. A version-7 store with no
// entry a later format changes has nothing to write again and is only migrated.
TEST_P(store_test, ALedgerWrittenBeforeDebtPaidIsWrittenAgainFromItsJournal) {
    const std::string u = url();
    const std::vector<event> journal = journal_with_debt();
    const journal_runner replayed = replay(club(), journal);
    ASSERT_TRUE(replayed.refusals().empty()) << replayed.refusals().front().message;
    std::size_t settled = 0;
    for (const ledger_entry& e : replayed.entries()) settled += e.debt_paid ? 1 : 0;
    ASSERT_EQ(settled, 1u);
    const std::string plain = url("plain");  // the first event: no debt, and no benefit used (format 4)
    store_whole_and_first(u, plain, journal);
    for (const std::string* at : {&u, &plain}) {
        // The entries as version 7 wrote them: the same without debt_paid, each chain hashed again.
        auto raw = store::detail::connect(*at, std::chrono::milliseconds(5000));
        const std::vector<ledger_entry> stored = take_entries(*raw);
        raw->exec("ALTER TABLE entries DROP COLUMN args");  // version 10's
        raw->exec("ALTER TABLE entries DROP COLUMN uses");  // version 9's
        raw->exec("ALTER TABLE entries DROP COLUMN debt_paid");
        // Every column up to `figures` (20): no debt_paid, no uses.
        store_as_written_before(
            *raw, stored,
            [](ledger_entry& e) {
                e.debt_paid.reset();
                without_benefit_fields(e);
            },
            20);
        raw->query("UPDATE loyalty_meta SET value = '7' WHERE key = 'schema_version'", {});
    }
    {
        auto db = store::store::open(u, club());
        EXPECT_EQ(db->stored_schema_version(), store::schema_version);
        EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of 5" + upgrade_notice_tail);
        EXPECT_EQ(db->ledger(), replayed.entries());  // one member: the store's order is the replay's
        EXPECT_TRUE(db->verify().ok());
    }
    EXPECT_EQ(store::store::open(u, club())->upgrade_notice(), "");  // once
    // No settle_debt or benefit entry, but every entry is hashed anew in format 5: written again too.
    auto db = store::store::open(plain, club());
    EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of 1" + upgrade_notice_tail);
    EXPECT_EQ(db->stored_schema_version(), store::schema_version);
    EXPECT_TRUE(db->verify().ok());
}

// A store written before ledger format 4 (schema version 8: benefit entries without their uses and
// money, hashed without them) is upgraded when opened: its ledger is written again from its
// journal, once, and then equals an in-memory replay and verifies. A version-8 store with no
// benefit entry is only migrated.
TEST_P(store_test, ALedgerWrittenBeforeBenefitUsesIsWrittenAgainFromItsJournal) {
    const std::string u = url();
    const std::vector<event> journal = test::example_journal();
    const journal_runner replayed = replay(club(), journal);
    std::size_t benefit_entries = 0, with_money = 0;
    for (const ledger_entry& e : replayed.entries())
        if (e.uses) ++benefit_entries, with_money += e.money.empty() ? 0 : 1;
    ASSERT_GT(benefit_entries, 3u);
    ASSERT_GT(with_money, 0u);
    const std::string plain = url("plain");  // the first event: an enrolment, no benefit used
    store_whole_and_first(u, plain, journal);
    for (const std::string* at : {&u, &plain}) {
        auto raw = store::detail::connect(*at, std::chrono::milliseconds(5000));
        const std::vector<ledger_entry> stored = take_entries(*raw);
        raw->exec("ALTER TABLE entries DROP COLUMN args");  // version 10's
        raw->exec("ALTER TABLE entries DROP COLUMN uses");
        // Every column up to `debt_paid` (21): no uses, and benefit entries without money.
        store_as_written_before(*raw, stored, without_benefit_fields, 21);
        raw->query("UPDATE loyalty_meta SET value = '8' WHERE key = 'schema_version'", {});
    }
    {
        auto db = store::store::open(u, club());
        EXPECT_EQ(db->stored_schema_version(), store::schema_version);
        EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of " +
                                            std::to_string(db->event_count()) + upgrade_notice_tail);
        EXPECT_EQ(db->ledger(), sorted_by_member(replayed.entries()));
        EXPECT_TRUE(db->verify().ok());
    }
    EXPECT_EQ(store::store::open(u, club())->upgrade_notice(), "");  // once
    // No benefit entry, but every entry is hashed anew in format 5: written again too.
    auto db = store::store::open(plain, club());
    EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of 1" + upgrade_notice_tail);
    EXPECT_EQ(db->stored_schema_version(), store::schema_version);
    EXPECT_TRUE(db->verify().ok());
}

// A store written in ledger format 4 (schema version 9: each entry hashed alone, no reason
// arguments) is upgraded when opened: its ledger is written again from its journal in format 5
// (one hash per event and member), once, and then equals an in-memory replay and verifies.
TEST_P(store_test, ALedgerOfFormat4IsWrittenAgainInFormat5) {
    const std::string u = url();
    const journal_runner replayed = store_example_journal(u);
    {
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        const std::vector<ledger_entry> stored = take_entries(*raw);
        raw->exec("ALTER TABLE entries DROP COLUMN args");
        // Every column up to `uses` (22), each entry hashed alone as format 4 did.
        store_as_written_before(*raw, stored, [](ledger_entry&) {}, 22);
        raw->query("UPDATE loyalty_meta SET value = '9' WHERE key = 'schema_version'", {});
        const auto formats = raw->query("SELECT COUNT(DISTINCT hash), COUNT(*) FROM entries", {});
        ASSERT_EQ(store::detail::as_int(formats.at(0).at(0)), store::detail::as_int(formats.at(0).at(1)));
    }
    auto db = store::store::open(u, club());
    EXPECT_EQ(db->stored_schema_version(), store::schema_version);
    EXPECT_EQ(db->upgrade_notice(), "store upgraded: its ledger was written again from its journal of " +
                                        std::to_string(db->event_count()) + upgrade_notice_tail);
    const std::vector<ledger_entry> by_member = sorted_by_member(replayed.entries());
    const std::vector<ledger_entry> ledger = db->ledger();
    EXPECT_EQ(ledger, by_member);
    for (std::size_t i = 0; i < ledger.size() && i < by_member.size(); ++i)
        EXPECT_EQ(ledger[i].args, by_member[i].args) << i;  // read back from the args column
    EXPECT_TRUE(db->verify().ok());
    std::set<std::string> hashes;
    for (const ledger_entry& e : ledger) hashes.insert(e.hash.hex());
    EXPECT_LT(hashes.size(), ledger.size());  // groups of more than one entry share their hash
    EXPECT_EQ(store::store::open(u, club())->upgrade_notice(), "");  // once
}

// Before version 4 a refused event sent again was judged again and logged again. Opening such a
// database keeps each id's first refusal (its judgement) and drops the repeats: from then on the
// id is logged once and answered with that refusal.
TEST_P(store_test, RefusalsLoggedTwiceBeforeVersion4AreKeptOnce) {
    const std::string u = url();
    const event early = adjust_of("o-1", "M5", "2026-01-05T10:00:00Z", 10);
    {
        auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
        store::detail::migrate_between(*raw, 0, 3);
        for (const char* code : {"unknown_member", "out_of_order"})
            raw->query("INSERT INTO refusals (event, member, code, message, body) VALUES ('o-1', 'M5', ?, ?, ?)",
                       {std::string(code), std::string("judged ") + code, io::event_to_json(early).dump()});
    }
    auto db = store::store::open(u, club());
    ASSERT_EQ(db->refusals().size(), 1u);
    EXPECT_EQ(db->refusals()[0].code, "unknown_member");
    db->append({enrol_of("o-0", "M5", "2026-01-05T09:00:00Z")});
    const auto again = db->append({early});
    ASSERT_EQ(again.events.size(), 1u);
    EXPECT_EQ(again.events[0].status, event_status::refused);
    EXPECT_EQ(again.events[0].code, refusal::unknown_member);
    EXPECT_EQ(again.events[0].message, "judged unknown_member");
    EXPECT_EQ(db->refusals().size(), 1u);
}

TEST_P(store_test, AMissingTableIsNamed) {
    const std::string u = url();
    store::store::open(u, club());
    store::detail::connect(u, std::chrono::milliseconds(5000))->exec("DROP TABLE entries");
    try {
        store::store::open(u, club());
        ADD_FAILURE() << "opened a database without its entries table";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.store.missing_table");
        EXPECT_NE(std::string(e.what()).find("entries"), std::string::npos);
    }
}

// A batch that fails half-way leaves nothing behind: no event, entry or snapshot of it.
TEST_P(store_test, AFailedBatchWritesNothing) {
    const std::string u = url();
    auto db = store::store::open(u, club());
    db->append({enrol_of("f-1", "M1", "2026-01-05T10:00:00Z")});
    const auto state_before = db->member("M1");
    // The table refused events are logged in disappears under the open store; the third event
    // is refused (M9 never enrolled) after two were applied, and logging it fails.
    store::detail::connect(u, std::chrono::milliseconds(5000))->exec("DROP TABLE refusals");
    const std::vector<event> batch = {adjust_of("f-2", "M1", "2026-01-06T10:00:00Z", 10),
                                      adjust_of("f-3", "M1", "2026-01-06T11:00:00Z", 20),
                                      adjust_of("f-4", "M9", "2026-01-06T12:00:00Z", 30)};
    EXPECT_EQ(error_id([&] { db->append(batch); }), "loyalty.store.missing_table");
    EXPECT_EQ(db->event_count(), 1u);
    EXPECT_EQ(db->ledger_of("M1").size(), 2u);  // enrol and welcome points only
    EXPECT_EQ(db->member("M1"), state_before);
    EXPECT_FALSE(db->event_by_id("f-2"));
}

// Two writers, the same event id for two different members: their member locks do not
// exclude each other, so both may pass the check for a known id; the unique index stops the
// second, which tries again and finds the id taken by another event (event_id_reused). Exactly
// one is applied.
TEST_P(store_test, UniqueViolationRaceEndsInOneApplication) {
    const std::string u = url();
    store::store::open(u, club())->append({enrol_of("u-a", "A", "2026-01-05T10:00:00Z"), enrol_of("u-b", "B", "2026-01-05T10:00:00Z")});
    for (int round = 0; round < 5; ++round) {
        const std::string id = "same-" + std::to_string(round);
        store::batch_result ra, rb;
        std::thread ta([&] { ra = store::store::open(u, club())->append({adjust_of(id, "A", "2026-01-06T10:00:00Z", 3)}); });
        std::thread tb([&] { rb = store::store::open(u, club())->append({adjust_of(id, "B", "2026-01-06T10:00:00Z", 3)}); });
        ta.join();
        tb.join();
        EXPECT_EQ(ra.accepted + rb.accepted, 1u) << id;
        EXPECT_EQ(ra.refused + rb.refused, 1u) << id;
        const store::event_result& second = ra.accepted ? rb.events.at(0) : ra.events.at(0);
        EXPECT_EQ(second.code, refusal::event_id_reused) << id;
    }
    auto db = store::store::open(u, club());
    // 2 x 500 welcome + 5 rounds x 3 points, each round's to exactly one of A and B = 1015.
    EXPECT_EQ(db->member("A")->balance() + db->member("B")->balance(), points(1015));
    EXPECT_TRUE(db->verify().ok());
}

// Several writers on the same members at once: no lost update, nothing applied twice.
TEST_P(store_test, ConcurrentWritersOnTheSameMembers) {
    const std::string u = url();
    constexpr int writers = 4, batches = 12, members = 3;
    {
        std::vector<event> enrolments;
        for (int m = 0; m < members; ++m) enrolments.push_back(enrol_of("c-enrol-" + std::to_string(m), "C" + std::to_string(m), "2026-01-05T10:00:00Z"));
        store::store::open(u, club())->append(enrolments);
    }
    std::vector<std::thread> threads;
    std::vector<std::string> errors(writers);
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            try {
                auto db = store::store::open(u, club());
                for (int b = 0; b < batches; ++b) {
                    std::vector<event> batch;
                    for (int m = 0; m < members; ++m) {
                        // Own event: +1 point. Shared event: every writer sends it, +100 once.
                        batch.push_back(adjust_of("own-" + std::to_string(w) + "-" + std::to_string(b) + "-" + std::to_string(m),
                                                  "C" + std::to_string(m), "2026-01-06T10:00:00Z", 1));
                        batch.push_back(adjust_of("shared-" + std::to_string(b) + "-" + std::to_string(m), "C" + std::to_string(m),
                                                  "2026-01-06T10:00:00Z", 100));
                    }
                    db->append(batch);
                }
            } catch (const std::exception& e) {
                errors[w] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& e : errors) EXPECT_EQ(e, "");
    auto db = store::store::open(u, club());
    for (int m = 0; m < members; ++m) {
        // Each member: 500 welcome + 4 writers x 12 batches x 1 point own + 12 shared events x
        // 100 once = 500 + 48 + 1200 = 1748; 2 enrolment entries + 48 + 12 = 62 entries.
        EXPECT_EQ(db->member("C" + std::to_string(m))->balance(), points(1748));
        EXPECT_EQ(db->ledger_of("C" + std::to_string(m)).size(), 62u);
    }
    EXPECT_EQ(db->event_count(), 3u + 3u * 60u);  // enrolments + 3 members x (48 own + 12 shared)
    EXPECT_TRUE(db->verify().ok());
}

INSTANTIATE_TEST_SUITE_P(backend, store_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

// ---- faults that need no server ----

TEST(StoreFaults, ConnectionRefused) {
    // A loopback port nothing listens on, and a socket directory that does not exist.
    EXPECT_EQ(error_id([] { store::store::open("postgresql://127.0.0.1:1/loyalty?connect_timeout=5", club()); }),
              "loyalty.store.connection_failed");
    EXPECT_EQ(error_id([] { store::store::open("pg:host=/nonexistent-loyalty-dir port=5432 dbname=x", club()); }),
              "loyalty.store.connection_failed");
}

TEST(StoreFaults, AFileThatIsNoDatabase) {
    const std::string path = test::fresh_path("garbage");
    {
        std::ofstream f(path, std::ios::binary);
        for (int i = 0; i < 4096; ++i) f.put(static_cast<char>((i * 37) & 0xff));
    }
    EXPECT_EQ(error_id([&] { store::store::open("sqlite:" + path, club()); }), "loyalty.store.corrupt");
}

TEST(StoreFaults, CorruptedPagesAreReportedNotMisread) {
    const std::string path = test::fresh_path("corrupt");
    {
        auto db = store::store::open("sqlite:" + path, club());
        std::vector<event> batch = {enrol_of("k-0", "K", "2026-01-05T10:00:00Z")};
        for (int i = 1; i < 200; ++i) batch.push_back(adjust_of("k-" + std::to_string(i), "K", "2026-01-06T10:00:00Z", 1));
        db->append(batch);
    }
    // Checkpoint the WAL into the file, then scribble over every page but the first (header).
    store::detail::connect("sqlite:" + path, std::chrono::milliseconds(5000))->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const auto size = std::filesystem::file_size(path);
    ASSERT_GT(size, 8192u);
    {
        std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096);
        for (std::uintmax_t i = 4096; i < size; ++i) f.put(static_cast<char>(0xA5));
    }
    const std::string id = error_id([&] {
        auto db = store::store::open("sqlite:" + path, club());
        db->verify();
    });
    EXPECT_EQ(id, "loyalty.store.corrupt");
}

TEST(StoreFaults, NotADatabaseUrl) {
    EXPECT_EQ(error_id([] { store::store::open("sqlite:", club()); }), "loyalty.store.bad_url");
    EXPECT_EQ(error_id([] { store::store::open("sqlite:/nonexistent-loyalty-dir/x.db", club()); }), "loyalty.store.open_failed");
}

}  // namespace
}  // namespace store_store
}  // namespace loyalty
