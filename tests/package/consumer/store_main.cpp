// Uses the installed loyalty::store: a SQLite store in a new file, one enrolment appended, the
// member read back from its snapshot and the store verified. Built by the consumer project with
// find_package(loyalty) and, by run_consumer.cmake, with pkg-config's loyalty-store.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>

#include <loyalty/io/event_json.hpp>
#include <loyalty/io/program_json.hpp>
#include <loyalty/store/store.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: loyalty-store-consumer NEW.db\n");
        return 2;
    }
    try {
        std::filesystem::remove(argv[1]);
        const loyalty::program prog = loyalty::io::load_program(loyalty::io::reference_program_json());
        auto db = loyalty::store::store::open(std::string("sqlite:") + argv[1], loyalty::program_versions(prog));
        const loyalty::store::batch_result r = db->append({loyalty::io::load_event(
            R"({"id":"s-1","member":"S001","at":"2025-05-10T10:00:00+08:00","type":"enrol"})", prog.currency_unit)});
        const auto member = db->member("S001");
        // The welcome bonus: 500 points, in a snapshot that verifies against a replay.
        if (r.accepted != 1 || !member || member->balance() != loyalty::points(500) || !db->verify().ok()) {
            std::fprintf(stderr, "MISMATCH: the store did not keep the enrolment as expected\n");
            return 1;
        }
        std::printf("store consumer ok: S001 holds 500 points, verified\n");
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
