#!/usr/bin/python3
"""Drives `loyalty report member-value` and `loyalty report touch-points` for the cli.member_value_* tests.

usage: member_value_test.py LOYALTY SOURCE_DIR SCENARIO

The journal tests/cli/member-value.jsonl has four members of the reference club, valued as of
2026-01-15 (Asia/Shanghai). The figures below are worked out by hand from it; the `docs`
scenario also runs every `$ loyalty ...` example of docs/member-value.md and compares its
output with the block, character for character.
"""
import json
import os
import re
import shlex
import subprocess
import sys

LOYALTY, SRC, SCENARIO = sys.argv[1:4]
PROGRAM = "examples/programs/4s-club.json"
EVENTS = "tests/cli/member-value.jsonl"
RULES = "examples/member-value-rules.json"


def run(*args, code=0):
    p = subprocess.run([LOYALTY, *args], capture_output=True, text=True, cwd=SRC)
    if p.returncode != code:
        fail(f"exit {p.returncode}, expected {code}: loyalty {' '.join(args)}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p.stdout, p.stderr


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def check(got, want, what):
    if got != want:
        fail(f"{what}: {got!r}, expected {want!r}")


def member_value_json(*extra):
    out, _ = run("report", "member-value", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--json", *extra)
    return {m["member"]: m for m in json.loads(out)["members"]}


def scenario_values():
    m = member_value_json()
    # M1 bought a car (200000.00) on 2025-12-20: 26 days before 2026-01-15 -> R5; one paid visit -> F1;
    # 200000.00 >= 20000 -> M5. Bought at most 365 days ago: new_owner. Lifetime value leaves the
    # car out by default: 0.00.
    check((m["M1"]["recency"], m["M1"]["frequency"], m["M1"]["monetary"]), (5, 1, 5), "M1 RFM")
    check(m["M1"]["stage"], "new_owner", "M1 stage")
    check(m["M1"]["lifetime_value"], "0.00", "M1 lifetime value")
    # M2: repair parts (no member discount on them) 1500 + 2500 + 3000 + 1200 = 8200.00 in the window
    # 2025-01-16..2026-01-15 (the 2026-02-01 order is after the as-of day); last on 2025-12-01, 45 days
    # -> R4; 4 visits -> F3; 8200 >= 8000 -> M4: at least R3 F3 M4 -> high_value.
    check((m["M2"]["recency"], m["M2"]["frequency"], m["M2"]["monetary"]), (4, 3, 4), "M2 RFM")
    check(m["M2"]["paid"], "8200.00", "M2 paid")
    check(m["M2"]["stage"], "high_value", "M2 stage")
    # Tenure 2025-01-05..2026-01-15 = 376 days; 820000 fen x 365 x 8 / (376 x 2) = 3,184,042.55 -> 31840.43.
    check(m["M2"]["tenure_days"], 376, "M2 tenure")
    check(m["M2"]["lifetime_value"], "31840.43", "M2 lifetime value")
    check(m["M2"]["annual_spend"], "7960.11", "M2 annual spend")  # 820000 x 365 / 376 = 796,010.64
    # M3: one order of 350.00 on 2025-01-12, 368 days before: R1, outside the window: F1 M1; more than
    # 365 days without a paid visit -> at_risk. Tenure 371 days: 35000 x 365 x 8 / (371 x 2) = 137,735.85 -> 1377.36.
    check((m["M3"]["recency"], m["M3"]["frequency"], m["M3"]["monetary"]), (1, 1, 1), "M3 RFM")
    check(m["M3"]["days_since_paid_visit"], 368, "M3 days")
    check(m["M3"]["stage"], "at_risk", "M3 stage")
    check(m["M3"]["lifetime_value"], "1377.36", "M3 lifetime value")
    # M4 only enrolled: prospect, nothing paid.
    check(m["M4"]["stage"], "prospect", "M4 stage")
    check(m["M4"]["days_since_paid_visit"], None, "M4 days")
    # The example rules file writes out the defaults: same figures.
    check(member_value_json("--rules", RULES), m, "with the documented defaults file")
    # A retention of 0.5 (one expected year): M2 820000 x 365 x 5 / (376 x 5) = 796,010.64 -> 7960.11.
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"mv-rules-{os.getpid()}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"lifetime_value": {"retention": "0.5"}}')
    check(member_value_json("--rules", path)["M2"]["lifetime_value"], "7960.11", "M2 at retention 0.5")
    os.unlink(path)
    # The same rule in the programme's own member_value section is what the report uses without --rules.
    with open(os.path.join(SRC, PROGRAM), encoding="utf-8") as f:
        doc = json.load(f)
    doc["member_value"] = {"lifetime_value": {"retention": "0.5"}}
    prog = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"mv-program-{os.getpid()}.json")
    with open(prog, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    out, _ = run("report", "member-value", "-p", prog, "-e", EVENTS, "--as-of", "2026-01-15", "--json")
    os.unlink(prog)
    check({r["member"]: r for r in json.loads(out)["members"]}["M2"]["lifetime_value"], "7960.11",
          "M2 at the programme's retention 0.5")


def scenario_touch_points():
    out, _ = run("report", "touch-points", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--json")
    got = [(t["member"], t["kind"], t["day"], t["in_days"]) for t in json.loads(out)["touch_points"]]
    # M3's maintenance: last service 2025-01-12 + 6 months = 2025-07-12, 187 days overdue;
    # M1's care call: 2025-12-20 + 30 days = 2026-01-19 (4 days ahead); M1's birthday 2026-01-20 (5 days).
    check(got, [("M3", "maintenance_due", "2025-07-12", -187), ("M1", "care_call", "2026-01-19", 4),
                ("M1", "birthday", "2026-01-20", 5)], "touch points within 7 days")
    out, _ = run("report", "touch-points", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--within", "4", "--csv")
    rows = out.strip().splitlines()
    check(len(rows), 3, "CSV rows within 4 days (header, maintenance, care call)")
    check(rows[0].split(",")[:4], ["member", "touch point", "day", "in days"], "CSV header")


def scenario_failures():
    _, err = run("report", "member-value", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-02-30", code=2)
    check("loyalty.cli.invalid_date" in err, True, "bad date")
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"mv-bad-{os.getpid()}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"rfm": {"recency_days": [30, 90, 90, 365]}}')
    _, err = run("report", "member-value", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--rules", path, code=2)
    check("[loyalty.program.unordered_bands] " + path + ": (/rfm/recency_days/2)" in err, True, "unordered bands: " + err)
    os.unlink(path)
    _, err = run("report", "touch-points", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--within", "-1", code=2)
    check("loyalty.cli.invalid_within" in err, True, "bad --within")
    _, err = run("report", "touch-points", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2026-01-15", "--rules", "/nonexistent.json", code=2)
    check("loyalty.io.cannot_open" in err, True, "missing rules file")


def scenario_docs():
    with open(os.path.join(SRC, "docs/member-value.md"), encoding="utf-8") as f:
        text = f.read()
    examples = 0
    for block in re.findall(r"```text\n(.*?)```", text, flags=re.S):
        first, _, want = block.partition("\n")
        if not first.startswith("$ loyalty "):
            continue
        examples += 1
        got, _ = run(*shlex.split(first[len("$ loyalty "):]))
        if got != want:
            import difflib
            fail(f"docs/member-value.md example differs: {first}\n" +
                 "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "docs", "actual")))
    check(examples >= 2, True, f"examples found in docs/member-value.md ({examples})")
    # The rules block is examples/member-value-rules.json verbatim (the README's convention).
    p = subprocess.run(["/usr/bin/python3", os.path.join(SRC, "scripts/check_readme_examples.py"),
                        os.path.join(SRC, "docs/member-value.md")], capture_output=True, text=True)
    if p.returncode != 0:
        fail("docs/member-value.md file blocks:\n" + p.stdout + p.stderr)


{"values": scenario_values, "touch_points": scenario_touch_points, "failures": scenario_failures,
 "docs": scenario_docs}[SCENARIO]()
print("ok", SCENARIO)
