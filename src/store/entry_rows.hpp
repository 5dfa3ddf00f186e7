#pragma once
// Ledger entries as rows of the `entries` table, and back.
#include <cstddef>
#include <string>
#include <vector>

#include "connection.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty::store::detail {

// The columns of an entry, in the order entry_from_row reads them and entry_params binds them.
extern const char* const entry_columns;
// "(?, ?, ...)": one placeholder per column, for INSERT INTO entries (entry_columns) VALUES ...
extern const char* const entry_placeholders;
// entry_columns, each prefixed with "en." (for queries that join entries as `en`).
std::string entry_columns_of_en();

// The entry of a row whose entry_columns start at column `from`; loyalty.store.corrupt when a
// value does not read.
ledger_entry entry_from_row(const row& r, std::size_t from = 0);
// The values of entry_columns for `e`.
std::vector<value> entry_params(const ledger_entry& e);

}  // namespace loyalty::store::detail
