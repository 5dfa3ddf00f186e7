#pragma once
// Programme definitions back to JSON: the inverse of program_from_json (docs/program-format.md).
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

// Every field of `p` in the documented format, in canonical form: fields with a default are
// written out (name, pending_days, backdated_events, reversal, benefit_stacking, descriptions,
// empty lists, ...), optional fields that are not set are left out, rates are exact decimal
// strings ("0.7"), money amounts strings with the currency's decimals ("0.10"), instants UTC
// ("2024-12-31T16:00:00Z"). So program_from_json(program_to_json(p)) is the same programme and
// writing that again gives the same JSON. The top-level `description` is not kept by the loader
// and so is not written.
json program_to_json(const program& p);

// The SHA-256 (64 lower-case hex digits) of program_to_json(p) written compactly with sorted
// keys: what tells apart two programmes that share an id and a version but not their rules
// (`loyalty validate`, `report compare`, the statement; Python's Program.digest). Equal
// programmes have equal digests; the top-level description, which is not kept, changes nothing.
std::string program_digest(const program& p);
// "4s-club v1 (3f2a9c1d0b7e)": id, version and the first 12 hex digits of the digest.
std::string program_label(const program& p);

// A tier's `qualify` or `retain` threshold as the programme writes it: the measures it states
// ({"points": 2000}, {"spend": "20000.00"}, ...). Reports that show a threshold use this form.
json threshold_to_json(const tier_threshold& t);

}  // namespace loyalty::io
