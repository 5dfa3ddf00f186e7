// Events in JSON (src/io/event_json.cpp): every event type, the errors with their ids and
// pointers, the round trip through event_to_json, and journals in JSON lines.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace unit_event_json {

namespace {

using namespace loyalty;
using loyalty::test::at;
using loyalty::test::cny;
using loyalty::test::ev;
using loyalty::test::yuan;

const std::string head = R"("id":"e-1","member":"M001","at":"2025-03-15T09:30:00+08:00",)";

// Parses `text` and expects it refused with `id` at `pointer`.
void expect_refused(const std::string& text, const std::string& id, const std::string& pointer) {
    try {
        io::load_event(text, cny());
        ADD_FAILURE() << "event accepted; expected [" << id << "] (" << pointer << ")";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), id) << e.what();
        EXPECT_EQ(e.pointer(), pointer) << e.what();
    }
}

// A repair order with the given lines (JSON array text).
std::string ro_with(const std::string& lines) { return "{" + head + R"("type":"repair_order","lines":)" + lines + "}"; }

// A misspelt key is named with the key it is closest to, by both readers (issue 22).
TEST(EventJson, AMisspeltKeyIsNamedWithTheKeyItIsClosestTo) {
    const auto message = [](const std::string& text) {
        std::string fast, dom;
        try {
            io::load_event(text, cny());
        } catch (const error& e) {
            fast = "[" + e.id() + "] (" + e.pointer() + ") " + e.message();
        }
        try {
            io::event_from_json(io::parse_exact(text), cny());
        } catch (const error& e) {
            dom = "[" + e.id() + "] (" + e.pointer() + ") " + e.message();
        }
        EXPECT_EQ(fast, dom) << text;
        return fast;
    };
    // A required key misspelt: the typo, not a missing unit_price.
    EXPECT_EQ(message(ro_with(R"([{"kind":"labour","category":"maintenance","unit_prcie":"120.00"}])")),
              "[loyalty.event.unknown_key] (/lines/0/unit_prcie) unknown key 'unit_prcie' (did you mean 'unit_price'?)");
    EXPECT_EQ(message("{" + head + R"("type":"enrol","refered_by":"M002"})"),
              "[loyalty.event.unknown_key] (/refered_by) unknown key 'refered_by' (did you mean 'referred_by'?)");
    EXPECT_EQ(message(R"({"id":"e-1","membr":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})"),
              "[loyalty.event.unknown_key] (/membr) unknown key 'membr' (did you mean 'member'?)");
    EXPECT_EQ(message("{" + head + R"("type":"enrol","colour":"red"})"),
              "[loyalty.event.unknown_key] (/colour) unknown key 'colour'");
}

// ---------------------------------------------------------------- every event type

TEST(EventJson, Enrol) {
    const event e = ev(R"({"id":"e-0001","member":"M001","at":"2025-01-10T10:00:00+08:00","type":"enrol"})");
    EXPECT_EQ(e.id, "e-0001");
    EXPECT_EQ(e.member, "M001");
    EXPECT_EQ(e.at, at("2025-01-10T02:00:00Z"));
    EXPECT_EQ(e.type(), event_type::enrol);
    EXPECT_TRUE(std::holds_alternative<events::enrol>(e.body));
}

TEST(EventJson, VehiclePurchase) {
    const event e = ev("{" + head + R"("type":"vehicle_purchase","vin":"LFV3A23C0R3000001","price":"186800.00"})");
    ASSERT_EQ(e.type(), event_type::vehicle_purchase);
    const auto& v = std::get<events::vehicle_purchase>(e.body);
    EXPECT_EQ(v.vin, "LFV3A23C0R3000001");
    EXPECT_EQ(v.price, money(18680000, cny()));
    EXPECT_EQ(v.price, yuan("186800"));
}

TEST(EventJson, VehiclePurchaseInItsOwnCurrency) {
    const event e = ev("{" + head + R"("type":"vehicle_purchase","vin":"V1","price":24999.5,"currency":"USD"})");
    const auto& v = std::get<events::vehicle_purchase>(e.body);
    EXPECT_EQ(v.price.currency_of().code(), "USD");
    EXPECT_EQ(v.price.minor_units(), 2499950);
    // JPY has no minor unit: 100.5 yen is not an amount.
    expect_refused("{" + head + R"("type":"vehicle_purchase","vin":"V1","price":"100.5","currency":"JPY"})",
                   "loyalty.event.invalid_amount", "/price");
}

TEST(EventJson, RepairOrderWithLinesFlagsQuantityStatus) {
    const event e = ev("{" + head + R"("type":"repair_order","ro":"RO-25-0311","vin":"LFV3A23C0R3000001","status":"estimate",)"
                       R"("lines":[)"
                       R"({"kind":"labour","category":"maintenance","operation":"OIL-CHANGE","unit_price":"120.00"},)"
                       R"({"kind":"part","category":"maintenance","operation":"OIL-5W30-1L","quantity":"4","unit_price":68.50},)"
                       R"({"kind":"labour","category":"repair","quantity":1.5,"unit_price":"180"},)"
                       R"({"kind":"part","category":"repair","unit_price":"2300.00","flags":["accident","insurance_paid"]},)"
                       R"({"kind":"labour","category":"repair","unit_price":"0","flags":["warranty","third_party"]}]})");
    ASSERT_EQ(e.type(), event_type::repair_order);
    const auto& ro = std::get<events::repair_order>(e.body);
    EXPECT_EQ(ro.number, "RO-25-0311");
    EXPECT_EQ(ro.vin, "LFV3A23C0R3000001");
    EXPECT_EQ(ro.status, events::ro_status::estimate);
    ASSERT_EQ(ro.lines.size(), 5u);

    EXPECT_EQ(ro.lines[0].kind, line_kind::labour);
    EXPECT_EQ(ro.lines[0].category, "maintenance");
    EXPECT_EQ(ro.lines[0].operation, "OIL-CHANGE");
    EXPECT_EQ(ro.lines[0].quantity, decimal(1, 0));  // the default
    EXPECT_EQ(ro.lines[0].unit_price.minor_units(), 12000);
    EXPECT_EQ(ro.lines[0].flags, 0u);

    EXPECT_EQ(ro.lines[1].kind, line_kind::part);
    EXPECT_EQ(ro.lines[1].quantity, decimal(4, 0));
    EXPECT_EQ(ro.lines[1].unit_price.minor_units(), 6850);  // a JSON number, read exactly

    EXPECT_EQ(ro.lines[2].quantity, decimal(15, 1));
    EXPECT_EQ(ro.lines[2].unit_price.minor_units(), 18000);
    EXPECT_EQ(ro.lines[2].operation, "");

    EXPECT_TRUE(ro.lines[3].has(line_flag::accident));
    EXPECT_TRUE(ro.lines[3].has(line_flag::insurance_paid));
    EXPECT_FALSE(ro.lines[3].has(line_flag::warranty));
    EXPECT_EQ(ro.lines[3].flags, 1u | 4u);
    EXPECT_TRUE(ro.lines[3].covered());

    EXPECT_EQ(ro.lines[4].flags, 2u | 8u);
    EXPECT_TRUE(ro.lines[4].has(line_flag::third_party));
    EXPECT_TRUE(ro.lines[4].unit_price.is_zero());
}

TEST(EventJson, RepairOrderDefaults) {
    const event e = ev(ro_with(R"([{"kind":"labour","category":"maintenance","unit_price":"350.00"}])"));
    const auto& ro = std::get<events::repair_order>(e.body);
    EXPECT_EQ(ro.status, events::ro_status::closed);
    EXPECT_EQ(ro.number, "");
    EXPECT_EQ(ro.vin, "");
    EXPECT_EQ(ro.lines[0].unit_price, yuan("350"));
}

TEST(EventJson, NullCountsAsAbsent) {
    const event e = ev("{" + head + R"("type":"repair_order","currency":null,"ro":null,)"
                       R"("lines":[{"kind":"part","category":"c","unit_price":"2.50","quantity":null,"flags":null}]})");
    const auto& ro = std::get<events::repair_order>(e.body);
    EXPECT_EQ(ro.number, "");
    EXPECT_EQ(ro.lines[0].quantity, decimal(1, 0));
    EXPECT_EQ(ro.lines[0].unit_price, yuan("2.50"));  // the default currency
    EXPECT_EQ(ro.lines[0].flags, 0u);
    expect_refused(R"({"id":null,"member":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})",
                   "loyalty.event.missing_field", "/id");
}

TEST(EventJson, Referral) {
    const event e = ev("{" + head + R"("type":"referral","referred":"M002"})");
    EXPECT_EQ(std::get<events::referral>(e.body).referred_member, "M002");
}

TEST(EventJson, Survey) {
    const event e = ev("{" + head + R"("type":"survey","survey":"CSI-2025-0311"})");
    EXPECT_EQ(std::get<events::survey>(e.body).survey_id, "CSI-2025-0311");
}

TEST(EventJson, Birthday) {
    const event e = ev("{" + head + R"("type":"birthday"})");
    EXPECT_EQ(e.type(), event_type::birthday);
}

TEST(EventJson, Adjustment) {
    const event e = ev("{" + head + R"("type":"adjustment","points":-2400,"reason":"voucher","operator":"staff-07"})");
    const auto& a = std::get<events::adjustment>(e.body);
    EXPECT_EQ(a.amount, points(-2400));
    EXPECT_EQ(a.reason, "voucher");
    EXPECT_EQ(a.operator_id, "staff-07");
}

TEST(EventJson, Reverse) {
    const event e = ev("{" + head + R"("type":"reverse","event":"e-0102","reason":"RO cancelled"})");
    const auto& r = std::get<events::reverse>(e.body);
    EXPECT_EQ(r.event_id, "e-0102");
    EXPECT_EQ(r.reason, "RO cancelled");
    const event bare = ev("{" + head + R"("type":"reverse","event":"e-0102"})");
    EXPECT_EQ(std::get<events::reverse>(bare.body).reason, "");
}

TEST(EventJson, Tick) {
    const event e = ev(R"({"id":"e-0012","member":"M001","at":"2027-02-01T01:00:00Z","type":"tick"})");
    EXPECT_EQ(e.type(), event_type::tick);
    EXPECT_EQ(e.at, at("2027-02-01T09:00:00+08:00"));
}

TEST(EventJson, BenefitUse) {
    const event e = ev("{" + head + R"("type":"benefit_use","benefit":"claim-handling","reference":"CLM-25-0908",)"
                       R"("flags":["third_party","accident"]})");
    ASSERT_EQ(e.type(), event_type::benefit_use);
    const auto& u = std::get<events::benefit_use>(e.body);
    EXPECT_EQ(u.benefit, "claim-handling");
    EXPECT_EQ(u.reference, "CLM-25-0908");
    EXPECT_EQ(u.flags, 1u | 8u);
    EXPECT_TRUE(u.has(line_flag::third_party));
    EXPECT_TRUE(u.has(line_flag::accident));
    EXPECT_FALSE(u.has(line_flag::warranty));
    // reference and flags are optional; null counts as absent.
    const event bare = ev("{" + head + R"("type":"benefit_use","benefit":"car-lecture"})");
    const auto& b = std::get<events::benefit_use>(bare.body);
    EXPECT_EQ(b.benefit, "car-lecture");
    EXPECT_EQ(b.reference, "");
    EXPECT_EQ(b.flags, 0u);
    const event nulls = ev("{" + head + R"("type":"benefit_use","benefit":"club-tour","reference":null,"flags":null})");
    EXPECT_EQ(std::get<events::benefit_use>(nulls.body).reference, "");
    EXPECT_EQ(std::get<events::benefit_use>(nulls.body).flags, 0u);
    // The parser knows the name of every service item only through the programme: any non-empty
    // name is a well-formed event (the engine refuses unknown ones as unknown_benefit).
    EXPECT_EQ(std::get<events::benefit_use>(ev("{" + head + R"("type":"benefit_use","benefit":"x"})").body).benefit, "x");
}

TEST(EventJson, BenefitUseErrors) {
    expect_refused("{" + head + R"("type":"benefit_use","reference":"CLM-1"})", "loyalty.event.missing_field", "/benefit");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":null})", "loyalty.event.missing_field", "/benefit");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":""})", "loyalty.event.empty_string", "/benefit");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":7})", "loyalty.event.type_error", "/benefit");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":"claim-handling","flags":["third_party","hail"]})",
                   "loyalty.event.invalid_flag", "/flags/1");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":"claim-handling","flags":"third_party"})",
                   "loyalty.event.type_error", "/flags");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":"claim-handling","reference":42})",
                   "loyalty.event.type_error", "/reference");
    // Keys of other event types are unknown here, and flags are unknown on other types.
    expect_refused("{" + head + R"("type":"benefit_use","benefit":"claim-handling","points":10})",
                   "loyalty.event.unknown_key", "/points");
    expect_refused("{" + head + R"("type":"benefit_use","benefit":"claim-handling","lines":[]})",
                   "loyalty.event.unknown_key", "/lines");
    expect_refused("{" + head + R"("type":"enrol","flags":["accident"]})", "loyalty.event.unknown_key", "/flags");
    expect_refused("{" + head + R"("type":"enrol","benefit":"claim-handling"})", "loyalty.event.unknown_key", "/benefit");
}

TEST(EventJson, BenefitUseToJson) {
    const event e = ev("{" + head + R"("type":"benefit_use","benefit":"claim-handling","reference":"CLM-25-1010",)"
                       R"("flags":["third_party","insurance_paid"]})");
    const io::json j = io::event_to_json(e);
    EXPECT_EQ(j, io::json::parse(R"({"id":"e-1","member":"M001","at":"2025-03-15T01:30:00Z","type":"benefit_use",)"
                                 R"("benefit":"claim-handling","reference":"CLM-25-1010","flags":["insurance_paid","third_party"]})"));
    const event back = io::load_event(j.dump(), cny());
    const auto& u = std::get<events::benefit_use>(back.body);
    EXPECT_EQ(u.benefit, "claim-handling");
    EXPECT_EQ(u.reference, "CLM-25-1010");
    EXPECT_EQ(u.flags, 4u | 8u);
    EXPECT_EQ(back.at, e.at);
    // Without reference and flags, neither is written (and no currency: the event carries no money).
    const io::json bare = io::event_to_json(ev("{" + head + R"("type":"benefit_use","benefit":"car-lecture"})"));
    EXPECT_EQ(bare, io::json::parse(R"({"id":"e-1","member":"M001","at":"2025-03-15T01:30:00Z","type":"benefit_use",)"
                                    R"("benefit":"car-lecture"})"));
}

TEST(EventJson, EventFromJsonTakesAnExactDom) {
    const event e = io::event_from_json(io::parse_exact("{" + head + R"("type":"vehicle_purchase","vin":"V","price":0.01})"),
                                        cny());
    EXPECT_EQ(std::get<events::vehicle_purchase>(e.body).price.minor_units(), 1);
}

// ---------------------------------------------------------------- errors

TEST(EventJson, TooManyDecimalsInAnAmount) {
    expect_refused(ro_with(R"([{"kind":"labour","category":"repair","unit_price":"1.00"},)"
                           R"({"kind":"part","category":"repair","unit_price":"12.345"}])"),
                   "loyalty.event.invalid_amount", "/lines/1/unit_price");
    expect_refused(ro_with(R"([{"kind":"labour","category":"repair","unit_price":"1.00"},)"
                           R"({"kind":"part","category":"repair","unit_price":12.345}])"),
                   "loyalty.event.invalid_amount", "/lines/1/unit_price");
    expect_refused("{" + head + R"("type":"vehicle_purchase","vin":"V","price":"99.999"})", "loyalty.event.invalid_amount",
                   "/price");
}

TEST(EventJson, NegativeAmounts) {
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"-5.00"}])"), "loyalty.event.invalid_amount",
                   "/lines/0/unit_price");
    expect_refused("{" + head + R"("type":"vehicle_purchase","vin":"V","price":"-1"})", "loyalty.event.invalid_amount",
                   "/price");
}

TEST(EventJson, UnknownFlag) {
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","flags":["accident","flood"]}])"),
                   "loyalty.event.invalid_flag", "/lines/0/flags/1");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","flags":"accident"}])"),
                   "loyalty.event.type_error", "/lines/0/flags");
}

TEST(EventJson, UnknownType) {
    expect_refused("{" + head + R"("type":"wedding"})", "loyalty.event.invalid_type", "/type");
    expect_refused("{" + head + R"("type":"Enrol"})", "loyalty.event.invalid_type", "/type");
}

TEST(EventJson, ZeroAdjustment) {
    expect_refused("{" + head + R"("type":"adjustment","points":0,"reason":"r","operator":"o"})",
                   "loyalty.event.invalid_points", "/points");
}

TEST(EventJson, MissingFields) {
    expect_refused(R"({"member":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})", "loyalty.event.missing_field",
                   "/id");
    expect_refused(R"({"id":"e-1","at":"2025-03-15T09:30:00+08:00","type":"enrol"})", "loyalty.event.missing_field",
                   "/member");
    expect_refused(R"({"id":"e-1","member":"M001","type":"enrol"})", "loyalty.event.missing_field", "/at");
    expect_refused("{" + std::string(R"("id":"e-1","member":"M001","at":"2025-03-15T09:30:00+08:00")") + "}",
                   "loyalty.event.missing_field", "/type");
    expect_refused("{" + head + R"("type":"adjustment","points":10,"operator":"o"})", "loyalty.event.missing_field",
                   "/reason");
    expect_refused("{" + head + R"("type":"adjustment","points":10,"reason":"r"})", "loyalty.event.missing_field",
                   "/operator");
    expect_refused("{" + head + R"("type":"vehicle_purchase","vin":"V"})", "loyalty.event.missing_field", "/price");
    expect_refused("{" + head + R"("type":"referral"})", "loyalty.event.missing_field", "/referred");
    expect_refused("{" + head + R"("type":"survey"})", "loyalty.event.missing_field", "/survey");
    expect_refused("{" + head + R"("type":"reverse"})", "loyalty.event.missing_field", "/event");
    expect_refused("{" + head + R"("type":"repair_order"})", "loyalty.event.missing_field", "/lines");
    expect_refused(ro_with(R"([{"kind":"part","unit_price":"5"}])"), "loyalty.event.missing_field", "/lines/0/category");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair"}])"), "loyalty.event.missing_field",
                   "/lines/0/unit_price");
    expect_refused(R"({"id":"","member":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})",
                   "loyalty.event.empty_string", "/id");
}

TEST(EventJson, UnknownKeys) {
    expect_refused("{" + head + R"("type":"enrol","colour":"red"})", "loyalty.event.unknown_key", "/colour");
    // A field of another event type is unknown here: it must not be silently dropped.
    expect_refused("{" + head + R"("type":"enrol","vin":"V"})", "loyalty.event.unknown_key", "/vin");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","price":"5"}])"),
                   "loyalty.event.unknown_key", "/lines/0/price");
}

TEST(EventJson, WrongTypesAndValues) {
    expect_refused("[]", "loyalty.event.type_error", "");
    expect_refused(R"({"id":7,"member":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})", "loyalty.event.type_error",
                   "/id");
    expect_refused("{" + head + R"("type":"adjustment","points":"10","reason":"r","operator":"o"})",
                   "loyalty.event.type_error", "/points");
    expect_refused("{" + head + R"("type":"adjustment","points":1.5,"reason":"r","operator":"o"})",
                   "loyalty.event.type_error", "/points");
    expect_refused(ro_with(R"({"kind":"part"})"), "loyalty.event.invalid_lines", "/lines");
    expect_refused(ro_with("[]"), "loyalty.event.invalid_lines", "/lines");
    expect_refused(ro_with(R"(["oil"])"), "loyalty.event.type_error", "/lines/0");
    expect_refused(ro_with(R"([{"kind":"paint","category":"repair","unit_price":"5"}])"), "loyalty.event.invalid_line_kind",
                   "/lines/0/kind");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","quantity":0}])"),
                   "loyalty.event.invalid_quantity", "/lines/0/quantity");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","quantity":"-1"}])"),
                   "loyalty.event.invalid_quantity", "/lines/0/quantity");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":"5","quantity":"0.1234567890123456789"}])"),
                   "loyalty.event.inexact_number", "/lines/0/quantity");
    expect_refused(ro_with(R"([{"kind":"part","category":"repair","unit_price":true}])"), "loyalty.event.type_error",
                   "/lines/0/unit_price");
    expect_refused("{" + head + R"("type":"repair_order","status":"open","lines":[{"kind":"part","category":"c","unit_price":"1"}]})",
                   "loyalty.event.invalid_status", "/status");
    expect_refused("{" + head + R"("type":"enrol","currency":"RMB"})", "loyalty.event.unknown_currency", "/currency");
    // XXX is ISO 4217 "no currency": money in it could never be combined with the programme's.
    expect_refused("{" + head + R"("type":"enrol","currency":"XXX"})", "loyalty.event.unknown_currency", "/currency");
}

TEST(EventJson, MalformedInstants) {
    expect_refused(R"({"id":"e-1","member":"M001","at":"2025-03-15 09:30:00","type":"enrol"})", "loyalty.event.invalid_time",
                   "/at");
    expect_refused(R"({"id":"e-1","member":"M001","at":"2025-03-15","type":"enrol"})", "loyalty.event.invalid_time", "/at");
    expect_refused(R"({"id":"e-1","member":"M001","at":"2025-13-01T00:00:00Z","type":"enrol"})",
                   "loyalty.event.invalid_time", "/at");
}

TEST(EventJson, DuplicateKeyAndMalformedJson) {
    expect_refused(R"({"id":"e-1","id":"e-2","member":"M001","at":"2025-03-15T09:30:00+08:00","type":"enrol"})",
                   "loyalty.event.duplicate_key", "/id");
    expect_refused(ro_with(R"([{"kind":"part","category":"a","unit_price":"1"},{"kind":"part","kind":"labour"}])"),
                   "loyalty.event.duplicate_key", "/lines/1/kind");
    expect_refused(R"({"id":"e-1",)", "loyalty.event.parse_error", "");
    expect_refused(R"({"id":"e-1"} {"id":"e-2"})", "loyalty.event.parse_error", "");
}

// ---------------------------------------------------------------- round trip

void expect_round_trip(const std::string& text) {
    const event e = ev(text);
    const io::json j = io::event_to_json(e);
    const event back = io::load_event(j.dump(), cny());
    EXPECT_EQ(back.id, e.id);
    EXPECT_EQ(back.member, e.member);
    EXPECT_EQ(back.at, e.at);
    EXPECT_EQ(back.type(), e.type());
    EXPECT_EQ(io::event_to_json(back), j) << j.dump();
    // The DOM itself is accepted too.
    EXPECT_EQ(io::event_to_json(io::event_from_json(j, cny())), j);
}

TEST(EventJson, EventToJsonRoundTripsEveryType) {
    expect_round_trip(R"({"id":"a","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})");
    expect_round_trip(R"({"id":"b","member":"M1","at":"2025-01-10T11:00:00+08:00","type":"vehicle_purchase","vin":"V","price":"186800.00"})");
    expect_round_trip(R"({"id":"c","member":"M1","at":"2025-03-15T09:30:00+08:00","type":"repair_order","ro":"RO-1","vin":"V",)"
                      R"("status":"estimate","lines":[{"kind":"labour","category":"repair","operation":"BRAKE-PADS","quantity":"1.5","unit_price":"180.00"},)"
                      R"({"kind":"part","category":"repair","unit_price":"2300.00","flags":["third_party","accident"]}]})");
    expect_round_trip(R"({"id":"d","member":"M1","at":"2025-06-02T10:00:00+08:00","type":"referral","referred":"M2"})");
    expect_round_trip(R"({"id":"e","member":"M1","at":"2025-05-21T19:00:00+08:00","type":"survey","survey":"CSI"})");
    expect_round_trip(R"({"id":"f","member":"M1","at":"2025-05-20T08:00:00+08:00","type":"birthday"})");
    expect_round_trip(R"({"id":"g","member":"M1","at":"2025-11-11T12:00:00+08:00","type":"adjustment","points":-1000,"reason":"kit","operator":"s"})");
    expect_round_trip(R"({"id":"h","member":"M1","at":"2025-07-05T09:00:00+08:00","type":"reverse","event":"c","reason":"refund"})");
    expect_round_trip(R"({"id":"i","member":"M1","at":"2027-02-01T09:00:00+08:00","type":"tick"})");
    expect_round_trip(R"({"id":"j","member":"M1","at":"2025-09-08T15:00:00+08:00","type":"benefit_use","benefit":"claim-handling",)"
                      R"("reference":"CLM-25-0908","flags":["third_party"]})");
    expect_round_trip(R"({"id":"k","member":"M1","at":"2025-09-08T15:00:00+08:00","type":"benefit_use","benefit":"car-lecture"})");
}

TEST(EventJson, EventToJsonWritesExactStringsAndUtc) {
    const event e = ev("{" + head + R"("type":"repair_order","lines":[{"kind":"part","category":"maintenance",)"
                       R"("quantity":4,"unit_price":68.5,"flags":["insurance_paid","accident"]}]})");
    const io::json j = io::event_to_json(e);
    EXPECT_EQ(j.at("at"), "2025-03-15T01:30:00Z");
    EXPECT_EQ(j.at("type"), "repair_order");
    EXPECT_EQ(j.at("status"), "closed");
    EXPECT_EQ(j.at("currency"), "CNY");
    const io::json& line = j.at("lines").at(0);
    EXPECT_EQ(line.at("quantity"), "4");
    EXPECT_EQ(line.at("unit_price"), "68.50");
    EXPECT_EQ(line.at("flags"), io::json::array({"accident", "insurance_paid"}));  // flag order is fixed
    EXPECT_FALSE(j.contains("ro"));
}

TEST(EventJson, RoundTripKeepsTheEventsCurrency) {
    const event e = ev("{" + head + R"("type":"vehicle_purchase","vin":"V","price":"30000","currency":"USD"})");
    // Read back with another default currency: the event's own currency wins.
    const event back = io::load_event(io::event_to_json(e).dump(), *currency::from_code("EUR"));
    EXPECT_EQ(std::get<events::vehicle_purchase>(back.body).price, money(3000000, *currency::from_code("USD")));
}

// ---------------------------------------------------------------- journals

TEST(EventJson, JournalSkipsBlankLinesAndKeepsOrder) {
    const std::string text = "\n"
                             R"({"id":"a","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})"
                             "\n   \n\t\r\n"
                             R"({"id":"b","member":"M1","at":"2025-05-20T08:00:00+08:00","type":"birthday"})"
                             "\r\n"
                             R"({"id":"c","member":"M1","at":"2027-02-01T09:00:00+08:00","type":"tick"})";
    const std::vector<event> j = io::load_journal(text, cny());
    ASSERT_EQ(j.size(), 3u);
    EXPECT_EQ(j[0].id, "a");
    EXPECT_EQ(j[1].id, "b");
    EXPECT_EQ(j[1].type(), event_type::birthday);
    EXPECT_EQ(j[2].id, "c");
    EXPECT_TRUE(io::load_journal("", cny()).empty());
    EXPECT_TRUE(io::load_journal("\n\n", cny()).empty());
}

TEST(EventJson, JournalErrorNamesItsLine) {
    const std::string text = R"({"id":"a","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})"
                             "\n\n"
                             R"({"id":"b","member":"M1","at":"2025-05-20T08:00:00+08:00","type":"party"})"
                             "\n";
    try {
        io::load_journal(text, cny());
        FAIL() << "journal accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.event.invalid_type");
        EXPECT_EQ(e.pointer(), "/type");
        EXPECT_EQ(e.line(), 3u);
    }
    const std::string bad_price = R"({"id":"a","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})"
                                  "\n"
                                  R"({"id":"b","member":"M1","at":"2025-05-20T08:00:00+08:00","type":"repair_order",)"
                                  R"("lines":[{"kind":"part","category":"c","unit_price":"1"},{"kind":"part","category":"c","unit_price":"0.001"}]})";
    try {
        io::load_journal(bad_price, cny());
        FAIL() << "journal accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.event.invalid_amount");
        EXPECT_EQ(e.pointer(), "/lines/1/unit_price");
        EXPECT_EQ(e.line(), 2u);
    }
    try {
        io::load_journal("\n{not json}\n", cny());
        FAIL() << "journal accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.event.parse_error");
        EXPECT_EQ(e.line(), 2u);
        EXPECT_EQ(e.column(), 3u);  // the parser's column: where it stopped, having read "{no"
        EXPECT_EQ(e.pointer(), "");
    }
}

TEST(EventJson, ReferenceJournalLoads) {
    const std::string path = std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl";
    const std::vector<event> j = io::load_journal_file(path, cny());
    std::ifstream in(path);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) ++lines;
    ASSERT_EQ(j.size(), lines);
    EXPECT_EQ(j.front().id, "e-0001");
    EXPECT_EQ(j.front().type(), event_type::enrol);
    EXPECT_EQ(j.back().type(), event_type::tick);
    // Every line survives the round trip through event_to_json.
    for (const event& e : j) EXPECT_EQ(io::event_to_json(io::load_event(io::event_to_json(e).dump(), cny())), io::event_to_json(e));
}

TEST(EventJson, MissingJournalFileIsCannotOpen) {
    try {
        io::load_journal_file("/nonexistent/journal.jsonl", cny());
        FAIL() << "no error";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.io.cannot_open");
    }
}

// The overloads taking a programme read money in the programme's currency; an event naming its
// own keeps it.
TEST(EventJson, AProgrammeGivesItsCurrency) {
    const program club = test::reference_program();
    const std::string line =
        R"({"id":"v1","member":"M1","at":"2025-03-01T10:00:00+08:00","type":"vehicle_purchase","vin":"V1","price":"186800.00"})";
    const event e = io::load_event(line, club);
    EXPECT_EQ(std::get<events::vehicle_purchase>(e.body).price, yuan("186800.00"));
    const event usd = io::load_event(line.substr(0, line.size() - 1) + R"(,"currency":"USD"})", club);
    EXPECT_EQ(std::get<events::vehicle_purchase>(usd.body).price.currency_of().code(), "USD");
    const std::vector<event> journal = io::load_journal(line + "\n", club);
    ASSERT_EQ(journal.size(), 1u);
    EXPECT_EQ(io::event_to_json(journal[0]), io::event_to_json(e));
}

}  // namespace

}  // namespace unit_event_json
