// What the store writes it reads back, byte for byte, on SQLite and PostgreSQL: no string is cut
// on its way in.
#include <string>
#include <vector>

#include "store_support.hpp"

namespace loyalty {
namespace store_stored_text {
namespace {

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

INSTANTIATE_TEST_SUITE_P(backend, stored_text_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_stored_text
}  // namespace loyalty
