// loyalty report touch-points --as-of D [--within N] [--rules F]: what the store should act on
// from day D to D + N, per member (loyalty/insight/touch_points.hpp). Reports; sends nothing.
#include <algorithm>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/insight/touch_points.hpp"
#include "member_value_source.hpp"

namespace loyalty::cli {

namespace {

struct touch_point_options {
    source_options src;
    std::string as_of;
    std::string rules;
    std::string within;  // "": the rules' within_days
    format out = format::table;
};

int run_touch_points(const touch_point_options& o) {
    member_value_source src;
    if (const int bad = load_member_value_source(o.src, o.as_of, o.rules, src); bad != exit_ok) return bad;
    std::int64_t within = src.rules.touch_points.within_days;
    if (!o.within.empty()) {
        const auto n = decimal::parse(o.within);
        if (!n || !n->is_integer() || n->mantissa() < 0 || n->mantissa() > 366)
            throw error("loyalty.cli.invalid_within", "--within '" + o.within + "' is not a number of days 0..366");
        within = n->mantissa();
    }
    const program& prog = *src.prog;
    std::vector<touch_point> all;
    for (const auto& [id, state] : src.rec->runner().members())
        for (touch_point& t : touch_points_of(prog, state, src.rec->history_of(id), src.as_of, src.rules, within))
            all.push_back(std::move(t));
    // One agenda for the store: by day, then member (each member's own list is already by day and kind).
    std::stable_sort(all.begin(), all.end(), [](const touch_point& a, const touch_point& b) { return a.on < b.on; });

    table t({"member", "touch point", "day", "in days", "subject", "points", "uses left", "why"});
    for (const touch_point& p : all)
        t.add({p.member, std::string(to_string(p.kind)), format_day(p.on), std::to_string(p.days_from_as_of), p.subject,
               p.kind == touch_point_kind::points_expiring ? pt(p.amount) : "",
               p.kind == touch_point_kind::quota_unused ? std::to_string(p.uses_left) : "", p.reason});
    const day today = prog.zone.local_day(src.as_of);
    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        json doc{{"as_of", o.as_of},
                 {"last_day", format_day(today + date::days(within))},
                 {"within_days", within},
                 {"time_zone", std::string(prog.zone.name())},
                 {"rules", src.rules_from},
                 {"touch_points", json::array()}};
        for (const touch_point& p : all) {
            json j{{"member", p.member}, {"kind", std::string(to_string(p.kind))}, {"day", format_day(p.on)},
                   {"in_days", p.days_from_as_of}, {"subject", p.subject}, {"reason", p.reason}};
            if (p.kind == touch_point_kind::points_expiring) j["points"] = p.amount.count();
            if (p.kind == touch_point_kind::quota_unused) j["uses_left"] = p.uses_left;
            doc["touch_points"].push_back(std::move(j));
        }
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Touch points " << o.as_of << " .. " << format_day(today + date::days(within)) << " (" << prog.zone.name()
              << "; rules: " << src.rules_from << ")\n";
    if (t.empty()) std::cout << "  (none)\n"; else t.print(std::cout, "  ");
    return exit_ok;
}

}  // namespace

void add_touch_points(CLI::App& report, int& result) {
    auto o = std::make_shared<touch_point_options>();
    CLI::App* cmd = report.add_subcommand("touch-points", "care calls, birthdays, maintenance, expiring points, unused quotas");
    set_help_example(*cmd, "loyalty report touch-points -p examples/programs/4s-club.json -e tests/cli/member-value.jsonl --as-of 2026-01-15");
    add_source_options(*cmd, o->src);
    cmd->add_option("--as-of", o->as_of, "the first day looked at (YYYY-MM-DD, programme time zone), or an instant (RFC 3339): its day")->required();
    cmd->add_option("--within", o->within, "and the N days after it (default: the rules' within_days, 7)");
    cmd->add_option("--rules", o->rules, "member value rules (JSON, docs/member-value.md); default: the documented defaults");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_touch_points(*o); }); });
}

}  // namespace loyalty::cli
