# Quick start from Python (Debian's /usr/bin/python3, PYTHONPATH=<build>/python):
# run the sample journal through the reference 4S club, print balances, verify the ledger.
import sys
from decimal import Decimal

import loyalty

journal = sys.argv[1] if len(sys.argv) > 1 else "examples/events/4s-club-2025-2026.jsonl"
engine = loyalty.Engine(loyalty.Program.reference())
ledger = engine.run(journal)  # one call into C++, GIL released
for member in sorted(ledger.members):
    print(member, ledger.balance(member), "pt")
for refusal in ledger.refusals:
    print("refused", refusal.event, refusal.code)

# Price an oil change for Li Wei: the labour is free for members (benefit 2).
priced = engine.price(ledger.members["M001"], {
    "id": "q-1", "member": "M001", "type": "repair_order", "at": "2027-02-02T10:00:00+08:00",
    "lines": [{"kind": "labour", "category": "maintenance", "operation": "OIL-CHANGE", "unit_price": "120.00"},
              {"kind": "part", "category": "maintenance", "quantity": "4", "unit_price": Decimal("68.50")}]})
print("to pay", priced.net_total, [a.reason for line in priced.lines for a in line.adjustments])
assert priced.net_total == Decimal("274.00")
assert loyalty.verify(engine, journal, ledger).ok
