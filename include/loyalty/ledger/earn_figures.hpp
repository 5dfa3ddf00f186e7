#pragma once
// An earn entry's figures: how an earning rule reached its points, as numbers, so that an
// auditor re-derives the amount instead of trusting a sentence (docs/ledger.md, "Earn figures"):
//
//   exact   = base x factor[0] x factor[1] ... / per     (base: money in major units, or a bonus's points;
//                                                        per: a ratio rate's amount, else 1)
//   total   = exact + carried                            (carried: a carry_remainder rule's remainder, else 0)
//   rounded = total rounded once with `mode`
//   amount  = min(rounded, cap)                          (cap: what a per-event or per-period cap left, when it cut)
//
// Fixed size, no allocation: at most max_factors factors (the rate, the programme's multipliers
// in force together, the tier's), which the programme loader guarantees.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "loyalty/accrual/remainder.hpp"
#include "loyalty/core/arithmetic.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/rounding.hpp"

namespace loyalty {

namespace detail {
// units / 10^scale written with exactly `scale` decimals ("700.00", "0.05", "500").
LOYALTY_INLINE std::string fixed_text(std::int64_t units, int scale) {
    char text[fixed_text_bound];
    return std::string(text, write_fixed(text, units, scale));
}
// Reads text written as fixed_text writes it (0..18 decimals); false for any other text.
LOYALTY_INLINE bool parse_fixed(std::string_view text, std::int64_t& units, int& scale) {
    const auto d = decimal::parse(text);
    const std::size_t dot = text.find('.');
    const int s = dot == std::string_view::npos ? 0 : static_cast<int>(text.size() - dot - 1);
    if (!d || s > decimal::max_scale || d->scale() > s) return false;
    int128 u = 0;
    try {
        u = int128(d->mantissa()) * pow10_checked(s - d->scale());
    } catch (const std::exception&) {
        return false;
    }
    if (u > int128(INT64_MAX) || u < -int128(INT64_MAX)) return false;
    if (fixed_text(static_cast<std::int64_t>(u), s) != text) return false;
    units = static_cast<std::int64_t>(u);
    scale = s;
    return true;
}
}  // namespace detail

struct earn_figures {
    static constexpr std::size_t max_factors = 8;

    std::int64_t base = 0;  // what the rule counted, in units of 10^-base_scale: money in minor units
    int base_scale = 0;     // (scale = the currency's minor digits), or a bonus's points (scale 0)
    std::array<decimal, max_factors> factor{};  // points per 1.00 (per-amount rules), then every multiplier
    std::size_t factors = 0;                    // how many of `factor` are used
    rounding mode = rounding::down;
    std::int64_t per = 0;            // a ratio rate ("3 points per 7.00"): its amount in units of
    int per_scale = 0;               // 10^-per_scale, which the product is divided by; 0: none
    std::optional<decimal> carried;  // a rule that carries its remainder: the remainder carried in
    std::int64_t rounded = 0;        // total, rounded once with `mode`
    std::optional<points> cap;       // when a cap cut the points: what it left (the amount)

    // The base as the ledger writes it: exactly base_scale decimals ("700.00", "0.05", "500").
    std::string base_text() const { return detail::fixed_text(base, base_scale); }
    // Reads a base written as base_text() writes one; false for any other text.
    bool set_base(std::string_view text) { return detail::parse_fixed(text, base, base_scale); }
    // A ratio rate's amount as the ledger writes it ("7.00"); "" for none.
    std::string per_text() const { return per > 0 ? detail::fixed_text(per, per_scale) : std::string(); }
    bool set_per(std::string_view text) { return detail::parse_fixed(text, per, per_scale) && per > 0; }

    // Appends a factor; false (and nothing appended) when all max_factors are used.
    bool add_factor(const decimal& f) noexcept {
        if (factors == max_factors) return false;
        factor[factors++] = f;
        return true;
    }

    // The factors used, as a range of decimals (what exact_product() and the like take).
    struct factor_range {
        const earn_figures& f;
        const decimal* begin() const { return f.factor.data(); }
        const decimal* end() const { return f.factor.data() + f.factors; }
    };
    factor_range used_factors() const noexcept { return factor_range{*this}; }

    // total = base x factors / per + carried, exactly.
    exact_points total() const {
        int scale = base_scale;
        exact_points x;
        x.numerator = detail::exact_numerator(base, factor_range{*this}, scale);
        x.scale = scale;
        if (per > 0) {  // / (per / 10^per_scale) = x 10^per_scale / per
            try {
                x.numerator *= detail::pow10_checked(per_scale);
            } catch (const std::overflow_error&) {
                detail::exact_overflow();
            }
            x.divisor = per;
        }
        return carried ? add(x, exact_of(*carried)) : x;
    }
    // What the figures give: the total rounded with `mode` (to compare with `rounded`).
    std::int64_t derived_rounded() const { return round_exact(total(), mode); }
    // The entry's amount the figures give: `rounded`, or the cap when it is lower.
    points amount() const { return cap && *cap < points(rounded) ? *cap : points(rounded); }

    friend bool operator==(const earn_figures& a, const earn_figures& b) {
        if (a.base != b.base || a.base_scale != b.base_scale || a.factors != b.factors || a.mode != b.mode ||
            a.per != b.per || a.per_scale != b.per_scale || a.carried != b.carried || a.rounded != b.rounded ||
            a.cap != b.cap)
            return false;
        for (std::size_t i = 0; i < a.factors; ++i)
            if (!(a.factor[i] == b.factor[i])) return false;
        return true;
    }
    friend bool operator!=(const earn_figures& a, const earn_figures& b) { return !(a == b); }
};

// Why the figures do not give the entry's amount, or "" when they do. `posts` is false for a
// carry entry, which posts no point (the rule gave none: what it rounded to is at most 0).
LOYALTY_INLINE std::string figures_problem(const earn_figures& f, points amount, bool posts = true) {
    std::int64_t derived = 0;
    try {
        derived = f.derived_rounded();
    } catch (const error& e) {
        return std::string("figures cannot be computed: ") + e.what();
    }
    if (derived != f.rounded)
        return "figures: the total rounds " + std::string(to_string(f.mode)) + " to " + std::to_string(derived) +
               ", not to the " + std::to_string(f.rounded) + " stated";
    if (f.cap && *f.cap >= points(f.rounded))
        return "figures: a cap of " + std::to_string(f.cap->count()) + " does not cut " + std::to_string(f.rounded);
    const points gives = posts ? f.amount() : points(0);
    if (!posts && f.amount() > points(0))
        return "figures give " + std::to_string(f.amount().count()) + " points, which a carry entry does not post";
    if (gives != amount)
        return "amount " + std::to_string(amount.count()) + " is not the " + std::to_string(gives.count()) +
               " its figures give";
    return {};
}

}  // namespace loyalty
