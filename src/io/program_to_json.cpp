// Writing a programme as JSON. Each writer mirrors one reader of program_json.cpp /
// benefit_json.cpp / reward_json.cpp; a key the reader would refuse for that variant is never
// written.
#include "loyalty/io/program_to_json.hpp"
#include "loyalty/io/member_value_json.hpp"
#include "loyalty/ledger/hash_chain.hpp"

#include "tier_json.hpp"

#include <string>
#include <vector>

namespace loyalty::io {

namespace {

// Enumerations through their to_string, so a name is spelt exactly as the loader parses it.
template <class T>
json names(const std::vector<T>& values) {
    json out = json::array();
    for (const T& v : values) out.push_back(std::string(to_string(v)));
    return out;
}

json strings(const std::vector<std::string>& values) {
    json out = json::array();
    for (const std::string& v : values) out.push_back(v);
    return out;
}

// A period as the keys of the object that holds it ("period", and "days" when rolling).
void put_period(json& j, const period& p) {
    j["period"] = std::string(to_string(p.kind));
    if (p.kind == period_kind::rolling_days) j["days"] = p.days;
}

void put_window(json& j, const std::optional<instant>& from, const std::optional<instant>& to) {
    if (from) j["effective_from"] = format_instant(*from);
    if (to) j["effective_to"] = format_instant(*to);
}

json lines_json(const line_filter& f, bool for_earning) {
    json j = {{"kinds", names(f.kinds)},
              {"categories", strings(f.categories)},
              {"exclude_categories", strings(f.exclude_categories)},
              {"operations", strings(f.operations)},
              {"exclude_flags", names(f.exclude_flags)}};
    if (for_earning) j["earn_on_covered_lines"] = f.earn_on_covered_lines;
    return j;
}

json expiry_json(const expiry_policy& e) {
    json j = {{"policy", std::string(to_string(e.kind))}};
    switch (e.kind) {
        case expiry_kind::never: break;
        case expiry_kind::months_after_earning:
            j["months"] = e.months;
            j["to_end_of_month"] = e.to_end_of_month;
            break;
        case expiry_kind::inactivity: j["months"] = e.months; break;
        case expiry_kind::end_of_calendar_year: j["years"] = e.years; break;
        case expiry_kind::days_after_earning: j["days"] = e.days; break;
        case expiry_kind::weeks_after_earning: j["weeks"] = e.weeks; break;
    }
    return j;
}

// Written only when it names days: the reader refuses an on_days that names none.
void put_day_pattern(json& j, const day_pattern& d) {
    if (d.empty()) return;
    static const char* const names[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    json o = json::object();
    if (!d.days_of_month.empty()) o["days_of_month"] = d.days_of_month;
    if (!d.weekdays.empty()) {
        json w = json::array();
        for (unsigned k : d.weekdays) w.push_back(k < 7 ? names[k] : "?");
        o["weekdays"] = w;
    }
    j["on_days"] = o;
}

// Written only when stated, so that programmes without funders write as before.
void put_funding(json& j, const funding_terms& f) {
    if (!f.funder.empty()) j["funder"] = f.funder;
    if (f.cost_per_point) j["cost_per_point"] = f.cost_per_point->to_string();
    if (f.cost_per_use) j["cost_per_use"] = f.cost_per_use->to_string();
}

json rule_json(const earning_rule& r) {
    json j = {{"id", r.id}, {"description", r.description}, {"on", names(r.on)}, {"tiers", strings(r.tiers)}};
    switch (r.kind) {
        case earning_kind::per_amount:
            j["type"] = "per_amount";
            if (r.per) j["rate"] = {{"points", r.points_per_unit.to_string()}, {"per", r.per->to_string()}};
            else j["points_per_unit"] = r.points_per_unit.to_string();
            j["lines"] = lines_json(r.lines, true);
            break;
        case earning_kind::fixed_bonus:
            j["type"] = "fixed_bonus";
            j["points"] = r.bonus.count();
            break;
    }
    if (r.rounding_mode) j["rounding"] = std::string(to_string(*r.rounding_mode));
    put_window(j, r.effective_from, r.effective_to);
    if (r.max_per_event) j["max_per_event"] = r.max_per_event->count();
    if (r.max_per_period) {
        json cap = {{"points", r.max_per_period->limit.count()}};
        put_period(cap, r.max_per_period->over);
        j["max_per_period"] = cap;
    }
    put_day_pattern(j, r.on_days);
    if (r.birthday)
        j["birthday_window"] = r.birthday->whole_month ? json{{"within", "month"}}
                                                       : json{{"within", "days"}, {"days", r.birthday->days}};
    j["once_per_repair_order"] = r.once_per_repair_order;
    if (r.carry_remainder) j["carry_remainder"] = true;  // absent: the remainder is dropped (as before it existed)
    put_funding(j, r.funding);
    return j;
}

json multiplier_json(const multiplier& m) {
    json j = {{"id", m.id},
              {"description", m.description},
              {"factor", m.factor.to_string()},
              {"from", format_instant(m.from)},
              {"to", format_instant(m.to)},
              {"rules", strings(m.rules)},
              {"tiers", strings(m.tiers)}};
    put_day_pattern(j, m.on_days);
    return j;
}

json benefit_json(const benefit& b) {
    json j = {{"id", b.id}, {"description", b.description}, {"type", std::string(to_string(b.kind))},
              {"tiers", strings(b.tiers)}};
    if (b.kind == benefit_kind::service_item) {
        j["refuse_flags"] = names(b.refuse_flags);
    } else {
        j["lines"] = lines_json(b.lines, false);
        j["stacks"] = b.stacks;
        if (b.max_per_order) j["max_per_order"] = b.max_per_order->to_string();
        if (b.max_per_period) {
            json cap = {{"amount", b.max_per_period->limit.to_string()}};
            put_period(cap, b.max_per_period->per);
            j["max_per_period"] = cap;
        }
        if (b.rounding_mode) j["rounding"] = std::string(to_string(*b.rounding_mode));
    }
    if (b.kind == benefit_kind::discount) j["pay"] = b.pay.to_string();
    if (b.limit) {
        json q = {{"uses", b.limit->uses}, {"carry_over", b.limit->carry_over}};
        if (!b.limit->by_tier.empty()) {
            json& by = q["by_tier"] = json::object();
            for (const auto& [tier, uses] : b.limit->by_tier) by[tier] = uses;
        }
        put_period(q, b.limit->per);
        j["quota"] = q;
    }
    put_window(j, b.effective_from, b.effective_to);
    j["scope"] = b.vehicle ? "vehicle" : "member";
    if (b.vehicle) {
        j["on_transfer"] = std::string(to_string(b.vehicle->transfer));
        if (const auto& w = b.vehicle->since_purchase) {
            json window = json::object();
            if (w->months) window["months"] = *w->months;
            if (w->km) window["km"] = *w->km;
            if (w->uses) window["uses"] = *w->uses;
            j["since_purchase"] = window;
        }
        if (b.vehicle->every_km) j["every_km"] = *b.vehicle->every_km;
    }
    put_funding(j, b.funding);
    return j;
}

json reward_json(const reward& r) {
    json prices = json::array();
    for (const reward_price& price : r.prices) {
        json o = {{"points", price.cost.count()}};
        if (!price.cash.is_zero()) o["money"] = price.cash.to_string();  // the reader refuses a zero money part
        prices.push_back(o);
    }
    json j = {{"id", r.id},
              {"name", r.name},
              {"kind", std::string(to_string(r.kind))},
              {"prices", prices},
              {"tiers", strings(r.tiers)},
              {"min_balance", r.min_balance.count()},
              {"min_tenure_days", r.min_tenure_days}};
    if (r.limit) {
        json l = {{"count", r.limit->count}};
        put_period(l, r.limit->per);
        j["limit"] = l;
    }
    if (r.stock) j["stock"] = *r.stock;
    if (r.available_from) j["available_from"] = format_instant(*r.available_from);
    if (r.available_to) j["available_to"] = format_instant(*r.available_to);
    if (!r.months.empty()) j["months"] = r.months;  // the reader refuses an empty list
    if (r.voucher)
        j["voucher"] = {{"value", r.voucher->value.to_string()},
                        {"valid_days", r.voucher->valid_days},
                        {"remainder", r.voucher->keep_remainder ? "keep" : "forfeit"},
                        {"lines", lines_json(r.voucher->lines, false)}};
    put_funding(j, r.funding);
    return j;
}

json redemption_json(const redemption_policy& r) {
    if (r.when_lot_expired == expired_return::grace_days)
        return {{"when_lot_expired", "grace_days"}, {"grace_days", r.grace_days}};
    return {{"when_lot_expired", "expire_at_once"}};
}

// Transfers are only ever between members of one household (the one `within` the format has).
json transfers_json(const transfer_policy& t) {
    json j = {{"within", "household"}, {"min_points", t.min_per_transfer.count()}};
    if (t.max_per_transfer) j["max_points"] = t.max_per_transfer->count();
    if (t.max_per_period) {
        json cap = {{"points", t.max_per_period->limit.count()}};
        put_period(cap, t.max_per_period->over);
        j["max_per_period"] = cap;
    }
    return j;
}

}  // namespace

json fleet_policy_json(const fleet_policy& f) {
    json j = {{"id", f.id}, {"name", f.name}};
    if (f.discount) {
        const fleet_discount& d = *f.discount;
        json& dj = j["discount"] = {{"lines", lines_json(d.lines, false)},
                                    {"pays", d.pay.to_string()},
                                    {"combine", std::string(to_string(d.combine))}};
        if (d.rounding_mode) dj["rounding"] = std::string(to_string(*d.rounding_mode));
    }
    if (f.rebate) {
        const volume_rebate& v = *f.rebate;
        json& vj = j["volume_rebate"] = {{"method", std::string(to_string(v.method))},
                                         {"pay_as", std::string(to_string(v.pay_as))},
                                         {"rounding", std::string(to_string(v.rounding_mode))}};
        put_period(vj, v.per);
        if (v.pay_as == rebate_payment::points) vj["points_per_unit"] = v.points_per_unit.to_string();
        json& bands = vj["bands"] = json::array();
        for (const rebate_band& b : v.bands) bands.push_back({{"from", b.from.to_string()}, {"rate", b.rate.to_string()}});
    }
    if (f.qualification != tier_qualification::member) j["qualification"] = std::string(to_string(f.qualification));
    return j;
}

json program_to_json(const program& p) {
    json j = {{"id", p.id},
              {"version", p.version},
              {"name", p.name},
              {"effective_from", format_instant(p.effective_from)},
              {"currency", std::string(p.currency_unit.code())},
              {"time_zone", std::string(p.zone.name())},
              {"rounding", std::string(to_string(p.default_rounding))},
              {"pending_days", p.pending_days},
              {"backdated_events", p.accept_backdated ? "accept" : "refuse"},
              {"expiry", expiry_json(p.expiry)},
              {"benefit_stacking", p.benefit_stacking == stacking::best_for_member ? "best_for_member" : "in_order"},
              {"line_categories", strings(p.orders.categories)}};
    if (p.point_value) j["point_value"] = p.point_value->to_string();
    j["odometer"] = {{"backwards", p.odometer.backwards == backwards_reading::flag ? "flag" : "refuse"}};
    j["reversal"] = {{"when_spent", p.when_spent == spent_points_policy::negative_balance ? "negative_balance" : "claw_back"}};
    if (p.reversal_window_days) j["reversal"]["window_days"] = *p.reversal_window_days;
    // How rules combine: written when a programme states anything but `add` for all its rules.
    if (p.combine != rule_combine::add) j["combine"] = std::string(to_string(p.combine));
    if (!p.rule_groups.empty()) {
        json& groups = j["rule_groups"] = json::array();
        for (const rule_group& g : p.rule_groups)
            groups.push_back({{"id", g.id}, {"description", g.description}, {"combine", std::string(to_string(g.combine))}});
    }
    json& rules = j["earning_rules"] = json::array();
    for (const earning_rule& r : p.earning_rules) {
        rules.push_back(rule_json(r));
        if (r.group >= 0) rules.back()["group"] = p.rule_groups[static_cast<std::size_t>(r.group)].id;
    }
    json& multipliers = j["multipliers"] = json::array();
    for (const multiplier& m : p.multipliers) multipliers.push_back(multiplier_json(m));
    json& benefits = j["benefits"] = json::array();
    for (const benefit& b : p.benefits) benefits.push_back(benefit_json(b));
    json& rewards = j["rewards"] = json::array();
    for (const reward& r : p.rewards) rewards.push_back(reward_json(r));
    j["redemption"] = redemption_json(p.redemption);
    if (p.transfers) j["transfers"] = transfers_json(*p.transfers);
    if (p.tiers) j["tiers"] = tiers_to_json(*p.tiers);
    if (p.referral) j["referral"] = {{"completes_within_days", p.referral->completes_within_days}};
    j["member_value"] = member_value_rules_to_json(p.member_value, p.currency_unit);
    if (!p.fleet_policies.empty()) {
        json& fleet = j["fleet_policies"] = json::array();
        for (const fleet_policy& f : p.fleet_policies) fleet.push_back(fleet_policy_json(f));
    }
    if (!p.funders.empty()) {
        json& funders = j["funders"] = json::array();
        for (const funder& f : p.funders) funders.push_back({{"id", f.id}, {"name", f.name}});
        j["default_funder"] = p.default_funder;
    }
    json& forbidden = j["forbidden_flags"] = json::array();
    for (const auto& combination : p.orders.forbidden_flags) forbidden.push_back(names(combination));
    return j;
}

std::string program_digest(const program& p) { return sha256_hex(program_to_json(p).dump()); }

std::string program_label(const program& p) {
    return p.id + " v" + std::to_string(p.version) + " (" + program_digest(p).substr(0, 12) + ")";
}

}  // namespace loyalty::io
