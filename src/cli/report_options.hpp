#pragma once
// Options shared by `report liability` and `report compare`: the value of a point, the
// expected redemption rate and the rounding mode, checked and resolved against a programme.
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "loyalty/core/money.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty::cli {

struct valuation_options {
    std::string point_value;     // "" = the programme's point_value
    std::string rate;            // "" = none given
    std::string rounding = "half_up";
};

struct valuation {
    std::optional<money> point_value;
    std::string point_value_from;  // "--point-value" or "programme 4s-club v1"
    std::optional<decimal> rate;
    rounding mode = rounding::half_up;
};

void add_valuation_options(CLI::App& cmd, valuation_options& o, bool rate_required);

// Parses the options; with `required`, a missing point value (neither --point-value nor the
// programme's point_value) or rate raises loyalty.cli.no_point_value / loyalty.cli.no_redemption_rate.
valuation resolve_valuation(const valuation_options& o, const program& prog, bool required);

}  // namespace loyalty::cli
