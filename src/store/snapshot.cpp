// Member snapshots, sealed to the head of the member's chain (snapshot.hpp).
#include "snapshot.hpp"

#include <algorithm>
#include <set>

#include "loyalty/io/json.hpp"
#include "loyalty/io/state_json.hpp"
#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty::store::detail {

namespace {

// A snapshot row with the chain it claims to extend: the hash of the member's entry at the
// snapshot's last_seq (NULL when there is none) and the member's last seq (NULL: no entries).
const char* const sealed_columns =
    "s.member, s.state, s.last_seq, s.seal, "
    "(SELECT e.hash FROM entries e WHERE e.member = s.member AND e.seq = s.last_seq), "
    "(SELECT MAX(e.seq) FROM entries e WHERE e.member = s.member)";

// Checks one such row and returns its state; loyalty.store.corrupt naming what does not hold.
member_state checked_state(const row& r) {
    const std::string member = as_text(r[0]);
    const std::string text = as_text(r[1]);
    const std::int64_t last_seq = as_int(r[2]);
    const std::string what = "the snapshot of member '" + member + "'";
    const std::int64_t chain_seq = is_null(r[5]) ? 0 : as_int(r[5]);
    if (chain_seq != last_seq)
        fail("corrupt", what + " was written after entry " + std::to_string(last_seq) +
                            ", but the member's chain ends at entry " + std::to_string(chain_seq) +
                            " (a snapshot restored from an older copy, or entries changed)");
    if (last_seq > 0 && is_null(r[4]))
        fail("corrupt", what + " names entry " + std::to_string(last_seq) + ", which is not stored");
    const std::string head = last_seq == 0 ? genesis_hash().hex() : as_text(r[4]);
    if (as_text(r[3]) != snapshot_seal(member, last_seq, head, text))
        fail("corrupt", what + " does not match its seal: it was changed after it was written (by hand, or by "
                               "another program)");
    member_state s = read_as_stored(what, [&] { return io::state_from_json(io::parse_exact(text)); });
    if (s.member != member || s.last_seq != last_seq || s.last_hash.hex() != head)
        fail("corrupt", what + " holds the state of '" + s.member + "' after entry " + std::to_string(s.last_seq) +
                            ", not of the member's chain head");
    return s;
}

// "at /lots/0/remaining: stored 2000, replayed 500": the first difference between two states.
std::string first_difference(const member_state& stored, const member_state& replayed) {
    const io::json a = io::state_to_json(stored), b = io::state_to_json(replayed);
    const io::json patch = io::json::diff(a, b);
    if (patch.empty()) return "";
    const std::string path = patch[0].value("path", "");
    const io::json::json_pointer at(path);
    const std::string was = a.contains(at) ? a.at(at).dump() : "(nothing)";
    const std::string is = b.contains(at) ? b.at(at).dump() : "(nothing)";
    return "at " + (path.empty() ? std::string("/") : path) + ": stored " + was + ", replayed " + is;
}

}  // namespace

std::string snapshot_seal(const std::string& member, std::int64_t last_seq, const std::string& head,
                          const std::string& state_text) {
    std::string form = "loyalty.snapshot.v1\n";
    form.reserve(form.size() + member.size() + head.size() + state_text.size() + 24);
    form += member;
    form += '\n';
    form += std::to_string(last_seq);
    form += '\n';
    form += head;
    form += '\n';
    form += state_text;
    return sha256_hex(form);
}

void write_snapshot(connection& db, const member_state& s, std::int64_t revision) {
    std::string text = io::state_to_json_text(s);
    std::string seal = snapshot_seal(s.member, s.last_seq, s.last_hash.hex(), text);
    db.query("INSERT INTO snapshots (member, revision, last_seq, state, seal) VALUES (?, ?, ?, ?, ?) "
             "ON CONFLICT (member) DO UPDATE SET revision = excluded.revision, last_seq = excluded.last_seq, "
             "state = excluded.state, seal = excluded.seal",
             {s.member, revision, s.last_seq, std::move(text), std::move(seal)});
}

std::optional<member_state> read_snapshot(connection& db, const std::string& member) {
    const auto rows = db.query(std::string("SELECT ") + sealed_columns + " FROM snapshots s WHERE s.member = ?", {member});
    if (rows.empty()) return std::nullopt;
    return checked_state(rows[0]);
}

std::map<std::string, std::int64_t> stored_revisions(connection& db, const std::vector<std::string>& members) {
    constexpr std::size_t per_statement = 100;
    static const std::string sql =
        "SELECT member, revision FROM snapshots WHERE member IN (" + placeholders(per_statement) + ")";
    std::map<std::string, std::int64_t> out;
    std::vector<value> params(per_statement);
    for (std::size_t from = 0; from < members.size(); from += per_statement) {
        for (std::size_t i = 0; i < per_statement; ++i) params[i] = members[std::min(from + i, members.size() - 1)];
        for (const row& r : db.query(sql, params)) out.emplace(as_text(r[0]), as_int(r[1]));
    }
    return out;
}

void check_snapshots(connection& db, const std::map<std::string, member_state>& replayed, std::size_t page,
                     verification_report& report) {
    std::set<std::string> named;
    for (const verification_problem& p : report.problems) named.insert(p.member);
    const auto add = [&](const std::string& member, std::int64_t seq, std::string problem) {
        if (named.insert(member).second) report.problems.push_back({member, seq, std::move(problem), verified::snapshot, std::nullopt, std::nullopt, {}});
    };
    // A page of snapshots at a time, by member: they are most of a store's bytes. (The
    // database's order of member ids may not be the byte order of `replayed`, as PostgreSQL's
    // collations are not, so members are looked up, not merged.)
    const std::string sql = std::string("SELECT ") + sealed_columns +
                            " FROM snapshots s WHERE s.member > ? ORDER BY s.member LIMIT " + std::to_string(page);
    std::set<std::string> stored;
    std::string after;
    for (;;) {
        const std::vector<row> rows = db.query(sql, {after});
        for (const row& r : rows) {
            const std::string member = as_text(r[0]);
            stored.insert(member);
            const std::int64_t seq = as_int(r[2]);
            try {
                const member_state s = checked_state(r);
                const auto it = replayed.find(member);
                if (it == replayed.end())
                    add(member, seq, "snapshot of a member a replay of the journal does not know");
                else if (io::state_to_json_text(s) != io::state_to_json_text(it->second))
                    add(member, seq, "snapshot differs from a replay of the journal " + first_difference(s, it->second));
            } catch (const error& e) {
                add(member, seq, "snapshot: " + e.message());
            }
        }
        if (rows.size() < page) break;
        after = as_text(rows.back()[0]);
    }
    for (const auto& [member, state] : replayed)
        if (!stored.count(member)) add(member, state.last_seq, "no snapshot, though a replay of the journal has a state");
}

void seal_unsealed_snapshots(connection& db) {
    for (const row& r : db.query("SELECT member, last_seq, state FROM snapshots WHERE seal = ''", {})) {
        const std::string member = as_text(r[0]);
        const std::int64_t last_seq = as_int(r[1]);
        std::string head = genesis_hash().hex();
        if (last_seq > 0) {
            const auto h = db.query("SELECT hash FROM entries WHERE member = ? AND seq = ?", {member, last_seq});
            if (h.empty())
                fail("corrupt", "the snapshot of member '" + member + "' names entry " + std::to_string(last_seq) +
                                    ", which is not stored: it cannot be sealed");
            head = as_text(h[0][0]);
        }
        db.query("UPDATE snapshots SET seal = ? WHERE member = ?", {snapshot_seal(member, last_seq, head, as_text(r[2])), member});
    }
}

}  // namespace loyalty::store::detail
