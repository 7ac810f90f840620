"""What a council briefing of a wijk or gemeente shows, fetched with the named queries, shaped by the presenters.

Plain data for ``templates/briefing.html``: no Flask, no Dash. Child regions are found by their code,
because CBS builds codes that way: a buurt code is its wijk code plus two digits (``WK999900`` →
``BU99990001``), a wijk code its gemeente code plus two (``GM9999`` → ``WK999900``).
"""
from __future__ import annotations

import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from dashboard import views
from dashboard.agenda_view import agenda_items, gemeente_roll_up, outcomes_of
from dashboard.db import PublishedData
from dashboard.present.agenda import (SUMMARY_COLUMNS, entries, roll_up, share_definition, summary_text,
                                      wijk_summary)
from dashboard.present.catalogue import in_order
from dashboard.present.figure import row_text
from dashboard.present.legend import MISSING, SUPPRESSED, legend_entries, paint
from dashboard.present.profile import comparison, crosses_change
from dashboard.present.sources import BOUNDARIES
from dashboard.present.sparkline import sparkline
from dashboard.present.svgmap import svg_map
from dashboard.state import DEFAULT_INDICATOR
from dashboard.text import date_text, label, t
from etl.codes import NEDERLAND

BRIEFING_LEVELS = ("gemeente", "wijk")
CHILD_LEVEL = {"gemeente": "wijk", "wijk": "buurt"}
FICTIONAL_GEMEENTE = "GM9999"  # the demo's Voorbeeldstad, as in dashboard/page.py


def child_prefix(code: str) -> str:
    """The start of the codes one level down: ``GM9999`` → ``WK9999``, ``WK999900`` → ``BU999900``."""
    return {"GM": "WK", "WK": "BU"}[code[:2]] + code[2:]


def gemeente_prefix(code: str, level: str) -> str:
    """The start of every ``level`` code in the gemeente of ``code``: ``BU999900…`` → ``BU9999``."""
    return {"wijk": "WK", "buurt": "BU"}[level] + code[2:6]


@lru_cache(maxsize=16)
def _features(path: str, prefix: str) -> tuple[dict, ...]:
    # keyed by the versioned path: a new published version is a new key
    collection = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(f for f in collection["features"] if str(f["properties"].get("code", "")).startswith(prefix))


def geometry_features(data: PublishedData, year: int, level: str, prefix: str) -> list[dict]:
    """The published (simplified, lon/lat) features of one level and indeling year whose code starts so."""
    path = data.version_dir() / "geometry" / f"{year}-{level}.geojson"
    return list(_features(str(path), prefix)) if path.is_file() else []


def published_on(data: PublishedData) -> date | None:
    """The date the published version was made (``meta.published_at``)."""
    meta = {r["key"]: r["value"] for r in data.cached("meta")}
    try:
        return datetime.fromisoformat(meta["published_at"]).date()
    except (KeyError, TypeError, ValueError):
        return None


def newest_year(series: list[dict]) -> int | None:
    """The newest year with a figure, else the newest year with a row (to say why it is missing)."""
    with_value = [r["year"] for r in series if r["value"] is not None]
    return max(with_value) if with_value else max((r["year"] for r in series), default=None)


# --- sections ---------------------------------------------------------------------------------------------


def key_figures(data: PublishedData, region: dict, lang: str, also: str | None = None) -> list[dict]:
    """The featured indicators of every theme (and ``also``, the one the map shows) in the region's newest year
    with a figure: value, gemeente, NL, trend, source. A few hundred would bury the debate's figures."""
    code, level = region["code"], region["level"]
    catalog = [i for i in in_order(views.indicators(data)) if i["featured"] or i["id"] == also]
    series: dict[str, list[dict]] = {}
    for r in data.rows("agenda_indicator_values", ([i["id"] for i in catalog], [code])):
        series.setdefault(r["indicator_id"], []).append(r)
    parents = [c for c in (region.get("wijk_code") if level == "buurt" else None,
                           region.get("gemeente_code") if level != "gemeente" else None) if c]
    names = {r["code"]: r["name"] for r in data.rows("region_names", (parents,))} if parents else {}
    years = data.rows("region_years", (code, level))[0]
    figures = []
    for ind in catalog:
        own = series.get(ind["id"], [])
        year = newest_year(own)
        rows = data.rows("compare_values", (ind["id"], year, [code, *parents, NEDERLAND])) if year else []
        chain = ({f["code"]: f for f in comparison(region, ind, year, rows, names, views.sources(data), lang)}
                 if year else {})
        name = ind["label_nl" if lang == "nl" else "label_en"]
        known = [r["year"] for r in own if r["value"] is not None]
        figures.append({
            "id": ind["id"], "label": name, "unit": ind["unit"], "year": year, "source": ind["source"],
            "theme": label("theme", ind["theme"], lang),
            "own": chain.get(code), "gemeente": chain.get(region.get("gemeente_code")) if level != "gemeente" else None,
            "nederland": chain.get(NEDERLAND),
            "trend": sparkline(own, ind["unit"], lang, label=name),
            "estimate": any(r["status"] == "estimate" for r in own),
            "code_change": crosses_change(years["present"], years["loaded"], known),
        })
    return figures


def wijk_table(data: PublishedData, wijken: list[dict], figures: list[dict], lang: str) -> list[dict]:
    """For a gemeente: one row per wijk with each indicator in the year the gemeente's figure is from."""
    codes = [w["properties"]["code"] for w in wijken]
    cells: dict[str, dict[str, str]] = {c: {} for c in codes}
    for figure in figures:
        if figure["year"] is None:
            continue
        by_code = {r["code"]: r for r in data.rows("compare_values", (figure["id"], figure["year"], codes))}
        for c in codes:
            cells[c][figure["id"]] = row_text(by_code.get(c), figure["unit"], lang)
    return [{"code": w["properties"]["code"], "name": w["properties"].get("name") or w["properties"]["code"],
             "cells": [cells[w["properties"]["code"]].get(f["id"], "–") for f in figures]} for w in wijken]


def map_section(data: PublishedData, region: dict, indicator_id: str, lang: str) -> dict:
    """The region's children on a static SVG map, coloured by one indicator's classes within the gemeente.

    ``drawn`` holds the children's features (code order), which the gemeente's table per wijk reuses.
    """
    level = CHILD_LEVEL[region["level"]]
    drawn = sorted(geometry_features(data, region["year"], level, child_prefix(region["code"])),
                   key=lambda f: f["properties"]["code"])
    ind = views.indicator(data, indicator_id)
    name = ind["label_nl" if lang == "nl" else "label_en"]
    children = t("briefing.buurten" if level == "buurt" else "briefing.wijken", lang)
    result = {"svg": Markup(""), "key": [], "legend": [], "title": "", "note": t("briefing.no_map", lang),
              "sources": [], "drawn": drawn}
    if not drawn:
        return result
    pool_codes = [f["properties"]["code"] for f in
                  geometry_features(data, region["year"], level, gemeente_prefix(region["code"], level))]
    rows = data.rows("agenda_indicator_values", ([indicator_id], pool_codes))
    drawn_codes = {f["properties"]["code"] for f in drawn}
    year = max((r["year"] for r in rows if r["value"] is not None and r["code"] in drawn_codes), default=None)
    in_year = {r["code"]: r for r in rows if r["year"] == year}
    ordered = [in_year.get(f["properties"]["code"]) or {"code": f["properties"]["code"], "value": None,
                                                          "status": "missing"} for f in drawn]
    painted = paint(ordered, "quantiles", 5, breaks_from=[r["value"] for r in in_year.values()])
    colour = {MISSING: painted["missing"], SUPPRESSED: painted["suppressed"]}
    fills = {f["properties"]["code"]: colour.get(c) or painted["colours"][c] for f, c in zip(drawn, painted["classes"])}
    labels = {f["properties"]["code"]: str(n) for n, f in enumerate(drawn, start=1)}
    published = views.sources(data)
    title = t("briefing.map_of", lang, children=children, name=region["name"], indicator=name, year=year or "–")
    result.update(
        svg=svg_map(drawn, fills, labels, title=title), title=title,
        note=t("briefing.map_classes", lang, children=children.lower()),
        legend=legend_entries(painted, ind["unit"], lang),
        key=[{"number": n, "code": f["properties"]["code"], "name": f["properties"].get("name") or "",
              "colour": fills[f["properties"]["code"]], "value": row_text(row, ind["unit"], lang)}
             for n, (f, row) in enumerate(zip(drawn, ordered), start=1)],
        sources=[published.attribution(ind) + (f", {year}" if year else ""),
                 t("briefing.map_source", lang, name=published.name(BOUNDARIES), year=region["year"])],
    )
    return result


def agenda(data: PublishedData, region: dict, lang: str, today: date | None = None) -> dict | None:
    """A wijk's items rolled up with progress, status, owner and outcomes; a gemeente's roll-up per wijk."""
    items = agenda_items(data, [region["code"]], today)
    if not items:
        return None
    if region["level"] == "gemeente":
        summary, rows, total = gemeente_roll_up(items, lang)
        return {"kind": "gemeente", "summary": summary_text(summary["total"], lang), "rows": rows, "total": total,
                "columns": [t(k, lang) for k in SUMMARY_COLUMNS],
                "definition": share_definition(lang)}
    updates: dict[str, list[dict]] = {}
    for u in data.rows("agenda_updates", ([i["id"] for i in items],)):
        updates.setdefault(u["item_id"], []).append(u)
    outcomes = outcomes_of(data, items, region.get("gemeente_code"), lang)
    return {"kind": "wijk", "summary": summary_text(wijk_summary(items), lang),
            "entries": entries(roll_up(items), updates, outcomes, lang), "definition": share_definition(lang),
            "owner_word": t("agenda.owner", lang), "outcome_word": t("agenda.outcome", lang)}


def period_text(start: date | None, end: date | None, lang: str) -> str:
    """``1 sep 2023 – …`` for a running initiative, ``–`` when neither date is known."""
    if start is None and end is None:
        return "–"
    return f"{date_text(start, lang)} – {date_text(end, lang) if end else '…'}"


def initiatives(data: PublishedData, region: dict, wijk_names: dict[str, str], lang: str) -> list[dict]:
    """The initiatives in a wijk, or in every wijk of a gemeente, with their texts for a table."""
    prefix = region["code"] if region["level"] == "wijk" else child_prefix(region["code"])
    return [{"name": r["name"], "organisation": r["organisation"] or "–",
             "status": label("status", r["status"], lang) if r["status"] else "–",
             "theme": label("theme", r["theme"], lang) if r["theme"] else "–",
             "period": period_text(r["start"], r["end"], lang),
             "wijk": wijk_names.get(r["wijk_code"], r["wijk_code"])}
            for r in views.initiatives(data) if (r["wijk_code"] or "").startswith(prefix)]


def sources(data: PublishedData, figures: list[dict]) -> list[dict]:
    """The published sources behind the figures and the map (boundaries), with publisher and licence."""
    return views.sources(data).listed({BOUNDARIES} | {f["source"] for f in figures if f["year"] is not None})


# --- the whole briefing -----------------------------------------------------------------------------------


def briefing(data: PublishedData, code: str, lang: str = "nl", map_indicator: str | None = None,
             today: date | None = None) -> dict | None:
    """Everything the briefing template shows, or ``None`` when ``code`` is no published wijk or gemeente."""
    region = views.region(data, code)
    if region is None or region["level"] not in BRIEFING_LEVELS:
        return None
    known = {i["id"] for i in views.indicators(data)}
    map_indicator = map_indicator if map_indicator in known else DEFAULT_INDICATOR
    if map_indicator not in known:
        map_indicator = next(iter(sorted(known)))
    gemeente_name = region["name"] if region["level"] == "gemeente" else next(
        iter(r["name"] for r in data.rows("region_names", ([region["gemeente_code"]],))), region["gemeente_code"])
    figures = key_figures(data, region, lang, also=map_indicator)
    drawn_map = map_section(data, region, map_indicator, lang)
    wijken = drawn_map.get("drawn", []) if region["level"] == "gemeente" else []
    wijk_names = ({w["properties"]["code"]: w["properties"].get("name") for w in wijken}
                  if wijken else {region["code"]: region["name"]})
    published = published_on(data)
    return {
        "region": region, "level_label": label("level", region["level"], lang), "gemeente_name": gemeente_name,
        "published": date_text(published, lang) if published else "–",
        "made": date_text(today or date.today(), lang),
        "map": drawn_map, "figures": figures,
        "per_wijk": wijk_table(data, wijken, figures, lang) if wijken else [],
        "agenda": agenda(data, region, lang, today),
        "initiatives": initiatives(data, region, wijk_names, lang),
        "sources": sources(data, figures),
        "fictional": FICTIONAL_GEMEENTE in (region["code"], region.get("gemeente_code")),
    }
