#pragma once
// Reading a journal (JSON lines) for the commands: one line at a time, so a long journal is
// never held in memory by a command that streams it, or all at once for those that need it.
// Balance assertions (`"type": "assert_balance"`) are split out from engine events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/audit/balance_assertion.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/io/journal_lines.hpp"

namespace loyalty::cli {

// One line of a journal: an engine event or a balance assertion.
struct journal_item {
    std::size_t line = 0;
    std::uint64_t bytes_read = 0;  // of the file, up to the end of this line (for progress)
    bool is_assertion = false;
    loyalty::event event;
    balance_assertion assertion;
    instant at() const { return is_assertion ? assertion.at : event.at; }
    const std::string& id() const { return is_assertion ? assertion.id : event.id; }
};

struct bad_line {
    std::size_t line = 0;
    std::size_t column = 0;  // where the reader knows it (a JSON syntax error), else 0
    std::string id, pointer, message;
    // "line 7: [loyalty.event.missing_field] (/lines/0/unit_price) ...", "line 2, column 74: [...] ..."
    std::string text() const;
};

// Reads a journal file line by line (io::journal_lines: blank lines skipped, cannot_open,
// cannot_read), each line into an event or an assertion, or a malformed line.
class journal_reader {
public:
    journal_reader(const std::string& path, const currency& default_currency);

    enum class line_kind { end, item, bad };
    // Reads the next non-blank line into `item` (a good line) or `bad` (a malformed one).
    line_kind next(journal_item& item, bad_line& bad);

private:
    io::journal_lines lines_;
    currency currency_;
};

// Reads every line of the journal at `path` in order: each good line to on_item(journal_item&),
// each malformed one to on_bad(bad_line&). With `on_ahead`, each good line is read one line
// early and shown to on_ahead(const journal_item&) before the line before it goes to on_item
// (journal_runner::prefetch() warms the caches for it that way); the order of on_item and
// on_bad calls is the file's either way.
template <class OnItem, class OnBad, class OnAhead>
void for_each_line(const std::string& path, const currency& default_currency, OnItem&& on_item, OnBad&& on_bad,
                   OnAhead&& on_ahead) {
    journal_reader reader(path, default_currency);
    journal_item items[2];
    journal_item* held = nullptr;  // a good line read and shown ahead, not handed on yet
    bad_line bad;
    for (;;) {
        journal_item& into = held == &items[0] ? items[1] : items[0];
        const journal_reader::line_kind kind = reader.next(into, bad);
        if (kind == journal_reader::line_kind::item) {
            on_ahead(static_cast<const journal_item&>(into));
            if (held) on_item(*held);
            held = &into;
            continue;
        }
        if (held) on_item(*held);
        held = nullptr;
        if (kind == journal_reader::line_kind::end) return;
        on_bad(bad);
    }
}
template <class OnItem, class OnBad>
void for_each_line(const std::string& path, const currency& default_currency, OnItem&& on_item, OnBad&& on_bad) {
    for_each_line(path, default_currency, on_item, on_bad, [](const journal_item&) {});
}

// The journal's good lines in order, read one at a time; its malformed lines (reported by a
// first reading, scan_journal) are skipped.
template <class OnItem>
void for_each_good_line(const std::string& path, const currency& default_currency, OnItem&& on_item) {
    for_each_line(path, default_currency, on_item, [](const bad_line&) {});
}

struct journal_file {
    std::vector<journal_item> items;  // the good lines, in file order
    std::vector<bad_line> bad;        // the malformed lines, in file order
    // The items before the first bad line (all of them when there is none).
    std::size_t usable(bool keep_going) const;
};

// The whole journal in memory, for commands that need it all (reports, statements).
journal_file read_journal(const std::string& path, const currency& default_currency);

// What a first reading of a journal found, holding nothing of it: how many events and
// assertions, and every malformed line. A command that must not apply a malformed journal
// reads it once with this before applying anything.
struct journal_scan {
    std::size_t events = 0;
    std::size_t assertions = 0;
    std::vector<bad_line> bad;
};
journal_scan scan_journal(const std::string& path, const currency& default_currency);

// Reads the journal once, for a command whose work can be thrown away (a ledger written
// through an atomic file, a verification): each good line goes to on_item(journal_item&) until
// the first malformed line; from there, unless keep_going, the rest is read only to find its
// malformed lines, and the command drops what it did. Returns what the reading found, as
// scan_journal does, so that one reading does what a scan and a second reading did.
// `on_ahead` is for_each_line's: each good line, one line before on_item gets it.
template <class OnItem, class OnAhead>
journal_scan read_journal_once(const std::string& path, const currency& default_currency, bool keep_going,
                               OnItem&& on_item, OnAhead&& on_ahead) {
    journal_scan out;
    for_each_line(
        path, default_currency,
        [&](journal_item& item) {
            ++(item.is_assertion ? out.assertions : out.events);
            if (keep_going || out.bad.empty()) on_item(item);
        },
        [&](bad_line& bad) { out.bad.push_back(std::move(bad)); }, on_ahead);
    return out;
}
template <class OnItem>
journal_scan read_journal_once(const std::string& path, const currency& default_currency, bool keep_going,
                               OnItem&& on_item) {
    return read_journal_once(path, default_currency, keep_going, on_item, [](const journal_item&) {});
}

}  // namespace loyalty::cli
