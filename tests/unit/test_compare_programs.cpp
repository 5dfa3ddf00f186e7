// What-if (audit/compare.hpp): one journal under the reference programme and under an edit that
// doubles accessory-spend's rate and makes labour-30-off a 40% discount. Figures worked by hand.
#include <gtest/gtest.h>

#include "loyalty/audit/compare.hpp"
#include "program_edit.hpp"

namespace unit_compare_programs {

using namespace loyalty;
using namespace loyalty::test;

namespace {

std::vector<event> journal() {
    return {
        ev(R"({"id":"e1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"enrol"})"),
        // 300.00 repair labour (labour-30-off applies) and 399.00 of accessories.
        ev(R"({"id":"e2","member":"M1","at":"2025-06-02T10:00:00+08:00","type":"repair_order","ro":"RO-1","lines":[)"
           R"({"kind":"labour","category":"repair","operation":"GEARBOX","unit_price":"300.00"},)"
           R"({"kind":"part","category":"accessory","operation":"MATS","unit_price":"399.00"}]})"),
    };
}

program_versions edited_programme() {
    return program_versions(io::load_program(edited([](nlohmann::json& j) {
        for (auto& r : j["earning_rules"])
            if (r["id"] == "accessory-spend") r["points_per_unit"] = "1";
        for (auto& b : j["benefits"])
            if (b["id"] == "labour-30-off") b["pay"] = "@@0.6@@";
    })));
}

const compare_line& line(const compare_report& r, compare_measure m, const std::string& id) {
    for (const compare_line& l : r.lines)
        if (l.measure == m && l.id == id) return l;
    throw std::runtime_error("no line " + std::string(to_string(m)) + " " + id);
}

compare_options options() {
    compare_options o;
    o.as_of = at("2026-01-01T00:00:00Z");
    o.redemption_rate = *decimal::parse("0.85");
    return o;
}

}  // namespace

TEST(ComparePrograms, ADoubledRateAndADeeperDiscountAreCostedPerRuleAndInTotal) {
    const compare_report r = compare_programmes(program_versions(reference_program()), edited_programme(), journal(), options());
    EXPECT_EQ(r.before.accepted, 2u);
    EXPECT_EQ(r.after.accepted, 2u);
    // Old: labour pays 0.7 x 300.00 = 210.00 (90.00 off) -> 210 pt; mats 399.00 x 0.5 = 199.5 -> 199 pt.
    // New: labour pays 0.6 x 300.00 = 180.00 (120.00 off) -> 180 pt; mats 399.00 x 1 = 399 pt.
    EXPECT_EQ(line(r, compare_measure::points_issued, "welcome").difference(), 0);
    const compare_line& service = line(r, compare_measure::points_issued, "service-spend");
    EXPECT_EQ(service.before, 210);
    EXPECT_EQ(service.after, 180);
    EXPECT_EQ(service.difference(), -30);
    const compare_line& accessory = line(r, compare_measure::points_issued, "accessory-spend");
    EXPECT_EQ(accessory.before, 199);
    EXPECT_EQ(accessory.after, 399);
    const compare_line& issued = line(r, compare_measure::points_issued, "");
    EXPECT_EQ(issued.before, 500 + 210 + 199);  // 909
    EXPECT_EQ(issued.after, 500 + 180 + 399);   // 1079
    EXPECT_EQ(issued.difference(), 170);
    const compare_line& discount = line(r, compare_measure::discount_given, "labour-30-off");
    EXPECT_TRUE(discount.is_money);
    EXPECT_EQ(discount.before, 9000);
    EXPECT_EQ(discount.after, 12000);
    EXPECT_EQ(line(r, compare_measure::discount_given, "").difference(), 3000);
    // No redemptions in this journal: the total line is there, at 0.
    EXPECT_EQ(line(r, compare_measure::points_redeemed, "").difference(), 0);
    // Liability at 0.10 a point: 909 pt = 90.90 before, 1079 pt = 107.90 after.
    EXPECT_EQ(line(r, compare_measure::points_outstanding, "").difference(), 170);
    EXPECT_EQ(line(r, compare_measure::liability_value, "").before, 9090);
    EXPECT_EQ(line(r, compare_measure::liability_value, "").after, 10790);
    // Deferred: before, 609.00 paid for 409 pt: S = 409 x 0.085 = 34.765; 609 x 34.765 / 643.765 = 32.8876 -> 32.89,
    // split 210:199 -> 16.886.. and 16.003..: floors 16.88 + 16.00, the cent to the larger remainder: 16.89 and 16.00.
    // After, 579.00 paid for 579 pt: S = 49.215; 579 x 49.215 / 628.215 = 45.359 -> 45.36, split 180:399 ->
    // 14.101.. and 31.258..: floors 14.10 + 31.25, the cent to accessory-spend: 14.10 and 31.26.
    EXPECT_EQ(line(r, compare_measure::deferred_revenue, "service-spend").before, 1689);
    EXPECT_EQ(line(r, compare_measure::deferred_revenue, "accessory-spend").before, 1600);
    EXPECT_EQ(line(r, compare_measure::deferred_revenue, "service-spend").after, 1410);
    EXPECT_EQ(line(r, compare_measure::deferred_revenue, "accessory-spend").after, 3126);
    EXPECT_EQ(line(r, compare_measure::deferred_revenue, "").difference(), 4536 - 3289);
    EXPECT_TRUE(r.notes.empty());
}

TEST(ComparePrograms, WithoutARateOrAPointValueThoseFiguresAreLeftOutAndSaidSo) {
    compare_options o = options();
    o.redemption_rate.reset();
    compare_report r = compare_programmes(program_versions(reference_program()), edited_programme(), journal(), o);
    EXPECT_EQ(line(r, compare_measure::liability_value, "").after, 10790);
    EXPECT_EQ(error_id([&] { line(r, compare_measure::deferred_revenue, ""); }), "other");
    ASSERT_EQ(r.notes.size(), 1u);
    // A point value given overrides the programmes': 0.05 a point.
    o.point_value = yuan("0.05");
    r = compare_programmes(program_versions(reference_program()), edited_programme(), journal(), o);
    EXPECT_EQ(line(r, compare_measure::liability_value, "").before, 909 * 5);
    // Events on or after as_of are not replayed.
    o.as_of = at("2025-06-02T02:00:00Z");  // the repair order's instant
    r = compare_programmes(program_versions(reference_program()), edited_programme(), journal(), o);
    EXPECT_EQ(line(r, compare_measure::points_issued, "").difference(), 0);
    EXPECT_EQ(r.before.accepted, 1u);
}

}  // namespace unit_compare_programs
