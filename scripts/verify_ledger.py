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

Ledger format 5 (docs/ledger.md, "Ledger format 5"): a line with "format": 5 has the fields
above plus "args", the typed arguments its reason is rendered from; "reason" stays on the line
but is not hashed. The hash is one per *group*, the lines one event wrote for one member: a
run of the member's consecutive format-5 lines with the same prev_hash and hash, which must
share event, program and version. The group's hash is the SHA-256 of its compact binary form
(group_form: the tag "loyalty-ledger-5\\n", the 32 bytes of prev_hash, member, event,
program, version, then every line's fields, figures and args as LEB128 varints, zigzag for
signed, and length-prefixed UTF-8 text); its prev_hash is the hash of the member's previous
group or format-4 entry (64 zeros first). seq, balance, figures, debt_paid and uses are
checked line by line as above; a group whose hash does not match is named by its event and
seqs. A line without "format" is format 4 and verifies as above; both may appear in one
member's chain.

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
                                         prev_hash broken, balance wrong; on a format-5 line,
                                         an argument changed) are each caught
"""

import calendar
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


# Ledger format 5: the keys a format-5 line has on top of a format-4 line's, and its "args".
FORMAT5_FIELDS = {"format", "args"}
ARGS_TEXTS = ("note", "staff", "reference", "counterpart", "other_lot", "text")
ARGS_INTEGERS = ("figure", "count", "cash")
ARGS_DAYS = ("on", "since")
ARGS_KEYS = ({"code", "base", "type", "sources", "capped_per_event", "period_used"}
             | set(ARGS_TEXTS) | set(ARGS_INTEGERS) | set(ARGS_DAYS))
GROUP_TAG = b"loyalty-ledger-5\n"
EPOCH_DAY = datetime.date(1970, 1, 1)
INT64_MIN, INT64_MAX, UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1


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


def _day_number(text):
    """Days since 1970-01-01 of a day written YYYY-MM-DD (checked by the reader)."""
    return (datetime.date.fromisoformat(text) - EPOCH_DAY).days


def _args_problem(args):
    """None, or why a format-5 line's "args" are not as the ledger writes them."""
    if not isinstance(args, dict):
        return "'args' must be an object"
    unknown = sorted(set(args) - ARGS_KEYS)
    if unknown:
        return "'args' has unknown keys %s" % unknown
    if "code" in args and not isinstance(args["code"], str):
        return "'args' code must be a string"
    for k in ARGS_TEXTS + ("base", "type"):
        if k in args and not isinstance(args[k], str):
            return "'args' %s must be a string" % k
    for k in ARGS_INTEGERS + ("period_used",):
        if k in args and not (_is_int(args[k]) and INT64_MIN <= args[k] <= INT64_MAX):
            return "'args' %s must be an integer (64-bit)" % k
    for k in ARGS_DAYS:
        if k in args:
            v = args[k]
            try:
                if not isinstance(v, str) or not CANONICAL_DAY.fullmatch(v):
                    raise ValueError
                datetime.date.fromisoformat(v)
            except ValueError:
                return "'args' %s %r is not a day written YYYY-MM-DD" % (k, v)
    if "sources" in args:
        sources = args["sources"]
        if not isinstance(sources, list) or not all(
                isinstance(x, list) and len(x) == 2 and isinstance(x[0], str)
                and _is_int(x[1]) and 0 <= x[1] <= UINT64_MAX for x in sources):
            return "'args' sources must be a list of [from, index] pairs (a string, an integer 0 or more)"
    if "capped_per_event" in args and not isinstance(args["capped_per_event"], bool):
        return "'args' capped_per_event must be true or false"
    return None


def _format5_problem(entry):
    """None, or why a format-5 line cannot be hashed as the format says: its "args", and
    integers that do not fit the form's 64 bits."""
    problem = _args_problem(entry["args"])
    if problem:
        return problem
    numbers = [(k, entry[k]) for k in ("seq", "amount", "balance", "version", "debt_paid", "uses") if k in entry]
    if "figures" in entry:
        numbers += [("figures " + k, entry["figures"][k]) for k in ("rounded", "cap") if k in entry["figures"]]
    for k, v in numbers:
        if not INT64_MIN <= v <= INT64_MAX:
            return "'%s' %d does not fit a signed 64-bit integer" % (k, v)
    return None


# Format 5's canonical form (docs/ledger.md, "Ledger format 5"): binary, fields in a fixed order.
def enc_uint(n):
    """Unsigned LEB128: 7 bits a byte, least significant first, 0x80 on every byte but the last."""
    if not 0 <= n <= UINT64_MAX:
        raise ValueError("%d does not fit an unsigned 64-bit integer" % n)
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def enc_int(x):
    """A signed 64-bit integer zigzag-coded ((x << 1) ^ (x >> 63), as unsigned), then enc_uint."""
    if not INT64_MIN <= x <= INT64_MAX:
        raise ValueError("%d does not fit a signed 64-bit integer" % x)
    return enc_uint(((x << 1) ^ (x >> 63)) & UINT64_MAX)


def enc_text(s):
    """Its UTF-8 byte length (enc_uint), then its bytes."""
    b = s.encode("utf-8")
    return enc_uint(len(b)) + b


def enc_opt_int(x):
    """Byte 0 when x is None, else byte 1 and enc_int(x)."""
    return b"\x00" if x is None else b"\x01" + enc_int(x)


def enc_opt_text(s):
    """Byte 0 when s is None, else byte 1 and enc_text(s)."""
    return b"\x00" if s is None else b"\x01" + enc_text(s)


def figures_part(figures):
    """The figures of a line in the form: byte 0 when it has none."""
    if figures is None:
        return b"\x00"
    f = figures
    return b"".join([
        b"\x01", enc_text(f["base"]), enc_uint(len(f["factors"])), *(enc_text(x) for x in f["factors"]),
        enc_text(f.get("per", "")), enc_text(f["rounding"]), enc_int(f["rounded"]),
        enc_opt_int(f.get("cap")), enc_opt_text(f.get("carried")),
    ])


def args_part(args):
    """A line's "args" in the form, each absent key as its default."""
    sources = args.get("sources", [])
    return b"".join([
        enc_text(args.get("code", "")),
        *(enc_text(args.get(k, "")) for k in ARGS_TEXTS),
        *(enc_int(args.get(k, 0)) for k in ARGS_INTEGERS),
        *(enc_int(_day_number(args[k]) if k in args else 0) for k in ARGS_DAYS),
        enc_text(args.get("base", "paid")), enc_text(args.get("type", "repair_order")),
        enc_uint(len(sources)), *(enc_text(src) + enc_uint(index) for src, index in sources),
        b"\x01" if args.get("capped_per_event", False) else b"\x00",
        enc_opt_int(args.get("period_used")),
    ])


def entry_part(line):
    """One line of a group in the form (everything but member, event, program, version,
    prev_hash and hash, which the group's opening holds, and reason, which is not hashed)."""
    at = calendar.timegm(datetime.datetime.strptime(line["at"], "%Y-%m-%dT%H:%M:%SZ").timetuple())
    return b"".join([
        enc_int(line["seq"]), enc_int(at), enc_text(line["kind"]), enc_int(line["amount"]),
        enc_int(line["balance"]), enc_opt_int(line.get("debt_paid")), enc_text(line["lot"]),
        enc_opt_int(_day_number(line["expires"]) if line["expires"] else None),
        enc_text(line["rule"]), enc_text(line["reverses"]),
        enc_text(line.get("money", "")), enc_text(line.get("funder", "")), enc_text(line.get("store", "")),
        enc_opt_int(line.get("uses")), figures_part(line.get("figures")), args_part(line["args"]),
    ])


def group_form(lines):
    """The bytes a format-5 group's hash is taken over: the tag, the group's prev_hash (32 bytes),
    its member, event, program and version (the first line's), then each line in order."""
    first = lines[0]
    return b"".join([
        GROUP_TAG, bytes.fromhex(first["prev_hash"]), enc_text(first["member"]), enc_text(first["event"]),
        enc_text(first["program"]), enc_int(first["version"]), *(entry_part(e) for e in lines),
    ])


def group_hash(lines):
    return hashlib.sha256(group_form(lines)).hexdigest()


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
        # A line without "format" is format 4; "format": 5 adds "args" (and hashes by group).
        if "format" in entry and not (_is_int(entry["format"]) and entry["format"] == 5):
            raise LedgerFormatError("line %d: 'format' %s is not a ledger format this verifier reads (5, or no"
                                    " 'format' for format 4)" % (line_no, json.dumps(entry["format"])))
        required = FIELDS | FORMAT5_FIELDS if "format" in entry else FIELDS
        if not required <= keys or not keys <= required | OPTIONAL_FIELDS | TYPED_FIELDS:
            missing, extra = sorted(required - keys), sorted(keys - required - OPTIONAL_FIELDS - TYPED_FIELDS)
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
        problem = problem or (_format5_problem(entry) if "format" in entry else None)
        if problem:
            raise LedgerFormatError("line %d: %s" % (line_no, problem))
        # The kind is not checked against a list: it is covered by the hash, and a verifier
        # should keep working when the library adds kinds (docs/ledger.md lists them).
        entries.append(entry)
    return entries


def _is_format5(entry):
    return "format" in entry


def _group_problem(group):
    """None, or why a format-5 group's hash is not the SHA-256 of its form."""
    try:
        recomputed = group_hash(group)
    except UnicodeEncodeError:  # a text that is not Unicode (a lone surrogate) has no form
        recomputed = None
    if recomputed == group[0]["hash"]:
        return None
    # The C++ verifier's words (chain_checker::finish, ledger/hash_chain.hpp).
    return "hash does not match the content of the group of entries %d-%d (event %s)" % (
        group[0]["seq"], group[-1]["seq"], group[0]["event"])


def verify_chain(chain):
    """None, or (seq, message) of the first break in one member's entries, in file order.
    Format 4: each entry hashed on its own. Format 5: a run of lines with the same prev_hash and
    hash is one group, its hash checked when it ends; a break there is reported at its first seq."""
    prev, balance = GENESIS, 0
    group = []  # the lines of the format-5 group still open
    for i, e in enumerate(chain, start=1):
        if e["seq"] != i:
            return e["seq"], "sequence %d where %d was expected (entry missing or moved)" % (e["seq"], i)
        five = _is_format5(e)
        if group and not (five and e["prev_hash"] == group[0]["prev_hash"] and e["hash"] == group[0]["hash"]):
            problem = _group_problem(group)  # e ends the group
            if problem:
                return group[0]["seq"], problem
            prev, group = group[0]["hash"], []
        if not five:
            if e["prev_hash"] != prev:
                return e["seq"], "prev_hash does not match the previous entry's hash"
            try:
                recomputed = entry_hash(e)
            except UnicodeEncodeError:
                recomputed = None
            if recomputed != e["hash"]:
                return e["seq"], "hash does not match the entry's content"
        elif not group:
            if e["prev_hash"] != prev:
                return e["seq"], "prev_hash does not match the previous entry's hash (group of event %s)" % e["event"]
        else:
            for k in ("event", "program", "version"):
                if e[k] != group[0][k]:
                    return e["seq"], ("%s %s differs from its group's %s (%s): the lines that share a hash are"
                                      " one event's, of one program and version"
                                      % (k, json.dumps(e[k], ensure_ascii=False),
                                         json.dumps(group[0][k], ensure_ascii=False),
                                         "the group of entries from %d (event %s)" % (group[0]["seq"], group[0]["event"])))
        balance += e["amount"]
        if e["balance"] != balance:
            return e["seq"], "balance %d is not the running sum of amounts (%d)" % (e["balance"], balance)
        if "figures" in e:
            problem = figures_problem(e)
            if problem:
                return e["seq"], problem
        if five:
            group.append(e)
        else:
            prev = e["hash"]
    if group:
        problem = _group_problem(group)
        if problem:
            return group[0]["seq"], problem
    return None


def verify(entries):
    """Returns (members, problems): problems maps a member to (seq, message) of its first break."""
    members = {}
    for e in entries:
        members.setdefault(e["member"], []).append(e)
    problems = {}
    for member, chain in members.items():
        problem = verify_chain(chain)
        if problem:
            problems[member] = problem
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


def _chain_units(entries, member):
    """A member's chain as units hashed together, each a list of indices into entries: a
    format-4 entry alone, or a format-5 group (a run of lines with the same prev_hash and hash)."""
    units = []
    for i, e in enumerate(entries):
        if e["member"] != member:
            continue
        last = entries[units[-1][-1]] if units else None
        if (last is not None and _is_format5(e) and _is_format5(last)
                and (e["prev_hash"], e["hash"]) == (last["prev_hash"], last["hash"])):
            units[-1].append(i)
        else:
            units.append([i])
    return units


def _rehash(entries, unit, prev=None):
    """Hashes one unit of entries again (after prev, when given); returns its hash."""
    lines = [entries[i] for i in unit]
    for e in lines:
        if prev is not None:
            e["prev_hash"] = prev
    h = group_hash(lines) if _is_format5(lines[0]) else entry_hash(lines[0])
    for e in lines:
        e["hash"] = h
    return h


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
    units = _chain_units(entries, member)

    def position(seq):
        return next(i for i, e in enumerate(entries) if e["member"] == member and e["seq"] == seq)

    def unit_of(seq):
        return next(u for u in units if position(seq) in u)

    def first_seq(unit):
        return entries[unit[0]]["seq"]

    cases = []
    t = copy.deepcopy(entries)
    t[position(2)]["amount"] += 1
    if _is_format5(entries[position(2)]):  # hashed with its group, at its end: the balance is wrong first
        cases.append(("amount changed", t, member, 2, "running sum"))
    else:
        cases.append(("amount changed", t, member, 2, "hash does not match"))
    t = copy.deepcopy(entries)
    e = t[position(2)]
    e["amount"] += 1
    e["balance"] += 1
    _rehash(t, unit_of(2))
    if "figures" in e:  # the figures no longer give the amount: found at the entry itself
        cases.append(("amount changed and entry re-hashed", t, member, 2, "its figures give"))
    elif position(3) in unit_of(2):  # the next line of its group has the old balance
        cases.append(("amount changed and entry re-hashed", t, member, 3, "running sum"))
    else:
        cases.append(("amount changed and entry re-hashed", t, member, 3, "prev_hash does not match"))
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
        for i in range(position(seq) + 1, len(t)):
            if t[i]["member"] == member:
                t[i]["balance"] += 1
        e["balance"] += 1
        prev = GENESIS
        for unit in units:
            prev = _rehash(t, unit, prev)
        cases.append(("earn re-derived wrong, chain re-hashed", t, member, seq, "figures: the total rounds"))
    t = copy.deepcopy(entries)
    del t[position(2)]
    cases.append(("entry deleted", t, member, 3, "sequence 3 where 2"))
    t = copy.deepcopy(entries)
    a, b = position(2), position(3)
    t[a], t[b] = t[b], t[a]
    cases.append(("entries swapped", t, member, 3, "sequence 3 where 2"))
    t = copy.deepcopy(entries)
    _rehash(t, unit_of(3), "f" * 64)  # a group's lines share their prev_hash: all of them
    cases.append(("prev_hash broken", t, member, first_seq(unit_of(3)), "prev_hash does not match"))
    t = copy.deepcopy(entries)
    t[position(1)]["balance"] += 7
    _rehash(t, unit_of(1))
    cases.append(("balance wrong, re-hashed", t, member, 1, "running sum"))
    # Format 5: an argument of a line, which only its group's hash covers (a line of a group of
    # several, when there is one).
    groups = [u for m in members for u in _chain_units(entries, m) if _is_format5(entries[u[0]])]
    if groups:
        unit = max(groups, key=len)
        t = copy.deepcopy(entries)
        t[unit[-1]]["args"]["note"] = "forged"
        cases.append(("argument changed (format 5)", t, entries[unit[0]]["member"], entries[unit[0]]["seq"],
                      "hash does not match the content of the group"))

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
    for name, tampered, who, seq, words in cases:
        _, found = verify(tampered)
        got = found.get(who)
        caught = got is not None and got[0] == seq and words in got[1] and set(found) == {who}
        print("%s  %-36s -> %s" % ("ok  " if caught else "FAIL", name,
                                   "member %s seq %d: %s" % (who, got[0], got[1]) if got else "not detected"))
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
