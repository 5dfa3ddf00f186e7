// Liability and the IFRS 15 view (audit/liability.hpp), from hand-built ledger entries, then on
// the sample journal. Every figure is worked by hand in the comments (money in minor units).
#include <gtest/gtest.h>

#include "loyalty/audit/liability.hpp"
#include "test_support.hpp"

namespace unit_liability {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// A tiny ledger builder: keeps each member's sequence and running balance.
class book {
public:
    ledger_entry& add(const std::string& member, const std::string& event, const std::string& when, entry_kind kind,
                      std::int64_t amount, const std::string& lot, const std::string& rule = "",
                      const std::string& reverses = "", const std::string& reason = "") {
        ledger_entry e;
        e.member = member;
        e.seq = ++seq_[member];
        e.event = event;
        e.at = at(when);
        e.kind = kind;
        e.amount = points(amount);
        balance_[member] += points(amount);
        e.balance = balance_[member];
        e.lot = lot;
        e.rule = rule;
        e.reverses = reverses;
        e.reason = reason;
        entries.push_back(e);
        return entries.back();
    }
    std::vector<ledger_entry> entries;

private:
    std::map<std::string, std::int64_t> seq_;
    std::map<std::string, points> balance_;
};

liability_options options(const std::string& as_of = "2030-01-01T00:00:00Z", const std::string& rate = "0.85") {
    liability_options o;
    o.as_of = at(as_of);
    o.point_value = yuan("0.10");
    o.redemption_rate = *decimal::parse(rate);
    o.mode = rounding::half_up;
    return o;
}

consideration_map sale(const std::string& event, const std::string& amount) {
    return {{event, consideration{yuan(amount), "test sale", std::nullopt, {}, ""}}};  // any member
}

// The worked case: a sale of 2,000.00 earning 2,000 points.
book worked_case() {
    book b;
    b.add("M1", "s1", "2025-01-10T00:00:00Z", entry_kind::earn, 2000, "s1/spend", "spend");
    return b;
}

}  // namespace

TEST(Liability, TheWorkedCaseDefersByRelativeStandAloneSellingPrice) {
    const book b = worked_case();
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    ASSERT_EQ(r.sales.size(), 1u);
    // SSP of the points: 2000 pt x 0.10 x 0.85 = 170.00.
    EXPECT_EQ(r.sales[0].points_ssp, yuan("170.00"));
    EXPECT_EQ(r.sales[0].ssp_exact, "170");
    // Deferred: 2000.00 x 170 / (2000 + 170) = 156.682... -> 156.68 (half_up); recognised at once 1843.32.
    EXPECT_EQ(r.sales[0].deferred, yuan("156.68"));
    EXPECT_EQ(r.total.deferred, yuan("156.68"));
    EXPECT_EQ(r.total.consideration, yuan("2000.00"));
    EXPECT_EQ(r.total.recognised_at_once(), yuan("1843.32"));
    EXPECT_EQ(r.total.deferred_balance(), yuan("156.68"));
    // Nothing used yet: 2000 pt outstanding worth 200.00; 1700 expected to be redeemed (170.00), 300 to break (30.00).
    EXPECT_EQ(r.outstanding, points(2000));
    EXPECT_EQ(r.outstanding_value, yuan("200.00"));
    EXPECT_EQ(r.expected_redemptions, points(1700));
    EXPECT_EQ(r.expected_breakage, points(300));
    EXPECT_EQ(r.expected_redemption_value, yuan("170.00"));
    EXPECT_EQ(r.expected_breakage_value, yuan("30.00"));
    EXPECT_TRUE(r.notes.empty());
}

TEST(Liability, RedemptionReleasesInProportionToExpectedRedemptions) {
    book b = worked_case();
    b.add("M1", "r1", "2025-03-01T00:00:00Z", entry_kind::redeem, -1000, "s1/spend", "labour-voucher");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 156.68 x 1000 / 1700 = 92.164... -> 92.16; 64.52 stays deferred.
    EXPECT_EQ(r.total.released_on_redemption, yuan("92.16"));
    EXPECT_EQ(r.total.deferred_balance(), yuan("64.52"));
    EXPECT_EQ(r.total.redeemed, points(1000));
    EXPECT_EQ(r.outstanding, points(1000));
    // 1000 pt: worth 100.00; 850 expected to be redeemed (85.00), 150 to break (15.00).
    EXPECT_EQ(r.expected_redemptions, points(850));
    EXPECT_EQ(r.expected_breakage_value, yuan("15.00"));
    // Before the redemption's date nothing was released.
    const liability_report before = liability(b.entries, sale("s1", "2000.00"), options("2025-03-01T00:00:00Z"));
    EXPECT_EQ(before.total.released_on_redemption, yuan("0.00"));
}

TEST(Liability, ExpiryOfTheRestReleasesTheRemainderAsBreakage) {
    book b = worked_case();
    b.add("M1", "r1", "2025-03-01T00:00:00Z", entry_kind::redeem, -1000, "s1/spend", "labour-voucher");
    b.add("M1", "t1", "2027-02-01T00:00:00Z", entry_kind::expire, -1000, "s1/spend", "spend");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 92.16 on redemption, then 156.68 - 92.16 = 64.52 on breakage; nothing left deferred.
    EXPECT_EQ(r.total.released_on_redemption, yuan("92.16"));
    EXPECT_EQ(r.total.released_on_breakage, yuan("64.52"));
    EXPECT_EQ(r.total.deferred_balance(), yuan("0.00"));
    EXPECT_EQ(r.total.expired, points(1000));
    EXPECT_EQ(r.outstanding, points(0));
}

TEST(Liability, ACancelledRedemptionTakesItsReleaseBack) {
    book b = worked_case();
    b.add("M1", "r1", "2025-03-01T00:00:00Z", entry_kind::redeem, -1000, "s1/spend", "labour-voucher");
    b.add("M1", "c1", "2025-03-02T00:00:00Z", entry_kind::redeem_cancel, 400, "s1/spend", "labour-voucher", "r1");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 600 used: 156.68 x 600 / 1700 = 55.298... -> 55.30 (92.16 released, then -36.86 taken back).
    EXPECT_EQ(r.total.released_on_redemption, yuan("55.30"));
    EXPECT_EQ(r.total.redeemed, points(600));
    EXPECT_EQ(r.outstanding, points(1400));
}

TEST(Liability, RedeemingMoreThanExpectedReleasesNoMoreThanWasDeferred) {
    book b = worked_case();
    b.add("M1", "r1", "2025-03-01T00:00:00Z", entry_kind::redeem, -1800, "s1/spend", "appliance");
    liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 1800 > 1700 expected: all 156.68 released, 200 pt still outstanding.
    EXPECT_EQ(r.total.released_on_redemption, yuan("156.68"));
    EXPECT_EQ(r.outstanding, points(200));
    b.add("M1", "t1", "2027-02-01T00:00:00Z", entry_kind::expire, -200, "s1/spend", "spend");
    r = liability(b.entries, sale("s1", "2000.00"), options());
    EXPECT_EQ(r.total.released_on_breakage, yuan("0.00"));  // nothing was left to release
}

TEST(Liability, TransferredPointsKeepTheirOrigin) {
    book b = worked_case();
    // M1 sends 500 of the sale's points to M2; M2 redeems them.
    b.add("M1", "x1", "2025-02-01T00:00:00Z", entry_kind::transfer_out, -500, "s1/spend", "", "", "to M2");
    b.add("M2", "x1", "2025-02-01T00:00:00Z", entry_kind::transfer_in, 500, "x1/s1/spend", "", "", "from M1");
    b.add("M2", "r2", "2025-02-05T00:00:00Z", entry_kind::redeem, -500, "x1/s1/spend", "wash-kit");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 156.68 x 500 / 1700 = 46.082... -> 46.08, released from the sale's deferred revenue.
    EXPECT_EQ(r.total.released_on_redemption, yuan("46.08"));
    EXPECT_EQ(r.outstanding, points(1500));  // 1500 left with M1, 0 with M2
    EXPECT_EQ(r.total.issued, points(2000));  // a transfer issues nothing
    ASSERT_EQ(r.lots.size(), 1u);
    EXPECT_EQ(r.balance, points(1500));
    EXPECT_TRUE(r.notes.empty());
    // An unpaired transfer in is a lot without a sale, and says so.
    book lone;
    lone.add("M3", "x9", "2025-02-01T00:00:00Z", entry_kind::transfer_in, 70, "x9/in");
    const liability_report l = liability(lone.entries, {}, options());
    EXPECT_EQ(l.total.outstanding_without_sale, points(70));
    ASSERT_EQ(l.notes.size(), 1u);
}

TEST(Liability, AReversedSaleDerecognisesWhatIsLeft) {
    book b = worked_case();
    b.add("M1", "r1", "2025-03-01T00:00:00Z", entry_kind::redeem, -1000, "s1/spend", "labour-voucher");
    b.add("M1", "v1", "2025-03-05T00:00:00Z", entry_kind::reverse, -1000, "s1/spend", "spend", "s1");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 92.16 was released by the redemption; the other 64.52 goes back with the refund, not to revenue.
    EXPECT_EQ(r.total.released_on_redemption, yuan("92.16"));
    EXPECT_EQ(r.total.derecognised, yuan("64.52"));
    EXPECT_EQ(r.total.deferred_balance(), yuan("0.00"));
    EXPECT_EQ(r.total.reversed, points(1000));
}

TEST(Liability, DebitsClawBacksAndDebtSettlementUseThePointsToo) {
    book b;
    b.add("M1", "s1", "2025-01-10T00:00:00Z", entry_kind::earn, 2000, "s1/spend", "spend");
    b.add("M1", "a1", "2025-02-01T00:00:00Z", entry_kind::adjust, -340, "s1/spend", "adjustment");
    b.add("M1", "s2", "2025-03-01T00:00:00Z", entry_kind::earn, 100, "s2/birthday", "birthday");
    b.add("M1", "d1", "2025-03-02T00:00:00Z", entry_kind::debt, -50, "");
    b.add("M1", "s3", "2025-03-03T00:00:00Z", entry_kind::earn, 30, "s3/survey", "survey");
    b.add("M1", "s3", "2025-03-03T00:00:00Z", entry_kind::settle_debt, 0, "s3/survey", "survey", "",
          "30 pt of lot s3/survey pay off debt (50 -> 20)");
    const liability_report r = liability(b.entries, sale("s1", "2000.00"), options());
    // 340 used by the debit: 156.68 x 340 / 1700 = 31.336 -> 31.34, released otherwise.
    EXPECT_EQ(r.total.released_otherwise, yuan("31.34"));
    EXPECT_EQ(r.total.released_on_redemption, yuan("0.00"));
    // Lots: 1660 + 100 + 0 = 1760 held; debt 20; balances 2000 - 340 + 100 - 50 + 30 = 1740 = 1760 - 20.
    EXPECT_EQ(r.outstanding, points(1760));
    EXPECT_EQ(r.debt, points(20));
    EXPECT_EQ(r.balance, points(1740));
    EXPECT_EQ(r.total.outstanding_from_sales, points(1660));
    EXPECT_EQ(r.total.outstanding_without_sale, points(100));
    // Points given without a sale, at 0.10 x 0.85: 100 x 0.085 = 8.50.
    EXPECT_EQ(r.without_sale_value, yuan("8.50"));
    EXPECT_TRUE(r.notes.empty()) << r.notes.front();
    ASSERT_EQ(r.by_rule.size(), 3u);  // birthday, spend, survey
    EXPECT_EQ(r.by_rule[1].rule, "spend");
    EXPECT_EQ(r.by_rule[1].consideration, yuan("2000.00"));
    EXPECT_EQ(r.by_rule[2].used_otherwise, points(30));
}

TEST(Liability, ASaleWithSeveralLotsSplitsItsDeferralExactly) {
    book b;
    b.add("M1", "s1", "2025-01-10T00:00:00Z", entry_kind::earn, 7, "s1/a", "a");
    b.add("M1", "s1", "2025-01-10T00:00:00Z", entry_kind::earn, 3, "s1/b", "b");
    const liability_report r = liability(b.entries, sale("s1", "1000.00"), options());
    // S = 10 x 0.085 = 0.85; 1000.00 x 0.85 / 1000.85 = 0.8492... -> 0.85 (85 minor units).
    // Split 7:3: 59.5 and 25.5 minor units; floors 59 + 25 = 84, the tie goes to the earlier lot: 60 and 25.
    EXPECT_EQ(r.total.deferred, yuan("0.85"));
    ASSERT_EQ(r.lots.size(), 2u);
    EXPECT_EQ(r.lots[0].deferred, yuan("0.60"));
    EXPECT_EQ(r.lots[1].deferred, yuan("0.25"));
    // The consideration is split the same way over the rules: 1000.00 x 7/10 and x 3/10.
    EXPECT_EQ(r.by_rule[0].consideration, yuan("700.00"));
    EXPECT_EQ(r.by_rule[1].consideration, yuan("300.00"));
}

TEST(Liability, TheRoundingModeIsTheOneGiven) {
    const book b = worked_case();
    // Redemption rate 0.8 and a sale of 0.05: S = 2000 x 0.10 x 0.8 = 160.00;
    // 0.05 x 160 / 160.05 = 0.0499843... : 5 minor units x 16000/16005 = 4.998 -> up 5, down 4.
    liability_options o = options("2030-01-01T00:00:00Z", "0.8");
    o.mode = rounding::down;
    EXPECT_EQ(liability(b.entries, sale("s1", "0.05"), o).total.deferred, yuan("0.04"));
    o.mode = rounding::up;
    EXPECT_EQ(liability(b.entries, sale("s1", "0.05"), o).total.deferred, yuan("0.05"));
}

TEST(Liability, RefusesARateOutsideZeroToOneAndANonPositivePointValue) {
    const book b = worked_case();
    liability_options o = options("2030-01-01T00:00:00Z", "0");
    EXPECT_EQ(error_id([&] { liability(b.entries, {}, o); }), "loyalty.liability.invalid_rate");
    o.redemption_rate = *decimal::parse("1.01");
    EXPECT_EQ(error_id([&] { liability(b.entries, {}, o); }), "loyalty.liability.invalid_rate");
    o.redemption_rate = decimal::integer(1);
    EXPECT_EQ(error_id([&] { liability(b.entries, {}, o); }), "");
    o.point_value = yuan("0.00");
    EXPECT_EQ(error_id([&] { liability(b.entries, {}, o); }), "loyalty.liability.invalid_point_value");
}

// The sample journal: considerations priced as the engine priced them.
TEST(Liability, TheSampleJournalsConsiderationsAndFigures) {
    const program_versions versions(reference_program());
    const auto journal =
        io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny());
    journal_runner run(versions);
    consideration_map paid;
    for (const event& e : journal) apply_recording(run, e, paid);
    // e-0002: the vehicle, 186800.00. e-0003: list 120.00 + 4 x 68.50 + 45.00 + 1.5 x 180.00 = 709.00, less
    // 120.00 free oil-change labour and 30% of 270.00 = 81.00: 508.00 paid, earning 2 x 508 = 1016 pt.
    EXPECT_EQ(paid.at("e-0002").amount, yuan("186800.00"));
    EXPECT_EQ(paid.at("e-0003").amount, yuan("508.00"));
    EXPECT_EQ(paid.at("e-0003").priced_points, points(1016));
    ASSERT_EQ(paid.at("e-0003").discounts.size(), 2u);
    EXPECT_EQ(paid.at("e-0003").discounts[1], std::make_pair(std::string("labour-30-off"), yuan("81.00")));
    // e-0007: 800.00 accident labour + 0 (bumper paid by the insurer) + 399.00 mats + 0 (free inspection).
    EXPECT_EQ(paid.at("e-0007").amount, yuan("1199.00"));
    EXPECT_EQ(paid.count("e-0004"), 0u);  // a birthday is no sale
    EXPECT_EQ(paid.count("e-0014"), 0u);  // refused

    const liability_report r = liability(run.entries(), paid, options("2027-02-02T00:00:00Z"));
    EXPECT_TRUE(r.notes.empty()) << r.notes.front();
    // Held at the end: M001 1016 + 200 + 50 + 1000 + 199 + 200 + 50 = 2715; M002 nothing (debt 1290); M003 nothing.
    EXPECT_EQ(r.outstanding, points(2715));
    EXPECT_EQ(r.debt, points(1290));
    EXPECT_EQ(r.balance, points(2715 - 1290));
    EXPECT_EQ(r.outstanding_value, yuan("271.50"));
    // From sales: e-0003's 1016 and e-0007's 199 = 1215; the other 1500 were given without a sale.
    EXPECT_EQ(r.total.outstanding_from_sales, points(1215));
    EXPECT_EQ(r.total.outstanding_without_sale, points(1500));
    // e-0002: 186800.00 x 158.78 / 186958.78 = 158.645... -> 158.65 (S = 1868 x 0.085 = 158.78).
    // e-0003: 508.00 x 86.36 / 594.36 = 73.811... -> 73.81. e-0007: 1199.00 x 16.915 / 1215.915 = 16.679... -> 16.68.
    // e-0102: 1870.00 x 158.95 / 2028.95 = 146.497... -> 146.50. e-0105: 210.00 x 17.85 / 227.85 = 16.451... -> 16.45.
    // e-0202: 245.00 x 20.825 / 265.825 = 19.193... -> 19.19.
    EXPECT_EQ(r.total.deferred, yuan("431.28"));  // 158.65 + 73.81 + 16.68 + 146.50 + 16.45 + 19.19
    // e-0002 lot: 500 taken by a front-desk debit: 158.65 x 500 / 1587.8 = 49.959 -> 49.96 released otherwise; the other 1368 expired on 2027-02-01: 158.65 - 49.96 = 108.69 on breakage.
    // e-0202 lot expired whole: 19.19 on breakage. Breakage: 108.69 + 19.19 = 127.88.
    EXPECT_EQ(r.total.released_on_breakage, yuan("127.88"));
    // e-0102: 1500 used by the debit: 146.50 x 1500 / 1589.5 = 138.250... -> 138.25; then the RO was reversed:
    // 146.50 - 138.25 = 8.25 derecognised. e-0105: its 210 pt paid off debt: all 16.45 released otherwise.
    EXPECT_EQ(r.total.derecognised, yuan("8.25"));
    EXPECT_EQ(r.total.released_otherwise, yuan("204.66"));  // 49.96 + 138.25 + 16.45
    // Left deferred: e-0003 73.81 + e-0007 16.68 = 90.49.
    EXPECT_EQ(r.total.deferred_balance(), yuan("90.49"));
}

TEST(Liability, AProductPast128BitsIsTheOverflowError) {
    book b;
    b.add("M1", "s1", "2025-01-10T00:00:00Z", entry_kind::earn, 4000000000000000000, "s1/spend", "spend");
    liability_options o = options("2030-01-01T00:00:00Z", "0.999999999999999999");
    // 9e16 minor units paid x (4e18 pt x 10 x 999999999999999999) is about 3.6e53: past 2^127.
    EXPECT_EQ(error_id([&] { liability(b.entries, sale("s1", "900000000000000.00"), o); }), "loyalty.arithmetic.overflow");
}

// A voucher bought with points pays part of a repair order: that part is neither consideration
// of the sale nor a benefit's discount.
TEST(Liability, AVoucherIsNeitherConsiderationNorDiscount) {
    const program_versions versions(reference_program());
    journal_runner run(versions);
    consideration_map paid;
    for (const char* text : {
             R"({"id":"v1","member":"M1","at":"2025-05-06T09:00:00+08:00","type":"enrol"})",
             R"({"id":"v2","member":"M1","at":"2025-05-06T10:00:00+08:00","type":"vehicle_purchase","vin":"V1","price":"186800.00"})",
             R"({"id":"v3","member":"M1","at":"2025-05-07T10:00:00+08:00","type":"redeem","reward":"labour-voucher-100"})",
             R"({"id":"v4","member":"M1","at":"2025-05-08T10:00:00+08:00","type":"repair_order","ro":"RO-V","lines":[{"kind":"labour","category":"maintenance","operation":"SERVICE-A","unit_price":"350.00"}]})",
         })
        ASSERT_TRUE(apply_recording(run, ev(text), paid).accepted()) << text;
    // 350.00 labour: labour-30-off pays 0.7 x 350.00 = 245.00 (105.00 off); the 100.00 voucher pays 100.00 of
    // the rest; the member pays 145.00, which earns 145 pt.
    const consideration& c = paid.at("v4");
    EXPECT_EQ(c.amount, yuan("145.00"));
    EXPECT_EQ(c.priced_points, points(145));
    ASSERT_EQ(c.discounts.size(), 1u);
    EXPECT_EQ(c.discounts[0], std::make_pair(std::string("labour-30-off"), yuan("105.00")));
    EXPECT_NE(c.basis.find("- vouchers 100.00 = 145.00"), std::string::npos) << c.basis;
    // The voucher cost 1000 pt: 500 + 1868 + 145 - 1000 = 1513 held, and lots agree with balances.
    const liability_report r = liability(run.entries(), paid, options());
    EXPECT_TRUE(r.notes.empty()) << r.notes.front();
    EXPECT_EQ(r.total.redeemed, points(1000));
    EXPECT_EQ(r.outstanding, points(500 + 1868 + 145 - 1000));
    // The voucher's own entries name the voucher as their lot; they are no lot of points.
    for (const liability_line& l : r.by_rule) EXPECT_NE(l.rule, "labour-voucher-100");
    EXPECT_EQ(r.lots.size(), 3u);  // welcome, vehicle-purchase, service-spend
}

}  // namespace unit_liability
