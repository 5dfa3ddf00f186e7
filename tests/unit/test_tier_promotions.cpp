// Promotions limited to tiers (issue 6 with the tiers of issue 5), and referral rewards counting
// toward the referrer's tier. The tiered club of tier_support.hpp: silver (base), gold from 3000
// qualifying points (x1.5), platinum from 8000 (x2); 1 pt per 1.00 of maintenance; welcome 500.
#include <gtest/gtest.h>

#include "program_edit.hpp"
#include "tier_support.hpp"

namespace loyalty::test {
namespace unit_tier_promotions {

points earned_by(const outcome& o, const std::string& rule) {
    points n;
    for (const ledger_entry& e : o.entries)
        if (e.kind == entry_kind::earn && e.rule == rule) n += e.amount;
    return n;
}

// A June campaign: double service points for gold and platinum only, and a 100-point gold
// bonus rule on every repair order.
program with_tier_promotions() {
    return tiered(R"({"period":"calendar_year"})", [](nlohmann::json& j) {
        j["multipliers"] = nlohmann::json::parse(R"([{"id": "june-gold-double", "factor": "2",
            "rules": ["service-spend"], "tiers": ["gold", "platinum"],
            "from": "2025-06-01T00:00:00+08:00", "to": "2025-07-01T00:00:00+08:00"}])");
        j["earning_rules"].push_back({{"id", "gold-visit"},
                                      {"type", "fixed_bonus"},
                                      {"on", {"repair_order"}},
                                      {"points", 100},
                                      {"tiers", {"gold"}}});
    });
}

TEST(TierPromotions, AMultiplierAndABonusForGoldOnly) {
    member_run run(with_tier_promotions());
    ASSERT_TRUE(run.apply(enrol("e1", "2025-01-10T10:00:00+08:00")).accepted());
    EXPECT_EQ(run.state().tier, "silver");
    // Silver in June: 400.00 earns 400 x 1 (no campaign, no gold bonus); the gold rule says why.
    const outcome silver = run.apply(simple_ro("o1", "2025-06-05T10:00:00+08:00", "400.00"));
    EXPECT_EQ(earned_by(silver, "service-spend"), points(400));
    EXPECT_EQ(earned_by(silver, "gold-visit"), points(0));
    bool said = false;
    for (const trace_line& t : silver.trace)
        if (t.rule == "gold-visit" && t.text == "for tiers gold only; the member holds silver") said = true;
    EXPECT_TRUE(said);
    // 500 + 400 = 900 qualifying; 2100.00 more earns 2100 (silver) -> 3000: gold from this order on.
    ASSERT_TRUE(run.apply(simple_ro("o2", "2025-06-06T10:00:00+08:00", "2100.00")).accepted());
    EXPECT_EQ(run.state().tier, "gold");
    // Gold in June: 400.00 x 1 x 2 (campaign) x 1.5 (tier) = 1200, and the gold bonus 100 x 1.5 = 150.
    const outcome gold = run.apply(simple_ro("o3", "2025-06-07T10:00:00+08:00", "400.00"));
    EXPECT_EQ(earned_by(gold, "service-spend"), points(1200));
    EXPECT_EQ(earned_by(gold, "gold-visit"), points(150));
    // Their entries state those figures: the rate, the campaign's 2 and the tier's 1.5, in that
    // order; the bonus has no rate, only the tier's 1.5.
    for (const ledger_entry& e : gold.entries) {
        if (e.kind != entry_kind::earn) continue;
        ASSERT_TRUE(e.figures) << e.rule;
        if (e.rule == "service-spend")
            EXPECT_EQ(figures_text(e.figures), R"({"base":"400.00","factors":["1","2","1.5"],"rounded":1200,"rounding":"down"})");
        else
            EXPECT_EQ(figures_text(e.figures), R"({"base":"100","factors":["1.5"],"rounded":150,"rounding":"down"})") << e.rule;
    }
    // Gold in July, after the campaign: 400 x 1.5 = 600, bonus 150.
    const outcome july = run.apply(simple_ro("o4", "2025-07-07T10:00:00+08:00", "400.00"));
    EXPECT_EQ(earned_by(july, "service-spend"), points(600));
    EXPECT_EQ(earned_by(july, "gold-visit"), points(150));
}

TEST(TierPromotions, TierListsAreValidatedWithPointer) {
    const std::string tiers = tiers_section().dump();
    expect_refused(
        [&](nlohmann::json& j) {
            j["tiers"] = nlohmann::json::parse(tiers);
            j["earning_rules"][0]["tiers"] = {"gold", "diamond"};
        },
        "loyalty.program.unknown_tier", "/earning_rules/0/tiers/1");
    expect_refused(
        [&](nlohmann::json& j) {
            j["tiers"] = nlohmann::json::parse(tiers);
            j["multipliers"][0]["tiers"] = {"bronze"};
        },
        "loyalty.program.unknown_tier", "/multipliers/0/tiers/0");
    // Without a tiers section a promotion cannot be limited to tiers.
    expect_refused([](nlohmann::json& j) { j["earning_rules"][0]["tiers"] = {"gold"}; }, "loyalty.program.unknown_tier",
                   "/earning_rules/0/tiers/0");
}

// A referral reward is earned by an earning rule, so it counts toward the referrer's tier; its
// claw-back undoes the upgrade it gave.
TEST(TierPromotions, AReferralRewardQualifiesTheReferrerAndItsClawBackUndoesTheUpgrade) {
    const program p = tiered(R"({"period":"calendar_year"})", [](nlohmann::json& j) {
        j["referral"] = {{"completes_within_days", 90}};
    });
    journal_runner run{program_versions(p)};
    auto of = [](const std::string& id, const std::string& member, const std::string& when, const std::string& rest) {
        return ev(R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + "\"," + rest + "}");
    };
    ASSERT_TRUE(run.apply(of("r0", "R", "2025-03-01T10:00:00+08:00", R"("type":"enrol")")).accepted());
    // R: welcome 500 + 1600.00 of maintenance = 2100 qualifying, still silver.
    ASSERT_TRUE(run.apply(of("r1", "R", "2025-03-02T10:00:00+08:00",
                             R"("type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"1600.00"}])"))
                    .accepted());
    EXPECT_EQ(run.members().at("R").tier, "silver");
    ASSERT_TRUE(run.apply(of("n0", "N", "2025-03-10T10:00:00+08:00", R"("type":"enrol","referred_by":"R")")).accepted());
    // N's first paid visit pays R 1000: 2100 + 1000 = 3100 >= 3000, R is gold.
    const outcome visit = run.apply(of("n1", "N", "2025-03-12T10:00:00+08:00",
                                       R"("type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"80.00"}])"));
    ASSERT_TRUE(visit.referral);
    EXPECT_EQ(run.members().at("R").tier, "gold");
    EXPECT_EQ(entries_of_kind(visit, entry_kind::tier_change).size(), 1u);
    // N's visit is reversed: R's 1000 go, 2100 < 3000, the upgrade it gave is undone (back to silver).
    const outcome undo = run.apply(of("n2", "N", "2025-03-15T10:00:00+08:00", R"("type":"reverse","event":"n1")"));
    ASSERT_TRUE(undo.accepted());
    EXPECT_EQ(run.members().at("R").tier, "silver");
    const auto changes = entries_of_kind(undo, entry_kind::tier_change);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0].member, "R");
    EXPECT_EQ(changes[0].rule, "silver");
}

}  // namespace unit_tier_promotions
}  // namespace loyalty::test
