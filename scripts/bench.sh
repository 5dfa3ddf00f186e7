#!/usr/bin/env bash
# Builds loyalty-bench in Release (its own build dir, BENCH_BUILD_DIR, default build-bench),
# generates the 1,000,000-event journal the replay benchmarks read (scripts/generate_journal.py,
# seed 1, kept in the build dir; BENCH_EVENTS to change its size) and prints the figures as a
# table. Extra arguments go to the benchmark program, e.g.
#   scripts/bench.sh --benchmark_filter=apply --benchmark_repetitions=5
#   scripts/bench.sh --benchmark_filter=replay     (the 1M-event replays only)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_BUILD_DIR:-build-bench}"
events="${BENCH_EVENTS:-1000000}"
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
  -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF -DLOYALTY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$dir" -j"${JOBS:-2}" --target loyalty-bench
journal="$dir/journal-$events-seed1.jsonl"
if [ ! -s "$journal" ] || [ scripts/generate_journal.py -nt "$journal" ]; then
  /usr/bin/python3 scripts/generate_journal.py --events "$events" --seed 1 -o "$journal.tmp"
  mv "$journal.tmp" "$journal"
fi
echo "machine: $(nproc) CPU(s), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1); $(date -u +%Y-%m-%d)"
echo "journal: $journal ($(wc -l <"$journal") events, $(du -m "$journal" | cut -f1) MB)"
LOYALTY_BENCH_JOURNAL="$journal" exec "$dir/benchmarks/loyalty-bench" --benchmark_counters_tabular=true "$@"
