// loyalty report liability --as-of D: outstanding points, their value, expected breakage, and
// the IFRS 15 view (revenue deferred by relative stand-alone selling price, released on
// redemption and on breakage). The figures come from audit/liability.hpp.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/liability.hpp"
#include "loyalty/expiry/expire.hpp"
#include "report_options.hpp"
#include "store_source.hpp"

namespace loyalty::cli {

namespace {

struct liability_cli_options {
    source_options src;
    std::string as_of;
    valuation_options value;
    format out = format::table;
};

std::string money_text(const money& m) { return m.to_string(); }

json line_json(const liability_line& l) {
    return {{"rule", l.rule.empty() ? json(nullptr) : json(l.rule)},
            {"issued", l.issued.count()},
            {"redeemed", l.redeemed.count()},
            {"used_otherwise", l.used_otherwise.count()},
            {"expired", l.expired.count()},
            {"reversed", l.reversed.count()},
            {"outstanding", l.outstanding.count()},
            {"outstanding_from_sales", l.outstanding_from_sales.count()},
            {"outstanding_without_sale", l.outstanding_without_sale.count()},
            {"consideration", money_text(l.consideration)},
            {"deferred", money_text(l.deferred)},
            {"recognised_at_once", money_text(l.recognised_at_once())},
            {"released_on_redemption", money_text(l.released_on_redemption)},
            {"released_otherwise", money_text(l.released_otherwise)},
            {"released_on_breakage", money_text(l.released_on_breakage)},
            {"derecognised", money_text(l.derecognised)},
            {"deferred_balance", money_text(l.deferred_balance())}};
}

// by_funder / by_store: the line's figures under the name of its funder or store (null: none named).
json split_json(const char* name, const std::vector<liability_line>& lines) {
    json out = json::array();
    for (const liability_line& l : lines) {
        json j = line_json(l);
        j.erase("rule");
        j[name] = l.key.empty() ? json(nullptr) : json(l.key);
        out.push_back(j);
    }
    return out;
}

// The split's table, printed only when some lot names a funder (a store): otherwise it would be
// one line repeating the total.
void print_split(const char* title, const char* name, const std::vector<liability_line>& lines, const liability_line& total) {
    bool named = false;
    for (const liability_line& l : lines) named = named || !l.key.empty();
    if (!named) return;
    std::cout << "\n" << title << "\n";
    table t({name, "issued", "redeemed", "used otherwise", "expired", "reversed", "outstanding", "deferred",
             "released", "deferred balance"});
    auto row = [&](const std::string& key, const liability_line& l) {
        t.add({key, pt(l.issued), pt(l.redeemed), pt(l.used_otherwise), pt(l.expired), pt(l.reversed),
               pt(l.outstanding), money_text(l.deferred),
               money_text(l.released_on_redemption + l.released_otherwise + l.released_on_breakage + l.derecognised),
               money_text(l.deferred_balance())});
    };
    for (const liability_line& l : lines) row(l.key.empty() ? "(none)" : l.key, l);
    row("TOTAL", total);
    t.print(std::cout, "  ");
}

int run_liability(const liability_cli_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_source source = read_journal_source(o.src, versions);
    const journal_file& j = source.journal;
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const program& latest = versions.latest();
    // The position at the end of day D (programme time zone): everything dated before 00:00 of
    // D + 1; or at an instant, everything up to it.
    const instant end = parse_as_of(o.as_of, latest.zone).end;
    const program* prog = versions.at(end - std::chrono::seconds(1));
    if (!prog) throw error("loyalty.cli.no_program", "no programme version is in force on " + o.as_of);
    const valuation v = resolve_valuation(o.value, *prog, true);

    journal_runner run(versions);
    consideration_map paid;
    for (const journal_item& i : j.items)
        if (!i.is_assertion && i.at() < end) apply_recording(run, i.event, paid);
    liability_options lo;
    lo.as_of = end;
    lo.point_value = *v.point_value;
    lo.redemption_rate = *v.rate;
    lo.mode = v.mode;
    const liability_report r = liability(run.entries(), paid, lo);
    // What the ledger cannot say: points not yet available, and expiries due but not yet posted.
    points pending, due;
    for (const auto& [member, s] : run.members()) {
        pending += s.pending(end);
        for (const due_expiry& x : expiries_due(*prog, s, end)) due += s.lots[x.lot].remaining;
    }
    const std::string cur(r.point_value.currency_of().code());

    table t({"rule", "issued", "redeemed", "used otherwise", "expired", "reversed", "outstanding", "paid",
             "deferred", "recognised at once", "released on redemption", "released otherwise",
             "released on breakage", "derecognised", "deferred balance"});
    std::vector<const liability_line*> lines;
    for (const liability_line& l : r.by_rule) lines.push_back(&l);
    lines.push_back(&r.total);
    for (const liability_line* l : lines)
        t.add({l->rule.empty() ? "TOTAL" : l->rule, pt(l->issued), pt(l->redeemed), pt(l->used_otherwise), pt(l->expired),
               pt(l->reversed), pt(l->outstanding), money_text(l->consideration), money_text(l->deferred),
               money_text(l->recognised_at_once()), money_text(l->released_on_redemption),
               money_text(l->released_otherwise), money_text(l->released_on_breakage), money_text(l->derecognised),
               money_text(l->deferred_balance())});

    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        json doc{{"as_of", o.as_of},
                 {"before_instant", format_instant(end)},
                 {"time_zone", std::string(latest.zone.name())},
                 {"currency", cur},
                 {"point_value", money_text(r.point_value)},
                 {"point_value_from", v.point_value_from},
                 {"redemption_rate", r.redemption_rate.to_string()},
                 {"rounding", std::string(to_string(r.mode))},
                 {"balance", r.balance.count()},
                 {"debt", r.debt.count()},
                 {"outstanding", r.outstanding.count()},
                 {"pending", pending.count()},
                 {"available", (r.outstanding - pending).count()},
                 {"expiry_due_not_posted", due.count()},
                 {"outstanding_value", money_text(r.outstanding_value)},
                 {"expected_redemptions", r.expected_redemptions.count()},
                 {"expected_redemption_value", money_text(r.expected_redemption_value)},
                 {"expected_breakage", r.expected_breakage.count()},
                 {"expected_breakage_value", money_text(r.expected_breakage_value)},
                 {"without_sale_value", money_text(r.without_sale_value)},
                 {"by_rule", json::array()},
                 {"total", line_json(r.total)},
                 {"by_funder", split_json("funder", r.by_funder)},
                 {"by_store", split_json("store", r.by_store)},
                 {"sales", json::array()},
                 {"notes", r.notes}};
        for (const liability_line& l : r.by_rule) doc["by_rule"].push_back(line_json(l));
        for (const liability_sale& s : r.sales)
            doc["sales"].push_back({{"event", s.event}, {"member", s.member}, {"paid", money_text(s.consideration)},
                                    {"points", s.points_issued.count()}, {"points_ssp", s.ssp_exact},
                                    {"deferred", money_text(s.deferred)}, {"basis", s.basis}});
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Liability as of " << o.as_of << " (" << latest.zone.name() << ", entries before "
              << latest.zone.format_local(end) << ")\n"
              << "point value " << money_text(r.point_value) << " " << cur << " (" << v.point_value_from
              << "); expected redemption rate " << r.redemption_rate.to_string() << "; money rounded to the minor unit, "
              << to_string(r.mode) << "\n\nPoints\n";
    table head({"", "points", cur});
    head.add({"outstanding (held in lots)", pt(r.outstanding), money_text(r.outstanding_value)});
    head.add({"  available", pt(r.outstanding - pending), ""});
    head.add({"  pending", pt(pending), ""});
    head.add({"expected to be redeemed (x " + r.redemption_rate.to_string() + ")", pt(r.expected_redemptions),
              money_text(r.expected_redemption_value)});
    head.add({"expected breakage", pt(r.expected_breakage), money_text(r.expected_breakage_value)});
    head.add({"debt owed by members", pt(r.debt), ""});
    head.add({"balances (roll-forward closing)", pt(r.balance), ""});
    if (due != points(0)) head.add({"expiry due, not yet posted", pt(due), ""});
    head.print(std::cout, "  ");
    std::cout << "\nIFRS 15: revenue deferred by relative stand-alone selling price, per earning rule (" << cur << ")\n";
    t.print(std::cout, "  ");
    print_split("By funder of the points (issued by whom; released = on redemption + otherwise + on breakage + derecognised)",
                "funder", r.by_funder, r.total);
    print_split("By store where the points were issued", "store", r.by_store, r.total);
    std::cout << "\nSales (deferred = paid x SSP / (paid + SSP), SSP = points x " << money_text(r.point_value) << " x "
              << r.redemption_rate.to_string() << ")\n";
    table sales({"event", "member", "paid", "points", "SSP", "deferred", "basis"});
    for (const liability_sale& s : r.sales)
        sales.add({s.event, s.member, money_text(s.consideration), pt(s.points_issued), s.ssp_exact,
                   money_text(s.deferred), s.basis});
    if (sales.empty()) std::cout << "  (none)\n"; else sales.print(std::cout, "  ");
    std::cout << "\nPoints given without a sale (no revenue to defer): " << pt(r.total.outstanding_without_sale)
              << " pt outstanding, " << money_text(r.without_sale_value) << " " << cur << " at "
              << money_text(r.point_value) << " x " << r.redemption_rate.to_string() << "\n";
    for (const std::string& n : r.notes) std::cout << "note: " << n << "\n";
    return exit_ok;
}

}  // namespace

void add_liability(CLI::App& report, int& result) {
    auto o = std::make_shared<liability_cli_options>();
    CLI::App* cmd = report.add_subcommand("liability", "outstanding points, their value, breakage and IFRS 15 deferral");
    set_help_example(*cmd, "loyalty report liability -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --as-of 2027-02-01 --redemption-rate 0.85");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("--as-of", o->as_of, "last day counted (YYYY-MM-DD, programme time zone), or the last instant (RFC 3339)")->required();
    add_valuation_options(*cmd, o->value, true);
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_liability(*o); }); });
}

}  // namespace loyalty::cli
