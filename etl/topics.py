"""A source table's own words about its figures: the numeric topics of CBS ``DataProperties`` with their
``TopicGroup`` path, and the text helpers that compare, join and slug titles and groups. Pure functions."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from etl.catalog import Catalog

GROUP_SEPARATOR = " > "
NUMERIC_DATATYPES = {"long", "double", "float", "integer", "int", "decimal", "short", "byte", "single"}


@dataclass(frozen=True)
class Topic:
    """One figure of a source table as its own metadata describes it."""

    key: str
    title: str
    group: tuple[str, ...] = ()
    unit: str | None = None
    decimals: int | None = None
    description: str | None = None
    position: int | None = None

    @property
    def path(self) -> tuple[str, ...]:
        return (*self.group, self.title)


# --- text helpers ---------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Compare titles as CBS varies them: case, padding and doubled spaces."""
    return " ".join(str(text).split()).casefold()


def key_stem(key: str) -> str:
    """``HuishoudensMetEenLaagInkomen_89`` → ``HuishoudensMetEenLaagInkomen``."""
    return re.sub(r"_\d+$", "", key.strip())


def split_group(group: str) -> list[str]:
    return [part.strip() for part in str(group).split(GROUP_SEPARATOR.strip())] if group else []


def join_group(parts) -> str | None:
    parts = [" ".join(str(p).split()) for p in parts]
    return GROUP_SEPARATOR.join(parts) if parts else None


def slug(text: str) -> str:
    """A title as part of an id: ASCII, lower case, words joined by ``_``.

    >>> slug("Percentage twee-onder-één-kap-woning (ee"), slug("Personenauto's; brandstof benzine")
    ('percentage_twee_onder_een_kap_woning_ee', 'personenautos_brandstof_benzine')
    >>> slug("Oppervlakte (m²)"), slug("40% personen met laagste inkomen")
    ('oppervlakte_m2', '40_personen_met_laagste_inkomen')
    """
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = re.sub(r"['’`]", "", text.casefold())
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def snake_case(stem: str) -> str:
    """``ErnstigZeerErnstigEenzaam`` → ``ernstig_zeer_ernstig_eenzaam``.

    >>> snake_case("HeelVeelStressInAfgelopen4Weken"), snake_case("k_65JaarOfOuder")
    ('heel_veel_stress_in_afgelopen_4_weken', 'k_65_jaar_of_ouder')
    """
    text = re.sub(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Z])", "_", stem)
    return re.sub(r"_+", "_", text).strip("_").lower()


def humanise(stem: str) -> str:
    """A key stem as a title: ``MoeiteMetRondkomen`` → *Moeite met rondkomen*."""
    words = snake_case(stem).split("_")
    return " ".join(words).capitalize() if words else stem


def title_key(row: dict) -> tuple:
    return row["source"], fold(row.get("title") or ""), row.get("age_group")


def distinguishing_group(row: dict, same_title: list[dict]) -> str:
    """The first group in a row's path where it differs from the other rows with its title."""
    path = split_group(row.get("cbs_group") or "")
    others = [split_group(r.get("cbs_group") or "") for r in same_title if r is not row]
    for depth, part in enumerate(path):
        if any(len(o) <= depth or fold(o[depth]) != fold(part) for o in others):
            return part
    return path[-1] if path else row["id"]


def is_numeric(datatype) -> bool:
    """A topic holds figures unless its ``Datatype`` says text; a topic without one is taken as figures."""
    return datatype is None or str(datatype).strip().casefold() in NUMERIC_DATATYPES


def topics_of(data_properties: list[dict], catalog: Catalog, source: str) -> list[Topic]:
    """The numeric topics of a table's DataProperties, each with its ``TopicGroup`` path (``ParentID``).

    Names, codes and the postcode (``Datatype`` String, or a key stem in the source's ``not_figures``) are left out.
    """
    by_id = {p.get("ID"): p for p in data_properties if p.get("ID") is not None}
    excluded = catalog.not_figures(source)
    topics = []
    for number, prop in enumerate(data_properties):
        if prop.get("Type") != "Topic" or not prop.get("Key"):
            continue
        if not is_numeric(prop.get("Datatype")) or key_stem(prop["Key"]).casefold() in excluded:
            continue
        group, parent, seen = [], prop.get("ParentID"), set()
        while parent is not None and parent in by_id and parent not in seen:
            seen.add(parent)
            group.insert(0, " ".join(str(by_id[parent].get("Title") or "").split()))
            parent = by_id[parent].get("ParentID")
        decimals = prop.get("Decimals")
        topics.append(Topic(key=prop["Key"], title=" ".join(str(prop.get("Title") or prop["Key"]).split()),
                            group=tuple(group), unit=(prop.get("Unit") or "").strip() or None,
                            decimals=int(decimals) if isinstance(decimals, (int, float)) else None,
                            description=(prop.get("Description") or "").strip() or None,
                            position=prop.get("Position") if isinstance(prop.get("Position"), int) else number))
    return topics
