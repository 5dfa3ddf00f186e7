// Whole journals: run (replay) events through the engine with the GIL released, one crossing
// per batch; verify a stored ledger against a journal.
#include <utility>

#include "common.hpp"
#include "loyalty/engine/partition.hpp"
#include "loyalty/io/atomic_file.hpp"
#include "loyalty/io/journal_lines.hpp"

namespace loyalty::python {

namespace {

// The result of a run, kept in C++; loyalty.Ledger converts entries to Python on demand. A run
// on one thread keeps everything in `runner`; a run over several threads (a partitioned replay,
// engine/partition.hpp) keeps one runner per part, and the ledger and refusals put back in the
// order one thread gives them, so that both read the same.
//
// A run that wrote its ledger to a file (`written_to`) keeps no entries: they are read back
// from the file when asked for.
struct run_result {
    // Engine.run keeps entries, states and refusals; its outcomes' traces are never read.
    explicit run_result(program_versions v) : runner(std::move(v)) { runner.set_explanation(explanation::none); }
    run_result(program_versions v, entry_list_sink sink) : runner(std::move(v), std::move(sink)) {
        runner.set_explanation(explanation::none);
    }
    journal_runner runner;
    std::vector<journal_runner> parts;
    std::vector<ledger_entry> part_entries;
    std::vector<refused_event> part_refusals;
    std::size_t events = 0;
    std::string written_to;  // the ledger file, when the run wrote one
    std::size_t written = 0;  // entries written to it

    std::vector<ledger_entry> entries_in_file() const { return io::load_ledger_file(written_to); }

    const std::vector<ledger_entry>& entries() const { return parts.empty() ? runner.entries() : part_entries; }
    const std::vector<refused_event>& refusals() const { return parts.empty() ? runner.refusals() : part_refusals; }
    std::vector<ledger_entry> entries_of(const std::string& member) const {
        if (!written_to.empty()) {
            std::vector<ledger_entry> out;
            for (ledger_entry& e : entries_in_file())
                if (e.member == member) out.push_back(std::move(e));
            return out;
        }
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

// Where a run's ledger goes: kept in the run, or (with a path) written to a file as the entries
// are written, through a temporary file renamed into place by finish(); the run then keeps none.
class ledger_output {
public:
    explicit ledger_output(const std::string& path) {
        if (!path.empty()) file_ = std::make_unique<io::atomic_file>(path);
    }
    // The run's sink writes through this object: the run applies events only while it lives
    // (run_events, run_file); a finished run is read, never applied to again.
    std::unique_ptr<run_result> new_run(const program_versions& versions) {
        if (!file_) return std::make_unique<run_result>(versions);
        // The engine's records, written from views of them (ledger/entry_list.hpp): no entry made.
        return std::make_unique<run_result>(versions, entry_list_sink{[this](const entry_list& es) {
                                                for (std::size_t i = 0; i < es.size(); ++i)
                                                    io::write_ledger_line(*file_, es.view(i));
                                                written_ += es.size();
                                            }});
    }
    void write(const std::vector<ledger_entry>& entries) {
        for (const ledger_entry& e : entries) io::write_ledger_line(*file_, e);
        written_ += entries.size();
    }
    // Commits the file (when there is one) and tells the run where its entries are.
    void finish(run_result& run) {
        if (!file_) return;
        if (!run.parts.empty()) {  // a partitioned run merges its parts' ledgers at the end
            write(run.part_entries);
            run.part_entries = {};
        }
        file_->commit();
        run.written_to = file_->path();
        run.written = written_;
    }

private:
    std::unique_ptr<io::atomic_file> file_;
    std::size_t written_ = 0;
};

std::unique_ptr<run_result> run_events(const engine& eng, const std::vector<event>& journal, std::size_t threads,
                                       const std::string& ledger_path) {
    ledger_output ledger(ledger_path);
    auto out = ledger.new_run(eng.versions);
    out->events = journal.size();
    if (threads <= 1) {
        for (const event& e : journal) out->runner.apply(e);
    } else {
        const journal_partition split = partition_journal(eng.versions, journal, threads);
        out->parts = replay_partitioned(eng.versions, journal, split);
        out->part_entries = ledger_in_journal_order(journal, split, out->parts);
        out->part_refusals = refusals_in_journal_order(journal, split, out->parts);
    }
    ledger.finish(*out);
    return out;
}

// A journal file streamed: one reading applies each event as it is read, so the run holds the
// members' states and not the journal. A malformed line raises (as load_journal does, with its
// line and the file) and the run is dropped: its ledger file, written through a temporary file
// renamed into place only by finish(), is left as it was. On several threads the parts need the
// whole journal in memory.
std::unique_ptr<run_result> run_file(const engine& eng, const std::string& path, std::size_t threads,
                                     const std::string& ledger_path) {
    if (threads > 1) return run_events(eng, io::load_journal_file(path, eng.currency_unit), threads, ledger_path);
    io::journal_lines lines(path);
    ledger_output ledger(ledger_path);
    auto out = ledger.new_run(eng.versions);
    std::string_view text;
    // Each event is read one line early, so that its member's state is fetched while the event
    // before it is applied (journal_runner::prefetch(), as `loyalty run` does).
    event held, next;
    bool holding = false;
    while (lines.next(text)) {
        try {
            io::load_event_into(text, eng.currency_unit, next);  // its room reused
        } catch (const error& x) {
            throw io::at_line(x, lines.line_number()).in_file(path);
        }
        if (holding) {
            out->runner.prefetch(next);
            out->runner.apply(held);
            ++out->events;
        }
        std::swap(held, next);
        holding = true;
    }
    if (holding) {
        out->runner.apply(held);
        ++out->events;
    }
    ledger.finish(*out);
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
        .def("entries", [](const run_result& r) {
            return entries_tuple(r.written_to.empty() ? r.entries() : r.entries_in_file());
        })
        .def_property_readonly("written_to", [](const run_result& r) -> py::object {
            if (r.written_to.empty()) return py::none();
            return py::str(r.written_to);
        })
        .def_property_readonly("entry_count", [](const run_result& r) {
            return r.written_to.empty() ? r.entries().size() : r.written;
        })
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
        .def("to_jsonl", [](const run_result& r) {
            return r.written_to.empty() ? io::ledger_to_jsonl(r.entries()) : io::ledger_to_jsonl(r.entries_in_file());
        },
             "The ledger as JSON lines (the format of docs/ledger.md).");

    m.def("run_jsonl", [](const engine& eng, const std::string& text, long threads, const std::string& ledger) {
        const std::size_t n = thread_count(threads);
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;  // parsing and the whole run happen without the GIL
            out = run_events(eng, io::load_journal(text, eng.currency_unit), n, ledger);
        }
        return out;
    }, py::arg("engine"), py::arg("jsonl_text"), py::arg("threads") = 1, py::arg("ledger") = std::string());

    m.def("run_file", [](const engine& eng, const std::string& path, long threads, const std::string& ledger) {
        const std::size_t n = thread_count(threads);
        std::unique_ptr<run_result> out;
        {
            py::gil_scoped_release release;
            out = run_file(eng, path, n, ledger);
        }
        return out;
    }, py::arg("engine"), py::arg("path"), py::arg("threads") = 1, py::arg("ledger") = std::string());

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
            py::list differences;
            for (const field_difference& f : p.differences) {
                py::dict fd;
                fd["field"] = f.field;
                fd["stored"] = f.stored;
                fd["replayed"] = f.replayed;
                differences.append(make_value("FieldDifference", fd));
            }
            d["differences"] = py::tuple(differences);
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
