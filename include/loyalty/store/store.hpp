#pragma once
// Durable storage of the event journal, the ledger and member snapshots, in SQLite (one file,
// the embedded default) or PostgreSQL (a dealer group's server). One interface, both backends,
// the same schema. See docs/store.md.
//
//   auto db = loyalty::store::store::open("sqlite:club.db", versions);
//   loyalty::store::batch_result r = db->append(events);   // one transaction
//   std::optional<loyalty::member_state> m = db->member("M001");
//
// A store object is one connection: use one per thread. Several processes or threads may
// write to the same database at once; events of one member are applied one after another.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/audit/verify.hpp"
#include "loyalty/engine/journal.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty::store {

namespace detail {
class connection;
class engine_session;
class personal_key_store;
}

// The schema version this library writes. Older databases are migrated forward on open;
// a newer one is refused (loyalty.store.schema_too_new).
inline constexpr int schema_version = 10;

struct options {
    // How long a writer waits for another writer's transaction before giving up
    // (loyalty.store.busy). SQLite's busy handler; PostgreSQL's lock_timeout.
    std::chrono::milliseconds busy_timeout{60000};
    // How often a batch is tried again after a unique-violation or serialisation race
    // before loyalty.store.conflict is raised. Each try starts from what is committed.
    int conflict_retries = 5;
    // Member states kept in memory between batches (at most this many members), used while
    // the stored snapshot's revision is the one this store wrote or read last. 0: none.
    std::size_t snapshot_cache = 50000;
    // What one query reads where the store streams (verify(), for_each_entry()): this many
    // events with their entries, entries, or a fifth as many snapshots. Larger pages make fewer
    // round trips to a PostgreSQL server; memory grows with them.
    std::size_t read_page = 1000;
    // The key file under whose per-member keys personal data is stored, encrypted ("sqlite:PATH"
    // or a path; created when absent). Keep it apart from the database and its backups: erasing
    // a member deletes the member's key, which no copy of the database can then be read without
    // (docs/store.md, "Erasing a member's personal data"). Empty: no key file; SQLite then keeps
    // personal data as plain text (and still erases it for good), PostgreSQL refuses
    // put_personal (loyalty.store.no_key_store).
    std::string personal_keys;
};

// An event id is judged once: sent again with the same body, an event gets the answer it got
// (duplicate for an accepted one, the same refusal for a refused one); with another body it is
// refused as refusal::event_id_reused. Neither is applied or logged again.
enum class event_status {
    accepted,   // applied: the event, its entries and the snapshots are stored
    duplicate,  // accepted before (in an earlier batch or earlier in this one): nothing done
    refused,    // a business refusal (code, message): nothing applied; logged in `refusals` the first time
};

struct event_result {
    std::string event;
    std::string member;
    event_status status = event_status::accepted;
    refusal code = refusal::none;
    std::string message;
    std::vector<ledger_entry> entries;  // what the accepted event posted
};

struct batch_result {
    std::vector<event_result> events;  // one per event of the batch, in order
    std::size_t accepted = 0;
    std::size_t duplicates = 0;
    std::size_t refused = 0;
};

// Personal data, kept apart from the ledger and journal (which hold only the member id) so
// that it can be erased on request without touching the hash chain.
struct personal_data {
    std::string name;
    std::string phone;
    std::optional<day> birthday;
    friend bool operator==(const personal_data& a, const personal_data& b) {
        return a.name == b.name && a.phone == b.phone && a.birthday == b.birthday;
    }
};

// A refused event as logged, once per id (not part of the journal: replay never sees it).
struct refusal_record {
    std::string event;
    std::string member;
    std::string code;
    std::string message;
};

// What verify() tells its caller as it goes.
struct verify_hooks {
    // After each event of the journal is replayed: events replayed so far, and how many the
    // journal holds.
    std::function<void(std::size_t done, std::size_t total)> progress;
    // Every stored entry once, in the order the store wrote them (the order an anchor covers):
    // by the journal position of the event that posted it and, within one event (which may post
    // to several members), in the order its replay posts them. An entry the replay does not post
    // comes after those of its event, and one naming no event of the journal comes last.
    std::function<void(const ledger_entry&)> stored_entry;
    // False: the ledger only, without the snapshots and the reward stock.
    bool check_states = true;
};

class store {
public:
    // `url`: "sqlite:PATH" (or a plain path) for SQLite; "postgresql://..." / "postgres://..." (a
    // libpq URI) or "pg:KEY=VALUE ..." (a libpq connection string) for PostgreSQL. Creates the
    // schema when absent and migrates an older one. Errors: loyalty.store.* (docs/store.md).
    static std::unique_ptr<store> open(const std::string& url, program_versions versions, options opts = {});

    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;

    // Applies the events in order with the engine and stores the accepted ones with their
    // ledger entries, the new snapshots of every member they touched and the reward stock, in
    // ONE transaction: all of it or, on an error, none of it (the error is rethrown).
    batch_result append(const std::vector<event>& batch);

    // Reads. A member's state comes from its snapshot, without replay.
    std::optional<member_state> member(const std::string& id) const;
    std::vector<ledger_entry> ledger_of(const std::string& member) const;          // by seq
    std::vector<ledger_entry> ledger_between(instant from, instant to) const;       // from <= at < to
    std::vector<ledger_entry> ledger() const;                                       // every entry, by member and seq
    // Every entry, by member and seq, one at a time, from one state of the store (a read
    // transaction): a ledger of any length, in the memory of one page of entries.
    void for_each_entry(const std::function<void(const ledger_entry&)>& f) const;
    std::vector<event> journal() const;                                             // accepted events, in order
    std::optional<event> event_by_id(const std::string& id) const;
    std::vector<refusal_record> refusals() const;
    std::map<std::string, std::int64_t> reward_stock() const;                       // reward id -> units issued
    std::size_t event_count() const;

    // The auditor's check over what is stored: every chain holds, replaying the journal
    // reproduces the ledger (loyalty::verify), every snapshot equals its member's replayed state
    // and each reward's stock the units the replay issued. It reads one consistent state of the
    // store (a read transaction: writers may go on meanwhile) a page at a time, the journal and
    // the ledger side by side, so it holds the members' states and chain heads, never the
    // journal or the ledger: a brand's whole history verifies in the memory a replay takes.
    verification_report verify(const verify_hooks& hooks = {}) const;

    void put_personal(const std::string& member, const personal_data& data);
    std::optional<personal_data> personal(const std::string& member) const;
    // Removes the member's personal data; the ledger, journal and snapshots keep only the
    // pseudonymous member id, so every hash chain still verifies. True if there was any.
    bool erase_personal(const std::string& member);

    int stored_schema_version() const;
    // What open() did beyond opening, for a person to read: "" or, when it upgraded a store whose
    // ledger was written before ledger format 4 (and differs from it), that it wrote the ledger again from the journal
    // (docs/store.md, "Upgrading").
    const std::string& upgrade_notice() const noexcept { return upgrade_notice_; }
    const std::string& backend() const noexcept;  // "sqlite" or "postgresql"
    const program_versions& versions() const noexcept { return versions_; }

private:
    store(std::unique_ptr<detail::connection> c, program_versions v, options o);
    batch_result try_append(const std::vector<event>& batch);
    // Locks the members `events` may change or must read and seeds `session` with their stored
    // states; `revisions` gets the revision of each snapshot read (0: none).
    void lock_and_seed(const std::vector<const event*>& events, detail::engine_session& session,
                       std::map<std::string, std::int64_t>& revisions);
    void seed_members(const std::set<std::string>& members, detail::engine_session& session,
                      std::map<std::string, std::int64_t>& revisions);

    struct cached_state {
        std::int64_t revision = 0;
        member_state state;
    };

    std::unique_ptr<detail::connection> db_;
    std::unique_ptr<detail::personal_key_store> keys_;  // options::personal_keys, when given
    program_versions versions_;
    options opts_;
    std::map<std::string, cached_state> cache_;
    // Whom a member's events may post to besides the member, learnt from snapshots: the
    // referrer (set at enrolment, never changes), fleet accounts (the member's, and those a
    // reversible event's spend counted toward) and an account's members. The next batch with an
    // event of the member locks them with the members it names, in order.
    std::map<std::string, std::set<std::string>> linked_;
    std::string upgrade_notice_;
    std::size_t links_learnt_ = 0;  // insertions into linked_: a try that learnt nothing made no progress
};

}  // namespace loyalty::store
