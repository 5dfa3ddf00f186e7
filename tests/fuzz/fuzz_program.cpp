// libFuzzer target: the programme loader (load_program), then the engine with what loaded.
//
// The contract fuzzed: whatever the bytes, load_program either returns a programme or throws
// loyalty::error. A programme that loads must be usable: a few ordinary events (enrolment,
// a vehicle, a repair order, a birthday, a reversal, a tick) are applied and priced under it,
// and that may refuse but never crash, trip a sanitizer or throw anything but loyalty::error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty_fuzz.hpp"

namespace {

const char* const journal =
    R"({"id":"f1","member":"M1","at":"2025-06-01T10:00:00+08:00","type":"enrol"})" "\n"
    R"({"id":"f2","member":"M1","at":"2025-06-01T11:00:00+08:00","type":"vehicle_purchase","vin":"V1","price":"186800.00"})" "\n"
    R"({"id":"f3","member":"M1","at":"2025-07-05T10:00:00+08:00","type":"repair_order","ro":"RO-1","lines":[)"
    R"({"kind":"labour","category":"maintenance","operation":"OIL-CHANGE","unit_price":"120.00"},)"
    R"({"kind":"part","category":"filters","operation":"OIL-FILTER","quantity":"2","unit_price":"45.00"},)"
    R"({"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"},)"
    R"({"kind":"labour","category":"repair","operation":"BUMPER","quantity":"1.5","unit_price":"200.00","flags":["accident"]}]})" "\n"
    R"({"id":"f4","member":"M1","at":"2025-08-01T08:00:00+08:00","type":"birthday"})" "\n"
    R"({"id":"f5","member":"M1","at":"2025-08-02T08:00:00+08:00","type":"survey","survey":"S1"})" "\n"
    R"({"id":"f6","member":"M1","at":"2025-08-03T08:00:00+08:00","type":"benefit_use","benefit":"claim-handling"})" "\n"
    R"({"id":"f7","member":"M1","at":"2025-09-01T08:00:00+08:00","type":"reverse","event":"f3"})" "\n"
    R"({"id":"f8","member":"M1","at":"2025-09-02T08:00:00+08:00","type":"adjustment","points":-50,"reason":"r","operator":"o"})" "\n"
    R"({"id":"f9","member":"M1","at":"2029-01-01T08:00:00+08:00","type":"tick"})" "\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    loyalty::fuzz::expect_only_loyalty_errors([&] {
        const loyalty::program p = loyalty::io::load_program(text);
        const loyalty::program_versions versions(p);
        const std::vector<loyalty::event> events = loyalty::io::load_journal(journal, p.currency_unit);
        loyalty::journal_runner run(versions);
        for (const loyalty::event& e : events) {
            if (const auto* ro = std::get_if<loyalty::events::repair_order>(&e.body)) {
                const auto it = run.members().find(e.member);
                if (it != run.members().end())
                    loyalty::fuzz::expect_only_loyalty_errors([&] { (void)loyalty::price(p, it->second, *ro, e.at); });
            }
            run.apply(e);
        }
    });
    return 0;
}
