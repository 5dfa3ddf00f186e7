// Pricing a repair order with a member's benefits: every line's list amount, what the member
// pays, which benefit gave what and why, and the points the order would earn.
#include <iostream>

#include "loyalty/benefit/price.hpp"
#include "loyalty/engine/apply.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

int main() {
    using namespace loyalty;
    const program_versions club(io::load_program(io::reference_program_json()));
    const currency cny = club.latest().currency_unit;
    const outcome joined = apply(
        club, member_state("M001"),
        io::load_event(R"({"id":"e1","member":"M001","at":"2025-05-06T09:00:00+08:00","type":"enrol"})", cny));

    // An estimate: labour 800.00 and parts 1,200.00, of which 400.00 are filters.
    const event estimate = io::load_event(R"({"id":"q1","member":"M001","at":"2025-05-06T10:00:00+08:00",
        "type":"repair_order","status":"estimate","lines":[
          {"kind":"labour","category":"maintenance","operation":"SERVICE-B","unit_price":"800.00"},
          {"kind":"part","category":"engine","operation":"TIMING-BELT","unit_price":"800.00"},
          {"kind":"part","category":"filters","operation":"FILTER-SET","unit_price":"400.00"}]})", cny);
    const priced_order o =
        price(club, joined.state, std::get<events::repair_order>(estimate.body), estimate.at);
    for (const priced_line& l : o.lines) {
        std::cout << l.line.operation << ": " << l.list.to_string() << " -> " << l.net.to_string() << "\n";
        for (const price_adjustment& a : l.adjustments) std::cout << "  " << a.reason << "\n";
    }
    // 800.00 x 0.7 + 800.00 + 400.00 x 0.9 = 560.00 + 800.00 + 360.00
    std::cout << "to pay " << o.net_total.to_string() << ", earns " << o.points_total << "\n";
    return o.net_total == money(172000, cny) ? 0 : 1;
}
