"""Fleet accounts from Python: a run posts the account's side, Engine.apply reports it, and
the account's figures are readable. The reference club's "corporate" policy: parts at 95% after
member benefits, 2% of the year's whole spend from 100,000.00, paid as money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import loyalty
from conftest import CST


def at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 10, tzinfo=CST)


def fleet_year() -> list:
    return [
        {"id": "a-open", "member": "A100", "at": at(2025, 1, 2), "type": "open_account", "policy": "corporate",
         "name": "Huaxin Logistics"},
        {"id": "d1-enrol", "member": "D1", "at": at(2025, 1, 3), "type": "enrol"},
        {"id": "d1-join", "member": "D1", "at": at(2025, 1, 4), "type": "join_account", "account": "A100"},
        {"id": "d1-van", "member": "D1", "at": at(2025, 2, 1), "type": "vehicle_purchase", "vin": "LVAN0000000000001",
         "price": "99800.00"},
        # tyres 500.00: no member benefit; the fleet's 0.95 x 500.00 = 475.00
        {"id": "d1-ro", "member": "D1", "at": at(2025, 6, 1), "type": "repair_order",
         "lines": [{"kind": "part", "category": "tyres", "unit_price": "500.00"}]},
        {"id": "a-settle", "member": "A100", "at": at(2026, 1, 5), "type": "settle_rebate", "period_of": "2025-12-31"},
    ]


def test_a_run_posts_the_accounts_side_and_pays_the_rebate(engine: loyalty.Engine) -> None:
    ledger = engine.run(fleet_year())
    assert ledger.refusals == ()
    account = ledger.members["A100"]
    assert account.fleet is not None
    assert account.fleet.policy == "corporate"
    assert account.fleet.members == ("D1",)
    # 99,800.00 + 475.00 = 100,275.00 reaches the 100,000.00 band: 0.02 x 100,275.00 = 2,005.50
    assert account.fleet.credit == Decimal("2005.50")
    rebates = [e for e in ledger.entries_of("A100") if e.kind == "rebate"]
    assert len(rebates) == 1 and rebates[0].money == "2005.50 CNY"
    driver = ledger.members["D1"]
    assert driver.account == "A100" and driver.account_policy == "corporate"


def test_engine_apply_reports_the_move_for_the_account(engine: loyalty.Engine) -> None:
    ledger = engine.run(fleet_year()[:3])
    out = engine.apply(ledger.members["D1"], fleet_year()[4])
    assert out.accepted
    assert out.account is not None
    assert (out.account.what, out.account.account, out.account.event) == ("spend", "A100", "d1-ro")
    assert out.account.amount == Decimal("475.00")
    assert out.account.on == dt.date(2025, 6, 1)


def test_an_unknown_account_is_refused_with_its_code(engine: loyalty.Engine) -> None:
    events = fleet_year()[1:2] + [
        {"id": "x", "member": "D1", "at": at(2025, 1, 4), "type": "join_account", "account": "NOPE"}]
    ledger = engine.run(events)
    assert [(r.event, r.code) for r in ledger.refusals] == [("x", "account_refused")]


def pooled_program(program: loyalty.Program) -> loyalty.Program:
    """The reference club without benefits or promotion multipliers, with a gold tier from
    5,000.00 of calendar-year spend (x1.5), and the corporate policy counting tier qualification
    at account level."""
    doc = program.to_dict()
    doc["benefits"] = []
    doc.pop("multipliers", None)
    doc["tiers"] = {"window": {"period": "calendar_year"}, "levels": [
        {"id": "gold", "name": "Gold", "qualify": {"spend": "5000.00"}, "retain": {"spend": "3000.00"},
         "multiplier": "1.5"}]}
    doc["fleet_policies"][0]["qualification"] = "account"
    return loyalty.Program.from_dict(doc)


def maintenance(event_id: str, member: str, when: dt.datetime, price: str) -> dict:
    return {"id": event_id, "member": member, "at": when, "type": "repair_order",
            "lines": [{"kind": "labour", "category": "maintenance", "unit_price": price}]}


def test_members_hold_their_accounts_tier_when_it_counts_at_account_level(program: loyalty.Program) -> None:
    pooled = pooled_program(program)
    engine = loyalty.Engine(pooled)
    ledger = engine.run(fleet_year()[:3] + [
        {"id": "d2-enrol", "member": "D2", "at": at(2025, 1, 3), "type": "enrol"},
        {"id": "d2-join", "member": "D2", "at": at(2025, 1, 4), "type": "join_account", "account": "A100"},
        maintenance("d1-ro", "D1", at(2025, 3, 1), "3000.00"),
        # 3,000.00 + 2,500.00 = 5,500.00 >= 5,000.00: the account is gold, neither driver alone
        maintenance("d2-ro", "D2", at(2025, 4, 1), "2500.00"),
        # gold through the account: 1,000.00 x 1 pt x 1.5 = 1,500 pt
        maintenance("d1-ro2", "D1", at(2025, 5, 1), "1000.00"),
    ])
    assert ledger.refusals == ()
    assert ledger.members["A100"].tier == "gold"
    for driver in ("D1", "D2"):
        state = ledger.members[driver]
        assert (state.tier, state.account_tier, state.held_tier(pooled)) == ("", "gold", "gold")
        changes = [e for e in ledger.entries_of(driver) if e.kind == "tier_change"]
        assert [(e.event, e.rule) for e in changes] == [("d2-ro", "gold")]
    assert sum(e.amount for e in ledger.entries_of("D1") if e.event == "d1-ro2" and e.kind == "earn") == 1500
