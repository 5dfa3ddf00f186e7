#include "journal_reader.hpp"

#include <utility>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/json.hpp"

namespace loyalty::cli {

std::string bad_line::text() const {
    return "line " + std::to_string(line) + (column > 0 ? ", column " + std::to_string(column) : std::string()) +
           ": [" + id + "] " + (pointer.empty() ? "" : "(" + pointer + ") ") + message;
}

std::size_t journal_file::usable(bool keep_going) const {
    if (keep_going || bad.empty()) return items.size();
    std::size_t n = 0;
    while (n < items.size() && items[n].line < bad.front().line) ++n;
    return n;
}

namespace {

balance_assertion assertion_from_json(const io::json& doc) {
    io::object_reader r(doc, "", "loyalty.assert");
    balance_assertion a;
    a.id = r.string("id");
    a.member = r.string("member");
    a.at = r.time("at");
    r.string("type");
    a.balance = points(r.integer("balance"));
    r.finish();
    return a;
}

// Whether a line the event reader refused is a balance assertion ("type": "assert_balance").
bool is_assertion(std::string_view text) {
    if (text.find("assert_balance") == std::string_view::npos) return false;
    try {
        const io::json doc = io::parse_exact(text);
        const auto type = doc.is_object() ? doc.find("type") : doc.end();
        return type != doc.end() && type->is_string() && type->get_ref<const std::string&>() == "assert_balance";
    } catch (const error&) {
        return false;
    }
}

}  // namespace

journal_reader::journal_reader(const std::string& path, const currency& default_currency)
    : lines_(path), currency_(default_currency) {}

journal_reader::line_kind journal_reader::next(journal_item& item, bad_line& bad) {
    std::string_view text;
    if (!lines_.next(text)) return line_kind::end;
    item.line = lines_.line_number();
    item.bytes_read = lines_.bytes_read();
    try {
        // An event, read by the library's journal reader (the fast path, its error ids); a line
        // it refuses may be a balance assertion, which only the tool knows.
        try {
            io::load_event_into(text, currency_, item.event);  // its room reused, line after line
            item.is_assertion = false;
            return line_kind::item;
        } catch (const error&) {
            if (!is_assertion(text)) throw;
        }
        item.assertion = assertion_from_json(io::parse_exact(text));
        item.is_assertion = true;
        return line_kind::item;
    } catch (const error& e) {
        bad = bad_line{item.line, e.column(), e.id(), e.pointer(), e.message()};
        return line_kind::bad;
    }
}

journal_file read_journal(const std::string& path, const currency& default_currency) {
    journal_file out;
    for_each_line(
        path, default_currency, [&](journal_item& item) { out.items.push_back(std::exchange(item, journal_item{})); },
        [&](bad_line& bad) { out.bad.push_back(std::move(bad)); });
    return out;
}

journal_scan scan_journal(const std::string& path, const currency& default_currency) {
    journal_scan out;
    for_each_line(
        path, default_currency, [&](const journal_item& item) { ++(item.is_assertion ? out.assertions : out.events); },
        [&](bad_line& bad) { out.bad.push_back(std::move(bad)); });
    return out;
}

}  // namespace loyalty::cli
