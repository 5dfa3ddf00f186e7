// Loading and validating a programme's rewards catalogue, redemption policy, transfer policy
// and referral policy.
#include "reward_json.hpp"

#include <set>

#include "program_fields.hpp"

namespace loyalty::io {

namespace {

using namespace program_fields;

reward_price read_price(const json& j, const std::string& ptr, const currency& cur) {
    object_reader r(j, ptr, domain);
    reward_price price;
    const std::int64_t cost = r.integer("points");
    if (cost < 1 || cost > 1'000'000'000) r.fail("invalid_points", "points", "a reward costs 1..1000000000 points");
    price.cost = points(cost);
    price.cash = money::zero(cur);
    if (given(r, "currency")) {
        const std::string code = r.string("currency");
        if (code != cur.code())
            r.fail("currency_mismatch", "currency",
                   "the money part is in " + code + "; the programme's currency is " + std::string(cur.code()));
    }
    if (given(r, "money")) {
        price.cash = read_money(r, "money", cur);
        if (price.cash.is_zero()) r.fail("invalid_amount", "money", "leave money out for a points-only price");
        if (price.cash.minor_units() > 1'000'000'000'000) r.fail("invalid_amount", "money", "the money part is too large");
    }
    r.finish();
    return price;
}

reward read_reward(const json& j, const std::string& ptr, const currency& cur) {
    object_reader r(j, ptr, domain);
    reward rw;
    rw.id = r.string("id");
    if (rw.id.empty()) r.fail("invalid_id", "id", "a reward id is not empty");
    rw.name = r.string_or("name", "");
    const std::string kind = r.string("kind");
    const auto k = parse_reward_kind(kind);
    if (!k) r.fail("invalid_reward_kind", "kind",
                   "unknown reward kind '" + kind + "' (labour_voucher, goods, accessory, repair_item, service)");
    rw.kind = *k;
    const json& prices = r.required("prices");
    const std::string pptr = r.pointer_of("prices");
    if (!prices.is_array() || prices.empty())
        throw error(domain + ".invalid_prices", pptr, "a reward has a non-empty array of price options");
    for (std::size_t i = 0; i < prices.size(); ++i) rw.prices.push_back(read_price(prices[i], pointer_append(pptr, i), cur));
    rw.tiers = string_list(r, "tiers");
    if (const json* lim = r.optional("limit")) {
        object_reader lr(*lim, r.pointer_of("limit"), domain);
        redemption_limit l;
        l.count = lr.integer("count");
        if (l.count < 1 || l.count > 100000) lr.fail("invalid_limit", "count", "count must be 1..100000");
        l.per = read_period(lr);
        lr.finish();
        rw.limit = l;
    }
    if (given(r, "stock")) {
        rw.stock = r.integer("stock");
        if (*rw.stock < 0 || *rw.stock > 1'000'000'000) r.fail("invalid_stock", "stock", "stock must be 0..1000000000");
    }
    if (given(r, "available_from")) rw.available_from = r.time("available_from");
    if (given(r, "available_to")) rw.available_to = r.time("available_to");
    if (rw.available_from && rw.available_to && !(*rw.available_from < *rw.available_to))
        r.fail("invalid_window", "available_to", "available_to must be after available_from");
    if (const json* ms = r.optional("months")) {
        const std::string mptr = r.pointer_of("months");
        if (!ms->is_array() || ms->empty()) throw error(domain + ".invalid_months", mptr, "months is a non-empty array of 1..12");
        for (std::size_t i = 0; i < ms->size(); ++i) {
            const json& m = (*ms)[i];
            if (!m.is_number_unsigned() || m.get<std::uint64_t>() < 1 || m.get<std::uint64_t>() > 12)
                throw error(domain + ".invalid_months", pointer_append(mptr, i), "a month is 1..12");
            rw.months.push_back(m.get<unsigned>());
        }
    }
    if (given(r, "min_balance")) {
        const std::int64_t n = r.integer("min_balance");
        if (n < 0) r.fail("invalid_points", "min_balance", "min_balance cannot be negative");
        rw.min_balance = points(n);
    }
    if (given(r, "min_tenure_days")) {
        const std::int64_t d = r.integer("min_tenure_days");
        if (d < 0 || d > 36600) r.fail("invalid_period", "min_tenure_days", "min_tenure_days must be 0..36600");
        rw.min_tenure_days = static_cast<int>(d);
    }
    if (rw.kind == reward_kind::labour_voucher) {
        object_reader vr(r.required("voucher"), r.pointer_of("voucher"), domain);
        voucher_terms v;
        v.value = read_money(vr, "value", cur);
        if (v.value.is_zero()) vr.fail("invalid_amount", "value", "a voucher is worth more than 0");
        const std::int64_t days = vr.integer("valid_days");
        if (days < 1 || days > 3660) vr.fail("invalid_period", "valid_days", "valid_days must be 1..3660");
        v.valid_days = static_cast<int>(days);
        const std::string rest = vr.string_or("remainder", "keep");
        if (rest != "keep" && rest != "forfeit") vr.fail("invalid_option", "remainder", "remainder is 'keep' or 'forfeit'");
        v.keep_remainder = rest == "keep";
        if (const json* lines = vr.optional("lines")) v.lines = read_lines(*lines, vr.pointer_of("lines"), false);
        if (v.lines.kinds.empty()) v.lines.kinds = {line_kind::labour};  // a labour-fee voucher pays labour
        vr.finish();
        rw.voucher = v;
    } else if (given(r, "voucher")) {
        r.fail("invalid_option", "voucher", "only a labour_voucher reward has voucher terms");
    }
    rw.funding = read_funding(r, /*per_point=*/false, nullptr);
    r.finish();
    return rw;
}

}  // namespace

void read_rewards(object_reader& r, program& p) {
    if (const json* list = r.optional("rewards")) {
        if (!list->is_array()) r.fail("type_error", "rewards", "expected an array of rewards");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string ptr = pointer_append(r.pointer_of("rewards"), i);
            reward rw = read_reward((*list)[i], ptr, p.currency_unit);
            if (!ids.insert(rw.id).second) throw error(domain + ".duplicate_id", ptr + "/id", "reward id '" + rw.id + "' is used twice");
            p.rewards.push_back(std::move(rw));
        }
    }
    if (const json* red = r.optional("redemption")) {
        object_reader rr(*red, r.pointer_of("redemption"), domain);
        const std::string when = rr.string("when_lot_expired");
        if (when == "expire_at_once") {
            p.redemption.when_lot_expired = expired_return::expire_at_once;
        } else if (when == "grace_days") {
            p.redemption.when_lot_expired = expired_return::grace_days;
            const std::int64_t d = rr.integer("grace_days");
            if (d < 1 || d > 3660) rr.fail("invalid_period", "grace_days", "grace_days must be 1..3660");
            p.redemption.grace_days = static_cast<int>(d);
        } else {
            rr.fail("invalid_option", "when_lot_expired", "when_lot_expired is 'expire_at_once' or 'grace_days'");
        }
        rr.finish();
    }
    if (const json* tr = r.optional("transfers")) {
        object_reader tr_r(*tr, r.pointer_of("transfers"), domain);
        transfer_policy t;
        const std::string within = tr_r.string("within");
        if (within != "household") tr_r.fail("invalid_option", "within", "within is 'household'");
        t.within_household = true;
        if (given(tr_r, "min_points")) {
            const std::int64_t n = tr_r.integer("min_points");
            if (n < 1) tr_r.fail("invalid_points", "min_points", "min_points is at least 1");
            t.min_per_transfer = points(n);
        }
        if (given(tr_r, "max_points")) {
            const std::int64_t n = tr_r.integer("max_points");
            if (n < t.min_per_transfer.count())
                tr_r.fail("invalid_points", "max_points", "max_points is at least min_points");
            t.max_per_transfer = points(n);
        }
        if (const json* cap = tr_r.optional("max_per_period")) {
            object_reader c(*cap, tr_r.pointer_of("max_per_period"), domain);
            period_cap pc;
            pc.over = read_period(c);
            const std::int64_t n = c.integer("points");
            if (n < 1) c.fail("invalid_points", "points", "a cap is at least 1 point");
            pc.limit = points(n);
            c.finish();
            t.max_per_period = pc;
        }
        tr_r.finish();
        p.transfers = t;
    }
    if (const json* ref = r.optional("referral")) {
        object_reader rr(*ref, r.pointer_of("referral"), domain);
        const std::int64_t d = rr.integer("completes_within_days");
        if (d < 0 || d > 3660) rr.fail("invalid_period", "completes_within_days", "completes_within_days must be 0..3660");
        rr.finish();
        p.referral = referral_policy{static_cast<int>(d)};
    }
}

}  // namespace loyalty::io
