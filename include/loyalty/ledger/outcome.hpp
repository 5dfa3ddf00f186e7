#pragma once
// The result of applying one event: accepted with the next state, the entries and a trace;
// or refused with a reason code, the state unchanged and no entries. The functions that apply
// the rules write into it (ledger/posting.hpp); the engine returns it.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loyalty/event/refusal.hpp"
#include "loyalty/fleet/account.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/ledger/entry_list.hpp"
#include "loyalty/member/state.hpp"

namespace loyalty {

// One step of the explanation: which rule (and programme version) and what it did, with figures.
struct trace_line {
    std::string rule;
    std::int64_t version = 0;
    std::string text;
    friend bool operator==(const trace_line& a, const trace_line& b) {
        return a.rule == b.rule && a.version == b.version && a.text == b.text;
    }
};

// Whether applying an event writes its texts for people: the trace (`loyalty explain`, Python's
// Outcome.trace) and each entry's reason. A replay that reads only entries and states asks for
// none, and then no sentence is built: the entries carry their figures and reason arguments, and
// an edge renders the reasons when it shows or writes them (describe(), render_reasons():
// ledger/describe.hpp; journal_runner does it for what it hands on). Entries once rendered,
// states and refusals are the same either way (test: ExplanationChangesOnlyTheTrace).
enum class explanation { full, none };

// What a referred member's event means for their referrer: the referral reward is due (the
// event is the first qualifying one), or it is taken back (the event reverses that one). The
// referrer's side is posted by settle_referral_in_place() (journal_runner does it).
struct referral_settlement {
    std::string referrer;
    std::string qualifying_event;  // the referred member's event that paid (or pays) the reward
    bool claw_back = false;
    friend bool operator==(const referral_settlement& a, const referral_settlement& b) {
        return a.referrer == b.referrer && a.qualifying_event == b.qualifying_event && a.claw_back == b.claw_back;
    }
};

struct outcome {
    refusal refused = refusal::none;
    std::string message;          // why, for people, when refused
    bool backdated = false;       // accepted although older than the member's last event
    member_state state;           // the next state (the same state when refused)
    std::optional<member_state> counterparty;  // apply_transfer(): the receiver's next state
    entry_list entries;           // records; indexing or iterating gives ledger_entry values
    std::vector<trace_line> trace;
    // Programme-wide stock moved by the event: reward id and units (+ issued, - returned).
    std::vector<std::pair<std::string, std::int64_t>> stock_moves;
    std::optional<referral_settlement> referral;  // the referrer's side still to post, if any
    std::optional<account_move> account;          // the fleet account's side still to post, if any

    bool accepted() const noexcept { return refused == refusal::none; }
};

}  // namespace loyalty
