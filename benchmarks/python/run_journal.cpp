// loyalty-run-journal: the C++ side of the Python throughput comparison (benchmarks/python).
//
//   loyalty-run-journal JOURNAL.jsonl [REPEAT=1]
//
// Does what engine.run() does from Python, in the same order and with the same library calls
// (bindings/python/src/register_run.cpp): parse the JSON lines into events, then apply them one
// by one with a journal_runner, once from the file (engine.run(path)) and once from the text
// already in memory (engine.run(text)). The reference programme is loaded outside the timed
// part, as the Python side does before it calls run. Prints one JSON object: wall-clock and CPU
// seconds of each repetition, and the run's event/entry counts and last hash so the caller can check that both
// sides produced the same ledger.
#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "loyalty/engine/journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

namespace {

using namespace loyalty;
using clock_type = std::chrono::steady_clock;

// Wall-clock and CPU time: on a shared machine the process's CPU time is the less disturbed.
struct stamp {
    clock_type::time_point wall = clock_type::now();
    std::clock_t cpu = std::clock();
};

struct result {
    std::size_t events = 0, entries = 0, refused = 0;
    std::string last_hash;
    double seconds = 0, cpu_seconds = 0;
};

// Mirrors run_events() of the bindings: the parsed journal is freed inside the timed part, the
// runner (the ledger) after it, since from Python the ledger outlives engine.run.
result run(const program_versions& versions, const stamp& t0, std::vector<event> journal) {
    auto runner = std::make_unique<journal_runner>(versions);
    result r;
    {
        const std::vector<event> events = std::move(journal);
        r.events = events.size();
        for (const event& e : events) runner->apply(e);
    }
    r.seconds = std::chrono::duration<double>(clock_type::now() - t0.wall).count();
    r.cpu_seconds = static_cast<double>(std::clock() - t0.cpu) / CLOCKS_PER_SEC;
    r.entries = runner->entries().size();
    r.refused = runner->refusals().size();
    if (!runner->entries().empty()) r.last_hash = runner->entries().back().hash.hex();
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: loyalty-run-journal JOURNAL.jsonl [REPEAT]\n";
        return 2;
    }
    const std::string path = argv[1];
    const int repeat = argc > 2 ? std::stoi(argv[2]) : 1;
    try {
        const program_versions versions(io::load_program(io::reference_program_json()));
        const currency cur = versions.latest().currency_unit;
        std::ifstream in(path, std::ios::binary);
        std::ostringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();

        result last;
        std::string file_seconds, text_seconds, file_cpu, text_cpu;
        for (int i = 0; i < repeat; ++i) {
            // t0 first: the order in which a call's arguments are evaluated is unspecified.
            stamp t0;
            last = run(versions, t0, io::load_journal_file(path, cur));
            file_seconds += (i ? "," : "") + std::to_string(last.seconds);
            file_cpu += (i ? "," : "") + std::to_string(last.cpu_seconds);
            t0 = stamp();
            const result again = run(versions, t0, io::load_journal(text, cur));
            text_seconds += (i ? "," : "") + std::to_string(again.seconds);
            text_cpu += (i ? "," : "") + std::to_string(again.cpu_seconds);
            if (again.last_hash != last.last_hash) throw std::runtime_error("file and text runs differ");
        }
        std::cout << "{\"events\":" << last.events << ",\"entries\":" << last.entries << ",\"refused\":" << last.refused
                  << ",\"last_hash\":\"" << last.last_hash << "\",\"file_seconds\":[" << file_seconds
                  << "],\"text_seconds\":[" << text_seconds << "],\"file_cpu_seconds\":[" << file_cpu
                  << "],\"text_cpu_seconds\":[" << text_cpu << "]}\n";
    } catch (const std::exception& e) {
        std::cerr << "loyalty-run-journal: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
