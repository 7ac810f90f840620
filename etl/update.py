"""The plan of ``wijkbeeld etl update``: which steps load a gemeente's data (or the country's), from the catalogue.

Pure: gemeenten and years in, :class:`Step` s out. Each step is one existing job (``etl/jobs.py``) that commits on
its own: the boundaries of a year, the kerncijfers table of a year, the RIVM table. The tables per year are those
of ``[source.kerncijfers] tables`` in ``etl/indicators.toml``, the one place that names them.

>>> from etl.catalog import load_catalog
>>> for step in plan_steps(["GM0150"], [2023, 2024], load_catalog()):
...     print(step.name)
boundaries 2023
kerncijfers 2023 (85618NED)
boundaries 2024
kerncijfers 2024 (85984NED)
health (50120NED)
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from etl.catalog import Catalog
from etl.codes import level_of
from etl.errors import LoadError



@dataclass(frozen=True)
class Step:
    """One job of an update: ``kind`` is ``boundaries``, ``kerncijfers`` or ``health``."""

    kind: str
    year: int | None = None
    table: str | None = None

    @property
    def name(self) -> str:
        """How the step is named in messages and in the record of an interrupted update."""
        year = f" {self.year}" if self.year is not None else ""
        table = f" ({self.table})" if self.table else ""
        return f"{self.kind}{year}{table}"


def parse_gemeenten(values: Iterable[str] | None) -> list[str]:
    """``--gemeente`` values (repeated, or comma-separated) as sorted unique codes; none: the whole country.

    >>> parse_gemeenten(["GM0150", "gm0177, GM0150"])
    ['GM0150', 'GM0177']
    >>> parse_gemeenten(["GM15"])
    Traceback (most recent call last):
    ...
    etl.errors.LoadError: --gemeente: not a gemeente code (expected GM and four digits, e.g. GM0150) (value 'GM15')
    """
    codes = set()
    for value in values or ():
        for part in value.split(","):
            code = part.strip().upper()
            if level_of(code) != "gemeente":
                raise LoadError("not a gemeente code (expected GM and four digits, e.g. GM0150)", file="--gemeente",
                                value=part.strip())
            codes.add(code)
    return sorted(codes)


def parse_years(text: str | None, catalog: Catalog) -> list[int]:
    """``--jaren``: ``2019-2025`` or ``2024``; none: every year the catalogue has a kerncijfers table for.

    >>> from etl.catalog import load_catalog
    >>> parse_years("2023-2024", load_catalog()), parse_years("2021", load_catalog())
    ([2023, 2024], [2021])
    """
    known = sorted(int(year) for year in catalog.sources["kerncijfers"]["tables"])
    if not text:
        return known
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise LoadError("expected a year or a range of years, e.g. 2024 or 2019-2025", file="--jaren", value=text)
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        raise LoadError("the first year comes after the last", file="--jaren", value=text)
    unknown = [year for year in range(first, last + 1) if year not in known]
    if unknown:
        raise LoadError(f"no kerncijfers table known for {', '.join(map(str, unknown))} (known: "
                        f"{known[0]}-{known[-1]}; tables per year in etl/indicators.toml)", file="--jaren", value=text)
    return list(range(first, last + 1))


def plan_steps(gemeenten: list[str], years: list[int], catalog: Catalog) -> list[Step]:
    """Per year its boundaries and then its kerncijfers; the RIVM table (every wave) last.

    The same gemeenten and years give the same steps (an interrupted update resumes by their names). The
    gemeenten do not change the steps, only what each step asks for.
    """
    steps = []
    for year in sorted(set(years)):
        steps.append(Step("boundaries", year))
        steps.append(Step("kerncijfers", year, catalog.kerncijfers_table(year)))
    steps.append(Step("health", None, catalog.sources["gezondheid"]["tables"]["all"]))
    return steps


def plan_key(gemeenten: list[str], steps: list[Step]) -> str:
    """What identifies an update for resuming: its gemeenten (none: the country) and its steps.

    >>> steps = [Step("health", None, "50120NED")]
    >>> plan_key(["GM0150"], steps) == plan_key(["GM0150"], list(steps))
    True
    >>> plan_key(["GM0150"], steps) == plan_key([], steps)
    False
    """
    text = " ".join(gemeenten or ["NL"]) + " | " + " | ".join(step.name for step in steps)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
