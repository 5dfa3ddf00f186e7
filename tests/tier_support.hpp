#pragma once
// A tiered variant of the reference club for tier tests: its points rules (welcome 500 at enrol,
// 1 pt per 1.00 of maintenance labour), no benefits, no promotion multipliers, and three tiers
// on calendar-year qualifying points in Asia/Shanghai:
//   silver   qualify 0                      (the base tier)
//   gold     qualify 3000, retain 2000, x1.5
//   platinum qualify 8000, retain 6000, x2
// with 31 grace days and at most one tier down per review.
#include <string>

#include <nlohmann/json.hpp>

#include "engine_support.hpp"

namespace loyalty::test {

inline nlohmann::json tiers_section(const std::string& window = R"({"period":"calendar_year"})") {
    return nlohmann::json::parse(R"({
      "window": )" + window + R"(,
      "grace_days": 31,
      "max_steps": 1,
      "levels": [
        {"id": "silver", "name": "Silver", "qualify": {"points": 0}},
        {"id": "gold", "name": "Gold", "qualify": {"points": 3000}, "retain": {"points": 2000}, "multiplier": "1.5"},
        {"id": "platinum", "name": "Platinum", "qualify": {"points": 8000}, "retain": {"points": 6000}, "multiplier": "2"}
      ]})");
}

inline program tiered(const std::string& window = R"({"period":"calendar_year"})",
                      const std::function<void(nlohmann::json&)>& more = {}) {
    return variant([&](nlohmann::json& j) {
        j.erase("multipliers");
        j["tiers"] = tiers_section(window);
        if (more) more(j);
    });
}

inline std::string assign(const std::string& id, const std::string& when, const std::string& tier) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
           R"(","type":"assign_tier","tier":")" + tier + R"(","reason":"tier match from another brand","operator":"op-7"})";
}

}  // namespace loyalty::test
