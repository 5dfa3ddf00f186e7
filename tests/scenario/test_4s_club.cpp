// Worked stories of the reference 4S club (examples/programs/4s-club.json) over the sample
// journal examples/events/4s-club-2025-2026.jsonl. Every figure is worked out by hand below.
#include <gtest/gtest.h>

#include "test_support.hpp"

using namespace loyalty;
using namespace loyalty::test;

namespace {

class FourSClub : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        versions_ = new program_versions(reference_program());
        journal_ = new std::vector<event>(
            io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny()));
        run_ = new journal_runner(replay(*versions_, *journal_));
    }
    static void TearDownTestSuite() {
        delete run_;
        delete journal_;
        delete versions_;
    }
    static const member_state& member(const std::string& id) { return run_->members().at(id); }
    static const lot& lot_of(const std::string& m, const std::string& id) {
        for (const lot& l : member(m).lots)
            if (l.id == id) return l;
        throw std::runtime_error("no lot " + id);
    }
    static program_versions* versions_;
    static std::vector<event>* journal_;
    static journal_runner* run_;
};
program_versions* FourSClub::versions_ = nullptr;
std::vector<event>* FourSClub::journal_ = nullptr;
journal_runner* FourSClub::run_ = nullptr;

}  // namespace

// Li Wei (M001) buys a car, services it, has a birthday, answers a survey, refers a friend,
// has an accident repair, exchanges points for a gift, and lets old points expire.
TEST_F(FourSClub, LiWeiEarnsSpendsAndLetsPointsExpire) {
    // welcome                                       500
    // vehicle 186,800.00 x 0.01                    1868
    // March RO, maintenance month x2:
    //   120.00 + 4 x 68.50 + 45.00 + 1.5 x 180.00 = 709.00 -> x1 x2 = 1418
    // birthday 200, survey 50, referral 1000
    // September RO: accident lines (800.00, 2300.00 insurer-paid) earn nothing;
    //   inspection 99.99 x 1 = 99.99 -> 99; floor mats 399.00 x 0.5 = 199.5 -> 199
    // total earned 2025: 500+1868+1418+200+50+1000+99+199 = 5334
    EXPECT_EQ(lot_of("M001", "e-0003/service-spend").earned, points(1418));
    EXPECT_EQ(lot_of("M001", "e-0007/service-spend").earned, points(99));
    EXPECT_EQ(lot_of("M001", "e-0007/accessory-spend").earned, points(199));
    // November: -1000 for a car-care kit. Soonest-expiring first: the welcome lot (500) and the
    // vehicle lot (1868), both expiring 2027-02-01; welcome earned first... both on 2025-01-10,
    // so creation order: welcome 500, then 500 of the vehicle lot (1368 left).
    EXPECT_EQ(lot_of("M001", "e-0001/welcome").remaining, points(0));
    // 2026: birthday 200, survey 50 (May), second May survey capped to 0.
    EXPECT_EQ(lot_of("M001", "e-0010/survey").earned, points(50));
    EXPECT_THROW(lot_of("M001", "e-0011/survey"), std::runtime_error);
    // 2027-02-01: the vehicle lot's 1368 expire at 00:00 Shanghai time.
    EXPECT_EQ(lot_of("M001", "e-0002/vehicle-purchase").expired, points(1368));
    // Balance: 5334 - 1000 + 250 - 1368 = 3216.
    EXPECT_EQ(member("M001").balance(), points(3216));
    const auto entries = run_->entries_of("M001");
    EXPECT_EQ(entries.back().kind, entry_kind::expire);
    EXPECT_EQ(entries.back().at, at("2027-01-31T16:00:00Z"));
    EXPECT_EQ(entries.back().balance, points(3216));
}

// Zhang Min (M002) spends points earned on an RO that is then cancelled.
TEST_F(FourSClub, ZhangMinsCancelledRepairOrderLeavesADebt) {
    // welcome 500; RO 3 x 200.00 + 1450.00 = 2050.00 -> 2050; balance 2550.
    // -2400 at the front desk: welcome 500 (earned first), then 1900 of the RO lot (150 left).
    // The RO is cancelled: 150 come out of its lot; 1900 were spent; policy claw_back finds no
    // other points, so 1900 become debt: balance 0 - 1900 = -1900.
    // August RO 300.00 -> 300 pt, all of it pays debt: debt 1600, balance -1600.
    EXPECT_EQ(member("M002").debt, points(1600));
    EXPECT_EQ(member("M002").balance(), points(-1600));
    EXPECT_EQ(lot_of("M002", "e-0105/service-spend").remaining, points(0));
    const auto entries = run_->entries_of("M002");
    int debts = 0;
    for (const ledger_entry& e : entries)
        if (e.kind == entry_kind::debt) {
            ++debts;
            EXPECT_EQ(e.amount, points(-1900));
            EXPECT_EQ(e.reverses, "e-0102");
        }
    EXPECT_EQ(debts, 1);
}

// Wang (M003) comes once and never again: two years later the points are breakage.
TEST_F(FourSClub, WangsPointsExpireAfterTwoYears) {
    // welcome 500 (2025-01-20) and RO 350.00 -> 350 (2025-01-25): both expire 2027-02-01.
    EXPECT_EQ(member("M003").balance(), points(0));
    EXPECT_EQ(lot_of("M003", "e-0201/welcome").expired, points(500));
    EXPECT_EQ(lot_of("M003", "e-0202/service-spend").expired, points(350));
}

TEST_F(FourSClub, ARetriedEventIsRefusedAndNothingIsAppliedTwice) {
    ASSERT_EQ(run_->refusals().size(), 1u);
    EXPECT_EQ(run_->refusals()[0].event, "e-0005");
    EXPECT_EQ(run_->refusals()[0].code, refusal::duplicate_event);
}

TEST_F(FourSClub, TheLedgerVerifiesAndReplayReproducesIt) {
    const verification_report report = verify(*versions_, *journal_, run_->entries());
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.members, 3u);
    // Balances equal the sum of each member's entries.
    for (const auto& [id, state] : run_->members()) {
        points sum;
        for (const ledger_entry& e : run_->entries_of(id)) sum += e.amount;
        EXPECT_EQ(sum, state.balance()) << id;
    }
    // Tampering with any entry is detected.
    std::vector<ledger_entry> tampered = run_->entries();
    tampered[3].amount = tampered[3].amount + points(1);
    EXPECT_FALSE(verify(*versions_, *journal_, tampered).ok());
}
