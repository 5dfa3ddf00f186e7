#!/usr/bin/env bash
# The store's crash test at length (tests/store/crash_ingest.cpp; CI runs it small, as the tests
# store.crash.sqlite and store.crash.postgresql). docs/hardening.md records its figures.
#
#   scripts/crash.sh [sqlite|postgresql|pg-server] [KILLS] [more loyalty-store-crash options]
#
#   sqlite      the writer killed with SIGKILL, SQLite (default; KILLS default 1000)
#   postgresql  the writer killed with SIGKILL, on a throwaway server (scripts/with-postgres.sh)
#   pg-server   the server stopped with an immediate shutdown while the writer appends, then
#               started again (each takes about 0.4 s: run a few hundred)
#
# Journals of CRASH_EVENTS linked events (default 1500) in batches of CRASH_BATCH (default
# 10,4,25: one journal after another in each size) from seed CRASH_SEED (default 1). Builds
# loyalty-store-crash in CRASH_BUILD_DIR (default build-crash, -O2), unless CRASH_BUILD=0.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-sqlite}"
kills="${2:-1000}"
shift $(($# < 2 ? $# : 2))
dir="${CRASH_BUILD_DIR:-build-crash}"
if [ "${CRASH_BUILD:-1}" = 1 ]; then
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1" \
      -DLOYALTY_BUILD_PYTHON=OFF -DLOYALTY_BUILD_BENCHMARKS=OFF -DLOYALTY_BUILD_CLI=OFF -DLOYALTY_BUILD_EXAMPLES=OFF >/dev/null
  fi
  cmake --build "$dir" -j"${JOBS:-2}" --target loyalty-store-crash
fi
bin="$dir/tests/store/loyalty-store-crash"
options=(--kills "$kills" --events "${CRASH_EVENTS:-1500}" --batch "${CRASH_BATCH:-10,4,25}" --seed "${CRASH_SEED:-1}")

echo "machine: $(nproc) CPU(s), $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n1); $(date -u +%Y-%m-%d);" \
  "commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with changes)')"
case "$mode" in
  sqlite) exec "$bin" sqlite "${options[@]}" "$@" ;;
  postgresql) exec bash scripts/with-postgres.sh "$bin" pg "${options[@]}" "$@" ;;
  pg-server) exec bash scripts/with-postgres.sh "$bin" pg --server-stops "${options[@]}" "$@" ;;
  *)
    echo "usage: scripts/crash.sh [sqlite|postgresql|pg-server] [KILLS] [loyalty-store-crash options]" >&2
    exit 2
    ;;
esac
