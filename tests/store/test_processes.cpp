// SQLite with real processes: two processes writing one file, and a writer killed with
// SIGKILL at random points. Nothing acknowledged is lost, nothing partial is kept.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>

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

TEST(SqliteProcesses, KilledWriterLosesNoAcknowledgedBatchAndKeepsNoPartialOne) {
    const std::string url = "sqlite:" + test::fresh_path("crash");
    enrol_all(url);
    constexpr int rounds = 12, size = 15, max_batches = 400;
    std::mt19937 random(20261125);  // fixed seed: the same kill points on every run
    std::uniform_int_distribution<int> delay_us(2000, 60000);
    std::map<std::string, int> acknowledged;  // writer -> batches acknowledged
    for (int round = 0; round < rounds; ++round) {
        const std::string w = "r" + std::to_string(round);
        int pipe_fd[2];
        ASSERT_EQ(::pipe(pipe_fd), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(pipe_fd[0]);
            try {
                auto db = store::store::open(url, club());
                for (int b = 0; b < max_batches; ++b) {
                    db->append(batch_of(w, b, size));
                    // Acknowledge only after append() returned, i.e. after COMMIT.
                    const unsigned char ack = 1;
                    if (::write(pipe_fd[1], &ack, 1) != 1) std::_Exit(4);
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "writer %s: %s\n", w.c_str(), e.what());
                std::_Exit(2);
            }
            std::_Exit(0);
        }
        ::close(pipe_fd[1]);
        ::usleep(static_cast<useconds_t>(delay_us(random)));
        ::kill(pid, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        int acks = 0;
        unsigned char buf[256];
        for (ssize_t n; (n = ::read(pipe_fd[0], buf, sizeof buf)) > 0;) acks += static_cast<int>(n);
        ::close(pipe_fd[0]);
        ASSERT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "the writer failed before it was killed";
        acknowledged[w] = acks;

        // After every kill: each acknowledged batch is whole, and no batch is there in part.
        auto db = store::store::open(url, club());
        for (const auto& [writer, n] : acknowledged) {
            for (int b = 0; b < max_batches; ++b) {
                int present = 0;
                for (const event& e : batch_of(writer, b, size)) present += db->event_by_id(e.id) ? 1 : 0;
                if (b < n) EXPECT_EQ(present, size) << writer << " batch " << b << " was acknowledged";
                else EXPECT_TRUE(present == 0 || present == size) << writer << " batch " << b << " is partial: " << present;
                if (b > n) {
                    EXPECT_EQ(present, 0) << writer << " batch " << b << " follows an unacknowledged one";
                    break;
                }
            }
        }
        const verification_report report = db->verify();
        EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0].problem);
    }
    std::int64_t acked_events = 0;
    for (const auto& [writer, n] : acknowledged) acked_events += static_cast<std::int64_t>(n) * size;
    // At least the acknowledged events, and at most one more batch per round (killed after
    // COMMIT but before the acknowledgement was written).
    auto db = store::store::open(url, club());
    const auto stored = static_cast<std::int64_t>(db->event_count()) - members;
    EXPECT_GE(stored, acked_events);
    EXPECT_LE(stored, acked_events + rounds * size);
    EXPECT_GT(acked_events, 0) << "no batch was acknowledged before a kill: the test proved little";
}

}  // namespace
}  // namespace loyalty
