#pragma once
// Suggestions for misspelt keys: "unknown key 'earnign_rules' (did you mean 'earning_rules'?)".
// Both exact readers (object_reader over parse_exact's DOM, tape_reader over the simdjson tape)
// use these, so that they give the same message for the same text.
#include <cstddef>
#include <string>
#include <string_view>

namespace loyalty::io::spelling {

// The optimal string alignment distance of a and b: insertions, deletions, substitutions and
// transpositions of two neighbouring bytes each count 1 ("earnign" -> "earning" is 1).
std::size_t distance(std::string_view a, std::string_view b);

// Whether `typed` is close enough to `known` to be a misspelling of it: at most 2 edits, and
// fewer than half of the longer key's length (so "id" is not a misspelling of "at").
bool close(std::string_view typed, std::string_view known);

// The message for an unknown key, with the closest of the `known` keys when one is close:
// "unknown key 'earnign_rules' (did you mean 'earning_rules'?)". `known` is any range of string views.
template <class Keys>
std::string unknown_key_message(std::string_view key, const Keys& known) {
    std::string_view best;
    std::size_t best_distance = 0;
    for (const auto& k : known) {
        const std::string_view candidate(k);
        if (candidate == key || !close(key, candidate)) continue;
        const std::size_t d = distance(key, candidate);
        if (best.empty() || d < best_distance || (d == best_distance && candidate < best)) {
            best = candidate;
            best_distance = d;
        }
    }
    std::string out = "unknown key '" + std::string(key) + "'";
    if (!best.empty()) out += " (did you mean '" + std::string(best) + "'?)";
    return out;
}

}  // namespace loyalty::io::spelling
