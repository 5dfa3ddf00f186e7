// load_event, the volume path: one line read by simdjson into the tape (json_tape.hpp), its
// fields by the code event_from_json uses (event_fields.hpp). What the tape declines is read by
// parse_exact instead, so both readers give the same event or the same error for any text
// (tests/unit/test_event_readers.cpp, and the fuzz target compares them).
#include "loyalty/io/event_json.hpp"

#include "event_fields.hpp"
#include "event_readers.hpp"
#include "json_tape.hpp"
#include "tape_reader.hpp"

namespace loyalty::io {

void load_event_into(std::string_view text, const currency& default_currency, event& into) {
    thread_local json_tape tape;  // its parser and buffers are reused, line after line
    bool read = false;
    try {
        read = tape.read(text);
    } catch (const error& e) {
        rethrow_in_domain(e, "loyalty.event");
    }
    if (!read) {
        into = load_event_with_parse_exact(text, default_currency);
        return;
    }
    event_fields::read_event_into<tape_access>(tape.root(), default_currency, into);
}

event load_event(std::string_view text, const currency& default_currency) {
    event e;
    load_event_into(text, default_currency, e);
    return e;
}

}  // namespace loyalty::io
