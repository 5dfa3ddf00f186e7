// A fleet's year under the reference 4S club (examples/programs/4s-club.json, fleet policy
// "corporate": parts at 95% after member benefits, 2% of the year's whole spend from
// 100,000.00, 3% from 300,000.00, paid as money). Every figure is worked out by hand below.
#include <gtest/gtest.h>

#include "fleet_support.hpp"
#include "test_support.hpp"

namespace loyalty::test {
namespace scenario_fleet_year {

TEST(FleetYear, HuaxinLogisticsCrossesTheFirstBandAndIsPaidItsRebateInJanuary) {
    journal_runner run{program_versions(reference_program())};
    auto ok = [&](const std::string& text) {
        outcome o = run.apply(ev(text));
        EXPECT_TRUE(o.accepted()) << text << ": " << o.message;
        return o;
    };
    ok(event_of("a-open", "A100", "2025-01-02T09:00:00+08:00", "open_account", R"(,"policy":"corporate","name":"Huaxin Logistics")"));
    ok(event_of("d1-enrol", "D1", "2025-01-03T09:00:00+08:00", "enrol"));
    ok(event_of("d1-join", "D1", "2025-01-03T09:10:00+08:00", "join_account", R"(,"account":"A100")"));
    ok(event_of("d2-enrol", "D2", "2025-01-03T09:20:00+08:00", "enrol"));
    ok(event_of("d2-join", "D2", "2025-01-03T09:30:00+08:00", "join_account", R"(,"account":"A100")"));

    // A van for 98,000.00: a vehicle purchase is spend (no fleet discount on vehicles).
    ok(event_of("d1-van", "D1", "2025-02-01T10:00:00+08:00", "vehicle_purchase", R"(,"vin":"LVAN0000000000001","price":"98000.00")"));

    // D2's service: an oil filter 200.00 (parts-10-off: 0.9 x 200.00 = 180.00, then the fleet's
    // 0.95 x 180.00 = 171.00) and 2,000.00 of repair labour (labour-30-off: 0.7 x 2,000.00 =
    // 1,400.00; the fleet discount is on parts only). D2 pays 171.00 + 1,400.00 = 1,571.00.
    const outcome service = ok(event_of("d2-ro", "D2", "2025-05-10T10:00:00+08:00", "repair_order",
                                        R"(,"ro":"RO-7001","lines":[)"
                                        R"({"kind":"part","category":"filters","operation":"OIL-FILTER","unit_price":"200.00"},)"
                                        R"({"kind":"labour","category":"repair","operation":"BRAKE-REPAIR","unit_price":"2000.00"}])"));
    ASSERT_TRUE(service.account);
    EXPECT_EQ(service.account->amount, yuan("1571.00"));

    // D1's tyres: 500.00, no member benefit for tyres; the fleet's 0.95 x 500.00 = 475.00.
    const outcome tyres = ok(event_of("d1-ro", "D1", "2025-11-20T10:00:00+08:00", "repair_order",
                                      R"(,"lines":[{"kind":"part","category":"tyres","unit_price":"500.00"}])"));
    EXPECT_EQ(tyres.account->amount, yuan("475.00"));

    // The year: 98,000.00 + 1,571.00 + 475.00 = 100,046.00, past the 100,000.00 band:
    // 0.02 x 100,046.00 = 2,000.92.
    const outcome settled = ok(event_of("a-settle", "A100", "2026-01-05T09:00:00+08:00", "settle_rebate", R"(,"period_of":"2025-12-31")"));
    const std::vector<ledger_entry> rebate = entries_of_kind(settled, entry_kind::rebate);
    ASSERT_EQ(rebate.size(), 1u);
    EXPECT_EQ(rebate[0].money, "2000.92 CNY");
    EXPECT_EQ(run.members().at("A100").fleet->credit, yuan("2000.92"));

    // Refunding the tyres in January: 100,046.00 - 475.00 = 99,571.00 is below the band; the
    // next settlement of 2025 takes the 2,000.92 back.
    ok(event_of("d1-refund", "D1", "2026-01-08T10:00:00+08:00", "reverse", R"(,"event":"d1-ro","reason":"tyres returned")"));
    const outcome again = ok(event_of("a-settle-2", "A100", "2026-01-31T09:00:00+08:00", "settle_rebate", R"(,"period_of":"2025-12-31")"));
    ASSERT_EQ(entries_of_kind(again, entry_kind::rebate).size(), 1u);
    EXPECT_EQ(entries_of_kind(again, entry_kind::rebate)[0].money, "-2000.92 CNY");
    EXPECT_EQ(run.members().at("A100").fleet->credit, yuan("0.00"));

    // Every chain verifies, the account's included.
    for (const auto& [id, s] : run.members()) EXPECT_FALSE(verify_chain(run.entries_of(id))) << id;
}

}  // namespace scenario_fleet_year
}  // namespace loyalty::test
