#pragma once
// The fields of a ledger entry, read the same way from either exact reader: parse_exact's DOM
// (entry_from_json) or the simdjson tape (load_ledger, ledger_reader: the volume path). Same
// checks in the same order, so the same entry or the same error (id, pointer, message) from the
// same text. `Access` as in event_fields.hpp (dom_access.hpp, tape_reader.hpp); its reader also
// has has(key): the key is present, null or not.
#include <string>
#include <string_view>

#include "loyalty/core/error.hpp"
#include "loyalty/ledger/earn_figures.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/group_form.hpp"
#include "loyalty/ledger/reason.hpp"
#include "loyalty/io/json.hpp"

#include "exact_value.hpp"

namespace loyalty::io::ledger_fields {

inline const std::string domain = "loyalty.ledger";

// A decimal of the figures, written exactly as decimal::to_string writes it (the text is hashed).
template <class Access>
decimal canonical_decimal(const typename Access::value& v, const std::string& pointer) {
    const std::string text(exact::string_at(Access::view(v), [&] { return pointer; }, domain));
    const auto d = decimal::parse(text);
    if (!d) throw error(domain + ".invalid_number", pointer, "'" + text + "' is not an exact decimal");
    if (d->to_string() != text)
        throw error(domain + ".noncanonical_number", pointer,
                    "'" + text + "' is not written as the ledger writes decimals: " + d->to_string());
    return *d;
}

template <class Access>
earn_figures read_figures(const typename Access::value& v, const std::string& pointer) {
    typename Access::reader r(v, pointer, domain);
    earn_figures f;
    const std::string base = r.string("base");
    if (!f.set_base(base))
        r.fail("noncanonical_number", "base",
               "'" + base + "' is not a base as the ledger writes one (digits, '.' and up to 18 decimals, like 700.00)");
    const auto& factors = r.required("factors");
    if (Access::view(factors).kind != exact::kind::array) r.fail("type_error", "factors", "expected an array of exact decimals");
    const std::string factors_pointer = r.pointer_of("factors");
    Access::for_each_element(factors, [&](std::size_t i, const typename Access::value& item) {
        if (!f.add_factor(canonical_decimal<Access>(item, pointer_append(factors_pointer, i))))
            r.fail("invalid_figures", "factors", "more than " + std::to_string(earn_figures::max_factors) + " factors");
    });
    f.rounded = r.integer("rounded");
    const std::string mode = r.string("rounding");
    const auto m = parse_rounding(mode);
    if (!m) r.fail("invalid_figures", "rounding", "unknown rounding mode '" + mode + "'");
    f.mode = *m;
    if (r.has("cap")) f.cap = points(r.integer("cap"));
    if (const auto* c = r.optional("carried")) f.carried = canonical_decimal<Access>(*c, r.pointer_of("carried"));
    if (r.has("per")) {
        const std::string per = r.string("per");
        if (!f.set_per(per))
            r.fail("noncanonical_number", "per",
                   "'" + per + "' is not a ratio rate's amount as the ledger writes one (above 0, like 7.00)");
    }
    r.finish();
    return f;
}

// A format-5 line's reason arguments (docs/ledger.md, "args"): each key only when it is not its
// default, as the writer writes them, since they are hashed (an argument written at its default
// would read back the same and hash differently in scripts/verify_ledger.py).
template <class Access>
reason_args read_args(const typename Access::value& v, const std::string& pointer) {
    typename Access::reader r(v, pointer, domain);
    reason_args a;
    const auto not_default = [&](const char* key) {
        r.fail("noncanonical_args", key, std::string(key) + " is written only when it is not its default");
    };
    if (r.has("code")) {  // absent: none (an entry made without arguments)
        const std::string code = r.string("code");
        const auto c = parse_reason_code(code);
        if (!c) r.fail("invalid_args", "code", "unknown reason code '" + code + "'");
        a.code = *c;
    }
    const auto text = [&](const char* key, void (reason_args::*set)(std::string_view)) {
        if (r.has(key)) (a.*set)(r.string(key));  // string(): present texts are not empty
    };
    text("note", &reason_args::set_note);
    text("staff", &reason_args::set_staff);
    text("reference", &reason_args::set_reference);
    text("counterpart", &reason_args::set_counterpart);
    text("other_lot", &reason_args::set_other_lot);
    text("text", &reason_args::set_text);
    const auto integer = [&](const char* key) {
        const std::int64_t n = r.integer_or(key, 0);
        if (r.has(key) && n == 0) not_default(key);
        return n;
    };
    a.figure = points(integer("figure"));
    a.count = integer("count");
    a.cash = integer("cash");
    const auto day_of = [&](const char* key) {
        if (!r.has(key)) return day{};
        const day d = r.date(key);
        if (d == day{}) not_default(key);
        return d;
    };
    a.on = day_of("on");
    a.since = day_of("since");
    const auto named = [&](const char* key, auto parse, auto fallback, const char* what) {  // an enum by its name
        if (!r.has(key)) return fallback;
        const std::string text = r.string(key);
        const auto value = parse(text);
        if (!value) r.fail("invalid_args", key, "unknown " + std::string(what) + " '" + text + "'");
        if (*value == fallback) not_default(key);
        return *value;
    };
    a.base = named("base", parse_earning_base, earning_base::paid, "earning base");
    a.type = named("type", parse_event_type, event_type::repair_order, "event type");
    if (const auto* sources = r.optional("sources")) {
        if (Access::view(*sources).kind != exact::kind::array)
            r.fail("type_error", "sources", "expected an array of [from, index] pairs");
        const std::string at = r.pointer_of("sources");
        std::size_t k = 0;
        Access::for_each_element(*sources, [&](std::size_t i, const typename Access::value& pair) {
            const std::string here = pointer_append(at, i);
            const auto bad = [&] {
                throw error(domain + ".invalid_args", here, "a source is written [\"rate\" | \"multiplier\" | \"tier\", index]");
            };
            if (Access::view(pair).kind != exact::kind::array || Access::size(pair) != 2) bad();
            std::string_view from;
            std::int64_t index = -1;
            Access::for_each_element(pair, [&](std::size_t j, const typename Access::value& item) {
                const exact::value_view x = Access::view(item);
                if (j == 0 && x.kind == exact::kind::string) from = x.text;
                if (j == 1) index = exact::integer_at(x, [&] { return pointer_append(here, j); }, domain);
            });
            const auto f = parse_factor_source(from);
            if (!f || index < 0 || index > 0xffff || i >= a.sources.size()) bad();
            a.sources[i] = factor_source{*f, static_cast<std::uint16_t>(index)};
            k = i + 1;
        });
        if (k == 0 || group_form::sources_written(a) != k) not_default("sources");
    }
    if (const auto* capped = r.optional("capped_per_event")) {
        if (Access::view(*capped).kind != exact::kind::boolean || !Access::view(*capped).boolean)
            r.fail("noncanonical_args", "capped_per_event", "capped_per_event is written only as true");
        a.capped_per_event = true;
    }
    if (r.has("period_used")) a.period_used = points(r.integer("period_used"));
    r.finish();
    return a;
}

// A hash field: exactly 64 lower-case hex digits, the one spelling the writers use (another
// would hash differently in scripts/verify_ledger.py, which hashes the text as written).
template <class Reader>
sha256_digest digest(Reader& r, const char* field) {
    const std::string& text = r.string(field);
    const auto d = sha256_digest::from_hex(text);
    if (!d) r.fail("invalid_hash", field, "'" + text + "' is not 64 lower-case hex digits");
    return *d;
}

template <class Access>
ledger_entry read_entry(const typename Access::value& v, const std::string& pointer) {
    typename Access::reader r(v, pointer, domain);
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
    // A settle_debt entry's debt paid off (every one written since the field exists has it).
    if (r.has("debt_paid")) {
        e.debt_paid = points(r.integer("debt_paid"));
        if (e.kind != entry_kind::settle_debt)
            r.fail("invalid_debt_paid", "debt_paid", "debt_paid is a settle_debt entry's field; this entry's kind is '" + kind + "'");
        if (*e.debt_paid <= points(0)) r.fail("invalid_debt_paid", "debt_paid", "debt_paid is above 0");
    }
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
    // A benefit_use or benefit_return entry's quota units (every one written since ledger format 4).
    if (r.has("uses")) {
        e.uses = r.integer("uses");
        if (e.kind != entry_kind::benefit_use && e.kind != entry_kind::benefit_return)
            r.fail("invalid_uses", "uses",
                   "uses is a benefit_use or benefit_return entry's field; this entry's kind is '" + kind + "'");
        if (*e.uses < 0) r.fail("invalid_uses", "uses", "uses is 0 or more");
    }
    if (const auto* f = r.optional("figures")) e.figures = read_figures<Access>(*f, r.pointer_of("figures"));
    e.prev_hash = digest(r, "prev_hash");
    e.hash = digest(r, "hash");
    // Format 5 says so, and carries the reason's arguments; a line without "format" is format 4.
    if (r.has("format")) {
        if (r.integer("format") != 5) r.fail("unknown_format", "format", "this library reads ledger formats 4 and 5");
        const auto* args = r.optional("args");
        if (!args) r.fail("missing_field", "args", "a format-5 entry carries its reason's arguments (args)");
        e.args = read_args<Access>(*args, r.pointer_of("args"));
    } else {
        e.format = 4;
    }
    r.finish();
    return e;
}

}  // namespace loyalty::io::ledger_fields
