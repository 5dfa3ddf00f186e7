// loyalty run: applies a journal of events and writes the ledger (JSON lines).
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/io/ledger_json.hpp"

namespace loyalty::cli {

namespace {

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
    const auto run = replay_items(versions, j.items, usable, true);
    const journal_runner& r = run->runner;

    if (!o.ledger.empty()) {
        std::ofstream f(o.ledger, std::ios::binary | std::ios::trunc);
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
        f << io::ledger_to_jsonl(r.entries());
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
    }

    if (o.out == format::json) {
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
            table t({"line", "event", "member", "reason", "message"});
            for (const refused_line& x : run->refusals)
                t.add({std::to_string(x.line), x.refusal.event, x.refusal.member, std::string(to_string(x.refusal.code)),
                       x.refusal.message});
            t.print(std::cout, "  ");
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
    add_format_options(*cmd, o->out, false);
    cmd->callback([o, &result] { result = guarded([&] { return run_run(*o); }); });
}

}  // namespace loyalty::cli
