// loyalty.MemberState: a member's state between events (read-only from Python).
#include "common.hpp"

#include "loyalty/io/state_json.hpp"
#include "loyalty/tier/standing.hpp"

namespace loyalty::python {

namespace {

// A snapshot (io::state_to_json) as JSON text, and back. Through text so that Python sees plain
// JSON data and the exact reader checks every field on the way in.
std::string snapshot_text(const member_state& s) { return io::state_to_json(s).dump(); }

member_state state_of_text(const std::string& text) {
    try {
        return io::state_from_json(io::parse_exact(text));
    } catch (const error& e) {
        io::rethrow_in_domain(e, "loyalty.state");  // malformed text: say it is the snapshot's
    }
}

py::object totals_value(const qualifying_totals& t) {
    py::dict d;
    d["points"] = t.earned.count();
    d["spend"] = py_money(t.spend);
    d["visits"] = t.visits;
    d["vehicles"] = t.vehicles;
    return make_value("QualifyingTotals", d);
}

py::object threshold_value(const tier_threshold& t) {
    const auto or_none = [](const auto& v, auto to_python) { return v ? to_python(*v) : py::object(py::none()); };
    py::dict d;
    d["points"] = or_none(t.qualifying_points, [](points p) { return py::object(py::int_(p.count())); });
    d["spend"] = or_none(t.spend, [](const money& m) { return py_money(m); });
    d["visits"] = or_none(t.visits, [](std::int64_t n) { return py::object(py::int_(n)); });
    d["vehicles"] = or_none(t.vehicles, [](std::int64_t n) { return py::object(py::int_(n)); });
    return make_value("TierThreshold", d);
}

py::object last_day(const day_range& r) { return py_day(r.end - date::days(1)); }

py::object standing_value(const program& prog, const tier_standing& st) {
    py::object keep = py::none(), next = py::none();
    if (st.keep) {
        const tier_keep& k = *st.keep;
        py::dict d;
        d["tier"] = k.tier;
        d["judged_first"] = py_day(k.judged.first);
        d["judged_last"] = last_day(k.judged);
        d["judged"] = totals_value(k.judged_totals);
        d["grace_first"] = k.grace ? py_day(k.grace->first) : py::object(py::none());
        d["grace_last"] = k.grace ? last_day(*k.grace) : py::object(py::none());
        d["grace"] = k.grace ? totals_value(k.grace_totals) : py::object(py::none());
        d["review_on"] = py_day(k.review_on);
        d["retain"] = threshold_value(k.retain);
        d["met"] = k.met;
        keep = make_value("TierKeep", d);
    }
    if (st.next) {
        py::dict d;
        d["tier"] = st.next->tier;
        d["qualify"] = threshold_value(st.next->qualify);
        d["met"] = st.next->qualify.meets(st.totals);
        next = make_value("TierReach", d);
    }
    py::dict d;
    d["window"] = detail::describe(*prog.tiers, st.window);
    d["window_first"] = py_day(st.window.first);
    d["window_last"] = last_day(st.window);
    d["totals"] = totals_value(st.totals);
    d["held"] = st.held;
    d["keep"] = keep;
    d["next"] = next;
    d["in_grace_until"] = st.in_grace_until ? py_day(*st.in_grace_until) : py::object(py::none());
    return make_value("TierStanding", d);
}

}  // namespace

void register_state(py::module_& m) {
    // Docstrings of methods start with their signature in CPython's text-signature form
    // ("name($self, /, arg)\n--\n\n"), so that inspect.signature() and help() read them;
    // pybind11's own signature line would hide it.
    py::options options;
    options.disable_function_signatures();
    py::class_<member_state>(m, "MemberState",
        "A member's state between events: lots, debt, usage. Immutable from Python; "
        "Engine.apply returns the next state in its Outcome.")
        .def(py::init<std::string>(), py::arg("member") = std::string(),
             "__init__(self, /, member='')\n--\n\nA state for a member who has not enrolled yet.")
        .def_property_readonly("member", [](const member_state& s) { return s.member; }, "The member's id (str).")
        .def_property_readonly("enrolled", [](const member_state& s) { return s.enrolled; },
                               "Whether the member has enrolled (bool).")
        .def_property_readonly("member_since", [](const member_state& s) {
            return s.enrolled ? py_day(s.member_since) : py::object(py::none());
        }, "The local day of enrolment (a date; None before it): anniversary periods count from it.")
        .def_property_readonly("vehicles", [](const member_state& s) { return py::tuple(py::cast(s.vehicles)); },
                               "The VINs of the member's vehicles (a tuple of str).")
        .def_property_readonly("balance", [](const member_state& s) { return s.balance().count(); },
                               "Points held (int): what the lots hold, less debt; the sum of the member's entries.")
        .def_property_readonly("debt", [](const member_state& s) { return s.debt.count(); },
                               "Points owed after a reversal of points already spent (int, >= 0).")
        .def_property_readonly("referred_by", [](const member_state& s) { return s.referred_by; },
                               "The referrer named at enrolment ('' when none).")
        .def_property_readonly("account", [](const member_state& s) { return s.account; },
                               "The fleet account the member drives for ('' when none).")
        .def_property_readonly("account_policy", [](const member_state& s) { return s.account_policy; },
                               "That account's fleet policy ('' when none).")
        .def_property_readonly("fleet", [](const member_state& s) -> py::object {
            if (!s.fleet) return py::none();
            py::dict d;
            d["policy"] = s.fleet->policy;
            d["name"] = s.fleet->name;
            d["members"] = py::tuple(py::cast(s.fleet->members));
            d["credit"] = py_money(s.fleet->credit);
            return make_value("FleetAccount", d);
        }, "An account's own figures (a FleetAccount) for the state of a fleet account; None for members.")
        .def_property_readonly("tier", [](const member_state& s) { return s.tier; },
                               "The member's own tier ('' when none, or the programme has no tiers).")
        .def_property_readonly("account_tier", [](const member_state& s) { return s.account_tier; },
                               "The fleet account's tier, when the account's policy counts qualification at "
                               "account level ('' otherwise).")
        .def("held_tier", [](const member_state& s, const program& p) { return held_tier(p, s); }, py::arg("program"),
             "held_tier(self, /, program)\n--\n\nThe tier the member holds under `program`: their own, or their account's when higher.")
        .def("tier_review_on", [](const member_state& s, const program& p) {
                 const auto d = tier_review_on(p, s);
                 return d ? py_day(*d) : py::object(py::none());
             }, py::arg("program"),
             "tier_review_on(self, /, program)\n--\n\nThe day the held tier ends unless retained (a date): from 00:00 local time of that day "
             "the tier drops unless its window reached the retain threshold; None when no tier is "
             "held or the held tier cannot drop. Under `program` (its tiers' window and grace days).")
        .def("tier_standing", [](const member_state& s, const program& p, const py::object& at) {
                 const std::optional<tier_standing> st = standing_of(p, s, instant_of(at));
                 return st ? standing_value(p, *st) : py::object(py::none());
             }, py::arg("program"), py::arg("at"),
             "tier_standing(self, /, program, at)\n--\n\nWhere the member stands toward `program`'s tiers at `at` (an aware datetime), a "
             "TierStanding: the totals of the window in force, what keeps the member's own tier at its "
             "review (and the grace, while it runs), what reaches the next tier up. None when the "
             "programme has no tiers.")
        .def_property_readonly("lots", [](const member_state& s) {
            const std::vector<lot> lots = s.all_lots();
            py::tuple out(lots.size());
            for (std::size_t i = 0; i < lots.size(); ++i) out[i] = lot_value(lots[i]);
            return out;
        }, "The member's lots (a tuple of Lot), in the order they were created, spent ones included.")
        .def_property_readonly("last_seq", [](const member_state& s) { return s.last_seq; },
                               "The seq of the member's last ledger entry (int; 0 before any).")
        .def_property_readonly("last_hash", [](const member_state& s) { return s.last_hash.hex(); },
                               "The hash of the member's last entry: the head of its chain (64 hex digits).")
        .def("available", [](const member_state& s, const py::object& at) { return s.available(instant_of(at)).count(); },
             py::arg("at"), "available(self, /, at)\n--\n\nPoints that may be spent at `at` (an aware datetime): lots no longer pending, less debt.")
        .def("pending", [](const member_state& s, const py::object& at) { return s.pending(instant_of(at)).count(); },
             py::arg("at"), "pending(self, /, at)\n--\n\nPoints still pending at `at` (an aware datetime).")
        .def("to_json", [](const member_state& s) { return snapshot_text(s); },
             "to_json(self, /)\n--\n\nEvery field of the state as one line of JSON (points and money as integers, days and "
             "instants as ISO 8601): MemberState.from_json(s.to_json()) == s.")
        .def_static("from_json", [](const std::string& text) { return state_of_text(text); }, py::arg("text"),
                    "from_json(text)\n--\n\nA state from to_json() text; a snapshot missing or adding a field raises "
                    "loyalty.Error (id loyalty.state.*, with the JSON pointer).")
        .def("to_dict", [](const member_state& s) { return py::module_::import("json").attr("loads")(snapshot_text(s)); },
             "to_dict(self, /)\n--\n\nThe snapshot of to_json() as plain JSON data (a dict).")
        .def_static("from_dict", [](const py::dict& d) {
                        return state_of_text(py::module_::import("json").attr("dumps")(d).cast<std::string>());
                    },
                    py::arg("snapshot"), "from_dict(snapshot)\n--\n\nA state from to_dict() data.")
        .def(py::pickle([](const member_state& s) { return snapshot_text(s); },
                        [](const std::string& text) { return state_of_text(text); }))
        .def("__eq__", [](const member_state& a, const py::object& b) -> py::object {
            if (!py::isinstance<member_state>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const member_state&>());
        })
        .def("__repr__", [](const member_state& s) {
            return "MemberState(member=" + std::string(py::repr(py::str(s.member))) + ", enrolled=" +
                   (s.enrolled ? "True" : "False") + ", balance=" + std::to_string(s.balance().count()) +
                   ", debt=" + std::to_string(s.debt.count()) + ", lots=" + std::to_string(s.lots.size() + s.spent.size()) + ")";
        });
    // Mutable internals (effects, usage) make a hash meaningless; states compare by value.
    m.attr("MemberState").attr("__hash__") = py::none();
}

}  // namespace loyalty::python
