// Quick start: load the reference 4S club programme, enrol a member, close a repair order,
// and read the balance, the ledger entries and why each was written.
#include <iostream>

#include "loyalty/engine/apply.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

int main() {
    using namespace loyalty;
    const program_versions club(io::load_program(io::reference_program_json()));

    member_state li("M001");
    for (const char* json : {
             R"({"id":"e1","member":"M001","at":"2025-03-15T09:00:00+08:00","type":"enrol"})",
             R"({"id":"e2","member":"M001","at":"2025-03-15T10:30:00+08:00","type":"repair_order",
                 "lines":[{"kind":"labour","category":"maintenance","operation":"OIL-CHANGE","unit_price":"120.00"},
                          {"kind":"part","category":"maintenance","quantity":"4","unit_price":"68.50"}]})"}) {
        const outcome out = apply(club, li, io::load_event(json, club.latest()));  // money in its CNY
        if (!out.accepted()) {
            std::cerr << to_string(out.refused) << ": " << out.message << "\n";
            return 1;
        }
        for (const ledger_entry& e : out.entries) std::cout << e.seq << " " << e.amount << "  " << e.reason << "\n";
        li = out.state;
    }
    // 500 welcome; oil-change labour is free for members, so the member pays 4 x 68.50 = 274.00
    // for the oil, which earns 274 x 1 pt x 2 (March maintenance month) = 548: balance 1048.
    std::cout << "balance: " << li.balance() << "\n";
    return li.balance() == points(1048) ? 0 : 1;
}
