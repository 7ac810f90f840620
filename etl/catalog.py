"""The indicator catalogue: what the sources say about their own topics, with ``indicators.toml`` curating on top.

Every numeric topic in a source table's metadata (CBS ``DataProperties``) is an indicator. A topic is identified by
its title together with its ``TopicGroup`` path, because titles repeat within a table (*Appartement* under
electricity and under gas); keys change suffix every year, so they never identify a topic. The same topic in the
tables of several years is one series with one stable id: a curated id where ``indicators.toml`` names the topic,
else the slug of its group path and title after the renames declared in the TOML
(``energie.gemiddelde_elektriciteitslevering.naar_woningtype.appartement``).

RIVM 50120NED exports carry no metadata, only OData keys: their series are identified by key stem
(``Eenzaam_28`` and ``Eenzaam_27`` are one series), one per age group (``Leeftijd``).

Curation (``indicators.toml``): themes with the CBS groups they take in and their featured indicators, labels,
direction and descriptions of curated indicators, renames across years, and age group labels.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from etl.topics import (Topic, distinguishing_group, fold, humanise, key_stem, slug, snake_case, split_group,
                        title_key)

CATALOG_PATH = Path(__file__).with_name("indicators.toml")
DIRECTIONS = ("higher_is_better", "lower_is_better", "neutral")
FALLBACK_THEME = "overig"
# what every source declares: the dashboard names it, its publisher and licence under the figures it gave
SOURCE_FIELDS = ("name", "publisher", "licence", "attribution")


@dataclass(frozen=True)
class Indicator:
    """A curated indicator: an id the dashboard, agenda items and tests may name, and how to find it."""

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
class Theme:
    """A curated theme: the CBS groups it takes in (paths, prefix match) and its featured indicators, in order."""

    id: str
    label_nl: str
    label_en: str
    cbs_groups: tuple[str, ...] = ()
    featured: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgeGroup:
    """A ``Leeftijd`` member of RIVM 50120NED."""

    code: str
    short: str          # stored in observations.age_group: '18+'
    label_nl: str
    label_en: str
    slug: str           # added to the series id of any age group but the default: 'eenzaam_65plus'


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    sources: dict = field(default_factory=dict)
    themes: tuple[Theme, ...] = ()
    renames: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    directions: dict = field(default_factory=dict)    # id → direction, for indicators not curated

    # --- curated indicators ---------------------------------------------------------------------------------

    def by_id(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def curated(self, indicator_id: str) -> Indicator | None:
        return self._curated_by_id().get(indicator_id)

    def _curated_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def from_source(self, source: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.source == source)

    def resolve_title(self, title: str, source: str | None = None) -> Indicator | None:
        """The curated indicator whose DataProperties title this is, if any."""
        wanted = fold(title)
        for indicator in self.indicators:
            if source and indicator.source != source:
                continue
            if wanted in (fold(t) for t in indicator.odata_titles):
                return indicator
        return None

    def resolve_key(self, key: str, source: str | None = None) -> Indicator | None:
        """The curated indicator an OData key belongs to by its stem (``Eenzaam_28`` → ``eenzaam``)."""
        stem = key_stem(key).casefold()
        for indicator in self.indicators:
            if source and indicator.source != source:
                continue
            if stem in (k.casefold() for k in indicator.odata_keys):
                return indicator
        return None

    def resolve_boundary_column(self, column: str) -> Indicator | None:
        """The curated indicator a Wijk- en buurtkaart column carries, if any."""
        name = column.casefold()
        for indicator in self.indicators:
            if name in (c.casefold() for c in indicator.boundary_columns):
                return indicator
        return None

    # --- sources --------------------------------------------------------------------------------------------

    def kerncijfers_table(self, year: int) -> str | None:
        return self.sources["kerncijfers"]["tables"].get(str(year))

    def kerncijfers_year(self, table_id: str) -> int | None:
        for year, table in self.sources["kerncijfers"]["tables"].items():
            if table.upper() == table_id.upper():
                return int(year)
        return None

    def not_figures(self, source: str) -> set[str]:
        """Key stems (case-folded) of a source's columns that are no figures: names, codes, postcode."""
        return {stem.casefold() for stem in self.sources.get(source, {}).get("not_figures", ())}

    def age_groups(self, source: str = "gezondheid") -> dict[str, AgeGroup]:
        """Known ``Leeftijd`` members by code."""
        return {str(g["code"]): AgeGroup(str(g["code"]), g["short"], g["label_nl"], g["label_en"], g["slug"])
                for g in self.sources.get(source, {}).get("age_group", ())}

    def age_group(self, code: str, source: str = "gezondheid") -> AgeGroup:
        """The age group of a ``Leeftijd`` code; an unknown code is labelled with the code itself."""
        code = str(code).strip()
        known = self.age_groups(source).get(code)
        return known or AgeGroup(code, code, f"leeftijdsgroep {code}", f"age group {code}", f"leeftijd_{slug(code)}")

    def default_age_group(self, source: str = "gezondheid") -> str:
        return str(self.sources.get(source, {}).get("default_age_group", ""))

    def declared_topic(self, source: str, key: str) -> Topic:
        """A topic of an export without metadata: title and group as the TOML declares them for its key stem,
        else the stem written out (``MoeiteMetRondkomen`` → *Moeite met rondkomen*)."""
        stem = key_stem(key)
        config = self.sources.get(source, {})
        declared = {k.casefold(): v for k, v in config.get("topics", {}).items()}.get(stem.casefold(), {})
        group = tuple(part for part in split_group(declared.get("group", "")) if part)
        return Topic(key=key, title=declared.get("title") or humanise(stem), group=group,
                     unit=declared.get("unit", config.get("unit")), decimals=declared.get("decimals",
                                                                                       config.get("decimals")),
                     description=declared.get("description"))

    # --- identity -------------------------------------------------------------------------------------------

    def canonical_path(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """A topic's group path and title after the renames of ``indicators.toml``, applied in order."""
        path = tuple(" ".join(str(part).split()) for part in path)
        for old, new in self.renames:
            if tuple(map(fold, path[:len(old)])) == tuple(map(fold, old)):
                path = new + path[len(old):]
        return path

    def series_id(self, source: str, topic: Topic, taken=frozenset()) -> str:
        """The stable id of a topic of a table with metadata: curated, else the slug of its canonical path.

        A curated id already ``taken`` by an earlier topic of the table is not given twice. A topic at the root of
        its table (no group) is prefixed with the source, so that the id of a topic that is not curated always
        holds a dot and never equals a curated id.
        """
        path = self.canonical_path(topic.path)
        indicator = self.resolve_title(topic.title, source=source) or self.resolve_title(path[-1], source=source)
        if indicator is not None and indicator.id not in taken:
            return indicator.id
        parts = [slug(part) for part in path]
        if len(parts) == 1:
            parts.insert(0, source)
        return ".".join(parts)

    def stem_series_id(self, source: str, key: str) -> str:
        """The stable id of a column of an export without metadata: curated by key stem, else source + stem."""
        indicator = self.resolve_key(key, source=source)
        if indicator is not None:
            return indicator.id
        return f"{source}.{snake_case(key_stem(key))}"

    def with_age_group(self, indicator_id: str, age_code: str, source: str = "gezondheid") -> str:
        """The series of one age group: the default age group keeps the id, others add their slug."""
        if not age_code or age_code == self.default_age_group(source):
            return indicator_id
        return f"{indicator_id}_{self.age_group(age_code, source).slug}"

    # --- curation -------------------------------------------------------------------------------------------

    def theme_of_group(self, group: str | None) -> str | None:
        """The theme whose ``cbs_groups`` holds the longest prefix of a group path."""
        parts = tuple(map(fold, split_group(group or "")))
        best, best_length = None, 0
        for theme in self.themes:
            for declared in theme.cbs_groups:
                prefix = tuple(map(fold, split_group(declared)))
                if len(prefix) > best_length and parts[:len(prefix)] == prefix:
                    best, best_length = theme.id, len(prefix)
        return best

    def featured_ids(self) -> set[str]:
        return {indicator_id for theme in self.themes for indicator_id in theme.featured}

    def curate(self, rows: list[dict]) -> list[dict]:
        """Indicator rows as published: the source's metadata with curation applied.

        Each row holds at least ``id``, ``source``, ``title``, ``cbs_group``, ``unit``, ``age_group`` and
        ``cbs_description``; rows of own figures (``source == 'eigen'``) carry their own declaration and keep it.
        Labels default to the title, told apart by the group where a title repeats within a source
        (*Appartement (Gemiddeld aardgasverbruik)*); an age group other than the default is named in the label.
        """
        curated = self._curated_by_id()
        featured = self.featured_ids()
        same_title: dict[tuple, list[dict]] = {}
        for row in rows:
            same_title.setdefault(title_key(row), []).append(row)
        out = []
        for row in rows:
            row = dict(row)
            config = self.sources.get(row["source"], {})
            own = row["source"] == "eigen"
            age = None if own else self._age_of_row(row)
            other_age = age is not None and age.code != self.default_age_group(row["source"])
            base = row["id"].removesuffix(f"_{age.slug}") if other_age else row["id"]
            indicator = curated.get(base)
            if own:
                label_nl, label_en = row["label_nl"], row.get("label_en") or row["label_nl"]
            elif indicator is not None:
                label_nl, label_en = indicator.label_nl, indicator.label_en
                row["theme"], row["direction"] = indicator.theme, indicator.direction
                row["description"] = row.get("cbs_description") if other_age else indicator.description
                row["unit"] = row.get("unit") or indicator.unit
                row["title"] = row.get("title") or indicator.label_nl
            else:
                title = row.get("title") or row["id"]
                others = same_title[title_key(row)]
                if len(others) > 1:
                    title = f"{title} ({distinguishing_group(row, others)})"
                label_nl = label_en = title
                row["theme"] = self.theme_of_group(row.get("cbs_group")) or config.get("theme") or FALLBACK_THEME
                row["direction"] = self.directions.get(row["id"]) or self.directions.get(base) or "neutral"
                row["description"] = row.get("cbs_description")
            if other_age:
                label_nl, label_en = f"{label_nl} ({age.label_nl})", f"{label_en} ({age.label_en})"
            row["label_nl"], row["label_en"] = label_nl, label_en
            row["unit"] = row.get("unit") or ""
            row["featured"] = row["id"] in featured or bool(own and row.get("featured"))
            if not own:     # named by their source (the published sources table); own figures by their own
                row["public"], row["attribution"] = True, None
            out.append(row)
        return out

    def _age_of_row(self, row: dict) -> AgeGroup | None:
        short = row.get("age_group")
        if not short:
            return None
        for group in self.age_groups(row["source"]).values():
            if group.short == short:
                return group
        return self.age_group(short, row["source"])

    def curated_rows(self) -> list[dict]:
        """Rows of the curated indicators as the TOML alone describes them (before any source is loaded)."""
        rows = []
        for indicator in self.indicators:
            default = self.age_groups(indicator.source).get(self.default_age_group(indicator.source))
            rows.append({"id": indicator.id, "source": indicator.source, "title": None, "cbs_group": None,
                         "unit": indicator.unit, "age_group": default.short if default else None,
                         "cbs_description": None, "decimals": None, "source_table": None, "position": None})
        return rows

    def theme_rows(self) -> list[tuple[str, str, str, int]]:
        return [(t.id, t.label_nl, t.label_en, n) for n, t in enumerate(self.themes)]


# --- the TOML -------------------------------------------------------------------------------------------------

def parse_catalog(data: dict) -> Catalog:
    """Validate the parsed TOML and build the catalog; raises ValueError naming what is wrong."""
    sources = data.get("source", {})
    for key, source in sources.items():
        missing = [k for k in SOURCE_FIELDS if not source.get(k)]
        if missing:
            raise ValueError(f"source {key}: missing {', '.join(missing)}")
    themes = _themes(data.get("theme", []))
    theme_ids = tuple(t.id for t in themes)
    indicators = []
    seen = set()
    for number, entry in enumerate(data.get("indicator", []), start=1):
        where = f"indicator #{number} ({entry.get('id', '?')})"
        missing = [k for k in ("id", "label_nl", "label_en", "theme", "unit", "direction", "source", "description")
                   if not entry.get(k)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        if entry["theme"] not in theme_ids:
            raise ValueError(f"{where}: theme {entry['theme']!r} is not one of {theme_ids}")
        if entry["direction"] not in DIRECTIONS:
            raise ValueError(f"{where}: direction {entry['direction']!r} is not one of {DIRECTIONS}")
        if entry["source"] not in sources:
            raise ValueError(f"{where}: source {entry['source']!r} is not one of {tuple(sources)}")
        if entry["id"] in seen:
            raise ValueError(f"{where}: id is used twice")
        if "." in entry["id"]:
            raise ValueError(f"{where}: a curated id holds no dot (ids with a dot are the catalogue's own)")
        seen.add(entry["id"])
        tuples = {k: tuple(entry.get(k, ())) for k in ("odata_titles", "odata_keys", "boundary_columns")}
        indicators.append(Indicator(**{k: entry[k] for k in (
            "id", "label_nl", "label_en", "theme", "unit", "direction", "source", "description")}, **tuples))
    renames = []
    for number, entry in enumerate(data.get("rename", []), start=1):
        if not entry.get("from") or not entry.get("to"):
            raise ValueError(f"rename #{number}: needs from and to (group paths joined by ' > ')")
        renames.append((tuple(split_group(entry["from"])), tuple(split_group(entry["to"]))))
    directions = {}
    for direction, ids in data.get("directions", {}).items():
        if direction not in DIRECTIONS:
            raise ValueError(f"directions: {direction!r} is not one of {DIRECTIONS}")
        directions.update(dict.fromkeys(ids, direction))
    return Catalog(tuple(indicators), sources, themes, tuple(renames), directions)


def _themes(entries: list[dict]) -> tuple[Theme, ...]:
    themes, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"theme #{number} ({entry.get('id', '?')})"
        missing = [k for k in ("id", "label_nl", "label_en") if not entry.get(k)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        if entry["id"] in seen:
            raise ValueError(f"{where}: id is used twice")
        seen.add(entry["id"])
        themes.append(Theme(entry["id"], entry["label_nl"], entry["label_en"], tuple(entry.get("cbs_groups", ())),
                            tuple(entry.get("featured", ()))))
    if FALLBACK_THEME not in seen:
        raise ValueError(f"the themes need '{FALLBACK_THEME}', for topics of groups no theme takes in")
    return tuple(themes)


@cache
def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    with open(path, "rb") as handle:
        return parse_catalog(tomllib.load(handle))


# The ids of the curated themes, in their order (``[[theme]]`` of ``indicators.toml``).
THEMES = tuple(theme.id for theme in load_catalog().themes)
