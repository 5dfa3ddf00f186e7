// Properties of referrals (RapidCheck): over random journals of five members under the
// reference programme's referral policy (90 days) — enrolments naming a referrer (or
// themselves, or no one who is a member), paid and free repair orders, vehicle purchases,
// reversals, spends of all points —
//   - a referrer holds at most one standing referral reward per referred member (each of
//     the rule's 1000 points), exactly when and under the event the referred member's state
//     says paid it; no one is paid for referring themself;
//   - every chain verifies and its last running balance is the member's balance;
//   - replay equals live: the same journal applied by a runner that is rebuilt from JSON
//     snapshots after every event (as the store does) gives the same ledger, entry for entry.
// RC_PARAMS="max_success=2000" runs more cases.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "engine_support.hpp"
#include "loyalty/io/state_json.hpp"

namespace property_referral_properties {

namespace {

using namespace loyalty;

const char* const members[] = {"A", "B", "C", "D", "E"};

std::string member_gen() { return members[*rc::gen::inRange(0, 5)]; }

std::vector<event> gen_journal() {
    std::vector<event> out;
    date::sys_seconds t = test::at("2025-01-01T02:00:00Z");
    std::map<std::string, std::vector<std::string>> visits;  // per member, for reversals
    const int n = *rc::gen::inRange(5, 60);
    for (int i = 0; i < n; ++i) {
        t += std::chrono::hours(*rc::gen::element(1, 20, 24 * 10, 24 * 45));
        const std::string m = member_gen();
        const std::string id = "x" + std::to_string(i);
        const std::string when = format_instant(t);
        std::string text;
        switch (*rc::gen::inRange(0, 7)) {
            case 0: {
                // Enrol, naming a referrer now and then: another member, oneself, or a stranger.
                const int who = *rc::gen::inRange(0, 4);
                const std::string by = who == 0 ? "" : who == 1 ? "Z" : who == 2 ? m : member_gen();
                text = R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when + R"(","type":"enrol")" +
                       (by.empty() ? "" : R"(,"referred_by":")" + by + "\"") + "}";
                break;
            }
            case 1:
            case 2: {
                // A maintenance visit (earns), or a free exterior wash under the benefits (pays nothing).
                const bool wash = *rc::gen::inRange(0, 3) == 0;
                text = R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when +
                       R"(","type":"repair_order","lines":[{"kind":"labour","category":")" +
                       (wash ? R"(care","operation":"WASH-EXT","unit_price":"50.00"})"
                             : R"(maintenance","unit_price":")" + std::to_string(*rc::gen::inRange(1, 900)) + R"(.00"})") +
                       "]}";
                visits[m].push_back(id);
                break;
            }
            case 3:
                text = R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when +
                       R"(","type":"vehicle_purchase","vin":"V)" + id + R"(","price":"120000.00"})";
                visits[m].push_back(id);
                break;
            case 4:
            case 5: {
                if (visits[m].empty()) continue;
                const std::string target = *rc::gen::elementOf(visits[m]);
                text = R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when +
                       R"(","type":"reverse","event":")" + target + R"("})";
                break;
            }
            default:
                text = R"({"id":")" + id + R"(","member":")" + m + R"(","at":")" + when +
                       R"(","type":"adjustment","points":-1,"reason":"spend","operator":"op"})";
                break;
        }
        out.push_back(test::ev(text));
    }
    return out;
}

const program_versions& versions() {
    static const program_versions v(test::reference_program());
    return v;
}

}  // namespace

RC_GTEST_PROP(ReferralProperties, OneRewardPerReferredMemberChainsHoldReplayEqualsLive, ()) {
    const std::vector<event> journal = gen_journal();
    const std::vector<ledger_entry> live_entries = test::run_through_snapshots(versions(), journal).second;
    const journal_runner replayed = replay(versions(), journal);
    RC_ASSERT(replayed.entries() == live_entries);

    std::map<std::string, std::string> member_of_event;
    for (const event& e : journal) member_of_event[e.id] = e.member;
    for (const auto& [id, s] : replayed.members()) {
        const std::vector<ledger_entry> chain = replayed.entries_of(id);
        RC_ASSERT(!verify_chain(chain));
        if (!chain.empty()) RC_ASSERT(chain.back().balance == s.balance());
        for (const ledger_entry& en : chain)
            if (en.rule == "referral" && en.kind == entry_kind::earn) RC_ASSERT(en.amount == points(1000));
        // Referral rewards this member holds (not reversed), by the referred member whose event paid.
        std::map<std::string, int> standing;
        for (const auto& [event_id, record] : s.effects)
            if (record.summary.type == event_type::referral && !record.summary.reversed) {
                const std::string& referred = member_of_event.at(event_id);
                RC_ASSERT(referred != id);
                ++standing[referred];
                const member_state& r = replayed.members().at(referred);
                RC_ASSERT(r.referred_by == id);
                RC_ASSERT(r.referral_event == event_id);
            }
        for (const auto& [referred, n] : standing) RC_ASSERT(n == 1);
    }
    for (const auto& [id, s] : replayed.members()) {
        RC_ASSERT(s.referred_by != id);
        if (s.referral_event.empty()) continue;
        // A paid referral is held by the referrer, under the event that paid it.
        const member_state& referrer = replayed.members().at(s.referred_by);
        const std::optional<effect_summary> paid = referrer.effects.summary(s.referral_event);
        RC_ASSERT(paid.has_value());
        RC_ASSERT(paid->type == event_type::referral);
        RC_ASSERT(!paid->reversed);
    }
}

}  // namespace property_referral_properties
