// libFuzzer target: the event loader (load_event) and the journal loader (load_journal).
//
// The contract fuzzed: whatever the bytes, the loaders either return events or throw
// loyalty::error (any other exception, a crash or a sanitizer report is a finding); the two
// readers of an event line agree: load_event (simdjson) and event_from_json(parse_exact(...))
// (nlohmann) give the same event or the same error (id, pointer, message); and an event that
// loads is written back by event_to_json into JSON that loads into the same event (compared
// through its JSON text, as docs/events.md promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loyalty/io/event_json.hpp"
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
                if (e.id().rfind("loyalty.json.", 0) != 0) throw;
                throw e.with_id("loyalty.event" + e.id().substr(12));
            }
        });
        if (fast != reference)
            loyalty::fuzz::fail("load_event (simdjson) and event_from_json(parse_exact) disagree",
                                std::string(text) + "\nsimdjson:    " + fast + "\nparse_exact: " + reference);
        if (fast.rfind("event ", 0) != 0) return;
        const std::string once = fast.substr(6);
        const std::string twice = loyalty::io::event_to_json(loyalty::io::load_event(once, cny)).dump();
        if (once != twice) loyalty::fuzz::fail("event_to_json does not round-trip", once + "\n" + twice);
    });
    loyalty::fuzz::expect_only_loyalty_errors([&] { (void)loyalty::io::load_journal(text, cny); });
    return 0;
}
