// What the event loader refuses so that every event it accepts can be stored and read back
// (src/io/event_json.cpp, docs/events.md): control characters in the names an event carries,
// and instants or dates outside 1970-01-01T00:00:00Z .. 2199-12-31T23:59:59Z.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace unit_event_limits {

namespace {

using namespace loyalty;
using loyalty::test::at;
using loyalty::test::cny;

const std::string head = R"("id":"e-1","member":"M001","at":"2025-03-15T09:30:00+08:00",)";

// Parses `text` and expects it refused with `id` at `pointer`.
void expect_refused(const std::string& text, const std::string& id, const std::string& pointer) {
    try {
        io::load_event(text, cny());
        ADD_FAILURE() << "event accepted; expected [" << id << "] (" << pointer << "): " << text;
    } catch (const error& e) {
        EXPECT_EQ(e.id(), id) << e.what();
        EXPECT_EQ(e.pointer(), pointer) << e.what();
    }
}

// One event of each type with every name it can carry set to "@" (the name under test),
// and the pointer of that name.
struct name_field {
    std::string event;  // JSON text, "@" marks the name
    std::string pointer;
};

const std::vector<name_field>& every_name() {
    static const std::vector<name_field> fields = {
        {R"({"id":"@","member":"M","at":"2025-01-01T00:00:00Z","type":"enrol"})", "/id"},
        {R"({"id":"e","member":"@","at":"2025-01-01T00:00:00Z","type":"enrol"})", "/member"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"enrol","store":"@"})", "/store"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"enrol","household":"@"})", "/household"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"enrol","referred_by":"@"})", "/referred_by"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"vehicle_purchase","vin":"@","price":"1"})", "/vin"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"vehicle_purchase","vin":"V","price":"1",)"
         R"("previous_owner":"@"})",
         "/previous_owner"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"repair_order","ro":"@","vin":"V",)"
         R"("lines":[{"kind":"part","category":"c","unit_price":"1"}]})",
         "/ro"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"repair_order","vin":"@",)"
         R"("lines":[{"kind":"part","category":"c","unit_price":"1"}]})",
         "/vin"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"repair_order",)"
         R"("lines":[{"kind":"part","category":"c","unit_price":"1"},{"kind":"part","category":"@","unit_price":"1"}]})",
         "/lines/1/category"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"repair_order",)"
         R"("lines":[{"kind":"part","category":"c","operation":"@","unit_price":"1"}]})",
         "/lines/0/operation"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"referral","referred":"@"})", "/referred"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"survey","survey":"@"})", "/survey"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"survey","survey":"s","repair_order":"@"})",
         "/repair_order"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"adjustment","points":1,"reason":"r","operator":"@"})",
         "/operator"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"assign_tier","tier":"@","reason":"r","operator":"o"})",
         "/tier"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"reverse","event":"@"})", "/event"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"benefit_use","benefit":"@"})", "/benefit"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"benefit_use","benefit":"b","reference":"@"})",
         "/reference"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"redeem","reward":"@"})", "/reward"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"cancel_redemption","redemption":"@"})", "/redemption"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"open_account","policy":"@"})", "/policy"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"join_account","account":"@"})", "/account"},
        {R"({"id":"e","member":"M","at":"2025-01-01T00:00:00Z","type":"transfer","to":"@","points":1})", "/to"},
    };
    return fields;
}

std::string with_name(const name_field& f, const std::string& name) {
    std::string text = f.event;
    text.replace(text.find('@'), 1, name);
    return text;
}

// ---------------------------------------------------------------- control characters

// A NUL cut "e-7\u0000x" to "e-7" on its way into PostgreSQL, so the genuine "e-7" was then
// dropped as a duplicate; a line break or a tab in a name corrupts every report that prints it.
// Every name of every event type refuses U+0000..U+001F and U+007F, wherever in the name.
TEST(EventLimits, NamesRefuseControlCharacters) {
    for (const name_field& f : every_name()) {
        ASSERT_NO_THROW(io::load_event(with_name(f, "ok-1"), cny())) << f.event;
        for (const std::string c : {"\\u0000", "\\u0001", "\\n", "\\t", "\\r", "\\u001f", "\\u007f"})
            expect_refused(with_name(f, "ab" + c + "cd"), "loyalty.event.control_character", f.pointer);
        expect_refused(with_name(f, "\\u0000"), "loyalty.event.control_character", f.pointer);
        // Not refused: a space, '~' (U+007E, next to DEL), U+0080, a no-break space, a Chinese letter.
        EXPECT_NO_THROW(io::load_event(with_name(f, "a b~\\u0080\\u00a0\\u4e2d"), cny())) << f.event;
    }
}

// Free text (a reason, an account's name) may break lines and hold tabs, but no NUL:
// PostgreSQL text cannot hold one and C strings stop at it.
TEST(EventLimits, FreeTextRefusesOnlyNul) {
    const event e = io::load_event("{" + head + R"("type":"adjustment","points":5,"reason":"line 1\nline 2\tend","operator":"o"})",
                                   cny());
    EXPECT_EQ(std::get<events::adjustment>(e.body).reason, "line 1\nline 2\tend");
    expect_refused("{" + head + R"("type":"adjustment","points":5,"reason":"a\u0000b","operator":"o"})",
                   "loyalty.event.control_character", "/reason");
    expect_refused("{" + head + R"("type":"reverse","event":"e-0","reason":"\u0000"})", "loyalty.event.control_character",
                   "/reason");
    expect_refused("{" + head + R"("type":"open_account","policy":"corporate","name":"Huaxin\u0000Logistics"})",
                   "loyalty.event.control_character", "/name");
    EXPECT_NO_THROW(io::load_event("{" + head + R"("type":"open_account","policy":"corporate","name":"Huaxin\r\nLogistics"})", cny()));
}

// In a journal the pointer is prefixed with the line, as for every other error.
TEST(EventLimits, AJournalNamesTheLineOfAControlCharacter) {
    const std::string text = R"({"id":"e-7","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"})"
                             "\n"
                             R"({"id":"e-7\u0000x","member":"M1","at":"2025-01-11T10:00:00+08:00","type":"tick"})";
    try {
        io::load_journal(text, cny());
        FAIL() << "journal accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.event.control_character");
        EXPECT_EQ(e.pointer(), "/id");
        EXPECT_EQ(e.line(), 2u);
    }
}

// ---------------------------------------------------------------- the supported range of time

std::string tick_at(const std::string& when) {
    return R"({"id":"e","member":"M","at":")" + when + R"(","type":"tick"})";
}

// An amount one minor unit past int64 is too large, not inexact (issue 22); more decimals than
// a decimal holds is inexact.
TEST(EventLimits, AnAmountTooLargeIsOutOfRange) {
    const auto ro = [](const std::string& price) {
        return R"({"id":"e","member":"M","at":"2025-03-15T09:30:00+08:00","type":"repair_order","lines":[)"
               R"({"kind":"part","category":"repair","unit_price":)" + price + "}]}";
    };
    const event max = io::load_event(ro(R"("92233720368547758.07")"), cny());
    EXPECT_EQ(std::get<events::repair_order>(max.body).lines[0].unit_price.minor_units(), INT64_MAX);
    for (const std::string price : {R"("92233720368547758.08")", "92233720368547758.08", R"("1e30")", "1e30",
                                    R"("99999999999999999999")", "99999999999999999999"})
        expect_refused(ro(price), "loyalty.event.out_of_range", "/lines/0/unit_price");
    expect_refused(ro(R"("0.0000000000000000001")"), "loyalty.event.inexact_number", "/lines/0/unit_price");
    expect_refused(ro(R"("twelve")"), "loyalty.event.inexact_number", "/lines/0/unit_price");
}

TEST(EventLimits, TheSupportedRangeIsWhatTheHeaderSays) {
    EXPECT_EQ(format_instant(earliest_supported_instant), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_instant(latest_supported_instant), "2199-12-31T23:59:59Z");
    EXPECT_TRUE(is_supported_day(test::on("1970-01-01")));
    EXPECT_TRUE(is_supported_day(test::on("2199-12-31")));
    EXPECT_FALSE(is_supported_day(test::on("1969-12-31")));
    EXPECT_FALSE(is_supported_day(test::on("2200-01-01")));
}

// An enrolment dated 9999-12-31 was accepted and its lots expired in 10002, a year no snapshot
// can be read back with. Instants are 1970-01-01T00:00:00Z .. 2199-12-31T23:59:59Z, compared
// in UTC whatever the offset they are written with.
TEST(EventLimits, InstantsOutsideTheSupportedRangeAreRefused) {
    for (const std::string inside : {"1970-01-01T00:00:00Z", "1970-01-01T08:00:00+08:00", "1969-12-31T19:00:00-05:00",
                                     "2025-03-15T09:30:00+08:00", "2199-12-31T23:59:59Z", "2200-01-01T07:59:59+08:00"})
        EXPECT_EQ(io::load_event(tick_at(inside), cny()).at, at(inside)) << inside;
    for (const std::string outside : {"1969-12-31T23:59:59Z", "1970-01-01T07:59:59+08:00", "0000-01-01T00:00:00Z",
                                      "2200-01-01T00:00:00Z", "2199-12-31T23:00:00-01:00", "9999-12-31T00:00:00Z"})
        expect_refused(tick_at(outside), "loyalty.event.out_of_range", "/at");
    expect_refused(R"({"id":"e","member":"M","at":"9999-12-31T00:00:00Z","type":"enrol"})", "loyalty.event.out_of_range",
                   "/at");
}

// A date an event names (the period a rebate settles) is held to the same range.
TEST(EventLimits, DatesOutsideTheSupportedRangeAreRefused) {
    const auto settle = [](const std::string& day) {
        return R"({"id":"e","member":"A1","at":"2026-01-05T09:00:00Z","type":"settle_rebate","period_of":")" + day + R"("})";
    };
    EXPECT_NO_THROW(io::load_event(settle("1970-01-01"), cny()));
    EXPECT_NO_THROW(io::load_event(settle("2199-12-31"), cny()));
    expect_refused(settle("1969-12-31"), "loyalty.event.out_of_range", "/period_of");
    expect_refused(settle("2200-01-01"), "loyalty.event.out_of_range", "/period_of");
    expect_refused(settle("9999-12-31"), "loyalty.event.out_of_range", "/period_of");
}

}  // namespace

}  // namespace unit_event_limits
