"""Name the source of a figure the way it should stand under it."""
from __future__ import annotations

import re
from collections.abc import Mapping

from etl.catalog import load_catalog


def source_text(source_table: str | None, indicator_source: str, year: int | None) -> str:
    """``85984NED`` → ``CBS (85984NED), 2024``: the publisher, the table and the year.

    >>> source_text("wijkenbuurten_2024", "kerncijfers", 2024)
    'CBS/Kadaster Wijk- en buurtkaart 2024'
    """
    if not source_table:
        return ""
    sources = load_catalog().sources
    match = re.fullmatch(r"wijkenbuurten_(\d{4})", source_table)
    if match:
        return f"{sources['wijkenbuurten']['name']} {match.group(1)}"
    publisher = sources.get(indicator_source, {}).get("publisher", "CBS")
    return f"{publisher} ({source_table}), {year}" if year else f"{publisher} ({source_table})"


def attribution(indicator) -> str:
    """The source line of an indicator: its own where it has one (a gemeente's own figures name their source),
    else its source's (``indicator`` is its published row, or the key of its source).

    >>> attribution("kerncijfers"), attribution({"source": "eigen", "attribution": "Bron: Bewonersenquête 2023"})
    ('Bron: CBS', 'Bron: Bewonersenquête 2023')
    """
    if isinstance(indicator, Mapping):
        if indicator.get("attribution"):
            return indicator["attribution"]
        indicator = indicator["source"]
    return load_catalog().sources.get(indicator, {}).get("attribution", "Bron: CBS")
