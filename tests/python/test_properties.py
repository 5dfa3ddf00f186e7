"""Hypothesis properties: replay equals live, money never becomes float, exact rates from a
programme dict reach the engine unchanged, events as dicts or JSON text are the same."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loyalty
from conftest import UTC

ENGINE = loyalty.Engine(loyalty.Program.reference())
START = dt.datetime(2025, 1, 5, tzinfo=UTC)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

amounts = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2, allow_nan=False, allow_infinity=False)
line = st.fixed_dictionaries({
    "kind": st.sampled_from(["labour", "part"]),
    "category": st.sampled_from(["maintenance", "repair", "accessory", "brakes", "tyres"]),
    "operation": st.sampled_from(["OIL-CHANGE", "WAX-FULL", "BRAKE-PADS", "WASH-EXT", "X"]),
    "quantity": st.integers(min_value=1, max_value=6),
    "unit_price": amounts,
    "flags": st.lists(st.sampled_from(["accident", "warranty", "insurance_paid"]), unique=True, max_size=2),
})


@st.composite
def journals(draw):
    members = draw(st.lists(st.sampled_from(["M1", "M2", "M3"]), min_size=1, max_size=3, unique=True))
    events = []
    at = START
    for i in range(draw(st.integers(min_value=1, max_value=25))):
        at += dt.timedelta(days=draw(st.integers(min_value=0, max_value=120)), seconds=draw(st.integers(0, 86399)))
        member = draw(st.sampled_from(members))
        kind = draw(st.sampled_from(["enrol", "repair_order", "adjustment", "birthday", "survey", "reverse", "tick"]))
        e = {"id": f"e{i}", "member": member, "at": at, "type": kind}
        if kind == "repair_order":
            e["lines"] = draw(st.lists(line, min_size=1, max_size=4))
        elif kind == "adjustment":
            e.update(points=draw(st.integers(-3000, 3000).filter(bool)), reason="test", operator="staff")
        elif kind == "survey":
            e["survey"] = f"S{i}"
        elif kind == "reverse":
            e.update(event=f"e{draw(st.integers(0, max(i - 1, 0)))}", reason="test")
        events.append(e)
    if draw(st.booleans()) and events:  # a duplicate id now and then
        events.append(dict(events[0], at=at))
    return events


@SETTINGS
@given(journals())
def test_replay_equals_live(events) -> None:
    ledger = ENGINE.run(events)
    states: dict = {}
    live = []
    refused: set = set()  # an id is judged once: run() answers a refused one with its refusal again
    for e in events:
        if e["id"] in refused:
            continue
        state = states.get(e["member"], loyalty.MemberState(e["member"]))
        out = ENGINE.apply(state, e)
        assert isinstance(out.refused, (str, type(None)))
        if out.accepted and e["id"] not in {x.event for x in live}:
            states[e["member"]] = out.state
            live.extend(out.entries)
        elif not out.accepted and out.refused != "duplicate_event":
            refused.add(e["id"])
    assert tuple(live) == ledger.entries
    assert states == ledger.members
    assert ENGINE.verify(events, ledger).ok
    for member, state in states.items():
        assert state.balance == (ledger.entries_of(member)[-1].balance if ledger.entries_of(member) else 0)


def walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from walk(v)
    else:
        yield value


@SETTINGS
@given(st.lists(line, min_size=1, max_size=5))
def test_money_never_becomes_float(lines) -> None:
    state = ENGINE.apply(loyalty.MemberState("M1"), {"id": "e", "member": "M1", "at": START, "type": "enrol"}).state
    priced = ENGINE.price(state, {"id": "r", "member": "M1", "at": START, "type": "repair_order", "lines": lines})
    assert not any(isinstance(v, float) for v in walk(priced.to_dict()))
    assert sum((pl.list for pl in priced.lines), Decimal("0.00")) == priced.list_total
    assert sum((pl.net for pl in priced.lines), Decimal("0.00")) == priced.net_total
    for pl, given_line in zip(priced.lines, lines):
        assert pl.unit_price == given_line["unit_price"]
        assert pl.list == given_line["unit_price"] * given_line["quantity"]
        if {"warranty", "insurance_paid"} & set(given_line["flags"]):
            assert pl.net == 0 and pl.adjustments == ()  # paid by warranty or the insurer
        else:
            assert pl.net == pl.list - sum((a.amount for a in pl.adjustments), Decimal("0.00"))
        assert -pl.net.as_tuple().exponent == 2  # CNY: two decimals, always


@SETTINGS
@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("0.9999"), places=4), amounts)
def test_programme_rate_from_dict_is_exact(pay, price) -> None:
    doc = json.loads(loyalty.Program.reference_json())
    benefit = next(b for b in doc["benefits"] if b["id"] == "labour-30-off")
    benefit["pay"] = pay
    engine = loyalty.Engine(loyalty.Program.from_dict(doc))
    state = engine.apply(loyalty.MemberState("M1"), {"id": "e", "member": "M1", "at": START, "type": "enrol"}).state
    order = {"id": "r", "member": "M1", "at": START, "type": "repair_order",
             "lines": [{"kind": "labour", "category": "repair", "unit_price": price}]}
    net = engine.price(state, order).lines[0].net
    assert net == (price * pay).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@SETTINGS
@given(journals())
def test_events_as_dicts_or_json_text_agree(events) -> None:
    as_text = [json.dumps(dict(e, at=e["at"].strftime("%Y-%m-%dT%H:%M:%SZ")), default=str) for e in events]
    assert ENGINE.run(events).to_jsonl() == ENGINE.run(as_text).to_jsonl() == ENGINE.run("\n".join(as_text)).to_jsonl()
