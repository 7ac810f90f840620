"""The indicator catalogue for people: a figure's name with where it sits (theme, CBS group), what it means, and
the catalogue by theme and CBS group. Published catalogue rows in (``dashboard/sql/indicators.sql``), plain data
out: the finder's options, the "about this figure" lines, the catalogue page."""
from __future__ import annotations

from collections.abc import Callable

from dashboard.present.sources import Sources
from dashboard.text import INDICATOR_THEMES, label, t

GROUP_SEPARATOR = " > "   # how the ETL writes a CBS group path (etl/catalog.py)


def name_of(indicator: dict, lang: str) -> str:
    return indicator["label_nl" if lang == "nl" else "label_en"]


def group_path(indicator: dict) -> list[str]:
    """CBS's topic groups above the figure, outermost first (``[]`` for a figure outside CBS's tree).

    >>> group_path({"cbs_group": "Wonen > Woningvoorraad"}), group_path({"cbs_group": None})
    (['Wonen', 'Woningvoorraad'], [])
    """
    return [g for g in (indicator.get("cbs_group") or "").split(GROUP_SEPARATOR) if g]


def in_order(indicators: list[dict]) -> list[dict]:
    """By curated theme, featured first, then by CBS group and name: the order in which people browse."""
    def key(i):
        theme = INDICATOR_THEMES.index(i["theme"]) if i["theme"] in INDICATOR_THEMES else len(INDICATOR_THEMES)
        return theme, not i["featured"], (i.get("cbs_group") or "").casefold(), i["label_nl"].casefold()
    return sorted(indicators, key=key)


def finder_options(indicators: list[dict], lang: str) -> list[dict]:
    """Every indicator as a choice of the finder: its name with the group it belongs to (titles repeat across CBS
    groups: *Appartement* under both electricity and gas), found by its name, theme, CBS group or CBS title.

    >>> finder_options([{"id": "g", "label_nl": "Appartement", "label_en": "Apartment", "theme": "energie",
    ...                  "featured": False, "cbs_group": "Energie > Gemiddeld aardgasverbruik",
    ...                  "title": "Appartement"}], "nl")[0]["label"]
    'Appartement · Gemiddeld aardgasverbruik'
    """
    return [finder_option(ind, lang) for ind in in_order(indicators)]


def finder_option(ind: dict, lang: str) -> dict:
    name, theme = name_of(ind, lang), label("theme", ind["theme"], lang)
    groups = group_path(ind)
    return {"label": f"{name} · {groups[-1] if groups else theme}", "value": ind["id"],
            "search": " ".join(dict.fromkeys([name, theme, *groups, ind.get("title") or ""]))}


def about(indicator: dict, years: list[int], sources: Sources, lang: str) -> list[tuple[str, str]]:
    """What a figure means, as (term, description) lines: CBS's description, the unit, the CBS group, the age
    group, the source table and the years there are figures for. Lines without content are left out."""
    description = indicator.get("cbs_description") or indicator.get("description") or ""
    newest = years[-1] if years else None
    source = (sources.text(indicator.get("source_table"), indicator["source"], newest)
              if indicator.get("source_table") else sources.attribution(indicator))
    lines = [
        (t("catalogue.description", lang), description.strip()),
        (t("catalogue.unit", lang), indicator.get("unit") or ""),
        (t("common.theme", lang), label("theme", indicator["theme"], lang)),
        (t("catalogue.cbs_group", lang), " › ".join(group_path(indicator))),
        (t("catalogue.age_group", lang), indicator.get("age_group") or ""),
        (t("catalogue.source", lang), source),
        (t("catalogue.years", lang), year_span(years)),
    ]
    return [(term, text) for term, text in lines if text]


def year_span(years: list[int]) -> str:
    """``2019–2024``, or the years one by one where some are missing.

    >>> year_span([2019, 2020, 2021]), year_span([2019, 2021, 2022]), year_span([])
    ('2019–2021', '2019, 2021, 2022', '')
    """
    if not years:
        return ""
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def catalogue(indicators: list[dict], years_of: Callable[[str], list[int]], sources: Sources,
              map_url: Callable[[str], str], lang: str) -> list[dict]:
    """The catalogue page: per curated theme its featured figures, then every other figure by CBS group, each with
    its meaning and a link that opens it on the map."""
    themes: dict[str, dict] = {}
    for ind in in_order(indicators):
        theme = themes.setdefault(ind["theme"], {"id": ind["theme"], "label": label("theme", ind["theme"], lang),
                                                 "featured": [], "groups": {}})
        years = years_of(ind["id"])
        entry = {"id": ind["id"], "name": name_of(ind, lang), "href": map_url(ind["id"]),
                 "about": about(ind, years, sources, lang)}
        if ind["featured"]:
            theme["featured"].append(entry)
        else:
            group = " › ".join(group_path(ind)) or t("catalogue.no_group", lang)
            theme["groups"].setdefault(group, []).append(entry)
    return [{**th, "groups": sorted(th["groups"].items(), key=lambda g: g[0].casefold())} for th in themes.values()]
