#!/usr/bin/env bash
# Builds loyalty-bench in Release (its own build dir, build-bench) and prints the figures as a
# table. Extra arguments go to the benchmark program, e.g.
#   scripts/bench.sh --benchmark_filter=apply --benchmark_repetitions=5
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release \
  -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF -DLOYALTY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build-bench -j"${JOBS:-2}" --target loyalty-bench
echo "machine: $(nproc) CPU(s), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1)"
exec build-bench/benchmarks/loyalty-bench --benchmark_counters_tabular=true "$@"
