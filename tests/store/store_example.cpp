// Keeping a club's journal in SQLite: append batches, read a member without replay, erase
// personal data, audit. Shown in docs/store.md and run by the tests.
#include <cstdio>
#include <iostream>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/store/store.hpp"

int main(int argc, char** argv) {
    using namespace loyalty;
    if (argc != 3) return 2;  // store-example EVENTS.jsonl DATABASE-FILE
    const program_versions club(io::load_program(io::reference_program_json()));
    const std::vector<event> journal = io::load_journal_file(argv[1], club.latest().currency_unit);
    std::remove(argv[2]);

    auto db = store::store::open(std::string("sqlite:") + argv[2], club);
    std::size_t accepted = 0, duplicates = 0, refused = 0;
    for (std::size_t i = 0; i < journal.size(); i += 10) {  // batches of 10 events, one transaction each
        const std::vector<event> batch(journal.begin() + i, journal.begin() + std::min(journal.size(), i + 10));
        const store::batch_result r = db->append(batch);
        accepted += r.accepted;
        duplicates += r.duplicates;
        refused += r.refused;
        for (const store::event_result& e : r.events)
            if (e.status == store::event_status::refused)
                std::cout << "refused " << e.event << ": " << to_string(e.code) << "\n";
    }
    // Sending the same batch again changes nothing: every event is a duplicate.
    const store::batch_result again = db->append({journal.front()});

    db->put_personal("M001", {"Zhang Wei", "+86 139 0000 0001", parse_day("1985-06-18")});
    db->erase_personal("M001");  // on the member's request; the ledger keeps only "M001"

    const member_state m001 = *db->member("M001");  // from the snapshot, no replay
    std::cout << accepted << " accepted, " << duplicates << " duplicate, " << refused << " refused; resent: "
              << again.duplicates << " duplicate\n"
              << "M001 balance " << m001.balance().count() << " in " << db->ledger_of("M001").size() << " entries\n"
              << "audit " << (db->verify().ok() ? "ok" : "FAILED") << "\n";
    return db->verify().ok() ? 0 : 1;
}
