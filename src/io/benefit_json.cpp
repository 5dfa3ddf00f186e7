// Loading and validating a programme's benefits.
#include "benefit_json.hpp"

#include <set>

#include "program_fields.hpp"

namespace loyalty::io {

namespace {

using namespace program_fields;

// A distance in a benefit's terms: whole kilometres, 1..10,000,000.
std::int64_t read_km(object_reader& r, std::string_view key) {
    const std::int64_t km = r.integer(key);
    if (km < 1 || km > 10000000) r.fail("invalid_km", key, std::string(key) + " is whole kilometres, 1..10000000");
    return km;
}

// "scope": "member" (the default) or "vehicle", and a vehicle-scoped benefit's terms.
void read_vehicle_terms(object_reader& r, benefit& b) {
    const std::string scope = r.string_or("scope", "member");
    if (scope != "member" && scope != "vehicle")
        r.fail("invalid_scope", "scope", "scope is 'member' or 'vehicle', not '" + scope + "'");
    if (scope == "member") {
        for (const char* key : {"on_transfer", "since_purchase", "every_km"})
            if (given(r, key)) r.fail("vehicle_only", key, std::string(key) + " is for a benefit with scope 'vehicle'");
        return;
    }
    if (b.kind == benefit_kind::service_item)
        r.fail("invalid_scope", "scope", "a service item is not used on a vehicle's repair order: its scope is 'member'");
    vehicle_terms t;
    const std::string transfer = r.string("on_transfer");
    if (transfer == "follow") t.transfer = on_transfer::follow;
    else if (transfer == "end") t.transfer = on_transfer::end;
    else r.fail("invalid_option", "on_transfer", "on_transfer is 'follow' or 'end', not '" + transfer + "'");
    if (const json* w = r.optional("since_purchase")) {
        object_reader wr(*w, r.pointer_of("since_purchase"), domain);
        purchase_window pw;
        if (given(wr, "months")) {
            const std::int64_t months = wr.integer("months");
            if (months < 1 || months > 600) wr.fail("invalid_period", "months", "months must be 1..600");
            pw.months = static_cast<int>(months);
        }
        if (given(wr, "km")) pw.km = read_km(wr, "km");
        if (given(wr, "uses")) {
            const std::int64_t uses = wr.integer("uses");
            if (uses < 1 || uses > 100000) wr.fail("invalid_quota", "uses", "uses must be 1..100000");
            pw.uses = uses;
        }
        if (!pw.months && !pw.km) wr.fail("invalid_window", "", "since_purchase needs months, km or both");
        wr.finish();
        t.since_purchase = pw;
    }
    if (given(r, "every_km")) t.every_km = read_km(r, "every_km");
    b.vehicle = t;
}

benefit read_benefit(const json& j, const std::string& ptr, const currency& cur) {
    object_reader r(j, ptr, domain);
    benefit b;
    b.id = r.string("id");
    b.description = r.string_or("description", "");
    const std::string type = r.string("type");
    if (type == "free_line") b.kind = benefit_kind::free_line;
    else if (type == "discount") b.kind = benefit_kind::discount;
    else if (type == "service_item") b.kind = benefit_kind::service_item;
    else r.fail("invalid_benefit_type", "type", "unknown benefit type '" + type + "' (free_line, discount, service_item)");

    if (b.kind == benefit_kind::service_item) {
        b.refuse_flags = enum_list<line_flag>(r, "refuse_flags", parse_line_flag, "flag");
    } else {
        b.lines = read_lines(r.required("lines"), r.pointer_of("lines"), false);
        if (b.lines.kinds.empty() && b.lines.categories.empty() && b.lines.operations.empty())
            r.fail("invalid_lines", "lines", "a benefit must name the kinds, categories or operations it applies to");
        b.stacks = r.boolean_or("stacks", false);
        if (given(r, "max_per_order")) {
            b.max_per_order = read_money(r, "max_per_order", cur);
            if (b.max_per_order->is_zero()) r.fail("invalid_amount", "max_per_order", "a cap must be greater than 0");
        }
        if (const json* cap = r.optional("max_per_period")) {
            object_reader c(*cap, r.pointer_of("max_per_period"), domain);
            money_cap mc;
            mc.per = read_period(c);
            mc.limit = read_money(c, "amount", cur);
            if (mc.limit.is_zero()) c.fail("invalid_amount", "amount", "a cap must be greater than 0");
            c.finish();
            b.max_per_period = mc;
        }
    }
    if (b.kind == benefit_kind::discount) {
        b.pay = r.number("pay");
        if (!(decimal::integer(0) < b.pay && b.pay < decimal::integer(1)))
            r.fail("invalid_rate", "pay", "pay is the fraction the member pays: greater than 0 and less than 1 (0.7 = 30% off)");
    }
    // A service item gives no money, so it has no rounding: the key is unknown there.
    if (b.kind != benefit_kind::service_item && given(r, "rounding")) b.rounding_mode = read_rounding(r, "rounding");
    if (const json* q = r.optional("quota")) {
        object_reader qr(*q, r.pointer_of("quota"), domain);
        quota limit;
        const std::int64_t uses = qr.integer("uses");
        if (uses < 1 || uses > 100000) qr.fail("invalid_quota", "uses", "uses must be 1..100000");
        limit.uses = static_cast<int>(uses);
        limit.per = read_period(qr);
        limit.carry_over = qr.boolean_or("carry_over", false);
        // Tier-specific numbers, {"platinum": 6}; the ids are checked against the tiers in
        // check_tier_lists(), once every section is read.
        if (const json* by = qr.optional("by_tier")) {
            object_reader tr(*by, qr.pointer_of("by_tier"), domain);
            for (auto it = by->begin(); it != by->end(); ++it) {
                const std::int64_t n = tr.integer(it.key());
                if (n < 1 || n > 100000) tr.fail("invalid_quota", it.key(), "uses must be 1..100000");
                limit.by_tier.emplace_back(it.key(), static_cast<int>(n));
            }
            tr.finish();
            // The unused uses carried over would depend on the tier held in the period before,
            // which the member's state does not keep: refused rather than guessed.
            if (limit.carry_over && !limit.by_tier.empty())
                qr.fail("invalid_quota", "by_tier", "by_tier cannot be combined with carry_over");
        }
        qr.finish();
        b.limit = limit;
    }
    read_vehicle_terms(r, b);
    b.tiers = string_list(r, "tiers");
    if (given(r, "effective_from")) b.effective_from = r.time("effective_from");
    if (given(r, "effective_to")) b.effective_to = r.time("effective_to");
    if (b.effective_from && b.effective_to && !(*b.effective_from < *b.effective_to))
        r.fail("invalid_window", "effective_to", "effective_to must be after effective_from");
    b.funding = read_funding(r, /*per_point=*/false, &cur);
    r.finish();
    return b;
}

}  // namespace

void read_benefits(object_reader& r, program& p) {
    if (given(r, "benefit_stacking")) {
        const std::string how = r.string("benefit_stacking");
        if (how == "in_order") p.benefit_stacking = stacking::in_order;
        else if (how == "best_for_member") p.benefit_stacking = stacking::best_for_member;
        else r.fail("invalid_option", "benefit_stacking", "benefit_stacking is 'in_order' or 'best_for_member'");
    }
    const json* list = r.optional("benefits");
    if (!list) return;
    if (!list->is_array()) r.fail("type_error", "benefits", "expected an array of benefits");
    // Benefit ids share the ledger's `rule` field with earning rules: they must not collide.
    std::set<std::string> ids{"adjustment"};
    for (const earning_rule& rule : p.earning_rules) ids.insert(rule.id);
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string ptr = pointer_append(r.pointer_of("benefits"), i);
        benefit b = read_benefit((*list)[i], ptr, p.currency_unit);
        if (!ids.insert(b.id).second) throw error(domain + ".duplicate_id", ptr + "/id", "benefit id '" + b.id + "' is used twice, or by an earning rule");
        p.benefits.push_back(std::move(b));
    }
}

}  // namespace loyalty::io
