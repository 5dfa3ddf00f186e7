#!/usr/bin/env bash
# Line coverage of the header core (include/loyalty/) by the whole test suite: builds with
# --coverage in its own build directory (COVERAGE_BUILD_DIR, default build-coverage), runs
# ctest (every C++ test program, the CLI, store, docs and generator tests and the Python
# bindings' pytest suite, which all reach the headers), and prints gcovr's per-file table and
# the total. Fails if the total line coverage is below COVERAGE_MIN percent (default 90).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${COVERAGE_BUILD_DIR:-build-coverage}"
min="${COVERAGE_MIN:-90}"

# The Python module is a MODULE library, hence CMAKE_MODULE_LINKER_FLAGS too. The pip-install
# tests are off: they rerun the same pytest suite on the same loyalty._core.
# -fprofile-update=atomic: tests that run the engine on several threads otherwise race on the
# counters, and gcov then prints negative counts ("branch 13 taken -5") that stop gcovr.
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="--coverage -O0 -fprofile-update=atomic" \
  -DCMAKE_EXE_LINKER_FLAGS="--coverage" -DCMAKE_SHARED_LINKER_FLAGS="--coverage" \
  -DCMAKE_MODULE_LINKER_FLAGS="--coverage" -DLOYALTY_BUILD_TESTS=ON -DLOYALTY_BUILD_EXAMPLES=ON \
  -DLOYALTY_BUILD_CLI=ON -DLOYALTY_BUILD_STORE=ON -DLOYALTY_BUILD_PYTHON=ON -DLOYALTY_TEST_PIP_INSTALL=OFF \
  -DLOYALTY_BUILD_BENCHMARKS=OFF -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
cmake --build "$dir" -j"${JOBS:-2}"
find "$dir" -name '*.gcda' -delete
# The find_package consumer (label package) is left out: built without --coverage, it cannot link.
ctest --test-dir "$dir" --output-on-failure -j"${JOBS:-2}" -LE package
# Only headers under include/loyalty/ count; unreachable "should not happen" lines are not excluded.
gcovr --root . --object-directory "$dir" --filter 'include/loyalty/' --exclude-unreachable-branches \
  --txt "$dir/coverage.txt" --print-summary --fail-under-line "$min" | tee "$dir/coverage-summary.txt"
cat "$dir/coverage.txt"
