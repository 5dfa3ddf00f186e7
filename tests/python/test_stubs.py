"""The .pyi stubs match the module: every public name in them exists, and the signatures of
the pure-Python functions and methods have the same parameters."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import pathlib

import loyalty

STUB = pathlib.Path(loyalty.__file__).with_name("__init__.pyi")


def stub_tree() -> ast.Module:
    return ast.parse(STUB.read_text(encoding="utf-8"))


def public(name: str) -> bool:
    return not name.startswith("_") or name == "__version__"


def params(fn: ast.FunctionDef) -> list:
    a = fn.args
    return [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]


def members_of(cls: type) -> set:
    names = set(dir(cls))
    if dataclasses.is_dataclass(cls):
        names |= {f.name for f in dataclasses.fields(cls)}
    return names


def test_the_stub_is_shipped_with_py_typed() -> None:
    assert STUB.is_file()
    assert STUB.with_name("py.typed").is_file()


def test_every_public_name_in_the_stub_exists() -> None:
    checked = 0
    for node in stub_tree().body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names = [node.name]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        else:
            continue
        for name in filter(public, names):
            assert hasattr(loyalty, name), f"stub names loyalty.{name}, the module lacks it"
            checked += 1
        if isinstance(node, ast.ClassDef):
            cls = getattr(loyalty, node.name)
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    member = item.name
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    member = item.target.id
                else:
                    continue
                assert member in members_of(cls), f"stub names {node.name}.{member}, the class lacks it"
                checked += 1
    assert checked > 100


def test_all_is_in_the_stub() -> None:
    declared = {n.name for n in stub_tree().body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    declared |= {n.target.id for n in stub_tree().body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    missing = set(loyalty.__all__) - declared
    assert not missing, f"public names without stubs: {sorted(missing)}"


def test_python_signatures_match_the_stub() -> None:
    compared = 0
    for node in stub_tree().body:
        if isinstance(node, ast.FunctionDef):
            real = getattr(loyalty, node.name)
            assert list(inspect.signature(real).parameters) == params(node), node.name
            compared += 1
        if isinstance(node, ast.ClassDef):
            cls = getattr(loyalty, node.name)
            for item in node.body:
                if not isinstance(item, ast.FunctionDef) or any(
                        isinstance(d, ast.Name) and d.id in ("property", "staticmethod") for d in item.decorator_list):
                    continue
                real = inspect.getattr_static(cls, item.name, None)
                if not inspect.isfunction(real):
                    continue  # compiled (pybind11) or dataclass-generated
                assert list(inspect.signature(real).parameters) == params(item), f"{node.name}.{item.name}"
                compared += 1
    assert compared >= 15


def test_compiled_signatures_match_the_stub() -> None:
    # The compiled methods' docstrings start with a text signature, which inspect reads.
    for cls_name, method, expected in [
        ("Program", "from_json", ["text"]),
        ("Program", "from_dict", ["document"]),
        ("Program", "from_file", ["path"]),
        ("MemberState", "available", ["self", "at"]),
        ("MemberState", "pending", ["self", "at"]),
        ("MemberState", "to_json", ["self"]),
        ("MemberState", "from_json", ["text"]),
        ("MemberState", "to_dict", ["self"]),
        ("MemberState", "from_dict", ["snapshot"]),
        ("Program", "to_json", ["self", "indent"]),
        ("Program", "to_dict", ["self"]),
    ]:
        function = getattr(getattr(loyalty, cls_name), method)
        args = list(inspect.signature(function).parameters)
        assert args == expected, f"{cls_name}.{method}: {inspect.signature(function)}"
        stub_cls = next(n for n in stub_tree().body if isinstance(n, ast.ClassDef) and n.name == cls_name)
        stub_fn = next(n for n in stub_cls.body if isinstance(n, ast.FunctionDef) and n.name == method)
        assert params(stub_fn) == expected


def test_docstrings_and_version() -> None:
    assert loyalty.__version__.count(".") == 2
    assert loyalty.__doc__ and "Decimal" in loyalty.__doc__
    for name in loyalty.__all__:
        obj = getattr(loyalty, name)
        if callable(obj):
            assert obj.__doc__, f"loyalty.{name} has no docstring"
