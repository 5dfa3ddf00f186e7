// Choosing a backend from a URL, and the value helpers shared by both backends.
#include "connection.hpp"

#include <charconv>

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

}  // namespace loyalty::store::detail
