#pragma once
// Internal to loyalty::io: reads a programme's "fleet_policies" section.
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

// Reads "fleet_policies" (if given) into p.fleet_policies.
void read_fleet_policies(object_reader& programme, program& p);

}  // namespace loyalty::io
