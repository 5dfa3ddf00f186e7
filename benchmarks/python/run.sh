#!/usr/bin/env bash
# Throughput of engine.run over 100,000 repair-order events from Python, against the same run in
# C++ (same machine, same journal, same compiler flags). Prints both figures and the ratio.
#   benchmarks/python/run.sh [ORDERS=100000] [ROUNDS=5]
# Builds in $BUILD (default build-bench-python/, Release) with JOBS parallel jobs (default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
orders="${1:-100000}"
rounds="${2:-5}"
build="${BUILD:-build-bench-python}"
cmake -S benchmarks/python -B "$build" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target loyalty-run-journal loyalty_python >/dev/null
journal="$build/journal-$orders.jsonl"
[ -s "$journal" ] || /usr/bin/python3 benchmarks/python/make_journal.py "$orders" > "$journal"
PYTHONPATH="$build/python" PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 benchmarks/python/bench_run.py \
  "$journal" "$build/loyalty-run-journal" "$rounds"
