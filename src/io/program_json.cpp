// Loading and validating programme definitions.
#include "loyalty/io/program_json.hpp"
#include "loyalty/io/member_value_json.hpp"
#include "loyalty/io/journal_lines.hpp"
#include "loyalty/ledger/earn_figures.hpp"

#include "benefit_json.hpp"
#include "program_fields.hpp"
#include "reward_json.hpp"
#include "tier_json.hpp"
#include "fleet_json.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace loyalty::io {

namespace {

using namespace program_fields;

// A required count of days, weeks, months or years: lo..hi, else invalid_period at its key.
int read_count(object_reader& r, const char* key, int lo, int hi) {
    const std::int64_t n = r.integer(key);
    if (n < lo || n > hi)
        r.fail("invalid_period", key, std::string(key) + " must be " + std::to_string(lo) + ".." + std::to_string(hi));
    return static_cast<int>(n);
}

// Each policy names its own unit ("months", "days", "weeks", "years"), so a key of another
// policy is unknown_key at its own pointer.
expiry_policy read_expiry(const json& j, const std::string& ptr) {
    object_reader r(j, ptr, domain);
    expiry_policy e;
    const std::string kind = r.string("policy");
    if (kind == "never") {
        e.kind = expiry_kind::never;
    } else if (kind == "months_after_earning" || kind == "inactivity") {
        e.kind = kind == "inactivity" ? expiry_kind::inactivity : expiry_kind::months_after_earning;
        e.months = read_count(r, "months", 1, 1200);
        if (e.kind == expiry_kind::months_after_earning) e.to_end_of_month = r.boolean_or("to_end_of_month", false);
    } else if (kind == "days_after_earning") {
        e.kind = expiry_kind::days_after_earning;
        e.days = read_count(r, "days", 1, 36500);
    } else if (kind == "weeks_after_earning") {
        e.kind = expiry_kind::weeks_after_earning;
        e.weeks = read_count(r, "weeks", 1, 5200);
    } else if (kind == "end_of_calendar_year") {
        e.kind = expiry_kind::end_of_calendar_year;
        e.years = read_count(r, "years", 0, 100);
    } else {
        r.fail("invalid_expiry", "policy",
               "unknown expiry policy '" + kind +
                   "' (never, months_after_earning, days_after_earning, weeks_after_earning, end_of_calendar_year, "
                   "inactivity)");
    }
    r.finish();
    return e;
}

// "on_days": {"days_of_month": [18], "weekdays": ["wednesday"]}
day_pattern read_day_pattern(object_reader& owner) {
    day_pattern d;
    const json* j = owner.optional("on_days");
    if (!j) return d;
    object_reader r(*j, owner.pointer_of("on_days"), domain);
    if (const json* dom = r.optional("days_of_month")) {
        const std::string ptr = r.pointer_of("days_of_month");
        if (!dom->is_array() || dom->empty()) throw error(domain + ".invalid_days", ptr, "days_of_month is a non-empty array of 1..31");
        for (std::size_t i = 0; i < dom->size(); ++i) {
            const json& x = (*dom)[i];
            if (!x.is_number_unsigned() || x.get<std::uint64_t>() < 1 || x.get<std::uint64_t>() > 31)
                throw error(domain + ".invalid_days", pointer_append(ptr, i), "a day of the month is 1..31");
            d.days_of_month.push_back(x.get<unsigned>());
        }
    }
    static const char* names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    const std::vector<std::string> wds = string_list(r, "weekdays");
    for (std::size_t i = 0; i < wds.size(); ++i) {
        unsigned found = 7;
        for (unsigned k = 0; k < 7; ++k)
            if (wds[i] == names[k]) found = k;
        if (found == 7)
            throw error(domain + ".invalid_days", pointer_append(r.pointer_of("weekdays"), i),
                        "unknown weekday '" + wds[i] + "' (sunday .. saturday)");
        d.weekdays.push_back(found);
    }
    if (d.empty()) r.fail("invalid_days", "days_of_month", "on_days names days_of_month, weekdays or both");
    r.finish();
    return d;
}

bool is_earning_event(event_type t) {
    return t != event_type::adjustment && t != event_type::reverse && t != event_type::tick &&
           t != event_type::redeem && t != event_type::cancel_redemption && t != event_type::transfer;
}

rule_combine read_combine(object_reader& r, const char* key) {
    const std::string how = r.string(key);
    if (how == "add") return rule_combine::add;
    if (how == "best_for_member") return rule_combine::best_for_member;
    if (how == "first_match") return rule_combine::first_match;
    r.fail("invalid_option", key, std::string(key) + " is 'add', 'best_for_member' or 'first_match', not '" + how + "'");
}

// The programme's `combine` (of the rules in no group) and its `rule_groups`.
void read_rule_groups(object_reader& r, program& p) {
    if (given(r, "combine")) p.combine = read_combine(r, "combine");
    const json* list = r.optional("rule_groups");
    if (!list) return;
    if (!list->is_array()) r.fail("type_error", "rule_groups", "expected an array of rule groups");
    for (std::size_t i = 0; i < list->size(); ++i) {
        object_reader g((*list)[i], pointer_append(r.pointer_of("rule_groups"), i), domain);
        rule_group group;
        group.id = g.string("id");
        if (group.id.empty()) g.fail("invalid_id", "id", "a rule group's id must not be empty");
        for (const rule_group& other : p.rule_groups)
            if (other.id == group.id) g.fail("duplicate_id", "id", "rule group id '" + group.id + "' is used twice");
        group.description = g.string_or("description", "");
        group.combine = read_combine(g, "combine");
        g.finish();
        p.rule_groups.push_back(std::move(group));
    }
}

earning_rule read_rule(const json& j, const std::string& ptr, const program& p) {
    object_reader r(j, ptr, domain);
    earning_rule rule;
    rule.id = r.string("id");
    rule.description = r.string_or("description", "");
    const std::string type = r.string("type");
    rule.on = enum_list<event_type>(r, "on", parse_event_type, "event_type");
    if (rule.on.empty()) r.fail("missing_field", "on", "a rule must listen to at least one event type");
    for (std::size_t i = 0; i < rule.on.size(); ++i)
        if (!is_earning_event(rule.on[i]))
            throw error(domain + ".invalid_event_type", pointer_append(r.pointer_of("on"), i),
                        std::string(to_string(rule.on[i])) + " events do not earn points");
    if (type == "per_amount") {
        rule.kind = earning_kind::per_amount;
        for (std::size_t i = 0; i < rule.on.size(); ++i)
            if (rule.on[i] != event_type::repair_order && rule.on[i] != event_type::vehicle_purchase)
                throw error(domain + ".invalid_event_type", pointer_append(r.pointer_of("on"), i),
                            "per_amount rules count money: only repair_order and vehicle_purchase have amounts");
        // A rate per 1.00 (points_per_unit), or a ratio held exactly: "rate": {"points": "3", "per": "7.00"}.
        if (const json* rate = r.optional("rate")) {
            if (r.has("points_per_unit"))
                r.fail("invalid_rate", "rate", "give points_per_unit or rate, not both");
            object_reader q(*rate, r.pointer_of("rate"), domain);
            rule.points_per_unit = q.number("points");
            if (rule.points_per_unit <= decimal::integer(0) || rule.points_per_unit > decimal::integer(1000))
                q.fail("invalid_rate", "points", "a rate's points must be greater than 0 and at most 1000");
            const money per = q.amount("per", p.currency_unit);
            if (per.minor_units() <= 0 || per.minor_units() > std::int64_t{1'000'000'000} * decimal::pow10(per.currency_of().minor_digits()))
                q.fail("invalid_rate", "per", "a rate's amount must be greater than 0 and at most 1,000,000,000");
            // At most 1000 points per 1.00, as points_per_unit (engine/limits.hpp): points <= 1000 x per.
            if (int128(rule.points_per_unit.mantissa()) * decimal::pow10(per.currency_of().minor_digits()) >
                int128(1000) * per.minor_units() * decimal::pow10(rule.points_per_unit.scale()))
                q.fail("invalid_rate", "points", "a rate may give at most 1000 points per 1.00");
            q.finish();
            rule.per = per;
        } else {
            rule.points_per_unit = r.number("points_per_unit");
            if (rule.points_per_unit <= decimal::integer(0) || rule.points_per_unit > decimal::integer(1000))
                r.fail("invalid_rate", "points_per_unit", "points_per_unit must be greater than 0 and at most 1000");
        }
        if (const json* lines = r.optional("lines")) rule.lines = read_lines(*lines, r.pointer_of("lines"), true);
    } else if (type == "fixed_bonus") {
        rule.kind = earning_kind::fixed_bonus;
        rule.bonus = points(r.integer("points"));
        if (rule.bonus <= points(0) || rule.bonus > points(1'000'000'000))
            r.fail("invalid_points", "points", "a bonus must be greater than 0 and at most 1,000,000,000");
    } else {
        r.fail("invalid_rule_type", "type", "unknown rule type '" + type + "' (per_amount, fixed_bonus)");
    }
    if (given(r, "rounding")) rule.rounding_mode = read_rounding(r, "rounding");
    if (given(r, "effective_from")) rule.effective_from = r.time("effective_from");
    if (given(r, "effective_to")) rule.effective_to = r.time("effective_to");
    if (rule.effective_from && rule.effective_to && !(*rule.effective_from < *rule.effective_to))
        r.fail("invalid_window", "effective_to", "effective_to must be after effective_from");
    rule.funding = read_funding(r, /*per_point=*/true, nullptr);
    if (given(r, "max_per_event")) {
        rule.max_per_event = points(r.integer("max_per_event"));
        if (*rule.max_per_event <= points(0)) r.fail("invalid_points", "max_per_event", "a cap must be greater than 0");
    }
    if (const json* cap = r.optional("max_per_period")) {
        object_reader c(*cap, r.pointer_of("max_per_period"), domain);
        period_cap pc;
        pc.over = read_period(c);
        pc.limit = points(c.integer("points"));
        if (pc.limit <= points(0)) c.fail("invalid_points", "points", "a cap must be greater than 0");
        c.finish();
        rule.max_per_period = pc;
    }
    rule.on_days = read_day_pattern(r);
    if (const json* bw = r.optional("birthday_window")) {
        if (!rule.listens_to(event_type::birthday))
            r.fail("invalid_option", "birthday_window", "birthday_window is for rules on birthday events");
        object_reader b(*bw, r.pointer_of("birthday_window"), domain);
        birthday_window w;
        const std::string within = b.string("within");
        if (within == "month") {
            w.whole_month = true;
        } else if (within == "days") {
            w.whole_month = false;
            const std::int64_t days = b.integer("days");
            if (days < 0 || days > 183) b.fail("invalid_period", "days", "days must be 0..183");
            w.days = static_cast<int>(days);
        } else {
            b.fail("invalid_option", "within", "within is 'month' or 'days'");
        }
        b.finish();
        rule.birthday = w;
    }
    rule.tiers = string_list(r, "tiers");
    if (given(r, "once_per_repair_order")) {
        rule.once_per_repair_order = r.boolean_or("once_per_repair_order", false);
        if (rule.once_per_repair_order && (rule.on.size() != 1 || rule.on[0] != event_type::survey))
            r.fail("invalid_option", "once_per_repair_order", "once_per_repair_order is for rules on survey events only");
    }
    // Carry the rounding remainder per member instead of dropping it (accrual/accrue.hpp).
    if (given(r, "carry_remainder")) rule.carry_remainder = r.boolean_or("carry_remainder", false);
    if (rule.carry_remainder && rule.per)
        r.fail("invalid_option", "carry_remainder",
               "a ratio rate cannot carry its remainder: 3 points per 7.00 leaves sevenths, which no decimal holds "
               "exactly; use points_per_unit, or no carry_remainder");
    if (given(r, "group")) {
        const std::string id = r.string("group");
        for (std::size_t g = 0; g < p.rule_groups.size(); ++g)
            if (p.rule_groups[g].id == id) rule.group = static_cast<int>(g);
        if (rule.group < 0) r.fail("unknown_group", "group", "no rule group '" + id + "' in the programme's rule_groups");
    }
    const rule_combine combine = rule.group < 0 ? p.combine : p.rule_groups[static_cast<std::size_t>(rule.group)].combine;
    if (rule.carry_remainder && combine != rule_combine::add)
        r.fail("invalid_option", "carry_remainder",
               "a rule that carries its rounding remainder must combine by 'add': in a " +
                   std::string(to_string(combine)) + " group its remainder would be carried whether it earns or not");
    r.finish();
    return rule;
}

multiplier read_multiplier(const json& j, const std::string& ptr, const std::set<std::string>& rule_ids) {
    object_reader r(j, ptr, domain);
    multiplier m;
    m.id = r.string("id");
    m.description = r.string_or("description", "");
    m.factor = r.number("factor");
    if (m.factor <= decimal::integer(0) || m.factor > decimal::integer(100) || m.factor.scale() > 4)
        r.fail("invalid_rate", "factor", "factor must be greater than 0, at most 100, with at most 4 decimals");
    m.from = r.time("from");
    m.to = r.time("to");
    if (!(m.from < m.to)) r.fail("invalid_window", "to", "'to' must be after 'from'");
    m.rules = string_list(r, "rules");
    m.tiers = string_list(r, "tiers");
    m.on_days = read_day_pattern(r);
    for (std::size_t i = 0; i < m.rules.size(); ++i)
        if (!rule_ids.count(m.rules[i]))
            throw error(domain + ".unknown_rule", pointer_append(r.pointer_of("rules"), i),
                        "no earning rule '" + m.rules[i] + "'");
    r.finish();
    return m;
}

// Multipliers in force together on one rule multiply. Their product is bounded (at most 1000 at
// any instant, for any rule) so that no event can overflow the engine (engine/limits.hpp), and
// at most six are in force together (an earn entry's figures hold the rate, six and the tier's). The
// bound is computed rounding up in units of 10^-4, so it never overflows itself.
void check_multiplier_products(object_reader& r, const program& p) {
    std::vector<instant> moments;
    for (const multiplier& m : p.multipliers) moments.push_back(m.from);
    for (const earning_rule& rule : p.earning_rules)
        for (const instant t : moments) {
            int128 bound = 10000;  // 1.0000, or the largest tier multiplier (it multiplies every rule)
            if (p.tiers)
                for (const tier& level : p.tiers->tiers)
                    if (level.multiplier)
                        bound = std::max(bound, int128(level.multiplier->mantissa()) * decimal::pow10(4 - level.multiplier->scale()));
            std::size_t together = 0;
            for (const multiplier& m : p.multipliers) {
                if (!m.in_window(rule.id, t)) continue;  // day patterns aside: a bound for every day
                // An earn entry's figures hold the rate, these and the tier's (ledger/earn_figures.hpp).
                if (++together > earn_figures::max_factors - 2)
                    r.fail("too_many_multipliers", "multipliers",
                           "more than " + std::to_string(earn_figures::max_factors - 2) +
                               " multipliers in force together on rule '" + rule.id + "' at " + format_instant(t));
                const int128 f = int128(m.factor.mantissa()) * decimal::pow10(4 - m.factor.scale());
                bound = (bound * f + 9999) / 10000;
                if (bound > 1000 * 10000)
                    r.fail("invalid_rate", "multipliers",
                           "multipliers in force together on rule '" + rule.id + "' at " + format_instant(t) +
                               " multiply to more than 1000");
            }
        }
}

// The programme's funders and who pays for each rule, benefit and reward. Without `funders`
// nothing may name a funder and ledger entries name none, so older programmes load and run
// exactly as before; with them, `default_funder` (required) pays for whatever names none.
void read_funders(object_reader& r, program& p) {
    std::set<std::string> ids;
    if (const json* list = r.optional("funders")) {
        const std::string ptr = r.pointer_of("funders");
        if (!list->is_array() || list->empty()) throw error(domain + ".type_error", ptr, "expected a non-empty array of funders");
        for (std::size_t i = 0; i < list->size(); ++i) {
            object_reader f((*list)[i], pointer_append(ptr, i), domain);
            funder x{f.string("id"), f.string_or("name", "")};
            if (!ids.insert(x.id).second) f.fail("duplicate_id", "id", "funder id '" + x.id + "' is used twice");
            f.finish();
            p.funders.push_back(std::move(x));
        }
        p.default_funder = r.string("default_funder");
    } else if (given(r, "default_funder")) {
        r.fail("unknown_funder", "default_funder", "default_funder names none of the programme's funders (it declares none)");
    }
    if (!p.funders.empty() && !ids.count(p.default_funder))
        r.fail("unknown_funder", "default_funder", "default_funder '" + p.default_funder + "' is not one of the funders");
    auto check = [&](const funding_terms& f, const char* list, std::size_t i) {
        if (f.funder.empty() || ids.count(f.funder)) return;
        throw error(domain + ".unknown_funder", pointer_append(r.pointer_of(list), i) + "/funder",
                    "funder '" + f.funder + "' is not one of the programme's funders" +
                        (ids.empty() ? " (it declares none)" : ""));
    };
    for (std::size_t i = 0; i < p.earning_rules.size(); ++i) check(p.earning_rules[i].funding, "earning_rules", i);
    for (std::size_t i = 0; i < p.benefits.size(); ++i) check(p.benefits[i].funding, "benefits", i);
    for (std::size_t i = 0; i < p.rewards.size(); ++i) check(p.rewards[i].funding, "rewards", i);
}

}  // namespace

program program_from_json(const json& doc) {
    object_reader r(doc, "", domain);
    program p;
    p.id = r.string("id");
    p.version = r.integer("version");
    if (p.version < 1) r.fail("invalid_version", "version", "version must be 1 or more");
    p.name = r.string_or("name", "");
    r.string_or("description", "");
    p.effective_from = r.time("effective_from");
    const std::string code = r.string("currency");
    const auto cur = currency::from_code(code);
    if (!cur || *cur == currency::none()) r.fail("unknown_currency", "currency", "unknown ISO 4217 currency '" + code + "'");
    p.currency_unit = *cur;
    const std::string zone = r.string("time_zone");
    try {
        p.zone = time_zone::locate(zone);
    } catch (const error&) {
        r.fail("unknown_time_zone", "time_zone", "unknown IANA time zone '" + zone + "'");
    }
    p.default_rounding = read_rounding(r, "rounding");
    if (given(r, "point_value")) {
        p.point_value = read_money(r, "point_value", p.currency_unit);
        if (p.point_value->is_zero()) r.fail("invalid_amount", "point_value", "point_value must be more than zero");
    }
    const std::int64_t pending = r.integer_or("pending_days", 0);
    if (pending < 0 || pending > 365) r.fail("invalid_period", "pending_days", "pending_days must be 0..365");
    p.pending_days = static_cast<int>(pending);
    const std::string backdated = r.string_or("backdated_events", "refuse");
    if (backdated != "refuse" && backdated != "accept")
        r.fail("invalid_option", "backdated_events", "backdated_events is 'refuse' or 'accept'");
    p.accept_backdated = backdated == "accept";
    if (const json* rev = r.optional("reversal")) {
        object_reader rr(*rev, r.pointer_of("reversal"), domain);
        const std::string when = rr.string("when_spent");
        if (when == "claw_back") p.when_spent = spent_points_policy::claw_back;
        else if (when == "negative_balance") p.when_spent = spent_points_policy::negative_balance;
        else rr.fail("invalid_option", "when_spent", "when_spent is 'claw_back' or 'negative_balance'");
        if (rr.optional("window_days")) {
            const std::int64_t days = rr.integer("window_days");
            if (days < 0 || days > 36600) rr.fail("invalid_period", "window_days", "window_days must be 0..36600");
            p.reversal_window_days = static_cast<int>(days);
        }
        rr.finish();
    }
    p.expiry = read_expiry(r.required("expiry"), r.pointer_of("expiry"));
    if (const json* odo = r.optional("odometer")) {
        object_reader o(*odo, r.pointer_of("odometer"), domain);
        const std::string backwards = o.string_or("backwards", "refuse");
        if (backwards == "refuse") p.odometer.backwards = backwards_reading::refuse;
        else if (backwards == "flag") p.odometer.backwards = backwards_reading::flag;
        else o.fail("invalid_option", "backwards", "backwards is 'refuse' or 'flag', not '" + backwards + "'");
        o.finish();
    }

    read_rule_groups(r, p);
    const json& rules = r.required("earning_rules");
    if (!rules.is_array()) r.fail("type_error", "earning_rules", "expected an array of rules");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const std::string ptr = pointer_append(r.pointer_of("earning_rules"), i);
        earning_rule rule = read_rule(rules[i], ptr, p);
        if (!ids.insert(rule.id).second || rule.id == "adjustment")
            throw error(domain + ".duplicate_id", ptr + "/id", "rule id '" + rule.id + "' is used twice or reserved");
        p.earning_rules.push_back(std::move(rule));
    }
    if (const json* ms = r.optional("multipliers")) {
        if (!ms->is_array()) r.fail("type_error", "multipliers", "expected an array of multipliers");
        std::set<std::string> mids;
        for (std::size_t i = 0; i < ms->size(); ++i) {
            const std::string ptr = pointer_append(r.pointer_of("multipliers"), i);
            multiplier m = read_multiplier((*ms)[i], ptr, ids);
            if (!mids.insert(m.id).second)
                throw error(domain + ".duplicate_id", ptr + "/id", "multiplier id '" + m.id + "' is used twice");
            p.multipliers.push_back(std::move(m));
        }
        check_multiplier_products(r, p);
    }
    read_tiers(r, p);
    if (p.tiers && !p.multipliers.empty()) check_multiplier_products(r, p);
    read_benefits(r, p);
    read_rewards(r, p);
    check_tier_lists(p);
    read_fleet_policies(r, p);
    read_funders(r, p);
    p.orders.categories = string_list(r, "line_categories");
    if (const json* combos = r.optional("forbidden_flags")) {
        const std::string ptr = r.pointer_of("forbidden_flags");
        if (!combos->is_array()) throw error(domain + ".type_error", ptr, "expected an array of arrays of flags");
        for (std::size_t i = 0; i < combos->size(); ++i) {
            const json& c = (*combos)[i];
            const std::string cptr = pointer_append(ptr, i);
            if (!c.is_array() || c.size() < 2)
                throw error(domain + ".invalid_flag", cptr, "a forbidden combination lists two or more flags");
            std::vector<line_flag> flags;
            for (std::size_t k = 0; k < c.size(); ++k) {
                const std::string name = as_string(c[k], pointer_append(cptr, k), domain);
                const auto f = parse_line_flag(name);
                if (!f) throw error(domain + ".invalid_flag", pointer_append(cptr, k), "unknown flag '" + name + "'");
                flags.push_back(*f);
            }
            p.orders.forbidden_flags.push_back(flags);
        }
    }
    if (const json* mv = r.optional("member_value"))
        p.member_value = member_value_rules_from_json(*mv, r.pointer_of("member_value"), p.currency_unit);
    r.finish();
    return p;
}

program load_program(std::string_view text) {
    try {
        return program_from_json(parse_exact(text));
    } catch (const error& e) {
        rethrow_in_domain(e, domain);  // malformed JSON: say it is the programme's
    }
}

program load_program_file(const std::string& path) {
    return read_file_with(path, [](std::string_view text) { return load_program(text); });
}

}  // namespace loyalty::io
