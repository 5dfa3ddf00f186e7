#pragma once
// Applies one batch of events with the engine, starting from the members' stored snapshots.
//
// journal_runner is the one place that applies events (and, for a points transfer, touches two
// members); the store seeds it with snapshots through journal_runner::adopt and with the reward
// stock through adopt_stock. Until the engine in this tree has adopt(), the session applies
// events with apply_in_place itself, which is what journal_runner does for one member.
#include <map>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "loyalty/engine/journal.hpp"

namespace loyalty::store::detail {

template <class R, class = void>
struct can_adopt : std::false_type {};
template <class R>
struct can_adopt<R, std::void_t<decltype(std::declval<R&>().adopt(std::declval<member_state>()))>> : std::true_type {};

template <class R, class = void>
struct keeps_stock : std::false_type {};
template <class R>
struct keeps_stock<R, std::void_t<decltype(std::declval<R&>().adopt_stock(std::declval<const R&>().stock())),
                                  decltype(std::declval<const R&>().stock().issued)>> : std::true_type {};

template <class Runner>
class basic_session {
public:
    explicit basic_session(const program_versions& v) : runner_(v), versions_(v) {}

    static constexpr bool has_stock = keeps_stock<Runner>::value;

    void seed(member_state s) {
        if constexpr (can_adopt<Runner>::value) {
            runner_.adopt(std::move(s));
        } else {
            std::string id = s.member;
            states_.insert_or_assign(std::move(id), std::move(s));
        }
    }

    template <class Issued>
    void seed_stock(Issued issued) {
        if constexpr (has_stock) {
            std::decay_t<decltype(std::declval<const Runner&>().stock())> st;
            st.issued = std::move(issued);
            runner_.adopt_stock(std::move(st));
        }
    }
    std::map<std::string, std::int64_t> stock() const {
        std::map<std::string, std::int64_t> out;
        if constexpr (has_stock)
            for (const auto& [reward, n] : runner_.stock().issued) out.emplace(reward, static_cast<std::int64_t>(n));
        return out;
    }

    outcome apply(const event& e) {
        if constexpr (can_adopt<Runner>::value) {
            return runner_.apply(e);
        } else {
            auto it = states_.find(e.member);
            if (it == states_.end()) {
                member_state fresh(e.member);
                outcome o = apply_alone(fresh, e);
                if (o.accepted()) states_.emplace(e.member, std::move(fresh));
                return o;
            }
            return apply_alone(it->second, e);
        }
    }

    const member_state* state(const std::string& member) const {
        if constexpr (can_adopt<Runner>::value) {
            const auto& m = runner_.members();
            const auto it = m.find(member);
            return it == m.end() ? nullptr : &it->second;
        } else {
            const auto it = states_.find(member);
            return it == states_.end() ? nullptr : &it->second;
        }
    }

private:
    // A template, so that the call is only compiled where it is used (without adopt()).
    template <class State>
    outcome apply_alone(State& s, const event& e) {
        return apply_in_place(versions_, s, e);
    }

    Runner runner_;
    const program_versions& versions_;
    std::map<std::string, member_state> states_;  // only without adopt()
};

using engine_session = basic_session<journal_runner>;

template <class T, class = void>
struct names_a_receiver : std::false_type {};
template <class T>
struct names_a_receiver<T, std::void_t<decltype(std::string(std::declval<const T&>().to))>> : std::true_type {};

// The members an event may change: its own and, for an event that names a receiver (`to`, a
// points transfer), the receiver, whose snapshot must be locked and seeded too.
inline std::vector<std::string> members_of(const event& e) {
    std::vector<std::string> out{e.member};
    std::visit(
        [&](const auto& body) {
            if constexpr (names_a_receiver<std::decay_t<decltype(body)>>::value) out.push_back(body.to);
        },
        e.body);
    return out;
}

}  // namespace loyalty::store::detail
