#pragma once
// The programme-wide reward stock in the store. The units left are spent by one writer at a
// time: a batch that may issue units of a stock-limited reward locks the reward before it reads
// the units issued, and every batch adds what it moved to the stored count instead of writing
// an absolute value, so a writer that needs no lock (a cancellation gives units back) is never
// overwritten. (A count read without a lock and written back lets concurrent writers issue
// more units than the stock.)
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "connection.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/audit/verify.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::store::detail {

// The rewards the redemptions among the batch's new events name that have a stock in the programme version in force
// at the redemption: those whose units it may issue.
std::set<std::string> stock_limited_rewards(const program_versions& versions, const std::vector<const event*>& batch);

// Locks them, in sorted order (after the members: every writer locks in that order, so none
// waits for another in a cycle). Call before reading the stock.
void lock_stock(connection& db, const program_versions& versions, const std::vector<const event*>& batch);

// Adds to each reward's stored count the units the batch moved (`after` - `before`, as the
// engine counted them from `before`, the count read under the locks).
void add_stock_moves(connection& db, const std::map<std::string, std::int64_t>& before,
                     const std::map<std::string, std::int64_t>& after);

// For verify(): the stored count of every reward equals what a replay of the journal issued (a
// reward no unit of which was ever issued may be absent or 0). One problem per reward that
// differs, with member "" (the stock is programme-wide).
void check_stock(const std::map<std::string, std::int64_t>& stored, const std::map<std::string, std::int64_t>& replayed,
                 verification_report& report);

}  // namespace loyalty::store::detail
