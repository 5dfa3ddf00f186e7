"""loyalty: the rules core of a car dealership's membership programme, from Python.

    >>> import loyalty
    >>> engine = loyalty.Engine(loyalty.Program.reference())
    >>> ledger = engine.run([{"id": "e1", "member": "M1", "at": "2025-02-01T10:00:00+08:00", "type": "enrol"}])
    >>> ledger.balance("M1")
    500

Points are ``int``; money is ``decimal.Decimal`` (a float where money is expected raises
TypeError); instants are aware ``datetime`` (naive ones raise ValueError); days are ``date``.
Bad input raises :class:`Error` (a ValueError) with ``.error_id`` and ``.pointer``; business
refusals are outcomes with a reason code, never exceptions. See docs/python.md.
"""

from __future__ import annotations

import os as _os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import _convert
from ._core import MemberState, Program, __version__
from . import _core
from ._errors import Error, EventError, ProgramError
from ._values import (
    AccountMove,
    BenefitUse,
    BillComparison,
    BillDifference,
    EarnFigures,
    ReasonArgs,
    FleetAccount,
    LedgerEntry,
    LifetimeValue,
    Lot,
    MemberValue,
    Outcome,
    PriceAdjustment,
    PricedLine,
    PricedOrder,
    QuotaChange,
    QuotaSeen,
    QuotaUsedUp,
    Referral,
    Refusal,
    QualifyingTotals,
    RfmScores,
    TierKeep,
    TierReach,
    TierStanding,
    TierThreshold,
    TouchPoint,
    TraceLine,
    FieldDifference,
    VerificationProblem,
    VerificationReport,
)

__all__ = [
    "__version__",
    "AccountMove",
    "BenefitUse",
    "BillComparison",
    "BillDifference",
    "EarnFigures",
    "ReasonArgs",
    "Engine",
    "Error",
    "EventError",
    "FleetAccount",
    "Ledger",
    "LedgerEntry",
    "LifetimeValue",
    "Lot",
    "MemberState",
    "MemberValue",
    "Outcome",
    "PriceAdjustment",
    "PricedLine",
    "PricedOrder",
    "QuotaChange",
    "QuotaSeen",
    "QuotaUsedUp",
    "Program",
    "ProgramError",
    "Refusal",
    "Referral",
    "QualifyingTotals",
    "RfmScores",
    "TierKeep",
    "TierReach",
    "TierStanding",
    "TierThreshold",
    "TouchPoint",
    "TraceLine",
    "FieldDifference",
    "VerificationProblem",
    "VerificationReport",
    "compare",
    "verify",
]

Event = Union[str, bytes, Mapping[str, Any]]
Events = Union[str, bytes, "_os.PathLike[str]", Iterable[Event]]
Rules = Union[None, str, bytes, Mapping[str, Any]]


def _journal(events: Events) -> str:
    """A journal as JSON-lines text: from a path, JSON-lines text or an iterable of events."""
    if _convert.is_path(events):
        with open(events, encoding="utf-8") as f:  # type: ignore[arg-type]
            return f.read()
    return _convert.journal_text(events)  # type: ignore[arg-type]


def _rules_json(rules: Rules) -> str:
    """The member_value rules as JSON text ('' for the programme's own section)."""
    if rules is None:
        return ""
    if isinstance(rules, bytes):
        return rules.decode("utf-8")
    if isinstance(rules, str):
        return rules
    return _convert.program_json(rules)


class Ledger:
    """The result of :meth:`Engine.run`: the ledger of a whole journal, each member's state,
    and the events that were refused. Entries are converted to Python on first access."""

    __slots__ = ("_run", "_entries")

    def __init__(self, run: Any) -> None:
        self._run = run
        self._entries: Optional[Tuple[LedgerEntry, ...]] = None

    @property
    def written_to(self) -> Optional[str]:
        """The file the run wrote its ledger to (``run(..., ledger=PATH)``), else None. Such a
        run keeps no entries in memory: ``entries``, ``entries_of`` and ``to_jsonl`` read them
        back from the file."""
        return self._run.written_to  # type: ignore[no-any-return]

    @property
    def entries(self) -> Tuple[LedgerEntry, ...]:
        """Every entry, in the order they were posted."""
        if self._entries is None:
            self._entries = self._run.entries()
        return self._entries

    @property
    def members(self) -> Dict[str, MemberState]:
        """Each member's final state, by member id."""
        return self._run.members()

    @property
    def refusals(self) -> Tuple[Refusal, ...]:
        """Events the run refused (duplicates, unknown members, ...), with reason codes."""
        return self._run.refusals()

    @property
    def events(self) -> int:
        """How many events the run read."""
        return self._run.events

    def entries_of(self, member: str) -> Tuple[LedgerEntry, ...]:
        """One member's entries, in sequence."""
        return self._run.entries_of(member)

    def balance(self, member: str) -> int:
        """A member's balance at the end of the run (0 for a member never seen)."""
        state = self._run.members().get(member)
        return state.balance if state is not None else 0

    def to_dicts(self) -> List[Dict[str, Any]]:
        """The entries as a list of dicts (Python values: datetime, date, int)."""
        return [e.to_dict() for e in self.entries]

    def to_jsonl(self) -> str:
        """The ledger as JSON lines, in the format of docs/ledger.md."""
        return self._run.to_jsonl()

    def to_dataframe(self) -> Any:
        """The entries as a pandas DataFrame (needs pandas)."""
        import pandas  # optional dependency

        return pandas.DataFrame(self.to_dicts())

    def __len__(self) -> int:
        if self._entries is None:
            return self._run.entry_count  # type: ignore[no-any-return]
        return len(self._entries)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return (f"<loyalty.Ledger {len(self)} entries, {len(self.members)} members, "
                f"{len(self.refusals)} refused>")


class Engine:
    """The engine for one programme (or several versions of it, each judged by its
    effective_from): ``apply`` one event, ``run`` a whole journal, ``price`` a repair order.
    Pure: no clock and no I/O; the instant comes from each event."""

    __slots__ = ("_core",)

    def __init__(self, program: Union[Program, Sequence[Program]]) -> None:
        programs = [program] if isinstance(program, Program) else list(program)
        for p in programs:
            if not isinstance(p, Program):
                raise TypeError(f"Engine takes a loyalty.Program or a list of them, not {type(p).__name__}")
        self._core = _core.Engine(programs)

    @property
    def program(self) -> Program:
        """The latest version."""
        return self._core.latest()

    @property
    def currency(self) -> str:
        """The ISO 4217 code of the programme's currency ("CNY"): money without one is in it."""
        return self._core.currency

    def program_at(self, at: Any) -> Optional[Program]:
        """The version in force at ``at`` (an aware datetime), or None before the first."""
        return self._core.program_at(at)

    def apply(self, state: MemberState, event: Event) -> Outcome:
        """Applies one event (a dict or JSON text) to ``state`` and returns the Outcome.
        ``state`` itself is not changed; the next state is ``outcome.state``."""
        if not isinstance(state, MemberState):
            raise TypeError(f"state must be a loyalty.MemberState, not {type(state).__name__}")
        return self._core.apply(state, _convert.event_json(event))

    def apply_referral(self, referrer: MemberState, event: Event, referral: Referral) -> Outcome:
        """The referrer's side of ``outcome.referral`` (from ``apply`` of the referred member's
        ``event``): the referral reward, or its reversal, on the referrer's chain. ``run`` does
        this itself; call it when applying events one by one."""
        if not isinstance(referrer, MemberState):
            raise TypeError(f"referrer must be a loyalty.MemberState, not {type(referrer).__name__}")
        if not isinstance(referral, Referral):
            raise TypeError(f"referral must be a loyalty.Referral, not {type(referral).__name__}")
        return self._core.apply_referral(referrer, _convert.event_json(event), referral.referrer,
                                         referral.qualifying_event, referral.claw_back)

    def run(self, events: Events, threads: int = 1,
            ledger: Optional[Union[str, "_os.PathLike[str]"]] = None) -> Ledger:
        """Applies a whole journal, in order, from scratch: a list of event dicts (or JSON
        strings), JSON-lines text, or the path of a JSON-lines file. The C++ run happens in
        one call with the GIL released. A malformed event raises EventError before anything
        is applied or written.

        A file is streamed: it is read once, each event applied as it is read, so the run
        holds the members' states, not the journal; a malformed line raises EventError and
        the run is dropped (its ledger file is left as it was). With ``ledger``
        (a path), the entries go to that file as they are written, through a temporary file
        beside it renamed into place at the end (the file is the old one or the whole new
        one), and the run keeps none in memory: a journal file of any length replays in the
        memory its members' states take. The ledger file is the format of docs/ledger.md; a
        file that cannot be written raises LoyaltyError ``loyalty.io.cannot_write``.

        ``threads`` > 1 splits the journal into that many parts that replay at once, members
        linked by any event (referrals, transfers, fleet accounts, vehicles sold between
        members, shared event ids, a reward with a programme-wide stock) always in one part:
        the ledger, its order, the refusals and every member's state are those of one thread.
        The parts need the whole journal in memory."""
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError(f"threads must be an int, not {type(threads).__name__}")
        if ledger is not None and not isinstance(ledger, (str, _os.PathLike)):
            raise TypeError(f"ledger must be a path, not {type(ledger).__name__}")
        ledger_path = _os.fspath(ledger) if ledger is not None else ""
        if _convert.is_path(events):
            return Ledger(_core.run_file(self._core, _os.fspath(events), threads,  # type: ignore[arg-type]
                                         ledger_path))
        return Ledger(_core.run_jsonl(self._core, _convert.journal_text(events), threads,  # type: ignore[arg-type]
                                      ledger_path))

    def price(self, state: MemberState, order: Event, at: Any = None) -> PricedOrder:
        """Prices a repair_order event (dict or JSON text) for the member in ``state`` as of
        ``at`` (default: the event's own ``at``), without applying it."""
        if not isinstance(state, MemberState):
            raise TypeError(f"state must be a loyalty.MemberState, not {type(state).__name__}")
        return _core.price(self._core, state, _convert.event_json(order), at)

    def member_value(self, events: Events, as_of: Any, rules: Rules = None) -> Dict[str, MemberValue]:
        """Each member's RFM scores, lifetime value and life-cycle stage as of ``as_of`` (an aware
        datetime, or a date: its last second in the programme's time zone), from the journal
        ``events`` replayed up to then. ``rules``: the ``member_value`` section (dict or JSON
        text, docs/member-value.md); None uses the programme's own (or the defaults). Read-only."""
        return _core.member_values(self._core, _journal(events), as_of, _rules_json(rules))

    def touch_points(self, events: Events, as_of: Any, within: Optional[int] = None,
                     rules: Rules = None) -> Tuple[TouchPoint, ...]:
        """The touch points due from the as-of day to ``within`` days after it (default: the rules'
        ``within_days``), member by member, each sorted by day. The library reports them; it sends
        nothing. ``as_of`` and ``rules`` as for :meth:`member_value`."""
        return _core.touch_points(self._core, _journal(events), as_of, within, _rules_json(rules))

    def member_value_rules(self, rules: Rules = None) -> Dict[str, Any]:
        """The member value rules in force (the latest programme's section, or ``rules``) with
        every field, as plain JSON data: what member_value and touch_points use."""
        import json

        return json.loads(_core.member_value_rules(self._core, _rules_json(rules)))

    def verify(self, events: Events,
               entries: Union[Ledger, Iterable[LedgerEntry], str, "_os.PathLike[str]"]) -> VerificationReport:
        """Checks ``entries`` (a Ledger, LedgerEntry objects, ledger JSON-lines text or the path
        of a ledger file): every hash chain holds and replaying ``events`` reproduces them."""
        return verify(self, events, entries)

    def __repr__(self) -> str:
        return f"<loyalty.Engine {self.program!r}, {self._core.versions} version(s)>"


def compare(estimate: PricedOrder, final_bill: PricedOrder) -> BillComparison:
    """Every difference between an estimate and the final bill, line by line, with reasons."""
    for name, value in (("estimate", estimate), ("final_bill", final_bill)):
        if not isinstance(value, PricedOrder):
            raise TypeError(f"{name} must be a loyalty.PricedOrder, not {type(value).__name__}")
    return _core.compare(estimate, final_bill)


def verify(engine: Union[Engine, Program], events: Events,
           entries: Union[Ledger, Iterable[LedgerEntry], str, "_os.PathLike[str]"]) -> VerificationReport:
    """Auditor's check: every member's hash chain holds and replaying the journal ``events``
    from scratch reproduces ``entries`` entry for entry. ``entries``: a Ledger, LedgerEntry
    objects, ledger JSON-lines text, or the path of a ledger file (as ``events`` may be a path)."""
    import json

    if isinstance(engine, Program):
        engine = Engine(engine)
    if _convert.is_path(events):
        with open(events, encoding="utf-8") as f:  # type: ignore[arg-type]
            journal = f.read()
    else:
        journal = _convert.journal_text(events)  # type: ignore[arg-type]
    if isinstance(entries, Ledger):
        ledger = entries.to_jsonl()
    elif _convert.is_path(entries):
        with open(entries, encoding="utf-8") as f:  # type: ignore[arg-type]
            ledger = f.read()
    elif isinstance(entries, str):
        ledger = entries
    else:
        ledger = "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
    return _core.verify(engine._core, journal, ledger)
