// Ledger entries as JSON.
#include "loyalty/io/ledger_json.hpp"

#include <simdjson.h>

#include "loyalty/ledger/hash_chain.hpp"

#include "dom_access.hpp"
#include "json_tape.hpp"
#include "ledger_fields.hpp"
#include "tape_reader.hpp"


namespace loyalty::io {

json figures_to_json(const earn_figures& f) {
    json factors = json::array();
    for (std::size_t i = 0; i < f.factors; ++i) factors.push_back(f.factor[i].to_string());
    json j{{"base", f.base_text()}, {"factors", std::move(factors)}, {"rounded", f.rounded},
           {"rounding", std::string(to_string(f.mode))}};
    if (f.cap) j["cap"] = f.cap->count();
    if (f.carried) j["carried"] = f.carried->to_string();
    if (f.per > 0) j["per"] = f.per_text();
    return j;
}

earn_figures figures_from_json(const json& j, const std::string& pointer) {
    return ledger_fields::read_figures<dom_access>(j, pointer);
}

json args_to_json(const reason_args& a) {
    json j = json::object();
    if (a.code != reason_code::none) j["code"] = std::string(to_string(a.code));
    const auto text = [&](const char* key, std::string_view v) {
        if (!v.empty()) j[key] = std::string(v);
    };
    text("note", a.note());
    text("staff", a.staff());
    text("reference", a.reference());
    text("counterpart", a.counterpart());
    text("other_lot", a.other_lot());
    text("text", a.text());
    if (a.figure != points(0)) j["figure"] = a.figure.count();
    if (a.count != 0) j["count"] = a.count;
    if (a.cash != 0) j["cash"] = a.cash;
    if (a.on != day{}) j["on"] = format_day(a.on);
    if (a.since != day{}) j["since"] = format_day(a.since);
    if (a.base != earning_base::paid) j["base"] = std::string(to_string(a.base));
    if (a.type != event_type::repair_order) j["type"] = std::string(to_string(a.type));
    if (const std::size_t k = group_form::sources_written(a); k > 0) {
        json sources = json::array();
        for (std::size_t i = 0; i < k; ++i)
            sources.push_back(json::array({std::string(to_string(a.sources[i].from)), a.sources[i].index}));
        j["sources"] = std::move(sources);
    }
    if (a.capped_per_event) j["capped_per_event"] = true;
    if (a.period_used) j["period_used"] = a.period_used->count();
    return j;
}

reason_args args_from_json(const json& j, const std::string& pointer) {
    return ledger_fields::read_args<dom_access>(j, pointer);
}

json entry_to_json(const ledger_entry& e) {
    // The same fields as the canonical form (docs/ledger.md), plus the hash.
    json j{{"member", e.member},   {"seq", e.seq},         {"event", e.event},
                {"at", format_instant(e.at)}, {"kind", std::string(to_string(e.kind))},
                {"amount", e.amount.count()}, {"balance", e.balance.count()},
                {"lot", e.lot},         {"expires", e.expires}, {"rule", e.rule},
                {"program", e.program}, {"version", e.version}, {"reason", e.reason},
                {"reverses", e.reverses}, {"prev_hash", e.prev_hash.hex()}, {"hash", e.hash.hex()}};
    if (!e.money.empty()) j["money"] = e.money;  // only entries that record money carry the field
    if (!e.funder.empty()) j["funder"] = e.funder;  // only when the programme declares funders
    if (!e.store.empty()) j["store"] = e.store;     // only entries of events that name a store
    if (e.figures) j["figures"] = figures_to_json(*e.figures);  // only entries of an earning rule
    if (e.debt_paid) j["debt_paid"] = e.debt_paid->count();    // only settle_debt entries
    if (e.uses) j["uses"] = *e.uses;                           // only benefit_use and benefit_return entries
    if (e.format == 5) {  // a format-5 entry: its reason's arguments, which its group's hash covers
        j["format"] = 5;
        j["args"] = args_to_json(e.args);
    }
    return j;
}

ledger_entry entry_from_json(const json& j, const std::string& pointer) {
    return ledger_fields::read_entry<dom_access>(j, pointer);
}

void append_ledger_line(std::string& out, const ledger_entry& e) { append_ledger_line(out, view_of(e)); }

void append_ledger_line(std::string& out, const entry_view& e) {
    const std::size_t start = out.size();
    detail::append_entry_object(out, e, &e.hash);
    // A ledger line is JSON text, which is UTF-8; the writer copies strings as they are, so it
    // checks what it wrote (entries of events read from JSON always pass: the reader checked).
    if (!simdjson::validate_utf8(out.data() + start, out.size() - start)) {
        out.resize(start);
        throw error("loyalty.ledger.invalid_utf8", "",
                    "entry " + std::to_string(e.seq) + " (" + std::string(to_string(e.kind)) +
                        ") holds text that is not UTF-8; a ledger line is JSON, which must be");
    }
    out += '\n';
}

std::string ledger_to_jsonl(const std::vector<ledger_entry>& entries) {
    std::string out;
    for (const ledger_entry& e : entries) append_ledger_line(out, e);
    return out;
}

void write_ledger_line(atomic_file& file, const ledger_entry& e) { write_ledger_line(file, view_of(e)); }

void write_ledger_line(atomic_file& file, const entry_view& e) {
    thread_local std::string line;  // reused: its capacity stays from one entry to the next
    line.clear();
    append_ledger_line(line, e);
    file.write(line);
}

namespace {

// One line of a ledger (line_no from 1) into an entry: a malformed line is the ledger's error,
// on that line. Read by simdjson into a tape, the volume path; what the tape declines
// (json_tape.hpp) by parse_exact, which gives the same entry or the same error.
ledger_entry entry_from_line(std::string_view line, std::size_t line_no) {
    thread_local json_tape tape;  // its parser and buffers are reused, line after line
    try {
        bool read = false;
        try {
            read = tape.read(line);
        } catch (const error& e) {  // a key given twice: say it is the ledger's
            rethrow_in_domain(e, "loyalty.ledger");
        }
        if (read) return ledger_fields::read_entry<tape_access>(tape.root(), "");
        json j;
        try {
            j = parse_exact(line);
        } catch (const error& e) {  // malformed JSON: say it is the ledger's
            rethrow_in_domain(e, "loyalty.ledger");
        }
        return entry_from_json(j);
    } catch (const error& e) {
        throw e.at_line(line_no);
    }
}

}  // namespace

std::vector<ledger_entry> load_ledger(std::string_view text) {
    std::vector<ledger_entry> out;
    std::size_t line_no = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++line_no;
        const std::string_view line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) out.push_back(entry_from_line(line, line_no));
        start = end + 1;
    }
    return out;
}

ledger_reader::ledger_reader(const std::string& path) : lines_(path) {}

bool ledger_reader::next(ledger_entry& e) {
    std::string_view line;
    if (!lines_.next(line)) return false;
    try {
        e = entry_from_line(line, lines_.line_number());
    } catch (const error& x) {
        throw x.in_file(lines_.path());
    }
    return true;
}

std::vector<ledger_entry> load_ledger_file(const std::string& path) {
    ledger_reader reader(path);
    std::vector<ledger_entry> out;
    ledger_entry e;
    while (reader.next(e)) out.push_back(e);
    return out;
}

}  // namespace loyalty::io
