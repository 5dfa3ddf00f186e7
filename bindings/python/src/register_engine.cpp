// The engine: apply one event to a member's state (pure: the caller's state is not changed).
#include "common.hpp"

namespace loyalty::python {

namespace {

py::object outcome_value(outcome out) {
    py::dict d;
    d["accepted"] = out.accepted();
    d["refused"] = out.accepted() ? py::object(py::none()) : py::object(py::str(std::string(to_string(out.refused))));
    d["message"] = out.message;
    d["backdated"] = out.backdated;
    d["entries"] = entries_tuple(out.entries);
    py::tuple trace(out.trace.size());
    for (std::size_t i = 0; i < out.trace.size(); ++i) trace[i] = trace_value(out.trace[i]);
    d["trace"] = trace;
    d["state"] = py::cast(std::move(out.state));
    if (out.referral) {
        py::dict r;
        r["referrer"] = out.referral->referrer;
        r["qualifying_event"] = out.referral->qualifying_event;
        r["claw_back"] = out.referral->claw_back;
        d["referral"] = make_value("Referral", r);
    } else {
        d["referral"] = py::none();
    }
    if (out.account) {
        const account_move& a = *out.account;
        py::dict r;
        r["what"] = a.what == account_move::kind::join ? "join" : a.what == account_move::kind::leave ? "leave" : "spend";
        r["account"] = a.account;
        r["member"] = a.member;
        r["event"] = a.event;
        r["on"] = py_day(a.on);
        r["amount"] = py_money(a.amount);
        d["account"] = make_value("AccountMove", r);
    } else {
        d["account"] = py::none();
    }
    return make_value("Outcome", d);
}

}  // namespace

void register_engine(py::module_& m) {
    py::class_<engine>(m, "Engine", "Every version of one programme; wrapped by loyalty.Engine.")
        .def(py::init([](const std::vector<std::shared_ptr<program>>& programs) {
                 if (programs.empty()) throw py::value_error("an Engine needs at least one Program");
                 engine e;
                 for (const auto& p : programs) {
                     if (!p) throw py::type_error("expected loyalty.Program, got None");
                     e.versions.add(*p);
                 }
                 e.currency_unit = e.versions.latest().currency_unit;
                 return e;
             }),
             py::arg("programs"))
        .def_property_readonly("currency", [](const engine& e) { return std::string(e.currency_unit.code()); })
        .def_property_readonly("versions", [](const engine& e) { return e.versions.size(); })
        .def("program_at", [](const engine& e, const py::object& at) -> py::object {
            const program* p = e.versions.at(instant_of(at));
            if (!p) return py::none();
            return py::cast(std::make_shared<program>(*p));
        }, py::arg("at"))
        .def("latest", [](const engine& e) { return std::make_shared<program>(e.versions.latest()); })
        .def("apply", [](const engine& eng, const member_state& state, const std::string& event_json) {
            const event e = io::load_event(event_json, eng.currency_unit);
            return outcome_value(apply(eng.versions, state, e));
        }, py::arg("state"), py::arg("event_json"), "Applies one event (JSON text) to `state`; returns a loyalty.Outcome.")
        .def("apply_referral", [](const engine& eng, const member_state& referrer, const std::string& event_json,
                                  const std::string& to, const std::string& qualifying_event, bool claw_back) {
            const event e = io::load_event(event_json, eng.currency_unit);
            if (!eng.versions.at(e.at))
                throw error("loyalty.engine.no_program", "no programme version is in force at " + format_instant(e.at));
            outcome out;
            out.referral = referral_settlement{to, qualifying_event, claw_back};
            member_state next = referrer;
            settle_referral_in_place(eng.versions, next, e, out);
            out.referral.reset();  // posted now
            out.state = std::move(next);
            return outcome_value(std::move(out));
        }, py::arg("referrer"), py::arg("event_json"), py::arg("to"), py::arg("qualifying_event"), py::arg("claw_back"),
           "Posts the referrer's side of a referral (see loyalty.Engine.apply_referral).");
}

}  // namespace loyalty::python
