#pragma once
// A ledger entry: one immutable change to a member's points, naming the event and the rule
// that caused it. Entries are never edited; a correction is a new entry that names what it reverses.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loyalty/core/inline.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/sha256.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/ledger/earn_figures.hpp"
#include "loyalty/ledger/reason.hpp"

namespace loyalty {

enum class entry_kind {
    enrol,        // 0 points: the member joined (starts the member's chain)
    earn,         // + points into a new lot
    expire,       // - points of a lot that reached its expiry day (breakage)
    adjust,       // +/- points by an operator
    reverse,      // - points of a lot created by the reversed event, or + points given back
    claw_back,    // - points taken from other lots because the reversed ones were spent
    debt,         // - points owed: the member's balance goes below zero
    settle_debt,  // 0 points: points of a new lot pay off debt (lot down, debt down, balance unchanged)
    benefit_use,     // 0 points: a benefit was used (quota consumed: `uses`; money given: `money`); `rule` names it
    benefit_return,  // 0 points: a reversed event gives a benefit's use back (`uses`, `money`: what it gives back)
    redeem,          // - points of one lot spent on a reward (one entry per lot touched)
    redeem_cancel,   // + points of a cancelled redemption given back to the lot they came from
    transfer_out,    // - points of one lot sent to another member (one entry per lot touched)
    transfer_in,     // + points received from another member, into a new lot with the sender's expiry
    voucher_issue,   // 0 points: a voucher (money to spend on labour) was issued; `money` is its value
    voucher_use,     // 0 points: part of a voucher was used on a repair order; `money` is the part
    voucher_return,  // 0 points: a voucher's use was given back, or the voucher withdrawn (cancel)
    voucher_expire,  // 0 points: what was left of a voucher lapsed or was forfeited
    tier_change,     // 0 points: the member's tier changed; `rule` names the new tier ("" for none)
    account_open,    // 0 points: a fleet account was opened (starts the account's chain); `rule`: its policy
    account_join,    // 0 points: a member joined a fleet account (on the member's and the account's chain)
    account_leave,   // 0 points: a member left a fleet account (on both chains)
    rebate,          // a volume rebate (or its true-up): `money` when paid as money, else points into a lot
    vehicle_transfer,  // 0 points: a vehicle changed owner; what its vehicle-scoped benefits did (follow or end)
    carry,           // 0 points: a rule's carried rounding remainder changed without points (reason has it)
};

LOYALTY_INLINE std::string_view to_string(entry_kind k) noexcept {
    switch (k) {
        case entry_kind::enrol: return "enrol";
        case entry_kind::earn: return "earn";
        case entry_kind::expire: return "expire";
        case entry_kind::adjust: return "adjust";
        case entry_kind::reverse: return "reverse";
        case entry_kind::claw_back: return "claw_back";
        case entry_kind::debt: return "debt";
        case entry_kind::settle_debt: return "settle_debt";
        case entry_kind::benefit_use: return "benefit_use";
        case entry_kind::benefit_return: return "benefit_return";
        case entry_kind::redeem: return "redeem";
        case entry_kind::redeem_cancel: return "redeem_cancel";
        case entry_kind::transfer_out: return "transfer_out";
        case entry_kind::transfer_in: return "transfer_in";
        case entry_kind::voucher_issue: return "voucher_issue";
        case entry_kind::voucher_use: return "voucher_use";
        case entry_kind::voucher_return: return "voucher_return";
        case entry_kind::voucher_expire: return "voucher_expire";
        case entry_kind::tier_change: return "tier_change";
        case entry_kind::account_open: return "account_open";
        case entry_kind::account_join: return "account_join";
        case entry_kind::account_leave: return "account_leave";
        case entry_kind::rebate: return "rebate";
        case entry_kind::vehicle_transfer: return "vehicle_transfer";
        case entry_kind::carry: return "carry";
    }
    return "?";
}

LOYALTY_INLINE std::optional<entry_kind> parse_entry_kind(std::string_view s) noexcept {
    for (entry_kind k : {entry_kind::enrol, entry_kind::earn, entry_kind::expire, entry_kind::adjust,
                         entry_kind::reverse, entry_kind::claw_back, entry_kind::debt, entry_kind::settle_debt,
                         entry_kind::benefit_use, entry_kind::benefit_return, entry_kind::redeem,
                         entry_kind::redeem_cancel, entry_kind::transfer_out, entry_kind::transfer_in,
                         entry_kind::voucher_issue, entry_kind::voucher_use, entry_kind::voucher_return,
                         entry_kind::voucher_expire, entry_kind::tier_change, entry_kind::account_open,
                         entry_kind::account_join, entry_kind::account_leave, entry_kind::rebate,
                         entry_kind::vehicle_transfer, entry_kind::carry})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

struct ledger_entry {
    std::string member;
    std::int64_t seq = 0;         // 1, 2, 3 ... per member
    std::string event;            // the event that caused it
    instant at;                   // when it took effect (an expiry: when it fell due)
    entry_kind kind = entry_kind::earn;
    points amount;                // signed change to the balance
    points balance;               // the member's balance after this entry
    std::optional<points> debt_paid{};  // a settle_debt entry: the debt its lot paid off (the amount is 0);
                                  // else none (then not in the canonical form)
    std::string lot;              // the lot touched, if any
    std::string expires;          // for entries that create a lot: its expiry day (YYYY-MM-DD), else ""
    std::string rule;             // the earning rule, if any
    std::string program;          // programme id
    std::int64_t version = 0;     // programme version
    std::string reason;           // short, for people
    reason_args args{};           // what `reason` is rendered from (ledger/reason.hpp, describe.hpp): filled by
                                  // the engine, and read back from a format-5 line or a store; an entry read
                                  // from a format-4 line has none (code none). Hashed in format 5 (the
                                  // reason is not); not compared: the hash and the reason it renders are.
    std::string reverses;         // the event this entry undoes, if any
    std::string money;            // money the entry records ("60.00 CNY": a voucher's value, the money
                                  // part of a points + money price), or "" (then not in the canonical form)
    std::string funder{};         // who funds what the entry moves (the lot's, benefit's or reward's funder),
                                  // or "" (no funders declared; then not in the canonical form)
    std::string store{};          // the store where its event happened, or "" (then not in the canonical form)
    std::optional<std::int64_t> uses{};  // a benefit_use entry: the quota units it took; a benefit_return
                                  // entry: the units it gave back (0 or more; the money given, if any, is
                                  // `money`); else none (then not in the canonical form)
    std::optional<earn_figures> figures{};  // an earn or carry entry of an earning rule: how its points were
                                  // reached (earn_figures.hpp); else none (then not in the canonical form)
    sha256_digest prev_hash{};    // the hash before this entry's: the member's previous group's (format 5) or
                                  // previous entry's (format 4); all zeros for the first
    sha256_digest hash{};         // format 5: SHA-256 of the form of the entry's group, the entries its event
                                  // wrote for its member (ledger/group_form.hpp); format 4: of the entry's own
                                  // canonical form (docs/ledger.md)
    std::uint8_t format = 5;      // the ledger format the entry is hashed in: 5, or 4 for an entry read from a
                                  // line written before format 5 (a line without "format")

    friend bool operator==(const ledger_entry& a, const ledger_entry& b) {
        return a.member == b.member && a.seq == b.seq && a.event == b.event && a.at == b.at && a.kind == b.kind &&
               a.amount == b.amount && a.balance == b.balance && a.debt_paid == b.debt_paid && a.lot == b.lot && a.expires == b.expires &&
               a.rule == b.rule && a.program == b.program && a.version == b.version && a.reason == b.reason &&
               a.reverses == b.reverses && a.money == b.money && a.funder == b.funder && a.store == b.store && a.uses == b.uses && a.figures == b.figures && a.prev_hash == b.prev_hash && a.hash == b.hash && a.format == b.format;
    }
    friend bool operator!=(const ledger_entry& a, const ledger_entry& b) { return !(a == b); }
};

// An entry's fields as views: the texts as string_views, the rest as references or values.
// What the group form (group_form.hpp) and the sentences (describe.hpp) are written from, so
// that one writer serves an entry of text (a ledger_entry, read from a file or a store) and an
// entry record of the engine (entry_list.hpp), which keeps its texts in one string per outcome.
// Valid as long as what it views.
struct entry_view {
    std::string_view member;
    std::int64_t seq;
    std::string_view event;
    instant at;
    entry_kind kind;
    points amount;
    points balance;
    const std::optional<points>& debt_paid;
    std::string_view lot;
    std::string_view expires;
    std::string_view rule;
    std::string_view program;
    std::int64_t version;
    std::string_view reason;
    const reason_args& args;
    std::string_view reverses;
    std::string_view money;
    std::string_view funder;
    std::string_view store;
    const std::optional<std::int64_t>& uses;
    const std::optional<earn_figures>& figures;
    const sha256_digest& prev_hash;
    const sha256_digest& hash;
    std::uint8_t format;
};

LOYALTY_INLINE entry_view view_of(const ledger_entry& e) noexcept {
    return {e.member, e.seq,    e.event,     e.at,      e.kind,    e.amount,  e.balance,   e.debt_paid,
            e.lot,    e.expires, e.rule,     e.program, e.version, e.reason,  e.args,      e.reverses,
            e.money,  e.funder, e.store,     e.uses,    e.figures, e.prev_hash, e.hash,    e.format};
}

// The other way: `e` assigned the viewed entry's fields, one by one, so that e's strings keep
// their room (an edge that reuses its entries allocates nothing once they are large enough).
LOYALTY_INLINE void assign(ledger_entry& e, const entry_view& v) {
    e.member.assign(v.member);
    e.seq = v.seq;
    e.event.assign(v.event);
    e.at = v.at;
    e.kind = v.kind;
    e.amount = v.amount;
    e.balance = v.balance;
    e.debt_paid = v.debt_paid;
    e.lot.assign(v.lot);
    e.expires.assign(v.expires);
    e.rule.assign(v.rule);
    e.program.assign(v.program);
    e.version = v.version;
    e.reason.assign(v.reason);
    e.args = v.args;
    e.reverses.assign(v.reverses);
    e.money.assign(v.money);
    e.funder.assign(v.funder);
    e.store.assign(v.store);
    e.uses = v.uses;
    e.figures = v.figures;
    e.prev_hash = v.prev_hash;
    e.hash = v.hash;
    e.format = v.format;
}

}  // namespace loyalty
