// Schema versions. Each migration is a list of statements taking version N-1 to N; a database
// records its version in loyalty_meta. Migrations only ever go forward.
#include "schema.hpp"

#include <algorithm>
#include <functional>

#include "loyalty/store/store.hpp"
#include "snapshot.hpp"

namespace loyalty::store::detail {
namespace {

// `{serial}` is the backend's auto-increment key type. Text columns hold ISO 8601 instants
// ("2026-03-01T02:00:00Z"), which sort as they read, so period queries compare text.
std::vector<std::string> migration(int to) {
    switch (to) {
        case 1:
            return {
                // The journal: accepted events in the order they were applied. `position` is the
                // replay order; `id` is unique so that no event is ever stored twice.
                "CREATE TABLE events (position {serial}, id TEXT NOT NULL UNIQUE, member TEXT NOT NULL, "
                "at TEXT NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)",
                "CREATE INDEX events_member ON events (member, position)",
                // The ledger: append-only, one hash chain per member; (member, seq) is the key, so
                // two writers that both believed they appended seq N cannot both commit.
                "CREATE TABLE entries (member TEXT NOT NULL, seq BIGINT NOT NULL, event TEXT NOT NULL, "
                "at TEXT NOT NULL, kind TEXT NOT NULL, amount BIGINT NOT NULL, balance BIGINT NOT NULL, "
                "lot TEXT NOT NULL, expires TEXT NOT NULL, rule TEXT NOT NULL, program TEXT NOT NULL, "
                "version BIGINT NOT NULL, reason TEXT NOT NULL, reverses TEXT NOT NULL, money TEXT NOT NULL, "
                "prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (member, seq))",
                "CREATE INDEX entries_event ON entries (event)",
                // Member state after its last event (io::state_to_json), read without replay.
                // `revision` goes up by one with every write, so a writer that kept a member's
                // state in memory knows whether it is still the stored one without reading it.
                "CREATE TABLE snapshots (member TEXT PRIMARY KEY, revision BIGINT NOT NULL, last_seq BIGINT NOT NULL, "
                "state TEXT NOT NULL)",
                // Personal data, apart from everything hashed, so that it can be erased.
                "CREATE TABLE personal (member TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL, birthday TEXT)",
                // Refused events, for the operator: not part of the journal.
                "CREATE TABLE refusals (position {serial}, event TEXT NOT NULL, member TEXT NOT NULL, "
                "code TEXT NOT NULL, message TEXT NOT NULL, body TEXT NOT NULL)",
            };
        case 2:
            return {
                // Period reports read entries by instant.
                "CREATE INDEX entries_at ON entries (at)",
                // Units of each reward issued so far, programme-wide (the engine's reward_stock).
                "CREATE TABLE reward_stock (reward TEXT PRIMARY KEY, issued BIGINT NOT NULL)",
            };
        case 3:
            return {
                // Who funds what an entry moves, and the store where its event happened ("" when
                // the entry names none, as every entry written before version 3).
                "ALTER TABLE entries ADD COLUMN funder TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE entries ADD COLUMN store TEXT NOT NULL DEFAULT ''",
            };
        case 4:
            return {
                // An event id is judged once (docs/store.md, Idempotency): a refused event sent
                // again gets its refusal again and is not logged again. Earlier versions judged
                // and logged it anew; the first row of each id was its judgement, and is kept.
                "DELETE FROM refusals WHERE position NOT IN (SELECT MIN(position) FROM refusals GROUP BY event)",
                "CREATE UNIQUE INDEX refusals_event ON refusals (event)",
            };
        case 5:
            return {
                // A snapshot is sealed to the chain head it was written after (snapshot.hpp):
                // rows written before are sealed by seal_unsealed_snapshots in the same step.
                "ALTER TABLE snapshots ADD COLUMN seal TEXT NOT NULL DEFAULT ''",
            };
        case 6:
            return {
                // Personal data encrypted under the member's key (personal_keys.hpp): `sealed`
                // holds it, and name, phone and birthday are then empty. '' for a plain row.
                "ALTER TABLE personal ADD COLUMN sealed TEXT NOT NULL DEFAULT ''",
            };
        case 7:
            return {
                // An earn entry's figures (docs/ledger.md, "Earn figures") as the JSON object the
                // ledger writes, or '' for an entry without (every entry written before version 7).
                "ALTER TABLE entries ADD COLUMN figures TEXT NOT NULL DEFAULT ''",
            };
        case 8:
            return {
                // A settle_debt entry's debt paid off (docs/ledger.md), NULL for every other entry
                // and for settle_debt entries written before version 8.
                "ALTER TABLE entries ADD COLUMN debt_paid BIGINT",
            };
        case 9:
            return {
                // A benefit_use or benefit_return entry's quota units (docs/ledger.md), NULL for
                // every other entry and for benefit entries written before version 9.
                "ALTER TABLE entries ADD COLUMN uses BIGINT",
            };
        case 10:
            return {
                // Ledger format 5 (docs/ledger.md): an entry's reason arguments as the JSON object
                // its line writes, which its group's hash covers; '' for an entry of format 4.
                "ALTER TABLE entries ADD COLUMN args TEXT NOT NULL DEFAULT ''",
            };
        default: return {};
    }
}

const std::vector<std::string> tables_of_current = {"loyalty_meta", "events",   "entries",     "snapshots",
                                                    "personal",     "refusals", "reward_stock"};

std::string with_serial(std::string sql, const std::string& serial) {
    const std::string token = "{serial}";
    for (auto at = sql.find(token); at != std::string::npos; at = sql.find(token)) sql.replace(at, token.size(), serial);
    return sql;
}

void set_version(connection& db, int v) {
    db.query("UPDATE loyalty_meta SET value = ? WHERE key = 'schema_version'", {std::to_string(v)});
}

// Marks the ledger to be written again from the journal by store::open (once, however many
// migrations asked for it).
void mark_rederive(connection& db) {
    if (db.query("SELECT value FROM loyalty_meta WHERE key = 'ledger_rederive'", {}).empty())
        db.query("INSERT INTO loyalty_meta (key, value) VALUES ('ledger_rederive', 'pending')", {});
}

// Takes the database from version v - 1 to v (inside the caller's transaction).
void step_to(connection& db, int v) {
    for (const std::string& sql : migration(v)) db.exec(with_serial(sql, db.serial_key()));
    if (v == 5) seal_unsealed_snapshots(db);
    // Entries written before version 7 have no figures, which every earn entry now carries
    // (ledger format 2): store::open writes the ledger again from the journal (rederive.hpp).
    if (v == 7 && as_int(db.query("SELECT COUNT(*) FROM entries", {}).at(0).at(0)) > 0)
        mark_rederive(db);
    // The same for settle_debt entries, which now carry the debt they paid (ledger format 3).
    if (v == 8 && as_int(db.query("SELECT COUNT(*) FROM entries WHERE kind = 'settle_debt'", {}).at(0).at(0)) > 0)
        mark_rederive(db);
    // And for benefit entries, which now carry their uses and money (ledger format 4).
    if (v == 9 && as_int(db.query("SELECT COUNT(*) FROM entries WHERE kind IN ('benefit_use', 'benefit_return')", {})
                             .at(0)
                             .at(0)) > 0)
        mark_rederive(db);
    // Entries of format 4 are hashed alone, those of format 5 by event: the ledger is written
    // again from the journal in format 5.
    if (v == 10 && as_int(db.query("SELECT COUNT(*) FROM entries", {}).at(0).at(0)) > 0) mark_rederive(db);
    set_version(db, v);
}

template <class F>
void in_transaction(connection& db, F&& f) {
    db.begin_write();
    try {
        f();
        db.commit();
    } catch (...) {
        db.rollback();
        throw;
    }
}

}  // namespace

int recorded_version(connection& db) {
    const auto names = db.tables();
    if (std::find(names.begin(), names.end(), "loyalty_meta") == names.end()) {
        if (!names.empty() && std::find(names.begin(), names.end(), "events") != names.end())
            fail("missing_table", "the database has loyalty tables but no loyalty_meta (schema version unknown)");
        return 0;
    }
    const auto rows = db.query("SELECT value FROM loyalty_meta WHERE key = 'schema_version'", {});
    if (rows.empty()) fail("corrupt", "loyalty_meta records no schema_version");
    const std::string v = as_text(rows[0][0]);
    try {
        return std::stoi(v);
    } catch (...) {
        fail("corrupt", "loyalty_meta records schema_version '" + v + "'");
    }
}

void migrate_between(connection& db, int from, int to) {
    in_transaction(db, [&] {
        db.lock_schema();
        if (from == 0) {
            db.exec("CREATE TABLE loyalty_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            db.query("INSERT INTO loyalty_meta (key, value) VALUES ('schema_version', '0')", {});
        }
        for (int v = from + 1; v <= to; ++v) step_to(db, v);
    });
}

int migrate(connection& db) {
    int found = 0;
    in_transaction(db, [&] {
        // Read and migrate under the write lock, so two processes opening a new file at once
        // do not both create it.
        db.lock_schema();
        found = recorded_version(db);
        if (found > schema_version)
            fail("schema_too_new", "the database has schema version " + std::to_string(found) +
                                       "; this library knows versions up to " + std::to_string(schema_version) +
                                       ": upgrade the library, never downgrade a database");
        if (found == 0) {
            db.exec("CREATE TABLE loyalty_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            db.query("INSERT INTO loyalty_meta (key, value) VALUES ('schema_version', '0')", {});
        }
        for (int v = found + 1; v <= schema_version; ++v) step_to(db, v);
    });
    const auto names = db.tables();
    for (const std::string& t : tables_of_current)
        if (std::find(names.begin(), names.end(), t) == names.end())
            fail("missing_table", "table '" + t + "' is missing from a database at schema version " +
                                      std::to_string(schema_version) + " (damaged or edited by hand)");
    return found;
}

}  // namespace loyalty::store::detail
