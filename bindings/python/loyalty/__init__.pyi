# Type stubs of the loyalty package. tests/python/test_stubs.py checks that every public name
# here exists in the built module, and that the Python-level signatures match.
import datetime
import fractions
import os
from decimal import Decimal
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

__version__: str

Event = Union[str, bytes, Mapping[str, Any]]
Events = Union[str, bytes, os.PathLike[str], Iterable[Event]]
Rules = Union[None, str, bytes, Mapping[str, Any]]

class Error(ValueError):
    error_id: str
    pointer: str
    message: str
    file: str
    line: Optional[int]
    column: Optional[int]
    def __init__(self, what: str, error_id: str = ..., pointer: str = ..., message: str = ..., file: str = ...,
                 line: Optional[int] = ..., column: Optional[int] = ...) -> None: ...

class ProgramError(Error): ...
class EventError(Error): ...

class Program:
    @staticmethod
    def from_json(text: str) -> Program: ...
    @staticmethod
    def from_dict(document: Mapping[str, Any]) -> Program: ...
    @staticmethod
    def from_file(path: Union[str, os.PathLike[str]]) -> Program: ...
    @staticmethod
    def reference() -> Program: ...
    @staticmethod
    def reference_json() -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def effective_from(self) -> datetime.datetime: ...
    @property
    def pending_days(self) -> int: ...
    @property
    def earning_rules(self) -> List[str]: ...
    @property
    def benefits(self) -> List[str]: ...
    @property
    def digest(self) -> str: ...
    def to_json(self, indent: Optional[int] = ...) -> str: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __getstate__(self) -> str: ...
    def __setstate__(self, state: str) -> None: ...

class MemberState:
    def __init__(self, member: str = ...) -> None: ...
    @property
    def member(self) -> str: ...
    @property
    def enrolled(self) -> bool: ...
    @property
    def member_since(self) -> Optional[datetime.date]: ...
    @property
    def vehicles(self) -> Tuple[str, ...]: ...
    @property
    def balance(self) -> int: ...
    @property
    def debt(self) -> int: ...
    @property
    def referred_by(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def account_policy(self) -> str: ...
    @property
    def fleet(self) -> Optional[FleetAccount]: ...
    @property
    def tier(self) -> str: ...
    @property
    def account_tier(self) -> str: ...
    def held_tier(self, program: Program) -> str: ...
    def tier_review_on(self, program: Program) -> Optional[datetime.date]: ...
    def tier_standing(self, program: Program, at: datetime.datetime) -> Optional[TierStanding]: ...
    @property
    def lots(self) -> Tuple[Lot, ...]: ...
    @property
    def last_seq(self) -> int: ...
    @property
    def last_hash(self) -> str: ...
    def available(self, at: datetime.datetime) -> int: ...
    def pending(self, at: datetime.datetime) -> int: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(text: str) -> MemberState: ...
    def to_dict(self) -> Dict[str, Any]: ...
    @staticmethod
    def from_dict(snapshot: Mapping[str, Any]) -> MemberState: ...
    def __eq__(self, other: object) -> bool: ...
    def __getstate__(self) -> str: ...
    def __setstate__(self, state: str) -> None: ...

class Lot:
    id: str
    event: str
    rule: str
    earned_on: datetime.date
    available_at: datetime.datetime
    credited_at: datetime.datetime
    expires_on: Optional[datetime.date]
    earned: int
    remaining: int
    expired: int
    funder: str
    def to_dict(self) -> Dict[str, Any]: ...

class EarnFigures:
    base: Decimal
    factors: Tuple[Decimal, ...]
    rounding: str
    rounded: int
    carried: Optional[Decimal]
    cap: Optional[int]
    per: Optional[Decimal]
    def total(self) -> fractions.Fraction: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> Dict[str, Any]: ...

class ReasonArgs:
    code: str
    note: str
    staff: str
    reference: str
    counterpart: str
    other_lot: str
    text: str
    figure: int
    count: int
    cash: int
    on: Optional[datetime.date]
    since: Optional[datetime.date]
    base: str
    type: str
    sources: Tuple[Tuple[str, int], ...]
    capped_per_event: bool
    period_used: Optional[int]
    def __init__(self, code: str = ..., note: str = ..., staff: str = ..., reference: str = ...,
                 counterpart: str = ..., other_lot: str = ..., text: str = ..., figure: int = ..., count: int = ...,
                 cash: int = ..., on: Optional[datetime.date] = ..., since: Optional[datetime.date] = ...,
                 base: str = ..., type: str = ..., sources: Tuple[Tuple[str, int], ...] = ...,
                 capped_per_event: bool = ..., period_used: Optional[int] = ...) -> None: ...
    @classmethod
    def from_json(cls, d: Dict[str, Any]) -> ReasonArgs: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> Dict[str, Any]: ...

class LedgerEntry:
    member: str
    seq: int
    event: str
    at: datetime.datetime
    kind: str
    amount: int
    balance: int
    lot: str
    expires: Optional[datetime.date]
    rule: str
    program: str
    version: int
    reason: str
    reverses: str
    prev_hash: str
    hash: str
    money: str
    funder: str
    store: str
    figures: Optional[EarnFigures]
    debt_paid: Optional[int]
    uses: Optional[int]
    format: int
    args: Optional[ReasonArgs]
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self) -> Dict[str, Any]: ...

class TraceLine:
    rule: str
    version: int
    text: str
    def to_dict(self) -> Dict[str, Any]: ...

class Referral:
    referrer: str
    qualifying_event: str
    claw_back: bool
    def to_dict(self) -> Dict[str, Any]: ...

class AccountMove:
    what: str
    account: str
    member: str
    event: str
    on: datetime.date
    amount: Decimal
    def to_dict(self) -> Dict[str, Any]: ...

class QualifyingTotals:
    points: int
    spend: Decimal
    visits: int
    vehicles: int
    def to_dict(self) -> Dict[str, Any]: ...

class TierThreshold:
    points: Optional[int]
    spend: Optional[Decimal]
    visits: Optional[int]
    vehicles: Optional[int]
    def to_dict(self) -> Dict[str, Any]: ...

class TierKeep:
    tier: str
    judged_first: datetime.date
    judged_last: datetime.date
    judged: QualifyingTotals
    grace_first: Optional[datetime.date]
    grace_last: Optional[datetime.date]
    grace: Optional[QualifyingTotals]
    review_on: datetime.date
    retain: TierThreshold
    met: bool
    def to_dict(self) -> Dict[str, Any]: ...

class TierReach:
    tier: str
    qualify: TierThreshold
    met: bool
    def to_dict(self) -> Dict[str, Any]: ...

class TierStanding:
    window: str
    window_first: datetime.date
    window_last: datetime.date
    totals: QualifyingTotals
    held: str
    keep: Optional[TierKeep]
    next: Optional[TierReach]
    in_grace_until: Optional[datetime.date]
    def to_dict(self) -> Dict[str, Any]: ...

class FleetAccount:
    policy: str
    name: str
    members: Tuple[str, ...]
    credit: Decimal
    def to_dict(self) -> Dict[str, Any]: ...

class Outcome:
    accepted: bool
    refused: Optional[str]
    message: str
    backdated: bool
    state: MemberState
    entries: Tuple[LedgerEntry, ...]
    trace: Tuple[TraceLine, ...]
    referral: Optional[Referral]
    account: Optional[AccountMove]
    def to_dict(self) -> Dict[str, Any]: ...

class Refusal:
    event: str
    member: str
    code: str
    message: str
    def to_dict(self) -> Dict[str, Any]: ...

class QuotaSeen:
    used: int
    allowed: int
    period: str
    first: datetime.date
    last: datetime.date
    def to_dict(self) -> Dict[str, Any]: ...

class PriceAdjustment:
    benefit: str
    version: int
    amount: Decimal
    uses: int
    reason: str
    quota: Optional[QuotaSeen]
    def to_dict(self) -> Dict[str, Any]: ...

class QuotaUsedUp:
    benefit: str
    quota: QuotaSeen
    def to_dict(self) -> Dict[str, Any]: ...

class PricedLine:
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
    used_up: Tuple[QuotaUsedUp, ...]
    def to_dict(self) -> Dict[str, Any]: ...

class BenefitUse:
    benefit: str
    on: datetime.date
    uses: int
    discount: Decimal
    reference: str
    def to_dict(self) -> Dict[str, Any]: ...

class PricedOrder:
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
    def to_dict(self) -> Dict[str, Any]: ...

class QuotaChange:
    benefit: str
    at_estimate: QuotaSeen
    at_final: QuotaSeen
    estimate_uses: int
    final_uses: int
    estimate_discount: Decimal
    final_discount: Decimal
    used_up: bool
    used_in_between: Optional[int]
    def to_dict(self) -> Dict[str, Any]: ...

class BillDifference:
    kind: str
    estimate_line: Optional[int]
    final_line: Optional[int]
    estimate_net: Decimal
    final_net: Decimal
    reason: str
    quota_changes: Tuple[QuotaChange, ...]
    def to_dict(self) -> Dict[str, Any]: ...

class BillComparison:
    currency: str
    differences: Tuple[BillDifference, ...]
    estimate_total: Decimal
    final_total: Decimal
    change: Decimal
    @property
    def same(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

class FieldDifference:
    field: str
    stored: str
    replayed: str
    def to_dict(self) -> Dict[str, Any]: ...

class VerificationProblem:
    member: str
    seq: int
    problem: str
    differences: Tuple[FieldDifference, ...]
    def to_dict(self) -> Dict[str, Any]: ...

class VerificationReport:
    members: int
    entries: int
    problems: Tuple[VerificationProblem, ...]
    @property
    def ok(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

class RfmScores:
    recency: int
    frequency: int
    monetary: int
    days_since_paid_visit: Optional[int]
    visits: int
    paid: Decimal
    window_first: datetime.date
    window_last: datetime.date
    def to_dict(self) -> Dict[str, Any]: ...

class LifetimeValue:
    total_paid: Decimal
    tenure_days: int
    observed_days: int
    annual_spend: Decimal
    value: Decimal
    formula: str
    def to_dict(self) -> Dict[str, Any]: ...

class MemberValue:
    member: str
    stage: str
    stage_reason: str
    rfm: RfmScores
    lifetime: LifetimeValue
    def to_dict(self) -> Dict[str, Any]: ...

class TouchPoint:
    member: str
    kind: str
    on: datetime.date
    days_from_as_of: int
    subject: str
    points: int
    uses_left: int
    reason: str
    def to_dict(self) -> Dict[str, Any]: ...

class Ledger:
    def __init__(self, run: Any) -> None: ...
    @property
    def written_to(self) -> Optional[str]: ...
    @property
    def entries(self) -> Tuple[LedgerEntry, ...]: ...
    @property
    def members(self) -> Dict[str, MemberState]: ...
    @property
    def refusals(self) -> Tuple[Refusal, ...]: ...
    @property
    def events(self) -> int: ...
    def entries_of(self, member: str) -> Tuple[LedgerEntry, ...]: ...
    def balance(self, member: str) -> int: ...
    def to_dicts(self) -> List[Dict[str, Any]]: ...
    def to_jsonl(self) -> str: ...
    def to_dataframe(self) -> Any: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[LedgerEntry]: ...

class Engine:
    def __init__(self, program: Union[Program, Sequence[Program]]) -> None: ...
    @property
    def program(self) -> Program: ...
    @property
    def currency(self) -> str: ...
    def program_at(self, at: datetime.datetime) -> Optional[Program]: ...
    def apply(self, state: MemberState, event: Event) -> Outcome: ...
    def apply_referral(self, referrer: MemberState, event: Event, referral: Referral) -> Outcome: ...
    def run(self, events: Events, threads: int = ...,
            ledger: Optional[Union[str, os.PathLike[str]]] = ...) -> Ledger: ...
    def price(self, state: MemberState, order: Event, at: Optional[datetime.datetime] = ...) -> PricedOrder: ...
    def member_value(self, events: Events, as_of: Union[datetime.datetime, datetime.date],
                     rules: Rules = ...) -> Dict[str, MemberValue]: ...
    def touch_points(self, events: Events, as_of: Union[datetime.datetime, datetime.date], within: Optional[int] = ...,
                     rules: Rules = ...) -> Tuple[TouchPoint, ...]: ...
    def member_value_rules(self, rules: Rules = ...) -> Dict[str, Any]: ...
    def verify(self, events: Events,
               entries: Union[Ledger, Iterable[LedgerEntry], str, os.PathLike[str]]) -> VerificationReport: ...

def compare(estimate: PricedOrder, final_bill: PricedOrder) -> BillComparison: ...
def verify(engine: Union[Engine, Program], events: Events,
           entries: Union[Ledger, Iterable[LedgerEntry], str, os.PathLike[str]]) -> VerificationReport: ...
