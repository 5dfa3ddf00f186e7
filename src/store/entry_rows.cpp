// Ledger entries as rows of the `entries` table, and back.
#include "entry_rows.hpp"

#include "loyalty/io/json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty::store::detail {

const char* const entry_columns =
    "member, seq, event, at, kind, amount, balance, lot, expires, rule, program, version, reason, reverses, money, "
    "prev_hash, hash, funder, store, figures, debt_paid, uses, args";
const char* const entry_placeholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::string entry_columns_of_en() {
    std::string out = "en.";
    for (const char* c = entry_columns; *c; ++c) {
        out += *c;
        if (*c == ' ') out += "en.";
    }
    return out;
}

ledger_entry entry_from_row(const row& row_, std::size_t from) {
    const auto r = [&](std::size_t i) -> const value& { return row_[from + i]; };
    ledger_entry e;
    e.member = as_text(r(0));
    e.seq = as_int(r(1));
    e.event = as_text(r(2));
    const auto t = parse_instant(as_text(r(3)));
    if (!t) fail("corrupt", "entry " + e.member + "/" + std::to_string(e.seq) + " has instant '" + as_text(r(3)) + "'");
    e.at = *t;
    const auto k = parse_entry_kind(as_text(r(4)));
    if (!k) fail("corrupt", "entry " + e.member + "/" + std::to_string(e.seq) + " has kind '" + as_text(r(4)) + "'");
    e.kind = *k;
    e.amount = points(as_int(r(5)));
    e.balance = points(as_int(r(6)));
    e.lot = as_text(r(7));
    e.expires = as_text(r(8));
    e.rule = as_text(r(9));
    e.program = as_text(r(10));
    e.version = as_int(r(11));
    e.reason = as_text(r(12));
    e.reverses = as_text(r(13));
    e.money = as_text(r(14));
    const auto digest = [&](int column, const char* name) {
        const std::string text = as_text(r(column));
        const auto d = sha256_digest::from_hex(text);
        if (!d)
            fail("corrupt", "entry " + e.member + "/" + std::to_string(e.seq) + " has " + name + " '" + text +
                                "', not 64 lower-case hex digits");
        return *d;
    };
    e.prev_hash = digest(15, "prev_hash");
    e.hash = digest(16, "hash");
    e.funder = as_text(r(17));
    e.store = as_text(r(18));
    // The figures as the canonical form writes them (docs/ledger.md), "" for an entry without.
    if (const std::string figures = as_text(r(19)); !figures.empty()) {
        try {
            e.figures = io::figures_from_json(io::parse_exact(figures));
        } catch (const error& x) {
            fail("corrupt", "entry " + e.member + "/" + std::to_string(e.seq) + " has figures that do not read: " + x.what());
        }
    }
    if (!is_null(r(20))) e.debt_paid = points(as_int(r(20)));  // a settle_debt entry's
    if (!is_null(r(21))) e.uses = as_int(r(21));               // a benefit_use or benefit_return entry's
    // The reason's arguments (ledger format 5, the format of every row since schema version 10).
    try {
        e.args = io::args_from_json(io::parse_exact(as_text(r(22))));
    } catch (const error& x) {
        fail("corrupt", "entry " + e.member + "/" + std::to_string(e.seq) + " has args that do not read: " + x.what());
    }
    return e;
}

std::vector<value> entry_params(const ledger_entry& e) {
    return {e.member,   e.seq,         e.event,   format_instant(e.at), std::string(to_string(e.kind)),
            e.amount.count(), e.balance.count(), e.lot, e.expires, e.rule, e.program, e.version, e.reason,
            e.reverses, e.money,   e.prev_hash.hex(), e.hash.hex(), e.funder, e.store, figures_text(e.figures),
            e.debt_paid ? value(e.debt_paid->count()) : value(nullptr), e.uses ? value(*e.uses) : value(nullptr),
            args_text(e.args)};  // the line's text of them (io::args_to_json(e.args).dump() byte for byte)
}

}  // namespace loyalty::store::detail
