"""Smoke test of the pip-installed package: `python3 pip_smoke.py TARGET_DIR`.

Checks that `import loyalty` finds the copy pip installed under TARGET_DIR (not a build tree),
that pip recorded it with the library's version, that the stubs ship with it, and that it runs
the sample journal to the balances the README states."""

from __future__ import annotations

import pathlib
import sys

target = pathlib.Path(sys.argv[1]).resolve()
sys.path.insert(0, str(target))
root = pathlib.Path(__file__).resolve().parents[2]

import loyalty  # noqa: E402

package = pathlib.Path(loyalty.__file__).resolve().parent
assert package == target / "loyalty", f"imported {package}, not the pip-installed copy in {target}"
assert pathlib.Path(loyalty._core.__file__).resolve().parent == package
for name in ("__init__.pyi", "py.typed"):
    assert (package / name).is_file(), f"{name} was not installed"
dist_info = target / f"loyalty-{loyalty.__version__}.dist-info"
assert (dist_info / "METADATA").is_file(), f"pip did not record {dist_info.name}"

engine = loyalty.Engine(loyalty.Program.reference())
ledger = engine.run(root / "examples" / "events" / "4s-club-2025-2026.jsonl")
balances = {m: ledger.balance(m) for m in sorted(ledger.members)}
assert balances == {"M001": 2715, "M002": -1290, "M003": 0}, balances
assert loyalty.Program.from_json(engine.program.to_json()) == engine.program
print(f"pip-installed loyalty {loyalty.__version__} at {package}: ok ({len(ledger)} entries)")
