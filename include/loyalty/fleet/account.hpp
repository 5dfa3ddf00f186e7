#pragma once
// A fleet (corporate) account: its own chain on the ledger (opened by `open_account`, with the
// account id as the event's member), the members who drive for it, the spend they bring and
// the rebates it was paid. A member belongs to at most one account at a time.
#include <algorithm>
#include <string>
#include <vector>

#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/time.hpp"

namespace loyalty {

// Money one member event brought to the account: a paid repair order or a vehicle purchase
// (what the member paid, as for tiers and referrals). Reversing the event takes it out again.
struct account_spend {
    std::string event;
    std::string member;
    day on;          // local business day of the event
    money amount;
    friend bool operator==(const account_spend& a, const account_spend& b) {
        return a.event == b.event && a.member == b.member && a.on == b.on && a.amount == b.amount;
    }
};

// What the account was paid for one period, over all the settlements of that period (a later
// settlement of the same period pays only the difference to what is due then).
struct rebate_paid {
    day_range period;
    money spend;        // the spend the last settlement counted
    money rebate;       // the rebate due at the last settlement (money)
    points paid_points; // under pay_as points: the points posted so far
    friend bool operator==(const rebate_paid& a, const rebate_paid& b) {
        return a.period == b.period && a.spend == b.spend && a.rebate == b.rebate && a.paid_points == b.paid_points;
    }
};

struct fleet_account {
    std::string policy;                 // the programme's fleet policy it was opened under
    std::string name;                   // the company's name, for people
    std::vector<std::string> members;   // members now in the account, in joining order
    std::vector<account_spend> spend;   // in event order; kept for every period (true-ups)
    std::vector<rebate_paid> rebates;   // one per settled period, in settlement order
    money credit;                       // money rebates posted to the account, net of true-ups

    bool has_member(const std::string& m) const {
        return std::find(members.begin(), members.end(), m) != members.end();
    }
    // Spend counted in a period.
    money spend_within(const day_range& r, currency c) const {
        money total = money::zero(c);
        for (const account_spend& s : spend)
            if (r.contains(s.on)) total += s.amount;
        return total;
    }
    rebate_paid* paid_for(const day_range& r) {
        for (rebate_paid& p : rebates)
            if (p.period == r) return &p;
        return nullptr;
    }

    friend bool operator==(const fleet_account& a, const fleet_account& b) {
        return a.policy == b.policy && a.name == b.name && a.members == b.members && a.spend == b.spend &&
               a.rebates == b.rebates && a.credit == b.credit;
    }
};

// What a member's event means for the member's account; posted on the account's state by
// settle_account_in_place() (journal_runner does it), in the same outcome.
//   join / leave: the member joined or left (an entry on the account's chain too);
//   spend:        `amount` of the member's event `event` counts toward the account's spend
//                 (negative: a reversal takes it out again).
struct account_move {
    enum class kind { join, leave, spend };
    kind what = kind::spend;
    std::string account;
    std::string member;
    std::string event;  // for spend: the event whose spend it is (the reversed one, for a reversal)
    day on{};           // local day of that event
    money amount;
    friend bool operator==(const account_move& a, const account_move& b) {
        return a.what == b.what && a.account == b.account && a.member == b.member && a.event == b.event &&
               a.on == b.on && a.amount == b.amount;
    }
};

}  // namespace loyalty
