#pragma once
// Helpers for fleet-account tests: a programme with a fleet policy and events of any member.
#include <string>

#include "engine_support.hpp"
#include "program_edit.hpp"

namespace loyalty::test {

// "corporate": volume rebate over the calendar year, 2% of the whole spend from 100,000.00, 3%
// from 300,000.00 (rounded down), paid as money; `pay_as_points` pays 1 point per 1.00 instead.
inline nlohmann::json corporate_policy(const std::string& method = "whole", bool pay_as_points = false) {
    nlohmann::json rebate = {{"period", "calendar_year"},
                             {"method", method},
                             {"bands", {{{"from", "100000.00"}, {"rate", "0.02"}}, {{"from", "300000.00"}, {"rate", "0.03"}}}}};
    if (pay_as_points) {
        rebate["pay_as"] = "points";
        rebate["points_per_unit"] = "1";
    }
    return {{"id", "corporate"}, {"name", "Corporate fleet"}, {"volume_rebate", rebate}};
}

inline program fleet_program(const nlohmann::json& policy = corporate_policy()) {
    return variant([&](nlohmann::json& j) { j["fleet_policies"] = nlohmann::json::array({policy}); });
}

inline std::string event_of(const std::string& id, const std::string& member, const std::string& when,
                            const std::string& type, const std::string& extra = "") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":")" + type + "\"" +
           extra + "}";
}
// A closed repair order of one maintenance labour line.
inline std::string ro_for(const std::string& id, const std::string& member, const std::string& when,
                          const std::string& price) {
    return event_of(id, member, when, "repair_order",
                    R"(,"lines":[{"kind":"labour","category":"maintenance","unit_price":")" + price + "\"}]");
}

}  // namespace loyalty::test
