#pragma once
// Balance assertions, as in plain-text accounting: a journal line
//   {"id":"a-1","member":"M001","at":"2026-01-01T00:00:00+08:00","type":"assert_balance","balance":2715}
// states the balance a member must have at that instant, at that position in the journal.
// It is not an engine event (it changes nothing); a journal reader splits it out and the
// runner checks it against the member's state after the lines before it. The balance checked
// counts the expiries that fell due by `at`, even if no event has posted them yet.
#include <map>
#include <optional>
#include <string>

#include "loyalty/core/inline.hpp"
#include "loyalty/expiry/expire.hpp"
#include "loyalty/member/state.hpp"
#include "loyalty/program/program.hpp"

namespace loyalty {

struct balance_assertion {
    std::string id;
    std::string member;
    instant at;
    points balance;
};

struct assertion_failure {
    balance_assertion assertion;
    points actual;
    std::string message;
};

// The member's balance at t given the state after the events applied so far: posted balance
// less the expiries that fell due by t. A member with no state (never enrolled) has 0.
LOYALTY_INLINE points balance_at(const program_versions& versions, const member_state* s, instant t) {
    if (!s) return points(0);
    const program* p = versions.at(t);
    if (!p) return s->balance();
    return balance_after_expiries(*p, *s, t);
}

LOYALTY_INLINE std::optional<assertion_failure> check(const program_versions& versions,
                                              const std::map<std::string, member_state>& members,
                                              const balance_assertion& a) {
    const auto it = members.find(a.member);
    const member_state* s = it == members.end() ? nullptr : &it->second;
    const points actual = balance_at(versions, s, a.at);
    if (actual == a.balance) return std::nullopt;
    std::string message = "balance assertion " + a.id + " failed: member " + a.member + " at " + format_instant(a.at) +
                          " has " + to_string(actual) + " pt, expected " + to_string(a.balance) + " pt (difference " +
                          to_string(actual - a.balance) + ")";
    if (!s) message += "; the member has no entries";
    return assertion_failure{a, actual, std::move(message)};
}

}  // namespace loyalty
