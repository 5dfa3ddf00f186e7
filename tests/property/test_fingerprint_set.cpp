// fingerprint_set (core/fingerprint_set.hpp), the applied event ids a journal runner keeps as
// 32-bit hashes under their members' numbers: with owners who answer for their own ids, it
// answers as a std::unordered_map<std::string, owner> does, for any ids and owners, across the
// table's growth, and when every id's hash is the same or one of three (each lookup then asks
// owners about ids that are not theirs, and they say no).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/core/fingerprint_set.hpp"

namespace property_fingerprint_set {

using loyalty::fingerprint_set;

namespace {

// Hashes that collide on purpose.
struct same_hash {
    std::size_t operator()(std::string_view) const noexcept { return 0x9e3779b97f4a7c15ULL; }
};
struct three_hashes {
    std::size_t operator()(std::string_view id) const noexcept { return id.size() % 3; }
};

rc::Gen<std::string> any_id() {
    return rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                          rc::gen::map(rc::gen::inRange(0, 300), [](int n) { return "e-" + std::to_string(n); }),
                          rc::gen::element(std::string(), std::string("e-1"), std::string("\0\0", 2),
                                           std::string(200, 'x'), std::string("保养-1")));
}

template <class Hash>
void answers_as_a_map_does() {
    using owner = typename fingerprint_set<Hash>::owner;
    const auto ids = *rc::gen::container<std::vector<std::pair<std::string, owner>>>(
        rc::gen::pair(any_id(), rc::gen::inRange<owner>(0, 5)));
    fingerprint_set<Hash> set;
    std::unordered_map<std::string, owner> model;  // id -> its owner: what each owner answers for
    const auto confirm = [&](owner o, std::string_view id) {
        const auto found = model.find(std::string(id));
        return found != model.end() && found->second == o;
    };
    for (const auto& [id, who] : ids) {
        const bool known = model.count(id) == 1;
        RC_ASSERT(set.contains(id, confirm) == known);
        if (known) continue;  // a runner records an id once
        model.emplace(id, who);
        set.insert(id, who);
        RC_ASSERT(set.contains(id, confirm));
        RC_ASSERT(set.may_be_of(id, who));
        RC_ASSERT(set.size() == model.size());
    }
    for (const std::string& probe : *rc::gen::container<std::vector<std::string>>(any_id()))
        RC_ASSERT(set.contains(probe, confirm) == (model.count(probe) == 1));
}

}  // namespace

RC_GTEST_PROP(FingerprintSet, AnswersAsAMapOfOwnersDoes, ()) { answers_as_a_map_does<std::hash<std::string_view>>(); }
RC_GTEST_PROP(FingerprintSet, AnswersExactlyWhenEveryHashIsTheSame, ()) { answers_as_a_map_does<same_hash>(); }
RC_GTEST_PROP(FingerprintSet, AnswersExactlyWhenHashesAreOneOfThree, ()) { answers_as_a_map_does<three_hashes>(); }

// With one hash for every id, a lookup asks the owner of every fingerprint in turn, in the order
// they were recorded, until one says yes; an empty set asks nobody.
TEST(FingerprintSet, AsksEachOwnerWhoseFingerprintMatchesUntilOneSaysYes) {
    fingerprint_set<same_hash> set;
    std::vector<std::uint32_t> asked;
    const auto nobody = [&](std::uint32_t o, std::string_view) {
        asked.push_back(o);
        return false;
    };
    EXPECT_FALSE(set.contains("e-1", nobody));
    EXPECT_TRUE(asked.empty());
    set.insert("e-1", 7);
    set.insert("e-2", 3);
    set.insert("e-3", 7);
    EXPECT_FALSE(set.contains("e-9", nobody));
    EXPECT_EQ(asked, (std::vector<std::uint32_t>{7, 3, 7}));
    asked.clear();
    const auto three_says_yes = [&](std::uint32_t o, std::string_view) {
        asked.push_back(o);
        return o == 3;
    };
    EXPECT_TRUE(set.contains("e-2", three_says_yes));
    EXPECT_EQ(asked, (std::vector<std::uint32_t>{7, 3}));
    EXPECT_TRUE(set.may_be_of("anything", 7));  // the same 32 bits: may be 7's
    EXPECT_FALSE(set.may_be_of("anything", 4));
}

// Past many doublings of the table: 200,000 ids under 1,000 owners, each found, ids never
// recorded not found; 8 bytes a slot, and nothing else on the heap.
TEST(FingerprintSet, HoldsManyIdsExactly) {
    fingerprint_set<> set;
    const std::size_t n = 200000;
    const auto id = [](std::size_t i) { return "e-" + std::to_string(i); };
    const auto owner_of = [](std::size_t i) { return static_cast<std::uint32_t>(i % 1000); };
    std::size_t asked = 0;
    const auto confirm = [&](std::uint32_t o, std::string_view s) {
        ++asked;
        const std::size_t i = std::stoul(std::string(s.substr(2)));
        return i < n && owner_of(i) == o;
    };
    for (std::size_t i = 0; i < n; ++i) set.insert(id(i), owner_of(i));
    EXPECT_EQ(set.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(set.contains(id(i), confirm));
    asked = 0;
    for (std::size_t i = n; i < 2 * n; ++i) ASSERT_FALSE(set.contains(id(i), confirm));
    // 524,288 slots: a match by chance is about one lookup in 2^(32 - 19) = 8,192.
    EXPECT_LT(asked, 200u);
    EXPECT_EQ(set.heap_bytes(), 524288u * 8);
    EXPECT_THROW(set.insert("e-x", fingerprint_set<>::most_owners + 1), std::length_error);
}

}  // namespace property_fingerprint_set
