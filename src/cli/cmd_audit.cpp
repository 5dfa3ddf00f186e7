// loyalty audit verify: the hash chain of every member, a replay of the journal compared entry
// by entry with the stored ledger, the journal's balance assertions and, given one, an anchor.
// loyalty audit anchor: the anchor of a ledger, to write down at a period close.
// Both read the ledger and journal from files or from a store (--db, store_source.hpp).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "common.hpp"
#include "journal_reader.hpp"
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

// The anchor `audit anchor` prints, and how many entries the ledger holds. Both sources are
// read one entry at a time (a ledger of any length). A file is in the order written; a store
// gives its entries by member, which is enough for an anchor of all of them (it holds each
// member's chain head), and fewer need the order written, which only a replay of its journal
// under the programme knows (store::verify hands the entries over in that order).
std::pair<ledger_anchor, std::size_t> anchor_of_source(const anchor_options& o) {
    if (o.ledger.empty() == o.db.empty())
        throw error("loyalty.cli.invalid_option", "give the ledger: --ledger L.jsonl or --db URL, exactly one");
    anchor_accumulator a(o.entries == 0 ? static_cast<std::size_t>(-1) : o.entries);
    const auto add = [&](const ledger_entry& e) { a.add(e); };
    if (o.db.empty()) {
        if (!o.programs.empty())
            throw error("loyalty.cli.invalid_option", "--program is for --db --entries N: a ledger file is in the order written");
        io::ledger_reader reader(o.ledger);
        ledger_entry e;
        while (reader.next(e)) add(e);
    } else if (o.entries == 0) {
        for_each_store_entry(o.db, add);
    } else {
        if (o.programs.empty())
            throw error("loyalty.cli.invalid_option",
                        "--entries with --db needs --program: a store gives its entries by member, and the order they "
                        "were written in comes from a replay of its journal");
        verify_store(o.db, load_programs(o.programs), false, add);
    }
    return {a.anchor(), a.added()};
}

int run_anchor(const anchor_options& o) {
    const auto [a, total] = anchor_of_source(o);
    if (o.entries > total)
        throw error("loyalty.cli.invalid_option", "--entries " + std::to_string(o.entries) + ": the ledger holds only " +
                                                      std::to_string(total) + " entries");
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

// What a verification found, from files or from a store.
struct verification_run {
    verification_report report;
    std::vector<assertion_failure> failed_assertions;
    std::size_t assertions_checked = 0;
    std::optional<std::string> unanchored;  // why the anchor does not hold, if one was given
};

// --events with --ledger: the journal is read once and replayed as it is read, while the ledger
// file is read alongside the entries the replay writes; a malformed line stops the replay (the
// rest is read for its other malformed lines) and nothing is verified. In the ledger's order (a ledger of its own journal is in the
// replay's) the check holds the members' states and chain heads, never the journal or either
// ledger, so a brand's whole history verifies in the memory `loyalty run` takes for it.
std::optional<verification_run> verify_files(const verify_options& o, const program_versions& versions,
                                             const std::optional<ledger_anchor>& anchor) {
    verification_run out;
    ledger_verifier verifier;
    anchor_accumulator anchored(anchor ? anchor->entries : 0);
    io::ledger_reader stored(o.ledger);
    ledger_entry entry;
    const auto read_stored = [&] {
        if (!stored.next(entry)) return false;
        verifier.stored(entry);
        anchored.add(entry);
        return true;
    };
    // As many stored entries as the replay wrote: in a ledger of this journal, their pairs.
    journal_runner runner(versions, [&](const std::vector<ledger_entry>& written) {
        for (const ledger_entry& e : written) verifier.replayed(e);
        for (std::size_t i = 0; i < written.size(); ++i)
            if (!read_stored()) break;
    });
    runner.set_explanation(explanation::none);  // entries, states and refusals only
    progress shown("verifying", o.src.events);
    const journal_scan scan =
        read_journal_once(o.src.events, versions.latest().currency_unit, false, [&](const journal_item& item) {
            if (item.is_assertion) {
                ++out.assertions_checked;
                if (auto failed = check(versions, runner.members(), item.assertion))
                    out.failed_assertions.push_back(std::move(*failed));
                return;
            }
            runner.apply(item.event);
            shown.step(item);
        },
        [&](const journal_item& next) {  // as `loyalty run` does: the next member fetched ahead
            if (!next.is_assertion) runner.prefetch(next.event);
        });
    shown.clear();
    for (const bad_line& b : scan.bad) std::cerr << "malformed " << b.text() << "\n";
    if (!scan.bad.empty()) return std::nullopt;
    while (read_stored()) continue;  // what the ledger holds past the replay's entries
    out.report = verifier.finish();
    if (anchor) out.unanchored = check_anchor(anchored, *anchor);
    return out;
}

// --db: the store streams its journal and ledger side by side (store::verify), then checks its
// snapshots and reward stock against the replay's end. A store holds no balance assertions.
std::optional<verification_run> verify_store(const verify_options& o, const program_versions& versions,
                                             const std::optional<ledger_anchor>& anchor) {
    verification_run out;
    anchor_accumulator anchored(anchor ? anchor->entries : 0);
    out.report = cli::verify_store(o.src.db, versions, true, [&](const ledger_entry& e) { anchored.add(e); });
    if (anchor) out.unanchored = check_anchor(anchored, *anchor);
    return out;
}

// A value of a differing field as the text output shows it: numbers and figures (a JSON object)
// as they are, text quoted; absent figures as "none".
std::string shown_value(const field_difference& d, const std::string& value) {
    static const char* numbers[] = {"amount", "balance", "seq", "version"};
    for (const char* n : numbers)
        if (d.field == n) return value;
    if (d.field == "figures") return value.empty() ? "none" : value;
    return json(value).dump();
}

json differences_json(const verification_problem& p) {
    json out = json::array();
    for (const field_difference& d : p.differences)
        out.push_back({{"field", d.field}, {"stored", d.stored}, {"replayed", d.replayed}});
    return out;
}

int run_verify(const verify_options& o) {
    const std::optional<ledger_anchor> anchor =
        o.anchor.empty() ? std::nullopt : std::optional<ledger_anchor>(parse_anchor(o.anchor));
    check_ledger_option(o);
    const program_versions versions = load_programs(o.src.programs);
    check_one_journal(o.src);
    const bool from_store = !o.src.db.empty();
    const std::optional<verification_run> checked =
        from_store ? verify_store(o, versions, anchor) : verify_files(o, versions, anchor);
    if (!checked) return exit_bad_input;  // malformed journal lines, listed on stderr
    const verification_report& report = checked->report;
    const std::optional<std::string>& unanchored = checked->unanchored;
    const auto entry_text = [](const std::optional<ledger_entry>& e) { return e ? entry_json(*e).dump() : std::string(); };

    const bool ok = report.ok() && checked->failed_assertions.empty() && !unanchored;
    if (o.out == format::csv) {  // one row per member with a problem, then one per failed assertion
        table t({"member", "seq", "problem", "stored", "replayed"});
        for (const verification_problem& p : report.problems)
            t.add({p.member, std::to_string(p.seq), p.problem, entry_text(p.stored), entry_text(p.replayed)});
        for (const assertion_failure& f : checked->failed_assertions) t.add({f.assertion.member, "", f.message, "", ""});
        if (unanchored) t.add({"", "", "anchor " + anchor->to_string() + ": " + *unanchored, "", ""});
        t.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"ok", ok}, {"members", report.members}, {"entries", report.entries}, {"problems", json::array()},
                 {"assertions_checked", checked->assertions_checked}, {"failed_assertions", json::array()}};
        for (const verification_problem& p : report.problems)
            doc["problems"].push_back({{"member", p.member}, {"seq", p.seq}, {"about", subject_of(p.about)}, {"problem", p.problem},
                                       {"stored", p.stored ? entry_json(*p.stored) : json(nullptr)},
                                       {"replayed", p.replayed ? entry_json(*p.replayed) : json(nullptr)},
                                       {"differences", differences_json(p)}});
        for (const assertion_failure& f : checked->failed_assertions)
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
            if (!p.differences.empty()) {  // each field that differs, with both values
                std::size_t width = 0;
                for (const field_difference& d : p.differences) width = std::max(width, d.field.size());
                for (const field_difference& d : p.differences)
                    std::cout << "  " << d.field << ":" << std::string(width - d.field.size() + 1, ' ') << "stored "
                              << shown_value(d, d.stored) << ", replayed " << shown_value(d, d.replayed) << "\n";
                continue;
            }
            // An entry one side has and the other lacks, or where a chain breaks: the entry.
            if (p.stored) std::cout << "  stored:   " << entry_text(p.stored) << "\n";
            if (p.replayed) std::cout << "  replayed: " << entry_text(p.replayed) << "\n";
        }
        for (const assertion_failure& f : checked->failed_assertions) std::cout << f.message << "\n";
        if (unanchored) std::cout << "anchor " << anchor->to_string() << ": " << *unanchored << "\n";
        const auto count = [&](verified about) {
            return std::count_if(report.problems.begin(), report.problems.end(),
                                 [&](const verification_problem& p) { return p.about == about; });
        };
        const auto entry_problems = count(verified::entry);
        std::cout << (ok ? "OK" : "FAILED") << ": " << report.members << " members, " << report.entries
                  << " entries; hash chains and replay: "
                  << (entry_problems == 0 ? "ok" : std::to_string(entry_problems) + " member(s) differ")
                  << (from_store ? "; snapshots: " + std::to_string(count(verified::snapshot)) +
                                       " differ; reward stock: " + std::to_string(count(verified::stock)) + " differ"
                                 : std::string())
                  << "; balance assertions: " << checked->assertions_checked << " checked, "
                  << checked->failed_assertions.size() << " failed"
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
    set_help_example(*cmd, "loyalty audit verify -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --ledger ledger.jsonl");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("--ledger,-l", o->ledger, "the stored ledger (JSON lines), with --events; --db holds its own");
    cmd->add_option("--anchor", o->anchor, "an anchor written down earlier (audit anchor): history up to it must be unchanged");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_verify(*o); }); });

    auto a = std::make_shared<anchor_options>();
    CLI::App* anchor = audit->add_subcommand(
        "anchor", "the anchor of a ledger: its entry count and the SHA-256 of every member's chain head");
    set_help_example(*anchor, "loyalty audit anchor --ledger ledger.jsonl");
    anchor->add_option("--ledger,-l", a->ledger, "the ledger (JSON lines)");
    anchor->add_option("--db", a->db, "the ledger a store holds instead: sqlite:PATH, postgresql://... or pg:KEY=VALUE ...");
    anchor->add_option("--entries", a->entries, "anchor only the first N entries (default: all)");
    anchor->add_option("--program,-p", a->programs,
                       "with --db and --entries: the programme, to replay the store's journal for the order written");
    add_format_options(*anchor, a->out, true);
    anchor->callback([a, &result] { result = guarded(a->out, [&] { return run_anchor(*a); }); });
}

}  // namespace loyalty::cli
