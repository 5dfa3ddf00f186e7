#pragma once
// A programme: one store's or dealer group's rule set, versioned and effective-dated.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "loyalty/accrual/rule.hpp"
#include "loyalty/benefit/benefit.hpp"
#include "loyalty/benefit/order_rules.hpp"
#include "loyalty/core/error.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/expiry/policy.hpp"
#include "loyalty/fleet/policy.hpp"
#include "loyalty/insight/rules.hpp"
#include "loyalty/program/funding.hpp"
#include "loyalty/redemption/reward.hpp"
#include "loyalty/tier/tier.hpp"

namespace loyalty {

// What a reversal does when the points it takes back were already spent.
enum class spent_points_policy {
    claw_back,         // take them from the member's other lots, soonest-expiring first; any rest becomes debt
    negative_balance,  // leave other lots alone; the whole shortfall becomes debt, settled from future earnings
};

// Who may send points to whom, and how many.
struct transfer_policy {
    bool within_household = false;     // members enrolled with the same household id
    points min_per_transfer = points(1);
    std::optional<points> max_per_transfer;
    std::optional<period_cap> max_per_period;  // points one member may send per period
};

// When a referrer is paid: the referred member (enrolled with `referred_by`) completes a first
// qualifying visit, a closed repair order they pay something for or a vehicle purchase, on a
// local day at most `completes_within_days` days after the day they enrolled.
struct referral_policy {
    int completes_within_days = 0;
};

// What the engine does with an odometer reading lower than the vehicle's last one: refuse the
// event (odometer_backwards), or accept it, record it as the vehicle's reading and flag it in the
// trace (an instrument cluster replaced, a typo the store corrects later).
enum class backwards_reading { refuse, flag };

struct odometer_policy {
    backwards_reading backwards = backwards_reading::refuse;
};

struct program {
    std::string id;
    std::int64_t version = 0;
    std::string name;
    instant effective_from;
    currency currency_unit = currency::none();
    time_zone zone = time_zone::locate("UTC");
    rounding default_rounding = rounding::down;
    int pending_days = 0;            // points become available this many local days after the event
    bool accept_backdated = false;   // events older than the member's last one
    spent_points_policy when_spent = spent_points_policy::claw_back;
    // How many local days after an event a reverse or cancel_redemption may still name it (its own
    // day plus this many); none: any time. Past it, effects are settled (reversal/window.hpp).
    std::optional<int> reversal_window_days;
    expiry_policy expiry;
    std::vector<earning_rule> earning_rules;
    rule_combine combine = rule_combine::add;  // how the rules in no group combine
    std::vector<rule_group> rule_groups;       // named by earning_rule::group (an index)
    std::vector<multiplier> multipliers;
    std::vector<benefit> benefits;   // in programme order
    stacking benefit_stacking = stacking::in_order;
    order_rules orders;              // line categories and forbidden flag combinations
    std::optional<money> point_value;  // what one point is worth to the member (liability reports), if stated
    std::vector<reward> rewards;       // the catalogue, in programme order
    redemption_policy redemption;
    std::optional<transfer_policy> transfers;  // none: points cannot be transferred
    std::optional<referral_policy> referral;   // none: `referral` events in the journal pay at once
    std::optional<tier_policy> tiers;           // none: members hold no tier
    member_value_rules member_value;           // RFM bands, lifetime value, stages, touch points (reports only)
    std::vector<fleet_policy> fleet_policies;  // incentive policies accounts are opened under (fleet/policy.hpp)
    odometer_policy odometer;                  // readings that go backwards
    // Who funds what (program/funding.hpp). No funders declared: ledger entries name none (as
    // before funders existed). Declared: every entry that moves points or value names one.
    std::vector<funder> funders;
    std::string default_funder;                // one of `funders`; pays for what names no funder

    const benefit* find_benefit(std::string_view id) const {
        for (const benefit& b : benefits)
            if (b.id == id) return &b;
        return nullptr;
    }

    const reward* find_reward(std::string_view id) const {
        for (const reward& r : rewards)
            if (r.id == id) return &r;
        return nullptr;
    }

    const fleet_policy* find_fleet_policy(std::string_view id) const {
        for (const fleet_policy& f : fleet_policies)
            if (f.id == id) return &f;
        return nullptr;
    }

    const earning_rule* find_rule(std::string_view id) const {
        for (const earning_rule& r : earning_rules)
            if (r.id == id) return &r;
        return nullptr;
    }

    // The funder of an earning rule, a benefit or a reward: its own, else the default funder;
    // "" when the programme declares no funders. Ids that are none of these (adjustments,
    // transfers, fleet rebates) are the default funder's.
    const std::string& funder_of(const funding_terms* f) const {
        static const std::string none;
        if (funders.empty()) return none;
        return f && !f->funder.empty() ? f->funder : default_funder;
    }
    const std::string& funder_of_rule(std::string_view id) const {
        if (funders.empty()) return funder_of(nullptr);  // no look-up when no funder is declared
        const earning_rule* r = find_rule(id);
        return funder_of(r ? &r->funding : nullptr);
    }
    const std::string& funder_of_benefit(std::string_view id) const {
        if (funders.empty()) return funder_of(nullptr);  // no look-up when no funder is declared
        const benefit* b = find_benefit(id);
        return funder_of(b ? &b->funding : nullptr);
    }
    const std::string& funder_of_reward(std::string_view id) const {
        if (funders.empty()) return funder_of(nullptr);  // no look-up when no funder is declared
        const reward* r = find_reward(id);
        return funder_of(r ? &r->funding : nullptr);
    }

    rounding rounding_of(const earning_rule& r) const { return r.rounding_mode.value_or(default_rounding); }
};

// Every version of one programme. An event is judged by the version effective at its instant.
class program_versions {
public:
    program_versions() = default;
    explicit program_versions(program p) { add(std::move(p)); }

    void add(program p) {
        if (!versions_.empty() && p.id != versions_.front()->id)
            throw error("loyalty.program.id_mismatch", "/id",
                        "version of '" + p.id + "' added to programme '" + versions_.front()->id + "'");
        for (const auto& v : versions_) {
            if (v->version == p.version)
                throw error("loyalty.program.duplicate_version", "/version",
                            "programme '" + p.id + "' version " + std::to_string(p.version) + " loaded twice");
            if (v->effective_from == p.effective_from)
                throw error("loyalty.program.duplicate_effective_from", "/effective_from",
                            "two versions of '" + p.id + "' take effect at the same instant");
        }
        versions_.push_back(std::make_shared<const program>(std::move(p)));
        std::sort(versions_.begin(), versions_.end(),
                  [](const auto& a, const auto& b) { return a->effective_from < b->effective_from; });
    }

    // The version in force at t, or nullptr before the first one takes effect.
    const program* at(instant t) const noexcept {
        const program* found = nullptr;
        for (const auto& v : versions_)
            if (v->effective_from <= t) found = v.get();
        return found;
    }

    // The version numbered `version`, or nullptr when none is.
    const program* numbered(std::int64_t version) const noexcept {
        for (const auto& v : versions_)
            if (v->version == version) return v.get();
        return nullptr;
    }

    bool empty() const noexcept { return versions_.empty(); }
    std::size_t size() const noexcept { return versions_.size(); }
    const program& latest() const { return *versions_.back(); }

private:
    std::vector<std::shared_ptr<const program>> versions_;
};

}  // namespace loyalty
