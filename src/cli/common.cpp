#include "common.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include <locale.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_json.hpp"

namespace loyalty::cli {

program_versions load_programs(const std::vector<std::string>& paths) {
    program_versions versions;
    for (const std::string& path : paths) {
        try {
            versions.add(io::load_program_file(path));
        } catch (const error& e) {
            throw e.in_file(path);
        }
    }
    return versions;
}

std::unique_ptr<replay_run> replay_items(const program_versions& versions, const std::vector<journal_item>& items,
                                         std::size_t count, bool check_assertions,
                                         const std::function<bool(const journal_item&)>& keep,
                                         const std::function<bool(const journal_item&, const outcome&)>& after) {
    auto run = std::make_unique<replay_run>(versions);
    for (std::size_t i = 0; i < count && i < items.size(); ++i) {
        const journal_item& item = items[i];
        if (keep && !keep(item)) continue;
        if (item.is_assertion) {
            if (!check_assertions) continue;
            ++run->assertions_checked;
            if (auto failed = check(versions, run->runner.members(), item.assertion))
                run->failed_assertions.push_back(std::move(*failed));
            continue;
        }
        const outcome o = run->runner.apply(item.event);
        if (o.accepted())
            ++run->applied;
        else
            run->refusals.push_back({item.line, run->runner.refusals().back()});
        if (after && !after(item, o)) break;
    }
    return run;
}

progress::progress(std::string doing, std::size_t events)
    : doing_(std::move(doing)), total_(events), tty_(isatty(STDERR_FILENO) == 1) {}

progress::progress(std::string doing, const std::string& journal_path)
    : doing_(std::move(doing)), of_file_(true), tty_(isatty(STDERR_FILENO) == 1) {
    std::error_code failed;
    const std::uintmax_t size = std::filesystem::file_size(journal_path, failed);
    if (!failed) total_ = size;
}

void progress::step(std::size_t line) { show(line, done_ + 1); }
void progress::step(const journal_item& item) { show(item.line, item.bytes_read); }

void progress::show(std::size_t line, std::uintmax_t at) {
    constexpr std::size_t every = 10000;
    if (++done_ % every != 0 || !tty_) return;
    const std::uintmax_t share = total_ == 0 ? 100 : std::min<std::uintmax_t>(at * 100 / total_, 100);
    std::cerr << "\r" << doing_ << " journal line " << line << ": " << done_;
    if (of_file_)
        std::cerr << " events" << (total_ > 0 ? ", " + std::to_string(share) + "% of the file" : std::string());
    else
        std::cerr << " of " << total_ << " events (" << share << "%)";
    std::cerr << std::flush;
    shown_ = true;
}

void progress::clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
}

int report_bad_lines(const journal_file& j) {
    for (const bad_line& b : j.bad) std::cerr << "malformed " << b.text() << "\n";
    return j.bad.empty() ? exit_ok : exit_bad_input;
}

void add_source_options(CLI::App& cmd, source_options& o, bool events_required) {
    cmd.add_option("--program,-p", o.programs, "programme JSON file (repeat for several versions)")->required();
    auto* ev = cmd.add_option("--events,-e", o.events, "event journal, JSON lines");
    if (events_required) ev->required();
}

namespace {
bool wide_output = false;
}  // namespace

void add_format_options(CLI::App& cmd, format& f, bool csv) {
    auto* j = cmd.add_flag_callback("--json", [&f] { f = format::json; }, "machine-readable JSON on stdout");
    if (csv) cmd.add_flag_callback("--csv", [&f] { f = format::csv; }, "CSV on stdout")->excludes(j);
    cmd.add_flag_callback("--wide", [] { wide_output = true; },
                          "text tables in full, however wide (else their last column wraps to the terminal's width)");
}

std::size_t output_columns() {
    if (wide_output) return 0;
    const auto from_env = [](const char* name) -> std::size_t {
        const char* env = std::getenv(name);
        if (!env || !*env) return 0;
        char* end = nullptr;
        const long n = std::strtol(env, &end, 10);
        return *end == '\0' && n > 0 ? static_cast<std::size_t>(n) : 0;
    };
    if (const std::size_t forced = from_env("LOYALTY_COLUMNS")) return forced;  // scripts and tests
    if (!::isatty(STDOUT_FILENO)) return 0;  // a file or a pipe gets every line whole
    if (const std::size_t columns = from_env("COLUMNS")) return columns;
    winsize ws{};
    return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}

std::string exit_codes_help() {
    return "Exit codes: 0 success; 1 problems found (an invalid programme, a failed verification or balance\n"
           "assertion, refusals with --strict); 2 bad input (a file or store that cannot be read, a malformed\n"
           "line, an unknown member or event, a bad option); 3 internal error (a bug). docs/cli.md has more.";
}

void set_help_example(CLI::App& cmd, const std::string& example) {
    cmd.footer("Example:\n  " + example + "\n\n" + exit_codes_help());
}

int guarded(format out, const std::function<int()>& body) {
    try {
        const int code = body();
        // Output that could not be written (a full disk, a closed pipe) is a failed command,
        // never a silent success.
        std::cout.flush();
        if (!std::cout) throw error("loyalty.io.cannot_write", "cannot write the output (standard output)");
        return code;
    } catch (const error& e) {
        if (out == format::json) {  // one JSON object on one line, as a program reading --json expects
            const auto known = [](std::size_t n) { return n > 0 ? json(n) : json(nullptr); };
            std::cerr << json{{"error", e.id()},
                              {"pointer", e.pointer()},
                              {"file", e.file().empty() ? json(nullptr) : json(e.file())},
                              {"line", known(e.line())},
                              {"column", known(e.column())},
                              {"message", e.message()}}
                             .dump()
                      << "\n";
        }
        else
            std::cerr << "error: " << e.what() << "\n";
        return exit_bad_input;
    } catch (const std::exception& e) {
        if (out == format::json)
            std::cerr << json{{"error", "loyalty.internal"}, {"pointer", ""}, {"file", nullptr}, {"line", nullptr},
                              {"column", nullptr}, {"message", e.what()}}
                             .dump()
                      << "\n";
        else
            std::cerr << "internal error: " << e.what() << "\n";
        return exit_internal;
    }
}

namespace {

// A number as the tables write one: an optional sign, digits, and decimals ("-1000", "+2.50").
// Right-aligned in tables, and never taken for a formula in CSV.
bool numeric(const std::string& s) {
    if (s.empty()) return false;
    std::size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
    const std::size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return false;
    if (i < s.size() && s[i] == '.') {
        const std::size_t decimals = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        if (i == decimals) return false;
    }
    return i == s.size();
}

// Display width: count UTF-8 lead bytes.
// The code point of the UTF-8 sequence at s[i], advancing i past it; a byte that begins no
// well-formed sequence is taken alone (as U+FFFD, one column).
char32_t next_code_point(const std::string& s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > s.size()) {
        ++i;
        return lead < 0x80 ? lead : 0xFFFD;
    }
    char32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += length;
    return cp;
}

// The columns a terminal gives `s` (UTF-8), by glibc's wcwidth() in the C.UTF-8 locale: two for
// CJK and other wide characters (a member named 王芳 takes four), none for combining marks; one
// for what it does not know. Tables align by it.
std::size_t width(const std::string& s) {
    static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    const locale_t before = utf8 ? uselocale(utf8) : static_cast<locale_t>(nullptr);
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char32_t cp = next_code_point(s, i);
        const int w = utf8 ? ::wcwidth(static_cast<wchar_t>(cp)) : 1;
        n += w < 0 ? 1 : static_cast<std::size_t>(w);
    }
    if (utf8) uselocale(before);
    return n;
}

// A cell of CSV (RFC 4180 quoting). Text a spreadsheet would run as a formula (OWASP's CSV
// injection: a cell starting with =, +, -, @, a tab or a carriage return, such as a member name
// "=HYPERLINK(...)") is written as text, with a single quote before it; numbers stay numbers.
std::string csv_cell(const std::string& text) {
    std::string s = text;
    if (!s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos && !numeric(s))
        s.insert(0, 1, '\'');
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

namespace {

// `text` cut into lines of at most `room` columns, at spaces where it can be (a word longer than
// the room is cut inside it).
std::vector<std::string> wrapped(const std::string& text, std::size_t room) {
    std::vector<std::string> out;
    std::string line;
    std::size_t used = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t end = text.find(' ', i);
        if (end == std::string::npos) end = text.size();
        std::string word = text.substr(i, end - i);
        i = end + 1;
        while (!word.empty()) {
            const std::size_t need = (used ? used + 1 : 0) + width(word);
            if (need <= room) {
                line += (used ? " " : "") + word;
                used = need;
                word.clear();
            } else if (used) {
                out.push_back(line);
                line.clear();
                used = 0;
            } else {  // a word wider than the room: as many whole characters as fit
                std::size_t k = 0, cols = 0;
                while (k < word.size()) {
                    std::size_t next = k;
                    next_code_point(word, next);
                    const std::size_t wch = width(word.substr(k, next - k));
                    if (cols + wch > room && cols > 0) break;
                    cols += wch;
                    k = next;
                }
                out.push_back(word.substr(0, k));
                word.erase(0, k);
            }
        }
    }
    if (used || out.empty()) out.push_back(line);
    return out;
}

}  // namespace

void table::print(std::ostream& out, const std::string& indent) const {
    std::vector<std::size_t> w(header_.size(), 0);
    for (std::size_t c = 0; c < header_.size(); ++c) w[c] = width(header_[c]);
    for (const auto& row : rows_)
        for (std::size_t c = 0; c < row.size() && c < w.size(); ++c) w[c] = std::max(w[c], width(row[c]));
    // On a terminal narrower than the table (or COLUMNS), the last column, text such as a reason,
    // wraps under itself; --wide keeps every line whole.
    std::size_t room = 0;  // columns for the last cell; 0: as wide as it is
    if (const std::size_t columns = output_columns(); columns > 0 && !w.empty()) {
        std::size_t start = width(indent);
        for (std::size_t c = 0; c + 1 < w.size(); ++c) start += w[c] + 2;
        constexpr std::size_t at_least = 20;  // narrower than this, wrapping helps nobody
        if (start + w.back() > columns) room = columns > start + at_least ? columns - start : at_least;
    }
    auto line = [&](const std::vector<std::string>& row, bool head) {
        std::string s = indent;
        std::vector<std::string> rest;  // the last cell's further lines
        std::size_t start = 0;
        for (std::size_t c = 0; c < w.size(); ++c) {
            std::string cell = c < row.size() ? row[c] : "";
            const bool last = c + 1 == w.size();
            if (last && room > 0 && width(cell) > room && !numeric(cell)) {
                rest = wrapped(cell, room);
                cell = rest.front();
                rest.erase(rest.begin());
                start = width(s);
            }
            const std::string pad(w[c] > width(cell) ? w[c] - width(cell) : 0, ' ');
            if (!head && numeric(cell))
                s += pad + cell;
            else
                s += cell + (last ? "" : pad);
            if (!last) s += "  ";
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << "\n";
        for (const std::string& more : rest) out << std::string(start, ' ') << more << "\n";
    };
    line(header_, true);
    for (const auto& row : rows_) line(row, false);
}

void table::print_csv(std::ostream& out) const {
    auto line = [&](const std::vector<std::string>& row) {
        for (std::size_t c = 0; c < row.size(); ++c) out << (c ? "," : "") << csv_cell(row[c]);
        out << "\n";
    };
    line(header_);
    for (const auto& row : rows_) line(row);
}

std::string pt(points p) { return to_string(p); }

std::string table_instant(format out, const time_zone& zone, instant t) {
    return out == format::csv ? format_instant(t) : zone.format_local(t);
}

const time_zone& zone_at(const program_versions& versions, instant t) {
    const program* p = versions.at(t);
    return (p ? *p : versions.latest()).zone;
}

json entry_json(const ledger_entry& e) { return io::entry_to_json(e); }

instant parse_instant_option(const std::string& text, const std::string& option) {
    const auto t = parse_instant(text);
    if (!t)
        throw error("loyalty.cli.invalid_instant",
                    option + " '" + text + "' is not an RFC 3339 instant such as 2026-03-01T10:00:00+08:00");
    return *t;
}

as_of_point parse_as_of(const std::string& text, const time_zone& zone) {
    if (text.size() == 10 && text.find_first_of("Tt") == std::string::npos)  // YYYY-MM-DD
        return {zone.start_of(parse_day_option(text, "--as-of") + date::days(1))};
    const auto t = parse_instant(text);
    if (!t)
        throw error("loyalty.cli.invalid_instant", "--as-of '" + text +
                                                       "' is neither a day such as 2026-03-01 nor an RFC 3339 instant "
                                                       "such as 2026-03-01T10:00:00+08:00");
    return {*t + std::chrono::seconds(1)};
}

day parse_day_option(const std::string& text, const std::string& option) {
    const auto d = parse_day(text);
    if (!d) throw error("loyalty.cli.invalid_date", option + " '" + text + "' is not a date such as 2026-03-01");
    return *d;
}

}  // namespace loyalty::cli
