"""Engine.run: a whole journal in one call; the Ledger it returns; verify()."""

from __future__ import annotations

import json
import math
import pathlib
import threading

import pytest

import loyalty
from conftest import JOURNAL, apply_one_by_one


def test_run_the_sample_journal(engine: loyalty.Engine) -> None:
    ledger = engine.run(JOURNAL)
    # the same figures the C++ replay example prints (docs.replay_journal_runs)
    assert (len(ledger), len(ledger.members), len(ledger.refusals)) == (39, 3, 2)
    assert ledger.events == 23
    assert {r.code for r in ledger.refusals} == {"duplicate_event", "benefit_excluded"}
    for member, state in ledger.members.items():
        entries = ledger.entries_of(member)
        assert entries[-1].balance == state.balance == ledger.balance(member)
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert ledger.balance("nobody") == 0
    assert repr(ledger) == "<loyalty.Ledger 39 entries, 3 members, 2 refused>"


def test_run_accepts_path_text_dicts_and_json_strings(engine: loyalty.Engine) -> None:
    text = JOURNAL.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip()]
    by_path = engine.run(JOURNAL)
    by_str_path = engine.run(str(JOURNAL))
    by_text = engine.run(text)
    by_dicts = engine.run([json.loads(line) for line in lines])
    by_strings = engine.run(lines)
    reference = by_path.to_dicts()
    for other in (by_str_path, by_text, by_dicts, by_strings):
        assert other.to_dicts() == reference


def test_run_equals_applying_one_by_one(engine: loyalty.Engine) -> None:
    ledger = engine.run(JOURNAL)
    states: dict = {}
    lines = [line for line in JOURNAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    entries = apply_one_by_one(engine, lines, states)
    assert tuple(entries) == ledger.entries
    assert states == ledger.members


def test_jsonl_and_verify(engine: loyalty.Engine, tmp_path: pathlib.Path) -> None:
    ledger = engine.run(JOURNAL)
    jsonl = ledger.to_jsonl()
    assert [json.loads(line) for line in jsonl.splitlines()] == [e.to_json() for e in ledger]
    for entries in (ledger, list(ledger.entries), jsonl):
        report = loyalty.verify(engine, JOURNAL, entries)
        assert report.ok and report.members == 3 and report.entries == 39
    assert engine.verify(JOURNAL, ledger).ok
    # the ledger as a file, given by its path as the journal is (str or pathlib.Path)
    path = tmp_path / "ledger.jsonl"
    path.write_text(jsonl, encoding="utf-8")
    for given in (path, str(path)):
        report = loyalty.verify(engine, JOURNAL, given)
        assert report.ok and report.entries == 39
    path.write_text(jsonl.replace('"amount":', '"amount":1', 1), encoding="utf-8")
    assert not engine.verify(JOURNAL, path).ok
    # tamper with one amount: the chain breaks at that entry
    rows = [json.loads(line) for line in jsonl.splitlines()]
    rows[3]["amount"] += 1
    bad = loyalty.verify(engine.program, JOURNAL, "".join(json.dumps(r) + "\n" for r in rows))
    assert not bad.ok
    assert bad.problems[0].member == rows[3]["member"] and "hash" in bad.problems[0].problem
    # the field that differs from the replay's entry of that place, with both values
    amount = rows[3]["amount"]
    assert bad.problems[0].differences == (
        loyalty.FieldDifference(field="amount", stored=str(amount), replayed=str(amount - 1)),)


def test_earn_entries_carry_their_figures(engine: loyalty.Engine) -> None:
    """Every earn entry states how its points were reached, as numbers an auditor re-derives."""
    from decimal import Decimal

    ledger = engine.run(JOURNAL)
    earns = [e for e in ledger if e.kind == "earn"]
    assert earns and all(e.figures is not None for e in earns)
    assert all(e.figures is None for e in ledger if e.kind not in ("earn", "carry"))
    # M001's car, 186,800.00 at 0.01 point per 1.00, rounded down: 1,868 points.
    car = next(e for e in earns if e.rule == "vehicle-purchase" and e.member == "M001")
    assert car.figures == loyalty.EarnFigures(base=Decimal("186800.00"), factors=(Decimal("0.01"),),
                                              rounding="down", rounded=1868)
    assert car.figures.total() == 1868 and car.amount == 1868
    # the welcome bonus: 500 points, no factor
    welcome = next(e for e in earns if e.rule == "welcome" and e.member == "M001")
    assert (welcome.figures.base, welcome.figures.factors, welcome.amount) == (Decimal(500), (), 500)
    for e in earns:
        f = e.figures
        assert math.floor(f.total()) == f.rounded  # the programme rounds down
        assert e.amount == (f.cap if f.cap is not None else f.rounded)
    # to_json writes them as the ledger file does, and they survive the trip through verify()
    assert car.to_json()["figures"] == {"base": "186800.00", "factors": ["0.01"], "rounded": 1868, "rounding": "down"}
    assert loyalty.verify(engine, JOURNAL, list(ledger.entries)).ok
    # a re-hashed forgery whose amount its figures do not give breaks the chain at that entry
    rows = [e.to_json() for e in ledger]
    i = next(i for i, r in enumerate(rows) if r["event"] == car.event and r["kind"] == "earn")
    assert rows[i] == car.to_json()
    rows[i]["figures"]["rounded"] += 1
    rows[i]["amount"] += 1
    bad = loyalty.verify(engine, JOURNAL, "".join(json.dumps(r) + "\n" for r in rows))
    assert not bad.ok and bad.problems[0].member == "M001"


def test_a_ratio_rate_states_its_amount_and_both_verifiers_agree(tmp_path: pathlib.Path) -> None:
    """3 points per 7.00: the figures carry "per", total() is an exact Fraction, and the ledger
    verifies in C++ and with scripts/verify_ledger.py (standard library only)."""
    import fractions
    import subprocess
    import sys
    from decimal import Decimal

    from conftest import PROGRAM_FILE, ROOT

    doc = json.loads(PROGRAM_FILE.read_text(encoding="utf-8"))
    rule = doc["earning_rules"][0]
    del rule["points_per_unit"]
    rule["rate"] = {"points": "3", "per": "7.00"}
    engine = loyalty.Engine(loyalty.Program.from_dict(doc))
    ledger = engine.run(JOURNAL)
    ratio = [e for e in ledger if e.figures is not None and e.figures.per is not None]
    assert ratio and all(e.rule == "service-spend" for e in ratio)
    first = ratio[0]
    # M001's first order: 245.00 of maintenance x 3 / 7.00 = 105 exactly.
    assert first.figures == loyalty.EarnFigures(base=Decimal("245.00"), factors=(Decimal(3),), rounding="down",
                                                rounded=105, per=Decimal("7.00"))
    assert first.figures.total() == fractions.Fraction(105) and first.amount == 105
    for e in ratio:
        assert math.floor(e.figures.total()) == e.figures.rounded == e.amount
    assert engine.verify(JOURNAL, ledger).ok
    path = tmp_path / "ratio.jsonl"
    path.write_text(ledger.to_jsonl(), encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "verify_ledger.py"), str(path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "every chain verifies" in done.stdout, done.stdout + done.stderr


def test_run_refuses_a_single_dict(engine: loyalty.Engine) -> None:
    with pytest.raises(TypeError):
        engine.run({"id": "e1"})  # type: ignore[arg-type]


def test_run_releases_the_gil(engine: loyalty.Engine) -> None:
    # Several runs in threads give the same ledger as one run (the GIL is released around
    # the C++ run, so they may overlap); nothing is shared between runs.
    text = JOURNAL.read_text(encoding="utf-8") * 1
    expected = engine.run(text).to_jsonl()
    results: list = []

    def work() -> None:
        results.append(engine.run(text).to_jsonl())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_to_dataframe(engine: loyalty.Engine) -> None:
    pandas = pytest.importorskip("pandas")
    frame = engine.run(JOURNAL).to_dataframe()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 39


def test_the_gil_is_free_while_the_cpp_run_works(engine: loyalty.Engine) -> None:
    # A run of ~20,000 events takes a good fraction of a second in C++. While it runs in a worker
    # thread, the main thread keeps executing Python: the longest pause it sees is far shorter
    # than the run. (Were the GIL held, the main thread would stall for the whole run.)
    lines = [json.dumps({"id": f"en{m}", "member": f"M{m}", "at": "2025-01-02T10:00:00Z", "type": "enrol"})
             for m in range(100)]
    lines += [json.dumps({"id": f"r{i}", "member": f"M{i % 100}", "type": "repair_order",
                          "at": f"2025-{2 + i // 2000:02d}-{1 + (i // 100) % 20:02d}T10:00:00Z",
                          "lines": [{"kind": "labour", "category": "repair", "unit_price": "100.00"}]})
              for i in range(20000)]
    text = "\n".join(lines)
    import time

    started = time.perf_counter()
    expected = engine.run(text)
    alone = time.perf_counter() - started
    assert not expected.refusals

    done: list = []
    worker = threading.Thread(target=lambda: done.append(engine.run(text)))
    longest = 0.0
    last = time.perf_counter()
    worker.start()
    while worker.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    worker.join()
    assert done and done[0].to_jsonl() == expected.to_jsonl()
    assert longest < alone / 2, f"main thread stalled {longest:.3f}s during a {alone:.3f}s run"


def linked_journal() -> list:
    """Three households of referral chains with transfers, visits, a reversal and a vehicle
    sold by a referrer to the member they referred: linked members that a partition by member id
    alone would split."""
    events = []
    t = 0

    def at() -> str:
        nonlocal t
        t += 1
        return f"2025-{1 + t // 28:02d}-{1 + t % 28:02d}T02:00:00Z"

    def add(eid: str, member: str, kind: str, **fields: object) -> None:
        events.append({"id": eid, "member": member, "at": at(), "type": kind, **fields})

    ro = {"lines": [{"kind": "labour", "category": "maintenance", "unit_price": "800.00"}]}
    for g in range(3):
        a, b, c = f"A{g}", f"B{g}", f"C{g}"
        add(f"{g}-1", a, "enrol", household=f"H{g}")
        add(f"{g}-2", a, "vehicle_purchase", vin=f"LFV3A23C0R300000{g}", price="150000.00")
        add(f"{g}-3", b, "enrol", household=f"H{g}", referred_by=a)
        add(f"{g}-4", c, "enrol", referred_by=b)
        add(f"{g}-5", b, "vehicle_purchase", vin=f"LFV3A23C0R300000{g}", price="90000.00", previous_owner=a)
        add(f"{g}-6", c, "repair_order", **ro)
        add(f"{g}-7", a, "transfer", to=b, points=300)
        add(f"{g}-8", c, "reverse", event=f"{g}-6")
        add(f"{g}-9", c, "repair_order", **ro)
        add(f"{g}-5", b, "adjustment", points=5, reason="sent again", operator="op-1")  # an id judged before
    return events


@pytest.mark.parametrize("threads", [2, 3, 8])
def test_run_on_threads_gives_the_run_of_one_thread(engine: loyalty.Engine, threads: int) -> None:
    for journal in (JOURNAL, linked_journal()):
        one = engine.run(journal)
        many = engine.run(journal, threads=threads)
        assert many.to_jsonl() == one.to_jsonl()  # the same entries, in the same order
        assert many.entries == one.entries
        assert many.refusals == one.refusals
        assert many.members == one.members
        assert many.events == one.events
        for member in one.members:
            assert many.entries_of(member) == one.entries_of(member)
    ledger = engine.run(linked_journal(), threads=threads)
    assert [r.code for r in ledger.refusals] == ["duplicate_event"] * 3
    # the referral reward reached each referrer, through a sale and a transfer
    assert all(any(e.rule == "referral" for e in ledger.entries_of(f"A{g}")) for g in range(3))


def test_run_threads_must_be_a_positive_int(engine: loyalty.Engine) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        engine.run(JOURNAL, threads=0)
    with pytest.raises(TypeError):
        engine.run(JOURNAL, threads=2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.run(JOURNAL, threads=True)


def test_run_writes_the_ledger_to_a_file_as_it_goes(engine: loyalty.Engine, tmp_path: pathlib.Path) -> None:
    kept = engine.run(JOURNAL)
    for journal, threads in ((JOURNAL, 1), (str(JOURNAL), 2), (JOURNAL.read_text(encoding="utf-8"), 1),
                             (linked_journal(), 1), (linked_journal(), 3)):
        reference = kept if journal is JOURNAL or isinstance(journal, str) else engine.run(journal)
        path = tmp_path / "ledger.jsonl"
        streamed = engine.run(journal, threads=threads, ledger=path)
        assert streamed.written_to == str(path)
        # The file holds the ledger a run that keeps it gives, byte for byte; the run reads it back.
        assert path.read_text(encoding="utf-8") == reference.to_jsonl()
        assert len(streamed) == len(reference)
        assert streamed.refusals == reference.refusals
        assert streamed.members == reference.members
        assert streamed.events == reference.events
        assert streamed.entries == reference.entries
        for member in reference.members:
            assert streamed.entries_of(member) == reference.entries_of(member)
        assert streamed.to_jsonl() == reference.to_jsonl()
        assert engine.verify(JOURNAL if journal is JOURNAL else journal, path.read_text(encoding="utf-8")).ok
        assert [p.name for p in tmp_path.iterdir()] == ["ledger.jsonl"]  # no temporary file left
    assert kept.written_to is None


def test_a_malformed_journal_changes_no_ledger_file(engine: loyalty.Engine, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "ledger.jsonl"
    engine.run(JOURNAL, ledger=path)
    before = path.read_bytes()
    lines = JOURNAL.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace('"unit_price":"120.00"', '"unit_price":"12x"')  # line 5
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines), encoding="utf-8")
    for journal in (bad, "".join(lines)):
        with pytest.raises(loyalty.EventError) as info:
            engine.run(journal, ledger=path)
        assert (info.value.pointer, info.value.line) == ("/lines/0/unit_price", 5)
        assert info.value.file == (str(bad) if isinstance(journal, type(bad)) else "")
        assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl", "ledger.jsonl"]


def test_a_ledger_that_cannot_be_written_raises(engine: loyalty.Engine, tmp_path: pathlib.Path) -> None:
    for target in (tmp_path / "no-such-dir" / "l.jsonl", tmp_path, pathlib.Path("/dev/full")):
        with pytest.raises(loyalty.Error) as info:
            engine.run(JOURNAL, ledger=target)
        assert info.value.error_id == "loyalty.io.cannot_write"
    with pytest.raises(loyalty.Error) as opened:
        engine.run(tmp_path)  # a directory as the journal
    assert opened.value.error_id == "loyalty.io.cannot_open"
    with pytest.raises(TypeError):
        engine.run(JOURNAL, ledger=3)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
