// The store: one batch = one transaction holding the accepted events, their ledger entries,
// the touched members' snapshots and the reward stock.
#include "loyalty/store/store.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "connection.hpp"
#include "entry_rows.hpp"
#include "engine_session.hpp"
#include "judgement.hpp"
#include "loyalty/io/json.hpp"
#include "loyalty/io/event_json.hpp"
#include "personal_keys.hpp"
#include "rederive.hpp"
#include "schema.hpp"
#include "snapshot.hpp"
#include "stock.hpp"

namespace loyalty::store {

using detail::as_int;
using detail::as_text;
using detail::row;
using detail::value;
using detail::entry_columns;
using detail::entry_columns_of_en;
using detail::entry_from_row;
using detail::entry_params;
using detail::entry_placeholders;

namespace {

// A read transaction, ended however the reading ends.
class read_transaction {
public:
    explicit read_transaction(detail::connection& db) : db_(db) { db_.begin_read(); }
    ~read_transaction() { db_.rollback(); }
    read_transaction(const read_transaction&) = delete;
    read_transaction& operator=(const read_transaction&) = delete;

private:
    detail::connection& db_;
};

}  // namespace

store::store(std::unique_ptr<detail::connection> c, program_versions v, options o)
    : db_(std::move(c)), versions_(std::move(v)), opts_(o) {}

store::~store() = default;

std::unique_ptr<store> store::open(const std::string& url, program_versions versions, options opts) {
    auto c = detail::connect(url, opts.busy_timeout);
    detail::migrate(*c);
    auto s = std::unique_ptr<store>(new store(std::move(c), std::move(versions), opts));
    // A store whose entries were written before ledger format 2 (or, holding settle_debt entries,
    // before format 3; holding benefit entries, before format 4) gets its ledger written again
    // from its journal (rederive.hpp), once, by the first process to open it.
    if (detail::rederive_pending(*s->db_)) {
        const std::size_t events = detail::rederive_ledger(*s->db_, s->versions_, std::max<std::size_t>(1, opts.read_page));
        if (events > 0)
            s->upgrade_notice_ = "store upgraded: its ledger was written again from its journal of " +
                                 std::to_string(events) +
                                 " events (ledger format 5: one hash per event and member, over entries that carry their "
                                 "figures, debt paid, uses, money and reasons' arguments; anchors taken before no "
                                 "longer match, take new ones; docs/store.md, \"Upgrading\")";
    }
    if (!opts.personal_keys.empty())
        s->keys_ = std::make_unique<detail::personal_key_store>(opts.personal_keys, opts.busy_timeout);
    return s;
}

const std::string& store::backend() const noexcept { return db_->backend(); }

batch_result store::append(const std::vector<event>& batch) {
    for (int conflicts = 0;;) {
        const std::size_t links_before = links_learnt_;
        try {
            return try_append(batch);
        } catch (const detail::counterpart_busy& b) {
            // Another writer holds a counterpart this batch has just learnt of. linked_ now
            // names it, so the next try locks it in order with the rest: each such try locks
            // more members than the one before, and there are only so many, so this ends. Such
            // a try is no race and counts against no limit.
            if (links_learnt_ > links_before) continue;
            if (++conflicts > opts_.conflict_retries)
                throw error("loyalty.store.conflict", "batch still conflicts after " + std::to_string(conflicts) +
                                                          " tries: " + b.message());
        } catch (const detail::conflict& c) {
            // Another writer committed the same event id or member sequence first: what it
            // wrote is now visible, so a fresh try reports duplicates instead of failing.
            if (++conflicts > opts_.conflict_retries)
                throw error("loyalty.store.conflict", "batch still conflicts after " + std::to_string(conflicts) +
                                                          " tries: " + c.message());
        }
    }
}

void store::seed_members(const std::set<std::string>& members, detail::engine_session& session,
                         std::map<std::string, std::int64_t>& revisions) {
    const std::map<std::string, std::int64_t> stored =
        detail::stored_revisions(*db_, std::vector<std::string>(members.begin(), members.end()));
    for (const std::string& m : members) {
        const auto found = stored.find(m);
        const std::int64_t revision = found == stored.end() ? 0 : found->second;
        revisions[m] = revision;
        if (revision == 0) continue;
        const auto cached = cache_.find(m);
        if (cached != cache_.end()) {
            // Taken out of the cache: put back only after a commit, so a failed batch cannot
            // leave a state in the cache that is not the stored one.
            cached_state c = std::move(cached->second);
            cache_.erase(cached);
            if (c.revision == revision) {
                session.seed(std::move(c.state));  // no other writer has changed it since
                continue;
            }
        }
        std::optional<member_state> stored = detail::read_snapshot(*db_, m);  // checked against the chain head
        if (!stored) detail::fail("corrupt", "the snapshot of member '" + m + "' went while its lock was held");
        session.seed(std::move(*stored));
    }
}

void store::lock_and_seed(const std::vector<const event*>& events, detail::engine_session& session,
                          std::map<std::string, std::int64_t>& revisions) {
    // The members the events name, and those this store learnt they are linked to, locked in
    // one order (sorted), so that two writers never wait for each other in a cycle; their
    // snapshots, read after, no one else can now change.
    std::set<std::string> held;
    for (const event* e : events)
        for (std::string& m : detail::members_of(*e)) held.insert(std::move(m));
    for (const event* e : events)
        if (const auto l = linked_.find(e->member); l != linked_.end()) held.insert(l->second.begin(), l->second.end());
    for (const std::string& m : held) db_->lock_member(m);
    seed_members(held, session, revisions);

    // What the snapshots say the events may post to besides (a referrer, fleet accounts, an
    // account's members) is locked and seeded too, round after round until nothing new is
    // learnt: an account's members are known once its snapshot is read. A lock another writer
    // holds is not waited for here, out of order, but taken in order by the next try.
    const auto held_state = [&](const std::string& m) { return session.state(m); };
    for (;;) {
        std::set<std::string> learnt;
        for (const event* e : events)
            for (std::string& other : detail::counterparts_of(versions_, *e, held_state)) {
                if (linked_[e->member].insert(other).second) ++links_learnt_;
                if (!held.count(other)) learnt.insert(std::move(other));
            }
        if (learnt.empty()) return;
        for (const std::string& m : learnt)
            if (!db_->try_lock_member(m))
                throw detail::counterpart_busy("member " + m + ", a counterpart of the batch, is locked by another writer");
        seed_members(learnt, session, revisions);
        held.insert(learnt.begin(), learnt.end());
    }
}

batch_result store::try_append(const std::vector<event>& batch) {
    batch_result out;
    detail::connection& db = *db_;
    db.begin_write();
    try {
        // Every id is judged once. Those judged before (in the store, or earlier in this batch)
        // get their answer again and need no member state, so only the members of new events
        // are locked and read: running a file again costs lookups only. Ids found stored now are
        // final; ids not found are looked up again once their members are locked, where another
        // writer may have judged them in between (PostgreSQL).
        std::vector<std::string> ids;
        ids.reserve(batch.size());
        for (const event& e : batch) ids.push_back(e.id);
        const std::map<std::string, detail::judgement> stored = detail::stored_judgements(db, ids);
        std::vector<const event*> fresh;
        for (const event& e : batch)
            if (!stored.count(e.id)) fresh.push_back(&e);

        detail::engine_session session(versions_);
        std::map<std::string, std::int64_t> revisions;  // of the snapshots read, 0 when none
        lock_and_seed(fresh, session, revisions);
        detail::lock_stock(db, versions_, fresh);  // after the members' locks, before the units left are read
        std::map<std::string, std::int64_t> stock_before;
        for (const row& r : db.query("SELECT reward, issued FROM reward_stock", {}))
            stock_before.emplace(as_text(r[0]), as_int(r[1]));
        session.seed_stock(stock_before);

        const currency& unit = versions_.latest().currency_unit;
        std::map<std::string, detail::judgement> judged;  // in this batch
        std::set<std::string> touched;
        for (const event& e : batch) {
            event_result r;
            r.event = e.id;
            r.member = e.member;
            std::string body = io::event_to_json(e).dump();
            std::optional<detail::judgement> late;
            const detail::judgement* before = nullptr;
            if (const auto it = judged.find(e.id); it != judged.end()) before = &it->second;
            else if (const auto st = stored.find(e.id); st != stored.end()) before = &st->second;
            else if (!db.one_writer_at_a_time() && (late = detail::stored_judgement(db, e.id))) before = &*late;
            if (before) {
                detail::answer_again(r, *before, detail::same_event(*before, body, e.id, unit));
                if (r.status == event_status::duplicate) ++out.duplicates;
                else ++out.refused;
                out.events.push_back(std::move(r));
                continue;
            }
            outcome o = session.apply(e);
            r.code = o.refused;
            r.message = o.message;
            if (o.accepted()) {
                r.status = event_status::accepted;
                db.query("INSERT INTO events (id, member, at, type, body) VALUES (?, ?, ?, ?, ?)",
                         {e.id, e.member, format_instant(e.at), std::string(to_string(e.type())), body});
                r.entries = o.entries.to_vector();
                for (const ledger_entry& entry : r.entries) {
                    db.query(std::string("INSERT INTO entries (") + entry_columns + ") VALUES " + entry_placeholders,
                             entry_params(entry));
                    touched.insert(entry.member);  // a transfer posts to two members
                }
                touched.insert(e.member);
                // States the event changed that may have no entry of it: the fleet account (spend
                // is counted there) and the referrer (a referral taken back after its points
                // expired posts nothing, yet the referrer's state records it).
                if (o.account) touched.insert(o.account->account);
                if (o.referral) touched.insert(o.referral->referrer);
                judged.emplace(e.id, detail::judgement{true, refusal::none, "", std::move(body)});
                ++out.accepted;
            } else if (o.refused == refusal::duplicate_event) {
                // Only if a snapshot holds an id no stored event has (every accepted id is
                // stored with its event): answered as the duplicate the engine says it is.
                r.status = event_status::duplicate;
                ++out.duplicates;
            } else {
                r.status = event_status::refused;
                db.query("INSERT INTO refusals (event, member, code, message, body) VALUES (?, ?, ?, ?, ?)",
                         {e.id, e.member, std::string(to_string(o.refused)), o.message, body});
                judged.emplace(e.id, detail::judgement{false, o.refused, o.message, std::move(body)});
                ++out.refused;
            }
            out.events.push_back(std::move(r));
        }

        std::map<std::string, std::int64_t> written;  // member -> new revision, for the cache
        for (const std::string& m : touched) {
            const member_state* s = session.state(m);
            if (!s) continue;
            // A member named only by entries was not read above (events name every member
            // they change, so this is a safety net); its revision is read now.
            auto known = revisions.find(m);
            if (known == revisions.end()) {
                const auto rows = db.query("SELECT revision FROM snapshots WHERE member = ?", {m});
                known = revisions.emplace(m, rows.empty() ? 0 : as_int(rows[0][0])).first;
            }
            const std::int64_t revision = known->second + 1;
            detail::write_snapshot(db, *s, revision);
            written.emplace(m, revision);
        }
        detail::add_stock_moves(db, stock_before, session.stock());
        db.commit();
        // Only what is committed goes into the cache.
        if (opts_.snapshot_cache > 0) {
            if (cache_.size() + written.size() > opts_.snapshot_cache) cache_.clear();
            for (const auto& [m, revision] : written)  // the session ends here: its states move
                if (std::optional<member_state> s = session.release(m))
                    cache_.insert_or_assign(m, cached_state{revision, std::move(*s)});
        }
    } catch (...) {
        db.rollback();
        throw;
    }
    return out;
}

std::optional<member_state> store::member(const std::string& id) const {
    return detail::read_snapshot(*db_, id);
}

std::vector<ledger_entry> store::ledger_of(const std::string& member) const {
    std::vector<ledger_entry> out;
    for (const row& r : db_->query(std::string("SELECT ") + entry_columns + " FROM entries WHERE member = ? ORDER BY seq", {member}))
        out.push_back(entry_from_row(r));
    return out;
}

std::vector<ledger_entry> store::ledger_between(instant from, instant to) const {
    std::vector<ledger_entry> out;
    for (const row& r : db_->query(std::string("SELECT ") + entry_columns +
                                       " FROM entries WHERE at >= ? AND at < ? ORDER BY at, member, seq",
                                   {format_instant(from), format_instant(to)}))
        out.push_back(entry_from_row(r));
    return out;
}

std::vector<ledger_entry> store::ledger() const {
    std::vector<ledger_entry> out;
    for_each_entry([&](const ledger_entry& e) { out.push_back(e); });
    return out;
}

void store::for_each_entry(const std::function<void(const ledger_entry&)>& f) const {
    const std::size_t page = std::max<std::size_t>(1, opts_.read_page);
    const std::string first = std::string("SELECT ") + entry_columns + " FROM entries ORDER BY member, seq LIMIT " +
                              std::to_string(page);
    const std::string next = std::string("SELECT ") + entry_columns +
                             " FROM entries WHERE (member, seq) > (?, ?) ORDER BY member, seq LIMIT " +
                             std::to_string(page);
    const read_transaction snapshot(*db_);
    std::vector<row> rows = db_->query(first, {});
    for (;;) {
        for (const row& r : rows) f(entry_from_row(r));
        if (rows.size() < page) return;
        const std::string member = as_text(rows.back()[0]);
        const std::int64_t seq = as_int(rows.back()[1]);
        rows = db_->query(next, {member, seq});
    }
}

std::vector<event> store::journal() const {
    std::vector<event> out;
    const currency& unit = versions_.latest().currency_unit;
    for (const row& r : db_->query("SELECT id, body FROM events ORDER BY position", {}))
        out.push_back(detail::read_as_stored("event '" + as_text(r[0]) + "'",
                                            [&] { return io::load_event(as_text(r[1]), unit); }));
    return out;
}

std::optional<event> store::event_by_id(const std::string& id) const {
    const auto rows = db_->query("SELECT body FROM events WHERE id = ?", {id});
    if (rows.empty()) return std::nullopt;
    const currency& unit = versions_.latest().currency_unit;
    return detail::read_as_stored("event '" + id + "'",
                                 [&] { return io::load_event(as_text(rows[0][0]), unit); });
}

std::vector<refusal_record> store::refusals() const {
    std::vector<refusal_record> out;
    for (const row& r : db_->query("SELECT event, member, code, message FROM refusals ORDER BY position", {}))
        out.push_back({as_text(r[0]), as_text(r[1]), as_text(r[2]), as_text(r[3])});
    return out;
}

std::map<std::string, std::int64_t> store::reward_stock() const {
    std::map<std::string, std::int64_t> out;
    for (const row& r : db_->query("SELECT reward, issued FROM reward_stock", {})) out.emplace(as_text(r[0]), as_int(r[1]));
    return out;
}

std::size_t store::event_count() const {
    return static_cast<std::size_t>(as_int(db_->query("SELECT COUNT(*) FROM events", {}).at(0).at(0)));
}

namespace {


// The stored entries of one event in the order its replay posted them (`posted`: their members
// and seqs, in order); those it did not post after them, as stored.
void in_posted_order(std::vector<ledger_entry>& stored, const std::vector<std::pair<std::string, std::int64_t>>& posted) {
    const auto rank = [&](const ledger_entry& e) {
        for (std::size_t i = 0; i < posted.size(); ++i)
            if (posted[i].second == e.seq && posted[i].first == e.member) return i;
        return posted.size();
    };
    std::stable_sort(stored.begin(), stored.end(),
                     [&](const ledger_entry& a, const ledger_entry& b) { return rank(a) < rank(b); });
}

}  // namespace

verification_report store::verify(const verify_hooks& hooks) const {
    // One replay of the journal, against which the ledger, every snapshot and the reward stock
    // are checked: an append builds on the snapshots and the stock, so they are checked too.
    // The journal is read a page of events at a time, with the entries those events posted;
    // each event is replayed and its stored entries handed to the verifier beside the replay's,
    // so the verifier holds only what one side gave ahead of the other.
    detail::connection& db = *db_;
    const read_transaction snapshot(db);
    const std::size_t total = static_cast<std::size_t>(as_int(db.query("SELECT COUNT(*) FROM events", {}).at(0).at(0)));
    const std::size_t page = std::max<std::size_t>(1, opts_.read_page);
    const std::string events_sql =
        "SELECT position, id, body FROM events WHERE position > ? ORDER BY position LIMIT " + std::to_string(page);
    const std::string entries_sql = "SELECT ev.position, " + entry_columns_of_en() +
                                    " FROM events ev JOIN entries en ON en.event = ev.id"
                                    " WHERE ev.position > ? AND ev.position <= ? ORDER BY ev.position, en.member, en.seq";
    const currency& unit = versions_.latest().currency_unit;

    ledger_verifier verifier;
    std::vector<std::pair<std::string, std::int64_t>> posted;  // the entries the event replayed now posted
    journal_runner runner(versions_, [&](const std::vector<ledger_entry>& written) {
        for (const ledger_entry& e : written) {
            verifier.replayed(e);
            posted.emplace_back(e.member, e.seq);
        }
    });
    runner.set_explanation(explanation::none);  // entries, states and refusals only
    const auto hand_over = [&](const ledger_entry& e) {
        verifier.stored(e);
        if (hooks.stored_entry) hooks.stored_entry(e);
    };
    std::size_t done = 0;
    std::int64_t after = 0;
    std::vector<ledger_entry> of_event;
    for (;;) {
        const std::vector<row> events = db.query(events_sql, {after});
        if (events.empty()) break;
        const std::int64_t last = as_int(events.back()[0]);
        const std::vector<row> entries = db.query(entries_sql, {after, last});
        std::size_t next_entry = 0;
        for (const row& r : events) {
            const std::int64_t position = as_int(r[0]);
            const std::string id = as_text(r[1]);
            const event e = detail::read_as_stored("event '" + id + "'",
                                                   [&] { return io::load_event(as_text(r[2]), unit); });
            posted.clear();
            runner.apply(e);
            of_event.clear();
            for (; next_entry < entries.size() && as_int(entries[next_entry][0]) == position; ++next_entry)
                of_event.push_back(entry_from_row(entries[next_entry], 1));
            in_posted_order(of_event, posted);
            for (const ledger_entry& stored : of_event) hand_over(stored);
            if (hooks.progress) hooks.progress(++done, total);
        }
        after = last;
    }
    // Entries that name no event of the journal: forged or left by damage.
    for (const row& r : db.query(std::string("SELECT ") + entry_columns_of_en() +
                                     " FROM entries en WHERE NOT EXISTS (SELECT 1 FROM events ev WHERE ev.id = en.event)"
                                     " ORDER BY en.member, en.seq",
                                 {}))
        hand_over(entry_from_row(r));
    verification_report report = verifier.finish();
    if (hooks.check_states) {
        detail::check_snapshots(db, runner.members(), std::max<std::size_t>(1, opts_.read_page / 5), report);
        detail::check_stock(reward_stock(), runner.stock().issued, report);
    }
    return report;
}

namespace {

// The text a sealed row encrypts: {"birthday": "1985-06-18" or null, "name": ..., "phone": ...}.
std::string personal_text(const personal_data& data) {
    return io::json{{"birthday", data.birthday ? io::json(format_day(*data.birthday)) : io::json(nullptr)},
                    {"name", data.name},
                    {"phone", data.phone}}
        .dump();
}

std::optional<day> birthday_of(const std::string& member, const std::string& text) {
    const auto d = parse_day(text);
    if (!d) detail::fail("corrupt", "birthday of member '" + member + "' is '" + text + "'");
    return d;
}

personal_data personal_from_text(const std::string& member, const std::string& text) {
    return detail::read_as_stored("the personal data of member '" + member + "'", [&] {
        const io::json j = io::parse_exact(text);
        if (!j.is_object() || !j.contains("name") || !j.contains("phone") || !j.contains("birthday") ||
            !j["name"].is_string() || !j["phone"].is_string() || !(j["birthday"].is_null() || j["birthday"].is_string()))
            detail::fail("corrupt", "the personal data of member '" + member + "' decrypts to an unknown form");
        personal_data p{j["name"].get<std::string>(), j["phone"].get<std::string>(), std::nullopt};
        if (j["birthday"].is_string()) p.birthday = birthday_of(member, j["birthday"].get<std::string>());
        return p;
    });
}

}  // namespace

void store::put_personal(const std::string& member, const personal_data& data) {
    if (!keys_ && backend() == "postgresql")
        detail::fail("no_key_store",
                     "a PostgreSQL store keeps personal data only encrypted under per-member keys kept apart from it, "
                     "since it cannot erase a plain row for good (its dead rows and write-ahead log keep it): give "
                     "options::personal_keys (docs/store.md)");
    if (!keys_) {  // SQLite without a key file: plain text, erased for good by secure_delete
        db_->query("INSERT INTO personal (member, name, phone, birthday, sealed) VALUES (?, ?, ?, ?, '') "
                   "ON CONFLICT (member) DO UPDATE SET name = excluded.name, phone = excluded.phone, "
                   "birthday = excluded.birthday, sealed = ''",
                   {member, data.name, data.phone, data.birthday ? value(format_day(*data.birthday)) : value(nullptr)});
        return;
    }
    const std::string sealed = detail::seal_personal(keys_->key_for(member), member, personal_text(data));
    db_->query("INSERT INTO personal (member, name, phone, birthday, sealed) VALUES (?, '', '', NULL, ?) "
               "ON CONFLICT (member) DO UPDATE SET name = '', phone = '', birthday = NULL, sealed = excluded.sealed",
               {member, sealed});
}

std::optional<personal_data> store::personal(const std::string& member) const {
    const auto rows = db_->query("SELECT name, phone, birthday, sealed FROM personal WHERE member = ?", {member});
    if (rows.empty()) return std::nullopt;
    const std::string sealed = as_text(rows[0][3]);
    if (sealed.empty()) {
        personal_data p{as_text(rows[0][0]), as_text(rows[0][1]), std::nullopt};
        if (!detail::is_null(rows[0][2])) p.birthday = birthday_of(member, as_text(rows[0][2]));
        return p;
    }
    if (!keys_)
        detail::fail("no_key_store", "the personal data of member '" + member +
                                         "' is encrypted: open the store with its key file (options::personal_keys)");
    const std::optional<detail::personal_key> key = keys_->key_of(member);
    if (!key) return std::nullopt;  // erased: the key is gone, whatever copy of the row is left
    return personal_from_text(member, detail::open_personal(*key, member, sealed));
}

bool store::erase_personal(const std::string& member) {
    // The key first: once it is gone, no copy of the row (a dead row, the write-ahead log, a
    // backup) can be read, even if deleting the row below fails.
    const bool key_erased = keys_ && keys_->erase(member);
    // RETURNING works in SQLite >= 3.35 and PostgreSQL, and says whether a row was there.
    const bool erased = !db_->query("DELETE FROM personal WHERE member = ? RETURNING member", {member}).empty();
    db_->purge_deleted();  // also when nothing was there now: an earlier erasure may have been cut short
    return erased || key_erased;
}

int store::stored_schema_version() const { return detail::recorded_version(*db_); }

}  // namespace loyalty::store
