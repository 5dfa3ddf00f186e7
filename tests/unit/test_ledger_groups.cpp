// Ledger format 5 (ledger/group_form.hpp, docs/ledger.md "Ledger format 5"): a group's form worked
// byte by byte, one hash per event and member from the engine, the chain checked group by group
// and tampering caught per group, and the format-5 line (its reason arguments) read back exactly.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"

namespace unit_ledger_groups {

namespace {

using namespace loyalty;
using loyalty::test::at;

ledger_entry entry(std::int64_t seq, const std::string& event, entry_kind kind, std::int64_t amount,
                   std::int64_t balance) {
    ledger_entry e;
    e.member = "M1";
    e.seq = seq;
    e.event = event;
    e.at = at("1970-01-02T00:00:00Z");
    e.kind = kind;
    e.amount = points(amount);
    e.balance = points(balance);
    e.program = "p";
    e.version = 1;
    return e;
}

ledger_entry enrol() {
    ledger_entry e = entry(1, "e1", entry_kind::enrol, 0, 0);
    e.reason = "enrolled in p v1";
    e.args = because(reason_code::enrolled);
    return e;
}

// M1: enrolment (e1); an earning of 700 with its figures and a benefit use (e2, one group of two);
// an adjustment (e3).
std::vector<ledger_entry> chain_of_three_groups() {
    std::vector<ledger_entry> v{enrol()};
    ledger_entry earn = entry(2, "e2", entry_kind::earn, 700, 700);
    earn.lot = "e2/r";
    earn.rule = "r";
    earn.expires = "1972-01-01";
    earn.figures = earn_figures{};
    earn.figures->set_base("700.00");
    earn.figures->add_factor(decimal(1, 0));
    earn.figures->rounded = 700;
    earn.args.code = reason_code::earned;
    earn.args.count = 3;
    v.push_back(earn);
    ledger_entry use = entry(3, "e2", entry_kind::benefit_use, 0, 700);
    use.rule = "wash";
    use.uses = 1;
    use.args.code = reason_code::benefit_used;
    use.args.set_reference("RO-1");
    v.push_back(use);
    ledger_entry adjust = entry(4, "e3", entry_kind::adjust, -200, 500);
    adjust.rule = "adjustment";
    adjust.args = because(reason_code::adjusted, "goodwill");
    adjust.args.set_staff("S7");
    v.push_back(adjust);
    test::rechain(v, "M1");
    return v;
}

}  // namespace

// The form of a one-entry group, written out by hand (the same bytes as
// tests/python/test_verify_ledger_format5.py's ENROL_FORM, which scripts/verify_ledger.py builds).
TEST(LedgerGroups, FormOfAnEnrolmentByHand) {
    const std::string expected = std::string("loyalty-ledger-5\n") +  // the tag, 17 bytes
                                 std::string(32, '\0') +              // prev_hash: the genesis, 32 zero bytes
                                 "\x02M1" "\x02" "e1" "\x01p" +      // member, event, programme
                                 std::string("\x02", 1) +             // version 1: zigzag 2
                                 std::string("\x02", 1) +             // seq 1
                                 "\x80\xc6\x0a"                       // at 86,400 s: zigzag 172,800 = 10 x 128^2 + 70 x 128
                                 "\x05" "enrol" +                     // kind
                                 std::string(8, '\0') +               // amount, balance, debt_paid absent, lot "",
                                                                      // expires absent, rule "", reverses "", money ""
                                 std::string(4, '\0') +               // funder "", store "", uses absent, no figures
                                 "\x08" "enrolled" +                  // args: code
                                 std::string(11, '\0') +              // six texts "", figure, count, cash, on, since 0
                                 "\x04" "paid" "\x0c" "repair_order" +  // base, type: their defaults
                                 std::string(3, '\0');                // no sources, not capped, no period_used
    ASSERT_EQ(expected.size(), 121u);
    std::string form;
    ledger_entry e = enrol();
    group_form::begin(form, genesis_hash(), e);
    group_form::add(form, e);
    EXPECT_EQ(form, expected);
    // hashlib.sha256(ENROL_FORM).hexdigest() of the hand-written bytes:
    std::vector<ledger_entry> v{e};
    EXPECT_EQ(seal_group(v.begin(), v.end(), genesis_hash()).hex(),
              "8b888374f74f62659779aef9ca21a08397a4e1732fc435cd6343f4da08a8ca59");
    EXPECT_EQ(v[0].hash.hex(), "8b888374f74f62659779aef9ca21a08397a4e1732fc435cd6343f4da08a8ca59");
}

TEST(LedgerGroups, NumbersAreZigzagLeb128) {
    const auto uint_of = [](std::uint64_t n) {
        std::string out;
        group_form::put_uint(out, n);
        return out;
    };
    const auto int_of = [](std::int64_t n) {
        std::string out;
        group_form::put_int(out, n);
        return out;
    };
    EXPECT_EQ(uint_of(0), std::string(1, '\0'));
    EXPECT_EQ(uint_of(127), "\x7f");
    EXPECT_EQ(uint_of(128), "\x80\x01");
    EXPECT_EQ(uint_of(300), "\xac\x02");
    EXPECT_EQ(int_of(-1), "\x01");
    EXPECT_EQ(int_of(1), "\x02");
    EXPECT_EQ(int_of(-64), "\x7f");
    EXPECT_EQ(int_of(64), "\x80\x01");
    EXPECT_EQ(int_of(INT64_MIN), "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");  // zigzag 2^64 - 1
}

TEST(LedgerGroups, AGroupSharesOneHashAndChainsToTheNext) {
    const std::vector<ledger_entry> v = chain_of_three_groups();
    EXPECT_EQ(v[0].prev_hash, genesis_hash());
    EXPECT_EQ(v[1].hash, v[2].hash);            // e2's two entries: one group
    EXPECT_EQ(v[1].prev_hash, v[2].prev_hash);
    EXPECT_EQ(v[1].prev_hash, v[0].hash);
    EXPECT_EQ(v[3].prev_hash, v[1].hash);
    EXPECT_NE(v[3].hash, v[1].hash);
    EXPECT_FALSE(verify_chain(v).has_value());
}

TEST(LedgerGroups, TamperingIsCaughtPerGroup) {
    {  // an argument of the group's second entry: the group's hash no longer matches
        auto v = chain_of_three_groups();
        v[2].args.set_reference("RO-2");
        const auto broken = verify_chain(v);
        ASSERT_TRUE(broken.has_value());
        EXPECT_EQ(broken->seq, 2);
        EXPECT_EQ(broken->problem, "hash does not match the content of the group of entries 2-3 (event e2)");
    }
    {  // the last group, caught at the end of the chain
        auto v = chain_of_three_groups();
        v[3].args.set_staff("S8");
        const auto broken = verify_chain(v);
        ASSERT_TRUE(broken.has_value());
        EXPECT_EQ(broken->problem, "hash does not match the content of the group of entries 4-4 (event e3)");
    }
    {  // an amount changed with its balances: the hash
        auto v = chain_of_three_groups();
        v[3].amount = points(-100);
        v[3].balance = points(600);
        ASSERT_TRUE(verify_chain(v).has_value());
    }
    {  // an entry moved into another event's group, its hashes copied: named
        auto v = chain_of_three_groups();
        v[2].event = "e9";
        const auto broken = verify_chain(v);
        ASSERT_TRUE(broken.has_value());
        EXPECT_EQ(broken->seq, 3);
        EXPECT_EQ(broken->problem, "an entry of the group of entries from 2 (event e2) names another event, programme or version");
    }
    {  // a group cut in two: the first part's hash is the whole group's, which its content is not
        auto v = chain_of_three_groups();
        v[2].prev_hash = v[1].hash;
        const auto broken = verify_chain(v);
        ASSERT_TRUE(broken.has_value());
        EXPECT_EQ(broken->seq, 2);
    }
    {  // a group's last entry deleted: the next sequence number is missing
        auto v = chain_of_three_groups();
        v.erase(v.begin() + 2);
        const auto broken = verify_chain(v);
        ASSERT_TRUE(broken.has_value());
        EXPECT_EQ(broken->problem, "sequence 4 where 3 was expected (entry missing or moved)");
    }
    {  // re-hashed by a forger: holds again (the anchor, not the chain, catches that)
        auto v = chain_of_three_groups();
        v[2].args.set_reference("RO-2");
        test::rechain(v, "M1");
        EXPECT_FALSE(verify_chain(v).has_value());
    }
    {  // the reason is not hashed: it is rendered from the arguments (audit verify re-renders it)
        auto v = chain_of_three_groups();
        v[1].reason = "anything";
        EXPECT_FALSE(verify_chain(v).has_value());
    }
}

TEST(LedgerGroups, AFormat4EntryAndAFormat5GroupChainTogether) {
    std::vector<ledger_entry> v = chain_of_three_groups();
    v[0].format = 4;  // a chain begun before format 5
    v[0].hash = entry_hash(v[0]);
    test::rechain(v, "M1");
    EXPECT_EQ(v[0].hash, entry_hash(v[0]));
    EXPECT_EQ(v[1].prev_hash, v[0].hash);
    EXPECT_FALSE(verify_chain(v).has_value());
}

TEST(LedgerGroups, TheLineCarriesFormatAndArgumentsAndReadsBack) {
    const std::vector<ledger_entry> v = chain_of_three_groups();
    std::string line;
    io::append_ledger_line(line, v[3]);
    EXPECT_NE(line.find(R"("args":{"code":"adjusted","note":"goodwill","staff":"S7"},"at":)"), std::string::npos) << line;
    EXPECT_NE(line.find(R"(,"format":5,)"), std::string::npos) << line;
    line.clear();
    io::append_ledger_line(line, v[1]);
    EXPECT_NE(line.find(R"("args":{"code":"earned","count":3},)"), std::string::npos) << line;
    const std::string text = io::ledger_to_jsonl(v);
    const std::vector<ledger_entry> back = io::load_ledger(text);
    ASSERT_EQ(back.size(), v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        EXPECT_EQ(back[i], v[i]) << i;
        EXPECT_EQ(back[i].args, v[i].args) << i;
        EXPECT_EQ(io::entry_to_json(v[i]).dump() + "\n", io::ledger_to_jsonl({v[i]})) << i;
    }
    EXPECT_FALSE(verify_chain(back).has_value());
}

TEST(LedgerGroups, EveryArgumentRoundTrips) {
    reason_args a;
    a.code = reason_code::earned;
    a.set_note("n");
    a.set_staff("s");
    a.set_reference("r");
    a.set_counterpart("M2");
    a.set_other_lot("e1/x");
    a.set_text("; not given: y");
    a.figure = points(-5);
    a.count = 2;
    a.cash = 1234;
    a.on = *parse_day("2027-02-01");
    a.since = *parse_day("1969-12-31");
    a.base = earning_base::bonus;
    a.type = event_type::referral;
    a.sources[0] = factor_source{factor_source::kind::rate, 0};
    a.sources[1] = factor_source{factor_source::kind::tier, 2};
    a.capped_per_event = true;
    a.period_used = points(0);
    const io::json j = io::args_to_json(a);
    EXPECT_EQ(j.dump(),
              R"({"base":"bonus","capped_per_event":true,"cash":1234,"code":"earned","count":2,"counterpart":"M2",)"
              R"("figure":-5,"note":"n","on":"2027-02-01","other_lot":"e1/x","period_used":0,"reference":"r",)"
              R"("since":"1969-12-31","sources":[["rate",0],["tier",2]],"staff":"s","text":"; not given: y",)"
              R"("type":"referral"})");
    EXPECT_EQ(io::args_from_json(j), a);
    // The fast writer writes the same text.
    ledger_entry e = enrol();
    e.args = a;
    std::string line;
    io::append_ledger_line(line, e);
    EXPECT_NE(line.find(R"("args":)" + j.dump() + R"(,"at":)"), std::string::npos) << line;
}

TEST(LedgerGroups, ArgumentsAreReadOnlyAsWritten) {
    const auto refused = [](const std::string& args) {
        try {
            io::args_from_json(io::parse_exact(args), "/args");
        } catch (const error& x) {
            return std::string(x.id()) + " " + x.pointer();
        }
        return std::string("read");
    };
    EXPECT_EQ(refused(R"({"code":"earned"})"), "read");
    EXPECT_EQ(refused(R"({})"), "read");  // an entry made without arguments
    EXPECT_EQ(refused(R"({"code":"earned","count":0})"), "loyalty.ledger.noncanonical_args /args/count");
    EXPECT_EQ(refused(R"({"code":"earned","base":"paid"})"), "loyalty.ledger.noncanonical_args /args/base");
    EXPECT_EQ(refused(R"({"code":"earned","on":"1970-01-01"})"), "loyalty.ledger.noncanonical_args /args/on");
    EXPECT_EQ(refused(R"({"code":"earned","sources":[["rate",0]]})"), "loyalty.ledger.noncanonical_args /args/sources");
    EXPECT_EQ(refused(R"({"code":"earned","capped_per_event":false})"),
              "loyalty.ledger.noncanonical_args /args/capped_per_event");
    EXPECT_EQ(refused(R"({"code":"spoke"})"), "loyalty.ledger.invalid_args /args/code");
    EXPECT_EQ(refused(R"({"code":"earned","sources":[["bonus",0]]})"), "loyalty.ledger.invalid_args /args/sources/0");
    EXPECT_EQ(refused(R"({"code":"earned","note":""})"), "loyalty.ledger.empty_string /args/note");
    EXPECT_EQ(refused(R"({"code":"earned","why":"x"})"), "loyalty.ledger.unknown_key /args/why");

    // A line of another format, and a format-4 line with arguments.
    const std::vector<ledger_entry> v = chain_of_three_groups();
    std::string line;
    io::append_ledger_line(line, v[0]);
    std::string six = line;
    six.replace(six.find("\"format\":5"), 10, "\"format\":6");
    try {
        io::load_ledger(six);
        ADD_FAILURE() << "format 6 read";
    } catch (const error& x) {
        EXPECT_EQ(x.id(), "loyalty.ledger.unknown_format");
        EXPECT_EQ(x.pointer(), "/format");
    }
    std::string four = line;
    four.erase(four.find(",\"format\":5"), 11);
    try {
        io::load_ledger(four);
        ADD_FAILURE() << "a format-4 line with args read";
    } catch (const error& x) {
        EXPECT_EQ(x.id(), "loyalty.ledger.unknown_key");
        EXPECT_EQ(x.pointer(), "/args");
    }
}

// The form is written with no check of room: the bound must hold for the longest entry. Every
// number at its longest (INT64_MIN: ten bytes), every name at its longest, every decimal at its
// longest (a sign, 19 digits, a point), eight factors and eight sources, and long texts.
TEST(LedgerGroups, TheBoundHoldsForTheLongestEntry) {
    ledger_entry e = enrol();
    const std::string text(300, 'x');
    e.seq = e.version = INT64_MIN;
    e.at = instant(std::chrono::seconds(INT64_MIN / 2));
    e.kind = entry_kind::vehicle_transfer;
    e.amount = e.balance = points(INT64_MIN);
    e.debt_paid = points(INT64_MIN);
    e.uses = INT64_MIN;
    e.lot = e.rule = e.reverses = e.money = e.funder = e.store = text;
    e.expires = "9999-12-31";
    earn_figures f;
    f.base = INT64_MIN + 1;
    f.base_scale = 18;
    for (std::size_t i = 0; i < earn_figures::max_factors; ++i) ASSERT_TRUE(f.add_factor(decimal(INT64_MIN + 1, 18)));
    f.mode = rounding::toward_zero;
    f.per = INT64_MAX;
    f.per_scale = 18;
    f.carried = decimal(INT64_MIN + 1, 18);
    f.rounded = INT64_MIN;
    f.cap = points(INT64_MIN);
    e.figures = f;
    reason_args& a = e.args;
    a.code = reason_code::voucher_line_given_back;
    a.set_note(text), a.set_staff(text), a.set_reference(text), a.set_counterpart(text), a.set_other_lot(text);
    a.set_text(text);
    a.figure = points(INT64_MIN);
    a.count = a.cash = INT64_MIN;
    a.on = a.since = day(date::days(INT32_MIN / 2));
    a.base = earning_base::vehicle_price;
    a.type = event_type::cancel_redemption;
    for (factor_source& source : a.sources) source = factor_source{factor_source::kind::multiplier, 0xffff};
    a.capped_per_event = true;
    a.period_used = points(INT64_MIN);
    std::string form;
    group_form::add(form, e);  // writes within entry_bound(e), then keeps what it wrote
    EXPECT_LE(form.size(), group_form::entry_bound(e));
    EXPECT_GT(form.size(), 12 * text.size());
}

// The engine writes one hash per accepted event and member: a member's entries of one event
// share their hash, and a replay's ledger verifies group by group.
TEST(LedgerGroups, TheEngineHashesEachEventOnceForEachMember) {
    const program p = test::reference_program();
    const std::vector<event> journal = io::load_journal_file(
        std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", p.currency_unit);
    const journal_runner run = replay(program_versions(p), journal);
    ASSERT_FALSE(run.entries().empty());
    std::size_t groups = 0, multi = 0;
    for (const auto& [member, entries] : by_member(run.entries())) {
        EXPECT_FALSE(verify_chain(entries).has_value()) << member;
        for (std::size_t i = 0; i < entries.size(); ++i) {
            EXPECT_EQ(entries[i].format, 5);
            const bool continues = i > 0 && entries[i].prev_hash == entries[i - 1].prev_hash;
            if (continues) {
                EXPECT_EQ(entries[i].hash, entries[i - 1].hash);
                EXPECT_EQ(entries[i].event, entries[i - 1].event);
                ++multi;
            } else {
                ++groups;
                if (i > 0) {
                    EXPECT_EQ(entries[i].prev_hash, entries[i - 1].hash);
                }
            }
        }
    }
    EXPECT_GT(multi, 0u);  // events that wrote more than one entry for a member
    EXPECT_LT(groups, run.entries().size());
}

}  // namespace unit_ledger_groups
