// Pricing a repair order with the member's benefits, and comparing an estimate with the bill.
#include "common.hpp"

namespace loyalty::python {

void register_price(py::module_& m) {
    m.def("price", [](const engine& eng, const member_state& state, const std::string& event_json, const py::object& at) {
        const event e = io::load_event(event_json, eng.currency_unit);
        const priced_order o =
            price(eng.versions, state, e, at.is_none() ? std::nullopt : std::optional<instant>(instant_of(at)));
        return priced_order_value(o, eng.currency_unit);
    }, py::arg("engine"), py::arg("state"), py::arg("event_json"), py::arg("at") = py::none());

    m.def("compare", [](const py::object& estimate, const py::object& final_bill) {
        const priced_order est = priced_order_of(estimate);
        const priced_order fin = priced_order_of(final_bill);
        const bill_comparison c = compare(est, fin);
        py::list differences;
        for (const bill_difference& x : c.differences) {
            py::dict d;
            d["kind"] = std::string(to_string(x.kind));
            d["estimate_line"] = x.estimate_line ? py::object(py::int_(*x.estimate_line)) : py::object(py::none());
            d["final_line"] = x.final_line ? py::object(py::int_(*x.final_line)) : py::object(py::none());
            d["estimate_net"] = py_money(x.estimate_net);
            d["final_net"] = py_money(x.final_net);
            d["reason"] = x.reason;
            py::list quotas;
            for (const quota_change& q : x.quota_changes) {
                py::dict qd;
                qd["benefit"] = q.benefit;
                qd["at_estimate"] = quota_seen_value(q.at_estimate);
                qd["at_final"] = quota_seen_value(q.at_final);
                qd["estimate_uses"] = q.estimate_uses;
                qd["final_uses"] = q.final_uses;
                qd["estimate_discount"] = py_money(q.estimate_discount);
                qd["final_discount"] = py_money(q.final_discount);
                qd["used_up"] = q.used_up();
                qd["used_in_between"] = q.used_since() ? py::object(py::int_(*q.used_since())) : py::object(py::none());
                quotas.append(make_value("QuotaChange", qd));
            }
            d["quota_changes"] = py::tuple(quotas);
            differences.append(make_value("BillDifference", d));
        }
        py::dict d;
        d["currency"] = std::string(c.final_total.currency_of().code());
        d["differences"] = py::tuple(differences);
        d["estimate_total"] = py_money(c.estimate_total);
        d["final_total"] = py_money(c.final_total);
        d["change"] = py_money(c.change);
        return make_value("BillComparison", d);
    }, py::arg("estimate"), py::arg("final_bill"));
}

}  // namespace loyalty::python
