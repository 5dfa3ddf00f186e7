// Tiers: upgrade within the window, downgrade at the window's end + grace against `retain`,
// rolling windows, reversal of the upgrading event, tier multipliers, rewards limited to tiers
// and manual assignment. Programme in tier_support.hpp; figures by hand in the comments.
#include <gtest/gtest.h>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/io/state_json.hpp"
#include "loyalty/tier/standing.hpp"
#include "program_edit.hpp"
#include "tier_support.hpp"

namespace loyalty::test {
namespace unit_tier {

std::vector<ledger_entry> tier_changes(const outcome& o) { return entries_of_kind(o, entry_kind::tier_change); }

TEST(Tier, BaseTierAtEnrolmentAndUpgradeMidYear) {
    member_run run(tiered());
    // Enrolment: the welcome 500 counts as qualifying points; silver needs 0.
    const outcome joined = run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    ASSERT_EQ(tier_changes(joined).size(), 1u);
    EXPECT_EQ(run.state().tier, "silver");
    EXPECT_EQ(tier_changes(joined)[0].reason,
              "no tier -> silver: qualifying points 500 >= 0 (qualify of silver) in calendar_year 2025-01-01..2025-12-31");
    // 2499.00 of maintenance earns 2499: 500 + 2499 = 2999 < 3000, still silver.
    EXPECT_TRUE(tier_changes(run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2499.00"))).empty());
    EXPECT_EQ(run.state().tier, "silver");
    // One more point crosses the threshold: 2999 + 1 = 3000 >= 3000, gold at once, dated at the RO.
    const outcome up = run.apply(simple_ro("ro2", "2025-06-16T10:00:00+08:00", "1.00"));
    ASSERT_EQ(tier_changes(up).size(), 1u);
    const ledger_entry change = tier_changes(up)[0];
    EXPECT_EQ(change.amount, points(0));
    EXPECT_EQ(change.rule, "gold");
    EXPECT_EQ(change.at, at("2025-06-16T10:00:00+08:00"));
    EXPECT_EQ(change.reason,
              "silver -> gold: qualifying points 3000 >= 3000 (qualify of gold) in calendar_year 2025-01-01..2025-12-31");
    EXPECT_EQ(run.state().tier, "gold");
    EXPECT_EQ(run.state().tier_since, at("2025-06-16T10:00:00+08:00"));
    // Spending points does not lower qualifying points.
    run.apply(adjust("a1", "2025-06-17T10:00:00+08:00", -2000));
    EXPECT_EQ(totals_in(tiered(), run.state(), day_range{on("2025-01-01"), on("2026-01-01")}).earned, points(3000));
    EXPECT_EQ(run.state().tier, "gold");
}

TEST(Tier, MultiplierOfTheTierIsInTheFigures) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));  // 500 + 2500 = 3000: gold
    ASSERT_EQ(run.state().tier, "gold");
    // 1000.00 x 1 pt per 1.00 x 1.5 (gold) = 1500.
    const outcome o = run.apply(simple_ro("ro2", "2025-07-01T10:00:00+08:00", "1000.00"));
    const auto earned = entries_of_kind(o, entry_kind::earn);
    ASSERT_EQ(earned.size(), 1u);
    EXPECT_EQ(earned[0].amount, points(1500));
    EXPECT_NE(earned[0].reason.find("x 1.5 (tier gold)"), std::string::npos) << earned[0].reason;
}

// Gold gained in 2025 is judged at the end of 2025 (kept: 3000 >= 2000) and of 2026, on
// 1 Feb 2027 00:00 in Shanghai (31 grace days), which is 31 Jan 2027 16:00 UTC.
member_run gold_since_2025() {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));  // 3000 in 2025: gold
    // 2026: 1000.00 x 1.5 = 1500 qualifying points, below gold's retain of 2000.
    const outcome o = run.apply(simple_ro("ro2", "2026-05-01T10:00:00+08:00", "1000.00"));
    EXPECT_TRUE(tier_changes(o).empty());  // the 2025 review (1 Feb 2026) kept gold
    bool kept = false;
    for (const trace_line& t : o.trace)
        kept = kept || t.text == "gold kept at the review of 2026-02-01: qualifying points 3000 >= 2000 (retain) in "
                                 "calendar_year 2025-01-01..2025-12-31";
    EXPECT_TRUE(kept);
    return run;
}

TEST(Tier, DowngradeAfterGraceAtTheProgrammesMidnightNotUtcs) {
    member_run run = gold_since_2025();
    // One second before midnight in Shanghai (still 31 Jan in UTC and in Shanghai): no review yet.
    EXPECT_TRUE(tier_changes(run.apply(tick("t1", "2027-01-31T15:59:59Z"))).empty());
    EXPECT_EQ(run.state().tier, "gold");
    // At 16:00 UTC it is 1 Feb in Shanghai: the review falls due and is dated then.
    const outcome o = run.apply(tick("t2", "2027-01-31T16:00:00Z"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    const ledger_entry down = tier_changes(o)[0];
    EXPECT_EQ(down.at, at("2027-02-01T00:00:00+08:00"));
    EXPECT_EQ(down.reason, "gold -> silver: qualifying points 1500 < 2000 (retain of gold) in calendar_year "
                           "2026-01-01..2026-12-31 and its 31 grace day(s); qualifying points 1500 >= 0 (retain of silver)");
    EXPECT_EQ(run.state().tier, "silver");
}

TEST(Tier, DowngradeIsPostedLazilyByTheNextEventDatedAtTheReview) {
    member_run run = gold_since_2025();
    const outcome o = run.apply(simple_ro("ro3", "2027-03-01T10:00:00+08:00", "10.00"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].at, at("2027-02-01T00:00:00+08:00"));
    // The RO is earned at silver: 10.00 x 1 = 10, no tier multiplier.
    EXPECT_EQ(entries_of_kind(o, entry_kind::earn).at(0).amount, points(10));
}

TEST(Tier, PointsEarnedInTheGraceDaysRetainTheTier) {
    member_run run = gold_since_2025();
    // 20 Jan 2027: 2000.00 x 1.5 = 3000 qualifying points in the grace days, >= 2000.
    run.apply(simple_ro("ro3", "2027-01-20T10:00:00+08:00", "2000.00"));
    const outcome o = run.apply(tick("t1", "2027-02-01T00:00:00+08:00"));
    EXPECT_TRUE(tier_changes(o).empty());
    EXPECT_EQ(run.state().tier, "gold");
}

TEST(Tier, DowngradeDropsAtMostMaxSteps) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-02-01T10:00:00+08:00", "7500.00"));  // 500 + 7500 = 8000: platinum
    ASSERT_EQ(run.state().tier, "platinum");
    // Nothing in 2026: reviewed on 1 Feb 2027 with 0 < 6000; silver's retain is met but one step only.
    const outcome o = run.apply(tick("t1", "2027-02-01T00:00:00+08:00"));
    // The 2025 review (1 Feb 2026: 8000 >= 6000) keeps platinum; the 2026 one drops one tier.
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(run.state().tier, "gold");
    EXPECT_NE(tier_changes(o)[0].reason.find("at most 1 tier(s) down per review"), std::string::npos);
    EXPECT_EQ(tier_changes(o)[0].at, at("2027-02-01T00:00:00+08:00"));
}

// Rolling 30 days: on day D the window is D-29..D. The welcome 500 of 1 Jan counts up to 30 Jan
// and falls off on 31 Jan.
TEST(Tier, RollingWindowFallsOffDayByDay) {
    const program p = tiered(R"({"period":"rolling_days","days":30})");
    for (const char* day : {"2025-01-30", "2025-01-31"}) {
        member_run run(p);
        run.apply(enrol("e1", "2025-01-01T10:00:00+08:00"));                 // 500
        run.apply(simple_ro("ro1", "2025-01-02T10:00:00+08:00", "1500.00"));  // 1500
        const outcome o = run.apply(simple_ro("ro2", std::string(day) + "T10:00:00+08:00", "1000.00"));
        if (std::string(day) == "2025-01-30") {
            // 500 + 1500 + 1000 = 3000 in 2025-01-01..2025-01-30: gold.
            ASSERT_EQ(tier_changes(o).size(), 1u);
            EXPECT_EQ(tier_changes(o)[0].reason, "silver -> gold: qualifying points 3000 >= 3000 (qualify of gold) in "
                                                 "rolling 30 days 2025-01-01..2025-01-30");
        } else {
            // 1500 + 1000 = 2500 in 2025-01-02..2025-01-31: the welcome fell off.
            EXPECT_TRUE(tier_changes(o).empty());
            EXPECT_EQ(run.state().tier, "silver");
        }
    }
}

TEST(Tier, ReversalOfTheUpgradingEventUndoesTheUpgrade) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));  // 3000: gold
    ASSERT_EQ(run.state().tier, "gold");
    const outcome o = run.apply(reverse_of("x1", "2025-06-20T10:00:00+08:00", "ro1"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].reason,
              "gold -> silver: reverses ro1, which gave the upgrade to gold: qualifying points 500 < 3000 (qualify of gold) "
              "in calendar_year 2025-01-01..2025-12-31");
    EXPECT_EQ(run.state().tier, "silver");
    EXPECT_TRUE(run.state().tier_upgrade_event.empty());
}

TEST(Tier, ReversalOfAnotherEventKeepsTheTier) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));  // 3000: gold
    run.apply(simple_ro("ro2", "2025-06-16T10:00:00+08:00", "100.00"));   // 150 more
    const outcome o = run.apply(reverse_of("x1", "2025-06-20T10:00:00+08:00", "ro2"));
    EXPECT_TRUE(tier_changes(o).empty());
    EXPECT_EQ(run.state().tier, "gold");
}

TEST(Tier, RewardLimitedToGoldUsesTheMembersTier) {
    member_run run(tiered(R"({"period":"calendar_year"})", [](nlohmann::json& j) { j["rewards"][0]["tiers"] = {"gold"}; }));
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-02-01T10:00:00+08:00", "1000.00"));  // 1500 pt, silver
    const std::string redeem = R"(,"reward":"labour-voucher-100")";
    const outcome refused = run.apply(simple("r1", "2025-02-02T10:00:00+08:00", "redeem", redeem));
    EXPECT_EQ(refused.refused, refusal::tier_not_allowed);
    EXPECT_EQ(refused.message, "reward 'labour-voucher-100' is limited to tiers gold; the member holds silver");
    run.apply(simple_ro("ro2", "2025-02-03T10:00:00+08:00", "1500.00"));  // 3000 qualifying: gold
    EXPECT_TRUE(run.apply(simple("r2", "2025-02-04T10:00:00+08:00", "redeem", redeem)).accepted());
}

TEST(Tier, AssignTierIsOnTheLedgerAndJudgedAtTheWindowsEnd) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    const outcome o = run.apply(assign("m1", "2025-01-10T11:00:00+08:00", "platinum"));
    ASSERT_TRUE(o.accepted());
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].reason,
              "silver -> platinum: assigned by op-7: tier match from another brand; judged on calendar_year "
              "2025-01-01..2025-12-31 against its retain threshold");
    EXPECT_EQ(run.state().tier, "platinum");
    const outcome unknown = run.apply(assign("m2", "2025-01-11T11:00:00+08:00", "diamond"));
    EXPECT_EQ(unknown.refused, refusal::unknown_tier);
    EXPECT_EQ(run.apply(reverse_of("x1", "2025-01-12T10:00:00+08:00", "m1")).refused, refusal::not_reversible);
    // 2025 brings 500 < 6000: one step down at the review on 1 Feb 2026.
    run.apply(tick("t1", "2026-02-01T00:00:00+08:00"));
    EXPECT_EQ(run.state().tier, "gold");
}

TEST(Tier, BenefitLimitedToTiersAppliesOnlyToThem) {
    nlohmann::json j = nlohmann::json::parse(io::reference_program_json());
    j.erase("multipliers");
    j["tiers"] = tiers_section();
    for (auto& b : j["benefits"]) b["tiers"] = {"gold"};
    const program p = io::load_program(j.dump());
    member_state s("M1");
    s = apply(p, s, ev(enrol("e1", "2025-05-06T09:00:00+08:00"))).state;
    ASSERT_EQ(s.tier, "silver");
    const event ro = ev(simple_ro("q1", "2025-05-06T10:00:00+08:00", "800.00"));
    const priced_order silver = price(p, s, std::get<events::repair_order>(ro.body), ro.at);
    EXPECT_EQ(silver.net_total, yuan("800.00"));  // no discount for silver
    bool said = false;
    for (const std::string& n : silver.lines.at(0).notes)
        said = said || n.find("limited to tiers gold; the member holds silver") != std::string::npos;
    EXPECT_TRUE(said);
    s.tier = "gold";
    EXPECT_LT(price(p, s, std::get<events::repair_order>(ro.body), ro.at).net_total, yuan("800.00"));
}

// The tiered club with three calendar months of grace instead of 31 days.
program with_grace_months(int months = 3) {
    return tiered(R"({"period":"calendar_year"})", [months](nlohmann::json& j) {
        j["tiers"].erase("grace_days");
        j["tiers"]["grace_months"] = months;
    });
}

// Gold from 2025 (500 + 2500.00 = 3000), then 1000.00 x 1.5 = 1500 in 2026. With three months of
// grace the 2025 window is reviewed on 1 April 2026 and the 2026 window on 1 April 2027.
member_run gold_since_2025_with_grace_months() {
    member_run run(with_grace_months());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));
    EXPECT_EQ(run.state().tier, "gold");
    const outcome o = run.apply(simple_ro("ro2", "2026-05-01T10:00:00+08:00", "1000.00"));
    bool kept = false;
    for (const trace_line& t : o.trace)
        kept = kept || t.text == "gold kept at the review of 2026-04-01: qualifying points 3000 >= 2000 (retain) in "
                                 "calendar_year 2025-01-01..2025-12-31";
    EXPECT_TRUE(kept);
    EXPECT_EQ(tier_review_on(with_grace_months(), run.state()), on("2027-04-01"));
    return run;
}

TEST(Tier, GraceInMonthsEndsOnTheSameDayEveryYear) {
    member_run run = gold_since_2025_with_grace_months();
    // 2027 is no leap year: 90 days after 1 January would be 1 April too; a second before it
    // nothing is due.
    EXPECT_TRUE(tier_changes(run.apply(tick("t1", "2027-03-31T23:59:59+08:00"))).empty());
    const outcome o = run.apply(tick("t2", "2027-04-01T00:00:00+08:00"));
    ASSERT_EQ(tier_changes(o).size(), 1u);
    EXPECT_EQ(tier_changes(o)[0].at, at("2027-04-01T00:00:00+08:00"));
    EXPECT_EQ(tier_changes(o)[0].reason, "gold -> silver: qualifying points 1500 < 2000 (retain of gold) in calendar_year "
                                         "2026-01-01..2026-12-31 and its 3 grace month(s); qualifying points 1500 >= 0 "
                                         "(retain of silver)");
    EXPECT_EQ(run.state().tier, "silver");
}

TEST(Tier, PointsEarnedInTheGraceMonthsRetainTheTierAndTheNextReviewStaysOnTheFirstOfApril) {
    member_run run = gold_since_2025_with_grace_months();
    // 20 March 2027, in the grace: 2000.00 x 1.5 = 3000 >= 2000.
    run.apply(simple_ro("ro3", "2027-03-20T10:00:00+08:00", "2000.00"));
    const outcome o = run.apply(tick("t1", "2027-04-01T00:00:00+08:00"));
    EXPECT_TRUE(tier_changes(o).empty());
    bool kept = false;
    for (const trace_line& t : o.trace)
        kept = kept || t.text == "gold kept at the review of 2027-04-01: qualifying points 3000 >= 2000 in the 3 grace "
                                 "month(s) (retain) in calendar_year 2026-01-01..2026-12-31";
    EXPECT_TRUE(kept) << (o.trace.empty() ? "" : o.trace.back().text);
    EXPECT_EQ(run.state().tier, "gold");
    // The 2027 window ends on 1 January 2028, a leap year: 90 days would end on 31 March, three
    // months on 1 April.
    EXPECT_EQ(tier_review_on(with_grace_months(), run.state()), on("2028-04-01"));
}

// A month without the window's end day ends the grace on its last day.
TEST(Tier, GraceMonthsClampToTheEndOfAShortMonth) {
    const tier_grace one_month{0, 1};
    EXPECT_EQ(one_month.review_of(on("2026-01-31")), on("2026-02-28"));
    EXPECT_EQ(one_month.review_of(on("2028-01-31")), on("2028-02-29"));
    EXPECT_EQ((tier_grace{0, 3}).review_of(on("2026-01-01")), on("2026-04-01"));
    EXPECT_EQ((tier_grace{31, 0}).review_of(on("2026-01-01")), on("2026-02-01"));
    EXPECT_EQ((tier_grace{}).review_of(on("2026-01-01")), on("2026-01-01"));
    EXPECT_EQ((tier_grace{0, 3}).describe(), "3 grace month(s)");
}

TEST(Tier, GraceMonthsAreCheckedAndRoundTrip) {
    auto with = [](const std::function<void(nlohmann::json&)>& edit) {
        return edited([&](nlohmann::json& j) {
            j["tiers"] = tiers_section();
            edit(j);
        });
    };
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["grace_months"] = 3; }), "loyalty.program.invalid_period",
                   "/tiers/grace_months");  // beside grace_days
    for (const int months : {0, 25})
        expect_refused(with([months](nlohmann::json& j) {
                           j["tiers"].erase("grace_days");
                           j["tiers"]["grace_months"] = months;
                       }),
                       "loyalty.program.invalid_period", "/tiers/grace_months");
    const program p = with_grace_months(3);
    const nlohmann::json written = io::program_to_json(p);
    EXPECT_EQ(written["tiers"]["grace_months"], 3);
    EXPECT_FALSE(written["tiers"].contains("grace_days"));
    const program back = io::load_program(written.dump());
    ASSERT_TRUE(back.tiers);
    EXPECT_EQ(back.tiers->grace, (tier_grace{0, 3}));
    EXPECT_EQ(io::program_to_json(back), written);
}

// standing_of(): gold since 2025, 1500 qualifying points in 2026 (1000.00 x 1.5), retain 2000,
// platinum's qualify 8000, 31 grace days.
TEST(TierStanding, InTheWindowTheGraceAndAfterPointsInTheGrace) {
    member_run run = gold_since_2025();
    const program p = tiered();
    const money zero = yuan("0.00");
    const std::optional<tier_standing> june = standing_of(p, run.state(), at("2026-06-01T10:00:00+08:00"));
    ASSERT_TRUE(june);
    EXPECT_EQ(june->window, (day_range{on("2026-01-01"), on("2027-01-01")}));
    EXPECT_EQ(june->totals.earned, points(1500));
    EXPECT_EQ(june->totals.spend, yuan("1000.00"));
    EXPECT_EQ(june->totals.visits, 1);
    EXPECT_EQ(june->held, "gold");
    ASSERT_TRUE(june->keep);
    EXPECT_EQ(june->keep->judged, (day_range{on("2026-01-01"), on("2027-01-01")}));
    EXPECT_EQ(june->keep->judged_totals.earned, points(1500));
    EXPECT_EQ(june->keep->review_on, on("2027-02-01"));
    EXPECT_EQ(june->keep->retain.qualifying_points, points(2000));
    EXPECT_FALSE(june->keep->met);
    EXPECT_FALSE(june->keep->grace);
    EXPECT_EQ(june->keep->grace_totals.spend, zero);
    ASSERT_TRUE(june->next);
    EXPECT_EQ(june->next->tier, "platinum");
    EXPECT_EQ(june->next->qualify.qualifying_points, points(8000));
    EXPECT_FALSE(june->in_grace_until);

    // 15 January 2027: 2026 is judged on 1 February; the grace runs, 2027's window is empty.
    const std::optional<tier_standing> grace = standing_of(p, run.state(), at("2027-01-15T10:00:00+08:00"));
    ASSERT_TRUE(grace && grace->keep);
    EXPECT_EQ(grace->window, (day_range{on("2027-01-01"), on("2028-01-01")}));
    EXPECT_EQ(grace->totals.earned, points(0));
    EXPECT_EQ(grace->keep->judged_totals.earned, points(1500));
    EXPECT_EQ(grace->keep->grace, (day_range{on("2027-01-01"), on("2027-02-01")}));
    EXPECT_EQ(grace->in_grace_until, on("2027-02-01"));
    EXPECT_FALSE(grace->keep->met);

    // 2000.00 x 1.5 = 3000 on 20 January, in the grace: retain is met there.
    run.apply(simple_ro("ro3", "2027-01-20T10:00:00+08:00", "2000.00"));
    const std::optional<tier_standing> kept = standing_of(p, run.state(), at("2027-01-25T10:00:00+08:00"));
    ASSERT_TRUE(kept && kept->keep);
    EXPECT_EQ(kept->keep->grace_totals.earned, points(3000));
    EXPECT_TRUE(kept->keep->met);
    EXPECT_EQ(kept->totals.earned, points(3000));  // 2027's window too
    EXPECT_EQ(kept->in_grace_until, on("2027-02-01"));
}

TEST(TierStanding, TheBaseTierHasNothingToKeepAndNoTiersNoStanding) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));  // welcome 500: silver, the base tier
    const std::optional<tier_standing> st = standing_of(tiered(), run.state(), at("2025-02-01T10:00:00+08:00"));
    ASSERT_TRUE(st);
    EXPECT_EQ(st->held, "silver");
    EXPECT_FALSE(st->keep);  // silver is kept on nothing
    ASSERT_TRUE(st->next);
    EXPECT_EQ(st->next->tier, "gold");
    EXPECT_EQ(st->totals.earned, points(500));
    EXPECT_FALSE(standing_of(reference_program(), run.state(), at("2025-02-01T10:00:00+08:00")));
}

TEST(Tier, BadTiersAreRefusedWithIdAndPointer) {
    auto with = [](const std::function<void(nlohmann::json&)>& edit) {
        return edited([&](nlohmann::json& j) {
            j["tiers"] = tiers_section();
            edit(j);
        });
    };
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][1]["qualify"]["points"] = 0; }),
                   "loyalty.program.unordered_thresholds", "/tiers/levels/1/qualify/points");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][2]["qualify"]["points"] = 2500; }),
                   "loyalty.program.unordered_thresholds", "/tiers/levels/2/qualify/points");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][1]["retain"]["points"] = 3500; }),
                   "loyalty.program.retain_above_qualify", "/tiers/levels/1/retain/points");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][2]["id"] = "gold"; }),
                   "loyalty.program.duplicate_id", "/tiers/levels/2/id");
    expect_refused(with([](nlohmann::json& j) { j["rewards"][0]["tiers"] = {"gold", "diamond"}; }),
                   "loyalty.program.unknown_tier", "/rewards/0/tiers/1");
    expect_refused(with([](nlohmann::json& j) { j["benefits"][0]["tiers"] = {"bronze"}; }),
                   "loyalty.program.unknown_tier", "/benefits/0/tiers/0");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["window"] = {{"period", "rolling_days"}, {"days", 0}}; }),
                   "loyalty.program.invalid_period", "/tiers/window/days");
    expect_refused(with([](nlohmann::json& j) { j["tiers"]["levels"][1]["multiplier"] = "0"; }),
                   "loyalty.program.invalid_rate", "/tiers/levels/1/multiplier");
}

TEST(Tier, SectionRoundTripsThroughTheWriter) {
    const program p = tiered(R"({"period":"rolling_days","days":365})");
    const program back = io::load_program(io::program_to_json(p).dump());
    ASSERT_TRUE(back.tiers);
    EXPECT_EQ(io::program_to_json(back), io::program_to_json(p));
    EXPECT_EQ(back.tiers->window.days, 365);
    EXPECT_EQ(back.tiers->tiers.at(1).retain.qualifying_points, points(2000));
    EXPECT_EQ(back.tiers->max_steps, 1);
}

TEST(Tier, StateWithTierSurvivesASnapshot) {
    member_run run(tiered());
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    run.apply(simple_ro("ro1", "2025-06-15T10:00:00+08:00", "2500.00"));
    const member_state back = io::state_from_json(io::state_to_json(run.state()));
    EXPECT_EQ(back, run.state());
    EXPECT_EQ(back.tier, "gold");
    EXPECT_EQ(back.qualifying.size(), 2u);
}

TEST(Tier, AssignTierEventJsonRoundTrips) {
    const event e = ev(assign("m1", "2025-01-10T11:00:00+08:00", "gold"));
    const auto* a = std::get_if<events::assign_tier>(&e.body);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->tier, "gold");
    EXPECT_EQ(a->operator_id, "op-7");
    EXPECT_EQ(io::event_to_json(io::event_from_json(io::event_to_json(e), cny())), io::event_to_json(e));
    EXPECT_THROW(ev(R"({"id":"m2","member":"M1","at":"2025-01-10T11:00:00+08:00","type":"assign_tier","tier":"gold"})"),
                 error);  // reason and operator are required
}

}  // namespace unit_tier
}  // namespace loyalty::test
