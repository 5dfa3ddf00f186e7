"""Errors: bad input raises loyalty.Error subclasses with the error id and JSON pointer;
business refusals are outcomes, never exceptions."""

from __future__ import annotations

import json
import pickle

import pytest

import loyalty
from conftest import enrol


def test_hierarchy() -> None:
    assert issubclass(loyalty.Error, ValueError)
    assert issubclass(loyalty.ProgramError, loyalty.Error)
    assert issubclass(loyalty.EventError, loyalty.Error)


def test_bad_programme_names_the_field() -> None:
    doc = json.loads(loyalty.Program.reference_json())
    doc["earning_rules"][0]["points_per_unit"] = "abc"
    with pytest.raises(loyalty.ProgramError) as info:
        loyalty.Program.from_dict(doc)
    err = info.value
    assert err.error_id.startswith("loyalty.program.")
    assert err.pointer == "/earning_rules/0/points_per_unit"
    assert str(err).startswith(f"[{err.error_id}] ({err.pointer}) ")


def test_unknown_key_in_programme() -> None:
    doc = json.loads(loyalty.Program.reference_json())
    doc["earning_rulez"] = []
    with pytest.raises(loyalty.ProgramError) as info:
        loyalty.Program.from_dict(doc)
    assert info.value.pointer == "/earning_rulez"


def test_a_misspelt_required_key_is_named_with_a_suggestion() -> None:
    doc = json.loads(loyalty.Program.reference_json())
    doc["earnign_rules"] = doc.pop("earning_rules")
    with pytest.raises(loyalty.ProgramError) as info:
        loyalty.Program.from_dict(doc)
    assert info.value.error_id == "loyalty.program.unknown_key"
    assert info.value.pointer == "/earnign_rules"
    assert "did you mean 'earning_rules'?" in str(info.value)


def test_malformed_programme_json_is_a_program_error() -> None:
    with pytest.raises(loyalty.ProgramError) as info:
        loyalty.Program.from_json("{not json")
    assert info.value.error_id.startswith("loyalty.program.")


def test_missing_file_is_an_error() -> None:
    with pytest.raises(loyalty.Error) as info:
        loyalty.Program.from_file("/nonexistent/programme.json")
    assert info.value.error_id == "loyalty.io.cannot_open"


def test_bad_event_names_the_field(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    bad = {"id": "e2", "member": "M1", "at": "2025-03-01T10:00:00Z", "type": "repair_order",
           "lines": [{"kind": "labour", "category": "maintenance", "unit_price": "12.345"}]}
    with pytest.raises(loyalty.EventError) as info:
        engine.apply(enrolled, bad)
    assert info.value.error_id == "loyalty.event.invalid_amount"
    assert info.value.pointer == "/lines/0/unit_price"


def test_journal_error_names_the_line(engine: loyalty.Engine) -> None:
    text = json.dumps({"id": "e1", "member": "M1", "at": "2025-02-01T10:00:00Z", "type": "enrol"}) + "\n" + \
        json.dumps({"id": "e2", "member": "M1", "at": "2025-02-01T10:00:00Z", "type": "nonsense"}) + "\n"
    with pytest.raises(loyalty.EventError) as info:
        engine.run(text)
    # The line apart from the pointer; no file for text, no column but for a syntax error.
    assert (info.value.pointer, info.value.line, info.value.column, info.value.file) == ("/type", 2, None, "")
    assert str(info.value) == "[loyalty.event.invalid_type] line 2: (/type) unknown event type 'nonsense'"
    with pytest.raises(loyalty.EventError) as info:
        engine.run(text.replace('"type": "nonsense"}', '"type": "enrol",}'))
    assert (info.value.error_id, info.value.pointer, info.value.line) == ("loyalty.event.parse_error", "", 2)
    assert info.value.column is not None and "json.exception" not in info.value.message


def test_a_programme_file_error_names_the_file_line_and_column(tmp_path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "id": "x",,\n}\n', encoding="utf-8")
    with pytest.raises(loyalty.ProgramError) as info:
        loyalty.Program.from_file(str(path))
    assert (info.value.error_id, info.value.file, info.value.line, info.value.column) == (
        "loyalty.program.parse_error", str(path), 2, 13)


def test_errors_pickle() -> None:
    err = loyalty.ProgramError("[loyalty.program.x] (/a) m", "loyalty.program.x", "/a", "m", "p.json", 3, 7)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is loyalty.ProgramError
    assert (back.error_id, back.pointer, back.message, str(back)) == (err.error_id, err.pointer, err.message, str(err))
    assert (back.file, back.line, back.column) == ("p.json", 3, 7)


def test_business_refusals_are_outcomes(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    again = engine.apply(enrolled, enrol())
    assert not again.accepted and again.refused == "duplicate_event"
    debit = engine.apply(enrolled, {"id": "e9", "member": "M1", "at": "2025-03-01T10:00:00Z", "type": "adjustment",
                                    "points": -100000, "reason": "too much", "operator": "staff"})
    assert debit.refused == "insufficient_points"
    assert "exceeds" in debit.message
    assert debit.state == enrolled and debit.entries == ()


def test_member_mismatch_is_an_error(engine: loyalty.Engine, enrolled: loyalty.MemberState) -> None:
    with pytest.raises(loyalty.Error) as info:
        engine.apply(enrolled, enrol(member="M2", event_id="x"))
    assert info.value.error_id == "loyalty.engine.member_mismatch"
