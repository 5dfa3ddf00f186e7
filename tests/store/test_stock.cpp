// A stock-limited reward under concurrent writers, on SQLite and PostgreSQL: the store never
// issues more units than the programme has, and no writer's count of issued units is lost.
#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "store_support.hpp"

namespace loyalty {
namespace store_stock {
namespace {

using store::event_status;
using test::enrol_of;

class stock_test : public test::store_test {};

// The reference club with its car-care kit (300 points, no limit per member) limited to
// `units` programme-wide. Every member's 500 welcome points buy one kit.
program_versions kit_in_stock(int units) {
    return program_versions(test::variant([&](nlohmann::json& j) {
        for (nlohmann::json& r : j["rewards"])
            if (r["id"] == "car-care-kit") r["stock"] = units;
    }));
}

std::string member_no(int i) { return "K" + std::to_string(i); }

event redeem_kit(const std::string& id, const std::string& member) {
    return test::ev(R"({"id":")" + id + R"(","member":")" + member +
                    R"(","at":"2026-02-01T10:00:00Z","type":"redeem","reward":"car-care-kit"})");
}

event cancel_of(const std::string& id, const std::string& member, const std::string& redemption) {
    return test::ev(R"({"id":")" + id + R"(","member":")" + member +
                    R"(","at":"2026-02-02T10:00:00Z","type":"cancel_redemption","redemption":")" + redemption + R"("})");
}

// Enrols members 0..count-1 in one batch.
void enrol_members(const std::string& url, const program_versions& club, int count) {
    std::vector<event> enrolments;
    for (int i = 0; i < count; ++i) enrolments.push_back(enrol_of("enrol-" + std::to_string(i), member_no(i), "2026-01-05T10:00:00Z"));
    ASSERT_EQ(store::store::open(url, club)->append(enrolments).accepted, static_cast<std::size_t>(count));
}

// What the writers were answered, added up (cancellations are the events named "undo-...").
struct answers {
    std::atomic<int> redeemed{0}, out_of_stock{0}, cancelled{0}, other{0};
    void count(const store::event_result& r) {
        const bool cancellation = r.event.rfind("undo-", 0) == 0;
        if (r.status == event_status::accepted) ++(cancellation ? cancelled : redeemed);
        else if (r.code == refusal::out_of_stock && !cancellation) ++out_of_stock;
        else ++other;
    }
};

// `writers` threads, each with its own connection, all starting together; writer w sends the
// events work(w) gives, one batch each, and every answer is counted.
void run_writers(const std::string& url, const program_versions& club, int writers,
                 const std::function<std::vector<event>(int)>& work, answers& out) {
    std::atomic<int> ready{0};
    std::vector<std::string> errors(static_cast<std::size_t>(writers));
    std::vector<std::thread> threads;
    for (int w = 0; w < writers; ++w)
        threads.emplace_back([&, w] {
            try {
                auto db = store::store::open(url, club);
                const std::vector<event> mine = work(w);
                ++ready;
                while (ready.load() < writers) std::this_thread::yield();  // a start line, so they overlap
                for (const event& e : mine)
                    for (const store::event_result& r : db->append({e}).events) out.count(r);
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(w)] = e.what();
            }
        });
    for (std::thread& t : threads) t.join();
    for (const std::string& e : errors) EXPECT_EQ(e, "");
}

// 8 writers redeem a 100-unit reward for 240 different members at once: exactly 100 are
// issued, the other 140 are refused out_of_stock, and the store's count says 100.
TEST_P(stock_test, ConcurrentWritersNeverIssueMoreThanTheStock) {
    constexpr int writers = 8, members = 240, units = 100;
    const program_versions club = kit_in_stock(units);
    const std::string u = url();
    enrol_members(u, club, members);
    answers a;
    run_writers(
        u, club, writers,
        [&](int w) {
            std::vector<event> mine;
            for (int i = w; i < members; i += writers) mine.push_back(redeem_kit("kit-" + std::to_string(i), member_no(i)));
            return mine;
        },
        a);
    EXPECT_EQ(a.redeemed.load(), units);
    EXPECT_EQ(a.out_of_stock.load(), members - units);
    EXPECT_EQ(a.other.load(), 0);
    auto db = store::store::open(u, club);
    EXPECT_EQ(db->reward_stock().at("car-care-kit"), units);
    EXPECT_EQ(db->event_count(), static_cast<std::size_t>(members + units));
    EXPECT_TRUE(db->verify().ok());  // a replay of the journal refuses nothing the store accepted
}

// Cancellations give units back while other writers redeem: the stored count is always the
// units issued less those given back, never more than the stock (no writer's update is lost).
TEST_P(stock_test, CancellationsRacingRedemptionsKeepTheCountExact) {
    constexpr int writers = 8, members = 120, units = 40, cancelled_members = 30;
    const program_versions club = kit_in_stock(units);
    const std::string u = url();
    enrol_members(u, club, members);
    {
        // Members 0..29 hold a kit before the race; the first writer cancels those 30 while
        // the other seven redeem for members 30..119.
        std::vector<event> first;
        for (int i = 0; i < cancelled_members; ++i) first.push_back(redeem_kit("kit-" + std::to_string(i), member_no(i)));
        ASSERT_EQ(store::store::open(u, club)->append(first).accepted, static_cast<std::size_t>(cancelled_members));
    }
    answers a;
    run_writers(
        u, club, writers,
        [&](int w) {
            std::vector<event> mine;
            if (w == 0) {
                for (int i = 0; i < cancelled_members; ++i)
                    mine.push_back(cancel_of("undo-" + std::to_string(i), member_no(i), "kit-" + std::to_string(i)));
            } else {
                for (int i = cancelled_members + w - 1; i < members; i += writers - 1)
                    mine.push_back(redeem_kit("kit-" + std::to_string(i), member_no(i)));
            }
            return mine;
        },
        a);
    EXPECT_EQ(a.cancelled.load(), cancelled_members);
    EXPECT_EQ(a.other.load(), 0);
    EXPECT_EQ(a.redeemed.load() + a.out_of_stock.load(), members - cancelled_members);
    // 10 units were left before the race and 30 came back during it: between 10 and 40 of
    // the 90 redemptions are accepted, depending on the order the writers met.
    EXPECT_GE(a.redeemed.load(), units - cancelled_members);
    EXPECT_LE(a.redeemed.load(), units);
    auto db = store::store::open(u, club);
    EXPECT_EQ(db->reward_stock().at("car-care-kit"), cancelled_members + a.redeemed.load() - a.cancelled.load());
    EXPECT_TRUE(db->verify().ok());
}

INSTANTIATE_TEST_SUITE_P(backend, stock_test, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace store_stock
}  // namespace loyalty
