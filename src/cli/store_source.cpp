#include "store_source.hpp"

#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <system_error>

#if LOYALTY_CLI_HAS_STORE
#include <sqlite3.h>

#include "loyalty/store/store.hpp"
#endif

namespace loyalty::cli {

void add_reading_source_options(CLI::App& cmd, source_options& o) {
    add_source_options(cmd, o, false);
    cmd.add_option("--db", o.db,
                   "read the journal from a store instead of --events: sqlite:PATH (or a path), postgresql://... or "
                   "pg:KEY=VALUE ... (docs/store.md); reading never creates one");
}

std::string url_for_messages(const std::string& url) {
    // libpq URIs (user:secret@host, ?password=secret) and connection strings (password=secret,
    // password='a secret'): an error message or a report header must not show the password.
    static const std::regex userinfo(R"((://[^/?#@:]*:)[^@/?#]*@)");
    static const std::regex query(R"(([?&]password=)[^&#]*)");
    static const std::regex keyword(R"((^|[\s:])(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S*))");
    std::string out = std::regex_replace(url, userinfo, "$1***@");
    out = std::regex_replace(out, query, "$1***");
    return std::regex_replace(out, keyword, "$1$2***");
}

void check_one_journal(const source_options& o) {
    if (!o.events.empty() && !o.db.empty())
        throw error("loyalty.cli.invalid_option",
                    "give the journal once: --events FILE or --db URL, not both (--events " + o.events + ", --db " +
                        url_for_messages(o.db) + ")");
    if (o.events.empty() && o.db.empty())
        throw error("loyalty.cli.invalid_option", "give the journal: --events FILE or --db URL");
}

namespace {

#if LOYALTY_CLI_HAS_STORE

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The SQLite file a URL names (as store::open reads it), or "" for a PostgreSQL URL.
std::string sqlite_path_of(const std::string& url) {
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://") || starts_with(url, "pg:")) return {};
    return starts_with(url, "sqlite:") ? url.substr(7) : url;
}

bool holds_loyalty_store(const std::string& path) {
    sqlite3* db = nullptr;
    bool found = false;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'loyalty_meta'", -1, &q,
                               nullptr) == SQLITE_OK)
            found = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return found;
}

// store::open creates a SQLite file that is not there and the schema in one that is empty:
// right for `run`, wrong for an auditor, whose typo must not leave a new empty store behind
// (nor tables in some other application's database). A PostgreSQL database is not checked here.
void refuse_to_create(const std::string& url) {
    const std::string path = sqlite_path_of(url);
    if (path.empty()) return;  // PostgreSQL, or no path at all (store::open says loyalty.store.bad_url)
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw error("loyalty.io.cannot_open",
                    "cannot open '" + path + "': no such database file (reading a store never creates one)");
    if (!holds_loyalty_store(path))
        throw error("loyalty.io.cannot_open", "cannot open '" + path +
                                                  "' as a store: it is not a SQLite database holding a loyalty store "
                                                  "(reading a store never creates one)");
}

std::unique_ptr<store::store> open_for_reading(const std::string& url, program_versions versions) {
    refuse_to_create(url);
    auto db = store::store::open(url, std::move(versions));
    if (!db->upgrade_notice().empty()) std::cerr << db->upgrade_notice() << '\n';
    return db;
}

constexpr int read_tries = 5;

// The journal and the refusals are read one query after another while writers may be
// appending. A batch adds its events in one transaction and nothing is ever deleted, so when the
// number of stored events is the same before and after, the reads saw one state of the store.
// Otherwise read again.
void read_consistently(const store::store& db, journal_source& s) {
    for (int tries = 1;; ++tries) {
        const std::size_t before = db.event_count();
        s.journal.items.clear();
        std::size_t position = 0;
        for (event& e : db.journal()) {
            journal_item item;
            item.line = ++position;
            item.event = std::move(e);
            s.journal.items.push_back(std::move(item));
        }
        s.store_refusals = db.refusals().size();
        if (db.event_count() == before) return;
        if (tries == read_tries)
            throw error("loyalty.cli.store_busy", "the store " + s.name + " took new events while it was read, " +
                                                      std::to_string(read_tries) +
                                                      " times: read it when writers pause, or read a copy");
    }
}

#else

[[noreturn]] void no_store() {
    throw error("loyalty.cli.no_store",
                "this loyalty was built without the store (LOYALTY_BUILD_STORE=OFF): --db is unavailable");
}

#endif

}  // namespace

journal_source read_journal_source(const source_options& o, const program_versions& versions) {
    check_one_journal(o);
    journal_source s;
    if (o.db.empty()) {
        s.name = o.events;
        s.journal = read_journal(o.events, versions.latest().currency_unit);
        return s;
    }
#if LOYALTY_CLI_HAS_STORE
    s.name = url_for_messages(o.db);
    s.from_store = true;
    const auto db = open_for_reading(o.db, versions);
    read_consistently(*db, s);
    return s;
#else
    no_store();
#endif
}

verification_report verify_store(const std::string& url, const program_versions& versions, bool check_states,
                                 const std::function<void(const ledger_entry&)>& stored_entry) {
#if LOYALTY_CLI_HAS_STORE
    const auto db = open_for_reading(url, versions);
    std::optional<progress> shown;
    store::verify_hooks hooks;
    hooks.check_states = check_states;
    hooks.stored_entry = stored_entry;
    hooks.progress = [&](std::size_t done, std::size_t total) {
        if (!shown) shown.emplace("verifying", total);
        shown->step(done);
    };
    verification_report report = db->verify(hooks);
    if (shown) shown->clear();
    return report;
#else
    (void)url, (void)versions, (void)check_states, (void)stored_entry;
    no_store();
#endif
}

void for_each_store_entry(const std::string& url, const std::function<void(const ledger_entry&)>& f) {
#if LOYALTY_CLI_HAS_STORE
    // The ledger is read without the engine, so no programme is needed.
    open_for_reading(url, program_versions())->for_each_entry(f);
#else
    (void)url, (void)f;
    no_store();
#endif
}

}  // namespace loyalty::cli
