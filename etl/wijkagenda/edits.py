"""What an editor does in the dashboard: each action is one transaction of the store, recorded in its history
with who, when, and the values before and after.

The values come checked by the importer's own rules (:func:`etl.sources.agenda.item_from_fields`,
:func:`~etl.sources.agenda.update_from_fields`); what depends on the stored agenda (the item exists, the id is new,
the form was made from the current state) is checked here, inside the transaction.
"""
from __future__ import annotations

import sqlite3

from etl.errors import LoadError
from etl.wijkagenda.store import ITEM_COLUMNS, get_item, plain, record, transaction

SOURCE = "dashboard"
FOLLOWS_UPDATES = ("progress", "status")     # an item shows the progress and status of its latest update


class NotFound(LookupError):
    """No such item, or no such current update."""


class Stale(RuntimeError):
    """The item changed after the form was opened: saving would overwrite that change unseen."""

    def __init__(self, item: dict, change: dict | None):
        self.item, self.change = item, change
        super().__init__(f"item {item['id']} was changed meanwhile")


def same(a, b) -> bool:
    """Equal as agenda values: 45 and 45.0 are, None and '' are.

    >>> same(45, 45.0), same(None, ""), same("a", "b")
    (True, True, False)
    """
    a, b = (None if v == "" else v for v in (a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def differences(before: dict, after: dict, fields=ITEM_COLUMNS) -> tuple[dict, dict]:
    """The fields whose values differ, as (before, after) dicts."""
    changed = [f for f in fields if not same(before.get(f), after.get(f))]
    return {f: plain(before.get(f)) for f in changed}, {f: plain(after.get(f)) for f in changed}


def add_item(con: sqlite3.Connection, who: str, item: dict) -> int:
    """A new item (or sub-item); refused when its id is taken or its parent is gone."""
    with transaction(con):
        if get_item(con, item["id"]) is not None:
            raise LoadError("an item with this id exists already", file="formulier", field="id", value=item["id"])
        _parent_exists(con, item)
        insert_item(con, item)
        return record(con, who, SOURCE, "item_added", item["id"], item["wijk_code"], None,
                      {f: plain(item[f]) for f in ITEM_COLUMNS})


def change_item(con: sqlite3.Connection, who: str, item: dict, revision: int) -> int | None:
    """Save an item's fields, if the form was made from its current ``revision``; None when nothing differs."""
    with transaction(con):
        current = _current(con, item["id"])
        if current["revision"] != revision:
            last = con.execute("SELECT who, at FROM changes WHERE item_id = ? ORDER BY id DESC LIMIT 1",
                               [item["id"]]).fetchone()
            raise Stale(current, dict(last) if last else None)
        before, after = differences(current, item)
        if not after:
            return None
        _parent_exists(con, item)
        set_fields(con, item["id"], after)
        return record(con, who, SOURCE, "item_changed", item["id"], item["wijk_code"], before, after)


def add_update(con: sqlite3.Connection, who: str, update: dict, corrects: int | None = None) -> int:
    """A progress update, or the correction of a current one (which stays, marked as replaced). The item takes
    the progress and status of its latest update."""
    with transaction(con):
        item = _current(con, update["item_id"])
        before, after = {}, {"update": _update_values(update)}
        if corrects is not None:
            old = con.execute("SELECT * FROM updates WHERE id = ? AND item_id = ? AND replaced_by IS NULL",
                              [corrects, item["id"]]).fetchone()
            if old is None:
                raise NotFound(f"no current update {corrects} of item {item['id']}")
            before["update"] = _update_values(dict(old))
        latest = con.execute("SELECT max(date) FROM updates WHERE item_id = ? AND replaced_by IS NULL AND id IS NOT ?",
                             [item["id"], corrects]).fetchone()[0]
        if latest is None or plain(update["date"]) >= latest:
            follows = {f: update[f] for f in FOLLOWS_UPDATES if update[f] is not None}
            item_before, item_after = differences(item, {**item, **follows}, FOLLOWS_UPDATES)
            before, after = {**before, **item_before}, {**after, **item_after}
        change = record(con, who, SOURCE, "update_corrected" if corrects is not None else "update_added",
                        item["id"], item["wijk_code"], before or None, after)
        insert_update(con, update, change)
        if corrects is not None:
            con.execute("UPDATE updates SET replaced_by = ? WHERE id = ?", [change, corrects])
        if set(after) - {"update"}:
            set_fields(con, item["id"], {f: after[f] for f in FOLLOWS_UPDATES if f in after})
        return change


def set_links(con: sqlite3.Connection, who: str, item_id: str, initiative_ids: list[str]) -> int | None:
    """The initiatives that serve an item, exactly these (an initiative serves one item: it moves from another)."""
    with transaction(con):
        item = _current(con, item_id)
        current = {r[0] for r in con.execute("SELECT initiative_id FROM links WHERE item_id = ?", [item_id])}
        wanted = set(initiative_ids)
        if wanted == current:
            return None
        moved = con.execute(f"SELECT initiative_id, item_id FROM links WHERE item_id != ? AND initiative_id IN "
                            f"({', '.join('?' * len(wanted))})", [item_id, *wanted]).fetchall() if wanted else []
        con.execute("DELETE FROM links WHERE item_id = ?", [item_id])
        con.executemany("INSERT OR REPLACE INTO links (initiative_id, item_id) VALUES (?, ?)",
                        [(i, item_id) for i in sorted(wanted)])
        remark = "; ".join(f"{i} was linked to {other}" for i, other in moved) or None
        return record(con, who, SOURCE, "links_changed", item_id, item["wijk_code"],
                      {"initiatives": sorted(current)}, {"initiatives": sorted(wanted)}, remark)


def insert_item(con: sqlite3.Connection, item: dict) -> None:
    con.execute(f"INSERT INTO items ({', '.join(ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(ITEM_COLUMNS))})",
                [plain(item[f]) for f in ITEM_COLUMNS])


def set_fields(con: sqlite3.Connection, item_id: str, values: dict) -> None:
    """Set some fields of an item (names from ITEM_COLUMNS only) and raise its revision."""
    names = [f for f in values if f in ITEM_COLUMNS]
    con.execute(f"UPDATE items SET {', '.join(f'{f} = ?' for f in names)}, revision = revision + 1 WHERE id = ?",
                [plain(values[f]) for f in names] + [item_id])


def insert_update(con: sqlite3.Connection, update: dict, change: int) -> None:
    con.execute("INSERT INTO updates (item_id, date, progress, status, note, public, note_public, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [update["item_id"], plain(update["date"]), update["progress"], update["status"], update["note"],
                 bool(update["public"]), bool(update.get("note_public")), change])


def _update_values(update: dict) -> dict:
    return {f: plain(update.get(f)) for f in ("date", "progress", "status", "note", "public", "note_public")}


def _current(con: sqlite3.Connection, item_id: str) -> dict:
    item = get_item(con, item_id)
    if item is None:
        raise NotFound(f"no agenda item {item_id}")
    return item


def _parent_exists(con: sqlite3.Connection, item: dict) -> None:
    if item.get("parent_id") and get_item(con, item["parent_id"]) is None:
        raise LoadError("unknown parent: no item with this id", file="formulier", field="bovenliggend",
                        value=item["parent_id"])
