// loyalty explain EVENT_ID: the trace and entries of one event, by re-running the journal up to it.
#include <iostream>
#include <memory>
#include <optional>

#include "commands.hpp"
#include "common.hpp"

namespace loyalty::cli {

namespace {

struct explain_options {
    source_options src;
    std::string event;
    format out = format::table;
};

int run_explain(const explain_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_file j = read_journal(o.src.events, versions.latest().currency_unit);
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    std::optional<outcome> found;
    const journal_item* item = nullptr;
    replay_items(versions, j.items, j.items.size(), false, {}, [&](const journal_item& i, const outcome& out) {
        if (i.event.id != o.event) return true;
        found = out;
        item = &i;
        return false;  // the first line with this id is the one that counted
    });
    if (!found) throw error("loyalty.cli.unknown_event", "no event '" + o.event + "' in " + o.src.events);
    const event& e = item->event;
    const outcome& out = *found;
    // Times for people in the programme's time zone (of the version in force); CSV and JSON keep UTC.
    const time_zone& zone = zone_at(versions, e.at);
    table en({"seq", "at", "kind", "amount", "balance", "lot", "rule", "reason"});
    for (const ledger_entry& x : out.entries)
        en.add({std::to_string(x.seq), table_instant(o.out, zone, x.at), std::string(to_string(x.kind)), pt(x.amount),
                pt(x.balance), x.lot, x.rule, x.reason});
    if (o.out == format::csv) {  // the entries the event posted (none when it was refused)
        en.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        json doc{{"event", e.id}, {"member", e.member}, {"type", std::string(to_string(e.type()))},
                 {"at", format_instant(e.at)}, {"line", item->line}, {"accepted", out.accepted()},
                 {"backdated", out.backdated}, {"trace", json::array()}, {"entries", json::array()}};
        if (!out.accepted()) doc["refusal"] = {{"reason", std::string(to_string(out.refused))}, {"message", out.message}};
        for (const trace_line& t : out.trace) doc["trace"].push_back({{"rule", t.rule}, {"version", t.version}, {"text", t.text}});
        for (const ledger_entry& x : out.entries) doc["entries"].push_back(entry_json(x));
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Event " << e.id << " (" << to_string(e.type()) << ") of " << e.member << " at " << zone.format_local(e.at)
              << ", journal line " << item->line << "\n";
    if (!out.accepted()) {
        std::cout << "refused: " << to_string(out.refused) << ": " << out.message << "\n";
        return exit_ok;
    }
    std::cout << "accepted" << (out.backdated ? " (back-dated)" : "") << "\n\nTrace\n";
    table t({"rule", "version", "what"});
    for (const trace_line& x : out.trace) t.add({x.rule.empty() ? "-" : x.rule, std::to_string(x.version), x.text});
    if (t.empty()) std::cout << "  (nothing to explain)\n"; else t.print(std::cout, "  ");
    std::cout << "\nEntries\n";
    if (en.empty()) std::cout << "  (none)\n"; else en.print(std::cout, "  ");
    return exit_ok;
}

}  // namespace

void add_explain(CLI::App& app, int& result) {
    auto o = std::make_shared<explain_options>();
    CLI::App* cmd = app.add_subcommand("explain", "the trace and entries of one event");
    set_help_example(*cmd, "loyalty explain -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl e-0003");
    add_source_options(*cmd, o->src);
    cmd->add_option("event", o->event, "event id")->required();
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_explain(*o); }); });
}

}  // namespace loyalty::cli
