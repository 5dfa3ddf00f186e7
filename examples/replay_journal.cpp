// Runs a journal (JSON lines) through a programme and audits the resulting ledger.
//   loyalty-replay PROGRAM.json EVENTS.jsonl
#include <iostream>

#include "loyalty/audit/verify.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

int main(int argc, char** argv) {
    using namespace loyalty;
    if (argc != 3) return 2;
    const program_versions club(io::load_program_file(argv[1]));
    const std::vector<event> journal = io::load_journal_file(argv[2], club.latest().currency_unit);

    journal_runner run(club);
    for (const event& e : journal) run.apply(e);
    const verification_report report = verify(club, journal, run.entries());

    std::cout << run.members().size() << " members, " << run.entries().size() << " entries, "
              << run.refusals().size() << " refused, audit " << (report.ok() ? "ok" : "FAILED") << "\n";
    return report.ok() ? 0 : 1;
}
