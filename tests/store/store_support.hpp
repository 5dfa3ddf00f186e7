#pragma once
// Helpers for the store tests: a fresh database per test on each backend, and terse events.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/schema.hpp"
#include "engine_support.hpp"
#include "loyalty/store/store.hpp"

namespace loyalty::test {

// This process's scratch directory, removed when the test program ends (not by forked children).
struct scratch_dir {
    pid_t owner = ::getpid();
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("loyalty-store-" + std::to_string(owner));
    ~scratch_dir() {
        std::error_code ignored;
        if (::getpid() == owner) std::filesystem::remove_all(path, ignored);
    }
};

inline std::string fresh_path(const std::string& name) {
    static std::atomic<int> counter{0};
    static scratch_dir scratch;
    const auto dir = scratch.path;
    std::filesystem::create_directories(dir);
    const auto path = dir / (name + "-" + std::to_string(counter++) + ".db");
    std::filesystem::remove(path);
    std::filesystem::remove(path.string() + "-wal");
    std::filesystem::remove(path.string() + "-shm");
    return path.string();
}

// The PostgreSQL server started by scripts/with-postgres.sh (a libpq connection string), or "".
inline std::string postgres_conninfo() {
    const char* s = std::getenv("LOYALTY_TEST_PG");
    return s ? s : "";
}

// A URL for a new, empty database on `backend`: a new SQLite file, or a new PostgreSQL schema
// (selected with search_path), so tests never see each other's rows.
inline std::string fresh_url(const std::string& backend, const std::string& name) {
    if (backend == "sqlite") return "sqlite:" + fresh_path(name);
    const std::string base = postgres_conninfo();
    static std::atomic<int> counter{0};
    std::string schema = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    for (char& c : schema)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    auto admin = store::detail::connect("pg:" + base, std::chrono::milliseconds(10000));
    admin->exec("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    admin->exec("CREATE SCHEMA " + schema);
    return "pg:" + base + " options='-c search_path=" + schema + "'";
}

// Every regular file under `paths` (files or directories) that holds `needle`.
inline std::vector<std::string> files_holding(const std::vector<std::string>& paths, const std::string& needle) {
    std::vector<std::string> found;
    const auto scan = [&](const std::filesystem::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        if (bytes.str().find(needle) != std::string::npos) found.push_back(p.string());
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) {
            for (auto it = std::filesystem::recursive_directory_iterator(
                     path, std::filesystem::directory_options::skip_permission_denied, ec);
                 it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec)) scan(it->path());
        } else if (std::filesystem::exists(path, ec)) {
            scan(path);
        }
    }
    return found;
}

// A SQLite database's files: the file, its write-ahead log, shared memory and rollback journal.
inline std::vector<std::string> sqlite_files(const std::string& path) {
    return {path, path + "-wal", path + "-shm", path + "-journal"};
}

// Store options with a new personal key file (options::personal_keys), which PostgreSQL needs
// for personal data.
inline store::options with_key_file(const std::string& name = "keys") {
    store::options o;
    o.personal_keys = "sqlite:" + fresh_path(name);
    return o;
}

// The programme every store test uses: the reference club.
inline const program_versions& club() {
    static const program_versions v(reference_program());
    return v;
}

inline event enrol_of(const std::string& id, const std::string& member, const std::string& when) {
    return ev(R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":"enrol"})");
}
inline event adjust_of(const std::string& id, const std::string& member, const std::string& when, long long pts) {
    return ev(R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when +
              R"(","type":"adjustment","points":)" + std::to_string(pts) + R"(,"reason":"test","operator":"op-1"})");
}

inline std::vector<event> example_journal() {
    return io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", cny());
}

// Parameterised store tests run on "sqlite" always and on "postgresql" when a server is given.
class store_test : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "postgresql" && postgres_conninfo().empty())
            GTEST_SKIP() << "PostgreSQL not available: LOYALTY_TEST_PG is not set (scripts/with-postgres.sh starts a "
                            "server and sets it)";
    }
    std::string url(const std::string& name = "db") { return fresh_url(GetParam(), name); }
};

}  // namespace loyalty::test
