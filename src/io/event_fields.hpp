#pragma once
// The fields of an event, read the same way from either exact reader: parse_exact's nlohmann DOM
// (event_from_json) or the simdjson tape (load_event, the volume path). Same checks in the same
// order, so the same event or the same error (id, pointer, message) from the same text.
//
// `Access` says how to walk the reader's values:
//   value, reader                                the value type and its object reader (the
//                                                accessors of io::object_reader)
//   view(v) -> const exact::value_view&          the value's kind, number or string
//   size(v), for_each_element(v, f(i, item))     an array
//   for_each_member_in_key_order(v, f(key, m))   an object, in the order of a std::map of keys
//   may_hold_control_characters(doc)             false when no string of doc can hold U+0000..U+001F
//                                                or U+007F: a fast check before the walk in key order
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "loyalty/event/event.hpp"
#include "loyalty/io/json.hpp"

#include "exact_value.hpp"

namespace loyalty::io::event_fields {

inline const std::string domain = "loyalty.event";
inline const std::string root_pointer;  // "": the event object itself

// An optional field is given when present and not null; null counts as absent everywhere.
template <class Reader>
bool given(Reader& r, std::string_view key) {
    return r.optional(key) != nullptr;
}

// An odometer reading: whole kilometres, 0..10,000,000 (no vehicle has driven more).
template <class Reader>
std::int64_t read_odometer(Reader& r) {
    const std::int64_t km = r.integer("odometer_km");
    if (km < 0 || km > 10000000) r.fail("invalid_odometer", "odometer_km", "odometer_km is whole kilometres, 0..10000000");
    return km;
}

// "flags": ["accident", ...] as a bit set of line_flag.
template <class Access>
unsigned read_flags(typename Access::reader& r) {
    unsigned flags = 0;
    if (const auto* list = r.optional("flags")) {
        if (Access::view(*list).kind != exact::kind::array)
            throw error(domain + ".type_error", r.pointer_of("flags"), "expected an array of flags");
        Access::for_each_element(*list, [&](std::size_t i, const typename Access::value& item) {
            const auto pointer = [&] { return pointer_append(r.pointer_of("flags"), i); };  // for an error
            const std::string_view s = exact::string_at(Access::view(item), pointer, domain);
            const auto f = parse_line_flag(s);
            if (!f)
                throw error(domain + ".invalid_flag", pointer(),
                            "unknown flag '" + std::string(s) + "' (accident, warranty, insurance_paid, third_party)");
            flags |= static_cast<unsigned>(*f);
        });
    }
    return flags;
}

// Names an event carries (ids, members, VINs, stores, rewards, every code) hold no control
// character, U+0000..U+001F or U+007F: a NUL cuts a name wherever it meets a C string (libpq
// stored "e-7\u0000x" as "e-7", and the genuine "e-7" was then dropped as a duplicate), and a
// line break or tab in a name breaks every report and CSV that prints it. Free text (a reason,
// an account's name) may break lines, but holds no NUL, which PostgreSQL text cannot keep.
inline bool is_free_text(std::string_view key) { return key == "reason" || key == "name"; }

// The offset of the first character `s` may not hold, or npos.
inline std::size_t forbidden_character(std::string_view s, bool free_text) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0x00 || (!free_text && (c < 0x20 || c == 0x7f))) return i;
    }
    return std::string_view::npos;
}

template <class Access>
void refuse_control_characters(const typename Access::value& j, const std::string& pointer);

// `pointer_of` builds the value's pointer, only when there is an error to report.
template <class Access, class Pointer>
void refuse_control_characters_in(const typename Access::value& value, bool free_text, const Pointer& pointer_of) {
    const exact::value_view& v = Access::view(value);
    if (v.kind == exact::kind::object || v.kind == exact::kind::array)
        return refuse_control_characters<Access>(value, pointer_of());
    if (v.kind != exact::kind::string) return;
    const std::size_t at = forbidden_character(v.text, free_text);
    if (at == std::string_view::npos) return;
    char code[16];  // "U+00XX", with room for any unsigned the compiler cannot bound
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(v.text[at])));
    throw error(domain + ".control_character", pointer_of(),
                std::string("the control character ") + code + " at byte " + std::to_string(at) + ": " +
                    (free_text ? "free text may not hold U+0000"
                               : "ids, members, VINs and other names may not hold U+0000..U+001F or U+007F"));
}

// Every string of the event, at any depth (repair-order lines included); the first refused is
// the first in key order, as the DOM holds the members.
template <class Access>
void refuse_control_characters(const typename Access::value& j, const std::string& pointer) {
    using value = typename Access::value;
    const exact::kind k = Access::view(j).kind;
    if (k == exact::kind::object) {
        Access::for_each_member_in_key_order(j, [&](std::string_view key, const value& member) {
            refuse_control_characters_in<Access>(member, is_free_text(key), [&] { return pointer_append(pointer, key); });
        });
    } else if (k == exact::kind::array) {
        Access::for_each_element(j, [&](std::size_t i, const value& element) {
            refuse_control_characters_in<Access>(element, false, [&] { return pointer_append(pointer, i); });
        });
    }
}

// An instant outside the supported range could be accepted and yet not be kept: lots expiring
// in a five-digit year make a snapshot that cannot be read back (core/time.hpp).
template <class Reader>
instant read_supported_instant(Reader& r, std::string_view key) {
    const instant t = r.time(key);
    if (!is_supported_instant(t))
        r.fail("out_of_range", key,
               "'" + format_instant(t) + "' is outside the supported range " + format_instant(earliest_supported_instant) +
                   " .. " + format_instant(latest_supported_instant));
    return t;
}

template <class Reader>
day read_supported_day(Reader& r, std::string_view key) {
    const day d = r.date(key);
    if (!is_supported_day(d))
        r.fail("out_of_range", key,
               "'" + format_day(d) + "' is outside the supported range " +
                   format_day(date::floor<date::days>(earliest_supported_instant)) + " .. " +
                   format_day(date::floor<date::days>(latest_supported_instant)));
    return d;
}

// Line `index` of the array at `lines_pointer`, read into `line`: every field is set, and the
// texts are assigned, so a line read before keeps its strings' room.
template <class Access>
void read_line(const typename Access::value& j, const std::string& lines_pointer, std::size_t index, const currency& c,
               repair_order_line& line) {
    typename Access::reader r(j, lines_pointer, index, domain);
    const std::string_view kind = r.text("kind");
    const auto k = parse_line_kind(kind);
    if (!k) r.fail("invalid_line_kind", "kind", "line kind is 'labour' or 'part', not '" + std::string(kind) + "'");
    line.kind = *k;
    line.category.assign(r.text("category"));
    line.operation.assign(r.text_or("operation", ""));
    line.quantity = decimal::integer(1);
    if (given(r, "quantity")) {
        line.quantity = r.number("quantity");
        if (line.quantity <= decimal::integer(0)) r.fail("invalid_quantity", "quantity", "quantity must be greater than 0");
    }
    line.unit_price = r.amount("unit_price", c);
    if (line.unit_price.is_negative()) r.fail("invalid_amount", "unit_price", "a list price cannot be negative");
    line.flags = read_flags<Access>(r);
    r.finish();
}

// The bodies whose room a reader keeps while the event it reads into holds another type: the
// types most lines are, and what reading one allocates (a repair order's RO number, VIN, lines
// and their texts; a benefit's id). Journals interleave types, so each type's last bodies are
// kept by this thread, two of each (a journal's reader reads one line ahead, into a second
// event), and the next line of that type takes one back.
template <class T>
inline constexpr bool kept_between_types =
    std::is_same_v<T, events::repair_order> || std::is_same_v<T, events::benefit_use> ||
    std::is_same_v<T, events::survey> || std::is_same_v<T, events::vehicle_purchase>;

template <class T>
struct kept_bodies {
    T bodies[2];
    std::size_t count = 0;
};
template <class T>
kept_bodies<T>& kept_bodies_of() {
    thread_local kept_bodies<T> kept;
    return kept;
}

// `e`'s body as a T. A body that is one already is given as it is, and the caller sets every
// field (assign() keeps a string's room); otherwise the body it held is kept (above) and a T is
// made, from one kept when there is one.
template <class T>
T& body_as(event& e) {
    if (T* held = std::get_if<T>(&e.body)) return *held;
    std::visit(
        [](auto& old) {
            using Old = std::decay_t<decltype(old)>;
            if constexpr (kept_between_types<Old>) {
                kept_bodies<Old>& kept = kept_bodies_of<Old>();
                if (kept.count < 2) kept.bodies[kept.count++] = std::move(old);
            }
        },
        e.body);
    if constexpr (kept_between_types<T>) {
        kept_bodies<T>& kept = kept_bodies_of<T>();
        if (kept.count > 0) return e.body.emplace<T>(std::move(kept.bodies[--kept.count]));
    }
    return e.body.emplace<T>();
}

// The event of a parsed JSON object (`doc`), whichever reader parsed it, read into `e`: every
// field is set, and what `e` held keeps its room (event_json.hpp's load_event_into). On an error
// `e` is left holding some valid event, not this one.
template <class Access>
void read_event_into(const typename Access::value& doc, const currency& default_currency, event& e) {
    typename Access::reader r(doc, root_pointer, domain);
    e.id.assign(r.text("id"));
    e.member.assign(r.text("member"));
    e.at = read_supported_instant(r, "at");
    if (given(r, "store")) e.store.assign(r.text("store"));  // an empty store is refused (empty_string)
    else e.store.clear();
    currency c = default_currency;
    if (given(r, "currency")) {
        const std::string_view code = r.text("currency");
        const auto found = currency::from_code(code);
        if (!found || *found == currency::none())
            r.fail("unknown_currency", "currency", "unknown ISO 4217 currency '" + std::string(code) + "'");
        c = *found;
    }
    const std::string_view type = r.text("type");
    const auto t = parse_event_type(type);
    if (!t) r.fail("invalid_type", "type", "unknown event type '" + std::string(type) + "'");
    switch (*t) {
        case event_type::enrol: {
            events::enrol en;
            en.household = r.string_or("household", "");
            en.referred_by = r.string_or("referred_by", "");
            if (given(r, "birthday")) {
                // "MM-DD": the rules need the day, not the year (kept out of the journal).
                const std::string_view b = r.text("birthday");
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
            body_as<events::enrol>(e) = std::move(en);
            break;
        }
        case event_type::vehicle_purchase: {
            events::vehicle_purchase& v = body_as<events::vehicle_purchase>(e);
            v.vin.assign(r.text("vin"));
            v.price = r.amount("price", c);
            if (v.price.is_negative()) r.fail("invalid_amount", "price", "a price cannot be negative");
            v.odometer_km.reset();
            if (given(r, "odometer_km")) v.odometer_km = read_odometer(r);
            v.previous_owner.assign(r.text_or("previous_owner", ""));
            break;
        }
        case event_type::repair_order: {
            events::repair_order& ro = body_as<events::repair_order>(e);
            ro.number.assign(r.text_or("ro", ""));
            ro.vin.assign(r.text_or("vin", ""));
            ro.odometer_km.reset();
            if (given(r, "odometer_km")) {
                ro.odometer_km = read_odometer(r);
                if (ro.vin.empty()) r.fail("missing_vin", "odometer_km", "an odometer reading needs the vin of the vehicle");
            }
            const std::string_view status = r.text_or("status", "closed");
            ro.status = events::ro_status::closed;
            if (status == "estimate") ro.status = events::ro_status::estimate;
            else if (status != "closed") r.fail("invalid_status", "status", "status is 'estimate' or 'closed'");
            const auto& lines = r.required("lines");
            const std::string lptr = r.pointer_of("lines");
            if (Access::view(lines).kind != exact::kind::array || Access::size(lines) == 0)
                throw error(domain + ".invalid_lines", lptr, "a repair order has a non-empty array of lines");
            ro.lines.resize(Access::size(lines));  // the lines read before keep their texts' room
            Access::for_each_element(lines, [&](std::size_t i, const typename Access::value& line) {
                read_line<Access>(line, lptr, i, c, ro.lines[i]);
            });
            break;
        }
        case event_type::referral: body_as<events::referral>(e) = events::referral{r.string("referred")}; break;
        case event_type::survey: {
            events::survey& s = body_as<events::survey>(e);
            s.survey_id.assign(r.text("survey"));
            s.repair_order.assign(r.text_or("repair_order", ""));
            break;
        }
        case event_type::birthday: body_as<events::birthday>(e); break;
        case event_type::adjustment: {
            events::adjustment a;
            a.amount = points(r.integer("points"));
            if (a.amount == points(0)) r.fail("invalid_points", "points", "an adjustment of 0 points changes nothing");
            a.reason = r.string("reason");
            a.operator_id = r.string("operator");
            body_as<events::adjustment>(e) = std::move(a);
            break;
        }
        case event_type::assign_tier: {
            events::assign_tier a;
            a.tier = r.string("tier");
            if (a.tier.empty()) r.fail("invalid_tier", "tier", "tier names one of the programme's tiers");
            a.reason = r.string("reason");
            a.operator_id = r.string("operator");
            body_as<events::assign_tier>(e) = std::move(a);
            break;
        }
        case event_type::reverse: {
            events::reverse v;
            v.event_id = r.string("event");
            v.reason = r.string_or("reason", "");
            // A partial reversal: "lines" (0-based indexes of the order's lines returned) and/or
            // "amount" (money refunded after the fact, in "currency"), optionally on one "line".
            if (const auto* lines = r.optional("lines")) {
                const std::string lptr = r.pointer_of("lines");
                if (Access::view(*lines).kind != exact::kind::array || Access::size(*lines) == 0)
                    throw error(domain + ".type_error", lptr, "expected a non-empty array of line indexes");
                Access::for_each_element(*lines, [&](std::size_t i, const typename Access::value& n) {
                    const exact::value_view& index = Access::view(n);
                    if (index.kind != exact::kind::unsigned_integer)
                        throw error(domain + ".invalid_line", pointer_append(lptr, i), "a line index is an integer >= 0");
                    v.lines.push_back(static_cast<std::size_t>(index.unsigned_value));
                });
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
            body_as<events::reverse>(e) = std::move(v);
            break;
        }
        case event_type::tick: body_as<events::tick>(e); break;
        case event_type::benefit_use: {
            events::benefit_use& u = body_as<events::benefit_use>(e);
            u.benefit.assign(r.text("benefit"));
            u.reference.assign(r.text_or("reference", ""));
            u.flags = read_flags<Access>(r);
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
            body_as<events::redeem>(e) = std::move(d);
            break;
        }
        case event_type::cancel_redemption: {
            events::cancel_redemption cr;
            cr.redemption = r.string("redemption");
            cr.reason = r.string_or("reason", "");
            body_as<events::cancel_redemption>(e) = std::move(cr);
            break;
        }
        case event_type::open_account: {
            events::open_account a;
            a.policy = r.string("policy");
            a.name = r.string_or("name", "");
            if (a.policy.empty()) r.fail("invalid_policy", "policy", "policy names one of the programme's fleet policies");
            body_as<events::open_account>(e) = std::move(a);
            break;
        }
        case event_type::join_account: {
            events::join_account a;
            a.account = r.string("account");
            if (a.account.empty()) r.fail("invalid_account", "account", "account names an opened fleet account");
            a.reason = r.string_or("reason", "");
            body_as<events::join_account>(e) = std::move(a);
            break;
        }
        case event_type::leave_account:
            body_as<events::leave_account>(e) = events::leave_account{r.string_or("reason", "")};
            break;
        case event_type::settle_rebate:
            body_as<events::settle_rebate>(e) = events::settle_rebate{read_supported_day(r, "period_of")};
            break;
        case event_type::transfer: {
            events::transfer tr;
            tr.to = r.string("to");
            tr.amount = points(r.integer("points"));
            if (tr.amount <= points(0)) r.fail("invalid_points", "points", "a transfer moves more than 0 points");
            tr.reason = r.string_or("reason", "");
            body_as<events::transfer>(e) = std::move(tr);
            break;
        }
    }
    r.finish();
    if (Access::may_hold_control_characters(doc)) refuse_control_characters<Access>(doc, "");
}

// The same, into a new event.
template <class Access>
event read_event(const typename Access::value& doc, const currency& default_currency) {
    event e;
    read_event_into<Access>(doc, default_currency, e);
    return e;
}

}  // namespace loyalty::io::event_fields
