// Judgements read back from `events` (accepted) and `refusals` (refused, once per id).
#include "judgement.hpp"

#include "loyalty/io/event_json.hpp"

namespace loyalty::store::detail {
namespace {

constexpr std::size_t ids_per_statement = 100;

// Accepted first: a database written before version 4 may hold an id refused and then
// accepted, and the acceptance is what the ledger holds.
void keep(std::map<std::string, judgement>& out, const std::string& id, judgement j) {
    const auto it = out.find(id);
    if (it == out.end()) out.emplace(id, std::move(j));
    else if (j.accepted && !it->second.accepted) it->second = std::move(j);
}

judgement from_row(const row& r, const std::string& id) {
    judgement j;
    j.accepted = as_int(r[1]) == 0;
    j.body = as_text(r[2]);
    if (!j.accepted) {
        const auto code = parse_refusal(as_text(r[3]));
        if (!code) fail("corrupt", "the refusal of event '" + id + "' has code '" + as_text(r[3]) + "'");
        j.code = *code;
        j.message = as_text(r[4]);
    }
    return j;
}

// "SELECT ... WHERE id IN (?, ..., ?) UNION ALL ..." for `n` ids.
std::string lookup_sql(std::size_t n) {
    const std::string marks = placeholders(n);
    return "SELECT id, 0, body, '', '' FROM events WHERE id IN (" + marks +
           ") UNION ALL SELECT event, 1, body, code, message FROM refusals WHERE event IN (" + marks + ")";
}

}  // namespace

std::map<std::string, judgement> stored_judgements(connection& db, const std::vector<std::string>& ids) {
    static const std::string sql = lookup_sql(ids_per_statement);
    std::map<std::string, judgement> out;
    for (std::size_t from = 0; from < ids.size(); from += ids_per_statement) {
        // A short last chunk repeats its last id, so the statement text never changes.
        std::vector<value> params;
        params.reserve(2 * ids_per_statement);
        for (int table = 0; table < 2; ++table)
            for (std::size_t i = 0; i < ids_per_statement; ++i)
                params.emplace_back(ids[std::min(from + i, ids.size() - 1)]);
        for (const row& r : db.query(sql, params)) {
            const std::string id = as_text(r[0]);
            keep(out, id, from_row(r, id));
        }
    }
    return out;
}

std::optional<judgement> stored_judgement(connection& db, const std::string& id) {
    const auto rows = db.query("SELECT id, 0, body, '', '' FROM events WHERE id = ? UNION ALL "
                               "SELECT event, 1, body, code, message FROM refusals WHERE event = ?",
                               {id, id});
    std::map<std::string, judgement> found;
    for (const row& r : rows) keep(found, id, from_row(r, id));
    if (found.empty()) return std::nullopt;
    return std::move(found.begin()->second);
}

bool same_event(const judgement& before, const std::string& body, const std::string& id, const currency& unit) {
    if (before.body == body) return true;
    try {
        return io::event_to_json(io::load_event(before.body, unit)).dump() == body;
    } catch (const error& e) {
        throw error("loyalty.store.corrupt", "event '" + id + "' cannot be read: " + e.what());
    }
}

void answer_again(event_result& r, const judgement& before, bool same) {
    if (!same) {
        r.status = event_status::refused;
        r.code = refusal::event_id_reused;
        r.message = "event id '" + r.event + "' was " +
                    (before.accepted ? std::string("accepted") : "refused (" + std::string(to_string(before.code)) + ")") +
                    " before for another event: an event sent again must be the same, a new one needs a new id";
    } else if (before.accepted) {
        r.status = event_status::duplicate;
        r.code = refusal::duplicate_event;
        r.message = "event '" + r.event + "' was already applied";
    } else {
        r.status = event_status::refused;
        r.code = before.code;
        r.message = before.message;
    }
}

}  // namespace loyalty::store::detail
