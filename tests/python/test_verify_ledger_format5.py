"""scripts/verify_ledger.py on ledger format 5 (docs/ledger.md, "Ledger format 5"): the encoders
and a group's form worked by hand, groups of interleaved members, tampering caught per group,
format-4 and format-5 lines in one chain. The script is loaded by its path and run as a
subprocess with Debian's interpreter; nothing here needs the compiled loyalty package."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "verify_ledger.py"
# The verifier must work with the standard library of Debian's interpreter.
PYTHON = "/usr/bin/python3" if pathlib.Path("/usr/bin/python3").exists() else sys.executable
ZEROS = "0" * 64


def _load_script():
    spec = importlib.util.spec_from_file_location("verify_ledger", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


vl = _load_script()


# --- building ledgers -----------------------------------------------------------------------

def line(member, seq, event, kind, amount, balance, args, **fields):
    """A format-5 line, its prev_hash and hash left for seal()."""
    e = {"member": member, "seq": seq, "event": event, "at": "2025-01-10T02:00:00Z", "kind": kind,
         "amount": amount, "balance": balance, "lot": "", "expires": "", "rule": "", "program": "p",
         "version": 1, "reason": "a sentence for people", "reverses": "", "prev_hash": "", "hash": "",
         "format": 5, "args": args}
    e.update(fields)
    return e


def seal(lines, prev):
    """Gives a group's lines their prev_hash and the group's hash; returns the hash."""
    for e in lines:
        e["prev_hash"] = prev
    h = vl.group_hash(lines)
    for e in lines:
        e["hash"] = h
    return h


def format4_hash(entry):
    """A format-4 entry's hash, as the script's docstring and docs/ledger.md state it."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write(tmp_path, entries, name="ledger.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return path


def run(*args):
    p = subprocess.run([PYTHON, str(SCRIPT), *map(str, args)], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


ENROL_ARGS = {"code": "enrolled"}
EARN_FIGURES = {"base": "700.00", "factors": ["1"], "rounded": 700, "rounding": "down"}
EARN_ARGS = {"code": "earned", "count": 3, "sources": [["rate", 0]]}


def two_members():
    """M1's enrol group (e1), M2's enrol group (e2), then M1's group of two lines (e3): an earn
    with figures and a tier change. File order interleaves the members."""
    m1_enrol = line("M1", 1, "e1", "enrol", 0, 0, dict(ENROL_ARGS), at="1970-01-02T00:00:00Z")
    m2_enrol = line("M2", 1, "e2", "enrol", 0, 0, dict(ENROL_ARGS))
    earn = line("M1", 2, "e3", "earn", 700, 700, copy.deepcopy(EARN_ARGS), lot="e3/r", rule="r",
                expires="2027-01-31", figures=copy.deepcopy(EARN_FIGURES))
    tier = line("M1", 3, "e3", "tier_change", 0, 700, {"code": "text", "text": "none -> gold"}, rule="gold")
    h1 = seal([m1_enrol], ZEROS)
    seal([m2_enrol], ZEROS)
    seal([earn, tier], h1)
    return [m1_enrol, m2_enrol, earn, tier]


# --- 1. the encoders --------------------------------------------------------------------------

@pytest.mark.parametrize("n, encoded", [(0, b"\x00"), (127, b"\x7f"), (128, b"\x80\x01"), (300, b"\xac\x02")])
def test_uint(n, encoded):
    assert vl.enc_uint(n) == encoded


@pytest.mark.parametrize("x, encoded", [(0, b"\x00"), (-1, b"\x01"), (1, b"\x02"), (-64, b"\x7f"), (64, b"\x80\x01"),
                                        (2**63 - 1, b"\xfe" + b"\xff" * 8 + b"\x01"),
                                        (-2**63, b"\xff" * 9 + b"\x01")])
def test_int(x, encoded):
    assert vl.enc_int(x) == encoded


def test_text_opt():
    assert vl.enc_text("é") == b"\x02\xc3\xa9"  # two UTF-8 bytes
    assert vl.enc_text("") == b"\x00"
    assert vl.enc_opt_int(None) == b"\x00" and vl.enc_opt_int(-1) == b"\x01\x01"
    assert vl.enc_opt_text(None) == b"\x00" and vl.enc_opt_text("0.4") == b"\x01\x030.4"


def test_out_of_range_integers_are_refused():
    with pytest.raises(ValueError):
        vl.enc_int(2**63)
    with pytest.raises(ValueError):
        vl.enc_uint(-1)


# --- 2. a group's form worked by hand ---------------------------------------------------------

# One enrol entry of member M1, event e1, program p, version 1, the member's first group.
ENROL_FORM = b"".join([
    b"loyalty-ledger-5\n",   # the tag, 17 bytes
    b"\x00" * 32,            # prev_hash: 64 zeros as 32 raw bytes
    b"\x02M1",               # text member
    b"\x02e1",               # text event
    b"\x01p",                # text program
    b"\x02",                 # int version 1: zigzag 2
    # the entry
    b"\x02",                 # int seq 1: zigzag 2
    b"\x80\xc6\x0a",         # int at: 86400 s, zigzag 172800 = 10 * 128**2 + 70 * 128 + 0:
                             #   groups 0, 70, 10 -> 0x80 (0 | 0x80), 0xc6 (70 | 0x80), 0x0a
    b"\x05enrol",            # text kind
    b"\x00",                 # int amount 0
    b"\x00",                 # int balance 0
    b"\x00",                 # opt_int debt_paid: absent
    b"\x00",                 # text lot ""
    b"\x00",                 # opt_int expires: "" is absent
    b"\x00",                 # text rule ""
    b"\x00",                 # text reverses ""
    b"\x00\x00\x00",         # text money, funder, store: absent keys are ""
    b"\x00",                 # opt_int uses: absent
    b"\x00",                 # figures: none
    # args {"code": "enrolled"}, every other key at its default
    b"\x08enrolled",         # text code
    b"\x00" * 6,             # text note, staff, reference, counterpart, other_lot, text: ""
    b"\x00" * 3,             # int figure, count, cash: 0
    b"\x00" * 2,             # int on, since: 0 (absent)
    b"\x04paid",             # text base: "paid"
    b"\x0crepair_order",     # text type: "repair_order" (12 bytes)
    b"\x00",                 # uint k: no sources
    b"\x00",                 # byte capped_per_event: false
    b"\x00",                 # opt_int period_used: absent
])


def enrol_line(hash_):
    return line("M1", 1, "e1", "enrol", 0, 0, {"code": "enrolled"}, at="1970-01-02T00:00:00Z",
                prev_hash=ZEROS, hash=hash_)


def test_enrol_group_form_by_hand(tmp_path):
    e = enrol_line("")
    assert vl.group_form([e]) == ENROL_FORM
    good = hashlib.sha256(ENROL_FORM).hexdigest()
    code, out = run(write(tmp_path, [enrol_line(good)]))
    assert code == 0, out
    assert "every chain verifies" in out
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # one hex digit off
    code, out = run(write(tmp_path, [enrol_line(bad)]))
    assert code == 1, out
    assert "FAIL  member M1 seq 1: hash does not match the content of the group of entries 1-1 (event e1)" in out


def test_reason_is_not_in_the_form():
    e = enrol_line("")
    e["reason"] = "something else entirely"
    assert vl.group_form([e]) == ENROL_FORM


def test_earn_parts_by_hand():
    assert vl.figures_part(EARN_FIGURES) == b"".join([
        b"\x01",                 # figures present
        b"\x06700.00",           # text base
        b"\x01", b"\x011",       # uint n = 1, text factor "1"
        b"\x00",                 # text per: absent is ""
        b"\x04down",             # text rounding
        b"\xf8\x0a",             # int rounded 700: zigzag 1400 = 10 * 128 + 120 -> 0xf8 (120 | 0x80), 0x0a
        b"\x00",                 # opt_int cap: absent
        b"\x00",                 # opt_text carried: absent
    ])
    assert vl.args_part(EARN_ARGS) == b"".join([
        b"\x06earned",           # text code
        b"\x00" * 6,             # the six texts: ""
        b"\x00", b"\x06", b"\x00",  # int figure 0, count 3 (zigzag 6), cash 0
        b"\x00\x00",             # int on, since: 0
        b"\x04paid", b"\x0crepair_order",  # base, type: defaults
        b"\x01", b"\x04rate", b"\x00",     # uint k = 1; ("rate", index 0)
        b"\x00",                 # capped_per_event: false
        b"\x00",                 # period_used: absent
    ])
    # Every args key given: day numbers, a negative cash, two sources, a capped event.
    assert vl.args_part({"code": "c", "note": "n", "staff": "s", "reference": "r", "counterpart": "M2",
                         "other_lot": "l", "text": "t", "figure": -1, "count": 1, "cash": 64,
                         "on": "1970-01-11", "since": "1969-12-31", "base": "bonus", "type": "enrol",
                         "sources": [["multiplier", 1], ["tier", 300]], "capped_per_event": True,
                         "period_used": 2}) == b"".join([
        b"\x01c", b"\x01n", b"\x01s", b"\x01r", b"\x02M2", b"\x01l", b"\x01t",
        b"\x01", b"\x02", b"\x80\x01",      # figure -1, count 1, cash 64
        b"\x14", b"\x01",                   # on: day 10 (zigzag 20); since: day -1 (zigzag 1)
        b"\x05bonus", b"\x05enrol",
        b"\x02", b"\x0amultiplier", b"\x01", b"\x04tier", b"\xac\x02",
        b"\x01",                            # capped_per_event
        b"\x01\x04",                        # period_used 2
    ])


# --- 3. interleaved members, tampering per group ----------------------------------------------

def test_two_members_interleaved_verify(tmp_path):
    entries = two_members()
    code, out = run(write(tmp_path, entries))
    assert code == 0, out
    assert "ok    member M1: 3 entries, balance 700" in out
    assert "ok    member M2: 1 entries, balance 0" in out
    assert entries[2]["hash"] == entries[3]["hash"] != entries[0]["hash"]
    # The group's form: its opening, then its two entries, the earn's parts as worked above.
    form = vl.group_form(entries[2:])
    assert form.startswith(b"loyalty-ledger-5\n" + bytes.fromhex(entries[0]["hash"]) + b"\x02M1\x02e3\x01p\x02")
    assert vl.figures_part(EARN_FIGURES) + vl.args_part(EARN_ARGS) in form


def test_reason_changed_is_not_reported(tmp_path):
    entries = two_members()
    entries[2]["reason"] = "forged words"
    code, out = run(write(tmp_path, entries))
    assert code == 0, out


def test_argument_changed_names_the_group(tmp_path):
    entries = two_members()
    entries[3]["args"]["text"] = "none -> platinum"
    code, out = run(write(tmp_path, entries))
    assert code == 1, out
    assert "FAIL  member M1 seq 2: hash does not match the content of the group of entries 2-3 (event e3)" in out
    assert "ok    member M2" in out
    entries = two_members()
    entries[2]["args"]["count"] = 4
    code, out = run(write(tmp_path, entries))
    assert code == 1 and "the group of entries 2-3 (event e3)" in out, out


def test_lines_of_a_group_from_two_events(tmp_path):
    entries = two_members()
    entries[3]["event"] = "e4"
    seal(entries[2:], entries[0]["hash"])  # even re-hashed: a group is one event's
    code, out = run(write(tmp_path, entries))
    assert code == 1, out
    assert 'FAIL  member M1 seq 3: event "e4" differs from its group\'s "e3" (the group of entries from 2 (event e3))' in out


def test_group_split(tmp_path):
    entries = two_members()
    entries[3]["prev_hash"] = "f" * 64
    code, out = run(write(tmp_path, entries))
    assert code == 1, out
    # The group ends at the line that no longer shares its prev_hash: one line is not its content.
    assert "FAIL  member M1 seq 2: hash does not match the content of the group of entries 2-2 (event e3)" in out


def test_amount_changed_is_caught_by_the_balance(tmp_path):
    entries = two_members()
    entries[2]["amount"] += 1
    code, out = run(write(tmp_path, entries))
    assert code == 1 and "FAIL  member M1 seq 2: balance 700 is not the running sum of amounts (701)" in out, out


def test_group_moved_after_another_members(tmp_path):
    entries = two_members()
    code, out = run(write(tmp_path, [entries[1], entries[0], entries[3], entries[2]]))
    assert code == 1 and "FAIL  member M1 seq 3: sequence 3 where 2 was expected" in out, out
    code, out = run(write(tmp_path, [entries[2], entries[3], entries[0], entries[1]]))
    assert code == 1 and "FAIL  member M1 seq 2: sequence 2 where 1" in out, out


# --- 4. format 4 and format 5 in one chain ----------------------------------------------------

# The worked example of docs/ledger.md, a format-4 entry, with the hash the page gives.
DOCS_ENTRY = {"member": "M001", "seq": 1, "event": "e-0001", "at": "2025-01-10T02:00:00Z", "kind": "enrol",
              "amount": 0, "balance": 0, "lot": "", "expires": "", "rule": "", "program": "4s-club", "version": 1,
              "reason": "joined", "reverses": "", "prev_hash": ZEROS,
              "hash": "ec4f1d148f8c6d575f277343f00603acc7f82f09108486cfb807023a8a4aaf40"}


def mixed_chain():
    four = dict(DOCS_ENTRY)
    assert format4_hash(four) == four["hash"] == vl.entry_hash(four)
    earn = line("M001", 2, "e-0002", "earn", 700, 700, copy.deepcopy(EARN_ARGS), lot="e-0002/r", rule="r",
                program="4s-club", figures=copy.deepcopy(EARN_FIGURES), store="S1", funder="dealer")
    use = line("M001", 3, "e-0002", "benefit_use", 0, 700, {"code": "benefit_used", "reference": "RO-1"},
               program="4s-club", rule="oil", uses=1, money="120.00 CNY")
    seal([earn, use], four["hash"])
    # ... and a format-4 entry after the group, its prev_hash the group's hash.
    after = {k: v for k, v in DOCS_ENTRY.items()}
    after.update(seq=4, event="e-0003", kind="adjust", amount=-5, balance=695, rule="adjustment",
                 reason="typo", prev_hash=use["hash"])
    after["hash"] = format4_hash(after)
    return [four, earn, use, after]


def test_format4_then_format5_then_format4(tmp_path):
    entries = mixed_chain()
    code, out = run(write(tmp_path, entries))
    assert code == 0, out
    assert "ok    member M001: 4 entries, balance 695" in out
    # The group's prev_hash is the format-4 entry's hash; the hash of a format-4 entry still
    # covers its reason.
    entries[3]["reason"] = "forged"
    code, out = run(write(tmp_path, entries))
    assert code == 1 and "FAIL  member M001 seq 4: hash does not match the entry's content" in out, out
    entries = mixed_chain()
    entries[1]["prev_hash"] = entries[2]["prev_hash"] = ZEROS
    seal(entries[1:3], ZEROS)
    code, out = run(write(tmp_path, entries))
    assert code == 1 and "FAIL  member M001 seq 2: prev_hash does not match" in out, out


def test_anchor_is_over_group_hashes(tmp_path):
    entries = two_members()
    path = write(tmp_path, entries)
    heads = [["M1", 3, entries[3]["hash"]], ["M2", 1, entries[1]["hash"]]]
    text = json.dumps(heads, separators=(",", ":"), ensure_ascii=False)
    anchor = "v1:4:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    code, out = run("--anchor-of", path)
    assert code == 0 and out.strip() == anchor, out
    code, out = run("--anchor", anchor, path)
    assert code == 0 and "ok    anchor" in out, out


# --- the self-test and format errors ----------------------------------------------------------

def longer_ledger():
    """M1: enrol + welcome (one group), an earn alone, an earn + a benefit use (one group); M2
    interleaved."""
    m1 = [line("M1", 1, "e1", "enrol", 0, 0, {"code": "enrolled"}),
          line("M1", 2, "e1", "earn", 500, 500, {"code": "earned", "base": "bonus"}, lot="e1/w", rule="w",
               figures={"base": "500", "factors": [], "rounded": 500, "rounding": "down"}),
          line("M1", 3, "e3", "earn", 700, 1200, copy.deepcopy(EARN_ARGS), lot="e3/r", rule="r",
               figures=copy.deepcopy(EARN_FIGURES)),
          line("M1", 4, "e4", "earn", 30, 1230, {"code": "earned", "capped_per_event": True}, lot="e4/r", rule="r",
               figures={"base": "400.00", "cap": 30, "carried": "0.4", "factors": ["0.1"], "rounded": 40,
                        "rounding": "down"}),
          line("M1", 5, "e4", "benefit_use", 0, 1230, {"code": "benefit_used", "period_used": 1, "note": "é"},
               rule="oil", uses=1)]
    m2 = [line("M2", 1, "e2", "enrol", 0, 0, {"code": "enrolled"})]
    h = seal(m1[0:2], ZEROS)
    h = seal(m1[2:3], h)
    seal(m1[3:5], h)
    seal(m2, ZEROS)
    return [m1[0], m1[1], m2[0], m1[2], m1[3], m1[4]]


def format4_ledger():
    entries, prev = [], ZEROS
    for seq, (kind, amount, balance) in enumerate([("enrol", 0, 0), ("earn", 500, 500), ("adjust", -20, 480),
                                                    ("earn", 700, 1180)], start=1):
        e = dict(DOCS_ENTRY, seq=seq, event="e-%04d" % seq, kind=kind, amount=amount, balance=balance,
                 prev_hash=prev)
        if kind == "earn":
            e["figures"] = {"base": "%d.00" % amount, "factors": ["1"], "rounded": amount, "rounding": "down"}
        e["hash"] = format4_hash(e)
        prev = e["hash"]
        entries.append(e)
    return entries


def mixed_ledger():
    """The mixed chain of M001, with M9's format-5 enrol among its lines."""
    other = line("M9", 1, "e-0009", "enrol", 0, 0, {"code": "enrolled"})
    seal([other], ZEROS)
    entries = mixed_chain()
    return entries[:2] + [other] + entries[2:]


def adjustments(split):
    """M1: an enrol, then two adjustments without figures, in one group (e2) or, when split, the
    enrol and the first adjustment in one group (e1) and the second alone (e2)."""
    m1 = [line("M1", 1, "e1", "enrol", 0, 0, {"code": "enrolled"}),
          line("M1", 2, "e1" if split else "e2", "adjust", 10, 10, {"code": "adjusted", "staff": "S7"},
               rule="adjustment", lot="e2/adjustment"),
          line("M1", 3, "e2", "adjust", -4, 6, {"code": "adjusted", "note": "fix", "other_lot": "e2/adjustment"},
               rule="adjustment", lot="e2/adjustment")]
    if split:
        seal(m1[2:], seal(m1[:2], ZEROS))
    else:
        seal(m1[1:], seal(m1[:1], ZEROS))
    return m1


@pytest.mark.parametrize("ledger", [longer_ledger, format4_ledger, mixed_ledger,
                                    lambda: adjustments(False), lambda: adjustments(True)])
def test_self_test(tmp_path, ledger):
    path = write(tmp_path, ledger())
    code, out = run(path)
    assert code == 0, out
    code, out = run("--self-test", path)
    assert code == 0, out
    assert "FAIL" not in out
    if ledger is not format4_ledger:
        assert "ok    argument changed (format 5)" in out


def test_format4_line_keeps_its_checks():
    e = dict(DOCS_ENTRY)
    assert vl.parse_ledger(json.dumps(e)) == [e]
    _, problems = vl.verify([e])
    assert problems == {}


def _bad_lines():
    ok = two_members()[0]
    cases = {}

    def case(name, change):
        e = copy.deepcopy(ok)
        change(e)
        cases[name] = e

    case("format 4 written", lambda e: e.update(format=4))
    case("format as text", lambda e: e.update(format="5"))
    case("format true", lambda e: e.update(format=True))
    case("no args", lambda e: e.pop("args"))
    case("args not an object", lambda e: e.update(args=["enrolled"]))
    case("code not text", lambda e: e["args"].update(code=1))
    case("unknown args key", lambda e: e["args"].update(colour="red"))
    case("note not text", lambda e: e["args"].update(note=1))
    case("count a bool", lambda e: e["args"].update(count=True))
    case("cash too large", lambda e: e["args"].update(cash=2**63))
    case("period_used as text", lambda e: e["args"].update(period_used="1"))
    case("on not canonical", lambda e: e["args"].update(on="2025-1-02"))
    case("since not a day", lambda e: e["args"].update(since="2025-02-30"))
    case("sources not pairs", lambda e: e["args"].update(sources=[["rate"]]))
    case("source index negative", lambda e: e["args"].update(sources=[["rate", -1]]))
    case("source from not text", lambda e: e["args"].update(sources=[[0, 0]]))
    case("capped_per_event not a bool", lambda e: e["args"].update(capped_per_event=1))
    case("amount too large", lambda e: e.update(amount=2**63, balance=2**63))
    case("format-4 line with args", lambda e: e.pop("format"))
    return cases


@pytest.mark.parametrize("name, entry", list(_bad_lines().items()))
def test_format_errors(tmp_path, name, entry):
    with pytest.raises(vl.LedgerFormatError):
        vl.parse_ledger(json.dumps(entry))
    code, out = run(write(tmp_path, [entry]))
    assert code == 2, (name, out)
