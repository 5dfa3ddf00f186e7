// Roll-forward (audit/rollforward.hpp): opening + movements = closing, per member and in total,
// with opening and closing read from the entries' running balances. Figures worked by hand.
#include <gtest/gtest.h>

#include "loyalty/audit/rollforward.hpp"
#include "test_support.hpp"

namespace unit_rollforward {

using namespace loyalty;
using namespace loyalty::test;

namespace {

ledger_entry entry(const std::string& member, std::int64_t seq, const std::string& when, entry_kind kind,
                   std::int64_t amount, std::int64_t balance, const std::string& rule = "",
                   const std::string& reason = "") {
    ledger_entry e;
    e.member = member;
    e.seq = seq;
    e.event = member + "-e" + std::to_string(seq);
    e.at = at(when);
    e.kind = kind;
    e.amount = points(amount);
    e.balance = points(balance);
    e.rule = rule;
    e.reason = reason;
    return e;
}

// M1: welcome 500 in January; 300 earned in February; 200 exchanged in March; 100 expire on 1 April.
// M2 (all in the period): earns 1000, exchanges 800, the earning event is reversed: 200 come
// back out of its lot, the 800 spent become debt (-800); a birthday's 300 then pay off 300 of it.
std::vector<ledger_entry> sample() {
    return {
        entry("M1", 1, "2025-01-01T00:00:00Z", entry_kind::enrol, 0, 0),
        entry("M1", 2, "2025-01-01T00:00:00Z", entry_kind::earn, 500, 500, "welcome"),
        entry("M2", 1, "2025-02-10T00:00:00Z", entry_kind::earn, 1000, 1000, "spend"),
        entry("M1", 3, "2025-02-01T00:00:00Z", entry_kind::earn, 300, 800, "spend"),
        entry("M2", 2, "2025-02-11T00:00:00Z", entry_kind::adjust, -800, 200, "adjustment"),
        entry("M2", 3, "2025-02-12T00:00:00Z", entry_kind::reverse, -200, 0),
        entry("M2", 4, "2025-02-12T00:00:00Z", entry_kind::debt, -800, -800),
        entry("M1", 4, "2025-03-01T00:00:00Z", entry_kind::adjust, -200, 600, "adjustment"),
        entry("M2", 5, "2025-03-01T00:00:00Z", entry_kind::earn, 300, -500, "birthday"),
        entry("M2", 6, "2025-03-01T00:00:00Z", entry_kind::settle_debt, 0, -500, "",
              "300 pt of lot M2-e5/birthday pay off debt (800 -> 500)"),
        entry("M2", 7, "2025-03-02T00:00:00Z", entry_kind::benefit_use, 0, -500, "waxing"),
        entry("M1", 5, "2025-04-01T00:00:00Z", entry_kind::expire, -100, 500),
    };
}

}  // namespace

TEST(Rollforward, OpeningPlusMovementsIsClosingPerMemberAndInTotal) {
    // Period [1 Feb, 1 Apr): M1's expiry on 1 April falls outside.
    const rollforward_report r = rollforward(sample(), at("2025-02-01T00:00:00Z"), at("2025-04-01T00:00:00Z"));
    ASSERT_EQ(r.members.size(), 2u);
    const rollforward_line& m1 = r.members[0];
    EXPECT_EQ(m1.member, "M1");
    EXPECT_EQ(m1.opening, points(500));   // after the welcome bonus
    EXPECT_EQ(m1.earned, points(300));
    EXPECT_EQ(m1.adjusted, points(-200));
    EXPECT_EQ(m1.adjusted_debit, points(-200));
    EXPECT_EQ(m1.expired, points(0));
    EXPECT_EQ(m1.closing, points(600));   // 500 + 300 - 200
    EXPECT_EQ(m1.entries, 2u);
    EXPECT_TRUE(m1.reconciles());

    const rollforward_line& m2 = r.members[1];
    EXPECT_EQ(m2.opening, points(0));
    EXPECT_EQ(m2.earned, points(1300));
    EXPECT_EQ(m2.earned_by_rule.at("spend"), points(1000));
    EXPECT_EQ(m2.earned_by_rule.at("birthday"), points(300));
    EXPECT_EQ(m2.adjusted, points(-800));
    EXPECT_EQ(m2.reversed, points(-200));
    EXPECT_EQ(m2.debt, points(-800));
    EXPECT_EQ(m2.debt_settled, points(300));  // informative: the balance does not move
    EXPECT_EQ(m2.other, points(0));
    EXPECT_EQ(m2.closing, points(-500));      // 0 + 1300 - 800 - 200 - 800
    EXPECT_TRUE(m2.reconciles());

    // Total: 500 + (300 + 1300) - (200 + 800) - 200 - 800 = 100 = 600 + (-500).
    EXPECT_EQ(r.total.opening, points(500));
    EXPECT_EQ(r.total.earned, points(1600));
    EXPECT_EQ(r.total.earned_by_rule.at("spend"), points(1300));
    EXPECT_EQ(r.total.adjusted, points(-1000));
    EXPECT_EQ(r.total.movements(), points(-400));
    EXPECT_EQ(r.total.closing, points(100));
    EXPECT_TRUE(r.reconciles());
}

// The debt a settle_debt entry paid is its `debt_paid` field; a ledger written before the field
// (format 2) states it only in the reason, which is read then. The field wins over the text.
TEST(Rollforward, DebtSettledIsReadFromTheFieldElseFromAnOlderEntrysReason) {
    std::vector<ledger_entry> entries = sample();
    ledger_entry& settle = entries[9];
    ASSERT_EQ(settle.kind, entry_kind::settle_debt);
    const auto settled = [&] {
        return rollforward(entries, at("2025-02-01T00:00:00Z"), at("2025-04-01T00:00:00Z")).members[1].debt_settled;
    };
    EXPECT_EQ(settled(), points(300));  // no field: "300 pt of lot ... pay off debt"
    settle.debt_paid = points(250);
    EXPECT_EQ(settled(), points(250));
    settle.reason = "paid";  // the text is for people
    EXPECT_EQ(settled(), points(250));
}

TEST(Rollforward, TheEndIsExclusiveAndLaterPeriodsChain) {
    const auto entries = sample();
    const rollforward_report april = rollforward(entries, at("2025-04-01T00:00:00Z"), at("2025-05-01T00:00:00Z"));
    ASSERT_EQ(april.members.size(), 2u);
    EXPECT_EQ(april.members[0].opening, points(600));  // the closing of the period before
    EXPECT_EQ(april.members[0].expired, points(-100));
    EXPECT_EQ(april.members[0].closing, points(500));
    EXPECT_EQ(april.members[1].opening, points(-500));  // no movement: opening = closing
    EXPECT_EQ(april.members[1].closing, points(-500));
    EXPECT_EQ(april.members[1].entries, 0u);
    EXPECT_TRUE(april.reconciles());
}

TEST(Rollforward, MembersWithNothingBeforeTheEndAreLeftOut) {
    const rollforward_report jan = rollforward(sample(), at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"));
    ASSERT_EQ(jan.members.size(), 1u);
    EXPECT_EQ(jan.members[0].member, "M1");
    EXPECT_EQ(jan.total.closing, points(500));
}

TEST(Rollforward, AnEditedBalanceOrAmountDoesNotReconcile) {
    auto entries = sample();
    entries[7].balance = points(601);  // M1 seq 4
    const rollforward_report r = rollforward(entries, at("2025-02-01T00:00:00Z"), at("2025-04-01T00:00:00Z"));
    EXPECT_FALSE(r.members[0].reconciles());
    EXPECT_TRUE(r.members[1].reconciles());
    EXPECT_FALSE(r.reconciles());

    entries = sample();
    entries[9].amount = points(5);  // a zero-amount settle_debt that moves the balance shows up in "other"
    const rollforward_report s = rollforward(entries, at("2025-02-01T00:00:00Z"), at("2025-04-01T00:00:00Z"));
    EXPECT_EQ(s.members[1].other, points(5));
    EXPECT_FALSE(s.members[1].reconciles());
}

// The reference programme and sample journal: 2025, then 2026-2027, chain into the final balances.
TEST(Rollforward, TheSampleJournalReconciles) {
    const program_versions versions(reference_program());
    const auto journal =
        io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny());
    const journal_runner run = replay(versions, journal);
    const rollforward_report y2025 =
        rollforward(run.entries(), at("2025-01-01T00:00:00+08:00"), at("2026-01-01T00:00:00+08:00"));
    // Earned: M001 4833 (scenario test) + 1000: the referral paid by M002's June repair was
    // taken back with its refund in July and paid again by her August visit (earned twice,
    // reversed once); M002 500 + 1870 + 210 = 2580, M003 500 + 245 = 745.
    EXPECT_EQ(y2025.total.earned, points(4833 + 1000 + 2580 + 745));
    EXPECT_EQ(y2025.members[0].reversed, points(-1000));
    // M002: -2000 at the front desk, -370 reversed from the cancelled RO's lot, -1500 debt.
    EXPECT_EQ(y2025.members[1].adjusted, points(-2000));
    EXPECT_EQ(y2025.members[1].reversed, points(-370));
    EXPECT_EQ(y2025.members[1].debt, points(-1500));
    EXPECT_EQ(y2025.members[1].debt_settled, points(210));
    EXPECT_EQ(y2025.members[1].closing, points(-1290));
    EXPECT_EQ(y2025.total.closing, points(3833 - 1290 + 745));
    EXPECT_TRUE(y2025.reconciles());
    const rollforward_report later =
        rollforward(run.entries(), at("2026-01-01T00:00:00+08:00"), at("2028-01-01T00:00:00+08:00"));
    EXPECT_EQ(later.total.opening, y2025.total.closing);
    // M001 +250 (2026 birthday and survey), -1368 expired; M003 -745 expired.
    EXPECT_EQ(later.total.earned, points(250));
    EXPECT_EQ(later.total.expired, points(-1368 - 745));
    EXPECT_EQ(later.total.closing, points(2715 - 1290 + 0));
    EXPECT_TRUE(later.reconciles());
}

// The benefits the example journal used, by funder: read from the entries' `uses` and `money`
// (ledger format 4), else, in an entry written before them, from its reason; both give the same
// figures, worked by hand from the journal: the dealer's labour-30-off gave 105.00 + 81.00 +
// 180.00 - 180.00 (M002's cancelled order gives it back) + 90.00, with no quota units.
TEST(Rollforward, BenefitUsesAreReadFromTheFieldsElseFromAnOlderEntrysReason) {
    const program_versions versions(reference_program());
    const auto journal =
        io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny());
    std::vector<ledger_entry> entries = replay(versions, journal).entries();
    const auto by_funder = [&](const std::string& funder) {
        const rollforward_report r =
            rollforward(entries, at("2025-01-01T00:00:00+08:00"), at("2028-01-01T00:00:00+08:00"));
        for (const rollforward_split& s : r.by_funder)
            if (s.key == funder) return s;
        ADD_FAILURE() << "no funder " << funder;
        return rollforward_split{};
    };
    const auto check = [&](const char* how) {
        SCOPED_TRACE(how);
        const rollforward_split dealer = by_funder("dealer");
        EXPECT_EQ(dealer.benefit_uses, (std::map<std::string, std::int64_t>{
                                           {"exterior-wash", 1}, {"labour-30-off", 0}, {"oil-change-labour", 1}, {"waxing", 1}}));
        EXPECT_EQ(dealer.benefit_given, (std::map<std::string, money>{{"exterior-wash", yuan("40.00")},
                                                                      {"labour-30-off", yuan("276.00")},
                                                                      {"oil-change-labour", yuan("120.00")},
                                                                      {"waxing", yuan("280.00")}}));
        const rollforward_split manufacturer = by_funder("manufacturer"), insurer = by_funder("insurer");
        EXPECT_EQ(manufacturer.benefit_uses, (std::map<std::string, std::int64_t>{{"inspection-36", 1}}));
        EXPECT_EQ(manufacturer.benefit_given, (std::map<std::string, money>{{"inspection-36", yuan("99.99")}}));
        EXPECT_EQ(insurer.benefit_uses, (std::map<std::string, std::int64_t>{{"claim-handling", 1}}));
        EXPECT_TRUE(insurer.benefit_given.empty());
    };
    std::size_t benefit_entries = 0;
    for (const ledger_entry& e : entries) benefit_entries += e.uses ? 1 : 0;
    ASSERT_EQ(benefit_entries, 10u);
    check("fields");
    // The reason is for people: changing it changes no figure while the fields are there.
    for (ledger_entry& e : entries)
        if (e.uses) e.reason = e.rule + ": used";
    check("fields, reasons rewritten");
    // An entry written before format 4 has only its reason.
    entries = replay(versions, journal).entries();
    for (ledger_entry& e : entries)
        if (e.uses) e.uses.reset(), e.money.clear();
    check("reasons");
}

// Redemptions and transfers: M1 redeems 300 (two lots: 200 + 100), cancels 100 of it, sends 150 to
// M2; M2 redeems 120 of what it received; a voucher issued by the redemption moves no points.
TEST(Rollforward, RedemptionsAndTransfersReconcilePerMemberAndInTotal) {
    std::vector<ledger_entry> entries{
        entry("M1", 1, "2025-01-01T00:00:00Z", entry_kind::earn, 200, 200, "welcome"),
        entry("M1", 2, "2025-01-02T00:00:00Z", entry_kind::earn, 500, 700, "spend"),
        entry("M1", 3, "2025-02-01T00:00:00Z", entry_kind::redeem, -200, 500, "labour-voucher"),
        entry("M1", 4, "2025-02-01T00:00:00Z", entry_kind::redeem, -100, 400, "labour-voucher"),
        entry("M1", 5, "2025-02-01T00:00:00Z", entry_kind::voucher_issue, 0, 400, "labour-voucher"),
        entry("M1", 6, "2025-02-03T00:00:00Z", entry_kind::redeem_cancel, 100, 500, "labour-voucher"),
        entry("M1", 7, "2025-02-04T00:00:00Z", entry_kind::transfer_out, -150, 350),
        entry("M2", 1, "2025-02-04T00:00:00Z", entry_kind::transfer_in, 150, 150),
        entry("M2", 2, "2025-02-05T00:00:00Z", entry_kind::redeem, -120, 30, "car-wash-kit"),
    };
    const rollforward_report r = rollforward(entries, at("2025-01-15T00:00:00Z"), at("2025-03-01T00:00:00Z"));
    ASSERT_EQ(r.members.size(), 2u);
    const rollforward_line& m1 = r.members[0];
    EXPECT_EQ(m1.opening, points(700));
    EXPECT_EQ(m1.redeemed, points(-200));           // -200 - 100 + 100
    EXPECT_EQ(m1.redeemed_by_reward.at("labour-voucher"), points(-200));
    EXPECT_EQ(m1.transferred, points(-150));
    EXPECT_EQ(m1.transferred_out, points(-150));
    EXPECT_EQ(m1.other, points(0));                  // the voucher entry is 0 points
    EXPECT_EQ(m1.closing, points(350));             // 700 - 200 - 150
    EXPECT_TRUE(m1.reconciles());
    const rollforward_line& m2 = r.members[1];
    EXPECT_EQ(m2.transferred_in, points(150));
    EXPECT_EQ(m2.redeemed, points(-120));
    EXPECT_EQ(m2.closing, points(30));              // 0 + 150 - 120
    EXPECT_TRUE(m2.reconciles());
    // In total a transfer moves nothing: 700 - 320 + 0 = 380 = 350 + 30.
    EXPECT_EQ(r.total.transferred, points(0));
    EXPECT_EQ(r.total.redeemed, points(-320));
    EXPECT_EQ(r.total.redeemed_by_reward.at("car-wash-kit"), points(-120));
    EXPECT_EQ(r.total.closing, points(380));
    EXPECT_TRUE(r.reconciles());
    // A redemption whose amount was edited (hash aside) no longer reconciles.
    entries[2].amount = points(-199);
    EXPECT_FALSE(rollforward(entries, at("2025-01-15T00:00:00Z"), at("2025-03-01T00:00:00Z")).reconciles());
}

}  // namespace unit_rollforward
