// loyalty.Program: a validated programme (one version).
#include "common.hpp"

#include "loyalty/io/program_to_json.hpp"

namespace loyalty::python {

namespace {

// The programme in the documented format (io::program_to_json); indent < 0: one line.
std::string program_text(const program& p, int indent) { return io::program_to_json(p).dump(indent); }

std::shared_ptr<program> program_of_text(const std::string& text) { return std::make_shared<program>(io::load_program(text)); }

}  // namespace

void register_program(py::module_& m) {
    // Methods' docstrings start with their text signature (register_state.cpp says why).
    py::options options;
    options.disable_function_signatures();
    py::class_<program, std::shared_ptr<program>>(m, "Program",
        "A validated programme version: rules, benefits, expiry. Load it with from_json, from_dict, "
        "from_file or reference(); a bad programme raises ProgramError naming the field.")
        .def_static("from_json", [](const std::string& text) { return std::make_shared<program>(io::load_program(text)); },
                    py::arg("text"), "from_json(text)\n--\n\nLoads a programme from JSON text.")
        .def_static("from_file", [](const py::object& path) {
                        const auto p = py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>();
                        return std::make_shared<program>(io::load_program_file(p));
                    },
                    py::arg("path"), "from_file(path)\n--\n\nLoads a programme from a JSON file (a str or path-like).")
        .def_static("from_dict", [](const py::dict& d) {
                        const auto text = py::module_::import("loyalty._convert").attr("program_json")(d).cast<std::string>();
                        return std::make_shared<program>(io::load_program(text));
                    },
                    py::arg("document"), "from_dict(document)\n--\n\nLoads a programme from a dict (as json.loads gives it).")
        .def_static("reference", [] { return std::make_shared<program>(io::load_program(io::reference_program_json())); },
                    "reference()\n--\n\nThe reference 4S club programme compiled into the library.")
        .def_static("reference_json", [] { return std::string(io::reference_program_json()); },
                    "reference_json()\n--\n\nThe JSON text of the reference programme.")
        .def_property_readonly("id", [](const program& p) { return p.id; }, "The programme's id (str); every ledger entry names it.")
        .def_property_readonly("version", [](const program& p) { return p.version; }, "The version (int, >= 1).")
        .def_property_readonly("name", [](const program& p) { return p.name; }, "The name for people (str).")
        .def_property_readonly("currency", [](const program& p) { return std::string(p.currency_unit.code()); },
                               "The ISO 4217 code of the programme's currency (str, 'CNY').")
        .def_property_readonly("time_zone", [](const program& p) { return std::string(p.zone.name()); },
                               "The IANA time zone its business days are local to (str, 'Asia/Shanghai').")
        .def_property_readonly("effective_from", [](const program& p) { return py_instant(p.effective_from); },
                               "When this version takes effect (an aware datetime, UTC).")
        .def_property_readonly("pending_days", [](const program& p) { return p.pending_days; },
                               "Local days points stay pending after the event (int).")
        .def_property_readonly("earning_rules", [](const program& p) {
            std::vector<std::string> ids;
            for (const earning_rule& r : p.earning_rules) ids.push_back(r.id);
            return ids;
        }, "Ids of the earning rules, in programme order.")
        .def_property_readonly("benefits", [](const program& p) {
            std::vector<std::string> ids;
            for (const benefit& b : p.benefits) ids.push_back(b.id);
            return ids;
        }, "Ids of the benefits, in programme order.")
        .def_property_readonly("digest", [](const program& p) { return io::program_digest(p); },
            "SHA-256 (64 hex digits) of the programme's canonical JSON: tells apart two programmes with the same "
            "id and version but other rules (the CLI shows its first 12 digits beside the id and version).")
        .def("to_json", [](const program& p, const py::object& indent) {
                 return program_text(p, indent.is_none() ? -1 : indent.cast<int>());
             }, py::arg("indent") = py::none(),
             "to_json(self, /, indent=None)\n--\n\nThe programme as JSON text in the documented format (docs/program-format.md), every field "
             "written out: rates and money as exact decimal strings, instants in UTC. "
             "Program.from_json(p.to_json()) is the same programme. The top-level description is not kept.")
        .def("to_dict", [](const program& p) {
                 return py::module_::import("json").attr("loads")(program_text(p, -1));
             },
             "to_dict(self, /)\n--\n\nThe programme as a dict (json.loads of to_json()): rates and money stay exact strings.")
        .def("__eq__", [](const program& a, const py::object& b) -> py::object {
            if (!py::isinstance<program>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(io::program_to_json(a) == io::program_to_json(b.cast<const program&>()));
        }, "Programmes are equal when every field is (their to_json() is the same).")
        .def("__hash__", [](const program& p) { return std::hash<std::string>{}(program_text(p, -1)); })
        .def(py::pickle([](const program& p) { return program_text(p, -1); },
                        [](const std::string& text) { return program_of_text(text); }))
        .def("__repr__", [](const program& p) {
            return "<loyalty.Program " + p.id + " v" + std::to_string(p.version) + " (" +
                   std::string(p.currency_unit.code()) + ", " + std::string(p.zone.name()) + ")>";
        });
}

}  // namespace loyalty::python
