#pragma once
// Internal to loyalty::io: reads "rewards", "redemption" and "transfers" of a programme.
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

void read_rewards(object_reader& programme, program& p);

}  // namespace loyalty::io
