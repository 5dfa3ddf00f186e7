// loyalty audit verify: the hash chain of every member, a replay of the journal compared entry
// by entry with the stored ledger, the journal's balance assertions and, given one, an anchor.
// loyalty audit anchor: the anchor of a ledger, to write down at a period close.
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/ledger/anchor.hpp"

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
    std::size_t entries = 0;  // 0: all
    format out = format::table;
};

std::vector<ledger_entry> read_ledger(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error("loyalty.io.cannot_open", "cannot open '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return io::load_ledger(text.str());
    } catch (const error& e) {
        throw error(e.id(), e.pointer(), path + ": " + e.message());
    }
}

int run_anchor(const anchor_options& o) {
    const std::vector<ledger_entry> ledger = read_ledger(o.ledger);
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

int run_verify(const verify_options& o) {
    const std::optional<ledger_anchor> anchor =
        o.anchor.empty() ? std::nullopt : std::optional<ledger_anchor>(parse_anchor(o.anchor));
    const program_versions versions = load_programs(o.src.programs);
    const journal_file j = read_journal(o.src.events, versions.latest().currency_unit);
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const std::vector<ledger_entry> stored = read_ledger(o.ledger);
    const std::optional<std::string> unanchored = anchor ? check_anchor(stored, *anchor) : std::nullopt;
    std::vector<event> journal;
    for (const journal_item& i : j.items)
        if (!i.is_assertion) journal.push_back(i.event);
    const verification_report report = verify(versions, journal, stored);
    const auto run = replay_items(versions, j.items, j.items.size(), true);
    const std::vector<ledger_entry>& replayed = run->runner.entries();

    const bool ok = report.ok() && run->failed_assertions.empty() && !unanchored;
    if (o.out == format::csv) {  // one row per member with a problem, then one per failed assertion
        table t({"member", "seq", "problem", "stored", "replayed"});
        for (const verification_problem& p : report.problems) {
            const ledger_entry* s = at_seq(stored, p.member, p.seq);
            const ledger_entry* r = at_seq(replayed, p.member, p.seq);
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
            const ledger_entry* s = at_seq(stored, p.member, p.seq);
            const ledger_entry* r = at_seq(replayed, p.member, p.seq);
            doc["problems"].push_back({{"member", p.member}, {"seq", p.seq}, {"problem", p.problem},
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
            std::cout << "member " << p.member << ", seq " << p.seq << ": " << p.problem << "\n";
            const ledger_entry* s = at_seq(stored, p.member, p.seq);
            const ledger_entry* r = at_seq(replayed, p.member, p.seq);
            std::cout << "  stored:   " << (s ? entry_json(*s).dump() : std::string("(no such entry)")) << "\n";
            std::cout << "  replayed: " << (r ? entry_json(*r).dump() : std::string("(no such entry)")) << "\n";
        }
        for (const assertion_failure& f : run->failed_assertions) std::cout << f.message << "\n";
        if (unanchored) std::cout << "anchor " << anchor->to_string() << ": " << *unanchored << "\n";
        std::cout << (ok ? "OK" : "FAILED") << ": " << report.members << " members, " << report.entries
                  << " entries; hash chains and replay: "
                  << (report.ok() ? "ok" : std::to_string(report.problems.size()) + " member(s) differ")
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
    add_source_options(*cmd, o->src);
    cmd->add_option("--ledger,-l", o->ledger, "the stored ledger (JSON lines)")->required();
    cmd->add_option("--anchor", o->anchor, "an anchor written down earlier (audit anchor): history up to it must be unchanged");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded([&] { return run_verify(*o); }); });

    auto a = std::make_shared<anchor_options>();
    CLI::App* anchor = audit->add_subcommand(
        "anchor", "the anchor of a ledger: its entry count and the SHA-256 of every member's chain head");
    anchor->add_option("--ledger,-l", a->ledger, "the ledger (JSON lines)")->required();
    anchor->add_option("--entries", a->entries, "anchor only the first N entries (default: all)");
    add_format_options(*anchor, a->out, true);
    anchor->callback([a, &result] { result = guarded([&] { return run_anchor(*a); }); });
}

}  // namespace loyalty::cli
