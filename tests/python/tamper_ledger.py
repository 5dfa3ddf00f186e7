#!/usr/bin/python3
"""Writes a tampered copy of a ledger: the amount of the N-th line (default 3) goes up by 1,
its hash left as it was. Used by the python.verify_ledger_tampered test, which expects
scripts/verify_ledger.py to refuse the copy.

Usage: tamper_ledger.py IN.jsonl OUT.jsonl [LINE]
"""
import json
import sys


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    line_no = int(argv[3]) if len(argv) == 4 else 3
    with open(argv[1], encoding="utf-8") as f:
        lines = f.read().split("\n")
    entry = json.loads(lines[line_no - 1])
    entry["amount"] += 1
    lines[line_no - 1] = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with open(argv[2], "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))
    print("tampered line %d: member %s seq %d amount -> %d" % (line_no, entry["member"], entry["seq"], entry["amount"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
