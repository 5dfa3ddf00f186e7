// store::verify() and store::for_each_entry() read a page at a time from one state of the store:
// the same answers as reading everything at once, whatever the page size, while writers go on.
#include <utility>

#include "store_support.hpp"

namespace loyalty {
namespace store_verify {
namespace {

using test::adjust_of;
using test::club;
using test::enrol_of;
using test::store_test;

using verify_test = store_test;

std::vector<ledger_entry> by_member_and_seq(std::vector<ledger_entry> v) {
    std::stable_sort(v.begin(), v.end(), [](const ledger_entry& a, const ledger_entry& b) {
        return a.member < b.member || (a.member == b.member && a.seq < b.seq);
    });
    return v;
}

// The example journal, appended in batches of 7 to a new store at `u`.
void append_example(const std::string& u) {
    const auto journal = test::example_journal();
    auto db = store::store::open(u, club());
    for (std::size_t i = 0; i < journal.size(); i += 7)
        db->append(std::vector<event>(journal.begin() + i, journal.begin() + std::min(journal.size(), i + 7)));
}

store::options pages_of(std::size_t rows) {
    store::options o;
    o.read_page = rows;
    return o;
}

const verification_problem* problem_of(const verification_report& r, const std::string& member) {
    for (const verification_problem& p : r.problems)
        if (p.member == member) return &p;
    return nullptr;
}

// Pages of 3 events (and of one snapshot): every event is replayed once, in order, and every
// stored entry handed over once, in the order the store wrote them, which is the order a replay
// of the whole journal in memory writes them.
TEST_P(verify_test, PagesGiveTheLedgerInTheOrderWritten) {
    const std::string u = url();
    append_example(u);
    const journal_runner expected = replay(club(), test::example_journal());
    auto db = store::store::open(u, club(), pages_of(3));
    const std::size_t events = db->event_count();
    ASSERT_GT(events, 9u);  // several pages

    std::vector<std::pair<std::size_t, std::size_t>> steps;
    std::vector<ledger_entry> handed;
    store::verify_hooks hooks;
    hooks.progress = [&](std::size_t done, std::size_t total) { steps.emplace_back(done, total); };
    hooks.stored_entry = [&](const ledger_entry& e) { handed.push_back(e); };
    const verification_report r = db->verify(hooks);
    EXPECT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0].problem);
    EXPECT_EQ(r.entries, expected.entries().size());
    ASSERT_EQ(steps.size(), events);
    for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i], std::make_pair(i + 1, events));
    EXPECT_EQ(handed, expected.entries());

    // for_each_entry: by member and seq, across pages of 4 entries; ledger() is the same.
    auto small = store::store::open(u, club(), pages_of(4));
    std::vector<ledger_entry> read;
    small->for_each_entry([&](const ledger_entry& e) { read.push_back(e); });
    EXPECT_EQ(read, by_member_and_seq(expected.entries()));
    EXPECT_EQ(small->ledger(), read);
}

// A writer appends while verify() is half-way: verify() reads the state it started on (it does
// not see the new events, nor their entries and snapshots), and the next verify() sees them.
TEST_P(verify_test, AWriterGoingOnIsNotSeenHalfWay) {
    const std::string u = url();
    append_example(u);
    auto reader = store::store::open(u, club(), pages_of(2));
    auto writer = store::store::open(u, club());
    const std::size_t events = reader->event_count();
    const std::size_t entries = reader->ledger().size();

    std::size_t handed = 0, total = 0;
    store::verify_hooks hooks;
    hooks.stored_entry = [&](const ledger_entry&) { ++handed; };
    hooks.progress = [&](std::size_t done, std::size_t of) {
        total = of;
        if (done == 3) {
            const store::batch_result b = writer->append({enrol_of("w-1", "W1", "2027-03-01T10:00:00Z"),
                                                          adjust_of("w-2", "W1", "2027-03-01T11:00:00Z", 40),
                                                          adjust_of("w-3", "M001", "2027-03-01T12:00:00Z", 15)});
            EXPECT_EQ(b.accepted, 3u);
        }
    };
    const verification_report during = reader->verify(hooks);
    EXPECT_TRUE(during.ok()) << (during.problems.empty() ? "" : during.problems[0].problem);
    EXPECT_EQ(total, events);
    EXPECT_EQ(handed, entries);
    EXPECT_EQ(during.entries, entries);

    const verification_report after = reader->verify();
    EXPECT_TRUE(after.ok()) << (after.problems.empty() ? "" : after.problems[0].problem);
    EXPECT_EQ(reader->event_count(), events + 3);
    EXPECT_EQ(after.entries, writer->ledger().size());
    EXPECT_GT(after.entries, entries + 2);
}

// Forgeries where pages meet, with pages of 2: an amount raised, an entry
// deleted, and an entry added that names no event of the journal (so no page of events reads
// it). Each is named by member and seq; the raised amount by its field and both values.
TEST_P(verify_test, ForgeriesAreFoundWhateverThePage) {
    const std::string u = url();
    append_example(u);
    auto db = store::store::open(u, club(), pages_of(2));
    ASSERT_TRUE(db->verify().ok());
    const std::vector<ledger_entry> m1 = db->ledger_of("M001");
    const std::vector<ledger_entry> m2 = db->ledger_of("M002");
    const std::vector<ledger_entry> m3 = db->ledger_of("M003");
    ASSERT_GE(m1.size(), 4u);
    ASSERT_GE(m2.size(), 3u);
    ASSERT_GE(m3.size(), 2u);
    const ledger_entry& raised = m1[3];
    const ledger_entry& last = m3.back();

    auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
    // The amount alone: the entry's running balance no longer adds up, at that entry. (With its
    // balance raised too, the next entry of its group would not add up, or, at the end of a
    // group, its hash: ledger format 5 hashes an event's entries together.)
    raw->query("UPDATE entries SET amount = amount + 1 WHERE member = ? AND seq = ?", {raised.member, raised.seq});
    raw->query("DELETE FROM entries WHERE member = ? AND seq = ?", {m2[1].member, m2[1].seq});
    raw->query("INSERT INTO entries (member, seq, event, at, kind, amount, balance, lot, expires, rule, program, version, "
               "reason, reverses, money, prev_hash, hash, funder, store, args) "
               "SELECT member, seq + 1, 'forged-1', at, kind, amount, balance, lot, expires, rule, program, version, "
               "reason, reverses, money, hash, hash, funder, store, args FROM entries WHERE member = ? AND seq = ?",
               {last.member, last.seq});

    const verification_report r = db->verify();
    EXPECT_FALSE(r.ok());
    const verification_problem* p1 = problem_of(r, "M001");
    ASSERT_NE(p1, nullptr);
    EXPECT_EQ(p1->seq, raised.seq) << p1->problem;
    ASSERT_FALSE(p1->differences.empty()) << p1->problem;
    EXPECT_EQ(p1->differences[0],
              (field_difference{"amount", std::to_string(raised.amount.count() + 1), std::to_string(raised.amount.count())}));
    const verification_problem* p2 = problem_of(r, "M002");
    ASSERT_NE(p2, nullptr);
    EXPECT_EQ(p2->seq, m2[1].seq + 1) << p2->problem;  // the entry after the gap names a missing one
    const verification_problem* p3 = problem_of(r, "M003");
    ASSERT_NE(p3, nullptr);
    EXPECT_EQ(p3->seq, last.seq + 1) << p3->problem;
}

INSTANTIATE_TEST_SUITE_P(backend, verify_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_verify
}  // namespace loyalty
