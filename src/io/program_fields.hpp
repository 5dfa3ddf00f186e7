#pragma once
// Field readers shared by the programme loaders (program_json.cpp, benefit_json.cpp).
// Internal to loyalty::io; not installed.
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/io/json.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::io::program_fields {

inline const std::string domain = "loyalty.program";

// An optional field is given when present and not null; null counts as absent everywhere.
inline bool given(object_reader& r, std::string_view key) { return r.optional(key) != nullptr; }

template <class T, class Parse>
std::vector<T> enum_list(object_reader& r, std::string_view key, Parse parse, const char* what) {
    std::vector<T> out;
    const json* v = r.optional(key);
    if (!v) return out;
    const std::string ptr = r.pointer_of(key);
    if (!v->is_array()) throw error(domain + ".type_error", ptr, "expected an array");
    for (std::size_t i = 0; i < v->size(); ++i) {
        const std::string s = as_string((*v)[i], pointer_append(ptr, i), domain);
        const auto parsed = parse(s);
        if (!parsed) throw error(domain + ".invalid_" + what, pointer_append(ptr, i), "unknown " + std::string(what) + " '" + s + "'");
        out.push_back(*parsed);
    }
    return out;
}

inline std::vector<std::string> string_list(object_reader& r, std::string_view key) {
    std::vector<std::string> out;
    const json* v = r.optional(key);
    if (!v) return out;
    const std::string ptr = r.pointer_of(key);
    if (!v->is_array()) throw error(domain + ".type_error", ptr, "expected an array of strings");
    for (std::size_t i = 0; i < v->size(); ++i) out.push_back(as_string((*v)[i], pointer_append(ptr, i), domain));
    return out;
}

inline rounding read_rounding(object_reader& r, std::string_view key) {
    const std::string s = r.string(key);
    const auto mode = parse_rounding(s);
    if (!mode) r.fail("invalid_rounding", key, "unknown rounding '" + s + "' (down, up, half_up, half_even, toward_zero)");
    return *mode;
}

inline period read_period(object_reader& r) {
    period p;
    const std::string kind = r.string("period");
    const auto k = parse_period_kind(kind);
    if (!k) r.fail("invalid_period", "period", "unknown period '" + kind + "' (calendar_year, calendar_month, anniversary_year, rolling_days)");
    p.kind = *k;
    if (p.kind == period_kind::rolling_days) {
        const std::int64_t days = r.integer("days");
        if (days < 1 || days > 3660) r.fail("invalid_period", "days", "days must be 1..3660");
        p.days = static_cast<int>(days);
    }
    return p;
}

// A line filter. earn_on_covered_lines is a key of earning rules only; elsewhere it is unknown.
inline line_filter read_lines(const json& j, const std::string& ptr, bool for_earning) {
    object_reader r(j, ptr, domain);
    line_filter f;
    f.kinds = enum_list<line_kind>(r, "kinds", parse_line_kind, "line_kind");
    f.categories = string_list(r, "categories");
    f.exclude_categories = string_list(r, "exclude_categories");
    f.operations = string_list(r, "operations");
    f.exclude_flags = enum_list<line_flag>(r, "exclude_flags", parse_line_flag, "flag");
    if (for_earning) f.earn_on_covered_lines = r.boolean_or("earn_on_covered_lines", false);
    r.finish();
    return f;
}


// A money amount in the programme's currency, e.g. "200.00".
inline money read_money(object_reader& r, std::string_view key, const currency& c) {
    const money m = r.amount(key, c);
    if (m.is_negative()) r.fail("invalid_amount", key, "an amount cannot be negative");
    return m;
}

// Who funds a rule, benefit or reward: "funder" (checked against the programme's funders once
// everything is read: check_funders in program_json.cpp), "cost_per_point" (earning rules: an
// exact decimal amount of the programme currency per point) and "cost_per_use" (benefits: money).
inline funding_terms read_funding(object_reader& r, bool per_point, const currency* per_use) {
    funding_terms f;
    if (given(r, "funder")) f.funder = r.string("funder");  // an empty one is refused (empty_string)
    if (per_point && given(r, "cost_per_point")) {
        f.cost_per_point = r.number("cost_per_point");
        if (*f.cost_per_point < decimal::integer(0)) r.fail("invalid_amount", "cost_per_point", "a cost cannot be negative");
    }
    if (per_use && given(r, "cost_per_use")) f.cost_per_use = read_money(r, "cost_per_use", *per_use);
    return f;
}

}  // namespace loyalty::io::program_fields
