// loyalty report member-value --as-of D [--rules F]: per member, the RFM scores, the money paid
// in the window, the lifetime value and the life-cycle stage (loyalty/insight/member_value.hpp).
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/insight/member_value.hpp"
#include "member_value_source.hpp"

namespace loyalty::cli {

namespace {

struct member_value_options {
    source_options src;
    std::string as_of;
    std::string rules;
    format out = format::table;
};

std::string days_text(const std::optional<std::int64_t>& d) { return d ? std::to_string(*d) : "-"; }

int run_member_value(const member_value_options& o) {
    member_value_source src;
    if (const int bad = load_member_value_source(o.src, o.as_of, o.rules, src); bad != exit_ok) return bad;
    const program& prog = *src.prog;
    std::vector<member_value> values;
    for (const auto& [id, state] : src.rec->runner().members())
        values.push_back(value_of(prog, state, src.rec->history_of(id), src.as_of, src.rules));

    table t({"member", "stage", "R", "F", "M", "days since paid visit", "paid visits", "paid", "lifetime value"});
    for (const member_value& v : values)
        t.add({v.member, std::string(to_string(v.stage.stage)), std::to_string(v.rfm.recency),
               std::to_string(v.rfm.frequency), std::to_string(v.rfm.monetary), days_text(v.rfm.days_since_paid_visit),
               std::to_string(v.rfm.visits), v.rfm.paid.to_string(), v.clv.value.to_string()});
    const std::string cur(prog.currency_unit.code());
    const day first = src.rules.window_days > 0 ? prog.zone.local_day(src.as_of) - date::days(src.rules.window_days - 1)
                                                : prog.zone.local_day(src.as_of);
    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        json doc{{"as_of", o.as_of},
                 {"before_instant", format_instant(src.end)},
                 {"time_zone", std::string(prog.zone.name())},
                 {"currency", cur},
                 {"rules", src.rules_from},
                 {"window", {{"first", format_day(first)}, {"last", o.as_of}, {"days", src.rules.window_days}}},
                 {"members", json::array()}};
        for (const member_value& v : values)
            doc["members"].push_back(
                {{"member", v.member},
                 {"stage", std::string(to_string(v.stage.stage))},
                 {"stage_reason", v.stage.reason},
                 {"recency", v.rfm.recency},
                 {"frequency", v.rfm.frequency},
                 {"monetary", v.rfm.monetary},
                 {"days_since_paid_visit", v.rfm.days_since_paid_visit ? json(*v.rfm.days_since_paid_visit) : json(nullptr)},
                 {"paid_visits", v.rfm.visits},
                 {"paid", v.rfm.paid.to_string()},
                 {"lifetime_paid", v.clv.total_paid.to_string()},
                 {"tenure_days", v.clv.tenure_days},
                 {"observed_days", v.clv.observed_days},
                 {"annual_spend", v.clv.annual_spend.to_string()},
                 {"lifetime_value", v.clv.value.to_string()},
                 {"lifetime_value_formula", v.clv.formula}});
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Member value as of " << o.as_of << " (" << prog.zone.name() << ", events before "
              << prog.zone.format_local(src.end) << "); rules: " << src.rules_from << "\n"
              << "paid visits and money in the window " << format_day(first) << " .. " << o.as_of << " ("
              << src.rules.window_days << " days), " << cur << "\n";
    t.print(std::cout, "  ");
    std::cout << "\nWhy\n";
    for (const member_value& v : values)
        std::cout << "  " << v.member << "  " << to_string(v.stage.stage) << ": " << v.stage.reason
                  << "\n  " << std::string(v.member.size(), ' ') << "  lifetime value: " << v.clv.formula << "\n";
    return exit_ok;
}

}  // namespace

void add_member_value(CLI::App& report, int& result) {
    auto o = std::make_shared<member_value_options>();
    CLI::App* cmd = report.add_subcommand("member-value", "RFM scores, lifetime value and life-cycle stage per member");
    set_help_example(*cmd, "loyalty report member-value -p examples/programs/4s-club.json -e tests/cli/member-value.jsonl --as-of 2026-01-15");
    add_source_options(*cmd, o->src);
    cmd->add_option("--as-of", o->as_of, "the day valued (YYYY-MM-DD, programme time zone; events up to its end), or an instant (RFC 3339)")->required();
    cmd->add_option("--rules", o->rules, "member value rules (JSON, docs/member-value.md); default: the documented defaults");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_member_value(*o); }); });
}

}  // namespace loyalty::cli
