// Ingest of linked members: whatever a run in memory accepts, a single writer stores, at any
// batch size, on a connection that has never seen the members (a later run), with exactly the
// ledger of the run in memory. Run on SQLite and (under scripts/with-postgres.sh) PostgreSQL.
#include <algorithm>
#include <map>
#include <memory>
#include <thread>

#include "linked_journal.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "store_support.hpp"

namespace loyalty {
namespace store_ingest {
namespace {

using test::enrol_of;
using test::linked_club;

class ingest_test : public test::store_test {};

std::vector<ledger_entry> sorted_ledger(std::vector<ledger_entry> v) {
    std::stable_sort(v.begin(), v.end(), [](const ledger_entry& a, const ledger_entry& b) {
        return a.member < b.member || (a.member == b.member && a.seq < b.seq);
    });
    return v;
}

event ro_of(const std::string& id, const std::string& member, const std::string& when, const std::string& price) {
    return test::ev(R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when +
                    R"(","type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":")" + price +
                    "\"}]}");
}

// C <- B <- A referred in a chain; A's first paid visit, in a later run, pays B, whose own
// referrer C the batch never names.
TEST_P(ingest_test, AReferralChainDoesNotStopASingleWriter) {
    const std::string u = url();
    ASSERT_EQ(store::store::open(u, test::club())
                  ->append({enrol_of("c-1", "C", "2026-01-05T10:00:00Z"),
                            test::ev(R"({"id":"c-2","member":"B","at":"2026-01-06T10:00:00Z","type":"enrol","referred_by":"C"})"),
                            test::ev(R"({"id":"c-3","member":"A","at":"2026-01-07T10:00:00Z","type":"enrol","referred_by":"B"})")})
                  .accepted,
              3u);
    auto db = store::store::open(u, test::club());
    const auto visit = db->append({ro_of("c-4", "A", "2026-02-01T10:00:00Z", "300.00")});
    ASSERT_EQ(visit.accepted, 1u);
    EXPECT_EQ(db->member("A")->balance(), points(710));   // 500 welcome + 300 x 0.7 (30% off labour)
    EXPECT_EQ(db->member("B")->balance(), points(1500));  // 500 welcome + 1000 for referring A
    EXPECT_EQ(db->member("C")->balance(), points(500));   // B has not visited yet
    EXPECT_TRUE(db->verify().ok());
}

// A household transfer S -> N where N was referred by R: N's referrer is nothing to the
// transfer, and a later run stores it.
TEST_P(ingest_test, ATransferToAReferredMemberDoesNotStopASingleWriter) {
    const std::string u = url();
    ASSERT_EQ(store::store::open(u, test::club())
                  ->append({enrol_of("t-1", "R", "2026-01-05T10:00:00Z"),
                            test::ev(R"({"id":"t-2","member":"S","at":"2026-01-05T11:00:00Z","type":"enrol","household":"H"})"),
                            test::ev(R"({"id":"t-3","member":"N","at":"2026-01-05T12:00:00Z","type":"enrol","household":"H",)"
                                     R"("referred_by":"R"})")})
                  .accepted,
              3u);
    auto db = store::store::open(u, test::club());
    const auto sent = db->append({test::ev(R"({"id":"t-4","member":"S","at":"2026-01-06T10:00:00Z","type":"transfer","to":"N","points":200})")});
    ASSERT_EQ(sent.accepted, 1u);
    EXPECT_EQ(db->member("S")->balance(), points(300));
    EXPECT_EQ(db->member("N")->balance(), points(700));
    EXPECT_TRUE(db->verify().ok());
}

// Random journals of linked members (linked_journal.hpp; two of 250 events, to keep the suite
// fast), stored at batch sizes 1, 7, 100 and 1,000 with a new connection every fifth batch:
// nothing stops, and the store holds exactly the ledger and the member states of the run in
// memory.
// Each batch size once, the two journals two sizes each (every size on both journals took twice
// the time, 26 s of the sanitizer tests on PostgreSQL, for no path the pairs miss).
TEST_P(ingest_test, LinkedJournalsGiveTheInMemoryLedgerAtEveryBatchSize) {
    const std::map<std::uint64_t, std::vector<std::size_t>> sizes_of_seed{{1u, {1u, 100u}}, {2u, {7u, 1000u}}};
    for (const auto& [seed, sizes] : sizes_of_seed) {
        const std::vector<event> journal = test::linked_journal(seed, 250);
        const journal_runner expected = replay(linked_club(), journal);
        for (const std::size_t size : sizes) {
            SCOPED_TRACE("seed " + std::to_string(seed) + ", batches of " + std::to_string(size));
            const std::string u = url();
            std::unique_ptr<store::store> db;
            for (std::size_t i = 0; i < journal.size(); i += size) {
                if (i % (5 * size) == 0) db = store::store::open(u, linked_club());
                const std::vector<event> batch(journal.begin() + static_cast<std::ptrdiff_t>(i),
                                               journal.begin() + static_cast<std::ptrdiff_t>(std::min(journal.size(), i + size)));
                ASSERT_NO_THROW(db->append(batch)) << "batch at event " << i;
            }
            EXPECT_TRUE(db->ledger() == sorted_ledger(expected.entries())) << "the ledger differs from the run in memory";
            for (const auto& [id, state] : expected.members()) EXPECT_EQ(db->member(id), state) << id;
            EXPECT_TRUE(db->verify().ok());
        }
    }
}

std::vector<event> slice(const std::vector<event>& journal, std::size_t from, std::size_t size) {
    return std::vector<event>(journal.begin() + static_cast<std::ptrdiff_t>(from),
                              journal.begin() + static_cast<std::ptrdiff_t>(std::min(journal.size(), from + size)));
}

// What a run leaves in the store that a second run must not change: the ledger as bytes, and
// the refusals log.
struct stored_run {
    std::string ledger;
    std::vector<std::string> refusals;
};

stored_run read_back(const store::store& db) {
    stored_run r{io::ledger_to_jsonl(db.ledger()), {}};
    for (const store::refusal_record& x : db.refusals())
        r.refusals.push_back(x.event + " " + x.member + " " + x.code + " " + x.message);
    return r;
}

// A writer that crashes after some batches and runs the whole file again (in other batches)
// leaves byte for byte what a clean run leaves: events refused before get the same refusal
// again (not a new judgement against what came after them), accepted ones are duplicates, and
// the refusals log holds each refused event once. A third run changes nothing at all.
TEST_P(ingest_test, CrashAndRunAgainGiveTheLedgerOfACleanRun) {
    for (const std::uint64_t seed : {1u, 2u}) {
        const std::vector<event> journal = test::linked_journal(seed, 250);
        const std::string clean_url = url();
        {
            auto db = store::store::open(clean_url, linked_club());
            for (std::size_t i = 0; i < journal.size(); i += 7) db->append(slice(journal, i, 7));
        }
        const stored_run clean = read_back(*store::store::open(clean_url, linked_club()));
        ASSERT_FALSE(clean.refusals.empty());
        // One crash point per journal: early (batch 4) in one, late (batch 25) in the other.
        for (const std::size_t crashed_after : {seed == 1u ? 4u : 25u}) {
            SCOPED_TRACE("seed " + std::to_string(seed) + ", crashed after batch " + std::to_string(crashed_after));
            const std::string u = url();
            {
                auto db = store::store::open(u, linked_club());
                for (std::size_t b = 0; b < crashed_after; ++b) db->append(slice(journal, 7 * b, 7));
            }  // the crash: the batch in flight was never committed, so nothing of it is stored
            {
                auto db = store::store::open(u, linked_club());
                for (std::size_t i = 0; i < journal.size(); i += 100) db->append(slice(journal, i, 100));
            }
            auto db = store::store::open(u, linked_club());
            const stored_run again = read_back(*db);
            EXPECT_TRUE(again.ledger == clean.ledger) << "the ledger differs from a clean run's";
            EXPECT_EQ(again.refusals, clean.refusals);
            EXPECT_TRUE(db->verify().ok());
            const store::batch_result third = db->append(journal);
            EXPECT_EQ(third.accepted, 0u);
            for (const store::event_result& r : third.events)  // the journal sends ids again only with the same body
                EXPECT_NE(to_string(r.code), "event_id_reused") << r.event;
            const stored_run after_third = read_back(*db);
            EXPECT_TRUE(after_third.ledger == clean.ledger);
            EXPECT_EQ(after_third.refusals, clean.refusals);
        }
    }
}

// The file of a run that crashed is run again: a redemption refused for want of stock, which a
// later cancellation gave back, is refused again, not redeemed against the stock of now.
TEST_P(ingest_test, ARefusalForStockStaysWhenTheFileRunsAgain) {
    std::vector<event> journal;
    for (int m = 1; m <= 7; ++m)
        journal.push_back(enrol_of("k-e" + std::to_string(m), "K" + std::to_string(m), "2026-01-05T10:00:00Z"));
    for (int m = 2; m <= 7; ++m)  // the six car-care kits of linked_club()
        journal.push_back(test::ev(R"({"id":"k-r)" + std::to_string(m) + R"(","member":"K)" + std::to_string(m) +
                                   R"(","at":"2026-01-06T10:00:00Z","type":"redeem","reward":"car-care-kit"})"));
    journal.push_back(test::ev(R"({"id":"k-r1","member":"K1","at":"2026-01-06T11:00:00Z","type":"redeem","reward":"car-care-kit"})"));
    journal.push_back(test::ev(R"({"id":"k-c2","member":"K2","at":"2026-01-06T12:00:00Z","type":"cancel_redemption","redemption":"k-r2"})"));
    const journal_runner expected = replay(linked_club(), journal);
    ASSERT_EQ(expected.refusals().size(), 1u);
    ASSERT_EQ(expected.refusals()[0].code, refusal::out_of_stock);

    const std::string u = url();
    store::store::open(u, linked_club())->append(journal);  // committed; the acknowledgement was lost
    auto db = store::store::open(u, linked_club());
    const store::batch_result again = db->append(journal);
    EXPECT_EQ(again.accepted, 0u);
    EXPECT_EQ(again.events.at(13).status, store::event_status::refused);
    EXPECT_EQ(again.events.at(13).code, refusal::out_of_stock);
    EXPECT_TRUE(db->ledger() == sorted_ledger(expected.entries())) << "the ledger differs from the run in memory";
    EXPECT_EQ(db->reward_stock().at("car-care-kit"), 5);
    EXPECT_EQ(db->refusals().size(), 1u);
    EXPECT_TRUE(db->verify().ok());
}

// An event whose id the store judged before is answered from what it stored then, without its
// member's state: running a file again reads no snapshot (here, a snapshot that cannot even be
// read) and locks no member, so it costs lookups only.
TEST_P(ingest_test, AnEventSentAgainNeedsNoMemberState) {
    const std::string u = url();
    const std::vector<event> batch = {enrol_of("n-1", "M1", "2026-01-05T10:00:00Z"),
                                      test::adjust_of("n-2", "M1", "2026-01-05T11:00:00Z", -900),  // refused
                                      test::adjust_of("n-3", "M1", "2026-01-05T12:00:00Z", 40)};
    ASSERT_EQ(store::store::open(u, test::club())->append(batch).accepted, 2u);
    store::detail::connect(u, std::chrono::milliseconds(5000))->query("UPDATE snapshots SET state = 'not a state'", {});
    const store::batch_result again = store::store::open(u, test::club())->append(batch);
    EXPECT_EQ(again.duplicates, 2u);
    ASSERT_EQ(again.refused, 1u);
    EXPECT_EQ(again.events.at(1).code, refusal::insufficient_points);
    // A new event of the member needs the state, and finds it unreadable.
    EXPECT_EQ(test::error_id([&] {
                  store::store::open(u, test::club())->append({test::adjust_of("n-4", "M1", "2026-01-06T10:00:00Z", 1)});
              }),
              "loyalty.store.corrupt");
}

// A member enrolled earlier in the batch, so with no snapshot yet, joins a fleet account whose
// tier its members share (linked_club(): qualification "account"): the join may change the tier
// of the account's member A, whom the batch does not name, so A must be locked and read too.
// Found by the crash test (loyalty-store-crash, linked journal seed 1 in batches of 5).
TEST_P(ingest_test, AMemberNewInTheBatchJoiningAnAccountReachesItsMembers) {
    const std::string u = url();
    ASSERT_EQ(store::store::open(u, linked_club())
                  ->append({test::ev(R"({"id":"f-1","member":"F","at":"2026-01-05T10:00:00Z","type":"open_account","policy":"corporate"})"),
                            enrol_of("f-2", "A", "2026-01-05T11:00:00Z"),
                            test::ev(R"({"id":"f-3","member":"A","at":"2026-01-05T12:00:00Z","type":"join_account","account":"F"})")})
                  .accepted,
              3u);
    const std::vector<event> batch = {
        enrol_of("f-4", "B", "2026-01-06T10:00:00Z"),
        test::ev(R"({"id":"f-5","member":"B","at":"2026-01-06T11:00:00Z","type":"join_account","account":"F"})")};
    store::batch_result joined;
    ASSERT_NO_THROW(joined = store::store::open(u, linked_club())->append(batch));
    EXPECT_EQ(joined.accepted, 2u);
    auto db = store::store::open(u, linked_club());
    const journal_runner expected = replay(linked_club(), db->journal());
    EXPECT_TRUE(db->ledger() == sorted_ledger(expected.entries())) << "the ledger differs from the run in memory";
    EXPECT_TRUE(db->verify().ok());
}

// N's first paid visit paid his referrer R; its reversal, once R's points have expired (and their
// expiry is posted), posts nothing on R's chain but changes R's state (the reversal is recorded
// among R's effects, the referral's reward marked reversed). The store must write R's snapshot
// all the same, or later batches start from a state the run in memory no longer has. Found by
// the crash test (linked journal seed 4 of 1,500 events in batches of 10: member M04's snapshot
// differed when the journal was finished, with or without kills).
TEST_P(ingest_test, AReversalThatTakesNothingBackFromTheReferrerStillChangesItsSnapshot) {
    const std::string u = url();
    std::vector<event> journal = {
        enrol_of("s-1", "R", "2026-01-05T10:00:00Z"),
        test::ev(R"({"id":"s-2","member":"N","at":"2026-01-06T10:00:00Z","type":"enrol","referred_by":"R"})"),
        ro_of("s-3", "N", "2026-01-10T10:00:00Z", "300.00")};
    ASSERT_EQ(store::store::open(u, test::club())->append(journal).accepted, 3u);
    // R's points expire at the end of January 2028 (24 months, to the month's end); R's next
    // event posts their expiry, so that the reversal has nothing left on R's chain to post.
    journal.push_back(test::adjust_of("s-4", "R", "2028-02-20T10:00:00Z", 1));
    ASSERT_EQ(store::store::open(u, test::club())->append({journal.back()}).accepted, 1u);
    journal.push_back(test::ev(R"({"id":"s-5","member":"N","at":"2028-03-01T10:00:00Z","type":"reverse","event":"s-3"})"));
    ASSERT_EQ(store::store::open(u, test::club())->append({journal.back()}).accepted, 1u);
    const journal_runner expected = replay(test::club(), journal);
    auto db = store::store::open(u, test::club());
    EXPECT_TRUE(db->ledger() == sorted_ledger(expected.entries())) << "the ledger differs from the run in memory";
    EXPECT_EQ(db->member("R"), expected.members().at("R"));
    EXPECT_EQ(db->member("N"), expected.members().at("N"));
}

// A counterpart learnt from a snapshot (here N's referrer R) that another writer holds is not
// waited for out of order: the batch goes round again with it locked in order, waits for the
// other writer, and is stored. Such a round is no race: it counts against no retry limit.
TEST_P(ingest_test, ACounterpartAnotherWriterHoldsIsWaitedForInOrder) {
    const std::string u = url();
    ASSERT_EQ(store::store::open(u, test::club())
                  ->append({enrol_of("w-1", "R", "2026-01-05T10:00:00Z"),
                            test::ev(R"({"id":"w-2","member":"N","at":"2026-01-06T10:00:00Z","type":"enrol","referred_by":"R"})")})
                  .accepted,
              2u);
    auto other = store::detail::connect(u, std::chrono::milliseconds(10000));
    other->begin_write();
    other->lock_member("R");  // PostgreSQL: R's advisory lock; SQLite: the whole file's write lock
    store::options no_retries;
    no_retries.conflict_retries = 0;
    store::batch_result visit;
    std::string failure;
    std::thread writer([&] {
        try {
            visit = store::store::open(u, test::club(), no_retries)->append({ro_of("w-3", "N", "2026-02-01T10:00:00Z", "300.00")});
        } catch (const std::exception& e) {
            failure = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    other->commit();
    writer.join();
    EXPECT_EQ(failure, "");
    EXPECT_EQ(visit.accepted, 1u);
    auto db = store::store::open(u, test::club());
    EXPECT_EQ(db->member("R")->balance(), points(1500));  // 500 welcome + 1000 for referring N
    EXPECT_TRUE(db->verify().ok());
}

// The journals are what LinkedJournalsGiveTheInMemoryLedgerAtEveryBatchSize needs: chains of referrals that pay, transfers, vehicles
// sold between members, accounts whose members share a tier, and refusals (stock run out,
// events of members not enrolled, events sent again).
TEST(LinkedJournal, HasEveryLinkAndRefusals) {
    for (const std::uint64_t seed : {1u, 2u}) {
        const std::vector<event> journal = test::linked_journal(seed, 250);
        const journal_runner run = replay(linked_club(), journal);
        std::map<std::string, int> kinds, refusals;
        for (const ledger_entry& e : run.entries()) ++kinds[std::string(to_string(e.kind))];
        for (const refused_event& r : run.refusals()) ++refusals[std::string(to_string(r.code))];
        int referred_referrers = 0;
        for (const auto& [id, s] : run.members())
            if (!s.referred_by.empty() && !run.members().at(s.referred_by).referred_by.empty()) ++referred_referrers;
        SCOPED_TRACE("seed " + std::to_string(seed));
        EXPECT_GE(referred_referrers, 5);
        int referral_rewards = 0;
        for (const ledger_entry& e : run.entries()) referral_rewards += e.rule == "referral" && e.kind == entry_kind::earn;
        EXPECT_GE(referral_rewards, 2);
        EXPECT_GE(kinds["transfer_out"], 3);
        EXPECT_GE(kinds["vehicle_transfer"], 2);
        EXPECT_GE(kinds["account_join"], 3);
        EXPECT_GE(kinds["tier_change"], 2);
        EXPECT_GE(refusals["out_of_stock"], 1);
        EXPECT_GE(refusals["unknown_member"], 3);
        EXPECT_GE(refusals["duplicate_event"], 3);
    }
}

INSTANTIATE_TEST_SUITE_P(backend, ingest_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_ingest
}  // namespace loyalty
