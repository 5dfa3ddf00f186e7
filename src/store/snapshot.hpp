#pragma once
// Member snapshots: each is written sealed to the head of the member's hash chain, and read back
// only if the seal holds and that head is still the chain's last entry (docs/store.md,
// "Snapshots"). A snapshot edited by hand, restored from an older copy or written by another
// program is loyalty.store.corrupt, never the base of a new batch.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty::store::detail {

// SHA-256 (hex) over a versioned tag, the member, the seq and hash of the chain head the state
// was written after (last_seq 0: the genesis hash) and the state as stored.
std::string snapshot_seal(const std::string& member, std::int64_t last_seq, const std::string& head,
                          const std::string& state_text);

// Inserts or replaces the member's snapshot with this revision, sealed to s.last_seq/s.last_hash.
void write_snapshot(connection& db, const member_state& s, std::int64_t revision);

// The member's stored state, checked (seal, chain head, state's own seq and hash); nullopt when
// the member has no snapshot. loyalty.store.corrupt when the check fails.
std::optional<member_state> read_snapshot(connection& db, const std::string& member);

// The stored revision of each member's snapshot (absent: none), read 100 members per statement.
std::map<std::string, std::int64_t> stored_revisions(connection& db, const std::vector<std::string>& members);

// For verify(): every stored snapshot must pass read_snapshot's check and equal `replayed`
// (the states a replay of the journal ends with), and every replayed member must have one. The
// first problem of a member is added to `report` unless it already names the member. Reads
// `page` snapshots per query.
void check_snapshots(connection& db, const std::map<std::string, member_state>& replayed, std::size_t page,
                     verification_report& report);

// Seals every snapshot stored without a seal (a database written before schema version 5).
void seal_unsealed_snapshots(connection& db);

}  // namespace loyalty::store::detail
