"""Exceptions of the loyalty package.

Bad input (a malformed programme or event) raises one of these, carrying the library's
stable error id and the JSON pointer of the offending field. Business refusals (not enough
points, a duplicate event) are not exceptions: they are outcomes with a reason code.
"""

from __future__ import annotations

from typing import Optional


class Error(ValueError):
    """Bad input refused by the loyalty library.

    ``error_id`` is the stable id (``"loyalty.program.invalid_rate"``), ``pointer`` the JSON
    pointer of the offending field (``"/earning_rules/2/rate"``, or ``""``), ``message`` the
    text for people. Read from a file or a journal, it also says where: ``file`` (the path, or
    ``""``), ``line`` (the journal's line, or the line of a programme's text; ``None`` when not
    known) and ``column`` (from 1, where the reader knows it: a JSON syntax error; else
    ``None``). ``str(error)`` reads ``"[id] FILE, line L, column C: (pointer) message"``, each
    part only when known.
    """

    error_id: str = ""
    pointer: str = ""
    message: str = ""
    file: str = ""
    line: Optional[int] = None
    column: Optional[int] = None

    def __init__(self, what: str, error_id: str = "", pointer: str = "", message: str = "", file: str = "",
                 line: Optional[int] = None, column: Optional[int] = None) -> None:
        super().__init__(what)
        self.error_id = error_id
        self.pointer = pointer
        self.message = message or what
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self):  # pickles with its id, pointer and place
        return (type(self), (str(self), self.error_id, self.pointer, self.message, self.file, self.line, self.column))


class ProgramError(Error):
    """A programme was refused as a whole (error ids ``loyalty.program.*``)."""


class EventError(Error):
    """An event was malformed (error ids ``loyalty.event.*``)."""


for _cls in (Error, ProgramError, EventError):
    _cls.__module__ = "loyalty"  # shown in tracebacks and used by pickle as loyalty.<name>
