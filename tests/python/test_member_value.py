"""Member value from Python: RFM scores, lifetime value, life-cycle stage and touch points
(Engine.member_value / touch_points, docs/member-value.md), and a member's tier with the day it
ends unless retained (MemberState.tier / tier_review_on). Every figure is worked out by hand in
the comments."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest

import loyalty

from conftest import CST, PROGRAM_FILE


def part(event_id: str, member: str, day: str, amount: str) -> dict:
    # A repair part: no benefit discounts category "repair" parts, so the member pays it all.
    return {"id": event_id, "member": member, "at": f"{day}T10:00:00+08:00", "type": "repair_order",
            "lines": [{"kind": "part", "category": "repair", "unit_price": amount}]}


JOURNAL = [
    # M1: enrolled 2025-01-10, birthday 2 January; pays 1,200.00 + 850.50 + 2,000.00 = 4,050.50.
    {"id": "m1-enrol", "member": "M1", "at": "2025-01-10T10:00:00+08:00", "type": "enrol", "birthday": "01-02"},
    part("m1-ro1", "M1", "2025-03-01", "1200.00"),
    part("m1-ro2", "M1", "2025-07-01", "850.50"),
    part("m1-ro3", "M1", "2025-12-01", "2000.00"),
    # M2: enrolled 2025-06-01, buys a car on 2025-12-10.
    {"id": "m2-enrol", "member": "M2", "at": "2025-06-01T10:00:00+08:00", "type": "enrol"},
    {"id": "m2-car", "member": "M2", "at": "2025-12-10T10:00:00+08:00", "type": "vehicle_purchase",
     "vin": "VIN-M2", "price": "150000.00"},
    # M3: enrolled 2025-01-02, nothing since.
    {"id": "m3-enrol", "member": "M3", "at": "2025-01-02T10:00:00+08:00", "type": "enrol"},
    # After every as-of day below: never counted.
    part("m1-ro4", "M1", "2026-02-01", "9999.00"),
]


def test_member_value_as_of_a_day(engine: loyalty.Engine) -> None:
    values = engine.member_value(JOURNAL, dt.date(2025, 12, 31))
    assert sorted(values) == ["M1", "M2", "M3"]
    m1 = values["M1"]
    # Window 2025-01-01..2025-12-31 (365 days). Last paid visit 2025-12-01: 30 days -> R5 (at most 30);
    # 3 paid visits -> F3 (at least 3); 4,050.50 -> M3 (at least 3,000.00, below 8,000.00).
    assert (m1.rfm.recency, m1.rfm.frequency, m1.rfm.monetary) == (5, 3, 3)
    assert m1.rfm.days_since_paid_visit == 30
    assert m1.rfm.visits == 3
    assert m1.rfm.paid == Decimal("4050.50")
    assert (m1.rfm.window_first, m1.rfm.window_last) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # T = 2025-01-10..2025-12-31 = 356 days, O = max(356, 365) = 365; A = 4,050.50 x 365 / 365;
    # V = 4,050.50 x 0.8 / 0.2 = 16,202.00.
    assert m1.lifetime.tenure_days == 356
    assert m1.lifetime.observed_days == 365
    assert m1.lifetime.total_paid == Decimal("4050.50")
    assert m1.lifetime.annual_spend == Decimal("4050.50")
    assert m1.lifetime.value == Decimal("16202.00")
    assert m1.lifetime.formula == ("4050.50 paid x 365 / 365 days = 4050.50 a year; x 0.8 / (1 - 0.8) = "
                                   "16202.00 (half_up)")
    # Not high value (M3 < 4): established.
    assert m1.stage == "established"
    assert m1.stage_reason == "R5 F3 M3, last paid visit 30 days ago"

    m2 = values["M2"]
    # The car: 21 days ago -> R5; 1 paid visit -> F1; 150,000.00 -> M5. Bought within 365 days: new owner.
    assert (m2.rfm.recency, m2.rfm.frequency, m2.rfm.monetary) == (5, 1, 5)
    assert m2.stage == "new_owner"
    assert m2.stage_reason == "vehicle bought 21 days ago (at most 365)"
    # Vehicle purchases are left out of the lifetime value by default: 0.00.
    assert m2.lifetime.value == Decimal("0.00")

    m3 = values["M3"]
    assert m3.stage == "prospect"
    assert m3.stage_reason == "no paid visit yet"
    assert m3.rfm.days_since_paid_visit is None
    assert (m3.rfm.recency, m3.rfm.frequency, m3.rfm.monetary) == (1, 1, 1)


def test_as_of_an_instant_counts_only_what_happened_by_then(engine: loyalty.Engine) -> None:
    # 2025-12-01 09:59:59 in Shanghai: the third order (10:00) has not happened yet. The last paid
    # visit is 2025-07-01, 153 days before -> R3 (at most 180); 2 visits -> F2; 2,050.50 -> M2.
    v = engine.member_value(JOURNAL, dt.datetime(2025, 12, 1, 9, 59, 59, tzinfo=CST))["M1"]
    assert (v.rfm.recency, v.rfm.frequency, v.rfm.monetary) == (3, 2, 2)
    assert v.rfm.paid == Decimal("2050.50")
    with pytest.raises(ValueError):
        engine.member_value(JOURNAL, dt.datetime(2025, 12, 1))  # naive
    with pytest.raises(TypeError):
        engine.member_value(JOURNAL, "2025-12-01")


def test_rules_from_a_dict_and_bad_rules(engine: loyalty.Engine) -> None:
    # Retention 0.5: V = 4,050.50 x 0.5 / 0.5 = 4,050.50; rounding up changes nothing (exact).
    rules = {"lifetime_value": {"retention": Decimal("0.5"), "rounding": "up"}}
    v = engine.member_value(JOURNAL, dt.date(2025, 12, 31), rules=rules)["M1"]
    assert v.lifetime.value == Decimal("4050.50")
    # The same as JSON text.
    assert engine.member_value(JOURNAL, dt.date(2025, 12, 31), rules=json.dumps(
        {"lifetime_value": {"retention": "0.5"}}))["M1"].lifetime.value == Decimal("4050.50")
    assert engine.member_value_rules(rules)["lifetime_value"]["retention"] == "0.5"
    assert engine.member_value_rules()["rfm"]["recency_days"] == [30, 90, 180, 365]
    with pytest.raises(loyalty.ProgramError) as bad:
        engine.member_value(JOURNAL, dt.date(2025, 12, 31), rules={"rfm": {"recency_days": [30, 20, 180, 365]}})
    assert bad.value.error_id == "loyalty.program.unordered_bands"
    assert bad.value.pointer == "/rfm/recency_days/1"


def test_values_pickle_compare_and_convert(engine: loyalty.Engine) -> None:
    v = engine.member_value(JOURNAL, dt.date(2025, 12, 31))["M1"]
    assert isinstance(v, loyalty.MemberValue)
    assert isinstance(v.rfm, loyalty.RfmScores)
    assert isinstance(v.lifetime, loyalty.LifetimeValue)
    assert pickle.loads(pickle.dumps(v)) == v
    d = v.to_dict()
    assert d["rfm"]["paid"] == Decimal("4050.50")
    assert d["lifetime"]["value"] == Decimal("16202.00")


def test_touch_points(engine: loyalty.Engine, tmp_path) -> None:
    # As of 2025-12-28, 7 days: 2025-12-28..2026-01-04.
    points = engine.touch_points(JOURNAL, dt.date(2025, 12, 28))
    seen = [(t.member, t.kind, t.on, t.days_from_as_of, t.subject, t.uses_left) for t in points]
    assert seen == [
        # Every member has 4 waxings left in the calendar year ending 2025-12-31 (3 days ahead).
        ("M1", "quota_unused", dt.date(2025, 12, 31), 3, "waxing", 4),
        ("M2", "quota_unused", dt.date(2025, 12, 31), 3, "waxing", 4),
        ("M3", "quota_unused", dt.date(2025, 12, 31), 3, "waxing", 4),
        # M3's membership year 2025-01-02..2026-01-01 ends with 6 inspections unused.
        ("M3", "quota_unused", dt.date(2026, 1, 1), 4, "inspection-36", 6),
        # M1's birthday, 2 January.
        ("M1", "birthday", dt.date(2026, 1, 2), 5, "", 0),
    ]
    assert points[0].reason == "waxing: 4 of 4 left in calendar_year 2025-01-01..2025-12-31"
    # 12 days reach 2026-01-09: M2's care call 30 days after 2025-12-10, and the end of M1's
    # membership year 2025-01-10..2026-01-09 (6 inspections unused).
    later = engine.touch_points(JOURNAL, dt.date(2025, 12, 28), within=12)
    tail = [(t.member, t.kind, t.subject) for t in later if t.on == dt.date(2026, 1, 9)]
    assert tail == [("M1", "quota_unused", "inspection-36"), ("M2", "care_call", "VIN-M2")]
    care = [t for t in later if t.kind == "care_call"][0]
    assert care.reason == "care call 30 days after the purchase on 2025-12-10 (m2-car)"
    # A journal file gives the same.
    path = tmp_path / "journal.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in JOURNAL), encoding="utf-8")
    assert engine.touch_points(path, dt.date(2025, 12, 28)) == points
    with pytest.raises(ValueError):
        engine.touch_points(JOURNAL, dt.date(2025, 12, 28), within=367)


def tiered_program() -> loyalty.Program:
    # The reference club with three tiers on calendar-year qualifying points, 31 grace days.
    doc = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    doc["tiers"] = {"window": {"period": "calendar_year"}, "grace_days": 31, "levels": [
        {"id": "silver", "qualify": {"points": 0}},
        {"id": "gold", "qualify": {"points": 3000}, "retain": {"points": 2000}},
    ]}
    return loyalty.Program.from_dict(doc)


def test_tier_and_the_day_it_ends_unless_retained() -> None:
    program = tiered_program()
    engine = loyalty.Engine(program)
    state = engine.apply(loyalty.MemberState("M1"), JOURNAL[0]).state
    # Welcome 500 >= 0: silver, which is kept on nothing and so has no end.
    assert state.tier == "silver"
    assert state.tier_review_on(program) is None
    # 2,500.00 of repair parts in June: 2,500 pt; 500 + 2,500 = 3,000 >= 3,000: gold. Judged on
    # 2025, reviewed 2026-01-01 + 31 grace days = 2026-02-01.
    state = engine.apply(state, part("m1-ro1", "M1", "2025-06-01", "2500.00")).state
    assert state.tier == "gold"
    assert state.tier_review_on(program) == dt.date(2026, 2, 1)
    # A programme without tiers says nothing.
    assert state.tier_review_on(loyalty.Program.reference()) is None
    assert loyalty.MemberState("M9").tier == ""


def test_tier_standing_in_the_window_and_in_the_grace() -> None:
    program = tiered_program()
    engine = loyalty.Engine(program)
    state = engine.apply(loyalty.MemberState("M1"), JOURNAL[0]).state
    state = engine.apply(state, part("m1-ro1", "M1", "2025-06-01", "2500.00")).state
    # 1 July 2025: gold on 500 + 2,500 = 3,000 pt and 2,500.00 paid in one visit; kept at the
    # review of 2026-02-01 if 2025 (or the grace) reaches 2,000; gold is the highest tier.
    july = state.tier_standing(program, dt.datetime(2025, 7, 1, tzinfo=CST))
    assert isinstance(july, loyalty.TierStanding)
    assert (july.window, july.window_first, july.window_last) == (
        "calendar_year 2025-01-01..2025-12-31", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert july.totals == loyalty.QualifyingTotals(points=3000, spend=Decimal("2500.00"), visits=1, vehicles=0)
    assert july.held == "gold" and july.next is None and july.in_grace_until is None
    keep = july.keep
    assert keep is not None and keep.met and keep.grace is None
    assert (keep.tier, keep.review_on, keep.judged_first, keep.judged_last) == (
        "gold", dt.date(2026, 2, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert keep.retain == loyalty.TierThreshold(points=2000, spend=None, visits=None, vehicles=None)
    # 10 January 2026: the grace runs until 1 February; 2026 counts nothing yet.
    grace = state.tier_standing(program, dt.datetime(2026, 1, 10, tzinfo=CST))
    assert grace is not None and grace.keep is not None
    assert grace.in_grace_until == dt.date(2026, 2, 1)
    assert (grace.keep.grace_first, grace.keep.grace_last) == (dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert grace.keep.grace == loyalty.QualifyingTotals(points=0, spend=Decimal("0.00"), visits=0, vehicles=0)
    assert grace.totals.points == 0 and grace.keep.judged.points == 3000
    assert grace.to_dict()["keep"]["retain"] == {"points": 2000, "spend": None, "visits": None, "vehicles": None}
    # A member at silver, the base tier: nothing to keep, gold to reach; no tiers, no standing.
    silver = engine.apply(loyalty.MemberState("M2"), {**JOURNAL[0], "id": "e-m2", "member": "M2"}).state
    standing = silver.tier_standing(program, dt.datetime(2025, 2, 1, tzinfo=CST))
    assert standing is not None and standing.keep is None
    assert standing.next == loyalty.TierReach(
        tier="gold", qualify=loyalty.TierThreshold(points=3000, spend=None, visits=None, vehicles=None), met=False)
    assert state.tier_standing(loyalty.Program.reference(), dt.datetime(2025, 7, 1, tzinfo=CST)) is None
