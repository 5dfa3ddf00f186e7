// Member value and touch points (loyalty/insight/): a journal replayed with each member's history
// recorded, then RFM scores, lifetime value, life-cycle stage and touch points as of an instant.
// Read-only: nothing is posted. The replay happens in C++ with the GIL released.
#include <algorithm>
#include <chrono>

#include "common.hpp"
#include "loyalty/insight/member_value.hpp"
#include "loyalty/insight/touch_points.hpp"
#include "loyalty/io/member_value_json.hpp"

namespace loyalty::python {

namespace {

// The journal replayed up to as_of, the programme version in force then and the rules.
struct valued_journal {
    std::unique_ptr<history_recorder> rec;
    const program* prog = nullptr;
    instant as_of;
    member_value_rules rules;
};

// `as_of` is an aware datetime (events at or before it count), or a date: its last second in the
// programme's time zone, as `loyalty report member-value --as-of D` takes it. `rules_json` is the
// member_value section as JSON text, or empty for the programme's own section (or defaults).
valued_journal replay(const engine& eng, const std::string& journal_text, const py::object& as_of,
                      const std::string& rules_json) {
    py::module_ dt = py::module_::import("datetime");
    valued_journal out;
    if (py::isinstance(as_of, dt.attr("datetime"))) {
        out.as_of = instant_of(as_of);
    } else if (py::isinstance(as_of, dt.attr("date"))) {
        const auto d = parse_day(py::str(as_of.attr("isoformat")()).cast<std::string>());
        if (!d) throw py::value_error("as_of: not a date");
        out.as_of = eng.versions.latest().zone.start_of(*d + date::days(1)) - std::chrono::seconds(1);
    } else {
        throw py::type_error("as_of: expected an aware datetime.datetime or a datetime.date, got " +
                             std::string(py::str(py::type::of(as_of).attr("__name__"))));
    }
    out.rec = std::make_unique<history_recorder>(eng.versions);
    out.prog = out.rec->versions().at(out.as_of);
    if (!out.prog) throw error("loyalty.member_value.no_program", "no programme version is in force at " + format_instant(out.as_of));
    out.rules = rules_json.empty() ? out.prog->member_value : io::load_member_value_rules(rules_json, out.prog->currency_unit);
    {
        py::gil_scoped_release release;
        for (const event& e : io::load_journal(journal_text, eng.currency_unit))
            if (e.at <= out.as_of) out.rec->apply(e);
    }
    return out;
}

py::object rfm_value(const rfm_scores& r) {
    py::dict d;
    d["recency"] = r.recency;
    d["frequency"] = r.frequency;
    d["monetary"] = r.monetary;
    d["days_since_paid_visit"] =
        r.days_since_paid_visit ? py::object(py::int_(*r.days_since_paid_visit)) : py::object(py::none());
    d["visits"] = r.visits;
    d["paid"] = py_money(r.paid);
    d["window_first"] = py_day(r.window.first);
    d["window_last"] = py_day(r.window.end - date::days(1));
    return make_value("RfmScores", d);
}

py::object lifetime_value_value(const lifetime_value& v) {
    py::dict d;
    d["total_paid"] = py_money(v.total_paid);
    d["tenure_days"] = v.tenure_days;
    d["observed_days"] = v.observed_days;
    d["annual_spend"] = py_money(v.annual_spend);
    d["value"] = py_money(v.value);
    d["formula"] = v.formula;
    return make_value("LifetimeValue", d);
}

py::object member_value_value(const member_value& v) {
    py::dict d;
    d["member"] = v.member;
    d["stage"] = std::string(to_string(v.stage.stage));
    d["stage_reason"] = v.stage.reason;
    d["rfm"] = rfm_value(v.rfm);
    d["lifetime"] = lifetime_value_value(v.clv);
    return make_value("MemberValue", d);
}

py::object touch_point_value(const touch_point& t) {
    py::dict d;
    d["member"] = t.member;
    d["kind"] = std::string(to_string(t.kind));
    d["on"] = py_day(t.on);
    d["days_from_as_of"] = t.days_from_as_of;
    d["subject"] = t.subject;
    d["points"] = t.amount.count();
    d["uses_left"] = t.uses_left;
    d["reason"] = t.reason;
    return make_value("TouchPoint", d);
}

}  // namespace

void register_member_value(py::module_& m) {
    m.def("member_values", [](const engine& eng, const std::string& journal_text, const py::object& as_of,
                              const std::string& rules_json) {
        const valued_journal j = replay(eng, journal_text, as_of, rules_json);
        py::dict out;
        for (const auto& [id, state] : j.rec->runner().members())
            out[py::str(id)] = member_value_value(value_of(*j.prog, state, j.rec->history_of(id), j.as_of, j.rules));
        return out;
    }, py::arg("engine"), py::arg("journal_jsonl"), py::arg("as_of"), py::arg("rules_json") = std::string());

    m.def("touch_points", [](const engine& eng, const std::string& journal_text, const py::object& as_of,
                             const py::object& within, const std::string& rules_json) {
        const valued_journal j = replay(eng, journal_text, as_of, rules_json);
        std::int64_t days = j.rules.touch_points.within_days;
        if (!within.is_none()) {
            if (!py::isinstance<py::int_>(within) || py::isinstance<py::bool_>(within))
                throw py::type_error("within: expected a number of days (int)");
            days = within.cast<std::int64_t>();
            if (days < 0 || days > 366) throw py::value_error("within: a number of days 0..366");
        }
        // Member by member, then by day across members, as `loyalty report touch-points` lists them.
        std::vector<touch_point> all;
        for (const auto& [id, state] : j.rec->runner().members())
            for (touch_point& t : touch_points_of(*j.prog, state, j.rec->history_of(id), j.as_of, j.rules, days))
                all.push_back(std::move(t));
        std::stable_sort(all.begin(), all.end(), [](const touch_point& a, const touch_point& b) { return a.on < b.on; });
        py::list out;
        for (const touch_point& t : all) out.append(touch_point_value(t));
        return py::tuple(out);
    }, py::arg("engine"), py::arg("journal_jsonl"), py::arg("as_of"), py::arg("within") = py::none(),
       py::arg("rules_json") = std::string());

    m.def("member_value_rules", [](const engine& eng, const std::string& rules_json) {
        const program& p = eng.versions.latest();
        const member_value_rules r = rules_json.empty() ? p.member_value : io::load_member_value_rules(rules_json, p.currency_unit);
        return io::member_value_rules_to_json(r, p.currency_unit).dump();
    }, py::arg("engine"), py::arg("rules_json") = std::string());
}

}  // namespace loyalty::python
