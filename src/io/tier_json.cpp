// The "tiers" section of a programme: ordered levels, the window, the downgrade policy.
#include "tier_json.hpp"
#include "loyalty/io/program_to_json.hpp"

#include <set>

#include "program_fields.hpp"

namespace loyalty::io {

namespace {

using namespace program_fields;

tier_threshold read_threshold(const json& j, const std::string& ptr, const currency& c) {
    object_reader r(j, ptr, domain);
    tier_threshold t;
    if (given(r, "points")) {
        const std::int64_t n = r.integer("points");
        if (n < 0 || n > 1'000'000'000'000) r.fail("invalid_points", "points", "points must be 0..10^12");
        t.qualifying_points = points(n);
    }
    if (given(r, "spend")) t.spend = read_money(r, "spend", c);
    if (given(r, "visits")) {
        const std::int64_t n = r.integer("visits");
        if (n < 0 || n > 100000) r.fail("invalid_threshold", "visits", "visits must be 0..100000");
        t.visits = n;
    }
    if (given(r, "vehicles")) {
        const std::int64_t n = r.integer("vehicles");
        if (n < 0 || n > 100000) r.fail("invalid_threshold", "vehicles", "vehicles must be 0..100000");
        t.vehicles = n;
    }
    if (!t.stated())
        throw error(domain + ".invalid_threshold", ptr, "a threshold states points, spend, visits or vehicles");
    r.finish();
    return t;
}

// Measure by measure, `upper` must be strictly above `lower` (qualify of the next tier over the
// tier below), or not above it (retain against the same tier's qualify).
void compare(const tier_threshold& lower, const tier_threshold& upper, const std::string& ptr, bool strictly_above,
             const std::string& id, const std::string& what) {
    auto check = [&](bool both, bool ok, const char* key) {
        if (both && !ok) throw error(domain + "." + id, pointer_append(ptr, key), what);
    };
    if (strictly_above) {
        check(lower.qualifying_points && upper.qualifying_points,
              upper.qualifying_points > lower.qualifying_points, "points");
        check(lower.spend && upper.spend, upper.spend && lower.spend && *upper.spend > *lower.spend, "spend");
        check(lower.visits && upper.visits, upper.visits > lower.visits, "visits");
        check(lower.vehicles && upper.vehicles, upper.vehicles > lower.vehicles, "vehicles");
    } else {
        check(lower.qualifying_points && upper.qualifying_points,
              upper.qualifying_points <= lower.qualifying_points, "points");
        check(lower.spend && upper.spend, upper.spend && lower.spend && *upper.spend <= *lower.spend, "spend");
        check(lower.visits && upper.visits, upper.visits <= lower.visits, "visits");
        check(lower.vehicles && upper.vehicles, upper.vehicles <= lower.vehicles, "vehicles");
    }
}

void check_list(const program& p, const std::vector<std::string>& tiers, const std::string& ptr) {
    for (std::size_t i = 0; i < tiers.size(); ++i)
        if (p.tiers->index_of(tiers[i]) < 0)
            throw error(domain + ".unknown_tier", pointer_append(ptr, i), "no tier '" + tiers[i] + "' in the programme's tiers");
}

}  // namespace

json threshold_to_json(const tier_threshold& t) {
    json j = json::object();
    if (t.qualifying_points) j["points"] = t.qualifying_points->count();
    if (t.spend) j["spend"] = t.spend->to_string();
    if (t.visits) j["visits"] = *t.visits;
    if (t.vehicles) j["vehicles"] = *t.vehicles;
    return j;
}

void read_tiers(object_reader& programme, program& p) {
    const json* section = programme.optional("tiers");
    if (!section) return;
    object_reader r(*section, programme.pointer_of("tiers"), domain);
    tier_policy tp;
    {
        object_reader w(r.required("window"), r.pointer_of("window"), domain);
        tp.window = read_period(w);  // rolling_days below 1 is refused there: no window shorter than a day
        w.finish();
    }
    if (given(r, "grace_months")) {
        if (given(r, "grace_days"))
            r.fail("invalid_period", "grace_months", "give grace_days or grace_months, not both");
        const std::int64_t months = r.integer("grace_months");
        if (months < 1 || months > 24) r.fail("invalid_period", "grace_months", "grace_months must be 1..24");
        tp.grace.months = static_cast<int>(months);
    } else {
        const std::int64_t days = r.integer_or("grace_days", 0);
        if (days < 0 || days > 366) r.fail("invalid_period", "grace_days", "grace_days must be 0..366");
        tp.grace.days = static_cast<int>(days);
    }
    const json& levels = r.required("levels");
    const std::string lptr = r.pointer_of("levels");
    if (!levels.is_array() || levels.empty()) r.fail("type_error", "levels", "expected a non-empty array of tiers, lowest first");
    if (given(r, "max_steps")) {
        const std::int64_t n = r.integer("max_steps");
        if (n < 1 || n > static_cast<std::int64_t>(levels.size()))
            r.fail("invalid_option", "max_steps", "max_steps must be 1..the number of tiers");
        tp.max_steps = static_cast<int>(n);
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string ptr = pointer_append(lptr, i);
        object_reader t(levels[i], ptr, domain);
        tier level;
        level.id = t.string("id");
        if (level.id.empty() || !ids.insert(level.id).second)
            throw error(domain + ".duplicate_id", ptr + "/id", "tier id '" + level.id + "' is empty or used twice");
        level.name = t.string_or("name", "");
        level.qualify = read_threshold(t.required("qualify"), t.pointer_of("qualify"), p.currency_unit);
        if (!tp.tiers.empty())
            compare(tp.tiers.back().qualify, level.qualify, t.pointer_of("qualify"), true, "unordered_thresholds",
                    "tiers are listed lowest first: each qualify threshold is above the one of the tier before");
        level.retain = given(t, "retain") ? read_threshold(t.required("retain"), t.pointer_of("retain"), p.currency_unit)
                                          : level.qualify;
        compare(level.qualify, level.retain, t.pointer_of("retain"), false, "retain_above_qualify",
                "retain must not be above the tier's own qualify threshold");
        if (given(t, "multiplier")) {
            const decimal m = t.number("multiplier");
            if (m <= decimal::integer(0) || m > decimal::integer(10) || m.scale() > 4)
                t.fail("invalid_rate", "multiplier", "multiplier must be greater than 0, at most 10, with at most 4 decimals");
            level.multiplier = m;
        }
        t.finish();
        tp.tiers.push_back(std::move(level));
    }
    r.finish();
    p.tiers = std::move(tp);
}

void check_tier_lists(const program& p) {
    // Promotions limited to tiers are new with tiers: without a tiers section they are refused
    // (rewards and benefits keep their older meaning, a list that admits no one).
    auto promotions = [&](auto check) {
        for (std::size_t i = 0; i < p.earning_rules.size(); ++i)
            check(p.earning_rules[i].tiers, "/earning_rules/" + std::to_string(i) + "/tiers");
        for (std::size_t i = 0; i < p.multipliers.size(); ++i)
            check(p.multipliers[i].tiers, "/multipliers/" + std::to_string(i) + "/tiers");
    };
    // Tier-specific quotas name tiers too (/benefits/i/quota/by_tier/<tier id>).
    for (std::size_t i = 0; i < p.benefits.size(); ++i) {
        if (!p.benefits[i].limit) continue;
        for (const auto& [id, uses] : p.benefits[i].limit->by_tier)
            if (!p.tiers || p.tiers->index_of(id) < 0)
                throw error(domain + ".unknown_tier",
                            pointer_append("/benefits/" + std::to_string(i) + "/quota/by_tier", id),
                            "no tier '" + id + "' in the programme's tiers" +
                                (p.tiers ? std::string() : std::string(" (the programme has no tiers section)")));
    }
    if (!p.tiers) {
        promotions([](const std::vector<std::string>& tiers, const std::string& ptr) {
            if (!tiers.empty())
                throw error(domain + ".unknown_tier", pointer_append(ptr, 0),
                            "no tier '" + tiers[0] + "': the programme has no tiers section");
        });
        return;
    }
    promotions([&](const std::vector<std::string>& tiers, const std::string& ptr) { check_list(p, tiers, ptr); });
    for (std::size_t i = 0; i < p.benefits.size(); ++i)
        check_list(p, p.benefits[i].tiers, "/benefits/" + std::to_string(i) + "/tiers");
    for (std::size_t i = 0; i < p.rewards.size(); ++i)
        check_list(p, p.rewards[i].tiers, "/rewards/" + std::to_string(i) + "/tiers");
}

json tiers_to_json(const tier_policy& tp) {
    json window = json::object();
    window["period"] = std::string(to_string(tp.window.kind));
    if (tp.window.kind == period_kind::rolling_days) window["days"] = tp.window.days;
    json levels = json::array();
    for (const tier& t : tp.tiers) {
        json l = {{"id", t.id}, {"name", t.name}, {"qualify", threshold_to_json(t.qualify)}, {"retain", threshold_to_json(t.retain)}};
        if (t.multiplier) l["multiplier"] = t.multiplier->to_string();
        levels.push_back(l);
    }
    json j = {{"window", window}, {"levels", levels}};
    if (tp.grace.months > 0) j["grace_months"] = tp.grace.months;
    else j["grace_days"] = tp.grace.days;
    if (tp.max_steps) j["max_steps"] = *tp.max_steps;
    return j;
}

}  // namespace loyalty::io
