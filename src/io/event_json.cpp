// Loading and writing events.
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/journal_lines.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "dom_access.hpp"
#include "event_fields.hpp"
#include "event_readers.hpp"

namespace loyalty::io {

event event_from_json(const json& doc, const currency& default_currency) {
    return event_fields::read_event<dom_access>(doc, default_currency);
}

event load_event_with_parse_exact(std::string_view text, const currency& default_currency) {
    try {
        return event_from_json(parse_exact(text), default_currency);
    } catch (const error& e) {
        rethrow_in_domain(e, "loyalty.event");
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
                throw at_line(e, line_no);
            }
        }
        start = end + 1;
    }
    return out;
}

std::vector<event> load_journal_file(const std::string& path, const currency& default_currency) {
    return read_file_with(path, [&](std::string_view text) { return load_journal(text, default_currency); });
}

event load_event(std::string_view json_text, const program& p) { return load_event(json_text, p.currency_unit); }
void load_event_into(std::string_view json_text, const program& p, event& into) {
    load_event_into(json_text, p.currency_unit, into);
}
std::vector<event> load_journal(std::string_view jsonl_text, const program& p) {
    return load_journal(jsonl_text, p.currency_unit);
}
std::vector<event> load_journal_file(const std::string& path, const program& p) {
    return load_journal_file(path, p.currency_unit);
}

}  // namespace loyalty::io
