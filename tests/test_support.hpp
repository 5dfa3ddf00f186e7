#pragma once
// Helpers shared by the tests: build events and programmes tersely, in code.
#include <string>
#include <vector>

#include "loyalty/loyalty.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/program_json.hpp"

namespace loyalty::test {

inline instant at(const std::string& iso) {
    auto t = parse_instant(iso);
    if (!t) throw std::runtime_error("bad instant in test: " + iso);
    return *t;
}

inline day on(const std::string& ymd) {
    auto d = parse_day(ymd);
    if (!d) throw std::runtime_error("bad date in test: " + ymd);
    return *d;
}

// Runs `f` and returns the id of the loyalty::error it throws ("" if none, "other" if it
// throws anything else), so that an error reported by the wrong exception type fails.
template <class F>
std::string error_id(F&& f) {
    try {
        f();
    } catch (const loyalty::error& e) {
        return e.id();
    } catch (...) {
        return "other";
    }
    return "";
}

inline currency cny() { return *currency::from_code("CNY"); }

inline money yuan(const std::string& amount) { return *money::parse(amount, cny()); }

// An event from JSON text, money in CNY.
inline event ev(const std::string& json_text) { return io::load_event(json_text, cny()); }

// Re-hashes `member`'s chain in `ledger` after an edit, as a forger would: the chain holds again.
inline void rechain(std::vector<ledger_entry>& ledger, const std::string& member) {
    sha256_digest prev = genesis_hash();
    for (ledger_entry& e : ledger) {
        if (e.member != member) continue;
        e.prev_hash = prev;
        e.hash = entry_hash(e);
        prev = e.hash;
    }
}

// The reference programme (examples/programs/4s-club.json, compiled in).
inline program reference_program() { return io::load_program(io::reference_program_json()); }

}  // namespace loyalty::test
