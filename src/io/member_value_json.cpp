// The member value rules in JSON (docs/member-value.md), read with the programme loader's
// conventions: exact numbers from their source text, unknown keys refused, null as absent,
// errors with an id under loyalty.program and the field's JSON pointer.
#include "loyalty/io/member_value_json.hpp"
#include "loyalty/io/journal_lines.hpp"

#include <array>
#include <fstream>
#include <sstream>

namespace loyalty::io {

namespace {

const std::string bands_domain = "loyalty.program";

std::int64_t integer_in(object_reader& r, std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                        const char* what) {
    const std::int64_t v = r.integer_or(key, fallback);
    if (v < lo || v > hi)
        r.fail(what, key, std::string(key) + " must be " + std::to_string(lo) + ".." + std::to_string(hi));
    return v;
}

// Four band thresholds, strictly increasing: a threshold equal to or below the one before it
// would leave a band empty or make two bands overlap.
template <class T, class Read, class Less>
std::array<T, 4> read_bands(object_reader& r, std::string_view key, const std::array<T, 4>& fallback, Read read, Less less) {
    const json* v = r.optional(key);
    if (!v) return fallback;
    const std::string ptr = r.pointer_of(key);
    if (!v->is_array() || v->size() != 4)
        throw error(bands_domain + ".invalid_bands", ptr, "expected an array of 4 thresholds, one per score 2..5");
    std::array<T, 4> out = fallback;
    for (std::size_t i = 0; i < 4; ++i) {
        out[i] = read((*v)[i], pointer_append(ptr, i));
        if (i > 0 && !less(out[i - 1], out[i]))
            throw error(bands_domain + ".unordered_bands", pointer_append(ptr, i),
                        "thresholds must be strictly increasing (bands in order, none overlapping)");
    }
    return out;
}

void read_rfm(const json& j, const std::string& ptr, const currency& c, member_value_rules& out) {
    object_reader r(j, ptr, bands_domain);
    const std::int64_t window = r.integer_or("window_days", out.window_days);
    if (window < 1) r.fail("invalid_window", "window_days", "the window must be at least one day");
    if (window > 3660) r.fail("invalid_window", "window_days", "the window must be at most 3660 days");
    out.window_days = window;
    const auto int_less = [](std::int64_t a, std::int64_t b) { return a < b; };
    out.bands.recency_days = read_bands(
        r, "recency_days", out.bands.recency_days,
        [](const json& v, const std::string& p) {
            const std::int64_t d = as_integer(v, p, bands_domain);
            if (d < 0 || d > 36600) throw error(bands_domain + ".invalid_bands", p, "days must be 0..36600");
            return d;
        },
        int_less);
    out.bands.frequency_visits = read_bands(
        r, "frequency_visits", out.bands.frequency_visits,
        [](const json& v, const std::string& p) {
            const std::int64_t n = as_integer(v, p, bands_domain);
            if (n < 1 || n > 100000) throw error(bands_domain + ".invalid_bands", p, "visits must be 1..100000");
            return n;
        },
        int_less);
    out.bands.monetary_amounts = read_bands(
        r, "monetary_amounts", out.bands.monetary_amounts,
        [&c](const json& v, const std::string& p) {
            const money m = as_money(v, c, p, bands_domain);
            if (m.is_zero() || m.is_negative()) throw error(bands_domain + ".invalid_bands", p, "an amount must be more than zero");
            return m.amount();
        },
        [](const decimal& a, const decimal& b) { return a < b; });
    r.finish();
}

void read_lifetime(const json& j, const std::string& ptr, lifetime_value_rules& out) {
    object_reader r(j, ptr, bands_domain);
    if (r.optional("retention")) {
        out.retention = r.number("retention");
        if (out.retention.is_negative() || !(out.retention < decimal::integer(1)) || out.retention.scale() > 6)
            r.fail("invalid_rate", "retention", "retention must be at least 0 and less than 1, with at most 6 decimals");
    }
    out.min_observed_days = integer_in(r, "min_observed_days", out.min_observed_days, 1, 3660, "invalid_period");
    out.include_vehicle_purchases = r.boolean_or("include_vehicle_purchases", out.include_vehicle_purchases);
    if (r.optional("rounding")) {
        const std::string s = r.string("rounding");
        const auto mode = parse_rounding(s);
        if (!mode) r.fail("invalid_rounding", "rounding", "unknown rounding '" + s + "' (down, up, half_up, half_even, toward_zero)");
        out.mode = *mode;
    }
    r.finish();
}

void read_stages(const json& j, const std::string& ptr, stage_rules& out) {
    object_reader r(j, ptr, bands_domain);
    out.new_owner_days = integer_in(r, "new_owner_days", out.new_owner_days, 0, 3660, "invalid_period");
    out.at_risk_after_days = integer_in(r, "at_risk_after_days", out.at_risk_after_days, 0, 36600, "invalid_period");
    out.lapsed_after_days = integer_in(r, "lapsed_after_days", out.lapsed_after_days, 0, 36600, "invalid_period");
    // lapsed is decided before at_risk: with lapsed_after_days <= at_risk_after_days no member
    // could ever be at risk.
    if (out.lapsed_after_days <= out.at_risk_after_days)
        r.fail("unreachable_stage", "lapsed_after_days",
               "lapsed_after_days must be more than at_risk_after_days, or no member could ever be at_risk");
    if (const json* hv = r.optional("high_value")) {
        object_reader h(*hv, r.pointer_of("high_value"), bands_domain);
        out.high_value_min_recency = static_cast<int>(integer_in(h, "recency", out.high_value_min_recency, 1, 5, "invalid_score"));
        out.high_value_min_frequency =
            static_cast<int>(integer_in(h, "frequency", out.high_value_min_frequency, 1, 5, "invalid_score"));
        out.high_value_min_monetary =
            static_cast<int>(integer_in(h, "monetary", out.high_value_min_monetary, 1, 5, "invalid_score"));
        h.finish();
    }
    r.finish();
}

void read_touch_points(const json& j, const std::string& ptr, touch_point_rules& out) {
    object_reader r(j, ptr, bands_domain);
    out.care_call_days = integer_in(r, "care_call_days", out.care_call_days, 0, 3660, "invalid_period");
    out.maintenance_months = integer_in(r, "maintenance_months", out.maintenance_months, 1, 120, "invalid_period");
    out.maintenance_km = integer_in(r, "maintenance_km", out.maintenance_km, 0, 1000000, "invalid_km");
    out.within_days = integer_in(r, "within_days", out.within_days, 0, 366, "invalid_period");
    r.finish();
}

}  // namespace

member_value_rules member_value_rules_from_json(const json& section, const std::string& pointer, const currency& c) {
    object_reader r(section, pointer, bands_domain);
    member_value_rules out;
    if (const json* j = r.optional("rfm")) read_rfm(*j, r.pointer_of("rfm"), c, out);
    if (const json* j = r.optional("lifetime_value")) read_lifetime(*j, r.pointer_of("lifetime_value"), out.lifetime);
    if (const json* j = r.optional("stages")) read_stages(*j, r.pointer_of("stages"), out.stages);
    if (const json* j = r.optional("touch_points")) read_touch_points(*j, r.pointer_of("touch_points"), out.touch_points);
    r.finish();
    return out;
}

member_value_rules load_member_value_rules(std::string_view text, const currency& c) {
    try {
        return member_value_rules_from_json(parse_exact(text), "", c);
    } catch (const error& e) {
        io::rethrow_in_domain(e, bands_domain);  // malformed JSON: say it is the programme's
    }
}

member_value_rules load_member_value_rules_file(const std::string& path, const currency& c) {
    return read_file_with(path, [&](std::string_view text) { return load_member_value_rules(text, c); });
}

json member_value_rules_to_json(const member_value_rules& m, const currency& c) {
    json amounts = json::array();
    for (const decimal& d : m.bands.monetary_amounts) {
        const auto amount = money::parse(d.to_string(), c);  // with all the currency's decimals ("1000.00")
        amounts.push_back(amount ? amount->to_string() : d.to_string());
    }
    return {{"rfm",
             {{"window_days", m.window_days},
              {"recency_days", m.bands.recency_days},
              {"frequency_visits", m.bands.frequency_visits},
              {"monetary_amounts", amounts}}},
            {"lifetime_value",
             {{"retention", m.lifetime.retention.to_string()},
              {"min_observed_days", m.lifetime.min_observed_days},
              {"include_vehicle_purchases", m.lifetime.include_vehicle_purchases},
              {"rounding", std::string(to_string(m.lifetime.mode))}}},
            {"stages",
             {{"new_owner_days", m.stages.new_owner_days},
              {"at_risk_after_days", m.stages.at_risk_after_days},
              {"lapsed_after_days", m.stages.lapsed_after_days},
              {"high_value",
               {{"recency", m.stages.high_value_min_recency},
                {"frequency", m.stages.high_value_min_frequency},
                {"monetary", m.stages.high_value_min_monetary}}}}},
            {"touch_points",
             {{"care_call_days", m.touch_points.care_call_days},
              {"maintenance_months", m.touch_points.maintenance_months},
              {"maintenance_km", m.touch_points.maintenance_km},
              {"within_days", m.touch_points.within_days}}}};
}

}  // namespace loyalty::io
