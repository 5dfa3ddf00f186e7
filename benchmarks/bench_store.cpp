// Store ingest: the figures of README.md's "Storage" section.
//   SqliteIngest       store::append in batches of 1,000 events (engine + events + entries + snapshots)
//   SqlitePlainInserts the same rows, inserted with prepared statements in the same batches into the
//                      store's own schema (created by the store), with the store's settings (WAL,
//                      synchronous=FULL, secure_delete, cache_size): the physical limit
//   PostgresIngest4    4 writers at once, each appending batches of 1,000 events of its own members
//                      (needs LOYALTY_TEST_PG: run under scripts/with-postgres.sh; skipped otherwise)
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/store/store.hpp"
#include "store/connection.hpp"

namespace {

using namespace loyalty;

constexpr int batch_size = 1000;
constexpr int members = 1000;
constexpr int batches = 12;

const program_versions& club() {
    static const program_versions v(io::load_program(io::reference_program_json()));
    return v;
}

currency cny() { return *currency::from_code("CNY"); }

std::string member_id(const std::string& prefix, int m) { return prefix + std::to_string(m); }

std::vector<event> enrolments(const std::string& prefix) {
    std::vector<event> out;
    for (int m = 0; m < members; ++m)
        out.push_back(io::load_event(R"({"id":"enrol-)" + prefix + std::to_string(m) + R"(","member":")" + member_id(prefix, m) +
                                         R"(","at":"2026-01-01T08:00:00Z","type":"enrol"})",
                                     cny()));
    return out;
}

// Batch b: every member once; half adjustments, half repair orders (which earn a new lot).
std::vector<event> batch_of(const std::string& prefix, int b) {
    std::vector<event> out;
    const std::string at = "2026-01-02T" + std::string(b < 10 ? "0" : "") + std::to_string(b) + ":00:00Z";
    for (int k = 0; k < batch_size; ++k) {
        const std::string id = prefix + "-" + std::to_string(b) + "-" + std::to_string(k);
        const std::string head = R"({"id":")" + id + R"(","member":")" + member_id(prefix, k % members) + R"(","at":")" + at + "\"";
        if (k % 2)
            out.push_back(io::load_event(head + R"(,"type":"adjustment","points":3,"reason":"bench","operator":"op"})", cny()));
        else
            out.push_back(io::load_event(
                head + R"(,"type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"120.00"}]})",
                cny()));
    }
    return out;
}

std::string scratch(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() / ("loyalty-bench-" + std::to_string(::getpid()) + "-" + name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    return path.string();
}

void SqliteIngest(benchmark::State& state) {
    const std::string path = scratch("ingest");
    auto db = store::store::open("sqlite:" + path, club());
    db->append(enrolments("B"));
    std::vector<std::vector<event>> work;
    for (int b = 0; b < batches; ++b) work.push_back(batch_of("B", b));
    std::size_t next = 0;
    for (auto _ : state) {
        const auto r = db->append(work.at(next++));
        if (r.accepted != batch_size) state.SkipWithError("a benchmark event was refused");
    }
    state.SetItemsProcessed(state.iterations() * batch_size);
    db.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
BENCHMARK(SqliteIngest)->Iterations(batches)->Unit(benchmark::kMillisecond)->UseRealTime();

// The rows the store wrote for each batch, read back from a database the store filled.
struct batch_rows {
    std::vector<std::vector<std::string>> events, entries, snapshots;
};

std::vector<batch_rows> rows_written_by_the_store() {
    const std::string path = scratch("source");
    std::vector<batch_rows> out;
    auto text = [](const std::vector<store::detail::row>& rs) {
        std::vector<std::vector<std::string>> t;
        for (const auto& r : rs) {
            std::vector<std::string> cols;
            for (const auto& v : r) cols.push_back(store::detail::as_text(v));
            t.push_back(std::move(cols));
        }
        return t;
    };
    {
        auto db = store::store::open("sqlite:" + path, club());
        auto raw = store::detail::connect("sqlite:" + path, std::chrono::milliseconds(5000));
        db->append(enrolments("B"));
        for (int b = 0; b < batches; ++b) {
            db->append(batch_of("B", b));
            // Snapshots as this batch left them (they grow with each member's history).
            batch_rows rows;
            const std::string like = "B-" + std::to_string(b) + "-%";
            rows.events = text(raw->query("SELECT id, member, at, type, body FROM events WHERE id LIKE ? ORDER BY position", {like}));
            rows.entries = text(raw->query(
                "SELECT member, seq, event, at, kind, amount, balance, lot, expires, rule, program, version, reason, reverses, "
                "money, prev_hash, hash, funder, store FROM entries WHERE event LIKE ?",
                {like}));
            rows.snapshots = text(raw->query("SELECT member, revision, last_seq, state, seal FROM snapshots", {}));
            out.push_back(std::move(rows));
        }
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    return out;
}

void SqlitePlainInserts(benchmark::State& state) {
    const std::vector<batch_rows> work = rows_written_by_the_store();
    const std::string path = scratch("plain");
    // The store's own schema (every table, column and index), created by the store.
    store::store::open("sqlite:" + path, club()).reset();
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    // The store's settings (sqlite_connection.cpp); journal_mode=WAL is kept in the file.
    sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; PRAGMA cache_size=-65536;", nullptr, nullptr,
                 nullptr);
    auto prepare = [&](const char* sql) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
        return s;
    };
    sqlite3_stmt* ins_event = prepare("INSERT INTO events (id, member, at, type, body) VALUES (?, ?, ?, ?, ?)");
    sqlite3_stmt* ins_entry = prepare(
        "INSERT INTO entries (member, seq, event, at, kind, amount, balance, lot, expires, rule, program, version, reason, "
        "reverses, money, prev_hash, hash, funder, store) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt* ins_snapshot = prepare(
        "INSERT INTO snapshots (member, revision, last_seq, state, seal) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (member) DO UPDATE SET revision = excluded.revision, last_seq = excluded.last_seq, "
        "state = excluded.state, seal = excluded.seal");
    auto run = [&](sqlite3_stmt* s, const std::vector<std::string>& cols, std::initializer_list<int> integer_columns) {
        for (std::size_t i = 0; i < cols.size(); ++i) {
            bool integer = false;
            for (int c : integer_columns) integer = integer || c == static_cast<int>(i);
            if (integer) sqlite3_bind_int64(s, static_cast<int>(i + 1), std::stoll(cols[i]));
            else sqlite3_bind_text(s, static_cast<int>(i + 1), cols[i].data(), static_cast<int>(cols[i].size()), SQLITE_STATIC);
        }
        if (sqlite3_step(s) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
        sqlite3_reset(s);
    };
    std::size_t next = 0, rows = 0;
    for (auto _ : state) {
        const batch_rows& b = work.at(next++);
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (const auto& r : b.events) run(ins_event, r, {});
        for (const auto& r : b.entries) run(ins_entry, r, {1, 5, 6, 11});
        for (const auto& r : b.snapshots) run(ins_snapshot, r, {1, 2});
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        rows += b.events.size() + b.entries.size() + b.snapshots.size();
    }
    state.SetItemsProcessed(state.iterations() * batch_size);  // events, as for SqliteIngest
    state.counters["rows_per_batch"] = static_cast<double>(rows) / static_cast<double>(state.iterations());
    for (sqlite3_stmt* s : {ins_event, ins_entry, ins_snapshot}) sqlite3_finalize(s);
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}
BENCHMARK(SqlitePlainInserts)->Iterations(batches)->Unit(benchmark::kMillisecond)->UseRealTime();

void PostgresIngest4(benchmark::State& state) {
    const char* conninfo = std::getenv("LOYALTY_TEST_PG");
    if (!conninfo) {
        state.SkipWithError("LOYALTY_TEST_PG not set: run under scripts/with-postgres.sh");
        for (auto _ : state) {
        }
        return;
    }
    constexpr int writers = 4, per_writer = 3;  // batches each writer appends per iteration
    const std::string schema = "bench_" + std::to_string(::getpid());
    {
        auto admin = store::detail::connect(std::string("pg:") + conninfo, std::chrono::milliseconds(10000));
        admin->exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        admin->exec("CREATE SCHEMA " + schema);
    }
    const std::string url = std::string("pg:") + conninfo + " options='-c search_path=" + schema + "'";
    std::vector<std::unique_ptr<store::store>> dbs;
    std::vector<std::vector<std::vector<event>>> work(writers);
    for (int w = 0; w < writers; ++w) {
        dbs.push_back(store::store::open(url, club()));
        const std::string prefix = "W" + std::to_string(w) + "x";
        dbs.back()->append(enrolments(prefix));
        for (int b = 0; b < per_writer; ++b) work[w].push_back(batch_of(prefix, b));
    }
    std::atomic<int> refused{0};
    for (auto _ : state) {
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                for (const auto& batch : work[w])
                    if (dbs[w]->append(batch).accepted != batch_size) ++refused;
            });
        for (auto& t : threads) t.join();
    }
    if (refused) state.SkipWithError("a benchmark event was refused");
    state.SetItemsProcessed(state.iterations() * writers * per_writer * batch_size);
    dbs.clear();
    store::detail::connect(std::string("pg:") + conninfo, std::chrono::milliseconds(10000))->exec("DROP SCHEMA " + schema + " CASCADE");
}
BENCHMARK(PostgresIngest4)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
