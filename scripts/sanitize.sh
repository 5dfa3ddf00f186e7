#!/usr/bin/env bash
# The whole C++ suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang), in C++20, in
# its own build directory (SANITIZE_BUILD_DIR, default build-asan). Any sanitizer report fails
# the test that triggered it (-fno-sanitize-recover, halt_on_error).
#   scripts/sanitize.sh [build|test]     (no argument: both)
# C++20 on purpose: this build is also CI's check that the headers, the tests, the examples and
# the command compile and mean the same in the newer language (C++17, the minimum, is CI's
# optimised build, which also builds the benchmarks and the Python module).
# Clang on purpose: it compiles this build in half the CPU time of g++ (952 -> 507 CPU-seconds,
# 2026-12-07; a batch of eight unit test files 36 s -> 18 s), and CI's other build is g++'s, so
# both compilers see every file. It also builds the two fuzz targets (tests/fuzz), with
# loyalty_io instrumented for libFuzzer's coverage, which scripts/fuzz.sh --prebuilt then runs:
# no build of their own.
# Left out: the Python module and its tests (an ASan-built extension cannot be loaded into
# Debian's python3, which is not built with ASan, without preloading libasan into the
# interpreter, and then CPython's own allocations are reported as leaks); the benchmarks (timing
# programs: their three counting cases run in the C++17 build); the find_package consumer (label
# package), a separate project built without the sanitizer flags, which cannot link the
# instrumented library; and the header-by-header compile check (LOYALTY_CHECK_HEADERS), the same
# text under any flags. All of these run in the C++17 build.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${SANITIZE_BUILD_DIR:-build-asan}"
what="${1:-all}"
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

if [ "$what" = all ] || [ "$what" = build ]; then
  # -O0 -g1: line tables are enough for the reports' stack traces, and with the sanitizers on,
  # -O1 -g compiled a test program 4.5 times slower (134 s against 30 s for test_fleet.cpp).
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_STANDARD=20 -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" -DLOYALTY_CHECK_HEADERS=OFF \
    -DLOYALTY_BUILD_PYTHON=OFF -DLOYALTY_BUILD_BENCHMARKS=OFF -DLOYALTY_INLINE_ONCE=ALL -DLOYALTY_TEST_SHARDS=6 -DLOYALTY_BUILD_FUZZERS=ON \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
  cmake --build "$dir" -j"${JOBS:-2}"
fi
if [ "$what" = all ] || [ "$what" = test ]; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  # 25 cases per RapidCheck property here (100, its default, in the C++17 build): enough cases for
  # the sanitizers to see the code paths, at a quarter of the time (the properties took 141 of
  # the 480 CPU-seconds of these tests with 100).
  export RC_PARAMS="${RC_PARAMS:-max_success=25}"
  ctest --test-dir "$dir" --output-on-failure -j"${JOBS:-2}" -LE package
fi
