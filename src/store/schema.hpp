#pragma once
// The schema and its forward migrations.
#include "connection.hpp"

namespace loyalty::store::detail {

// Brings the database to schema_version (include/loyalty/store/store.hpp) in one transaction,
// creating it when empty; refuses a newer schema (loyalty.store.schema_too_new) and a database
// that lacks one of its tables (loyalty.store.missing_table). Returns the version found.
int migrate(connection& db);

// The version recorded in the database (0 for an empty one).
int recorded_version(connection& db);

// Applies the migrations from `from` up to `to` only (tests build old databases with it).
void migrate_between(connection& db, int from, int to);

}  // namespace loyalty::store::detail
