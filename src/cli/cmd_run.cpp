// loyalty run: applies a journal of events and writes the ledger (JSON lines).
#include <iostream>
#include <memory>
#include <optional>


#include "commands.hpp"
#include "common.hpp"
#include "loyalty/io/atomic_file.hpp"
#include "loyalty/io/ledger_json.hpp"
#if LOYALTY_CLI_HAS_STORE
#include "loyalty/store/store.hpp"
#endif

namespace loyalty::cli {

namespace {

json malformed_json(const journal_scan& scan) {
    json out = json::array();
    for (const bad_line& b : scan.bad)
        out.push_back({{"line", b.line},
                       {"column", b.column > 0 ? json(b.column) : json(nullptr)},
                       {"id", b.id},
                       {"pointer", b.pointer},
                       {"message", b.message}});
    return out;
}

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
// Refusals are listed as a run without --db lists them: a duplicate (an event stored by an earlier
// run, or repeated in the journal) is a duplicate_event refusal, and an event refused before gets
// its refusal again, so a re-run lists the same codes for the events refused the first time.
int run_into_store(const run_options& o, const program_versions& versions, const journal_scan& scan) {
    const auto db = store::store::open(o.db, versions);
    if (!db->upgrade_notice().empty()) std::cerr << db->upgrade_notice() << '\n';
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
            if (r.events[k].status != store::event_status::accepted) refused.emplace_back(lines[k], r.events[k]);
        batch.clear();
        lines.clear();
    };
    std::vector<journal_item> assertions;
    for_each_good_line(o.src.events, versions.latest().currency_unit, [&](journal_item& item) {
        if (item.is_assertion) {
            assertions.push_back(std::move(item));
            return;
        }
        batch.push_back(std::move(item.event));
        lines.push_back(item.line);
        if (batch.size() == 1000) flush();
    });
    flush();
    std::vector<std::string> failed;
    for (const journal_item& item : assertions) {
        const balance_assertion& a = item.assertion;
        const points actual = stored_balance_at(*db, a.member, a.at);
        if (actual != a.balance)
            failed.push_back("balance assertion " + a.id + " failed: member " + a.member + " at " +
                             format_instant(a.at) + " has " + to_string(actual) + " pt, expected " +
                             to_string(a.balance) + " pt (difference " + to_string(actual - a.balance) + ")");
    }
    if (!o.ledger.empty()) {
        io::atomic_file f(o.ledger);
        for (const ledger_entry& e : db->ledger()) io::write_ledger_line(f, e);
        f.commit();
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
        std::cout << "stored in " << db->backend() << ": applied " << accepted << " events, refused " << refused.size()
                  << " (" << duplicates << " duplicate_event: already stored, or repeated in the journal); the store holds "
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
    if (!scan.bad.empty()) return exit_bad_input;
    if (!failed.empty()) return exit_problems;
    if (o.strict && !refused.empty()) return exit_problems;
    return exit_ok;
}

#endif

// Prints a journal refused as a whole: its malformed lines were listed on stderr, nothing was
// applied and no file or store was changed.
int refuse_journal(const run_options& o, const journal_scan& scan) {
    std::cerr << "nothing applied: " << scan.bad.size() << " malformed line" << (scan.bad.size() == 1 ? "" : "s")
              << " (the first at line " << scan.bad.front().line
              << "); no file or store was changed. Fix them, or use --keep-going to skip them\n";
    if (o.out == format::json) {
        json doc{{"applied", 0},          {"refused", json::array()},   {"malformed", malformed_json(scan)},
                 {"assertions_checked", 0}, {"failed_assertions", json::array()}, {"members", 0},
                 {"entries", 0},          {"stopped_at_line", scan.bad.front().line}};
        std::cout << doc.dump(2) << "\n";
    } else if (o.out == format::table) {
        std::cout << "applied 0 events: the journal has " << scan.bad.size() << " malformed lines\n";
    }
    return exit_bad_input;
}

int run_run(const run_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    if (!o.db.empty()) {
#if LOYALTY_CLI_HAS_STORE
        // A store commits as it goes: a first reading finds every malformed line before anything
        // is stored (a malformed journal changes nothing unless --keep-going skips its bad lines);
        // it holds nothing of the journal, and the second reading stores the events.
        const journal_scan scan = scan_journal(o.src.events, versions.latest().currency_unit);
        for (const bad_line& b : scan.bad) std::cerr << "malformed " << b.text() << "\n";
        if (!scan.bad.empty() && !o.keep_going) return refuse_journal(o, scan);
        return run_into_store(o, versions, scan);
#else
        throw error("loyalty.cli.no_store", "this loyalty was built without the store (LOYALTY_BUILD_STORE=OFF): --db is unavailable");
#endif
    }
    // One reading applies the events as it reads them. The ledger goes to its file as it is
    // written, through a temporary file renamed into place only at the end: a malformed line
    // (without --keep-going) stops the applying, the rest of the journal is read for its other
    // malformed lines, and the temporary file is dropped, so nothing changes. The run holds the
    // members' states, never the journal or the ledger.
    std::optional<io::atomic_file> ledger;
    if (!o.ledger.empty()) ledger.emplace(o.ledger);
    std::size_t entries = 0;
    journal_runner runner(versions, entry_list_sink{[&](const entry_list& written) {
        entries += written.size();
        if (ledger)
            for (std::size_t i = 0; i < written.size(); ++i) io::write_ledger_line(*ledger, written.view(i));
    }});
    runner.set_explanation(explanation::none);  // entries, states and refusals only
    std::vector<refused_line> refusals;
    std::vector<assertion_failure> failed_assertions;
    std::size_t applied = 0;
    progress shown("applying", o.src.events);
    const journal_scan scan =
        read_journal_once(o.src.events, versions.latest().currency_unit, o.keep_going, [&](const journal_item& item) {
            if (item.is_assertion) {
                if (auto failed = check(versions, runner.members(), item.assertion))
                    failed_assertions.push_back(std::move(*failed));
                return;
            }
            if (runner.apply(item.event).accepted())
                ++applied;
            else
                refusals.push_back({item.line, runner.refusals().back()});
            shown.step(item);
        },
        [&](const journal_item& next) {  // the member of the line after: fetched while this one is applied
            if (!next.is_assertion) runner.prefetch(next.event);
        });
    shown.clear();
    for (const bad_line& b : scan.bad) std::cerr << "malformed " << b.text() << "\n";
    if (!scan.bad.empty() && !o.keep_going) return refuse_journal(o, scan);  // the ledger's file is left as it was
    if (ledger) ledger->commit();

    table refused({"line", "event", "member", "reason", "message"});
    for (const refused_line& x : refusals)
        refused.add({std::to_string(x.line), x.refusal.event, x.refusal.member, std::string(to_string(x.refusal.code)),
                     x.refusal.message});
    if (o.out == format::csv) {
        refused.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"applied", applied},
                 {"refused", json::array()},
                 {"malformed", malformed_json(scan)},
                 {"assertions_checked", scan.assertions},
                 {"failed_assertions", json::array()},
                 {"members", runner.members().size()},
                 {"entries", entries},
                 {"stopped_at_line", nullptr}};
        for (const refused_line& x : refusals)
            doc["refused"].push_back({{"line", x.line}, {"event", x.refusal.event}, {"member", x.refusal.member},
                                      {"reason", std::string(to_string(x.refusal.code))}, {"message", x.refusal.message}});
        for (const assertion_failure& f : failed_assertions)
            doc["failed_assertions"].push_back({{"id", f.assertion.id}, {"member", f.assertion.member},
                                                {"at", format_instant(f.assertion.at)},
                                                {"expected", f.assertion.balance.count()}, {"actual", f.actual.count()}});
        if (!o.ledger.empty()) doc["ledger"] = o.ledger;
        std::cout << doc.dump(2) << "\n";
    } else {
        std::cout << "applied " << applied << " events, refused " << refusals.size() << ", malformed "
                  << scan.bad.size() << " lines; " << runner.members().size() << " members, " << entries
                  << " ledger entries\n";
        if (!refusals.empty()) {
            std::cout << "refused:\n";
            refused.print(std::cout, "  ");
        }
        if (scan.assertions > 0)
            std::cout << "balance assertions: " << scan.assertions << " checked, " << failed_assertions.size()
                      << " failed\n";
        if (!o.ledger.empty()) std::cout << "ledger written to " << o.ledger << "\n";
    }
    for (const assertion_failure& f : failed_assertions) std::cerr << f.message << "\n";
    if (!scan.bad.empty()) return exit_bad_input;
    if (!failed_assertions.empty()) return exit_problems;
    if (o.strict && !refusals.empty()) return exit_problems;
    return exit_ok;
}

}  // namespace

void add_run(CLI::App& app, int& result) {
    auto o = std::make_shared<run_options>();
    CLI::App* cmd = app.add_subcommand("run", "apply a journal of events and write the ledger");
    set_help_example(*cmd, "loyalty run -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --ledger ledger.jsonl");
    add_source_options(*cmd, o->src);
    cmd->add_option("--ledger,-l", o->ledger, "write the ledger here (JSON lines)");
    cmd->add_option("--db", o->db,
                    "apply the events into a store and keep them there: sqlite:PATH (or a path), "
                    "postgresql://... or pg:KEY=VALUE ... (docs/store.md); a later run continues from it");
    cmd->add_flag("--keep-going,-k", o->keep_going, "skip malformed lines and apply the rest (still exit 2)");
    cmd->add_flag("--strict", o->strict, "exit 1 when any event is refused");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_run(*o); }); });
}

}  // namespace loyalty::cli
