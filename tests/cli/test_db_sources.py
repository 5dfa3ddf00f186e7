#!/usr/bin/python3
"""Drives the built `loyalty` for the cli.db_* CTest tests: the reading commands (statement,
audit verify and anchor, report rollforward, liability and compare) with --db URL, the store
that is the system of record, instead of journal and ledger files.

usage: test_db_sources.py LOYALTY SOURCE_DIR WORK_DIR SCENARIO

The store is filled by `loyalty run --db` from the sample journal; every reading command must
then print from --db what it prints from --events of the same events, byte for byte.
Scenario `postgresql` needs LOYALTY_TEST_PG (scripts/with-postgres.sh sets it) and psql; it
exits 77 (ctest's "skipped") with a message when either is missing.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

from cli_driver import EVENTS, PROGRAM, WORK, expect, fail, journal_lines, main, run, write


def same(what, from_file, from_db):
    if from_file != from_db:
        import difflib
        fail(what + ": --db differs from --events:\n" +
             "".join(difflib.unified_diff(from_file.splitlines(True), from_db.splitlines(True), "--events", "--db")))


def fresh_sqlite(name, events=EVENTS):
    """A new SQLite store holding `events`, applied by `loyalty run --db`."""
    path = os.path.join(WORK, name)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    run("run", "-p", PROGRAM, "-e", events, "--db", "sqlite:" + path)
    return path


def file_ledger(name, events=EVENTS):
    """The ledger an in-memory `loyalty run --ledger` writes for `events`."""
    path = os.path.join(WORK, name)
    run("run", "-p", PROGRAM, "-e", events, "--ledger", path)
    return path


FORMATS = ([], ["--json"], ["--csv"])


def compare_reads(db_url, events=EVENTS):
    """Every reading command prints from --db what it prints from --events, in every format."""
    ledger = file_ledger("same-ledger.jsonl", events)
    for member in ("M001", "M002", "M003"):
        for fmt in FORMATS:
            same(f"statement {member} {fmt}", run("statement", "-p", PROGRAM, "-e", events, member, *fmt)[0],
                 run("statement", "-p", PROGRAM, "--db", db_url, member, *fmt)[0])
    # Before M001's last event, and before M002 was referred: a replay cut at --as-of.
    for as_of in ("2025-05-31T00:00:00+08:00", "2025-09-08T14:30:00+08:00"):
        same(f"statement M001 --as-of {as_of}",
             run("statement", "-p", PROGRAM, "-e", events, "M001", "--as-of", as_of, "--json")[0],
             run("statement", "-p", PROGRAM, "--db", db_url, "M001", "--as-of", as_of, "--json")[0])
    for period in (("2025-01-01", "2025-12-31"), ("2026-01-01", "2027-12-31")):
        for fmt in FORMATS:
            same(f"rollforward {period} {fmt}",
                 run("report", "rollforward", "-p", PROGRAM, "-e", events, "--from", period[0], "--to", period[1], *fmt)[0],
                 run("report", "rollforward", "-p", PROGRAM, "--db", db_url, "--from", period[0], "--to", period[1], *fmt)[0])
    for as_of in ("2025-12-31", "2027-02-01"):
        for fmt in FORMATS:
            args = ["--as-of", as_of, "--redemption-rate", "0.85", *fmt]
            same(f"liability {as_of} {fmt}", run("report", "liability", "-p", PROGRAM, "-e", events, *args)[0],
                 run("report", "liability", "-p", PROGRAM, "--db", db_url, *args)[0])
    for fmt in FORMATS:
        # From a store, verify also checks its snapshots and reward stock, and says so.
        same(f"verify {fmt}", run("audit", "verify", "-p", PROGRAM, "-e", events, "-l", ledger, *fmt)[0],
             run("audit", "verify", "-p", PROGRAM, "--db", db_url, *fmt)[0].replace(
                 "; snapshots: 0 differ; reward stock: 0 differ", ""))
        same(f"anchor {fmt}", run("audit", "anchor", "-l", ledger, *fmt)[0], run("audit", "anchor", "--db", db_url, *fmt)[0])


def doubled_accessory_program():
    with open(PROGRAM, encoding="utf-8") as f:
        text = f.read()
    # accessory-spend earns 1 point per 1.00 instead of 0.5 (as cli.compare's what-if).
    changed = re.sub(r'("id"\s*:\s*"accessory-spend"[^}]*?"points_per_unit"\s*:\s*)"0\.5"', r'\1"1"', text, count=1)
    if changed == text:
        fail("could not double accessory-spend in the reference programme")
    return write("accessory-doubled.json", [changed])


# --- scenarios -----------------------------------------------------------------------------

def db_same_output():
    """statement, reports, verify and anchor: --db of the store `run --db` filled from the
    sample journal prints what --events of the journal prints, byte for byte, in every format."""
    db = fresh_sqlite("club.db")
    compare_reads("sqlite:" + db)
    # A plain path is a SQLite store too, as for `run --db`.
    same("statement plain path", run("statement", "-p", PROGRAM, "-e", EVENTS, "M001")[0],
         run("statement", "-p", PROGRAM, "--db", db, "M001")[0])
    # The hand-worked figures (cli.run_ok, cli.rollforward), read from the store.
    balances = {m: json.loads(run("statement", "-p", PROGRAM, "--db", db, m, "--json")[0])["balance"]
                for m in ("M001", "M002", "M003")}
    if balances != {"M001": 2715, "M002": -1290, "M003": 0}:
        fail(f"balances from the store {balances}")
    doc = json.loads(run("report", "rollforward", "-p", PROGRAM, "--db", db, "--from", "2026-01-01", "--to", "2027-12-31",
                         "--json")[0])
    t = doc["total"]
    # 2026-27: opening 3288; M001 +250 earned, -1368 expired; M003 -745 expired -> 1425 = 2715 - 1290 + 0.
    assert (t["opening"], t["earned"], t["expired"], t["closing"], doc["reconciles"]) == (3288, 250, -2113, 1425, True), t
    out, _ = run("report", "liability", "-p", PROGRAM, "--db", db, "--as-of", "2027-02-01", "--redemption-rate", "0.85")
    # 2715 pt held by M001, worth 2715 x 0.10 = 271.50.
    expect(r"^  outstanding \(held in lots\)\s+2715\s+271\.50$", out)
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db)
    # 39 entries: the sample journal's ledger (cli.run_ok); a store holds no balance assertions.
    expect(r"^OK: 3 members, 39 entries; hash chains and replay: ok; snapshots: 0 differ; reward stock: 0 differ; "
           r"balance assertions: 0 checked, 0 failed$", out)
    # Reading left the store as it was.
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--db", db, "--json")
    assert json.loads(out)["stored_events"] == 21, out
    _, err = run("statement", "-p", PROGRAM, "--db", "sqlite:" + db, "M999", code=2)
    expect(r"^error: \[loyalty\.cli\.unknown_member\] member 'M999' has no accepted events in sqlite:" + re.escape(db) +
           r" up to 2027-02-01T01:00:00Z$", err, "stderr")


def db_compare():
    """report compare --db: what the store accepted, under both programmes. A journal the store
    refused nothing of reads the same from --db as from --events; the sample journal's refused
    events are not in the store's journal, and the report says so."""
    new = doubled_accessory_program()
    # The sample journal without its two refused lines (the second e-0005 and e-0014).
    lines = [l for i, l in enumerate(journal_lines(), 1) if i not in (9, 16)]
    clean = write("accepted-only.jsonl", lines)
    db = fresh_sqlite("accepted.db", clean)
    for fmt in ([], ["--json"], ["--csv"]):
        args = ["-n", new, "--redemption-rate", "0.85", *fmt]
        from_file = run("report", "compare", "-p", PROGRAM, "-e", clean, *args)[0]
        from_db = run("report", "compare", "-p", PROGRAM, "--db", "sqlite:" + db, *args)[0]
        if not fmt:  # the header names the source
            from_file = from_file.replace(clean, "SOURCE", 1)
            from_db = from_db.replace("sqlite:" + db, "SOURCE", 1)
        same(f"compare {fmt}", from_file, from_db)
    rows = {(r[0], r[1]): r[2:] for r in (l.split(",") for l in from_db.splitlines()[1:])}
    # The floor mats of e-0007 (399.00): 199 pt at 0.5 a yuan, 399 at 1 (cli.compare).
    assert rows[("points_issued", "accessory-spend")] == ["199", "399", "+200"], rows
    assert rows[("liability_value", "TOTAL")] == ["271.50", "291.50", "+20.00"], rows

    full = fresh_sqlite("club.db")
    doc_file = json.loads(run("report", "compare", "-p", PROGRAM, "-n", new, "-e", EVENTS, "--json")[0])
    doc_db = json.loads(run("report", "compare", "-p", PROGRAM, "-n", new, "--db", full, "--json")[0])
    assert doc_db["lines"] == doc_file["lines"], (doc_db["lines"], doc_file["lines"])
    # 21 accepted either way; the file's 2 refused lines (e-0005 again, e-0014) are no events of the store.
    assert (doc_file["accepted"], doc_file["refused"]) == ({"before": 21, "after": 21}, {"before": 2, "after": 2}), doc_file
    assert (doc_db["accepted"], doc_db["refused"]) == ({"before": 21, "after": 21}, {"before": 0, "after": 0}), doc_db
    note = "the store refused 1 event(s) and keeps them apart from its journal: they are judged under neither programme"
    assert note in doc_db["notes"] and note not in doc_file["notes"], doc_db["notes"]
    out, _ = run("report", "compare", "-p", PROGRAM, "-n", new, "--db", "sqlite:" + full)
    expect(r"^What-if: sqlite:" + re.escape(full) + r" under 4s-club v1 \([0-9a-f]{12}\) \(before\)", out)
    expect(r"^note: the store refused 1 event\(s\)", out)


def changed(text, old, new):
    """`text` with `old` replaced by `new`, which must be there."""
    assert old in text, text[:200]
    return text.replace(old, new)


def edit_store(db, select, change, params=lambda row: ()):
    """Tampers with the SQLite store `db` as an intruder would: reads the row `select` finds,
    runs `change` with `params(row)`, in one transaction. Returns the row as it was."""
    con = sqlite3.connect(db)
    with con:
        row = con.execute(select).fetchone()
        con.execute(change, params(row))
    con.close()
    return row


def db_verify_tampered():
    """audit verify --db checks the stored ledger against a replay of the stored journal: an
    entry changed in the database is found, named by member and seq."""
    db = fresh_sqlite("tampered.db")
    run("audit", "verify", "-p", PROGRAM, "--db", db)
    (before,) = edit_store(db, "SELECT amount FROM entries WHERE member = 'M001' AND seq = 6",
                           "UPDATE entries SET amount = amount + 1, balance = balance + 1 WHERE member = 'M001' AND seq = 6")
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, code=1)
    expect(r"^member M001, seq 6: hash chain: ", out)
    expect(rf"^  amount:  stored {before + 1}, replayed {before}$", out)
    expect(r"^  balance: stored -?\d+, replayed -?\d+$", out)
    expect(r"^FAILED: 3 members, 39 entries; hash chains and replay: 1 member\(s\) differ;", out)
    doc = json.loads(run("audit", "verify", "-p", PROGRAM, "--db", db, "--json", code=1)[0])
    assert doc["ok"] is False and [(p["member"], p["seq"]) for p in doc["problems"]] == [("M001", 6)], doc["problems"]
    assert doc["problems"][0]["stored"]["amount"] == before + 1 and doc["problems"][0]["replayed"]["amount"] == before
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, "--csv", code=1)
    assert out.splitlines()[1].startswith("M001,6,hash chain: "), out

    # An entry deleted from the store: M003's last event wrote two entries, one group with one
    # hash (ledger format 5), so the chain itself finds the group cut short.
    db = fresh_sqlite("deleted.db")
    (last,) = edit_store(db, "SELECT MAX(seq) FROM entries WHERE member = 'M003'",
                         "DELETE FROM entries WHERE member = 'M003' AND seq = ?", lambda row: row)
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, code=1)
    expect(rf"^member M003, seq {last - 1}: hash chain: hash does not match the content of the group of entries "
           rf"{last - 1}-{last - 1} \(event e-0203\)$", out)
    # An event of the stored journal edited: the chains hold, replay differs.
    db = fresh_sqlite("edited.db")
    edit_store(db, "SELECT body FROM events WHERE id = 'e-0007'", "UPDATE events SET body = ? WHERE id = 'e-0007'",
               lambda row: (changed(row[0], '"399.00"', '"599.00"'),))
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, code=1)
    expect(r"^member M001, seq \d+: differs from replay: ", out)
    # A member's snapshot edited (what the next append would build on): named, with no entry lines.
    db = fresh_sqlite("snapshot.db")
    (_, last_seq) = edit_store(db, "SELECT state, last_seq FROM snapshots WHERE member = 'M002'",
                               "UPDATE snapshots SET state = ? WHERE member = 'M002'",
                               lambda row: (changed(row[0], '"debt":1290', '"debt":0'),))
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, code=1)
    expect(rf"^member M002, seq {last_seq}: snapshot: the snapshot of member 'M002' does not match its seal", out)
    expect(r"^FAILED: 3 members, 39 entries; hash chains and replay: ok; snapshots: 1 differ; reward stock: 0 differ;", out)
    assert "stored:" not in out, out
    doc = json.loads(run("audit", "verify", "-p", PROGRAM, "--db", db, "--json", code=1)[0])
    assert [(p["member"], p["about"], p["stored"]) for p in doc["problems"]] == [("M002", "snapshot", None)], doc


def db_anchor():
    """audit anchor --db prints the anchor of the ledger file `run --ledger` writes for the same
    journal; verify --db --anchor checks the store against an anchor written down earlier."""
    db = fresh_sqlite("anchor.db")
    ledger = file_ledger("anchor-ledger.jsonl")
    anchored = run("audit", "anchor", "-l", ledger)[0].strip()
    expect(r"^v1:39:[0-9a-f]{64}$", anchored)
    same("anchor", anchored, run("audit", "anchor", "--db", "sqlite:" + db)[0].strip())
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", db, "--anchor", anchored)
    expect(r"^OK: .*; anchor of the first 39 entries: ok$", out)
    # The first N entries in the order written: the store's, put in that order, give the file's anchor
    # for every N (M002's first paid visit e-0102 posts two entries to M002, then M001's referral
    # reward: N = 15 and 16 cut inside it, where an order by event and member would put M001 first).
    for n in range(1, 40):
        want = json.loads(run("audit", "anchor", "-l", ledger, "--entries", str(n), "--json")[0])
        got = json.loads(run("audit", "anchor", "--db", db, "-p", PROGRAM, "--entries", str(n), "--json")[0])
        if got != want:
            fail(f"--entries {n}: from the store {got}, from the file {want}")
    early = json.loads(run("audit", "anchor", "-l", ledger, "--entries", "20", "--json")[0])["anchor"]
    run("audit", "verify", "-p", PROGRAM, "--db", db, "--anchor", early)
    # A store holding only the journal's first 12 lines: consistent, but short of the anchor.
    cut = fresh_sqlite("cut.db", write("cut.jsonl", journal_lines()[:12]))
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", cut, "--anchor", anchored, code=1)
    expect(r"hash chains and replay: ok", out)
    expect(r"^anchor v1:39:[0-9a-f]{64}: the ledger holds \d+ entries, fewer than the 39 the anchor covers: history was cut$",
           out)
    _, err = run("audit", "anchor", "--db", db, "--entries", "5", code=2)
    expect(r"\[loyalty\.cli\.invalid_option\] --entries with --db needs --program", err, "stderr")


def db_errors():
    """Both or neither source, --ledger with --db, a store that is not there: clear errors,
    exit 2, and no database created by reading."""
    db = fresh_sqlite("club.db")
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "--db", db, "M001", code=2)
    expect(r"^error: \[loyalty\.cli\.invalid_option\] give the journal once: --events FILE or --db URL, not both", err, "stderr")
    for cmd in (["statement", "M001"], ["report", "rollforward", "--from", "2025-01-01", "--to", "2025-12-31"],
                ["report", "liability", "--as-of", "2025-12-31", "--redemption-rate", "0.85"],
                ["report", "compare", "-n", PROGRAM], ["audit", "verify"]):
        _, err = run(*cmd, "-p", PROGRAM, code=2)
        expect(r"^error: \[loyalty\.cli\.invalid_option\] give the journal: --events FILE or --db URL$", err, "stderr")
    _, err = run("audit", "verify", "-p", PROGRAM, "--db", db, "-l", file_ledger("l.jsonl"), code=2)
    expect(r"\[loyalty\.cli\.invalid_option\] --ledger with --db", err, "stderr")
    _, err = run("audit", "verify", "-p", PROGRAM, "-e", EVENTS, code=2)
    expect(r"\[loyalty\.cli\.invalid_option\] --events needs --ledger", err, "stderr")
    _, err = run("audit", "anchor", code=2)
    expect(r"\[loyalty\.cli\.invalid_option\] give the ledger: --ledger L\.jsonl or --db URL, exactly one", err, "stderr")
    _, err = run("audit", "anchor", "-l", file_ledger("l.jsonl"), "--db", db, code=2)
    expect(r"\[loyalty\.cli\.invalid_option\]", err, "stderr")

    # A store that does not exist is not created by reading it.
    missing = os.path.join(WORK, "no-such.db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(missing + suffix):
            os.remove(missing + suffix)
    for cmd in (["statement", "M001", "-p", PROGRAM], ["audit", "verify", "-p", PROGRAM], ["audit", "anchor"],
                ["report", "rollforward", "-p", PROGRAM, "--from", "2025-01-01", "--to", "2025-12-31"]):
        for url in ("sqlite:" + missing, missing):
            _, err = run(*cmd, "--db", url, code=2)
            expect(r"^error: \[loyalty\.io\.cannot_open\] cannot open '" + re.escape(missing) + r"': no such database file",
                   err, "stderr")
            if os.path.exists(missing):
                fail(f"loyalty {' '.join(cmd)} --db {url} created {missing}")
    # Nor are the store's tables added to a SQLite database of something else, or to an empty file.
    other = os.path.join(WORK, "other.db")
    if os.path.exists(other):
        os.remove(other)
    con = sqlite3.connect(other)
    with con:
        con.execute("CREATE TABLE customers (id TEXT)")
    con.close()
    empty = write("empty.db", [])
    for path in (other, empty):
        with open(path, "rb") as f:
            before = f.read()
        _, err = run("statement", "-p", PROGRAM, "--db", path, "M001", code=2)
        expect(r"\[loyalty\.io\.cannot_open\] cannot open '" + re.escape(path) + r"' as a store: it is not a SQLite "
               r"database holding a loyalty store", err, "stderr")
        with open(path, "rb") as f:
            if f.read() != before:
                fail(f"reading {path} as a store changed it")
    # A password in a URL is not printed.
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "--db", "postgresql://auditor:s3cret@db.example/club", "M001",
                 code=2)
    expect(r"--db postgresql://auditor:\*\*\*@db\.example/club\)", err, "stderr")
    _, err = run("statement", "-p", PROGRAM, "-e", EVENTS, "--db", "pg:host=db.example password='s3 cret' dbname=club",
                 "M001", code=2)
    expect(r"--db pg:host=db\.example password=\*\*\* dbname=club\)", err, "stderr")
    if "s3" in err:
        fail("a password is printed: " + err)


def postgresql():
    """The same reads from a PostgreSQL store (LOYALTY_TEST_PG, scripts/with-postgres.sh)."""
    base = os.environ.get("LOYALTY_TEST_PG")
    psql = shutil.which("psql")
    if not base or not psql:
        print("SKIPPED: " + ("LOYALTY_TEST_PG is not set (run under scripts/with-postgres.sh)" if not base else
                             "psql is not installed"))
        sys.exit(77)

    def sql(statement):
        p = subprocess.run([psql, base, "-v", "ON_ERROR_STOP=1", "-q", "-c", statement], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"psql: {statement}\n{p.stderr}")

    # A schema of its own (selected by search_path), so that the test sees no other rows.
    sql("DROP SCHEMA IF EXISTS cli_db_sources CASCADE; CREATE SCHEMA cli_db_sources")
    url = "pg:" + base + " options='-c search_path=cli_db_sources'"
    out, _ = run("run", "-p", PROGRAM, "-e", EVENTS, "--db", url)
    expect(r"^stored in postgresql: applied 21 events", out)
    compare_reads(url)
    sql("UPDATE cli_db_sources.entries SET amount = amount + 1, balance = balance + 1 WHERE member = 'M001' AND seq = 6")
    out, _ = run("audit", "verify", "-p", PROGRAM, "--db", url, code=1)
    expect(r"^member M001, seq 6: hash chain: ", out)
    sql("DROP SCHEMA cli_db_sources CASCADE")


def no_store():
    """A loyalty built without the store (LOYALTY_BUILD_STORE=OFF) says so for --db."""
    for cmd in (["statement", "M001", "-p", PROGRAM], ["audit", "verify", "-p", PROGRAM], ["audit", "anchor"],
                ["report", "rollforward", "-p", PROGRAM, "--from", "2025-01-01", "--to", "2025-12-31"]):
        _, err = run(*cmd, "--db", "sqlite:" + os.path.join(WORK, "club.db"), code=2)
        expect(r"^error: \[loyalty\.cli\.no_store\] ", err, "stderr")


if __name__ == "__main__":
    main([db_same_output, db_compare, db_verify_tampered, db_anchor, db_errors, postgresql, no_store])
