#pragma once
// Shared glue of the loyalty._core module: conversions between C++ values and Python objects.
// Immutable value objects (ledger entries, lots, priced lines, ...) are the frozen dataclasses of
// loyalty/_values.py; the C++ side builds them from keyword dicts, so they pickle, compare and
// print as plain Python objects.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "loyalty/io/event_json.hpp"
#include "loyalty/io/json.hpp"
#include "loyalty/io/ledger_json.hpp"
#include "loyalty/io/program_json.hpp"
#include "loyalty/ledger/entry_list.hpp"
#include "loyalty/loyalty.hpp"

namespace loyalty::python {

namespace py = pybind11;

// Python values of C++ ones.
py::object py_instant(instant t);      // aware datetime in UTC
py::object py_day(day d);              // datetime.date
py::object py_optional_day(const std::string& yyyy_mm_dd);  // "" -> None
py::object py_money(const money& m);   // decimal.Decimal, exact
py::object py_decimal(const decimal& d);

// C++ values of Python ones (through loyalty._convert, which refuses naive datetimes and floats).
instant instant_of(const py::handle& aware_datetime);
money money_of(const py::handle& amount, const currency& c, const char* what);
decimal decimal_of(const py::handle& value, const char* what);

// An immutable value object of loyalty._values, built from keyword arguments.
py::object make_value(const char* type, const py::dict& fields);

py::object lot_value(const lot& l);
py::object entry_value(const ledger_entry& e);
py::object trace_value(const trace_line& t);
py::object priced_order_value(const priced_order& o, const currency& c);
py::object quota_seen_value(const quota_seen& q);
py::tuple entries_tuple(const std::vector<ledger_entry>& entries);
py::tuple entries_tuple(const entry_list& entries);  // an outcome's

// A priced order rebuilt from a loyalty.PricedOrder (enough of it for compare()).
priced_order priced_order_of(const py::handle& order);

// The C++ Engine behind loyalty.Engine: every version of one programme.
struct engine {
    program_versions versions;
    currency currency_unit = currency::none();
};

void register_program(py::module_& m);
void register_state(py::module_& m);
void register_engine(py::module_& m);
void register_run(py::module_& m);
void register_price(py::module_& m);
void register_member_value(py::module_& m);

}  // namespace loyalty::python
