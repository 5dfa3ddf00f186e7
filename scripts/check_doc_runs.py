#!/usr/bin/env python3
"""Runs the shell blocks of a Markdown file and checks the output blocks it shows.

A fenced block is tested when the line before it (blank lines aside) is one of:

  <!-- test: run -->                 the block (sh) runs with bash -eu and must exit 0
  <!-- test: output of: COMMAND -->  COMMAND runs with bash, must exit 0, and the block (text)
                                     must be what it prints

An output block may leave lines out with a line "..." (any indentation): each run of lines
between such elisions must appear in the output as consecutive lines, in order; a block that
does not start (end) with "..." must match from the first (to the last) line of the output.
Trailing spaces are ignored.

Everything runs in one scratch directory, in document order, holding links to the repository's
examples/, tests/, docs/ and scripts/, so that paths in the blocks are written as a user at the
repository root writes them and files a block writes stay out of the sources.

  check_doc_runs.py FILE.md [--path DIR]... [--env NAME=VALUE]...

--path puts the directory first on PATH (the built `loyalty` command, the example programs);
--env sets a variable for every command (PYTHONPATH of the built Python package).
Standard library only; run with Debian's /usr/bin/python3.
"""
import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^<!-- test: (run|output of: (.+?)) -->\s*$")
FENCE = re.compile(r"^```([a-z]*)\s*$")


def tested_blocks(text):
    """(line number, marker kind, command or None, block text) of every marked block."""
    lines = text.split("\n")
    found = []
    i = 0
    while i < len(lines):
        m = MARKER.match(lines[i])
        if not m:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or not FENCE.match(lines[j]):
            raise SystemExit(f"line {i + 1}: a test marker must be followed by a fenced block")
        k = j + 1
        while k < len(lines) and lines[k].rstrip() != "```":
            k += 1
        kind = "run" if m.group(1) == "run" else "output"
        found.append((j + 1, kind, m.group(2), "\n".join(lines[j + 1:k])))
        i = k + 1
    return found


def matches(shown, printed):
    """None when the block `shown` is what `printed` holds, else why not."""
    want = [l.rstrip() for l in shown.split("\n")]
    got = [l.rstrip() for l in printed.rstrip("\n").split("\n")]
    segments, current = [], []
    for line in want:
        if line.strip() == "...":
            segments.append(current)
            current = []
        else:
            current.append(line)
    segments.append(current)
    # segments[0] is anchored at the start and segments[-1] at the end unless empty (elided).
    pos = 0
    for n, seg in enumerate(segments):
        if not seg:
            continue
        first, last = n == 0, n == len(segments) - 1
        candidates = [0] if first else range(pos, len(got) - len(seg) + 1)
        if last and not first:
            candidates = [c for c in candidates if c + len(seg) == len(got)]
        hit = next((c for c in candidates if got[c:c + len(seg)] == seg), None)
        if hit is None or (last and hit + len(seg) != len(got)):
            return f"not printed as shown (in order, consecutive): {seg[0]!r}"
        pos = hit + len(seg)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("markdown")
    ap.add_argument("--path", action="append", default=[])
    ap.add_argument("--env", action="append", default=[])
    args = ap.parse_args()
    doc = pathlib.Path(args.markdown).resolve()
    root = pathlib.Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(pathlib.Path(p).resolve()) for p in args.path] + [env.get("PATH", "")])
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    blocks = tested_blocks(doc.read_text(encoding="utf-8"))
    failures = 0
    with tempfile.TemporaryDirectory(prefix="loyalty-doc-") as work:
        for sub in ("examples", "tests", "docs", "scripts"):
            os.symlink(root / sub, pathlib.Path(work) / sub)
        for line, kind, command, block in blocks:
            script = block if kind == "run" else command
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                                  capture_output=True, text=True, timeout=300)
            problem = None
            if done.returncode != 0:
                problem = f"exit {done.returncode}: {done.stderr.strip()[-500:]}"
            elif kind == "output":
                problem = matches(block, done.stdout)
            where = f"{doc.name}:{line}"
            if problem:
                failures += 1
                print(f"FAIL {where} ({kind}{': ' + command if command else ''}): {problem}")
            else:
                print(f"ok   {where} ({kind}{': ' + command if command else ''})")
    print(f"{len(blocks)} blocks run, {failures} failed")
    return 1 if failures or not blocks else 0


if __name__ == "__main__":
    sys.exit(main())
