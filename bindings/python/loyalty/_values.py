"""Immutable value objects returned by the engine.

Each is a frozen dataclass: it prints itself, compares by value, pickles, and converts to
plain Python data with ``to_dict()``. Money is ``decimal.Decimal`` (exact, in major units of
the programme currency), points are ``int``, instants aware UTC ``datetime``, days ``date``.
"""

from __future__ import annotations

import dataclasses as _dc
import datetime as _dt
import fractions as _fractions
from decimal import Decimal
from typing import Any, Dict, Optional, Tuple

from . import _convert


def _plain(value: Any) -> Any:
    if isinstance(value, _Value):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


class _Value:
    """Shared behaviour: to_dict()."""

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict; nested values become dicts, tuples become lists."""
        return {f.name: _plain(getattr(self, f.name)) for f in _dc.fields(self)}  # type: ignore[arg-type]


@_dc.dataclass(frozen=True)
class Lot(_Value):
    """A block of points earned together, with the day it expires."""

    id: str
    event: str
    rule: str
    earned_on: _dt.date
    available_at: _dt.datetime
    credited_at: _dt.datetime
    expires_on: Optional[_dt.date]
    earned: int
    remaining: int
    expired: int
    funder: str = ""  # who funds its points (when the programme declares funders), or ""


@_dc.dataclass(frozen=True)
class EarnFigures(_Value):
    """How an earning rule reached an earn (or carry) entry's points, as numbers (docs/ledger.md,
    "Earn figures"): ``total()`` = base x factors / per (+ carried), rounded once with
    ``rounding``, is ``rounded``; the entry's amount is ``rounded`` or, when a per-event or
    per-period cap cut it, ``cap``. ``base`` is money in major units for a per-amount rule, a
    bonus's points otherwise; ``factors`` are the rate (points per 1.00, or per ``per`` for a ratio
    rate such as 3 points per 7.00) and every multiplier in force."""

    base: Decimal
    factors: Tuple[Decimal, ...]
    rounding: str
    rounded: int
    carried: Optional[Decimal] = None  # a rule that carries its remainder: the remainder carried in
    cap: Optional[int] = None  # when a cap cut the points: what it left
    per: Optional[Decimal] = None  # a ratio rate: the amount its points are given per (7.00)

    def total(self) -> _fractions.Fraction:
        """base x factors / per + carried, exactly (before the one rounding): a Fraction, since
        a ratio rate's total is not always a finite decimal (10/9)."""
        x = _fractions.Fraction(self.base)
        for f in self.factors:
            x *= _fractions.Fraction(f)
        if self.per is not None:
            x /= _fractions.Fraction(self.per)
        return x + (_fractions.Fraction(self.carried) if self.carried is not None else 0)

    def to_json(self) -> Dict[str, Any]:
        """The figures in the JSON form of docs/ledger.md: decimals as strings."""
        d: Dict[str, Any] = {"base": str(self.base), "factors": [str(f) for f in self.factors],
                             "rounded": self.rounded, "rounding": self.rounding}
        if self.cap is not None:
            d["cap"] = self.cap
        if self.carried is not None:
            d["carried"] = str(self.carried)
        if self.per is not None:
            d["per"] = str(self.per)
        return d


@_dc.dataclass(frozen=True)
class ReasonArgs(_Value):
    """A ledger entry's reason arguments (ledger format 5): what its ``reason`` says that no other
    field holds, as values, which the entry's hash covers and the reason is rendered from
    (docs/ledger.md, "The reason's arguments"). ``code`` names the sentence; every other field
    is at its default unless that sentence uses it."""

    code: str = ""  # the sentence: "enrolled", "earned", "adjusted", ... ("" for an entry made without arguments)
    note: str = ""  # the event's own words (a reversal's or adjustment's reason, an account's name)
    staff: str = ""  # the operator of an adjustment
    reference: str = ""  # a benefit use's reference; a voucher use's RO number
    counterpart: str = ""  # the member or account on the other side
    other_lot: str = ""  # the lot points came from
    text: str = ""  # a sentence with no typed form yet, or a clause of one
    figure: int = 0  # a total the sentence names (points spent, sent, redeemed; a debt before)
    count: int = 0  # matching lines; a quantity; a line's index
    cash: int = 0  # money in minor units of the programme's currency
    on: Optional[_dt.date] = None  # a day the sentence names: an expiry day
    since: Optional[_dt.date] = None  # the day a lot was earned; the last day of activity
    base: str = "paid"  # how an earning counted its base: paid, counted, vehicle_price, bonus
    type: str = "repair_order"  # a bonus's event type
    sources: Tuple[Tuple[str, int], ...] = ()  # where each factor came from: ("rate", 0), ("multiplier", i), ("tier", i)
    capped_per_event: bool = False  # the rule's per-event cap cut the points
    period_used: Optional[int] = None  # the rule's per-period cap cut them: what the period had used

    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> "ReasonArgs":
        """From the JSON object a ledger line writes ("args": each key only when not its default)."""
        fields: Dict[str, Any] = dict(d)
        for k in ("on", "since"):
            if k in fields:
                fields[k] = _dt.date.fromisoformat(fields[k])
        if "sources" in fields:
            fields["sources"] = tuple((str(f), int(i)) for f, i in fields["sources"])
        return cls(**fields)

    def to_json(self) -> Dict[str, Any]:
        """The JSON object a ledger line writes: each key only when it is not its default."""
        d: Dict[str, Any] = {}
        for f in _dc.fields(self):
            value = getattr(self, f.name)
            if value == f.default:
                continue
            if isinstance(value, _dt.date):
                value = value.isoformat()
            elif f.name == "sources":
                value = [[src, index] for src, index in value]
            d[f.name] = value
        return d


@_dc.dataclass(frozen=True)
class LedgerEntry(_Value):
    """One immutable, hash-chained change to a member's points (see docs/ledger.md)."""

    member: str
    seq: int
    event: str
    at: _dt.datetime
    kind: str
    amount: int
    balance: int
    lot: str
    expires: Optional[_dt.date]
    rule: str
    program: str
    version: int
    reason: str
    reverses: str
    prev_hash: str
    hash: str
    money: str = ""  # money the entry records ("60.00 CNY": a voucher, a rebate, a benefit's discount), or ""
    funder: str = ""  # who funds what it moves (when the programme declares funders), or ""
    store: str = ""  # the store where its event happened (when the event names one), or ""
    figures: Optional[EarnFigures] = None  # an earning rule's earn or carry entry: how it reached its points
    debt_paid: Optional[int] = None  # a settle_debt entry: the debt its lot paid off (its amount is 0)
    uses: Optional[int] = None  # a benefit_use entry: the quota units it took; a benefit_return: those it gave back
    format: int = 5  # the ledger format it is hashed in: 5 (one hash per event and member), or 4 (read from an older ledger)
    args: Optional[ReasonArgs] = None  # format 5: the reason's arguments, which the entry's hash covers

    def to_json(self) -> Dict[str, Any]:
        """The entry in the JSON form of docs/ledger.md (what ``loyalty`` writes to ledger files)."""
        d = self.to_dict()
        d["at"] = _convert.instant_text(self.at)
        d["expires"] = self.expires.isoformat() if self.expires is not None else ""
        for k in ("money", "funder", "store"):
            if not d[k]:
                del d[k]  # only entries that have one carry the field
        if self.figures is None:
            del d["figures"]
        else:
            d["figures"] = self.figures.to_json()
        for k in ("debt_paid", "uses"):
            if d[k] is None:
                del d[k]  # only the entries of their kinds carry the field
        if self.format == 4:  # an entry of an older ledger: neither field
            del d["format"], d["args"]
        else:
            d["args"] = self.args.to_json() if self.args is not None else {}
        return d


@_dc.dataclass(frozen=True)
class TraceLine(_Value):
    """One step of an outcome's explanation: the rule, its programme version and what it did."""

    rule: str
    version: int
    text: str


@_dc.dataclass(frozen=True)
class Referral(_Value):
    """A referred member's event that pays the referrer's referral reward (or, ``claw_back``, takes
    it back). ``Engine.run`` posts the referrer's side; ``Engine.apply`` only reports it."""

    referrer: str
    qualifying_event: str
    claw_back: bool


@_dc.dataclass(frozen=True)
class AccountMove(_Value):
    """What a member's event means for the member's fleet account: ``what`` is ``"join"``,
    ``"leave"`` or ``"spend"`` (``amount`` of event ``event``, of local day ``on``, counts toward
    the account's spend; negative for a reversal). ``Engine.run`` posts it on the account."""

    what: str
    account: str
    member: str
    event: str
    on: Any  # datetime.date
    amount: Decimal


@_dc.dataclass(frozen=True)
class FleetAccount(_Value):
    """A fleet account's own figures (``MemberState.fleet`` of an account opened by open_account):
    its fleet policy, the company's name, the members in it now, and the money rebates posted."""

    policy: str
    name: str
    members: Tuple[str, ...]
    credit: Decimal


@_dc.dataclass(frozen=True)
class QualifyingTotals(_Value):
    """What a member did toward tier status over some days: the points the earning rules gave,
    the money paid, paid visits and vehicles bought."""

    points: int
    spend: Decimal
    visits: int
    vehicles: int


@_dc.dataclass(frozen=True)
class TierThreshold(_Value):
    """A tier's ``qualify`` or ``retain`` threshold: met when any stated measure (not None) is reached."""

    points: Optional[int]
    spend: Optional[Decimal]
    visits: Optional[int]
    vehicles: Optional[int]


@_dc.dataclass(frozen=True)
class TierKeep(_Value):
    """Keeping the held tier: at 00:00 local time of ``review_on`` it is kept when the judged window
    (``judged_first``..``judged_last``, totals ``judged``) or the grace after it (``grace_first``..
    ``grace_last``, totals ``grace``; None before the grace begins) reaches ``retain``."""

    tier: str
    judged_first: _dt.date
    judged_last: _dt.date
    judged: QualifyingTotals
    grace_first: Optional[_dt.date]
    grace_last: Optional[_dt.date]
    grace: Optional[QualifyingTotals]
    review_on: _dt.date
    retain: TierThreshold
    met: bool


@_dc.dataclass(frozen=True)
class TierReach(_Value):
    """Reaching the next tier up: an upgrade at once when the window in force reaches ``qualify``."""

    tier: str
    qualify: TierThreshold
    met: bool


@_dc.dataclass(frozen=True)
class TierStanding(_Value):
    """Where a member stands toward the tiers at an instant (``MemberState.tier_standing``): the
    window in force (``window``, e.g. "calendar_year 2026-01-01..2026-12-31") and its totals, what
    keeps the held tier (None when none is held or it cannot drop), what reaches the next tier
    (None at the highest), and, while the grace after the judged window runs, the day it ends."""

    window: str
    window_first: _dt.date
    window_last: _dt.date
    totals: QualifyingTotals
    held: str
    keep: Optional[TierKeep]
    next: Optional[TierReach]
    in_grace_until: Optional[_dt.date]


@_dc.dataclass(frozen=True)
class Outcome(_Value):
    """The result of applying one event.

    Accepted: ``accepted`` is True, ``refused`` None, ``state`` the next state. Refused (a business
    refusal, not an exception): ``refused`` is the reason code (``"insufficient_points"``), ``message``
    says why, ``state`` equals the state given and ``entries`` is empty.
    """

    accepted: bool
    refused: Optional[str]
    message: str
    backdated: bool
    state: Any  # loyalty.MemberState
    entries: Tuple[LedgerEntry, ...]
    trace: Tuple[TraceLine, ...]
    referral: Optional[Referral] = None  # the referrer's side, still to post (Engine.apply only)
    account: Optional[AccountMove] = None  # the fleet account's side, still to post (Engine.apply only)


@_dc.dataclass(frozen=True)
class Refusal(_Value):
    """An event a run refused, with the reason code and message."""

    event: str
    member: str
    code: str
    message: str


@_dc.dataclass(frozen=True)
class QuotaSeen(_Value):
    """A benefit's quota as pricing saw it at one line: ``used`` of ``allowed`` in the period
    ``first``..``last`` (local days, both included) of kind ``period`` (e.g. "calendar_year")."""

    used: int
    allowed: int
    period: str
    first: _dt.date
    last: _dt.date


@_dc.dataclass(frozen=True)
class PriceAdjustment(_Value):
    """One benefit applied to a priced line: the discount (money, positive) and why; ``quota``:
    its quota position before this line's uses (None for a benefit without a quota)."""

    benefit: str
    version: int
    amount: Decimal
    uses: int
    reason: str
    quota: Optional[QuotaSeen] = None


@_dc.dataclass(frozen=True)
class QuotaUsedUp(_Value):
    """A benefit that would have applied to a line but whose quota was used up."""

    benefit: str
    quota: QuotaSeen


@_dc.dataclass(frozen=True)
class PricedLine(_Value):
    """A repair-order line priced with the member's benefits: list price, net, adjustments, notes."""

    kind: str
    category: str
    operation: str
    quantity: Decimal
    unit_price: Decimal
    flags: Tuple[str, ...]
    list: Decimal
    net: Decimal
    adjustments: Tuple[PriceAdjustment, ...]
    notes: Tuple[str, ...]
    used_up: Tuple[QuotaUsedUp, ...] = ()


@_dc.dataclass(frozen=True)
class BenefitUse(_Value):
    """What closing a priced order would use of a benefit: quota units and money given."""

    benefit: str
    on: _dt.date
    uses: int
    discount: Decimal
    reference: str


@_dc.dataclass(frozen=True)
class PricedOrder(_Value):
    """A repair order priced for a member; money in ``currency``, every line explained."""

    program: str
    version: int
    currency: str
    lines: Tuple[PricedLine, ...]
    list_total: Decimal
    discount_total: Decimal
    net_total: Decimal
    labour_net: Decimal
    parts_net: Decimal
    consumes: Tuple[BenefitUse, ...]
    points_by_rule: Tuple[Tuple[str, int], ...]
    points_total: int


@_dc.dataclass(frozen=True)
class QuotaChange(_Value):
    """A quota benefit the estimate applied to a line and the bill applies less or not at all,
    because uses were taken in between: both positions, the uses and discounts of each line."""

    benefit: str
    at_estimate: QuotaSeen
    at_final: QuotaSeen
    estimate_uses: int
    final_uses: int
    estimate_discount: Decimal
    final_discount: Decimal
    used_up: bool
    used_in_between: Optional[int]  # None when the two positions are in different periods


@_dc.dataclass(frozen=True)
class BillDifference(_Value):
    """One difference between an estimate and the final bill, with the reason."""

    kind: str
    estimate_line: Optional[int]
    final_line: Optional[int]
    estimate_net: Decimal
    final_net: Decimal
    reason: str
    quota_changes: Tuple[QuotaChange, ...] = ()


@_dc.dataclass(frozen=True)
class BillComparison(_Value):
    """Every difference between an estimate and the final bill; ``change`` = final - estimate."""

    currency: str
    differences: Tuple[BillDifference, ...]
    estimate_total: Decimal
    final_total: Decimal
    change: Decimal

    @property
    def same(self) -> bool:
        """True when the bill agrees with the estimate line by line."""
        return not self.differences


@_dc.dataclass(frozen=True)
class FieldDifference(_Value):
    """A field in which a stored ledger entry and the replay's entry of its place differ, both
    values as the canonical form writes them (numbers and instants as text)."""

    field: str
    stored: str
    replayed: str


@_dc.dataclass(frozen=True)
class VerificationProblem(_Value):
    """The first problem found in one member's ledger; ``differences``: the fields in which its
    stored entry and the replay's differ (empty when one of them is missing)."""

    member: str
    seq: int
    problem: str
    differences: Tuple[FieldDifference, ...] = ()


@_dc.dataclass(frozen=True)
class VerificationReport(_Value):
    """Result of verify(): hash chains hold and a replay reproduces the ledger when ``ok``."""

    members: int
    entries: int
    problems: Tuple[VerificationProblem, ...]

    @property
    def ok(self) -> bool:
        """True when every chain holds and the replay reproduced the ledger: no problems."""
        return not self.problems


@_dc.dataclass(frozen=True)
class RfmScores(_Value):
    """Recency, frequency and monetary scores 1..5 with the figures they score: days since the
    last paid visit (None: none yet), paid visits and money paid in the window's local days
    ``window_first`` .. ``window_last`` (docs/member-value.md)."""

    recency: int
    frequency: int
    monetary: int
    days_since_paid_visit: Optional[int]
    visits: int
    paid: Decimal
    window_first: _dt.date
    window_last: _dt.date


@_dc.dataclass(frozen=True)
class LifetimeValue(_Value):
    """Customer lifetime value: total paid x 365 / observed days x r / (1 - r), rounded once;
    ``formula`` shows the figures."""

    total_paid: Decimal
    tenure_days: int
    observed_days: int
    annual_spend: Decimal
    value: Decimal
    formula: str


@_dc.dataclass(frozen=True)
class MemberValue(_Value):
    """A member's value as of an instant: RFM scores, lifetime value and life-cycle stage
    (prospect, new_owner, lapsed, at_risk, high_value, established) with the reason."""

    member: str
    stage: str
    stage_reason: str
    rfm: RfmScores
    lifetime: LifetimeValue


@_dc.dataclass(frozen=True)
class TouchPoint(_Value):
    """Something the store should act on, on local day ``on`` (care_call, birthday, maintenance_due,
    points_expiring, quota_unused); ``points`` and ``uses_left`` are 0 unless of that kind."""

    member: str
    kind: str
    on: _dt.date
    days_from_as_of: int
    subject: str
    points: int
    uses_left: int
    reason: str


for _cls in (Lot, LedgerEntry, TraceLine, Referral, AccountMove, FleetAccount, Outcome, Refusal, QuotaSeen, PriceAdjustment, QuotaUsedUp, PricedLine, BenefitUse, PricedOrder,
             QuotaChange, BillDifference, BillComparison, FieldDifference, VerificationProblem, VerificationReport, RfmScores, LifetimeValue,
             MemberValue, TouchPoint):
    _cls.__module__ = "loyalty"  # pickled as loyalty.<name>, stable if the private module moves
