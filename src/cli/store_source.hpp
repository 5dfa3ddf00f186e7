#pragma once
// Where a reading command (statement, audit verify and anchor, the reports) finds its journal:
// a file (--events FILE) or the store that is the system of record (--db URL), which is what a
// dealer group's auditor is given. docs/cli.md, "Reading a store".
#include <cstddef>
#include <functional>
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
    std::size_t store_refusals = 0;  // events the store refused: logged apart, not in its journal
};

// Reads --events or --db. A store is only read: a SQLite file that does not exist, or that
// holds no loyalty store, is loyalty.io.cannot_open and is left as it was (never created).
// Without the store built in, --db is loyalty.cli.no_store.
// The journal given exactly once, --events or --db: loyalty.cli.invalid_option otherwise.
void check_one_journal(const source_options& o);

journal_source read_journal_source(const source_options& o, const program_versions& versions);

// audit verify --db: store::verify, which streams one consistent state of the store (writers
// may go on), with its progress shown on a terminal. Each stored entry goes to `stored_entry`
// (when given) in the order the store wrote them. `check_states` false: the ledger only, not
// the snapshots and reward stock.
verification_report verify_store(const std::string& url, const program_versions& versions, bool check_states,
                                 const std::function<void(const ledger_entry&)>& stored_entry);

// The ledger a store holds, by member and seq, one entry at a time; no programme is needed to
// read it.
void for_each_store_entry(const std::string& url, const std::function<void(const ledger_entry&)>& f);

// The URL fit to print: a password in it replaced by "***".
std::string url_for_messages(const std::string& url);

}  // namespace loyalty::cli
