#!/usr/bin/python3
"""Re-check a loyalty ledger (JSON lines) with nothing but Python's standard library.

For every member, in file order, each entry must have:
  seq        1, 2, 3 ... with no gap, repeat or reordering
  prev_hash  the previous entry's hash (64 zeros for the member's first entry)
  hash       SHA-256 (hex) of the canonical form of the entry without "hash":
             json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
             encoded as UTF-8 (docs/ledger.md)
  balance    the running sum of the member's amounts
  figures    on an earn (or carry) entry of an earning rule: the arithmetic re-derived,
             base x factors / per (+ carried), rounded as stated, is "rounded", and the amount is
             "rounded" or the "cap" that cut it (0 on a carry entry) (docs/ledger.md, "Earn figures")
  debt_paid  on a settle_debt entry: the debt its lot paid off, an integer above 0 (its
             amount is 0: the lot and the debt go down together)
  uses       on a benefit_use or benefit_return entry: the quota units it took or gave back,
             an integer, 0 or more (ledger format 4)

Usage:
  verify_ledger.py LEDGER.jsonl          exit 0 when every chain verifies, 1 when one does not,
                                         2 when the file cannot be read as a ledger
  verify_ledger.py --anchor v1:N:HEX LEDGER.jsonl
                                         also check that the first N entries are the history an
                                         auditor anchored (`loyalty audit anchor`): the SHA-256
                                         of every member's chain head among them, sorted by
                                         member, json.dumps([[member, seq, hash], ...],
                                         separators=(",", ":"), ensure_ascii=False); a cut,
                                         changed or re-forged history before it fails
  verify_ledger.py --anchor-of LEDGER.jsonl
                                         print the anchor of the whole ledger
  verify_ledger.py --self-test LEDGER.jsonl
                                         check LEDGER verifies, then that tampered copies of it
                                         (amount changed, entry deleted, entries swapped,
                                         prev_hash broken, balance wrong) are each caught
"""

import datetime
import fractions
import hashlib
import json
import math
import re
import sys

GENESIS = "0" * 64
FIELDS = {
    "member", "seq", "event", "at", "kind", "amount", "balance", "lot", "expires", "rule",
    "program", "version", "reason", "reverses", "prev_hash", "hash",
}
INTEGER_FIELDS = {"seq", "amount", "balance", "version"}
# Present only when the entry has one, never empty: money recorded, who funds it, its store.
OPTIONAL_FIELDS = {"money", "funder", "store"}
# Present only on the entries of their kinds: an earning's figures, a settle_debt's debt paid,
# a benefit use's units.
TYPED_FIELDS = {"figures", "debt_paid", "uses"}


# An earn entry's figures (docs/ledger.md, "Earn figures"): decimals as the library writes them,
# so that the text hashed here is the text the C++ verifier hashes.
FIGURE_KEYS = {"base", "factors", "rounded", "rounding"}
OPTIONAL_FIGURE_KEYS = {"cap", "carried", "per"}
ROUNDINGS = {"down", "up", "half_up", "half_even", "toward_zero"}
CANONICAL_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{0,17}[1-9])?")  # no trailing zeros
CANONICAL_BASE = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{1,18})?")  # a fixed number of decimals


# One canonical form (docs/ledger.md): instants in UTC with "Z", days as YYYY-MM-DD. The same
# instant in another offset would hash differently here and not in the C++ verifier, which
# refuses such text too.
CANONICAL_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
CANONICAL_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class LedgerFormatError(Exception):
    pass


def _canonical_time_problem(entry):
    """None, or why entry's "at" or "expires" is not written in the canonical form."""
    at, expires = entry["at"], entry["expires"]
    try:
        if not CANONICAL_INSTANT.fullmatch(at):
            raise ValueError
        datetime.datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return "'at' %r is not a UTC instant written YYYY-MM-DDThh:mm:ssZ" % at
    try:
        if expires and not CANONICAL_DAY.fullmatch(expires):
            raise ValueError
        if expires:
            datetime.date.fromisoformat(expires)
    except ValueError:
        return "'expires' %r is neither empty nor a day written YYYY-MM-DD" % expires
    return None


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _figures_format_problem(f):
    """None, or why an entry's "figures" are not written as the ledger writes them."""
    if not isinstance(f, dict):
        return "'figures' must be an object"
    keys = set(f)
    if not FIGURE_KEYS <= keys or not keys <= FIGURE_KEYS | OPTIONAL_FIGURE_KEYS:
        return "'figures' fields differ (missing %s, unknown %s)" % (
            sorted(FIGURE_KEYS - keys), sorted(keys - FIGURE_KEYS - OPTIONAL_FIGURE_KEYS))

    def noncanonical(text, pattern):
        return (not isinstance(text, str) or not pattern.fullmatch(text)
                or (text.startswith("-") and fractions.Fraction(text) == 0))

    if noncanonical(f["base"], CANONICAL_BASE):
        return "'figures' base %r is not written like 700.00" % (f["base"],)
    if not isinstance(f["factors"], list) or any(noncanonical(x, CANONICAL_DECIMAL) for x in f["factors"]):
        return "'figures' factors must be exact decimals written like \"1.5\" (no trailing zeros)"
    if "carried" in f and noncanonical(f["carried"], CANONICAL_DECIMAL):
        return "'figures' carried %r is not an exact decimal written like \"0.4\"" % (f["carried"],)
    if "per" in f and (noncanonical(f["per"], CANONICAL_BASE) or fractions.Fraction(f["per"]) <= 0):
        return "'figures' per %r is not a ratio rate's amount written like 7.00" % (f["per"],)
    if not _is_int(f["rounded"]) or ("cap" in f and not _is_int(f["cap"])):
        return "'figures' rounded and cap must be integers"
    if f["rounding"] not in ROUNDINGS:
        return "'figures' rounding %r is none of %s" % (f["rounding"], ", ".join(sorted(ROUNDINGS)))
    return None


def round_as(x, mode):
    """The fraction x rounded to an integer with the library's rounding mode."""
    if mode == "down":
        return math.floor(x)
    if mode == "up":
        return math.ceil(x)
    if mode == "toward_zero":
        return math.trunc(x)
    if mode == "half_even":
        return round(x)  # Fraction.__round__ rounds ties to even
    # half_up: ties away from zero
    n = math.floor(abs(x) + fractions.Fraction(1, 2))
    return n if x >= 0 else -n


def _debt_paid_problem(entry):
    """None, or why an entry's "debt_paid" is not as the ledger writes it."""
    v = entry["debt_paid"]
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        return "'debt_paid' must be an integer above 0"
    if entry["kind"] != "settle_debt":
        return "'debt_paid' is a settle_debt entry's field; this entry's kind is %r" % (entry["kind"],)
    return None


def _uses_problem(entry):
    """None, or why an entry's "uses" is not as the ledger writes it."""
    v = entry["uses"]
    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
        return "'uses' must be an integer, 0 or more"
    if entry["kind"] not in ("benefit_use", "benefit_return"):
        return "'uses' is a benefit_use or benefit_return entry's field; this entry's kind is %r" % (entry["kind"],)
    return None


def figures_problem(entry):
    """None, or why an entry's amount is not what its figures give (base x factors / per +
    carried, rounded once; then the cap when one cut it)."""
    f = entry["figures"]
    total = fractions.Fraction(f["base"])
    for factor in f["factors"]:
        total *= fractions.Fraction(factor)
    total /= fractions.Fraction(f.get("per", "1"))
    total += fractions.Fraction(f.get("carried", "0"))
    derived = round_as(total, f["rounding"])
    if derived != f["rounded"]:
        return "figures: the total rounds %s to %d, not to the %d stated" % (f["rounding"], derived, f["rounded"])
    if "cap" in f and f["cap"] >= f["rounded"]:
        return "figures: a cap of %d does not cut %d" % (f["cap"], f["rounded"])
    gives = min(f["rounded"], f["cap"]) if "cap" in f else f["rounded"]
    if entry["kind"] == "carry":
        if gives > 0:
            return "figures give %d points, which a carry entry does not post" % gives
        gives = 0
    if entry["amount"] != gives:
        return "amount %d is not the %d its figures give" % (entry["amount"], gives)
    return None


def canonical_form(entry):
    """The bytes that are hashed: every field but "hash", sorted keys, no whitespace."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry):
    return hashlib.sha256(canonical_form(entry)).hexdigest()


def _refuse_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise LedgerFormatError("key '%s' appears twice" % key)
        seen[key] = value
    return seen


def _refuse_float(text):
    raise LedgerFormatError("number %s is not an integer" % text)


def parse_ledger(text):
    """Entries of a JSON-lines ledger; blank lines are skipped."""
    entries = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line, object_pairs_hook=_refuse_duplicates, parse_float=_refuse_float,
                               parse_constant=_refuse_float)
        except (ValueError, LedgerFormatError) as e:
            raise LedgerFormatError("line %d: %s" % (line_no, e)) from None
        if not isinstance(entry, dict):
            raise LedgerFormatError("line %d: an entry is a JSON object" % line_no)
        keys = set(entry)
        if not FIELDS <= keys or not keys <= FIELDS | OPTIONAL_FIELDS | TYPED_FIELDS:
            missing, extra = sorted(FIELDS - keys), sorted(keys - FIELDS - OPTIONAL_FIELDS - TYPED_FIELDS)
            raise LedgerFormatError("line %d: fields differ from the ledger format (missing %s, unknown %s)"
                                    % (line_no, missing, extra))
        for k in sorted(OPTIONAL_FIELDS):
            if k in entry and (not isinstance(entry[k], str) or not entry[k]):
                raise LedgerFormatError("line %d: '%s', when present, must be a non-empty string" % (line_no, k))
        for k in FIELDS:
            want_int = k in INTEGER_FIELDS
            v = entry[k]
            ok = (isinstance(v, int) and not isinstance(v, bool)) if want_int else isinstance(v, str)
            if not ok:
                raise LedgerFormatError("line %d: '%s' must be %s" % (line_no, k, "an integer" if want_int else "a string"))
        problem = _figures_format_problem(entry["figures"]) if "figures" in entry else None
        problem = problem or (_debt_paid_problem(entry) if "debt_paid" in entry else None)
        problem = problem or (_uses_problem(entry) if "uses" in entry else None)
        problem = problem or _canonical_time_problem(entry)
        if problem:
            raise LedgerFormatError("line %d: %s" % (line_no, problem))
        # The kind is not checked against a list: it is covered by the hash, and a verifier
        # should keep working when the library adds kinds (docs/ledger.md lists them).
        entries.append(entry)
    return entries


def verify(entries):
    """Returns (members, problems): problems maps a member to (seq, message) of its first break."""
    members = {}
    for e in entries:
        members.setdefault(e["member"], []).append(e)
    problems = {}
    for member, chain in members.items():
        prev, balance = GENESIS, 0
        for i, e in enumerate(chain, start=1):
            problem = None
            if e["seq"] != i:
                problem = "sequence %d where %d was expected (entry missing or moved)" % (e["seq"], i)
            elif e["prev_hash"] != prev:
                problem = "prev_hash does not match the previous entry's hash"
            else:
                try:
                    recomputed = entry_hash(e)
                except UnicodeEncodeError:
                    recomputed = None
                if recomputed != e["hash"]:
                    problem = "hash does not match the entry's content"
                else:
                    balance += e["amount"]
                    if e["balance"] != balance:
                        problem = "balance %d is not the running sum of amounts (%d)" % (e["balance"], balance)
                    elif "figures" in e:
                        problem = figures_problem(e)
            if problem:
                problems[member] = (e["seq"], problem)
                break
            prev = e["hash"]
    return members, problems


ANCHOR = re.compile(r"v1:([0-9]{1,18}):([0-9a-f]{64})")


def anchor_of(entries, count):
    """The anchor "v1:N:HEX" of the first `count` entries, in file order (docs/ledger.md)."""
    heads = {}
    for e in entries[:count]:
        heads[e["member"]] = [e["member"], e["seq"], e["hash"]]
    # Python sorts str by code point, which is the byte order of UTF-8 the C++ side uses.
    text = json.dumps([heads[m] for m in sorted(heads)], separators=(",", ":"), ensure_ascii=False)
    return "v1:%d:%s" % (min(count, len(entries)), hashlib.sha256(text.encode("utf-8")).hexdigest())


def check_anchor(entries, anchor):
    """None, or why `entries` do not hold the history `anchor` pinned."""
    m = ANCHOR.fullmatch(anchor)
    if not m:
        raise LedgerFormatError("%r is not an anchor like v1:39:<64 hex digits>" % anchor)
    count = int(m.group(1))
    if len(entries) < count:
        return "the ledger holds %d entries, fewer than the %d the anchor covers: history was cut" % (len(entries), count)
    now = anchor_of(entries, count)
    if now != anchor:
        return "the first %d entries are not those anchored: %s, the anchor says %s" % (count, now, anchor)
    return None


def report(members, problems, out=sys.stdout):
    total = sum(len(c) for c in members.values())
    for member in sorted(members):
        chain = members[member]
        if member in problems:
            seq, problem = problems[member]
            print("FAIL  member %s seq %d: %s" % (member, seq, problem), file=out)
        else:
            print("ok    member %s: %d entries, balance %d, last hash %s"
                  % (member, len(chain), chain[-1]["balance"], chain[-1]["hash"]), file=out)
    print("%d entries, %d members: %s" % (total, len(members),
          "every chain verifies" if not problems else "%d member(s) with a broken chain" % len(problems)), file=out)


def self_test(entries):
    """Each tampered copy of a valid ledger must be caught at the right member and seq."""
    import copy

    members, problems = verify(entries)
    if problems:
        print("self-test: the ledger itself does not verify", file=sys.stderr)
        return False
    # The longest chain gives the most room to tamper in the middle.
    member = max(members, key=lambda m: len(members[m]))
    chain = members[member]
    if len(chain) < 3:
        print("self-test: needs a member with at least 3 entries", file=sys.stderr)
        return False

    def position(seq):
        return next(i for i, e in enumerate(entries) if e["member"] == member and e["seq"] == seq)

    cases = []
    t = copy.deepcopy(entries)
    t[position(2)]["amount"] += 1
    cases.append(("amount changed", t, 2, "hash does not match"))
    t = copy.deepcopy(entries)
    e = t[position(2)]
    e["amount"] += 1
    e["balance"] += 1
    e["hash"] = entry_hash(e)
    if "figures" in e:  # the figures no longer give the amount: found at the entry itself
        cases.append(("amount changed and entry re-hashed", t, 2, "its figures give"))
    else:
        cases.append(("amount changed and entry re-hashed", t, 3, "prev_hash does not match"))
    # An earn entry given more points and its figures' rounded too, the chain re-hashed: the
    # arithmetic re-derived from the figures finds it.
    earned = [e for e in chain if "figures" in e and e["kind"] == "earn"]
    if earned:
        seq = earned[0]["seq"]
        t = copy.deepcopy(entries)
        e = t[position(seq)]
        e["amount"] += 1
        e["figures"]["rounded"] += 1
        e["figures"].pop("cap", None)
        for i in range(position(seq), len(t)):
            if t[i]["member"] == member:
                if t[i]["seq"] > seq:
                    t[i]["prev_hash"] = prev
                t[i]["balance"] += 1
                t[i]["hash"] = entry_hash(t[i])
                prev = t[i]["hash"]
        cases.append(("earn re-derived wrong, chain re-hashed", t, seq, "figures: the total rounds"))
    t = copy.deepcopy(entries)
    del t[position(2)]
    cases.append(("entry deleted", t, 3, "sequence 3 where 2"))
    t = copy.deepcopy(entries)
    a, b = position(2), position(3)
    t[a], t[b] = t[b], t[a]
    cases.append(("entries swapped", t, 3, "sequence 3 where 2"))
    t = copy.deepcopy(entries)
    e = t[position(3)]
    e["prev_hash"] = "f" * 64
    e["hash"] = entry_hash(e)
    cases.append(("prev_hash broken", t, 3, "prev_hash does not match"))
    t = copy.deepcopy(entries)
    e = t[position(1)]
    e["balance"] += 7
    e["hash"] = entry_hash(e)
    cases.append(("balance wrong, re-hashed", t, 1, "running sum"))

    ok = True
    # The same instant in another offset is refused as text, before any hash is computed.
    e = copy.deepcopy(entries[position(2)])
    instant = datetime.datetime.strptime(e["at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    e["at"] = instant.astimezone(datetime.timezone(datetime.timedelta(hours=8))).isoformat()
    try:
        parse_ledger(json.dumps(e))
        caught = False
    except LedgerFormatError as err:
        caught = "'at'" in str(err)
    print("%s  %-36s -> %s" % ("ok  " if caught else "FAIL", "at written in +08:00",
                               "refused as not canonical" if caught else "accepted"))
    ok = ok and caught
    for name, tampered, seq, words in cases:
        _, found = verify(tampered)
        got = found.get(member)
        caught = got is not None and got[0] == seq and words in got[1] and set(found) == {member}
        print("%s  %-36s -> %s" % ("ok  " if caught else "FAIL", name,
                                   "member %s seq %d: %s" % (member, got[0], got[1]) if got else "not detected"))
        ok = ok and caught
    return ok


def main(argv):
    args = argv[1:]
    selftest, anchor, print_anchor = False, None, False
    if args and args[0] == "--self-test":
        selftest, args = True, args[1:]
    elif len(args) > 1 and args[0] == "--anchor":
        anchor, args = args[1], args[2:]
    elif args and args[0] == "--anchor-of":
        print_anchor, args = True, args[1:]
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(args[0], "r", encoding="utf-8", newline="") as f:
            entries = parse_ledger(f.read())
    except (OSError, UnicodeDecodeError, LedgerFormatError) as e:
        print("verify_ledger: %s: %s" % (args[0], e), file=sys.stderr)
        return 2
    if selftest:
        return 0 if self_test(entries) else 1
    if print_anchor:
        print(anchor_of(entries, len(entries)))
        return 0
    members, problems = verify(entries)
    report(members, problems)
    if anchor is not None:
        try:
            unanchored = check_anchor(entries, anchor)
        except LedgerFormatError as e:
            print("verify_ledger: %s" % e, file=sys.stderr)
            return 2
        print("FAIL  anchor %s: %s" % (anchor, unanchored) if unanchored
              else "ok    anchor %s: the first %s entries are the anchored history" % (anchor, anchor.split(":")[1]))
        if unanchored:
            return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
