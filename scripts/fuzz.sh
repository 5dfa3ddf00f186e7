#!/usr/bin/env bash
# Bounded libFuzzer run of the loaders (tests/fuzz): builds fuzz-program and fuzz-event with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer in their own build directory, seeds
# their corpora from the examples, the docs and tests/fuzz/regressions, and runs both at once
# (one per core) for SECONDS each (default 60):
#   scripts/fuzz.sh [SECONDS]        FUZZ_BUILD_DIR=... to build elsewhere (default build-fuzz)
#   scripts/fuzz.sh --prebuilt DIR [SECONDS]   the targets of a build that has them (CI: build-asan)
# A crash, a sanitizer report or an exception other than loyalty::error fails the run; the
# input is left in <build>/artifacts/ and is to be added to tests/fuzz/regressions/<target>/
# (libFuzzer runs its whole seed corpus before it mutates, so every later fuzz run replays it).
set -euo pipefail
cd "$(dirname "$0")/.."
prebuilt=""
if [ "${1:-}" = "--prebuilt" ]; then prebuilt="$2"; shift 2; fi
seconds="${1:-${FUZZ_SECONDS:-60}}"
dir="${FUZZ_BUILD_DIR:-build-fuzz}"
flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

if [ -n "$prebuilt" ]; then
  # CI's sanitizer build (scripts/sanitize.sh, clang) builds both targets already, at -O0 with
  # the reason check on: fuzzed there, slower per input, without a build of its own.
  dir="$prebuilt"
  for target in program event; do
    [ -x "$dir/tests/fuzz/fuzz-$target" ] || { echo "fuzz.sh: $dir/tests/fuzz/fuzz-$target is not built"; exit 2; }
  done
else
  cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -gline-tables-only" -DLOYALTY_CHECK_HEADERS=OFF \
    -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DLOYALTY_BUILD_TESTS=ON -DLOYALTY_BUILD_FUZZERS=ON -DLOYALTY_BUILD_EXAMPLES=OFF \
    -DLOYALTY_BUILD_BENCHMARKS=OFF -DLOYALTY_BUILD_CLI=OFF >/dev/null
  cmake --build "$dir" -j"${JOBS:-2}" --target fuzz-program fuzz-event
fi

# Seed corpora and dictionaries (keys and enum values of the JSON Schemas), made afresh.
rm -rf "$dir/corpus" "$dir/artifacts"
mkdir -p "$dir/corpus/program" "$dir/corpus/event" "$dir/artifacts"
/usr/bin/python3 - "$dir" <<'PY'
import json, pathlib, re, sys
out = pathlib.Path(sys.argv[1])
n = 0
def seed(target, text):
    global n
    n += 1
    (out / "corpus" / target / f"seed-{n:04d}").write_text(text, encoding="utf-8")
for p in sorted(pathlib.Path("examples/programs").glob("*.json")):
    seed("program", p.read_text(encoding="utf-8"))
for p in sorted(pathlib.Path("examples/events").glob("*.jsonl")):
    text = p.read_text(encoding="utf-8")
    seed("event", text)
    for line in text.splitlines():
        if line.strip():
            seed("event", line)
for p in sorted(pathlib.Path("docs").glob("*.md")):
    for block in re.findall(r"```json\n(.*?)```", p.read_text(encoding="utf-8"), re.S):
        target = "program" if '"earning_rules"' in block else "event"
        seed(target, block)
for target in ("program", "event"):
    for p in sorted(pathlib.Path("tests/fuzz/regressions", target).glob("*")):
        (out / "corpus" / target / ("regression-" + p.name)).write_bytes(p.read_bytes())
words = set()
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                words.update(v.keys())
            if k in ("enum", "const"):
                words.update(x for x in (v if isinstance(v, list) else [v]) if isinstance(x, str))
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
for target, schema in (("program", "docs/program.schema.json"), ("event", "docs/event.schema.json")):
    words.clear()
    walk(json.loads(pathlib.Path(schema).read_text(encoding="utf-8")))
    lines = [f'"\\"{w}\\""' for w in sorted(words)] + ['"{"', '"}"', '"["', '"]"', '":"', '","', '"null"', '"true"']
    (out / f"{target}.dict").write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"seeded {n} inputs")
PY

status=0
pids=()
for target in program event; do
  "$dir/tests/fuzz/fuzz-$target" "$dir/corpus/$target" -dict="$dir/$target.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$dir/artifacts/$target-" >"$dir/fuzz-$target.log" 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  target=$([ "$i" = 0 ] && echo program || echo event)
  if wait "${pids[$i]}"; then
    echo "fuzz-$target: no finding in ${seconds}s ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz-$target.log" | grep -o '[0-9]*$') inputs)"
  else
    status=1
    echo "fuzz-$target: FINDING (log: $dir/fuzz-$target.log)"
    grep -E 'ERROR|FUZZ FINDING|runtime error|Test unit written' "$dir/fuzz-$target.log" | head -n 20 || true
  fi
done
exit "$status"
