// verify(): the auditor's check that each member's chain holds and that replaying the journal
// reproduces the stored ledger. A ledger that lost entries (its chains still hold), a journal
// that lost an event, and a ledger that lost a whole member are each named, with the member and
// the entry where the two part.
#include <gtest/gtest.h>

#include <algorithm>

#include "engine_support.hpp"
#include "loyalty/audit/verify.hpp"

namespace unit_ledger_verification {

using namespace loyalty;
using namespace loyalty::test;

std::string event_of(const std::string& member, const std::string& id, const std::string& when,
                     const std::string& body) {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + "\"," + body + "}";
}

std::string ro(const std::string& price) {
    return R"("type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":")" + price +
           R"("}])";
}

// Two members, each enrolled and with one closed repair order.
std::vector<event> journal() {
    return {ev(event_of("M1", "e1", "2025-03-01T10:00:00+08:00", R"("type":"enrol")")),
            ev(event_of("M2", "e2", "2025-03-02T10:00:00+08:00", R"("type":"enrol")")),
            ev(event_of("M1", "r1", "2025-04-01T10:00:00+08:00", ro("300.00"))),
            ev(event_of("M2", "r2", "2025-04-02T10:00:00+08:00", ro("120.00")))};
}

std::vector<ledger_entry> of_member(const std::vector<ledger_entry>& ledger, const std::string& member) {
    std::vector<ledger_entry> out;
    std::copy_if(ledger.begin(), ledger.end(), std::back_inserter(out),
                 [&](const ledger_entry& e) { return e.member == member; });
    return out;
}

class LedgerVerification : public ::testing::Test {
protected:
    program_versions versions{points_only()};
    std::vector<event> events = journal();
    std::vector<ledger_entry> ledger = replay(versions, events).entries();
};

TEST_F(LedgerVerification, TheUntouchedLedgerVerifies) {
    const verification_report r = verify(versions, events, ledger);
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.members, 2u);
    EXPECT_EQ(r.entries, ledger.size());
    // M1's last entry is r1's: 300.00 of maintenance at 1 point per 1.00 = 300 points.
    const ledger_entry last = of_member(ledger, "M1").back();
    EXPECT_EQ(last.event, "r1");
    EXPECT_EQ(last.kind, entry_kind::earn);
    EXPECT_EQ(last.amount, points(300));
}

// The last entry of M1 cut off: M1's chain is a valid prefix, so only the replay notices.
TEST_F(LedgerVerification, ALedgerMissingItsLastEntryIsNamed) {
    const ledger_entry cut = of_member(ledger, "M1").back();
    std::vector<ledger_entry> stored = ledger;
    stored.erase(std::find(stored.begin(), stored.end(), cut));
    const verification_report r = verify(versions, events, stored);
    EXPECT_EQ(r.entries, ledger.size() - 1);
    EXPECT_EQ(r.members, 2u);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].member, "M1");
    EXPECT_EQ(r.problems[0].seq, cut.seq);
    EXPECT_EQ(r.problems[0].problem, "replay has an entry the ledger lacks");
}

// The journal lost r1: the ledger's r1 entry is one that replay does not produce.
TEST_F(LedgerVerification, AnEntryWithoutItsEventInTheJournalIsNamed) {
    std::vector<event> without_r1 = events;
    without_r1.erase(without_r1.begin() + 2);
    ASSERT_EQ(without_r1.size(), 3u);
    const std::vector<ledger_entry> m1 = of_member(ledger, "M1");
    const auto first_of_r1 = std::find_if(m1.begin(), m1.end(), [](const ledger_entry& e) { return e.event == "r1"; });
    ASSERT_NE(first_of_r1, m1.end());
    const verification_report r = verify(versions, without_r1, ledger);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].member, "M1");
    EXPECT_EQ(r.problems[0].seq, first_of_r1->seq);
    EXPECT_EQ(r.problems[0].problem, "ledger has an entry replay does not produce");
}

// Every entry of M2 gone: M2's chain cannot be checked at all, so the member itself is named.
TEST_F(LedgerVerification, AMemberMissingFromTheLedgerIsNamed) {
    const std::vector<ledger_entry> stored = of_member(ledger, "M1");
    const verification_report r = verify(versions, events, stored);
    EXPECT_EQ(r.members, 1u);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].member, "M2");
    EXPECT_EQ(r.problems[0].seq, 1);
    EXPECT_EQ(r.problems[0].problem, "replay has entries for a member the ledger lacks");
}

}  // namespace unit_ledger_verification
