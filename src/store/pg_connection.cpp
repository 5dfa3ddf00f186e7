// PostgreSQL backend over libpq: statements prepared once per connection (the `?` placeholders
// become $1, $2 ...), transaction-level advisory locks per member and per stock-limited reward.
// Text parameters go in binary format with their lengths, so that libpq never reads one as a
// C string (which a NUL byte would cut short); integers go as their decimal text.
#include <libpq-fe.h>

#include <unordered_map>

#include "connection.hpp"

namespace loyalty::store::detail {
namespace {

struct result_deleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using result = std::unique_ptr<PGresult, result_deleter>;

std::string numbered_placeholders(const std::string& sql) {
    std::string out;
    int n = 0;
    for (char c : sql) {
        if (c == '?') out += "$" + std::to_string(++n);
        else out += c;
    }
    return out;
}

class pg_connection final : public connection {
public:
    pg_connection(const std::string& conninfo, std::chrono::milliseconds busy_timeout) {
        conn_ = PQconnectdb(conninfo.c_str());
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            std::string message = conn_ ? PQerrorMessage(conn_) : "out of memory";
            while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
            PQfinish(conn_);
            conn_ = nullptr;
            fail("connection_failed", "cannot connect to PostgreSQL: " + message);
        }
        try {
            exec("SET client_min_messages = warning");
            exec("SET client_encoding = 'UTF8'");  // the library's strings are UTF-8
            // A writer waiting for another's member lock gives up after the busy timeout.
            exec("SET lock_timeout = " + std::to_string(busy_timeout.count()));
        } catch (...) {
            PQfinish(conn_);
            throw;
        }
    }
    ~pg_connection() override { PQfinish(conn_); }

    const std::string& backend() const noexcept override {
        static const std::string name = "postgresql";
        return name;
    }

    void exec(const std::string& sql) override { check(result(PQexec(conn_, sql.c_str())), sql); }

    std::vector<row> query(const std::string& sql, const std::vector<value>& params) override {
        const std::string& name = prepared(sql);
        std::vector<std::string> numbers(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0), formats(params.size(), 0);
        for (std::size_t i = 0; i < params.size(); ++i) {
            if (const auto* s = std::get_if<std::string>(&params[i])) {
                check_text_parameter(*s, i, sql);
                values[i] = s->data();
                lengths[i] = static_cast<int>(s->size());
                formats[i] = 1;  // binary: text's binary form is its bytes, taken with this length
            } else if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
                numbers[i] = std::to_string(*n);  // text format: the server reads it as the column's integer type
                values[i] = numbers[i].c_str();
            }
        }
        result r(PQexecPrepared(conn_, name.c_str(), static_cast<int>(params.size()), values.data(), lengths.data(),
                                formats.data(), 0));
        check(r, sql);
        std::vector<row> rows;
        const int n = PQntuples(r.get()), cols = PQnfields(r.get());
        rows.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            row out;
            out.reserve(static_cast<std::size_t>(cols));
            for (int c = 0; c < cols; ++c) {
                if (PQgetisnull(r.get(), i, c)) out.emplace_back(nullptr);
                else out.emplace_back(read_text(PQgetvalue(r.get(), i, c), static_cast<std::size_t>(PQgetlength(r.get(), i, c)), c,
                                                sql));
            }
            rows.push_back(std::move(out));
        }
        return rows;
    }

    void begin_write() override { exec("BEGIN"); }
    void begin_read() override { exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override {
        if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
    }
    void lock_member(const std::string& member) override {
        query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", {member});
    }
    // A key pair (int4, int4) lives apart from the single bigint keys of members and the schema.
    void lock_stock(const std::string& reward) override {
        query("SELECT pg_advisory_xact_lock(7411201, hashtext(?))", {reward});
    }
    bool try_lock_member(const std::string& member) override {
        return as_text(query("SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))", {member}).at(0).at(0)) == "t";
    }
    bool one_writer_at_a_time() const noexcept override { return false; }
    void lock_schema() override { exec("SELECT pg_advisory_xact_lock(7411200)"); }  // any fixed key of ours
    void purge_deleted() override {}  // dead tuples and the WAL keep the row: see docs/store.md

    std::vector<std::string> tables() override {
        std::vector<std::string> out;
        for (const row& r : query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", {}))
            out.push_back(as_text(r[0]));
        return out;
    }
    std::string serial_key() const override { return "BIGSERIAL PRIMARY KEY"; }

private:
    const std::string& prepared(const std::string& sql) {
        auto it = names_.find(sql);
        if (it != names_.end()) return it->second;
        std::string name = "s" + std::to_string(names_.size() + 1);
        check(result(PQprepare(conn_, name.c_str(), numbered_placeholders(sql).c_str(), 0, nullptr)), sql);
        return names_.emplace(sql, std::move(name)).first->second;
    }

    void check(const result& r, const std::string& sql) {
        const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return;
        std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_);
        while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
        message = "running '" + sql.substr(0, 60) + "': " + message;
        const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
        const std::string code = state ? state : "";
        // 08: connection exceptions; 57P: the server ends the session (a shutdown, an immediate
        // one included, a dropped database, an idle timeout), which may come as an error result
        // before libpq has seen the connection close. No SQLSTATE: libpq's own error, which it
        // gives when it finds the connection gone ("server closed the connection unexpectedly")
        // before it has marked it bad.
        if (PQstatus(conn_) == CONNECTION_BAD || code.empty() || code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0)
            fail("connection_failed", message);
        if (code == "23505" || code == "40001" || code == "40P01") throw conflict(message);
        if (code == "55P03") fail("busy", message + " (another writer held the member past the busy timeout)");
        if (code == "42P01") fail("missing_table", message);
        if (code.rfind("XX", 0) == 0) fail("corrupt", message);
        fail("sql_error", message);
    }

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> names_;
};

}  // namespace

std::unique_ptr<connection> connect_postgresql(const std::string& conninfo, std::chrono::milliseconds busy_timeout) {
    return std::make_unique<pg_connection>(conninfo, busy_timeout);
}

}  // namespace loyalty::store::detail
