// id_set (core/id_set.hpp), the compact set of applied event ids a journal runner keeps: for any
// ids, inserted in any order and repeated, it answers as a std::unordered_set<std::string> does,
// across the table's growth; odd ids (empty, NUL bytes, long, non-ASCII, ids that are prefixes
// of one another) included.
#include <cstddef>
#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "loyalty/core/id_set.hpp"

namespace property_id_set {

using loyalty::id_set;

namespace {

rc::Gen<std::string> any_id() {
    return rc::gen::oneOf(rc::gen::arbitrary<std::string>(),
                          rc::gen::map(rc::gen::inRange(0, 300), [](int n) { return "e-" + std::to_string(n); }),
                          rc::gen::element(std::string(), std::string("e"), std::string("e-1"), std::string("e-10"),
                                           std::string("\0\0", 2), std::string(200, 'x'), std::string("保养-1")));
}

}  // namespace

RC_GTEST_PROP(IdSet, AnswersAsAnUnorderedSetDoes, ()) {
    const auto ids = *rc::gen::container<std::vector<std::string>>(any_id());
    id_set set;
    std::unordered_set<std::string> model;
    std::vector<std::string> order;  // the model's ids in the order first inserted
    for (const std::string& id : ids) {
        const bool added = model.insert(id).second;
        if (added) order.push_back(id);
        RC_ASSERT(set.insert(id) == added);
        RC_ASSERT(set.contains(id));
        RC_ASSERT(set.size() == model.size());
    }
    for (const std::string& probe : *rc::gen::container<std::vector<std::string>>(any_id()))
        RC_ASSERT(set.contains(probe) == (model.count(probe) == 1));
    std::vector<std::string> listed;
    set.for_each([&](std::string_view id) { listed.emplace_back(id); });
    RC_ASSERT(listed == order);
}

// Past many doublings of the table: 200,000 ids, each found, each refused when inserted again,
// and ids never inserted not found. The table stays within 16 bytes of slots per id at most.
TEST(IdSet, HoldsManyIdsExactly) {
    id_set set;
    const std::size_t n = 200000;
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(set.insert("e-" + std::to_string(i)));
    EXPECT_EQ(set.size(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_FALSE(set.insert("e-" + std::to_string(i)));
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(set.contains("e-" + std::to_string(i)));
    for (std::size_t i = n; i < 2 * n; ++i) ASSERT_FALSE(set.contains("e-" + std::to_string(i)));
    EXPECT_FALSE(set.contains("e-"));
    EXPECT_FALSE(set.contains(""));
    EXPECT_TRUE(set.insert(""));  // the empty id is an id like any other
    EXPECT_TRUE(set.contains(""));
    EXPECT_EQ(set.size(), n + 1);
    // 524,288 slots of 8 bytes (200,001 ids fill 262,144 slots past three quarters), and the
    // ids' bytes: "e-0" .. "e-199999" are 1,488,890 bytes, 1,688,890 with a length byte each, in
    // a string of at most twice that, and the empty id's length.
    EXPECT_LE(set.heap_bytes(), 524288u * 8 + 2 * (1688890u + 1));
    EXPECT_GE(set.heap_bytes(), 524288u * 8 + 1688890u + 1);
}

TEST(IdSet, EmptySetHoldsNothing) {
    const id_set set;
    EXPECT_TRUE(set.empty());
    EXPECT_FALSE(set.contains(""));
    EXPECT_FALSE(set.contains("e-1"));
    EXPECT_EQ(set.heap_bytes(), 0u);
}

}  // namespace property_id_set
