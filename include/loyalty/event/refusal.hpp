#pragma once
// Why an event is refused: the business refusal codes (outcomes, not exceptions), their names as
// written in ledgers, reports and the store, and a refusal a concept decides with its message.
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/inline.hpp"

namespace loyalty {

// Business refusals: outcomes, not exceptions.
enum class refusal {
    none,
    no_program,           // no programme version is in force at the event's instant
    duplicate_event,      // the event id was accepted before
    unknown_member,       // the member has not enrolled
    already_enrolled,
    out_of_order,         // older than the member's last event, and the programme refuses back-dated events
    unknown_event,        // reverse names an event the member does not have
    already_reversed,
    not_reversible,       // enrol, tick and reverse events cannot be reversed
    insufficient_points,  // a debit larger than the available balance
    currency_mismatch,    // the event's money is not in the programme's currency
    unknown_benefit,      // benefit_use names no service-item benefit of the programme
    benefit_excluded,     // the use is excluded (a third-party claim) or not in force
    quota_used_up,        // no uses left this period
    out_of_range,         // money or points beyond the engine's limits (engine/limits.hpp)
    invalid_order,        // a repair-order line the programme does not accept (unknown category, forbidden flags)
    unknown_reward,       // redeem names no reward of the catalogue (or a price option it does not have)
    reward_unavailable,   // outside the reward's availability window
    tier_not_allowed,     // the reward is limited to tiers the member does not hold
    limit_reached,        // the member's limit for the reward in this period is used up
    out_of_stock,         // not enough units left programme-wide
    minimum_not_met,      // the reward's minimum balance or tenure is not met
    not_cancellable,      // cancel_redemption names an event that is not a redemption, or whose vouchers were used
    transfer_refused,     // transfers not allowed: no policy, another household, self, or over a limit
    counterparty_required,  // a transfer applied without the receiver's state (use journal_runner or apply_transfer)
    survey_refused,       // the survey names no closed RO of the member, or one already rewarded
    referral_refused,     // self-referral, a referrer who is not a member, or a referral the policy pays itself
    unknown_tier,         // assign_tier names no tier of the programme (or the programme has no tiers)
    account_refused,      // a fleet account event that cannot be: unknown policy or account, already in one, period not ended
    odometer_backwards,   // a reading lower than the vehicle's last one, and the programme refuses those
    vehicle_not_held,     // a vehicle bought from a previous owner who does not hold that VIN
    invalid_reversal,     // a partial reversal of what is not a closed RO, of a line that is not there or was returned, or a refund past what was paid
    reversal_window_passed,  // reverse or cancel_redemption of an event older than the programme's reversal.window_days
    event_id_reused,      // the store: an id it judged before (accepted or refused) sent again with another body
};

LOYALTY_INLINE std::string_view to_string(refusal r) noexcept {
    switch (r) {
        case refusal::none: return "none";
        case refusal::no_program: return "no_program";
        case refusal::duplicate_event: return "duplicate_event";
        case refusal::unknown_member: return "unknown_member";
        case refusal::already_enrolled: return "already_enrolled";
        case refusal::out_of_order: return "out_of_order";
        case refusal::unknown_event: return "unknown_event";
        case refusal::already_reversed: return "already_reversed";
        case refusal::not_reversible: return "not_reversible";
        case refusal::insufficient_points: return "insufficient_points";
        case refusal::currency_mismatch: return "currency_mismatch";
        case refusal::unknown_benefit: return "unknown_benefit";
        case refusal::benefit_excluded: return "benefit_excluded";
        case refusal::quota_used_up: return "quota_used_up";
        case refusal::out_of_range: return "out_of_range";
        case refusal::invalid_order: return "invalid_order";
        case refusal::unknown_reward: return "unknown_reward";
        case refusal::reward_unavailable: return "reward_unavailable";
        case refusal::tier_not_allowed: return "tier_not_allowed";
        case refusal::limit_reached: return "limit_reached";
        case refusal::out_of_stock: return "out_of_stock";
        case refusal::minimum_not_met: return "minimum_not_met";
        case refusal::not_cancellable: return "not_cancellable";
        case refusal::transfer_refused: return "transfer_refused";
        case refusal::counterparty_required: return "counterparty_required";
        case refusal::survey_refused: return "survey_refused";
        case refusal::referral_refused: return "referral_refused";
        case refusal::unknown_tier: return "unknown_tier";
        case refusal::account_refused: return "account_refused";
        case refusal::odometer_backwards: return "odometer_backwards";
        case refusal::vehicle_not_held: return "vehicle_not_held";
        case refusal::invalid_reversal: return "invalid_reversal";
        case refusal::reversal_window_passed: return "reversal_window_passed";
        case refusal::event_id_reused: return "event_id_reused";
    }
    return "?";
}

// The refusal named `text` (as to_string() writes it), if any: the store reads refusals back.
LOYALTY_INLINE std::optional<refusal> parse_refusal(std::string_view text) noexcept {
    for (int r = static_cast<int>(refusal::none); r <= static_cast<int>(refusal::event_id_reused); ++r)
        if (to_string(static_cast<refusal>(r)) == text) return static_cast<refusal>(r);
    return std::nullopt;
}

// A refusal decided by one concept (reverse, benefit use) before anything changes.
struct refusal_reason {
    refusal code = refusal::none;
    std::string message;
};

}  // namespace loyalty
