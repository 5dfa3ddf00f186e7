// Worked stories of the reference 4S club (examples/programs/4s-club.json) over the sample
// journal examples/events/4s-club-2025-2026.jsonl. Every figure is worked out by hand below.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace scenario_4s_club {

using namespace loyalty;
using namespace loyalty::test;

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
    static lot lot_of(const std::string& m, const std::string& id) {  // spent or not
        for (const lot& l : member(m).all_lots())
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

// Li Wei (M001) buys a car, services it, has a birthday, answers a survey, refers a friend,
// has an accident repair and an insurance claim, gets a free waxing and wash, exchanges points
// for a gift, and lets old points expire.
TEST_F(FourSClub, LiWeiEarnsSpendsAndLetsPointsExpire) {
    // welcome                                       500
    // vehicle 186,800.00 x 0.01                    1868
    // March RO, maintenance month x2: oil-change labour 120.00 is free (benefit 2); oil
    //   4 x 68.50 = 274.00 and filter 45.00 are paid in full (category maintenance is not a
    //   discounted part category); brake labour 1.5 x 180.00 = 270.00 x 0.7 = 189.00 (benefit 5).
    //   Paid 0 + 274.00 + 45.00 + 189.00 = 508.00 -> x1 x2 = 1016
    // birthday 200, survey 50, referral 1000 (paid by M002's August visit: see below)
    // September RO: accident labour 800.00 (no discount, no points), insurer-paid bumper (0),
    //   floor mats 399.00 x 0.5 = 199.5 -> 199, 36-point inspection free (use 1 of 6): 0
    // total earned 2025: 500+1868+1016+200+50+1000+199 = 4833
    EXPECT_EQ(lot_of("M001", "e-0003/service-spend").earned, points(1016));
    EXPECT_THROW(lot_of("M001", "e-0007/service-spend"), std::runtime_error);
    EXPECT_EQ(lot_of("M001", "e-0007/accessory-spend").earned, points(199));
    // November: -1000 for a car-care kit. Soonest-expiring first: the welcome lot (500) and the
    // vehicle lot (1868) both expire 2027-02-01 and were earned the same day, so creation order:
    // welcome 500, then 500 of the vehicle lot (1368 left).
    EXPECT_EQ(lot_of("M001", "e-0001/welcome").remaining, points(0));
    // 2026: birthday 200, survey 50 (May), second May survey capped to 0.
    EXPECT_EQ(lot_of("M001", "e-0010/survey").earned, points(50));
    EXPECT_THROW(lot_of("M001", "e-0011/survey"), std::runtime_error);
    // 2027-02-01: the vehicle lot's 1368 expire at 00:00 Shanghai time.
    EXPECT_EQ(lot_of("M001", "e-0002/vehicle-purchase").expired, points(1368));
    // Balance: 4833 - 1000 + 250 - 1368 = 2715.
    EXPECT_EQ(member("M001").balance(), points(2715));
    const auto entries = run_->entries_of("M001");
    EXPECT_EQ(entries.back().kind, entry_kind::expire);
    EXPECT_EQ(entries.back().at, at("2027-01-31T16:00:00Z"));
    EXPECT_EQ(entries.back().balance, points(2715));
}

// Wang Fang (M002) enrols on 1 June 2025 naming Li Wei as her referrer. Her gearbox repair on
// 15 June (day 14 of the 90) pays Li Wei's referral 1000; the repair is refunded and reversed on
// 5 July, which takes the 1000 back from Li Wei (unspent: one reverse entry); her service on
// 1 August (day 61) is the first qualifying visit again and pays it for good.
TEST_F(FourSClub, LiWeisReferralIsPaidTakenBackWithTheRefundAndPaidAgain) {
    std::vector<std::pair<std::string, points>> referral_entries;
    for (const ledger_entry& e : run_->entries_of("M001"))
        if (e.rule == "referral") referral_entries.emplace_back(e.event, e.amount);
    const std::vector<std::pair<std::string, points>> expected{
        {"e-0102", points(1000)}, {"e-0104", points(-1000)}, {"e-0105", points(1000)}};
    EXPECT_EQ(referral_entries, expected);
    EXPECT_EQ(lot_of("M001", "e-0102/referral").remaining, points(0));
    EXPECT_EQ(lot_of("M001", "e-0105/referral").remaining, points(1000));
    EXPECT_EQ(member("M002").referred_by, "M001");
    EXPECT_EQ(member("M002").referral_event, "e-0105");
}

// The benefits Li Wei used are on the ledger beside the points, each with what it gave, and in
// the usage her quotas count. Usage no window of the programme can count any more is forgotten
// when time rolls forward (member/usage_horizon.hpp), so her 2025 usage is read from the journal
// replayed to the end of 2025; by her last event (a tick on 2027-02-01: the horizon is 1 January
// 2027, the start of the calendar year and before her membership year from 2027-01-10) it is gone.
TEST_F(FourSClub, LiWeisBenefitsAreRecorded) {
    std::vector<event> year_2025;
    for (const event& e : *journal_)
        if (e.at < at("2026-01-01T00:00:00+08:00")) year_2025.push_back(e);
    const journal_runner run_2025 = replay(*versions_, year_2025);
    std::vector<benefit_use> expected{
        // March: oil-change labour free (120.00), brake labour 30% off: 270.00 - 189.00 = 81.00
        {"oil-change-labour", on("2025-03-15"), 1, 12000, "RO-25-0311"},
        {"labour-30-off", on("2025-03-15"), 0, 8100, "RO-25-0311"},
        // September: the inspection (99.99) and the accident's insurance claim handling
        {"inspection-36", on("2025-09-08"), 1, 9999, "RO-25-0908"},
        {"claim-handling", on("2025-09-08"), 1, 0, "CLM-25-0908"},
        // October: exterior wash 40.00 and a waxing 280.00, both free
        {"exterior-wash", on("2025-10-12"), 1, 4000, "RO-25-1012"},
        {"waxing", on("2025-10-12"), 1, 28000, "RO-25-1012"},
    };
    EXPECT_EQ(run_2025.members().at("M001").benefit_usage.all(), expected);
    EXPECT_TRUE(member("M001").benefit_usage.empty());
}

// Zhang Min (M002) spends points earned on an RO that is then cancelled.
TEST_F(FourSClub, ZhangMinsCancelledRepairOrderLeavesADebt) {
    // welcome 500; RO labour 3 x 200.00 = 600.00 x 0.7 = 420.00, seal kit 1450.00:
    // paid 1870.00 -> 1870; balance 2370.
    // -2000 at the front desk: welcome 500 (earned first), then 1500 of the RO lot (370 left).
    // The RO is cancelled: 370 come out of its lot; 1500 were spent; policy claw_back finds no
    // other points, so 1500 become debt: balance 0 - 1500 = -1500. The labour discount
    // (180.00) is given back.
    // August RO 300.00 x 0.7 = 210.00 -> 210 pt, all of it pays debt: debt 1290.
    EXPECT_EQ(member("M002").debt, points(1290));
    EXPECT_EQ(member("M002").balance(), points(-1290));
    EXPECT_EQ(lot_of("M002", "e-0105/service-spend").remaining, points(0));
    const auto entries = run_->entries_of("M002");
    int debts = 0, returns = 0;
    for (const ledger_entry& e : entries) {
        if (e.kind == entry_kind::debt) {
            ++debts;
            EXPECT_EQ(e.amount, points(-1500));
            EXPECT_EQ(e.reverses, "e-0102");
        }
        if (e.kind == entry_kind::benefit_return) {
            ++returns;
            EXPECT_EQ(e.rule, "labour-30-off");
        }
    }
    EXPECT_EQ(debts, 1);
    EXPECT_EQ(returns, 1);
}

// Wang (M003) comes once and never again: two years later the points are breakage.
TEST_F(FourSClub, WangsPointsExpireAfterTwoYears) {
    // welcome 500 (2025-01-20) and RO labour 350.00 x 0.7 = 245.00 -> 245 (2025-01-25): both
    // expire 2027-02-01.
    EXPECT_EQ(member("M003").balance(), points(0));
    EXPECT_EQ(lot_of("M003", "e-0201/welcome").expired, points(500));
    EXPECT_EQ(lot_of("M003", "e-0202/service-spend").expired, points(245));
}

TEST_F(FourSClub, ARetriedEventIsRefusedAndNothingIsAppliedTwice) {
    ASSERT_EQ(run_->refusals().size(), 2u);
    EXPECT_EQ(run_->refusals()[0].event, "e-0005");
    EXPECT_EQ(run_->refusals()[0].code, refusal::duplicate_event);
}

TEST_F(FourSClub, AThirdPartyClaimIsNotHandledFree) {
    EXPECT_EQ(run_->refusals()[1].event, "e-0014");
    EXPECT_EQ(run_->refusals()[1].code, refusal::benefit_excluded);
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

// P refers Q, and Q's first paid visit is buying P's own car: one event posts the seller's side
// and the referral reward on P's chain, under Q's event id (this threw duplicate_event_id).
// Vehicle purchases earn 1% of the price; the referral reward is 1,000 points.
TEST(FourSClubStory, AReferrerSellsTheirCarToTheMemberTheyReferred) {
    const program_versions club(reference_program());
    journal_runner run(club);
    const std::string vin = "LFV3A23C0R3000001";
    std::vector<event> sent = {
        ev(R"({"id":"p1","member":"P","at":"2025-02-01T10:00:00+08:00","type":"enrol"})"),
        ev(R"({"id":"p2","member":"P","at":"2025-02-02T10:00:00+08:00","type":"vehicle_purchase","vin":"LFV3A23C0R3000001","price":"186800.00"})"),
        ev(R"({"id":"q1","member":"Q","at":"2025-03-01T10:00:00+08:00","type":"enrol","referred_by":"P"})")};
    for (const event& e : sent) ASSERT_TRUE(run.apply(e).accepted()) << e.id;
    EXPECT_EQ(run.members().at("P").balance(), points(500 + 1868));

    const event sale = ev(R"({"id":"q2","member":"Q","at":"2025-03-02T10:00:00+08:00","type":"vehicle_purchase",)"
                          R"("vin":"LFV3A23C0R3000001","price":"120000.00","previous_owner":"P"})");
    const outcome o = run.apply(sale);
    ASSERT_TRUE(o.accepted()) << o.message;
    const member_state& p = run.members().at("P");
    EXPECT_EQ(p.balance(), points(500 + 1868 + 1000));
    EXPECT_TRUE(p.vehicles.empty());
    EXPECT_EQ(run.members().at("Q").balance(), points(500 + 1200));
    EXPECT_EQ(run.members().at("Q").vehicles, std::vector<std::string>{vin});
    std::vector<std::string> on_p;
    for (const ledger_entry& e : run.entries_of("P"))
        if (e.event == "q2") on_p.push_back(std::string(to_string(e.kind)) + " " + std::to_string(e.amount.count()));
    EXPECT_EQ(on_p, (std::vector<std::string>{"vehicle_transfer 0", "earn 1000"}));

    // Sent again, it is a duplicate; reversing it is refused (a change of owner is undone by a
    // sale back) and leaves the referrer's reward where it is.
    EXPECT_EQ(run.apply(sale).refused, refusal::duplicate_event);
    const outcome undo = run.apply(ev(R"({"id":"q3","member":"Q","at":"2025-03-03T10:00:00+08:00","type":"reverse","event":"q2"})"));
    EXPECT_EQ(undo.refused, refusal::not_reversible);
    EXPECT_EQ(run.members().at("P").balance(), points(500 + 1868 + 1000));
    // A replay of what was accepted gives the same ledger, and the chains hold.
    sent.push_back(sale);
    EXPECT_TRUE(verify(club, sent, run.entries()).ok());
}

}  // namespace scenario_4s_club
