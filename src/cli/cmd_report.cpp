// loyalty report rollforward --from D1 --to D2: opening, movements by kind, closing, per member
// and in total, reconciled exactly. Also registers `report liability` and `report compare`.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/funder_costs.hpp"
#include "loyalty/audit/rollforward.hpp"
#include "store_source.hpp"

namespace loyalty::cli {

namespace {

struct rollforward_options {
    source_options src;
    std::string from, to;
    format out = format::table;
};

json line_json(const rollforward_line& l) {
    json by_rule = json::object();
    for (const auto& [rule, n] : l.earned_by_rule) by_rule[rule] = n.count();
    json by_reward = json::object();
    for (const auto& [reward, n] : l.redeemed_by_reward) by_reward[reward] = n.count();
    json leakage = json::object();  // exact decimals as text, like rates
    for (const auto& [rule, d] : l.leakage_by_rule) leakage[rule] = to_text(d);
    return {{"member", l.member.empty() ? json(nullptr) : json(l.member)},
            {"opening", l.opening.count()},
            {"earned", l.earned.count()},
            {"earned_by_rule", by_rule},
            {"redeemed", l.redeemed.count()},
            {"redeemed_by_reward", by_reward},
            {"expired", l.expired.count()},
            {"reversed", l.reversed.count()},
            {"adjusted", l.adjusted.count()},
            {"adjusted_credit", l.adjusted_credit.count()},
            {"adjusted_debit", l.adjusted_debit.count()},
            {"transferred", l.transferred.count()},
            {"transferred_in", l.transferred_in.count()},
            {"transferred_out", l.transferred_out.count()},
            {"debt", l.debt.count()},
            {"debt_settled", l.debt_settled.count()},
            {"other", l.other.count()},
            {"rounding_leakage_by_rule", leakage},
            {"closing", l.closing.count()},
            {"entries", l.entries},
            {"reconciles", l.reconciles()}};
}

json given_json(const std::map<std::string, money>& m) {
    json out = json::object();
    for (const auto& [id, x] : m) out[id] = x.to_string();
    return out;
}

json split_json(const char* name, const rollforward_split& s) {
    json j = line_json(s.line);
    j.erase("member");
    j[name] = s.key.empty() ? json(nullptr) : json(s.key);
    j["benefit_uses"] = s.benefit_uses;
    j["benefit_given"] = given_json(s.benefit_given);
    return j;
}

bool any_named(const std::vector<rollforward_split>& splits) {
    for (const rollforward_split& s : splits)
        if (!s.key.empty()) return true;
    return false;
}

// The movements per funder or store, with what benefits were used and gave; the funder table
// adds what the funder owes at the programme's stated costs (audit/funder_costs.hpp).
void print_splits(const char* title, const char* name, const std::vector<rollforward_split>& splits,
                  const std::vector<funder_cost>* costs) {
    if (!any_named(splits)) return;
    std::cout << "\n" << title << "\n";
    std::vector<std::string> head{name, "opening", "earned", "redeemed", "expired", "reversed", "adjusted", "transferred",
                                  "debt", "other", "closing", "benefit uses", "benefits given"};
    if (costs) head.insert(head.end(), {"points cost", "uses cost"});
    table t(head);
    for (std::size_t i = 0; i < splits.size(); ++i) {
        const rollforward_split& s = splits[i];
        const rollforward_line& l = s.line;
        std::int64_t uses = 0;
        for (const auto& [id, n] : s.benefit_uses) uses += n;
        std::string given;
        if (!s.benefit_given.empty()) {
            money sum = money::zero(s.benefit_given.begin()->second.currency_of());
            for (const auto& [id, m] : s.benefit_given) sum += m;
            given = sum.to_string();
        }
        std::vector<std::string> row{s.key.empty() ? "(none)" : s.key, pt(l.opening), pt(l.earned), pt(l.redeemed),
                                     pt(l.expired), pt(l.reversed), pt(l.adjusted), pt(l.transferred), pt(l.debt),
                                     pt(l.other), pt(l.closing), std::to_string(uses), given};
        if (costs) row.insert(row.end(), {(*costs)[i].points_cost.to_string(), (*costs)[i].uses_cost.to_string()});
        t.add(row);
    }
    t.print(std::cout, "  ");
}

int run_rollforward(const rollforward_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_source source = read_journal_source(o.src, versions);
    const journal_file& j = source.journal;
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const day d1 = parse_day_option(o.from, "--from"), d2 = parse_day_option(o.to, "--to");
    if (d2 < d1) throw error("loyalty.cli.invalid_period", "--to " + o.to + " is before --from " + o.from);
    // Days are the programme's local business days; the period is [00:00 of D1, 00:00 of D2 + 1).
    const time_zone& zone = versions.latest().zone;
    const instant from = zone.start_of(d1), to = zone.start_of(d2 + date::days(1));
    const auto run = replay_items(versions, j.items, j.items.size(), false);
    const rollforward_report r = rollforward(run->runner.entries(), from, to);
    const std::vector<funder_cost> costs = funder_costs(versions.latest(), r);

    std::vector<const rollforward_line*> lines;
    for (const rollforward_line& l : r.members) lines.push_back(&l);
    lines.push_back(&r.total);
    table t({"member", "opening", "earned", "redeemed", "expired", "reversed", "adjusted", "transferred", "debt", "other",
             "closing", "reconciles"});
    for (const rollforward_line* l : lines)
        t.add({l->member.empty() ? "TOTAL" : l->member, pt(l->opening), pt(l->earned), pt(l->redeemed), pt(l->expired),
               pt(l->reversed), pt(l->adjusted), pt(l->transferred), pt(l->debt), pt(l->other), pt(l->closing),
               l->reconciles() ? "yes" : "NO"});

    if (o.out == format::csv) {
        t.print_csv(std::cout);
    } else if (o.out == format::json) {
        json doc{{"from", o.from}, {"to", o.to}, {"from_instant", format_instant(from)}, {"to_instant", format_instant(to)},
                 {"time_zone", std::string(zone.name())}, {"members", json::array()}, {"total", line_json(r.total)},
                 {"reconciles", r.reconciles()}};
        for (const rollforward_line& l : r.members) doc["members"].push_back(line_json(l));
        json& by_funder = doc["by_funder"] = json::array();
        for (std::size_t i = 0; i < r.by_funder.size(); ++i) {
            json s = split_json("funder", r.by_funder[i]);
            const funder_cost& c = costs[i];
            s["points_cost_exact"] = c.points_cost_exact;
            s["points_cost"] = c.points_cost.to_string();
            s["uses_cost"] = c.uses_cost.to_string();
            s["given"] = c.given.to_string();
            by_funder.push_back(s);
        }
        json& by_store = doc["by_store"] = json::array();
        for (const rollforward_split& s : r.by_store) by_store.push_back(split_json("store", s));
        std::cout << doc.dump(2) << "\n";
    } else {
        std::cout << "Roll-forward " << o.from << " .. " << o.to << " (" << zone.name() << ", " << zone.format_local(from)
                  << " to " << zone.format_local(to) << " exclusive)\n";
        t.print(std::cout, "  ");
        std::cout << "\nEarned by rule\n";
        table by_rule({"member", "rule", "earned"});
        for (const rollforward_line* l : lines)
            for (const auto& [rule, n] : l->earned_by_rule) by_rule.add({l->member.empty() ? "TOTAL" : l->member, rule, pt(n)});
        if (by_rule.empty()) std::cout << "  (none)\n"; else by_rule.print(std::cout, "  ");
        std::cout << "\nRedeemed by reward\n";
        table by_reward({"member", "reward", "redeemed"});
        for (const rollforward_line* l : lines)
            for (const auto& [reward, n] : l->redeemed_by_reward)
                by_reward.add({l->member.empty() ? "TOTAL" : l->member, reward, pt(n)});
        if (by_reward.empty()) std::cout << "  (none)\n"; else by_reward.print(std::cout, "  ");
        std::cout << "\nRounding leakage by rule (exact points: rounded - exact + remainder carried)\n";
        table leak({"member", "rule", "leakage"});
        for (const rollforward_line* l : lines)
            for (const auto& [rule, d] : l->leakage_by_rule)
                leak.add({l->member.empty() ? "TOTAL" : l->member, rule, to_text(d)});
        if (leak.empty()) std::cout << "  (none)\n"; else leak.print(std::cout, "  ");
        print_splits("By funder (points cost = points earned x the rule's cost_per_point, rounded half-up once per "
                     "funder; uses cost = benefit uses x cost_per_use)",
                     "funder", r.by_funder, &costs);
        print_splits("By store (expiries happen at no store)", "store", r.by_store, nullptr);
        std::cout << "\nTransfers: in " << pt(r.total.transferred_in) << ", out " << pt(r.total.transferred_out) << "\n";
        std::cout << "\nAdjustments: credits " << pt(r.total.adjusted_credit) << ", debits " << pt(r.total.adjusted_debit)
                  << "; debt settled from new points " << pt(r.total.debt_settled) << " (balance unchanged)\n";
        if (r.reconciles())
            std::cout << "Reconciled: opening + earned + redeemed + expired + reversed + adjusted + transferred + debt + other"
                         " = closing, for "
                      << r.members.size() << " members and in total (" << pt(r.total.opening) << " + "
                      << pt(r.total.movements()) << " = " << pt(r.total.closing) << ")\n";
        else
            std::cout << "NOT RECONCILED: see the rows marked NO\n";
    }
    return r.reconciles() ? exit_ok : exit_problems;
}

}  // namespace

void add_report(CLI::App& app, int& result) {
    CLI::App* report = app.add_subcommand("report", "reports over the ledger");
    report->require_subcommand(1);
    auto o = std::make_shared<rollforward_options>();
    CLI::App* cmd = report->add_subcommand("rollforward", "opening, movements and closing balance for a period");
    set_help_example(*cmd, "loyalty report rollforward -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --from 2025-01-01 --to 2025-12-31");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("--from", o->from, "first day (YYYY-MM-DD, programme time zone)")->required();
    cmd->add_option("--to", o->to, "last day, inclusive")->required();
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_rollforward(*o); }); });
    add_liability(*report, result);
    add_compare(*report, result);
    add_member_value(*report, result);
    add_touch_points(*report, result);
}

}  // namespace loyalty::cli
