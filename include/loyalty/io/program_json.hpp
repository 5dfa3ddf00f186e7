#pragma once
// Programme definitions in JSON (format documented in docs/program-format.md).
#include <string>
#include <string_view>

#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

// Loads and validates a whole programme; a bad programme is refused as a whole with
// loyalty::error (id loyalty.program.*, JSON pointer of the field).
program load_program(std::string_view json_text);
program program_from_json(const json& document);
program load_program_file(const std::string& path);

// The reference 4S club programme, compiled into the library (examples/programs/4s-club.json).
std::string_view reference_program_json();

}  // namespace loyalty::io
