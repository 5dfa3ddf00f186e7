// Funders in the programme JSON, and funder and store on events and ledger entries (issue 11).
#include <string>

#include <gtest/gtest.h>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/io/program_to_json.hpp"
#include "program_edit.hpp"
#include "test_support.hpp"

namespace unit_funders_json {

using namespace loyalty;
using namespace loyalty::test;

TEST(FundersJson, TheReferenceProgrammeNamesItsFunders) {
    const program p = io::load_program(io::reference_program_json());
    ASSERT_EQ(p.funders.size(), 3u);
    EXPECT_EQ(p.default_funder, "dealer");
    EXPECT_EQ(p.funder_of_rule("service-spend"), "manufacturer");
    EXPECT_EQ(*p.find_rule("service-spend")->funding.cost_per_point, *decimal::parse("0.05"));
    EXPECT_EQ(p.funder_of_rule("welcome"), "dealer");        // names none: the default
    EXPECT_EQ(p.funder_of_rule("adjustment"), "dealer");     // not a rule: the default
    EXPECT_EQ(p.funder_of_benefit("inspection-36"), "manufacturer");
    EXPECT_EQ(*p.find_benefit("inspection-36")->funding.cost_per_use, yuan("60.00"));
    EXPECT_EQ(p.funder_of_benefit("claim-handling"), "insurer");
    EXPECT_EQ(p.funder_of_reward("car-care-kit"), "dealer");
}

TEST(FundersJson, WrittenAndReadBackTheSame) {
    const program p = io::load_program(io::reference_program_json());
    const program q = io::load_program(io::program_to_json(p).dump());
    EXPECT_EQ(q.funders, p.funders);
    EXPECT_EQ(q.default_funder, p.default_funder);
    EXPECT_EQ(q.find_rule("service-spend")->funding.cost_per_point, p.find_rule("service-spend")->funding.cost_per_point);
    EXPECT_EQ(q.find_benefit("inspection-36")->funding.cost_per_use, p.find_benefit("inspection-36")->funding.cost_per_use);
    EXPECT_EQ(q.find_benefit("claim-handling")->funding.funder, "insurer");
}

TEST(FundersJson, UnknownFundersAreRefusedWithTheirPointer) {
    expect_refused([](nlohmann::json& j) { j["earning_rules"][0]["funder"] = "bank"; }, "loyalty.program.unknown_funder",
                   "/earning_rules/0/funder");
    expect_refused([](nlohmann::json& j) { j["benefits"][1]["funder"] = "bank"; }, "loyalty.program.unknown_funder",
                   "/benefits/1/funder");
    expect_refused([](nlohmann::json& j) { j["rewards"][2]["funder"] = "bank"; }, "loyalty.program.unknown_funder",
                   "/rewards/2/funder");
    expect_refused([](nlohmann::json& j) { j["default_funder"] = "bank"; }, "loyalty.program.unknown_funder",
                   "/default_funder");
    expect_refused([](nlohmann::json& j) { j.erase("default_funder"); }, "loyalty.program.missing_field",
                   "/default_funder");
    expect_refused([](nlohmann::json& j) { j["funders"][1]["id"] = "manufacturer"; }, "loyalty.program.duplicate_id",
                   "/funders/1/id");
    expect_refused([](nlohmann::json& j) { j["earning_rules"][0]["cost_per_point"] = "-0.01"; },
                   "loyalty.program.invalid_amount", "/earning_rules/0/cost_per_point");
    // Without `funders` nothing may name one.
    expect_refused(
        [](nlohmann::json& j) {
            j.erase("funders");
            j.erase("default_funder");
        },
        "loyalty.program.unknown_funder", "/earning_rules/0/funder");
}

TEST(FundersJson, EventsNameTheirStore) {
    const event e = io::load_event(R"({"id":"e1","member":"M1","at":"2025-05-01T02:00:00Z","type":"enrol","store":"north"})", cny());
    EXPECT_EQ(e.store, "north");
    EXPECT_EQ(io::event_to_json(e).at("store"), "north");
    const event none = io::load_event(R"({"id":"e1","member":"M1","at":"2025-05-01T02:00:00Z","type":"enrol"})", cny());
    EXPECT_EQ(io::event_to_json(none).count("store"), 0u);
    EXPECT_EQ(error_id([] { io::load_event(R"({"id":"e1","member":"M1","at":"2025-05-01T02:00:00Z","type":"enrol","store":""})", cny()); }),
              "loyalty.event.empty_string");
}

TEST(FundersJson, FunderAndStoreAreHashedOnlyWhenSet) {
    ledger_entry e;
    e.member = "M1";
    e.seq = 1;
    e.event = "e1";
    e.at = at("2025-05-01T02:00:00Z");
    e.program = "p";
    e.version = 1;
    e.prev_hash = genesis_hash();
    const std::string before = canonical_form(e);  // what a ledger written before funders existed hashes
    EXPECT_EQ(before.find("funder"), std::string::npos);
    EXPECT_EQ(before.find("store"), std::string::npos);
    e.funder = "dealer";
    e.store = "north";
    const std::string after = canonical_form(e);
    // Keys in byte order: ... "expires", "funder", "kind" ... "seq", "store", "version".
    EXPECT_NE(after.find(R"("expires":"","funder":"dealer","kind":)"), std::string::npos) << after;
    EXPECT_NE(after.find(R"("seq":1,"store":"north","version":1})"), std::string::npos) << after;
    // Computed outside our code: python3 json.dumps(entry, sort_keys=True, separators=(",", ":"),
    // ensure_ascii=False) of the same fields, then hashlib.sha256.
    EXPECT_EQ(entry_hash(e).hex(), "0665ad02fe6aa8964c5cc7f47e94608e1e6e51e7eb5c797b6a6424998d89ce28");
    // The JSON form carries them and reads them back; an empty one is refused (it would hash
    // differently from an absent one).
    e.hash = entry_hash(e);
    const ledger_entry back = io::entry_from_json(io::entry_to_json(e), "");
    EXPECT_EQ(back, e);
    nlohmann::json j = io::entry_to_json(e);
    j["funder"] = "";
    EXPECT_EQ(error_id([&] { io::entry_from_json(j, ""); }), "loyalty.ledger.invalid_funder");
}

}  // namespace unit_funders_json
