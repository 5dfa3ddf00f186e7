#pragma once
// What the tests of the two exact readers of a JSON line share (tests/unit/test_event_readers.cpp,
// test_ledger_readers.cpp): the reference reading through parse_exact, its errors said in the
// reader's domain, and whether the simdjson tape reads a line itself.
#include <string_view>

#include "io/json_tape.hpp"
#include "loyalty/io/json.hpp"

namespace loyalty::test {

// read(parse_exact(line)): what the volume path must agree with; parse_exact's loyalty.json.*
// errors said as <domain>.* as the volume path says them.
template <class Read>
auto with_parse_exact_in(std::string_view line, std::string_view domain, Read&& read) {
    try {
        return read(io::parse_exact(line));
    } catch (const error& e) {
        io::rethrow_in_domain(e, domain);
    }
}

// True when the simdjson tape reads `line` itself rather than handing it to parse_exact
// (json_tape.hpp declines only odd text).
inline bool read_by_the_tape(std::string_view line) {
    thread_local io::json_tape tape;
    try {
        return tape.read(line);
    } catch (const error&) {
        return true;  // a duplicate key, refused by the tape itself
    }
}

}  // namespace loyalty::test
