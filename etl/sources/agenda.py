"""The wijkagenda: items per wijk (who does what by when, linked to an indicator) and their progress over time.

Items: one row each (columns and aliases in ``etl/wijkagenda_columns.toml``), required ``id``, ``titel`` and
``wijkcode``. Progress updates (``id`` of the item, ``datum``, ``voortgang``, ``status``, ``notitie``) come from:

- an ``.xlsx``: the sheet named ``voortgang`` (or ``updates``, ``progress``, ``historie``), else the second sheet;
  the items are on the other (first) sheet;
- a ``.csv``: the file ``<stem>_voortgang.csv`` beside it (``wijkagenda.csv`` → ``wijkagenda_voortgang.csv``).

An item without its own ``voortgang`` or ``status`` takes those of its latest update. An item linked to an
indicator without ``richting`` takes the direction of the catalog (lower_is_better → omlaag). ``openbaar`` empty
means not public; an update is public only when its item is (and its own ``openbaar``, if given, says so).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.batch import Batch
from etl.codes import level_of, normalise_code
from etl.errors import LoadError
from etl.sources.cells import parse_choice, parse_date, parse_int, parse_number
from etl.sources.spreadsheet import (Problems, Records, Sheet, columns_config, parse_bool, parse_status, parse_theme,
                                     read_paired, records, sibling_csv, spec)
from etl.wijkagenda.store import ITEM_COLUMNS, UPDATE_COLUMNS

INFO_SHEET = "wijkbeeld"    # what a download from the dashboard says about itself (etl/wijkagenda/template.py)
CATALOG_DIRECTIONS = {"higher_is_better": "omhoog", "lower_is_better": "omlaag"}
BASELINE_YEARS = (1990, 2100)


def updates_csv(path: Path) -> Path:
    """Where the progress updates of a .csv agenda live: ``<stem>_voortgang.csv`` beside it."""
    return sibling_csv(path, "voortgang")


def read_sheets(path: Path) -> tuple[Sheet, Sheet | None]:
    """The items sheet and the updates sheet (or None) of an agenda file."""
    items, updates = read_paired(path, columns_config()["updates"]["sheets"], "voortgang", ignore=(INFO_SHEET,))
    if items is None:
        raise LoadError("no sheet with agenda items (only a progress sheet)", file=str(path))
    return items, updates


@dataclass(frozen=True)
class AgendaRules:
    """What agenda rows are checked against, wherever they come from (a file, the dashboard's forms).

    ``wijk_codes``: the wijken of the newest indeling; ``indicators``: catalog id → direction
    (``higher_is_better`` …); ``scope``: ``*`` for the whole agenda, or the one wijk an import may touch;
    ``outside``: items that are not in the rows being checked (other wijken, or the stored agenda when a form
    adds or changes one item), id → parent id, which parents may name.
    """

    wijk_codes: frozenset
    indicators: dict
    year: int | None = None
    scope: str = "*"
    outside: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Agenda:
    """An agenda as read and checked: items, and updates (None when the file has no progress sheet)."""

    items: list[dict]
    updates: list[dict] | None
    rows_in: int
    rows: dict = field(default_factory=dict)        # item id → its row in the file
    headers: dict = field(default_factory=dict)     # field → its column as the file names it


def read_agenda(path: Path, wijk_codes, indicators: dict[str, str], year: int | None = None, *,
                empty_ok: bool = False) -> Batch:
    """Read and check the agenda items and their updates; every problem is listed in one LoadError.

    ``wijk_codes``: the wijken of the newest indeling in the working database; ``indicators``: catalog id →
    direction (``higher_is_better`` …). A file with a header but no items is refused unless ``empty_ok``.
    """
    agenda = read_agenda_file(path, AgendaRules(frozenset(wijk_codes), dict(indicators), year), empty_ok=empty_ok)
    item_frame = pd.DataFrame(agenda.items, columns=ITEM_COLUMNS)
    update_frame = pd.DataFrame(agenda.updates or [], columns=UPDATE_COLUMNS)
    notes = [f"{len(item_frame)} agenda items ({int(item_frame['public'].sum())} public), "
             f"{len(update_frame)} progress updates"]
    return Batch(rows_in=agenda.rows_in, notes=notes,
                 replace={"agenda_items": item_frame, "agenda_updates": update_frame})


def read_agenda_file(path: Path, rules: AgendaRules, empty_ok: bool = False) -> Agenda:
    """The checked items and updates of an agenda file (see :func:`read_agenda`), under ``rules``."""
    problems = Problems()
    items_sheet, updates_sheet = read_sheets(path)
    items = records(items_sheet, spec("agenda"), problems, empty_ok=empty_ok)
    out, seen = [], {}
    for number, cells in items.rows:
        item = item_from_row(items, number, cells, rules)
        items.unique_id(number, item["id"], seen)
        if item["id"] in rules.outside:
            items.problem("this id is taken by an item of another wijk", number, "id", item["id"])
        out.append((number, item))
    check_parents(items, out, seen, rules.outside)
    updates = _updates(updates_sheet, problems, {item["id"]: item for _, item in out}, empty_ok) \
        if updates_sheet is not None else None
    problems.raise_if_any()
    _fill_from_latest_update([item for _, item in out], updates or [])
    return Agenda([item for _, item in out], updates, len(items.rows) + len(updates or []),
                  {item["id"]: number for number, item in out}, items.headers)


def item_from_row(items: Records, number: int, cells: dict, rules: AgendaRules) -> dict:
    """One agenda item from its cells, every problem recorded in ``items``: the one check of a row."""
    item = {name: items.value(number, cells, name) for name in ("id", "title", "description", "owner", "note",
                                                                 "parent_id")}
    item["wijk_code"] = _wijk(items, number, cells, rules)
    item["theme"] = items.value(number, cells, "theme", parse_theme)
    item["status"] = items.value(number, cells, "status", parse_status)
    item["progress"] = _progress(items, number, cells)
    item["start"] = items.value(number, cells, "start", parse_date)
    item["due"] = items.value(number, cells, "due", parse_date)
    item["baseline_year"] = items.value(number, cells, "baseline_year", parse_int)
    item["direction"] = items.value(number, cells, "direction", _parse_direction)
    item["target"] = items.value(number, cells, "target", parse_number)
    item["public"] = bool(items.value(number, cells, "public", parse_bool))
    item["indicator_id"] = _indicator(items, number, cells, rules.indicators)
    if item["indicator_id"] and item["direction"] is None:
        item["direction"] = CATALOG_DIRECTIONS.get(rules.indicators[item["indicator_id"]])
    if item["baseline_year"] is not None and not BASELINE_YEARS[0] <= item["baseline_year"] <= BASELINE_YEARS[1]:
        items.problem("not a plausible year", number, "baseline_year", cells.get("baseline_year"))
    if item["start"] and item["due"] and item["due"] < item["start"]:
        items.problem(f"due before the start ({item['start'].isoformat()})", number, "due", item["due"].isoformat())
    return {name: item[name] for name in ITEM_COLUMNS}


def update_from_row(rows: Records, number: int, cells: dict, items: dict) -> dict:
    """One progress update from its cells; ``items``: id → item it may belong to.

    Public when its item is and its own ``openbaar`` does not say no; its note is public only when its own
    ``openbaar`` says yes (an empty ``openbaar`` shows the progress, not the note).
    """
    item_id = rows.value(number, cells, "item_id")
    update = {"item_id": item_id,
              "date": rows.value(number, cells, "date", parse_date),
              "progress": _progress(rows, number, cells),
              "status": rows.value(number, cells, "status", parse_status),
              "note": rows.value(number, cells, "note")}
    own = rows.value(number, cells, "public", parse_bool)
    if item_id is not None and item_id not in items:
        rows.problem("update for an unknown item: no agenda item with this id", number, "item_id", item_id)
    item = items.get(item_id)
    update["public"] = bool(item and item["public"]) and own is not False
    update["note_public"] = update["public"] and own is True
    return update


FORM = "formulier"


def item_from_fields(fields: dict[str, str], rules: AgendaRules) -> dict:
    """One item from a form whose inputs are named as the template's columns (``titel``, ``wijkcode`` …), checked
    exactly as a row of a file, parents against ``rules.outside``; a LoadError lists every problem by input."""
    problems = Problems()
    items = records(_form_sheet(fields), spec("agenda"), problems)
    number, cells = items.rows[0]
    item = item_from_row(items, number, cells, rules)
    check_parents(items, [(number, item)], {item["id"]: number} if item["id"] else {}, rules.outside)
    problems.raise_if_any()
    return item


def update_from_fields(fields: dict[str, str], items: dict) -> dict:
    """One progress update from a form (inputs ``id``, ``datum``, ``voortgang``, ``status``, ``notitie``,
    ``openbaar``), checked as a row of the progress sheet; ``items``: id → the stored item."""
    problems = Problems()
    rows = records(_form_sheet(fields), spec("updates"), problems)
    number, cells = rows.rows[0]
    update = update_from_row(rows, number, cells, items)
    problems.raise_if_any()
    return update


def _form_sheet(fields: dict[str, str]) -> Sheet:
    """A form as a sheet of one row, so it passes through the same reading as a file."""
    return Sheet(FORM, FORM, list(fields), 1, [(2, ["" if v is None else str(v) for v in fields.values()])])


def _parse_direction(value) -> str:
    directions = columns_config()["directions"]
    return parse_choice(sorted(set(directions.values())), directions)(value)


def _wijk(rows: Records, number: int, cells: dict, rules: AgendaRules) -> str | None:
    raw = rows.value(number, cells, "wijk_code")
    if raw is None:
        return None
    code = normalise_code(raw)
    if level_of(code) != "wijk":
        rows.problem("not a wijkcode (like WK015001)", number, "wijk_code", raw)
    elif code not in rules.wijk_codes:
        rows.problem(f"unknown wijkcode: no wijk of indeling {rules.year} in the working database", number,
                     "wijk_code", raw)
    elif rules.scope != "*" and code != rules.scope:
        rows.problem(f"this import is for wijk {rules.scope} only", number, "wijk_code", raw)
    else:
        return code
    return None


def _progress(rows: Records, number: int, cells: dict) -> float | None:
    progress = rows.value(number, cells, "progress", parse_number)
    if progress is not None and not 0 <= progress <= 100:
        rows.problem("progress must lie between 0 and 100 (%)", number, "progress", cells.get("progress"))
        return None
    return progress


def _indicator(rows: Records, number: int, cells: dict, indicators: dict) -> str | None:
    raw = rows.value(number, cells, "indicator_id")
    if raw is None:
        return None
    wanted = raw.strip().casefold()
    if wanted not in indicators:
        close = difflib.get_close_matches(wanted, list(indicators), n=5, cutoff=0.5)
        hint = f"did you mean: {', '.join(close)}?" if close else "see wijkbeeld status for the catalogue"
        rows.problem(f"unknown indicator ({hint})", number,
                     "indicator_id", raw)
        return None
    return wanted


def check_parents(rows: Records, out: list, seen: dict, outside: dict | None = None) -> None:
    """Every parent names a known item (in ``out`` or ``outside``: id → parent id), and no chain of parents
    comes back to where it began."""
    parents = {**(outside or {}), **{item["id"]: item["parent_id"] for _, item in out if item["id"] is not None}}
    for number, item in out:
        parent = item["parent_id"]
        if parent is None:
            continue
        if parent not in seen and parent not in (outside or {}):
            rows.problem("unknown parent: no item with this id", number, "parent_id", parent)
            continue
        chain, current = {item["id"]}, parent
        while current is not None and current not in chain:
            chain.add(current)
            current = parents.get(current)
        if current is not None:
            rows.problem("parent items form a cycle", number, "parent_id", parent)


def _updates(sheet: Sheet, problems: Problems, items: dict, empty_ok: bool) -> list[dict]:
    rows = records(sheet, spec("updates"), problems, empty_ok=empty_ok)
    return [update_from_row(rows, number, cells, items) for number, cells in rows.rows]


def _fill_from_latest_update(items: list[dict], updates: list[dict]) -> None:
    """Progress and status of an item that gives none: those of its latest update that gives them."""
    for column in ("progress", "status"):
        latest = {}
        for update in sorted(updates, key=lambda u: u["date"]):
            if update[column] is not None:
                latest[update["item_id"]] = update[column]
        for item in items:
            if item[column] is None and item["id"] in latest:
                item[column] = latest[item["id"]]
