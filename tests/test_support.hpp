#pragma once
#include <algorithm>
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
// Format 5: the member's entries of one event in a row are one group (seal_group); an entry of
// format 4 is hashed alone.
inline void rechain(std::vector<ledger_entry>& ledger, const std::string& member) {
    sha256_digest prev = genesis_hash();
    const auto of_member = [&](const ledger_entry& e) { return e.member == member; };
    for (auto it = std::find_if(ledger.begin(), ledger.end(), of_member); it != ledger.end();) {
        if (it->format == 4) {
            it->prev_hash = prev;
            it->hash = prev = entry_hash(*it);
            it = std::find_if(it + 1, ledger.end(), of_member);
            continue;
        }
        const std::string event = it->event;
        auto end = it;  // past the member's entries of this event that follow one another
        for (auto next = it; next != ledger.end() && next->event == event && next->format == 5;
             next = std::find_if(next + 1, ledger.end(), of_member))
            end = next + 1;
        prev = seal_group(it, end, prev, [&](const ledger_entry& e) { return of_member(e); });
        it = std::find_if(end, ledger.end(), of_member);
    }
}

// The reference programme (examples/programs/4s-club.json, compiled in).
inline program reference_program() { return io::load_program(io::reference_program_json()); }

}  // namespace loyalty::test
