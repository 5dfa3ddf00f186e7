#pragma once
// The two readers of one event line (event_json.hpp's load_event): the simdjson tape
// (event_simdjson.cpp, the volume path) and parse_exact's DOM (event_json.cpp), which reads
// what the tape declines (json_tape.hpp) and is the reference the tape is tested against.
#include <string_view>

#include "loyalty/core/error.hpp"
#include "loyalty/event/event.hpp"

namespace loyalty::io {

// parse_exact + event_from_json, its loyalty.json.* errors said as loyalty.event.*.
event load_event_with_parse_exact(std::string_view text, const currency& default_currency);

}  // namespace loyalty::io
