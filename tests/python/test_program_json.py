"""Programmes back to JSON: Program.to_json() / .to_dict() in the documented format, equality,
hashing and pickling by value, and the Hypothesis round trip of programme JSON."""

from __future__ import annotations

import datetime as dt
import json
import pickle
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import loyalty
from conftest import PROGRAM_FILE


def test_to_dict_is_the_reference_file_in_canonical_form(program: loyalty.Program) -> None:
    d = program.to_dict()
    source = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    assert "description" not in d                        # top-level description is not kept
    assert d["effective_from"] == "2024-12-31T16:00:00Z"  # 2025-01-01T00:00:00+08:00 in UTC
    assert d["point_value"] == "0.10"
    assert d["expiry"] == {"policy": "months_after_earning", "months": 24, "to_end_of_month": True}
    assert [r["id"] for r in d["earning_rules"]] == [r["id"] for r in source["earning_rules"]]
    spend = d["earning_rules"][0]
    assert spend["points_per_unit"] == "1" and spend["rounding"] == "down"
    # defaults written out: an earning rule's line filter in full
    assert spend["lines"] == {"kinds": [], "categories": ["maintenance", "repair"], "exclude_categories": [],
                              "operations": [], "exclude_flags": ["accident"], "earn_on_covered_lines": False}
    assert d["earning_rules"][2]["points_per_unit"] == "0.01" and d["earning_rules"][2]["max_per_event"] == 5000
    assert d["multipliers"][0]["factor"] == "2"
    labour = next(b for b in d["benefits"] if b["id"] == "labour-30-off")
    assert labour["pay"] == "0.7" and labour["stacks"] is False and labour["tiers"] == []
    assert d["benefits"][3]["quota"] == {"uses": 4, "period": "calendar_year", "carry_over": False}
    for key in ("description",):
        assert all(r[key] == s[key] for r, s in zip(d["benefits"], source["benefits"]))


def test_days_after_earning_expiry_through_the_engine() -> None:
    """90 days after earning: earned 2025-01-31 at 23:30 in Shanghai (still that local day),
    the lot expires at 00:00 local of 2025-05-01 (Jan 31 + 28 + 31 + 30 + 1 = 90 days)."""
    doc = json.loads(loyalty.Program.reference_json())
    doc["expiry"] = {"policy": "days_after_earning", "days": 90}
    program = loyalty.Program.from_dict(doc)
    assert program.to_dict()["expiry"] == {"policy": "days_after_earning", "days": 90}
    assert loyalty.Program.from_dict(program.to_dict()) == program
    cst = dt.timezone(dt.timedelta(hours=8))
    journal = [
        {"id": "e1", "member": "M1", "at": dt.datetime(2025, 1, 31, 23, 30, tzinfo=cst), "type": "enrol"},
        {"id": "t1", "member": "M1", "at": dt.datetime(2025, 4, 30, 23, 59, 59, tzinfo=cst), "type": "tick"},
        {"id": "t2", "member": "M1", "at": dt.datetime(2025, 5, 1, 0, 0, tzinfo=cst), "type": "tick"},
    ]
    ledger = loyalty.Engine(program).run(journal)
    (earned,) = [e for e in ledger if e.kind == "earn"]
    assert earned.amount == 500 and earned.expires == dt.date(2025, 5, 1)
    (expired,) = [e for e in ledger if e.kind == "expire"]
    assert expired.event == "t2" and expired.amount == -500 and expired.balance == 0
    assert expired.at == dt.datetime(2025, 4, 30, 16, tzinfo=dt.timezone.utc)  # 00:00 +08:00
    assert expired.reason == "lot earned 2025-01-31 expires on 2025-05-01 (days_after_earning)"


def test_weeks_after_earning_is_written_as_weeks_and_refusals_name_the_field() -> None:
    doc = json.loads(loyalty.Program.reference_json())
    doc["expiry"] = {"policy": "weeks_after_earning", "weeks": 13}
    assert loyalty.Program.from_dict(doc).to_dict()["expiry"] == {"policy": "weeks_after_earning", "weeks": 13}
    for expiry, error_id, pointer in [
            ({"policy": "days_after_earning", "days": 90, "weeks": 2}, "loyalty.program.unknown_key", "/expiry/weeks"),
            ({"policy": "weeks_after_earning", "weeks": 0}, "loyalty.program.invalid_period", "/expiry/weeks"),
            ({"policy": "days_after_earning", "days": 36501}, "loyalty.program.invalid_period", "/expiry/days")]:
        doc["expiry"] = expiry
        with pytest.raises(loyalty.ProgramError) as info:
            loyalty.Program.from_dict(doc)
        assert (info.value.error_id, info.value.pointer) == (error_id, pointer)


def test_to_json_text_and_indent(program: loyalty.Program) -> None:
    text = program.to_json()
    assert "\n" not in text and json.loads(text) == program.to_dict()
    pretty = program.to_json(indent=2)
    assert pretty.startswith('{\n  "') and json.loads(pretty) == program.to_dict()


def test_round_trips_through_json_dict_and_pickle(program: loyalty.Program) -> None:
    for again in (loyalty.Program.from_json(program.to_json()),
                  loyalty.Program.from_dict(program.to_dict()),
                  pickle.loads(pickle.dumps(program))):
        assert again == program and hash(again) == hash(program)
        assert again.to_json() == program.to_json()


def test_equality_is_by_value(program: loyalty.Program) -> None:
    doc = program.to_dict()
    doc["benefits"][5]["pay"] = "0.75"
    other = loyalty.Program.from_dict(doc)
    assert other != program and program != "4s-club"
    doc["benefits"][5]["pay"] = Decimal("0.70")  # 0.70 is 0.7: the same programme
    assert loyalty.Program.from_dict(doc) == program
    assert len({program, loyalty.Program.reference(), other}) == 2


def test_a_written_programme_runs_the_same_journal(program: loyalty.Program) -> None:
    from conftest import JOURNAL

    original = loyalty.Engine(program).run(JOURNAL)
    copy = loyalty.Engine(loyalty.Program.from_json(program.to_json())).run(JOURNAL)
    assert copy.to_jsonl() == original.to_jsonl()


def test_engine_with_pickled_versions(program: loyalty.Program) -> None:
    doc = program.to_dict()
    doc.update(version=2, effective_from="2026-01-01T00:00:00+08:00")
    versions = pickle.loads(pickle.dumps([program, loyalty.Program.from_dict(doc)]))
    engine = loyalty.Engine(versions)
    assert engine.program_at(dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)).version == 2


# --- Hypothesis: any valid programme survives Program.from_json(p.to_json()) ---------------------

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FLAGS = ["accident", "warranty", "insurance_paid", "third_party"]
ROUNDING = ["down", "up", "half_up", "half_even", "toward_zero"]
identifier = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-0123456789", min_size=1, max_size=10)
words = st.lists(st.sampled_from(["maintenance", "repair", "care", "tyres", "accessory", "Ölwechsel"]), unique=True, max_size=3)
instants = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1),
                        timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=8))])
                        ).map(lambda t: t.replace(microsecond=0))


def decimals(low: str, high: str, places: int):
    """Exact decimals in (low, high] with `places` decimals and at most 18 digits (what a rate holds)."""
    top = min(int(Decimal(high).scaleb(places)), 10**18 - 1)
    return st.integers(int(Decimal(low).scaleb(places)) + 1, top).map(lambda m: Decimal(m).scaleb(-places))


def period(with_days=True):
    kinds = ["calendar_year", "calendar_month", "anniversary_year"] + (["rolling_days"] if with_days else [])
    return st.sampled_from(kinds).flatmap(
        lambda k: st.builds(lambda d: {"period": k, "days": d} if k == "rolling_days" else {"period": k},
                            st.integers(1, 3660)))


def optional(d: dict, key: str, strategy, draw) -> None:
    if draw(st.booleans()):
        d[key] = draw(strategy)


def lines(draw, for_earning: bool) -> dict:
    d = {"kinds": draw(st.lists(st.sampled_from(["labour", "part"]), unique=True, min_size=1)),
         "categories": draw(words), "exclude_categories": draw(words),
         "operations": draw(st.lists(st.sampled_from(["OIL-CHANGE", "WAX-FULL", "WASH-EXT"]), unique=True)),
         "exclude_flags": draw(st.lists(st.sampled_from(FLAGS), unique=True))}
    if for_earning:
        d["earn_on_covered_lines"] = draw(st.booleans())
    return {k: v for k, v in d.items() if v or draw(st.booleans())}


def window(d: dict, draw) -> None:
    start = draw(instants)
    if draw(st.booleans()):
        d["effective_from"] = start
    if draw(st.booleans()):
        d["effective_to"] = start + dt.timedelta(seconds=draw(st.integers(1, 10**8)))


@st.composite
def tier_sections(draw) -> dict:
    """Two tiers (the ids benefits and rewards may name), a window, and a grace of days, of months or none."""
    section = {"window": draw(st.sampled_from([{"period": "calendar_year"}, {"period": "anniversary_year"},
                                               {"period": "calendar_month"}, {"period": "rolling_days", "days": 365}])),
               "levels": [{"id": "silver", "name": "Silver", "qualify": {"points": 0}},
                          {"id": "gold", "name": "Gold", "qualify": {"points": draw(st.integers(1, 10**6))}}]}
    grace = draw(st.sampled_from(["none", "days", "months"]))
    if grace == "days":
        section["grace_days"] = draw(st.integers(0, 366))
    elif grace == "months":
        section["grace_months"] = draw(st.integers(1, 24))
    return section


@st.composite
def programmes(draw) -> dict:
    currency, digits = draw(st.sampled_from([("CNY", 2), ("JPY", 0), ("KWD", 3)]))
    money = decimals("0", "100000", digits)
    expiry = draw(st.sampled_from([
        {"policy": "never"},
        {"policy": "months_after_earning", "months": draw(st.integers(1, 1200)), "to_end_of_month": draw(st.booleans())},
        {"policy": "end_of_calendar_year", "years": draw(st.integers(0, 100))},
        {"policy": "inactivity", "months": draw(st.integers(1, 1200))},
        {"policy": "days_after_earning", "days": draw(st.integers(1, 36500))},
        {"policy": "weeks_after_earning", "weeks": draw(st.integers(1, 5200))}]))
    doc = {"id": draw(identifier), "version": draw(st.integers(1, 10**6)), "effective_from": draw(instants),
           "currency": currency, "time_zone": draw(st.sampled_from(["Asia/Shanghai", "UTC", "Europe/Berlin"])),
           "rounding": draw(st.sampled_from(ROUNDING)), "expiry": expiry, "earning_rules": []}
    optional(doc, "name", st.text(max_size=20), draw)
    optional(doc, "point_value", money, draw)
    optional(doc, "pending_days", st.integers(0, 365), draw)
    optional(doc, "backdated_events", st.sampled_from(["refuse", "accept"]), draw)
    optional(doc, "reversal", st.sampled_from([{"when_spent": "claw_back"}, {"when_spent": "negative_balance"},
                                             {"when_spent": "claw_back", "window_days": 90}]), draw)
    optional(doc, "benefit_stacking", st.sampled_from(["in_order", "best_for_member"]), draw)
    optional(doc, "line_categories", st.lists(st.sampled_from(["maintenance", "repair", "*"]), unique=True), draw)
    optional(doc, "tiers", tier_sections(), draw)
    optional(doc, "forbidden_flags", st.lists(st.lists(st.sampled_from(FLAGS), unique=True, min_size=2), max_size=2), draw)
    combines = st.sampled_from(["add", "best_for_member", "first_match"])
    optional(doc, "combine", combines, draw)
    groups = draw(st.lists(st.sampled_from(["g1", "g2"]), unique=True))
    if groups:
        doc["rule_groups"] = [{"id": g, "combine": draw(combines)} for g in groups]
    ids = draw(st.lists(identifier.filter(lambda s: s != "adjustment"), unique=True, max_size=8))
    n_rules = draw(st.integers(0, len(ids)))
    for rule_id in ids[:n_rules]:
        rule = {"id": rule_id}
        if draw(st.booleans()):
            rule.update(type="per_amount",
                        on=draw(st.lists(st.sampled_from(["repair_order", "vehicle_purchase"]), unique=True, min_size=1)))
            if draw(st.booleans()):
                rule["points_per_unit"] = draw(decimals("0", "1000", draw(st.integers(0, 18))))
            else:  # a ratio held exactly: at most 100 points per at least 1.00
                rule["rate"] = {"points": draw(decimals("0", "100", draw(st.integers(0, 4)))),
                                "per": draw(decimals("0.99", "100000", digits))}
            optional(rule, "lines", st.just(lines(draw, True)), draw)
        else:
            rule.update(type="fixed_bonus", points=draw(st.integers(1, 10**9)),
                        on=draw(st.lists(st.sampled_from(["enrol", "repair_order", "survey", "birthday", "referral",
                                                          "benefit_use"]), unique=True, min_size=1)))
        optional(rule, "description", st.text(max_size=20), draw)
        optional(rule, "rounding", st.sampled_from(ROUNDING), draw)
        optional(rule, "max_per_event", st.integers(1, 10**6), draw)
        optional(rule, "max_per_period", period().map(lambda p: dict(p, points=draw(st.integers(1, 10**6)))), draw)
        window(rule, draw)
        if groups:
            optional(rule, "group", st.sampled_from(groups), draw)
        doc["earning_rules"].append(rule)
    if n_rules and draw(st.booleans()):
        start = draw(instants)
        doc["multipliers"] = [
            {"id": f"m{i}", "factor": draw(decimals("0", "10", 4)), "from": start, "to": start + dt.timedelta(days=30),
             "rules": draw(st.lists(st.sampled_from(ids[:n_rules]), unique=True))}
            for i in range(draw(st.integers(1, 2)))]
    doc["benefits"] = []
    for benefit_id in ids[n_rules:]:
        kind = draw(st.sampled_from(["free_line", "discount", "service_item"]))
        b = {"id": benefit_id, "type": kind}
        if kind == "service_item":
            optional(b, "refuse_flags", st.lists(st.sampled_from(FLAGS), unique=True), draw)
        else:
            b["lines"] = lines(draw, False)
            optional(b, "stacks", st.booleans(), draw)
            optional(b, "rounding", st.sampled_from(ROUNDING), draw)
            optional(b, "max_per_order", money, draw)
            optional(b, "max_per_period", period().map(lambda p: dict(p, amount=draw(money))), draw)
        if kind == "discount":
            b["pay"] = draw(decimals("0", "0.999999", 6))
        optional(b, "quota", period().map(lambda p: dict(p, uses=draw(st.integers(1, 100000)),
                                                         carry_over=draw(st.booleans()))), draw)
        optional(b, "tiers", st.lists(st.sampled_from(["silver", "gold"]), unique=True), draw)
        window(b, draw)
        doc["benefits"].append(b)
    optional(doc, "rewards", st.lists(rewards(money), unique_by=lambda r: r["id"], max_size=3), draw)
    optional(doc, "redemption", st.one_of(st.just({"when_lot_expired": "expire_at_once"}),
                                          st.integers(1, 3660).map(lambda d: {"when_lot_expired": "grace_days",
                                                                              "grace_days": d})), draw)
    if draw(st.booleans()):
        low = draw(st.integers(1, 1000))
        transfers = {"within": "household", "min_points": low}
        optional(transfers, "max_points", st.integers(low, 10**6), draw)
        optional(transfers, "max_per_period", period().map(lambda p: dict(p, points=draw(st.integers(1, 10**6)))), draw)
        doc["transfers"] = transfers
    return doc


@st.composite
def rewards(draw, money) -> dict:
    kind = draw(st.sampled_from(["labour_voucher", "goods", "accessory", "repair_item", "service"]))
    prices = draw(st.lists(st.builds(lambda pts, cash: {"points": pts} if cash is None else {"points": pts, "money": cash},
                                     st.integers(1, 10**9), st.none() | money), min_size=1, max_size=3))
    r = {"id": draw(identifier), "kind": kind, "prices": prices}
    optional(r, "name", st.text(max_size=20), draw)
    optional(r, "tiers", st.lists(st.sampled_from(["silver", "gold"]), unique=True), draw)
    optional(r, "limit", period().map(lambda p: dict(p, count=draw(st.integers(1, 100000)))), draw)
    optional(r, "stock", st.integers(0, 10**9), draw)
    optional(r, "months", st.lists(st.integers(1, 12), min_size=1, max_size=4), draw)
    optional(r, "min_balance", st.integers(0, 10**6), draw)
    optional(r, "min_tenure_days", st.integers(0, 36600), draw)
    start = draw(instants)
    optional(r, "available_from", st.just(start), draw)
    optional(r, "available_to", st.just(start + dt.timedelta(days=draw(st.integers(1, 1000)))), draw)
    if kind == "labour_voucher":
        v = {"value": draw(money), "valid_days": draw(st.integers(1, 3660))}
        optional(v, "remainder", st.sampled_from(["keep", "forfeit"]), draw)
        optional(v, "lines", st.just(lines(draw, False)), draw)
        r["voucher"] = v
    return r


@SETTINGS
@given(programmes())
def test_programme_json_round_trip(doc: dict) -> None:
    p = loyalty.Program.from_dict(doc)
    text = p.to_json()
    again = loyalty.Program.from_json(text)
    assert again.to_json() == text and again == p
    assert pickle.loads(pickle.dumps(p)) == p
    # The values, not only their presence, are the source's: exact rates and money.
    d = p.to_dict()
    for written, given_rule in zip(d["earning_rules"], doc["earning_rules"]):
        assert written["id"] == given_rule["id"] and written["type"] == given_rule["type"]
        if given_rule["type"] == "per_amount" and "rate" in given_rule:
            assert "points_per_unit" not in written
            assert {k: Decimal(v) for k, v in written["rate"].items()} == given_rule["rate"]
        elif given_rule["type"] == "per_amount":
            assert Decimal(written["points_per_unit"]) == given_rule["points_per_unit"]
        else:
            assert written["points"] == given_rule["points"]
        assert written.get("max_per_event") == given_rule.get("max_per_event")
        assert written.get("group") == given_rule.get("group")
    assert d.get("combine", "add") == doc.get("combine", "add")
    assert d.get("rule_groups", []) == [dict(g, description="") for g in doc.get("rule_groups", [])]
    for written, given_m in zip(d["multipliers"], doc.get("multipliers", [])):
        assert Decimal(written["factor"]) == given_m["factor"] and written["rules"] == given_m["rules"]
    for written, given_b in zip(d["benefits"], doc["benefits"]):
        if given_b["type"] == "discount":
            assert Decimal(written["pay"]) == given_b["pay"]
        if "max_per_order" in given_b:
            assert Decimal(written["max_per_order"]) == given_b["max_per_order"]
    for written, given_r in zip(d["rewards"], doc.get("rewards", [])):
        assert written["id"] == given_r["id"] and len(written["prices"]) == len(given_r["prices"])
        for w, g in zip(written["prices"], given_r["prices"]):
            assert w["points"] == g["points"] and Decimal(w.get("money", "0")) == g.get("money", 0)
        if "voucher" in given_r:
            assert Decimal(written["voucher"]["value"]) == given_r["voucher"]["value"]
    if "point_value" in doc:
        assert Decimal(d["point_value"]) == doc["point_value"]
    if "tiers" in doc:  # a grace of months is written as months; none at all as 0 days
        assert d["tiers"].get("grace_months") == doc["tiers"].get("grace_months")
        assert d["tiers"].get("grace_days") == (None if "grace_months" in doc["tiers"] else doc["tiers"].get("grace_days", 0))
    assert dt.datetime.fromisoformat(d["effective_from"].replace("Z", "+00:00")) == doc["effective_from"]
