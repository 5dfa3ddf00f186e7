// The two readers of a ledger line agree: load_ledger (simdjson, the volume path of `audit
// verify`) and entry_from_json(parse_exact(line)) (nlohmann, the reference) give the same entry,
// or the same error (id, pointer and message), on every line of the ledger of a generated
// journal and of the example journals, on hand-written odd lines and on every truncation and
// many one-byte changes of an earn entry with figures. The generated ledger is read by the
// simdjson tape itself, not handed to parse_exact (json_tape.hpp declines only odd text), so the
// fast path is the one compared.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/engine/journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "readers_support.hpp"
#include "test_support.hpp"

namespace unit_ledger_readers {

using namespace loyalty;

// "entry {...}" or "error id (pointer) message": the line an error names is the reader's to add.
std::string outcome(const std::function<ledger_entry()>& read) {
    try {
        return "entry " + io::entry_to_json(read()).dump();
    } catch (const error& e) {
        return "error " + e.id() + " (" + e.pointer() + ") " + e.message();
    }
}

std::string with_simdjson(const std::string& line) {
    return outcome([&] {
        const std::vector<ledger_entry> read = io::load_ledger(line);
        if (read.size() != 1) throw error("test.not_one_entry", std::to_string(read.size()) + " entries");
        return read.front();
    });
}

// The reference: parse_exact's errors are loyalty.json.*, a ledger's say loyalty.ledger.*.
std::string with_parse_exact(const std::string& line) {
    return outcome([&] {
        return test::with_parse_exact_in(line, "loyalty.ledger", [](const io::json& j) { return io::entry_from_json(j); });
    });
}

using test::read_by_the_tape;

#define EXPECT_SAME_READING(line) EXPECT_EQ(with_simdjson(line), with_parse_exact(line)) << "line: " << (line)

std::vector<std::string> ledger_lines(const std::vector<event>& journal, const program& p) {
    journal_runner run{program_versions(p)};
    for (const event& e : journal) run.apply(e);
    std::vector<std::string> lines;
    for (const ledger_entry& e : run.entries()) {
        std::string line;
        io::append_ledger_line(line, e);
        line.pop_back();  // the '\n'
        lines.push_back(line);
    }
    return lines;
}

TEST(LedgerReaders, AgreeOnEveryLineOfTheLedgerOfAGeneratedJournal) {
    // 40 members over 5 years, with rewards: every entry kind the reference programme writes.
    const std::filesystem::path out = std::filesystem::temp_directory_path() / "loyalty-ledger-readers-journal.jsonl";
    const std::string command = "/usr/bin/python3 " LOYALTY_SOURCE_DIR "/scripts/generate_journal.py --members 40 "
                                "--years 5 --seed 21 --rewards -o '" + out.string() + "'";
    ASSERT_EQ(std::system((command + " >/dev/null").c_str()), 0) << command;
    const program p = test::reference_program();
    const std::vector<event> journal = io::load_journal_file(out.string(), p.currency_unit);
    std::filesystem::remove(out);
    std::vector<std::string> lines = ledger_lines(journal, p);
    for (const std::string& line : ledger_lines(io::load_journal_file(LOYALTY_SOURCE_DIR "/examples/events/4s-club-2025-2026.jsonl",
                                                                      p.currency_unit),
                                                p))
        lines.push_back(line);
    ASSERT_GT(lines.size(), 3000u);
    std::size_t declined = 0, with_figures = 0, with_money = 0;
    for (const std::string& line : lines) {
        const std::string fast = with_simdjson(line);
        ASSERT_EQ(fast.rfind("entry ", 0), 0u) << fast;
        ASSERT_EQ(fast, with_parse_exact(line)) << "line: " << line;
        EXPECT_EQ(fast, "entry " + line);  // and the entry read writes the line again
        if (!read_by_the_tape(line)) ++declined;
        if (line.find("\"figures\"") != std::string::npos) ++with_figures;
        if (line.find("\"money\"") != std::string::npos) ++with_money;
    }
    EXPECT_EQ(declined, 0u) << "ledger lines the simdjson tape handed to parse_exact";
    EXPECT_GT(with_figures, 100u);
    EXPECT_GT(with_money, 0u);
}

// An earn entry with every optional field: figures (cap, carried, per), funder, money, store.
const std::string earn_line =
    R"({"amount":2050,"at":"2025-06-15T08:00:00Z","balance":2050,"event":"e-0102","expires":"2027-07-01",)"
    R"("figures":{"base":"2050.00","cap":2050,"carried":"0.25","factors":["1","1.5"],"per":"7.00","rounded":3075,"rounding":"down"},)"
    R"("funder":"oem","hash":"abababababababababababababababababababababababababababababababab","kind")"
    R"(:"earn","lot":"e-0102/service-spend","member":"M002","money":"60.00 CNY",)"
    R"("prev_hash":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",)"
    R"("program":"4s-club","reason":"2050.00 CNY x 1","reverses":"","rule":"service-spend","seq":2,)"
    R"("store":"SH-01","version":1})";

TEST(LedgerReaders, AgreeOnHandWrittenOddLines) {
    const auto with = [](const std::string& from, const std::string& to) {
        std::string line = earn_line;
        const std::size_t at = line.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return line.replace(at, from.size(), to);
    };
    const std::vector<std::string> lines = {
        earn_line,
        // optional fields present but null or empty, absent
        with(R"("money":"60.00 CNY",)", R"("money":null,)"),
        with(R"("money":"60.00 CNY",)", R"("money":"",)"),
        with(R"("money":"60.00 CNY",)", ""),
        with(R"("funder":"oem",)", R"("funder":"",)"),
        with(R"("funder":"oem",)", R"("funder":null,)"),
        with(R"("store":"SH-01",)", R"("store":"",)"),
        with(R"("lot":"e-0102/service-spend",)", R"("lot":null,)"),
        with(R"("reason":"2050.00 CNY x 1",)", ""),
        with(R"("figures":{)", R"("figures":null,"x":{)"),
        // figures: spellings refused, wrong types, too many factors, null cap
        with(R"("base":"2050.00")", R"("base":"+2050.00")"),
        with(R"("base":"2050.00")", R"("base":2050)"),
        with(R"("factors":["1","1.5"])", R"("factors":["1","1.50"])"),
        with(R"("factors":["1","1.5"])", R"("factors":["1",1.5])"),
        with(R"("factors":["1","1.5"])", R"("factors":"1")"),
        with(R"("factors":["1","1.5"])", R"("factors":[])"),
        with(R"("factors":["1","1.5"])", R"("factors":["1","2","3","4","5","6","7","8","9","10","11","12"])"),
        with(R"("cap":2050,)", R"("cap":null,)"),
        with(R"("carried":"0.25",)", R"("carried":"0.250",)"),
        with(R"("carried":"0.25",)", R"("carried":null,)"),
        with(R"("per":"7.00",)", R"("per":"0",)"),
        with(R"("per":"7.00",)", R"("per":"7",)"),
        with(R"("rounding":"down")", R"("rounding":"nearest")"),
        with(R"("rounded":3075,)", R"("rounded":3075.0,)"),
        with(R"("rounded":3075,)", ""),
        with(R"("rounding":"down")", R"("rounding":"down","exact":"1")"),
        // entry fields: times, kinds, days, integers, unknown and misspelt keys
        with(R"("at":"2025-06-15T08:00:00Z")", R"("at":"2025-06-15T16:00:00+08:00")"),
        with(R"("at":"2025-06-15T08:00:00Z")", R"("at":"yesterday")"),
        with(R"("kind":"earn")", R"("kind":"earned")"),
        with(R"("expires":"2027-07-01")", R"("expires":"2027-7-1")"),
        with(R"("expires":"2027-07-01")", R"("expires":"")"),
        with(R"("seq":2,)", R"("seq":9223372036854775808,)"),
        with(R"("seq":2,)", R"("seq":"2",)"),
        with(R"("seq":2,)", R"("sqe":2,)"),
        with(R"("amount":2050,)", R"("amount":2050,"zz":1,"aa":null,)"),
        with(R"("member":"M002",)", R"("member":"",)"),
        with(R"("member":"M002",)", R"("member":"M\u0000\"\\\/\n",)"),
        with(R"("member":"M002",)", "\"member\":\"\xff\","),
        // debt_paid: a settle_debt entry's, above 0, an integer
        with(R"("kind":"earn")", R"("kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":100,"kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":100,"kind":"earn")"),
        with(R"("kind":"earn")", R"("debt_paid":0,"kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":-5,"kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":"100","kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":null,"kind":"settle_debt")"),
        with(R"("kind":"earn")", R"("debt_paid":1.5,"kind":"settle_debt")"),
        // format 5: "format" and the reason's arguments, each only when not its default
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","count":2,"sources":[["rate",0],["tier",1]]},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"capped_per_event":true,"code":"earned","on":"2027-07-01","period_used":0},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned"},)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned"},"format":4,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned"},"format":"5",)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":[],"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":null,"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earnt"},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","count":0},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","count":1.5},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","note":""},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","on":"2027-7-1"},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","sources":[["rate"]]},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","sources":[["rate",-1]]},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","sources":[[0,"rate"]]},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","sources":[]},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","capped_per_event":1},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","type":"repair_order"},"format":5,)"),
        with(R"("amount":2050,)", R"("amount":2050,"args":{"code":"earned","base":"bonus","type":"survey","why":1},"format":5,)"),
        // uses: a benefit_use or benefit_return entry's, 0 or more, an integer
        with(R"("kind":"earn")", R"("kind":"benefit_use","uses":1)"),
        with(R"("kind":"earn")", R"("kind":"benefit_return","uses":0)"),
        with(R"("kind":"earn")", R"("kind":"earn","uses":1)"),
        with(R"("kind":"earn")", R"("kind":"benefit_use","uses":-1)"),
        with(R"("kind":"earn")", R"("kind":"benefit_use","uses":"1")"),
        with(R"("kind":"earn")", R"("kind":"benefit_use","uses":null)"),
        with(R"("kind":"earn")", R"("kind":"benefit_use","uses":1.5)"),
        // hashes: 64 lower-case hex digits, the one spelling written
        with(R"("hash":"abab)", R"("hash":"ABab)"),
        with(R"("hash":"abab)", R"("hash":"ab)"),
        with(R"("hash":"abab)", R"("hash":"abababab)"),
        with(R"("prev_hash":"cdcd)", R"("prev_hash":"zzcd)"),
        with(R"("prev_hash":"cdcd)", R"("prev_hash":null,"x":"cd)"),
        with(R"("hash":"abab)", R"("hash":2,"x":"ab)"),
        // structure: duplicate keys, truncated, trailing text, not an object
        with(R"("seq":2,)", R"("seq":2,"seq":2,)"),
        with(R"("rounded":3075,)", R"("rounded":3075,"rounded":3075,)"),
        earn_line.substr(0, earn_line.size() - 1),
        earn_line + " x",
        earn_line + "}",
        "[" + earn_line + "]",
        "{}",
        "null",
        "\xef\xbb\xbf" + earn_line,
    };
    for (const std::string& line : lines) EXPECT_SAME_READING(line);
    // What the debt_paid lines read as, by hand.
    EXPECT_EQ(with_simdjson(with(R"("kind":"earn")", R"("debt_paid":100,"kind":"earn")")),
              "error loyalty.ledger.invalid_debt_paid (/debt_paid) debt_paid is a settle_debt entry's field; this "
              "entry's kind is 'earn'");
    EXPECT_EQ(with_simdjson(with(R"("kind":"earn")", R"("debt_paid":0,"kind":"settle_debt")")),
              "error loyalty.ledger.invalid_debt_paid (/debt_paid) debt_paid is above 0");
    EXPECT_EQ(with_simdjson(with(R"("kind":"earn")", R"("kind":"earn","uses":1)")),
              "error loyalty.ledger.invalid_uses (/uses) uses is a benefit_use or benefit_return entry's field; this "
              "entry's kind is 'earn'");
    EXPECT_EQ(with_simdjson(with(R"("kind":"earn")", R"("kind":"benefit_use","uses":-1)")),
              "error loyalty.ledger.invalid_uses (/uses) uses is 0 or more");
    const std::string used = with_simdjson(with(R"("kind":"earn")", R"("kind":"benefit_use","uses":1)"));
    EXPECT_NE(used.find(R"("uses":1)"), std::string::npos) << used;
    std::string upper = "AB";  // the hash with its first byte in upper case
    for (int i = 1; i < 32; ++i) upper += "ab";
    EXPECT_EQ(with_simdjson(with(R"("hash":"abab)", R"("hash":"ABab)")),
              "error loyalty.ledger.invalid_hash (/hash) '" + upper + "' is not 64 lower-case hex digits");
    const std::string settled = with_simdjson(with(R"("kind":"earn")", R"("debt_paid":100,"kind":"settle_debt")"));
    EXPECT_NE(settled.find(R"("balance":2050,"debt_paid":100,"event")"), std::string::npos) << settled;
}

TEST(LedgerReaders, AgreeOnEveryTruncationAndOneByteChangeOfAnEarnEntry) {
    for (std::size_t n = 1; n < earn_line.size(); ++n) EXPECT_SAME_READING(earn_line.substr(0, n));  // "" is no line
    for (std::size_t i = 0; i < earn_line.size(); ++i)
        for (const char c : {'"', '}', ']', ',', '0', '\\', 'e', '\x01', '\xff'}) {
            std::string changed = earn_line;
            changed[i] = c;
            EXPECT_SAME_READING(changed);
        }
}

}  // namespace unit_ledger_readers
