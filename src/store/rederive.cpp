// Writing a store's ledger again from its journal (rederive.hpp).
#include "rederive.hpp"

#include <map>
#include <string>
#include <vector>

#include "entry_rows.hpp"
#include "loyalty/io/event_json.hpp"
#include "snapshot.hpp"
#include "stock.hpp"

namespace loyalty::store::detail {

bool rederive_pending(connection& db) {
    return !db.query("SELECT value FROM loyalty_meta WHERE key = 'ledger_rederive'", {}).empty();
}

std::size_t rederive_ledger(connection& db, const program_versions& versions, std::size_t page,
                            const std::function<void(std::size_t, std::size_t)>& progress) {
    std::size_t done = 0;
    db.begin_write();
    try {
        db.lock_schema();  // one upgrade at a time; a second process waits, then finds it done
        if (!rederive_pending(db)) {
            db.rollback();
            return 0;
        }
        const std::size_t total = static_cast<std::size_t>(as_int(db.query("SELECT COUNT(*) FROM events", {}).at(0).at(0)));
        std::map<std::string, std::int64_t> revisions;
        for (const row& r : db.query("SELECT member, revision FROM snapshots", {})) revisions.emplace(as_text(r[0]), as_int(r[1]));
        db.exec("DELETE FROM entries");
        db.exec("DELETE FROM snapshots");
        db.exec("DELETE FROM reward_stock");

        const std::string insert = std::string("INSERT INTO entries (") + entry_columns + ") VALUES " + entry_placeholders;
        journal_runner runner(versions, [&](const std::vector<ledger_entry>& written) {
            for (const ledger_entry& e : written) db.query(insert, entry_params(e));
        });
        runner.set_explanation(explanation::none);  // entries, states and refusals only
        const std::string events_sql = "SELECT position, id, body FROM events WHERE position > ? ORDER BY position LIMIT " +
                                       std::to_string(page < 1 ? 1 : page);
        const currency& unit = versions.latest().currency_unit;
        for (std::int64_t after = 0;;) {
            const std::vector<row> events = db.query(events_sql, {after});
            if (events.empty()) break;
            for (const row& r : events) {
                const std::string id = as_text(r[1]);
                const event e = read_as_stored("event '" + id + "'", [&] { return io::load_event(as_text(r[2]), unit); });
                const outcome o = runner.apply(e);
                if (!o.accepted())
                    fail("rederive_refused", "event '" + id + "' (journal position " + std::to_string(as_int(r[0])) +
                                                 ") is refused by a replay under this version: " +
                                                 std::string(to_string(o.refused)) + ": " + o.message +
                                                 "; nothing was changed (the programme versions given must be those "
                                                 "the store was written under)");
                ++done;
                if (progress) progress(done, total);
            }
            after = as_int(events.back()[0]);
        }
        for (const auto& [member, state] : runner.members()) {
            const auto it = revisions.find(member);
            write_snapshot(db, state, (it == revisions.end() ? 0 : it->second) + 1);
        }
        add_stock_moves(db, {}, runner.stock().issued);
        db.query("DELETE FROM loyalty_meta WHERE key = 'ledger_rederive'", {});
        db.commit();
    } catch (...) {
        db.rollback();
        throw;
    }
    return done;
}

}  // namespace loyalty::store::detail
