"""engine.run() from Python against the same run in C++ (benchmarks/python/run.sh drives this).

    PYTHONPATH=<build>/python /usr/bin/python3 bench_run.py JOURNAL.jsonl DRIVER [ROUNDS=5]

Each round runs the C++ driver (loyalty-run-journal: parse + journal_runner, as engine.run does)
and then engine.run in this process, on the same journal: from the file path and from JSON-lines
text already in memory. The best round of each is reported, by process CPU time and by wall
clock (the machine is shared; the minimum is the least disturbed). Both sides must produce the
same ledger (entry count and last hash)."""

from __future__ import annotations

import json
import os
import pathlib
import platform
import subprocess
import sys
import time

import loyalty

TARGET = 0.70


def machine() -> str:
    model = ""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPU(s), {model or platform.processor()}, Python {platform.python_version()}"


def main() -> int:
    journal = pathlib.Path(sys.argv[1])
    driver = sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    engine = loyalty.Engine(loyalty.Program.reference())
    text = journal.read_text(encoding="utf-8")

    # seconds per input form, wall clock and process CPU time (on a shared machine the CPU time is
    # the less disturbed; both sides run on one thread)
    cpp = {("file", "wall"): [], ("text", "wall"): [], ("file", "cpu"): [], ("text", "cpu"): []}
    py = {key: [] for key in cpp}
    reference = None
    ledger = None
    for _ in range(rounds):
        # Two repetitions per driver process: the second runs on a heap already grown, as every
        # Python round after the first does (a fresh process pays the page faults once).
        out = json.loads(subprocess.run([driver, str(journal), "2"], check=True, capture_output=True, text=True).stdout)
        for form in ("file", "text"):
            cpp[form, "wall"] += out[f"{form}_seconds"]
            cpp[form, "cpu"] += out[f"{form}_cpu_seconds"]
        reference = out
        for form, source in (("file", journal), ("text", text)):
            # The previous ledger is freed before the clock starts, as the C++ driver frees its
            # runner after its clock stops.
            ledger = None
            wall, cpu = time.perf_counter(), time.process_time()
            ledger = engine.run(source)
            py[form, "cpu"].append(time.process_time() - cpu)
            py[form, "wall"].append(time.perf_counter() - wall)

    # The same run on both sides: counts and the last entry's hash (converted outside the timing).
    entries = ledger.entries
    same = (ledger.events == reference["events"] and len(entries) == reference["entries"]
            and len(ledger.refusals) == reference["refused"] and entries[-1].hash == reference["last_hash"])
    t0 = time.perf_counter()
    engine.run(text).to_dicts()
    with_dicts = time.perf_counter() - t0

    events = reference["events"]
    print(f"machine: {machine()}")
    print(f"journal: {journal.name}, {events} events ({reference['entries']} ledger entries, "
          f"{reference['refused']} refused); best of {rounds} rounds")
    print(f"{'input':<26}{'clock':<6}{'C++ events/s':>14}{'Python events/s':>17}{'Python/C++':>12}")
    ratios = {}
    for form, label in (("file", "JSON-lines file (path)"), ("text", "JSON-lines text (str)")):
        for clock in ("cpu", "wall"):
            c, p = events / min(cpp[form, clock]), events / min(py[form, clock])
            ratios[form, clock] = p / c
            print(f"{label:<26}{clock:<6}{c:>14,.0f}{p:>17,.0f}{p / c:>11.1%}")
    print(f"for comparison, engine.run(text).to_dicts() (every entry as Python objects): "
          f"{events / with_dicts:,.0f} events/s")
    print(f"same ledger on both sides: {'yes' if same else 'NO'}")
    met = min(ratios["file", "cpu"], ratios["text", "cpu"]) >= TARGET
    print(f"target Python >= {TARGET:.0%} of C++ (by CPU time): {'met' if met else 'MISSED'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
