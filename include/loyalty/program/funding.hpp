#pragma once
// Who funds what: the manufacturer, the dealer, a partner such as an insurer. A programme
// declares its funders; each earning rule, benefit and reward names the one that pays for it
// (else the programme's default funder) and, optionally, what it costs that funder, so that a
// dealer group can settle with the manufacturer from the ledger alone.
#include <optional>
#include <string>

#include "loyalty/core/decimal.hpp"
#include "loyalty/core/money.hpp"

namespace loyalty {

struct funder {
    std::string id;    // "manufacturer", "dealer", "insurer"
    std::string name;  // for people
    friend bool operator==(const funder& a, const funder& b) { return a.id == b.id && a.name == b.name; }
};

// Who pays for one rule, benefit or reward, and what it costs them.
struct funding_terms {
    std::string funder;                     // "": the programme's default funder
    std::optional<decimal> cost_per_point;  // earning rules: money (programme currency, major units) per point issued
    std::optional<money> cost_per_use;      // benefits: money per quota unit used
};

}  // namespace loyalty
