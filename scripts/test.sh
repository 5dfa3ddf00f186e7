#!/usr/bin/env bash
# The README's test command, and CI's (.ci/run): installs the Debian packages, then
#   1. sanitizers: the whole C++ suite in C++20 under AddressSanitizer + UndefinedBehaviorSanitizer
#      with clang (scripts/sanitize.sh): every test program, the examples, the `loyalty` command
#      tests, the store on SQLite and on a real PostgreSQL server, the compile-fail cases; this is
#      also the check that the headers and the tests mean the same in C++20;
#   2. fuzzing: a bounded libFuzzer run of both loaders (FUZZ_SECONDS each, default 60), the
#      targets built in step 1 (-O0, every entry's reason checked);
#   3. C++17 with g++ (-O2, NDEBUG; without debug information, which does not change the
#      code): each public header compiled on its own, the command, the Python package
#      (pytest, pip install into a venv), the examples, the find_package consumer, each with its
#      tests, and the property tests at RapidCheck's full 100 cases; the unit, scenario and store
#      test programs run once, under the sanitizers (LOYALTY_TEST_PROGRAMS);
#   4. with COVERAGE=1 only, the line coverage of include/loyalty (scripts/coverage.sh).
# At the end it prints each phase with its time. With LOYALTY_TIME_LIMIT=SECONDS (.ci/run sets
# it) a run that took longer fails, so the CI budget is kept by every change, not by memory.
set -euo pipefail
cd "$(dirname "$0")/.."

phases=()
started=$SECONDS
phase_start=$SECONDS
current=""
phase() {  # phase NAME: closes the running phase and starts NAME
  if [ -n "$current" ]; then phases+=("$current|$((SECONDS - phase_start))"); fi
  current="$1"
  phase_start=$SECONDS
  if [ -n "$1" ]; then echo "=== $1 ==="; fi
}
report() {  # the table of phases; on a failure the phase that failed is marked
  local status=$1 total=$((SECONDS - started)) p
  if [ "$status" -ne 0 ] && [ -n "$current" ]; then current="$current (FAILED)"; fi
  phase ""
  echo
  printf '%-52s %7s\n' "phase" "seconds"
  for p in "${phases[@]}"; do printf '%-52s %7d\n' "${p%|*}" "${p##*|}"; done
  printf '%-52s %7d  (%dm%02ds)\n' "total" "$total" $((total / 60)) $((total % 60))
  if [ -n "${LOYALTY_TIME_LIMIT:-}" ] && [ "$total" -gt "$LOYALTY_TIME_LIMIT" ]; then
    echo "FAIL: the run took $total s, over its limit of $LOYALTY_TIME_LIMIT s (LOYALTY_TIME_LIMIT);"
    echo "      make it faster before adding to it (docs/contributing.md, CI time)"
    return 1
  fi
}
trap 'status=$?; report "$status" || status=1; exit "$status"' EXIT

phase "install Debian packages"
scripts/install-deps.sh

phase "sanitizers (C++20, ASan+UBSan): build"
scripts/sanitize.sh build
phase "sanitizers (C++20, ASan+UBSan): tests"
scripts/sanitize.sh test

phase "fuzzing the loaders (${FUZZ_SECONDS:-60} s each)"
scripts/fuzz.sh --prebuilt "${SANITIZE_BUILD_DIR:-build-asan}" "${FUZZ_SECONDS:-60}"

if [ "${COVERAGE:-0}" = 1 ]; then
  # Opt-in: one more instrumented build of the whole suite. COVERAGE_MIN=90 makes it a gate.
  phase "coverage of include/loyalty"
  COVERAGE_MIN="${COVERAGE_MIN:-0}" scripts/coverage.sh
fi

phase "C++17 (-O2): build"
cmake -S . -B build-cxx17 -DCMAKE_CXX_STANDARD=17 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -DNDEBUG" -DLOYALTY_BUILD_BENCHMARKS=ON -DLOYALTY_CHECK_HEADERS=ON \
  -DLOYALTY_BUILD_PYTHON=ON -DPython3_EXECUTABLE=/usr/bin/python3 -DLOYALTY_TEST_PIP_INSTALL=ON \
  -DLOYALTY_INLINE_ONCE=PROGRAMS -DLOYALTY_TEST_OPTIONS=-Og -DLOYALTY_TEST_PROGRAMS=property >/dev/null
cmake --build build-cxx17 -j2
phase "C++17 (-O2): tests"
ctest --test-dir build-cxx17 --output-on-failure -j2

