// loyalty price --order RO.json: a priced estimate, every line with its reason, using the
// member's state after the journal.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "common.hpp"
#include "loyalty/benefit/price.hpp"
#include "loyalty/io/event_json.hpp"

namespace loyalty::cli {

namespace {

struct price_options {
    source_options src;
    std::string order;
    std::string member;
    std::string at;
    format out = format::table;
};

std::string line_text(const repair_order_line& l) {
    std::string s = std::string(to_string(l.kind)) + " " + l.category;
    if (!l.operation.empty()) s += " " + l.operation;
    return s;
}

int run_price(const price_options& o) {
    const program_versions versions = load_programs(o.src.programs);
    const currency cur = versions.latest().currency_unit;
    journal_file j;
    if (!o.src.events.empty()) {
        j = read_journal(o.src.events, cur);
        if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    }
    // The order: a repair_order event, or just its body; missing id/member/at/type are filled in.
    std::ifstream in(o.order, std::ios::binary);
    if (!in) throw error("loyalty.io.cannot_open", "cannot open '" + o.order + "'");
    std::ostringstream text;
    text << in.rdbuf();
    json doc = io::parse_exact(text.str());
    if (!doc.is_object()) throw error("loyalty.event.not_an_object", "/", o.order + ": an order is a JSON object");
    if (!doc.contains("type")) doc["type"] = "repair_order";
    if (!doc.contains("id")) doc["id"] = "estimate";
    if (!o.member.empty()) doc["member"] = o.member;
    const bool has_member = doc.contains("member");
    if (!has_member) doc["member"] = "(none)";
    if (!o.at.empty()) doc["at"] = format_instant(parse_instant_option(o.at, "--at"));
    if (!doc.contains("at")) {
        instant last{};
        for (const journal_item& i : j.items) last = std::max(last, i.at());
        if (j.items.empty()) throw error("loyalty.cli.missing_instant", "the order has no \"at\": give --at");
        doc["at"] = format_instant(last);
    }
    event e;
    try {
        e = io::event_from_json(doc, cur);
    } catch (const error& err) {
        throw error(err.id(), err.pointer(), o.order + ": " + err.message());
    }
    const auto* ro = std::get_if<events::repair_order>(&e.body);
    if (!ro) throw error("loyalty.cli.not_a_repair_order", "/type", o.order + ": the order is not a repair_order");

    if (!has_member) e.member.clear();
    member_state state(e.member);
    if (!e.member.empty()) {
        const auto run = replay_items(versions, j.items, j.items.size(), false,
                                      [&](const journal_item& i) { return i.at() <= e.at; });
        const auto found = run->runner.members().find(e.member);
        if (found == run->runner.members().end())
            throw error("loyalty.cli.unknown_member", "member '" + e.member + "' has no accepted events in the journal");
        state = found->second;
    }
    const priced_order p = price(versions, state, *ro, e.at);

    if (o.out == format::json) {
        json doc_out{{"program", p.program}, {"version", p.version}, {"member", e.member}, {"at", format_instant(e.at)},
                     {"ro", ro->number}, {"lines", json::array()}, {"list_total", p.list_total.to_string()},
                     {"discount_total", p.discount_total.to_string()}, {"net_total", p.net_total.to_string()},
                     {"currency", std::string(p.net_total.currency_of().code())}, {"points", json::object()},
                     {"points_total", p.points_total.count()}};
        for (const priced_line& l : p.lines) {
            json line{{"line", line_text(l.line)}, {"quantity", l.line.quantity.to_string()},
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
        t.add({std::to_string(i + 1), line_text(l.line), l.line.quantity.to_string(), l.list.to_string(),
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
              << format_instant(e.at) << " (programme " << p.program << " v" << p.version << ", "
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

}  // namespace

void add_price(CLI::App& app, int& result) {
    auto o = std::make_shared<price_options>();
    CLI::App* cmd = app.add_subcommand("price", "price a repair order with the member's benefits");
    add_source_options(*cmd, o->src, false);
    cmd->add_option("--order,-o", o->order, "repair order JSON (an event of type repair_order, or its body)")->required();
    cmd->add_option("--member,-m", o->member, "the member (default: the order's \"member\")");
    cmd->add_option("--at", o->at, "price as of this instant (default: the order's \"at\", else the journal's last)");
    add_format_options(*cmd, o->out, true);
    cmd->callback([o, &result] { result = guarded([&] { return run_price(*o); }); });
}

}  // namespace loyalty::cli
