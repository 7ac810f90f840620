"""An imported agenda file merged into the store: the file becomes the agenda of its scope (the whole agenda, or
one wijk's), and every difference is a change in the history, source ``import``.

An import never undoes an edit made in the dashboard unseen: when an item, field or progress update was changed in
the dashboard after the last import of its wijk (and after the download the file came from, if it did) and the
file says otherwise, the import is refused with each conflict named, unless the user says the file is to win
(``--vervang``); then each change it makes over an edit names the edit it replaced. A file whose contents equal the
store changes nothing and records nothing.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from etl.errors import LoadError, Problem
from etl.wijkagenda.edits import differences, insert_item, insert_update, set_fields
from etl.wijkagenda.store import ITEM_COLUMNS, from_store, items, plain, record, transaction

SOURCE = "import"
OVERWRITE = ("nothing was imported. Download the agenda again and make your changes in that file, or import this "
             "file with --vervang (in the dashboard: tick 'vervangen') to overwrite these edits")
LOCAL = ZoneInfo("Europe/Amsterdam")


@dataclass
class ImportResult:
    change: int | None = None      # the import's own change (None: the file changed nothing)
    counts: dict = field(default_factory=lambda: Counter())
    replaced: list[str] = field(default_factory=list)    # dashboard edits this import overwrote


def merge_import(con: sqlite3.Connection, agenda, who: str, file_name: str, *, scope: str = "*",
                 stand: int | None = None, replace_edits: bool = False) -> ImportResult:
    """Make the store's agenda of ``scope`` what ``agenda`` (an :class:`etl.sources.agenda.Agenda`) says.

    ``stand``: the store's stand the file was downloaded at, when it was.
    """
    with transaction(con):
        stored = {i["id"]: i for i in items(con) if scope == "*" or i["wijk_code"] == scope}
        incoming = {i["id"]: i for i in agenda.items}
        public = {**{k: v["public"] for k, v in stored.items()}, **{k: v["public"] for k, v in incoming.items()}}
        current = _current_updates(con, list(stored))
        edits = _edits_since(con, stored, stand)
        conflicts = _conflicts(edits, stored, incoming, current, agenda.updates, public, file_name,
                               agenda.headers, agenda.rows)
        if conflicts and not replace_edits:
            raise LoadError(problems=[problem for _, problem in conflicts] + [Problem(OVERWRITE, file=file_name)])
        added = [i for i in incoming if i not in stored]
        removed = [i for i in stored if i not in incoming]
        changed = {i: differences(stored[i], incoming[i]) for i in incoming if i in stored}
        changed = {i: d for i, d in changed.items() if d[1]}
        new_updates, gone_updates = _update_diff(current, agenda.updates, public, set(removed))
        if not (added or removed or changed or new_updates or gone_updates):
            return ImportResult()
        result = ImportResult()
        result.counts.update({"items added": len(added), "items changed": len(changed), "items removed": len(removed),
                              "updates added": len(new_updates), "updates withdrawn": len(gone_updates)})
        result.change = record(con, who, SOURCE, "import", None, scope, None, dict(result.counts), file_name)
        conflicting = {item_id for item_id, _ in conflicts}
        replaced = {c["item_id"]: c for c in reversed(edits) if c["item_id"] in conflicting}   # the newest edit

        def note(item_id):
            edit = replaced.get(item_id)
            if edit is None:
                return f"import {file_name}"
            if f"{item_id}: {edit['who']} {_local(edit['at'])}" not in result.replaced:
                result.replaced.append(f"{item_id}: {edit['who']} {_local(edit['at'])}")
            return f"import {file_name}; replaces the edit of {edit['who']} ({_local(edit['at'])}, change {edit['id']})"

        for item_id in removed:
            gone = con.execute("SELECT initiative_id FROM links WHERE item_id = ?", [item_id]).fetchall()
            con.execute("DELETE FROM items WHERE id = ?", [item_id])
            con.execute("DELETE FROM links WHERE item_id = ?", [item_id])
            before = {f: plain(stored[item_id][f]) for f in ITEM_COLUMNS} | {"initiatives": [g[0] for g in gone]}
            record(con, who, SOURCE, "item_removed", item_id, stored[item_id]["wijk_code"], before, None,
                   note(item_id))
        for item_id in added:
            insert_item(con, incoming[item_id])
            record(con, who, SOURCE, "item_added", item_id, incoming[item_id]["wijk_code"], None,
                   {f: plain(incoming[item_id][f]) for f in ITEM_COLUMNS}, note(item_id))
        for item_id, (before, after) in changed.items():
            set_fields(con, item_id, after)
            record(con, who, SOURCE, "item_changed", item_id, incoming[item_id]["wijk_code"], before, after,
                   note(item_id))
        for update in gone_updates:
            change = record(con, who, SOURCE, "update_withdrawn", update["item_id"], stored[update["item_id"]]
                            ["wijk_code"], {"update": _values(update)}, None, note(update["item_id"]))
            con.execute("UPDATE updates SET replaced_by = ? WHERE id = ?", [change, update["id"]])
        for update in new_updates:
            change = record(con, who, SOURCE, "update_added", update["item_id"],
                            incoming[update["item_id"]]["wijk_code"], None, {"update": _values(update)},
                            f"import {file_name}")
            insert_update(con, update, change)
        return result


def _current_updates(con, item_ids: list[str]) -> list[dict]:
    if not item_ids:
        return []
    rows = con.execute(f"SELECT * FROM updates WHERE replaced_by IS NULL AND item_id IN "
                       f"({', '.join('?' * len(item_ids))}) ORDER BY id", item_ids).fetchall()
    return [from_store(r) for r in rows]


def _key(update: dict, public: dict) -> tuple:
    """What makes two updates the same: their values, and what of them is public as the file would say it."""
    shown = bool(public.get(update["item_id"])) and bool(update["public"])
    return (update["item_id"], plain(update["date"]), None if update["progress"] is None else float(update["progress"]),
            update["status"], update["note"] or None, shown, shown and bool(update.get("note_public")))


def _update_diff(current: list[dict], incoming: list[dict] | None, public: dict, removed: set) -> tuple[list, list]:
    """(updates of the file not in the store, current updates not in the file); a file without a progress sheet
    leaves the updates as they are, but those of the items it removes."""
    if incoming is None:
        return [], [u for u in current if u["item_id"] in removed]
    waiting = Counter(_key(u, public) for u in incoming)
    gone = []
    for update in current:
        key = _key(update, public)
        if waiting[key] > 0:
            waiting[key] -= 1
        else:
            gone.append(update)
    new = []
    for update in incoming:
        key = _key(update, public)
        if waiting[key] > 0:
            waiting[key] -= 1
            new.append(update)
    return new, gone


def _edits_since(con, stored: dict, stand: int | None) -> list[dict]:
    """Dashboard changes to these items after the last import of their wijk and after ``stand``, newest first."""
    edits = []
    for wijk in sorted({i["wijk_code"] for i in stored.values()}):
        last = con.execute("SELECT coalesce(max(id), 0) FROM changes WHERE action = 'import' AND wijk_code IN (?, '*')",
                           [wijk]).fetchone()[0]
        edits += [dict(r) for r in con.execute(
            "SELECT * FROM changes WHERE source = 'dashboard' AND wijk_code = ? AND id > ? AND item_id IS NOT NULL "
            "AND action != 'links_changed' ORDER BY id DESC", [wijk, max(last, stand or 0)])]
    return edits


def _conflicts(edits, stored, incoming, current, file_updates, public, file_name, headers, rows) -> list[Problem]:
    """Each edit of the dashboard the file would undo, named with who made it and when: (item id, problem)."""
    problems, seen = [], set()
    for edit in edits:
        item_id, when = edit["item_id"], f"{edit['who']} ({_local(edit['at'])})"
        if item_id not in stored:
            continue
        if item_id not in incoming:
            key = (item_id, None)
            if key not in seen:
                seen.add(key)
                problems.append((item_id, Problem(f"item {item_id} was changed in wijkbeeld by {when}, and the file "
                                                  "does not have it", file=file_name, field=headers.get("id", "id"),
                                                  value=item_id)))
            continue
        after = json.loads(edit["after"] or "{}")
        fields = ITEM_COLUMNS if edit["action"] == "item_added" else [f for f in after if f in ITEM_COLUMNS]
        for name in fields:
            if (item_id, name) in seen or not differences(stored[item_id], incoming[item_id], [name])[1]:
                continue
            seen.add((item_id, name))
            problems.append((item_id, Problem(
                f"item {item_id}: changed in wijkbeeld by {when} to {plain(stored[item_id][name])!r}; the file says "
                f"otherwise", file=file_name, row=rows.get(item_id), field=headers.get(name, name),
                value=plain(incoming[item_id][name]))))
    if file_updates is not None:
        in_file = Counter(_key(u, public) for u in file_updates)
        by_change = {e["id"]: e for e in edits}
        for update in current:
            edit = by_change.get(update["change_id"])
            if edit is None:
                continue
            if in_file[_key(update, public)] > 0:
                in_file[_key(update, public)] -= 1
                continue
            problems.append((update["item_id"], Problem(
                f"the progress update of {plain(update['date'])} for item {update['item_id']} was added in wijkbeeld "
                f"by {edit['who']} ({_local(edit['at'])}), and the file does not have it", file=file_name)))
    return problems


def _values(update: dict) -> dict:
    return {f: plain(update.get(f)) for f in ("date", "progress", "status", "note", "public", "note_public")}


def _local(at: str) -> str:
    """A stored UTC time as people here read it: 2025-03-01 10:30."""
    return datetime.fromisoformat(at).astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
