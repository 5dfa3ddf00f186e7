// Personal data under per-member keys (issue 20, defect 9), on SQLite and PostgreSQL: with a key
// file, the database never holds a name, phone or birthday in plain text, and erasing a member
// deletes the key, so no copy of the row (PostgreSQL's dead rows and WAL, a backup) can be read
// again; the key file itself keeps no byte of an erased key.
#include <unistd.h>

#include <string>
#include <vector>

#include "store_support.hpp"

namespace loyalty {
namespace store_personal {
namespace {

using test::club;
using test::enrol_of;
using test::error_id;

class personal_test : public test::store_test {
protected:
    std::unique_ptr<store::detail::connection> raw(const std::string& u) {
        return store::detail::connect(u, std::chrono::milliseconds(5000));
    }
};

// The files of the database behind `u`: the SQLite file with its -wal, -shm and -journal, or the
// whole data directory of the PostgreSQL server (its WAL included), flushed by a checkpoint.
std::vector<std::string> database_files(const std::string& u, store::detail::connection& db) {
    if (u.rfind("sqlite:", 0) == 0) return test::sqlite_files(u.substr(7));
    db.exec("CHECKPOINT");
    return {store::detail::as_text(db.query("SHOW data_directory", {}).at(0).at(0))};
}

std::string key_file_of(const store::options& o) { return o.personal_keys.substr(7); }

TEST_P(personal_test, TheDatabaseNeverHoldsPersonalDataInPlainText) {
    const std::string u = url();
    const store::options keyed = test::with_key_file();
    auto db = store::store::open(u, club(), keyed);
    const std::string member = "Shred-Member-" + std::to_string(::getpid());
    const std::string name = "Qian-Shredded-" + std::to_string(::getpid());
    db->append({enrol_of("p-1", member, "2026-01-05T10:00:00Z")});
    const store::personal_data qian{name, "+86 137 5555 0199", test::on("1990-04-12")};
    db->put_personal(member, qian);
    EXPECT_EQ(db->personal(member), qian);
    EXPECT_EQ(store::store::open(u, club(), keyed)->personal(member), qian);  // another connection, the same key file

    const auto r = raw(u);
    const auto row = r->query("SELECT name, phone, birthday, sealed FROM personal WHERE member = ?", {member});
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(store::detail::as_text(row[0][0]), "");
    EXPECT_EQ(store::detail::as_text(row[0][1]), "");
    EXPECT_TRUE(store::detail::is_null(row[0][2]));
    EXPECT_EQ(store::detail::as_text(row[0][3]).rfind("v1:", 0), 0u);
    const std::vector<std::string> files = database_files(u, *r);
    ASSERT_FALSE(test::files_holding(files, member).empty()) << "the scan sees what the database holds";
    EXPECT_EQ(test::files_holding(files, name), std::vector<std::string>{});
    EXPECT_EQ(test::files_holding(files, "5555 0199"), std::vector<std::string>{});
}

TEST_P(personal_test, AnErasedMemberCannotBeReadFromAnyCopy) {
    const std::string u = url();
    const store::options keyed = test::with_key_file();
    auto db = store::store::open(u, club(), keyed);
    db->append({enrol_of("p-1", "M1", "2026-01-05T10:00:00Z")});
    db->put_personal("M1", {"Zhao Lei", "+86 139 0000 0002", std::nullopt});
    const auto r = raw(u);
    const std::string backup = store::detail::as_text(r->query("SELECT sealed FROM personal WHERE member = 'M1'", {}).at(0).at(0));
    auto keys = store::detail::connect_sqlite(key_file_of(keyed), std::chrono::milliseconds(5000));
    const std::string key = store::detail::as_text(keys->query("SELECT key FROM personal_keys WHERE member = 'M1'", {}).at(0).at(0));
    const std::vector<std::string> key_files = test::sqlite_files(key_file_of(keyed));
    ASSERT_FALSE(test::files_holding(key_files, key).empty()) << "the scan sees the key before erasure";

    EXPECT_TRUE(db->erase_personal("M1"));
    EXPECT_FALSE(db->personal("M1"));
    EXPECT_FALSE(db->erase_personal("M1"));
    EXPECT_EQ(test::files_holding(key_files, key), std::vector<std::string>{}) << "the key file keeps no byte of the key";
    // The row restored from a backup (or left in a dead tuple) is unreadable: its key is gone.
    r->query("INSERT INTO personal (member, name, phone, birthday, sealed) VALUES ('M1', '', '', NULL, ?)", {backup});
    EXPECT_FALSE(db->personal("M1"));
    EXPECT_FALSE(store::store::open(u, club(), keyed)->personal("M1"));
    EXPECT_TRUE(db->erase_personal("M1"));  // the leftover row goes too
    EXPECT_TRUE(db->verify().ok());
}

// The member id is authenticated with the data: a sealed row copied to another member, or
// changed, is refused as corrupt, never read as that member's.
TEST_P(personal_test, ASealedRowCopiedOrChangedIsCorrupt) {
    const std::string u = url();
    auto db = store::store::open(u, club(), test::with_key_file());
    db->put_personal("M1", {"Sun Li", "+86 139 0000 0003", std::nullopt});
    db->put_personal("M2", {"Zhou Yu", "+86 139 0000 0004", std::nullopt});
    const auto r = raw(u);
    r->query("UPDATE personal SET sealed = (SELECT sealed FROM personal WHERE member = 'M1') WHERE member = 'M2'", {});
    EXPECT_EQ(error_id([&] { db->personal("M2"); }), "loyalty.store.corrupt");
    const std::string sealed = store::detail::as_text(r->query("SELECT sealed FROM personal WHERE member = 'M1'", {}).at(0).at(0));
    std::string changed = sealed;
    changed[changed.size() - 1] = changed.back() == '0' ? '1' : '0';
    r->query("UPDATE personal SET sealed = ? WHERE member = 'M1'", {changed});
    EXPECT_EQ(error_id([&] { db->personal("M1"); }), "loyalty.store.corrupt");
}

// Without a key file, PostgreSQL refuses personal data (it could not erase it for good); SQLite
// keeps it plain and erases it with secure_delete (SqliteErasure). A store opened without the key
// file its data was sealed under says so.
TEST_P(personal_test, WithoutTheKeyFile) {
    const std::string u = url();
    auto plain = store::store::open(u, club());
    if (GetParam() == "postgresql") {
        EXPECT_EQ(error_id([&] { plain->put_personal("M1", {"Wu Hao", "1", std::nullopt}); }), "loyalty.store.no_key_store");
        EXPECT_FALSE(plain->personal("M1"));
    }
    store::store::open(u, club(), test::with_key_file())->put_personal("M3", {"Xu Na", "2", std::nullopt});
    EXPECT_EQ(error_id([&] { plain->personal("M3"); }), "loyalty.store.no_key_store");
    EXPECT_EQ(error_id([&] { store::store::open(u, club(), test::with_key_file("other-keys"))->personal("M3"); }), "");
    EXPECT_FALSE(store::store::open(u, club(), test::with_key_file("other-keys"))->personal("M3"))
        << "another key file holds no key of M3: for it, M3 is erased";
}

INSTANTIATE_TEST_SUITE_P(backend, personal_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_personal
}  // namespace loyalty
