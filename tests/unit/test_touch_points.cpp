// Touch points for an as-of day: care call, birthday, maintenance due, points expiring, quota
// unused. Expected days are worked out by hand in the comments.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_support.hpp"
#include "loyalty/insight/touch_points.hpp"

namespace loyalty::test {
namespace unit_touch_points {

struct replay {
    replay(program p, const std::vector<std::string>& events) : rec(program_versions(std::move(p))) {
        for (const std::string& e : events) {
            const outcome o = rec.apply(ev(e));
            if (!o.accepted()) throw std::runtime_error("refused: " + e + ": " + o.message);
        }
    }
    std::vector<touch_point> points(const std::string& as_of, std::int64_t within, touch_point_kind kind,
                                    const member_value_rules& rules = {}) const {
        std::vector<touch_point> out;
        for (const touch_point& t : touch_points_of(rec.versions().latest(), rec.runner().members().at("M1"),
                                                    rec.history_of("M1"), at(as_of), rules, within))
            if (t.kind == kind) out.push_back(t);
        return out;
    }
    history_recorder rec;
};

std::string enrol_born(const std::string& when, const std::string& birthday) {
    return R"({"id":"e1","member":"M1","at":")" + when + R"(","type":"enrol","birthday":")" + birthday + R"("})";
}
std::string purchase(const std::string& id, const std::string& when, const std::string& vin = "VIN1") {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"vehicle_purchase","vin":")" + vin +
           R"(","price":"150000.00"})";
}
std::string service(const std::string& id, const std::string& when, const std::string& vin = "VIN1") {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"repair_order","vin":")" + vin +
           R"(","lines":[{"kind":"labour","category":"maintenance","unit_price":"300.00"}]})";
}

TEST(TouchPoints, CareCallThirtyDaysAfterPurchase) {
    const replay r(points_only(), {enrol("e1", "2025-05-01T10:00:00+08:00"), purchase("p1", "2025-06-01T10:00:00+08:00")});
    // 2025-06-01 + 30 days = 2025-07-01.
    auto due = r.points("2025-07-01T09:00:00+08:00", 0, touch_point_kind::care_call);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].on, on("2025-07-01"));
    EXPECT_EQ(due[0].days_from_as_of, 0);
    EXPECT_EQ(due[0].subject, "VIN1");
    // From 2025-06-24 the window of 7 days reaches 2025-07-01 (7 days ahead); 6 days does not.
    EXPECT_EQ(r.points("2025-06-24T09:00:00+08:00", 7, touch_point_kind::care_call).size(), 1u);
    EXPECT_EQ(r.points("2025-06-24T09:00:00+08:00", 7, touch_point_kind::care_call)[0].days_from_as_of, 7);
    EXPECT_TRUE(r.points("2025-06-24T09:00:00+08:00", 6, touch_point_kind::care_call).empty());
    // The day after, it is past.
    EXPECT_TRUE(r.points("2025-07-02T09:00:00+08:00", 7, touch_point_kind::care_call).empty());
    // A rule of 45 days moves it to 2025-07-16.
    member_value_rules later;
    later.touch_points.care_call_days = 45;
    EXPECT_EQ(r.points("2025-07-16T09:00:00+08:00", 0, touch_point_kind::care_call, later).size(), 1u);
}

TEST(TouchPoints, CareCallOnShanghaiDayNotUtcDay) {
    // As of 2025-06-30T16:30:00Z: 00:30 on 1 July in Shanghai (the care-call day, 0 days ahead),
    // still 30 June in UTC (1 day ahead: outside a window of 0 days).
    const std::vector<std::string> events = {enrol("e1", "2025-05-01T10:00:00Z"), purchase("p1", "2025-06-01T10:00:00Z")};
    const replay shanghai(points_only(), events);
    EXPECT_EQ(shanghai.points("2025-06-30T16:30:00Z", 0, touch_point_kind::care_call).size(), 1u);
    const replay utc(variant([](nlohmann::json& j) { j["time_zone"] = "UTC"; }), events);
    EXPECT_TRUE(utc.points("2025-06-30T16:30:00Z", 0, touch_point_kind::care_call).empty());
    EXPECT_EQ(utc.points("2025-06-30T16:30:00Z", 1, touch_point_kind::care_call).at(0).days_from_as_of, 1);
}

TEST(TouchPoints, ReversedPurchaseHasNoCareCall) {
    const replay r(points_only(), {enrol("e1", "2025-05-01T10:00:00+08:00"), purchase("p1", "2025-06-01T10:00:00+08:00"),
                                   reverse_of("x1", "2025-06-05T10:00:00+08:00", "p1")});
    EXPECT_TRUE(r.points("2025-07-01T09:00:00+08:00", 0, touch_point_kind::care_call).empty());
}

TEST(TouchPoints, BirthdayWindowAcrossYearEnd) {
    const replay r(points_only(), {enrol_born("2025-05-01T10:00:00+08:00", "01-02")});
    // As of 2026-12-28, 2 January 2026 has passed; the next is 2027-01-02, 5 days ahead.
    auto b = r.points("2026-12-28T10:00:00+08:00", 7, touch_point_kind::birthday);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].on, on("2027-01-02"));
    EXPECT_EQ(b[0].days_from_as_of, 5);
    EXPECT_TRUE(r.points("2026-12-28T10:00:00+08:00", 4, touch_point_kind::birthday).empty());
    // On the birthday itself: 0 days.
    EXPECT_EQ(r.points("2027-01-02T10:00:00+08:00", 0, touch_point_kind::birthday).at(0).days_from_as_of, 0);
}

TEST(TouchPoints, LeapDayBirthdayIs28FebruaryInCommonYears) {
    const replay r(points_only(), {enrol_born("2025-05-01T10:00:00+08:00", "02-29")});
    // 2027 is a common year: 28 February; 2028 is a leap year: 29 February.
    EXPECT_EQ(r.points("2027-02-25T10:00:00+08:00", 7, touch_point_kind::birthday).at(0).on, on("2027-02-28"));
    EXPECT_EQ(r.points("2028-02-25T10:00:00+08:00", 7, touch_point_kind::birthday).at(0).on, on("2028-02-29"));
    // As of 2027-03-01 the 2027 birthday (28 Feb) has passed; the next, 2028-02-29, is far ahead.
    EXPECT_TRUE(r.points("2027-03-01T10:00:00+08:00", 30, touch_point_kind::birthday).empty());
}

TEST(TouchPoints, NoBirthdayKnown) {
    const replay r(points_only(), {enrol("e1", "2025-05-01T10:00:00+08:00")});
    EXPECT_TRUE(r.points("2025-05-01T10:00:00+08:00", 366, touch_point_kind::birthday).empty());
}

TEST(TouchPoints, PointsExpiringOnDayNVersusNPlusOne) {
    // The reference club: the 500-point welcome lot earned 2025-01-10 expires 24 months later,
    // kept to the end of the month: on 2027-02-01 (00:00 Shanghai), usable through 2027-01-31.
    const replay r(points_only(), {enrol("e1", "2025-01-10T10:00:00+08:00")});
    // As of 2027-01-01, 2027-01-31 is 30 days ahead: within 30 lists it, within 29 does not.
    auto x = r.points("2027-01-01T10:00:00+08:00", 30, touch_point_kind::points_expiring);
    ASSERT_EQ(x.size(), 1u);
    EXPECT_EQ(x[0].on, on("2027-01-31"));
    EXPECT_EQ(x[0].days_from_as_of, 30);
    EXPECT_EQ(x[0].amount, points(500));
    EXPECT_TRUE(r.points("2027-01-01T10:00:00+08:00", 29, touch_point_kind::points_expiring).empty());
    // On 2027-02-01 they have expired (even if no event has posted the expiry yet): nothing to say.
    EXPECT_TRUE(r.points("2027-02-01T10:00:00+08:00", 30, touch_point_kind::points_expiring).empty());
}

TEST(TouchPoints, ExpiringLotsOfOneDayAreSummedAndSpentPointsAreNot) {
    // Welcome 500 (2025-01-10) and a 300.00 order on 2025-01-20 earning 300: both expire on 2027-02-01.
    // 200 points adjusted away come out of the soonest-expiring lot: 600 remain.
    const replay r(points_only(), {enrol("e1", "2025-01-10T10:00:00+08:00"),
                                   simple_ro("r1", "2025-01-20T10:00:00+08:00", "300.00"),
                                   adjust("a1", "2025-02-01T10:00:00+08:00", -200)});
    auto x = r.points("2027-01-25T10:00:00+08:00", 7, touch_point_kind::points_expiring);
    ASSERT_EQ(x.size(), 1u);
    EXPECT_EQ(x[0].amount, points(600));
}

TEST(TouchPoints, MaintenanceDueMonthsAfterLastService) {
    const replay r(points_only(), {enrol("e1", "2025-05-01T10:00:00+08:00"), purchase("p1", "2025-06-01T10:00:00+08:00"),
                                   service("s1", "2025-08-31T10:00:00+08:00")});
    // Last service 2025-08-31 + 6 months = 2026-02-28 (clamped: no 31 February).
    auto m = r.points("2026-02-21T10:00:00+08:00", 7, touch_point_kind::maintenance_due);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].on, on("2026-02-28"));
    EXPECT_EQ(m[0].subject, "VIN1");
    EXPECT_TRUE(r.points("2026-02-21T10:00:00+08:00", 6, touch_point_kind::maintenance_due).empty());
    // Overdue stays listed: as of 2026-03-10 it is 10 days late.
    EXPECT_EQ(r.points("2026-03-10T10:00:00+08:00", 0, touch_point_kind::maintenance_due).at(0).days_from_as_of, -10);
}

TEST(TouchPoints, MaintenanceFromPurchaseWhenNeverServicedAndPerVehicle) {
    const replay r(points_only(), {enrol("e1", "2025-05-01T10:00:00+08:00"), purchase("p1", "2025-06-01T10:00:00+08:00"),
                                   purchase("p2", "2025-07-15T10:00:00+08:00", "VIN2"),
                                   service("s1", "2025-12-20T10:00:00+08:00", "VIN2")});
    // VIN1: bought 2025-06-01, never serviced: due 2025-12-01. VIN2: serviced 2025-12-20: due 2026-06-20.
    auto m = r.points("2025-12-01T10:00:00+08:00", 0, touch_point_kind::maintenance_due);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].subject, "VIN1");
    // As of 2025-12-20 (after the VIN2 service that day) only VIN1, 19 days overdue.
    m = r.points("2025-12-20T18:00:00+08:00", 0, touch_point_kind::maintenance_due);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].days_from_as_of, -19);
}

TEST(TouchPoints, QuotaUnusedBeforePeriodEnd) {
    // The reference club: 4 waxings per calendar year, 6 inspections per anniversary year.
    const replay r(reference_program(),
                   {enrol("e1", "2025-01-10T10:00:00+08:00"),
                    R"({"id":"w1","member":"M1","at":"2025-03-01T10:00:00+08:00","type":"repair_order",
                        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})"});
    // As of 2025-12-25, 7 days reach 2025-12-31, the calendar year's last day: 3 of 4 waxings left.
    auto q = r.points("2025-12-25T10:00:00+08:00", 7, touch_point_kind::quota_unused);
    ASSERT_EQ(q.size(), 1u);
    EXPECT_EQ(q[0].subject, "waxing");
    EXPECT_EQ(q[0].uses_left, 3);
    EXPECT_EQ(q[0].on, on("2025-12-31"));
    // The anniversary year 2025-01-10..2026-01-09 ends 15 days after 2025-12-25: with 15, both.
    q = r.points("2025-12-25T10:00:00+08:00", 15, touch_point_kind::quota_unused);
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[1].subject, "inspection-36");
    EXPECT_EQ(q[1].uses_left, 6);
    EXPECT_EQ(q[1].on, on("2026-01-09"));
}

TEST(TouchPoints, QuotaUsedUpIsNotListed) {
    std::vector<std::string> events = {enrol("e1", "2025-01-10T10:00:00+08:00")};
    for (int i = 1; i <= 4; ++i)
        events.push_back(R"({"id":"w)" + std::to_string(i) + R"(","member":"M1","at":"2025-0)" + std::to_string(i + 2) +
                         R"(-01T10:00:00+08:00","type":"repair_order",
                        "lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"}]})");
    const replay r(reference_program(), events);
    EXPECT_TRUE(r.points("2025-12-25T10:00:00+08:00", 7, touch_point_kind::quota_unused).empty());
}

TEST(TouchPoints, SortedByDayThenKind) {
    const replay r(points_only(), {enrol_born("2025-05-01T10:00:00+08:00", "07-01"), purchase("p1", "2025-06-01T10:00:00+08:00")});
    // Care call 2025-07-01 and birthday 2025-07-01: same day, care_call first (kind order).
    const auto all = touch_points_of(r.rec.versions().latest(), r.rec.runner().members().at("M1"), r.rec.history_of("M1"),
                                     at("2025-06-30T10:00:00+08:00"), {}, 1);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].kind, touch_point_kind::care_call);
    EXPECT_EQ(all[1].kind, touch_point_kind::birthday);
}

}  // namespace unit_touch_points
}  // namespace loyalty::test
