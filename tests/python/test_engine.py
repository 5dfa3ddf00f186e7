"""Engine.apply: one event, a pure function of (programme, state, event)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

import loyalty
from conftest import CST, UTC, enrol


def test_enrol_earns_the_welcome_bonus(engine: loyalty.Engine) -> None:
    start = loyalty.MemberState("M1")
    out = engine.apply(start, enrol())
    assert out.accepted and out.refused is None and out.message == "" and not out.backdated
    assert [e.kind for e in out.entries] == ["enrol", "earn"]
    assert out.entries[1].amount == 500 and out.entries[1].rule == "welcome"
    # One event, one group (ledger format 5): both entries carry its hash, after the genesis.
    assert out.entries[1].hash == out.entries[0].hash == out.state.last_hash
    assert out.entries[1].prev_hash == out.entries[0].prev_hash == "0" * 64
    assert out.state.balance == 500 and out.state.enrolled
    assert out.state.member_since == dt.date(2025, 2, 1)
    assert out.trace[0].rule == "welcome" and out.trace[0].version == 1
    # pure: the state given is unchanged
    assert start.balance == 0 and not start.enrolled and start == loyalty.MemberState("M1")


def test_event_as_json_text(engine: loyalty.Engine) -> None:
    text = '{"id":"e1","member":"M1","at":"2025-02-01T10:00:00+08:00","type":"enrol"}'
    assert engine.apply(loyalty.MemberState("M1"), text) == engine.apply(loyalty.MemberState("M1"), enrol(event_id="e1"))


def test_repair_order_earns_on_what_the_member_pays(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    ro = {"id": "e2", "member": "M1", "at": dt.datetime(2025, 4, 15, 9, 30, tzinfo=CST), "type": "repair_order",
          "ro": "RO-1", "lines": [{"kind": "labour", "category": "repair", "operation": "BRAKE-PADS",
                                  "quantity": "1.5", "unit_price": "180.00"}]}
    out = engine.apply(enrolled, ro)
    assert out.accepted
    earned = [e for e in out.entries if e.kind == "earn"]
    # 270.00 list, 30% off labour -> 189.00 paid -> 189 points
    assert [e.amount for e in earned] == [189]
    assert out.state.balance == 500 + 189
    assert any("labour-30-off" == t.rule for t in out.trace)


def test_state_lots_available_pending(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    (lot,) = enrolled.lots
    assert isinstance(lot, loyalty.Lot)
    assert lot.id == "e-enrol/welcome" and lot.earned == lot.remaining == 500 and lot.expired == 0
    assert lot.earned_on == dt.date(2025, 2, 1)
    assert lot.expires_on == dt.date(2027, 3, 1)
    assert lot.available_at.tzinfo is not None
    at = dt.datetime(2025, 6, 1, tzinfo=UTC)
    assert enrolled.available(at) == 500 and enrolled.pending(at) == 0
    assert enrolled.debt == 0 and enrolled.last_seq == 2 and len(enrolled.last_hash) == 64
    with pytest.raises(ValueError, match="naive"):
        enrolled.available(dt.datetime(2025, 6, 1))


def test_naive_datetime_in_event_is_refused(engine: loyalty.Engine) -> None:
    with pytest.raises(ValueError, match="naive"):
        engine.apply(loyalty.MemberState("M1"), enrol(at=dt.datetime(2025, 2, 1, 10)))


def test_subsecond_instant_is_refused(engine: loyalty.Engine) -> None:
    with pytest.raises(ValueError, match="whole seconds"):
        engine.apply(loyalty.MemberState("M1"), enrol(at=dt.datetime(2025, 2, 1, 10, 0, 0, 5, tzinfo=UTC)))


def test_values_are_immutable_comparable_and_pickle(enrolled: loyalty.MemberState, engine: loyalty.Engine) -> None:
    out = engine.apply(loyalty.MemberState("M1"), enrol())
    entry = out.entries[1]
    with pytest.raises(AttributeError):
        entry.amount = 1  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert pickle.loads(pickle.dumps(enrolled.lots[0])) == enrolled.lots[0]
    assert pickle.loads(pickle.dumps(out.trace)) == out.trace
    assert hash(entry) == hash(pickle.loads(pickle.dumps(entry)))
    assert repr(entry).startswith("LedgerEntry(member='M1', seq=2,")
    d = entry.to_dict()
    assert d["amount"] == 500 and d["at"] == dt.datetime(2025, 2, 1, 2, tzinfo=UTC)
    assert entry.to_json()["at"] == "2025-02-01T02:00:00Z" and entry.to_json()["expires"] == "2027-03-01"
    # Ledger format 5: the reason's arguments, typed, hashed with the entry (docs/ledger.md).
    assert entry.format == 5
    assert entry.args == loyalty.ReasonArgs(code="earned", base="bonus", type="enrol")
    assert entry.to_json()["args"] == {"base": "bonus", "code": "earned", "type": "enrol"}
    assert loyalty.ReasonArgs.from_json(entry.to_json()["args"]) == entry.args
    args = loyalty.ReasonArgs(code="receives", counterpart="M2", other_lot="e1/w", on=dt.date(2027, 3, 1),
                              sources=(("rate", 0), ("tier", 2)), period_used=0)
    assert args.to_json() == {"code": "receives", "counterpart": "M2", "other_lot": "e1/w", "on": "2027-03-01",
                              "sources": [["rate", 0], ["tier", 2]], "period_used": 0}
    assert loyalty.ReasonArgs.from_json(args.to_json()) == args and hash(args) == hash(loyalty.ReasonArgs.from_json(args.to_json()))
    with pytest.raises(AttributeError):
        enrolled.balance = 3  # type: ignore[misc]


def test_state_type_is_checked(engine: loyalty.Engine) -> None:
    with pytest.raises(TypeError):
        engine.apply("M1", enrol())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.apply(loyalty.MemberState("M1"), 42)  # type: ignore[arg-type]


def test_settle_debt_entries_carry_the_debt_they_paid(engine: loyalty.Engine) -> None:
    # The example journal: M002's e-0102 is reversed after 1,500 of its points were spent, which
    # become debt; e-0105 earns 210 points, all of which pay it off (1500 -> 1290).
    from conftest import JOURNAL

    entries = engine.run(JOURNAL).entries
    settled = [e for e in entries if e.kind == "settle_debt"]
    assert [(e.member, e.event, e.amount, e.debt_paid) for e in settled] == [("M002", "e-0105", 0, 210)]
    assert settled[0].to_json()["debt_paid"] == 210
    assert all(e.debt_paid is None and "debt_paid" not in e.to_json() for e in entries if e.kind != "settle_debt")
    # Handed back as objects, the entries verify: debt_paid is part of what is hashed.
    assert engine.verify(JOURNAL, entries).ok


def test_benefit_entries_carry_their_uses_and_money(engine: loyalty.Engine) -> None:
    # The example journal: M001's RO-25-0311 uses oil-change-labour once (120.00 CNY of labour
    # free) and labour-30-off (81.00 CNY, no quota); M002's RO-25-0615 is cancelled, which gives
    # its 180.00 CNY of labour-30-off back.
    from conftest import JOURNAL

    entries = engine.run(JOURNAL).entries
    uses = [(e.member, e.kind, e.rule, e.uses, e.money) for e in entries if e.uses is not None]
    assert ("M001", "benefit_use", "oil-change-labour", 1, "120.00 CNY") in uses
    assert ("M001", "benefit_use", "labour-30-off", 0, "81.00 CNY") in uses
    assert ("M002", "benefit_return", "labour-30-off", 0, "180.00 CNY") in uses
    assert ("M001", "benefit_use", "claim-handling", 1, "") in uses
    assert all(e.kind in ("benefit_use", "benefit_return") for e in entries if e.uses is not None)
    assert all(e.uses is not None for e in entries if e.kind in ("benefit_use", "benefit_return"))
    first = next(e for e in entries if e.rule == "oil-change-labour")
    assert first.to_json()["uses"] == 1 and first.to_json()["money"] == "120.00 CNY"
    assert all("uses" not in e.to_json() for e in entries if e.uses is None)
    # Handed back as objects, the entries verify: uses is part of what is hashed.
    assert engine.verify(JOURNAL, entries).ok
