// Vehicles bought as a tier measure, and the day a held tier ends unless retained
// (tier_review_on(), shown in the statement). Figures by hand in the comments.
#include <gtest/gtest.h>

#include "loyalty/audit/statement.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/io/state_json.hpp"
#include "program_edit.hpp"
#include "tier_support.hpp"

namespace loyalty::test {
namespace unit_tier_vehicles {

std::vector<ledger_entry> tier_changes(const outcome& o) { return entries_of_kind(o, entry_kind::tier_change); }

// Silver on nothing; gold on 2 vehicles bought in the calendar year (kept on 1); platinum on
// 8000 qualifying points. 31 grace days, as in tier_support.hpp.
program fleet_buyers() {
    return tiered(R"({"period":"calendar_year"})", [](nlohmann::json& j) {
        j["tiers"]["levels"][1]["qualify"] = {{"vehicles", 2}};
        j["tiers"]["levels"][1]["retain"] = {{"vehicles", 1}};
    });
}

// A vehicle purchase of 100000.00: 1 pt per 100.00 = 1000 pt, 1 vehicle, a paid visit.
std::string purchase(const std::string& id, const std::string& when, const std::string& vin) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"vehicle_purchase","vin":")" + vin +
           R"(","price":"100000.00"})";
}

TEST(TierVehicles, UpgradeAtTheSecondVehicleWithinTheWindow) {
    member_run run(fleet_buyers());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    // First vehicle: 500 + 1000 = 1500 pt and 1 vehicle: still silver.
    EXPECT_TRUE(tier_changes(run.apply(purchase("v1", "2025-03-01T10:00:00+08:00", "VIN1"))).empty());
    EXPECT_EQ(run.state().tier, "silver");
    // Second: 2 vehicles >= 2, gold at once.
    const outcome o = run.apply(purchase("v2", "2025-09-01T10:00:00+08:00", "VIN2"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].reason,
              "silver -> gold: vehicles bought 2 >= 2 (qualify of gold) in calendar_year 2025-01-01..2025-12-31");
    EXPECT_EQ(run.state().tier, "gold");
    const qualifying_totals t = totals_in(fleet_buyers(), run.state(), day_range{on("2025-01-01"), on("2026-01-01")});
    EXPECT_EQ(t.vehicles, 2);
    EXPECT_EQ(t.visits, 2);  // each purchase is a paid visit too
    EXPECT_EQ(t.earned, points(2500));  // 500 + 1000 + 1000
}

TEST(TierVehicles, ReversalOfTheSecondVehicleUndoesTheUpgrade) {
    member_run run(fleet_buyers());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(purchase("v1", "2025-03-01T10:00:00+08:00", "VIN1"));
    run.apply(purchase("v2", "2025-09-01T10:00:00+08:00", "VIN2"));
    ASSERT_EQ(run.state().tier, "gold");
    const outcome o = run.apply(reverse_of("x1", "2025-09-05T10:00:00+08:00", "v2"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].reason, "gold -> silver: reverses v2, which gave the upgrade to gold: vehicles bought 1 < 2 "
                                         "(qualify of gold) in calendar_year 2025-01-01..2025-12-31");
    bool said = false;
    for (const trace_line& t : o.trace)
        said = said || t.text == "reverses v2: its 1000 qualifying pt, 100000.00 CNY spend, 1 paid visit(s) and 1 vehicle(s) "
                                 "bought no longer count toward tiers";
    EXPECT_TRUE(said);
    EXPECT_EQ(run.state().tier, "silver");
    EXPECT_EQ(totals_in(fleet_buyers(), run.state(), day_range{on("2025-01-01"), on("2026-01-01")}).vehicles, 1);
}

TEST(TierVehicles, VehiclesInDifferentWindowsDoNotAddUp) {
    member_run run(fleet_buyers());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(purchase("v1", "2025-12-31T10:00:00+08:00", "VIN1"));
    // 1 vehicle in 2025, 1 in 2026: neither year reaches 2.
    EXPECT_TRUE(tier_changes(run.apply(purchase("v2", "2026-01-01T10:00:00+08:00", "VIN2"))).empty());
    EXPECT_EQ(run.state().tier, "silver");
}

TEST(TierVehicles, RetainedOnOneVehicleAtTheReview) {
    member_run run(fleet_buyers());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(purchase("v1", "2025-03-01T10:00:00+08:00", "VIN1"));
    run.apply(purchase("v2", "2025-09-01T10:00:00+08:00", "VIN2"));  // gold
    run.apply(purchase("v3", "2026-06-01T10:00:00+08:00", "VIN3"));  // 1 in 2026 >= retain 1
    // 2025 is judged on 1 Feb 2026 (2 >= 1), 2026 on 1 Feb 2027 (1 >= 1): kept both times.
    EXPECT_TRUE(tier_changes(run.apply(tick("t1", "2027-02-01T00:00:00+08:00"))).empty());
    EXPECT_EQ(run.state().tier, "gold");
    // Nothing in 2027: 0 < 1 at the review of 1 Feb 2028.
    const outcome o = run.apply(tick("t2", "2028-02-01T00:00:00+08:00"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].reason,
              "gold -> silver: vehicles bought 0 < 1 (retain of gold) in calendar_year 2027-01-01..2027-12-31 and its "
              "31 grace day(s); qualifying points 0 >= 0 (retain of silver)");
}

TEST(TierVehicles, BadVehicleThresholdsAreRefused) {
    auto with = [](const std::function<void(nlohmann::json&)>& edit) {
        return edited([&](nlohmann::json& j) {
            j["tiers"] = tiers_section();
            edit(j);
        });
    };
    expect_refused(with([](nlohmann::json& j) {
                       j["tiers"]["levels"][1]["qualify"]["vehicles"] = 2;
                       j["tiers"]["levels"][2]["qualify"]["vehicles"] = 2;
                   }),
                   "loyalty.program.unordered_thresholds", "/tiers/levels/2/qualify/vehicles");
    expect_refused(with([](nlohmann::json& j) {
                       j["tiers"]["levels"][1]["qualify"]["vehicles"] = 2;
                       j["tiers"]["levels"][1]["retain"]["vehicles"] = 3;
                   }),
                   "loyalty.program.retain_above_qualify", "/tiers/levels/1/retain/vehicles");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][1]["qualify"]["vehicles"] = -1; }),
                   "loyalty.program.invalid_threshold", "/tiers/levels/1/qualify/vehicles");
}

TEST(TierVehicles, ThresholdAndRecordsRoundTrip) {
    const program p = fleet_buyers();
    const program back = io::load_program(io::program_to_json(p).dump());
    EXPECT_EQ(back.tiers->tiers.at(1).qualify.vehicles, 2);
    EXPECT_EQ(back.tiers->tiers.at(1).retain.vehicles, 1);
    EXPECT_EQ(io::program_to_json(back), io::program_to_json(p));

    member_run run(p);
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(purchase("v1", "2025-03-01T10:00:00+08:00", "VIN1"));
    const nlohmann::json snapshot = io::state_to_json(run.state());
    EXPECT_EQ(io::state_from_json(snapshot), run.state());
    ASSERT_EQ(snapshot["qualifying"].size(), 2u);  // the enrolment's 500 pt, the purchase
    EXPECT_EQ(snapshot["qualifying"][1]["vehicles"], 1);
    // A snapshot written before vehicles counted has no such key: it reads as 0.
    nlohmann::json old = snapshot;
    old["qualifying"][1].erase("vehicles");
    EXPECT_EQ(io::state_from_json(old).qualifying.at(1).vehicles, 0);
}

TEST(TierReview, TheDayTheHeldTierEndsUnlessRetained) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    // Silver is kept on 0 points: it cannot end.
    EXPECT_EQ(tier_review_on(tiered(), run.state()), std::nullopt);
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));  // 500 + 2500 = 3000: gold
    // Gold gained in 2025 is judged on 2025: 2026-01-01 + 31 grace days = 2026-02-01.
    EXPECT_EQ(tier_review_on(tiered(), run.state()), on("2026-02-01"));
    // Kept at that review (3000 >= 2000): next judged on 2026, review on 2027-02-01.
    run.apply(tick("t1", "2026-02-01T00:00:00+08:00"));
    ASSERT_EQ(run.state().tier, "gold");
    EXPECT_EQ(tier_review_on(tiered(), run.state()), on("2027-02-01"));
    // A programme without tiers, or a tier it does not have: no day.
    EXPECT_EQ(tier_review_on(points_only(), run.state()), std::nullopt);
}

TEST(TierReview, RollingWindowReviewIsCountedFromTheUpgrade) {
    const program p = tiered(R"({"period":"rolling_days","days":30})");
    member_run run(p);
    run.apply(enrol("e1", "2025-01-01T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-01-30T10:00:00+08:00", "2500.00"));  // 3000 in 30 days: gold
    ASSERT_EQ(run.state().tier, "gold");
    // Judged on 30 Jan .. 28 Feb (30 days, ends 1 Mar), then 31 grace days: 1 Mar + 31 = 1 Apr.
    EXPECT_EQ(tier_review_on(p, run.state()), on("2025-04-01"));
}

TEST(TierReview, StatementTellsTheTierAndItsEnd) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));
    const statement st = make_statement(tiered(), run.state(), run.entries(), at("2025-07-01T10:00:00+08:00"));
    EXPECT_EQ(st.tier, "gold");
    EXPECT_EQ(st.tier_review_on, on("2026-02-01"));
    const statement none = make_statement(points_only(), member_state("M2"), {}, at("2025-07-01T10:00:00+08:00"));
    EXPECT_EQ(none.tier, "");
    EXPECT_EQ(none.tier_review_on, std::nullopt);
}

}  // namespace unit_tier_vehicles
}  // namespace loyalty::test
