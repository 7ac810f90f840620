"""Typed errors that say where bad input is: file, row and field."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong."""

    message: str
    file: str | None = None
    row: int | None = None
    field: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = [str(self.file)] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field:
            where.append(f"field '{self.field}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            shown = repr(self.value)
            text += f" (value {shown[:80]})"
        return text


class LoadError(Exception):
    """A load that must stop: nothing of it is written.

    Carries one or more :class:`Problem` so the user sees every one at once.

    >>> str(LoadError("unknown code", file="a.csv", row=3, field="buurtcode", value="BU1"))
    "a.csv, row 3, field 'buurtcode': unknown code (value 'BU1')"
    """

    def __init__(self, message: str | None = None, *, file=None, row=None, field=None, value=None,
                 problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if message is not None:
            self.problems.insert(0, Problem(message, file=file, row=row, field=field, value=value))
        if not self.problems:
            raise ValueError("LoadError needs a message or problems")
        super().__init__(str(self))

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class PublishError(Exception):
    """Publishing stopped; the published files are as they were."""


class SchemaVersionError(Exception):
    """A database whose schema version this wijkbeeld cannot work with, or a migration that failed."""
