#pragma once
// The little that differs between SQLite and PostgreSQL, behind one interface: statements are
// written once with `?` placeholders and run prepared (and cached) by each backend.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "loyalty/core/error.hpp"

namespace loyalty::store::detail {

using value = std::variant<std::nullptr_t, std::int64_t, std::string>;
using row = std::vector<value>;

// Column values as the store reads them. PostgreSQL returns text for every column.
std::int64_t as_int(const value& v);
std::string as_text(const value& v);  // "" for NULL
bool is_null(const value& v);

class connection {
public:
    virtual ~connection() = default;

    virtual const std::string& backend() const noexcept = 0;  // "sqlite" or "postgresql"
    // Runs SQL text without parameters (DDL, pragmas, several statements).
    virtual void exec(const std::string& sql) = 0;
    // Runs one prepared statement (cached by its text) and returns its rows.
    virtual std::vector<row> query(const std::string& sql, const std::vector<value>& params = {}) = 0;
    // Starts a transaction that will write: SQLite takes the write lock at once (BEGIN
    // IMMEDIATE, waiting through the busy handler); PostgreSQL begins READ COMMITTED.
    virtual void begin_write() = 0;
    // Starts a transaction that only reads and sees one state of the database throughout,
    // whatever other writers commit meanwhile (SQLite: a deferred BEGIN, whose first read takes
    // the write-ahead log's snapshot; PostgreSQL: REPEATABLE READ, READ ONLY). End it with
    // rollback().
    virtual void begin_read() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    // Serialises the transactions that touch one member (PostgreSQL: a transaction-level
    // advisory lock on the member id; SQLite: nothing, its write lock covers the whole file).
    virtual void lock_member(const std::string& member) = 0;
    // Serialises the transactions that may issue units of one stock-limited reward, so that
    // the units left are read and spent by one writer at a time (PostgreSQL: an advisory lock
    // on the reward id; SQLite: nothing).
    virtual void lock_stock(const std::string& reward) = 0;
    // Takes the member's lock only if no other transaction holds it, without waiting: for a
    // member learnt of after the sorted locks were taken, so that no writer ever waits for a
    // lock out of order (SQLite: always true).
    virtual bool try_lock_member(const std::string& member) = 0;
    // Whether a write transaction excludes every other writer from its start (SQLite: the whole
    // file's write lock), so that what it reads before taking member locks is still so at commit.
    virtual bool one_writer_at_a_time() const noexcept = 0;
    // Serialises schema migrations between processes opening the same database.
    virtual void lock_schema() = 0;
    // After a deletion of personal data, outside any transaction: leaves no copy of the deleted
    // rows in the database's own files where the backend allows it (SQLite: the pages are
    // zeroed by secure_delete, and the write-ahead log, which still holds the rows as they were
    // written, is checkpointed and truncated). PostgreSQL keeps them in dead tuples and its WAL
    // (docs/store.md says what that means); there it does nothing.
    virtual void purge_deleted() = 0;
    virtual std::vector<std::string> tables() = 0;
    // The SQL type of an auto-incremented integer primary key.
    virtual std::string serial_key() const = 0;
};

// "sqlite:PATH" / PATH, "postgresql://..." / "postgres://..." / "pg:CONNINFO".
std::unique_ptr<connection> connect(const std::string& url, std::chrono::milliseconds busy_timeout);
std::unique_ptr<connection> connect_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout);
std::unique_ptr<connection> connect_postgresql(const std::string& conninfo, std::chrono::milliseconds busy_timeout);

// Error ids (docs/store.md lists them with their meaning).
[[noreturn]] void fail(const std::string& what, const std::string& message);

// True when `s` is well-formed UTF-8 (RFC 3629: shortest forms only, no surrogates, at most
// U+10FFFF).
bool is_utf8(std::string_view s) noexcept;

// What the store writes reads back as written, on both backends: a text parameter holding a
// NUL byte (PostgreSQL text cannot hold one; a C string ends there) or bytes that are not UTF-8
// is refused with loyalty.store.invalid_text before anything is sent. `index` is 0-based.
void check_text_parameter(const std::string& text, std::size_t index, const std::string& sql);

// A text column read back (`column` 0-based, of a row of `sql`): loyalty.store.corrupt unless it
// is UTF-8 (a damaged row, or one edited by hand), so that no reader hands on bytes that the
// JSON writer or a report would fail on.
std::string read_text(const char* data, std::size_t size, int column, const std::string& sql);

// "?, ?, ?" (n marks): the parameter list of an `IN (...)` lookup. Lookups of many keys use a
// fixed n and repeat their last key to fill a short last chunk, so that the statement's text
// never changes and each backend prepares it once.
std::string placeholders(std::size_t n);

// Runs `read` (which turns stored text into a value) and reports any loyalty::error it raises,
// other than the store's own, as loyalty.store.corrupt naming `what`: stored text that the
// loaders refuse was damaged or edited, it is not bad input.
template <class F>
auto read_as_stored(const std::string& what, F&& read) {
    try {
        return read();
    } catch (const error& e) {
        if (e.id().rfind("loyalty.store.", 0) == 0) throw;
        throw error("loyalty.store.corrupt", what + " cannot be read: " + e.what());
    }
}

// Thrown for a race that a fresh try may not meet again (unique violation, serialisation
// failure, deadlock). The store rolls back and tries the batch again.
class conflict : public error {
public:
    explicit conflict(const std::string& message) : error("loyalty.store.conflict", message) {}
};

// Thrown when a batch learns of a counterpart to lock (a referrer, a fleet account, an account's
// member) that another writer holds: the store tries again with it among the locks it takes in
// order, which is progress, not a race.
class counterpart_busy : public conflict {
public:
    using conflict::conflict;
};

}  // namespace loyalty::store::detail
