#!/usr/bin/python3
"""Drives the built `loyalty` command for the cli.* CTest tests.

usage: cli_test.py LOYALTY SOURCE_DIR WORK_DIR SCENARIO

Each scenario runs the command on the reference programme and sample journal (or on a copy
changed on purpose), and checks the exit code and the output. Golden files live in
tests/cli/golden/; set LOYALTY_REGENERATE_GOLDEN=1 to rewrite them (on purpose only).
"""
import json
import os
import re
import subprocess
import sys

from cli_driver import EVENTS, LOYALTY, PROGRAM, SRC, WORK, expect, fail, journal_lines, main, run, write

GOLDEN = os.path.join(SRC, "tests/cli/golden")


def golden(name, text):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("LOYALTY_REGENERATE_GOLDEN") == "1":
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return
    with open(path, encoding="utf-8") as f:
        want = f.read()
    if text != want:
        import difflib
        fail("differs from golden " + name + ":\n" +
             "".join(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "golden", "actual")))


def ledger(name="ledger.jsonl"):
    path = os.path.join(WORK, name)
    run("run", "-p", PROGRAM, "-e", EVENTS, "--ledger", path)
    with open(path, encoding="utf-8") as f:
        return path, [json.loads(l) for l in f if l.strip()]


def dump(name, entries):
    return write(name, [json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n" for e in entries])


def index_of(entries, member, seq):
    return next(i for i, e in enumerate(entries) if e["member"] == member and e["seq"] == seq)


# --- scenarios -----------------------------------------------------------------------------

def validate_ok():
    out, _ = run("validate", PROGRAM)
    # id, version and the first 12 digits of the digest (SHA-256 of the canonical JSON).
    doc = json.loads(run("validate", "--json", PROGRAM)[0])[0]
    assert re.fullmatch(r"[0-9a-f]{64}", doc["digest"]), doc
    expect(r"4s-club\.json: ok \(4s-club v1 \(" + doc["digest"][:12] + r"\), 7 earning rules, 11 benefits", out)
    assert "warning" not in out, out  # the reference programme declares its line categories
    out, _ = run("validate", "--json", PROGRAM)
    assert json.loads(out)[0]["ok"] is True and json.loads(out)[0]["warnings"] == []
    # Valid but probably not meant: warnings with ids and pointers; still exit 0.
    no_list = edited_program("no-categories.json", lambda p: p.pop("line_categories"))
    out, _ = run("validate", no_list)
    expect(r"^  warning: \[loyalty\.program\.no_line_categories\] \(/line_categories\) the programme declares no "
           r"line_categories: a repair-order line of a misspelt category", out)

    def typo(p):
        p["earning_rules"][0]["lines"]["categories"] = ["maintenance", "repiar"]
    out, _ = run("validate", "--json", edited_program("typo.json", typo))
    assert json.loads(out)[0]["warnings"] == [{
        "id": "loyalty.program.undeclared_category", "pointer": "/earning_rules/0/lines/categories/1",
        "message": "category 'repiar' is not in line_categories: no line can be of it"}], out
    out, _ = run("validate", "--csv", no_list)
    expect(r"no-categories\.json,yes,4s-club,1,loyalty\.program\.no_line_categories,/line_categories,", out)


def validate_bad():
    with open(PROGRAM, encoding="utf-8") as f:
        prog = json.load(f)
    prog["earning_rules"][1]["points_per_unit"] = "-0.5"
    bad = write("bad-program.json", [json.dumps(prog)])
    out, _ = run("validate", PROGRAM, bad, code=1)
    expect(r"bad-program\.json: \[loyalty\.program\.\w+\] \(/earning_rules/1/points_per_unit\)", out)
    out, _ = run("validate", "--json", bad, code=1)
    err = json.loads(out)[0]["error"]
    if err["pointer"] != "/earning_rules/1/points_per_unit":
        fail(f"pointer {err}")
    _, err = run("validate", os.path.join(WORK, "no-such.json"), code=2)  # unreadable: bad input, as everywhere


def bad_file():
    _, err = run("run", "-p", os.path.join(WORK, "no-such.json"), "-e", EVENTS, code=2)
    expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr")
    _, err = run("run", "-p", PROGRAM, "-e", os.path.join(WORK, "no-such.jsonl"), code=2)
    expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr")
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--as-of", "yesterday", code=2)
    expect(r"loyalty\.cli\.invalid_instant", err, "stderr")
    run("frobnicate", code=2)


def run_ok():
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--ledger", os.path.join(WORK, "l.jsonl"))
    expect(r"^applied 21 events, refused 2, malformed 0 lines; 3 members, 39 ledger entries$", out)
    expect(r"^\s+9\s+e-0005\s+M001\s+duplicate_event\s", out)
    expect(r"^\s+16\s+e-0014\s+M001\s+benefit_excluded\s", out)
    run("run", "-p", PROGRAM, "-e", EVENTS, "--strict", code=1)
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--json")
    doc = json.loads(out)
    assert doc["applied"] == 21 and doc["entries"] == 39 and len(doc["refused"]) == 2, doc
    # Each member's last entry carries the hand-worked balance.
    _, entries = ledger()
    last = {e["member"]: e["balance"] for e in entries}
    if last != {"M001": 2715, "M002": -1290, "M003": 0}:
        fail(f"balances {last}")


def bad_line():
    """A malformed journal is refused as a whole: nothing applied, no file or store changed."""
    lines = journal_lines()
    lines[4] = lines[4].replace('"unit_price":"120.00"', '"unit_price":"12x"')  # line 5: e-0003
    events = write("bad-line.jsonl", lines)
    # A good ledger from an earlier run stays exactly as it was.
    kept = os.path.join(WORK, "keep.jsonl")
    run("run", "-p", PROGRAM, "-e", EVENTS, "--ledger", kept)
    with open(kept, "rb") as f:
        before = f.read()
    assert before.count(b"\n") == 39, before.count(b"\n")
    db = os.path.join(WORK, "bad-line.db")
    for args in (["--ledger", kept], ["--ledger", kept, "--db", "sqlite:" + db]):
        out, err = run("run", "-p", PROGRAM, "-e", events, *args, code=2)
        expect(r"^malformed line 5: \[loyalty\.event\.\w+\] \(/lines/0/unit_price\)", err, "stderr")
        expect(r"^nothing applied: 1 malformed line \(the first at line 5\); no file or store was changed", err, "stderr")
        expect(r"^applied 0 events: the journal has 1 malformed lines$", out)
        with open(kept, "rb") as f:
            if f.read() != before:
                fail("a refused journal changed the ledger file")
        if os.path.exists(db):
            fail("a refused journal created the store")
    out, _ = run("run", "-p", PROGRAM, "-e", events, "--json", code=2)
    doc = json.loads(out)
    assert doc["applied"] == 0 and doc["stopped_at_line"] == 5, doc
    assert [(m["line"], m["column"], m["pointer"]) for m in doc["malformed"]] == [(5, None, "/lines/0/unit_price")], doc
    # --keep-going applies the rest; the exit code still says lines were skipped.
    out, err = run("run", "-p", PROGRAM, "-e", events, "--keep-going", code=2)
    expect(r"^applied 20 events, refused 2, malformed 1 lines", out)
    # Not JSON at all, and an unknown event type, both reported, with or without --keep-going.
    lines[8] = "{not json\n"
    lines[10] = lines[10].replace('"type":"adjustment"', '"type":"adjustmnet"')
    events = write("bad-lines.jsonl", lines)
    for extra in ([], ["--keep-going"]):
        _, err = run("run", "-p", PROGRAM, "-e", events, *extra, code=2)
        expect(r"^malformed line 5: ", err, "stderr")
        # One error id, the journal's: loyalty.event.*, as the library's journal reader says.
        # The syntax error's column is the error's own, and its sentence has no second id or line.
        expect(r"^malformed line 9, column 3: \[loyalty\.event\.parse_error\] syntax error while parsing object key - "
               r"invalid literal; last read: '\{no'; expected string literal$", err, "stderr")
        expect(r"^malformed line 11: \[loyalty\.event\.invalid_type\] \(/type\)", err, "stderr")
    run("statement", "-p", PROGRAM, "-e", events, "M001", code=2)


def run_outputs():
    """Where the ledger and the output go: written whole or not at all, failures are errors."""
    out_ledger = os.path.join(WORK, "ledger.jsonl")
    old = os.umask(0o022)
    try:
        run("run", "-p", PROGRAM, "-e", EVENTS, "--ledger", out_ledger)
    finally:
        os.umask(old)
    # Written through a temporary file renamed into place: none is left, the mode is a plain create's.
    left = [n for n in os.listdir(WORK) if ".tmp-" in n]
    assert not left, left
    assert os.stat(out_ledger).st_mode & 0o777 == 0o644, oct(os.stat(out_ledger).st_mode)
    with open(out_ledger, encoding="utf-8") as f:
        assert sum(1 for _ in f) == 39
    # A folder that does not exist, a directory, a full device: loyalty.io.cannot_write, exit 2.
    for target in (os.path.join(WORK, "no-such-dir", "l.jsonl"), WORK, "/dev/full"):
        _, err = run("run", "-p", PROGRAM, "-e", EVENTS, "--ledger", target, code=2)
        expect(r"\[loyalty\.io\.cannot_write\]", err, "stderr")
    left = [n for n in os.listdir(WORK) if ".tmp-" in n]
    assert not left, left
    # Standard output on a full device: the report could not be written, so the command failed.
    with open("/dev/full", "w") as full:
        p = subprocess.run([LOYALTY, "run", "-p", PROGRAM, "-e", EVENTS], stdout=full, stderr=subprocess.PIPE, text=True)
    if p.returncode != 2 or "loyalty.io.cannot_write" not in p.stderr:
        fail(f"stdout on /dev/full: exit {p.returncode}\n{p.stderr}")
    # A directory given as the journal: cannot_open, not a parse error.
    _, err = run("run", "-p", PROGRAM, "-e", WORK, code=2)
    expect(r"\[loyalty\.io\.cannot_open\] cannot open '.*': it is a directory", err, "stderr")


def unknown_member():
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "M999", code=2)
    expect(r"\[loyalty\.cli\.unknown_member\] member 'M999'", err, "stderr")
    _, err = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", os.path.join(SRC, "tests/cli/order-wax.json"),
                 "--member", "M999", code=2)
    expect(r"loyalty\.cli\.unknown_member", err, "stderr")
    _, err = run("explain", "-p", PROGRAM, "-e", EVENTS, "e-9999", code=2)
    expect(r"loyalty\.cli\.unknown_event", err, "stderr")


def statement():
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001")
    expect(r"^  balance\s+2715 pt$", out)
    golden("statement-M001.txt", out)
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M002", "--json")
    doc = json.loads(out)
    assert (doc["balance"], doc["debt"], doc["available"]) == (-1290, 1290, -1290), doc
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--csv")
    golden("statement-M001-lots.csv", out)
    # As of 2025-12-31: 3833 pt; waxing 1 of 4 used in 2025, inspection 1 of 6 this membership year.
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--as-of", "2025-12-31T12:00:00+08:00", "--json")
    doc = json.loads(out)
    assert doc["balance"] == 3833, doc
    quotas = {q["benefit"]: (q["allowed"], q["used"], q["left"]) for q in doc["quotas"]}
    assert quotas == {"waxing": (4, 1, 3), "inspection-36": (6, 1, 5)}, quotas
    # 2027-02-01 00:30 Shanghai: the vehicle lot's 1368 fell due at 00:00 but no event posted it yet.
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--as-of", "2027-02-01T00:30:00+08:00", "--json")
    doc = json.loads(out)
    assert (doc["balance"], doc["due_to_expire"], doc["balance_after_due"]) == (4083, 1368, 2715), doc


def statement_tiers():
    # The reference club with tiers (31 grace days) and platinum's own 6 waxings a year.
    def tiers(prog):
        prog["tiers"] = {"window": {"period": "calendar_year"}, "grace_days": 31, "levels": [
            {"id": "silver", "qualify": {"points": 0}},
            {"id": "gold", "qualify": {"points": 3000}, "retain": {"points": 2000}},
            {"id": "platinum", "qualify": {"points": 8000}, "retain": {"points": 6000}}]}
        waxing = next(b for b in prog["benefits"] if b["id"] == "waxing")
        waxing["quota"]["by_tier"] = {"platinum": 6}
    program = edited_program("tiered.json", tiers)
    wax = ('{{"id":"{0}","member":"M1","at":"{1}","type":"repair_order","lines":[{{"kind":"labour",'
           '"category":"care","operation":"WAX-FULL","unit_price":"280.00"}}]}}\n')
    events = write("tiered.jsonl", [
        '{"id":"e1","member":"M1","at":"2025-01-10T10:00:00+08:00","type":"enrol"}\n',
        '{"id":"m1","member":"M1","at":"2025-01-10T11:00:00+08:00","type":"assign_tier","tier":"platinum",'
        '"reason":"tier match","operator":"op-7"}\n',
        wax.format("w1", "2025-03-01T10:00:00+08:00"), wax.format("w2", "2025-03-02T10:00:00+08:00")])
    # Platinum assigned in 2025 is judged on 2025: reviewed 2026-01-01 + 31 days = 2026-02-01.
    out, _ = run("statement", "-p", program, "-e", events, "M1")
    expect(r"^  tier\s+platinum, reviewed on 2026-02-01 \(held until then; kept only if retained\)$", out)
    # Its standing: the welcome 500 is 2025's qualifying points (the waxings were free), short of
    # platinum's retain of 6000; platinum is the highest tier, so nothing to reach.
    expect(r"^  qualifying\s+calendar_year 2025-01-01\.\.2025-12-31: qualifying points 500, spend 0\.00 CNY, "
           r"paid visits 0, vehicles bought 0$", out)
    expect(r"^  to keep platinum\s+not yet: qualifying points 500 < 6000 in calendar_year 2025-01-01\.\.2025-12-31; "
           r"reviewed on 2026-02-01$", out)
    assert "to reach" not in out and "in grace until" not in out, out
    # On 15 January 2026 the 31 grace days after 2025 are running; 2026's window counts nothing yet.
    grace, _ = run("statement", "-p", program, "-e", events, "M1", "--as-of", "2026-01-15")
    expect(r"^  qualifying\s+calendar_year 2026-01-01\.\.2026-12-31: qualifying points 0, ", grace)
    expect(r"^  to keep platinum\s+not yet: qualifying points 500 < 6000 in calendar_year 2025-01-01\.\.2025-12-31; "
           r"in the 31 grace day\(s\) 2026-01-01\.\.2026-01-31: qualifying points 0 < 6000; reviewed on 2026-02-01$", grace)
    expect(r"^  in grace until\s+2026-02-01$", grace)
    standing = json.loads(run("statement", "-p", program, "-e", events, "M1", "--as-of", "2026-01-15", "--json")[0])["tier_standing"]
    assert standing["in_grace_until"] == "2026-02-01" and standing["next"] is None, standing
    assert standing["window"] == {"period": "calendar_year 2026-01-01..2026-12-31", "first": "2026-01-01",
                                  "last": "2026-12-31"}, standing
    keep = standing["keep"]
    assert (keep["tier"], keep["met"], keep["review_on"], keep["retain"]) == ("platinum", False, "2026-02-01",
                                                                              {"points": 6000}), keep
    assert keep["qualifying"] == {"points": 500, "spend": "0.00", "visits": 0, "vehicles": 0}, keep
    assert keep["grace"] == {"period": "31 grace day(s) 2026-01-01..2026-01-31", "first": "2026-01-01",
                             "last": "2026-01-31"}, keep
    # The same standing as CSV rows (--table standing): each measure the window in force counts,
    # the retain threshold against 2025 and against the grace days, and the day the grace ends.
    rows, _ = run("statement", "-p", program, "-e", events, "M1", "--as-of", "2026-01-15", "--csv", "--table", "standing")
    assert rows.splitlines() == [
        "what,tier,measure,value,threshold,met,first,last,until",
        "qualifying,platinum,qualifying points,0,,,2026-01-01,2026-12-31,",
        "qualifying,platinum,spend,0.00,,,2026-01-01,2026-12-31,",
        "qualifying,platinum,paid visits,0,,,2026-01-01,2026-12-31,",
        "qualifying,platinum,vehicles bought,0,,,2026-01-01,2026-12-31,",
        "keep,platinum,qualifying points,500,6000,no,2025-01-01,2025-12-31,2026-02-01",
        "keep_grace,platinum,qualifying points,0,6000,no,2026-01-01,2026-01-31,2026-02-01",
        "in_grace,platinum,,,,,,,2026-02-01"], rows
    # Silver before the assignment (as of the enrolment's day): gold is the next tier up, 3000 points.
    rows, _ = run("statement", "-p", program, "-e", events, "M1", "--as-of", "2025-01-10T10:30:00+08:00", "--csv",
                  "--table", "standing")
    assert rows.splitlines()[-1] == "next,gold,qualifying points,500,3000,no,2025-01-01,2025-12-31,", rows
    # --table is for --csv only
    _, err = run("statement", "-p", program, "-e", events, "M1", "--table", "standing", code=2)
    assert "--table chooses the table --csv prints" in err, err
    # 2 of platinum's 6 waxings used: 4 left.
    expect(r"^  waxing\s+calendar_year 2025-01-01\.\.2025-12-31\s+6 \(platinum\)\s+2\s+4$", out)
    out, _ = run("statement", "-p", program, "-e", events, "M1", "--json")
    doc = json.loads(out)
    assert (doc["tier"], doc["tier_review_on"]) == ("platinum", "2026-02-01"), doc
    quotas = {q["benefit"]: (q["allowed"], q["used"], q["left"], q["tier"]) for q in doc["quotas"]}
    assert quotas == {"waxing": (6, 2, 4, "platinum"), "inspection-36": (6, 0, 6, None)}, quotas
    # After the review day with no event since, the review is due but not posted.
    out, _ = run("statement", "-p", program, "-e", events, "M1", "--as-of", "2026-03-01T10:00:00+08:00")
    expect(r"^  tier\s+platinum, reviewed on 2026-02-01 .* - review due, not posted$", out)
    # The reference programme has no tiers: no tier line, null in JSON.
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--json")
    doc = json.loads(out)
    assert (doc["tier"], doc["tier_review_on"], doc["tier_standing"]) == (None, None, None), doc
    rows, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--csv", "--table", "standing")
    assert rows.splitlines() == ["what,tier,measure,value,threshold,met,first,last,until"], rows
    rows, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--csv", "--table", "quotas")
    assert rows.splitlines()[0] == "benefit,period,allowed,used,left" and len(rows.splitlines()) == 3, rows


def price():
    order = os.path.join(SRC, "tests/cli/order-wax.json")
    # M001 on 2025-12-01 has used 1 waxing of 4 (2025) and 1 inspection of 6.
    out, _ = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", order, "--member", "M001",
                 "--at", "2025-12-01T10:00:00+08:00")
    expect(r"waxing: free, 560\.00 off, uses 2-3 of 4 in calendar_year 2025-01-01\.\.2025-12-31", out)
    expect(r"inspection-36: free, 99\.99 off, use 2 of 6", out)
    expect(r"labour-30-off: not applied, the line is flagged accident", out)
    expect(r"parts-10-off: pays 0\.9 x 455\.00 = 409\.50", out)
    expect(r"^list 2184\.99, discount 786\.49, to pay 1398\.50$", out)
    # service-spend 189.00 (brakes labour) + 800.00 accident labour is excluded; pads are category
    # brakes, not maintenance/repair: 189 pt.
    expect(r"^points on closing: 189 ", out)
    out, _ = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", order, "--member", "M001",
                 "--at", "2025-12-01T10:00:00+08:00", "--json")
    doc = json.loads(out)
    assert doc["net_total"] == "1398.50" and doc["points_total"] == 189, doc


def explain():
    out, _ = run("explain", "-p", PROGRAM, "-e", EVENTS, "e-0003")
    expect(r"oil-change-labour: free, 120\.00 off", out)
    expect(r"508\.00 CNY paid on 4 matching line\(s\) x 1 pt per 1\.00 x 2 \(maintenance-month\) = 1016", out)
    expect(r"^\s+6\s+\S+\s+earn\s+1016\s+3384\s+e-0003/service-spend", out)
    out, _ = run("explain", "-p", PROGRAM, "-e", EVENTS, "e-0014")
    expect(r"^refused: benefit_excluded", out)
    out, _ = run("explain", "-p", PROGRAM, "-e", EVENTS, "e-0104", "--json")
    doc = json.loads(out)
    kinds = [e["kind"] for e in doc["entries"]]
    assert "debt" in kinds and "benefit_return" in kinds, kinds


def verify_ok():
    path, _ = ledger()
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path)
    expect(r"^OK: 3 members, 39 entries", out)


def python_verifier():
    """The ledger `loyalty run` writes passes the standard-library verifier (scripts/verify_ledger.py)."""
    path, _ = ledger()
    p = subprocess.run([sys.executable, os.path.join(SRC, "scripts/verify_ledger.py"), path], capture_output=True, text=True)
    if p.returncode != 0:
        fail(p.stdout + p.stderr)
    expect(r"^ok    member M001: 21 entries, balance 2715", p.stdout)
    expect(r"^ok    member M002: 12 entries, balance -1290", p.stdout)
    expect(r"^39 entries, 3 members: every chain verifies$", p.stdout)


def verify_tampered():
    _, entries = ledger()
    i = index_of(entries, "M001", 6)
    entries[i]["amount"] += 1  # 1016 -> 1017, hash left alone
    path = dump("tampered.jsonl", entries)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, code=1)
    expect(r"^member M001, seq 6: hash chain: amount 1017 is not the 1016 its figures give$", out)
    # The field that differs from the replay's entry of that seq, with both values.
    expect(r"^  amount: stored 1017, replayed 1016$", out)
    expect(r"^FAILED", out)


def verify_deleted():
    _, entries = ledger()
    del entries[index_of(entries, "M002", 4)]
    path = dump("deleted.jsonl", entries)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, code=1)
    expect(r"^member M002, seq 5: hash chain: sequence 5 where 4 was expected", out)


def verify_reordered():
    _, entries = ledger()
    i, j = index_of(entries, "M003", 2), index_of(entries, "M003", 3)
    entries[i], entries[j] = entries[j], entries[i]
    path = dump("reordered.jsonl", entries)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, code=1)
    expect(r"^member M003, seq 3: hash chain: sequence 3 where 2 was expected", out)


def verify_edited_event():
    path, _ = ledger()
    lines = journal_lines()
    lines[1] = lines[1].replace('"price":"186800.00"', '"price":"196800.00"')
    events = write("edited-event.jsonl", lines)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", path, code=1)
    expect(r"^member M001, seq 3: differs from replay: amount, balance, figures, reason$", out)
    expect(r"^  amount:  stored 1868, replayed 1968$", out)
    expect(r"^  balance: stored \d+, replayed \d+$", out)
    # 1868 = 186,800.00 x 0.01 rounded down: the figures an auditor re-derives, both sides.
    expect(r'^  figures: stored \{"base":"186800.00","factors":\["0.01"\],"rounded":1868,"rounding":"down"\}, '
           r'replayed \{"base":"196800.00","factors":\["0.01"\],"rounded":1968,"rounding":"down"\}$', out)
    expect(r'^  reason:  stored ".*", replayed ".*"$', out)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", path, "--json", code=1)
    doc = json.loads(out)
    assert [p["member"] for p in doc["problems"]] == ["M001"], doc
    assert doc["problems"][0]["differences"][0] == {"field": "amount", "stored": "1868", "replayed": "1968"}, doc


def assertions():
    lines = journal_lines()
    ok = lines + [
        '{"id":"a-1","member":"M001","at":"2027-02-01T10:00:00+08:00","type":"assert_balance","balance":2715}\n',
        '{"id":"a-2","member":"M002","at":"2027-02-01T10:00:00+08:00","type":"assert_balance","balance":-1290}\n',
        '{"id":"a-3","member":"M003","at":"2027-02-01T10:00:00+08:00","type":"assert_balance","balance":0}\n',
        # Before its tick, M001 had 4083 posted; the 1368 due at 2027-02-01 00:00 count already.
    ]
    ok.insert(21, '{"id":"a-0","member":"M001","at":"2027-01-31T16:00:00Z","type":"assert_balance","balance":2715}\n')
    events = write("assert-ok.jsonl", ok)
    path = os.path.join(WORK, "assert-ledger.jsonl")
    out, _ = run("run", "-p", PROGRAM, "-e", events, "--ledger", path)
    expect(r"^balance assertions: 4 checked, 0 failed$", out)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", path)
    expect(r"balance assertions: 4 checked, 0 failed", out)
    bad = lines + ['{"id":"a-9","member":"M001","at":"2027-02-01T10:00:00+08:00","type":"assert_balance","balance":2716}\n']
    events = write("assert-bad.jsonl", bad)
    _, err = run("run", "-p", PROGRAM, "-e", events, code=1)
    expect(r"^balance assertion a-9 failed: member M001 at 2027-02-01T02:00:00Z has 2715 pt, expected 2716 pt", err, "stderr")
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", path, code=1)
    expect(r"^balance assertion a-9 failed", out)
    # An assertion with a missing field is a malformed line.
    events = write("assert-malformed.jsonl", lines + ['{"id":"a-8","member":"M001","type":"assert_balance","balance":1}\n'])
    _, err = run("run", "-p", PROGRAM, "-e", events, code=2)
    expect(r"^malformed line 24: \[loyalty\.assert\.\w+\] \(/at\)", err, "stderr")


def rollforward():
    out, _ = run("report", "rollforward", "-p", PROGRAM, "-e", EVENTS, "--from", "2025-01-01", "--to", "2025-12-31")
    expect(r"^Reconciled: .* \(0 \+ 3288 = 3288\)$", out)
    golden("rollforward-2025.txt", out)
    out, _ = run("report", "rollforward", "-p", PROGRAM, "-e", EVENTS, "--from", "2026-01-01", "--to", "2027-12-31",
                 "--csv")
    golden("rollforward-2026-2027.csv", out)
    out, _ = run("report", "rollforward", "-p", PROGRAM, "-e", EVENTS, "--from", "2026-01-01", "--to", "2027-12-31",
                 "--json")
    doc = json.loads(out)
    t = doc["total"]
    # 2026-27: opening 3288; M001 +250 earned, -1368 expired; M003 -745 expired -> 1425.
    assert (t["opening"], t["earned"], t["expired"], t["closing"], doc["reconciles"]) == (3288, 250, -2113, 1425, True), t
    run("report", "rollforward", "-p", PROGRAM, "-e", EVENTS, "--from", "2026-13-01", "--to", "2027-12-31", code=2)


def edited_program(name, edit):
    """The reference programme with `edit` applied to its JSON, written to WORK/name."""
    with open(PROGRAM, encoding="utf-8") as f:
        prog = json.load(f, parse_float=lambda t: "@@" + t + "@@")
    edit(prog)
    text = re.sub(r'"@@([^"@]*)@@"', r"\1", json.dumps(prog, indent=2))
    return write(name, [text])


def liability():
    out, _ = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2027-02-01", "--redemption-rate", "0.85")
    # 2715 pt held by M001 (statement), worth 2715 x 0.10 = 271.50; x 0.85 = 2307.75 -> 2308 expected to be redeemed.
    expect(r"^  outstanding \(held in lots\)\s+2715\s+271\.50$", out)
    expect(r"^  expected to be redeemed \(x 0\.85\)\s+2308\s+230\.78$", out)
    golden("liability-2027-02-01.txt", out)
    out, _ = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2027-02-01", "--redemption-rate", "0.85",
                 "--csv")
    golden("liability-2027-02-01.csv", out)
    # As of 2025-12-31 nothing has expired yet; the 1368 of the vehicle lot are still held.
    out, _ = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2025-12-31", "--redemption-rate", "0.85",
                 "--json")
    doc = json.loads(out)
    assert (doc["outstanding"], doc["debt"], doc["balance"]) == (3833 + 745, 1290, 3833 - 1290 + 745), doc
    assert doc["total"]["released_on_breakage"] == "0.00", doc["total"]
    # --point-value overrides the programme's 0.10: 4578 pt x 0.20 = 915.60.
    out, _ = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2025-12-31", "--redemption-rate", "0.85",
                 "--point-value", "0.20", "--json")
    doc = json.loads(out)
    assert (doc["outstanding_value"], doc["point_value_from"]) == ("915.60", "--point-value"), doc


def liability_worked_case():
    """The worked case through the command: a vehicle sale of 2,000.00 earning 2,000 points."""
    def one_point_per_yuan(p):
        for r in p["earning_rules"]:
            if r["id"] == "vehicle-purchase":
                r["points_per_unit"] = "1"
    prog = edited_program("one-point-per-yuan.json", one_point_per_yuan)
    events = write("sale.jsonl", [
        '{"id":"s-1","member":"M9","at":"2025-03-01T10:00:00+08:00","type":"enrol","household":"H1"}\n',
        '{"id":"s-2","member":"M9","at":"2025-03-02T10:00:00+08:00","type":"vehicle_purchase","vin":"V1","price":"2000.00"}\n',
    ])
    out, _ = run("report", "liability", "-p", prog, "-e", events, "--as-of", "2025-03-31", "--redemption-rate", "0.85",
                 "--json")
    doc = json.loads(out)
    sale = doc["sales"][0]
    # SSP 2000 x 0.10 x 0.85 = 170; deferred 2000.00 x 170 / 2170 = 156.68; recognised at once 1843.32.
    assert (sale["paid"], sale["points"], sale["points_ssp"], sale["deferred"]) == ("2000.00", 2000, "170", "156.68"), sale
    line = next(l for l in doc["by_rule"] if l["rule"] == "vehicle-purchase")
    assert (line["recognised_at_once"], line["deferred_balance"]) == ("1843.32", "156.68"), line
    # The 500 welcome points came with no sale: 500 x 0.10 x 0.85 = 42.50.
    assert doc["without_sale_value"] == "42.50", doc
    # Rounding down instead: 156.682... -> 156.68 still; the SSP has no cents to round.
    out, _ = run("report", "liability", "-p", prog, "-e", events, "--as-of", "2025-03-31", "--redemption-rate", "0.85",
                 "--rounding", "down", "--json")
    assert json.loads(out)["rounding"] == "down"


def liability_failures():
    base = ["report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2027-02-01"]
    _, err = run(*base, code=2)  # no --redemption-rate
    expect(r"--redemption-rate is required", err, "stderr")
    for rate in ["1.5", "0", "0.8x", "-0.1"]:
        _, err = run(*base, "--redemption-rate", rate, code=2)
        expect(r"\[loyalty\.cli\.invalid_rate\]", err, "stderr")
    _, err = run(*base, "--redemption-rate", "0.85", "--point-value", "0.001", code=2)
    expect(r"\[loyalty\.cli\.invalid_point_value\]", err, "stderr")
    _, err = run(*base, "--redemption-rate", "0.85", "--rounding", "nearest", code=2)
    expect(r"\[loyalty\.cli\.invalid_rounding\]", err, "stderr")
    _, err = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "2027-02-30", "--redemption-rate", "0.85",
                 code=2)
    expect(r"\[loyalty\.cli\.invalid_date\]", err, "stderr")
    # A programme without point_value, and no --point-value: refused, saying what to give.
    prog = edited_program("no-point-value.json", lambda p: p.pop("point_value"))
    _, err = run("report", "liability", "-p", prog, "-e", EVENTS, "--as-of", "2027-02-01", "--redemption-rate", "0.85",
                 code=2)
    expect(r"\[loyalty\.cli\.no_point_value\] programme 4s-club v1 states no point_value: give --point-value", err, "stderr")
    run("report", "liability", "-p", prog, "-e", EVENTS, "--as-of", "2027-02-01", "--redemption-rate", "0.85",
        "--point-value", "0.10")
    # Bad file, bad line.
    _, err = run("report", "liability", "-p", PROGRAM, "-e", os.path.join(WORK, "no-such.jsonl"), "--as-of", "2027-02-01",
                 "--redemption-rate", "0.85", code=2)
    expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr")
    lines = journal_lines()
    lines[4] = "{not json\n"
    events = write("bad-line.jsonl", lines)
    _, err = run("report", "liability", "-p", PROGRAM, "-e", events, "--as-of", "2027-02-01", "--redemption-rate", "0.85",
                 code=2)
    expect(r"^malformed line 5, column 3: \[loyalty\.event\.parse_error\]", err, "stderr")


def compare():
    def double_accessory(p):
        for r in p["earning_rules"]:
            if r["id"] == "accessory-spend":
                r["points_per_unit"] = "1"
    new = edited_program("accessory-doubled.json", double_accessory)
    out, _ = run("report", "compare", "-p", PROGRAM, "-n", new, "-e", EVENTS, "--redemption-rate", "0.85", "--csv")
    golden("compare-accessory-doubled.csv", out)
    rows = {(r[0], r[1]): r[2:] for r in (l.split(",") for l in out.splitlines()[1:])}
    # The only accessory line: 399.00 of floor mats (e-0007): 199.5 -> 199 pt at 0.5, 399 pt at 1.
    assert rows[("points_issued", "accessory-spend")] == ["199", "399", "+200"], rows
    assert rows[("points_issued", "TOTAL")][2] == "+200", rows
    # No benefit changed: every discount is the same.
    assert rows[("discount_given", "TOTAL")][2] == "0.00", rows
    # 200 more points held at 0.10: +20.00. Deferred for e-0007 (1199.00 paid):
    # before 399 x ... : 199 pt, S = 16.915, 1199 x 16.915 / 1215.915 = 16.68; after 399 pt, S = 33.915,
    # 1199 x 33.915 / 1232.915 = 32.982... -> 32.98: +16.30.
    assert rows[("liability_value", "TOTAL")] == ["271.50", "291.50", "+20.00"], rows
    assert rows[("deferred_revenue", "accessory-spend")] == ["16.68", "32.98", "+16.30"], rows
    out, _ = run("report", "compare", "-p", PROGRAM, "-n", new, "-e", EVENTS)
    expect(r"^points issued$", out)
    # Both are "4s-club v1": their digests tell them apart, in the header and in --json.
    m = re.search(r"under 4s-club v1 \(([0-9a-f]{12})\) \(before\) and 4s-club v1 \(([0-9a-f]{12})\) \(after\)", out)
    assert m and m.group(1) != m.group(2), out
    programs = json.loads(run("report", "compare", "-p", PROGRAM, "-n", new, "-e", EVENTS, "--json")[0])["programs"]
    assert programs["before"]["digest"].startswith(m.group(1)) and programs["after"]["digest"].startswith(m.group(2))
    assert (programs["before"]["id"], programs["after"]["version"]) == ("4s-club", 1), programs
    expect(r"^note: no expected redemption rate: deferred revenue not compared$", out)
    out, _ = run("report", "compare", "-p", PROGRAM, "-n", new, "-e", EVENTS, "--json", "--as-of", "2025-06-30")
    doc = json.loads(out)
    total = next(l for l in doc["lines"] if l["measure"] == "points_issued" and l["id"] is None)
    assert total["difference"] == "0", total  # the mats were bought in September
    # Failures: a bad new programme, a bad line.
    _, err = run("report", "compare", "-p", PROGRAM, "-n", os.path.join(WORK, "no-such.json"), "-e", EVENTS, code=2)
    expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr")
    lines = journal_lines()
    lines[2] = lines[2].replace('"type":"enrol"', '"type":"enrol","extra":1')
    _, err = run("report", "compare", "-p", PROGRAM, "-n", new, "-e", write("bad.jsonl", lines), code=2)
    expect(r"^malformed line 3: \[loyalty\.event\.\w+\]", err, "stderr")


def csv_everywhere():
    """--csv on every command that prints a table."""
    out, _ = run("validate", "--csv", PROGRAM)
    expect(r"^file,ok,id,version,error,pointer,message$", out)
    expect(r",yes,4s-club,1,,,$", out)
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--csv")
    assert out.splitlines()[0] == "line,event,member,reason,message", out
    assert out.splitlines()[1].startswith("9,e-0005,M001,duplicate_event,"), out
    assert len(out.splitlines()) == 3, out
    out, _ = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", os.path.join(SRC, "tests/cli/order-wax.json"),
                 "--member", "M001", "--at", "2025-12-01T10:00:00+08:00", "--csv")
    assert out.splitlines()[0] == "#,line,qty,list,net,why", out
    expect(r"^5,part brakes PADS,1,455\.00,409\.50,", out)
    out, _ = run("explain", "-p", PROGRAM, "-e", EVENTS, "e-0003", "--csv")
    expect(r"^6,2025-03-15T01:30:00Z,earn,1016,3384,e-0003/service-spend,service-spend,", out)
    path, entries = ledger()
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, "--csv")
    assert out == "member,seq,problem,stored,replayed\n", out
    entries[index_of(entries, "M001", 6)]["amount"] += 1
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", dump("t.jsonl", entries), "--csv", code=1)
    expect(r"^M001,6,hash chain: amount 1017 is not the 1016 its figures give,", out)
    run("run", "-p", PROGRAM, "-e", EVENTS, "--csv", "--json", code=2)  # one format at a time


def csv_injection():
    """Text a spreadsheet would run as a formula is written as text in CSV (OWASP), numbers stay."""
    lines = journal_lines() + [
        '{"id":"=HYPERLINK(\\"http://x\\")","member":"@SUM(A1)","at":"2027-02-01T10:00:00+08:00",'
        '"type":"adjustment","points":5,"reason":"-2+3+cmd","operator":"staff-07"}\n',
        '{"id":"-2+3","member":"M001","at":"2027-02-01T10:01:00+08:00","type":"adjustment","points":5,'
        '"reason":"goodwill","operator":"staff-07"}\n']
    events = write("injection.jsonl", lines)
    out, _ = run("run", "-p", PROGRAM, "-e", events, "--csv")
    # The unknown member's adjustment is refused: its id and member are written as text.
    expect(r"""^\d+,"'=HYPERLINK\(""http://x""\)",'@SUM\(A1\),unknown_member,""", out)
    # The lot of event "-2+3" is "-2+3/adjustment": text; a negative amount stays a number.
    out, _ = run("explain", "-p", PROGRAM, "-e", events, "-2+3", "--csv")
    expect(r"^\d+,2027-02-01T02:01:00Z,adjust,5,\d+,'-2\+3/adjustment,adjustment,", out)
    out, _ = run("explain", "-p", PROGRAM, "-e", events, "e-0008", "--csv")
    expect(r"^17,2025-11-11T04:00:00Z,adjust,-500,4333,e-0001/welcome,", out)  # -1000 from two lots


def progress():
    """Progress goes to stderr only when it is a terminal."""
    lines = ['{"id":"p-0","member":"P1","at":"2025-01-01T00:00:00Z","type":"enrol"}\n']
    lines += ['{"id":"p-%d","member":"P1","at":"2025-01-01T00:00:%02dZ","type":"tick"}\n' % (i, i // 1000)
              for i in range(1, 20500)]
    events = write("long.jsonl", lines)
    ledger = os.path.join(WORK, "long-ledger.jsonl")
    out, err = run("run", "-p", PROGRAM, "-e", events, "--ledger", ledger)
    expect(r"^applied 20500 events", out)
    if err:
        fail("stderr is not a terminal, yet the run printed: " + err[:200])
    out, err = run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", ledger)
    expect(r"^OK: ", out)
    if err:
        fail("stderr is not a terminal, yet audit verify printed: " + err[:200])
    import pty

    def on_terminal(*args):
        master, slave = pty.openpty()
        p = subprocess.Popen([LOYALTY, *args], stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        out = p.stdout.read().decode()
        p.wait()
        os.close(master)
        if p.returncode != 0:
            fail(f"{args[0]}: exit {p.returncode}")
        return out, seen.decode()

    # The journal is read once, so the share is of its bytes: after journal lines 10000 and
    # 20000, whole per cent of the file's bytes up to the end of that line.
    def share(n):
        return sum(len(line.encode()) for line in lines[:n]) * 100 // sum(len(line.encode()) for line in lines)

    assert (share(10000), share(20000)) == (48, 97)  # the first line is longer than the ticks
    out, text = on_terminal("run", "-p", PROGRAM, "-e", events)
    expect(r"applying journal line 10000: 10000 events, %d%% of the file" % share(10000), text, "terminal")
    expect(r"applying journal line 20000: 20000 events, %d%% of the file" % share(20000), text, "terminal")
    expect(r"^applied 20500 events", out)
    out, text = on_terminal("audit", "verify", "-p", PROGRAM, "-e", events, "-l", ledger)
    expect(r"verifying journal line 20000: 20000 events, %d%% of the file" % share(20000), text, "terminal")
    expect(r"^OK: 1 members, ", out)


def json_errors():
    """Under --json an error is one line of JSON on stderr: id, pointer and message apart."""
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "M999", "--json", code=2)
    doc = json.loads(err)
    assert doc["error"] == "loyalty.cli.unknown_member" and doc["pointer"] == "" and "M999" in doc["message"], doc
    bad = edited_program("bad-rate.json", lambda p: p["earning_rules"][0].update(points_per_unit="0"))
    _, err = run("run", "-p", bad, "-e", EVENTS, "--json", code=2)
    assert err.count("\n") == 1, err
    doc = json.loads(err)
    assert doc["error"] == "loyalty.program.invalid_rate", doc
    assert doc["pointer"] == "/earning_rules/0/points_per_unit", doc
    assert (doc["file"], doc["line"], doc["column"]) == (bad, None, None), doc
    # A syntax error in a programme: the file, and the line and column in it, each a field.
    broken = write("broken.json", ['{\n', '  "id": "x",,\n', '}\n'])
    out, _ = run("validate", broken, "--json", code=1)
    item = json.loads(out)[0]["error"]
    # The parser's column: the second comma.
    assert (item["id"], item["line"], item["column"]) == ("loyalty.program.parse_error", 2, 13), item
    _, err = run("run", "-p", broken, "-e", EVENTS, "--json", code=2)
    doc = json.loads(err)
    assert (doc["error"], doc["file"], doc["line"], doc["column"]) == ("loyalty.program.parse_error", broken, 2, 13), doc
    assert "json.exception" not in doc["message"], doc
    _, err = run("report", "liability", "-p", PROGRAM, "-e", os.path.join(WORK, "no-such.jsonl"), "--as-of",
                 "2027-02-01", "--redemption-rate", "0.85", "--json", code=2)
    assert json.loads(err)["error"] == "loyalty.io.cannot_open", err
    # Without --json, the sentence as before.
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "M999", code=2)
    expect(r"^error: \[loyalty\.cli\.unknown_member\] ", err, "stderr")


def as_of_everywhere():
    """--as-of takes a day (to its end, programme time zone) or an instant (up to and including
    it) in every command: the day and its last second give the same answer."""
    day, last = "2025-07-01", "2025-07-01T23:59:59+08:00"
    mv = os.path.join(SRC, "tests/cli/member-value.jsonl")
    for args in (["statement", "-p", PROGRAM, "-e", EVENTS, "M002"],
                 ["report", "compare", "-p", PROGRAM, "-n", PROGRAM, "-e", EVENTS, "--redemption-rate", "0.85"],
                 ["report", "member-value", "-p", PROGRAM, "-e", mv],
                 ["report", "touch-points", "-p", PROGRAM, "-e", mv]):
        by_day, _ = run(*args, "--as-of", day, "--csv")
        by_instant, _ = run(*args, "--as-of", last, "--csv")
        if by_day != by_instant:
            fail(f"{args[0]} {args[1]}: --as-of {day} and --as-of {last} differ:\n{by_day}\n{by_instant}")

    def balance(as_of):
        out, _ = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", as_of, "--redemption-rate", "0.85",
                     "--json")
        return json.loads(out)["balance"]
    # e-0103 at 2025-07-01T11:00:00+08:00 takes 2000 points from M002: counted from that instant on.
    assert balance("2025-07-01T10:59:59+08:00") - balance("2025-07-01T11:00:00+08:00") == 2000
    assert balance(day) == balance(last) == balance("2025-07-01T11:00:00+08:00")
    out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M002", "--as-of", day)
    # --as-of a day: to its last second in the programme's time zone, shown in that zone.
    expect(r"^Statement of M002 as of 2025-07-01T23:59:59\+08:00", out)
    _, err = run("report", "liability", "-p", PROGRAM, "-e", EVENTS, "--as-of", "yesterday", "--redemption-rate", "0.85",
                 code=2)
    expect(r"\[loyalty\.cli\.invalid_instant\] --as-of 'yesterday' is neither a day such as 2026-03-01 nor", err,
           "stderr")


def help_examples():
    """--version; `loyalty --help` and every command's --help end with the exit codes, and each
    command's example runs as written, from a folder with the repository's examples/ and tests/."""
    out, _ = run("--version")
    expect(r"^loyalty \d+\.\d+\.\d+$", out)
    here = os.path.join(WORK, "help-examples")
    os.makedirs(here, exist_ok=True)
    for name in ("examples", "tests"):
        if not os.path.lexists(os.path.join(here, name)):
            os.symlink(os.path.join(SRC, name), os.path.join(here, name))
    out, _ = run("--help")
    expect(r"^Exit codes: 0 success; 1 problems found", out)
    # `run` before `audit verify` and `audit anchor`, whose examples read the ledger it writes.
    commands = [["validate"], ["run"], ["statement"], ["price"], ["explain"], ["audit", "verify"],
                ["audit", "anchor"], ["report", "rollforward"], ["report", "liability"], ["report", "compare"],
                ["report", "member-value"], ["report", "touch-points"]]
    for cmd in commands:
        out, _ = run(*cmd, "--help")
        expect(r"^Exit codes: 0 success; 1 problems found", out)
        lines = out.splitlines()
        example = lines[lines.index("Example:") + 1].split()
        if example[:1 + len(cmd)] != ["loyalty", *cmd]:
            fail(f"the example of {' '.join(cmd)} is of another command: {' '.join(example)}")
        p = subprocess.run([LOYALTY, *example[1:]], cwd=here, capture_output=True, text=True)
        if p.returncode != 0 or not p.stdout:
            fail(f"the example of {' '.join(cmd)} exits {p.returncode}: {' '.join(example)}\n{p.stdout}\n{p.stderr}")


def failures_everywhere():
    """Every command that reads a programme and a journal: a missing file and a malformed line exit 2."""
    order = os.path.join(SRC, "tests/cli/order-wax.json")
    commands = [
        ["run"], ["statement", "M001"], ["price", "--order", order, "--member", "M001"], ["explain", "e-0003"],
        ["report", "rollforward", "--from", "2025-01-01", "--to", "2025-12-31"],
        ["report", "liability", "--as-of", "2025-12-31", "--redemption-rate", "0.85"],
        ["report", "compare", "-n", PROGRAM],
    ]
    path, entries = ledger()
    commands.append(["audit", "verify", "-l", path])
    lines = journal_lines()
    lines[3] = lines[3].replace('"unit_price":"350.00"', '"unit_price":350.001')  # line 4
    bad = write("bad-line-4.jsonl", lines)
    missing = os.path.join(WORK, "no-such.json")
    for c in commands:
        _, err = run(*c[:2 if c[0] in ("report", "audit") else 1], "-p", missing, "-e", EVENTS,
                     *c[2 if c[0] in ("report", "audit") else 1:], code=2)
        expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr of " + " ".join(c))
        _, err = run(*c[:2 if c[0] in ("report", "audit") else 1], "-p", PROGRAM, "-e", bad,
                     *c[2 if c[0] in ("report", "audit") else 1:], code=2)
        expect(r"^malformed line 4: \[loyalty\.event\.\w+\] \(/lines/0/unit_price\)", err, "stderr of " + " ".join(c))
    # audit verify: an unreadable ledger, and a ledger line that is not an entry.
    _, err = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", missing, code=2)
    expect(r"\[loyalty\.io\.cannot_open\]", err, "stderr")
    broken = write("broken-ledger.jsonl", ["{\"member\":\"M001\"}\n"])
    _, err = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", broken, code=2)
    expect(r"broken-ledger\.jsonl, line 1: \(/seq\)", err, "stderr")


def liability_redemptions():
    """The worked case with real redeem, cancel_redemption and transfer events."""
    def edit(p):
        p["earning_rules"] = [r for r in p["earning_rules"] if r["id"] != "welcome"]
        for r in p["earning_rules"]:
            if r["id"] == "vehicle-purchase":
                r["points_per_unit"] = "1"
    prog = edited_program("no-welcome.json", edit)
    events = write("redemptions.jsonl", [
        '{"id":"s-1","member":"M9","at":"2025-03-01T10:00:00+08:00","type":"enrol","household":"H1"}\n',
        '{"id":"s-2","member":"M9","at":"2025-03-02T10:00:00+08:00","type":"vehicle_purchase","vin":"V1","price":"2000.00"}\n',
        '{"id":"s-3","member":"M8","at":"2025-03-03T10:00:00+08:00","type":"enrol","household":"H1"}\n',
        '{"id":"r-1","member":"M9","at":"2025-04-01T10:00:00+08:00","type":"redeem","reward":"labour-voucher-100"}\n',
        '{"id":"c-1","member":"M9","at":"2025-04-02T10:00:00+08:00","type":"cancel_redemption","redemption":"r-1","reason":"test"}\n',
        '{"id":"t-1","member":"M9","at":"2025-04-03T10:00:00+08:00","type":"transfer","to":"M8","points":300}\n',
        '{"id":"r-2","member":"M8","at":"2025-04-04T10:00:00+08:00","type":"redeem","reward":"car-care-kit"}\n',
    ])
    out, _ = run("run", "-p", prog, "-e", events, "--strict")
    expect(r"^applied 7 events, refused 0", out)

    def report(day):
        out, _ = run("report", "liability", "-p", prog, "-e", events, "--as-of", day, "--redemption-rate", "0.85", "--json")
        doc = json.loads(out)
        assert doc["notes"] == [], doc["notes"]
        return doc
    # 1000 of the sale's 2000 points redeemed for the voucher: 156.68 x 1000 / 1700 = 92.16 released, 64.52 left.
    t = report("2025-04-01")["total"]
    assert (t["deferred"], t["released_on_redemption"], t["deferred_balance"], t["outstanding"]) == \
        ("156.68", "92.16", "64.52", 1000), t
    # The redemption cancelled: the points come back and the release is taken back.
    t = report("2025-04-02")["total"]
    assert (t["released_on_redemption"], t["redeemed"], t["outstanding"]) == ("0.00", 0, 2000), t
    # 300 sent to M8, who spends them on a car-care kit: 156.68 x 300 / 1700 = 27.649... -> 27.65, from the
    # sale's deferred revenue although M8 bought nothing.
    doc = report("2025-04-04")
    t = doc["total"]
    assert (t["released_on_redemption"], t["redeemed"], t["outstanding"], doc["balance"]) == ("27.65", 300, 1700, 1700), t
    # The roll-forward: M9 -300 transferred, M8 +300 transferred and -300 redeemed; 0 transferred in total.
    out, _ = run("report", "rollforward", "-p", prog, "-e", events, "--from", "2025-04-01", "--to", "2025-04-30", "--json")
    doc = json.loads(out)
    m = {l["member"]: l for l in doc["members"]}
    assert (m["M9"]["opening"], m["M9"]["redeemed"], m["M9"]["transferred"], m["M9"]["closing"]) == (2000, 0, -300, 1700), m
    assert (m["M8"]["transferred_in"], m["M8"]["redeemed"], m["M8"]["closing"]) == (300, -300, 0), m
    assert doc["total"]["transferred"] == 0 and doc["total"]["redeemed_by_reward"] == {"car-care-kit": -300, "labour-voucher-100": 0}, doc
    assert doc["reconciles"] is True


def run_db():
    """--db: the store applies the journal; a second run continues from it; re-running is idempotent."""
    db = os.path.join(WORK, "club.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    lines = journal_lines()
    first = write("first.jsonl", lines[:12])
    rest = write("rest.jsonl", lines[12:] + [
        '{"id":"a-1","member":"M001","at":"2027-02-01T10:00:00+08:00","type":"assert_balance","balance":2715}\n',
        # Before M001's last event (the tick of 2027-02-01 09:00), from the stored ledger's running balance.
        '{"id":"a-0","member":"M001","at":"2027-01-31T16:00:00Z","type":"assert_balance","balance":2715}\n'])
    out, _ = run("run", "-p", PROGRAM, "-e", first, "--db", "sqlite:" + db)
    # The first 12 lines hold 12 events, e-0005 twice: 11 applied, the second e-0005 refused as
    # duplicate_event, listed on its line as a run without --db lists it.
    expect(r"^stored in sqlite: applied 11 events, refused 1 \(1 duplicate_event: already stored, or repeated in the "
           r"journal\); the store holds 11 events$", out)
    expect(r"^\s+9\s+e-0005\s+M001\s+duplicate_event\s+event 'e-0005' was already applied$", out)
    # The rest of the journal continues from the stored snapshots (M001 is not enrolled in rest.jsonl).
    path = os.path.join(WORK, "db-ledger.jsonl")
    out, err = run("run", "-p", PROGRAM, "-e", rest, "--db", db, "--ledger", path)
    expect(r"^stored in sqlite: applied 10 events, refused 1 \(0 duplicate_event: already stored, or repeated in the "
           r"journal\); the store holds 21 events$", out)
    expect(r"^\s+\d+\s+e-0014\s+M001\s+benefit_excluded\s", out)
    expect(r"^balance assertions: 2 checked, 0 failed$", out)
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--db", db, "--json")
    doc = json.loads(out)
    # Every accepted event is stored once: the whole journal again adds nothing. The journal's own
    # duplicate line (e-0005 twice) is a duplicate_event like the rest; the refused e-0014 gets the
    # same refusal again, not a new judgement against what the store holds now: the events the
    # run without --db refuses (e-0005's second line, e-0014) have the codes it gives them.
    assert doc["applied"] == 0 and doc["stored_events"] == 21, doc
    reasons = {(r["line"], r["event"]): r["reason"] for r in doc["refused"]}
    assert len(reasons) == 23 and reasons.pop((16, "e-0014")) == "benefit_excluded", doc
    assert set(reasons.values()) == {"duplicate_event"} and (9, "e-0005") in reasons, doc
    assert doc["duplicates"] == 22, doc
    file_run = json.loads(run("run", "-p", PROGRAM, "-e", EVENTS, "--json")[0])
    for r in file_run["refused"]:
        assert doc_reason(doc, r["line"]) == r["reason"], (r, doc)
    # The stored ledger is the in-memory run's ledger, entry for entry (hashes included).
    _, entries = ledger()
    with open(path, encoding="utf-8") as f:
        stored = [json.loads(l) for l in f if l.strip()]
    key = lambda e: (e["member"], e["seq"])
    if sorted(stored, key=key) != sorted(entries, key=key):
        fail("the ledger stored by --db differs from the in-memory run's")
    run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path)
    # A store that cannot be opened is an error with an id, exit 2.
    _, err = run("run", "-p", PROGRAM, "-e", first, "--db", os.path.join(WORK, "no-such-dir", "x.db"), code=2)
    expect(r"loyalty\.store\.", err, "stderr")


def doc_reason(doc, line):
    """The reason a run's --json output gives for the refused event on journal line `line`."""
    return next(r["reason"] for r in doc["refused"] if r["line"] == line)


def anchor():
    """An anchor pins the history up to it: a journal and ledger cut together still replay and
    chain correctly, and only the anchor shows that history went missing; both verifiers agree."""
    path, entries = ledger()
    out, _ = run("audit", "anchor", "-l", path)
    expect(r"^v1:39:[0-9a-f]{64}$", out)
    anchored = out.strip()
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, "--anchor", anchored)
    expect(r"^OK: .*; anchor of the first 39 entries: ok$", out)
    verifier = [sys.executable, os.path.join(SRC, "scripts/verify_ledger.py")]
    p = subprocess.run(verifier + ["--anchor-of", path], capture_output=True, text=True)
    if p.stdout.strip() != anchored:
        fail(f"verify_ledger.py computes the anchor {p.stdout.strip()}, the command {anchored}")
    # An anchor of the first 20 entries is still kept by the whole ledger: later entries are new history.
    out, _ = run("audit", "anchor", "-l", path, "--entries", "20", "--json")
    early = json.loads(out)["anchor"]
    run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, "--anchor", early)
    # The journal cut after its 12th line, and the ledger made from it: consistent, but short.
    cut_events = write("cut.jsonl", journal_lines()[:12])
    cut_ledger = os.path.join(WORK, "cut-ledger.jsonl")
    run("run", "-p", PROGRAM, "-e", cut_events, "--ledger", cut_ledger)
    out, _ = run("audit", "verify", "-p", PROGRAM, "-e", cut_events, "-l", cut_ledger, "--anchor", anchored, code=1)
    expect(r"hash chains and replay: ok", out)
    expect(r"^anchor v1:39:[0-9a-f]{64}: the ledger holds \d+ entries, fewer than the 39 the anchor covers: history was cut$", out)
    p = subprocess.run(verifier + ["--anchor", anchored, cut_ledger], capture_output=True, text=True)
    if p.returncode != 1 or "history was cut" not in p.stdout:
        fail(f"verify_ledger.py --anchor on the cut ledger: exit {p.returncode}\n{p.stdout}{p.stderr}")
    # An entry of the anchored history changed and its member's chain re-hashed from there on.
    forged = [dict(e) for e in entries]
    i = index_of(forged, "M003", 2)
    forged[i]["args"] = dict(forged[i]["args"], note="edited")  # hashed (the reason is rendered, not hashed)
    # Ledger format 5: the member's lines of one event are a group, hashed once (docs/ledger.md);
    # the forger re-hashes the member's every group (the edited entry's group may begin before
    # it), as verify_ledger.py computes them.
    prev = "0" * 64
    sys.path.insert(0, os.path.join(SRC, "scripts"))
    import verify_ledger
    tail = [e for e in forged if e["member"] == "M003"]
    groups = []
    for e in tail:
        if groups and (e["prev_hash"], e["hash"]) == (groups[-1][0]["prev_hash"], groups[-1][0]["hash"]):
            groups[-1].append(e)
        else:
            groups.append([e])
    for group in groups:
        for e in group:
            e["prev_hash"] = prev
        digest = verify_ledger.group_hash(group)
        for e in group:
            e["hash"] = digest
        prev = digest
    forged_path = dump("forged.jsonl", forged)
    p = subprocess.run(verifier + [forged_path], capture_output=True, text=True)
    if p.returncode != 0:
        fail("the re-forged chain should pass the chain check alone:\n" + p.stdout)
    p = subprocess.run(verifier + ["--anchor", anchored, forged_path], capture_output=True, text=True)
    if p.returncode != 1 or "are not those anchored" not in p.stdout:
        fail(f"verify_ledger.py --anchor on the forged ledger: exit {p.returncode}\n{p.stdout}{p.stderr}")
    _, err = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, "-l", path, "--anchor", "v1:39:abc", code=2)
    expect(r"loyalty\.ledger\.invalid_anchor", err, "stderr")


# --- price --compare-with: the estimate against the final bill -----------------------------

def waxing_journal(*between):
    """W1 enrolled in 2025 with 2 of the 4 waxings of 2025 used by 1 June; `between`: more lines."""
    wax = ('{{"id":"{0}","member":"W1","at":"{1}","type":"repair_order","status":"closed","lines":[{{"kind":"labour",'
           '"category":"care","operation":"WAX-FULL","quantity":"{2}","unit_price":"280.00"}}]}}\n')
    return wax, write("waxing.jsonl", [
        '{"id":"w0","member":"W1","at":"2025-01-05T10:00:00+08:00","type":"enrol"}\n',
        wax.format("w1", "2025-03-01T10:00:00+08:00", 1), wax.format("w2", "2025-05-01T10:00:00+08:00", 1),
        *[wax.format(*b) for b in between]])


def visit(name, ro_id, at, extra=""):
    """A visit of W1: a waxing, a maintenance service and an oil filter (+ `extra` lines)."""
    return write(name, ['{"id":"%s","ro":"RO-W-1","member":"W1","at":"%s","lines":['
                        '{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"},'
                        '{"kind":"labour","category":"maintenance","operation":"SERVICE-B","unit_price":"300.00"},'
                        '{"kind":"part","category":"filters","operation":"OIL-FILTER","unit_price":"45.00"}%s]}\n'
                        % (ro_id, at, extra)])


def bill_same():
    """The bill is the estimate's lines, closed two days later and already in the journal: the
    bill is not counted against itself, nothing was used in between, so they agree."""
    wax, _ = waxing_journal()
    # The closed bill itself is in the journal (id ro-w-9): it takes waxing use 3 of 4.
    events = write("waxing-same.jsonl", open(os.path.join(WORK, "waxing.jsonl")).readlines() + [
        '{"id":"ro-w-9","ro":"RO-W-1","member":"W1","at":"2025-06-03T10:00:00+08:00","type":"repair_order",'
        '"status":"closed","lines":[{"kind":"labour","category":"care","operation":"WAX-FULL","unit_price":"280.00"},'
        '{"kind":"labour","category":"maintenance","operation":"SERVICE-B","unit_price":"300.00"},'
        '{"kind":"part","category":"filters","operation":"OIL-FILTER","unit_price":"45.00"}]}\n'])
    estimate = visit("estimate.json", "est-1", "2025-06-01T10:00:00+08:00")
    final = visit("final.json", "ro-w-9", "2025-06-03T10:00:00+08:00")
    # Both: waxing free (use 3 of 4) 0.00 + service 0.7 x 300.00 = 210.00 + filter 0.9 x 45.00 = 40.50 -> 250.50.
    out, _ = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final)
    expect(r"^Estimate RO-W-1 at 2025-06-01T10:00:00\+08:00 against the final bill RO-W-1 at 2025-06-03T10:00:00\+08:00 "
           r"for W1 "
           r"\(programme 4s-club v1, CNY\)$", out)
    expect(r"^The final bill agrees with the estimate line by line\.$", out)
    expect(r"^estimate 250\.50, final bill 250\.50, difference 0\.00$", out)
    doc = json.loads(run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final, "--json")[0])
    assert (doc["same"], doc["estimate_total"], doc["final_total"], doc["change"], doc["differences"]) == \
        (True, "250.50", "250.50", "0.00", []), doc
    out, _ = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final, "--csv")
    assert out == "est #,bill #,line,difference,estimate,final,change,why\n", out


def bill_extra_line():
    """M001's estimate of tests/cli/order-wax.json (1398.50, see price()) and the bill with an air filter added."""
    order = os.path.join(SRC, "tests/cli/order-wax.json")
    with open(order, encoding="utf-8") as f:
        doc = json.load(f)
    doc["lines"].append({"kind": "part", "category": "filters", "operation": "AIR-FILTER", "unit_price": "88.00"})
    final = write("final-extra.json", [json.dumps(doc)])
    at = ["--at", "2025-12-01T10:00:00+08:00", "--final-at", "2025-12-01T10:00:00+08:00"]
    # The filter: parts-10-off pays 0.9 x 88.00 = 79.20; 1398.50 + 79.20 = 1477.70.
    out, _ = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", order, "-m", "M001", *at, "--compare-with", final)
    expect(r"^  est #\s+bill #\s+line\s+difference\s+estimate\s+final\s+change\s+why$", out)
    expect(r"^\s+6\s+part filters AIR-FILTER\s+line_added\s+0\.00\s+79\.20\s+\+79\.20\s+added: 79\.20$", out)
    expect(r"^estimate 1398\.50, final bill 1477\.70, difference \+79\.20$", out)
    assert out.count("\n") == 4, out  # heading, table header, one difference, totals
    doc = json.loads(run("price", "-p", PROGRAM, "-e", EVENTS, "--order", order, "-m", "M001", *at,
                         "--compare-with", final, "--json")[0])
    assert (doc["member"], doc["same"], doc["change"]) == ("M001", False, "79.20"), doc
    assert doc["differences"] == [{"kind": "line_added", "estimate_line": None, "final_line": 6,
                                   "line": "part filters AIR-FILTER", "estimate_net": "0.00", "final_net": "79.20",
                                   "change": "79.20", "reason": "part filters AIR-FILTER added: 79.20",
                                   "quota_changes": []}], doc
    out, _ = run("price", "-p", PROGRAM, "-e", EVENTS, "--order", order, "-m", "M001", *at, "--compare-with", final,
                 "--csv")
    assert out.splitlines() == ["est #,bill #,line,difference,estimate,final,change,why",
                                ",6,part filters AIR-FILTER,line_added,0.00,79.20,+79.20,part filters AIR-FILTER added: 79.20"], out


def bill_used_up():
    """The estimate (1 June) gives waxing use 3 of 4; an order of 3 June takes 2 waxings, so the
    bill (5 June) finds 4 of 4 used and charges the waxing."""
    _, events = waxing_journal(("w3", "2025-06-03T10:00:00+08:00", 2))
    estimate = visit("estimate.json", "est-1", "2025-06-01T10:00:00+08:00")
    final = visit("final.json", "final-1", "2025-06-05T10:00:00+08:00")
    # Estimate: 0.00 + 210.00 + 40.50 = 250.50. Bill: 280.00 + 210.00 + 40.50 = 530.50; +280.00.
    out, _ = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final)
    expect(r"^\s+1\s+1\s+labour care WAX-FULL\s+benefit_changed\s+0\.00\s+280\.00\s+\+280\.00\s+"
           r"benefits waxing -280\.00 -> none, net 0\.00 -> 280\.00; waxing: used up since the estimate: "
           r"2 of 4 used at the estimate, 4 of 4 at the bill in calendar_year 2025-01-01\.\.2025-12-31 "
           r"\(2 used in between\); 280\.00 off -> 0\.00$", out)
    expect(r"^estimate 250\.50, final bill 530\.50, difference \+280\.00$", out)
    doc = json.loads(run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final,
                         "--json")[0])
    assert (doc["estimate"]["net_total"], doc["final"]["net_total"], doc["change"]) == ("250.50", "530.50", "280.00")
    assert (doc["estimate"]["at"], doc["final"]["at"]) == ("2025-06-01T02:00:00Z", "2025-06-05T02:00:00Z"), doc
    [d] = doc["differences"]
    assert (d["kind"], d["estimate_line"], d["final_line"], d["change"]) == ("benefit_changed", 1, 1, "280.00"), d
    period = {"period": "calendar_year", "from": "2025-01-01", "to": "2025-12-31", "allowed": 4}
    assert d["quota_changes"] == [{"benefit": "waxing", "used_up": True, "used_in_between": 2,
                                   "estimate": {**period, "used": 2, "uses": 1, "discount": "280.00"},
                                   "final": {**period, "used": 4, "uses": 0, "discount": "0.00"}}], d
    out, _ = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final, "--csv")
    import csv
    rows = list(csv.reader(out.splitlines()))
    assert len(rows) == 2 and rows[1][:7] == ["1", "1", "labour care WAX-FULL", "benefit_changed", "0.00", "280.00",
                                              "+280.00"], out
    assert rows[1][7] == d["reason"] and "waxing: used up since the estimate: 2 of 4" in d["reason"], out
    # --final-at before the order of 3 June: nothing used in between, the same bill.
    out, _ = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", final,
                 "--final-at", "2025-06-02T10:00:00+08:00")
    expect(r"^estimate 250\.50, final bill 250\.50, difference 0\.00$", out)


def bill_failures():
    """Bad input exits 2 with the error id (and pointer)."""
    _, events = waxing_journal()
    estimate = visit("estimate.json", "est-1", "2025-06-01T10:00:00+08:00")
    missing = os.path.join(WORK, "no-such.json")
    _, err = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", missing, code=2)
    expect(r"\[loyalty\.io\.cannot_open\] cannot open '.*no-such\.json'", err, "stderr")
    with open(visit("bad.json", "f", "2025-06-05T10:00:00+08:00"), encoding="utf-8") as f:
        bad = write("bad.json", [f.read().replace('"unit_price":"280.00"', '"unit_price":"28x"')])
    _, err = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", bad, code=2)
    expect(r"^error: \[loyalty\.event\.\w+\] \S*bad\.json: \(/lines/0/unit_price\) ", err, "stderr")
    write("broken.json", ['{"lines": [\n'])
    _, err = run("price", "-p", PROGRAM, "-e", events, "--order", estimate,
                 "--compare-with", os.path.join(WORK, "broken.json"), code=2)
    expect(r"^error: \[loyalty\.\w+\.\w+\] \S*broken\.json, line 2, column 1: ", err, "stderr")
    _, err = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", estimate, "-m", "W9", code=2)
    expect(r"\[loyalty\.cli\.unknown_member\] member 'W9'", err, "stderr")
    other = write("other.json", [open(estimate).read().replace('"member":"W1"', '"member":"W2"')])
    _, err = run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--compare-with", other, code=2)
    expect(r"\[loyalty\.cli\.member_mismatch\] \(/member\) .*'W2'.*'W1'", err, "stderr")
    run("price", "-p", PROGRAM, "-e", events, "--order", estimate, "--final-at", "2025-06-05T10:00:00+08:00", code=2)


def cjk_width():
    """Tables align by the columns a terminal gives the text: a member id 王芳 is four columns wide,
    a combining accent none (Python's unicodedata says so independently of the C library)."""
    import unicodedata

    def columns(text):
        return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
                   for c in text)

    events = write("cjk.jsonl", [
        '{"id":"k1","member":"M001","at":"2025-01-10T10:00:00+08:00","type":"enrol"}\n',
        # Three adjustments for members who never enrolled: refused, each listed with its member.
        '{"id":"k2","member":"王芳","at":"2025-01-11T10:00:00+08:00","type":"adjustment","points":5,'
        '"reason":"r","operator":"o"}\n',
        '{"id":"k3","member":"M002","at":"2025-01-11T11:00:00+08:00","type":"adjustment","points":5,'
        '"reason":"r","operator":"o"}\n',
        '{"id":"k4","member":"Rene\u0301e","at":"2025-01-11T12:00:00+08:00","type":"adjustment","points":5,'
        '"reason":"r","operator":"o"}\n'])
    out, _ = run("run", "-p", PROGRAM, "-e", events)
    rows = [l for l in out.splitlines() if re.match(r"^\s+\d+\s+k[234]\s", l)]
    assert len(rows) == 3, out
    # The reason column starts at the same column on every row, counted as a terminal shows it.
    starts = {columns(l[:l.index("unknown_member")]) for l in rows}
    assert len(starts) == 1, (starts, out)


def wrapped_tables():
    """On a terminal narrower than a table, its last column (a reason) wraps under itself; --wide
    and output to a file or a pipe keep every line whole (LOYALTY_COLUMNS stands for the terminal)."""
    whole, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001")
    assert max(len(l) for l in whole.splitlines()) > 120, whole  # a pipe: nothing wrapped
    os.environ["LOYALTY_COLUMNS"] = "120"
    try:
        out, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001")
        wide, _ = run("statement", "-p", PROGRAM, "-e", EVENTS, "M001", "--wide")
    finally:
        del os.environ["LOYALTY_COLUMNS"]
    assert wide == whole, wide
    lines = out.splitlines()
    assert max(len(l) for l in lines) <= 120, out
    # The same words in the same order: the wrapped text is the whole text, cut at spaces.
    assert out.split() == whole.split(), out
    # Entry 13's reason continues on the next line, starting under the reason column.
    i = next(k for k, l in enumerate(lines) if re.match(r"^\s+13\s", l))
    reason_at = lines[i].index("accessory-spend: ")
    assert lines[i + 1][:reason_at].strip() == "" and lines[i + 1][reason_at] != " ", lines[i:i + 2]


if __name__ == "__main__":
    main([anchor, run_db, validate_ok, validate_bad, bad_file, run_ok, bad_line, run_outputs, unknown_member, statement,
          statement_tiers, price, explain, verify_ok, python_verifier, verify_tampered, verify_deleted,
          verify_reordered, verify_edited_event, assertions, rollforward, liability, liability_worked_case,
          liability_failures, compare, csv_everywhere, csv_injection, progress, help_examples, as_of_everywhere, json_errors, failures_everywhere, liability_redemptions,
          bill_same, bill_extra_line, bill_used_up, bill_failures, cjk_width, wrapped_tables])
