// Who funds what (issue 11), worked by hand on the reference programme's points rules: the
// manufacturer funds service-spend points (cost 0.05 CNY a point), the dealer (the default
// funder) the welcome bonus. A liability report and a roll-forward split by funder and store.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/audit/funder_costs.hpp"
#include "loyalty/audit/liability.hpp"
#include "loyalty/audit/rollforward.hpp"

namespace scenario_funders {

using namespace loyalty;
using namespace loyalty::test;

namespace {

const liability_line& line_of(const std::vector<liability_line>& lines, const std::string& key) {
    for (const liability_line& l : lines)
        if (l.key == key) return l;
    throw std::runtime_error("no line " + key);
}

const rollforward_split& split_of(const std::vector<rollforward_split>& splits, const std::string& key) {
    for (const rollforward_split& s : splits)
        if (s.key == key) return s;
    throw std::runtime_error("no split " + key);
}

// enrol: 500 welcome (dealer, no store); an RO at store "north" paying 1200.00 of maintenance
// labour: 1200 service-spend points (manufacturer); two car-care kits of 300 points each at
// store "south". Both lots expire on the same day, so the older (welcome, earned 1 May) is spent
// first: kit 1 takes 300 of it, kit 2 the other 200 and 100 of the service-spend lot.
void story(member_run& run) {
    ASSERT_TRUE(run.apply(enrol("e-0", "2025-05-01T02:00:00Z")).accepted());
    std::string ro = simple_ro("ro-1", "2025-05-10T02:00:00Z", "1200.00");
    ro.insert(ro.size() - 1, R"(,"store":"north")");
    ASSERT_TRUE(run.apply(ro).accepted());
    for (const char* id : {"kit-1", "kit-2"}) {
        const outcome o = run.apply(simple(id, "2025-06-01T02:00:00Z", "redeem",
                                           R"(,"reward":"car-care-kit","store":"south")"));
        ASSERT_TRUE(o.accepted()) << o.message;
    }
}

}  // namespace

TEST(Funders, EntriesNameTheFunderOfTheLotTheyTouchAndTheStoreOfTheirEvent) {
    member_run run(points_only());
    story(run);
    std::vector<std::string> seen;
    for (const ledger_entry& e : run.entries())
        if (e.amount != points(0)) seen.push_back(std::string(to_string(e.kind)) + " " + e.funder + " " + e.store);
    EXPECT_EQ(seen, (std::vector<std::string>{"earn dealer ", "earn manufacturer north", "redeem dealer south",
                                              "redeem dealer south", "redeem manufacturer south"}));
}

TEST(Funders, LiabilitySplitsManufacturerAndDealerPoints) {
    member_run run(points_only());
    story(run);
    liability_options o;
    o.as_of = at("2025-07-01T00:00:00Z");
    o.point_value = yuan("0.10");
    o.redemption_rate = *decimal::parse("0.85");
    const liability_report r = liability(run.entries(), {}, o);
    // dealer: 500 issued, 300 + 200 redeemed, 0 outstanding.
    const liability_line& dealer = line_of(r.by_funder, "dealer");
    EXPECT_EQ(dealer.issued, points(500));
    EXPECT_EQ(dealer.redeemed, points(500));
    EXPECT_EQ(dealer.outstanding, points(0));
    // manufacturer: 1200 issued, 100 redeemed, 1200 - 100 = 1100 outstanding.
    const liability_line& maker = line_of(r.by_funder, "manufacturer");
    EXPECT_EQ(maker.issued, points(1200));
    EXPECT_EQ(maker.redeemed, points(100));
    EXPECT_EQ(maker.outstanding, points(1100));
    EXPECT_EQ(r.by_funder.size(), 2u);
    // The total: 500 + 1200 = 1700 issued, 500 + 100 = 600 redeemed, 0 + 1100 = 1100 outstanding.
    EXPECT_EQ(r.total.issued, points(1700));
    EXPECT_EQ(r.total.redeemed, points(600));
    EXPECT_EQ(r.total.outstanding, points(1100));
    // By store where the points were issued: the welcome at none, the RO's at "north".
    EXPECT_EQ(line_of(r.by_store, "").issued, points(500));
    EXPECT_EQ(line_of(r.by_store, "north").issued, points(1200));
    EXPECT_EQ(line_of(r.by_store, "north").outstanding, points(1100));
}

TEST(Funders, RollforwardSplitsMovementsAndCostsByFunderAndStore) {
    member_run run(points_only());
    story(run);
    const rollforward_report r = rollforward(run.entries(), at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:00Z"));
    const rollforward_split& dealer = split_of(r.by_funder, "dealer");
    EXPECT_EQ(dealer.line.earned, points(500));
    EXPECT_EQ(dealer.line.redeemed, points(-500));
    EXPECT_EQ(dealer.line.closing, points(0));
    const rollforward_split& maker = split_of(r.by_funder, "manufacturer");
    EXPECT_EQ(maker.line.earned, points(1200));
    EXPECT_EQ(maker.line.redeemed, points(-100));
    EXPECT_EQ(maker.line.closing, points(1100));
    EXPECT_TRUE(maker.line.reconciles());
    // Movements by store: "north" earned 1200; "south" redeemed 300 + 300 = 600.
    EXPECT_EQ(split_of(r.by_store, "north").line.earned, points(1200));
    EXPECT_EQ(split_of(r.by_store, "south").line.redeemed, points(-600));
    // What the manufacturer owes: 1200 pt x 0.05 = 60.00 CNY; the dealer states no cost.
    const std::vector<funder_cost> costs = funder_costs(points_only(), r);
    for (const funder_cost& c : costs) {
        if (c.funder == "manufacturer") {
            EXPECT_EQ(c.points_cost, yuan("60.00"));
            EXPECT_EQ(c.points_cost_exact, "60");
        } else {
            EXPECT_EQ(c.points_cost, yuan("0.00")) << c.funder;
        }
    }
}

TEST(Funders, AProgrammeWithoutFundersWritesEntriesAsBefore) {
    member_run run(variant([](nlohmann::json& j) {
        j.erase("funders");
        j.erase("default_funder");
        for (auto& r : j["earning_rules"]) r.erase("funder");
        for (auto& r : j["rewards"]) r.erase("funder");
    }));
    story(run);
    for (const ledger_entry& e : run.entries()) {
        EXPECT_EQ(e.funder, "");
        EXPECT_EQ(canonical_form(e).find("\"funder\""), std::string::npos);
    }
}

}  // namespace scenario_funders
