// The reversal window (programme `reversal.window_days`, reversal/window.hpp): an event of local
// day d can be undone by a reverse or cancel_redemption of local day d .. d + N; later it is
// refused as reversal_window_passed, and once time has rolled past the window its effect is
// settled (only id, type, instant, reversed and closed_order are kept). Figures: the reference
// programme without benefits (1 point per 1.00 CNY paid for maintenance, 500-point welcome,
// Asia/Shanghai, so 10:00+08:00 is 02:00Z of the same day).
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "program_edit.hpp"

namespace loyalty::test {
namespace unit_reversal_window {

// The points programme with a reversal window of `days`, and surveys paid once per named repair
// order (so that a survey must name a closed order the member has).
program windowed(int days) {
    return variant([&](nlohmann::json& j) {
        j["reversal"]["window_days"] = days;
        for (auto& r : j["earning_rules"])
            if (r["id"] == "survey") r["once_per_repair_order"] = true;
    });
}

std::string survey_of(const std::string& id, const std::string& when, const std::string& order) {
    return simple(id, when, "survey", R"(,"survey":"S-)" + id + R"(","repair_order":")" + order + "\"");
}

TEST(ReversalWindow, TheProgrammeKeyLoadsAndIsWrittenBack) {
    const program p = windowed(30);
    ASSERT_TRUE(p.reversal_window_days.has_value());
    EXPECT_EQ(*p.reversal_window_days, 30);
    const nlohmann::json written = io::program_to_json(p);
    EXPECT_EQ(written["reversal"]["window_days"], 30);
    EXPECT_EQ(io::load_program(written.dump()).reversal_window_days, std::optional<int>(30));
    // Absent: any time, and nothing written.
    EXPECT_FALSE(points_only().reversal_window_days.has_value());
    EXPECT_FALSE(io::program_to_json(points_only())["reversal"].contains("window_days"));
    expect_refused([](nlohmann::json& j) { j["reversal"]["window_days"] = -1; }, "loyalty.program.invalid_period",
                   "/reversal/window_days");
    expect_refused([](nlohmann::json& j) { j["reversal"]["window_days"] = 36601; }, "loyalty.program.invalid_period",
                   "/reversal/window_days");
}

TEST(ReversalWindow, AReversalOnTheLastDayIsAcceptedTheDayAfterRefused) {
    member_run run(windowed(30));
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("e1", "2025-03-01T10:00:00+08:00", "1000.00")).accepted());
    // 2025-03-01 + 30 days = 2025-03-31, late in the evening (local day), is the last day.
    const outcome last_day = run.apply(reverse_of("x1", "2025-03-31T23:00:00+08:00", "e1"));
    ASSERT_TRUE(last_day.accepted()) << last_day.message;
    EXPECT_EQ(run.state().balance(), points(500));  // 500 + 2,000 (March doubles service-spend) - 2,000
    ASSERT_TRUE(run.apply(simple_ro("e2", "2025-04-01T10:00:00+08:00", "500.00")).accepted());
    const member_state before = run.state();
    // 2025-04-01 + 30 = 2025-05-01; 2025-05-02 09:00 local is a day too late.
    const outcome late = run.apply(reverse_of("x2", "2025-05-02T09:00:00+08:00", "e2"));
    EXPECT_EQ(late.refused, refusal::reversal_window_passed);
    EXPECT_EQ(late.message, "event 'e2' of 2025-04-01T02:00:00Z is past the programme's reversal window "
                            "(reversal.window_days) and can no longer be undone");
    EXPECT_TRUE(late.entries.empty());
    EXPECT_EQ(run.state(), before);
    EXPECT_EQ(run.state().balance(), points(1000));  // 500 + 500 stay
    // The other checks come first: an unknown event, an enrolment.
    EXPECT_EQ(run.apply(reverse_of("x3", "2025-05-02T09:00:00+08:00", "nope")).refused, refusal::unknown_event);
    EXPECT_EQ(run.apply(reverse_of("x4", "2025-05-02T09:00:00+08:00", "e0")).refused, refusal::not_reversible);
    EXPECT_EQ(run.apply(reverse_of("x5", "2025-05-02T09:00:00+08:00", "e1")).refused, refusal::already_reversed);
}

TEST(ReversalWindow, SettledEffectsKeepOnlyWhatIdempotencyAndSurveysNeed) {
    member_run run(windowed(30));
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-10T10:00:00+08:00")).accepted());
    const std::string order = simple_ro("e1", "2025-02-20T10:00:00+08:00", "1000.00");
    ASSERT_TRUE(run.apply(order).accepted());
    EXPECT_FALSE(run.state().effects.at("e1").settled);
    EXPECT_FALSE(run.state().effects.at("e1").bases.empty());
    // (February: no maintenance-month doubling.) 2025-04-01 is past 2025-03-22 (02-20 + 30), the
    // last day e1 could be reversed: the tick settles it (and e0).
    ASSERT_TRUE(run.apply(tick("t1", "2025-04-01T10:00:00+08:00")).accepted());
    const event_effect& e1 = run.state().effects.at("e1");
    EXPECT_TRUE(e1.settled);
    EXPECT_EQ(e1.type, event_type::repair_order);
    EXPECT_EQ(e1.at, at("2025-02-20T10:00:00+08:00"));
    EXPECT_TRUE(e1.closed_order);
    EXPECT_FALSE(e1.reversed);
    EXPECT_TRUE(e1.earned.empty() && e1.lines.empty() && e1.bases.empty() && e1.benefit_uses.empty());
    EXPECT_TRUE(run.state().effects.at("e0").settled);
    EXPECT_FALSE(run.state().effects.at("t1").settled);
    // Idempotency is exact: the same order sent again is a duplicate.
    const outcome again = run.apply(order);
    EXPECT_EQ(again.refused, refusal::duplicate_event);
    // A survey may still name the closed order: 500 + 1,000 + 50.
    ASSERT_TRUE(run.apply(survey_of("s1", "2025-04-02T10:00:00+08:00", "e1")).accepted());
    EXPECT_EQ(run.state().balance(), points(1550));
    // The lot it earned is untouched; only the means to undo it are gone.
    EXPECT_EQ(run.lot_of("e1/service-spend").remaining, points(1000));
    EXPECT_EQ(run.apply(reverse_of("x1", "2025-04-03T10:00:00+08:00", "e1")).refused,
              refusal::reversal_window_passed);
}

TEST(ReversalWindow, ASettledEventStaysBeyondUndoingUnderALaterVersionWithoutAWindow) {
    program v1 = windowed(30);
    program v2 = points_only();
    v2.version = 2;
    v2.effective_from = at("2025-06-01T00:00:00+08:00");
    program_versions versions(v1);
    versions.add(v2);
    member_run run(versions);
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("e1", "2025-02-20T10:00:00+08:00", "1000.00")).accepted());
    ASSERT_TRUE(run.apply(tick("t1", "2025-04-15T10:00:00+08:00")).accepted());  // settles e1 under v1
    ASSERT_TRUE(run.apply(simple_ro("e2", "2025-05-20T10:00:00+08:00", "300.00")).accepted());
    // Under v2 (no window): e1 was settled, e2 was not and can be undone 71 days later.
    EXPECT_EQ(run.apply(reverse_of("x1", "2025-07-30T10:00:00+08:00", "e1")).refused,
              refusal::reversal_window_passed);
    const outcome x2 = run.apply(reverse_of("x2", "2025-07-30T11:00:00+08:00", "e2"));
    ASSERT_TRUE(x2.accepted()) << x2.message;
    EXPECT_EQ(run.state().balance(), points(1500));  // 500 + 1,000 + 300 - 300
}

TEST(ReversalWindow, ACancellationPastTheWindowIsRefused) {
    member_run run(windowed(30));
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple("r1", "2025-02-01T10:00:00+08:00", "redeem", R"(,"reward":"car-care-kit")")).accepted());
    const std::string cancel = R"(,"redemption":"r1")";
    // 2025-02-01 + 30 = 2025-03-03 is the last day.
    const outcome late = run.apply(simple("c1", "2025-03-04T10:00:00+08:00", "cancel_redemption", cancel));
    EXPECT_EQ(late.refused, refusal::reversal_window_passed);
    const outcome on_time = run.apply(simple("c2", "2025-03-03T10:00:00+08:00", "cancel_redemption", cancel));
    EXPECT_EQ(on_time.refused, refusal::none) << on_time.message;
    EXPECT_EQ(run.state().balance(), points(500));  // the 300 of the kit came back
}

// Reversals within the window: the same entries, hashes and refusals as without a window,
// over two years of monthly orders (each third one reversed five days later), while the state
// keeps the means to undo only the recent events.
TEST(ReversalWindow, WithinTheWindowNothingObservableChanges) {
    member_run windowed_run(windowed(30)), open_run(variant([](nlohmann::json& j) {
        for (auto& r : j["earning_rules"])
            if (r["id"] == "survey") r["once_per_repair_order"] = true;
    }));
    std::vector<std::string> journal{enrol("e0", "2025-01-10T10:00:00+08:00")};
    for (int m = 0; m < 24; ++m) {
        const int year = 2025 + m / 12, month = 1 + m % 12;
        char day[32];
        std::snprintf(day, sizeof day, "%04d-%02d-15", year, month);
        const std::string id = "ro" + std::to_string(m);
        journal.push_back(simple_ro(id, std::string(day) + "T10:00:00+08:00", std::to_string(100 + m) + ".00"));
        std::snprintf(day, sizeof day, "%04d-%02d-20", year, month);
        if (m % 3 == 0) journal.push_back(reverse_of("x" + std::to_string(m), std::string(day) + "T10:00:00+08:00", id));
        else journal.push_back(survey_of("s" + std::to_string(m), std::string(day) + "T11:00:00+08:00", id));
    }
    for (const std::string& text : journal) {
        const outcome a = windowed_run.apply(text), b = open_run.apply(text);
        ASSERT_EQ(a.refused, b.refused) << text << ": " << a.message;
        ASSERT_EQ(a.entries.size(), b.entries.size()) << text;
        for (std::size_t i = 0; i < a.entries.size(); ++i) EXPECT_EQ(a.entries[i].hash, b.entries[i].hash) << text;
    }
    EXPECT_EQ(windowed_run.state().balance(), open_run.state().balance());
    // 49 events: e0, 24 orders, 8 reversals (m = 0, 3, ..., 21) and 16 surveys. The last one, s23
    // on 2026-12-20, settled those of a local day before 2026-12-20 - 30 days = 2026-11-20: all but
    // s22 (2026-11-20) and ro23 (2026-12-15); s23 itself came after. 49 - 3 = 46.
    std::size_t settled = 0;
    for (const auto& kv : windowed_run.state().effects) settled += kv.second.summary.settled ? 1 : 0;
    EXPECT_EQ(windowed_run.state().effects.size(), 49u);
    EXPECT_EQ(settled, 46u);
}

TEST(ReversalWindow, ASnapshotKeepsSettledEffects) {
    member_run run(windowed(30));
    ASSERT_TRUE(run.apply(enrol("e0", "2025-01-10T10:00:00+08:00")).accepted());
    ASSERT_TRUE(run.apply(simple_ro("e1", "2025-03-01T10:00:00+08:00", "1000.00")).accepted());
    // e1 is within its window (e0 was settled by it): no "settled" key is written for it.
    EXPECT_FALSE(io::state_to_json(run.state())["effects"]["e1"].contains("settled"));
    EXPECT_TRUE(io::state_to_json(run.state())["effects"]["e0"]["settled"].get<bool>());
    ASSERT_TRUE(run.apply(tick("t1", "2025-04-01T10:00:00+08:00")).accepted());
    const nlohmann::json j = io::state_to_json(run.state());
    EXPECT_EQ(j["effects"]["e1"]["settled"], true);
    const member_state back = io::state_from_json(j);
    EXPECT_EQ(back, run.state());
    EXPECT_TRUE(back.effects.at("e1").settled);
    EXPECT_EQ(io::state_to_json_text(back), j.dump());
}

}  // namespace unit_reversal_window
}  // namespace loyalty::test
