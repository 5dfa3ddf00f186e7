// Conversions between C++ values and Python objects (see common.hpp).
#include "common.hpp"

#include <cstdio>

namespace loyalty::python {

namespace {

py::module_ module_of(const char* name) { return py::module_::import(name); }

// 1970-01-01 as a proleptic Gregorian ordinal (datetime.date(1970, 1, 1).toordinal()).
constexpr std::int64_t epoch_ordinal = 719163;

}  // namespace

py::object py_instant(instant t) {
    // Epoch + timedelta is integer arithmetic in CPython: exact for every representable second.
    py::module_ dt = module_of("datetime");
    py::object epoch = dt.attr("datetime")(1970, 1, 1, py::arg("tzinfo") = dt.attr("timezone").attr("utc"));
    return epoch + dt.attr("timedelta")(py::arg("seconds") = static_cast<long long>(t.time_since_epoch().count()));
}

py::object py_day(day d) {
    return module_of("datetime").attr("date").attr("fromordinal")(
        static_cast<long long>(d.time_since_epoch().count()) + epoch_ordinal);
}

py::object py_optional_day(const std::string& text) {
    if (text.empty()) return py::none();
    const auto d = parse_day(text);
    if (!d) return py::str(text);
    return py_day(*d);
}

py::object py_money(const money& m) { return module_of("decimal").attr("Decimal")(m.to_string()); }
py::object py_decimal(const decimal& d) { return module_of("decimal").attr("Decimal")(d.to_string()); }

instant instant_of(const py::handle& value) {
    const auto seconds = module_of("loyalty._convert").attr("epoch_seconds")(value).cast<std::int64_t>();
    return instant{std::chrono::seconds(seconds)};
}

decimal decimal_of(const py::handle& value, const char* what) {
    const auto text = module_of("loyalty._convert").attr("exact_text")(value, what).cast<std::string>();
    const auto d = decimal::parse(text);
    if (!d) throw py::value_error(std::string(what) + ": '" + text + "' is not an exact decimal that fits");
    return *d;
}

money money_of(const py::handle& value, const currency& c, const char* what) {
    const auto text = module_of("loyalty._convert").attr("exact_text")(value, what).cast<std::string>();
    const auto m = money::parse(text, c);
    if (!m)
        throw py::value_error(std::string(what) + ": '" + text + "' is not an amount of " + std::string(c.code()) +
                              " (at most " + std::to_string(c.minor_digits()) + " decimals)");
    return *m;
}

py::object make_value(const char* type, const py::dict& fields) {
    return module_of("loyalty._values").attr(type)(**fields);
}

py::object lot_value(const lot& l) {
    py::dict d;
    d["id"] = l.id;
    d["event"] = l.event;
    d["rule"] = l.rule;
    d["earned_on"] = py_day(l.earned_on);
    d["available_at"] = py_instant(l.available_at);
    d["credited_at"] = py_instant(l.credited_at);
    d["expires_on"] = l.expires_on ? py_day(*l.expires_on) : py::object(py::none());
    d["earned"] = l.earned.count();
    d["remaining"] = l.remaining.count();
    d["expired"] = l.expired.count();
    d["funder"] = l.funder;
    return make_value("Lot", d);
}

py::object figures_value(const earn_figures& f) {
    py::dict d;
    py::object to_decimal = module_of("decimal").attr("Decimal");
    d["base"] = to_decimal(f.base_text());  // its decimals as written: Decimal('186800.00')
    py::tuple factors(f.factors);
    for (std::size_t i = 0; i < f.factors; ++i) factors[i] = py_decimal(f.factor[i]);
    d["factors"] = factors;
    d["rounding"] = std::string(to_string(f.mode));
    d["rounded"] = f.rounded;
    d["carried"] = f.carried ? py_decimal(*f.carried) : py::object(py::none());
    d["cap"] = f.cap ? py::object(py::int_(f.cap->count())) : py::object(py::none());
    d["per"] = f.per > 0 ? to_decimal(f.per_text()) : py::object(py::none());
    return make_value("EarnFigures", d);
}

py::object entry_value(const ledger_entry& e) {
    py::dict d;
    d["member"] = e.member;
    d["seq"] = e.seq;
    d["event"] = e.event;
    d["at"] = py_instant(e.at);
    d["kind"] = std::string(to_string(e.kind));
    d["amount"] = e.amount.count();
    d["balance"] = e.balance.count();
    d["lot"] = e.lot;
    d["expires"] = py_optional_day(e.expires);
    d["rule"] = e.rule;
    d["program"] = e.program;
    d["version"] = e.version;
    d["reason"] = e.reason;
    d["reverses"] = e.reverses;
    d["money"] = e.money;
    d["funder"] = e.funder;
    d["store"] = e.store;
    d["figures"] = e.figures ? figures_value(*e.figures) : py::object(py::none());
    d["debt_paid"] = e.debt_paid ? py::object(py::int_(e.debt_paid->count())) : py::object(py::none());
    d["uses"] = e.uses ? py::object(py::int_(*e.uses)) : py::object(py::none());
    d["prev_hash"] = e.prev_hash.hex();
    d["hash"] = e.hash.hex();
    d["format"] = static_cast<int>(e.format);
    // The reason's arguments as the ledger line writes them (format 5), none for a format-4 entry.
    d["args"] = e.format == 5 ? module_of("loyalty._values").attr("ReasonArgs").attr("from_json")(
                                    py::module_::import("json").attr("loads")(args_text(e.args)))
                              : py::object(py::none());
    return make_value("LedgerEntry", d);
}

py::tuple entries_tuple(const std::vector<ledger_entry>& entries) {
    py::tuple out(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) out[i] = entry_value(entries[i]);
    return out;
}
py::tuple entries_tuple(const entry_list& entries) {
    py::tuple out(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) out[i] = entry_value(entries[i]);
    return out;
}

py::object trace_value(const trace_line& t) {
    py::dict d;
    d["rule"] = t.rule;
    d["version"] = t.version;
    d["text"] = t.text;
    return make_value("TraceLine", d);
}

namespace {

py::tuple flags_tuple(unsigned flags) {
    py::list out;
    for (line_flag f : {line_flag::accident, line_flag::warranty, line_flag::insurance_paid, line_flag::third_party})
        if (flags & static_cast<unsigned>(f)) out.append(std::string(to_string(f)));
    return py::tuple(out);
}

// A datetime.date as a day.
day day_of(const py::handle& d) {
    return day{date::year(d.attr("year").cast<int>()) / date::month(d.attr("month").cast<unsigned>()) /
               date::day(d.attr("day").cast<unsigned>())};
}

// A period as period::describe() writes it: "calendar_year", "anniversary_year", "rolling 30 days".
period period_of(const std::string& text) {
    period p;
    if (const auto kind = parse_period_kind(text)) {
        p.kind = *kind;
        return p;
    }
    int days = 0;
    char tail[8] = {};
    if (std::sscanf(text.c_str(), "rolling %d %7s", &days, tail) == 2 && std::string(tail) == "days" && days > 0) {
        p.kind = period_kind::rolling_days;
        p.days = days;
        return p;
    }
    throw py::value_error("not a quota period: '" + text + "'");
}

quota_seen quota_seen_of(const py::handle& q) {
    return {q.attr("used").cast<std::int64_t>(), q.attr("allowed").cast<std::int64_t>(),
            day_range{day_of(q.attr("first")), day_of(q.attr("last")) + date::days(1)},
            period_of(q.attr("period").cast<std::string>())};
}

py::object line_value(const priced_line& pl) {
    py::list adjustments, used_up;
    for (const price_adjustment& a : pl.adjustments) {
        py::dict d;
        d["benefit"] = a.benefit.view();
        d["version"] = a.version;
        d["amount"] = py_money(a.amount);
        d["uses"] = a.uses;
        d["reason"] = a.reason;
        d["quota"] = a.quota ? quota_seen_value(*a.quota) : py::object(py::none());
        adjustments.append(make_value("PriceAdjustment", d));
    }
    for (const quota_used_up& u : pl.used_up) {
        py::dict d;
        d["benefit"] = u.benefit;
        d["quota"] = quota_seen_value(u.quota);
        used_up.append(make_value("QuotaUsedUp", d));
    }
    py::dict d;
    d["kind"] = std::string(to_string(pl.line.kind));
    d["category"] = pl.line.category;
    d["operation"] = pl.line.operation;
    d["quantity"] = py_decimal(pl.line.quantity);
    d["unit_price"] = py_money(pl.line.unit_price);
    d["flags"] = flags_tuple(pl.line.flags);
    d["list"] = py_money(pl.list);
    d["net"] = py_money(pl.net);
    d["adjustments"] = py::tuple(adjustments);
    d["notes"] = py::tuple(py::cast(pl.notes));
    d["used_up"] = py::tuple(used_up);
    return make_value("PricedLine", d);
}

}  // namespace

py::object quota_seen_value(const quota_seen& q) {
    py::dict d;
    d["used"] = q.used;
    d["allowed"] = q.allowed;
    d["period"] = q.per.describe();
    d["first"] = py_day(q.period.first);
    d["last"] = py_day(q.period.end - date::days(1));
    return make_value("QuotaSeen", d);
}

py::object priced_order_value(const priced_order& o, const currency& c) {
    py::list lines, consumes, by_rule;
    for (const priced_line& pl : o.lines) lines.append(line_value(pl));
    for (const benefit_use& u : o.consumes) {
        py::dict d;
        d["benefit"] = u.benefit.view();
        d["on"] = py_day(u.on);
        d["uses"] = u.uses;
        d["discount"] = py_money(money(u.discount, c));
        d["reference"] = u.reference.view();
        consumes.append(make_value("BenefitUse", d));
    }
    for (const auto& [rule, pts] : o.points_by_rule) by_rule.append(py::make_tuple(rule, pts.count()));
    py::dict d;
    d["program"] = o.program;
    d["version"] = o.version;
    d["currency"] = std::string(c.code());
    d["lines"] = py::tuple(lines);
    d["list_total"] = py_money(o.list_total);
    d["discount_total"] = py_money(o.discount_total);
    d["net_total"] = py_money(o.net_total);
    d["labour_net"] = py_money(o.labour_net);
    d["parts_net"] = py_money(o.parts_net);
    d["consumes"] = py::tuple(consumes);
    d["points_by_rule"] = py::tuple(by_rule);
    d["points_total"] = o.points_total.count();
    return make_value("PricedOrder", d);
}

priced_order priced_order_of(const py::handle& order) {
    const auto code = order.attr("currency").cast<std::string>();
    const auto c = currency::from_code(code);
    if (!c) throw py::value_error("unknown currency '" + code + "'");
    priced_order o;
    o.program = order.attr("program").cast<std::string>();
    o.version = order.attr("version").cast<std::int64_t>();
    for (const py::handle& l : order.attr("lines")) {
        priced_line pl;
        const auto kind = parse_line_kind(l.attr("kind").cast<std::string>());
        if (!kind) throw py::value_error("a priced line's kind is labour or part");
        pl.line.kind = *kind;
        pl.line.category = l.attr("category").cast<std::string>();
        pl.line.operation = l.attr("operation").cast<std::string>();
        pl.line.quantity = decimal_of(l.attr("quantity"), "quantity");
        pl.line.unit_price = money_of(l.attr("unit_price"), *c, "unit_price");
        for (const py::handle& f : l.attr("flags")) {
            const auto flag = parse_line_flag(f.cast<std::string>());
            if (!flag) throw py::value_error("unknown line flag '" + f.cast<std::string>() + "'");
            pl.line.flags |= static_cast<unsigned>(*flag);
        }
        pl.list = money_of(l.attr("list"), *c, "list");
        pl.net = money_of(l.attr("net"), *c, "net");
        for (const py::handle& a : l.attr("adjustments")) {
            const py::object q = a.attr("quota");
            pl.adjustments.push_back({a.attr("benefit").cast<std::string>(), a.attr("version").cast<std::int64_t>(),
                                      money_of(a.attr("amount"), *c, "amount"), a.attr("uses").cast<std::int64_t>(),
                                      a.attr("reason").cast<std::string>(),
                                      q.is_none() ? std::nullopt : std::optional<quota_seen>(quota_seen_of(q))});
        }
        for (const py::handle& n : l.attr("notes")) pl.notes.push_back(n.cast<std::string>());
        for (const py::handle& u : l.attr("used_up"))
            pl.used_up.push_back({u.attr("benefit").cast<std::string>(), quota_seen_of(u.attr("quota"))});
        o.lines.push_back(std::move(pl));
    }
    o.list_total = money_of(order.attr("list_total"), *c, "list_total");
    o.net_total = money_of(order.attr("net_total"), *c, "net_total");
    o.discount_total = money_of(order.attr("discount_total"), *c, "discount_total");
    return o;
}

}  // namespace loyalty::python
