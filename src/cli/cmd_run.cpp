// loyalty run: applies a journal of events and writes the ledger (JSON lines).
#include <fstream>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/io/ledger_json.hpp"
#if LOYALTY_CLI_HAS_STORE
#include "loyalty/store/store.hpp"
#endif

namespace loyalty::cli {

namespace {

constexpr std::size_t progress_every = 10000;

struct run_options {
    source_options src;
    std::string ledger;
    std::string db;
    bool keep_going = false;
    bool strict = false;
    format out = format::table;
};

#if LOYALTY_CLI_HAS_STORE
// A member's balance at t from what the store holds: the snapshot (with the expiries due by t)
// when t is not before the member's last event; otherwise the running balance of the last
// stored entry dated at or before t (expiries are posted dated when they fell due).
points stored_balance_at(const store::store& db, const std::string& member, instant t) {
    const auto s = db.member(member);
    if (!s) return points(0);
    if (!(t < s->last_event_at)) return balance_at(db.versions(), &*s, t);
    points b;
    for (const ledger_entry& e : db.ledger_of(member))
        if (!(t < e.at)) b = e.balance;
    return b;
}

// --db: the store applies the events (in batches of 1,000, one transaction each), continuing
// from what it already holds; an event id it holds already is a duplicate, never applied twice.
int run_into_store(const run_options& o, const program_versions& versions, const journal_file& j, std::size_t usable,
                   int bad) {
    const auto db = store::store::open(o.db, versions);
    std::size_t accepted = 0, duplicates = 0;
    std::vector<std::pair<std::size_t, store::event_result>> refused;
    std::vector<event> batch;
    std::vector<std::size_t> lines;
    const auto flush = [&] {
        if (batch.empty()) return;
        const store::batch_result r = db->append(batch);
        accepted += r.accepted;
        duplicates += r.duplicates;
        for (std::size_t k = 0; k < r.events.size(); ++k)
            if (r.events[k].status == store::event_status::refused) refused.emplace_back(lines[k], r.events[k]);
        batch.clear();
        lines.clear();
    };
    std::vector<const journal_item*> assertions;
    for (std::size_t i = 0; i < usable; ++i) {
        const journal_item& item = j.items[i];
        if (item.is_assertion) {
            assertions.push_back(&item);
            continue;
        }
        batch.push_back(item.event);
        lines.push_back(item.line);
        if (batch.size() == 1000) flush();
    }
    flush();
    std::vector<std::string> failed;
    for (const journal_item* a : assertions) {
        const points actual = stored_balance_at(*db, a->assertion.member, a->assertion.at);
        if (actual != a->assertion.balance)
            failed.push_back("balance assertion " + a->assertion.id + " failed: member " + a->assertion.member + " at " +
                             format_instant(a->assertion.at) + " has " + to_string(actual) + " pt, expected " +
                             to_string(a->assertion.balance) + " pt (difference " +
                             to_string(actual - a->assertion.balance) + ")");
    }
    if (!o.ledger.empty()) {
        std::ofstream f(o.ledger, std::ios::binary | std::ios::trunc);
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
        f << io::ledger_to_jsonl(db->ledger());
        if (!f) throw error("loyalty.io.cannot_write", "cannot write '" + o.ledger + "'");
    }
    table t({"line", "event", "member", "reason", "message"});
    for (const auto& [line, r] : refused)
        t.add({std::to_string(line), r.event, r.member, std::string(to_string(r.code)), r.message});
    if (o.out == format::csv) {
        t.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"db", db->backend()},
                 {"applied", accepted},
                 {"duplicates", duplicates},
                 {"refused", json::array()},
                 {"assertions_checked", assertions.size()},
                 {"failed_assertions", failed},
                 {"stored_events", db->event_count()}};
        for (const auto& [line, r] : refused)
            doc["refused"].push_back({{"line", line}, {"event", r.event}, {"member", r.member},
                                      {"reason", std::string(to_string(r.code))}, {"message", r.message}});
        std::cout << doc.dump(2) << "\n";
    } else {
        std::cout << "stored in " << db->backend() << ": applied " << accepted << " events, " << duplicates
                  << " already stored (duplicates), refused " << refused.size() << "; the store holds "
                  << db->event_count() << " events\n";
        if (!refused.empty()) {
            std::cout << "refused:\n";
            t.print(std::cout, "  ");
        }
        if (!assertions.empty())
            std::cout << "balance assertions: " << assertions.size() << " checked, " << failed.size() << " failed\n";
        if (!o.ledger.empty()) std::cout << "ledger written to " << o.ledger << "\n";
    }
    for (const std::string& f : failed) std::cerr << f << "\n";
    if (bad != exit_ok) return bad;
    if (!failed.empty()) return exit_problems;
    if (o.strict && !refused.empty()) return exit_problems;
    return exit_ok;
}

#endif

int run_run(const run_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_file j = read_journal(o.src.events, versions.latest().currency_unit);
    const int bad = report_bad_lines(j);
    const std::size_t usable = j.usable(o.keep_going);
    if (!j.bad.empty() && !o.keep_going)
        std::cerr << "stopped at line " << j.bad.front().line
                  << ": nothing after it was applied (use --keep-going to skip malformed lines)\n";
    if (!o.db.empty()) {
#if LOYALTY_CLI_HAS_STORE
        return run_into_store(o, versions, j, usable, bad);
#else
        throw error("loyalty.cli.no_store", "this loyalty was built without the store (LOYALTY_BUILD_STORE=OFF): --db is unavailable");
#endif
    }
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
    cmd->add_option("--db", o->db,
                    "apply the events into a store and keep them there: sqlite:PATH (or a path), "
                    "postgresql://... or pg:KEY=VALUE ... (docs/store.md); a later run continues from it");
    cmd->add_flag("--keep-going,-k", o->keep_going, "skip malformed lines and apply the rest (still exit 2)");
    cmd->add_flag("--strict", o->strict, "exit 1 when any event is refused");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded([&] { return run_run(*o); }); });
}

}  // namespace loyalty::cli
