#pragma once
// Ledger entries as JSON (one object per entry, JSON lines for a ledger file).
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/io/atomic_file.hpp"
#include "loyalty/io/json.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty::io {

json entry_to_json(const ledger_entry& e);
ledger_entry entry_from_json(const json& j, const std::string& pointer = "");
std::string ledger_to_jsonl(const std::vector<ledger_entry>& entries);
// Appends one entry to a ledger file being written, as a line of ledger_to_jsonl.
void write_ledger_line(atomic_file& file, const ledger_entry& e);
std::vector<ledger_entry> load_ledger(std::string_view jsonl_text);
// A ledger file: loyalty.io.cannot_open when it cannot be read; an error's message names the file.
std::vector<ledger_entry> load_ledger_file(const std::string& path);

}  // namespace loyalty::io
