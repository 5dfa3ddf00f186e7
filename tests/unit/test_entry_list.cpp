// entry_list (ledger/entry_list.hpp): an outcome's entries as records whose texts are spans of
// one string. What it gives back is what was put in, field by field; copy_to() reuses the
// entries it is given; and a runner's list sink sees the entries its vector sink sees.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loyalty/engine/journal.hpp"
#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/ledger/entry_list.hpp"
#include "test_support.hpp"

namespace unit_entry_list {

using namespace loyalty;
using loyalty::test::reference_program;

// An entry with every field set, none to its default.
ledger_entry full_entry() {
    ledger_entry e;
    e.member = "M-0001-a-member-id-longer-than-fifteen";
    e.seq = 7;
    e.event = "RO-2026-000123";
    e.at = instant(std::chrono::seconds(1780000000));
    e.kind = entry_kind::settle_debt;
    e.amount = points(0);
    e.balance = points(-20);
    e.debt_paid = points(30);
    e.lot = "RO-2026-000123/visit-points";
    e.expires = "2028-02-01";
    e.rule = "visit-points";
    e.program = "4s-club";
    e.version = 3;
    e.reason = "30 pt of lot RO-2026-000123/visit-points pay off debt (50 -> 20)";
    e.args.code = reason_code::settles_debt;
    e.args.figure = points(50);
    e.args.set_note("a note");
    e.args.set_counterpart("M-0002");
    e.reverses = "RO-2026-000100";
    e.money = "60.00 CNY";
    e.funder = "dealer";
    e.store = "store-7";
    e.uses = 2;
    earn_figures f;
    f.base = 70000;
    f.base_scale = 2;
    f.rounded = 700;
    e.figures = f;
    e.prev_hash = sha256("previous");
    e.hash = sha256("this");
    e.format = 5;
    return e;
}

TEST(EntryList, GivesBackEveryFieldItWasGiven) {
    const ledger_entry a = full_entry();
    ledger_entry b;  // every text empty, every optional absent
    b.member = "M2";
    b.seq = 1;
    b.kind = entry_kind::enrol;
    b.program = "4s-club";
    b.version = 1;
    entry_list list;
    list.push_back(a);
    list.push_back(b);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0], a);
    EXPECT_EQ(list[1], b);
    EXPECT_EQ(list.front(), a);
    EXPECT_EQ(list.back(), b);
    EXPECT_EQ(list.to_vector(), (std::vector<ledger_entry>{a, b}));
    EXPECT_EQ(list, (std::vector<ledger_entry>{a, b}));
    EXPECT_NE(list, (std::vector<ledger_entry>{b, a}));
    EXPECT_EQ(entry_list(std::vector<ledger_entry>{a, b}), list);
    std::vector<ledger_entry> iterated;
    for (const ledger_entry& e : list) iterated.push_back(e);
    EXPECT_EQ(iterated, list.to_vector());
    EXPECT_THROW(list.at(2), std::out_of_range);

    // A view is the entry's fields without a copy: the same bytes on a ledger line.
    const entry_view v = list.view(0);
    EXPECT_EQ(v.lot, "RO-2026-000123/visit-points");
    EXPECT_EQ(v.args.note(), "a note");
    EXPECT_EQ(v.figures->rounded, 700);
    std::string from_view, from_entry;
    io::append_ledger_line(from_view, v);
    io::append_ledger_line(from_entry, a);
    EXPECT_EQ(from_view, from_entry);
}

TEST(EntryList, TextsAreCopiedEvenFromItself) {
    entry_list list;
    const text_span first = list.add_text("RO-7");
    // A view of the list's own string, which the append may move: copied all the same.
    const text_span again = list.add_text(list.text(first));
    EXPECT_EQ(list.text(again), "RO-7");
    EXPECT_EQ(again.at, 4u);
    const text_span lot = list.add_texts({"RO-7", "/", "visit-points"});
    EXPECT_EQ(list.text(lot), "RO-7/visit-points");
    EXPECT_EQ(list.add_text("").size, 0u);
    EXPECT_EQ(list.add_texts({"", ""}).size, 0u);
}

TEST(EntryList, CopyToReusesTheEntriesItIsGiven) {
    entry_list three, one;
    for (int i = 0; i < 3; ++i) {
        ledger_entry e = full_entry();
        e.seq = i + 1;
        three.push_back(e);
    }
    one.push_back(full_entry());
    std::vector<ledger_entry> out, spare;
    three.copy_to(out, &spare);
    EXPECT_EQ(out, three.to_vector());
    const char* const kept = out[0].lot.data();  // a heap block: the lot id is longer than 15 bytes
    one.copy_to(out, &spare);
    EXPECT_EQ(out, one.to_vector());
    EXPECT_EQ(spare.size(), 2u);                 // the two entries out held beyond one's size
    EXPECT_EQ(out[0].lot.data(), kept);          // assigned in place: no new string
    three.copy_to(out, &spare);
    EXPECT_EQ(out, three.to_vector());
    EXPECT_TRUE(spare.empty());                  // given back
    entry_list().copy_to(out);
    EXPECT_TRUE(out.empty());
}

// A runner given a list sink hands it the entries (reasons rendered) that a runner given a
// vector sink hands its sink, and that a runner keeping the ledger keeps: over the reference
// journal, a transfer and a referral's two members among them.
TEST(EntryList, AListSinkSeesWhatAVectorSinkSees) {
    const program p = reference_program();
    const program_versions versions(p);
    std::string by_list, by_vector;
    std::size_t batches = 0;
    journal_runner listed(versions, entry_list_sink{[&](const entry_list& written) {
        ++batches;
        for (std::size_t i = 0; i < written.size(); ++i) io::append_ledger_line(by_list, written.view(i));
    }});
    journal_runner vectored(versions, [&](const std::vector<ledger_entry>& written) {
        for (const ledger_entry& e : written) io::append_ledger_line(by_vector, e);
    });
    journal_runner kept(versions);
    listed.set_explanation(explanation::none);
    vectored.set_explanation(explanation::none);
    for (const event& e : io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", p)) {
        const outcome o = listed.apply(e);
        EXPECT_EQ(o.entries, vectored.apply(e).entries) << e.id;
        kept.apply(e);
    }
    EXPECT_EQ(batches, 21u);  // the accepted events: of 23, a re-sent e-0005 and an excluded use are refused
    EXPECT_EQ(by_list, by_vector);
    EXPECT_EQ(by_list, io::ledger_to_jsonl(kept.entries()));
    EXPECT_EQ(std::count(by_list.begin(), by_list.end(), '\n'), 39);
    EXPECT_EQ(by_list.find("\"reason\":\"\""), std::string::npos);  // every reason rendered
}

}  // namespace unit_entry_list
