"""The wijkagenda store: one SQLite file in WAL mode, ``<data dir>/wijkagenda/agenda.sqlite3``.

Every writer (each dashboard worker, ``wijkbeeld etl agenda``) opens it itself and writes in short
``BEGIN IMMEDIATE`` transactions: SQLite's file locks let one process write at a time and the others wait (up to
:data:`BUSY_TIMEOUT_S`), readers never wait, and a process killed mid-transaction leaves nothing of that
transaction and everything committed before it (``synchronous=FULL``: also after a power cut). The agenda as it
stands is in ``items``, ``updates`` and ``links``; every change is a row of ``changes`` with who, when, and the
values before and after. Schema: ``etl/sql/agenda_store.sql``.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

from etl import store as working_store

STORE_DIR = "wijkagenda"
STORE_FILE = "agenda.sqlite3"
SCHEMA = Path(__file__).resolve().parents[1] / "sql" / "agenda_store.sql"
SCHEMA_VERSION = 2         # the schema file is idempotent: an older store is brought up to it
BUSY_TIMEOUT_S = 30

ITEM_COLUMNS = ["id", "wijk_code", "title", "description", "theme", "owner", "status", "progress", "start", "due",
                "parent_id", "indicator_id", "baseline_year", "direction", "target", "public", "note"]
UPDATE_COLUMNS = ["item_id", "date", "progress", "status", "note", "public"]
STORED_UPDATE_COLUMNS = UPDATE_COLUMNS + ["note_public"]
DATES = ("start", "due", "date")
BOOLEANS = ("public", "note_public")


def store_path(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_DIR / STORE_FILE


def connect(data_dir: Path) -> sqlite3.Connection:
    """A connection to the store of ``data_dir`` (made, with its schema, when missing). One per thread."""
    path = store_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA synchronous = FULL")
    if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
        _create(con)
    return con


def _create(con: sqlite3.Connection) -> None:
    con.execute("PRAGMA journal_mode = WAL")
    with transaction(con):
        if con.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:   # another process was first
            for statement in statements(SCHEMA.read_text()):
                con.execute(statement)
            con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def statements(script: str) -> list[str]:
    """The statements of an SQL script (``executescript`` would commit the caller's transaction).

    >>> statements("-- a; comment\\nCREATE TABLE a (x);\\nCREATE TABLE b (y);\\n")
    ['-- a; comment\\nCREATE TABLE a (x);', 'CREATE TABLE b (y);']
    """
    found, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            found.append(buffer.strip())
            buffer = ""
    return found


def transaction(con: sqlite3.Connection):
    """One write transaction: it waits for other writers, then holds the write lock until commit."""
    return working_store.transaction(con, begin="BEGIN IMMEDIATE")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def stand(con: sqlite3.Connection) -> int:
    """The id of the latest change: what a published version or a downloaded file was made from."""
    return con.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0]


def store_id(con: sqlite3.Connection) -> str:
    """The store's random id: a store made anew (after an upgrade, or a restore) is not taken for the old one."""
    return con.execute("SELECT value FROM about WHERE key = 'id'").fetchone()[0]


def record(con: sqlite3.Connection, who: str, source: str, action: str, item_id: str | None = None,
           wijk_code: str | None = None, before: dict | None = None, after: dict | None = None,
           remark: str | None = None) -> int:
    """Add one change to the history (inside the caller's transaction); its id."""
    cursor = con.execute(
        "INSERT INTO changes (at, who, source, action, item_id, wijk_code, before, after, remark) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [now(), who, source, action, item_id, wijk_code, _json(before), _json(after), remark])
    return cursor.lastrowid


def _json(values: dict | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True, default=plain)


def plain(value):
    """A value as the store and the history hold it: dates as ISO text."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def from_store(row: sqlite3.Row | dict) -> dict:
    """A stored row with dates and booleans as Python values (as the importer makes them)."""
    values = dict(row)
    for name in DATES:
        if isinstance(values.get(name), str):
            values[name] = date.fromisoformat(values[name])
    for name in BOOLEANS:
        if name in values:
            values[name] = bool(values[name])
    return values


def get_item(con: sqlite3.Connection, item_id: str) -> dict | None:
    row = con.execute("SELECT * FROM items WHERE id = ?", [item_id]).fetchone()
    return from_store(row) if row else None


def items(con: sqlite3.Connection, wijk_code: str | None = None) -> list[dict]:
    """The items as they stand, of one wijk or all."""
    rows = con.execute("SELECT * FROM items WHERE ? IS NULL OR wijk_code = ? ORDER BY wijk_code, id",
                       [wijk_code, wijk_code]).fetchall()
    return [from_store(r) for r in rows]


def updates(con: sqlite3.Connection, wijk_code: str | None = None) -> list[dict]:
    """The current updates (not corrected or withdrawn) of the items of one wijk or all, oldest first, with who
    added them and when."""
    rows = con.execute(
        "SELECT u.*, c.who, c.at FROM updates AS u JOIN items AS i ON i.id = u.item_id "
        "JOIN changes AS c ON c.id = u.change_id "
        "WHERE u.replaced_by IS NULL AND (? IS NULL OR i.wijk_code = ?) ORDER BY u.item_id, u.date, u.id",
        [wijk_code, wijk_code]).fetchall()
    return [from_store(r) for r in rows]


def links(con: sqlite3.Connection) -> dict[str, str]:
    """Initiative id → the id of the agenda item it serves."""
    return dict(con.execute("SELECT initiative_id, item_id FROM links ORDER BY initiative_id").fetchall())


def history(con: sqlite3.Connection, item_id: str | None = None, wijk_code: str | None = None) -> list[dict]:
    """Changes, newest first: of one item, of the items of one wijk (and its imports), or all."""
    rows = con.execute(
        "SELECT * FROM changes WHERE (? IS NULL OR item_id = ?) AND (? IS NULL OR wijk_code IN (?, '*')) "
        "ORDER BY id DESC", [item_id, item_id, wijk_code, wijk_code]).fetchall()
    return [{**dict(r), "before": json.loads(r["before"] or "null"), "after": json.loads(r["after"] or "null")}
            for r in rows]
