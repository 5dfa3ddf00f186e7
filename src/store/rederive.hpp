#pragma once
// Writing a store's ledger again from its journal, when the ledger's format changed (docs/store.md,
// "Upgrading"): the journal is the source of truth, and the entries, snapshots and reward stock
// are what a replay of it writes under this version of the library.
#include <cstddef>
#include <functional>

#include "connection.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty::store::detail {

// True when a migration left the ledger to be written again (loyalty_meta 'ledger_rederive').
bool rederive_pending(connection& db);

// In one write transaction: replays every stored event in journal order (`page` at a time),
// replaces every entry, every snapshot (its revision goes up by one) and the reward stock with
// what the replay writes, and clears the mark. All or nothing: an event the replay refuses is
// loyalty.store.rederive_refused (naming it), and the store is left as it was. Returns the
// events replayed; `progress(done, total)` after each.
std::size_t rederive_ledger(connection& db, const program_versions& versions, std::size_t page,
                            const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace loyalty::store::detail
