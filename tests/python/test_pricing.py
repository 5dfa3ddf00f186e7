"""Engine.price and compare(): a repair order priced with the member's benefits, every line
explained; an estimate and the bill compared line by line."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest

import loyalty
from conftest import CST

AT = dt.datetime(2025, 4, 15, 9, 30, tzinfo=CST)


def ro(lines, status="closed", event_id="ro-1") -> dict:
    return {"id": event_id, "member": "M1", "at": AT, "type": "repair_order", "ro": "RO-25-0311",
            "status": status, "lines": lines}


SERVICE = [
    {"kind": "labour", "category": "maintenance", "operation": "OIL-CHANGE", "unit_price": Decimal("120.00")},
    {"kind": "part", "category": "maintenance", "operation": "OIL-5W30-1L", "quantity": 4, "unit_price": "68.50"},
    {"kind": "labour", "category": "repair", "operation": "BRAKE-PADS", "quantity": "1.5", "unit_price": "180.00"},
    {"kind": "part", "category": "repair", "operation": "BUMPER", "unit_price": "2300.00",
     "flags": ["accident", "insurance_paid"]},
]


def test_price_explains_every_line(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    priced = engine.price(enrolled, ro(SERVICE))
    assert isinstance(priced, loyalty.PricedOrder)
    assert (priced.program, priced.version, priced.currency) == ("4s-club", 1, "CNY")
    oil, oil_parts, brakes, bumper = priced.lines
    assert oil.net == Decimal("0.00") and oil.adjustments[0].benefit == "oil-change-labour"
    assert oil.adjustments[0].amount == Decimal("120.00") and "free" in oil.adjustments[0].reason
    assert oil_parts.list == Decimal("274.00") and oil_parts.net == Decimal("274.00") and oil_parts.adjustments == ()
    assert brakes.quantity == Decimal("1.5") and brakes.list == Decimal("270.00") and brakes.net == Decimal("189.00")
    assert "pays 0.7" in brakes.adjustments[0].reason
    assert bumper.net == Decimal("0.00") and bumper.flags == ("accident", "insurance_paid")
    assert any("insurer" in n for n in bumper.notes)
    assert priced.list_total == Decimal("2964.00")
    assert priced.net_total == Decimal("463.00")
    assert priced.discount_total == priced.list_total - priced.net_total
    assert priced.labour_net + priced.parts_net == priced.net_total
    assert priced.points_total == sum(p for _, p in priced.points_by_rule) == 463
    assert {u.benefit for u in priced.consumes} >= {"oil-change-labour", "labour-30-off"}


def test_price_does_not_change_the_state(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    before = enrolled.balance
    engine.price(enrolled, ro(SERVICE))
    assert enrolled.balance == before


def test_price_is_what_closing_the_order_earns(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    priced = engine.price(enrolled, ro(SERVICE))
    out = engine.apply(enrolled, ro(SERVICE))
    assert sum(e.amount for e in out.entries if e.kind == "earn") == priced.points_total


def test_quota_runs_out_and_says_so(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    wax = {"kind": "labour", "category": "maintenance", "operation": "WAX-FULL", "quantity": 5, "unit_price": "200.00"}
    priced = engine.price(enrolled, ro([wax]))
    line = priced.lines[0]
    assert line.adjustments[0].uses == 4
    assert "uses 1-4 of 4" in line.adjustments[0].reason
    # the fifth waxing is paid in full: labour-30-off does not stack on a line waxing already has
    assert line.net == Decimal("200.00")
    assert any("does not stack" in n for n in line.notes)


def test_priced_values_pickle_compare_and_to_dict(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    priced = engine.price(enrolled, ro(SERVICE))
    assert pickle.loads(pickle.dumps(priced)) == priced
    assert pickle.loads(pickle.dumps(priced.lines[2])) == priced.lines[2]
    d = priced.to_dict()
    assert d["lines"][2]["adjustments"][0]["benefit"] == "labour-30-off"
    assert isinstance(d["lines"], list) and isinstance(d["net_total"], Decimal)
    assert repr(priced.lines[0]).startswith("PricedLine(kind='labour', category='maintenance'")
    json.dumps(d, default=str)  # plain data


def test_order_at_overrides_event_time(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    later = engine.price(enrolled, ro(SERVICE), at=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    assert later.consumes[0].on == dt.date(2026, 1, 5)
    with pytest.raises(ValueError, match="naive"):
        engine.price(enrolled, ro(SERVICE), at=dt.datetime(2026, 1, 5))


def test_price_needs_a_repair_order(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    with pytest.raises(loyalty.EventError) as info:
        engine.price(enrolled, {"id": "b", "member": "M1", "at": AT, "type": "birthday"})
    assert info.value.error_id == "loyalty.event.not_repair_order"


def test_price_refuses_another_members_order(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    other = dict(ro(SERVICE), member="M2")
    with pytest.raises(loyalty.EventError) as info:
        engine.price(enrolled, other)
    assert info.value.error_id == "loyalty.event.other_member" and info.value.pointer == "/member"
    assert "M2" in str(info.value) and "M1" in str(info.value)


def test_compare_estimate_with_final_bill(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    estimate = engine.price(enrolled, ro(SERVICE[:3], status="estimate"))
    same = loyalty.compare(estimate, engine.price(enrolled, ro(SERVICE[:3])))
    assert same.same and same.change == Decimal("0.00")
    final_lines = [dict(SERVICE[0]), dict(SERVICE[1], quantity=5), dict(SERVICE[2]),
                   {"kind": "part", "category": "brakes", "operation": "PADS", "unit_price": "300.00"}]
    final = engine.price(enrolled, ro(final_lines))
    diff = loyalty.compare(estimate, final)
    assert not diff.same
    assert [d.kind for d in diff.differences] == ["quantity_changed", "line_added"]
    assert diff.change == final.net_total - estimate.net_total == sum(d.final_net - d.estimate_net for d in diff.differences)
    assert diff.differences[1].estimate_line is None and diff.differences[1].final_line == 3
    assert "quantity 4 -> 5" in diff.differences[0].reason
    # works on unpickled orders too
    assert loyalty.compare(pickle.loads(pickle.dumps(estimate)), final) == diff
    with pytest.raises(TypeError):
        loyalty.compare(estimate, final.to_dict())  # type: ignore[arg-type]


def test_compare_says_a_quota_used_up_in_between_with_figures(engine: loyalty.Engine,
                                                                enrolled: loyalty.MemberState) -> None:
    # 4 waxings a year: the estimate takes use 1 of 4; 4 are used before the bill, which charges it.
    wax = {"kind": "labour", "category": "care", "operation": "WAX-FULL", "unit_price": "280.00"}
    estimate = engine.price(enrolled, ro([wax], status="estimate"))
    assert estimate.lines[0].adjustments[0].quota == loyalty.QuotaSeen(0, 4, "calendar_year", dt.date(2025, 1, 1),
                                                                       dt.date(2025, 12, 31))
    used = engine.apply(enrolled, ro([dict(wax, quantity=4)], event_id="ro-0")).state
    final = engine.price(used, ro([wax], event_id="ro-2"))
    assert final.lines[0].adjustments == ()
    assert [(u.benefit, u.quota.used, u.quota.allowed) for u in final.lines[0].used_up] == [("waxing", 4, 4)]
    diff = loyalty.compare(estimate, final)
    # 280.00 free in the estimate, 280.00 to pay on the bill.
    assert diff.change == Decimal("280.00")
    [d] = diff.differences
    assert d.kind == "benefit_changed"
    [q] = d.quota_changes
    assert (q.benefit, q.at_estimate.used, q.at_final.used, q.at_final.allowed) == ("waxing", 0, 4, 4)
    assert (q.estimate_uses, q.final_uses, q.used_up, q.used_in_between) == (1, 0, True, 4)
    assert (q.estimate_discount, q.final_discount) == (Decimal("280.00"), Decimal("0.00"))
    assert "waxing: used up since the estimate: 0 of 4 used at the estimate, 4 of 4 at the bill" in d.reason
    # the figures survive pickling of the priced orders
    assert loyalty.compare(pickle.loads(pickle.dumps(estimate)), pickle.loads(pickle.dumps(final))) == diff
