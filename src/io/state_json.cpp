// Member-state snapshots as JSON.
#include "loyalty/io/state_json.hpp"

#include <charconv>
#include <utility>

#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty::io {
namespace {

const std::string state_domain = "loyalty.state";

// ---- reading ----

// A string that must be present but may be empty (a lot's rule, a use's reference).
std::string text(object_reader& r, std::string_view key) {
    return as_string(r.required(key), r.pointer_of(key), state_domain);
}

const json& array(object_reader& r, std::string_view key) {
    const json& v = r.required(key);
    if (!v.is_array()) r.fail("type_error", key, "expected an array, found " + std::string(v.type_name()));
    return v;
}

bool flag(object_reader& r, std::string_view key) {
    const json& v = r.required(key);
    if (!v.is_boolean()) r.fail("type_error", key, "expected true or false, found " + std::string(v.type_name()));
    return v.get<bool>();
}

template <class T, class F>
std::vector<T> objects(object_reader& parent, std::string_view key, F&& read) {
    const json& v = array(parent, key);
    std::vector<T> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        object_reader r(v[i], pointer_append(parent.pointer_of(key), i), state_domain);
        out.push_back(read(r));
        r.finish();
    }
    return out;
}

lot_amounts lot_amounts_from_json(object_reader& parent, std::string_view key) {
    return objects<std::pair<lot_id_text, points>>(parent, key, [](object_reader& r) {
        lot_id_text id(r.string("lot"));
        return std::pair<lot_id_text, points>(std::move(id), points(r.integer("points")));
    });
}

cap_use cap_use_from_json(object_reader& r) {
    cap_use c;
    c.rule = r.string("rule");
    c.on = r.date("on");
    c.amount = points(r.integer("amount"));
    return c;
}

benefit_use benefit_use_from_json(object_reader& r) {
    benefit_use u;
    u.benefit = r.string("benefit");
    u.on = r.date("on");
    u.uses = r.integer("uses");
    u.discount = r.integer("discount");
    u.reference = text(r, "reference");
    // A vehicle-scoped use names its vehicle (and reading); a member-scoped one has neither key.
    if (r.optional("vin")) u.vin = r.string("vin");
    if (r.optional("odometer_km")) u.odometer_km = r.integer("odometer_km");
    return u;
}

odometer_reading reading_from_json(object_reader& r) {
    odometer_reading o;
    o.event = r.string("event");
    o.flagged = flag(r, "flagged");
    o.km = r.integer("km");
    if (o.km < 0) r.fail("invalid_odometer", "km", "an odometer reading is never negative");
    o.on = r.date("on");
    return o;
}

// A day that may be null (not known).
std::optional<day> optional_day(object_reader& r, std::string_view key) {
    if (!r.has(key)) r.fail("missing_field", key, "required field '" + std::string(key) + "' is missing (null: not known)");
    if (!r.optional(key)) return std::nullopt;
    return r.date(key);
}

vehicle_record vehicle_from_json(object_reader& r) {
    vehicle_record v;
    v.acquired_by = text(r, "acquired_by");
    v.earlier_uses = objects<benefit_use>(r, "earlier_uses", benefit_use_from_json);
    v.previous_owner = text(r, "previous_owner");
    if (!r.has("purchase_km")) r.fail("missing_field", "purchase_km", "required field 'purchase_km' is missing (null: not known)");
    if (r.optional("purchase_km")) v.purchase_km = r.integer("purchase_km");
    v.purchased_on = optional_day(r, "purchased_on");
    v.readings = objects<odometer_reading>(r, "readings", reading_from_json);
    v.sold_by = text(r, "sold_by");
    v.sold_on = optional_day(r, "sold_on");
    v.sold_to = text(r, "sold_to");
    v.vin = r.string("vin");
    return v;
}

// Money as written by to_string(money): "100.00 CNY".
money money_from_text(object_reader& r, std::string_view key) {
    const std::string t = r.string(key);
    const auto space = t.find(' ');
    const auto c = space == std::string::npos ? std::nullopt : currency::from_code(t.substr(space + 1));
    const auto m = c ? money::parse(t.substr(0, space), *c) : std::nullopt;
    if (!m) r.fail("invalid_money", key, "'" + t + "' is not an amount and a currency such as \"100.00 CNY\"");
    return *m;
}

std::vector<std::string> strings(object_reader& r, std::string_view key) {
    const json& v = array(r, key);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(as_string(v[i], pointer_append(r.pointer_of(key), i), state_domain));
    return out;
}

voucher voucher_from_json(object_reader& r) {
    voucher v;
    v.event = r.string("event");
    v.expires_on = r.date("expires_on");
    v.id = r.string("id");
    v.remaining = money_from_text(r, "remaining");
    v.reward = r.string("reward");
    v.used = money_from_text(r, "used");
    v.value = money_from_text(r, "value");
    v.withdrawn = flag(r, "withdrawn");
    return v;
}

qualifying_record qualifying_from_json(object_reader& r) {
    qualifying_record q;
    q.earned = points(r.integer("earned"));
    q.event = r.string("event");
    q.on = r.date("on");
    q.spend = money_from_text(r, "spend");
    q.visits = r.integer("visits");
    q.vehicles = r.integer_or("vehicles", 0);  // written since vehicles count toward tiers
    if (q.earned < points(0) || q.spend.is_negative() || q.visits < 0 || q.vehicles < 0)
        r.fail("invalid_qualifying", "earned", "qualifying figures are never negative");
    return q;
}

redemption_use redemption_from_json(object_reader& r) {
    redemption_use u;
    u.event = r.string("event");
    u.on = r.date("on");
    u.quantity = r.integer("quantity");
    u.reward = r.string("reward");
    return u;
}

voucher_use voucher_use_from_json(object_reader& r) {
    voucher_use u;
    u.forfeited = money_from_text(r, "forfeited");
    u.used = money_from_text(r, "used");
    u.voucher = r.string("voucher");
    return u;
}

unsigned small(object_reader& r, std::string_view key, std::int64_t max) {
    const std::int64_t n = r.integer(key);
    if (n < 0 || n > max) r.fail("out_of_range", key, "must be 0.." + std::to_string(max));
    return static_cast<unsigned>(n);
}

lot lot_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, state_domain);
    lot l;
    l.id = r.string("id");
    l.event = r.string("event");
    l.rule = text(r, "rule");
    l.earned_on = r.date("earned_on");
    l.available_at = r.time("available_at");
    l.credited_at = r.time("credited_at");
    if (!r.has("expires_on")) r.fail("missing_field", "expires_on", "required field 'expires_on' is missing (null: never)");
    if (r.optional("expires_on")) l.expires_on = r.date("expires_on");
    l.earned = points(r.integer("earned"));
    l.remaining = points(r.integer("remaining"));
    l.expired = points(r.integer("expired"));
    l.funder = r.string_or("funder", "");  // absent in snapshots from before funders existed
    if (!lot_record::id_fits(l.id, l.event))  // the engine names every lot "<event>/<tail>"
        r.fail("invalid_lot_id", "id", "lot id '" + l.id + "' must be its event id, '/' and a tail ('" + l.event + "/...')");
    r.finish();
    return l;
}

fleet_account fleet_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, state_domain);
    fleet_account a;
    a.credit = money_from_text(r, "credit");
    a.members = strings(r, "members");
    a.name = text(r, "name");
    a.policy = r.string("policy");
    a.rebates = objects<rebate_paid>(r, "rebates", [](object_reader& x) {
        rebate_paid p;
        p.paid_points = points(x.integer("paid_points"));
        object_reader period(x.required("period"), x.pointer_of("period"), state_domain);
        p.period = day_range{period.date("first"), period.date("end")};
        period.finish();
        p.rebate = money_from_text(x, "rebate");
        p.spend = money_from_text(x, "spend");
        return p;
    });
    a.spend = objects<account_spend>(r, "spend", [](object_reader& x) {
        account_spend sp;
        sp.amount = money_from_text(x, "amount");
        sp.event = x.string("event");
        sp.member = x.string("member");
        sp.on = x.date("on");
        if (!sp.amount.is_negative() && !sp.amount.is_zero()) return sp;
        x.fail("invalid_money", "amount", "spend counted toward an account is more than zero");
    });
    r.finish();
    return a;
}

// An exact decimal written as text ("0.99"), as rates are.
decimal decimal_from_text(const json& v, const std::string& pointer) {
    const std::string t = as_string(v, pointer, state_domain);
    const auto d = decimal::parse(t);
    if (!d) throw error(state_domain + ".invalid_decimal", pointer, "'" + t + "' is not an exact decimal");
    return *d;
}

order_line_effect line_effect_from_json(object_reader& r) {
    order_line_effect l;
    const std::vector<benefit_use> uses = objects<benefit_use>(r, "benefit_uses", benefit_use_from_json);
    l.benefit_uses.assign(uses.begin(), uses.end());
    l.paid = money_from_text(r, "paid");
    l.refunded = money_from_text(r, "refunded");
    l.returned = flag(r, "returned");
    l.vouchers = objects<std::pair<std::string, money>>(r, "vouchers", [](object_reader& v) {
        money m = money_from_text(v, "money");
        return std::pair<std::string, money>(v.string("voucher"), m);
    });
    return l;
}

earning_basis basis_from_json(object_reader& r) {
    earning_basis b;
    b.carry = flag(r, "carry");
    const json& counted = array(r, "counted");
    for (std::size_t i = 0; i < counted.size(); ++i) {
        if (!counted[i].is_number_integer())
            throw error(state_domain + ".type_error", pointer_append(r.pointer_of("counted"), i), "expected an integer");
        b.counted.push_back(counted[i].get<std::int64_t>());
    }
    b.divisor_exponent = static_cast<int>(small(r, "divisor_exponent", 18));
    b.earned = points(r.integer("earned"));
    b.expired_excused = points(r.integer("expired_excused"));
    const json& factors = array(r, "factors");
    for (std::size_t i = 0; i < factors.size(); ++i)
        b.factors.push_back(decimal_from_text(factors[i], pointer_append(r.pointer_of("factors"), i)));
    b.lot = text(r, "lot");
    const std::string mode = r.string("mode");
    const auto m = parse_rounding(mode);
    if (!m) r.fail("invalid_rounding", "mode", "unknown rounding mode '" + mode + "'");
    b.mode = *m;
    if (r.has("per")) {
        b.per = r.integer("per");
        if (b.per <= 0) r.fail("invalid_number", "per", "a ratio rate's amount is above 0");
    }
    b.rule = r.string("rule");
    b.taken_back = points(r.integer("taken_back"));
    return b;
}

event_effect effect_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, state_domain);
    event_effect e;
    const std::string type = r.string("type");
    const auto t = parse_event_type(type);
    if (!t) r.fail("invalid_type", "type", "unknown event type '" + type + "'");
    e.type = *t;
    e.at = r.time("at");
    e.reversed = flag(r, "reversed");
    e.earned = lot_amounts_from_json(r, "earned");
    e.consumed = lot_amounts_from_json(r, "consumed");
    e.cap_uses = objects<cap_use>(r, "cap_uses", cap_use_from_json);
    e.benefit_uses = objects<benefit_use>(r, "benefit_uses", benefit_use_from_json);
    e.voucher_uses = objects<voucher_use>(r, "voucher_uses", voucher_use_from_json);
    e.closed_order = flag(r, "closed_order");
    e.reward = text(r, "reward");
    e.quantity = r.integer("quantity");
    if (!r.has("cash")) r.fail("missing_field", "cash", "required field 'cash' is missing (null: none)");
    if (r.optional("cash")) e.cash = money_from_text(r, "cash");
    e.vouchers = strings(r, "vouchers");
    if (r.optional("account")) {  // a fleet member's event
        e.account = r.string("account");
        e.account_spend = money_from_text(r, "account_spend");
    }
    // Written since partial reversals landed, and only when there is something to keep.
    if (r.optional("lines")) e.lines = objects<order_line_effect>(r, "lines", line_effect_from_json);
    if (r.optional("bases")) e.bases = objects<earning_basis>(r, "bases", basis_from_json);
    if (r.optional("settled")) e.settled = flag(r, "settled");  // past a reversal window (since issue 10)
    r.finish();
    return e;
}

}  // namespace

json state_to_json(const member_state& s) {
    // One writer: the tree is the text's, so the two can never disagree.
    return json::parse(state_to_json_text(s));
}

namespace {

// Keys are written in byte order, as nlohmann::json (a std::map) dumps them.
class text_writer {
public:
    std::string out;
    void open() { out += '{'; first_ = true; }
    void close() { out += '}'; first_ = false; }
    void open_array() { out += '['; first_ = true; }
    void close_array() { out += ']'; first_ = false; }
    template <std::size_t N>
    void key(const char (&k)[N]) {  // a key of the format: plain ASCII, its length known
        comma();
        out += '"';
        out.append(k, N - 1);
        out += "\":";
        first_ = true;  // the value that follows takes no comma
    }
    void key(std::string_view k) {
        comma();
        detail::append_json_string(out, k);
        out += ':';
        first_ = true;
    }
    void item() { comma(); }  // before an array element
    void text(std::string_view v) { after_value(); detail::append_json_string(out, v); }
    void integer(std::int64_t v) {
        after_value();
        char buf[24];
        out.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    }
    // Days and instants as format_day and format_instant write them, without a string of their own.
    void day_text(day d) {
        after_value();
        out += '"';
        append_day(out, d);
        out += '"';
    }
    void instant_text(instant t) {
        after_value();
        out += '"';
        append_instant(out, t);
        out += '"';
    }
    void boolean(bool v) { after_value(); out += v ? "true" : "false"; }
    void null() { after_value(); out += "null"; }
    void value_done() { first_ = false; }

private:
    void comma() {
        if (!first_) out += ',';
        first_ = false;
    }
    void after_value() { first_ = false; }
    bool first_ = true;
};

void write_lot_amounts(text_writer& w, const lot_amounts& v) {
    w.open_array();
    for (const auto& [id, pts] : v) {
        w.item();
        w.open();
        w.key("lot"), w.text(id);
        w.key("points"), w.integer(pts.count());
        w.close();
    }
    w.close_array();
}

void write_cap_use(text_writer& w, const cap_use& c) {
    w.open();
    w.key("amount"), w.integer(c.amount.count());
    w.key("on"), w.day_text(c.on);
    w.key("rule"), w.text(c.rule);
    w.close();
}

void write_benefit_use(text_writer& w, const benefit_use& u) {
    w.open();
    w.key("benefit"), w.text(u.benefit);
    w.key("discount"), w.integer(u.discount);
    // Written only for a vehicle-scoped use, so member-scoped uses keep their old form.
    if (u.odometer_km) w.key("odometer_km"), w.integer(*u.odometer_km);
    w.key("on"), w.day_text(u.on);
    w.key("reference"), w.text(u.reference);
    w.key("uses"), w.integer(u.uses);
    if (!u.vin.empty()) w.key("vin"), w.text(u.vin);
    w.close();
}

void write_optional_day(text_writer& w, const std::optional<day>& d) {
    if (d) w.day_text(*d);
    else w.null();
}

void write_vehicle(text_writer& w, const vehicle_record& v);

template <class Items, class F>  // a std::vector or a small_vector
void write_array(text_writer& w, const Items& v, F&& each) {
    w.open_array();
    for (const auto& x : v) {
        w.item();
        each(w, x);
    }
    w.close_array();
}

void write_strings(text_writer& w, const std::vector<std::string>& v) {
    write_array(w, v, [](text_writer& t, const std::string& x) { t.text(x); });
}

void write_fleet(text_writer& w, const fleet_account& a) {
    w.open();
    w.key("credit"), w.text(to_string(a.credit));
    w.key("members"), write_strings(w, a.members);
    w.key("name"), w.text(a.name);
    w.key("policy"), w.text(a.policy);
    w.key("rebates");
    write_array(w, a.rebates, [](text_writer& t, const rebate_paid& r) {
        t.open();
        t.key("paid_points"), t.integer(r.paid_points.count());
        t.key("period");
        t.open();
        t.key("end"), t.day_text(r.period.end);
        t.key("first"), t.day_text(r.period.first);
        t.close();
        t.key("rebate"), t.text(to_string(r.rebate));
        t.key("spend"), t.text(to_string(r.spend));
        t.close();
    });
    w.key("spend");
    write_array(w, a.spend, [](text_writer& t, const account_spend& x) {
        t.open();
        t.key("amount"), t.text(to_string(x.amount));
        t.key("event"), t.text(x.event);
        t.key("member"), t.text(x.member);
        t.key("on"), t.day_text(x.on);
        t.close();
    });
    w.close();
}

}  // namespace

std::string state_to_json_text(const member_state& s) {
    text_writer w;
    const std::vector<lot> lots = s.all_lots();  // spent ones included, in creation order
    w.out.reserve(512 + 256 * (lots.size() + s.effects.size()));
    w.open();
    if (!s.account.empty()) {  // fleet keys are written only when set: other snapshots are unchanged
        w.key("account"), w.text(s.account);
        w.key("account_policy"), w.text(s.account_policy);
        if (!s.account_tier.empty()) w.key("account_tier"), w.text(s.account_tier);
    }
    w.key("benefit_usage"), write_array(w, s.benefit_usage.all(), write_benefit_use);
    w.key("birthday_day"), w.integer(s.birthday_day);
    w.key("birthday_month"), w.integer(s.birthday_month);
    w.key("cap_usage"), write_array(w, s.cap_usage, write_cap_use);
    if (!s.carries.empty()) {  // rules that carry a rounding remainder: rule id -> remainder
        w.key("carries");
        w.open();
        for (const auto& [rule, c] : s.carries) w.key(rule), w.text(c.to_string());
        w.close();
    }
    w.key("debt"), w.integer(s.debt.count());
    w.key("effects");
    w.open();
    for (const auto& [id, record] : s.effects) {
        const event_effect e = s.effects.unpacked(id, record);
        w.key(id);
        w.open();
        if (!e.account.empty()) {  // written only for fleet members' events: other snapshots are unchanged
            w.key("account"), w.text(e.account);
            w.key("account_spend"), w.text(to_string(e.account_spend));
        }
        w.key("at"), w.instant_text(e.at);
        if (!e.bases.empty()) {
            w.key("bases");
            write_array(w, e.bases, [](text_writer& t, const earning_basis& b) {
                t.open();
                t.key("carry"), t.boolean(b.carry);
                t.key("counted");
                write_array(t, b.counted, [](text_writer& u, std::int64_t n) { u.integer(n); });
                t.key("divisor_exponent"), t.integer(b.divisor_exponent);
                t.key("earned"), t.integer(b.earned.count());
                t.key("expired_excused"), t.integer(b.expired_excused.count());
                t.key("factors");
                write_array(t, b.factors, [](text_writer& u, const decimal& d) { u.text(d.to_string()); });
                t.key("lot"), t.text(b.lot);
                t.key("mode"), t.text(std::string(to_string(b.mode)));
                if (b.per > 0) t.key("per"), t.integer(b.per);  // a ratio rate only
                t.key("rule"), t.text(b.rule);
                t.key("taken_back"), t.integer(b.taken_back.count());
                t.close();
            });
        }
        w.key("benefit_uses"), write_array(w, e.benefit_uses, write_benefit_use);
        w.key("cap_uses"), write_array(w, e.cap_uses, write_cap_use);
        w.key("cash");
        if (e.cash) w.text(to_string(*e.cash));
        else w.null();
        w.key("closed_order"), w.boolean(e.closed_order);
        w.key("consumed"), write_lot_amounts(w, e.consumed);
        w.key("earned"), write_lot_amounts(w, e.earned);
        if (!e.lines.empty()) {
            w.key("lines");
            write_array(w, e.lines, [](text_writer& t, const order_line_effect& l) {
                t.open();
                t.key("benefit_uses"), write_array(t, l.benefit_uses, write_benefit_use);
                t.key("paid"), t.text(to_string(l.paid));
                t.key("refunded"), t.text(to_string(l.refunded));
                t.key("returned"), t.boolean(l.returned);
                t.key("vouchers");
                write_array(t, l.vouchers, [](text_writer& u, const std::pair<std::string, money>& v) {
                    u.open();
                    u.key("money"), u.text(to_string(v.second));
                    u.key("voucher"), u.text(v.first);
                    u.close();
                });
                t.close();
            });
        }
        w.key("quantity"), w.integer(e.quantity);
        w.key("reversed"), w.boolean(e.reversed);
        w.key("reward"), w.text(e.reward);
        if (e.settled) w.key("settled"), w.boolean(true);  // written only when set: older snapshots have none
        w.key("type"), w.text(std::string(to_string(e.type)));
        w.key("voucher_uses");
        write_array(w, e.voucher_uses, [](text_writer& t, const voucher_use& u) {
            t.open();
            t.key("forfeited"), t.text(to_string(u.forfeited));
            t.key("used"), t.text(to_string(u.used));
            t.key("voucher"), t.text(u.voucher);
            t.close();
        });
        w.key("vouchers"), write_strings(w, e.vouchers);
        w.close();
    }
    w.close();
    w.key("enrolled"), w.boolean(s.enrolled);
    if (s.fleet) w.key("fleet"), write_fleet(w, *s.fleet);
    w.key("household"), w.text(s.household);
    w.key("last_activity_at"), w.instant_text(s.last_activity_at);
    w.key("last_event_at"), w.instant_text(s.last_event_at);
    w.key("last_hash"), w.text(s.last_hash.hex());
    w.key("last_seq"), w.integer(s.last_seq);
    w.key("lots");
    write_array(w, lots, [](text_writer& t, const lot& l) {
        t.open();
        t.key("available_at"), t.instant_text(l.available_at);
        t.key("credited_at"), t.instant_text(l.credited_at);
        t.key("earned"), t.integer(l.earned.count());
        t.key("earned_on"), t.day_text(l.earned_on);
        t.key("event"), t.text(l.event);
        t.key("expired"), t.integer(l.expired.count());
        t.key("expires_on");
        if (l.expires_on) t.day_text(*l.expires_on);
        else t.null();
        if (!l.funder.empty()) t.key("funder"), t.text(l.funder);  // only when the programme declares funders
        t.key("id"), t.text(l.id);
        t.key("remaining"), t.integer(l.remaining.count());
        t.key("rule"), t.text(l.rule);
        t.close();
    });
    w.key("member"), w.text(s.member);
    w.key("member_since"), w.day_text(s.member_since);
    w.key("qualifying");
    write_array(w, s.qualifying, [](text_writer& t, const qualifying_record& q) {
        t.open();
        t.key("earned"), t.integer(q.earned.count());
        t.key("event"), t.text(q.event);
        t.key("on"), t.day_text(q.on);
        t.key("spend"), t.text(to_string(q.spend));
        t.key("vehicles"), t.integer(q.vehicles);
        t.key("visits"), t.integer(q.visits);
        t.close();
    });
    w.key("redemptions");
    write_array(w, s.redemptions, [](text_writer& t, const redemption_use& u) {
        t.open();
        t.key("event"), t.text(u.event);
        t.key("on"), t.day_text(u.on);
        t.key("quantity"), t.integer(u.quantity);
        t.key("reward"), t.text(u.reward);
        t.close();
    });
    w.key("referral_event"), w.text(s.referral_event);
    w.key("referral_lapsed"), w.boolean(s.referral_lapsed);
    w.key("referred_by"), w.text(s.referred_by);
    w.key("surveyed_orders"), write_strings(w, s.surveyed_orders);
    w.key("tier"), w.text(s.tier);
    w.key("tier_before_upgrade"), w.text(s.tier_before_upgrade);
    w.key("tier_since"), w.instant_text(s.tier_since);
    w.key("tier_upgrade_event"), w.text(s.tier_upgrade_event);
    w.key("tier_window");
    w.open();
    w.key("end"), w.day_text(s.tier_window.end);
    w.key("first"), w.day_text(s.tier_window.first);
    w.close();
    w.key("vehicle_records"), write_array(w, s.vehicle_records, write_vehicle);
    w.key("vehicles"), write_strings(w, s.vehicles);
    w.key("vouchers");
    write_array(w, s.vouchers, [](text_writer& t, const voucher& v) {
        t.open();
        t.key("event"), t.text(v.event);
        t.key("expires_on"), t.day_text(v.expires_on);
        t.key("id"), t.text(v.id);
        t.key("remaining"), t.text(to_string(v.remaining));
        t.key("reward"), t.text(v.reward);
        t.key("used"), t.text(to_string(v.used));
        t.key("value"), t.text(to_string(v.value));
        t.key("withdrawn"), t.boolean(v.withdrawn);
        t.close();
    });
    w.close();
    return std::move(w.out);
}

namespace {

void write_vehicle(text_writer& w, const vehicle_record& v) {
    w.open();
    w.key("acquired_by"), w.text(v.acquired_by);
    w.key("earlier_uses"), write_array(w, v.earlier_uses, write_benefit_use);
    w.key("previous_owner"), w.text(v.previous_owner);
    w.key("purchase_km");
    if (v.purchase_km) w.integer(*v.purchase_km);
    else w.null();
    w.key("purchased_on"), write_optional_day(w, v.purchased_on);
    w.key("readings");
    write_array(w, v.readings, [](text_writer& t, const odometer_reading& o) {
        t.open();
        t.key("event"), t.text(o.event);
        t.key("flagged"), t.boolean(o.flagged);
        t.key("km"), t.integer(o.km);
        t.key("on"), t.day_text(o.on);
        t.close();
    });
    w.key("sold_by"), w.text(v.sold_by);
    w.key("sold_on"), write_optional_day(w, v.sold_on);
    w.key("sold_to"), w.text(v.sold_to);
    w.key("vin"), w.text(v.vin);
    w.close();
}

}  // namespace

member_state state_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, state_domain);
    member_state s(r.string("member"));
    s.enrolled = flag(r, "enrolled");
    s.member_since = r.date("member_since");
    s.last_event_at = r.time("last_event_at");
    s.last_activity_at = r.time("last_activity_at");
    const json& vehicles = array(r, "vehicles");
    for (std::size_t i = 0; i < vehicles.size(); ++i)
        s.vehicles.push_back(as_string(vehicles[i], pointer_append(r.pointer_of("vehicles"), i), state_domain));
    // Written since vehicle-scoped benefits landed; a snapshot from before knows no vehicle facts.
    if (r.optional("vehicle_records")) s.vehicle_records = objects<vehicle_record>(r, "vehicle_records", vehicle_from_json);
    const json& lots = array(r, "lots");
    for (std::size_t i = 0; i < lots.size(); ++i) {
        lot l = lot_from_json(lots[i], pointer_append(r.pointer_of("lots"), i));
        l.ordinal = static_cast<std::uint32_t>(i);  // the array is in creation order
        s.add_lot(l);
    }
    s.bury_spent_lots();
    s.debt = points(r.integer("debt"));
    s.cap_usage = objects<cap_use>(r, "cap_usage", cap_use_from_json);
    for (const benefit_use& u : objects<benefit_use>(r, "benefit_usage", benefit_use_from_json)) s.benefit_usage.push_back(u);
    // Written since rounding remainders landed, and only when the member carries one.
    if (const json* carries = r.optional("carries")) {
        if (!carries->is_object()) r.fail("type_error", "carries", "expected an object keyed by rule id");
        for (auto it = carries->begin(); it != carries->end(); ++it)
            s.carries.emplace(it.key(), decimal_from_text(it.value(), pointer_append(r.pointer_of("carries"), it.key())));
    }
    s.household = text(r, "household");
    s.birthday_month = small(r, "birthday_month", 12);
    s.birthday_day = small(r, "birthday_day", 31);
    s.surveyed_orders = strings(r, "surveyed_orders");
    // Written since referrals landed; a snapshot from before holds no referral.
    if (r.optional("referred_by")) {
        s.referred_by = text(r, "referred_by");
        s.referral_event = text(r, "referral_event");
        s.referral_lapsed = flag(r, "referral_lapsed");
    }
    // Written since tiers landed; a snapshot from before holds no tier.
    if (r.optional("tier")) {
        s.tier = text(r, "tier");
        s.tier_before_upgrade = text(r, "tier_before_upgrade");
        s.tier_since = r.time("tier_since");
        s.tier_upgrade_event = text(r, "tier_upgrade_event");
        object_reader w(r.required("tier_window"), r.pointer_of("tier_window"), state_domain);
        s.tier_window = day_range{w.date("first"), w.date("end")};
        w.finish();
        s.qualifying = objects<qualifying_record>(r, "qualifying", qualifying_from_json);
    }
    s.vouchers = objects<voucher>(r, "vouchers", voucher_from_json);
    s.redemptions = objects<redemption_use>(r, "redemptions", redemption_from_json);
    // Written only for fleet members and accounts.
    if (r.optional("account")) {
        s.account = r.string("account");
        s.account_policy = text(r, "account_policy");
        if (r.optional("account_tier")) s.account_tier = r.string("account_tier");
    }
    if (const json* f = r.optional("fleet")) s.fleet = fleet_from_json(*f, r.pointer_of("fleet"));
    const json& effects = r.required("effects");
    if (!effects.is_object()) r.fail("type_error", "effects", "expected an object keyed by event id, found " + std::string(effects.type_name()));
    for (auto it = effects.begin(); it != effects.end(); ++it)
        s.effects.insert(it.key(), effect_from_json(it.value(), pointer_append(r.pointer_of("effects"), it.key())));
    s.last_seq = r.integer("last_seq");
    const auto last_hash = sha256_digest::from_hex(r.string("last_hash"));
    if (!last_hash) r.fail("invalid_hash", "last_hash", "last_hash is not 64 lower-case hex digits");
    s.last_hash = *last_hash;
    r.finish();
    return s;
}

}  // namespace loyalty::io
