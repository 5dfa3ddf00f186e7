"""Exceptions of the loyalty package.

Bad input (a malformed programme or event) raises one of these, carrying the library's
stable error id and the JSON pointer of the offending field. Business refusals (not enough
points, a duplicate event) are not exceptions: they are outcomes with a reason code.
"""

from __future__ import annotations


class Error(ValueError):
    """Bad input refused by the loyalty library.

    ``error_id`` is the stable id (``"loyalty.program.invalid_rate"``), ``pointer`` the JSON
    pointer of the offending field (``"/earning_rules/2/rate"``, or ``""``), ``message`` the
    text for people. ``str(error)`` reads ``"[id] (pointer) message"``.
    """

    error_id: str = ""
    pointer: str = ""
    message: str = ""

    def __init__(self, what: str, error_id: str = "", pointer: str = "", message: str = "") -> None:
        super().__init__(what)
        self.error_id = error_id
        self.pointer = pointer
        self.message = message or what

    def __reduce__(self):  # pickles with its id and pointer
        return (type(self), (str(self), self.error_id, self.pointer, self.message))


class ProgramError(Error):
    """A programme was refused as a whole (error ids ``loyalty.program.*``)."""


class EventError(Error):
    """An event was malformed (error ids ``loyalty.event.*``)."""


for _cls in (Error, ProgramError, EventError):
    _cls.__module__ = "loyalty"  # shown in tracebacks and used by pickle as loyalty.<name>
