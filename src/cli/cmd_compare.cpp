// loyalty report compare --program OLD.json --program-new NEW.json --events E.jsonl: what-if.
// The same journal under both programmes; the differences per rule and in total come from
// audit/compare.hpp.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/compare.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "report_options.hpp"
#include "store_source.hpp"

namespace loyalty::cli {

namespace {

struct compare_cli_options {
    source_options src;
    std::vector<std::string> programs_new;
    std::string as_of;
    valuation_options value;
    format out = format::table;
};

std::string figure(const compare_line& l, std::int64_t units, const currency& cur) {
    return l.is_money ? money(units, cur).to_string() : std::to_string(units);
}

std::string signed_figure(const compare_line& l, const currency& cur) {
    const std::int64_t d = l.difference();
    return (d > 0 ? "+" : "") + figure(l, d, cur);
}

std::string measure_text(compare_measure m) {
    switch (m) {
        case compare_measure::points_issued: return "points issued";
        case compare_measure::discount_given: return "discount given";
        case compare_measure::points_redeemed: return "points redeemed";
        case compare_measure::points_outstanding: return "points outstanding";
        case compare_measure::liability_value: return "liability value";
        case compare_measure::deferred_revenue: return "deferred revenue";
    }
    return "?";
}

int run_compare(const compare_cli_options& o) {
    const program_versions before = load_programs(o.src.programs);
    const program_versions after = load_programs(o.programs_new);
    const journal_source source = read_journal_source(o.src, before);
    const journal_file& j = source.journal;
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const time_zone& zone = before.latest().zone;
    // Default: the whole journal (everything before the day after its last event).
    instant end{};
    if (!o.as_of.empty()) {
        end = parse_as_of(o.as_of, zone).end;
    } else {
        for (const journal_item& i : j.items) end = std::max(end, i.at());
        end = zone.start_of(zone.local_day(end) + date::days(1));
    }
    const valuation v = resolve_valuation(o.value, before.latest(), false);
    compare_options co;
    co.as_of = end;
    co.point_value = v.point_value_from == "--point-value" ? v.point_value : std::nullopt;
    co.redemption_rate = v.rate;
    co.mode = v.mode;
    std::vector<event> journal;
    for (const journal_item& i : j.items)
        if (!i.is_assertion) journal.push_back(i.event);
    compare_report r = compare_programmes(before, after, journal, co);
    // A store logs the events it refused apart from its journal (without --db they are lines of
    // the file, judged again under both programmes): say so, since one might be accepted under the new one.
    if (source.store_refusals > 0)
        r.notes.push_back("the store refused " + std::to_string(source.store_refusals) +
                          " event(s) and keeps them apart from its journal: they are judged under neither programme");
    const currency& cur = r.unit;

    table t({"measure", "id", "before", "after", "difference"});
    for (const compare_line& l : r.lines)
        t.add({std::string(to_string(l.measure)), l.id.empty() ? "TOTAL" : l.id, figure(l, l.before, cur),
               figure(l, l.after, cur), signed_figure(l, cur)});
    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        const auto which = [](const program& p) {
            return json{{"id", p.id}, {"version", p.version}, {"digest", io::program_digest(p)}};
        };
        json doc{{"before_instant", format_instant(end)},
                 {"programs", {{"before", which(before.latest())}, {"after", which(after.latest())}}},
                 {"currency", std::string(cur.code())},
                 {"accepted", {{"before", r.before.accepted}, {"after", r.after.accepted}}},
                 {"refused", {{"before", r.before.refused}, {"after", r.after.refused}}},
                 {"lines", json::array()},
                 {"notes", r.notes}};
        for (const compare_line& l : r.lines)
            doc["lines"].push_back({{"measure", std::string(to_string(l.measure))},
                                    {"id", l.id.empty() ? json(nullptr) : json(l.id)},
                                    {"before", figure(l, l.before, cur)},
                                    {"after", figure(l, l.after, cur)},
                                    {"difference", figure(l, l.difference(), cur)}});
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    // Labelled by id, version and digest: two programmes both called "4s-club v1" are told apart.
    std::cout << "What-if: " << source.name << " under " << io::program_label(before.latest()) << " (before) and "
              << io::program_label(after.latest()) << " (after), events before "
              << zone.format_local(end) << "\n"
              << "accepted " << r.before.accepted << " / " << r.after.accepted << " events, refused " << r.before.refused
              << " / " << r.after.refused << "; money in " << cur.code() << "\n";
    compare_measure last = compare_measure::points_issued;
    table section({"id", "before", "after", "difference"});
    auto flush = [&] {
        std::cout << "\n" << measure_text(last) << "\n";
        if (section.empty()) std::cout << "  (none)\n"; else section.print(std::cout, "  ");
        section = table({"id", "before", "after", "difference"});
    };
    for (const compare_line& l : r.lines) {
        if (l.measure != last) flush();
        last = l.measure;
        section.add({l.id.empty() ? "TOTAL" : l.id, figure(l, l.before, cur), figure(l, l.after, cur), signed_figure(l, cur)});
    }
    flush();
    for (const std::string& n : r.notes) std::cout << "note: " << n << "\n";
    return exit_ok;
}

}  // namespace

void add_compare(CLI::App& report, int& result) {
    auto o = std::make_shared<compare_cli_options>();
    CLI::App* cmd = report.add_subcommand("compare", "what-if: the same journal under two programmes");
    set_help_example(*cmd, "loyalty report compare -p examples/programs/4s-club.json -n examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --redemption-rate 0.85");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("--program-new,-n", o->programs_new, "the changed programme (repeat for several versions)")->required();
    cmd->add_option("--as-of", o->as_of, "last day counted (YYYY-MM-DD), or the last instant (RFC 3339); default: the journal's last day");
    add_valuation_options(*cmd, o->value, false);
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_compare(*o); }); });
}

}  // namespace loyalty::cli
