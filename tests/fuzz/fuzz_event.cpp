// libFuzzer target: the event loader (load_event) and the journal loader (load_journal).
//
// The contract fuzzed: whatever the bytes, the loaders either return events or throw
// loyalty::error (any other exception, a crash or a sanitizer report is a finding), and an
// event that loads is written back by event_to_json into JSON that loads into the same event
// (compared through its JSON text, as docs/events.md promises).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "loyalty/io/event_json.hpp"
#include "loyalty_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const loyalty::currency cny = *loyalty::currency::from_code("CNY");
    loyalty::fuzz::expect_only_loyalty_errors([&] {
        const loyalty::event e = loyalty::io::load_event(text, cny);
        const std::string once = loyalty::io::event_to_json(e).dump();
        const std::string twice = loyalty::io::event_to_json(loyalty::io::load_event(once, cny)).dump();
        if (once != twice) loyalty::fuzz::fail("event_to_json does not round-trip", once + "\n" + twice);
    });
    loyalty::fuzz::expect_only_loyalty_errors([&] { (void)loyalty::io::load_journal(text, cny); });
    return 0;
}
