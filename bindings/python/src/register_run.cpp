// Whole journals: run (replay) events through the engine with the GIL released, one crossing
// per batch; verify a stored ledger against a journal.
#include "common.hpp"

namespace loyalty::python {

namespace {

// The result of a run, kept in C++; loyalty.Ledger converts entries to Python on demand.
struct run_result {
    explicit run_result(program_versions v) : runner(std::move(v)) {}
    journal_runner runner;
    std::size_t events = 0;
};

std::unique_ptr<run_result> run_events(const engine& eng, std::vector<event> journal) {
    auto out = std::make_unique<run_result>(eng.versions);
    out->events = journal.size();
    for (const event& e : journal) out->runner.apply(e);
    return out;
}

}  // namespace

void register_run(py::module_& m) {
    py::class_<run_result>(m, "Run", "The result of Engine.run; wrapped by loyalty.Ledger.")
        .def_property_readonly("events", [](const run_result& r) { return r.events; })
        .def("entries", [](const run_result& r) { return entries_tuple(r.runner.entries()); })
        .def("entries_of", [](const run_result& r, const std::string& member) {
            return entries_tuple(r.runner.entries_of(member));
        }, py::arg("member"))
        .def("members", [](const run_result& r) {
            py::dict out;
            for (const auto& [id, state] : r.runner.members()) out[py::str(id)] = py::cast(state);
            return out;
        })
        .def("refusals", [](const run_result& r) {
            py::list out;
            for (const refused_event& x : r.runner.refusals()) {
                py::dict d;
                d["event"] = x.event;
                d["member"] = x.member;
                d["code"] = std::string(to_string(x.code));
                d["message"] = x.message;
                out.append(make_value("Refusal", d));
            }
            return py::tuple(out);
        })
        .def("to_jsonl", [](const run_result& r) { return io::ledger_to_jsonl(r.runner.entries()); },
             "The ledger as JSON lines (the format of docs/ledger.md).");

    m.def("run_jsonl", [](const engine& eng, const std::string& text) {
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;  // parsing and the whole run happen without the GIL
            out = run_events(eng, io::load_journal(text, eng.currency_unit));
        }
        return out;
    }, py::arg("engine"), py::arg("jsonl_text"));

    m.def("run_file", [](const engine& eng, const std::string& path) {
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;
            out = run_events(eng, io::load_journal_file(path, eng.currency_unit));
        }
        return out;
    }, py::arg("engine"), py::arg("path"));

    m.def("verify", [](const engine& eng, const std::string& journal_text, const std::string& ledger_text) {
        verification_report report;
        {
            py::gil_scoped_release release;
            report = verify(eng.versions, io::load_journal(journal_text, eng.currency_unit), io::load_ledger(ledger_text));
        }
        py::list problems;
        for (const verification_problem& p : report.problems) {
            py::dict d;
            d["member"] = p.member;
            d["seq"] = p.seq;
            d["problem"] = p.problem;
            problems.append(make_value("VerificationProblem", d));
        }
        py::dict d;
        d["members"] = report.members;
        d["entries"] = report.entries;
        d["problems"] = py::tuple(problems);
        return make_value("VerificationReport", d);
    }, py::arg("engine"), py::arg("journal_jsonl"), py::arg("ledger_jsonl"));
}

}  // namespace loyalty::python
