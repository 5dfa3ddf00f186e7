#!/usr/bin/env bash
# Exact instruction counts of one apply_in_place() (callgrind, from Debian's `valgrind`): the
# 8-line repair order of benchmarks/bench_support.hpp on its member with two years of history,
# without tiers, under three tiers that change nothing the order earns or is given, and under
# three tiers where the member's gold multiplies the earning by 1.5. The second minus the first
# is what tier evaluation alone adds to apply() (issue 5: at most 200 ns). The last case is the
# first without explanation (no trace, no sentences: a replay's engine); then price() of the
# 20-line order of bench_support.hpp, explained and not (issue 21: 3 us). Counts do not move
# with other load on the machine, unlike times. Builds loyalty-apply-count in Release in
# BENCH_BUILD_DIR (default build-bench), as scripts/bench.sh does.
#   scripts/count_apply.sh [N [JOURNAL]]
#     N applies per case (default 200); with JOURNAL (JSON lines, scripts/generate_journal.py),
#     also every event of it replayed through one journal_runner under the reference programme
#     and under it with the same tiers: the average per event over a realistic mix, tier
#     changes (their ledger entries) and yearly reviews included.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${BENCH_BUILD_DIR:-build-bench}"
n="${1:-200}"
journal="${2:-}"
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install -y valgrind" >&2; exit 2; }
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release \
  -DLOYALTY_BUILD_TESTS=OFF -DLOYALTY_BUILD_EXAMPLES=OFF -DLOYALTY_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$dir" -j"${JOBS:-2}" --target loyalty-apply-count >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
count() {  # CASE FUNCTION ARGS...: instructions of FUNCTION and everything it calls
  local file="$out/$1-$#${4:+-$4}"
  valgrind --tool=callgrind --callgrind-out-file="$file" --toggle-collect="*$2*" \
    "$dir/benchmarks/loyalty-apply-count" "$1" "${@:3}" >"$file.txt" 2>"$file.log" \
    || { cat "$file.log" >&2; exit 1; }
  sed -n 's/^summary: *//p' "$file"
}
base=$(count repair_order measured_apply_all "$n")
echo "case                                per apply (instructions, $n applies, callgrind)"
for c in repair_order repair_order_tiers_without_effect repair_order_tiered repair_order_without_explanation; do
  total=$(count "$c" measured_apply_all "$n")
  awk -v c="$c" -v t="$total" -v b="$base" -v n="$n" \
    'BEGIN { printf "%-35s %9.0f   %+7.0f against repair_order\n", c, t / n, (t - b) / n }'
done
echo "case                                per price (instructions, $n prices of the 20-line order)"
for c in price_20_lines price_20_lines_without_explanation; do
  total=$(count "$c" measured_price_all "$n")
  awk -v c="$c" -v t="$total" -v n="$n" 'BEGIN { printf "%-35s %9.0f\n", c, t / n }'
done
[ -n "$journal" ] || exit 0
events=$(grep -c . "$journal")
plain=$(count replay measured_replay "$journal")
tiered=$(count replay measured_replay "$journal" tiers_without_effect)
awk -v p="$plain" -v t="$tiered" -v n="$events" 'BEGIN {
  printf "replay of %d events, reference programme   %9.0f per event\n", n, p / n
  printf "the same with tiers that change nothing      %9.0f per event   %+7.0f\n", t / n, (t - p) / n }'
sed -E "s/, [0-9]+ ns CPU per event//" "$out"/replay*.txt
