// Loading vehicle-scoped benefits, the odometer setting and odometer readings: every mistake is
// refused with an error id and the JSON pointer of the field; what loads is written back the same.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "program_edit.hpp"

namespace unit_vehicle_json {

using namespace loyalty;
using namespace loyalty::test;

namespace {

// The reference programme with its waxing (benefit 3) made vehicle-scoped, then `edit`ed.
std::string with_vehicle_waxing(const std::function<void(nlohmann::json&)>& edit) {
    return edited([&](nlohmann::json& j) {
        nlohmann::json& w = j["benefits"][3];
        w["scope"] = "vehicle";
        w["on_transfer"] = "follow";
        edit(w);
    });
}

}  // namespace

TEST(VehicleJson, AVehicleScopedBenefitLoadsWithItsTerms) {
    const program p = io::load_program(with_vehicle_waxing([](nlohmann::json& w) {
        w["since_purchase"] = {{"months", 6}, {"km", 7500}, {"uses", 1}};
        w["every_km"] = 15000;
    }));
    const benefit& b = p.benefits[3];
    ASSERT_TRUE(b.vehicle.has_value());
    EXPECT_EQ(b.vehicle->transfer, on_transfer::follow);
    EXPECT_EQ(b.vehicle->since_purchase->months, 6);
    EXPECT_EQ(b.vehicle->since_purchase->km, 7500);
    EXPECT_EQ(b.vehicle->since_purchase->uses, 1);
    EXPECT_EQ(b.vehicle->every_km, 15000);
    EXPECT_FALSE(p.benefits[0].vehicle.has_value());  // member-scoped by default
    EXPECT_EQ(p.odometer.backwards, backwards_reading::refuse);
    // Written back and read again: the same programme.
    EXPECT_EQ(io::program_to_json(io::load_program(io::program_to_json(p).dump())), io::program_to_json(p));
}

TEST(VehicleJson, BadVehicleTermsAreRefusedWithTheirPointer) {
    // A scope that is neither member nor vehicle.
    expect_refused([](nlohmann::json& j) { j["benefits"][3]["scope"] = "household"; }, "loyalty.program.invalid_scope",
                   "/benefits/3/scope");
    // A service item is not used on a repair order: it cannot be vehicle-scoped.
    expect_refused(
        [](nlohmann::json& j) {
            j["benefits"][7]["scope"] = "vehicle";
            j["benefits"][7]["on_transfer"] = "end";
        },
        "loyalty.program.invalid_scope", "/benefits/7/scope");
    // Vehicle terms on a member-scoped benefit.
    expect_refused([](nlohmann::json& j) { j["benefits"][3]["every_km"] = 15000; }, "loyalty.program.vehicle_only",
                   "/benefits/3/every_km");
    // A vehicle-scoped benefit must say what happens when the vehicle changes owner.
    expect_refused(
        [](nlohmann::json& j) { j["benefits"][3]["scope"] = "vehicle"; }, "loyalty.program.missing_field",
        "/benefits/3/on_transfer");
    expect_refused(with_vehicle_waxing([](nlohmann::json& w) { w["on_transfer"] = "keep"; }),
                   "loyalty.program.invalid_option", "/benefits/3/on_transfer");
    // Negative and zero kilometres.
    expect_refused(with_vehicle_waxing([](nlohmann::json& w) { w["every_km"] = -15000; }), "loyalty.program.invalid_km",
                   "/benefits/3/every_km");
    expect_refused(with_vehicle_waxing([](nlohmann::json& w) { w["since_purchase"] = {{"km", 0}}; }),
                   "loyalty.program.invalid_km", "/benefits/3/since_purchase/km");
    // A window with neither months nor km, and a key the window does not know.
    expect_refused(with_vehicle_waxing([](nlohmann::json& w) { w["since_purchase"] = {{"uses", 1}}; }),
                   "loyalty.program.invalid_window", "/benefits/3/since_purchase");
    expect_refused(with_vehicle_waxing([](nlohmann::json& w) { w["since_purchase"] = {{"months", 6}, {"miles", 5000}}; }),
                   "loyalty.program.unknown_key", "/benefits/3/since_purchase/miles");
}

TEST(VehicleJson, TheOdometerSettingIsRefuseOrFlag) {
    EXPECT_EQ(io::load_program(edited([](nlohmann::json& j) { j["odometer"] = {{"backwards", "flag"}}; })).odometer.backwards,
              backwards_reading::flag);
    expect_refused([](nlohmann::json& j) { j["odometer"] = {{"backwards", "ignore"}}; }, "loyalty.program.invalid_option",
                   "/odometer/backwards");
    expect_refused([](nlohmann::json& j) { j["odometer"] = {{"forwards", "refuse"}}; }, "loyalty.program.unknown_key",
                   "/odometer/forwards");
}

TEST(VehicleJson, OdometerReadingsOnEvents) {
    const auto error_of = [](const std::string& text) -> std::pair<std::string, std::string> {
        try {
            ev(text);
        } catch (const error& e) {
            return {e.id(), e.pointer()};
        }
        return {"accepted", ""};
    };
    const std::string ro = R"({"id":"r","member":"M1","at":"2025-03-01T10:00:00Z","type":"repair_order",)"
                           R"("lines":[{"kind":"labour","category":"care","unit_price":"1.00"}],)";
    EXPECT_EQ(error_of(ro + R"("vin":"V1","odometer_km":-1})"),
              std::make_pair(std::string("loyalty.event.invalid_odometer"), std::string("/odometer_km")));
    EXPECT_EQ(error_of(ro + R"("vin":"V1","odometer_km":12.5})").second, "/odometer_km");  // whole km only
    EXPECT_EQ(error_of(ro + R"("odometer_km":1000})"),
              std::make_pair(std::string("loyalty.event.missing_vin"), std::string("/odometer_km")));
    const event e = ev(ro + R"("vin":"V1","odometer_km":15010})");
    EXPECT_EQ(std::get<events::repair_order>(e.body).odometer_km, 15010);
    const event back = io::load_event(io::event_to_json(e).dump(), cny());
    EXPECT_EQ(std::get<events::repair_order>(back.body).odometer_km, 15010);

    const std::string buy = R"({"id":"p","member":"M2","at":"2025-03-01T10:00:00Z","type":"vehicle_purchase",)"
                            R"("price":"1000.00",)";
    EXPECT_EQ(error_of(buy + R"("vin":"V1","odometer_km":-5})"),
              std::make_pair(std::string("loyalty.event.invalid_odometer"), std::string("/odometer_km")));
    const event p = ev(buy + R"("vin":"V1","odometer_km":40000,"previous_owner":"M1"})");
    const auto& vp = std::get<events::vehicle_purchase>(p.body);
    EXPECT_EQ(vp.odometer_km, 40000);
    EXPECT_EQ(vp.previous_owner, "M1");
    const event reread = io::load_event(io::event_to_json(p).dump(), cny());  // held: `again` refers into it
    const auto& again = std::get<events::vehicle_purchase>(reread.body);
    EXPECT_EQ(again.odometer_km, 40000);
    EXPECT_EQ(again.previous_owner, "M1");
}

}  // namespace unit_vehicle_json
