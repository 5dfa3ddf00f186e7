"""Who funds what (issue 11): LedgerEntry.funder and .store, Lot.funder, from Python."""

from __future__ import annotations

import datetime as dt
import json

import loyalty
from conftest import CST, PROGRAM_FILE, enrol


def ro(event_id: str, store: str, price: str) -> dict:
    return {"id": event_id, "member": "M1", "at": dt.datetime(2025, 4, 15, 9, 30, tzinfo=CST), "type": "repair_order",
            "store": store, "lines": [{"kind": "labour", "category": "repair", "unit_price": price}]}


def test_entries_name_their_funder_and_store(engine: loyalty.Engine) -> None:
    first = engine.apply(loyalty.MemberState("M1"), {**enrol(), "store": "north"})
    assert [(e.kind, e.funder, e.store) for e in first.entries] == [("enrol", "", "north"),
                                                                    ("earn", "dealer", "north")]
    out = engine.apply(first.state, ro("e2", "south", "100.00"))
    assert out.accepted
    # 100.00 labour, 30% off (the dealer's labour-30-off) -> 70.00 paid -> 70 service-spend
    # points, funded by the manufacturer.
    got = [(e.kind, e.rule, e.funder, e.store) for e in out.entries]
    assert got == [("benefit_use", "labour-30-off", "dealer", "south"),
                   ("earn", "service-spend", "manufacturer", "south")]
    assert out.entries[1].amount == 70
    lot = [l for l in out.state.lots if l.rule == "service-spend"][0]
    assert lot.funder == "manufacturer"
    # The ledger-file form carries both fields, and the chain verifies with them hashed.
    assert out.entries[1].to_json()["funder"] == "manufacturer" and out.entries[1].to_json()["store"] == "south"
    assert engine.verify([{**enrol(), "store": "north"}, ro("e2", "south", "100.00")],
                         list(first.entries) + list(out.entries)).ok


def test_a_programme_without_funders_names_none() -> None:
    doc = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    for key in ("funders", "default_funder"):
        del doc[key]
    for group in ("earning_rules", "benefits", "rewards"):
        for item in doc[group]:
            item.pop("funder", None)
    engine = loyalty.Engine(loyalty.Program.from_json(json.dumps(doc)))
    out = engine.apply(loyalty.MemberState("M1"), enrol())
    assert [e.funder for e in out.entries] == ["", ""]
    assert "funder" not in out.entries[1].to_json() and "store" not in out.entries[1].to_json()


def test_an_unknown_funder_is_refused_with_its_pointer() -> None:
    doc = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    doc["earning_rules"][0]["funder"] = "bank"
    try:
        loyalty.Program.from_json(json.dumps(doc))
    except loyalty.Error as e:
        assert e.error_id == "loyalty.program.unknown_funder" and e.pointer == "/earning_rules/0/funder"
    else:
        raise AssertionError("an unknown funder was accepted")
