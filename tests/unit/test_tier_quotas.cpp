// Tier-specific quotas (`quota.by_tier`): the reference club with tiers (tier_support.hpp) and
// platinum's own number of waxings, 6 a calendar year instead of 4. Uses are counted per period
// whatever tier was held; the number allowed is that of the tier held when the order is priced.
// Waxing lines are category `care`, which earns no points, so they never change the tier.
#include <gtest/gtest.h>

#include "loyalty/audit/statement.hpp"
#include "loyalty/insight/touch_points.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "program_edit.hpp"
#include "tier_support.hpp"

namespace loyalty::test {
namespace unit_tier_quotas {

// Index of the waxing benefit and of claim handling in the reference programme's benefits.
constexpr int waxing_index = 3;
constexpr int claim_index = 7;

nlohmann::json club_with_tiers_json() {
    nlohmann::json j = nlohmann::json::parse(io::reference_program_json());
    j.erase("multipliers");
    j["tiers"] = tiers_section();
    j["benefits"][waxing_index]["quota"]["by_tier"] = {{"platinum", 6}};
    return j;
}

program club_with_tiers(const std::function<void(nlohmann::json&)>& edit = {}) {
    nlohmann::json j = club_with_tiers_json();
    if (edit) edit(j);
    return io::load_program(j.dump());
}

std::string waxing(const std::string& id, const std::string& when) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
           R"(","type":"repair_order","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})";
}

// Whether the order's trace or notes carry `text` exactly.
bool traced(const outcome& o, const std::string& text) {
    for (const trace_line& t : o.trace)
        if (t.text == text) return true;
    return false;
}

// A member of the club holding `tier` from 10 Jan 2025 (assigned by an operator).
member_run holding(const program& p, const std::string& tier) {
    member_run run(p);
    run.apply(enrol("e1", "2025-01-10T10:00:00+08:00"));
    if (tier != "silver") {
        EXPECT_TRUE(run.apply(assign("m1", "2025-01-10T11:00:00+08:00", tier)).accepted());
    }
    EXPECT_EQ(run.state().tier, tier);
    return run;
}

// Applies waxing orders w<from>..w<to> on days from..to of a month of 2025 (March unless said);
// returns how many were free (a benefit_use entry each).
int wax(member_run& run, int from, int to, const std::string& month = "03") {
    int free = 0;
    for (int n = from; n <= to; ++n) {
        const std::string day = (n < 10 ? "0" : "") + std::to_string(n);
        const outcome o = run.apply(waxing("w" + std::to_string(n), "2025-" + month + "-" + day + "T10:00:00+08:00"));
        EXPECT_TRUE(o.accepted());
        free += static_cast<int>(entries_of_kind(o, entry_kind::benefit_use).size());
    }
    return free;
}

constexpr const char* year_2025 = "calendar_year 2025-01-01..2025-12-31";

TEST(TierQuota, PlatinumGetsTheFifthAndSixthWaxingFree) {
    member_run run = holding(club_with_tiers(), "platinum");
    EXPECT_EQ(wax(run, 1, 4), 4);
    // 5th: use 5 of platinum's 6, free: 280.00 off.
    const outcome fifth = run.apply(waxing("w5", "2025-03-05T10:00:00+08:00"));
    EXPECT_EQ(entries_of_kind(fifth, entry_kind::benefit_use).size(), 1u);
    EXPECT_TRUE(traced(fifth, std::string("waxing: free, 280.00 off, use 5 of 6 in ") + year_2025 +
                                  " (platinum quota 6 per calendar_year)"));
    EXPECT_EQ(wax(run, 6, 6), 1);
    // 7th: 6 of 6 used, charged in full.
    const event seventh = ev(waxing("w7", "2025-03-07T10:00:00+08:00"));
    const priced_order o = price(club_with_tiers(), run.state(), std::get<events::repair_order>(seventh.body), seventh.at);
    EXPECT_EQ(o.net_total, yuan("280.00"));
    ASSERT_EQ(o.lines.at(0).notes.size(), 1u);
    EXPECT_EQ(o.lines[0].notes[0], std::string("waxing: 6 of 6 used in ") + year_2025 +
                                       " (platinum quota 6 per calendar_year); normal price");
}

TEST(TierQuota, GoldKeepsTheBaseFourAndPaysForTheFifth) {
    const program p = club_with_tiers();
    member_run run = holding(p, "gold");
    EXPECT_EQ(wax(run, 1, 4), 4);
    const event fifth = ev(waxing("w5", "2025-03-05T10:00:00+08:00"));
    const priced_order o = price(p, run.state(), std::get<events::repair_order>(fifth.body), fifth.at);
    // No by_tier entry for gold: the base 4 applies and the note names no tier.
    EXPECT_EQ(o.net_total, yuan("280.00"));
    ASSERT_EQ(o.lines.at(0).notes.size(), 1u);
    EXPECT_EQ(o.lines[0].notes[0], std::string("waxing: 4 of 4 used in ") + year_2025 + "; normal price");
    EXPECT_EQ(wax(run, 5, 5), 0);  // applied: charged, no use recorded
}

TEST(TierQuota, UpgradedMidYearAfterFourUsesGetsTwoMore) {
    member_run run = holding(club_with_tiers(), "gold");
    EXPECT_EQ(wax(run, 1, 5), 4);  // 4 free, the 5th charged at gold
    ASSERT_TRUE(run.apply(assign("m2", "2025-03-10T10:00:00+08:00", "platinum")).accepted());
    // The 4 uses of the year still count; platinum allows 6: 6 - 4 = 2 more, then charged.
    EXPECT_EQ(wax(run, 11, 11), 1);
    EXPECT_EQ(wax(run, 12, 13), 1);
    EXPECT_EQ(used_within(run.state().benefit_usage, "waxing", day_range{on("2025-01-01"), on("2026-01-01")}).uses, 6);
}

TEST(TierQuota, UpgradeByTheOrderItselfCountsFromTheNextOrder) {
    member_run run = holding(club_with_tiers(), "silver");
    EXPECT_EQ(wax(run, 1, 4), 4);
    // 500 welcome + 7500 on a maintenance part = 8000 qualifying points: platinum, at step 4 of
    // this event. Its waxing was priced before (step 3) with silver's 4: charged.
    const outcome o = run.apply(
        R"({"id":"ro1","member":"M1","at":"2025-03-20T10:00:00+08:00","type":"repair_order","lines":[)"
        R"({"kind":"part","category":"maintenance","unit_price":"7500.00"},)"
        R"({"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})");
    EXPECT_TRUE(entries_of_kind(o, entry_kind::benefit_use).empty());
    EXPECT_TRUE(traced(o, std::string("waxing: 4 of 4 used in ") + year_2025 + "; normal price"));
    EXPECT_EQ(run.state().tier, "platinum");
    EXPECT_EQ(wax(run, 21, 23), 2);  // 5th and 6th free, the 7th charged
}

TEST(TierQuota, DowngradedAfterSixUsesHasNoneLeft) {
    const program p = club_with_tiers();
    member_run run = holding(p, "platinum");
    EXPECT_EQ(wax(run, 1, 6), 6);
    ASSERT_TRUE(run.apply(assign("m2", "2025-04-01T10:00:00+08:00", "gold")).accepted());
    const event next = ev(waxing("w7", "2025-04-02T10:00:00+08:00"));
    const priced_order o = price(p, run.state(), std::get<events::repair_order>(next.body), next.at);
    EXPECT_EQ(o.net_total, yuan("280.00"));
    EXPECT_EQ(o.lines.at(0).notes.at(0), std::string("waxing: 6 of 4 used in ") + year_2025 + "; normal price");
    // Next year gold's 4 start afresh.
    EXPECT_EQ(wax(run, 7, 7, "04"), 0);
    const event y2026 = ev(waxing("w8", "2026-01-05T10:00:00+08:00"));
    EXPECT_EQ(price(p, run.state(), std::get<events::repair_order>(y2026.body), y2026.at).net_total, yuan("0.00"));
}

TEST(TierQuota, ServiceItemQuotaByTierRefusesWithTheTiersNumber) {
    const program p = club_with_tiers([](nlohmann::json& j) {
        j["benefits"][claim_index]["quota"] = {{"uses", 1}, {"period", "calendar_year"}, {"by_tier", {{"gold", 2}}}};
    });
    auto claim = [](const std::string& id, const std::string& when) {
        return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
               R"(","type":"benefit_use","benefit":"claim-handling","reference":"CLM-)" + id + R"("})";
    };
    member_run silver = holding(p, "silver");
    EXPECT_TRUE(silver.apply(claim("c1", "2025-02-01T10:00:00+08:00")).accepted());
    const outcome refused = silver.apply(claim("c2", "2025-02-02T10:00:00+08:00"));
    EXPECT_EQ(refused.refused, refusal::quota_used_up);
    EXPECT_EQ(refused.message, std::string("claim-handling: 1 of 1 used in ") + year_2025);

    member_run gold = holding(p, "gold");
    EXPECT_TRUE(gold.apply(claim("c1", "2025-02-01T10:00:00+08:00")).accepted());
    EXPECT_TRUE(gold.apply(claim("c2", "2025-02-02T10:00:00+08:00")).accepted());
    const outcome third = gold.apply(claim("c3", "2025-02-03T10:00:00+08:00"));
    EXPECT_EQ(third.refused, refusal::quota_used_up);
    EXPECT_EQ(third.message, std::string("claim-handling: 2 of 2 used in ") + year_2025 + " (gold quota 2 per calendar_year)");
}

TEST(TierQuota, StatementAndTouchPointsUseTheMembersNumber) {
    const program p = club_with_tiers();
    member_run run = holding(p, "platinum");
    EXPECT_EQ(wax(run, 1, 2), 2);
    const statement st = make_statement(p, run.state(), run.entries(), at("2025-03-31T10:00:00+08:00"));
    bool found = false;
    for (const statement_quota& q : st.quotas)
        if (q.benefit == "waxing") {
            found = true;
            EXPECT_EQ(q.allowed, 6);
            EXPECT_EQ(q.used, 2);
            EXPECT_EQ(q.left, 4);  // 6 - 2
            EXPECT_EQ(q.tier, "platinum");
        } else {
            EXPECT_EQ(q.tier, "");  // inspection-36 has no by_tier
        }
    EXPECT_TRUE(found);
    // 25 Dec 2025, a week before the year ends: 6 - 2 = 4 waxings unused.
    member_history h;
    h.member = "M1";
    bool told = false;
    for (const touch_point& t : touch_points_of(p, run.state(), h, at("2025-12-25T10:00:00+08:00"), member_value_rules{}, 7))
        if (t.kind == touch_point_kind::quota_unused && t.subject == "waxing") {
            told = true;
            EXPECT_EQ(t.uses_left, 4);
            EXPECT_EQ(t.reason, std::string("waxing: 4 of 6 left in ") + year_2025 + " (platinum quota 6 per calendar_year)");
        }
    EXPECT_TRUE(told);
}

TEST(TierQuota, ByTierRoundTripsThroughTheWriter) {
    const program p = club_with_tiers();
    ASSERT_TRUE(p.benefits.at(waxing_index).limit);
    const std::vector<std::pair<std::string, int>> platinum_6{{"platinum", 6}};
    EXPECT_EQ(p.benefits[waxing_index].limit->by_tier, platinum_6);
    EXPECT_EQ(p.benefits[waxing_index].limit->uses_for("platinum"), 6);
    EXPECT_EQ(p.benefits[waxing_index].limit->uses_for("gold"), 4);
    EXPECT_EQ(p.benefits[waxing_index].limit->uses_for(""), 4);
    const nlohmann::json written = io::program_to_json(p);
    EXPECT_EQ(written["benefits"][waxing_index]["quota"]["by_tier"], nlohmann::json({{"platinum", 6}}));
    const program back = io::load_program(written.dump());
    EXPECT_EQ(back.benefits.at(waxing_index).limit->by_tier, platinum_6);
    EXPECT_EQ(io::program_to_json(back), written);
    // A quota without by_tier writes none (the reference programme's JSON is unchanged).
    EXPECT_FALSE(io::program_to_json(reference_program())["benefits"][waxing_index]["quota"].contains("by_tier"));
}

TEST(TierQuota, BadByTierIsRefusedWithIdAndPointer) {
    auto with = [](const std::function<void(nlohmann::json&)>& edit) {
        nlohmann::json j = club_with_tiers_json();
        edit(j);
        return j.dump();
    };
    const std::string at_quota = "/benefits/" + std::to_string(waxing_index) + "/quota";
    expect_refused(with([](nlohmann::json& j) { j["benefits"][waxing_index]["quota"]["by_tier"] = {{"diamond", 6}}; }),
                   "loyalty.program.unknown_tier", at_quota + "/by_tier/diamond");
    expect_refused(with([](nlohmann::json& j) { j.erase("tiers"); }), "loyalty.program.unknown_tier",
                   at_quota + "/by_tier/platinum");
    expect_refused(with([](nlohmann::json& j) { j["benefits"][waxing_index]["quota"]["by_tier"]["platinum"] = 0; }),
                   "loyalty.program.invalid_quota", at_quota + "/by_tier/platinum");
    expect_refused(with([](nlohmann::json& j) { j["benefits"][waxing_index]["quota"]["by_tier"]["platinum"] = "6"; }),
                   "loyalty.program.type_error", at_quota + "/by_tier/platinum");
    expect_refused(with([](nlohmann::json& j) { j["benefits"][waxing_index]["quota"]["carry_over"] = true; }),
                   "loyalty.program.invalid_quota", at_quota + "/by_tier");
    expect_refused(with([](nlohmann::json& j) { j["benefits"][waxing_index]["quota"]["by_tier"] = {6}; }),
                   "loyalty.program.type_error", at_quota + "/by_tier");
}

}  // namespace unit_tier_quotas
}  // namespace loyalty::test
