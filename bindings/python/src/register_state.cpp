// loyalty.MemberState: a member's state between events (read-only from Python).
#include "common.hpp"

namespace loyalty::python {

void register_state(py::module_& m) {
    py::class_<member_state>(m, "MemberState",
        "A member's state between events: lots, debt, usage. Immutable from Python; "
        "Engine.apply returns the next state in its Outcome.")
        .def(py::init<std::string>(), py::arg("member") = std::string(), "A state for a member who has not enrolled yet.")
        .def_property_readonly("member", [](const member_state& s) { return s.member; })
        .def_property_readonly("enrolled", [](const member_state& s) { return s.enrolled; })
        .def_property_readonly("member_since", [](const member_state& s) {
            return s.enrolled ? py_day(s.member_since) : py::object(py::none());
        })
        .def_property_readonly("vehicles", [](const member_state& s) { return py::tuple(py::cast(s.vehicles)); })
        .def_property_readonly("balance", [](const member_state& s) { return s.balance().count(); })
        .def_property_readonly("debt", [](const member_state& s) { return s.debt.count(); })
        .def_property_readonly("lots", [](const member_state& s) {
            py::tuple out(s.lots.size());
            for (std::size_t i = 0; i < s.lots.size(); ++i) out[i] = lot_value(s.lots[i]);
            return out;
        })
        .def_property_readonly("last_seq", [](const member_state& s) { return s.last_seq; })
        .def_property_readonly("last_hash", [](const member_state& s) { return s.last_hash; })
        .def("available", [](const member_state& s, const py::object& at) { return s.available(instant_of(at)).count(); },
             py::arg("at"), "Points that may be spent at `at` (an aware datetime): lots no longer pending, less debt.")
        .def("pending", [](const member_state& s, const py::object& at) { return s.pending(instant_of(at)).count(); },
             py::arg("at"), "Points still pending at `at` (an aware datetime).")
        .def("__eq__", [](const member_state& a, const py::object& b) -> py::object {
            if (!py::isinstance<member_state>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const member_state&>());
        })
        .def("__repr__", [](const member_state& s) {
            return "MemberState(member=" + std::string(py::repr(py::str(s.member))) + ", enrolled=" +
                   (s.enrolled ? "True" : "False") + ", balance=" + std::to_string(s.balance().count()) +
                   ", debt=" + std::to_string(s.debt.count()) + ", lots=" + std::to_string(s.lots.size()) + ")";
        });
    // Mutable internals (effects, usage) make a hash meaningless; states compare by value.
    m.attr("MemberState").attr("__hash__") = py::none();
}

}  // namespace loyalty::python
