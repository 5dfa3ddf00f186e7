#!/usr/bin/env python3
"""generator.* tests: scripts/generate_journal.py writes journals the engine accepts.

    generated_journal_test.py LOYALTY_CLI SOURCE_DIR WORK_DIR

A 150-member, 5-year journal is generated twice with one seed (same bytes) and once with
another (different bytes); its shape is checked (event types, repair orders per member-year,
line categories and flags); then `loyalty run` applies it with no refusal and no malformed
line, and `loyalty audit verify` re-checks the ledger it wrote.
"""
import collections
import json
import pathlib
import subprocess
import sys

cli, source, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
work.mkdir(parents=True, exist_ok=True)
gen = source / "scripts" / "generate_journal.py"
program = source / "examples" / "programs" / "4s-club.json"


def generate(seed, name):
    out = work / name
    subprocess.run([sys.executable, str(gen), "--members", "150", "--years", "5", "--seed", str(seed),
                    "-o", str(out)], check=True)
    return out


a, b, c = generate(11, "a.jsonl"), generate(11, "b.jsonl"), generate(12, "c.jsonl")
assert a.read_bytes() == b.read_bytes(), "one seed, two different journals"
assert a.read_bytes() != c.read_bytes(), "two seeds, one journal"

events = [json.loads(line) for line in a.read_text(encoding="utf-8").splitlines()]
types = collections.Counter(e["type"] for e in events)
for t in ("enrol", "vehicle_purchase", "repair_order", "birthday", "survey", "benefit_use",
          "reverse", "adjustment"):
    assert types[t] > 0, f"no {t} event in 150 members x 5 years"
assert types["enrol"] == 150, types
# Referrals are named at enrolment (the reference programme pays them itself): a referrer is a
# member who enrolled before, never oneself.
enrolled_at = {}
referred = 0
for e in events:
    if e["type"] != "enrol":
        continue
    if "referred_by" in e:
        referred += 1
        assert e["referred_by"] in enrolled_at and e["referred_by"] != e["member"], e
        assert enrolled_at[e["referred_by"]] < e["at"], e
    enrolled_at[e["member"]] = e["at"]
assert referred > 0, "no enrolment names a referrer in 150 members x 5 years"
ids = [e["id"] for e in events]
assert len(set(ids)) == len(ids), "event ids repeat"
assert [e["at"] for e in events] == sorted(e["at"] for e in events), "not in time order"  # all +08:00

# 2 to 6 repair orders in each membership year: counted per member and year from enrolment.
from datetime import datetime
joined = {e["member"]: datetime.fromisoformat(e["at"]) for e in events if e["type"] == "enrol"}
per_year = collections.Counter()
for e in events:
    if e["type"] == "repair_order":
        days = (datetime.fromisoformat(e["at"]) - joined[e["member"]]).days
        per_year[(e["member"], days // 365)] += 1
full_years = [n for (m, y), n in per_year.items() if y < 4]  # the 5th year may run past the last day drawn
assert min(full_years) >= 2 and max(per_year.values()) <= 6, (min(full_years), max(per_year.values()))

doc = json.loads(program.read_text(encoding="utf-8"))
categories = {"maintenance", "repair", "accessory", "care", "filters", "wipers", "brakes", "batteries", "tyres"}
lines = [l for e in events if e["type"] == "repair_order" for l in e["lines"]]
assert {l["category"] for l in lines} <= categories
assert sum("accident" in l.get("flags", ()) for l in lines) > 0, "no accident line"
allowed = doc.get("line_categories")
if allowed is not None and "*" not in allowed:
    assert {l["category"] for l in lines} <= set(allowed)
for combo in doc.get("forbidden_flags") or []:
    assert not any(set(combo) <= set(l.get("flags", ())) for l in lines), combo

ledger = work / "ledger.jsonl"
run = subprocess.run([cli, "run", "-p", str(program), "-e", str(a), "--ledger", str(ledger), "--json"],
                     capture_output=True, text=True)
assert run.returncode == 0, run.stderr
report = json.loads(run.stdout)
assert report["refused"] == [], report["refused"][:5]  # the generator's stated refusal rate: 0
assert report["malformed"] == []
assert report["applied"] == len(events), (report["applied"], len(events))
assert report["members"] == 150

verify = subprocess.run([cli, "audit", "verify", "-p", str(program), "-e", str(a), "-l", str(ledger)],
                        capture_output=True, text=True)
assert verify.returncode == 0, verify.stdout + verify.stderr
print(f"generated {len(events)} events, {report['entries']} ledger entries: applied, none refused, verified")

# Redemptions, cancellations and household transfers (--rewards), once docs/events.md has them.
if "### `redeem`" in (source / "docs" / "events.md").read_text(encoding="utf-8"):
    r = work / "rewards.jsonl"
    subprocess.run([sys.executable, str(gen), "--members", "150", "--years", "5", "--seed", "13", "--rewards",
                    "-o", str(r)], check=True)
    kinds = collections.Counter(json.loads(line)["type"] for line in r.read_text(encoding="utf-8").splitlines())
    assert kinds["redeem"] > 0 and kinds["cancel_redemption"] > 0 and kinds["transfer"] > 0, kinds
    ledger = work / "rewards-ledger.jsonl"
    run = subprocess.run([cli, "run", "-p", str(program), "-e", str(r), "--ledger", str(ledger), "--json"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["refused"] == [] and report["malformed"] == [], (report["refused"][:5], report["malformed"][:5])
    verify = subprocess.run([cli, "audit", "verify", "-p", str(program), "-e", str(r), "-l", str(ledger)],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    print(f"with rewards: {sum(kinds.values())} events ({kinds['redeem']} redemptions, "
          f"{kinds['cancel_redemption']} cancelled, {kinds['transfer']} transfers): none refused, verified")
