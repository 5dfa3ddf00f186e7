"""Shared fixtures of the Python test-suite. The package under test is the build tree's
(PYTHONPATH=<build>/python, set by CTest's python.pytest)."""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import pytest

import loyalty

ROOT = pathlib.Path(__file__).resolve().parents[2]
JOURNAL = ROOT / "examples" / "events" / "4s-club-2025-2026.jsonl"
PROGRAM_FILE = ROOT / "examples" / "programs" / "4s-club.json"
UTC = dt.timezone.utc
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="session")
def program() -> loyalty.Program:
    return loyalty.Program.reference()


@pytest.fixture(scope="session")
def engine(program: loyalty.Program) -> loyalty.Engine:
    return loyalty.Engine(program)


def enrol(member: str = "M1", event_id: str = "e-enrol", at: dt.datetime = dt.datetime(2025, 2, 1, 10, tzinfo=CST)) -> dict:
    return {"id": event_id, "member": member, "at": at, "type": "enrol"}


@pytest.fixture
def enrolled(engine: loyalty.Engine) -> loyalty.MemberState:
    """M1, enrolled on 2025-02-01 (welcome bonus 500 points)."""
    out = engine.apply(loyalty.MemberState("M1"), enrol())
    assert out.accepted
    return out.state


def apply_one_by_one(engine: loyalty.Engine, events, states: dict) -> list:
    """Applies events (dicts or JSON text) one by one to per-member states, as a store would,
    posting a referred member's referral on the referrer's state too; returns the entries."""
    entries = []
    for e in events:
        member = (json.loads(e) if isinstance(e, str) else e)["member"]
        out = engine.apply(states.get(member, loyalty.MemberState(member)), e)
        if not out.accepted:
            continue
        states[member] = out.state
        entries.extend(out.entries)
        if out.referral is not None:  # a referred member's first paid visit pays the referrer
            paid = engine.apply_referral(states[out.referral.referrer], e, out.referral)
            assert paid.accepted and paid.referral is None
            states[out.referral.referrer] = paid.state
            entries.extend(paid.entries)
    return entries
