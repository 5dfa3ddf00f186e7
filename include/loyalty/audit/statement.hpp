#pragma once
// A member's statement: what a store shows a member or an auditor at one instant. Built from
// the member's state and entries; pure (no I/O, no clock: the instant is given).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/ledger/entry.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"
#include "loyalty/tier/held.hpp"
#include "loyalty/tier/qualify.hpp"
#include "loyalty/tier/standing.hpp"

namespace loyalty {

struct statement_lot {
    std::string id;
    std::string rule;
    day earned_on;
    std::optional<day> expires_on;  // at 00:00 local time of this day; none: never
    points earned;
    points remaining;
    bool pending = false;       // not yet available at the statement's instant
    bool due = false;           // its expiry fell due by the statement's instant but is not posted yet
};

struct statement_quota {
    std::string benefit;
    std::string period;         // e.g. "calendar_year 2025-01-01..2025-12-31"
    std::int64_t allowed = 0;
    std::int64_t used = 0;
    std::int64_t left = 0;
    std::string tier;           // the tier whose own number `allowed` is (by_tier); empty: the base quota
};

struct statement {
    std::string member;
    instant as_of;
    std::string program;
    std::int64_t version = 0;
    day member_since;
    points balance;             // posted: the sum of the member's entries
    points available;           // spendable at as_of (not pending), less debt
    points pending;             // earned but not yet available at as_of
    points debt;
    points due_to_expire;       // fell due by as_of, not yet posted (a later event posts it)
    points balance_after_due;   // balance - due_to_expire: what the member can count on
    std::string tier;           // the tier held (empty: none): the member's own, or their fleet account's
    std::string tier_through;   // the fleet account whose tier is held, when it is the account's (else empty)
    std::optional<day> tier_review_on;  // the member's own held tier ends on this day unless retained
                                        // (tier_review_on()); none for a tier held through an account
    std::optional<tier_standing> standing;  // a tiered programme, the member's own tier: the window's
                                            // totals, what keeps the tier and what reaches the next
    std::vector<statement_lot> lots;        // lots with points left, soonest-expiring first
    std::vector<statement_quota> quotas;    // quota benefits in force at as_of, in programme order
    std::map<std::string, decimal> carries; // rounding remainders carried, by rule (exact points, |x| < 1)
    std::vector<ledger_entry> last_entries; // the member's last entries, oldest first
};

// `entries` are the member's entries in sequence (others are ignored); `last` is how many of
// them to keep.
LOYALTY_INLINE statement make_statement(const program& prog, const member_state& s, const std::vector<ledger_entry>& entries,
                                instant as_of, std::size_t last = 10) {
    statement st;
    st.member = s.member;
    st.as_of = as_of;
    st.program = prog.id;
    st.version = prog.version;
    st.member_since = s.member_since;
    st.balance = s.balance();
    st.available = s.available(as_of);
    st.pending = s.pending(as_of);
    st.debt = s.debt;
    std::vector<bool> due(s.lots.size(), false);
    for (const due_expiry& d : expiries_due(prog, s, as_of)) {
        due[d.lot] = true;
        st.due_to_expire += s.lots[d.lot].remaining;
    }
    st.balance_after_due = st.balance - st.due_to_expire;
    st.tier = held_tier(prog, s);
    if (st.tier != s.tier) st.tier_through = s.account;  // the account's review decides it
    else {
        st.tier_review_on = tier_review_on(prog, s);
        st.standing = standing_of(prog, s, as_of);
    }
    for (std::size_t i = 0; i < s.lots.size(); ++i) {
        const lot_record& l = s.lots[i];
        if (l.remaining <= points(0)) continue;
        st.lots.push_back({s.lot_id(l), std::string(s.rule_of(l)), l.earned_on, l.expires_on, l.earned, l.remaining, as_of < l.available_at, due[i]});
    }
    // Soonest-expiring first (the order redemptions consume them); never-expiring last.
    std::stable_sort(st.lots.begin(), st.lots.end(), [](const statement_lot& a, const statement_lot& b) {
        if (a.expires_on.has_value() != b.expires_on.has_value()) return a.expires_on.has_value();
        return a.expires_on && *a.expires_on < *b.expires_on;
    });
    const day today = prog.zone.local_day(as_of);
    for (const benefit& b : prog.benefits) {
        if (!b.limit || !b.effective_at(as_of)) continue;
        const quota_position q = quota_on(*b.limit, s.benefit_usage, b.id, today, s.member_since, held_tier(prog, s));
        st.quotas.push_back({b.id, describe(q.period, b.limit->per), q.allowed, q.used, q.left(), q.tier});
    }
    st.carries = s.carries;
    std::vector<ledger_entry> mine;
    for (const ledger_entry& e : entries)
        if (e.member == s.member) mine.push_back(e);
    const std::size_t skip = mine.size() > last ? mine.size() - last : 0;
    st.last_entries.assign(mine.begin() + static_cast<std::ptrdiff_t>(skip), mine.end());
    return st;
}

}  // namespace loyalty
