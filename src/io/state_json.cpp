// Member-state snapshots as JSON.
#include "loyalty/io/state_json.hpp"

#include <utility>

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
