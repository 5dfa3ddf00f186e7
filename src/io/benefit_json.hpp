#pragma once
// Internal to loyalty::io: reads "benefits" and "benefit_stacking" of a programme.
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

void read_benefits(object_reader& programme, program& p);

}  // namespace loyalty::io
