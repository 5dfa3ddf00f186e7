#include "report_options.hpp"

#include "loyalty/core/error.hpp"

namespace loyalty::cli {

void add_valuation_options(CLI::App& cmd, valuation_options& o, bool rate_required) {
    cmd.add_option("--point-value", o.point_value, "value of one point, e.g. 0.10 (default: the programme's point_value)");
    auto* r = cmd.add_option("--redemption-rate", o.rate, "expected share of points redeemed, exact decimal, e.g. 0.85");
    if (rate_required) r->required();
    cmd.add_option("--rounding", o.rounding, "rounding of money to the minor unit: half_up, half_even, down, up, toward_zero")
        ->capture_default_str();
}

valuation resolve_valuation(const valuation_options& o, const program& prog, bool required) {
    valuation v;
    const auto mode = parse_rounding(o.rounding);
    if (!mode)
        throw error("loyalty.cli.invalid_rounding",
                    "--rounding '" + o.rounding + "' is not one of half_up, half_even, down, up, toward_zero");
    v.mode = *mode;
    if (!o.point_value.empty()) {
        const auto m = money::parse(o.point_value, prog.currency_unit);
        if (!m || m->minor_units() <= 0)
            throw error("loyalty.cli.invalid_point_value",
                        "--point-value '" + o.point_value + "' is not a positive amount in " +
                            std::string(prog.currency_unit.code()) + " (at most " +
                            std::to_string(prog.currency_unit.minor_digits()) + " decimals)");
        v.point_value = m;
        v.point_value_from = "--point-value";
    } else if (prog.point_value) {
        v.point_value = prog.point_value;
        v.point_value_from = "programme " + prog.id + " v" + std::to_string(prog.version);
    } else if (required) {
        throw error("loyalty.cli.no_point_value", "programme " + prog.id + " v" + std::to_string(prog.version) +
                                                      " states no point_value: give --point-value, e.g. 0.10");
    }
    if (!o.rate.empty()) {
        const auto r = decimal::parse(o.rate);
        if (!r || r->is_negative() || r->is_zero() || decimal::integer(1) < *r)
            throw error("loyalty.cli.invalid_rate",
                        "--redemption-rate '" + o.rate + "' is not an exact decimal more than 0 and at most 1, e.g. 0.85");
        v.rate = r;
    } else if (required) {
        throw error("loyalty.cli.no_redemption_rate", "give --redemption-rate, e.g. 0.85");
    }
    return v;
}

}  // namespace loyalty::cli
