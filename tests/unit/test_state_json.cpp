// Member-state snapshots as JSON: every field survives a round trip, exactly.
#include <gtest/gtest.h>

#include "engine_support.hpp"
#include "loyalty/io/state_json.hpp"

namespace loyalty {
namespace unit_state_json {

using test::at;
using test::error_id;
using test::on;

// A state with every field away from its default, so a field the writer forgot shows up as
// a difference after the round trip.
member_state every_field_set() {
    member_state s("M-42");
    s.enrolled = true;
    s.member_since = on("2024-02-29");
    s.last_event_at = at("2026-03-01T10:00:00Z");
    s.last_activity_at = at("2026-02-28T09:30:00Z");
    s.vehicles = {"LFV3A23C0R3000001", "LFV3A23C0R3000002"};
    lot a;
    a.id = "e-1/ro-labour";
    a.event = "e-1";
    a.rule = "ro-labour";
    a.earned_on = on("2025-06-01");
    a.available_at = at("2025-06-08T00:00:00Z");
    a.credited_at = at("2025-06-01T02:00:00Z");
    a.expires_on = on("2027-06-01");
    a.earned = points(500);
    a.remaining = points(120);
    a.expired = points(30);
    lot b = a;  // a lot that never expires
    b.id = "e-2/adjustment";
    b.event = "e-2";
    b.rule = "";  // empty text fields are kept as empty, not dropped
    b.expires_on.reset();
    s.add_lot(a);
    s.add_lot(b);
    s.debt = points(-7);  // negative only to prove the sign is kept; the engine keeps debt >= 0
    s.cap_usage = {{"survey", on("2026-01-05"), points(50)}};
    s.benefit_usage = {{"waxing", on("2026-02-01"), 1, 0, "RO-9", {}, {}},
                       {"labour-discount", on("2026-02-02"), 0, 12345, "", {}, {}},
                       {"inspection-36", on("2026-02-03"), 1, 18000, "RO-10", "LFV3A23C0R3000001", 15010}};
    vehicle_record sold;  // every field set, both optional days given
    sold.vin = "LFV3A23C0R3000009";
    sold.purchased_on = on("2024-03-01");
    sold.purchase_km = 12;
    sold.acquired_by = "vp-1";
    sold.previous_owner = "M-8";
    sold.sold_on = on("2026-01-10");
    sold.sold_to = "M-10";
    sold.sold_by = "vp-2";
    sold.readings = {{on("2024-03-01"), 12, "vp-0", false}, {on("2025-03-01"), 11000, "ro-3", false},
                     {on("2025-04-01"), 10990, "ro-4", true}};
    sold.earlier_uses = {{"waxing", on("2025-05-01"), 2, 0, "RO-4", "LFV3A23C0R3000009", 10990}};
    vehicle_record seen;  // a vehicle only seen on repair orders: no purchase known
    seen.vin = "LFV3A23C0R3000001";
    seen.readings = {{on("2026-02-03"), 15010, "ro-10", false}};
    s.vehicle_records = {sold, seen};
    event_effect fx;
    fx.type = event_type::repair_order;
    fx.at = at("2026-02-02T03:00:00Z");
    fx.reversed = true;
    fx.earned = {{lot_id_text("e-1/ro-labour"), points(500)}};
    fx.consumed = {{lot_id_text("e-2/adjustment"), points(80)}};
    fx.cap_uses = {{"ro-labour", on("2026-02-02"), points(500)}};
    fx.benefit_uses = {{"waxing", on("2026-02-02"), 1, 4000, "RO-9", {}, {}}};
    fx.voucher_uses = {{"r-1/labour-voucher-100#1", test::yuan("60.00"), test::yuan("40.00")}};
    fx.closed_order = true;
    fx.account = "A-1";
    fx.account_spend = test::yuan("500.00");
    order_line_effect le;
    le.paid = test::yuan("120.00");
    le.refunded = test::yuan("20.00");
    le.returned = true;
    le.benefit_uses = {{"waxing", on("2026-02-02"), 1, 4000, "RO-9"}};
    le.vouchers = {{"r-1/labour-voucher-100#1", test::yuan("60.00")}};
    fx.lines = {le, order_line_effect{test::yuan("0.00"), test::yuan("0.00"), false, {}, {}}};
    earning_basis eb;
    eb.rule = "ro-labour";
    eb.lot = "e-1/ro-labour";
    eb.counted = {12000, 0};
    eb.factors = {decimal(1, 1), decimal(15, 1)};
    eb.divisor_exponent = 2;
    eb.mode = rounding::half_even;
    eb.earned = points(500);
    eb.taken_back = points(3);
    eb.expired_excused = points(2);
    eb.carry = true;
    fx.bases = {eb};
    s.effects.assign("e-1", fx);
    event_effect rd;
    rd.type = event_type::redeem;
    rd.at = at("2026-01-20T03:00:00Z");
    rd.consumed = {{lot_id_text("e-1/ro-labour"), points(800)}};
    rd.reward = "labour-voucher-100";
    rd.quantity = 2;
    rd.cash = test::yuan("60.00");
    rd.vouchers = {"r-1/labour-voucher-100#1", "r-1/labour-voucher-100#2"};
    s.effects.assign("r-1", rd);
    s.household = "H-7";
    s.birthday_month = 2;
    s.birthday_day = 29;
    s.surveyed_orders = {"e-1"};
    s.tier = "gold";
    s.tier_since = at("2026-02-02T03:00:00Z");
    s.tier_window = {on("2026-01-01"), on("2027-01-01")};
    s.tier_upgrade_event = "e-1";
    s.tier_before_upgrade = "silver";
    s.qualifying = {{"e-1", on("2026-02-02"), points(500), test::yuan("500.00"), 1},
                    {"r-9", on("2026-02-03"), points(0), test::yuan("0.00"), 0}};
    s.referred_by = "M-9";
    s.referral_event = "e-1";
    s.referral_lapsed = true;
    s.account = "A-1";
    s.account_policy = "corporate";
    // A member is not an account; every field is set here only to prove each one is kept.
    fleet_account fa;
    fa.policy = "corporate";
    fa.name = "Huaxin \"Logistics\"";
    fa.members = {"M-2", "M-3"};
    fa.spend = {{"e-1", "M-2", on("2026-02-02"), test::yuan("500.00")}};
    fa.rebates = {{{on("2025-01-01"), on("2026-01-01")}, test::yuan("120000.00"), test::yuan("2400.00"), points(2400)}};
    fa.credit = test::yuan("-0.01");
    s.fleet = fa;
    voucher v;
    v.id = "r-1/labour-voucher-100#1";
    v.reward = "labour-voucher-100";
    v.event = "r-1";
    v.value = test::yuan("100.00");
    v.remaining = test::yuan("0.00");
    v.used = test::yuan("60.00");
    v.expires_on = on("2027-01-20");
    v.withdrawn = true;
    s.vouchers = {v};
    s.redemptions = {{"labour-voucher-100", on("2026-01-20"), 2, "r-1"}};
    s.carries = {{"ro-labour", decimal(-999, 3)}, {"survey", decimal(5, 1)}};
    s.effects.assign("e-0", event_effect{});
    s.last_seq = 17;
    s.last_hash = sha256_digest::from_hex(std::string(63, 'a') + "f").value();
    return s;
}

member_state round_trip(const member_state& s) {
    // Through text, as the store keeps it: the exact reader must give back the same values.
    return io::state_from_json(io::parse_exact(io::state_to_json(s).dump()));
}

// A tripwire: if a field is added to member_state (or to what it holds), these sizes change
// and this test fails until state_json.cpp and this test serialise the new field.
// Sizes are those of libstdc++ on x86-64 (Debian 12), the project's one platform.
TEST(StateJson, StructsHaveTheFieldsThisFileSerialises) {
#if defined(__GLIBCXX__) && defined(__x86_64__)
    EXPECT_EQ(sizeof(qualifying_record), 80u) << "qualifying_record changed: extend io::state_to_json/state_from_json";
    // (960: usage_forgotten_before, 8 bytes, is deliberately not written: it is not part of the
    // state's value, and a state read back starts without it)
    // (name_table, 32 bytes, is written as the names in the lots; benefit_use_log, 56 bytes, as
    // the uses it holds, written out)
    EXPECT_EQ(sizeof(member_state), 904u) << "member_state changed: extend io::state_to_json/state_from_json";
    // (spent_lots, 40 bytes, is written as the lots it holds; a lot's ordinal is its place in "lots";
    // effect_book, 96 bytes, is its bytes, index and name table: written as the effects they hold)
    EXPECT_EQ(sizeof(lot), 184u) << "lot changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(lot_record), 88u) << "lot_record changed: extend lot_record::of and written()";
    EXPECT_EQ(sizeof(event_effect), 336u) << "event_effect changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(cap_use), 48u) << "cap_use changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(benefit_use), 120u) << "benefit_use changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(voucher), 152u) << "voucher changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(voucher_use), 64u) << "voucher_use changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(redemption_use), 80u) << "redemption_use changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(fleet_account), 152u) << "fleet_account changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(account_spend), 88u) << "account_spend changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(rebate_paid), 48u) << "rebate_paid changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(vehicle_record), 240u) << "vehicle_record changed: extend io::state_to_json/state_from_json";
    EXPECT_EQ(sizeof(odometer_reading), 56u) << "odometer_reading changed: extend io::state_to_json/state_from_json";
    // (208: its benefit uses are a small_vector holding one in place)
    EXPECT_EQ(sizeof(order_line_effect), 208u) << "order_line_effect changed: extend io::state_to_json/state_from_json";
    // (288: its counted amounts and factors are small_vectors holding eight and three in place,
    // its lot's id a lot_id_text of 48 bytes)
    EXPECT_EQ(sizeof(earning_basis), 288u) << "earning_basis changed: extend io::state_to_json/state_from_json";
#else
    GTEST_SKIP() << "sizes are recorded for libstdc++ on x86-64 only";
#endif
}

TEST(StateJson, EveryFieldRoundTrips) {
    const member_state s = every_field_set();
    EXPECT_EQ(round_trip(s), s);
    EXPECT_EQ(round_trip(member_state("fresh")), member_state("fresh"));
}

// A snapshot written before referrals landed has no referral keys: it holds no referral. Only
// all three keys together are taken (one alone is a damaged snapshot: an unknown key).
TEST(StateJson, ASnapshotFromBeforeReferralsLoads) {
    member_state s = every_field_set();
    io::json j = io::state_to_json(s);
    j.erase("referred_by");
    j.erase("referral_event");
    j.erase("referral_lapsed");
    s.referred_by.clear();
    s.referral_event.clear();
    s.referral_lapsed = false;
    EXPECT_EQ(io::state_from_json(j), s);
    j["referral_event"] = "e-1";
    EXPECT_THROW(io::state_from_json(j), error);
}

// A snapshot written before tiers landed has no tier keys: it holds no tier.
TEST(StateJson, ASnapshotFromBeforeTiersLoads) {
    member_state s = every_field_set();
    io::json j = io::state_to_json(s);
    for (const char* key : {"tier", "tier_since", "tier_window", "tier_upgrade_event", "tier_before_upgrade", "qualifying"})
        j.erase(key);
    s.tier.clear();
    s.tier_since = {};
    s.tier_window = {};
    s.tier_upgrade_event.clear();
    s.tier_before_upgrade.clear();
    s.qualifying.clear();
    EXPECT_EQ(io::state_from_json(j), s);
    j["tier"] = "gold";  // one key alone is a damaged snapshot
    EXPECT_THROW(io::state_from_json(j), error);
}

// A snapshot of anyone outside fleet accounts has no fleet keys (older snapshots load as such).
TEST(StateJson, FleetKeysAreWrittenOnlyForFleetMembersAndAccounts) {
    member_state s = every_field_set();
    s.account.clear();
    s.account_policy.clear();
    s.fleet.reset();
    for (const auto& [id, record] : s.effects) {
        event_effect fx = s.effects.at(id);
        fx.account.clear();
        fx.account_spend = money();
        s.effects.assign(id, fx);
    }
    const io::json j = io::state_to_json(s);
    EXPECT_FALSE(j.contains("account"));
    EXPECT_FALSE(j.contains("fleet"));
    EXPECT_FALSE(j["effects"]["e-1"].contains("account"));
    EXPECT_EQ(round_trip(s), s);
}

// A snapshot written before vehicle-scoped benefits has no vehicle records, and its benefit uses
// name no vehicle: it loads, knowing no vehicle facts.
TEST(StateJson, ASnapshotFromBeforeVehicleRecordsLoads) {
    member_state s = every_field_set();
    s.benefit_usage.pop_back();  // the vehicle-scoped use
    io::json j = io::state_to_json(s);
    EXPECT_FALSE(j["benefit_usage"][0].contains("vin"));  // a member-scoped use keeps its old form
    EXPECT_FALSE(j["benefit_usage"][0].contains("odometer_km"));
    j.erase("vehicle_records");
    s.vehicle_records.clear();
    EXPECT_EQ(io::state_from_json(j), s);
}

// The direct writer gives the tree's text byte for byte, odd characters included.
TEST(StateJson, TextWriterMatchesTheTree) {
    member_state s = every_field_set();
    s.member = "M \"quoted\" \\ back/slash \n\t\x01 \xE5\xBC\xA0";  // quote, backslash, controls, UTF-8
    benefit_use odd = s.benefit_usage[0];
    odd.reference = "\b\f\r\x1f\x7f";
    ASSERT_TRUE(s.benefit_usage.replace(s.benefit_usage[0], odd));
    s.effects.assign("odd \"id\"", s.effects.at("e-1"));
    EXPECT_EQ(io::state_to_json_text(s), io::state_to_json(s).dump());
    EXPECT_EQ(io::state_to_json_text(member_state()), io::state_to_json(member_state()).dump());
    EXPECT_EQ(io::state_from_json(io::parse_exact(io::state_to_json_text(s))), s);
}

TEST(StateJson, PointsAndMoneyAreIntegersNeverFractions) {
    const io::json j = io::state_to_json(every_field_set());
    ASSERT_TRUE(j["lots"][0]["remaining"].is_number_integer());
    EXPECT_EQ(j["lots"][0]["remaining"].get<std::int64_t>(), 120);
    EXPECT_EQ(j["debt"].get<std::int64_t>(), -7);
    // 123.45 CNY given as a discount is 12345 fen, written as the integer 12345.
    ASSERT_TRUE(j["benefit_usage"][1]["discount"].is_number_integer());
    EXPECT_EQ(j["benefit_usage"][1]["discount"].get<std::int64_t>(), 12345);
    EXPECT_EQ(j["lots"][1]["expires_on"], nullptr);
    EXPECT_EQ(j["lots"][0]["expires_on"], "2027-06-01");
    EXPECT_EQ(j["effects"]["e-1"]["type"], "repair_order");
    EXPECT_EQ(j["last_event_at"], "2026-03-01T10:00:00Z");
}

TEST(StateJson, LargestPointsSurviveExactly) {
    member_state s = every_field_set();
    s.lots[0].earned = points(INT64_MAX);  // 9223372036854775807 would not survive a double
    s.debt = points(INT64_MIN);
    const member_state back = round_trip(s);
    EXPECT_EQ(back.lots[0].earned.count(), INT64_MAX);
    EXPECT_EQ(back.debt.count(), INT64_MIN);
}

// Every state the reference programme produces while replaying the example journal, after
// every event, reads back equal (member_state::operator== compares every field).
TEST(StateJson, ReplayedStatesRoundTrip) {
    const program_versions club(test::reference_program());
    const auto journal =
        io::load_journal_file(std::string(LOYALTY_SOURCE_DIR) + "/examples/events/4s-club-2025-2026.jsonl", test::cny());
    ASSERT_FALSE(journal.empty());
    journal_runner run(club);
    std::size_t checked = 0;
    bool saw_lot = false, saw_effect = false, saw_benefit = false;
    for (const event& e : journal) {
        run.apply(e);
        for (const auto& [id, state] : run.members()) {
            ASSERT_EQ(round_trip(state), state) << "member " << id << " after event " << e.id;
            ASSERT_EQ(io::state_to_json_text(state), io::state_to_json(state).dump()) << id << " after " << e.id;
            saw_lot = saw_lot || !state.lots.empty();
            saw_effect = saw_effect || !state.effects.empty();
            saw_benefit = saw_benefit || !state.benefit_usage.empty();
            ++checked;
        }
    }
    EXPECT_GT(checked, journal.size());  // several members, each checked after each event
    EXPECT_TRUE(saw_lot);
    EXPECT_TRUE(saw_effect);
    EXPECT_TRUE(saw_benefit);
}

TEST(StateJson, ErrorsNameTheFieldAndItsPointer) {
    const io::json good = io::state_to_json(every_field_set());
    auto fails = [&](const std::function<void(io::json&)>& edit, const std::string& id, const std::string& pointer) {
        io::json j = good;
        edit(j);
        try {
            io::state_from_json(j, "/members/3");
            ADD_FAILURE() << "accepted " << j.dump();
        } catch (const error& e) {
            EXPECT_EQ(e.id(), id);
            EXPECT_EQ(e.pointer(), pointer);
        }
    };
    fails([](io::json& j) { j.erase("debt"); }, "loyalty.state.missing_field", "/members/3/debt");
    fails([](io::json& j) { j["lots"][1].erase("expires_on"); }, "loyalty.state.missing_field", "/members/3/lots/1/expires_on");
    fails([](io::json& j) { j["lots"][0]["earned_on"] = "2025-13-01"; }, "loyalty.state.invalid_date",
          "/members/3/lots/0/earned_on");
    fails([](io::json& j) { j["effects"]["e-1"]["consumed"][0]["points"] = "80"; }, "loyalty.state.type_error",
          "/members/3/effects/e-1/consumed/0/points");
    fails([](io::json& j) { j["effects"]["e-1"]["type"] = "teleport"; }, "loyalty.state.invalid_type",
          "/members/3/effects/e-1/type");
    fails([](io::json& j) { j["rank"] = "gold"; }, "loyalty.state.unknown_key", "/members/3/rank");
    fails([](io::json& j) { j["qualifying"][0]["earned"] = -1; }, "loyalty.state.invalid_qualifying",
          "/members/3/qualifying/0/earned");
    fails([](io::json& j) { j["last_hash"] = "00"; }, "loyalty.state.invalid_hash", "/members/3/last_hash");
    fails([](io::json& j) { j["lots"] = io::json::object(); }, "loyalty.state.type_error", "/members/3/lots");
    EXPECT_EQ(error_id([] { io::state_from_json(io::json::array()); }), "loyalty.state.type_error");
}

}  // namespace unit_state_json
}  // namespace loyalty
