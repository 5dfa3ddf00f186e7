#pragma once
// Random journals of linked members, for the store's ingest tests: members enrolling in
// referral chains (each new member mostly referred by the one before), households that send
// each other points, fleet accounts whose tier their members share, vehicles sold between
// members, rewards with little stock, and refusals of every sort: events of members not yet
// enrolled, referrers who are no members, transfers outside the household or past the balance,
// rewards out of stock, events sent again, and refused events sent again once their reason has
// gone. Every event a store must lock a counterpart for (a referrer, a receiver, a seller, an
// account and its members) is in it. The same seed gives the same journal on every machine.
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "engine_support.hpp"

namespace loyalty::test {

// The reference club, and: a tier whose qualification fleet accounts count at account level (a
// member's visit may change the tier of every member of the account), and a car-care kit with
// only six units, so that stock runs out.
inline const program_versions& linked_club() {
    static const program_versions v(variant([](nlohmann::json& j) {
        j["tiers"] = nlohmann::json::parse(R"({"window": {"period": "calendar_year"}, "levels": [
            {"id": "gold", "name": "Gold", "qualify": {"spend": "5000.00"}, "retain": {"spend": "3000.00"}}]})");
        j["fleet_policies"][0]["qualification"] = "account";
        for (nlohmann::json& reward : j["rewards"])
            if (reward["id"] == "car-care-kit") reward["stock"] = 6;
    }));
    return v;
}

// splitmix64: the same numbers on every machine and standard library.
class journal_dice {
public:
    explicit journal_dice(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    bool chance(int percent) { return below(100) < percent; }
    template <class T>
    const T& pick(const std::vector<T>& v) { return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))]; }

private:
    std::uint64_t state_;
};

class linked_journal_writer {
public:
    explicit linked_journal_writer(std::uint64_t seed) : dice_(seed) {
        for (int i = 0; i < 24; ++i) waiting_.push_back(member_name(i));
    }

    std::vector<event> write(int count) {
        emit("F1", "open_account", R"(,"policy":"corporate")");
        emit("F2", "open_account", R"(,"policy":"corporate")");
        while (static_cast<int>(out_.size()) < count) {
            t_ += std::chrono::minutes(dice_.pick<int>({30, 90, 240, 720, 1440, 2880}));
            next_event();
        }
        return out_;
    }

private:
    static std::string member_name(int i) { return (i < 10 ? "M0" : "M") + std::to_string(i); }
    static std::string household_of(const std::string& member) { return "H" + std::to_string(std::stoi(member.substr(1)) / 2); }
    static std::string partner_of(const std::string& member) {
        const int i = std::stoi(member.substr(1));
        return member_name(i % 2 == 0 ? i + 1 : i - 1);
    }

    const std::string& emit(const std::string& member, const std::string& type, const std::string& extra = "") {
        const std::string id = "x" + std::to_string(++counter_);
        out_.push_back(ev(R"({"id":")" + id + R"(","member":")" + member + R"(","at":")" + format_instant(t_) +
                          R"(","type":")" + type + "\"" + extra + "}"));
        return out_.back().id;
    }

    void next_event() {
        const int roll = dice_.below(100);
        if (enrolled_.empty() || (roll < 14 && !waiting_.empty())) return enrol();
        const std::string m = dice_.pick(enrolled_);
        if (roll < 40) return repair_order(m);
        if (roll < 46) return vehicle(m);
        if (roll < 56) return transfer(m);
        if (roll < 68) return redeem(m);
        if (roll < 72) return cancel(m);
        if (roll < 80) return account_move(m);
        if (roll < 85) return reverse(m);
        if (roll < 90) return stranger();
        if (roll < 95) return again();
        return early_again();
    }

    // Mostly referred by the member who enrolled just before (so referrers were referred too),
    // now and then by anyone, by no member (refused) or by no one.
    void enrol() {
        const std::string m = waiting_.front();
        waiting_.erase(waiting_.begin());
        const int who = dice_.below(20);
        std::string by;
        if (!enrolled_.empty() && who < 13) by = enrolled_.back();
        else if (!enrolled_.empty() && who < 16) by = dice_.pick(enrolled_);
        else if (who < 17) by = "NOBODY";
        emit(m, "enrol", R"(,"household":")" + household_of(m) + "\"" + (by.empty() ? "" : R"(,"referred_by":")" + by + "\""));
        if (by == "NOBODY") {
            waiting_.insert(waiting_.begin(), m);  // refused: enrols again later, under a new id
            return;
        }
        enrolled_.push_back(m);
        referrer_[m] = by;
    }
    void repair_order(const std::string& m) {
        const std::string price = std::to_string(50 + dice_.below(2500)) + ".00";
        visits_[m].push_back(emit(m, "repair_order", R"(,"lines":[{"kind":"labour","category":"maintenance","unit_price":")" +
                                                         price + "\"}]"));
    }
    // A new vehicle, or one another member holds (or held: then it is refused).
    void vehicle(const std::string& m) {
        std::string extra = R"(,"price":")" + std::to_string(60000 + dice_.below(240000)) + R"(.00")";
        std::string vin = "V" + std::to_string(counter_ + 1);
        if (!holder_.empty() && dice_.chance(50)) {
            auto it = holder_.begin();
            std::advance(it, dice_.below(static_cast<int>(holder_.size())));
            // Now and then from the buyer's referrer: one event then posts twice on the
            // referrer's chain (the seller's side and the referral reward).
            if (it->second != m) {
                vin = it->first;
                extra += R"(,"previous_owner":")" + it->second + "\"";
            }
        }
        visits_[m].push_back(emit(m, "vehicle_purchase", R"(,"vin":")" + vin + "\"" + extra));
        holder_[vin] = m;
    }
    // To the household partner, or now and then to anyone (refused unless it is the partner).
    void transfer(const std::string& m) {
        const std::string to = dice_.chance(80) ? partner_of(m) : dice_.pick(enrolled_);
        emit(m, "transfer", R"(,"to":")" + to + R"(","points":)" + std::to_string(100 + dice_.below(900)));
    }
    void redeem(const std::string& m) {
        const std::string reward = dice_.pick<std::string>({"car-care-kit", "car-care-kit", "wiper-blades", "floor-mats"});
        redemptions_[m].push_back(emit(m, "redeem", R"(,"reward":")" + reward + "\""));
    }
    void cancel(const std::string& m) {
        if (redemptions_[m].empty()) return repair_order(m);
        emit(m, "cancel_redemption", R"(,"redemption":")" + dice_.pick(redemptions_[m]) + "\"");
    }
    void account_move(const std::string& m) {
        const int what = dice_.below(10);
        const std::string account = dice_.chance(50) ? "F1" : "F2";
        if (what < 6) emit(m, "join_account", R"(,"account":")" + account + "\"");
        else if (what < 8) emit(m, "leave_account");
        else emit(account, "settle_rebate", R"(,"period_of":"2025-12-31")");
    }
    void reverse(const std::string& m) {
        if (visits_[m].empty()) return repair_order(m);
        emit(m, "reverse", R"(,"event":")" + dice_.pick(visits_[m]) + "\"");
    }
    // An event of a member who has not enrolled yet (refused), kept to be sent again later.
    void stranger() {
        const std::string m = waiting_.empty() ? std::string("NOBODY") : dice_.pick(waiting_);
        emit(m, "adjustment", R"(,"points":50,"reason":"early","operator":"op-1")");
        early_.push_back(out_.back());
    }
    // An earlier event sent again, as it was (a duplicate or the same refusal).
    void again() { out_.push_back(dice_.pick(out_)); }
    // A refused event of a member who was not enrolled then, sent again as it was, now that he
    // may be.
    void early_again() {
        if (early_.empty()) return stranger();
        out_.push_back(dice_.pick(early_));
    }

    journal_dice dice_;
    date::sys_seconds t_ = at("2025-09-01T01:00:00Z");
    int counter_ = 0;
    std::vector<event> out_;
    std::vector<std::string> waiting_, enrolled_;
    std::map<std::string, std::vector<std::string>> visits_, redemptions_;
    std::map<std::string, std::string> holder_;    // VIN -> the member who bought it last
    std::map<std::string, std::string> referrer_;  // member -> who referred him ("" none)
    std::vector<event> early_;
};

inline std::vector<event> linked_journal(std::uint64_t seed, int count) { return linked_journal_writer(seed).write(count); }

}  // namespace loyalty::test
