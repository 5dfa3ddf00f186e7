"""Writes the benchmark journal as JSON lines on stdout: MEMBERS enrolments, then ORDERS
repair orders spread over two years, in time order (deterministic: the same bytes every run).

    /usr/bin/python3 make_journal.py [ORDERS=100000] [MEMBERS=1000] > journal.jsonl

Each repair order has 2 to 6 lines drawn from what a 4S store bills (maintenance and repair
labour, parts, accessories, a wax or an inspection now and then, an accident line, a warranty
line), so the reference programme's rules and benefits all do some work."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

LINES = [
    {"kind": "labour", "category": "maintenance", "operation": "OIL-CHANGE", "unit_price": "120.00"},
    {"kind": "part", "category": "maintenance", "operation": "OIL-5W30", "quantity": "4", "unit_price": "68.50"},
    {"kind": "part", "category": "filters", "operation": "OIL-FILTER", "unit_price": "45.00"},
    {"kind": "labour", "category": "repair", "operation": "BRAKE-PADS", "quantity": "1.5", "unit_price": "180.00"},
    {"kind": "part", "category": "brakes", "operation": "PADS-FRONT", "unit_price": "420.00"},
    {"kind": "part", "category": "accessory", "operation": "FLOOR-MATS", "unit_price": "399.00"},
    {"kind": "labour", "category": "care", "operation": "WAX-FULL", "unit_price": "280.00"},
    {"kind": "labour", "category": "care", "operation": "INSPECT-36", "unit_price": "199.00"},
    {"kind": "labour", "category": "care", "operation": "WASH-EXT", "unit_price": "30.00"},
    {"kind": "labour", "category": "repair", "operation": "PANEL-BEAT", "quantity": "3", "unit_price": "220.00",
     "flags": ["accident"]},
    {"kind": "part", "category": "repair", "operation": "GEARBOX", "unit_price": "8600.00", "flags": ["warranty"]},
]


def main() -> None:
    orders = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    members = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    rng = random.Random(20250101)
    start = dt.datetime(2025, 1, 2, 1, 0, tzinfo=dt.timezone.utc)
    span = int(dt.timedelta(days=730).total_seconds())
    events = []
    for m in range(members):
        events.append((start + dt.timedelta(seconds=m), f"enrol-{m:05d}", {"type": "enrol"}, m))
    for n in range(orders):
        at = start + dt.timedelta(days=1, seconds=rng.randrange(span))
        lines = [dict(line) for line in rng.sample(LINES, rng.randint(2, 6))]
        events.append((at, f"ro-{n:06d}", {"type": "repair_order", "ro": f"RO-{n:06d}", "lines": lines},
                       rng.randrange(members)))
    events.sort(key=lambda e: (e[0], e[1]))
    out = sys.stdout
    for at, event_id, body, m in events:
        record = {"id": event_id, "member": f"M{m:05d}", "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), **body}
        out.write(json.dumps(record, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
