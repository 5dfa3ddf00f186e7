// The store's crash test (issue 20; figures in docs/hardening.md). A writer process ingests a
// journal of linked members (linked_journal.hpp: referral chains, household transfers, fleet
// accounts with account-level tiers, vehicles sold between members, rewards with little stock,
// refusals of every sort, events sent again) in batches, always from the start, as a client
// that retries a whole file does; after each append() has returned it acknowledges the batch
// through a pipe. The parent kills it at random moments (SIGKILL; or, with --server-stops, stops
// the PostgreSQL server with an immediate shutdown while the writer appends) and checks on a
// fresh connection what the store holds against a clean run of the same journal in memory:
//
//   - what is judged (accepted in journal(), refused in refusals()) is exactly the events of the
//     first k batches, for some k: no batch is there in part, no id twice, no event the clean run
//     did not judge so; the journal's and the refusals' order and answers, and the reward stock,
//     are the clean run's after k batches;
//   - every acknowledged batch is within those k; nothing beyond the batch the writer had begun;
//   - every few kills (--deep-every), and at the end of each journal: verify() passes, the
//     ledger is the clean run's first entries, entry by entry (hashes included), the member
//     snapshots are the clean run's states and the stored events are the ones sent.
//
// The writer checks every answer append() gives against the clean run's (a batch stored before
// answers duplicates and the same refusals). When a writer finishes a journal the store must
// hold exactly the clean run's ledger, refusals, reward stock and member states; then the next
// journal (the next seed, the next batch size of --batch) starts in a new database, until the
// kills are done and a last writer, not killed, finishes the journal in hand.
//
// Why it can fail: a batch acknowledged before its commit is missing after a kill between the
// two; a batch stored in more than one transaction is found in part (both were tried by changing
// the writer for a run: each failed within the first few kills, on SQLite and PostgreSQL); a
// refusal judged again differently after a restart, or an event stored twice, breaks the clean
// run's order or answers.
//
//   loyalty-store-crash sqlite[:DIR] | pg[:CONNINFO]  [--server-stops] [--kills N] [--events N]
//                       [--batch N[,N...]] [--seed N] [--deep-every N] [--verbose]
//
// pg alone uses LOYALTY_TEST_PG (scripts/with-postgres.sh); --server-stops also needs
// LOYALTY_TEST_PG_CTL, LOYALTY_TEST_PG_DATA and LOYALTY_TEST_PG_LOG from there. Exit 0 when every
// check held, 1 on the first that did not (the database is kept and named), 2 on bad arguments.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "linked_journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/store/store.hpp"
#include "store/connection.hpp"

namespace loyalty::store_crash {
namespace {

using clock_type = std::chrono::steady_clock;
using store::event_status;

double seconds_since(clock_type::time_point t) { return std::chrono::duration<double>(clock_type::now() - t).count(); }

// ---------------------------------------------------------------------------------------------
// Arguments.

struct arguments {
    std::string target = "sqlite";
    bool server_stops = false;
    int kills = 40;
    int events = 400;
    std::vector<std::size_t> batches{10};  // the batch size of journal n: batches[n % size]
    std::uint64_t seed = 1;
    int deep_every = 10;  // verify() and the whole ledger every this many kills
    bool verbose = false;  // a line per writer
};

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr,
                 "loyalty-store-crash: %s\n"
                 "usage: loyalty-store-crash sqlite[:DIR] | pg[:CONNINFO] [--server-stops] [--kills N] [--events N]\n"
                 "                           [--batch N[,N...]] [--seed N] [--deep-every N] [--verbose]\n",
                 why.c_str());
    std::exit(2);
}

arguments parse_arguments(int argc, char** argv) {
    arguments a;
    bool have_target = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto number = [&](long long min) {
            if (i + 1 >= argc) usage(arg + " needs a number");
            char* end = nullptr;
            const long long n = std::strtoll(argv[++i], &end, 10);
            if (!end || *end || n < min) usage(arg + " needs a number of at least " + std::to_string(min));
            return n;
        };
        if (arg == "--server-stops") a.server_stops = true;
        else if (arg == "--kills") a.kills = static_cast<int>(number(0));
        else if (arg == "--events") a.events = static_cast<int>(number(10));
        else if (arg == "--batch") {
            // One size, or several (5,10,1): one journal after another in each.
            if (i + 1 >= argc) usage("--batch needs a size or sizes (5,10,1)");
            a.batches.clear();
            for (std::string list = argv[++i]; !list.empty();) {
                const std::size_t comma = list.find(',');
                const std::string item = list.substr(0, comma);
                list = comma == std::string::npos ? "" : list.substr(comma + 1);
                char* end = nullptr;
                const long long n = std::strtoll(item.c_str(), &end, 10);
                if (item.empty() || !end || *end || n < 1) usage("--batch needs sizes of at least 1");
                a.batches.push_back(static_cast<std::size_t>(n));
            }
        }
        else if (arg == "--seed") a.seed = static_cast<std::uint64_t>(number(0));
        else if (arg == "--deep-every") a.deep_every = static_cast<int>(number(1));
        else if (arg == "--verbose") a.verbose = true;
        else if (!have_target && arg.rfind("--", 0) != 0) a.target = arg, have_target = true;
        else usage("unknown argument " + arg);
    }
    const bool pg = a.target == "pg" || a.target.rfind("pg:", 0) == 0;
    if (!pg && a.target != "sqlite" && a.target.rfind("sqlite:", 0) != 0) usage("the target is sqlite[:DIR] or pg[:CONNINFO]");
    if (a.server_stops && !pg) usage("--server-stops needs a PostgreSQL target");
    return a;
}

// ---------------------------------------------------------------------------------------------
// The clean run: the journal applied in memory, and what the store must hold after any number
// of its batches.

struct answer {
    event_status status = event_status::accepted;
    refusal code = refusal::none;
    std::string message;
    std::vector<ledger_entry> entries;  // what an accepted event posted
};

struct clean_run {
    std::uint64_t seed = 0;
    std::vector<event> journal;
    std::vector<std::vector<event>> batches;
    std::vector<answer> answers;                              // per position in the journal
    std::map<std::string, std::size_t> first_batch;           // event id -> the batch it first comes in
    std::vector<std::size_t> judged_upto, accepted_upto, refused_upto, entries_upto;  // after k batches
    std::vector<std::map<std::string, std::int64_t>> stock_upto;                       // after k batches
    std::vector<std::string> accepted;                        // ids, in the order accepted
    std::vector<store::refusal_record> refusals;              // as the store logs them: once per id
    std::vector<ledger_entry> entries;                        // in the order written

    std::size_t batch_count() const { return batches.size(); }
    // Whether batch b holds an event not judged in an earlier batch.
    bool judges_new(std::size_t b) const { return judged_upto[b + 1] > judged_upto[b]; }
};

// Units issued per reward, without the rewards at zero (a store writes no row for a batch that
// moved nothing; both mean none issued).
std::map<std::string, std::int64_t> issued(const std::map<std::string, std::int64_t>& all) {
    std::map<std::string, std::int64_t> out;
    for (const auto& [reward, units] : all)
        if (units != 0) out.emplace(reward, units);
    return out;
}

clean_run make_clean_run(std::uint64_t seed, int events, std::size_t batch) {
    clean_run r;
    r.seed = seed;
    r.journal = test::linked_journal(seed, events);
    journal_runner runner(test::linked_club());
    std::set<std::string> refused_ids;
    const auto boundary = [&] {
        r.judged_upto.push_back(r.first_batch.size());
        r.accepted_upto.push_back(r.accepted.size());
        r.refused_upto.push_back(r.refusals.size());
        r.entries_upto.push_back(runner.entries().size());
        r.stock_upto.push_back(issued(runner.stock().issued));
    };
    boundary();
    for (std::size_t from = 0; from < r.journal.size(); from += batch) {
        const std::size_t b = r.batches.size();
        const std::size_t to = std::min(r.journal.size(), from + batch);
        r.batches.emplace_back(r.journal.begin() + static_cast<std::ptrdiff_t>(from),
                               r.journal.begin() + static_cast<std::ptrdiff_t>(to));
        for (std::size_t i = from; i < to; ++i) {
            const event& e = r.journal[i];
            r.first_batch.emplace(e.id, b);
            const outcome o = runner.apply(e);
            answer a;
            if (o.accepted()) {
                a.status = event_status::accepted;
                a.entries = o.entries.to_vector();
                r.accepted.push_back(e.id);
            } else if (o.refused == refusal::duplicate_event) {
                a.status = event_status::duplicate;
                a.code = o.refused;
            } else {
                a.status = event_status::refused;
                a.code = o.refused;
                a.message = o.message;
                if (refused_ids.insert(e.id).second)
                    r.refusals.push_back({e.id, e.member, std::string(to_string(o.refused)), o.message});
            }
            r.answers.push_back(std::move(a));
        }
        boundary();
    }
    r.entries = runner.entries();
    return r;
}

std::vector<ledger_entry> sorted_by_member(std::vector<ledger_entry> v) {
    std::stable_sort(v.begin(), v.end(), [](const ledger_entry& a, const ledger_entry& b) {
        return a.member < b.member || (a.member == b.member && a.seq < b.seq);
    });
    return v;
}

// ---------------------------------------------------------------------------------------------
// Where the databases go: one new database per journal.

class target {
public:
    explicit target(const arguments& a) {
        if (a.target == "sqlite" || a.target.rfind("sqlite:", 0) == 0) {
            dir_ = a.target == "sqlite" ? (std::filesystem::temp_directory_path() / ("loyalty-crash-" + std::to_string(::getpid())))
                                        : std::filesystem::path(a.target.substr(7));
            std::filesystem::create_directories(dir_);
            return;
        }
        pg_ = true;
        if (a.target == "pg") {
            const char* s = std::getenv("LOYALTY_TEST_PG");
            if (!s || !*s) usage("pg: LOYALTY_TEST_PG is not set (scripts/with-postgres.sh starts a server and sets it)");
            conninfo_ = s;
        } else {
            conninfo_ = a.target.substr(3);
        }
        if (a.server_stops) {
            for (const char* name : {"LOYALTY_TEST_PG_CTL", "LOYALTY_TEST_PG_DATA", "LOYALTY_TEST_PG_LOG"}) {
                const char* s = std::getenv(name);
                if (!s || !*s) usage(std::string("--server-stops: ") + name + " is not set (scripts/with-postgres.sh sets it)");
            }
            pg_ctl_ = std::getenv("LOYALTY_TEST_PG_CTL");
            pg_data_ = std::getenv("LOYALTY_TEST_PG_DATA");
            pg_log_ = std::getenv("LOYALTY_TEST_PG_LOG");
        }
    }

    bool postgresql() const { return pg_; }
    std::string backend() const { return pg_ ? "postgresql" : "sqlite"; }

    // A new, empty database for journal n: a new SQLite file, or a new PostgreSQL schema.
    std::string fresh(int n) {
        if (!pg_) {
            const std::filesystem::path p = dir_ / ("journal-" + std::to_string(n) + ".db");
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + suffix);
            return "sqlite:" + p.string();
        }
        schema_ = "crash_" + std::to_string(::getpid()) + "_" + std::to_string(n);
        admin()->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
        return url_of(schema_);
    }
    // The writer's connection carries an application name, so that the parent can wait until
    // the session of a killed writer is over (see quiesce()).
    std::string writer_url(const std::string& url) const {
        return pg_ ? "pg:" + conninfo_ + " application_name=" + application() + " options='-c search_path=" + schema_ + "'" : url;
    }
    // Done with journal n: its database goes (a failed run keeps it).
    void discard(const std::string& url) {
        if (!pg_) {
            for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(url.substr(7) + suffix);
            return;
        }
        admin()->exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
    void remove_dir_if_empty() {
        std::error_code ignored;
        if (!pg_) std::filesystem::remove(dir_, ignored);
    }

    // PostgreSQL: waits until the killed writer's session has ended, so that the check reads
    // what stays: a COMMIT the writer sent before it died may still be completing.
    void quiesce() {
        if (!pg_) return;
        const auto start = clock_type::now();
        auto c = admin();
        for (;;) {
            const auto rows = c->query("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", {application()});
            if (store::detail::as_int(rows.at(0).at(0)) == 0) return;
            if (seconds_since(start) > 60) throw std::runtime_error("the killed writer's session did not end within 60 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    // --server-stops: an immediate shutdown (the server's processes quit at once, without a
    // checkpoint: what a power cut or a kill -9 of the server leaves) and a start, which recovers
    // from the write-ahead log.
    void stop_server() { run({pg_ctl_, "-D", pg_data_, "-m", "immediate", "-w", "stop"}, "stop"); }
    void start_server() { run({pg_ctl_, "-D", pg_data_, "-l", pg_log_, "-w", "-t", "120", "start"}, "start"); }

private:
    std::string application() const { return "loyalty_crash_" + std::to_string(::getpid()); }
    std::string url_of(const std::string& schema) const { return "pg:" + conninfo_ + " options='-c search_path=" + schema + "'"; }
    std::unique_ptr<store::detail::connection> admin() const {
        return store::detail::connect("pg:" + conninfo_, std::chrono::milliseconds(10000));
    }
    static void run(const std::vector<std::string>& argv, const std::string& what) {
        std::fflush(stdout);
        const pid_t pid = ::fork();
        if (pid < 0) throw std::runtime_error("fork failed");
        if (pid == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            if (null >= 0) ::dup2(null, STDOUT_FILENO);
            std::vector<char*> args;
            for (const std::string& s : argv) args.push_back(const_cast<char*>(s.c_str()));
            args.push_back(nullptr);
            ::execv(args[0], args.data());
            std::_Exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw std::runtime_error("pg_ctl " + what + " failed (status " + std::to_string(status) + ")");
    }

    bool pg_ = false;
    std::filesystem::path dir_;
    std::string conninfo_, schema_, pg_ctl_, pg_data_, pg_log_;
};

// ---------------------------------------------------------------------------------------------
// The writer process and what it tells the parent.

// One record per write, under PIPE_BUF: the parent never reads half of one.
struct message {
    char kind = 0;  // 'o' opened, 'b' begins batch, 'a' batch acknowledged, 'd' done, 'e' error, 'x' wrong answer
    char pad[3] = {};
    std::uint32_t batch = 0;
    char text[56] = {};
};
static_assert(sizeof(message) == 64, "one pipe record");

constexpr int exit_error = 3;        // append() or open() raised a loyalty::error
constexpr int exit_other = 4;        // anything else was thrown
constexpr int exit_wrong = 5;        // an answer differs from the clean run's
constexpr int exit_pipe = 6;         // the pipe failed

void tell(int fd, char kind, std::size_t batch, const std::string& text = "") {
    message m;
    m.kind = kind;
    m.batch = static_cast<std::uint32_t>(batch);
    std::strncpy(m.text, text.c_str(), sizeof m.text - 1);
    if (::write(fd, &m, sizeof m) != static_cast<ssize_t>(sizeof m)) std::_Exit(exit_pipe);
}

// What is wrong with the answers append() gave for batch b, or "". `stored_before`: the batch's
// events were judged before this writer started (then its accepted events are duplicates).
std::string wrong_answers(const clean_run& run, std::size_t b, bool stored_before, const store::batch_result& got) {
    const std::vector<event>& batch = run.batches[b];
    if (got.events.size() != batch.size()) return "batch " + std::to_string(b) + ": " + std::to_string(got.events.size()) + " answers";
    std::size_t accepted = 0, duplicates = 0, refused = 0;
    const std::size_t from = b * run.batches[0].size();
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const answer& want = run.answers[from + i];
        const store::event_result& r = got.events[i];
        const std::string where = "event " + batch[i].id + " (batch " + std::to_string(b) + "): ";
        if (r.event != batch[i].id) return where + "answered as " + r.event;
        accepted += r.status == event_status::accepted;
        duplicates += r.status == event_status::duplicate;
        refused += r.status == event_status::refused;
        switch (want.status) {
        case event_status::accepted:
            if (stored_before ? r.status != event_status::duplicate : r.status != event_status::accepted)
                return where + (stored_before ? "not a duplicate" : "not accepted") + " (" + std::string(to_string(r.code)) + ": " +
                       r.message + ")";
            if (!stored_before && r.entries != want.entries) return where + "posted other entries than the clean run";
            break;
        case event_status::duplicate:
            if (r.status != event_status::duplicate) return where + "not a duplicate";
            break;
        case event_status::refused:
            if (r.status != event_status::refused || r.code != want.code || r.message != want.message)
                return where + "not refused as in the clean run (" + std::string(to_string(want.code)) + ": " + want.message +
                       "), but " + std::string(to_string(r.code)) + ": " + r.message;
            break;
        }
    }
    if (got.accepted != accepted || got.duplicates != duplicates || got.refused != refused)
        return "batch " + std::to_string(b) + ": the counts do not add up";
    return "";
}

// Opens the store and sends the whole journal from the start; acknowledges each batch only once
// append() has returned, i.e. after its COMMIT.
[[noreturn]] void writer(const clean_run& run, const std::string& url, std::size_t stored_batches, int fd) {
    try {
        auto db = store::store::open(url, test::linked_club());
        tell(fd, 'o', 0);
        for (std::size_t b = 0; b < run.batch_count(); ++b) {
            tell(fd, 'b', b);
            const store::batch_result r = db->append(run.batches[b]);
            tell(fd, 'a', b);
            const std::string wrong = wrong_answers(run, b, b < stored_batches, r);
            if (!wrong.empty()) {
                std::fprintf(stderr, "writer: %s\n", wrong.c_str());
                tell(fd, 'x', b);
                std::_Exit(exit_wrong);
            }
        }
        tell(fd, 'd', run.batch_count());
        std::_Exit(0);
    } catch (const error& e) {
        std::fprintf(stderr, "writer: %s\n", e.what());
        tell(fd, 'e', 0, e.id());
        std::_Exit(exit_error);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "writer: not a loyalty::error: %s\n", e.what());
        std::_Exit(exit_other);
    }
}

// ---------------------------------------------------------------------------------------------
// The parent.

// Where a kill landed, as the writer's last words and the store say.
enum class landing { in_open, between_batches, in_batch_sent_again, rolled_back, committed_unacknowledged, undecided };
const char* const landing_names[] = {"while opening the store", "between batches", "in a batch stored before (sent again)",
                                     "mid-batch, not committed", "mid-batch, committed, not acknowledged",
                                     "in a batch of nothing new (no way to tell)"};

struct figures {
    int kills = 0;
    std::map<landing, int> landed;
    std::map<std::string, int> writer_errors;  // --server-stops: what append()/open() raised
    int journals = 0;
    std::size_t events = 0;
    std::size_t new_batches_acknowledged = 0, batches_acknowledged = 0;
    int deep_checks = 0, writers = 0;
};

// The judged prefix: the store holds exactly the events of batches [0, k) for any k in
// [low, high] (high > low only when the batches after low judge nothing new).
struct prefix {
    std::size_t low = 0, high = 0;
};

class crash_run {
public:
    explicit crash_run(const arguments& a) : args_(a), target_(a), dice_(a.seed * 7919 + 17) {}

    int run() {
        const auto start = clock_type::now();
        std::string sizes;
        for (const std::size_t b : args_.batches) sizes += (sizes.empty() ? "" : ",") + std::to_string(b);
        std::printf("loyalty-store-crash: %s, %s; %d kills; journals of %d events in batches of %s from seed %llu\n",
                    target_.backend().c_str(), args_.server_stops ? "immediate server shutdowns" : "writer killed (SIGKILL)",
                    args_.kills, args_.events, sizes.c_str(), static_cast<unsigned long long>(args_.seed));
        std::fflush(stdout);
        try {
            while (f_.kills < args_.kills) {
                if (!journal_) start_journal();
                cycle(true);
                if (done_) finish_journal();
            }
            if (!journal_ && f_.journals == 0) start_journal();  // no kills: one clean run
            if (journal_) {
                cycle(false);  // a last writer, not killed, finishes the journal
                if (!done_) fail("the last writer did not finish the journal");
                finish_journal();
            }
        } catch (const std::exception& e) {
            std::printf("FAILED: %s\n", e.what());
            if (std::ifstream log(writer_log_); log && log.peek() != EOF)
                std::printf("  the last writer's messages (%s):\n%s", writer_log_.c_str(),
                            std::string(std::istreambuf_iterator<char>(log), {}).c_str());
            if (journal_)
                std::printf("  journal seed %llu (%zu events, batches of %zu), %zu batches stored; database kept: %s\n",
                            static_cast<unsigned long long>(journal_->seed), journal_->journal.size(), journal_->batches[0].size(),
                            stored_.low, url_.c_str());
            return 1;
        }
        std::filesystem::remove(writer_log_);
        target_.remove_dir_if_empty();
        report(seconds_since(start));
        return 0;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw std::runtime_error(what); }

    void start_journal() {
        const std::uint64_t seed = args_.seed + static_cast<std::uint64_t>(f_.journals);
        const std::size_t batch = args_.batches[static_cast<std::size_t>(f_.journals) % args_.batches.size()];
        journal_ = std::make_unique<clean_run>(make_clean_run(seed, args_.events, batch));
        url_ = target_.fresh(f_.journals);
        stored_ = {};
        done_ = false;
    }

    // Forks a writer and, if `strike`, kills it (or stops the server) at a random moment; then
    // checks what the store holds.
    void cycle(bool strike) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe failed");
        std::fflush(stdout);
        std::fflush(stderr);
        const std::string writer_url = target_.writer_url(url_);
        const pid_t pid = ::fork();
        if (pid < 0) fail("fork failed");
        if (pid == 0) {
            ::close(fds[0]);
            // What the writer says goes to a file, shown if the run fails: libpq's notices of a
            // server going down would drown the report.
            const int log = ::open(writer_log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (log >= 0) ::dup2(log, STDERR_FILENO);
            writer(*journal_, writer_url, stored_.low, fds[1]);
        }
        ::close(fds[1]);
        ++f_.writers;
        const auto forked = clock_type::now();

        // Aim: mostly at the first batch the store does not hold yet (from its start to a few
        // batches' time after it: before, during and after its commit), else anywhere from the
        // fork (opening the store, batches sent again).
        const bool anywhere = dice_.below(100) < 15;
        std::optional<clock_type::time_point> deadline;
        if (strike && anywhere) deadline = forked + random_delay(1.2 * to_first_new_);
        std::string buffer;
        std::vector<message> heard;
        std::map<std::size_t, clock_type::time_point> began;
        bool eof = false, struck = false, first_new = false;
        const auto listen = [&](int timeout_ms) {
            pollfd p{fds[0], POLLIN, 0};
            if (::poll(&p, 1, timeout_ms) <= 0) return;
            char chunk[4096];
            const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
            if (n <= 0) {
                eof = true;
                return;
            }
            buffer.append(chunk, static_cast<std::size_t>(n));
            const auto now = clock_type::now();
            while (buffer.size() >= sizeof(message)) {
                message m;
                std::memcpy(&m, buffer.data(), sizeof m);
                buffer.erase(0, sizeof m);
                heard.push_back(m);
                if (m.kind == 'b') {
                    began[m.batch] = now;
                    if (!first_new && m.batch >= stored_.high) {
                        first_new = true;
                        to_first_new_ = 0.8 * to_first_new_ + 0.2 * std::chrono::duration<double>(now - forked).count();
                        if (strike && !anywhere) deadline = now + random_delay(2.5 * batch_time_);
                    }
                } else if (m.kind == 'a' && m.batch >= stored_.high && began.count(m.batch)) {
                    batch_time_ = 0.8 * batch_time_ + 0.2 * std::chrono::duration<double>(now - began[m.batch]).count();
                }
            }
        };
        while (!eof) {
            if (seconds_since(forked) > 300) {
                ::kill(pid, SIGKILL);
                fail("the writer made no progress in 300 s");
            }
            if (!deadline) {
                listen(1000);
                continue;
            }
            const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*deadline - clock_type::now()).count();
            if (left <= 0) break;
            if (left >= 2000) {
                listen(static_cast<int>(std::min<long long>(1000, left / 1000 - 1)));
            } else {
                // poll() counts in milliseconds; a batch may take less: sleep in small steps.
                listen(0);
                std::this_thread::sleep_for(std::chrono::microseconds(std::min<long long>(left, 200)));
            }
        }
        clock_type::time_point struck_at{};
        if (!eof) {
            struck = true;
            struck_at = clock_type::now();
            if (args_.server_stops) target_.stop_server();
            else ::kill(pid, SIGKILL);
        }
        // What the writer said before it died (a stopped server: it must fail and exit).
        const auto drain_start = clock_type::now();
        while (!eof) {
            if (seconds_since(drain_start) > 60) {
                ::kill(pid, SIGKILL);
                fail("the writer did not end within 60 s of the server's stop");
            }
            listen(1000);
        }
        ::close(fds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (struck && args_.server_stops) target_.start_server();

        const bool finished = std::any_of(heard.begin(), heard.end(), [](const message& m) { return m.kind == 'd'; });
        const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && !args_.server_stops && struck;
        std::string error_id;
        for (const message& m : heard)
            if (m.kind == 'e') error_id = m.text;
        if (!finished && !killed) {
            const bool expected_error = args_.server_stops && struck && WIFEXITED(status) && WEXITSTATUS(status) == exit_error;
            // A lost connection is loyalty.store.connection_failed (docs/store.md), whatever the
            // writer was doing when the server went.
            if (expected_error && error_id != "loyalty.store.connection_failed")
                fail("the writer's append() or open() raised " + error_id + " when the server stopped, not loyalty.store.connection_failed");
            if (!expected_error)
                fail(WIFSIGNALED(status) ? "the writer died of signal " + std::to_string(WTERMSIG(status))
                                         : "the writer failed with exit status " + std::to_string(WEXITSTATUS(status)) +
                                               (WEXITSTATUS(status) == exit_wrong ? " (a wrong answer, above)"
                                                : WEXITSTATUS(status) == exit_error ? " (a loyalty::error, above)"
                                                : WEXITSTATUS(status) == exit_other ? " (not a loyalty::error, above)"
                                                                                    : ""));
            ++f_.writer_errors[error_id];
        }
        if (finished && WIFEXITED(status) && WEXITSTATUS(status) != 0) fail("the writer said it was done, then failed");

        // The writer's last words: the batches it acknowledged, and the one it was in.
        bool opened = false;
        std::optional<std::size_t> last_begun, in_batch;
        std::size_t acknowledged = 0;  // batches [0, acknowledged) were acknowledged
        for (const message& m : heard) {
            if (m.kind == 'o') opened = true;
            if (m.kind == 'b') last_begun = in_batch = m.batch;
            if (m.kind == 'a') {
                if (m.batch != acknowledged) fail("the writer acknowledged batch " + std::to_string(m.batch) + " out of order");
                acknowledged = m.batch + 1;
                in_batch.reset();
                ++f_.batches_acknowledged;
                if (m.batch >= stored_.high) ++f_.new_batches_acknowledged;
            }
        }

        target_.quiesce();
        const prefix before = stored_;
        auto db = store::store::open(url_, test::linked_club());
        stored_ = check_prefix(*db);
        const std::string where = "after writer " + std::to_string(f_.writers) + " (" + std::to_string(acknowledged) +
                                  " batches acknowledged, stored before " + std::to_string(before.low) + ")";
        // Nothing acknowledged is lost; nothing before is lost; nothing is there beyond the batch
        // the writer had begun.
        if (acknowledged > stored_.high)
            fail(where + ": acknowledged batch " + std::to_string(acknowledged - 1) + " is not stored (the store holds " +
                 std::to_string(stored_.low) + " batches)");
        if (before.low > stored_.high) fail(where + ": batches stored before are gone");
        const std::size_t reach = std::max(before.high, last_begun ? *last_begun + 1 : 0);
        if (stored_.low > reach) fail(where + ": batch " + std::to_string(stored_.low - 1) + " is stored, which no writer sent");

        if (struck && !finished) {
            ++f_.kills;
            landing l = landing::between_batches;
            if (!opened) l = landing::in_open;
            else if (in_batch && *in_batch < before.low) l = landing::in_batch_sent_again;
            else if (in_batch && stored_.low > *in_batch) l = landing::committed_unacknowledged;
            else if (in_batch && stored_.high <= *in_batch) l = landing::rolled_back;
            else if (in_batch) l = landing::undecided;
            ++f_.landed[l];
            if (args_.verbose)
                std::printf("writer %d: %s %.2f ms after the fork, %s; %zu batches stored (were %zu)%s%s\n", f_.writers,
                            args_.server_stops ? "server stopped" : "killed", 1000 * std::chrono::duration<double>(struck_at - forked).count(),
                            landing_names[static_cast<int>(l)], stored_.low, before.low, error_id.empty() ? "" : "; it raised ",
                            error_id.c_str());
            if (f_.kills % args_.deep_every == 0) deep_check(*db);
            if (f_.kills % 100 == 0) {
                std::printf("  %d kills, %d journals, %.0f s\n", f_.kills, f_.journals, seconds_since(started_));
                std::fflush(stdout);
            }
        }
        done_ = stored_.low == journal_->batch_count();
        if (done_ && !finished) {
            // Stored in full, but the writer did not get to say so: a writer that is not killed
            // runs the file once more (every answer a duplicate or the same refusal).
            db.reset();
            cycle(false);
        }
    }

    std::chrono::microseconds random_delay(double max_seconds) {
        const double s = max_seconds * dice_.below(1000001) / 1e6;
        return std::chrono::microseconds(static_cast<long long>(s * 1e6));
    }

    // What is judged is the events of batches [0, k) exactly; in the clean run's order, with its
    // answers, and the reward stock is the clean run's after k batches.
    prefix check_prefix(const store::store& db) const {
        const clean_run& run = *journal_;
        const std::vector<event> journal = db.journal();
        const std::vector<store::refusal_record> refusals = db.refusals();
        std::set<std::string> judged;
        prefix p;
        const auto judge = [&](const std::string& id, const char* where) {
            if (!judged.insert(id).second) fail("event " + id + " is judged twice (again " + where + ")");
            const auto first = run.first_batch.find(id);
            if (first == run.first_batch.end()) fail("event " + id + " is stored, which the journal does not have");
            p.low = std::max(p.low, first->second + 1);
        };
        for (const event& e : journal) judge(e.id, "in the journal");
        for (const store::refusal_record& r : refusals) judge(r.event, "in the refusals");
        if (judged.size() != run.judged_upto[p.low])
            fail("a batch is there in part: " + std::to_string(judged.size()) + " events judged, batches [0, " +
                 std::to_string(p.low) + ") have " + std::to_string(run.judged_upto[p.low]));
        p.high = p.low;
        while (p.high < run.batch_count() && !run.judges_new(p.high)) ++p.high;
        if (journal.size() != run.accepted_upto[p.low]) fail("the journal holds other events than the clean run accepted");
        for (std::size_t i = 0; i < journal.size(); ++i)
            if (journal[i].id != run.accepted[i])
                fail("journal position " + std::to_string(i) + " holds " + journal[i].id + ", the clean run " + run.accepted[i]);
        if (refusals.size() != run.refused_upto[p.low]) fail("the refusals are not the clean run's");
        for (std::size_t i = 0; i < refusals.size(); ++i) {
            const store::refusal_record& got = refusals[i];
            const store::refusal_record& want = run.refusals[i];
            if (got.event != want.event || got.member != want.member || got.code != want.code || got.message != want.message)
                fail("refusal " + std::to_string(i) + " is " + got.event + " " + got.code + " (" + got.message + "), the clean run's " +
                     want.event + " " + want.code + " (" + want.message + ")");
        }
        if (issued(db.reward_stock()) != run.stock_upto[p.low]) fail("the reward stock is not the clean run's");
        if (db.event_count() != journal.size()) fail("event_count() is not the journal's length");
        return p;
    }

    // Every few kills: the auditor's check, the ledger entry by entry and the events as sent.
    void deep_check(const store::store& db) {
        ++f_.deep_checks;
        const clean_run& run = *journal_;
        const verification_report report = db.verify();
        if (!report.ok()) fail("verify() fails: " + (report.problems.empty() ? std::string("?") : report.problems[0].problem));
        const std::vector<ledger_entry> want = sorted_by_member(
            std::vector<ledger_entry>(run.entries.begin(), run.entries.begin() + static_cast<std::ptrdiff_t>(run.entries_upto[stored_.low])));
        const std::vector<ledger_entry> got = db.ledger();
        if (got.size() != want.size()) fail("the ledger holds " + std::to_string(got.size()) + " entries, the clean run " + std::to_string(want.size()));
        for (std::size_t i = 0; i < got.size(); ++i)
            if (got[i] != want[i])
                fail("ledger entry " + got[i].member + "/" + std::to_string(got[i].seq) + " differs from the clean run's");
        // The snapshots, which the next batches start from: the clean run's states after k batches.
        journal_runner upto(test::linked_club());
        for (std::size_t b = 0; b < stored_.low; ++b)
            for (const event& e : run.batches[b]) upto.apply(e);
        for (const auto& [id, state] : upto.members())
            if (!(db.member(id) == state)) fail("the snapshot of member " + id + " is not the clean run's state");
        std::map<std::string, const event*> sent;
        for (const event& e : run.journal) sent.emplace(e.id, &e);
        for (const event& e : db.journal())
            if (io::event_to_json(e).dump() != io::event_to_json(*sent.at(e.id)).dump()) fail("event " + e.id + " is stored changed");
    }

    // A journal stored in full: exactly the clean run's ledger, refusals, reward stock and members.
    void finish_journal() {
        target_.quiesce();
        {
            auto db = store::store::open(url_, test::linked_club());
            deep_check(*db);
            const clean_run& run = *journal_;
            if (db->ledger() != sorted_by_member(run.entries)) fail("the ledger is not the clean run's");
            if (issued(db->reward_stock()) != issued(run.stock_upto.back())) fail("the reward stock is not the clean run's");
            f_.events += run.journal.size();
        }
        ++f_.journals;
        target_.discard(url_);
        journal_.reset();
        done_ = false;
    }

    void report(double seconds) const {
        std::printf("kills: %d\n", f_.kills);
        for (const auto& [l, n] : f_.landed) std::printf("  %-48s %d\n", landing_names[static_cast<int>(l)], n);
        for (const auto& [id, n] : f_.writer_errors) std::printf("  the writer's append()/open() raised %s: %d\n", id.c_str(), n);
        std::printf("journals: %d, %zu events, each finished with exactly the clean run's ledger, refusals, reward stock and members\n",
                    f_.journals, f_.events);
        std::printf("batches acknowledged: %zu new (%zu with those sent again), by %d writers\n", f_.new_batches_acknowledged,
                    f_.batches_acknowledged, f_.writers);
        std::printf("deep checks (verify(), the ledger entry by entry, the snapshots, the events as sent): %d\n", f_.deep_checks);
        std::printf("time: %.1f s\n", seconds);
        std::printf("OK\n");
    }

    arguments args_;
    target target_;
    test::journal_dice dice_;
    figures f_;
    std::unique_ptr<clean_run> journal_;
    std::string url_;
    prefix stored_;
    bool done_ = false;
    double to_first_new_ = 0.02, batch_time_ = 0.005;  // seconds, running averages
    clock_type::time_point started_ = clock_type::now();
    std::string writer_log_ = (std::filesystem::temp_directory_path() / ("loyalty-crash-" + std::to_string(::getpid()) + "-writer.log")).string();
};

}  // namespace
}  // namespace loyalty::store_crash

int main(int argc, char** argv) {
    const loyalty::store_crash::arguments args = loyalty::store_crash::parse_arguments(argc, argv);
    return loyalty::store_crash::crash_run(args).run();
}
