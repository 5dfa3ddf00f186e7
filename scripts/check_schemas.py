#!/usr/bin/python3
"""Validate the example programmes and events against docs/program.schema.json and
docs/event.schema.json, and show that deliberately bad documents are rejected.

Needs the jsonschema package (Debian: python3-jsonschema; run with /usr/bin/python3).

Usage: check_schemas.py [--root DIR]      DIR defaults to the repository holding this script.
Exit status: 0 when every example validates and every bad document is rejected, 1 otherwise.
"""

import copy
import glob
import json
import os
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover
    print("check_schemas: the jsonschema package is needed (apt install python3-jsonschema; run /usr/bin/python3)",
          file=sys.stderr)
    sys.exit(2)


def validator_for(path):
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def first_error(validator, instance):
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    return "/" + "/".join(str(p) for p in e.absolute_path) + ": " + e.message[:200]


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if len(argv) == 3 and argv[1] == "--root":
        root = argv[2]
    elif len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    program_schema = validator_for(os.path.join(root, "docs", "program.schema.json"))
    event_schema = validator_for(os.path.join(root, "docs", "event.schema.json"))
    failures = 0
    checked = 0

    programs = sorted(glob.glob(os.path.join(root, "examples", "programs", "*.json")))
    for path in programs:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        problem = first_error(program_schema, doc)
        checked += 1
        rel = os.path.relpath(path, root)
        if problem:
            failures += 1
            print("FAIL  %s: %s" % (rel, problem))
        else:
            print("ok    %s" % rel)

    journals = sorted(glob.glob(os.path.join(root, "examples", "events", "*.jsonl")))
    for path in journals:
        rel = os.path.relpath(path, root)
        lines, before = 0, failures
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                lines += 1
                checked += 1
                problem = first_error(event_schema, json.loads(line))
                if problem:
                    failures += 1
                    print("FAIL  %s line %d: %s" % (rel, line_no, problem))
        print("%s  %s: %d events" % ("ok  " if failures == before else "FAIL", rel, lines))

    if not programs or not journals:
        print("FAIL  no examples found under %s" % root)
        failures += 1

    # Deliberately bad documents must be rejected, each for the reason given.
    if programs:
        with open(programs[0], encoding="utf-8") as f:
            good = json.load(f)
        bad_programs = []

        def bad(name, edit):
            doc = copy.deepcopy(good)
            edit(doc)
            bad_programs.append((name, doc))

        bad("negative points_per_unit", lambda d: d["earning_rules"][0].__setitem__("points_per_unit", "-1"))
        bad("misspelt key in lines", lambda d: d["earning_rules"][0]["lines"].__setitem__("categoriez", ["x"]))
        bad("unknown currency", lambda d: d.__setitem__("currency", "RMB"))
        bad("unknown rounding", lambda d: d.__setitem__("rounding", "nearest"))
        bad("missing expiry", lambda d: d.pop("expiry"))
        bad("unknown expiry policy", lambda d: d.__setitem__("expiry", {"policy": "weekly"}))
        bad("fixed bonus of 0 points", lambda d: d["earning_rules"][3].__setitem__("points", 0))
        bad("version as a string", lambda d: d.__setitem__("version", "1"))
        bad("unknown top-level key", lambda d: d.__setitem__("colour", "red"))

        def benefit(d, benefit_id):
            return next(b for b in d["benefits"] if b["id"] == benefit_id)

        bad("unknown benefit_stacking", lambda d: d.__setitem__("benefit_stacking", "cheapest"))
        bad("unknown benefit type", lambda d: benefit(d, "waxing").__setitem__("type", "voucher"))
        bad("discount pay of 1", lambda d: benefit(d, "labour-30-off").__setitem__("pay", "1"))
        bad("discount without pay", lambda d: benefit(d, "parts-10-off").pop("pay"))
        bad("free line without lines", lambda d: benefit(d, "exterior-wash").pop("lines"))
        bad("benefit lines naming no kind, category or operation",
            lambda d: benefit(d, "exterior-wash").__setitem__("lines", {"exclude_flags": ["accident"]}))
        bad("earn_on_covered_lines in benefit lines",
            lambda d: benefit(d, "labour-30-off")["lines"].__setitem__("earn_on_covered_lines", True))
        bad("lines on a service item",
            lambda d: benefit(d, "claim-handling").__setitem__("lines", {"operations": ["CLAIM"]}))
        bad("pay on a free line", lambda d: benefit(d, "waxing").__setitem__("pay", "0.5"))
        bad("quota of 0 uses", lambda d: benefit(d, "waxing")["quota"].__setitem__("uses", 0))
        bad("unknown quota period", lambda d: benefit(d, "inspection-36")["quota"].__setitem__("period", "fortnight"))
        bad("negative max_per_order", lambda d: benefit(d, "labour-30-off").__setitem__("max_per_order", "-1.00"))
        bad("days and weeks in one expiry",
            lambda d: d.__setitem__("expiry", {"policy": "days_after_earning", "days": 90, "weeks": 2}))
        bad("days under months_after_earning",
            lambda d: d.__setitem__("expiry", {"policy": "months_after_earning", "months": 3, "days": 90}))
        bad("expiry of 0 days", lambda d: d.__setitem__("expiry", {"policy": "days_after_earning", "days": 0}))
        bad("expiry of 5201 weeks", lambda d: d.__setitem__("expiry", {"policy": "weeks_after_earning", "weeks": 5201}))
        bad("unknown combine", lambda d: d.__setitem__("combine", "sum"))
        bad("rule group without combine", lambda d: d.__setitem__("rule_groups", [{"id": "visit"}]))
        bad("tier grace in days and in months", lambda d: d.__setitem__("tiers", {
            "window": {"period": "calendar_year"}, "grace_days": 31, "grace_months": 1,
            "levels": [{"id": "silver", "qualify": {"points": 0}}]}))
        for name, doc in bad_programs:
            checked += 1
            problem = first_error(program_schema, doc)
            if problem:
                print("ok    bad programme rejected (%s): %s" % (name, problem.split(":")[0]))
            else:
                failures += 1
                print("FAIL  bad programme accepted (%s)" % name)

        # Variants no example uses must still be accepted.
        for name, edit in [("90 days after earning", lambda d: d.__setitem__(
                               "expiry", {"policy": "days_after_earning", "days": 90})),
                           ("13 weeks after earning", lambda d: d.__setitem__(
                               "expiry", {"policy": "weeks_after_earning", "weeks": 13})),
                           ("an exclusive rule group", lambda d: (
                               d.__setitem__("rule_groups", [{"id": "spend", "combine": "best_for_member"}]),
                               d["earning_rules"][0].__setitem__("group", "spend"))),
                           ("combine first_match", lambda d: d.__setitem__("combine", "first_match")),
                           ("a rule that carries its remainder", lambda d: d["earning_rules"][0].__setitem__(
                               "carry_remainder", True)),
                           ("tier grace in months", lambda d: d.__setitem__("tiers", {
                               "window": {"period": "calendar_year"}, "grace_months": 3,
                               "levels": [{"id": "silver", "qualify": {"points": 0}}]}))]:
            checked += 1
            doc = copy.deepcopy(good)
            edit(doc)
            problem = first_error(program_schema, doc)
            if problem:
                failures += 1
                print("FAIL  good programme rejected (%s): %s" % (name, problem))
            else:
                print("ok    good programme accepted (%s)" % name)

    bad_events = [
        ("unknown type", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "wedding"}),
        ("zero adjustment", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "adjustment",
                             "points": 0, "reason": "r", "operator": "o"}),
        ("unknown flag", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "repair_order",
                          "lines": [{"kind": "part", "category": "c", "unit_price": "1", "flags": ["flood"]}]}),
        ("missing id", {"member": "M", "at": "2025-01-01T00:00:00Z", "type": "enrol"}),
        ("field of another type", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "enrol", "vin": "V"}),
        ("date without time", {"id": "x", "member": "M", "at": "2025-01-01", "type": "tick"}),
        ("benefit use without benefit", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "benefit_use",
                                         "reference": "CLM-1"}),
        ("benefit use with unknown flag", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "benefit_use",
                                           "benefit": "claim-handling", "flags": ["flood"]}),
        ("NUL in an id", {"id": "e-7\u0000x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "tick"}),
        ("line break at the end of a member", {"id": "x", "member": "M1\n", "at": "2025-01-01T00:00:00Z", "type": "tick"}),
        ("tab in a line's category", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "repair_order",
                                      "lines": [{"kind": "part", "category": "c\t", "unit_price": "1"}]}),
        ("NUL in a reason", {"id": "x", "member": "M", "at": "2025-01-01T00:00:00Z", "type": "adjustment", "points": 5,
                             "reason": "a\u0000b", "operator": "o"}),
        ("instant before 1970", {"id": "x", "member": "M", "at": "1969-12-31T23:59:59Z", "type": "tick"}),
        ("instant in 9999", {"id": "x", "member": "M", "at": "9999-12-31T00:00:00Z", "type": "enrol"}),
        ("period after 2199", {"id": "x", "member": "A", "at": "2025-01-01T00:00:00Z", "type": "settle_rebate",
                               "period_of": "2200-01-01"}),
    ]
    for name, doc in bad_events:
        checked += 1
        if first_error(event_schema, doc):
            print("ok    bad event rejected (%s)" % name)
        else:
            failures += 1
            print("FAIL  bad event accepted (%s)" % name)

    print("%d documents checked, %d problem(s)" % (checked, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
