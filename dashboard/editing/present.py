"""Pure helpers of the agenda pages: stored values as form inputs, items as a tree, changes as history rows."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dashboard.text import label, number, t
from etl.errors import LoadError
from etl.sources.spreadsheet import fold_header
from etl.wijkagenda.template import ITEM_HEADERS, UPDATE_HEADERS

LOCAL = ZoneInfo("Europe/Amsterdam")
# the inputs of the forms are named as the template's columns, so a form is read exactly as a row of a file
ITEM_INPUTS = {name: fold_header(header) for name, header in ITEM_HEADERS.items()}
UPDATE_INPUTS = {name: fold_header(header) for name, header in UPDATE_HEADERS.items()}
FIELD_ORDER = list(ITEM_HEADERS) + ["update", "initiatives", "user", "roles"]
HISTORY_COLUMNS = ["tijdstip", "wie", "bron", "actie", "punt", "wijk", "veld", "was", "werd", "opmerking"]


def form_text(value) -> str:
    """A stored value as a form input holds it.

    >>> [form_text(v) for v in (None, True, 45.0, 12.5, date(2025, 3, 1), "tekst")]
    ['', 'ja', '45', '12.5', '2025-03-01', 'tekst']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def item_form(item: dict) -> dict[str, str]:
    """An item's values by input name (``titel``, ``voortgang`` …)."""
    return {ITEM_INPUTS[name]: form_text(item.get(name)) for name in ITEM_INPUTS}


def posted(form, inputs: dict[str, str]) -> dict[str, str]:
    """The posted values of these inputs (by input name, in their order); absent ones empty."""
    return {name: (form.get(name) or "")[:4000] for name in inputs.values()}


def problems_by_input(error: LoadError) -> tuple[list[str], dict[str, list[str]]]:
    """A refused form's problems: all of them as sentences, and by input name (for next to the input)."""
    every, by_input = [], {}
    for problem in error.problems:
        name = fold_header(problem.field) if problem.field else None
        text = problem.message + (f" ({problem.value!r})" if problem.value not in (None, "") else "")
        every.append(f"{problem.field}: {text}" if name else text)
        if name:
            by_input.setdefault(name, []).append(problem.message)
    return every, by_input


def tree(items: list[dict]) -> list[tuple[int, dict]]:
    """Items with their depth, each parent followed by its children (items whose parent is elsewhere at the top)."""
    ids = {i["id"] for i in items}
    children: dict[str | None, list[dict]] = {}
    for item in items:
        children.setdefault(item["parent_id"] if item["parent_id"] in ids else None, []).append(item)
    out, seen = [], set()

    def walk(parent, depth):
        for item in children.get(parent, []):
            if item["id"] not in seen:
                seen.add(item["id"])
                out.append((depth, item))
                walk(item["id"], depth + 1)

    walk(None, 0)
    return out + [(0, i) for i in items if i["id"] not in seen]      # a cycle, should one ever be stored


def local_time(at: str) -> str:
    return datetime.fromisoformat(at).astimezone(LOCAL).strftime("%d-%m-%Y %H:%M")


def shown(name: str, value, lang: str) -> str:
    """A value of the history as people read it."""
    if value is None or value == "" or value == []:
        return "–"
    if name == "update" and isinstance(value, dict):
        public = t("edit.public" if value.get("public") else "edit.internal", lang)
        parts = [value.get("date"), f"{number(value['progress'], lang, 0)} %" if value.get("progress") is not None
                 else None, label("status", value.get("status"), lang) if value.get("status") else None,
                 value.get("note"), public]
        return " · ".join(str(p) for p in parts if p)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return number(value, lang, 1)
    return str(value)


def field_rank(name: str) -> int:
    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


def history_rows(changes: list[dict], lang: str) -> list[dict]:
    """Changes (newest first) as rows of the history table: when, who, what, and each field before → after."""
    rows = []
    for change in changes:
        before, after = change["before"] or {}, change["after"] or {}
        names = [n for n in sorted(dict.fromkeys([*after, *before]), key=field_rank)
                 if change["action"] in ("item_changed", "update_added", "update_corrected", "links_changed",
                                         "update_withdrawn") or (before or after).get(n) not in (None, "")]
        rows.append({"id": change["id"], "at": local_time(change["at"]), "who": change["who"],
                     "source": change["source"], "action": label("change", change["action"], lang),
                     "item_id": change["item_id"], "wijk_code": change["wijk_code"], "remark": change["remark"],
                     "fields": [(label("field", n, lang), shown(n, before.get(n), lang),
                                 shown(n, after.get(n), lang)) for n in names]})
    return rows


def history_table(changes: list[dict]) -> list[dict]:
    """The history as CSV rows (``HISTORY_COLUMNS``): one per field that changed."""
    table = []
    for row in history_rows(changes, "nl"):
        base = {"tijdstip": row["at"], "wie": row["who"], "bron": row["source"], "actie": row["action"],
                "punt": row["item_id"], "wijk": row["wijk_code"], "opmerking": row["remark"]}
        for field, was, became in row["fields"] or [(None, None, None)]:
            table.append({**base, "veld": field, "was": was, "werd": became})
    return table


def next_id(ids: list[str], wijk_code: str) -> str:
    """An id for a new item in the style of the others (``WA-16`` after ``WA-15``), not yet taken.

    >>> next_id(["WA-01", "WA-15", "X"], "WK999901"), next_id([], "WK999901")
    ('WA-16', 'WK999901-1')
    """
    import re

    numbered = [m for m in (re.fullmatch(r"(.*?)(\d+)", i) for i in ids) if m]
    if not numbered:
        candidate, n = f"{wijk_code}-{{}}", 1
        while candidate.format(n) in ids:
            n += 1
        return candidate.format(n)
    prefix = max({m[1] for m in numbered}, key=lambda p: sum(m[1] == p for m in numbered))
    width = max(len(m[2]) for m in numbered if m[1] == prefix)
    n = max(int(m[2]) for m in numbered if m[1] == prefix) + 1
    while f"{prefix}{n:0{width}d}" in ids:
        n += 1
    return f"{prefix}{n:0{width}d}"
