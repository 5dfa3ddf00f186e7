// Points transfer within a household: one event, entries on both chains, the receiver's lots
// keeping the sender's expiry days. Reference programme: transfers within a household, at
// least 100 points, at most 10,000 sent per calendar year.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/engine/journal.hpp"

namespace loyalty::test {
namespace unit_transfer {

std::string enrol_in(const std::string& member, const std::string& when, const std::string& household) {
    return R"({"id":"en-)" + member + R"(","member":")" + member + R"(","at":")" + when +
           R"(","type":"enrol","household":")" + household + R"("})";
}
std::string send(const std::string& id, const std::string& from, const std::string& to, long long pts,
                 const std::string& when) {
    return R"({"id":")" + id + R"(","member":")" + from + R"(","at":")" + when + R"(","type":"transfer","to":")" + to +
           R"(","points":)" + std::to_string(pts) + "}";
}

// A (H1): welcome 500 expiring 2027-02-01 and 1,000 from May expiring 2027-06-01.
// B (H1): welcome 500 expiring 2027-03-01. C (H2): welcome 500.
journal_runner household() {
    journal_runner run{program_versions(points_only())};
    EXPECT_TRUE(run.apply(ev(enrol_in("A", "2025-01-10T10:00:00+08:00", "H1"))).accepted());
    EXPECT_TRUE(run.apply(ev(R"({"id":"ro-A","member":"A","at":"2025-05-20T10:00:00+08:00","type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":"1000.00"}]})"))
                    .accepted());
    EXPECT_TRUE(run.apply(ev(enrol_in("B", "2025-02-01T10:00:00+08:00", "H1"))).accepted());
    EXPECT_TRUE(run.apply(ev(enrol_in("C", "2025-02-01T10:00:00+08:00", "H2"))).accepted());
    return run;
}

TEST(Transfer, ReceiverLotsKeepTheSenderExpiry) {
    journal_runner run = household();
    const outcome o = run.apply(ev(send("t1", "A", "B", 700, "2025-06-01T10:00:00+08:00")));
    ASSERT_TRUE(o.accepted()) << o.message;
    ASSERT_EQ(o.entries.size(), 4u);
    // A: 500 from the welcome lot (soonest to expire), then 200 of May's.
    EXPECT_EQ(o.entries[0].member, "A");
    EXPECT_EQ(o.entries[0].kind, entry_kind::transfer_out);
    EXPECT_EQ(o.entries[0].amount, points(-500));
    EXPECT_EQ(o.entries[1].amount, points(-200));
    EXPECT_EQ(o.entries[1].balance, points(800));
    // B: two lots with those lots' expiry days.
    EXPECT_EQ(o.entries[2].member, "B");
    EXPECT_EQ(o.entries[2].kind, entry_kind::transfer_in);
    EXPECT_EQ(o.entries[2].amount, points(500));
    EXPECT_EQ(o.entries[2].expires, "2027-02-01");
    EXPECT_EQ(o.entries[3].amount, points(200));
    EXPECT_EQ(o.entries[3].expires, "2027-06-01");
    EXPECT_EQ(o.entries[3].balance, points(1200));
    EXPECT_EQ(run.members().at("A").balance(), points(800));
    EXPECT_EQ(run.members().at("B").balance(), points(1200));
    EXPECT_FALSE(verify_chain(run.entries_of("A")).has_value());
    EXPECT_FALSE(verify_chain(run.entries_of("B")).has_value());
    // The received points expire with the sender's dates: on 1 Feb 2027 B loses 500 (own welcome
    // expires 1 Mar).
    const outcome t = run.apply(ev(R"({"id":"tick","member":"B","at":"2027-02-01T00:00:00+08:00","type":"tick"})"));
    ASSERT_EQ(t.entries.size(), 1u);
    EXPECT_EQ(t.entries[0].amount, points(-500));
    EXPECT_EQ(t.entries[0].lot, "t1/transfer#1");
}

TEST(Transfer, Refusals) {
    journal_runner run = household();
    const auto refused = [&](const std::string& text) { return run.apply(ev(text)).refused; };
    EXPECT_EQ(refused(send("x1", "A", "C", 200, "2025-06-01T10:00:00+08:00")), refusal::transfer_refused);
    EXPECT_EQ(refused(send("x2", "A", "A", 200, "2025-06-01T10:00:00+08:00")), refusal::transfer_refused);
    EXPECT_EQ(refused(send("x3", "A", "B", 99, "2025-06-01T10:00:00+08:00")), refusal::transfer_refused);
    EXPECT_EQ(refused(send("x4", "A", "D", 200, "2025-06-01T10:00:00+08:00")), refusal::unknown_member);
    EXPECT_EQ(refused(send("x5", "A", "B", 1501, "2025-06-01T10:00:00+08:00")), refusal::insufficient_points);
    EXPECT_EQ(refused(send("x6", "D", "A", 200, "2025-06-01T10:00:00+08:00")), refusal::unknown_member);
    EXPECT_EQ(run.members().count("D"), 0u);  // a refused transfer creates no state
    EXPECT_EQ(run.members().at("A").balance(), points(1500));
    // At most 10,000 a calendar year: 9,000 then 1,001 more is refused, 1,000 is not.
    ASSERT_TRUE(run.apply(ev(R"({"id":"adj","member":"A","at":"2025-06-02T10:00:00+08:00","type":"adjustment","points":20000,"reason":"test","operator":"op"})"))
                    .accepted());
    EXPECT_TRUE(run.apply(ev(send("y1", "A", "B", 9000, "2025-06-03T10:00:00+08:00"))).accepted());
    EXPECT_EQ(refused(send("y2", "A", "B", 1001, "2025-06-04T10:00:00+08:00")), refusal::transfer_refused);
    EXPECT_TRUE(run.apply(ev(send("y3", "A", "B", 1000, "2025-06-04T10:00:00+08:00"))).accepted());
    // A new calendar year (Shanghai) opens a new allowance.
    EXPECT_TRUE(run.apply(ev(send("y4", "A", "B", 500, "2026-01-01T00:00:00+08:00"))).accepted());
    // Applied again, the same event is a duplicate.
    EXPECT_EQ(refused(send("y4", "A", "B", 500, "2026-01-02T00:00:00+08:00")), refusal::duplicate_event);
}

TEST(Transfer, NeedsBothStates) {
    const program p = points_only();
    member_state a("A"), b("B");
    a = apply(p, a, ev(enrol_in("A", "2025-01-10T10:00:00+08:00", "H1"))).state;
    b = apply(p, b, ev(enrol_in("B", "2025-01-10T10:00:00+08:00", "H1"))).state;
    const event t = ev(send("t1", "A", "B", 300, "2025-02-01T10:00:00+08:00"));
    EXPECT_EQ(apply(p, a, t).refused, refusal::counterparty_required);
    const outcome o = apply_transfer(program_versions(p), a, b, t);
    ASSERT_TRUE(o.accepted()) << o.message;
    EXPECT_EQ(o.state.balance(), points(200));
    ASSERT_TRUE(o.counterparty.has_value());
    EXPECT_EQ(o.counterparty->balance(), points(800));
    EXPECT_EQ(a.balance(), points(500));  // the callers' states are untouched
    EXPECT_EQ(b.balance(), points(500));
}

TEST(Transfer, NotReversible) {
    journal_runner run = household();
    ASSERT_TRUE(run.apply(ev(send("t1", "A", "B", 300, "2025-06-01T10:00:00+08:00"))).accepted());
    EXPECT_EQ(run.apply(ev(R"({"id":"r","member":"A","at":"2025-06-02T10:00:00+08:00","type":"reverse","event":"t1"})"))
                  .refused,
              refusal::not_reversible);
}

}  // namespace unit_transfer
}  // namespace loyalty::test
