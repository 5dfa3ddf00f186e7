// Loading and writing events.
#include "loyalty/io/event_json.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace loyalty::io {

namespace {

const std::string domain = "loyalty.event";

// An optional field is given when present and not null; null counts as absent everywhere.
bool given(object_reader& r, std::string_view key) { return r.optional(key) != nullptr; }

// An odometer reading: whole kilometres, 0..10,000,000 (no vehicle has driven more).
std::int64_t read_odometer(object_reader& r) {
    const std::int64_t km = r.integer("odometer_km");
    if (km < 0 || km > 10000000) r.fail("invalid_odometer", "odometer_km", "odometer_km is whole kilometres, 0..10000000");
    return km;
}

// "flags": ["accident", ...] as a bit set of line_flag.
unsigned read_flags(object_reader& r) {
    unsigned flags = 0;
    if (const json* list = r.optional("flags")) {
        const std::string fptr = r.pointer_of("flags");
        if (!list->is_array()) throw error(domain + ".type_error", fptr, "expected an array of flags");
        for (std::size_t i = 0; i < list->size(); ++i) {
            const std::string s = as_string((*list)[i], pointer_append(fptr, i), domain);
            const auto f = parse_line_flag(s);
            if (!f)
                throw error(domain + ".invalid_flag", pointer_append(fptr, i),
                            "unknown flag '" + s + "' (accident, warranty, insurance_paid, third_party)");
            flags |= static_cast<unsigned>(*f);
        }
    }
    return flags;
}

// Names an event carries (ids, members, VINs, stores, rewards, every code) hold no control
// character, U+0000..U+001F or U+007F: a NUL cuts a name wherever it meets a C string (libpq
// stored "e-7\u0000x" as "e-7", and the genuine "e-7" was then dropped as a duplicate), and a
// line break or tab in a name breaks every report and CSV that prints it. Free text (a reason,
// an account's name) may break lines, but holds no NUL, which PostgreSQL text cannot keep.
bool is_free_text(std::string_view key) { return key == "reason" || key == "name"; }

// The offset of the first character `s` may not hold, or npos.
std::size_t forbidden_character(std::string_view s, bool free_text) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0x00 || (!free_text && (c < 0x20 || c == 0x7f))) return i;
    }
    return std::string_view::npos;
}

void refuse_control_characters(const json& j, const std::string& pointer);

// `pointer_of` builds the value's pointer, only when there is an error to report.
template <class Pointer>
void refuse_control_characters_in(const json& value, bool free_text, const Pointer& pointer_of) {
    if (value.is_structured()) return refuse_control_characters(value, pointer_of());
    if (!value.is_string()) return;
    const std::string& s = value.get_ref<const std::string&>();
    const std::size_t at = forbidden_character(s, free_text);
    if (at == std::string_view::npos) return;
    char code[16];  // "U+00XX", with room for any unsigned the compiler cannot bound
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(s[at])));
    throw error(domain + ".control_character", pointer_of(),
                std::string("the control character ") + code + " at byte " + std::to_string(at) + ": " +
                    (free_text ? "free text may not hold U+0000"
                               : "ids, members, VINs and other names may not hold U+0000..U+001F or U+007F"));
}

// Every string of the event, at any depth (repair-order lines included).
void refuse_control_characters(const json& j, const std::string& pointer) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            refuse_control_characters_in(*it, is_free_text(it.key()), [&] { return pointer_append(pointer, it.key()); });
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i)
            refuse_control_characters_in(j[i], false, [&] { return pointer_append(pointer, i); });
    }
}

// An instant outside the supported range could be accepted and yet not be kept: lots expiring
// in a five-digit year make a snapshot that cannot be read back (core/time.hpp).
instant read_supported_instant(object_reader& r, std::string_view key) {
    const instant t = r.time(key);
    if (!is_supported_instant(t))
        r.fail("out_of_range", key,
               "'" + format_instant(t) + "' is outside the supported range " + format_instant(earliest_supported_instant) +
                   " .. " + format_instant(latest_supported_instant));
    return t;
}

day read_supported_day(object_reader& r, std::string_view key) {
    const day d = r.date(key);
    if (!is_supported_day(d))
        r.fail("out_of_range", key,
               "'" + format_day(d) + "' is outside the supported range " +
                   format_day(date::floor<date::days>(earliest_supported_instant)) + " .. " +
                   format_day(date::floor<date::days>(latest_supported_instant)));
    return d;
}

repair_order_line read_line(const json& j, const std::string& ptr, const currency& c) {
    object_reader r(j, ptr, domain);
    repair_order_line line;
    const std::string kind = r.string("kind");
    const auto k = parse_line_kind(kind);
    if (!k) r.fail("invalid_line_kind", "kind", "line kind is 'labour' or 'part', not '" + kind + "'");
    line.kind = *k;
    line.category = r.string("category");
    line.operation = r.string_or("operation", "");
    if (given(r, "quantity")) {
        line.quantity = r.number("quantity");
        if (line.quantity <= decimal::integer(0)) r.fail("invalid_quantity", "quantity", "quantity must be greater than 0");
    }
    line.unit_price = r.amount("unit_price", c);
    if (line.unit_price.is_negative()) r.fail("invalid_amount", "unit_price", "a list price cannot be negative");
    line.flags = read_flags(r);
    r.finish();
    return line;
}

}  // namespace

event event_from_json(const json& doc, const currency& default_currency) {
    object_reader r(doc, "", domain);
    event e;
    e.id = r.string("id");
    e.member = r.string("member");
    e.at = read_supported_instant(r, "at");
    if (given(r, "store")) e.store = r.string("store");  // an empty store is refused (empty_string)
    currency c = default_currency;
    if (given(r, "currency")) {
        const std::string code = r.string("currency");
        const auto found = currency::from_code(code);
        if (!found || *found == currency::none()) r.fail("unknown_currency", "currency", "unknown ISO 4217 currency '" + code + "'");
        c = *found;
    }
    const std::string type = r.string("type");
    const auto t = parse_event_type(type);
    if (!t) r.fail("invalid_type", "type", "unknown event type '" + type + "'");
    switch (*t) {
        case event_type::enrol: {
            events::enrol en;
            en.household = r.string_or("household", "");
            en.referred_by = r.string_or("referred_by", "");
            if (given(r, "birthday")) {
                // "MM-DD": the rules need the day, not the year (kept out of the journal).
                const std::string b = r.string("birthday");
                unsigned m = 0, d = 0;
                const bool shape = b.size() == 5 && b[2] == '-' && std::isdigit(static_cast<unsigned char>(b[0])) &&
                                   std::isdigit(static_cast<unsigned char>(b[1])) &&
                                   std::isdigit(static_cast<unsigned char>(b[3])) &&
                                   std::isdigit(static_cast<unsigned char>(b[4]));
                if (shape) {
                    m = static_cast<unsigned>((b[0] - '0') * 10 + (b[1] - '0'));
                    d = static_cast<unsigned>((b[3] - '0') * 10 + (b[4] - '0'));
                }
                // Any leap year (2000) holds every month-day, 29 February included.
                if (!shape || !date::year_month_day(date::year(2000), date::month(m), date::day(d)).ok())
                    r.fail("invalid_birthday", "birthday", "birthday is a month and day, \"MM-DD\" (\"02-29\" allowed)");
                en.birthday_month = m;
                en.birthday_day = d;
            }
            e.body = en;
            break;
        }
        case event_type::vehicle_purchase: {
            events::vehicle_purchase v;
            v.vin = r.string("vin");
            v.price = r.amount("price", c);
            if (v.price.is_negative()) r.fail("invalid_amount", "price", "a price cannot be negative");
            if (given(r, "odometer_km")) v.odometer_km = read_odometer(r);
            v.previous_owner = r.string_or("previous_owner", "");
            e.body = v;
            break;
        }
        case event_type::repair_order: {
            events::repair_order ro;
            ro.number = r.string_or("ro", "");
            ro.vin = r.string_or("vin", "");
            if (given(r, "odometer_km")) {
                ro.odometer_km = read_odometer(r);
                if (ro.vin.empty()) r.fail("missing_vin", "odometer_km", "an odometer reading needs the vin of the vehicle");
            }
            const std::string status = r.string_or("status", "closed");
            if (status == "estimate") ro.status = events::ro_status::estimate;
            else if (status != "closed") r.fail("invalid_status", "status", "status is 'estimate' or 'closed'");
            const json& lines = r.required("lines");
            const std::string lptr = r.pointer_of("lines");
            if (!lines.is_array() || lines.empty())
                throw error(domain + ".invalid_lines", lptr, "a repair order has a non-empty array of lines");
            for (std::size_t i = 0; i < lines.size(); ++i) ro.lines.push_back(read_line(lines[i], pointer_append(lptr, i), c));
            e.body = std::move(ro);
            break;
        }
        case event_type::referral: e.body = events::referral{r.string("referred")}; break;
        case event_type::survey: e.body = events::survey{r.string("survey"), r.string_or("repair_order", "")}; break;
        case event_type::birthday: e.body = events::birthday{}; break;
        case event_type::adjustment: {
            events::adjustment a;
            a.amount = points(r.integer("points"));
            if (a.amount == points(0)) r.fail("invalid_points", "points", "an adjustment of 0 points changes nothing");
            a.reason = r.string("reason");
            a.operator_id = r.string("operator");
            e.body = a;
            break;
        }
        case event_type::assign_tier: {
            events::assign_tier a;
            a.tier = r.string("tier");
            if (a.tier.empty()) r.fail("invalid_tier", "tier", "tier names one of the programme's tiers");
            a.reason = r.string("reason");
            a.operator_id = r.string("operator");
            e.body = a;
            break;
        }
        case event_type::reverse: {
            events::reverse v;
            v.event_id = r.string("event");
            v.reason = r.string_or("reason", "");
            // A partial reversal: "lines" (0-based indexes of the order's lines returned) and/or
            // "amount" (money refunded after the fact, in "currency"), optionally on one "line".
            if (const json* lines = r.optional("lines")) {
                const std::string lptr = r.pointer_of("lines");
                if (!lines->is_array() || lines->empty())
                    throw error(domain + ".type_error", lptr, "expected a non-empty array of line indexes");
                for (std::size_t i = 0; i < lines->size(); ++i) {
                    const json& n = (*lines)[i];
                    if (!n.is_number_unsigned())
                        throw error(domain + ".invalid_line", pointer_append(lptr, i), "a line index is an integer >= 0");
                    v.lines.push_back(n.get<std::size_t>());
                }
            }
            if (given(r, "amount")) {
                v.amount = r.amount("amount", c);
                if (v.amount->is_zero() || v.amount->is_negative())
                    r.fail("invalid_amount", "amount", "a refund must be greater than 0");
                if (given(r, "line")) {
                    const std::int64_t n = r.integer("line");
                    if (n < 0) r.fail("invalid_line", "line", "a line index is an integer >= 0");
                    v.amount_line = static_cast<std::size_t>(n);
                }
            } else if (given(r, "line")) {
                r.fail("invalid_line", "line", "\"line\" names the line of an \"amount\"; to return lines use \"lines\"");
            }
            e.body = v;
            break;
        }
        case event_type::tick: e.body = events::tick{}; break;
        case event_type::benefit_use: {
            events::benefit_use u;
            u.benefit = r.string("benefit");
            u.reference = r.string_or("reference", "");
            u.flags = read_flags(r);
            e.body = u;
            break;
        }
        case event_type::redeem: {
            events::redeem d;
            d.reward = r.string("reward");
            d.quantity = r.integer_or("quantity", 1);
            if (d.quantity < 1 || d.quantity > 1000) r.fail("invalid_quantity", "quantity", "quantity must be 1..1000");
            const std::int64_t option = r.integer_or("option", 0);
            if (option < 0 || option > 100) r.fail("invalid_option", "option", "option is a price option's index, 0..100");
            d.option = static_cast<std::size_t>(option);
            e.body = d;
            break;
        }
        case event_type::cancel_redemption: {
            events::cancel_redemption c;
            c.redemption = r.string("redemption");
            c.reason = r.string_or("reason", "");
            e.body = c;
            break;
        }
        case event_type::open_account: {
            events::open_account a;
            a.policy = r.string("policy");
            a.name = r.string_or("name", "");
            if (a.policy.empty()) r.fail("invalid_policy", "policy", "policy names one of the programme's fleet policies");
            e.body = a;
            break;
        }
        case event_type::join_account: {
            events::join_account a;
            a.account = r.string("account");
            if (a.account.empty()) r.fail("invalid_account", "account", "account names an opened fleet account");
            a.reason = r.string_or("reason", "");
            e.body = a;
            break;
        }
        case event_type::leave_account: e.body = events::leave_account{r.string_or("reason", "")}; break;
        case event_type::settle_rebate: e.body = events::settle_rebate{read_supported_day(r, "period_of")}; break;
        case event_type::transfer: {
            events::transfer t;
            t.to = r.string("to");
            t.amount = points(r.integer("points"));
            if (t.amount <= points(0)) r.fail("invalid_points", "points", "a transfer moves more than 0 points");
            t.reason = r.string_or("reason", "");
            e.body = t;
            break;
        }
    }
    r.finish();
    refuse_control_characters(doc, "");
    return e;
}

event load_event(std::string_view text, const currency& default_currency) {
    try {
        return event_from_json(parse_exact(text), default_currency);
    } catch (const error& e) {
        if (e.id().rfind("loyalty.json.", 0) == 0) throw error(domain + e.id().substr(12), e.pointer(), e.message());
        throw;
    }
}

namespace {

json flags_to_json(unsigned flags) {
    json out = json::array();
    for (line_flag f : {line_flag::accident, line_flag::warranty, line_flag::insurance_paid, line_flag::third_party})
        if (flags & static_cast<unsigned>(f)) out.push_back(std::string(to_string(f)));
    return out;
}

}  // namespace

json event_to_json(const event& e) {
    json j;
    j["id"] = e.id;
    j["member"] = e.member;
    j["at"] = format_instant(e.at);
    j["type"] = std::string(to_string(e.type()));
    if (!e.store.empty()) j["store"] = e.store;
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, events::vehicle_purchase>) {
                j["vin"] = b.vin;
                j["price"] = b.price.to_string();
                j["currency"] = std::string(b.price.currency_of().code());
                if (b.odometer_km) j["odometer_km"] = *b.odometer_km;
                if (!b.previous_owner.empty()) j["previous_owner"] = b.previous_owner;
            } else if constexpr (std::is_same_v<T, events::repair_order>) {
                if (!b.number.empty()) j["ro"] = b.number;
                if (!b.vin.empty()) j["vin"] = b.vin;
                if (b.odometer_km) j["odometer_km"] = *b.odometer_km;
                j["status"] = b.status == events::ro_status::estimate ? "estimate" : "closed";
                json lines = json::array();
                for (const repair_order_line& l : b.lines) {
                    json line{{"kind", std::string(to_string(l.kind))},
                              {"category", l.category},
                              {"quantity", l.quantity.to_string()},
                              {"unit_price", l.unit_price.to_string()}};
                    if (!l.operation.empty()) line["operation"] = l.operation;
                    if (l.flags != 0) line["flags"] = flags_to_json(l.flags);
                    lines.push_back(line);
                }
                j["lines"] = lines;
                if (!b.lines.empty()) j["currency"] = std::string(b.lines.front().unit_price.currency_of().code());
            } else if constexpr (std::is_same_v<T, events::referral>) {
                j["referred"] = b.referred_member;
            } else if constexpr (std::is_same_v<T, events::survey>) {
                j["survey"] = b.survey_id;
                if (!b.repair_order.empty()) j["repair_order"] = b.repair_order;
            } else if constexpr (std::is_same_v<T, events::adjustment>) {
                j["points"] = b.amount.count();
                j["reason"] = b.reason;
                j["operator"] = b.operator_id;
            } else if constexpr (std::is_same_v<T, events::assign_tier>) {
                j["tier"] = b.tier;
                j["reason"] = b.reason;
                j["operator"] = b.operator_id;
            } else if constexpr (std::is_same_v<T, events::benefit_use>) {
                j["benefit"] = b.benefit;
                if (!b.reference.empty()) j["reference"] = b.reference;
                if (b.flags != 0) j["flags"] = flags_to_json(b.flags);
            } else if constexpr (std::is_same_v<T, events::reverse>) {
                j["event"] = b.event_id;
                if (!b.reason.empty()) j["reason"] = b.reason;
                if (!b.lines.empty()) j["lines"] = b.lines;
                if (b.amount) {
                    j["amount"] = b.amount->to_string();
                    j["currency"] = std::string(b.amount->currency_of().code());
                    if (b.amount_line) j["line"] = *b.amount_line;
                }
            } else if constexpr (std::is_same_v<T, events::enrol>) {
                if (!b.household.empty()) j["household"] = b.household;
                if (!b.referred_by.empty()) j["referred_by"] = b.referred_by;
                if (b.birthday_month != 0) {
                    char buf[24];  // room for any two unsigned values
                    std::snprintf(buf, sizeof buf, "%02u-%02u", b.birthday_month, b.birthday_day);
                    j["birthday"] = buf;
                }
            } else if constexpr (std::is_same_v<T, events::redeem>) {
                j["reward"] = b.reward;
                j["quantity"] = b.quantity;
                if (b.option != 0) j["option"] = b.option;
            } else if constexpr (std::is_same_v<T, events::cancel_redemption>) {
                j["redemption"] = b.redemption;
                if (!b.reason.empty()) j["reason"] = b.reason;
            } else if constexpr (std::is_same_v<T, events::transfer>) {
                j["to"] = b.to;
                j["points"] = b.amount.count();
                if (!b.reason.empty()) j["reason"] = b.reason;
            } else if constexpr (std::is_same_v<T, events::open_account>) {
                j["policy"] = b.policy;
                if (!b.name.empty()) j["name"] = b.name;
            } else if constexpr (std::is_same_v<T, events::join_account>) {
                j["account"] = b.account;
                if (!b.reason.empty()) j["reason"] = b.reason;
            } else if constexpr (std::is_same_v<T, events::leave_account>) {
                if (!b.reason.empty()) j["reason"] = b.reason;
            } else if constexpr (std::is_same_v<T, events::settle_rebate>) {
                j["period_of"] = format_day(b.period_of);
            }
        },
        e.body);
    return j;
}

std::vector<event> load_journal(std::string_view text, const currency& default_currency) {
    std::vector<event> out;
    std::size_t line_no = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++line_no;
        const std::string_view line = text.substr(start, end - start);
        if (line.find_first_not_of(" \t\r") != std::string_view::npos) {
            try {
                out.push_back(load_event(line, default_currency));
            } catch (const error& e) {
                throw error(e.id(), "line " + std::to_string(line_no) + ": " + (e.pointer().empty() ? "/" : e.pointer()),
                            e.message());
            }
        }
        start = end + 1;
    }
    return out;
}

std::vector<event> load_journal_file(const std::string& path, const currency& default_currency) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error("loyalty.io.cannot_open", "cannot open '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    return load_journal(std::string_view(s), default_currency);
}

}  // namespace loyalty::io
