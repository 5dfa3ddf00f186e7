// Properties of vehicle-scoped benefits (RapidCheck): over random journals of two members and
// two vehicles — repair orders with waxings (4 a year per vehicle, following the vehicle) and
// 36-point inspections (one per 15,000 km) at readings that rise by random steps, and one sale
// of V1 from M1 to M2 at a random point —
//   - the uses of waxing on a vehicle in a calendar year, both owners' together, never exceed 4;
//   - two uses of the inspection on a vehicle are at least 15,000 km apart, one per order;
//   - readings never go backwards (the programme refuses those); the ledger verifies and replays.
// RC_PARAMS="max_success=2000" runs more cases.
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/engine/journal.hpp"

namespace property_vehicle_properties {

namespace {

using namespace loyalty;

program vehicle_club() {
    return test::variant([](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(R"([
            {"id":"waxing","type":"free_line","lines":{"operations":["WAX-FULL"]},"scope":"vehicle",
             "on_transfer":"follow","quota":{"uses":4,"period":"calendar_year"}},
            {"id":"inspection-36","type":"free_line","lines":{"operations":["INSPECT-36"]},"scope":"vehicle",
             "on_transfer":"follow","every_km":15000}])");
    });
}

std::vector<std::string> gen_journal() {
    std::vector<std::string> out;
    date::sys_seconds t = test::at("2025-01-01T02:00:00Z");
    const auto when = [&] { return format_instant(t); };
    out.push_back(R"({"id":"e1","member":"M1","at":")" + when() + R"(","type":"enrol"})");
    out.push_back(R"({"id":"e2","member":"M2","at":")" + when() + R"(","type":"enrol"})");
    out.push_back(R"({"id":"p1","member":"M1","at":")" + when() + R"(","type":"vehicle_purchase","vin":"V1","price":"1000.00","odometer_km":0})");
    std::map<std::string, long long> km{{"V1", 0}, {"V2", 0}};
    const int n = *rc::gen::inRange(1, 40);
    const int sale = *rc::gen::inRange(0, n);
    for (int i = 0; i < n; ++i) {
        t += std::chrono::hours(*rc::gen::element(1, 24 * 10, 24 * 60));
        if (i == sale)
            out.push_back(R"({"id":"sale","member":"M2","at":")" + when() +
                          R"(","type":"vehicle_purchase","vin":"V1","price":"500.00","previous_owner":"M1"})");
        const std::string vin = *rc::gen::element<std::string>("V1", "V2");
        const std::string member = vin == "V2" ? "M1" : (i >= sale ? "M2" : "M1");
        km[vin] += *rc::gen::element(0, 10, 4000, 9990, 15000, 16000);
        const std::string op = *rc::gen::element<std::string>("WAX-FULL", "INSPECT-36");
        const int quantity = *rc::gen::inRange(1, 4);
        out.push_back(R"({"id":"ro)" + std::to_string(i) + R"(","member":")" + member + R"(","at":")" + when() +
                      R"(","type":"repair_order","ro":"RO)" + std::to_string(i) + R"(","vin":")" + vin +
                      R"(","odometer_km":)" + std::to_string(km[vin]) +
                      R"(,"lines":[{"kind":"labour","category":"care","operation":")" + op + R"(","quantity":)" +
                      std::to_string(quantity) + R"(,"unit_price":"100.00"}]})");
    }
    return out;
}

}  // namespace

RC_GTEST_PROP(VehicleProperties, QuotasPerVehicleAndIntervalsHold, ()) {
    const std::vector<std::string> journal = gen_journal();
    const program_versions versions(vehicle_club());
    journal_runner run{versions};
    std::vector<event> events;
    for (const std::string& text : journal) {
        events.push_back(test::ev(text));
        const outcome o = run.apply(events.back());
        RC_ASSERT(o.accepted());
    }
    // Hash chains verify, and replaying the journal gives the same ledger.
    RC_ASSERT(verify(versions, events, run.entries()).ok());
    // Every use of each benefit on each vehicle, both owners' (a use is the member's own; the
    // buyer's copies of the seller's are not counted twice).
    std::map<std::pair<std::string, int>, std::int64_t> waxings;  // (vin, year) -> uses
    std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> inspections;  // vin -> (km, uses)
    for (const auto& [id, s] : run.members()) {
        for (const benefit_use& u : s.benefit_usage) {
            RC_ASSERT(!u.vin.empty());
            if (u.benefit == "waxing")
                waxings[{u.vin.str(), static_cast<int>(date::year_month_day(u.on).year())}] += u.uses;
            else
                inspections[u.vin.str()].emplace_back(*u.odometer_km, u.uses);
        }
        for (const vehicle_record& v : s.vehicle_records)
            for (std::size_t i = 1; i < v.readings.size(); ++i) RC_ASSERT(v.readings[i - 1].km <= v.readings[i].km);
    }
    for (const auto& [key, uses] : waxings) RC_ASSERT(uses <= 4);
    for (auto& [vin, list] : inspections) {
        std::sort(list.begin(), list.end());
        for (std::size_t i = 0; i < list.size(); ++i) {
            RC_ASSERT(list[i].second == 1);
            if (i > 0) RC_ASSERT(list[i].first - list[i - 1].first >= 15000);
        }
    }
}

}  // namespace property_vehicle_properties
