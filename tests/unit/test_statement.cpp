// Member statements (audit/statement.hpp): balance, available vs pending, debt, lots, quotas
// left this period, last entries. Figures worked by hand on the reference programme.
#include <gtest/gtest.h>

#include "loyalty/audit/statement.hpp"
#include "test_support.hpp"

namespace unit_statement {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// Li (M9) joins on 10 Jan 2025 (welcome 500, expires 2027-02-01); on 15 Apr has a waxing (free,
// use 1 of 4) and 100.00 of repair labour (pays 70.00 -> 70 pt, expires 2027-05-01); on 1 May
// exchanges 520 pt: the welcome lot (soonest-expiring) gives 500, the April lot 20, 50 left.
journal_runner li(const program& p, std::size_t events = 3) {
    journal_runner run{program_versions(p)};
    std::size_t n = 0;
    for (const char* text : {
             R"({"id":"s1","member":"M9","at":"2025-01-10T10:00:00+08:00","type":"enrol"})",
             R"({"id":"s2","member":"M9","at":"2025-04-15T10:00:00+08:00","type":"repair_order","ro":"RO-1","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"},{"kind":"labour","category":"repair","operation":"DOOR","unit_price":"100.00"}]})",
             R"({"id":"s3","member":"M9","at":"2025-05-01T10:00:00+08:00","type":"adjustment","points":-520,"reason":"gift","operator":"staff-1"})",
         }) {
        if (n++ == events) break;
        const outcome o = run.apply(ev(text));
        if (!o.accepted()) throw std::runtime_error("refused: " + o.message);
    }
    return run;
}

}  // namespace

TEST(Statement, BalanceLotsQuotasAndLastEntries) {
    const program p = reference_program();
    const journal_runner run = li(p);
    const member_state& s = run.members().at("M9");
    const statement st = make_statement(p, s, run.entries_of("M9"), at("2025-06-01T12:00:00+08:00"), 2);
    EXPECT_EQ(st.member, "M9");
    EXPECT_EQ(st.member_since, on("2025-01-10"));
    EXPECT_EQ(st.balance, points(50));
    EXPECT_EQ(st.available, points(50));
    EXPECT_EQ(st.pending, points(0));
    EXPECT_EQ(st.debt, points(0));
    EXPECT_EQ(st.due_to_expire, points(0));
    ASSERT_EQ(st.lots.size(), 1u);  // the emptied welcome lot is not listed
    EXPECT_EQ(st.lots[0].id, "s2/service-spend");
    EXPECT_EQ(st.lots[0].earned, points(70));
    EXPECT_EQ(st.lots[0].remaining, points(50));
    EXPECT_EQ(st.lots[0].expires_on, on("2027-05-01"));
    EXPECT_FALSE(st.lots[0].pending);
    ASSERT_EQ(st.quotas.size(), 2u);
    EXPECT_EQ(st.quotas[0].benefit, "waxing");
    EXPECT_EQ(st.quotas[0].period, "calendar_year 2025-01-01..2025-12-31");
    EXPECT_EQ(st.quotas[0].allowed, 4);
    EXPECT_EQ(st.quotas[0].used, 1);
    EXPECT_EQ(st.quotas[0].left, 3);
    EXPECT_EQ(st.quotas[1].benefit, "inspection-36");
    EXPECT_EQ(st.quotas[1].period, "anniversary_year 2025-01-10..2026-01-09");
    EXPECT_EQ(st.quotas[1].left, 6);
    // The last two entries: the exchange took 500 from the welcome lot, then 20 from the April lot.
    ASSERT_EQ(st.last_entries.size(), 2u);
    EXPECT_EQ(st.last_entries[0].amount, points(-500));
    EXPECT_EQ(st.last_entries[0].lot, "s1/welcome");
    EXPECT_EQ(st.last_entries[1].amount, points(-20));
    EXPECT_EQ(st.last_entries[1].balance, points(50));
}

TEST(Statement, QuotasResetInTheNextPeriod) {
    const program p = reference_program();
    const journal_runner run = li(p);
    const statement st =
        make_statement(p, run.members().at("M9"), run.entries_of("M9"), at("2026-01-10T12:00:00+08:00"));
    EXPECT_EQ(st.quotas[0].period, "calendar_year 2026-01-01..2026-12-31");
    EXPECT_EQ(st.quotas[0].used, 0);
    EXPECT_EQ(st.quotas[0].left, 4);
    EXPECT_EQ(st.quotas[1].period, "anniversary_year 2026-01-10..2027-01-09");
}

TEST(Statement, ExpiriesThatFellDueButAreNotPostedAreShown) {
    const program p = reference_program();
    const journal_runner run = li(p);
    // 00:00 Shanghai on 1 May 2027 = 2027-04-30T16:00:00Z: the April lot's 50 fall due.
    const statement before =
        make_statement(p, run.members().at("M9"), run.entries_of("M9"), at("2027-04-30T15:59:59Z"));
    EXPECT_EQ(before.due_to_expire, points(0));
    const statement st = make_statement(p, run.members().at("M9"), run.entries_of("M9"), at("2027-04-30T16:00:00Z"));
    EXPECT_EQ(st.balance, points(50));  // posted: no event has come since
    EXPECT_EQ(st.due_to_expire, points(50));
    EXPECT_EQ(st.balance_after_due, points(0));
    ASSERT_EQ(st.lots.size(), 1u);
    EXPECT_TRUE(st.lots[0].due);
}

TEST(Statement, PendingPointsAreNotAvailable) {
    program p = reference_program();
    p.pending_days = 14;  // points become available 14 local days after the event
    const journal_runner run = li(p, 2);  // before the exchange
    // On 20 April the April lot (70, earned 15 April) is pending until 00:00 on 29 April.
    const statement st = make_statement(p, run.members().at("M9"), run.entries_of("M9"), at("2025-04-20T12:00:00+08:00"));
    EXPECT_EQ(st.balance, points(570));
    EXPECT_EQ(st.pending, points(70));
    EXPECT_EQ(st.available, points(500));
    ASSERT_EQ(st.lots.size(), 2u);
    EXPECT_FALSE(st.lots[0].pending);  // welcome, available since 24 January
    EXPECT_TRUE(st.lots[1].pending);
    const statement later =
        make_statement(p, run.members().at("M9"), run.entries_of("M9"), at("2025-04-29T00:00:00+08:00"));
    EXPECT_EQ(later.pending, points(0));
    EXPECT_EQ(later.available, points(570));
}

TEST(Statement, ADebtIsShownAndNothingIsAvailable) {
    const program_versions versions(reference_program());
    const auto journal =
        io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny());
    const journal_runner run = replay(versions, journal);
    const statement st = make_statement(versions.latest(), run.members().at("M002"), run.entries_of("M002"),
                                        at("2027-02-01T09:00:00+08:00"));
    EXPECT_EQ(st.balance, points(-1290));
    EXPECT_EQ(st.debt, points(1290));
    EXPECT_EQ(st.available, points(-1290));
    EXPECT_TRUE(st.lots.empty());
    EXPECT_EQ(st.last_entries.size(), 10u);
    EXPECT_EQ(st.last_entries.back().balance, points(-1290));
}

}  // namespace unit_statement
