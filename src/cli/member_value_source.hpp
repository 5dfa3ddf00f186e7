#pragma once
// What `report member-value` and `report touch-points` share: the journal replayed to the end of
// the as-of day with each member's history recorded, the programme version in force then, and
// the member value rules (--rules FILE, or the programme's `member_value` section, whose
// absent fields are the documented defaults).
#include <chrono>
#include <memory>
#include <string>

#include "common.hpp"
#include "loyalty/insight/history.hpp"
#include "loyalty/io/member_value_json.hpp"

namespace loyalty::cli {

struct member_value_source {
    std::unique_ptr<history_recorder> rec;
    const program* prog = nullptr;  // in force at as_of
    instant as_of;                  // the last instant counted (of the as-of day, programme time zone)
    instant end;                    // events before it are replayed (00:00 of the day after the as-of day)
    member_value_rules rules;
    std::string rules_from;         // the file, or "programme"
};

// Returns exit_ok, or exit_bad_input after printing the malformed journal lines.
inline int load_member_value_source(const source_options& src, const std::string& as_of_text,
                                    const std::string& rules_path, member_value_source& out) {
    const program_versions versions = load_programs(src.programs);
    const journal_file j = read_journal(src.events, versions.latest().currency_unit);
    if (const int bad = report_bad_lines(j); bad != exit_ok) return bad;
    const as_of_point at = parse_as_of(as_of_text, versions.latest().zone);
    out.end = at.end;
    out.as_of = at.last();
    out.rec = std::make_unique<history_recorder>(versions);
    out.prog = out.rec->versions().at(out.as_of);
    if (!out.prog) throw error("loyalty.cli.no_program", "no programme version is in force on " + as_of_text);
    out.rules = rules_path.empty() ? out.prog->member_value
                                   : io::load_member_value_rules_file(rules_path, out.prog->currency_unit);
    out.rules_from = rules_path.empty() ? "programme" : rules_path;
    for (const journal_item& i : j.items)
        if (!i.is_assertion && i.at() < out.end) out.rec->apply(i.event);
    return exit_ok;
}

}  // namespace loyalty::cli
