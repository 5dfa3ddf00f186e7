"""docs/python.md's examples run, in order, in one namespace; the CSV example runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT


def test_python_md_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(ROOT)  # the examples name files relative to the repository
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "<loyalty.Program 4s-club v1 (CNY, Asia/Shanghai)>" in out
    assert "<loyalty.Ledger 39 entries, 3 members, 2 refused>" in out
    assert "loyalty.event.invalid_amount /lines/0/unit_price" in out
    assert "labour-30-off 0.7" in out


def test_statement_from_csv_example() -> None:
    script = ROOT / "examples" / "python" / "statement_from_csv.py"
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=dict(os.environ),
                            timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "5 events, 11 ledger entries, 0 refused" in out
    assert "Member C1001: balance 1008 pt" in out
    assert "Member C1002: balance 500 pt" in out
    assert "roll-forward: opening 0 + earned 1008 - expired 0 +/- adjusted 0 = closing 1008" in out
    assert "audit: ok (2 members, 11 entries)" in out
