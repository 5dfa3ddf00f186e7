#pragma once
// Internal to loyalty::io: reads and writes a programme's "tiers" section.
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

// Reads "tiers" (if given) into p.tiers; call before read_benefits/read_rewards.
void read_tiers(object_reader& programme, program& p);
// Every id in a benefit's or reward's `tiers` list must be one of the programme's tiers (when
// the programme has a tiers section; without one, a list simply admits nobody).
void check_tier_lists(const program& p);
json tiers_to_json(const tier_policy& t);

}  // namespace loyalty::io
