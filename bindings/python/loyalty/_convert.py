"""Conversions of Python values into what the C++ core reads: exact, never via float."""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Union

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_SECOND = _dt.timedelta(seconds=1)


def _aware(value: Any, what: str) -> _dt.datetime:
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"{what}: expected an aware datetime.datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what}: naive datetime {value.isoformat()} refused; give it a time zone "
                         "(e.g. tzinfo=datetime.timezone.utc or zoneinfo.ZoneInfo('Asia/Shanghai'))")
    return value


def epoch_seconds(value: Any, what: str = "instant") -> int:
    """Whole seconds since 1970-01-01T00:00:00Z of an aware datetime (integer arithmetic)."""
    value = _aware(value, what)
    return (value - _EPOCH) // _SECOND


def instant_text(value: Any, what: str = "at") -> str:
    """RFC 3339 text of an aware datetime, in UTC, whole seconds (sub-seconds are refused)."""
    value = _aware(value, what)
    if value.microsecond:
        raise ValueError(f"{what}: instants are whole seconds; {value.isoformat()} has a fraction")
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def exact_text(value: Any, what: str = "amount") -> str:
    """The exact decimal text of money or a quantity: Decimal, int or str; float is refused."""
    if isinstance(value, float):
        raise TypeError(f"{what}: money and quantities must be decimal.Decimal, int or str, not float "
                        f"({value!r} may not be exact); write Decimal('{value!r}') or '{value!r}'")
    if isinstance(value, bool):
        raise TypeError(f"{what}: expected decimal.Decimal, int or str, not bool")
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{what}: {value} is not a finite amount")
        return str(value)
    if isinstance(value, (int, str)):
        return str(value)
    raise TypeError(f"{what}: expected decimal.Decimal, int or str, got {type(value).__name__}")


def _plain(value: Any, pointer: str) -> Any:
    """An event value as JSON-ready data: datetimes to RFC 3339, Decimals to exact text."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{pointer}/{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{pointer}/{i}") for i, v in enumerate(value)]
    if isinstance(value, _dt.datetime):
        return instant_text(value, pointer or "/")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        exact_text(value, pointer or "/")  # raises TypeError
    if isinstance(value, _decimal.Decimal):
        return exact_text(value, pointer)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise TypeError(f"{pointer or '/'}: cannot put a {type(value).__name__} in an event")


def event_json(event: Union[str, bytes, Mapping[str, Any]]) -> str:
    """One event as JSON text: from JSON text or a dict (datetimes aware, money as Decimal/str/int)."""
    if isinstance(event, bytes):
        return event.decode("utf-8")
    if isinstance(event, str):
        return event
    if isinstance(event, Mapping):
        return _json.dumps(_plain(event, ""), ensure_ascii=False, separators=(",", ":"))
    raise TypeError(f"an event is a dict or JSON text, not {type(event).__name__}")


def is_path(events: Any) -> bool:
    if isinstance(events, _os.PathLike):
        return True
    if isinstance(events, str):
        stripped = events.lstrip()
        return bool(stripped) and not stripped.startswith("{") and "\n" not in events
    return False


def journal_text(events: Union[str, bytes, Iterable[Any]]) -> str:
    """Events as JSON lines: JSON-lines text is passed on; dicts/JSON strings are joined."""
    if isinstance(events, bytes):
        return events.decode("utf-8")
    if isinstance(events, str):
        return events
    if isinstance(events, Mapping):
        raise TypeError("run() takes many events: a list of dicts, JSON-lines text or a path")
    return "\n".join(event_json(e).replace("\n", " ") for e in events) + "\n"


def _default(value: Any) -> Any:
    if isinstance(value, _decimal.Decimal):
        return exact_text(value)
    if isinstance(value, _dt.datetime):
        return instant_text(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    raise TypeError(f"cannot put a {type(value).__name__} in a programme")


def program_json(document: Mapping[str, Any]) -> str:
    """A programme dict as JSON text (Decimals as exact strings)."""
    if not isinstance(document, Mapping):
        raise TypeError(f"a programme document is a dict, not {type(document).__name__}")
    return _json.dumps(document, default=_default, ensure_ascii=False)
