#pragma once
// The reversal window (programme `reversal.window_days`, docs/program-format.md): how long after
// an event a `reverse` or `cancel_redemption` may still name it. Past the window the event is
// refused as `reversal_window_passed`, and what its effect kept for undoing it (lots it created
// or drew on, usage, per-line records, earning bases, vouchers, the account's spend) is no longer
// needed: when time rolls forward the effect is settled, keeping only what other rules still
// read (its id for idempotency, its type, instant, `reversed`, and `closed_order` for surveys).
// Without the key (the default) every event can be reversed at any time and nothing is settled.
#include <optional>
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/ledger/outcome.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

// The message of every reversal_window_passed refusal (settled or not, the same text).
LOYALTY_INLINE std::string reversal_window_text(const std::string& event_id, const effect_summary& effect) {
    return "event '" + event_id + "' of " + format_instant(effect.at) +
           " is past the programme's reversal window (reversal.window_days) and can no longer be undone";
}

// Whether an event with this effect can no longer be undone at `now`: an event of local day d
// may be undone by an event of local day d .. d + window_days (both included), not later.
LOYALTY_INLINE bool past_reversal_window(const program& prog, const effect_summary& effect, instant now) {
    if (!prog.reversal_window_days) return false;
    const day last = prog.zone.local_day(effect.at) + date::days(*prog.reversal_window_days);
    return prog.zone.local_day(now) > last;
}

// Refuses a reverse or cancel_redemption naming `event_id` when that event is settled or past the
// window of `prog` at `now`. Unknown or already reversed events are left to the other checks.
LOYALTY_INLINE refusal_reason check_reversal_window(const program& prog, const member_state& s, const std::string& event_id,
                                            instant now) {
    const std::optional<effect_summary> effect = s.effects.summary(event_id);
    if (!effect || effect->reversed) return {};
    if (effect->settled || past_reversal_window(prog, *effect, now))
        return {refusal::reversal_window_passed, reversal_window_text(event_id, *effect)};
    return {};
}

// Settles the effects of `s` that the window of `prog` puts beyond undoing at `now` (step 2 of
// the engine, when time rolls forward). Nothing while the programme accepts back-dated events:
// a back-dated reverse is judged on its own day, which may still be inside the window.
LOYALTY_INLINE void settle_effects_past_window(const program& prog, member_state& s, instant now) {
    if (!prog.reversal_window_days || prog.accept_backdated) return;
    // Past the window: local day of the event < today - window, i.e. before 00:00 of that day.
    const instant before = prog.zone.start_of(prog.zone.local_day(now) - date::days(*prog.reversal_window_days));
    s.effects.settle_before(before);
}

}  // namespace loyalty
