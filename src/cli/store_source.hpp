#pragma once
// Where a reading command (statement, audit verify and anchor, the reports) finds its journal:
// a file (--events FILE) or the store that is the system of record (--db URL), which is what a
// dealer group's auditor is given. docs/cli.md, "Reading a store".
#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty::cli {

// --program, and the journal: --events FILE or --db URL, exactly one (checked when read, so
// that both or neither is loyalty.cli.invalid_option like every other bad option value).
void add_reading_source_options(CLI::App& cmd, source_options& o);

// A journal as a reading command sees it, whichever its source.
struct journal_source {
    std::string name;      // for messages: the file, or the store's URL with any password hidden
    bool from_store = false;
    // From a store: its accepted events in the order applied, numbered as lines 1, 2, ...; a
    // store holds no balance assertions.
    journal_file journal;
    std::size_t store_refusals = 0;           // events the store refused: logged apart, not in its journal
    std::vector<ledger_entry> stored_ledger;  // from a store, when asked for: every entry, by member and seq
};

// Reads --events or --db. A store is only read: a SQLite file that does not exist, or that
// holds no loyalty store, is loyalty.io.cannot_open and is left as it was (never created).
// Without the store built in, --db is loyalty.cli.no_store.
// The journal given exactly once, --events or --db: loyalty.cli.invalid_option otherwise.
void check_one_journal(const source_options& o);

journal_source read_journal_source(const source_options& o, const program_versions& versions, bool with_ledger = false);

// For audit verify --db: the store's member snapshots and reward stock against `replayed`, the
// runner that replayed the `journal_events` events read from it (store::check_states). A store
// that took new events since is loyalty.cli.store_busy: its states are no longer those of the
// journal read.
void check_store_states(const source_options& o, const program_versions& versions, std::size_t journal_events,
                        const journal_runner& replayed, verification_report& report);

// The ledger a store holds, by member and seq; no programme is needed to read it.
std::vector<ledger_entry> read_store_ledger(const std::string& url);

// The URL fit to print: a password in it replaced by "***".
std::string url_for_messages(const std::string& url);

}  // namespace loyalty::cli
