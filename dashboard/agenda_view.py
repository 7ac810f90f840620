"""Glue for the wijkagenda: fetch what the profile's agenda section and the map layer need, with named queries.

The queries read only columns that both the staff and the public file have, so one code path serves both;
what the public may not see is simply not in its file.
"""
from __future__ import annotations

from datetime import date

from dashboard.components.agenda import agenda_panel, agenda_table
from dashboard.db import PublishedData
from dashboard.present.agenda import (entries, gemeente_summary, outcome, roll_up, share_definition,
                                      summary_rows, summary_text, wijk_summary)
from dashboard.text import t


def agenda_items(data: PublishedData, codes: list[str] | None, today: date | None = None) -> list[dict]:
    """Items of some wijken, or of all wijken of some gemeenten; ``None`` for every item."""
    return data.rows("agenda_items", {"codes": codes, "today": today or date.today()})


def wijk_progress(data: PublishedData, today: date | None = None) -> dict[str, dict]:
    """Per wijk code: items, done, on track, behind, share done or on track (0–1) and average progress.

    For the map layer; :func:`dashboard.present.agenda.share_definition` says how the share is defined.
    """
    by_wijk: dict[str, list[dict]] = {}
    for item in agenda_items(data, None, today):
        by_wijk.setdefault(item["wijk_code"], []).append(item)
    return {code: wijk_summary(items) for code, items in by_wijk.items()}


def outcomes_of(data: PublishedData, items: list[dict], gemeente_code: str | None, lang: str) -> dict[str, dict]:
    linked = [i for i in items if i.get("indicator_id")]
    if not linked:
        return {}
    catalog = {i["id"]: i for i in data.cached("indicators")}
    codes = sorted({i["wijk_code"] for i in linked} | ({gemeente_code} if gemeente_code else set()))
    rows = data.rows("agenda_indicator_values", (sorted({i["indicator_id"] for i in linked}), codes))
    series: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        series.setdefault((r["indicator_id"], r["code"]), []).append(r)
    result = {}
    for item in linked:
        gm = gemeente_code or item.get("gemeente_code")
        result[item["id"]] = outcome(item, series.get((item["indicator_id"], item["wijk_code"]), []),
                                     series.get((item["indicator_id"], gm), []), None, lang,
                                     catalog.get(item["indicator_id"]))
    return result


def gemeente_roll_up(items: list[dict], lang: str) -> tuple[dict, list[dict], dict]:
    """A gemeente's agenda items rolled up per wijk: the summary, a row per wijk and the total row."""
    by_wijk: dict[str, list[dict]] = {}
    for item in items:
        by_wijk.setdefault(item["wijk_code"], []).append(item)
    summary = gemeente_summary(by_wijk)
    names = {i["wijk_code"]: i["wijk_name"] or i["wijk_code"] for i in items}
    total = summary_rows({"wijken": [{"wijk_code": None, **summary["total"]}]}, {None: t("agenda.total", lang)},
                         lang)[0]
    return summary, summary_rows(summary, names, lang), total


def agenda_section(data: PublishedData, region: dict, lang: str, today: date | None = None):
    """The agenda section for a region's profile, or ``None`` when there is no agenda to show.

    A wijk shows its items; a buurt the items of its wijk; a gemeente a table with the roll-up per wijk.
    """
    level = region.get("level")
    if level == "gemeente":
        items = agenda_items(data, [region["code"]], today)
        if not items:
            return None
        _, rows, total = gemeente_roll_up(items, lang)
        return agenda_table(t("agenda.agenda_in", lang, name=region["name"]), rows, total, share_definition(lang),
                            lang)
    wijk_code = region["code"] if level == "wijk" else region.get("wijk_code")
    if not wijk_code:
        return None
    items = agenda_items(data, [wijk_code], today)
    if not items:
        return None
    updates: dict[str, list[dict]] = {}
    for u in data.rows("agenda_updates", ([i["id"] for i in items],)):
        updates.setdefault(u["item_id"], []).append(u)
    outcomes = outcomes_of(data, items, region.get("gemeente_code"), lang)
    wijk_name = region["name"] if level == "wijk" else (items[0]["wijk_name"] or wijk_code)
    shown = with_initiatives(entries(roll_up(items), updates, outcomes, lang), initiatives_by_item(data))
    return agenda_panel(t("agenda.agenda_of", lang, name=wijk_name), summary_text(wijk_summary(items), lang),
                        shown, share_definition(lang), lang)


def initiatives_by_item(data: PublishedData) -> dict[str, list[str]]:
    """Item id → the names of the initiatives that serve it."""
    served: dict[str, list[str]] = {}
    for row in data.cached("agenda_initiatives"):
        if row["item_id"]:
            served.setdefault(row["item_id"], []).append(row["name"])
    return served


def with_initiatives(shown: list[dict], served: dict[str, list[str]]) -> list[dict]:
    """The entries (and their children) with the initiatives that serve each."""
    return [{**e, "initiatives": served.get(e["id"], []), "children": with_initiatives(e["children"], served)}
            for e in shown]
