// What the store writes it reads back, byte for byte, on SQLite and PostgreSQL: no string is cut
// on its way in, no instant the loader accepts makes a snapshot unreadable, and text that is
// not UTF-8 when read back is reported as loyalty.store.corrupt.
#include <string>
#include <vector>

#include "store_support.hpp"

namespace loyalty {
namespace store_stored_text {
namespace {

using test::adjust_of;
using test::club;
using test::enrol_of;
using test::error_id;

class stored_text_test : public test::store_test {};

// libpq took parameters as C strings, so an id "e-7\0x" was stored as "e-7" and the genuine
// "e-7" was then dropped as a duplicate. The loader refuses control characters in names; a C++
// caller that builds such an event itself gets an error from the store on both backends
// (PostgreSQL text cannot hold a NUL), nothing of its batch is stored, and "e-7" stays free.
TEST_P(stored_text_test, ANulByteNeverCutsAName) {
    auto db = store::store::open(url(), club());
    event cut = enrol_of("e-7", "M1", "2026-01-05T10:00:00Z");
    cut.id = std::string("e-7\0x", 5);
    EXPECT_EQ(error_id([&] { db->append({cut}); }), "loyalty.store.invalid_text");
    event cut_member = enrol_of("e-8", "M2", "2026-01-05T10:00:00Z");
    cut_member.member = std::string("M2\0evil", 7);
    EXPECT_EQ(error_id([&] { db->append({cut_member}); }), "loyalty.store.invalid_text");
    EXPECT_EQ(db->event_count(), 0u);

    const auto genuine = db->append({enrol_of("e-7", "M1", "2026-01-05T10:00:00Z"), enrol_of("e-8", "M2", "2026-01-05T10:00:00Z")});
    EXPECT_EQ(genuine.accepted, 2u);
    EXPECT_EQ(db->event_count(), 2u);
    ASSERT_TRUE(db->event_by_id("e-7"));
    EXPECT_EQ(db->event_by_id("e-7")->member, "M1");
    EXPECT_TRUE(db->member("M2"));
    EXPECT_TRUE(db->verify().ok());
}

// Text with an invalid UTF-8 byte read back from the store (a damaged row, or one edited by
// hand) was handed on as it was, and the JSON library threw its own exception where the ledger
// was written out. Every text read is checked: loyalty.store.corrupt. PostgreSQL (a UTF8
// database) refuses such bytes itself, so the rows are damaged on SQLite only.
// The check every stored text passes: RFC 3629, with its ASCII fast path (eight bytes at a
// time) crossing into and out of multi-byte characters at every offset.
TEST(StoredTextCheck, Utf8AsRfc3629SaysAtEveryOffset) {
    using store::detail::is_utf8;
    const std::vector<std::string> good = {"\xC2\x80", "\xE4\xB8\xAD", "\xED\x9F\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"};
    const std::vector<std::string> bad = {"\x80",         "\xC0\xAF",         "\xC1\xBF",     "\xE0\x80\xAF",
                                          "\xED\xA0\x80",   "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xE4\xB8",
                                          "\xE4\x41\xAD",   "\xFF"};
    for (std::size_t before = 0; before <= 17; ++before)
        for (std::size_t after = 0; after <= 9; after += 3) {
            const std::string a(before, 'a'), z(after, 'z');
            for (const std::string& g : good) EXPECT_TRUE(is_utf8(a + g + z)) << before << "+" << after;
            for (const std::string& b : bad) EXPECT_FALSE(is_utf8(a + b + z)) << before << "+" << after;
        }
    EXPECT_TRUE(is_utf8(""));
    EXPECT_TRUE(is_utf8(std::string(64, 'x')));
}

TEST_P(stored_text_test, InvalidUtf8ReadBackIsCorrupt) {
    const std::string u = url();
    // PostgreSQL keeps personal data only encrypted; on SQLite the plain row is what is damaged below.
    auto db = store::store::open(u, club(), GetParam() == "postgresql" ? test::with_key_file() : store::options{});
    db->append({enrol_of("c-1", "M1", "2026-01-05T10:00:00Z"), adjust_of("c-2", "M1", "2026-01-06T10:00:00Z", 25),
                adjust_of("c-3", "M9", "2026-01-06T11:00:00Z", 5)});  // refused: M9 never enrolled
    // Text of 1-, 2-, 3- and 4-byte characters is written and read back as it is.
    const store::personal_data wang{"Wang Fang \u738b\u82b3 \u00dcnal \U0001F697", "+86 138 0000 0000", std::nullopt};
    db->put_personal("M1", wang);
    EXPECT_EQ(db->personal("M1"), wang);
    auto raw = store::detail::connect(u, std::chrono::milliseconds(5000));
    if (GetParam() == "postgresql") {
        EXPECT_EQ(error_id([&] { raw->exec("UPDATE entries SET reason = convert_from('\\xc328'::bytea, 'UTF8')"); }),
                  "loyalty.store.sql_error");
        EXPECT_TRUE(db->verify().ok());
        return;
    }
    // 0xC3 0x28: a lead byte without its continuation byte.
    raw->exec("UPDATE entries SET reason = CAST(X'C328' AS TEXT) WHERE member = 'M1' AND seq = 3");
    EXPECT_EQ(error_id([&] { db->ledger(); }), "loyalty.store.corrupt");
    EXPECT_EQ(error_id([&] { db->ledger_of("M1"); }), "loyalty.store.corrupt");
    EXPECT_EQ(error_id([&] { db->ledger_between(test::at("2026-01-01T00:00:00Z"), test::at("2027-01-01T00:00:00Z")); }),
              "loyalty.store.corrupt");
    EXPECT_EQ(error_id([&] { db->verify(); }), "loyalty.store.corrupt");
    raw->exec("UPDATE refusals SET message = CAST(X'FF' AS TEXT)");
    EXPECT_EQ(error_id([&] { db->refusals(); }), "loyalty.store.corrupt");
    raw->exec("UPDATE personal SET name = CAST(X'E282' AS TEXT)");  // cut short
    EXPECT_EQ(error_id([&] { db->personal("M1"); }), "loyalty.store.corrupt");
    raw->exec("UPDATE events SET body = CAST(X'7B22C0AF' AS TEXT) WHERE id = 'c-2'");  // an overlong '/'
    EXPECT_EQ(error_id([&] { db->journal(); }), "loyalty.store.corrupt");
    raw->exec("UPDATE snapshots SET state = CAST(X'EDA080' AS TEXT)");  // a UTF-16 surrogate
    EXPECT_EQ(error_id([&] { db->member("M1"); }), "loyalty.store.corrupt");
    // A new connection (this one would reuse the state it cached, the revision being unchanged).
    EXPECT_EQ(error_id([&] { store::store::open(u, club())->append({adjust_of("c-4", "M1", "2026-01-07T10:00:00Z", 1)}); }),
              "loyalty.store.corrupt");
}

// An enrolment dated 9999-12-31 was accepted, its lots expired in 10002, and the member's
// snapshot could no longer be read (store.corrupt for every later batch). The loader refuses
// it now; at the last instant it accepts, the lots (expiring in 2202) are kept and read back.
TEST_P(stored_text_test, TheLastSupportedInstantIsKeptAndReadBack) {
    EXPECT_EQ(error_id([] { enrol_of("y-0", "M0", "9999-12-31T00:00:00Z"); }), "loyalty.event.out_of_range");
    const std::string u = url();
    const auto first = store::store::open(u, club())->append({enrol_of("y-1", "M1", "2199-12-31T23:59:59Z")});
    ASSERT_EQ(first.accepted, 1u);
    auto db = store::store::open(u, club());  // reads the snapshot the first connection wrote
    const auto later = db->append({adjust_of("y-2", "M1", "2199-12-31T23:59:59Z", 40)});
    ASSERT_EQ(later.accepted, 1u);
    const auto m = db->member("M1");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->balance(), points(540));
    ASSERT_FALSE(m->lots.empty());
    ASSERT_TRUE(m->lots.front().expires_on);
    // Earned on 2200-01-01 in Shanghai; 24 months to the end of January 2202: gone at 00:00 on 1 February.
    EXPECT_EQ(format_day(*m->lots.front().expires_on), "2202-02-01");
    EXPECT_TRUE(db->verify().ok());
}

INSTANTIATE_TEST_SUITE_P(backend, stored_text_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_stored_text
}  // namespace loyalty
