#pragma once
// A member's state between events: what the engine needs to judge the next event.
// Plain values; the engine copies it, never mutates the caller's.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loyalty/benefit/usage.hpp"
#include "loyalty/core/boxed.hpp"
#include "loyalty/core/decimal.hpp"
#include "loyalty/core/growth.hpp"
#include "loyalty/core/money.hpp"
#include "loyalty/core/period.hpp"
#include "loyalty/core/points.hpp"
#include "loyalty/core/prefetch.hpp"
#include "loyalty/core/rounding.hpp"
#include "loyalty/core/time.hpp"
#include "loyalty/event/event.hpp"
#include "loyalty/fleet/account.hpp"
#include "loyalty/ledger/hash_chain.hpp"
#include "loyalty/member/benefit_use_log.hpp"
#include "loyalty/member/effect_book.hpp"
#include "loyalty/member/lot.hpp"
#include "loyalty/member/name_table.hpp"
#include "loyalty/member/spent_lots.hpp"
#include "loyalty/member/vehicle.hpp"

namespace loyalty {

// A voucher the member holds: money to spend on labour, bought with points.
struct voucher {
    std::string id;          // "<redeem event id>/<reward id>#<n>"
    std::string reward;
    std::string event;       // the redemption that issued it
    money value;
    money remaining;
    money used;              // spent on repair orders so far (net of reversed orders)
    day expires_on;          // lapses at 00:00 local time of this day
    bool withdrawn = false;  // its redemption was cancelled

    bool usable_at(instant t, const time_zone& zone) const {
        return !withdrawn && !remaining.is_zero() && !remaining.is_negative() && zone.local_day(t) < expires_on;
    }
    friend bool operator==(const voucher& a, const voucher& b) {
        return a.id == b.id && a.reward == b.reward && a.event == b.event && a.value == b.value &&
               a.remaining == b.remaining && a.used == b.used && a.expires_on == b.expires_on && a.withdrawn == b.withdrawn;
    }
};

// Units of a reward the member redeemed on a day, for per-member limits per period.
struct redemption_use {
    std::string reward;
    day on;
    std::int64_t quantity = 0;
    std::string event;
    friend bool operator==(const redemption_use& a, const redemption_use& b) {
        return a.reward == b.reward && a.on == b.on && a.quantity == b.quantity && a.event == b.event;
    }
};

// What one accepted event counted toward tier status (tier/qualify.hpp). Kept only while a
// window the tiers judge can still contain its day; dropped when its event is reversed.
struct qualifying_record {
    std::string event;
    day on;                    // local business day of the event
    points earned;             // points the earning rules gave
    money spend;               // money the member paid
    std::int64_t visits = 0;   // 1 for a paid visit
    std::int64_t vehicles = 0; // 1 for a vehicle purchase
    friend bool operator==(const qualifying_record& a, const qualifying_record& b) {
        return a.event == b.event && a.on == b.on && a.earned == b.earned && a.spend == b.spend &&
               a.visits == b.visits && a.vehicles == b.vehicles;
    }
};

struct member_state {
    std::string member;
    bool enrolled = false;
    day member_since{};            // anniversary for anniversary-year periods
    instant last_event_at{};
    instant last_activity_at{};    // for the inactivity expiry policy
    std::vector<std::string> vehicles;  // VINs
    std::vector<vehicle_record> vehicle_records;  // purchases, odometer readings, owners (member/vehicle.hpp)
    std::string household;         // members of one household may transfer points (programme permitting)
    unsigned birthday_month = 0;   // 1..12, 0 when not known
    unsigned birthday_day = 0;
    std::vector<std::string> surveyed_orders;  // RO events a survey was rewarded for
    std::string referred_by;       // the referrer named at enrolment, if any
    std::string referral_event;    // the qualifying event that paid the referrer (empty: not paid)
    bool referral_lapsed = false;  // the first qualifying event came after the policy's window
    std::string tier;              // the tier held (empty: none, or the programme has no tiers)
    instant tier_since{};          // when it was gained, assigned or last lowered
    day_range tier_window{};       // the window the tier is next judged on (its end + grace: the review)
    std::string tier_upgrade_event;   // the event whose qualifying figures gave the last upgrade
    std::string tier_before_upgrade;  // the tier held before it (reversing that event goes back no lower)
    std::vector<qualifying_record> qualifying;  // in event order
    std::string account;           // the fleet account the member drives for (empty: none)
    std::string account_policy;    // that account's fleet policy (its discount prices the member's orders)
    std::string account_tier;      // the account's tier, which the member holds too when higher than
                                   // `tier` (policy qualification "account"; held_tier() picks)
    boxed<fleet_account> fleet;    // set on an account's own state (opened by open_account); out of line: most states have none
    std::vector<lot_record> lots;  // lots with points left, in creation order; a lot that holds none
                                   // moves to `spent` when its event is concluded (bury_spent_lots)
    spent_lots spent;              // lots with no points left, packed (member/spent_lots.hpp)
    name_table names;               // the rule, funder and id-tail names its lots hold (by number)
    points debt;                   // owed after a reversal of spent points
    std::vector<cap_use> cap_usage;
    benefit_use_log benefit_usage;  // for quotas and money caps of benefits (member/benefit_use_log.hpp)
    std::vector<voucher> vouchers;             // issued by redemptions, in issue order
    std::vector<redemption_use> redemptions;   // for per-member reward limits
    std::map<std::string, decimal> carries;    // rule id -> carried rounding remainder (rules with carry_remainder)
    effect_book effects;           // every accepted event, by id: what it did (member/effect_book.hpp)
    std::int64_t last_seq = 0;
    sha256_digest last_hash = genesis_hash();  // the head of the member's chain
    // Not part of the state's value (never saved, not compared): the horizon before which usage
    // was last forgotten (member/usage_horizon.hpp), so that an event whose horizon has not moved
    // on skips the scan. Empty: not known (a state read back, or back-dated events accepted).
    std::optional<day> usage_forgotten_before{};

    explicit member_state(std::string id = {}) : member(std::move(id)) {}

    // Balance: what the lots hold, less debt. Always equals the sum of the member's entries.
    points balance() const {
        points b;
        for (const lot_record& l : lots) b += l.remaining;
        return b - debt;
    }
    // Points that may be spent at t: lots no longer pending, less debt.
    points available(instant t) const {
        points b;
        for (const lot_record& l : lots)
            if (l.available_at <= t) b += l.remaining;
        return b - debt;
    }
    points pending(instant t) const {
        points b;
        for (const lot_record& l : lots)
            if (t < l.available_at) b += l.remaining;
        return b;
    }
    bool has_seen(const std::string& event_id) const { return effects.contains(event_id); }

    // Reads this state's memory ahead of an event (core/prefetch.hpp: it changes nothing): the
    // state itself and the blocks applying an event reads (the effect book, the lots and their
    // names, benefit and cap usage, vehicles, the tail of the spent lots).
    // journal_runner::prefetch() calls it one event ahead.
    void prefetch() const noexcept {
        prefetch_bytes(this, sizeof(*this));
        effects.prefetch();
        prefetch_elements(lots);
        names.prefetch();
        benefit_usage.prefetch();
        prefetch_elements(cap_usage);
        prefetch_elements(vehicles);
        for (const std::string& vin : vehicles) prefetch_elements(vin);
        prefetch_elements(vehicle_records);
        prefetch_elements(qualifying);
        spent.prefetch();
    }

    // The lot `id`, spent or not; nullptr when the member has none. A spent lot is unpacked back
    // into `lots`, at its place in creation order, so a pointer or reference into `lots` taken
    // before does not survive this call.
    lot_record* find_lot(std::string_view id) {
        for (lot_record& l : lots)
            if (l.has_id(id, names)) return &l;
        std::optional<lot_record> l = spent.dig_up(id, names);
        if (!l) return nullptr;
        const auto at = std::upper_bound(lots.begin(), lots.end(), l->ordinal,
                                         [](std::uint32_t o, const lot_record& x) { return o < x.ordinal; });
        return &*lots.insert(at, std::move(*l));
    }
    // A lot's id, rule and funder as text. A reference is valid until a name is added (name_table).
    std::string lot_id(const lot_record& l) const { return l.id(names); }
    lot_id_text lot_id_text_of(const lot_record& l) const { return l.id_text(names); }
    std::string_view rule_of(const lot_record& l) const { return names[l.rule]; }
    std::string_view funder_of(const lot_record& l) const { return names[l.funder]; }
    // Adds a lot given with its names written out (a snapshot read back, a test), after every lot
    // the member has, holding points or not (bury_spent_lots moves a spent one).
    void add_lot(const lot& l) {
        room_for_lot();
        lots.push_back(lot_record::of(l, names));
    }
    // Room for one more lot with points, by a quarter rather than by doubling (core/growth.hpp).
    void room_for_lot() { room_for_one_more(lots); }
    // A new lot's place in creation order: after every lot the member has, spent or not.
    std::uint32_t next_lot_ordinal() const { return static_cast<std::uint32_t>(lots.size() + spent.size()); }
    // Moves the lots that hold no points to `spent` (the engine does it as it concludes an event).
    void bury_spent_lots() {
        // In place, in order (no buffer, as std::stable_partition would take): spent lots are
        // buried in creation order, the others close up behind one another (most events: none
        // is spent, and nothing moves).
        auto kept = lots.begin();
        for (auto it = lots.begin(); it != lots.end(); ++it) {
            if (it->remaining == points(0)) {
                spent.bury(*it);
            } else {
                if (kept != it) *kept = std::move(*it);
                ++kept;
            }
        }
        lots.erase(kept, lots.end());
    }
    // Every lot, spent or not, in creation order: what the member's lots are, for the edges
    // (snapshots, statements of lots, Python).
    std::vector<lot> all_lots() const {
        std::vector<lot> out = spent.all(names);
        out.reserve(out.size() + lots.size());
        for (const lot_record& l : lots) out.push_back(l.written(names));
        std::stable_sort(out.begin(), out.end(), [](const lot& a, const lot& b) { return a.ordinal < b.ordinal; });
        return out;
    }
    const vehicle_record* find_vehicle(const std::string& vin) const {
        for (const vehicle_record& v : vehicle_records)
            if (v.vin == vin) return &v;
        return nullptr;
    }
    vehicle_record* find_vehicle(const std::string& vin) {
        for (vehicle_record& v : vehicle_records)
            if (v.vin == vin) return &v;
        return nullptr;
    }
    voucher* find_voucher(const std::string& id) {
        for (voucher& v : vouchers)
            if (v.id == id) return &v;
        return nullptr;
    }

    friend bool operator==(const member_state& a, const member_state& b) {
        return a.member == b.member && a.enrolled == b.enrolled && a.member_since == b.member_since &&
               a.last_event_at == b.last_event_at && a.last_activity_at == b.last_activity_at &&
               a.vehicles == b.vehicles && a.vehicle_records == b.vehicle_records && a.household == b.household &&
               a.birthday_month == b.birthday_month && a.birthday_day == b.birthday_day &&
               a.surveyed_orders == b.surveyed_orders && a.referred_by == b.referred_by &&
               a.referral_event == b.referral_event && a.referral_lapsed == b.referral_lapsed && a.tier == b.tier && a.tier_since == b.tier_since &&
               a.tier_window == b.tier_window && a.tier_upgrade_event == b.tier_upgrade_event &&
               a.tier_before_upgrade == b.tier_before_upgrade && a.qualifying == b.qualifying &&
               a.account == b.account && a.account_policy == b.account_policy && a.account_tier == b.account_tier && a.fleet == b.fleet && a.all_lots() == b.all_lots() && a.debt == b.debt && a.cap_usage == b.cap_usage && a.benefit_usage == b.benefit_usage &&
               a.vouchers == b.vouchers && a.redemptions == b.redemptions && a.carries == b.carries &&
               a.effects == b.effects && a.last_seq == b.last_seq && a.last_hash == b.last_hash;
    }
};

}  // namespace loyalty
