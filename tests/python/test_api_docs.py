"""The public API reads well in help(): every public class, method and property has a
docstring, and inspect.signature() works on every public callable, the compiled ones included
(their docstrings start with a text signature)."""

from __future__ import annotations

import inspect

import loyalty


def public_members():
    for name in loyalty.__all__:
        obj = getattr(loyalty, name)
        yield name, obj
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                if not attr.startswith("_"):
                    yield f"{name}.{attr}", value


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name, value in public_members():
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if not (callable(value) or isinstance(value, property)):
            continue
        if not (getattr(value, "__doc__", None) or "").strip():
            missing.append(name)
    assert missing == []


def test_every_public_callable_has_a_signature() -> None:
    unsigned = []
    for name, _ in public_members():
        owner, _, attr = name.partition(".")
        obj = getattr(getattr(loyalty, owner), attr) if attr else getattr(loyalty, owner)
        if not callable(obj) or isinstance(obj, property) or inspect.isclass(obj):
            continue  # classes: Program is made by its from_* functions, not called
        try:
            inspect.signature(obj)
        except (TypeError, ValueError):
            unsigned.append(name)
    assert unsigned == []


def test_compiled_signatures_name_their_parameters() -> None:
    assert str(inspect.signature(loyalty.Program.to_json)) == "(self, /, indent=None)"
    assert str(inspect.signature(loyalty.Program.from_file)) == "(path)"
    assert str(inspect.signature(loyalty.MemberState)) == "(member='')"
    state = loyalty.MemberState("M1")
    assert str(inspect.signature(state.tier_standing)) == "(program, at)"
    assert "Where the member stands" in (loyalty.MemberState.tier_standing.__doc__ or "")
