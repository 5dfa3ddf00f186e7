// Referrals: the referrer is paid when the referred member's first paid visit comes within the
// policy's days of enrolling. The reference programme's points rules (welcome 500, referral
// 1000, 1 pt per 1.00 of maintenance) and its policy of 90 days; figures by hand.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "program_edit.hpp"

namespace loyalty::test {
namespace unit_referral {

std::string enrol_of(const std::string& id, const std::string& member, const std::string& when,
                     const std::string& referred_by = "") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":"enrol")" +
           (referred_by.empty() ? "" : R"(,"referred_by":")" + referred_by + "\"") + "}";
}
std::string ro_of(const std::string& id, const std::string& member, const std::string& when, const std::string& price,
                  const std::string& extra_line = "") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when +
           R"(","type":"repair_order","lines":[{"kind":"labour","category":"maintenance","unit_price":")" + price +
           "\"" + extra_line + "}]}";
}
std::string of_member(const std::string& id, const std::string& member, const std::string& when,
                      const std::string& type, const std::string& extra = "") {
    return R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + when + R"(","type":")" + type + "\"" +
           extra + "}";
}

points balance_of(const journal_runner& run, const std::string& member) {
    return run.members().at(member).balance();
}

// R enrols on 1 March 2025 (Shanghai) and brings in N, who enrols on 10 March.
journal_runner with_referral(const program& p = points_only()) {
    journal_runner run{program_versions(p)};
    EXPECT_TRUE(run.apply(ev(enrol_of("r-enrol", "R", "2025-03-01T10:00:00+08:00"))).accepted());
    EXPECT_TRUE(run.apply(ev(enrol_of("n-enrol", "N", "2025-03-10T10:00:00+08:00", "R"))).accepted());
    return run;
}

TEST(Referral, PaidOnTheReferredMembersFirstPaidVisitOnTheReferrersChain) {
    journal_runner run = with_referral();
    EXPECT_EQ(balance_of(run, "R"), points(500));  // welcome only: enrolling N pays R nothing yet
    EXPECT_EQ(run.members().at("N").referred_by, "R");
    const outcome o = run.apply(ev(ro_of("n-ro1", "N", "2025-04-02T10:00:00+08:00", "300.00")));
    ASSERT_TRUE(o.accepted());
    ASSERT_TRUE(o.referral);
    EXPECT_EQ(o.referral->referrer, "R");
    EXPECT_FALSE(o.referral->claw_back);
    // N earns 300 for 300.00 and R the referral's 1000, both in this outcome, each on its own chain.
    points to_n, to_r;
    for (const ledger_entry& e : o.entries) {
        EXPECT_EQ(e.event, "n-ro1");
        (e.member == "N" ? to_n : to_r) += e.amount;
        if (e.member == "R" && e.kind == entry_kind::earn) {
            EXPECT_EQ(e.rule, "referral");
        }
    }
    EXPECT_EQ(to_n, points(300));
    EXPECT_EQ(to_r, points(1000));
    EXPECT_EQ(balance_of(run, "R"), points(500 + 1000));
    EXPECT_EQ(run.members().at("N").referral_event, "n-ro1");
    // A second visit pays nothing more: one reward per referred member.
    const outcome again = run.apply(ev(ro_of("n-ro2", "N", "2025-04-20T10:00:00+08:00", "100.00")));
    EXPECT_FALSE(again.referral);
    EXPECT_EQ(balance_of(run, "R"), points(1500));
    EXPECT_FALSE(verify_chain(run.entries_of("R")));
    EXPECT_FALSE(verify_chain(run.entries_of("N")));
}

// Enrolled 10 March (local); day 90 after it is 8 June, day 91 is 9 June. The days are local
// (Shanghai): 9 June 00:30 local is still 8 June in UTC but counts as day 91.
TEST(Referral, CompletesOnDayNButNotOnDayNPlusOne) {
    {
        journal_runner run = with_referral();
        const outcome o = run.apply(ev(ro_of("n-ro", "N", "2025-06-08T23:59:00+08:00", "100.00")));
        ASSERT_TRUE(o.referral);
        EXPECT_EQ(balance_of(run, "R"), points(1500));
    }
    {
        journal_runner run = with_referral();
        const outcome o = run.apply(ev(ro_of("n-ro", "N", "2025-06-09T00:30:00+08:00", "100.00")));
        ASSERT_TRUE(o.accepted());
        EXPECT_FALSE(o.referral);
        EXPECT_EQ(balance_of(run, "R"), points(500));
        EXPECT_TRUE(run.members().at("N").referral_lapsed);
        bool said = false;
        for (const trace_line& t : o.trace)
            if (t.rule == "referral" && t.text.find("day 91") != std::string::npos &&
                t.text.find("allows 90") != std::string::npos)
                said = true;
        EXPECT_TRUE(said);
        // Lapsed for good: a later visit does not pay either.
        EXPECT_FALSE(run.apply(ev(ro_of("n-ro2", "N", "2025-06-10T10:00:00+08:00", "100.00"))).referral);
    }
}

TEST(Referral, AVehiclePurchaseQualifiesAFreeVisitDoesNot) {
    // A wash line the exterior-wash benefit makes free: nothing paid, no referral yet.
    journal_runner run = with_referral(variant([](nlohmann::json& j) {
        j["benefits"] = nlohmann::json::parse(io::reference_program_json())["benefits"];
    }));
    const outcome free_wash = run.apply(ev(R"({"id":"n-wash","member":"N","at":"2025-03-12T10:00:00+08:00",)"
                                              R"("type":"repair_order","lines":[{"kind":"labour","category":"care",)"
                                              R"("operation":"WASH-EXT","unit_price":"50.00"}]})"));
    ASSERT_TRUE(free_wash.accepted());
    EXPECT_FALSE(free_wash.referral);
    // Warranty pays the whole order: not a paid visit either.
    const outcome warranty = run.apply(ev(ro_of("n-warranty", "N", "2025-03-13T10:00:00+08:00", "400.00",
                                                R"(,"flags":["warranty"])")));
    ASSERT_TRUE(warranty.accepted());
    EXPECT_FALSE(warranty.referral);
    const outcome bought = run.apply(ev(of_member("n-car", "N", "2025-03-20T10:00:00+08:00", "vehicle_purchase",
                                                  R"(,"vin":"VIN-N-1","price":"150000.00")")));
    ASSERT_TRUE(bought.referral);
    EXPECT_EQ(balance_of(run, "R"), points(1500));
}

TEST(Referral, ReversingTheQualifyingVisitTakesTheRewardBackAndReopensTheReferral) {
    journal_runner run = with_referral();
    ASSERT_TRUE(run.apply(ev(ro_of("n-ro1", "N", "2025-04-02T10:00:00+08:00", "300.00"))).referral);
    const outcome undo = run.apply(ev(of_member("n-undo", "N", "2025-04-05T10:00:00+08:00", "reverse",
                                                R"(,"event":"n-ro1","reason":"refunded")")));
    ASSERT_TRUE(undo.accepted());
    ASSERT_TRUE(undo.referral);
    EXPECT_TRUE(undo.referral->claw_back);
    EXPECT_EQ(undo.referral->qualifying_event, "n-ro1");
    // R: 1500 - 1000; N: 500 + 300 - 300.
    EXPECT_EQ(balance_of(run, "R"), points(500));
    EXPECT_EQ(balance_of(run, "N"), points(500));
    const auto taken = entries_of_kind(undo, entry_kind::reverse);
    ASSERT_EQ(taken.size(), 2u);  // N's 300 and R's 1000
    for (const ledger_entry& e : taken) {
        EXPECT_EQ(e.reverses, "n-ro1");
        EXPECT_EQ(e.amount, e.member == "R" ? points(-1000) : points(-300));
    }
    // The next paid visit, still within 90 days, pays the referral again (once).
    ASSERT_TRUE(run.apply(ev(ro_of("n-ro2", "N", "2025-05-01T10:00:00+08:00", "80.00"))).referral);
    EXPECT_EQ(balance_of(run, "R"), points(1500));
    EXPECT_FALSE(verify_chain(run.entries_of("R")));
}

TEST(Referral, ClawBackWhenTheReferrerSpentTheRewardFollowsTheProgrammesPolicy) {
    journal_runner run = with_referral();
    ASSERT_TRUE(run.apply(ev(ro_of("n-ro1", "N", "2025-04-02T10:00:00+08:00", "300.00"))).referral);
    // R spends 1200 of 1500: soonest-expiring first, the welcome lot (March 2025, expires at the
    // end of March 2027) gives 500, the referral lot (April) 700, leaving 300 in it.
    ASSERT_TRUE(run.apply(ev(of_member("r-spend", "R", "2025-04-03T10:00:00+08:00", "adjustment",
                                       R"(,"points":-1200,"reason":"gift","operator":"op")")))
                    .accepted());
    EXPECT_EQ(balance_of(run, "R"), points(300));
    ASSERT_TRUE(run.apply(ev(of_member("n-undo", "N", "2025-04-05T10:00:00+08:00", "reverse",
                                       R"(,"event":"n-ro1")")))
                    .accepted());
    // claw_back: 300 from the referral lot, the 700 spent have no other lot to come from: debt.
    EXPECT_EQ(balance_of(run, "R"), points(-700));
    EXPECT_EQ(run.members().at("R").debt, points(700));
}

TEST(Referral, RefusedSelfReferralUnknownReferrerAndJournalReferralEvents) {
    journal_runner run{program_versions(points_only())};
    ASSERT_TRUE(run.apply(ev(enrol_of("r-enrol", "R", "2025-03-01T10:00:00+08:00"))).accepted());
    const outcome self = run.apply(ev(enrol_of("s-enrol", "S", "2025-03-02T10:00:00+08:00", "S")));
    EXPECT_EQ(self.refused, refusal::referral_refused);
    EXPECT_NE(self.message.find("themself"), std::string::npos);
    const outcome unknown = run.apply(ev(enrol_of("u-enrol", "U", "2025-03-02T10:00:00+08:00", "NOBODY")));
    EXPECT_EQ(unknown.refused, refusal::referral_refused);
    EXPECT_NE(unknown.message.find("NOBODY"), std::string::npos);
    EXPECT_EQ(run.members().count("U"), 0u);  // nothing kept of a refused enrolment
    // Referring an existing member: R is enrolled, so an enrolment naming a referrer is refused
    // as a second enrolment, and the referral cannot be attached later.
    EXPECT_EQ(run.apply(ev(enrol_of("r-again", "R", "2025-03-03T10:00:00+08:00", "X"))).refused,
              refusal::referral_refused);  // X is not a member
    ASSERT_TRUE(run.apply(ev(enrol_of("x-enrol", "X", "2025-03-03T10:00:00+08:00"))).accepted());
    EXPECT_EQ(run.apply(ev(enrol_of("r-again2", "R", "2025-03-04T10:00:00+08:00", "X"))).refused,
              refusal::already_enrolled);
    // Under a referral policy the engine pays referrals itself: a journal's referral event is refused.
    const outcome direct = run.apply(ev(of_member("r-ref", "R", "2025-03-05T10:00:00+08:00", "referral",
                                                  R"(,"referred":"X")")));
    EXPECT_EQ(direct.refused, refusal::referral_refused);
    EXPECT_EQ(balance_of(run, "R"), points(500));
}

TEST(Referral, WithoutAPolicyAJournalReferralPaysAtOnceAndReferredByIsRefused) {
    const program no_policy = variant([](nlohmann::json& j) { j.erase("referral"); });
    journal_runner run{program_versions(no_policy)};
    ASSERT_TRUE(run.apply(ev(enrol_of("r-enrol", "R", "2025-03-01T10:00:00+08:00"))).accepted());
    EXPECT_EQ(run.apply(ev(enrol_of("n-enrol", "N", "2025-03-02T10:00:00+08:00", "R"))).refused,
              refusal::referral_refused);
    ASSERT_TRUE(run.apply(ev(of_member("r-ref", "R", "2025-03-05T10:00:00+08:00", "referral", R"(,"referred":"N")")))
                    .accepted());
    EXPECT_EQ(balance_of(run, "R"), points(1500));
}

TEST(Referral, PureApplySaysWhatIsDueAndSettleReferralPostsIt) {
    const program_versions v(points_only());
    member_state r("R"), n("N");
    r = apply(v, r, ev(enrol_of("r-enrol", "R", "2025-03-01T10:00:00+08:00"))).state;
    n = apply(v, n, ev(enrol_of("n-enrol", "N", "2025-03-10T10:00:00+08:00", "R"))).state;
    const event visit = ev(ro_of("n-ro1", "N", "2025-04-02T10:00:00+08:00", "300.00"));
    outcome o = apply(v, n, visit);
    ASSERT_TRUE(o.referral);
    EXPECT_EQ(r.balance(), points(500));  // apply() alone does not touch the referrer
    settle_referral_in_place(v, r, visit, o);
    EXPECT_EQ(r.balance(), points(1500));
    EXPECT_TRUE(r.has_seen("n-ro1"));
    // The wrong referrer's state is an error, not a silent credit.
    member_state other("O");
    outcome again = apply(v, n, visit);
    EXPECT_THROW(settle_referral_in_place(v, other, visit, again), error);
}

// A runner seeded with a referred member but not the referrer (a store that lost a snapshot)
// refuses to guess: an error before anything changes, not a referral silently unpaid.
TEST(Referral, ARunnerWithoutTheReferrersStateThrowsAndChangesNothing) {
    journal_runner full = with_referral();
    const member_state n = full.members().at("N");
    journal_runner partial{program_versions(points_only())};
    partial.adopt(n);
    try {
        partial.apply(ev(ro_of("n-ro1", "N", "2025-04-02T10:00:00+08:00", "300.00")));
        ADD_FAILURE() << "expected loyalty.engine.referrer_missing";
    } catch (const error& e) {
        EXPECT_EQ(e.id(), "loyalty.engine.referrer_missing");
    }
    EXPECT_EQ(partial.members().at("N"), n);
    EXPECT_TRUE(partial.entries().empty());
}

TEST(Referral, PolicyIsValidatedWithPointer) {
    expect_refused([](nlohmann::json& j) { j["referral"] = {{"completes_within_days", -1}}; },
                   "loyalty.program.invalid_period", "/referral/completes_within_days");
    expect_refused([](nlohmann::json& j) { j["referral"] = {{"completes_within_days", 30}, {"days", 1}}; },
                   "loyalty.program.unknown_key", "/referral/days");
    expect_refused([](nlohmann::json& j) { j["referral"] = nlohmann::json::object(); },
                   "loyalty.program.missing_field", "/referral/completes_within_days");
}

}  // namespace unit_referral
}  // namespace loyalty::test
