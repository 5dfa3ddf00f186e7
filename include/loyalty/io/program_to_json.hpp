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

// A tier's `qualify` or `retain` threshold as the programme writes it: the measures it states
// ({"points": 2000}, {"spend": "20000.00"}, ...). Reports that show a threshold use this form.
json threshold_to_json(const tier_threshold& t);

}  // namespace loyalty::io
