#pragma once
// Reward stock is programme-wide: it is counted across members by whoever applies the journal
// (journal_runner, the store), not by one member's state. apply() reads it and reports what an
// event moved in outcome::stock_moves; the runner adds those moves.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace loyalty {

struct reward_stock {
    std::map<std::string, std::int64_t> issued;  // units of each reward issued so far (net of cancellations)

    std::int64_t issued_of(const std::string& reward) const {
        const auto it = issued.find(reward);
        return it == issued.end() ? 0 : it->second;
    }
    void add(const std::vector<std::pair<std::string, std::int64_t>>& moves) {
        for (const auto& [reward, units] : moves) issued[reward] += units;
    }
    friend bool operator==(const reward_stock& a, const reward_stock& b) { return a.issued == b.issued; }
};

}  // namespace loyalty
