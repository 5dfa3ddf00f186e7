// A member's benefit usage is a log of compact records (member/benefit_use_log.hpp): a use's
// benefit id and VIN are numbers in the log's own name table, and the rest of the engine sees
// each use written out as a benefit_use. Figures worked by hand.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/member/benefit_use_log.hpp"

#include "test_support.hpp"

namespace unit_benefit_use_log {

using namespace loyalty;
using test::on;

const benefit_use wax_march{"waxing", on("2025-03-02"), 1, 28000, "RO-1"};
const benefit_use wax_june{"waxing", on("2025-06-10"), 1, 28000, "RO-2"};
const benefit_use labour_june{"labour-30-off", on("2025-06-10"), 0, 8100, "RO-2"};
const benefit_use oil_on_vin{"oil-change-labour", on("2024-11-20"), 1, 12000, "RO-0", "LSVAU2180N2183294", 15010};

TEST(BenefitUseLog, UsesComeBackWrittenOutInTheOrderTheyWereMade) {
    benefit_use_log log{wax_march, labour_june, oil_on_vin};
    log.push_back(wax_june);
    const std::vector<benefit_use> expected{wax_march, labour_june, oil_on_vin, wax_june};
    EXPECT_EQ(log.all(), expected);
    ASSERT_EQ(log.size(), 4u);
    EXPECT_EQ(log[2], oil_on_vin);  // the VIN and the odometer reading kept
    std::vector<benefit_use> iterated;
    for (const benefit_use& u : log) iterated.push_back(u);
    EXPECT_EQ(iterated, expected);
    // 64 bytes a use (two 4-byte numbers, the day and whether there is a reading, two counts, the
    // reading, the reference in 24 bytes).
    EXPECT_EQ(sizeof(benefit_use_log::record), 64u);
}

TEST(BenefitUseLog, KeepsReferencesOfUpTo23BytesWithoutTheHeapAndLongerOnes) {
    benefit_use tenth_visit = oil_on_vin;
    tenth_visit.reference = "RO-25-0000018-12";  // 16 bytes: past a short_id's 15
    benefit_use long_claim = wax_march;
    long_claim.reference = "CLAIM-2025-PICC-000000012345";  // 28 bytes: on the heap
    benefit_use no_reading = oil_on_vin;
    no_reading.odometer_km.reset();
    benefit_use zero_km = oil_on_vin;
    zero_km.odometer_km = 0;  // a reading of 0 km is a reading, not its absence
    benefit_use_log log{tenth_visit, long_claim, no_reading, zero_km};
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{tenth_visit, long_claim, no_reading, zero_km}));
    // Only the long claim's bytes lie beyond the records and names: the same log with a short
    // reference in its place takes 28 bytes less.
    const benefit_use_log same_shape{tenth_visit, wax_march, no_reading, zero_km};
    EXPECT_EQ(log.heap_bytes(), same_shape.heap_bytes() + 28u);
    EXPECT_TRUE(log.erase(zero_km));
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{tenth_visit, long_claim, no_reading}));
    EXPECT_TRUE(log.erase(no_reading));
    EXPECT_TRUE(log.erase(long_claim));
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{tenth_visit}));
}

TEST(BenefitUseLog, UsedWithinCountsOneBenefitOnTheDaysOfTheRange) {
    const benefit_use_log log{wax_march, labour_june, wax_june, oil_on_vin};
    const day_range first_half{on("2025-01-01"), on("2025-07-01")};
    EXPECT_EQ(log.used_within("waxing", first_half).uses, 2);
    EXPECT_EQ(log.used_within("waxing", first_half).discount, 56000);
    EXPECT_EQ(log.used_within("waxing", day_range{on("2025-04-01"), on("2025-07-01")}).uses, 1);
    EXPECT_EQ(log.used_within("labour-30-off", first_half).discount, 8100);
    EXPECT_EQ(log.used_within("labour-30-off", first_half).uses, 0);
    // A benefit the member never used, and the end of a range, which is not in it.
    EXPECT_EQ(log.used_within("car-lecture", first_half).uses, 0);
    EXPECT_EQ(log.used_within("waxing", day_range{on("2025-01-01"), on("2025-03-02")}).uses, 0);
    // The free function the quotas call reads it the same way.
    EXPECT_EQ(used_within(log, "waxing", first_half).discount, 56000);
}

TEST(BenefitUseLog, EraseAndReplaceTouchTheFirstEqualUseOnly) {
    benefit_use_log log{wax_march, wax_june, wax_june};
    benefit_use other_order = wax_june;
    other_order.reference = "RO-9";
    EXPECT_FALSE(log.erase(other_order));  // no use with that reference
    EXPECT_FALSE(log.erase(labour_june));  // a benefit it never held
    EXPECT_EQ(log.size(), 3u);
    benefit_use half = wax_june;
    half.discount = 14000;
    EXPECT_TRUE(log.replace(wax_june, half));
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{wax_march, half, wax_june}));
    EXPECT_TRUE(log.erase(wax_june));
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{wax_march, half}));
}

TEST(BenefitUseLog, ForgettingKeepsVehicleScopedUses) {
    benefit_use_log log{oil_on_vin, wax_march, wax_june};
    log.drop_member_uses_before(on("2025-06-10"));
    // wax_march went; the VIN's use of 2024 stays (it follows the vehicle); wax_june is on the day.
    EXPECT_EQ(log.all(), (std::vector<benefit_use>{oil_on_vin, wax_june}));
}

TEST(BenefitUseLog, SelectWritesOutOnlyTheUsesItKeeps) {
    const benefit_use_log log{wax_march, oil_on_vin, wax_june};
    const auto on_vin = log.select([](std::string_view, std::string_view vin) { return vin == "LSVAU2180N2183294"; });
    EXPECT_EQ(on_vin, std::vector<benefit_use>{oil_on_vin});
    const auto waxings = log.select([](std::string_view benefit, std::string_view) { return benefit == "waxing"; });
    EXPECT_EQ(waxings, (std::vector<benefit_use>{wax_march, wax_june}));
}

// Two logs of the same uses are equal whatever numbers their names got: `one` met waxing first,
// `other` labour-30-off.
TEST(BenefitUseLog, LogsOfTheSameUsesAreEqualWhateverTheirNamesNumbers) {
    benefit_use_log one{wax_march, labour_june, wax_june};
    ASSERT_TRUE(one.erase(wax_march));
    const benefit_use_log other{labour_june, wax_june};
    EXPECT_TRUE(one == other);
    benefit_use_log third{labour_june, wax_march};
    EXPECT_FALSE(one == third);
    EXPECT_TRUE(one != third);
}

}  // namespace unit_benefit_use_log
