// Whole journals: run (replay) events through the engine with the GIL released, one crossing
// per batch; verify a stored ledger against a journal.
#include "common.hpp"
#include "loyalty/engine/partition.hpp"

namespace loyalty::python {

namespace {

// The result of a run, kept in C++; loyalty.Ledger converts entries to Python on demand. A run
// on one thread keeps everything in `runner`; a run over several threads (a partitioned replay,
// engine/partition.hpp) keeps one runner per part, and the ledger and refusals put back in the
// order one thread gives them, so that both read the same.
struct run_result {
    explicit run_result(program_versions v) : runner(std::move(v)) {}
    journal_runner runner;
    std::vector<journal_runner> parts;
    std::vector<ledger_entry> part_entries;
    std::vector<refused_event> part_refusals;
    std::size_t events = 0;

    const std::vector<ledger_entry>& entries() const { return parts.empty() ? runner.entries() : part_entries; }
    const std::vector<refused_event>& refusals() const { return parts.empty() ? runner.refusals() : part_refusals; }
    std::vector<ledger_entry> entries_of(const std::string& member) const {
        if (parts.empty()) return runner.entries_of(member);
        for (const journal_runner& p : parts)
            if (p.members().count(member)) return p.entries_of(member);
        return {};
    }
    template <class F>
    void each_member(F&& f) const {
        if (parts.empty())
            for (const auto& [id, state] : runner.members()) f(id, state);
        for (const journal_runner& p : parts)
            for (const auto& [id, state] : p.members()) f(id, state);
    }
};

std::unique_ptr<run_result> run_events(const engine& eng, std::vector<event> journal, std::size_t threads) {
    auto out = std::make_unique<run_result>(eng.versions);
    out->events = journal.size();
    if (threads <= 1) {
        for (const event& e : journal) out->runner.apply(e);
        return out;
    }
    const journal_partition split = partition_journal(eng.versions, journal, threads);
    out->parts = replay_partitioned(eng.versions, journal, split);
    out->part_entries = ledger_in_journal_order(journal, split, out->parts);
    out->part_refusals = refusals_in_journal_order(journal, split, out->parts);
    return out;
}

std::size_t thread_count(long threads) {
    if (threads < 1) throw py::value_error("threads must be at least 1, not " + std::to_string(threads));
    return static_cast<std::size_t>(threads);
}

}  // namespace

void register_run(py::module_& m) {
    py::class_<run_result>(m, "Run", "The result of Engine.run; wrapped by loyalty.Ledger.")
        .def_property_readonly("events", [](const run_result& r) { return r.events; })
        .def("entries", [](const run_result& r) { return entries_tuple(r.entries()); })
        .def("entries_of", [](const run_result& r, const std::string& member) {
            return entries_tuple(r.entries_of(member));
        }, py::arg("member"))
        .def("members", [](const run_result& r) {
            py::dict out;
            r.each_member([&](const std::string& id, const member_state& state) { out[py::str(id)] = py::cast(state); });
            return out;
        })
        .def("refusals", [](const run_result& r) {
            py::list out;
            for (const refused_event& x : r.refusals()) {
                py::dict d;
                d["event"] = x.event;
                d["member"] = x.member;
                d["code"] = std::string(to_string(x.code));
                d["message"] = x.message;
                out.append(make_value("Refusal", d));
            }
            return py::tuple(out);
        })
        .def("to_jsonl", [](const run_result& r) { return io::ledger_to_jsonl(r.entries()); },
             "The ledger as JSON lines (the format of docs/ledger.md).");

    m.def("run_jsonl", [](const engine& eng, const std::string& text, long threads) {
        const std::size_t n = thread_count(threads);
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;  // parsing and the whole run happen without the GIL
            out = run_events(eng, io::load_journal(text, eng.currency_unit), n);
        }
        return out;
    }, py::arg("engine"), py::arg("jsonl_text"), py::arg("threads") = 1);

    m.def("run_file", [](const engine& eng, const std::string& path, long threads) {
        const std::size_t n = thread_count(threads);
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;
            out = run_events(eng, io::load_journal_file(path, eng.currency_unit), n);
        }
        return out;
    }, py::arg("engine"), py::arg("path"), py::arg("threads") = 1);

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
