// Ledger entries as JSON.
#include "loyalty/io/ledger_json.hpp"

#include <simdjson.h>

#include "loyalty/ledger/hash_chain.hpp"


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

namespace {

// A decimal of the figures, written exactly as decimal::to_string writes it (the text is hashed).
decimal canonical_decimal(const json& j, const std::string& pointer) {
    const std::string text = as_string(j, pointer, "loyalty.ledger");
    const auto d = decimal::parse(text);
    if (!d) throw error("loyalty.ledger.invalid_number", pointer, "'" + text + "' is not an exact decimal");
    if (d->to_string() != text)
        throw error("loyalty.ledger.noncanonical_number", pointer,
                    "'" + text + "' is not written as the ledger writes decimals: " + d->to_string());
    return *d;
}

}  // namespace

earn_figures figures_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, "loyalty.ledger");
    earn_figures f;
    const std::string base = r.string("base");
    if (!f.set_base(base))
        r.fail("noncanonical_number", "base",
               "'" + base + "' is not a base as the ledger writes one (digits, '.' and up to 18 decimals, like 700.00)");
    const json& factors = r.required("factors");
    if (!factors.is_array()) r.fail("type_error", "factors", "expected an array of exact decimals");
    for (std::size_t i = 0; i < factors.size(); ++i)
        if (!f.add_factor(canonical_decimal(factors[i], pointer_append(r.pointer_of("factors"), i))))
            r.fail("invalid_figures", "factors",
                   "more than " + std::to_string(earn_figures::max_factors) + " factors");
    f.rounded = r.integer("rounded");
    const std::string mode = r.string("rounding");
    const auto m = parse_rounding(mode);
    if (!m) r.fail("invalid_figures", "rounding", "unknown rounding mode '" + mode + "'");
    f.mode = *m;
    if (r.has("cap")) f.cap = points(r.integer("cap"));
    if (const json* c = r.optional("carried")) f.carried = canonical_decimal(*c, r.pointer_of("carried"));
    if (r.has("per")) {
        const std::string per = r.string("per");
        if (!f.set_per(per))
            r.fail("noncanonical_number", "per",
                   "'" + per + "' is not a ratio rate's amount as the ledger writes one (above 0, like 7.00)");
    }
    r.finish();
    return f;
}

json entry_to_json(const ledger_entry& e) {
    // The same fields as the canonical form (docs/ledger.md), plus the hash.
    json j{{"member", e.member},   {"seq", e.seq},         {"event", e.event},
                {"at", format_instant(e.at)}, {"kind", std::string(to_string(e.kind))},
                {"amount", e.amount.count()}, {"balance", e.balance.count()},
                {"lot", e.lot},         {"expires", e.expires}, {"rule", e.rule},
                {"program", e.program}, {"version", e.version}, {"reason", e.reason},
                {"reverses", e.reverses}, {"prev_hash", e.prev_hash}, {"hash", e.hash}};
    if (!e.money.empty()) j["money"] = e.money;  // only entries that record money carry the field
    if (!e.funder.empty()) j["funder"] = e.funder;  // only when the programme declares funders
    if (!e.store.empty()) j["store"] = e.store;     // only entries of events that name a store
    if (e.figures) j["figures"] = figures_to_json(*e.figures);  // only entries of an earning rule
    return j;
}

ledger_entry entry_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, "loyalty.ledger");
    ledger_entry e;
    e.member = r.string("member");
    e.seq = r.integer("seq");
    e.event = r.string("event");
    e.at = r.time("at");
    // One canonical form for both verifiers: scripts/verify_ledger.py hashes the text as written,
    // so the same instant in another offset would pass here and fail there (docs/ledger.md).
    if (const std::string& text = r.string("at"); text != format_instant(e.at))
        r.fail("noncanonical_time", "at",
               "'" + text + "' is not written as the ledger writes instants: " + format_instant(e.at));
    const std::string kind = r.string("kind");
    const auto k = parse_entry_kind(kind);
    if (!k) r.fail("invalid_kind", "kind", "unknown entry kind '" + kind + "'");
    e.kind = *k;
    e.amount = points(r.integer("amount"));
    e.balance = points(r.integer("balance"));
    e.lot = r.string_or("lot", "");
    e.expires = r.string_or("expires", "");
    if (!e.expires.empty()) {
        const auto d = parse_day(e.expires);
        if (!d || format_day(*d) != e.expires)
            r.fail("invalid_date", "expires", "'" + e.expires + "' is not a day written like 2027-02-01, nor empty");
    }
    e.rule = r.string_or("rule", "");
    e.program = r.string("program");
    e.version = r.integer("version");
    e.reason = r.string_or("reason", "");
    e.reverses = r.string_or("reverses", "");
    e.money = r.string_or("money", "");
    if (r.has("money") && e.money.empty()) r.fail("invalid_money", "money", "money, when present, is not empty");
    // Absent from entries that name none; present and empty would hash differently from absent.
    e.funder = r.string_or("funder", "");
    if (r.has("funder") && e.funder.empty()) r.fail("invalid_funder", "funder", "funder, when present, is not empty");
    e.store = r.string_or("store", "");
    if (r.has("store") && e.store.empty()) r.fail("invalid_store", "store", "store, when present, is not empty");
    if (const json* f = r.optional("figures")) e.figures = figures_from_json(*f, r.pointer_of("figures"));
    e.prev_hash = r.string("prev_hash");
    e.hash = r.string("hash");
    r.finish();
    return e;
}

void append_ledger_line(std::string& out, const ledger_entry& e) {
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

void write_ledger_line(atomic_file& file, const ledger_entry& e) {
    thread_local std::string line;  // reused: its capacity stays from one entry to the next
    line.clear();
    append_ledger_line(line, e);
    file.write(line);
}

namespace {

// One line of a ledger (line_no from 1) into an entry: a malformed line is the ledger's error,
// on that line.
ledger_entry entry_from_line(std::string_view line, std::size_t line_no) {
    try {
        json j;
        try {
            j = parse_exact(line);
        } catch (const error& e) {  // malformed JSON: say it is the ledger's
            throw e.with_id("loyalty.ledger" + e.id().substr(12));
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
