"""What the drivers of the cli.* CTest tests share (cli_test.py, test_db_sources.py): their
arguments, running the built `loyalty`, checking its output, scratch files, and running one
scenario by name.

Every driver is called as: DRIVER LOYALTY SOURCE_DIR WORK_DIR SCENARIO
"""
import os
import re
import subprocess
import sys

LOYALTY, SRC, WORK, SCENARIO = sys.argv[1:5]
PROGRAM = os.path.join(SRC, "examples/programs/4s-club.json")
EVENTS = os.path.join(SRC, "examples/events/4s-club-2025-2026.jsonl")
os.makedirs(WORK, exist_ok=True)


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def run(*args, code=0):
    p = subprocess.run([LOYALTY, *args], capture_output=True, text=True)
    if p.returncode != code:
        fail(f"exit {p.returncode}, expected {code}: loyalty {' '.join(args)}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p.stdout, p.stderr


def expect(pattern, text, what="output"):
    if not re.search(pattern, text, re.M):
        fail(f"{what} does not match /{pattern}/:\n{text}")


def write(name, lines):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return path


def journal_lines():
    with open(EVENTS, encoding="utf-8") as f:
        return f.readlines()


def main(scenarios):
    """Runs the scenario named on the command line, one of `scenarios` (functions)."""
    by_name = {f.__name__: f for f in scenarios}
    try:
        by_name[SCENARIO]()
    except AssertionError as e:
        fail(f"assertion: {e}")
    print("ok:", SCENARIO)
