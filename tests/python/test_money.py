"""Money in Python: decimal.Decimal, exact; a float where money is expected is a TypeError."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import loyalty
from conftest import CST


def order(price, quantity="1", event_id="ro-1", operation="BRAKE-PADS") -> dict:
    return {"id": event_id, "member": "M1", "at": dt.datetime(2025, 4, 15, 9, 30, tzinfo=CST), "type": "repair_order",
            "ro": "RO-1", "lines": [{"kind": "labour", "category": "repair", "operation": operation,
                                     "quantity": quantity, "unit_price": price}]}


def test_float_money_is_refused(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    with pytest.raises(TypeError, match="not float"):
        engine.apply(enrolled, order(180.0))
    with pytest.raises(TypeError, match="/lines/0/unit_price"):
        engine.price(enrolled, order(0.1))
    with pytest.raises(TypeError, match="not float"):
        engine.apply(enrolled, order("180.00", quantity=1.5))


@pytest.mark.parametrize("price", [Decimal("180.00"), Decimal("180"), "180.00", 180, "1.8E+2"])
def test_exact_money_forms_agree(engine: loyalty.Engine, enrolled: loyalty.MemberState, price) -> None:
    priced = engine.price(enrolled, order(price))
    assert priced.list_total == Decimal("180.00")
    assert priced.net_total == Decimal("126.00")


def test_money_out_is_decimal_with_currency_digits(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    priced = engine.price(enrolled, order(Decimal("0.10"), quantity=Decimal("3")))
    line = priced.lines[0]
    for value in (line.unit_price, line.list, line.net, priced.list_total, priced.net_total, priced.discount_total):
        assert type(value) is Decimal
    assert str(line.unit_price) == "0.10"  # two decimals: CNY's minor digits
    assert line.list == Decimal("0.30") and str(line.list) == "0.30"
    # 0.30 x 0.7 = 0.21 exactly, never 0.21000000000000002
    assert line.net == Decimal("0.21") and priced.currency == "CNY"


def test_too_many_decimals_is_an_event_error(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    with pytest.raises(loyalty.EventError) as info:
        engine.price(enrolled, order(Decimal("1.001")))
    assert info.value.error_id == "loyalty.event.invalid_amount"


def test_non_finite_decimal_is_refused(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    with pytest.raises(ValueError):
        engine.price(enrolled, order(Decimal("NaN")))


def test_points_are_int(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    out = engine.apply(enrolled, order("99.99"))
    assert all(type(e.amount) is int and type(e.balance) is int for e in out.entries)
    assert type(out.state.balance) is int
