// loyalty audit verify: the hash chain of every member, a replay of the journal compared entry
// by entry with the stored ledger, the journal's balance assertions and, given one, an anchor.
// loyalty audit anchor: the anchor of a ledger, to write down at a period close.
// Both read the ledger and journal from files or from a store (--db, store_source.hpp).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <utility>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/ledger/anchor.hpp"
#include "store_source.hpp"

namespace loyalty::cli {

namespace {

struct verify_options {
    source_options src;
    std::string ledger;
    std::string anchor;  // empty: none given
    format out = format::table;
};

struct anchor_options {
    std::string ledger;
    std::string db;
    std::vector<std::string> programs;  // with --db and --entries: to put the stored entries in the order written
    std::size_t entries = 0;  // 0: all
    format out = format::table;
};

// A store gives its entries by member and seq; an anchor covers the first N in the order they
// were written. The store wrote them as the engine posted them, event after event: so by the
// journal position of the event that posted each, and within one event (which may post to
// several members) in the order a replay of the journal posts them. An entry naming no event of
// the journal, or one the replay does not post, comes last (verify reports it).
std::vector<ledger_entry> in_written_order(std::vector<ledger_entry> stored, const std::vector<journal_item>& journal,
                                           const std::vector<ledger_entry>& replayed) {
    std::map<std::string, std::size_t> event_position;
    for (std::size_t i = 0; i < journal.size(); ++i) event_position.emplace(journal[i].id(), i);
    std::map<std::pair<std::string, std::int64_t>, std::size_t> posted;
    for (std::size_t i = 0; i < replayed.size(); ++i) posted.emplace(std::make_pair(replayed[i].member, replayed[i].seq), i);
    const auto key = [&](const ledger_entry& e) {
        const auto ev = event_position.find(e.event);
        const auto p = posted.find({e.member, e.seq});
        return std::make_pair(ev == event_position.end() ? journal.size() : ev->second,
                              p == posted.end() ? replayed.size() : p->second);
    };
    std::stable_sort(stored.begin(), stored.end(),
                     [&](const ledger_entry& a, const ledger_entry& b) { return key(a) < key(b); });
    return stored;
}

// The ledger `audit anchor` reads: the file, or the store's (whose order is only needed, and
// only known with the programme, when the anchor covers fewer than all its entries).
std::vector<ledger_entry> anchored_ledger(const anchor_options& o) {
    if (o.ledger.empty() == o.db.empty())
        throw error("loyalty.cli.invalid_option", "give the ledger: --ledger L.jsonl or --db URL, exactly one");
    if (o.db.empty()) {
        if (!o.programs.empty())
            throw error("loyalty.cli.invalid_option", "--program is for --db --entries N: a ledger file is in the order written");
        return io::load_ledger_file(o.ledger);
    }
    if (o.entries == 0) return read_store_ledger(o.db);
    if (o.programs.empty())
        throw error("loyalty.cli.invalid_option",
                    "--entries with --db needs --program: a store gives its entries by member, and the order they "
                    "were written in comes from a replay of its journal");
    source_options src{o.programs, "", o.db};
    const program_versions versions = load_programs(o.programs);
    const journal_source source = read_journal_source(src, versions, true);
    const auto run = replay_items(versions, source.journal.items, source.journal.items.size(), false);
    return in_written_order(source.stored_ledger, source.journal.items, run->runner.entries());
}

int run_anchor(const anchor_options& o) {
    const std::vector<ledger_entry> ledger = anchored_ledger(o);
    if (o.entries > ledger.size())
        throw error("loyalty.cli.invalid_option", "--entries " + std::to_string(o.entries) + ": the ledger holds only " +
                                                      std::to_string(ledger.size()) + " entries");
    const ledger_anchor a = o.entries == 0 ? anchor_of(ledger) : anchor_of(ledger, o.entries);
    if (o.out == format::json) {
        std::cout << json{{"anchor", a.to_string()}, {"entries", a.entries}, {"digest", a.digest}}.dump(2) << "\n";
    } else if (o.out == format::csv) {
        table t({"anchor", "entries", "digest"});
        t.add({a.to_string(), std::to_string(a.entries), a.digest});
        t.print_csv(std::cout);
    } else {
        std::cout << a.to_string() << "\n";
    }
    return exit_ok;
}

const ledger_entry* at_seq(const std::vector<ledger_entry>& entries, const std::string& member, std::int64_t seq) {
    for (const ledger_entry& e : entries)
        if (e.member == member && e.seq == seq) return &e;
    return nullptr;
}

// The entries a problem is about, stored and replayed (none for a snapshot or the stock).
std::pair<const ledger_entry*, const ledger_entry*> entries_of(const verification_problem& p,
                                                               const std::vector<ledger_entry>& stored,
                                                               const std::vector<ledger_entry>& replayed) {
    if (p.about != verified::entry) return {nullptr, nullptr};
    return {at_seq(stored, p.member, p.seq), at_seq(replayed, p.member, p.seq)};
}

const char* subject_of(verified about) {
    switch (about) {
        case verified::snapshot: return "snapshot";
        case verified::stock: return "stock";
        default: return "entry";
    }
}

// --events goes with --ledger (the stored ledger of that journal); --db holds both.
void check_ledger_option(const verify_options& o) {
    if (!o.src.db.empty() && !o.ledger.empty())
        throw error("loyalty.cli.invalid_option",
                    "--ledger with --db: the store holds the stored ledger; give --db alone, or --events with --ledger");
    if (!o.src.events.empty() && o.ledger.empty())
        throw error("loyalty.cli.invalid_option", "--events needs --ledger L.jsonl: the stored ledger to check");
}

int run_verify(const verify_options& o) {
    const std::optional<ledger_anchor> anchor =
        o.anchor.empty() ? std::nullopt : std::optional<ledger_anchor>(parse_anchor(o.anchor));
    check_ledger_option(o);
    const program_versions versions = load_programs(o.src.programs);
    const journal_source source = read_journal_source(o.src, versions, true);
    const journal_file& j = source.journal;
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const auto run = replay_items(versions, j.items, j.items.size(), true);
    const std::vector<ledger_entry>& replayed = run->runner.entries();
    // A store's entries, by member and seq, are checked as it gives them; only the anchor, which
    // counts the first N, needs them in the order written.
    const std::vector<ledger_entry> stored = source.from_store ? source.stored_ledger : io::load_ledger_file(o.ledger);
    const std::optional<std::string> unanchored =
        !anchor ? std::nullopt
                : check_anchor(source.from_store ? in_written_order(stored, j.items, replayed) : stored, *anchor);
    // The replay above is the one the ledger is compared with; a store's snapshots and reward
    // stock, which its next append builds on, are compared with the same replay's end.
    verification_report report = verify_entries(stored, replayed);
    if (source.from_store) check_store_states(o.src, versions, j.items.size(), run->runner, report);

    const bool ok = report.ok() && run->failed_assertions.empty() && !unanchored;
    if (o.out == format::csv) {  // one row per member with a problem, then one per failed assertion
        table t({"member", "seq", "problem", "stored", "replayed"});
        for (const verification_problem& p : report.problems) {
            const auto [s, r] = entries_of(p, stored, replayed);
            t.add({p.member, std::to_string(p.seq), p.problem, s ? entry_json(*s).dump() : "",
                   r ? entry_json(*r).dump() : ""});
        }
        for (const assertion_failure& f : run->failed_assertions) t.add({f.assertion.member, "", f.message, "", ""});
        if (unanchored) t.add({"", "", "anchor " + anchor->to_string() + ": " + *unanchored, "", ""});
        t.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"ok", ok}, {"members", report.members}, {"entries", report.entries}, {"problems", json::array()},
                 {"assertions_checked", run->assertions_checked}, {"failed_assertions", json::array()}};
        for (const verification_problem& p : report.problems) {
            const auto [s, r] = entries_of(p, stored, replayed);
            doc["problems"].push_back({{"member", p.member}, {"seq", p.seq}, {"about", subject_of(p.about)}, {"problem", p.problem},
                                       {"stored", s ? entry_json(*s) : json(nullptr)},
                                       {"replayed", r ? entry_json(*r) : json(nullptr)}});
        }
        for (const assertion_failure& f : run->failed_assertions)
            doc["failed_assertions"].push_back({{"id", f.assertion.id}, {"member", f.assertion.member},
                                                {"at", format_instant(f.assertion.at)},
                                                {"expected", f.assertion.balance.count()}, {"actual", f.actual.count()},
                                                {"message", f.message}});
        if (anchor)
            doc["anchor"] = {{"anchor", anchor->to_string()}, {"ok", !unanchored},
                             {"problem", unanchored ? json(*unanchored) : json(nullptr)}};
        std::cout << doc.dump(2) << "\n";
    } else {
        for (const verification_problem& p : report.problems) {
            if (p.about == verified::stock) {
                std::cout << p.problem << "\n";
                continue;
            }
            std::cout << "member " << p.member << ", seq " << p.seq << ": " << p.problem << "\n";
            if (p.about != verified::entry) continue;
            const auto [s, r] = entries_of(p, stored, replayed);
            std::cout << "  stored:   " << (s ? entry_json(*s).dump() : std::string("(no such entry)")) << "\n";
            std::cout << "  replayed: " << (r ? entry_json(*r).dump() : std::string("(no such entry)")) << "\n";
        }
        for (const assertion_failure& f : run->failed_assertions) std::cout << f.message << "\n";
        if (unanchored) std::cout << "anchor " << anchor->to_string() << ": " << *unanchored << "\n";
        const auto count = [&](verified about) {
            return std::count_if(report.problems.begin(), report.problems.end(),
                                 [&](const verification_problem& p) { return p.about == about; });
        };
        const auto entry_problems = count(verified::entry);
        std::cout << (ok ? "OK" : "FAILED") << ": " << report.members << " members, " << report.entries
                  << " entries; hash chains and replay: "
                  << (entry_problems == 0 ? "ok" : std::to_string(entry_problems) + " member(s) differ")
                  << (source.from_store ? "; snapshots: " + std::to_string(count(verified::snapshot)) +
                                              " differ; reward stock: " + std::to_string(count(verified::stock)) + " differ"
                                        : std::string())
                  << "; balance assertions: " << run->assertions_checked << " checked, "
                  << run->failed_assertions.size() << " failed"
                  << (anchor ? std::string("; anchor of the first ") + std::to_string(anchor->entries) + " entries: " +
                                   (unanchored ? "differs" : "ok")
                             : std::string())
                  << "\n";
    }
    return ok ? exit_ok : exit_problems;
}

}  // namespace

void add_audit(CLI::App& app, int& result) {
    CLI::App* audit = app.add_subcommand("audit", "re-check a ledger");
    audit->require_subcommand(1);
    auto o = std::make_shared<verify_options>();
    CLI::App* cmd = audit->add_subcommand("verify", "hash chains, replay comparison and balance assertions");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("--ledger,-l", o->ledger, "the stored ledger (JSON lines), with --events; --db holds its own");
    cmd->add_option("--anchor", o->anchor, "an anchor written down earlier (audit anchor): history up to it must be unchanged");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded([&] { return run_verify(*o); }); });

    auto a = std::make_shared<anchor_options>();
    CLI::App* anchor = audit->add_subcommand(
        "anchor", "the anchor of a ledger: its entry count and the SHA-256 of every member's chain head");
    anchor->add_option("--ledger,-l", a->ledger, "the ledger (JSON lines)");
    anchor->add_option("--db", a->db, "the ledger a store holds instead: sqlite:PATH, postgresql://... or pg:KEY=VALUE ...");
    anchor->add_option("--entries", a->entries, "anchor only the first N entries (default: all)");
    anchor->add_option("--program,-p", a->programs,
                       "with --db and --entries: the programme, to replay the store's journal for the order written");
    add_format_options(*anchor, a->out, true);
    anchor->callback([a, &result] { result = guarded([&] { return run_anchor(*a); }); });
}

}  // namespace loyalty::cli
