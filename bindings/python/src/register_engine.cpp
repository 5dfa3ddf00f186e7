// The engine: apply one event to a member's state (pure: the caller's state is not changed).
#include "common.hpp"

namespace loyalty::python {

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
            outcome out = apply(eng.versions, state, e);
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
            return make_value("Outcome", d);
        }, py::arg("state"), py::arg("event_json"), "Applies one event (JSON text) to `state`; returns a loyalty.Outcome.");
}

}  // namespace loyalty::python
