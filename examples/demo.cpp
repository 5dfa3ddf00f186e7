// loyalty-demo: runs the reference 4S club programme over a small journal and prints, for each
// member, the balance, the lots with their expiry and the ledger with the reason for every entry.
//
//   loyalty-demo                          the compiled-in programme and journal
//   loyalty-demo PROGRAM.json EVENTS.jsonl
//   ... --ledger-out FILE                 also writes the ledger as JSON lines
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "loyalty/audit/verify.hpp"
#include "loyalty/benefit/compare.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_json.hpp"

std::string_view reference_events_jsonl();

namespace {

std::string local_date(const loyalty::program& p, loyalty::instant t) { return loyalty::format_day(p.zone.local_day(t)); }

void print_member(const loyalty::program& p, const loyalty::member_state& s, const std::vector<loyalty::ledger_entry>& entries) {
    const loyalty::instant now = s.last_event_at;
    std::printf("\nMember %s  (member since %s)\n", s.member.c_str(), loyalty::format_day(s.member_since).c_str());
    std::printf("  balance %lld pt: available %lld, pending %lld, debt %lld  (as of %s)\n",
                static_cast<long long>(s.balance().count()), static_cast<long long>(s.available(now).count()),
                static_cast<long long>(s.pending(now).count()), static_cast<long long>(s.debt.count()),
                local_date(p, now).c_str());
    std::printf("  lots:\n");
    for (const loyalty::lot& l : s.all_lots())  // spent ones too
        std::printf("    %-24s earned %s  expires %s  %6lld earned %6lld left %6lld expired\n", l.id.c_str(),
                    loyalty::format_day(l.earned_on).c_str(),
                    l.expires_on ? loyalty::format_day(*l.expires_on).c_str() : "never     ",
                    static_cast<long long>(l.earned.count()), static_cast<long long>(l.remaining.count()),
                    static_cast<long long>(l.expired.count()));
    std::printf("  ledger:\n    %3s  %-10s  %-8s  %-11s %7s %8s  %s\n", "seq", "date", "event", "kind", "points", "balance",
                "reason");
    for (const loyalty::ledger_entry& e : entries)
        std::printf("    %3lld  %s  %-8s  %-11s %+7lld %8lld  %s\n", static_cast<long long>(e.seq),
                    local_date(p, e.at).c_str(), e.event.c_str(), std::string(loyalty::to_string(e.kind)).c_str(),
                    static_cast<long long>(e.amount.count()), static_cast<long long>(e.balance.count()), e.reason.c_str());
}

void print_priced(const char* title, const loyalty::priced_order& o) {
    std::printf("  %s (%s v%lld): list %s, benefits -%s, to pay %s; earns %lld pt\n", title, o.program.c_str(),
                static_cast<long long>(o.version), o.list_total.to_string().c_str(), o.discount_total.to_string().c_str(),
                o.net_total.to_string().c_str(), static_cast<long long>(o.points_total.count()));
    for (const loyalty::priced_line& l : o.lines) {
        std::printf("    %-6s %-11s %-11s %4s x %8s = %9s -> %9s\n", std::string(loyalty::to_string(l.line.kind)).c_str(),
                    l.line.category.c_str(), l.line.operation.c_str(), l.line.quantity.to_string().c_str(),
                    l.line.unit_price.to_string().c_str(), l.list.to_string().c_str(), l.net.to_string().c_str());
        for (const loyalty::price_adjustment& a : l.adjustments) std::printf("             %s\n", a.reason.c_str());
        for (const std::string& n : l.notes) std::printf("             (%s)\n", n.c_str());
    }
}

// An estimate and the final bill of one visit, priced by the same function, and why they differ.
void print_estimate_and_bill(const loyalty::program_versions& versions, const loyalty::member_state& s) {
    using namespace loyalty;
    const instant when = s.last_event_at + std::chrono::hours(24);
    const currency cur = versions.latest().currency_unit;
    auto line = [&](line_kind k, const char* category, const char* op, const char* qty, const char* price) {
        repair_order_line l;
        l.kind = k;
        l.category = category;
        l.operation = op;
        l.quantity = *decimal::parse(qty);
        l.unit_price = *money::parse(price, cur);
        return l;
    };
    events::repair_order estimate;
    estimate.number = "RO-27-0202";
    estimate.status = events::ro_status::estimate;
    estimate.lines = {line(line_kind::labour, "maintenance", "SERVICE-B", "2", "300.00"),
                      line(line_kind::labour, "maintenance", "OIL-CHANGE", "1", "120.00"),
                      line(line_kind::part, "maintenance", "OIL-5W30-1L", "4", "68.50"),
                      line(line_kind::part, "filters", "OIL-FILTER", "1", "45.00"),
                      line(line_kind::labour, "care", "WAX-FULL", "1", "280.00")};
    events::repair_order final_bill = estimate;
    final_bill.status = events::ro_status::closed;
    final_bill.lines[0].quantity = *decimal::parse("2.5");  // the job took longer
    final_bill.lines[2].quantity = *decimal::parse("5");    // one more litre of oil
    final_bill.lines.push_back(line(line_kind::part, "brakes", "BRAKE-PADS-F", "1", "420.00"));
    const priced_order e = price(versions, s, estimate, when);
    const priced_order f = price(versions, s, final_bill, when);
    std::printf("\nEstimate and final bill for %s on %s\n", s.member.c_str(),
                format_day(versions.latest().zone.local_day(when)).c_str());
    print_priced("estimate", e);
    print_priced("final bill", f);
    const bill_comparison c = compare(e, f);
    std::printf("  why the bill differs from the estimate (%s -> %s, %s):\n", c.estimate_total.to_string().c_str(),
                c.final_total.to_string().c_str(), c.change.to_string().c_str());
    for (const bill_difference& d : c.differences) std::printf("    %s\n", d.reason.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string> paths;
        std::string ledger_out;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--ledger-out" && i + 1 < argc) ledger_out = argv[++i];
            else paths.push_back(arg);
        }
        if (paths.size() != 0 && paths.size() != 2) {
            std::cerr << "usage: loyalty-demo [PROGRAM.json EVENTS.jsonl] [--ledger-out FILE]\n";
            return 2;
        }
        const loyalty::program prog = paths.size() == 2 ? loyalty::io::load_program_file(paths[0])
                                                        : loyalty::io::load_program(loyalty::io::reference_program_json());
        const std::vector<loyalty::event> journal =
            paths.size() == 2 ? loyalty::io::load_journal_file(paths[1], prog.currency_unit)
                              : loyalty::io::load_journal(reference_events_jsonl(), prog.currency_unit);
        const loyalty::program_versions versions(prog);
        const loyalty::journal_runner run = loyalty::replay(versions, journal);

        std::printf("%s (%s v%lld), %s, %s\n", prog.name.c_str(), prog.id.c_str(), static_cast<long long>(prog.version),
                    std::string(prog.currency_unit.code()).c_str(), std::string(prog.zone.name()).c_str());
        std::printf("%zu events: %zu applied, %zu refused; %zu ledger entries\n", journal.size(),
                    journal.size() - run.refusals().size(), run.refusals().size(), run.entries().size());
        for (const auto& [id, state] : run.members()) print_member(prog, state, run.entries_of(id));
        if (!run.refusals().empty()) {
            std::printf("\nRefused events (nothing applied, nothing lost):\n");
            for (const loyalty::refused_event& r : run.refusals())
                std::printf("  %s (%s): %s: %s\n", r.event.c_str(), r.member.c_str(),
                            std::string(loyalty::to_string(r.code)).c_str(), r.message.c_str());
        }
        if (!ledger_out.empty()) {
            std::ofstream out(ledger_out, std::ios::binary);
            out << loyalty::io::ledger_to_jsonl(run.entries());
            if (!out) throw loyalty::error("loyalty.io.cannot_write", "cannot write '" + ledger_out + "'");
        }
        if (run.members().count("M001")) print_estimate_and_bill(versions, run.members().at("M001"));
        const loyalty::verification_report report = loyalty::verify(versions, journal, run.entries());
        std::printf("\nAudit: %zu members, %zu entries: %s\n", report.members, report.entries,
                    report.ok() ? "every hash chain verifies and a replay from scratch reproduces the ledger"
                                : "PROBLEMS FOUND");
        for (const auto& p : report.problems) std::printf("  %s #%lld: %s\n", p.member.c_str(), static_cast<long long>(p.seq), p.problem.c_str());
        return report.ok() ? 0 : 1;
    } catch (const loyalty::error& e) {
        std::cerr << "loyalty-demo: " << e.what() << "\n";
        return 1;
    }
}
