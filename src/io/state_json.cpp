// Member-state snapshots as JSON.
#include "loyalty/io/state_json.hpp"

#include <utility>

#include "loyalty/ledger/hash_chain.hpp"

namespace loyalty::io {
namespace {

const std::string domain = "loyalty.state";

// ---- writing ----

json lot_amounts_to_json(const std::vector<std::pair<std::string, points>>& v) {
    json out = json::array();
    for (const auto& [id, pts] : v) out.push_back({{"lot", id}, {"points", pts.count()}});
    return out;
}

json cap_use_to_json(const cap_use& c) {
    return {{"rule", c.rule}, {"on", format_day(c.on)}, {"amount", c.amount.count()}};
}

json benefit_use_to_json(const benefit_use& u) {
    return {{"benefit", u.benefit}, {"on", format_day(u.on)}, {"uses", u.uses}, {"discount", u.discount},
            {"reference", u.reference}};
}

json lot_to_json(const lot& l) {
    return {{"id", l.id},
            {"event", l.event},
            {"rule", l.rule},
            {"earned_on", format_day(l.earned_on)},
            {"available_at", format_instant(l.available_at)},
            {"credited_at", format_instant(l.credited_at)},
            // null: the lot never expires (absent would hide a forgotten field)
            {"expires_on", l.expires_on ? json(format_day(*l.expires_on)) : json(nullptr)},
            {"earned", l.earned.count()},
            {"remaining", l.remaining.count()},
            {"expired", l.expired.count()}};
}

json effect_to_json(const event_effect& e) {
    json caps = json::array(), uses = json::array();
    for (const cap_use& c : e.cap_uses) caps.push_back(cap_use_to_json(c));
    for (const benefit_use& u : e.benefit_uses) uses.push_back(benefit_use_to_json(u));
    return {{"type", std::string(to_string(e.type))},
            {"at", format_instant(e.at)},
            {"reversed", e.reversed},
            {"earned", lot_amounts_to_json(e.earned)},
            {"consumed", lot_amounts_to_json(e.consumed)},
            {"cap_uses", std::move(caps)},
            {"benefit_uses", std::move(uses)}};
}

// ---- reading ----

// A string that must be present but may be empty (a lot's rule, a use's reference).
std::string text(object_reader& r, std::string_view key) {
    return as_string(r.required(key), r.pointer_of(key), domain);
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

std::vector<std::pair<std::string, points>> lot_amounts_from_json(object_reader& parent, std::string_view key) {
    const json& v = array(parent, key);
    std::vector<std::pair<std::string, points>> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        object_reader r(v[i], pointer_append(parent.pointer_of(key), i), domain);
        std::string id = r.string("lot");
        const points pts(r.integer("points"));
        r.finish();
        out.emplace_back(std::move(id), pts);
    }
    return out;
}

cap_use cap_use_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, domain);
    cap_use c;
    c.rule = r.string("rule");
    c.on = r.date("on");
    c.amount = points(r.integer("amount"));
    r.finish();
    return c;
}

benefit_use benefit_use_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, domain);
    benefit_use u;
    u.benefit = r.string("benefit");
    u.on = r.date("on");
    u.uses = r.integer("uses");
    u.discount = r.integer("discount");
    u.reference = text(r, "reference");
    r.finish();
    return u;
}

std::vector<cap_use> cap_uses_from_json(object_reader& parent, std::string_view key) {
    const json& v = array(parent, key);
    std::vector<cap_use> out;
    for (std::size_t i = 0; i < v.size(); ++i) out.push_back(cap_use_from_json(v[i], pointer_append(parent.pointer_of(key), i)));
    return out;
}

std::vector<benefit_use> benefit_uses_from_json(object_reader& parent, std::string_view key) {
    const json& v = array(parent, key);
    std::vector<benefit_use> out;
    for (std::size_t i = 0; i < v.size(); ++i)
        out.push_back(benefit_use_from_json(v[i], pointer_append(parent.pointer_of(key), i)));
    return out;
}

lot lot_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, domain);
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
    r.finish();
    return l;
}

event_effect effect_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, domain);
    event_effect e;
    const std::string type = r.string("type");
    const auto t = parse_event_type(type);
    if (!t) r.fail("invalid_type", "type", "unknown event type '" + type + "'");
    e.type = *t;
    e.at = r.time("at");
    e.reversed = flag(r, "reversed");
    e.earned = lot_amounts_from_json(r, "earned");
    e.consumed = lot_amounts_from_json(r, "consumed");
    e.cap_uses = cap_uses_from_json(r, "cap_uses");
    e.benefit_uses = benefit_uses_from_json(r, "benefit_uses");
    r.finish();
    return e;
}

}  // namespace

json state_to_json(const member_state& s) {
    json lots = json::array(), caps = json::array(), uses = json::array(), effects = json::object();
    for (const lot& l : s.lots) lots.push_back(lot_to_json(l));
    for (const cap_use& c : s.cap_usage) caps.push_back(cap_use_to_json(c));
    for (const benefit_use& u : s.benefit_usage) uses.push_back(benefit_use_to_json(u));
    for (const auto& [id, e] : s.effects) effects[id] = effect_to_json(e);
    return {{"member", s.member},
            {"enrolled", s.enrolled},
            {"member_since", format_day(s.member_since)},
            {"last_event_at", format_instant(s.last_event_at)},
            {"last_activity_at", format_instant(s.last_activity_at)},
            {"vehicles", s.vehicles},
            {"lots", std::move(lots)},
            {"debt", s.debt.count()},
            {"cap_usage", std::move(caps)},
            {"benefit_usage", std::move(uses)},
            {"effects", std::move(effects)},
            {"last_seq", s.last_seq},
            {"last_hash", s.last_hash}};
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
    void key(const char* k) {
        comma();
        out += '"';
        out += k;
        out += "\":";
        first_ = true;  // the value that follows takes no comma
    }
    void key(const std::string& k) {
        comma();
        detail::append_json_string(out, k);
        out += ':';
        first_ = true;
    }
    void item() { comma(); }  // before an array element
    void text(const std::string& v) { after_value(); detail::append_json_string(out, v); }
    void integer(std::int64_t v) { after_value(); out += std::to_string(v); }
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

void write_lot_amounts(text_writer& w, const std::vector<std::pair<std::string, points>>& v) {
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
    w.key("on"), w.text(format_day(c.on));
    w.key("rule"), w.text(c.rule);
    w.close();
}

void write_benefit_use(text_writer& w, const benefit_use& u) {
    w.open();
    w.key("benefit"), w.text(u.benefit);
    w.key("discount"), w.integer(u.discount);
    w.key("on"), w.text(format_day(u.on));
    w.key("reference"), w.text(u.reference);
    w.key("uses"), w.integer(u.uses);
    w.close();
}

template <class T, class F>
void write_array(text_writer& w, const std::vector<T>& v, F&& each) {
    w.open_array();
    for (const T& x : v) {
        w.item();
        each(w, x);
    }
    w.close_array();
}

}  // namespace

std::string state_to_json_text(const member_state& s) {
    text_writer w;
    w.out.reserve(512 + 256 * (s.lots.size() + s.effects.size()));
    w.open();
    w.key("benefit_usage"), write_array(w, s.benefit_usage, write_benefit_use);
    w.key("cap_usage"), write_array(w, s.cap_usage, write_cap_use);
    w.key("debt"), w.integer(s.debt.count());
    w.key("effects");
    w.open();
    for (const auto& [id, e] : s.effects) {
        w.key(id);
        w.open();
        w.key("at"), w.text(format_instant(e.at));
        w.key("benefit_uses"), write_array(w, e.benefit_uses, write_benefit_use);
        w.key("cap_uses"), write_array(w, e.cap_uses, write_cap_use);
        w.key("consumed"), write_lot_amounts(w, e.consumed);
        w.key("earned"), write_lot_amounts(w, e.earned);
        w.key("reversed"), w.boolean(e.reversed);
        w.key("type"), w.text(std::string(to_string(e.type)));
        w.close();
    }
    w.close();
    w.key("enrolled"), w.boolean(s.enrolled);
    w.key("last_activity_at"), w.text(format_instant(s.last_activity_at));
    w.key("last_event_at"), w.text(format_instant(s.last_event_at));
    w.key("last_hash"), w.text(s.last_hash);
    w.key("last_seq"), w.integer(s.last_seq);
    w.key("lots");
    write_array(w, s.lots, [](text_writer& t, const lot& l) {
        t.open();
        t.key("available_at"), t.text(format_instant(l.available_at));
        t.key("credited_at"), t.text(format_instant(l.credited_at));
        t.key("earned"), t.integer(l.earned.count());
        t.key("earned_on"), t.text(format_day(l.earned_on));
        t.key("event"), t.text(l.event);
        t.key("expired"), t.integer(l.expired.count());
        t.key("expires_on");
        if (l.expires_on) t.text(format_day(*l.expires_on));
        else t.null();
        t.key("id"), t.text(l.id);
        t.key("remaining"), t.integer(l.remaining.count());
        t.key("rule"), t.text(l.rule);
        t.close();
    });
    w.key("member"), w.text(s.member);
    w.key("member_since"), w.text(format_day(s.member_since));
    w.key("vehicles");
    write_array(w, s.vehicles, [](text_writer& t, const std::string& v) { t.text(v); });
    w.close();
    return std::move(w.out);
}

member_state state_from_json(const json& j, const std::string& pointer) {
    object_reader r(j, pointer, domain);
    member_state s(r.string("member"));
    s.enrolled = flag(r, "enrolled");
    s.member_since = r.date("member_since");
    s.last_event_at = r.time("last_event_at");
    s.last_activity_at = r.time("last_activity_at");
    const json& vehicles = array(r, "vehicles");
    for (std::size_t i = 0; i < vehicles.size(); ++i)
        s.vehicles.push_back(as_string(vehicles[i], pointer_append(r.pointer_of("vehicles"), i), domain));
    const json& lots = array(r, "lots");
    for (std::size_t i = 0; i < lots.size(); ++i) s.lots.push_back(lot_from_json(lots[i], pointer_append(r.pointer_of("lots"), i)));
    s.debt = points(r.integer("debt"));
    s.cap_usage = cap_uses_from_json(r, "cap_usage");
    s.benefit_usage = benefit_uses_from_json(r, "benefit_usage");
    const json& effects = r.required("effects");
    if (!effects.is_object()) r.fail("type_error", "effects", "expected an object keyed by event id, found " + std::string(effects.type_name()));
    for (auto it = effects.begin(); it != effects.end(); ++it)
        s.effects.emplace(it.key(), effect_from_json(it.value(), pointer_append(r.pointer_of("effects"), it.key())));
    s.last_seq = r.integer("last_seq");
    s.last_hash = r.string("last_hash");
    if (s.last_hash.size() != 64 || s.last_hash.find_first_not_of("0123456789abcdef") != std::string::npos)
        r.fail("invalid_hash", "last_hash", "last_hash is not 64 lower-case hex digits");
    r.finish();
    return s;
}

}  // namespace loyalty::io
