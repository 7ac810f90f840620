"""Side by side: two to four wijken or buurten on the chosen indicators, with gemeente and NL for reference.

Plain data for ``templates/compare.html``; what arrives from the URL is checked here and refused with a
:class:`CompareError` that says, in words, what was wrong (the route answers 400 with it).
"""
from __future__ import annotations

from dashboard import views
from dashboard.db import PublishedData
from dashboard.present.catalogue import finder_option, in_order, name_of
from dashboard.present.figure import row_text
from dashboard.present.sources import Sources
from dashboard.present.sparkline import bar
from dashboard.state import is_code
from dashboard.text import label, t
from etl.codes import NEDERLAND

MIN_REGIONS, MAX_REGIONS = 2, 4
COMPARED_LEVELS = ("wijk", "buurt")


class CompareError(ValueError):
    """What was wrong with the asked comparison, in words for the person who asked."""


def split_values(values: list[str]) -> list[str]:
    """``["WK1,WK2", "WK3"]`` → ``["WK1", "WK2", "WK3"]``: comma lists and repeated keys, blanks and repeats dropped.

    >>> split_values(["WK999900, WK999901", "", "WK999900"])
    ['WK999900', 'WK999901']
    """
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return out


def checked_regions(data: PublishedData, codes: list[str], lang: str) -> list[dict]:
    if not MIN_REGIONS <= len(codes) <= MAX_REGIONS:
        raise CompareError(t("compare.count", lang, n=len(codes)))
    regions = []
    for code in codes:
        if not is_code(code):
            raise CompareError(t("compare.bad_code", lang, code=code[:40]))
        found = views.region(data, code)
        if found is None:
            raise CompareError(t("compare.unknown_code", lang, code=code))
        if found["level"] not in COMPARED_LEVELS:
            raise CompareError(t("compare.wrong_level", lang, code=code, level=label("level", found["level"], lang).lower()))
        regions.append(found)
    return regions


def checked_indicators(data: PublishedData, ids: list[str] | None, lang: str) -> list[dict]:
    """The chosen catalog indicators in the order asked; ``None`` (not asked) is the featured ones of every theme."""
    catalog = {i["id"]: i for i in views.indicators(data)}
    if ids is None:
        return [i for i in in_order(catalog.values()) if i["featured"]]
    if not ids:
        raise CompareError(t("compare.no_indicator", lang))
    unknown = [i for i in ids if i not in catalog]
    if unknown:
        raise CompareError(t("compare.bad_indicator", lang, ids=", ".join(u[:40] for u in unknown),
                               known=", ".join(catalog)))
    return [catalog[i] for i in ids]


def checked_year(raw: str | None, lang: str) -> int | None:
    if raw is None or not raw.strip():
        return None
    try:
        year = int(raw)
    except ValueError:
        raise CompareError(t("compare.bad_year", lang, year=raw[:20])) from None
    if not 1900 <= year <= 2100:
        raise CompareError(t("compare.bad_year", lang, year=raw[:20]))
    return year


def year_for(years: list[int], asked: int | None) -> int | None:
    """The asked year when it has figures, else the newest before it, else the first after; default newest.

    >>> year_for([2012, 2016, 2020, 2022], 2023), year_for([2021, 2024], 2019), year_for([2021, 2024], None)
    (2022, 2021, 2024)
    """
    if not years:
        return None
    if asked is None:
        return max(years)
    earlier = [y for y in years if y <= asked]
    return max(earlier) if earlier else min(years)


def _cell(row: dict | None, indicator: dict, year: int, maximum: float | None, name: str, sources: Sources,
          lang: str) -> dict:
    text = row_text(row, indicator["unit"], lang)
    value = row["value"] if row else None
    return {"text": text, "source": sources.text(row and row["source_table"], indicator["source"], year),
            "bar": bar(value, maximum, label=f"{name}: {text}") if value is not None else ""}


def compare(data: PublishedData, codes: list[str], indicator_ids: list[str] | None, year: int | None,
            lang: str = "nl") -> dict:
    """The comparison table: a column per region, then its gemeente(n) and NL; a row per indicator."""
    regions = checked_regions(data, codes, lang)
    chosen = checked_indicators(data, indicator_ids, lang)
    gemeenten = list(dict.fromkeys(r["gemeente_code"] for r in regions if r.get("gemeente_code")))
    names = {r["code"]: r["name"] for r in data.rows("region_names", (gemeenten,))} if gemeenten else {}
    available, sources = views.available(data), views.sources(data)
    levels = sorted({r["level"] for r in regions})
    rows = []
    for ind in chosen:
        used = year_for(sorted({y for lv in levels for y in available.years_of(ind["id"], lv)}), year)
        found = ({r["code"]: r for r in data.rows("compare_values",
                                                  (ind["id"], used, [*codes, *gemeenten, NEDERLAND]))}
                 if used else {})
        rows.append({"indicator": ind, "year": used, "found": found})
    columns = ([{"code": r["code"], "name": r["name"], "level": label("level", r["level"], lang), "reference": False}
                for r in regions]
               + [{"code": g, "name": names.get(g, g), "level": label("level", "gemeente", lang), "reference": True}
                  for g in gemeenten])
    if any(NEDERLAND in r["found"] for r in rows):
        columns.append({"code": NEDERLAND, "name": t("common.nederland", lang), "level": "", "reference": True})
    table = []
    for r in rows:
        ind = r["indicator"]
        values = [row["value"] for row in r["found"].values() if row["value"] is not None]
        maximum = max(values, default=None)
        table.append({
            "id": ind["id"], "label": ind["label_nl" if lang == "nl" else "label_en"], "unit": ind["unit"],
            "year": r["year"],
            "cells": [_cell(r["found"].get(c["code"]), ind, r["year"], maximum, c["name"], sources, lang) for c in columns],
        })
    return {"columns": columns, "rows": table, "codes": codes, "indicator_ids": [i["id"] for i in chosen],
            "year": year}


def form_options(data: PublishedData, gemeente_code: str | None, lang: str) -> dict:
    """What the form offers: the wijken and buurten of one gemeente (newest indeling), and the indicators.

    Without a gemeente (nothing chosen yet, or more than one gemeente published) the form asks for codes.
    """
    if gemeente_code is None:
        gemeenten = data.cached("region_codes", (views.geometry_year(data, None, "gemeente"), "gemeente"))
        gemeente_code = gemeenten[0]["code"] if len(gemeenten) == 1 else None
    choices: list[dict] = []
    if gemeente_code:
        digits = gemeente_code[2:]
        codes = []
        for level, prefix in (("wijk", "WK"), ("buurt", "BU")):
            drawn = views.geometry_year(data, None, level)
            codes += [r["code"] for r in data.cached("region_codes", (drawn, level))
                      if r["code"].startswith(prefix + digits)]
        names = {r["code"]: r["name"] for r in data.rows("region_names", (codes,))} if codes else {}
        wijken = sorted(c for c in codes if c.startswith("WK"))
        for wijk in wijken:
            choices.append({"code": wijk, "name": names.get(wijk, wijk), "level": "wijk"})
            choices += [{"code": c, "name": names.get(c, c), "level": "buurt"}
                        for c in sorted(codes) if c.startswith("BU" + wijk[2:])]
    themes: dict[str, dict] = {}
    for i in in_order(views.indicators(data)):
        theme = themes.setdefault(i["theme"], {"label": label("theme", i["theme"], lang), "featured": [], "more": []})
        theme["featured" if i["featured"] else "more"].append(
            {"id": i["id"], "label": name_of(i, lang) if i["featured"] else finder_option(i, lang)["label"]})
    return {"choices": choices, "themes": list(themes.values())}
