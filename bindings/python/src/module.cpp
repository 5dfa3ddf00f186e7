// loyalty._core: the compiled half of the Python package `loyalty`.
#include "common.hpp"

namespace {

namespace py = pybind11;

// loyalty::error -> loyalty.ProgramError / EventError / Error (all ValueError), with the
// error's id, JSON pointer and, when read from a file or a journal, its file, line and column.
// The exception classes live in loyalty/_errors.py.
void translate(std::exception_ptr p) {
    try {
        if (p) std::rethrow_exception(p);
    } catch (const loyalty::error& e) {
        const std::string& id = e.id();
        const char* type = id.rfind("loyalty.program.", 0) == 0 ? "ProgramError"
                           : id.rfind("loyalty.event.", 0) == 0 ? "EventError"
                                                                 : "Error";
        py::object cls = py::module_::import("loyalty._errors").attr(type);
        const auto known = [](std::size_t n) { return n > 0 ? py::object(py::int_(n)) : py::object(py::none()); };
        py::object exc = cls(e.what(), py::arg("error_id") = id, py::arg("pointer") = e.pointer(),
                             py::arg("message") = e.message(), py::arg("file") = e.file(),
                             py::arg("line") = known(e.line()), py::arg("column") = known(e.column()));
        PyErr_SetObject(cls.ptr(), exc.ptr());
    }
}

}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "Compiled core of the loyalty package; use the `loyalty` package, not this module.";
    m.attr("__version__") = LOYALTY_VERSION;
    py::register_exception_translator(&translate);
    loyalty::python::register_program(m);
    loyalty::python::register_state(m);
    loyalty::python::register_engine(m);
    loyalty::python::register_run(m);
    loyalty::python::register_price(m);
    loyalty::python::register_member_value(m);
}
