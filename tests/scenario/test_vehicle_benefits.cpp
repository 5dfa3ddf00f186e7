// Vehicle-scoped and mileage-triggered benefits, worked by hand (issue 11):
//   - a VIN sold mid-year with 2 of 4 waxings used: the waxings follow the vehicle, or end;
//     a member-scoped waxing stays with the member;
//   - one 36-point inspection every 15,000 km: 14,990 km after a use is the same interval,
//     15,010 km a new one (the interval runs from the last use, not from 0);
//   - a free first service within 6 months or 7,500 km of purchase, whichever comes first:
//     both edges;
//   - an odometer reading that goes backwards: refused, or accepted and flagged;
//   - the "service due by mileage" touch point, estimated from the readings.
// Lines are in the category "care", which no earning rule of the points programme pays on, so
// that the figures here are only what the benefits give.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/insight/touch_points.hpp"

namespace scenario_vehicle_benefits {

using namespace loyalty;
using namespace loyalty::test;

namespace {

const std::string V1 = "LFV3A23C0R3000001";
const std::string V2 = "LFV3A23C0R3000002";

// The points programme with vehicle-scoped benefits: 4 waxings a year per vehicle (on_transfer
// as given, or member-scoped), a free first service within 6 months or 7,500 km of purchase
// (one use), one 36-point inspection every 15,000 km.
program vehicle_club(const std::string& waxing_scope, const std::string& backwards = "refuse") {
    return variant([&](nlohmann::json& j) {
        nlohmann::json waxing = nlohmann::json::parse(
            R"({"id":"waxing","type":"free_line","lines":{"operations":["WAX-FULL"]},
                "quota":{"uses":4,"period":"calendar_year"}})");
        if (waxing_scope != "member") {
            waxing["scope"] = "vehicle";
            waxing["on_transfer"] = waxing_scope;  // "follow" or "end"
        }
        j["benefits"] = nlohmann::json::array({waxing, nlohmann::json::parse(R"(
            {"id":"first-service","type":"free_line","lines":{"operations":["FIRST-SERVICE"]},
             "scope":"vehicle","on_transfer":"end","since_purchase":{"months":6,"km":7500,"uses":1}})"),
                                               nlohmann::json::parse(R"(
            {"id":"inspection-36","type":"free_line","lines":{"operations":["INSPECT-36"]},
             "scope":"vehicle","on_transfer":"follow","every_km":15000})")});
        j["odometer"] = {{"backwards", backwards}};
    });
}

std::string enrol_of(const std::string& id, const std::string& member, const std::string& when) {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":"enrol"})";
}

std::string purchase(const std::string& id, const std::string& member, const std::string& when, const std::string& vin,
                     const std::string& extra = "") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when +
           R"(","type":"vehicle_purchase","vin":")" + vin + R"(","price":"100000.00")" + extra + "}";
}

// A repair order of one care line: `quantity` x `price` of `operation` on `vin`, at `km` (-1: none).
std::string order(const std::string& id, const std::string& member, const std::string& when, const std::string& vin,
                  const std::string& operation, long long km, int quantity = 1, const std::string& price = "300.00") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":"repair_order","ro":")" +
           id + R"(","vin":")" + vin + "\"" + (km >= 0 ? R"(,"odometer_km":)" + std::to_string(km) : std::string()) +
           R"(,"lines":[{"kind":"labour","category":"care","operation":")" + operation + R"(","quantity":)" +
           std::to_string(quantity) + R"(,"unit_price":")" + price + R"("}]})";
}

bool traced(const outcome& o, const std::string& text) {
    for (const trace_line& t : o.trace)
        if (t.text == text) return true;
    return false;
}

std::string trace_text(const outcome& o) {
    std::string all;
    for (const trace_line& t : o.trace) all += t.text + "\n";
    return all;
}

// The journal of the sale: M1 buys V1 in January, waxes it twice (March, May), sells it to M2
// on 1 July 2025. Then M2 brings it for 3 waxings on 1 August.
journal_runner sold_mid_year(const program& p) {
    journal_runner run{program_versions(p)};
    for (const std::string& e :
         {enrol_of("e1", "M1", "2025-01-05T10:00:00+08:00"), enrol_of("e2", "M2", "2025-01-06T10:00:00+08:00"),
          purchase("p1", "M1", "2025-01-10T10:00:00+08:00", V1),
          order("ro1", "M1", "2025-03-01T10:00:00+08:00", V1, "WAX-FULL", 3000),
          order("ro2", "M1", "2025-05-01T10:00:00+08:00", V1, "WAX-FULL", 6000)}) {
        const outcome o = run.apply(ev(e));
        EXPECT_TRUE(o.accepted()) << o.message;
    }
    return run;
}

}  // namespace

// Follow: the 2 waxings M1 used on V1 this year go with it. M2's 3 waxings on 1 August:
// 4 - 2 = 2 left, so 2 of the 3 units are free: 3 x 300.00 = 900.00 list, 900.00 x 2/3 = 600.00
// off, 300.00 to pay. M1 can no longer use V1's benefits.
TEST(VehicleBenefits, SoldMidYearWaxingsFollowTheVehicle) {
    journal_runner run = sold_mid_year(vehicle_club("follow"));
    const outcome sale = run.apply(ev(purchase("p2", "M2", "2025-07-01T10:00:00+08:00", V1, R"(,"previous_owner":"M1")")));
    ASSERT_TRUE(sale.accepted()) << sale.message;
    // One entry on each chain names what the benefits did.
    std::vector<std::string> transfers;
    for (const ledger_entry& e : sale.entries)
        if (e.kind == entry_kind::vehicle_transfer) transfers.push_back(e.member + ": " + e.reason);
    EXPECT_EQ(transfers, (std::vector<std::string>{
                             "M2: bought VIN " + V1 + " from member M1: waxing follows the vehicle (2 uses made on it go "
                             "with it); first-service ends (on_transfer: end); inspection-36 follows the vehicle (0 uses "
                             "made on it go with it)",
                             "M1: sold VIN " + V1 + " to member M2: its vehicle benefits leave with it; waxing follows the "
                             "vehicle (2 uses made on it go with it); first-service ends (on_transfer: end); inspection-36 "
                             "follows the vehicle (0 uses made on it go with it)"}));
    EXPECT_EQ(run.members().at("M1").vehicles, std::vector<std::string>{});
    EXPECT_EQ(run.members().at("M2").vehicles, std::vector<std::string>{V1});

    const outcome wax = run.apply(ev(order("ro3", "M2", "2025-08-01T10:00:00+08:00", V1, "WAX-FULL", 9000, 3)));
    ASSERT_TRUE(wax.accepted()) << wax.message;
    EXPECT_TRUE(traced(wax, "waxing: free for 2 of 3 units, 600.00 off, uses 3-4 of 4 in calendar_year "
                            "2025-01-01..2025-12-31 on VIN " + V1))
        << trace_text(wax);
    const std::vector<benefit_use> usage = run.members().at("M2").benefit_usage.all();
    ASSERT_EQ(usage.size(), 1u);
    EXPECT_EQ(usage[0].uses, 2);
    EXPECT_EQ(usage[0].discount, 60000);  // 600.00 in fen
    EXPECT_EQ(usage[0].vin, V1);

    // The seller brings V1 back (a borrowed key, a typo in the VIN): its benefits left with it.
    const outcome seller = run.apply(ev(order("ro4", "M1", "2025-08-02T10:00:00+08:00", V1, "WAX-FULL", 9100)));
    ASSERT_TRUE(seller.accepted()) << seller.message;
    EXPECT_TRUE(traced(seller, "waxing: not applied, VIN " + V1 + " was sold to M2 on 2025-07-01; its vehicle "
                               "benefits left with it"))
        << trace_text(seller);

    // A new year on the vehicle: 4 again, the earlier owner's uses are of 2025.
    const outcome next_year = run.apply(ev(order("ro5", "M2", "2026-01-15T10:00:00+08:00", V1, "WAX-FULL", 12000)));
    EXPECT_TRUE(traced(next_year, "waxing: free, 300.00 off, use 1 of 4 in calendar_year 2026-01-01..2026-12-31 on VIN " +
                                      V1))
        << trace_text(next_year);
}

// End: the waxings end with the sale. M2's 3 waxings on V1 are priced normally (900.00); M1
// cannot use them on V1 either.
TEST(VehicleBenefits, SoldMidYearWaxingsEndWithTheSale) {
    journal_runner run = sold_mid_year(vehicle_club("end"));
    ASSERT_TRUE(run.apply(ev(purchase("p2", "M2", "2025-07-01T10:00:00+08:00", V1, R"(,"previous_owner":"M1")")))
                    .accepted());
    const outcome wax = run.apply(ev(order("ro3", "M2", "2025-08-01T10:00:00+08:00", V1, "WAX-FULL", 9000, 3)));
    ASSERT_TRUE(wax.accepted()) << wax.message;
    EXPECT_TRUE(traced(wax, "waxing: not applied, VIN " + V1 + " came from member M1 and this benefit ends when the "
                            "vehicle changes owner (on_transfer: end)"))
        << trace_text(wax);
    EXPECT_TRUE(run.members().at("M2").benefit_usage.empty());
    // M1's next vehicle has its own 4 waxings: the 2 used were on V1.
    ASSERT_TRUE(run.apply(ev(purchase("p3", "M1", "2025-07-05T10:00:00+08:00", V2))).accepted());
    const outcome own = run.apply(ev(order("ro4", "M1", "2025-08-02T10:00:00+08:00", V2, "WAX-FULL", 100)));
    EXPECT_TRUE(traced(own, "waxing: free, 300.00 off, use 1 of 4 in calendar_year 2025-01-01..2025-12-31 on VIN " + V2))
        << trace_text(own);
}

// Member-scoped (the default): the quota stays with the member. M1 has 2 of 4 left on the car
// bought next; M2 has their own 4, of which 3 are used on V1.
TEST(VehicleBenefits, SoldMidYearMemberScopedWaxingsStayWithTheMember) {
    journal_runner run = sold_mid_year(vehicle_club("member"));
    ASSERT_TRUE(run.apply(ev(purchase("p2", "M2", "2025-07-01T10:00:00+08:00", V1, R"(,"previous_owner":"M1")")))
                    .accepted());
    const outcome m2 = run.apply(ev(order("ro3", "M2", "2025-08-01T10:00:00+08:00", V1, "WAX-FULL", 9000, 3)));
    EXPECT_TRUE(traced(m2, "waxing: free, 900.00 off, uses 1-3 of 4 in calendar_year 2025-01-01..2025-12-31"))
        << trace_text(m2);
    ASSERT_TRUE(run.apply(ev(purchase("p3", "M1", "2025-07-05T10:00:00+08:00", V2))).accepted());
    const outcome m1 = run.apply(ev(order("ro4", "M1", "2025-08-02T10:00:00+08:00", V2, "WAX-FULL", 100)));
    EXPECT_TRUE(traced(m1, "waxing: free, 300.00 off, use 3 of 4 in calendar_year 2025-01-01..2025-12-31"))
        << trace_text(m1);
}

// A seller must hold the VIN; a change of owner is not undone by `reverse`.
TEST(VehicleBenefits, AChangeOfOwnerNeedsTheSellersVehicle) {
    journal_runner run = sold_mid_year(vehicle_club("follow"));
    const outcome not_held = run.apply(ev(purchase("p2", "M2", "2025-07-01T10:00:00+08:00", V2, R"(,"previous_owner":"M1")")));
    EXPECT_EQ(not_held.refused, refusal::vehicle_not_held);
    EXPECT_EQ(not_held.message, "member M1 does not hold VIN " + V2);
    const outcome stranger = run.apply(ev(purchase("p3", "M2", "2025-07-01T10:00:00+08:00", V1, R"(,"previous_owner":"M9")")));
    EXPECT_EQ(stranger.refused, refusal::vehicle_not_held);
    ASSERT_TRUE(run.apply(ev(purchase("p4", "M2", "2025-07-01T10:00:00+08:00", V1, R"(,"previous_owner":"M1")"))).accepted());
    const outcome undo = run.apply(ev(R"({"id":"r1","member":"M2","at":"2025-07-02T10:00:00+08:00","type":"reverse","event":"p4"})"));
    EXPECT_EQ(undo.refused, refusal::not_reversible);
    // apply() alone cannot see the seller: it asks for the runner.
    member_state m3("M3");
    const program_versions v(vehicle_club("follow"));
    m3 = apply(v, m3, ev(enrol_of("e3", "M3", "2025-01-06T10:00:00+08:00"))).state;
    const outcome alone = apply(v, m3, ev(purchase("p5", "M3", "2025-07-03T10:00:00+08:00", V1, R"(,"previous_owner":"M2")")));
    EXPECT_EQ(alone.refused, refusal::counterparty_required);
}

// One inspection per 15,000 km, counted from the last use: at 0 km (free, the first), at
// 14,990 km (14,990 - 0 < 15,000: same interval, normal price 200.00), at 15,010 km (15,010 - 0
// >= 15,000: a new interval, free), at 30,000 km (30,000 - 15,010 = 14,990: same interval again).
TEST(VehicleBenefits, InspectionEvery15000KmFrom14990To15010) {
    member_run run(vehicle_club("follow"));
    run.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    ASSERT_TRUE(run.apply(purchase("p1", "M1", "2025-01-10T10:00:00+08:00", V1, R"(,"odometer_km":0)")).accepted());
    const outcome first = run.apply(order("ro1", "M1", "2025-01-20T10:00:00+08:00", V1, "INSPECT-36", 0, 1, "200.00"));
    EXPECT_TRUE(traced(first, "inspection-36: free, 200.00 off; one per 15,000 km on VIN " + V1 +
                                  ": no earlier use, this order at 0 km"))
        << trace_text(first);
    const outcome same = run.apply(order("ro2", "M1", "2025-09-01T10:00:00+08:00", V1, "INSPECT-36", 14990, 1, "200.00"));
    EXPECT_TRUE(traced(same, "inspection-36: one per 15,000 km on VIN " + V1 + ": last at 0 km (2025-01-20, ro1), this "
                             "order at 14,990 km is in the same interval (next from 15,000 km); normal price"))
        << trace_text(same);
    EXPECT_TRUE(entries_of_kind(same, entry_kind::benefit_use).empty());
    const outcome next = run.apply(order("ro3", "M1", "2025-09-03T10:00:00+08:00", V1, "INSPECT-36", 15010, 2, "200.00"));
    // 2 inspections on one order: the interval gives one, 400.00 x 1/2 = 200.00 off.
    EXPECT_TRUE(traced(next, "inspection-36: free for 1 of 2 units, 200.00 off; one per 15,000 km on VIN " + V1 +
                             ": last at 0 km, this order at 15,010 km -> new interval"))
        << trace_text(next);
    const outcome again = run.apply(order("ro4", "M1", "2026-03-01T10:00:00+08:00", V1, "INSPECT-36", 30000, 1, "200.00"));
    EXPECT_TRUE(traced(again, "inspection-36: one per 15,000 km on VIN " + V1 + ": last at 15,010 km (2025-09-03, ro3), "
                              "this order at 30,000 km is in the same interval (next from 30,010 km); normal price"))
        << trace_text(again);
    // The readings: the purchase's and each order's, in order.
    const vehicle_record* v = run.state().find_vehicle(V1);
    ASSERT_NE(v, nullptr);
    ASSERT_EQ(v->readings.size(), 5u);
    EXPECT_EQ(v->readings[2].km, 14990);
    EXPECT_EQ(v->purchased_on, on("2025-01-10"));
    EXPECT_EQ(v->purchase_km, 0);
}

// Free first service within 6 months or 7,500 km of a purchase on 15 Jan 2025 at 10 km:
// inside through 14 Jul 2025 (15 Jan + 6 months = 15 Jul, excluded) and through 7,509 km
// (10 + 7,500 = 7,510, excluded); whichever comes first ends it.
TEST(VehicleBenefits, FirstServiceWithin6MonthsOr7500KmWhicheverFirst) {
    const auto try_service = [](const std::string& when, long long km) {
        member_run run(vehicle_club("follow"));
        run.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
        EXPECT_TRUE(run.apply(purchase("p1", "M1", "2025-01-15T10:00:00+08:00", V1, R"(,"odometer_km":10)")).accepted());
        return run.apply(order("ro1", "M1", when, V1, "FIRST-SERVICE", km, 1, "500.00"));
    };
    // The last day of the 6 months, well inside the km.
    const outcome last_day = try_service("2025-07-14T18:00:00+08:00", 7000);
    EXPECT_TRUE(traced(last_day, "first-service: free, 500.00 off; use 1 of 1 within 6 months (through 2025-07-14) or "
                                 "7,500 km (through 7,509 km) of the purchase on 2025-01-15, whichever comes first: this "
                                 "order 2025-07-14 at 7,000 km"))
        << trace_text(last_day);
    // The day after: the months came first.
    const outcome day_after = try_service("2025-07-15T09:00:00+08:00", 7000);
    EXPECT_TRUE(traced(day_after, "first-service: not applied, 6 months from the purchase on 2025-01-15 ended on "
                                  "2025-07-15 (this order: 2025-07-15)"))
        << trace_text(day_after);
    // In March at 7,509 km: 7,509 - 10 = 7,499 < 7,500, inside.
    const outcome last_km = try_service("2025-03-01T10:00:00+08:00", 7509);
    EXPECT_TRUE(traced(last_km, "first-service: free, 500.00 off; use 1 of 1 within 6 months (through 2025-07-14) or "
                                "7,500 km (through 7,509 km) of the purchase on 2025-01-15, whichever comes first: this "
                                "order 2025-03-01 at 7,509 km"))
        << trace_text(last_km);
    // At 7,510 km: the km came first (7,510 - 10 = 7,500).
    const outcome km_after = try_service("2025-03-01T10:00:00+08:00", 7510);
    EXPECT_TRUE(traced(km_after, "first-service: not applied, 7,500 km from the purchase at 10 km ended at 7,510 km (this "
                                 "order: 7,510 km)"))
        << trace_text(km_after);

    // One use in the window: a second first service is priced normally.
    member_run run(vehicle_club("follow"));
    run.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    run.apply(purchase("p1", "M1", "2025-01-15T10:00:00+08:00", V1, R"(,"odometer_km":10)"));
    ASSERT_TRUE(run.apply(order("ro1", "M1", "2025-02-01T10:00:00+08:00", V1, "FIRST-SERVICE", 1000, 1, "500.00")).accepted());
    const outcome second = run.apply(order("ro2", "M1", "2025-03-01T10:00:00+08:00", V1, "FIRST-SERVICE", 2000, 1, "500.00"));
    EXPECT_TRUE(traced(second, "first-service: 1 of 1 used within the purchase window on VIN " + V1 + "; normal price"))
        << trace_text(second);
    // No odometer reading: the km window cannot be judged.
    member_run blind(vehicle_club("follow"));
    blind.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    blind.apply(purchase("p1", "M1", "2025-01-15T10:00:00+08:00", V1));
    const outcome no_reading = blind.apply(order("ro1", "M1", "2025-02-01T10:00:00+08:00", V1, "FIRST-SERVICE", -1));
    EXPECT_TRUE(traced(no_reading, "first-service: not applied, the repair order gives no odometer reading, and it holds "
                                   "within 7,500 km of the purchase"))
        << trace_text(no_reading);
}

// A reading below the last one (15,010 km, then 14,000 km): refused under "refuse", with the
// state unchanged; accepted and flagged under "flag", becoming the vehicle's last reading.
TEST(VehicleBenefits, BackwardsOdometerRefusedOrFlagged) {
    const std::string back = order("ro2", "M1", "2025-10-01T10:00:00+08:00", V1, "INSPECT-36", 14000, 1, "200.00");
    member_run strict(vehicle_club("follow", "refuse"));
    strict.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    ASSERT_TRUE(strict.apply(order("ro1", "M1", "2025-09-01T10:00:00+08:00", V1, "WAX-FULL", 15010)).accepted());
    const member_state before = strict.state();
    const outcome refused = strict.apply(back);
    EXPECT_EQ(refused.refused, refusal::odometer_backwards);
    EXPECT_EQ(refused.message, "odometer 14,000 km on VIN " + V1 + " is lower than its last reading 15,010 km on "
                               "2025-09-01 (ro1); the programme refuses readings that go backwards");
    EXPECT_TRUE(refused.entries.empty());
    EXPECT_EQ(strict.state(), before);
    // The same reading is no step back.
    EXPECT_TRUE(strict.apply(order("ro3", "M1", "2025-10-02T10:00:00+08:00", V1, "WAX-FULL", 15010)).accepted());

    member_run lenient(vehicle_club("follow", "flag"));
    lenient.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    ASSERT_TRUE(lenient.apply(order("ro1", "M1", "2025-09-01T10:00:00+08:00", V1, "WAX-FULL", 15010)).accepted());
    const outcome flagged = lenient.apply(back);
    ASSERT_TRUE(flagged.accepted()) << flagged.message;
    EXPECT_TRUE(traced(flagged, "odometer: 14,000 km on VIN " + V1 + " is lower than its last reading 15,010 km on "
                                "2025-09-01 (ro1); accepted and flagged (odometer.backwards: flag)"))
        << trace_text(flagged);
    const vehicle_record* v = lenient.state().find_vehicle(V1);
    ASSERT_NE(v, nullptr);
    ASSERT_EQ(v->readings.size(), 2u);
    EXPECT_TRUE(v->readings[1].flagged);
    EXPECT_EQ(v->last_reading()->km, 14000);
    // Reversing the order withdraws its reading: 15,010 km is the last again.
    ASSERT_TRUE(lenient.apply(reverse_of("r1", "2025-10-03T10:00:00+08:00", "ro2")).accepted());
    EXPECT_EQ(lenient.state().find_vehicle(V1)->last_reading()->km, 15010);
}

// Service due by mileage, maintenance_km 7,500: readings 0 km on 10 Jan 2025 (the purchase) and
// 10,000 km on 8 Sep 2025, 241 days later. Due at 10,000 + 7,500 = 17,500 km, reached
// 7,500 x 241 / 10,000 = 180.75 days after the last reading, rounded up: 181 days, 8 Mar 2026.
TEST(VehicleBenefits, ServiceDueByMileageIsEstimatedFromTheReadings) {
    program p = vehicle_club("follow");
    p.member_value.touch_points.maintenance_km = 7500;
    member_run run(p);
    run.apply(enrol("e0", "2025-01-05T10:00:00+08:00"));
    run.apply(purchase("p1", "M1", "2025-01-10T10:00:00+08:00", V1, R"(,"odometer_km":0)"));
    ASSERT_TRUE(run.apply(order("ro1", "M1", "2025-09-08T10:00:00+08:00", V1, "WAX-FULL", 10000)).accepted());
    const member_history none;  // no visits: only the readings speak
    const auto due = touch_points_of(p, run.state(), none, at("2026-03-01T10:00:00+08:00"), p.member_value, 7);
    std::vector<touch_point> mileage;
    for (const touch_point& t : due)
        if (t.kind == touch_point_kind::service_due_km) mileage.push_back(t);
    ASSERT_EQ(mileage.size(), 1u);
    EXPECT_EQ(mileage[0].on, on("2026-03-08"));
    EXPECT_EQ(mileage[0].days_from_as_of, 7);
    EXPECT_EQ(mileage[0].subject, V1);
    EXPECT_EQ(mileage[0].reason, "service due at 17,500 km (last reading 10,000 km on 2025-09-08 + 7,500 km), estimated "
                                 "2026-03-08 at 10,000 km over 241 days (2025-01-10..2025-09-08; rounded up to a whole day)");
    // A window of 6 days (through 7 March) does not reach 8 March.
    EXPECT_EQ(touch_points_of(p, run.state(), none, at("2026-03-01T10:00:00+08:00"), p.member_value, 6).size(),
              due.size() - 1);
}

}  // namespace scenario_vehicle_benefits
