#pragma once
// The member value rules in JSON (docs/member-value.md): the `member_value` section of a
// programme, or a file holding that section alone. Refused as a whole with loyalty::error
// (id loyalty.program.*, JSON pointer of the field under the section's own pointer).
#include <string>
#include <string_view>

#include "loyalty/core/money.hpp"
#include "loyalty/insight/rules.hpp"
#include "loyalty/io/json.hpp"

namespace loyalty::io {

// Reads the section `section` found at JSON pointer `pointer` ("/member_value" inside a
// programme, "" for a file of its own); amounts are in currency `c` (the programme's).
member_value_rules member_value_rules_from_json(const json& section, const std::string& pointer, const currency& c);

// A document that is the section alone.
member_value_rules load_member_value_rules(std::string_view json_text, const currency& c);
member_value_rules load_member_value_rules_file(const std::string& path, const currency& c);

// Writes the rules back in canonical form (every field; amounts as exact decimal strings).
json member_value_rules_to_json(const member_value_rules& rules, const currency& c);

}  // namespace loyalty::io
