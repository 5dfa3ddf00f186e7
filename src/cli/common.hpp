#pragma once
// Helpers shared by the commands of the `loyalty` tool: loading programmes (journals:
// journal_reader.hpp), replaying, and printing tables, CSV and JSON.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "loyalty/audit/balance_assertion.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/io/json.hpp"
#include "journal_reader.hpp"

namespace loyalty::cli {

// Exit codes (docs/cli.md).
enum exit_code : int {
    exit_ok = 0,
    exit_problems = 1,   // problems found: verification failed, assertion failed, refusals with --strict, invalid programme
    exit_bad_input = 2,  // bad input: unreadable file, invalid programme given to a command, malformed line, unknown member or event, bad option
    exit_internal = 3,   // a bug: an unexpected exception
};

using json = io::json;

// Every command's output format.
enum class format { table, json, csv };

// Programmes, as versions of one programme; a bad file raises loyalty::error.
program_versions load_programs(const std::vector<std::string>& paths);

struct refused_line {
    std::size_t line = 0;
    refused_event refusal;
};

// A replay of a journal's items, with what happened on the way.
struct replay_run {
    journal_runner runner;
    std::vector<refused_line> refusals;
    std::vector<assertion_failure> failed_assertions;
    std::size_t assertions_checked = 0;
    std::size_t applied = 0;
    explicit replay_run(program_versions v) : runner(std::move(v)) {}
};

// Applies items[0, count) in order, checking assertions when `check_assertions`.
// `keep` says whether an item is replayed (all when empty); `after` sees each event's outcome
// and returns false to stop.
std::unique_ptr<replay_run> replay_items(const program_versions& versions, const std::vector<journal_item>& items,
                                         std::size_t count, bool check_assertions,
                                         const std::function<bool(const journal_item&)>& keep = {},
                                         const std::function<bool(const journal_item&, const outcome&)>& after = {});

// Prints the malformed lines on stderr; returns exit_bad_input when there are any.
int report_bad_lines(const journal_file& j);

// Options most commands share.
struct source_options {
    std::vector<std::string> programs;
    std::string events;
    std::string db;  // a reading command's journal from a store instead (store_source.hpp)
};
void add_source_options(CLI::App& cmd, source_options& o, bool events_required = true);
void add_format_options(CLI::App& cmd, format& f, bool csv);

// What `loyalty --help` and every command's --help end with: the exit codes.
std::string exit_codes_help();
// A command's --help footer: one example (relative paths of the repository: examples/, tests/;
// the tests run every example) and the exit codes.
void set_help_example(CLI::App& cmd, const std::string& example);

// Runs a command body: loyalty::error -> message + exit_bad_input; other exceptions -> exit_internal.
// The message goes to stderr as "error: [id] (pointer) message", or under --json (`out`) as one
// line of JSON, {"error": id, "pointer": ..., "message": ...} ("loyalty.internal" for a bug).
int guarded(format out, const std::function<int()>& body);

// Progress through a long journal, on stderr and only when it is a terminal: a line rewritten
// every 10,000 events, cleared by clear(). Never in a pipe, a file or a test log. Of a known
// number of events (a store's): "verifying journal line 52001: 50000 of 1000000 events (5%)".
// Of a journal file read once, the share is of the file's bytes, not of its events (a count
// that would take a reading of its own): "applying journal line 52001: 50000 events, 5% of the file".
class progress {
public:
    progress(std::string doing, std::size_t events);
    progress(std::string doing, const std::string& journal_path);
    void step(std::size_t line);          // one more of the events done, read from journal line `line`
    void step(const journal_item& item);  // one more event of the journal file done: `item`'s
    void clear();

private:
    void show(std::size_t line, std::uintmax_t at);

    std::string doing_;
    bool of_file_ = false;
    std::uintmax_t total_ = 0;  // events, or the file's bytes (0 when its size cannot be known)
    std::size_t done_ = 0;
    bool tty_;
    bool shown_ = false;
};

// A simple text table: left-aligned text, right-aligned numbers.
class table {
public:
    explicit table(std::vector<std::string> header) : header_(std::move(header)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out, const std::string& indent = "") const;
    void print_csv(std::ostream& out) const;
    bool empty() const { return rows_.empty(); }

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
};

std::string pt(points p);  // "2715"
// How many columns text tables may take: 0 (no limit) with --wide; else LOYALTY_COLUMNS when set;
// else, when stdout is a terminal, COLUMNS or the terminal's width; else 0 (output to a file or
// a pipe is never wrapped).
std::size_t output_columns();
// The time zone of the programme version in force at t (the latest before the first version):
// the zone times are shown in for people (time_zone::format_local). JSON and CSV keep UTC.
const time_zone& zone_at(const program_versions& versions, instant t);
// An instant in a table: UTC for --csv (as in JSON), else in `zone` for people.
std::string table_instant(format out, const time_zone& zone, instant t);
json entry_json(const ledger_entry& e);
instant parse_instant_option(const std::string& text, const std::string& option);  // raises loyalty::error

// --as-of means the same in every command: a local day ("2026-03-01": to the end of that day in
// the programme's time zone) or an instant ("2026-03-01T10:00:00+08:00": up to and including
// it). loyalty.cli.invalid_date for a day that does not exist, loyalty.cli.invalid_instant else.
struct as_of_point {
    instant end;  // what happened before it counts
    instant last() const { return end - std::chrono::seconds(1); }  // the last instant counted
};
as_of_point parse_as_of(const std::string& text, const time_zone& zone);
day parse_day_option(const std::string& text, const std::string& option);

}  // namespace loyalty::cli
