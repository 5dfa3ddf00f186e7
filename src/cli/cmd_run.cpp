// loyalty run: applies a journal of events and writes the ledger (JSON lines).
#include <fstream>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/io/ledger_json.hpp"

namespace loyalty::cli {

namespace {

constexpr std::size_t progress_every = 10000;

struct run_options {
    source_options src;
    std::string ledger;
    bool keep_going = false;
    bool strict = false;
    format out = format::table;
};

int run_run(const run_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_file j = read_journal(o.src.events, versions.latest().currency_unit);
    const int bad = report_bad_lines(j);
    const std::size_t usable = j.usable(o.keep_going);
    if (!j.bad.empty() && !o.keep_going)
        std::cerr << "stopped at line " << j.bad.front().line
                  << ": nothing after it was applied (use --keep-going to skip malformed lines)\n";
    // Progress for long runs, on stderr and only when it is a terminal: a line rewritten every
    // `progress_every` events, cleared at the end. Never in a pipe, a file or a test log.
    const bool tty = isatty(STDERR_FILENO) == 1;
    std::size_t events = 0, done = 0;
    for (std::size_t i = 0; i < usable; ++i) events += j.items[i].is_assertion ? 0 : 1;
    bool shown = false;
    const auto progress = [&](const journal_item& item, const outcome&) {
        if (++done % progress_every == 0 && tty) {
            std::cerr << "\rapplying journal line " << item.line << ": " << done << " of " << events << " events ("
                      << done * 100 / events << "%)" << std::flush;
            shown = true;
        }
        return true;
    };
    const auto run = replay_items(versions, j.items, usable, true, {}, progress);
    if (shown) std::cerr << "\r\033[K" << std::flush;
    const journal_runner& r = run->runner;

    if (!o.ledger.empty()) {
        std::ofstream f(o.ledger, std::ios::binary | std::ios::trunc);
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
        f << io::ledger_to_jsonl(r.entries());
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
    }

    table refused({"line", "event", "member", "reason", "message"});
    for (const refused_line& x : run->refusals)
        refused.add({std::to_string(x.line), x.refusal.event, x.refusal.member, std::string(to_string(x.refusal.code)),
                     x.refusal.message});
    if (o.out == format::csv) {
        refused.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"applied", run->applied},
                 {"refused", json::array()},
                 {"malformed", json::array()},
                 {"assertions_checked", run->assertions_checked},
                 {"failed_assertions", json::array()},
                 {"members", r.members().size()},
                 {"entries", r.entries().size()},
                 {"stopped_at_line", j.bad.empty() || o.keep_going ? json(nullptr) : json(j.bad.front().line)}};
        for (const refused_line& x : run->refusals)
            doc["refused"].push_back({{"line", x.line}, {"event", x.refusal.event}, {"member", x.refusal.member},
                                      {"reason", std::string(to_string(x.refusal.code))}, {"message", x.refusal.message}});
        for (const bad_line& b : j.bad)
            doc["malformed"].push_back({{"line", b.line}, {"id", b.id}, {"pointer", b.pointer}, {"message", b.message}});
        for (const assertion_failure& f : run->failed_assertions)
            doc["failed_assertions"].push_back({{"id", f.assertion.id}, {"member", f.assertion.member},
                                                {"at", format_instant(f.assertion.at)},
                                                {"expected", f.assertion.balance.count()}, {"actual", f.actual.count()}});
        if (!o.ledger.empty()) doc["ledger"] = o.ledger;
        std::cout << doc.dump(2) << "\n";
    } else {
        std::cout << "applied " << run->applied << " events, refused " << run->refusals.size() << ", malformed "
                  << j.bad.size() << " lines; " << r.members().size() << " members, " << r.entries().size()
                  << " ledger entries\n";
        if (!run->refusals.empty()) {
            std::cout << "refused:\n";
            refused.print(std::cout, "  ");
        }
        if (run->assertions_checked > 0)
            std::cout << "balance assertions: " << run->assertions_checked << " checked, "
                      << run->failed_assertions.size() << " failed\n";
        if (!o.ledger.empty()) std::cout << "ledger written to " << o.ledger << "\n";
    }
    for (const assertion_failure& f : run->failed_assertions) std::cerr << f.message << "\n";
    if (bad != exit_ok) return bad;
    if (!run->failed_assertions.empty()) return exit_problems;
    if (o.strict && !run->refusals.empty()) return exit_problems;
    return exit_ok;
}

}  // namespace

void add_run(CLI::App& app, int& result) {
    auto o = std::make_shared<run_options>();
    CLI::App* cmd = app.add_subcommand("run", "apply a journal of events and write the ledger");
    add_source_options(*cmd, o->src);
    cmd->add_option("--ledger,-l", o->ledger, "write the ledger here (JSON lines)");
    cmd->add_flag("--keep-going,-k", o->keep_going, "skip malformed lines and apply the rest (still exit 2)");
    cmd->add_flag("--strict", o->strict, "exit 1 when any event is refused");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded([&] { return run_run(*o); }); });
}

}  // namespace loyalty::cli
