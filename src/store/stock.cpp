// The reward stock in the store: locks before the read, relative writes (stock.hpp).
#include "stock.hpp"

#include <variant>

namespace loyalty::store::detail {

std::set<std::string> stock_limited_rewards(const program_versions& versions, const std::vector<const event*>& batch) {
    std::set<std::string> out;
    for (const event* e : batch) {
        const auto* r = std::get_if<events::redeem>(&e->body);
        if (!r) continue;
        const program* prog = versions.at(e->at);
        const reward* rw = prog ? prog->find_reward(r->reward) : nullptr;
        if (rw && rw->stock) out.insert(rw->id);
    }
    return out;
}

void lock_stock(connection& db, const program_versions& versions, const std::vector<const event*>& batch) {
    for (const std::string& reward : stock_limited_rewards(versions, batch)) db.lock_stock(reward);
}

void add_stock_moves(connection& db, const std::map<std::string, std::int64_t>& before,
                     const std::map<std::string, std::int64_t>& after) {
    // In the order of reward ids, so that two writers updating the same rows take their row
    // locks in one order.
    for (const auto& [reward, issued] : after) {
        const auto it = before.find(reward);
        const std::int64_t moved = issued - (it == before.end() ? 0 : it->second);
        if (moved == 0) continue;
        db.query("INSERT INTO reward_stock (reward, issued) VALUES (?, ?) "
                 "ON CONFLICT (reward) DO UPDATE SET issued = reward_stock.issued + excluded.issued",
                 {reward, moved});
    }
}

void check_stock(const std::map<std::string, std::int64_t>& stored, const std::map<std::string, std::int64_t>& replayed,
                 verification_report& report) {
    std::set<std::string> rewards;
    for (const auto& [reward, issued] : stored) rewards.insert(reward);
    for (const auto& [reward, issued] : replayed) rewards.insert(reward);
    const auto issued_in = [](const std::map<std::string, std::int64_t>& m, const std::string& reward) {
        const auto it = m.find(reward);
        return it == m.end() ? std::int64_t{0} : it->second;
    };
    for (const std::string& reward : rewards) {
        const std::int64_t kept = issued_in(stored, reward), issued = issued_in(replayed, reward);
        if (kept != issued)
            report.problems.push_back({"", 0,
                                       "reward stock of '" + reward + "': the store counts " + std::to_string(kept) +
                                           " units issued, a replay of the journal " + std::to_string(issued),
                                       verified::stock, std::nullopt, std::nullopt, {}});
    }
}

}  // namespace loyalty::store::detail
