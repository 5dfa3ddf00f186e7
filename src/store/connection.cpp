// Choosing a backend from a URL, and the value helpers shared by both backends.
#include "connection.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace loyalty::store::detail {

void fail(const std::string& what, const std::string& message) { throw error("loyalty.store." + what, message); }

bool is_null(const value& v) { return std::holds_alternative<std::nullptr_t>(v); }

std::int64_t as_int(const value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t n = 0;
        const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec == std::errc() && end == s->data() + s->size()) return n;
        fail("corrupt", "expected an integer column, found '" + *s + "'");
    }
    fail("corrupt", "expected an integer column, found NULL");
}

namespace {

// A UTF-8 sequence starting with a given lead byte: its length and the range its second byte
// must fall in (Unicode 15, table 3-7). Length 0: the byte cannot start a sequence.
struct utf8_lead {
    std::size_t length = 0;
    unsigned char second_min = 0x80, second_max = 0xBF;
};

utf8_lead lead_of(unsigned char c) noexcept {
    if (c >= 0xC2 && c <= 0xDF) return {2};
    if (c == 0xE0) return {3, 0xA0, 0xBF};  // not overlong
    if (c == 0xED) return {3, 0x80, 0x9F};  // not a surrogate, D800..DFFF
    if (c >= 0xE1 && c <= 0xEF) return {3};
    if (c == 0xF0) return {4, 0x90, 0xBF};  // not overlong
    if (c >= 0xF1 && c <= 0xF3) return {4};
    if (c == 0xF4) return {4, 0x80, 0x8F};  // not past U+10FFFF
    return {};  // a continuation byte, an overlong lead (C0, C1) or F5..FF
}

}  // namespace

bool is_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        // ASCII, which nearly all stored text is, eight bytes at a time.
        if (s.size() - i >= 8) {
            std::uint64_t word;
            std::memcpy(&word, s.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const utf8_lead lead = lead_of(c);
        if (lead.length == 0 || s.size() - i < lead.length) return false;
        const auto second = static_cast<unsigned char>(s[i + 1]);
        if (second < lead.second_min || second > lead.second_max) return false;
        for (std::size_t k = 2; k < lead.length; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += lead.length;
    }
    return true;
}

void check_text_parameter(const std::string& text, std::size_t index, const std::string& sql) {
    const auto where = [&] { return "parameter " + std::to_string(index + 1) + " of '" + sql.substr(0, 60) + "'"; };
    if (text.find('\0') != std::string::npos)
        fail("invalid_text", where() + " holds a NUL byte, which no stored text may hold (PostgreSQL's cannot)");
    if (!is_utf8(text)) fail("invalid_text", where() + " is not UTF-8");
}

std::string read_text(const char* data, std::size_t size, int column, const std::string& sql) {
    std::string text(data, size);
    if (!is_utf8(text))
        fail("corrupt", "column " + std::to_string(column + 1) + " of a row read by '" + sql.substr(0, 60) +
                            "' is not UTF-8 (a damaged or hand-edited row)");
    return text;
}

std::string as_text(const value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    return {};
}

namespace {
bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

std::unique_ptr<connection> connect(const std::string& url, std::chrono::milliseconds busy_timeout) {
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) return connect_postgresql(url, busy_timeout);
    if (starts_with(url, "pg:")) return connect_postgresql(url.substr(3), busy_timeout);
    const std::string path = starts_with(url, "sqlite:") ? url.substr(7) : url;
    if (path.empty()) fail("bad_url", "no database file named in '" + url + "'");
    return connect_sqlite(path, busy_timeout);
}

std::string placeholders(std::size_t n) {
    std::string marks;
    marks.reserve(3 * n);
    for (std::size_t i = 0; i < n; ++i) marks += i == 0 ? "?" : ", ?";
    return marks;
}

}  // namespace loyalty::store::detail
