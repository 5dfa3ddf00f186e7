"""Member states: snapshots (to_json / to_dict and back) and pickling. A state unpickled in the
middle of a journal carries on to the same ledger as a run that was never interrupted."""

from __future__ import annotations

import copy
import json
import pickle

import pytest

import loyalty
from conftest import JOURNAL, apply_one_by_one


def journal_events() -> list:
    return [json.loads(line) for line in JOURNAL.read_text(encoding="utf-8").splitlines() if line.strip()]


def apply_all(engine: loyalty.Engine, events: list, states: dict) -> list:
    """Applies events one by one to per-member states (as a store would), returns the entries."""
    return apply_one_by_one(engine, events, states)


def test_pickle_round_trip_equals(engine: loyalty.Engine) -> None:
    ledger = engine.run(JOURNAL)
    assert len(ledger.members) == 3
    for member, state in ledger.members.items():
        back = pickle.loads(pickle.dumps(state))
        assert back == state and back is not state
        # every figure a caller can see, not only __eq__
        assert (back.member, back.balance, back.debt, back.lots, back.last_seq, back.last_hash, back.vehicles,
                back.member_since) == (state.member, state.balance, state.debt, state.lots, state.last_seq,
                                       state.last_hash, state.vehicles, state.member_since)
        assert copy.deepcopy(state) == state
    assert pickle.loads(pickle.dumps(loyalty.MemberState("fresh"))) == loyalty.MemberState("fresh")


def test_an_outcome_pickles_with_its_state(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    out = engine.apply(enrolled, {"id": "e-b", "member": "M1", "at": "2025-03-03T10:00:00+08:00", "type": "birthday"})
    assert pickle.loads(pickle.dumps(out)) == out


def test_unpickled_mid_journal_continues_to_the_same_ledger(engine: loyalty.Engine) -> None:
    events = journal_events()
    whole = engine.run(JOURNAL)
    assert apply_all(engine, events, {}) == list(whole.entries)  # the uninterrupted run, event by event
    for cut in range(1, len(events)):
        states: dict = {}
        first = apply_all(engine, events[:cut], states)
        restored = pickle.loads(pickle.dumps(states))  # e.g. saved by one process, loaded by another
        rest = apply_all(engine, events[cut:], restored)
        assert first + rest == list(whole.entries), f"interrupted after event {cut}"
        assert restored == whole.members


def test_unpickled_state_keeps_what_a_reversal_needs(engine: loyalty.Engine) -> None:
    # e-0015 reverses an earlier repair order of M002: the effect recorded in the state (which lots
    # it created, which caps and quotas it used) must survive the snapshot for the reversal to match.
    events = journal_events()
    cut = next(i for i, e in enumerate(events) if e["type"] == "reverse")
    states: dict = {}
    apply_all(engine, events[:cut], states)
    reverse = events[cut]
    member = reverse["member"]
    live = engine.apply(states[member], reverse)
    restored = engine.apply(pickle.loads(pickle.dumps(states[member])), reverse)
    assert live.accepted and restored == live
    assert any(e.kind == "reverse" or e.reverses for e in live.entries)


def test_to_dict_and_to_json_are_the_snapshot(engine: loyalty.Engine) -> None:
    state = engine.run(JOURNAL).members["M001"]
    d = state.to_dict()
    assert json.loads(state.to_json()) == d
    assert d["member"] == "M001" and d["enrolled"] is True
    assert sum(lot["remaining"] for lot in d["lots"]) - d["debt"] == state.balance
    assert all(isinstance(lot["earned"], int) for lot in d["lots"])
    assert loyalty.MemberState.from_dict(d) == state
    assert loyalty.MemberState.from_json(state.to_json()) == state
    json.dumps(d)  # plain JSON data


def test_bad_snapshots_are_refused_with_id_and_pointer(engine: loyalty.Engine) -> None:
    d = engine.run(JOURNAL).members["M001"].to_dict()
    del d["lots"][0]["remaining"]
    with pytest.raises(loyalty.Error) as missing:
        loyalty.MemberState.from_dict(d)
    assert missing.value.error_id.startswith("loyalty.state.") and missing.value.pointer == "/lots/0/remaining"
    d = loyalty.MemberState("M9").to_dict()
    d["balance"] = 100  # not a field of the snapshot: refused, not ignored
    with pytest.raises(loyalty.Error) as unknown:
        loyalty.MemberState.from_dict(d)
    assert unknown.value.pointer == "/balance"
    with pytest.raises(loyalty.Error) as malformed:
        loyalty.MemberState.from_json("{")
    assert malformed.value.error_id == "loyalty.state.parse_error"
    with pytest.raises(TypeError):
        loyalty.MemberState.from_dict("not a dict")  # type: ignore[arg-type]
