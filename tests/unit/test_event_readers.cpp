// The two readers of an event line agree: load_event (simdjson, the volume path) and
// event_from_json(parse_exact(line)) (nlohmann, the reference) give the same event, or the same
// error (id, pointer and message), on every line of a generated journal, on the fuzz seed corpus
// (examples/events, the events of docs/*.md), on hand-written nasty lines and on every
// truncation and many one-byte changes of a repair order. The journal and the corpus are also
// read by the simdjson tape itself, not handed to parse_exact (json_tape.hpp declines only odd
// text), so the fast path is the one compared. load_event_into, which reads a line into an event
// that held another (a journal reader's: its room is reused), gives what load_event gives, after
// any event and after an error.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/io/event_json.hpp"
#include "readers_support.hpp"

namespace unit_event_readers {

using namespace loyalty;

const currency& cny() {
    static const currency c = *currency::from_code("CNY");
    return c;
}

// "event {...}" or "error [id] (pointer) message".
std::string outcome(const std::function<event()>& read) {
    try {
        return "event " + io::event_to_json(read()).dump();
    } catch (const error& e) {
        return std::string("error ") + e.what();
    }
}

std::string with_simdjson(std::string_view line) {
    return outcome([&] { return io::load_event(line, cny()); });
}

// load_event_into an event that already holds what was read before (its room reused).
std::string with_simdjson_into(event& reused, std::string_view line) {
    return outcome([&] {
        io::load_event_into(line, cny(), reused);
        return reused;
    });
}

// The reference: parse_exact's errors are loyalty.json.*, load_event says loyalty.event.*.
std::string with_parse_exact(std::string_view line) {
    return outcome([&] {
        return test::with_parse_exact_in(line, "loyalty.event", [](const io::json& j) { return io::event_from_json(j, cny()); });
    });
}

using test::read_by_the_tape;

std::string text_of(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) out.push_back(line);
    return out;
}

#define EXPECT_SAME_READING(line) EXPECT_EQ(with_simdjson(line), with_parse_exact(line)) << "line: " << (line)

TEST(EventReaders, AgreeOnEveryLineOfAGeneratedJournal) {
    // 40 members over 5 years, with rewards: every event type the generator writes (~1,900 lines).
    const std::filesystem::path out = std::filesystem::temp_directory_path() / "loyalty-event-readers-journal.jsonl";
    const std::string command = "/usr/bin/python3 " LOYALTY_SOURCE_DIR "/scripts/generate_journal.py --members 40 "
                                "--years 5 --seed 21 --rewards -o '" + out.string() + "'";
    ASSERT_EQ(std::system((command + " >/dev/null").c_str()), 0) << command;
    const std::string text = text_of(out);
    std::filesystem::remove(out);
    const std::vector<std::string> lines = lines_of(text);
    ASSERT_GT(lines.size(), 1500u);
    std::size_t declined = 0;
    event one, pair[2];  // every line read into one event, and into two in turn (as a reader ahead)
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        const std::string fast = with_simdjson(line);
        ASSERT_EQ(fast.rfind("event ", 0), 0u) << fast;
        ASSERT_EQ(fast, with_parse_exact(line)) << "line: " << line;
        ASSERT_EQ(with_simdjson_into(one, line), fast) << "line: " << line;
        ASSERT_EQ(with_simdjson_into(pair[i % 2], line), fast) << "line: " << line;
        if (!read_by_the_tape(line)) ++declined;
    }
    EXPECT_EQ(declined, 0u) << "generated events the simdjson tape handed to parse_exact";
    // load_journal reads them all, as load_event does line by line.
    EXPECT_EQ(io::load_journal(text, cny()).size(), lines.size());
}

TEST(EventReaders, AgreeOnTheFuzzSeedCorpus) {
    // What scripts/fuzz.sh seeds fuzz-event with: the example journals (whole and by line) and
    // the JSON blocks of the docs that are not programmes, and the kept regressions.
    std::vector<std::string> inputs;
    std::size_t lines_read_by_the_tape = 0, lines = 0;
    for (const auto& entry : std::filesystem::directory_iterator(LOYALTY_SOURCE_DIR "/examples/events")) {
        if (entry.path().extension() != ".jsonl") continue;
        const std::string text = text_of(entry.path());
        inputs.push_back(text);
        for (const std::string& line : lines_of(text)) {
            inputs.push_back(line);
            ++lines;
            if (read_by_the_tape(line)) ++lines_read_by_the_tape;
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(LOYALTY_SOURCE_DIR "/docs")) {
        if (entry.path().extension() != ".md") continue;
        const std::string text = text_of(entry.path());
        for (std::size_t at = text.find("```json\n"); at != std::string::npos; at = text.find("```json\n", at)) {
            at += 8;
            const std::size_t end = text.find("```", at);
            if (end == std::string::npos) break;
            const std::string block = text.substr(at, end - at);
            if (block.find("\"earning_rules\"") == std::string::npos) inputs.push_back(block);
        }
    }
    const std::filesystem::path regressions = LOYALTY_SOURCE_DIR "/tests/fuzz/regressions/event";
    if (std::filesystem::exists(regressions))
        for (const auto& entry : std::filesystem::directory_iterator(regressions)) inputs.push_back(text_of(entry.path()));
    ASSERT_GE(inputs.size(), 40u);
    for (const std::string& input : inputs) EXPECT_SAME_READING(input);
    EXPECT_EQ(lines_read_by_the_tape, lines) << "example events the simdjson tape handed to parse_exact";
}

const char* const repair_order =
    R"({"id":"e-1","member":"M1","at":"2026-03-01T10:00:00+08:00","type":"repair_order","ro":"RO-1","vin":"LFV3A23C0R3000001",)"
    R"("odometer_km":12000,"status":"closed","store":"S-1","lines":[)"
    R"({"kind":"labour","category":"maintenance","operation":"OIL-CHANGE","quantity":"1.5","unit_price":"120.00"},)"
    R"({"kind":"part","category":"repair","quantity":2,"unit_price":68.5,"flags":["accident","insurance_paid"]}]})";

TEST(EventReaders, AgreeOnHandWrittenNastyLines) {
    const std::string head = R"({"id":"e-1","member":"M1","at":"2026-03-01T10:00:00+08:00",)";
    const std::vector<std::string> lines = {
        repair_order,
        // duplicate keys, at the top, in a line, the empty key
        head + R"("type":"tick","id":"e-2"})",
        R"({"id":"e-1","id":"e-1"})",
        head + R"("type":"repair_order","lines":[{"kind":"part","kind":"part","category":"c","unit_price":"1"}]})",
        head + R"("type":"tick","":1,"":2})",
        head + R"("type":"tick","x":{"a":[{"b":1,"b":2}]},"x":3})",
        // escaped keys: a duplicate spelt with an escape, an escaped key read as its text, a
        // quote, a backslash and an escaped letter in a key
        head + R"("type":"tick","\u0069d":"e-2"})",
        R"({"\u0069d":"e-1","member":"M1","at":"2026-03-01T10:00:00+08:00","type":"tick"})",
        head + R"("type":"repair_order","lines":[{"kind":"part","c\u0061tegory":"c","unit_price":"1"}]})",
        head + R"("type":"tick","st\"ore":"s"})",
        head + R"("type":"tick","\\":1})",
        head + R"("type":"tick","stor\u00e9":"s"})",
        head + R"("type":"tick","x\/y":1,"x/y":2})",
        // numbers: past int64, past uint64, huge, exponents, -0, fractions as text and as numbers
        head + R"("type":"adjustment","points":9223372036854775808,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":18446744073709551616,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":-9223372036854775808,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":-9223372036854775809,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":1e400,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":1e2,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":-0,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":1.0,"reason":"r","operator":"o"})",
        head + R"("type":"adjustment","points":"5","reason":"r","operator":"o"})",
        head + R"("type":"vehicle_purchase","vin":"V","price":1e400})",
        head + R"("type":"vehicle_purchase","vin":"V","price":1e-400})",
        head + R"("type":"vehicle_purchase","vin":"V","price":1.5e5})",
        head + R"("type":"vehicle_purchase","vin":"V","price":0.7})",
        head + R"("type":"vehicle_purchase","vin":"V","price":"0.7"})",
        head + R"("type":"vehicle_purchase","vin":"V","price":0.701})",
        head + R"("type":"vehicle_purchase","vin":"V","price":-0})",
        head + R"("type":"vehicle_purchase","vin":"V","price":-0.0})",
        head + R"("type":"vehicle_purchase","vin":"V","price":99999999999999999999999})",
        head + R"("type":"vehicle_purchase","vin":"V","price":)" + std::string(400, '9') + "}",
        head + R"("type":"vehicle_purchase","vin":"V","price":0.)" + std::string(400, '1') + "}",
        head + R"("type":"vehicle_purchase","vin":"V","price":01})",
        head + R"("type":"vehicle_purchase","vin":"V","price":1.})",
        head + R"("type":"vehicle_purchase","vin":"V","price":.5})",
        head + R"("type":"vehicle_purchase","vin":"V","price":+1})",
        head + R"("type":"vehicle_purchase","vin":"V","price":-})",
        head + R"("type":"vehicle_purchase","vin":"V","price":1e})",
        head + R"("type":"vehicle_purchase","vin":"V","price":NaN})",
        head + R"("type":"reverse","event":"e-0","lines":[0,-0,1]})",
        head + R"("type":"reverse","event":"e-0","lines":[18446744073709551615]})",
        head + R"("type":"reverse","event":"e-0","lines":[1.0]})",
        head + R"("type":"reverse","event":"e-0","amount":"10.00","line":-1})",
        head + R"("type":"redeem","reward":"kit","quantity":true})",
        head + R"("type":"redeem","reward":"kit","quantity":null})",
        // unknown keys: the first in key order is named, at the top and in a line
        head + R"("type":"tick","zz":1,"aa":{"b":2}})",
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"c","unit_price":"1","zz":1,"b":null}]})",
        head + R"("type":"tick","x":{"y":{"z":[1,{"deep":true}]}}})",
        // wrong types
        head + R"("type":7})",
        head + R"("type":"repair_order","lines":{}})",
        head + R"("type":"repair_order","lines":[]})",
        head + R"("type":"repair_order","lines":["x"]})",
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"c","unit_price":"1","flags":"accident"}]})",
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"c","unit_price":"1","flags":[1]}]})",
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"c","unit_price":"1","flags":["x"]}]})",
        R"({"id":["e"],"member":"M1"})",
        R"({"id":"","member":"M1"})",
        // control characters: escaped (refused by the field check, in key order), raw (JSON error)
        head + R"("type":"tick","store":"S\u0001"})",
        head + R"("type":"adjustment","points":5,"reason":"line\nbreak","operator":"op\t1"})",
        head + R"("type":"adjustment","points":5,"reason":"nul\u0000","operator":"op"})",
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"c\u007f","unit_price":"1"}],"vin":"V\u0002"})",
        head + R"("type":"enrol","household":"h\u001f"})",
        head + "\"type\":\"tick\",\"store\":\"S\x01\"}",
        // strings: escapes, surrogates, invalid UTF-8
        head + R"("type":"tick","store":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"})",
        head + R"("type":"tick","store":"\ud800"})",
        head + R"("type":"tick","store":"\udc00"})",
        head + R"("type":"tick","store":"\ud800\u0041"})",
        head + R"("type":"tick","store":"\x"})",
        head + R"("type":"tick","store":"\u12"})",
        head + "\"type\":\"tick\",\"store\":\"\xff\xfe\"}",
        head + "\"type\":\"tick\",\"store\":\"\xc3\"}",
        head + "\"type\":\"tick\",\"store\":\"\xed\xa0\x80\"}",
        head + "\"type\":\"tick\",\"store\":\"caf\xc3\xa9\"}",
        // structure: truncated, trailing text, BOM, not an object, empty, deep nesting
        head + R"("type":"tick")",
        head + R"("type":"tick"} x)",
        head + R"("type":"tick"}})",
        head + R"("type":"tick"}{})",
        head + R"("type":"tick"}   )",
        head + R"("type":"tick",})",
        head + R"("type":"tick" "store":"s"})",
        "\xef\xbb\xbf" + head + R"("type":"tick"})",
        "\xef\xbb" + head + R"("type":"tick"})",
        " \t\r\n" + head + R"("type":"tick"} )",
        "",
        "   ",
        "[]",
        "\"tick\"",
        "42",
        "null",
        "{}",
        "{",
        head + R"("type":"tick","x":)" + std::string(40, '[') + std::string(40, ']') + "}",
        head + R"("type":"tick","x":)" + std::string(2000, '[') + std::string(2000, ']') + "}",
        head + R"("type":"tick","x":)" + std::string(2000, '[') + "}",
        head + R"("type":"tick","x":tru})",
        head + R"("type":"tick","x":truex})",
        head + R"("type":"tick","x":nul})",
        head + R"("type":"tick","store":null,"x":false})",
        head + std::string("\"type\":\"tick\"}\0", 15),
        std::string("{\"id\":\"e\0\",\"member\":\"M\"}", 24),
    };
    for (const std::string& line : lines) EXPECT_SAME_READING(line);
}

TEST(EventReaders, AgreeOnEveryTruncationAndOneByteChangeOfARepairOrder) {
    const std::string line = repair_order;
    // Each also read into an event that holds the whole order (every optional field given): a
    // field the change leaves out must not keep the order's value.
    event reused;
    const auto same_into = [&](const std::string& changed) {
        io::load_event_into(line, cny(), reused);
        EXPECT_EQ(with_simdjson_into(reused, changed), with_simdjson(changed)) << "line: " << changed;
    };
    for (std::size_t n = 0; n < line.size(); ++n) {
        EXPECT_SAME_READING(line.substr(0, n));
        same_into(line.substr(0, n));
    }
    for (std::size_t i = 0; i < line.size(); ++i)
        for (const char c : {'"', '}', ']', ',', '0', '\\', 'e', '\x01', '\xff'}) {
            std::string changed = line;
            changed[i] = c;
            EXPECT_SAME_READING(changed);
            same_into(changed);
        }
}

TEST(EventReaders, AnEventReadIntoKeepsNothingOfTheOneBefore) {
    // Every optional field given, then left out, type after type; an error between (the event is
    // then some valid event, and the next line is read whole).
    const std::string head = R"({"id":"e-2","member":"M2","at":"2026-03-02T10:00:00+08:00",)";
    const std::vector<std::string> lines = {
        repair_order,
        head + R"("type":"repair_order","lines":[{"kind":"part","category":"tyres","unit_price":"300.00"}]})",
        head + R"("type":"repair_order","status":"estimate","lines":[{"kind":"labour","category":"care","unit_price":1},)"
               R"({"kind":"labour","category":"care","unit_price":2},{"kind":"labour","category":"care","unit_price":3}]})",
        head + R"("type":"vehicle_purchase","vin":"LFV3A23C0R3000002","price":"150000.00","odometer_km":10,"previous_owner":"M9","store":"S-2"})",
        head + R"("type":"vehicle_purchase","vin":"LFV3A23C0R3000003","price":"1.00"})",
        head + R"("type":"benefit_use","benefit":"claim-handling","reference":"C-1","flags":["third_party"]})",
        head + R"("type":"benefit_use","benefit":"insurance-renewal"})",
        head + R"("type":"survey","survey":"S-1","repair_order":"e-1"})",
        head + R"("type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"x"}]})",  // an error
        head + R"("type":"survey","survey":"S-2"})",
        head + R"("type":"enrol","household":"H-1","referred_by":"M1","birthday":"02-29"})",
        head + R"("type":"enrol"})",
        head + R"("type":"reverse","event":"e-1","lines":[0],"amount":"10.00","line":1})",
        head + R"("type":"reverse","event":"e-1"})",
        repair_order,
        head + R"("type":"tick"})",
        head + R"("type":"repair_order","vin":"LFV3A23C0R3000001","lines":[{"kind":"part","category":"filters","unit_price":"5"}]})",
    };
    event one;
    std::size_t errors = 0;
    for (const std::string& line : lines) {
        const std::string fresh = with_simdjson(line);
        if (fresh.rfind("error ", 0) == 0) ++errors;
        EXPECT_EQ(with_simdjson_into(one, line), fresh) << "line: " << line;
    }
    EXPECT_EQ(errors, 1u);
    // Two orders read in turn into one event leave it holding the second, not a mix.
    io::load_event_into(repair_order, cny(), one);
    io::load_event_into(lines[1], cny(), one);
    const auto& order = std::get<events::repair_order>(one.body);
    EXPECT_EQ(one.id, "e-2");
    EXPECT_TRUE(one.store.empty());
    EXPECT_TRUE(order.number.empty());
    EXPECT_TRUE(order.vin.empty());
    EXPECT_FALSE(order.odometer_km.has_value());
    ASSERT_EQ(order.lines.size(), 1u);
    EXPECT_EQ(order.lines[0].category, "tyres");
    EXPECT_TRUE(order.lines[0].operation.empty());
    EXPECT_EQ(order.lines[0].quantity, decimal::integer(1));
    EXPECT_EQ(order.lines[0].flags, 0u);
}

}  // namespace unit_event_readers
