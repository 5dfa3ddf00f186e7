#pragma once
// Helpers for engine tests: programme variants of the reference club and a tiny journal driver.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loyalty/io/state_json.hpp"
#include "test_support.hpp"

namespace loyalty::test {

// The reference programme's points rules without its benefits, changed by `edit`, then loaded
// (and so validated). Tests of earning, expiry and reversal use it so that member benefits
// (free labour, discounts) do not change what a repair order pays; pricing has its own tests.
inline program variant(const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json j = nlohmann::json::parse(io::reference_program_json());
    j.erase("benefits");
    edit(j);
    return io::load_program(j.dump());
}

inline program points_only() {
    return variant([](nlohmann::json&) {});
}

// A lot as a snapshot or a test gives one: "<event>/<tail>", earned on a fixed day in 2024 and
// expiring in 2026, holding no points until the caller says.
inline lot a_lot(const std::string& event, const std::string& tail, const std::string& rule, const std::string& funder) {
    lot l;
    l.id = event + "/" + tail;
    l.event = event;
    l.rule = rule;
    l.funder = funder;
    l.earned_on = day(date::days(20000));
    l.available_at = instant(std::chrono::seconds(1728000000));
    l.credited_at = instant(std::chrono::seconds(1728003600));
    l.expires_on = day(date::days(20800));
    return l;
}

// Applies events one after another to one member, failing the test on a refusal unless asked.
class member_run {
public:
    explicit member_run(program p, std::string member = "M1") : versions_(std::move(p)), state_(std::move(member)) {}
    explicit member_run(program_versions v, std::string member = "M1") : versions_(std::move(v)), state_(std::move(member)) {}

    outcome apply(const std::string& json_text) {
        outcome o = loyalty::apply(versions_, state_, ev(json_text));
        if (o.accepted()) {
            state_ = o.state;
            entries_.insert(entries_.end(), o.entries.begin(), o.entries.end());
        }
        return o;
    }
    const member_state& state() const { return state_; }
    const std::vector<ledger_entry>& entries() const { return entries_; }
    lot lot_of(const std::string& id) const {  // spent or not
        for (const lot& l : state_.all_lots())
            if (l.id == id) return l;
        throw std::runtime_error("no lot " + id);
    }

private:
    program_versions versions_;
    member_state state_;
    std::vector<ledger_entry> entries_;
};

// Applies a journal with a runner rebuilt from JSON snapshots before every event, as a store
// does between batches: the runner at the end and the entries it posted, for "replay equals
// live" properties.
inline std::pair<journal_runner, std::vector<ledger_entry>> run_through_snapshots(const program_versions& versions,
                                                                                 const std::vector<event>& journal) {
    journal_runner live(versions);
    std::vector<ledger_entry> entries;
    for (const event& e : journal) {
        journal_runner next(versions);
        for (const auto& [id, s] : live.members()) next.adopt(io::state_from_json(io::state_to_json(s)));
        const outcome o = next.apply(e);
        if (o.accepted()) entries.insert(entries.end(), o.entries.begin(), o.entries.end());
        live = std::move(next);
    }
    return {std::move(live), std::move(entries)};
}

// The outcome's entries of one kind, in posting order.
inline std::vector<ledger_entry> entries_of_kind(const outcome& o, entry_kind k) {
    std::vector<ledger_entry> out;
    for (const ledger_entry& e : o.entries)
        if (e.kind == k) out.push_back(e);
    return out;
}

// JSON text of common events for member M1.
inline std::string enrol(const std::string& id, const std::string& when) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"enrol"})";
}
inline std::string simple_ro(const std::string& id, const std::string& when, const std::string& price,
                             const std::string& category = "maintenance") {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when +
           R"(","type":"repair_order","lines":[{"kind":"labour","category":")" + category +
           R"(","unit_price":")" + price + R"("}]})";
}
inline std::string adjust(const std::string& id, const std::string& when, long long pts) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"adjustment","points":)" +
           std::to_string(pts) + R"(,"reason":"test","operator":"op-1"})";
}
inline std::string reverse_of(const std::string& id, const std::string& when, const std::string& target) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"reverse","event":")" + target + R"("})";
}
inline std::string tick(const std::string& id, const std::string& when) {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":"tick"})";
}
inline std::string simple(const std::string& id, const std::string& when, const std::string& type,
                          const std::string& extra = "") {
    return R"({"id":")" + id + R"(","member":"M1","at":")" + when + R"(","type":")" + type + "\"" + extra + "}";
}

}  // namespace loyalty::test
