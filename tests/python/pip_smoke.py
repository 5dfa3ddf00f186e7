"""Smoke test of the pip-installed package: `VENV/bin/python pip_smoke.py VENV`.

Checks that `import loyalty` finds the copy pip installed into the venv VENV (not a build tree),
that pip recorded it with the library's version and the metadata of pyproject.toml, that the
stubs ship with it, and that it runs the sample journal to the balances the README states."""

from __future__ import annotations

import pathlib
import sys

import importlib.metadata
import sysconfig

venv = pathlib.Path(sys.argv[1]).resolve()
site = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
assert pathlib.Path(sys.prefix).resolve() == venv, f"run with {venv}/bin/python, not {sys.executable}"
root = pathlib.Path(__file__).resolve().parents[2]

import loyalty  # noqa: E402

package = pathlib.Path(loyalty.__file__).resolve().parent
assert package == site / "loyalty", f"imported {package}, not the pip-installed copy in {site}"
assert pathlib.Path(loyalty._core.__file__).resolve().parent == package
for name in ("__init__.pyi", "py.typed"):
    assert (package / name).is_file(), f"{name} was not installed"
meta = importlib.metadata.metadata("loyalty")
assert meta["Version"] == loyalty.__version__, meta["Version"]
assert meta["Requires-Python"] == ">=3.9", meta["Requires-Python"]
assert "Typing :: Typed" in meta.get_all("Classifier"), meta.get_all("Classifier")

engine = loyalty.Engine(loyalty.Program.reference())
ledger = engine.run(root / "examples" / "events" / "4s-club-2025-2026.jsonl")
balances = {m: ledger.balance(m) for m in sorted(ledger.members)}
assert balances == {"M001": 2715, "M002": -1290, "M003": 0}, balances
assert loyalty.Program.from_json(engine.program.to_json()) == engine.program
print(f"pip-installed loyalty {loyalty.__version__} at {package}: ok ({len(ledger)} entries)")
