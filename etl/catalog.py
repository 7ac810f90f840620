"""The declarative indicator catalog (``indicators.toml``) and how source columns resolve into it."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

CATALOG_PATH = Path(__file__).with_name("indicators.toml")
THEMES = ("armoede", "energie", "eenzaamheid", "bevolking")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
# what every source declares: the dashboard names it, its publisher and licence under the figures it gave
SOURCE_FIELDS = ("name", "publisher", "licence", "attribution")


@dataclass(frozen=True)
class Indicator:
    id: str
    label_nl: str
    label_en: str
    theme: str
    unit: str
    direction: str
    source: str
    description: str
    odata_titles: tuple[str, ...] = ()
    odata_keys: tuple[str, ...] = ()
    boundary_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    sources: dict = field(default_factory=dict)

    def by_id(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def from_source(self, source: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.source == source)

    def resolve_title(self, title: str, source: str | None = None) -> Indicator | None:
        """The indicator whose DataProperties title this is, if any."""
        wanted = fold(title)
        for indicator in self.indicators:
            if source and indicator.source != source:
                continue
            if wanted in (fold(t) for t in indicator.odata_titles):
                return indicator
        return None

    def resolve_key(self, key: str, source: str | None = None) -> Indicator | None:
        """The indicator an OData key belongs to by its stem (``Eenzaam_28`` → ``eenzaam``)."""
        stem = key_stem(key).casefold()
        for indicator in self.indicators:
            if source and indicator.source != source:
                continue
            if stem in (k.casefold() for k in indicator.odata_keys):
                return indicator
        return None

    def resolve_boundary_column(self, column: str) -> Indicator | None:
        """The indicator a Wijk- en buurtkaart column carries, if any."""
        name = column.casefold()
        for indicator in self.indicators:
            if name in (c.casefold() for c in indicator.boundary_columns):
                return indicator
        return None

    def kerncijfers_table(self, year: int) -> str | None:
        return self.sources["kerncijfers"]["tables"].get(str(year))

    def kerncijfers_year(self, table_id: str) -> int | None:
        for year, table in self.sources["kerncijfers"]["tables"].items():
            if table.upper() == table_id.upper():
                return int(year)
        return None


def fold(text: str) -> str:
    """Compare titles as CBS varies them: case, padding and doubled spaces."""
    return " ".join(str(text).split()).casefold()


def key_stem(key: str) -> str:
    """``HuishoudensMetEenLaagInkomen_89`` → ``HuishoudensMetEenLaagInkomen``."""
    return re.sub(r"_\d+$", "", key.strip())


def parse_catalog(data: dict) -> Catalog:
    """Validate the parsed TOML and build the catalog; raises ValueError naming what is wrong."""
    sources = data.get("source", {})
    for key, source in sources.items():
        missing = [k for k in SOURCE_FIELDS if not source.get(k)]
        if missing:
            raise ValueError(f"source {key}: missing {', '.join(missing)}")
    indicators = []
    seen = set()
    for number, entry in enumerate(data.get("indicator", []), start=1):
        where = f"indicator #{number} ({entry.get('id', '?')})"
        missing = [k for k in ("id", "label_nl", "label_en", "theme", "unit", "direction", "source", "description")
                   if not entry.get(k)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        if entry["theme"] not in THEMES:
            raise ValueError(f"{where}: theme {entry['theme']!r} is not one of {THEMES}")
        if entry["direction"] not in DIRECTIONS:
            raise ValueError(f"{where}: direction {entry['direction']!r} is not one of {DIRECTIONS}")
        if entry["source"] not in sources:
            raise ValueError(f"{where}: source {entry['source']!r} is not one of {tuple(sources)}")
        if entry["id"] in seen:
            raise ValueError(f"{where}: id is used twice")
        seen.add(entry["id"])
        tuples = {k: tuple(entry.get(k, ())) for k in ("odata_titles", "odata_keys", "boundary_columns")}
        indicators.append(Indicator(**{k: entry[k] for k in (
            "id", "label_nl", "label_en", "theme", "unit", "direction", "source", "description")}, **tuples))
    return Catalog(tuple(indicators), sources)


@cache
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    with open(path, "rb") as handle:
        return parse_catalog(tomllib.load(handle))
