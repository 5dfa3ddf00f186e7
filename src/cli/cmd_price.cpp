// loyalty price --order RO.json: a priced estimate, every line with its reason, using the
// member's state after the journal. With --compare-with FINAL.json: the estimate against the
// final bill, each priced on the member's state at its own instant, and why they differ.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/benefit/compare.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/journal_lines.hpp"

namespace loyalty::cli {

namespace {

struct price_options {
    source_options src;
    std::string order;
    std::string member;
    std::string at;
    std::string compare_with;  // the final bill: compare it with the estimate (--order)
    std::string final_at;
    format out = format::table;
};

// An order file read as a repair_order event: a repair_order event, or just its body; missing
// id/member/at/type are filled in (`member` and `at` override the file's; without either, the
// journal's latest instant).
struct order_file {
    event e;
    bool has_member = false;
    const events::repair_order& ro() const { return std::get<events::repair_order>(e.body); }
};

order_file read_order(const std::string& path, const std::string& member, const std::string& at,
                      const std::string& at_option, const std::string& default_id, const journal_file& j,
                      const currency& cur) {
    json doc = io::read_file_with(path, [](std::string_view text) { return io::parse_exact(text); });
    if (!doc.is_object()) throw error("loyalty.event.not_an_object", "/", path + ": an order is a JSON object");
    if (!doc.contains("type")) doc["type"] = "repair_order";
    if (!doc.contains("id")) doc["id"] = default_id;
    if (!member.empty()) doc["member"] = member;
    order_file f;
    f.has_member = doc.contains("member");
    if (!f.has_member) doc["member"] = "(none)";
    if (!at.empty()) doc["at"] = format_instant(parse_instant_option(at, at_option));
    if (!doc.contains("at")) {
        instant last{};
        for (const journal_item& i : j.items) last = std::max(last, i.at());
        if (j.items.empty())
            throw error("loyalty.cli.missing_instant", "the order has no \"at\": give " + at_option).in_file(path);
        doc["at"] = format_instant(last);
    }
    try {
        f.e = io::event_from_json(doc, cur);
    } catch (const error& err) {
        throw err.in_file(path);
    }
    if (!std::holds_alternative<events::repair_order>(f.e.body))
        throw error("loyalty.cli.not_a_repair_order", "/type", "the order is not a repair_order").in_file(path);
    if (!f.has_member) f.e.member.clear();
    return f;
}

// The member's state after the journal's items up to `at`, leaving out an event with the
// order's own id (a closed order already in the journal is not counted against itself).
member_state state_at(const program_versions& versions, const journal_file& j, const event& order, bool skip_own_id) {
    member_state state(order.member);
    if (order.member.empty()) return state;
    const auto run = replay_items(versions, j.items, j.items.size(), false, [&](const journal_item& i) {
        return i.at() <= order.at && !(skip_own_id && !i.is_assertion && i.id() == order.id);
    });
    const auto found = run->runner.members().find(order.member);
    if (found == run->runner.members().end())
        throw error("loyalty.cli.unknown_member", "member '" + order.member + "' has no accepted events in the journal up to " +
                                                      format_instant(order.at));
    return found->second;
}

int run_bill_comparison(const price_options& o, const program_versions& versions, const journal_file& j,
                        const order_file& est);

int run_price(const price_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const currency cur = versions.latest().currency_unit;
    journal_file j;
    if (!o.src.events.empty()) {
        j = read_journal(o.src.events, cur);
        if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    }
    const order_file f = read_order(o.order, o.member, o.at, "--at", "estimate", j, cur);
    if (!o.compare_with.empty()) return run_bill_comparison(o, versions, j, f);
    const event& e = f.e;
    const events::repair_order* ro = &f.ro();
    const member_state state = state_at(versions, j, e, false);
    const priced_order p = price(versions, state, *ro, e.at);

    if (o.out == format::json) {
        json doc_out{{"program", p.program}, {"version", p.version}, {"member", e.member}, {"at", format_instant(e.at)},
                     {"ro", ro->number}, {"lines", json::array()}, {"list_total", p.list_total.to_string()},
                     {"discount_total", p.discount_total.to_string()}, {"net_total", p.net_total.to_string()},
                     {"currency", std::string(p.net_total.currency_of().code())}, {"points", json::object()},
                     {"points_total", p.points_total.count()}};
        for (const priced_line& l : p.lines) {
            json line{{"line", line_name(l.line)}, {"quantity", l.line.quantity.to_string()},
                      {"list", l.list.to_string()}, {"net", l.net.to_string()}, {"adjustments", json::array()},
                      {"notes", l.notes}};
            for (const price_adjustment& a : l.adjustments)
                line["adjustments"].push_back({{"benefit", a.benefit}, {"version", a.version},
                                               {"amount", a.amount.to_string()}, {"uses", a.uses}, {"reason", a.reason}});
            doc_out["lines"].push_back(line);
        }
        for (const auto& [rule, n] : p.points_by_rule) doc_out["points"][rule] = n.count();
        std::cout << doc_out.dump(2) << "\n";
        return exit_ok;
    }
    table t({"#", "line", "qty", "list", "net", "why"});
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
        const priced_line& l = p.lines[i];
        std::vector<std::string> why;
        for (const price_adjustment& a : l.adjustments) why.push_back(a.reason);
        for (const std::string& n : l.notes) why.push_back(n);
        if (why.empty()) why.push_back("list price: no benefit applies");
        t.add({std::to_string(i + 1), line_name(l.line), l.line.quantity.to_string(), l.list.to_string(),
               l.net.to_string(), why.front()});
        for (std::size_t k = 1; k < why.size(); ++k) t.add({"", "", "", "", "", why[k]});
    }
    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    // An estimate is priced before the work; a closed order is the final bill.
    std::cout << (ro->status == events::ro_status::closed ? "Bill " : "Estimate ") << (ro->number.empty() ? std::string("(no RO number)") : ro->number) << " for "
              << (e.member.empty() ? std::string("a member with no history") : e.member) << " at "
              << zone_at(versions, e.at).format_local(e.at) << " (programme " << p.program << " v" << p.version << ", "
              << p.net_total.currency_of().code() << ")\n";
    t.print(std::cout, "  ");
    std::cout << "list " << p.list_total.to_string() << ", discount " << p.discount_total.to_string() << ", to pay "
              << p.net_total.to_string() << "\n";
    std::cout << "points on closing: " << pt(p.points_total);
    std::string sep = " (";
    for (const auto& [rule, n] : p.points_by_rule) {
        std::cout << sep << rule << " " << pt(n);
        sep = ", ";
    }
    std::cout << (p.points_by_rule.empty() ? "" : ")") << "\n";
    return exit_ok;
}

std::string signed_money(const money& m) { return (m.minor_units() > 0 ? "+" : "") + m.to_string(); }

std::string one_based(const std::optional<std::size_t>& i) { return i ? std::to_string(*i + 1) : std::string(); }

json quota_json(const quota_seen& q, std::int64_t uses, const money& discount) {
    return {{"used", q.used}, {"allowed", q.allowed}, {"period", q.per.describe()}, {"from", format_day(q.period.first)},
            {"to", format_day(q.period.end - date::days(1))}, {"uses", uses}, {"discount", discount.to_string()}};
}

json side_json(const order_file& f, const priced_order& p) {
    return {{"ro", f.ro().number}, {"id", f.e.id}, {"at", format_instant(f.e.at)}, {"program", p.program},
            {"version", p.version}, {"list_total", p.list_total.to_string()},
            {"discount_total", p.discount_total.to_string()}, {"net_total", p.net_total.to_string()}};
}

// The estimate (--order, at --at) against the final bill (--compare-with, at --final-at), each
// priced on the member's state at its own instant.
int run_bill_comparison(const price_options& o, const program_versions& versions, const journal_file& j,
                        const order_file& estimate_file) {
    const currency cur = versions.latest().currency_unit;
    order_file est = estimate_file;
    order_file fin = read_order(o.compare_with, o.member, o.final_at, "--final-at", "final", j, cur);
    // One member's order: the bill's member defaults to the estimate's, and the two may not differ.
    if (est.has_member && fin.has_member && est.e.member != fin.e.member)
        throw error("loyalty.cli.member_mismatch", "/member",
                    o.compare_with + ": the final bill is for member '" + fin.e.member + "', the estimate for '" +
                        est.e.member + "'");
    if (est.has_member && !fin.has_member) fin.e.member = est.e.member, fin.has_member = true;
    if (fin.has_member && !est.has_member) est.e.member = fin.e.member, est.has_member = true;
    const priced_order estimate = price(versions, state_at(versions, j, est.e, true), est.ro(), est.e.at);
    const priced_order final_bill = price(versions, state_at(versions, j, fin.e, true), fin.ro(), fin.e.at);
    const bill_comparison c = compare(estimate, final_bill);

    const auto line_of = [&](const bill_difference& d) {
        return line_name(d.final_line ? final_bill.lines[*d.final_line].line : estimate.lines[*d.estimate_line].line);
    };
    if (o.out == format::json) {
        json doc{{"member", est.e.member},
                 {"currency", std::string(cur.code())},
                 {"estimate", side_json(est, estimate)},
                 {"final", side_json(fin, final_bill)},
                 {"same", c.same()},
                 {"estimate_total", c.estimate_total.to_string()},
                 {"final_total", c.final_total.to_string()},
                 {"change", c.change.to_string()},
                 {"differences", json::array()}};
        for (const bill_difference& d : c.differences) {
            json q = json::array();
            for (const quota_change& x : d.quota_changes)
                q.push_back({{"benefit", x.benefit},
                             {"used_up", x.used_up()},
                             {"used_in_between", x.used_since() ? json(*x.used_since()) : json(nullptr)},
                             {"estimate", quota_json(x.at_estimate, x.estimate_uses, x.estimate_discount)},
                             {"final", quota_json(x.at_final, x.final_uses, x.final_discount)}});
            doc["differences"].push_back(
                {{"kind", std::string(to_string(d.kind))},
                 {"estimate_line", d.estimate_line ? json(*d.estimate_line + 1) : json(nullptr)},
                 {"final_line", d.final_line ? json(*d.final_line + 1) : json(nullptr)},
                 {"line", line_of(d)},
                 {"estimate_net", d.estimate_net.to_string()},
                 {"final_net", d.final_net.to_string()},
                 {"change", (d.final_net - d.estimate_net).to_string()},
                 {"reason", d.reason},
                 {"quota_changes", q}});
        }
        std::cout << doc.dump(2) << "\n";
        return exit_ok;
    }
    table t({"est #", "bill #", "line", "difference", "estimate", "final", "change", "why"});
    for (const bill_difference& d : c.differences) {
        // The reason starts with the line's name, which has its own column in the table.
        const std::string name = line_of(d);
        std::string why = d.reason;
        if (o.out == format::table && why.compare(0, name.size() + 2, name + ": ") == 0) why = why.substr(name.size() + 2);
        else if (o.out == format::table && why.compare(0, name.size() + 1, name + " ") == 0) why = why.substr(name.size() + 1);
        t.add({one_based(d.estimate_line), one_based(d.final_line), name, std::string(to_string(d.kind)),
               d.estimate_net.to_string(), d.final_net.to_string(), signed_money(d.final_net - d.estimate_net), why});
    }
    if (o.out == format::csv) {
        t.print_csv(std::cout);
        return exit_ok;
    }
    const auto ro_text = [](const order_file& f) {
        return f.ro().number.empty() ? std::string("(no RO number)") : f.ro().number;
    };
    const auto prog_text = [](const priced_order& p) { return p.program + " v" + std::to_string(p.version); };
    std::cout << "Estimate " << ro_text(est) << " at " << zone_at(versions, est.e.at).format_local(est.e.at)
              << " against the final bill " << ro_text(fin) << " at " << zone_at(versions, fin.e.at).format_local(fin.e.at)
              << " for "
              << (est.e.member.empty() ? std::string("a member with no history") : est.e.member) << " (programme "
              << prog_text(estimate)
              << (prog_text(estimate) == prog_text(final_bill) ? "" : " and " + prog_text(final_bill)) << ", "
              << cur.code() << ")\n";
    if (c.same())
        std::cout << "The final bill agrees with the estimate line by line.\n";
    else
        t.print(std::cout, "  ");
    std::cout << "estimate " << c.estimate_total.to_string() << ", final bill " << c.final_total.to_string()
              << ", difference " << signed_money(c.change) << "\n";
    return exit_ok;
}

}  // namespace

void add_price(CLI::App& app, int& result) {
    auto o = std::make_shared<price_options>();
    CLI::App* cmd = app.add_subcommand("price", "price a repair order with the member's benefits");
    set_help_example(*cmd, "loyalty price -p examples/programs/4s-club.json -e examples/events/4s-club-2025-2026.jsonl --order tests/cli/order-wax.json --member M001 --at 2025-12-01T10:00:00+08:00");
    add_source_options(*cmd, o->src, false);
    cmd->add_option("--order,-o", o->order, "repair order JSON (an event of type repair_order, or its body)")->required();
    cmd->add_option("--member,-m", o->member, "the member (default: the order's \"member\")");
    cmd->add_option("--at", o->at, "price as of this instant (default: the order's \"at\", else the journal's last)");
    CLI::Option* bill =
        cmd->add_option("--compare-with", o->compare_with,
                        "the final bill (a repair order JSON): compare it with the estimate --order, line by line");
    cmd->add_option("--final-at", o->final_at,
                    "price the final bill as of this instant (default: the bill's \"at\", else the journal's last)")
        ->needs(bill);
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded(o->out, [&] { return run_price(*o); }); });
}

}  // namespace loyalty::cli
