// SQLite with real processes: two processes writing one file lose nothing. (A writer killed at
// random points is the crash test's, crash_ingest.cpp, on both backends.)
#include <sys/wait.h>
#include <unistd.h>


#include "store_support.hpp"

namespace loyalty {
namespace {

using test::adjust_of;
using test::club;
using test::enrol_of;

constexpr int members = 6;

std::string member_name(int m) { return "P" + std::to_string(m); }

void enrol_all(const std::string& url) {
    std::vector<event> batch;
    for (int m = 0; m < members; ++m) batch.push_back(enrol_of("enrol-" + std::to_string(m), member_name(m), "2026-01-05T10:00:00Z"));
    store::store::open(url, club())->append(batch);
}

// Batch `b` of writer `w`: `size` adjustments of +1 spread over every member.
std::vector<event> batch_of(const std::string& w, int b, int size) {
    std::vector<event> out;
    for (int k = 0; k < size; ++k)
        out.push_back(adjust_of(w + "-" + std::to_string(b) + "-" + std::to_string(k), member_name(k % members),
                                "2026-01-06T10:00:00Z", 1));
    return out;
}

TEST(SqliteProcesses, TwoProcessesWriteOneFileAndLoseNothing) {
    const std::string url = "sqlite:" + test::fresh_path("two-writers");
    enrol_all(url);
    constexpr int batches = 30, size = 12;
    std::vector<pid_t> children;
    for (const char* w : {"w1", "w2"}) {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            int code = 0;
            try {
                auto db = store::store::open(url, club());
                for (int b = 0; b < batches; ++b)
                    if (db->append(batch_of(w, b, size)).accepted != size) code = 3;
            } catch (const std::exception& e) {
                std::fprintf(stderr, "writer %s: %s\n", w, e.what());
                code = 2;
            }
            std::_Exit(code);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer failed (see its message above)";
    }
    auto db = store::store::open(url, club());
    // 6 enrolments + 2 writers x 30 batches x 12 events = 726 events.
    EXPECT_EQ(db->event_count(), 726u);
    for (int m = 0; m < members; ++m)  // each: 500 welcome + 2 x 30 x 12 / 6 = 500 + 120 points
        EXPECT_EQ(db->member(member_name(m))->balance(), points(620));
    EXPECT_TRUE(db->verify().ok());
}

}  // namespace
}  // namespace loyalty
