// Anchors (loyalty/ledger/anchor.hpp): the digest of every member's chain head among the first
// N entries. Expected digests computed with Python's hashlib over json.dumps of the heads, as
// docs/ledger.md states and scripts/verify_ledger.py does.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/ledger/anchor.hpp"
#include "test_support.hpp"

namespace unit_ledger_anchor {

using namespace loyalty;

ledger_entry head(const std::string& member, std::int64_t seq, char hash_digit) {
    ledger_entry e;
    e.member = member;
    e.seq = seq;
    e.hash = sha256_digest::from_hex(std::string(64, hash_digit)).value();
    return e;
}

// M002 seq 1, M001 seq 1, M001 seq 2, M002 seq 2, 李伟"x seq 1 (the quote is escaped as \").
std::vector<ledger_entry> five() {
    return {head("M002", 1, 'a'), head("M001", 1, 'b'), head("M001", 2, 'c'), head("M002", 2, 'd'),
            head("\xe6\x9d\x8e\xe4\xbc\x9f\"x", 1, 'e')};
}

TEST(LedgerAnchor, DigestOfTheSortedHeadsOfTheFirstEntries) {
    // [["M001",2,"cc..."],["M002",1,"aa..."]]
    const ledger_anchor three = anchor_of(five(), 3);
    EXPECT_EQ(three.entries, 3u);
    EXPECT_EQ(three.digest, "0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50");
    EXPECT_EQ(three.to_string(), "v1:3:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50");
    // [["M001",2,"cc..."],["M002",2,"dd..."],["李伟\"x",1,"ee..."]]: non-ASCII as itself, sorted bytewise.
    EXPECT_EQ(anchor_of(five()).digest, "b88f08d78d84fa8d5cc3db957a4405280ed3b17153a18bc5d17f9e792bb2a54c");
    EXPECT_EQ(anchor_of(five()).entries, 5u);
    // No entries: the hash of "[]".
    EXPECT_EQ(anchor_of({}).digest, "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945");
}

// Read one entry at a time, a ledger gives the anchor of the whole vector, for every count.
TEST(LedgerAnchor, AnAccumulatorGivesTheAnchorOfTheEntriesAddedInOrder) {
    const std::vector<ledger_entry> all = five();
    for (std::size_t count = 0; count <= all.size() + 1; ++count) {
        anchor_accumulator a(count);
        for (const ledger_entry& e : all) a.add(e);
        EXPECT_EQ(a.added(), all.size());
        EXPECT_EQ(a.anchor(), anchor_of(all, count)) << count;
    }
    anchor_accumulator three(3);
    for (const ledger_entry& e : all) three.add(e);
    EXPECT_EQ(three.anchor().to_string(), "v1:3:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50");
    EXPECT_FALSE(check_anchor(three, anchor_of(all, 3)));
    // Fewer entries than the anchor covers: cut, as check_anchor() of the vector says.
    anchor_accumulator cut(5);
    for (std::size_t i = 0; i < 4; ++i) cut.add(all[i]);
    const auto why = check_anchor(cut, anchor_of(all));
    ASSERT_TRUE(why);
    EXPECT_EQ(*why, "the ledger holds 4 entries, fewer than the 5 the anchor covers: history was cut");
    EXPECT_EQ(*why, *check_anchor(std::vector<ledger_entry>(all.begin(), all.begin() + 4), anchor_of(all)));
}

TEST(LedgerAnchor, HistoryAfterTheAnchorIsNewHistory) {
    const ledger_anchor at_three = anchor_of(five(), 3);
    EXPECT_FALSE(check_anchor(five(), at_three));  // two entries written since: fine
    std::vector<ledger_entry> more = five();
    more.push_back(head("M003", 1, 'f'));
    EXPECT_FALSE(check_anchor(more, at_three));
}

TEST(LedgerAnchor, ACutAChangeOrAMissingEntryBeforeTheAnchorIsFound) {
    const ledger_anchor at_four = anchor_of(five(), 4);
    std::vector<ledger_entry> cut = five();
    cut.resize(3);
    const auto why_cut = check_anchor(cut, at_four);
    ASSERT_TRUE(why_cut);
    EXPECT_NE(why_cut->find("holds 3 entries, fewer than the 4"), std::string::npos) << *why_cut;

    std::vector<ledger_entry> reforged = five();
    reforged[3].hash = sha256_digest::from_hex(std::string(64, '9')).value();  // M002's head re-hashed after a change
    const auto why_changed = check_anchor(reforged, at_four);
    ASSERT_TRUE(why_changed);
    EXPECT_NE(why_changed->find("are not those anchored"), std::string::npos) << *why_changed;

    // M001's seq 2 deleted: five entries still, but M001's head among the first four is seq 1.
    std::vector<ledger_entry> deleted = five();
    deleted.erase(deleted.begin() + 2);
    deleted.push_back(head("M004", 1, '1'));
    EXPECT_TRUE(check_anchor(deleted, at_four));
    // The tail of the anchored history re-forged and re-hashed, with as many entries as before.
    std::vector<ledger_entry> tail = five();
    tail[2].hash = sha256_digest::from_hex(std::string(64, '7')).value();
    EXPECT_TRUE(check_anchor(tail, anchor_of(five(), 3)));
}

TEST(LedgerAnchor, ParsedAsPrintedAndRefusedOtherwise) {
    const ledger_anchor a = anchor_of(five(), 3);
    EXPECT_EQ(parse_anchor(a.to_string()), a);
    for (const char* bad : {"", "v1:3", "v2:3:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50",
                            "v1::0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50",
                            "v1:-3:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50",
                            "v1:3:0036EA4D8454BDED6A0DD8F8419CF6D41C4A46BCB3D0AE5E086381D6A7AC9C50",
                            "v1:3:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c5",
                            "v1:1234567890123456789:0036ea4d8454bded6a0dd8f8419cf6d41c4a46bcb3d0ae5e086381d6a7ac9c50"}) {
        try {
            parse_anchor(bad);
            ADD_FAILURE() << "accepted " << bad;
        } catch (const error& e) {
            EXPECT_EQ(e.id(), "loyalty.ledger.invalid_anchor") << bad;
        }
    }
}

}  // namespace unit_ledger_anchor
