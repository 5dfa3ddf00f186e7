#!/usr/bin/env python3
"""Deterministic synthetic journals for the reference 4S programme (JSON lines, docs/events.md).

    scripts/generate_journal.py --members 1000 --years 5 --seed 1 > journal.jsonl
    scripts/generate_journal.py --events 1000000 --seed 1 -o big.jsonl

The same arguments always give the same bytes (Python's random.Random, seeded; no clock, no
hash order). Each member lives through `--years` years from a day in the first year:

- enrolment, a vehicle bought on the day (70%) and now and then later (8% a year);
- 2 to 6 repair orders a year, between 08:00 and 18:00: maintenance visits (oil, filters,
  inspections, waxing, washes), repairs (brakes, air conditioning, batteries, wipers, tyres),
  accident repairs (lines flagged accident / insurance_paid, followed by the free claim
  handling), accessories now and then; list prices in CNY with two decimals;
- a birthday once a year (90% of members), a survey after half of the visits (at most one a
  month, so no survey goes unrewarded by the per-month cap);
- one member in ten enrols naming a referrer (`referred_by`), a member who joined earlier: the
  referrer is paid by the engine when the new member's first paid visit comes within the
  programme's referral window;
- service-item benefits: insurance renewal handling (60% a year), club tours and lectures;
- reversals of 2% of repair orders (a disputed bill) a few days later, and operator
  adjustments (goodwill credits; small deductions only once the member has earned enough).

With --rewards (redeem, cancel_redemption and transfer of docs/events.md; opt-in, so that the
default output, which the benchmarks use, stays the same bytes), members also redeem catalogue rewards (the car-care
kit, fitted wiper blades, a labour-fee voucher), cancel 10% of kit redemptions an hour later,
and, enrolled two by two in households, send points to their partner now and then. A member
only spends what the points earned in the previous 12 months surely cover (a lower bound:
69% of the list price of maintenance and repair lines without flags or free
operations (points are 1 per 1.00 CNY paid, labour at 70%), bonuses, less every
spend), so no spend is refused for want of points.

Line categories and flags are those of examples/programs/4s-club.json; if the programme named
by --program lists `line_categories`, lines of other categories are left out, and flag
combinations in its `forbidden_flags` are never written. Every event is one the engine
accepts for the reference programme: the expected refusal rate is 0 (the tests replay a
generated journal and check it).

Events are written in time order across members (ties broken by member, then by the member's
own order), all at +08:00. Ids are "<member>-<n>"; members are "G0000001", ...
"""
import argparse
import heapq
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

TZ = timezone(timedelta(hours=8))
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROGRAM = ROOT / "examples" / "programs" / "4s-club.json"

# (kind, category, operation, quantity, unit price in fen, flags)
MAINTENANCE = [
    [("labour", "maintenance", "OIL-CHANGE", "1", 12000, ()),
     ("part", "maintenance", "OIL-5W30-1L", "4", 6850, ()),
     ("part", "filters", "OIL-FILTER", "1", 4500, ())],
    [("labour", "maintenance", "SERVICE-A", "1", 35000, ()),
     ("part", "maintenance", "OIL-0W20-1L", "4.5", 7800, ()),
     ("labour", "maintenance", "AIR-FILTER-CHANGE", "1", 6000, ()),
     ("part", "filters", "AIR-FILTER", "1", 8500, ())],
    [("labour", "maintenance", "SERVICE-B", "1", 68000, ()),
     ("labour", "maintenance", "OIL-FILTER-CHANGE", "1", 6000, ()),
     ("part", "filters", "CABIN-FILTER", "1", 12000, ()),
     ("part", "maintenance", "SPARK-PLUG", "4", 6500, ())],
]
EXTRAS = [  # added to a maintenance visit now and then
    ("labour", "care", "INSPECT-36", "1", 19900, ()),
    ("labour", "care", "WAX-FULL", "1", 28000, ()),
    ("labour", "care", "WASH-EXT", "1", 3000, ()),
    ("labour", "tyres", "TYRE-INFLATE", "1", 1000, ()),
    ("part", "wipers", "WIPER-BLADES", "2", 9800, ()),
]
REPAIRS = [
    [("labour", "repair", "BRAKE-PADS", "1.5", 18000, ()),
     ("part", "brakes", "BRAKE-PAD-SET", "1", 46000, ())],
    [("labour", "repair", "AC-REPAIR", "2.5", 18000, ()),
     ("part", "repair", "AC-COMPRESSOR", "1", 235000, ())],
    [("labour", "repair", "BATTERY-CHANGE", "0.5", 18000, ()),
     ("part", "batteries", "BATTERY-70AH", "1", 89000, ())],
    [("labour", "tyres", "TYRE-FIT", "1", 16000, ()),
     ("part", "tyres", "TYRE-225-55R17", "4", 76000, ())],
    [("labour", "repair", "WARRANTY-SENSOR", "1", 24000, ("warranty",)),
     ("part", "repair", "O2-SENSOR", "1", 68000, ("warranty",))],
]
ACCIDENT = [
    ("labour", "repair", "BUMPER-REFIT", "2", 20000, ("accident", "insurance_paid")),
    ("part", "repair", "BUMPER", "1", 230000, ("accident", "insurance_paid")),
    ("labour", "repair", "PAINT-PANEL", "3", 22000, ("accident", "insurance_paid")),
    ("part", "repair", "HEADLAMP", "1", 126000, ("accident",)),
]
FREE_OPERATIONS = {"OIL-CHANGE", "OIL-FILTER-CHANGE", "AIR-FILTER-CHANGE", "WAX-FULL", "INSPECT-36", "WASH-EXT",
                   "TYRE-INFLATE"}
# (reward, points it costs, counted with what it can take off later earnings: a labour voucher
# spent on a repair order lowers what the member pays, so what the order earns, by up to 100)
REWARDS = [("car-care-kit", 300), ("wiper-blades", 600), ("labour-voucher-100", 1000 + 100)]
ACCESSORIES = [
    ("part", "accessory", "FLOOR-MATS", "1", 38000, ()),
    ("part", "accessory", "DASH-CAM", "1", 59900, ()),
    ("part", "accessory", "ROOF-BOX", "1", 189000, ()),
]


def money(fen):
    return f"{fen // 100}.{fen % 100:02d}"


class Programme:
    """What the generator needs to know of the programme: allowed categories and flag sets."""

    def __init__(self, path):
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        cats = doc.get("line_categories")
        self.categories = None if cats is None or "*" in cats else set(cats)
        self.forbidden = [set(c) for c in doc.get("forbidden_flags") or []]

    def line(self, spec):
        kind, category, operation, quantity, fen, flags = spec
        if self.categories is not None and category not in self.categories:
            return None
        flags = list(flags)
        while any(c <= set(flags) for c in self.forbidden):
            flags.pop()  # drop the last flag until no forbidden combination is left
        out = {"kind": kind, "category": category, "operation": operation}
        if quantity != "1":
            out["quantity"] = quantity
        out["unit_price"] = money(fen)
        if flags:
            out["flags"] = flags
        return out


class Member:
    def __init__(self, index, rng, prog, start, years, rewards=False, joins=()):
        self.id = f"G{index:07d}"
        self.index = index
        self.rng = rng
        self.prog = prog
        self.events = []  # (utc seconds, json line)
        self.n = 0
        self.last = None
        self.earned = 0  # a lower bound of points earned, so deductions never go below zero
        self.ledger = []  # (time, points): credits (+) and spends (-), for the 12-month lower bound
        self.rewards = rewards
        self.joins = joins  # (enrolment time, member id) of the members generated before
        self._live(start, years)

    def _surely_available(self, at):
        since = at - timedelta(days=365)
        return sum(p for t, p in self.ledger if t > since)

    def _emit(self, at, typ, **fields):
        if self.last is not None and at <= self.last:
            at = self.last + timedelta(seconds=60)  # strictly later than the member's previous event
        self.last = at
        self.n += 1
        eid = f"{self.id}-{self.n}"
        doc = {"id": eid, "member": self.id, "at": at.strftime("%Y-%m-%dT%H:%M:%S+08:00"), "type": typ}
        doc.update(fields)
        self.events.append((int(at.timestamp()), json.dumps(doc, separators=(",", ":"))))
        return eid

    def _shop_time(self, day):
        r = self.rng
        return day.replace(hour=8 + r.randrange(10), minute=r.randrange(60), second=r.randrange(60))

    def _repair_order(self, at, year_no):
        r = self.rng
        roll = r.random()
        specs = []
        accident = False
        if roll < 0.60:
            specs += r.choice(MAINTENANCE)
            specs += r.sample(EXTRAS, r.choice((0, 0, 1, 1, 2)))
        elif roll < 0.90:
            specs += r.choice(REPAIRS)
            if r.random() < 0.3:
                specs += MAINTENANCE[0]
        else:
            accident = True
            specs += r.sample(ACCIDENT, 2 + r.randrange(3))
        if r.random() < 0.15:
            specs.append(r.choice(ACCESSORIES))
        lines = [x for x in (self.prog.line(s) for s in specs) if x is not None]
        if not lines:
            return None, False
        ro = f"RO-{at.year % 100:02d}-{self.id[1:]}-{self.n + 1}"
        eid = self._emit(at, "repair_order", ro=ro, vin=self.vin, lines=lines)
        sure = sum(int(float(l.get("quantity", "1")) * int(l["unit_price"].replace(".", ""))) * 69 // 10000
                   for l in lines if l["category"] in ("maintenance", "repair") and not l.get("flags")
                   and l["operation"] not in FREE_OPERATIONS)
        self.ledger.append((at, sure))
        self.last_ro_points = sure
        # A lower bound of what it earns: a tenth of the non-accident list price (points are
        # 1 per CNY paid after discounts of at most 30%, and some lines earn nothing).
        self.earned += sum(
            int(float(l.get("quantity", "1")) * int(l["unit_price"].replace(".", ""))) // 1000
            for l in lines if "accident" not in l.get("flags", ()))
        return eid, accident

    def _live(self, start, years):
        r = self.rng
        joined = self._shop_time(start + timedelta(days=r.randrange(365)))
        self.joined = joined
        self.vin = f"LFV3A23C{r.randrange(10**9):09d}"
        enrol = {}
        if self.rewards:
            enrol["household"] = f"H{(self.index + 1) // 2:07d}"
        if r.random() < 0.1:
            # A referrer among the last members generated who enrolled strictly before.
            earlier = [m for t, m in self.joins[-200:] if t < joined]
            if earlier:
                enrol["referred_by"] = r.choice(earlier)
        self._emit(joined, "enrol", **enrol)
        self.earned += 500
        self.ledger.append((joined, 500))
        if r.random() < 0.7:
            self._emit(joined + timedelta(hours=1), "vehicle_purchase", vin=self.vin,
                       price=money(100 * (90000 + 1000 * r.randrange(300))))
        birthday = (1 + r.randrange(12), 1 + r.randrange(28))
        has_birthday = r.random() < 0.9
        last_survey_month = None
        for year_no in range(years):
            year_start = joined + timedelta(days=365 * year_no)
            plans = []  # (time, what)
            for _ in range(2 + r.randrange(5)):
                plans.append((self._shop_time(year_start + timedelta(days=1 + r.randrange(363))), "ro"))
            if has_birthday:
                for y in (year_start.year, year_start.year + 1):
                    bday = datetime(y, birthday[0], birthday[1], 8, 0, 0, tzinfo=TZ)
                    if year_start < bday <= year_start + timedelta(days=365):
                        plans.append((bday, "birthday"))
            if year_no > 0 and r.random() < 0.08:
                plans.append((self._shop_time(year_start + timedelta(days=r.randrange(365))), "vehicle"))
            if r.random() < 0.6:
                plans.append((self._shop_time(year_start + timedelta(days=300 + r.randrange(60))), "renewal"))
            for service, p in (("club-tour", 0.10), ("car-lecture", 0.10)):
                if r.random() < p:
                    plans.append((self._shop_time(year_start + timedelta(days=r.randrange(365))), service))
            if r.random() < 0.03:
                plans.append((self._shop_time(year_start + timedelta(days=r.randrange(365))), "adjustment"))
            if self.rewards and year_no > 0:
                for _ in range(r.randrange(3)):
                    plans.append((self._shop_time(year_start + timedelta(days=r.randrange(365))), "redeem"))
                if self.index % 2 == 0 and r.random() < 0.2:  # to the partner enrolled just before
                    plans.append((self._shop_time(year_start + timedelta(days=r.randrange(365))), "transfer"))
            plans.sort(key=lambda p: p[0])
            for at, what in plans:
                if what == "ro":
                    eid, accident = self._repair_order(at, year_no)
                    if eid is None:
                        continue
                    if accident:
                        self._emit(at + timedelta(minutes=30), "benefit_use", benefit="claim-handling",
                                   reference=f"CLM-{self.id}-{self.n}")
                    if r.random() < 0.02:
                        back = at + timedelta(days=1 + r.randrange(10))
                        self._emit(back, "reverse", event=eid, reason="RO cancelled: bill disputed and refunded")
                        self.ledger.append((back, -2 * self.last_ro_points))  # its credit, taken back
                    elif r.random() < 0.5:
                        survey_at = at + timedelta(days=1 + r.randrange(3), hours=2)
                        month = (survey_at.year, survey_at.month)
                        if month != last_survey_month:
                            last_survey_month = month
                            self._emit(survey_at, "survey", survey=f"CSI-{self.id}-{self.n}")
                elif what == "birthday":
                    self._emit(at, "birthday")
                    self.ledger.append((at, 200))
                elif what == "redeem":
                    reward, cost = r.choice(REWARDS)
                    if self._surely_available(at) >= cost + 200:
                        eid = self._emit(at, "redeem", reward=reward)
                        self.ledger.append((at, -cost))
                        if reward == "car-care-kit" and r.random() < 0.1:
                            self._emit(at + timedelta(hours=1), "cancel_redemption", redemption=eid,
                                       reason="changed their mind")
                            self.ledger.append((at, cost))
                elif what == "transfer":
                    amount = 100 * (1 + r.randrange(3))
                    if self._surely_available(at) >= amount + 200:
                        self._emit(at, "transfer", to=f"G{self.index - 1:07d}", points=amount)
                        self.ledger.append((at, -amount))
                elif what == "vehicle":
                    self.vin = f"LFV3A23C{r.randrange(10**9):09d}"
                    self._emit(at, "vehicle_purchase", vin=self.vin,
                               price=money(100 * (90000 + 1000 * r.randrange(300))))
                elif what == "renewal":
                    self._emit(at, "benefit_use", benefit="insurance-renewal", reference=f"POL-{self.id}-{year_no}")
                elif what in ("club-tour", "car-lecture"):
                    self._emit(at, "benefit_use", benefit=what)
                elif what == "adjustment":
                    if self.earned >= 2000 and r.random() < 0.4:
                        self._emit(at, "adjustment", points=-(100 * (1 + r.randrange(5))),
                                   reason="exchanged at the front desk for a car-wash voucher", operator="staff-07")
                        self.earned -= 500
                        self.ledger.append((at, -500))
                    else:
                        self._emit(at, "adjustment", points=100 * (1 + r.randrange(5)),
                                   reason="goodwill: long wait at the service desk", operator="staff-03")


def generate(out, members=None, events=None, years=5, seed=1, start="2025-01-01", program=DEFAULT_PROGRAM,
             rewards=False):
    """Writes the journal to `out` (a text stream); returns the number of events written."""
    prog = Programme(program)
    rng = random.Random(seed)
    start_day = datetime.fromisoformat(start).replace(tzinfo=TZ)
    limit = events if events is not None else None
    lists, total, index, joins = [], 0, 0, []
    while (members is not None and index < members) or (members is None and total < limit):
        index += 1
        m = Member(index, random.Random(rng.getrandbits(64)), prog, start_day, years, rewards, joins)
        joins.append((m.joined, m.id))
        evs = m.events
        if limit is not None and total + len(evs) > limit:
            evs = evs[: limit - total]  # the last member's history is cut short to hit the count
        lists.append([(t, index, k, line) for k, (t, line) in enumerate(evs)])
        total += len(evs)
    written = 0
    for _, _, _, line in heapq.merge(*lists):
        out.write(line)
        out.write("\n")
        written += 1
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--members", type=int, help="number of members (each lives --years years)")
    size.add_argument("--events", type=int, help="number of events: members are added until it is reached")
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2025-01-01", help="first possible enrolment day (local, +08:00)")
    ap.add_argument("--program", default=str(DEFAULT_PROGRAM), help="programme JSON (line categories, forbidden flags)")
    ap.add_argument("--rewards", action="store_true",
                    help="also redeem, cancel redemptions and transfer within households (docs/events.md)")
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    a = ap.parse_args(argv)
    if a.output:
        with open(a.output, "w", encoding="utf-8", newline="\n") as f:
            n = generate(f, a.members, a.events, a.years, a.seed, a.start, a.program, a.rewards)
    else:
        n = generate(sys.stdout, a.members, a.events, a.years, a.seed, a.start, a.program, a.rewards)
    print(f"{n} events", file=sys.stderr)


if __name__ == "__main__":
    main()
