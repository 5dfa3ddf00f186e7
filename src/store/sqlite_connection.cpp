// SQLite backend: one file in WAL mode, synchronous=FULL (a committed batch survives a power
// cut, not only a killed process), prepared statements cached by their text, and a busy
// handler so that several processes writing one file wait for each other instead of failing.
#include <sqlite3.h>

#include <unordered_map>
#include <thread>

#include "connection.hpp"

namespace loyalty::store::detail {
namespace {

[[noreturn]] void raise(sqlite3* db, int rc, const std::string& doing) {
    const std::string message = doing + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED: fail("busy", message + " (another writer held the database past the busy timeout)");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB: fail("corrupt", message);
        case SQLITE_CANTOPEN: fail("open_failed", message);
        case SQLITE_CONSTRAINT:
            if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) throw conflict(message);
            fail("constraint", message);
        case SQLITE_ERROR:
            if (message.find("no such table") != std::string::npos) fail("missing_table", message);
            fail("sql_error", message);
        default: fail("sql_error", message);
    }
}

class sqlite_connection final : public connection {
public:
    sqlite_connection(const std::string& path, std::chrono::milliseconds busy_timeout) : timeout_(busy_timeout) {
        const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
        if (rc != SQLITE_OK) {
            const std::string message = "cannot open '" + path + "': " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
            sqlite3_close(db_);
            db_ = nullptr;
            fail("open_failed", message);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
        try {
            // The first read of a file that is no database fails here with SQLITE_NOTADB.
            exec("PRAGMA journal_mode=WAL");
            exec("PRAGMA synchronous=FULL");
            exec("PRAGMA foreign_keys=OFF");
            // 64 MiB of pages per connection (SQLite's default is 2 MiB): a batch reads the
            // snapshots and ids it checks without going back to the file for each.
            exec("PRAGMA cache_size=-65536");
            // Deleted content is overwritten with zeros, whatever the library's build default:
            // erase_personal must leave nothing behind (docs/store.md).
            exec("PRAGMA secure_delete=ON");
        } catch (...) {
            sqlite3_close_v2(db_);
            throw;
        }
    }
    ~sqlite_connection() override {
        for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
        sqlite3_close_v2(db_);
    }

    const std::string& backend() const noexcept override {
        static const std::string name = "sqlite";
        return name;
    }

    void exec(const std::string& sql) override {
        char* err = nullptr;
        const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
        sqlite3_free(err);
        if (rc != SQLITE_OK) raise(db_, rc, "running '" + sql.substr(0, 60) + "'");
    }

    std::vector<row> query(const std::string& sql, const std::vector<value>& params) override {
        sqlite3_stmt* stmt = prepared(sql);
        // Reset on every exit, so a failed step never leaves the statement holding a read lock.
        struct resetter {
            sqlite3_stmt* s;
            ~resetter() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{stmt};
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int at = static_cast<int>(i + 1);
            int rc = SQLITE_OK;
            if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                rc = sqlite3_bind_int64(stmt, at, *n);
            } else if (const auto* s = std::get_if<std::string>(&params[i])) {
                check_text_parameter(*s, i, sql);  // SQLite would keep a NUL; PostgreSQL cannot: one rule for both
                rc = sqlite3_bind_text(stmt, at, s->data(), static_cast<int>(s->size()), SQLITE_STATIC);
            } else {
                rc = sqlite3_bind_null(stmt, at);
            }
            if (rc != SQLITE_OK) raise(db_, rc, "binding a parameter");
        }
        std::vector<row> rows;
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) raise(db_, rc, "running '" + sql.substr(0, 60) + "'");
            const int n = sqlite3_column_count(stmt);
            row r;
            r.reserve(static_cast<std::size_t>(n));
            for (int c = 0; c < n; ++c) {
                switch (sqlite3_column_type(stmt, c)) {
                    case SQLITE_NULL: r.emplace_back(nullptr); break;
                    case SQLITE_INTEGER: r.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c))); break;
                    default: {
                        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                        r.emplace_back(read_text(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)), c, sql));
                    }
                }
            }
            rows.push_back(std::move(r));
        }
        return rows;
    }

    void begin_write() override {
        // BEGIN IMMEDIATE takes the write lock now, waiting through the busy handler. In WAL mode
        // a few cases return SQLITE_BUSY without calling the handler (a reader meeting a
        // checkpoint, recovery), so busy is also retried here until the timeout.
        const auto deadline = std::chrono::steady_clock::now() + timeout_;
        for (;;) {
            char* err = nullptr;
            const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, &err);
            sqlite3_free(err);
            if (rc == SQLITE_OK) return;
            if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline)
                raise(db_, rc, "starting a write transaction");
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    void begin_read() override { exec("BEGIN DEFERRED"); }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override {
        if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void lock_member(const std::string&) override {}  // the write lock is the whole file's
    void lock_stock(const std::string&) override {}   // the same
    bool try_lock_member(const std::string&) override { return true; }
    bool one_writer_at_a_time() const noexcept override { return true; }
    void lock_schema() override {}                     // BEGIN IMMEDIATE already serialises
    void purge_deleted() override {
        // TRUNCATE waits (busy timeout) for readers, copies the log into the file and empties it.
        const auto result = query("PRAGMA wal_checkpoint(TRUNCATE)", {});
        if (result.empty() || std::get<std::int64_t>(result[0][0]) != 0)
            fail("busy", "the write-ahead log still holds deleted personal data: another connection kept reading "
                         "past the busy timeout; erase again to finish");
    }

    std::vector<std::string> tables() override {
        std::vector<std::string> out;
        for (const row& r : query("SELECT name FROM sqlite_master WHERE type = 'table'", {})) out.push_back(as_text(r[0]));
        return out;
    }
    std::string serial_key() const override { return "INTEGER PRIMARY KEY AUTOINCREMENT"; }

private:
    sqlite3_stmt* prepared(const std::string& sql) {
        auto it = cache_.find(sql);
        if (it != cache_.end()) return it->second;
        sqlite3_stmt* stmt = nullptr;
        const int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                          nullptr);
        if (rc != SQLITE_OK) raise(db_, rc, "preparing '" + sql.substr(0, 60) + "'");
        cache_.emplace(sql, stmt);
        return stmt;
    }

    sqlite3* db_ = nullptr;
    std::chrono::milliseconds timeout_;
    std::unordered_map<std::string, sqlite3_stmt*> cache_;  // hashed: the texts are long
};

}  // namespace

std::unique_ptr<connection> connect_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout) {
    return std::make_unique<sqlite_connection>(path, busy_timeout);
}

}  // namespace loyalty::store::detail
