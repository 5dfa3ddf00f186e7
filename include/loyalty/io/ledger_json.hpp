#pragma once
// Ledger entries as JSON (one object per entry, JSON lines for a ledger file).
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/io/atomic_file.hpp"
#include "loyalty/io/journal_lines.hpp"
#include "loyalty/io/json.hpp"
#include "loyalty/ledger/entry.hpp"

namespace loyalty::io {

// An earn entry's figures as the ledger writes them (docs/ledger.md, "Earn figures"); reading
// refuses decimals not written as the writer writes them (loyalty.ledger.noncanonical_number),
// since the text is hashed.
json figures_to_json(const earn_figures& f);
earn_figures figures_from_json(const json& j, const std::string& pointer = "");
// An entry's reason arguments as a format-5 line writes them (docs/ledger.md, "args"), and back.
json args_to_json(const reason_args& a);
reason_args args_from_json(const json& j, const std::string& pointer = "");
json entry_to_json(const ledger_entry& e);
ledger_entry entry_from_json(const json& j, const std::string& pointer = "");
// An entry's line of a ledger file, '\n' included, appended to `out`: entry_to_json(e).dump()
// byte for byte, written straight from the fields (no JSON tree). Raises
// loyalty.ledger.invalid_utf8 for text that is not UTF-8 (and leaves `out` as it was).
void append_ledger_line(std::string& out, const ledger_entry& e);
void append_ledger_line(std::string& out, const entry_view& e);
std::string ledger_to_jsonl(const std::vector<ledger_entry>& entries);
// Appends one entry to a ledger file being written, as a line of ledger_to_jsonl.
void write_ledger_line(atomic_file& file, const ledger_entry& e);
void write_ledger_line(atomic_file& file, const entry_view& e);
// Every entry of a ledger's JSON lines (blank lines skipped). Each line is read with simdjson,
// the same entry or the same error (id, pointer, message) as entry_from_json(parse_exact(line))
// gives, with the line number; parse_exact's loyalty.json.* errors are loyalty.ledger.*.
std::vector<ledger_entry> load_ledger(std::string_view jsonl_text);
// A ledger file read one entry at a time, so a ledger of any length is streamed. Errors as
// load_ledger_file's.
class ledger_reader {
public:
    explicit ledger_reader(const std::string& path);  // loyalty.io.cannot_open
    // The next entry into `e`; false at the end of the file.
    bool next(ledger_entry& e);

private:
    journal_lines lines_;
};

// A ledger file: loyalty.io.cannot_open when it cannot be opened (or is a directory),
// loyalty.io.cannot_read when reading fails; a bad line's error names the file in its message
// and the line in its pointer.
std::vector<ledger_entry> load_ledger_file(const std::string& path);

}  // namespace loyalty::io
