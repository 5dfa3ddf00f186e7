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

// The two streams given to ledger_verifier in three orders: the whole ledger first, the whole
// replay first, and entry after entry (as `loyalty audit verify` reads a ledger file).
std::vector<verification_report> in_three_orders(const std::vector<ledger_entry>& stored,
                                                 const std::vector<ledger_entry>& replayed) {
    std::vector<verification_report> out;
    for (int order = 0; order < 3; ++order) {
        ledger_verifier v;
        if (order == 0) {
            for (const ledger_entry& e : stored) v.stored(e);
            for (const ledger_entry& e : replayed) v.replayed(e);
        } else if (order == 1) {
            for (const ledger_entry& e : replayed) v.replayed(e);
            for (const ledger_entry& e : stored) v.stored(e);
        } else {
            for (std::size_t i = 0; i < std::max(stored.size(), replayed.size()); ++i) {
                if (i < replayed.size()) v.replayed(replayed[i]);
                if (i < stored.size()) v.stored(stored[i]);
            }
        }
        out.push_back(v.finish());
    }
    return out;
}

void expect_same(const verification_report& a, const verification_report& b) {
    EXPECT_EQ(a.members, b.members);
    EXPECT_EQ(a.entries, b.entries);
    ASSERT_EQ(a.problems.size(), b.problems.size());
    for (std::size_t i = 0; i < a.problems.size(); ++i) {
        EXPECT_EQ(a.problems[i].member, b.problems[i].member);
        EXPECT_EQ(a.problems[i].seq, b.problems[i].seq);
        EXPECT_EQ(a.problems[i].problem, b.problems[i].problem);
        EXPECT_EQ(a.problems[i].stored, b.problems[i].stored);
        EXPECT_EQ(a.problems[i].replayed, b.problems[i].replayed);
        EXPECT_EQ(a.problems[i].differences, b.problems[i].differences);
    }
}

// A forger who gave M1 ten more points for r1 and re-hashed the chain, but left the entry's
// figures (300.00 x 1, rounded down: 300): the chain check re-derives the amount and finds it.
TEST_F(LedgerVerification, AReHashedAmountItsFiguresDoNotGiveBreaksTheChain) {
    std::vector<ledger_entry> stored = ledger;
    ledger_entry& last = *std::find_if(stored.rbegin(), stored.rend(), [](const ledger_entry& e) { return e.member == "M1"; });
    ASSERT_EQ(last.amount, points(300));
    ASSERT_TRUE(last.figures);
    EXPECT_EQ(last.figures->base_text(), "300.00");
    ASSERT_EQ(last.figures->factors, 1u);
    EXPECT_EQ(last.figures->factor[0], decimal::integer(1));
    EXPECT_EQ(last.figures->rounded, 300);
    last.amount = points(310);
    last.balance = last.balance + points(10);
    rechain(stored, "M1");
    EXPECT_EQ(verify_chain(of_member(stored, "M1")).value().problem, "amount 310 is not the 300 its figures give");
    // Its figures raised to 310 as well: the total still rounds to 300.
    last.figures->rounded = 310;
    rechain(stored, "M1");
    EXPECT_EQ(verify_chain(of_member(stored, "M1")).value().problem,
              "figures: the total rounds down to 300, not to the 310 stated");
    const verification_report r = verify(versions, events, stored);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].problem, "hash chain: figures: the total rounds down to 300, not to the 310 stated");
}

// A forger who gave M1 ten more points for r1, made its figures agree (a base of 310.00) and
// re-hashed the chain: only the replay finds it, and the problem names the fields that differ,
// with both values.
TEST_F(LedgerVerification, AReplayDifferenceNamesTheFieldsWithBothValues) {
    std::vector<ledger_entry> stored = ledger;
    ledger_entry& last = *std::find_if(stored.rbegin(), stored.rend(), [](const ledger_entry& e) { return e.member == "M1"; });
    ASSERT_EQ(last.amount, points(300));
    const std::int64_t balance = last.balance.count();
    last.amount = points(310);
    last.balance = points(balance + 10);
    last.figures->base = 31000;
    last.figures->rounded = 310;
    rechain(stored, "M1");
    const verification_report r = verify(versions, events, stored);
    ASSERT_EQ(r.problems.size(), 1u);
    const verification_problem& p = r.problems[0];
    EXPECT_EQ(p.member, "M1");
    EXPECT_EQ(p.seq, last.seq);
    EXPECT_EQ(p.problem, "differs from replay: amount, balance, figures");
    const std::vector<field_difference> want{
        {"amount", "310", "300"},
        {"balance", std::to_string(balance + 10), std::to_string(balance)},
        {"figures", R"({"base":"310.00","factors":["1"],"rounded":310,"rounding":"down"})",
         R"({"base":"300.00","factors":["1"],"rounded":300,"rounding":"down"})"}};
    EXPECT_EQ(p.differences, want);
    ASSERT_TRUE(p.stored && p.replayed);
    EXPECT_EQ(p.stored->amount, points(310));
    EXPECT_EQ(p.replayed->amount, points(300));
    for (const verification_report& other : in_three_orders(stored, ledger)) expect_same(other, r);
}

// A ledger of format 2 (before settle_debt entries carried debt_paid) verifies on its own, and
// against its journal differs from the replay at its settle_debt entry: the problem says so,
// names the field with both values, and how to get a ledger of today's format.
TEST_F(LedgerVerification, AFormat2LedgerIsNamedAtItsFirstSettleDebtEntry) {
    const std::vector<event> debt = {
        ev(enrol("e1", "2025-02-01T10:00:00+08:00")), ev(simple_ro("r1", "2025-02-10T10:00:00+08:00", "800.00")),
        ev(adjust("a1", "2025-05-11T10:00:00+08:00", -1000)), ev(reverse_of("x1", "2025-05-12T10:00:00+08:00", "r1")),
        ev(simple_ro("r3", "2025-06-01T10:00:00+08:00", "250.00"))};
    const std::vector<ledger_entry> replayed = replay(versions, debt).entries();
    std::vector<ledger_entry> stored = replayed;
    const auto settle = std::find_if(stored.begin(), stored.end(), [](const ledger_entry& e) { return e.kind == entry_kind::settle_debt; });
    ASSERT_NE(settle, stored.end());
    // points_only: 500 + 800 earned, 1,000 spent (the welcome lot, then 500 of r1's); r1 reversed:
    // 300 from its lot, 500 become debt; r3 earns 250, all of which pay the debt.
    EXPECT_EQ(settle->debt_paid, points(250));
    settle->debt_paid.reset();                  // as format 2 wrote it, the chain hashed again
    rechain(stored, "M1");
    EXPECT_FALSE(verify_chain(stored).has_value());
    const verification_report r = verify(versions, debt, stored);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].seq, settle->seq);
    EXPECT_EQ(r.problems[0].problem,
              "differs from replay: debt_paid (the stored entry has no debt_paid: a ledger written before "
              "version 3 of the ledger format, docs/ledger.md; write it again from its journal with `loyalty run`, "
              "or open a store with this version to upgrade it)");
    ASSERT_FALSE(r.problems[0].differences.empty());
    const std::vector<field_difference> want{{"debt_paid", "", "250"}};
    EXPECT_EQ(r.problems[0].differences, want);
}

// One point added to M1's r1 entry, its hash left alone: the chain breaks there, and the
// problem shows the replay's entry of that place and the field that differs, whichever of the
// two streams comes first.
TEST_F(LedgerVerification, ABreakOfTheChainShowsTheReplaysEntryOfItsPlace) {
    std::vector<ledger_entry> stored = ledger;
    ledger_entry& last = *std::find_if(stored.rbegin(), stored.rend(), [](const ledger_entry& e) { return e.member == "M1"; });
    last.amount = points(301);
    const verification_report r = verify(versions, events, stored);
    ASSERT_EQ(r.problems.size(), 1u);
    const verification_problem& p = r.problems[0];
    // Its figures say 300 at once; the group's hash would say so when the group ends.
    EXPECT_EQ(p.problem, "hash chain: amount 301 is not the 300 its figures give");
    const std::vector<field_difference> want{{"amount", "301", "300"}};
    EXPECT_EQ(p.differences, want);
    ASSERT_TRUE(p.replayed);
    EXPECT_EQ(p.replayed->seq, last.seq);
    for (const verification_report& other : in_three_orders(stored, ledger)) expect_same(other, r);
}

// A difference early in M2's chain and a break later in it: the break is the problem named,
// as when the chain is checked first; the untouched M1 verifies.
TEST_F(LedgerVerification, ABreakIsNamedBeforeAnEarlierDifference) {
    std::vector<ledger_entry> stored = ledger;
    std::vector<ledger_entry*> m2;
    for (ledger_entry& e : stored)
        if (e.member == "M2") m2.push_back(&e);
    ASSERT_GE(m2.size(), 2u);
    m2.front()->reason += " (edited)";
    rechain(stored, "M2");
    m2.back()->amount = m2.back()->amount + points(1);  // after the re-hash: breaks the chain
    const verification_report r = verify_entries(stored, ledger);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].member, "M2");
    EXPECT_EQ(r.problems[0].seq, m2.back()->seq);
    EXPECT_EQ(r.problems[0].problem, "hash chain: amount 121 is not the 120 its figures give");
    for (const verification_report& other : in_three_orders(stored, ledger)) expect_same(other, r);
}

// The cut, the lost event and the lost member above, in every order of the two streams.
TEST_F(LedgerVerification, TheOrderOfTheStreamsDoesNotChangeTheReport) {
    std::vector<ledger_entry> cut = ledger;
    cut.erase(std::find(cut.begin(), cut.end(), of_member(ledger, "M1").back()));
    std::vector<event> without_r1 = events;
    without_r1.erase(without_r1.begin() + 2);
    const std::vector<ledger_entry> lost_event = replay(versions, without_r1).entries();
    const std::vector<std::pair<std::vector<ledger_entry>, std::vector<ledger_entry>>> cases{
        {ledger, ledger}, {cut, ledger}, {ledger, lost_event}, {of_member(ledger, "M1"), ledger}};
    for (const auto& [stored, replayed] : cases) {
        const verification_report r = verify_entries(stored, replayed);
        for (const verification_report& other : in_three_orders(stored, replayed)) expect_same(other, r);
    }
}

}  // namespace unit_ledger_verification
