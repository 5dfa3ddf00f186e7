// Ledger entries in JSON (src/io/ledger_json.cpp) and the hash chain (ledger/hash_chain.hpp):
// round trips, the canonical serialisation, SHA-256 against hashes computed outside our code,
// and verify_chain catching tampering.
#include <cstdio>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "loyalty/io/ledger_json.hpp"

namespace unit_ledger_json {

namespace {

using namespace loyalty;
using loyalty::test::at;

const std::string zeros(64, '0');

ledger_entry enrol_entry() {
    ledger_entry e;
    e.member = "M001";
    e.seq = 1;
    e.event = "e-0001";
    e.at = at("2025-01-10T10:00:00+08:00");
    e.kind = entry_kind::enrol;
    e.amount = points(0);
    e.balance = points(0);
    e.program = "4s-club";
    e.version = 1;
    e.reason = "joined";
    e.format = 4;  // this file's entries are of ledger format 4, hashed alone (test_ledger_groups.cpp: format 5)
    e.prev_hash = genesis_hash();
    e.hash = entry_hash(e);
    return e;
}

// Sets prev_hash and hash so that `entries` form a valid chain.
void seal(std::vector<ledger_entry>& entries) {
    sha256_digest prev = genesis_hash();
    for (ledger_entry& e : entries) {
        e.prev_hash = prev;
        e.hash = entry_hash(e);
        prev = e.hash;
    }
}

ledger_entry make(std::int64_t seq, entry_kind kind, std::int64_t amount, std::int64_t balance, const std::string& event,
                  const std::string& when) {
    ledger_entry e;
    e.format = 4;
    e.member = "M002";
    e.seq = seq;
    e.event = event;
    e.at = at(when);
    e.kind = kind;
    e.amount = points(amount);
    e.balance = points(balance);
    e.program = "4s-club";
    e.version = 1;
    return e;
}

// Enrol, earn 2050, adjust -2000, reverse -50 (of the earn), earn 300: balance 0 -> 2050 -> 50 -> 0 -> 300.
std::vector<ledger_entry> chain() {
    std::vector<ledger_entry> v;
    v.push_back(make(1, entry_kind::enrol, 0, 0, "e-0101", "2025-06-01T10:00:00+08:00"));
    ledger_entry earn = make(2, entry_kind::earn, 2050, 2050, "e-0102", "2025-06-15T16:00:00+08:00");
    earn.lot = "e-0102/service-spend";
    earn.expires = "2027-07-01";
    earn.rule = "service-spend";
    earn.reason = "2050.00 CNY x 1";
    v.push_back(earn);
    ledger_entry adjust = make(3, entry_kind::adjust, -2000, 50, "e-0103", "2025-07-01T11:00:00+08:00");
    adjust.lot = "e-0102/service-spend";
    adjust.rule = "adjustment";
    adjust.reason = "voucher";
    v.push_back(adjust);
    ledger_entry rev = make(4, entry_kind::reverse, -50, 0, "e-0104", "2025-07-05T09:00:00+08:00");
    rev.lot = "e-0102/service-spend";
    rev.reverses = "e-0102";
    rev.reason = "RO cancelled";
    v.push_back(rev);
    ledger_entry earn2 = make(5, entry_kind::earn, 300, 300, "e-0105", "2025-08-01T10:00:00+08:00");
    earn2.lot = "e-0105/service-spend";
    earn2.expires = "2027-09-01";
    earn2.rule = "service-spend";
    v.push_back(earn2);
    seal(v);
    return v;
}

// ---------------------------------------------------------------- JSON round trips

TEST(LedgerJson, EntryToJsonHasEveryField) {
    const ledger_entry e = chain()[1];
    const io::json j = io::entry_to_json(e);
    EXPECT_EQ(j.size(), 16u);
    EXPECT_EQ(j.at("member"), "M002");
    EXPECT_EQ(j.at("seq"), 2);
    EXPECT_EQ(j.at("event"), "e-0102");
    EXPECT_EQ(j.at("at"), "2025-06-15T08:00:00Z");
    EXPECT_EQ(j.at("kind"), "earn");
    EXPECT_EQ(j.at("amount"), 2050);
    EXPECT_EQ(j.at("balance"), 2050);
    EXPECT_EQ(j.at("lot"), "e-0102/service-spend");
    EXPECT_EQ(j.at("expires"), "2027-07-01");
    EXPECT_EQ(j.at("rule"), "service-spend");
    EXPECT_EQ(j.at("program"), "4s-club");
    EXPECT_EQ(j.at("version"), 1);
    EXPECT_EQ(j.at("reason"), "2050.00 CNY x 1");
    EXPECT_EQ(j.at("reverses"), "");
    EXPECT_EQ(j.at("prev_hash"), chain()[0].hash.hex());
    EXPECT_EQ(j.at("hash"), e.hash.hex());
}

TEST(LedgerJson, EntryRoundTrip) {
    for (const ledger_entry& e : chain()) EXPECT_EQ(io::entry_from_json(io::entry_to_json(e)), e);
    const ledger_entry e = enrol_entry();
    EXPECT_EQ(io::entry_from_json(io::parse_exact(io::entry_to_json(e).dump())), e);
}

// A ledger line is written straight from the fields (append_ledger_line), not through a JSON
// tree: it must be entry_to_json(e).dump() byte for byte, optional fields, figures, escapes and
// text beyond ASCII included. One line is written by hand from the canonical form's key order.
TEST(LedgerJson, LedgerLineIsTheJsonTreeDumpedByteForByte) {
    std::vector<ledger_entry> entries = chain();
    ledger_entry rich = chain()[1];
    earn_figures f;
    f.base = 205000;
    f.base_scale = 2;
    f.add_factor(*decimal::parse("1.5"));
    f.carried = *decimal::parse("0.25");
    f.rounded = 3075;
    f.cap = points(2050);
    rich.figures = f;
    rich.funder = "oem";
    rich.store = "SH-01";
    rich.money = "60.00 CNY";
    rich.member = "王芳";  // two 3-byte characters, copied as they are (ensure_ascii off)
    rich.reason = "tab\there, \"quoted\", back\\slash, line\nfeed, bell\x07, del\x7f, 保养";
    entries.push_back(rich);
    ledger_entry ratio = chain()[1];
    earn_figures r;
    r.base = 70000;
    r.base_scale = 2;
    r.add_factor(decimal::integer(1));
    ASSERT_TRUE(r.set_per("7.00"));
    r.rounded = 100;
    ratio.figures = r;
    entries.push_back(ratio);
    ledger_entry carry = chain()[1];
    carry.kind = entry_kind::carry;
    carry.amount = points(0);
    entries.push_back(carry);
    ledger_entry settle = chain()[1];
    settle.kind = entry_kind::settle_debt;
    settle.amount = points(0);
    settle.debt_paid = points(100);
    entries.push_back(settle);
    std::string all;
    for (const ledger_entry& e : entries) {
        std::string line;
        io::append_ledger_line(line, e);
        EXPECT_EQ(line, io::entry_to_json(e).dump() + "\n");
        all += line;
    }
    EXPECT_EQ(io::ledger_to_jsonl(entries), all);
    EXPECT_EQ(io::load_ledger(all), entries);

    std::string line;
    io::append_ledger_line(line, enrol_entry());
    EXPECT_EQ(line, R"({"amount":0,"at":"2025-01-10T02:00:00Z","balance":0,"event":"e-0001","expires":"","hash":")" +
                        enrol_entry().hash.hex() +
                        R"(","kind":"enrol","lot":"","member":"M001","prev_hash":")" + zeros +
                        R"(","program":"4s-club","reason":"joined","reverses":"","rule":"","seq":1,"version":1})" "\n");
    line.clear();
    io::append_ledger_line(line, settle);  // between "balance" and "event", as in the canonical form
    EXPECT_NE(line.find(R"("balance":2050,"debt_paid":100,"event":"e-0102",)"), std::string::npos) << line;
    EXPECT_NE(canonical_form(settle).find(R"("balance":2050,"debt_paid":100,"event":"e-0102",)"), std::string::npos);
    line.clear();
    io::append_ledger_line(line, rich);
    EXPECT_NE(line.find(R"("reason":"tab\there, \"quoted\", back\\slash, line\nfeed, bell\u0007, del)" "\x7f"
                        ", 保养\""),
              std::string::npos)
        << line;
}

// Text that is not UTF-8 (possible only from C++, where an event's strings are bytes) cannot
// be a JSON line: refused with an id, and the buffer is left as it was.
TEST(LedgerJson, LedgerLineRefusesTextThatIsNotUtf8) {
    ledger_entry e = enrol_entry();
    e.reason = "caf\xe9";  // Latin-1
    std::string out = "kept\n";
    try {
        io::append_ledger_line(out, e);
        FAIL() << "written: " << out;
    } catch (const error& x) {
        EXPECT_EQ(x.id(), "loyalty.ledger.invalid_utf8");
        EXPECT_NE(std::string(x.what()).find("entry 1 (enrol)"), std::string::npos) << x.what();
    }
    EXPECT_EQ(out, "kept\n");
}

TEST(LedgerJson, EveryEntryKindRoundTrips) {
    for (entry_kind k : {entry_kind::enrol, entry_kind::earn, entry_kind::expire, entry_kind::adjust, entry_kind::reverse,
                         entry_kind::claw_back, entry_kind::debt, entry_kind::settle_debt}) {
        ledger_entry e = enrol_entry();
        e.kind = k;
        e.hash = entry_hash(e);
        EXPECT_EQ(io::entry_from_json(io::entry_to_json(e)), e) << to_string(k);
        EXPECT_EQ(parse_entry_kind(to_string(k)), k);
    }
}

TEST(LedgerJson, LedgerJsonlRoundTrip) {
    const std::vector<ledger_entry> entries = chain();
    const std::string text = io::ledger_to_jsonl(entries);
    // One line per entry, each ending in a newline.
    std::size_t newlines = 0;
    for (char c : text) newlines += c == '\n';
    EXPECT_EQ(newlines, entries.size());
    EXPECT_EQ(text.back(), '\n');
    EXPECT_EQ(io::load_ledger(text), entries);
    // Blank lines and CRLF are tolerated.
    std::string spaced = "\n";
    for (const ledger_entry& e : entries) spaced += io::entry_to_json(e).dump() + "\r\n\n";
    EXPECT_EQ(io::load_ledger(spaced), entries);
    EXPECT_TRUE(io::load_ledger("").empty());
}

TEST(LedgerJson, NonAsciiAndEscapesRoundTrip) {
    ledger_entry e = enrol_entry();
    e.reason = "欢迎 \"welcome\"\t\\ \x01";
    e.hash = entry_hash(e);
    EXPECT_EQ(io::load_ledger(io::ledger_to_jsonl({e})), std::vector<ledger_entry>{e});
}

TEST(LedgerJson, EntryErrorsNameFieldAndLine) {
    io::json j = io::entry_to_json(enrol_entry());
    j["kind"] = "gift";
    try {
        io::entry_from_json(j);
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.invalid_kind");
        EXPECT_EQ(e.pointer(), "/kind");
    }
    j = io::entry_to_json(enrol_entry());
    j["extra"] = 1;
    try {
        io::entry_from_json(j);
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.unknown_key");
        EXPECT_EQ(e.pointer(), "/extra");
    }
    j = io::entry_to_json(enrol_entry());
    j.erase("hash");
    const std::string text = io::entry_to_json(enrol_entry()).dump() + "\n" + j.dump() + "\n";
    try {
        io::load_ledger(text);
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.missing_field");
        EXPECT_EQ(e.pointer(), "/hash");
        EXPECT_EQ(e.line(), 2u);
    }
    j = io::entry_to_json(enrol_entry());
    j["seq"] = "1";
    try {
        io::load_ledger(j.dump());
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.type_error");
        EXPECT_EQ(e.pointer(), "/seq");
        EXPECT_EQ(e.line(), 1u);
    }
}

// The same instant in another offset hashes the same here but not in verify_ledger.py, which
// hashes the text as written: both refuse it, so the two verifiers cannot disagree.
TEST(LedgerJson, AnInstantOrDayNotWrittenCanonicallyIsRefused) {
    io::json j = io::entry_to_json(enrol_entry());
    ASSERT_EQ(j["at"], "2025-01-10T02:00:00Z");
    for (const char* same_instant : {"2025-01-10T10:00:00+08:00", "2025-01-10T02:00:00+00:00", "2025-01-10 02:00:00Z"}) {
        j["at"] = same_instant;
        try {
            io::load_ledger(j.dump());
            FAIL() << same_instant << " accepted";
        } catch (const error& e) {
            EXPECT_EQ(e.pointer(), "/at") << same_instant;
            EXPECT_EQ(e.line(), 1u);
            // A text parse_instant reads is refused as not canonical, one it cannot as invalid.
            EXPECT_TRUE(e.id() == "loyalty.ledger.noncanonical_time" || e.id() == "loyalty.ledger.invalid_time") << e.id();
        }
    }
    j["at"] = "2025-01-10T10:00:00+08:00";
    try {
        io::load_ledger(j.dump());
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.noncanonical_time");
        EXPECT_NE(std::string(e.what()).find("2025-01-10T02:00:00Z"), std::string::npos) << e.what();
    }
    j = io::entry_to_json(enrol_entry());
    for (const char* bad_day : {"2027-2-01", "2027-02-30", "27-02-01"}) {
        j["expires"] = bad_day;
        try {
            io::load_ledger(j.dump());
            FAIL() << bad_day << " accepted";
        } catch (const error& e) {
            EXPECT_EQ(e.id(), "loyalty.ledger.invalid_date") << bad_day;
            EXPECT_EQ(e.pointer(), "/expires");
            EXPECT_EQ(e.line(), 1u);
        }
    }
}

// An earn entry's figures: written in the canonical form between "expires" and "funder", read
// back equal, and decimals not written as the ledger writes them refused with their pointer
// (the text is hashed, so the two verifiers must read one spelling only).
TEST(LedgerJson, EarnFiguresRoundTripAndRefuseOtherSpellings) {
    ledger_entry e = chain()[1];
    earn_figures f;
    f.base = 205000;
    f.base_scale = 2;
    f.add_factor(decimal::integer(1));
    f.add_factor(*decimal::parse("1.5"));
    f.carried = *decimal::parse("0.25");
    f.rounded = 3075;  // 2050.00 x 1 x 1.5 + 0.25 = 3075.25, rounded down
    f.cap = points(2050);
    e.figures = f;
    EXPECT_EQ(figures_problem(f, points(2050)), "");
    e.hash = entry_hash(e);
    EXPECT_NE(canonical_form(e).find(
                  R"("expires":"2027-07-01","figures":{"base":"2050.00","cap":2050,"carried":"0.25","factors":["1","1.5"],"rounded":3075,"rounding":"down"},"kind":"earn")"),
              std::string::npos)
        << canonical_form(e);
    const std::vector<ledger_entry> back = io::load_ledger(io::entry_to_json(e).dump());
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], e);
    EXPECT_EQ(entry_hash(back[0]), e.hash);

    const auto refused = [&](const char* pointer, const std::function<void(io::json&)>& edit) {
        io::json j = io::entry_to_json(e);
        edit(j);
        try {
            io::load_ledger(j.dump());
            ADD_FAILURE() << j.dump() << " accepted";
        } catch (const error& x) {
            EXPECT_EQ(x.pointer(), pointer) << x.what();
            return x.id();
        }
        return std::string();
    };
    EXPECT_EQ(refused("/figures/base", [](io::json& j) { j["figures"]["base"] = "+2050.00"; }), "loyalty.ledger.noncanonical_number");
    EXPECT_EQ(refused("/figures/base", [](io::json& j) { j["figures"]["base"] = "02050.00"; }), "loyalty.ledger.noncanonical_number");
    EXPECT_EQ(refused("/figures/factors/1", [](io::json& j) { j["figures"]["factors"][1] = "1.50"; }), "loyalty.ledger.noncanonical_number");
    EXPECT_EQ(refused("/figures/factors/1", [](io::json& j) { j["figures"]["factors"][1] = 1.5; }), "loyalty.ledger.type_error");
    EXPECT_EQ(refused("/figures/carried", [](io::json& j) { j["figures"]["carried"] = "0.250"; }), "loyalty.ledger.noncanonical_number");
    EXPECT_EQ(refused("/figures/rounding", [](io::json& j) { j["figures"]["rounding"] = "nearest"; }), "loyalty.ledger.invalid_figures");
    EXPECT_EQ(refused("/figures/rounded", [](io::json& j) { j["figures"].erase("rounded"); }), "loyalty.ledger.missing_field");
    EXPECT_EQ(refused("/figures/exact", [](io::json& j) { j["figures"]["exact"] = "3075.25"; }), "loyalty.ledger.unknown_key");
    // Another number of decimals in the base is another base, and is kept as written.
    io::json j = io::entry_to_json(e);
    j["figures"]["base"] = "2050.0";
    EXPECT_EQ(io::load_ledger(j.dump())[0].figures->base_text(), "2050.0");
}

TEST(LedgerJson, MalformedLedgerLineNamesItsLine) {
    const std::string text = io::entry_to_json(enrol_entry()).dump() + "\n\n{\"member\":\n";
    try {
        io::load_ledger(text);
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.parse_error");
        EXPECT_EQ(e.pointer(), "");
        EXPECT_EQ(e.line(), 3u);
    }
    try {
        io::load_ledger(R"({"member":"a","member":"b"})");
        FAIL() << "accepted";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.ledger.duplicate_key");
        EXPECT_EQ(e.pointer(), "/member");
        EXPECT_EQ(e.line(), 1u);
    }
}

// ---------------------------------------------------------------- canonical form and hash

TEST(LedgerHash, CanonicalFormHasSortedKeysAndNoWhitespace) {
    const ledger_entry e = enrol_entry();
    EXPECT_EQ(canonical_form(e),
              R"({"amount":0,"at":"2025-01-10T02:00:00Z","balance":0,"event":"e-0001","expires":"","kind":"enrol",)"
              R"("lot":"","member":"M001","prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",)"
              R"("program":"4s-club","reason":"joined","reverses":"","rule":"","seq":1,"version":1})");
    // Every field but "hash", and nothing else.
    io::json j = io::parse_exact(canonical_form(e));
    io::json fields = io::entry_to_json(e);
    fields.erase("hash");
    EXPECT_EQ(j, fields);
    // Keys in byte order.
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());  // nlohmann's object is a sorted map
    std::string form = canonical_form(e);
    std::size_t last = 0;
    for (const std::string& k : keys) {
        const std::size_t p = form.find("\"" + k + "\":");
        ASSERT_NE(p, std::string::npos) << k;
        EXPECT_GE(p, last) << k;
        last = p;
    }
    EXPECT_EQ(form.find(' '), std::string::npos);
    EXPECT_EQ(form.find('\n'), std::string::npos);
}

// Every byte value is written as its two lower-case digits (write_hex's table of pairs), and
// read back to the same digest.
TEST(LedgerHash, EveryByteIsWrittenAsItsTwoHexDigits) {
    for (int first = 0; first < 256; first += 32) {
        std::string want;
        for (int b = first; b < first + 32; ++b) {
            char two[3];
            std::snprintf(two, sizeof two, "%02x", b);
            want += two;
        }
        const auto d = sha256_digest::from_hex(want);
        ASSERT_TRUE(d.has_value());
        for (int i = 0; i < 32; ++i) EXPECT_EQ(d->data()[i], first + i);
        EXPECT_EQ(d->hex(), want);
    }
}

TEST(LedgerHash, EntryHashIsSha256OfCanonicalForm) {
    // Computed outside our code:
    //   printf '%s' '<the canonical form above>' | sha256sum
    const ledger_entry e = enrol_entry();
    EXPECT_EQ(entry_hash(e).hex(), "ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40");
    EXPECT_EQ(e.hash.hex(), "ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40");
    // SHA-256 of the empty string, the standard test vector.
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // FIPS 180-2's one-block and two-block examples, and a message across many blocks.
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(genesis_hash().hex(), zeros);
    // Digests read back from their one spelling, and no other.
    const auto read = sha256_digest::from_hex("ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40");
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(*read, e.hash);
    EXPECT_EQ(sha256_digest::from_hex(zeros), genesis_hash());
    EXPECT_FALSE(sha256_digest::from_hex("EC4F1D148F8C6D575F277343F00603ACC7F82F09108486CFB807023A8A4AAF40"));
    EXPECT_FALSE(sha256_digest::from_hex(zeros.substr(1)));
    EXPECT_FALSE(sha256_digest::from_hex(zeros + "0"));
    EXPECT_FALSE(sha256_digest::from_hex(std::string(63, '0') + "g"));
    EXPECT_FALSE(sha256_digest::from_hex(std::string(63, '0') + "/"));  // the byte below '0'
    EXPECT_FALSE(sha256_digest::from_hex(std::string(63, '0') + ":"));  // the byte above '9'
    EXPECT_FALSE(sha256_digest::from_hex(std::string(63, '0') + "`"));  // the byte below 'a'
    EXPECT_FALSE(sha256_digest::from_hex(""));
}

TEST(LedgerHash, EscapingMatchesPythonJsonDumps) {
    // Non-ASCII stays UTF-8 (ensure_ascii=False); quote, backslash, tab and control characters
    // are escaped as json.dumps escapes them.
    ledger_entry e = enrol_entry();
    e.seq = 2;
    e.kind = entry_kind::earn;
    e.amount = points(500);
    e.balance = points(500);
    e.lot = "e-0001/welcome";
    e.expires = "2027-02-01";
    e.rule = "welcome";
    e.reason = "欢迎 \"welcome\"\t\\ \x01";
    e.prev_hash = sha256_digest::from_hex("ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40").value();
    EXPECT_EQ(canonical_form(e),
              R"({"amount":500,"at":"2025-01-10T02:00:00Z","balance":500,"event":"e-0001","expires":"2027-02-01",)"
              R"("kind":"earn","lot":"e-0001/welcome","member":"M001",)"
              R"("prev_hash":"ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40","program":"4s-club",)"
              R"("reason":"欢迎 \"welcome\"\t\\ \u0001","reverses":"","rule":"welcome","seq":2,"version":1})");
    // python3 -c 'import json,hashlib; ...json.dumps(e, sort_keys=True, separators=(",",":"), ensure_ascii=False)...'
    // and printf '%s' '...' | sha256sum both give:
    EXPECT_EQ(entry_hash(e).hex(), "988331aeb014015f8229ec45cd8c862c5ddabc258649cc6fea12ab0560373cc9");
}

// The entry writer checks no room as it writes: the bound it is given must hold for any entry.
// The worst entry: every text field long and made of bytes that escape to six ("\u0001"), every
// integer at its longest, an instant whose year is outside 0000..9999, the longest kind, and
// figures with every part present, each decimal at its longest, and (a format-5 line) every
// reason argument at its longest. The writer stays within the bound (written into a larger
// buffer whose tail must be left as it was).
TEST(LedgerHash, TheEntryWriterStaysWithinItsBound) {
    const std::int64_t longest = -9223372036854775807;  // 20 characters
    ledger_entry e;
    const std::string worst(300, '\x01');
    for (std::string* text : {&e.member, &e.event, &e.lot, &e.expires, &e.rule, &e.program, &e.reason, &e.reverses,
                              &e.money, &e.funder, &e.store})
        *text = worst;
    e.seq = e.version = longest;
    e.amount = e.balance = points(longest);
    e.debt_paid = points(longest);
    e.uses = longest;
    e.kind = entry_kind::vehicle_transfer;  // the longest kind's name
    earn_figures f;
    f.base = longest;
    f.base_scale = decimal::max_scale;
    f.factors = earn_figures::max_factors;
    for (std::size_t i = 0; i < f.factors; ++i) f.factor[i] = decimal(longest, i % 2 ? decimal::max_scale : 0);
    f.mode = rounding::toward_zero;  // the longest mode's name
    f.per = longest;
    f.per_scale = decimal::max_scale;
    f.carried = decimal(1, decimal::max_scale);  // "0.000000000000000001"
    f.rounded = longest;
    f.cap = points(longest);
    e.figures = f;
    // A format-5 line's arguments at their longest too: every text, number, day and name.
    reason_args& a = e.args;
    a.code = reason_code::voucher_line_given_back;  // the longest code's name
    a.set_note(worst), a.set_staff(worst), a.set_reference(worst), a.set_counterpart(worst), a.set_other_lot(worst);
    a.set_text(worst);
    a.figure = points(longest);
    a.count = a.cash = longest;
    a.on = date::sys_days{date::year{-32767} / 1 / 1};
    a.since = date::sys_days{date::year{32767} / 12 / 31};
    a.base = earning_base::vehicle_price;
    a.type = event_type::cancel_redemption;
    for (factor_source& source : a.sources) source = factor_source{factor_source::kind::multiplier, 0xffff};
    a.capped_per_event = true;
    a.period_used = points(longest);
    ASSERT_EQ(e.format, 5);
    e.prev_hash = e.hash = sha256_digest::from_hex(std::string(64, 'f')).value();
    const instant first_year = date::sys_days{date::year{-32767} / 1 / 1};
    const instant last_year = date::sys_days{date::year{32767} / 12 / 31} + std::chrono::seconds(86399);
    // Also with no text at all, and without figures: the fixed part of the bound alone.
    ledger_entry bare = e;
    for (std::string* text : {&bare.member, &bare.event, &bare.lot, &bare.expires, &bare.rule, &bare.program,
                              &bare.reason, &bare.reverses, &bare.money, &bare.funder, &bare.store})
        text->clear();
    for (const auto set : {&reason_args::set_note, &reason_args::set_staff, &reason_args::set_reference,
                           &reason_args::set_counterpart, &reason_args::set_other_lot})
        (bare.args.*set)("");
    bare.args.set_text("");
    ledger_entry no_figures = bare;
    no_figures.figures.reset();
    for (const ledger_entry* entry : {&e, &bare, &no_figures}) {
        for (const instant t : {first_year, last_year, at("2025-01-01T00:00:00Z")}) {
            ledger_entry x = *entry;
            x.at = t;
            const std::size_t bound = detail::entry_object_bound(view_of(x));
            std::string buffer(bound + 4096, '#');
            const char* const end = detail::write_entry_object(&buffer[0], view_of(x), &x.hash);
            const auto written = static_cast<std::size_t>(end - buffer.data());
            EXPECT_LE(written, bound);
            EXPECT_EQ(buffer.find_first_not_of('#', written), std::string::npos) << "written past the end";
            // What it wrote is the ledger line (canonical_form is the same without the hash).
            std::string line;
            detail::append_entry_object(line, view_of(x), &x.hash);
            EXPECT_EQ(std::string_view(buffer.data(), written), line);
        }
    }
}

// append_json_string tests eight bytes at a time and escapes byte by byte from the first word
// that needs it: every byte value, at every position of texts of 0 to 24 bytes (so in the
// first, a middle and the last word, and in the tail after the last whole word), against the
// rule written out byte by byte.
TEST(LedgerHash, EscapingAWordAtATimeIsEscapingByteByByte) {
    const auto by_hand = [](std::string_view s) {
        std::string out = "\"";
        for (const char ch : s) {
            const auto c = static_cast<unsigned char>(ch);
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                case '\b': out += "\\b"; break;
                case '\f': out += "\\f"; break;
                default:
                    if (c < 0x20) {
                        const char* hex = "0123456789abcdef";
                        out += "\\u00";
                        out += hex[c >> 4];
                        out += hex[c & 0xf];
                    } else {
                        out += ch;
                    }
            }
        }
        return out + "\"";
    };
    int checked = 0;
    for (std::size_t length = 0; length <= 24; ++length) {
        const std::string plain(length, 'a');
        std::string out;
        detail::append_json_string(out, plain);
        ASSERT_EQ(out, by_hand(plain));
        for (std::size_t at = 0; at < length; ++at)
            for (int b = 0; b < 256; ++b) {
                std::string text = plain;
                text[at] = static_cast<char>(b);
                text[length - 1 - at] = static_cast<char>(255 - b);  // a second byte, mirrored
                out.clear();
                detail::append_json_string(out, text);
                ASSERT_EQ(out, by_hand(text)) << "length " << length << ", byte " << b << " at " << at;
                ++checked;
            }
    }
    EXPECT_EQ(checked, 256 * (24 * 25 / 2));
    // The bytes next to the ones escaped, as a word test could miss them: 0x1f, 0x20, '!', '#',
    // '[', ']' and bytes of UTF-8.
    std::string out;
    detail::append_json_string(out, "\x1f !#[]\"\\\x7f\xe7\x8e\x8b\x20\x1f\x21\x22");
    EXPECT_EQ(out, "\"\\u001f !#[]\\\"\\\\\x7f\xe7\x8e\x8b \\u001f!\\\"\"");
}

TEST(LedgerHash, NegativeAmountsInCanonicalForm) {
    const std::vector<ledger_entry> v = chain();
    EXPECT_NE(canonical_form(v[2]).find(R"("amount":-2000,"at":"2025-07-01T03:00:00Z","balance":50,)"), std::string::npos);
    EXPECT_NE(canonical_form(v[3]).find(R"("reverses":"e-0102")"), std::string::npos);
}

// ---------------------------------------------------------------- verify_chain

TEST(LedgerChain, IntactChainVerifies) {
    const std::vector<ledger_entry> v = chain();
    EXPECT_FALSE(verify_chain(v).has_value());
    EXPECT_FALSE(verify_chain({}).has_value());
    EXPECT_FALSE(verify_chain({enrol_entry()}).has_value());
    EXPECT_EQ(v[0].prev_hash.hex(), zeros);
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_EQ(v[i].prev_hash, v[i - 1].hash);
    // It survives the trip through JSON lines.
    EXPECT_FALSE(verify_chain(io::load_ledger(io::ledger_to_jsonl(v))).has_value());
}

TEST(LedgerChain, TamperedAmountDetected) {
    std::vector<ledger_entry> v = chain();
    v[2].amount = points(-1000);  // the adjustment took less than it did
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 3);
    EXPECT_EQ(broken->problem, "hash does not match the entry's content");
}

TEST(LedgerChain, TamperedAndRehashedEntryBreaksTheNextLink) {
    std::vector<ledger_entry> v = chain();
    v[2].amount = points(-1000);
    v[2].balance = points(1050);
    v[2].hash = entry_hash(v[2]);  // the forger recomputes the entry's own hash
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 4);
    EXPECT_EQ(broken->problem, "prev_hash does not match the previous entry's hash");
}

TEST(LedgerChain, DeletedEntryDetected) {
    std::vector<ledger_entry> v = chain();
    v.erase(v.begin() + 1);
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 3);  // seq 3 where 2 was expected
    EXPECT_EQ(broken->problem, "sequence 3 where 2 was expected (entry missing or moved)");
    // Deleting the last entry cannot be seen in the chain alone (the ledger-vs-journal
    // replay in audit/verify.hpp catches it); deleting the first can.
    std::vector<ledger_entry> first = chain();
    first.erase(first.begin());
    ASSERT_TRUE(verify_chain(first).has_value());
    EXPECT_EQ(verify_chain(first)->seq, 2);
}

TEST(LedgerChain, ReorderedEntryDetected) {
    std::vector<ledger_entry> v = chain();
    std::swap(v[2], v[3]);
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 4);
    // Renumbering the swapped entries does not help: their hashes no longer match.
    v[2].seq = 3;
    v[3].seq = 4;
    const auto renumbered = verify_chain(v);
    ASSERT_TRUE(renumbered.has_value());
    EXPECT_EQ(renumbered->seq, 3);
}

TEST(LedgerChain, BrokenPrevHashDetected) {
    std::vector<ledger_entry> v = chain();
    v[3].prev_hash = sha256_digest::from_hex(std::string(64, 'f')).value();
    v[3].hash = entry_hash(v[3]);
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 4);
    EXPECT_EQ(broken->problem, "prev_hash does not match the previous entry's hash");
    // The first entry must start from 64 zeros.
    std::vector<ledger_entry> g = chain();
    g[0].prev_hash = sha256_digest::from_hex(std::string(64, '1')).value();
    g[0].hash = entry_hash(g[0]);
    ASSERT_TRUE(verify_chain(g).has_value());
    EXPECT_EQ(verify_chain(g)->seq, 1);
}

TEST(LedgerChain, WrongRunningBalanceDetected) {
    std::vector<ledger_entry> v = chain();
    v[4].balance = points(301);  // 0 + 300 is 300
    seal(v);                     // even with every hash consistent
    const auto broken = verify_chain(v);
    ASSERT_TRUE(broken.has_value());
    EXPECT_EQ(broken->seq, 5);
    EXPECT_EQ(broken->problem, "balance is not the running sum of amounts");
}

TEST(LedgerChain, ReferenceJournalLedgerVerifiesPerMember) {
    const program p = test::reference_program();
    const std::vector<event> journal = io::load_journal_file(
        std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", p.currency_unit);
    const journal_runner run = replay(program_versions(p), journal);
    ASSERT_FALSE(run.entries().empty());
    const std::vector<ledger_entry> back = io::load_ledger(io::ledger_to_jsonl(run.entries()));
    EXPECT_EQ(back, run.entries());
    for (const auto& member : run.members()) {
        const std::vector<ledger_entry> mine = run.entries_of(member.first);
        EXPECT_FALSE(verify_chain(mine).has_value()) << member.first;
        EXPECT_EQ(mine.back().balance, member.second.balance()) << member.first;
    }
}

// A runner given a sink keeps no ledger: the sink sees every entry a keeping runner keeps, in
// the same order (an event posting to two members hands both members' entries over at once),
// and the members' states end the same.
TEST(LedgerChain, ARunnerWithASinkStreamsTheSameEntriesAndKeepsNone) {
    const program p = test::reference_program();
    const std::vector<event> journal = io::load_journal_file(
        std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", p.currency_unit);
    const journal_runner kept = replay(program_versions(p), journal);
    std::vector<ledger_entry> streamed;
    std::size_t handed = 0, two_members = 0;
    journal_runner streaming(program_versions(p), [&](const std::vector<ledger_entry>& entries) {
        ++handed;
        for (const ledger_entry& e : entries)
            if (e.member != entries.front().member) {
                ++two_members;
                break;
            }
        streamed.insert(streamed.end(), entries.begin(), entries.end());
    });
    std::size_t in_outcomes = 0;  // outcomes still carry their entries
    for (const event& e : journal) in_outcomes += streaming.apply(e).entries.size();
    EXPECT_TRUE(streaming.entries().empty());
    EXPECT_EQ(in_outcomes, streamed.size());
    EXPECT_EQ(streamed, kept.entries());
    // Once per accepted event: the journal less the events the runner refused.
    EXPECT_EQ(handed, journal.size() - kept.refusals().size());
    EXPECT_GE(two_members, 1u);  // the sample journal has a referral paying its referrer
    EXPECT_EQ(streaming.members(), kept.members());
}

}  // namespace

}  // namespace unit_ledger_json
