"""Name the source of a figure, its licence and the attribution it asks for, from the published ``sources``
table (``dashboard/sql/sources.sql``): the dashboard never reads the ETL's catalog. Plain data, no database."""
from __future__ import annotations

import re
from collections.abc import Mapping

BOUNDARIES = "wijkenbuurten"   # the source of the geometry, and of figures taken from its files
BOUNDARY_TABLE = re.compile(r"wijkenbuurten_(\d{4})")


class Sources:
    """The published sources by id.

    >>> sources = Sources([{"source_id": "kerncijfers", "name": "CBS Kerncijfers", "publisher": "CBS",
    ...                     "licence": "CC BY 4.0", "attribution": "Bron: CBS", "url": None},
    ...                    {"source_id": "wijkenbuurten", "name": "CBS/Kadaster Wijk- en buurtkaart",
    ...                     "publisher": "CBS, Kadaster", "licence": "CC BY 4.0", "attribution": "Bron: CBS, Kadaster",
    ...                     "url": None}])
    >>> sources.text("85984NED", "kerncijfers", 2024), sources.text("wijkenbuurten_2024", "kerncijfers", 2024)
    ('CBS (85984NED), 2024', 'CBS/Kadaster Wijk- en buurtkaart 2024')
    >>> sources.footer()
    'Bron: CBS (CC BY 4.0); Bron: CBS, Kadaster (CC BY 4.0)'
    """

    def __init__(self, rows: list[dict]):
        self.by_id = {r["source_id"]: r for r in rows}

    def _field(self, source_id: str, field: str) -> str:
        return (self.by_id.get(source_id) or {}).get(field) or ""

    def name(self, source_id: str) -> str:
        return self._field(source_id, "name") or source_id

    def licence(self, source_id: str) -> str:
        return self._field(source_id, "licence")

    def attribution(self, source) -> str:
        """What the source asks to be named as (``Bron: CBS``). ``source`` is a source id, or an indicator's
        published row: an indicator with an attribution of its own (a gemeente's own figures name their source)
        is named by that.

        >>> Sources([]).attribution({"source": "eigen", "attribution": "Bron: Bewonersenquête 2023"})
        'Bron: Bewonersenquête 2023'
        """
        if isinstance(source, Mapping):
            if source.get("attribution"):
                return source["attribution"]
            source = source["source"]
        return self._field(source, "attribution") or self._field(source, "publisher") or source

    def text(self, source_table: str | None, source_id: str, year: int | None) -> str:
        """Under a figure: the publisher, the table and the year (``CBS (85984NED), 2024``); a figure from the
        boundary files names those (``CBS/Kadaster Wijk- en buurtkaart 2024``)."""
        if not source_table:
            return ""
        match = BOUNDARY_TABLE.fullmatch(source_table)
        if match:
            return f"{self.name(BOUNDARIES)} {match.group(1)}"
        publisher = self._field(source_id, "publisher") or source_id
        return f"{publisher} ({source_table}), {year}" if year else f"{publisher} ({source_table})"

    def listed(self, used: set[str] | None = None) -> list[dict]:
        """The sources (those in ``used``, else all) with name, publisher, licence and attribution."""
        return [r for key, r in self.by_id.items() if used is None or key in used]

    def footer(self) -> str:
        """Every source's attribution with its licence, as under a map."""
        return "; ".join(f"{r['attribution']} ({r['licence']})" for r in self.by_id.values())
