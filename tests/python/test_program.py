"""Programmes: loading from JSON text, dict, file and the compiled-in reference."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import loyalty
from conftest import PROGRAM_FILE, UTC


def test_reference_programme(program: loyalty.Program) -> None:
    assert program.id == "4s-club"
    assert program.version == 1
    assert program.currency == "CNY"
    assert program.time_zone == "Asia/Shanghai"
    assert program.effective_from == dt.datetime(2024, 12, 31, 16, tzinfo=UTC)
    assert "labour-30-off" in program.benefits
    assert "welcome" in program.earning_rules
    assert repr(program) == "<loyalty.Program 4s-club v1 (CNY, Asia/Shanghai)>"


def test_digest_tells_apart_programmes_with_one_id_and_version(program: loyalty.Program) -> None:
    """Program.digest: SHA-256 of the canonical JSON, which an auditor recomputes with the standard
    library from to_dict(): json.dumps with sorted keys, no whitespace, UTF-8 as written."""
    import hashlib

    text = json.dumps(program.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert program.digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc = program.to_dict()
    doc["earning_rules"][0]["points_per_unit"] = "2"
    other = loyalty.Program.from_dict(doc)
    assert (other.id, other.version) == (program.id, program.version) and other.digest != program.digest
    assert loyalty.Program.from_json(program.to_json()).digest == program.digest


def test_from_json_from_dict_from_file_agree() -> None:
    text = loyalty.Program.reference_json()
    by_text = loyalty.Program.from_json(text)
    by_dict = loyalty.Program.from_dict(json.loads(text))
    by_file = loyalty.Program.from_file(PROGRAM_FILE)
    by_str_path = loyalty.Program.from_file(str(PROGRAM_FILE))
    for p in (by_dict, by_file, by_str_path):
        assert (p.id, p.version, p.benefits, p.earning_rules) == (by_text.id, by_text.version, by_text.benefits, by_text.earning_rules)


def test_from_dict_with_decimal_rates_is_exact() -> None:
    from decimal import Decimal

    doc = json.loads(loyalty.Program.reference_json())
    doc["benefits"][5]["pay"] = Decimal("0.7")
    assert loyalty.Program.from_dict(doc).benefits == loyalty.Program.reference().benefits


def test_from_dict_needs_a_dict() -> None:
    with pytest.raises(TypeError):
        loyalty.Program.from_dict("not a dict")  # type: ignore[arg-type]


def test_engine_with_versions(program: loyalty.Program) -> None:
    doc = json.loads(loyalty.Program.reference_json())
    doc["version"] = 2
    doc["effective_from"] = "2026-01-01T00:00:00+08:00"
    v2 = loyalty.Program.from_dict(doc)
    engine = loyalty.Engine([program, v2])
    assert engine.program.version == 2
    assert engine.program_at(dt.datetime(2025, 6, 1, tzinfo=UTC)).version == 1
    assert engine.program_at(dt.datetime(2026, 6, 1, tzinfo=UTC)).version == 2
    assert engine.program_at(dt.datetime(2020, 1, 1, tzinfo=UTC)) is None


def test_engine_refuses_non_programmes() -> None:
    with pytest.raises(TypeError):
        loyalty.Engine("4s-club")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        loyalty.Engine([])
