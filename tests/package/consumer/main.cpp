// Uses the installed package: loads the compiled-in reference programme, enrols a member and
// closes a repair order, then checks the points. Exits non-zero on any mismatch.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <loyalty/loyalty.hpp>
#include <loyalty/io/event_json.hpp>
#include <loyalty/io/program_json.hpp>

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
    if (!ok) {
        std::fprintf(stderr, "MISMATCH: %s\n", what.c_str());
        ++failures;
    }
}

}  // namespace

int main() {
    try {
        const loyalty::program prog = loyalty::io::load_program(loyalty::io::reference_program_json());
        const loyalty::program_versions versions(prog);
        const loyalty::currency cny = prog.currency_unit;

        const loyalty::event enrol = loyalty::io::load_event(
            R"({"id":"c-1","member":"C001","at":"2025-05-10T10:00:00+08:00","type":"enrol"})", cny);
        // An accessory (1 pt per 2.00 CNY: 380.00 -> 190 pt) and an accident repair (earns nothing).
        const loyalty::event ro = loyalty::io::load_event(
            R"({"id":"c-2","member":"C001","at":"2025-05-20T15:00:00+08:00","type":"repair_order","ro":"RO-C-1",)"
            R"("lines":[{"kind":"part","category":"accessory","operation":"FLOOR-MATS","unit_price":"380.00"},)"
            R"({"kind":"labour","category":"repair","operation":"BUMPER","unit_price":"600.00","flags":["accident"]}]})",
            cny);

        const loyalty::outcome joined = loyalty::apply(versions, loyalty::member_state("C001"), enrol);
        expect(joined.accepted(), "enrolment refused: " + joined.message);
        expect(joined.state.balance() == loyalty::points(500), "welcome bonus: balance " +
                                                                   loyalty::to_string(joined.state.balance()) +
                                                                   ", expected 500");
        const loyalty::outcome visited = loyalty::apply(versions, joined.state, ro);
        expect(visited.accepted(), "repair order refused: " + visited.message);
        expect(visited.state.balance() == loyalty::points(690),
               "after the repair order: balance " + loyalty::to_string(visited.state.balance()) + ", expected 690");

        std::vector<loyalty::ledger_entry> ledger = joined.entries;
        ledger.insert(ledger.end(), visited.entries.begin(), visited.entries.end());
        expect(!loyalty::verify_chain(ledger).has_value(), "the hash chain does not verify");
        for (const loyalty::ledger_entry& e : ledger)
            std::printf("%lld %-6s %+5lld -> %5lld  %s\n", static_cast<long long>(e.seq),
                        std::string(loyalty::to_string(e.kind)).c_str(), static_cast<long long>(e.amount.count()),
                        static_cast<long long>(e.balance.count()), e.reason.c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    if (failures) return 1;
    std::printf("loyalty package consumer: ok\n");
    return 0;
}
