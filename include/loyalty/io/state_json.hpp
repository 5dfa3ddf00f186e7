#pragma once
// Member-state snapshots as JSON: every field of loyalty::member_state, exactly (points and
// money as integers, days and instants as ISO 8601 text), so that a state read back compares
// equal to the one written. The store keeps snapshots in this form and the Python bindings
// pickle with it.
#include <string>

#include "loyalty/io/json.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty::io {

json state_to_json(const member_state& s);

// The same text as state_to_json(s).dump(), byte for byte, written directly without building
// a JSON tree: the store writes a snapshot per touched member per batch, and the tree was most
// of that cost.
std::string state_to_json_text(const member_state& s);

// Reads a snapshot written by state_to_json. Every field is required and unknown keys are
// refused, so a snapshot that lost or gained a field is noticed, not half-read. Errors are
// loyalty::error with ids loyalty.state.* and the field's JSON pointer under `pointer`.
member_state state_from_json(const json& j, const std::string& pointer = "");

}  // namespace loyalty::io
