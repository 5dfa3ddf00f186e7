#pragma once
// Events in JSON, one object per event; a journal is JSON lines.
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/event/event.hpp"
#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io {

// Parses one event. Money is in `default_currency` unless the event names its "currency"; the
// overloads taking a programme use the programme's currency. Malformed events raise
// loyalty::error with id loyalty.event.* and the field's JSON pointer.
event load_event(std::string_view json_text, const currency& default_currency);
event load_event(std::string_view json_text, const program& p);
event event_from_json(const json& document, const currency& default_currency);

// The same, read into `into`, whose strings and repair-order lines keep their room: a reader of
// many lines that reads each into one event (a journal's) allocates nothing for most repair
// orders, benefit uses, surveys and vehicle purchases once the room is there (an order with more
// lines than the one before makes its extra lines' texts past 15 bytes anew; other types' texts
// past 15 bytes, such as a reversal's reason, take a block). The same event, or the same error,
// as load_event; after an error `into` holds some valid event, not the line's.
void load_event_into(std::string_view json_text, const currency& default_currency, event& into);
void load_event_into(std::string_view json_text, const program& p, event& into);

json event_to_json(const event& e);

// A journal in JSON lines. Blank lines are skipped; an error names its line (error::line()) and,
// read from a file, the file: "[loyalty.event.missing_field] E.jsonl, line 7: (/lines/0/unit_price) ...".
std::vector<event> load_journal(std::string_view jsonl_text, const currency& default_currency);
std::vector<event> load_journal(std::string_view jsonl_text, const program& p);
std::vector<event> load_journal_file(const std::string& path, const currency& default_currency);
std::vector<event> load_journal_file(const std::string& path, const program& p);

}  // namespace loyalty::io
