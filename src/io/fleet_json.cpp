// The "fleet_policies" section of a programme: incentive policies for fleet (corporate) accounts.
#include "fleet_json.hpp"

#include <set>

#include "program_fields.hpp"

namespace loyalty::io {

namespace {

using namespace program_fields;

fleet_discount read_discount(const json& j, const std::string& ptr) {
    object_reader r(j, ptr, domain);
    fleet_discount d;
    d.lines = read_lines(r.required("lines"), r.pointer_of("lines"), false);
    d.pay = r.number("pays");
    if (d.pay <= decimal::integer(0) || d.pay >= decimal::integer(1) || d.pay.scale() > 6)
        r.fail("invalid_rate", "pays", "pays is the fraction the member pays: above 0, below 1, at most 6 decimals");
    const std::string combine = r.string("combine");
    const auto c = parse_discount_combination(combine);
    if (!c) r.fail("invalid_option", "combine", "combine is 'replace' (instead of member benefits) or 'stack' (after them)");
    d.combine = *c;
    if (given(r, "rounding")) d.rounding_mode = read_rounding(r, "rounding");
    r.finish();
    return d;
}

volume_rebate read_rebate(const json& j, const std::string& ptr, const currency& c) {
    object_reader r(j, ptr, domain);
    volume_rebate v;
    v.per = read_period(r);
    const std::string method = r.string("method");
    const auto m = parse_rebate_method(method);
    if (!m) r.fail("invalid_option", "method", "method is 'whole' (the band reached rates all spend) or 'marginal'");
    v.method = *m;
    const std::string pay = r.string_or("pay_as", "money");
    const auto pa = parse_rebate_payment(pay);
    if (!pa) r.fail("invalid_option", "pay_as", "pay_as is 'money' (a credit) or 'points'");
    v.pay_as = *pa;
    if (given(r, "points_per_unit")) {
        if (v.pay_as != rebate_payment::points)
            r.fail("invalid_option", "points_per_unit", "points_per_unit applies only to pay_as 'points'");
        v.points_per_unit = r.number("points_per_unit");
        if (v.points_per_unit <= decimal::integer(0) || v.points_per_unit > decimal::integer(1000) ||
            v.points_per_unit.scale() > 4)
            r.fail("invalid_rate", "points_per_unit", "points_per_unit must be above 0, at most 1000, with at most 4 decimals");
    }
    if (given(r, "rounding")) v.rounding_mode = read_rounding(r, "rounding");
    const json& bands = r.required("bands");
    const std::string bptr = r.pointer_of("bands");
    if (!bands.is_array() || bands.empty()) r.fail("type_error", "bands", "expected a non-empty array of bands, lowest first");
    for (std::size_t i = 0; i < bands.size(); ++i) {
        object_reader b(bands[i], pointer_append(bptr, i), domain);
        rebate_band band;
        band.from = read_money(b, "from", c);
        band.rate = b.number("rate");
        if (band.rate <= decimal::integer(0) || band.rate > decimal::integer(1) || band.rate.scale() > 6)
            b.fail("invalid_rate", "rate", "rate must be above 0, at most 1, with at most 6 decimals");
        if (!v.bands.empty() && !(band.from > v.bands.back().from))
            b.fail("unordered_bands", "from", "bands are listed lowest first: each from is above the one before");
        b.finish();
        v.bands.push_back(band);
    }
    r.finish();
    return v;
}

}  // namespace

void read_fleet_policies(object_reader& programme, program& p) {
    const json* section = programme.optional("fleet_policies");
    if (!section) return;
    const std::string sptr = programme.pointer_of("fleet_policies");
    if (!section->is_array()) throw error(domain + ".type_error", sptr, "expected an array of fleet policies");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < section->size(); ++i) {
        const std::string ptr = pointer_append(sptr, i);
        object_reader r((*section)[i], ptr, domain);
        fleet_policy f;
        f.id = r.string("id");
        if (f.id.empty() || !ids.insert(f.id).second)
            throw error(domain + ".duplicate_id", ptr + "/id", "fleet policy id '" + f.id + "' is empty or used twice");
        f.name = r.string_or("name", "");
        if (const json* d = r.optional("discount")) f.discount = read_discount(*d, r.pointer_of("discount"));
        if (const json* v = r.optional("volume_rebate"))
            f.rebate = read_rebate(*v, r.pointer_of("volume_rebate"), p.currency_unit);
        if (given(r, "qualification")) {
            const auto q = parse_tier_qualification(r.string("qualification"));
            if (!q) r.fail("invalid_option", "qualification", "qualification is 'member' (each member's own figures) or 'account' (all its members' together)");
            f.qualification = *q;
            if (f.qualification == tier_qualification::account && !p.tiers)
                r.fail("no_tiers", "qualification", "qualification 'account' judges the account's tier: the programme has no tiers");
        }
        if (!f.discount && !f.rebate && f.qualification == tier_qualification::member)
            throw error(domain + ".empty_policy", ptr,
                        "a fleet policy gives a discount, a volume_rebate, account-level tier qualification or more");
        r.finish();
        p.fleet_policies.push_back(std::move(f));
    }
}

}  // namespace loyalty::io
