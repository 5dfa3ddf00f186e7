// loyalty statement MEMBER: balance, available vs pending, debt, lots, quotas, last entries.
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/audit/statement.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "store_source.hpp"

namespace loyalty::cli {

namespace {

struct statement_options {
    source_options src;
    std::string member;
    std::string as_of;
    std::size_t last = 10;
    format out = format::table;
    std::string part = "lots";  // with --csv: which table (lots, standing, quotas, entries)
};

// A window as the tier texts name it, and as JSON: {"period", "first", "last"} (days inclusive).
std::string window_text(const program& prog, const day_range& r) { return detail::describe(*prog.tiers, r); }
json window_json(const std::string& text, const day_range& r) {
    return {{"period", text}, {"first", format_day(r.first)}, {"last", format_day(r.end - date::days(1))}};
}
json window_json(const program& prog, const day_range& r) { return window_json(window_text(prog, r), r); }
// The grace after a judged window: "31 grace day(s) 2026-01-01..2026-01-31".
std::string grace_text(const program& prog, const day_range& r) {
    return prog.tiers->grace.describe() + " " + format_day(r.first) + ".." + format_day(r.end - date::days(1));
}

// Qualifying figures: every measure, as numbers (money as its amount text in the programme's
// currency, like the programme's thresholds).
json totals_json(const qualifying_totals& t) {
    return {{"points", t.earned.count()}, {"spend", t.spend.to_string()}, {"visits", t.visits}, {"vehicles", t.vehicles}};
}
std::string totals_text(const qualifying_totals& t) {
    return "qualifying points " + to_string(t.earned) + ", spend " + to_string(t.spend) + ", paid visits " +
           std::to_string(t.visits) + ", vehicles bought " + std::to_string(t.vehicles);
}

// "met: qualifying points 3000 >= 2000 in calendar_year 2025-01-01..2025-12-31" or "not yet: ...".
std::string keep_text(const program& prog, const tier_keep& k) {
    const std::string in = " in " + window_text(prog, k.judged);
    if (const std::string met = k.retain.met_by(k.judged_totals); !met.empty()) return "met: " + met + in;
    if (k.grace)
        if (const std::string met = k.retain.met_by(k.grace_totals); !met.empty())
            return "met: " + met + " in the " + grace_text(prog, *k.grace);
    return "not yet: " + k.retain.short_of(k.judged_totals) + in +
           (k.grace ? "; in the " + grace_text(prog, *k.grace) + ": " + k.retain.short_of(k.grace_totals) : "") +
           "; reviewed on " + format_day(k.review_on);
}

std::string reach_text(const tier_reach& r, const qualifying_totals& t) {
    if (const std::string met = r.qualify.met_by(t); !met.empty()) return "met: " + met;
    return "not yet: " + r.qualify.short_of(t);
}

json standing_json(const program& prog, const tier_standing& st) {
    json keep = nullptr, next = nullptr;
    if (st.keep) {
        const tier_keep& k = *st.keep;
        keep = {{"tier", k.tier},
                {"judged", window_json(prog, k.judged)},
                {"qualifying", totals_json(k.judged_totals)},
                {"grace", k.grace ? window_json(grace_text(prog, *k.grace), *k.grace) : json(nullptr)},
                {"grace_qualifying", k.grace ? totals_json(k.grace_totals) : json(nullptr)},
                {"retain", io::threshold_to_json(k.retain)},
                {"met", k.met},
                {"review_on", format_day(k.review_on)}};
    }
    if (st.next)
        next = {{"tier", st.next->tier}, {"qualify", io::threshold_to_json(st.next->qualify)}, {"met", st.next->qualify.meets(st.totals)}};
    return {{"window", window_json(prog, st.window)},
            {"qualifying", totals_json(st.totals)},
            {"keep", keep},
            {"next", next},
            {"in_grace_until", st.in_grace_until ? json(format_day(*st.in_grace_until)) : json(nullptr)}};
}

// The standing as CSV rows, one per measure and what it is measured for:
// what,tier,measure,value,threshold,met,first,last,until. `qualifying` rows give the window in
// force's totals; `keep` rows the held tier's retain threshold against the judged window (and
// `keep_grace` rows against the grace days, once they have begun; `until` is the review day);
// `next` rows the next tier's qualify threshold against the window in force; an `in_grace` row
// the day the grace ends. Money as its amount in the programme's currency.
table standing_table(const std::optional<tier_standing>& standing) {
    table out({"what", "tier", "measure", "value", "threshold", "met", "first", "last", "until"});
    if (!standing) return out;
    const tier_standing& st = *standing;
    const auto first = [](const day_range& r) { return format_day(r.first); };
    const auto last = [](const day_range& r) { return format_day(r.end - date::days(1)); };
    const auto yes = [](bool b) { return std::string(b ? "yes" : "no"); };
    // Each measure of `t` the threshold states (every measure when `all`), against `totals`.
    const auto rows = [&](const std::string& what, const std::string& tier, const qualifying_totals& totals,
                          const tier_threshold* t, const day_range& r, const std::string& until) {
        const bool all = t == nullptr;
        if (all || t->qualifying_points)
            out.add({what, tier, "qualifying points", std::to_string(totals.earned.count()),
                     all ? "" : std::to_string(t->qualifying_points->count()),
                     all ? "" : yes(totals.earned >= *t->qualifying_points), first(r), last(r), until});
        if (all || t->spend)
            out.add({what, tier, "spend", totals.spend.to_string(), all ? "" : t->spend->to_string(),
                     all ? "" : yes(totals.spend >= *t->spend), first(r), last(r), until});
        if (all || t->visits)
            out.add({what, tier, "paid visits", std::to_string(totals.visits), all ? "" : std::to_string(*t->visits),
                     all ? "" : yes(totals.visits >= *t->visits), first(r), last(r), until});
        if (all || t->vehicles)
            out.add({what, tier, "vehicles bought", std::to_string(totals.vehicles), all ? "" : std::to_string(*t->vehicles),
                     all ? "" : yes(totals.vehicles >= *t->vehicles), first(r), last(r), until});
    };
    rows("qualifying", st.held, st.totals, nullptr, st.window, "");
    if (st.keep) {
        const tier_keep& k = *st.keep;
        rows("keep", k.tier, k.judged_totals, &k.retain, k.judged, format_day(k.review_on));
        if (k.grace) rows("keep_grace", k.tier, k.grace_totals, &k.retain, *k.grace, format_day(k.review_on));
    }
    if (st.in_grace_until)
        out.add({"in_grace", st.held, "", "", "", "", "", "", format_day(*st.in_grace_until)});
    if (st.next) rows("next", st.next->tier, st.totals, &st.next->qualify, st.window, "");
    return out;
}

int run_statement(const statement_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const journal_source source = read_journal_source(o.src, versions);
    const journal_file& j = source.journal;
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    // No clock: the statement is as of the given instant, else as of the journal's last instant.
    instant as_of{};
    if (!o.as_of.empty())
        as_of = parse_as_of(o.as_of, versions.latest().zone).last();
    else
        for (const journal_item& i : j.items) as_of = std::max(as_of, i.at());
    const auto run = replay_items(versions, j.items, j.items.size(), false,
                                  [&](const journal_item& i) { return i.at() <= as_of; });
    const auto found = run->runner.members().find(o.member);
    if (found == run->runner.members().end())
        throw error("loyalty.cli.unknown_member", "member '" + o.member + "' has no accepted events in " + source.name +
                                                      " up to " + format_instant(as_of));
    const program* prog = versions.at(as_of);
    if (!prog) throw error("loyalty.cli.no_program", "no programme version is in force at " + format_instant(as_of));
    const statement st = make_statement(*prog, found->second, run->runner.entries_of(o.member), as_of, o.last);

    auto expires = [](const statement_lot& l) { return l.expires_on ? format_day(*l.expires_on) : std::string("never"); };
    auto status = [](const statement_lot& l) {
        return l.due ? std::string("expiry due") : l.pending ? std::string("pending") : std::string("available");
    };
    table lots({"lot", "rule", "earned on", "expires", "earned", "remaining", "status"});
    for (const statement_lot& l : st.lots)
        lots.add({l.id, l.rule, format_day(l.earned_on), expires(l), pt(l.earned), pt(l.remaining), status(l)});

    table quotas({"benefit", "period", "allowed", "used", "left"});
    for (const statement_quota& q : st.quotas)
        quotas.add({q.benefit, q.period, std::to_string(q.allowed) + (q.tier.empty() ? "" : " (" + q.tier + ")"),
                    std::to_string(q.used), std::to_string(q.left)});
    // Times for people in the programme's time zone; CSV, like JSON, keeps UTC.
    table entries({"seq", "at", "kind", "amount", "balance", "rule", "reason"});
    for (const ledger_entry& e : st.last_entries)
        entries.add({std::to_string(e.seq), table_instant(o.out, prog->zone, e.at), std::string(to_string(e.kind)),
                     pt(e.amount), pt(e.balance), e.rule, e.reason});

    if (o.part != "lots" && o.out != format::csv)
        throw error("loyalty.cli.invalid_option", "--table chooses the table --csv prints; text and --json show every part");
    if (o.out == format::csv) {
        if (o.part == "standing") standing_table(st.standing).print_csv(std::cout);
        else if (o.part == "quotas") quotas.print_csv(std::cout);
        else if (o.part == "entries") entries.print_csv(std::cout);
        else lots.print_csv(std::cout);
        return exit_ok;
    }
    if (o.out == format::json) {
        json doc{{"member", st.member},
                 {"as_of", format_instant(st.as_of)},
                 {"program", st.program},
                 {"version", st.version},
                 {"member_since", format_day(st.member_since)},
                 {"balance", st.balance.count()},
                 {"available", st.available.count()},
                 {"pending", st.pending.count()},
                 {"debt", st.debt.count()},
                 {"due_to_expire", st.due_to_expire.count()},
                 {"balance_after_due", st.balance_after_due.count()},
                 {"tier", st.tier.empty() ? json(nullptr) : json(st.tier)},
                 {"tier_review_on", st.tier_review_on ? json(format_day(*st.tier_review_on)) : json(nullptr)},
                 {"lots", json::array()},
                 {"quotas", json::array()},
                 {"last_entries", json::array()}};
        if (!st.tier_through.empty()) doc["tier_through"] = st.tier_through;  // only for a tier held through an account
        doc["tier_standing"] = st.standing ? standing_json(*prog, *st.standing) : json(nullptr);
        for (const statement_lot& l : st.lots)
            doc["lots"].push_back({{"lot", l.id}, {"rule", l.rule}, {"earned_on", format_day(l.earned_on)},
                                   {"expires", l.expires_on ? json(format_day(*l.expires_on)) : json(nullptr)},
                                   {"earned", l.earned.count()}, {"remaining", l.remaining.count()},
                                   {"status", status(l)}});
        for (const statement_quota& q : st.quotas)
            doc["quotas"].push_back({{"benefit", q.benefit}, {"period", q.period}, {"allowed", q.allowed},
                                     {"used", q.used}, {"left", q.left},
                                     {"tier", q.tier.empty() ? json(nullptr) : json(q.tier)}});
        for (const ledger_entry& e : st.last_entries) doc["last_entries"].push_back(entry_json(e));
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    std::cout << "Statement of " << st.member << " as of " << prog->zone.format_local(st.as_of) << " (programme " << st.program
              << " v" << st.version << ")\n";
    table head({"", ""});
    head.add({"member since", format_day(st.member_since)});
    head.add({"balance", pt(st.balance) + " pt"});
    head.add({"available", pt(st.available) + " pt"});
    head.add({"pending", pt(st.pending) + " pt"});
    head.add({"debt", pt(st.debt) + " pt"});
    // A tiered programme: the tier held and the day it ends unless retained (none: it cannot drop).
    if (prog->tiers) {
        std::string held = st.tier.empty() ? std::string("none") : st.tier;
        if (!st.tier_through.empty()) held += ", held through fleet account " + st.tier_through + " (reviewed with the account)";
        if (st.tier_review_on)
            held += ", reviewed on " + format_day(*st.tier_review_on) + " (held until then; kept only if retained)" +
                    (*st.tier_review_on <= prog->zone.local_day(st.as_of) ? " - review due, not posted" : "");
        head.add({"tier", held});
        if (st.standing) {
            const tier_standing& ts = *st.standing;
            head.add({"qualifying", window_text(*prog, ts.window) + ": " + totals_text(ts.totals)});
            if (ts.keep) head.add({"to keep " + ts.keep->tier, keep_text(*prog, *ts.keep)});
            if (ts.in_grace_until) head.add({"in grace until", format_day(*ts.in_grace_until)});
            if (ts.next) head.add({"to reach " + ts.next->tier, reach_text(*ts.next, ts.totals)});
        }
    }
    if (st.due_to_expire != points(0)) {
        head.add({"expiry due, not posted", pt(st.due_to_expire) + " pt"});
        head.add({"balance after it", pt(st.balance_after_due) + " pt"});
    }
    // Print the summary without its empty header line.
    std::ostringstream summary;
    head.print(summary, "  ");
    std::cout << summary.str().substr(summary.str().find('\n') + 1);
    std::cout << "\nLots with points left\n";
    if (lots.empty()) std::cout << "  (none)\n"; else lots.print(std::cout, "  ");
    std::cout << "\nBenefit quotas this period\n";
    if (quotas.empty()) std::cout << "  (none)\n"; else quotas.print(std::cout, "  ");
    std::cout << "\nLast entries\n";
    entries.print(std::cout, "  ");
    return exit_ok;
}

}  // namespace

void add_statement(CLI::App& app, int& result) {
    auto o = std::make_shared<statement_options>();
    CLI::App* cmd = app.add_subcommand("statement", "a member's statement after the journal");
    set_help_example(*cmd, "loyalty statement -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl M001");
    add_reading_source_options(*cmd, o->src);
    cmd->add_option("member", o->member, "member id")->required();
    cmd->add_option("--as-of", o->as_of, "a day (YYYY-MM-DD, to its end in the programme's time zone) or an instant (RFC 3339); default: the journal's last instant");
    cmd->add_option("--last", o->last, "how many last entries to show")->capture_default_str();
    cmd->add_option("--table", o->part, "with --csv, the table printed: lots (default), standing (the tier standing), quotas or entries")
        ->check(CLI::IsMember({"lots", "standing", "quotas", "entries"}));
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_statement(*o); }); });
}

}  // namespace loyalty::cli
