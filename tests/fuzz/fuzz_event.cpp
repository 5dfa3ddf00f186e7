// libFuzzer target: the event loader (load_event), the journal loader (load_journal) and the
// ledger loader (load_ledger): journal and ledger lines are JSON lines of the same shape, so
// one corpus (events, and the ledger lines of docs/ledger.md) serves both.
//
// The contract fuzzed: whatever the bytes, the loaders either return events or entries or throw
// loyalty::error (any other exception, a crash or a sanitizer report is a finding); the two
// readers of an event line agree: load_event (simdjson) and event_from_json(parse_exact(...))
// (nlohmann) give the same event or the same error (id, pointer, message), and so do the two
// readers of each ledger line, load_ledger and entry_from_json(parse_exact(...)); an event that
// loads is written back by event_to_json into JSON that loads into the same event (compared
// through its JSON text, as docs/events.md promises), and an entry that loads is written back by
// append_ledger_line as the same text entry_to_json gives. load_event_into, into an event that
// holds whatever the inputs before left in it (as a journal's reader reuses one), gives what
// load_event gives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty_fuzz.hpp"

namespace {

// "event {...}" or "error [id] (pointer) message"; other exceptions escape.
template <class Read>
std::string reading(Read&& read) {
    try {
        return "event " + loyalty::io::event_to_json(read()).dump();
    } catch (const loyalty::error& e) {
        return std::string("error ") + e.what();
    }
}

// "entry {...}" or "error id (pointer) message" (the line an error names is the reader's to add).
template <class Read>
std::string entry_reading(Read&& read) {
    try {
        return "entry " + loyalty::io::entry_to_json(read()).dump();
    } catch (const loyalty::error& e) {
        return "error " + e.id() + " (" + e.pointer() + ") " + e.message();
    }
}

// Each ledger line of `text`, as load_ledger reads it, against parse_exact's reading.
void compare_ledger_readers(std::string_view text) {
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string line(text.substr(start, end - start));
        start = end + 1;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // no line: load_ledger skips it
        const std::string fast = entry_reading([&] { return loyalty::io::load_ledger(line).at(0); });
        const std::string reference = entry_reading([&] {
            try {
                return loyalty::io::entry_from_json(loyalty::io::parse_exact(line));
            } catch (const loyalty::error& e) {  // parse_exact says loyalty.json.*, load_ledger loyalty.ledger.*
                loyalty::io::rethrow_in_domain(e, "loyalty.ledger");
            }
        });
        if (fast != reference)
            loyalty::fuzz::fail("load_ledger (simdjson) and entry_from_json(parse_exact) disagree",
                                line + "\nsimdjson:    " + fast + "\nparse_exact: " + reference);
        if (fast.rfind("entry ", 0) != 0) continue;
        std::string written;
        loyalty::io::append_ledger_line(written, loyalty::io::load_ledger(line).at(0));
        if (written != fast.substr(6) + "\n") loyalty::fuzz::fail("append_ledger_line is not entry_to_json", written + fast);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const loyalty::currency cny = *loyalty::currency::from_code("CNY");
    loyalty::fuzz::expect_only_loyalty_errors([&] {
        const std::string fast = reading([&] { return loyalty::io::load_event(text, cny); });
        const std::string reference = reading([&] {
            try {
                return loyalty::io::event_from_json(loyalty::io::parse_exact(text), cny);
            } catch (const loyalty::error& e) {  // parse_exact says loyalty.json.*, load_event loyalty.event.*
                loyalty::io::rethrow_in_domain(e, "loyalty.event");
            }
        });
        if (fast != reference)
            loyalty::fuzz::fail("load_event (simdjson) and event_from_json(parse_exact) disagree",
                                std::string(text) + "\nsimdjson:    " + fast + "\nparse_exact: " + reference);
        static loyalty::event reused;  // the last inputs' events, or what an error left
        const std::string into = reading([&] {
            loyalty::io::load_event_into(text, cny, reused);
            return reused;
        });
        if (into != fast)
            loyalty::fuzz::fail("load_event_into (an event reused) and load_event disagree",
                                std::string(text) + "\ninto:       " + into + "\nload_event: " + fast);
        if (fast.rfind("event ", 0) != 0) return;
        const std::string once = fast.substr(6);
        const std::string twice = loyalty::io::event_to_json(loyalty::io::load_event(once, cny)).dump();
        if (once != twice) loyalty::fuzz::fail("event_to_json does not round-trip", once + "\n" + twice);
    });
    loyalty::fuzz::expect_only_loyalty_errors([&] { (void)loyalty::io::load_journal(text, cny); });
    loyalty::fuzz::expect_only_loyalty_errors([&] { compare_ledger_readers(text); });
    loyalty::fuzz::expect_only_loyalty_errors([&] { (void)loyalty::io::load_ledger(text); });
    return 0;
}
