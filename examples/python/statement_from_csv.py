#!/usr/bin/env python3
"""Members' statements from a dealer management system's CSV export of repair orders.

Each CSV row is one line of a repair order (as a DMS exports them); rows with the same RO
number make one order. The script turns the export into events (an enrolment per customer on
their "Member Since" day, then one closed repair_order per RO), runs them through the reference
4S club programme, and prints each member's balance, ledger and roll-forward.

    /usr/bin/python3 examples/python/statement_from_csv.py [repair_orders.csv]
"""

from __future__ import annotations

import csv
import datetime as dt
import pathlib
import sys
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from typing import Any, Dict, List, Sequence

import loyalty

HERE = pathlib.Path(__file__).resolve().parent


def read_events(path: pathlib.Path, zone: dt.tzinfo) -> List[Dict[str, Any]]:
    """Events from the CSV: enrolments first, then repair orders in the order they closed."""
    orders: Dict[str, Dict[str, Any]] = {}
    members: Dict[str, dt.date] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            member = row["Customer No."]
            members[member] = dt.date.fromisoformat(row["Member Since"])
            closed = dt.datetime.strptime(row["Closed At"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            order = orders.setdefault(row["RO No."], {
                "id": "ro:" + row["RO No."], "member": member, "at": closed, "type": "repair_order",
                "ro": row["RO No."], "vin": row["VIN"], "lines": []})
            order["lines"].append({
                "kind": row["Line Type"].strip().lower(),
                "category": row["Category"],
                "operation": row["Op Code"],
                "quantity": Decimal(row["Qty"]),         # exact: never float
                "unit_price": Decimal(row["Unit Price"]),
                "flags": [f for f in row["Flags"].split(";") if f],
            })
    enrolments: List[Dict[str, Any]] = [
        {"id": "enrol:" + m, "member": m, "type": "enrol", "at": dt.datetime.combine(since, dt.time(9, 0), tzinfo=zone)}
        for m, since in members.items()]

    def closed_at(event: Dict[str, Any]) -> dt.datetime:
        at: dt.datetime = event["at"]
        return at

    return sorted(enrolments, key=closed_at) + sorted(orders.values(), key=closed_at)


def roll_forward(entries: Sequence[loyalty.LedgerEntry]) -> Dict[str, int]:
    """opening + earned - expired +/- adjusted and reversed = closing, from the entries."""
    totals: Dict[str, int] = defaultdict(int)
    for e in entries:
        if e.kind == "earn":
            totals["earned"] += e.amount
        elif e.kind == "expire":
            totals["expired"] += e.amount
        elif e.amount:
            totals["adjusted"] += e.amount
    totals["closing"] = entries[-1].balance if entries else 0
    return dict(totals)


def main(argv: List[str]) -> int:
    path = pathlib.Path(argv[1]) if len(argv) > 1 else HERE / "repair_orders.csv"
    program = loyalty.Program.reference()
    engine = loyalty.Engine(program)
    events = read_events(path, zoneinfo.ZoneInfo(program.time_zone))
    ledger = engine.run(events)
    print(f"{program.name} ({program.id} v{program.version}): {len(events)} events, "
          f"{len(ledger)} ledger entries, {len(ledger.refusals)} refused")
    for refusal in ledger.refusals:
        print(f"  refused {refusal.event}: {refusal.code} ({refusal.message})")
    for member, state in sorted(ledger.members.items()):
        print(f"\nMember {member}: balance {state.balance} pt")
        entries = ledger.entries_of(member)
        for e in entries:
            local = e.at.astimezone(zoneinfo.ZoneInfo(program.time_zone))
            print(f"  {e.seq:>3} {local:%Y-%m-%d %H:%M} {e.kind:<12} {e.amount:>+7} {e.balance:>7}  {e.reason}")
        r = roll_forward(entries)
        print(f"  roll-forward: opening 0 + earned {r.get('earned', 0)} - expired {-r.get('expired', 0)}"
              f" +/- adjusted {r.get('adjusted', 0)} = closing {r['closing']}")
        assert r.get("earned", 0) + r.get("expired", 0) + r.get("adjusted", 0) == r["closing"] == state.balance
    report = engine.verify(events, ledger)
    print(f"\naudit: {'ok' if report.ok else 'FAILED'} ({report.members} members, {report.entries} entries)")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
