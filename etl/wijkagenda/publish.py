"""The wijkagenda into published versions: with every full ``wijkbeeld publish``, and alone with
``wijkbeeld publish --agenda-only`` — which makes a new version from the current one in a second or two: the same
geometry (hard links; nothing simplified again), copies of its staff and public files with the agenda tables made
anew from the store, and the same checks, manifest and atomic swap of the ``published`` link as a full publish.

It is meant to run often (a systemd timer, every 30 s: deploy/systemd/wijkbeeld-agenda.timer). When the store has
not changed since the published version it does nothing; when a full publish or an ETL job holds the data directory
it leaves that to them (a full publish takes the agenda too) and the next run catches up.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from etl.errors import PublishError
from etl.lock import data_dir_lock
from etl.wijkagenda import store

ITEM_TYPES = {"progress": pa.float64(), "target": pa.float64(), "baseline_year": pa.int32(), "start": pa.date32(),
              "due": pa.date32(), "public": pa.bool_()}
UPDATE_TYPES = {"date": pa.date32(), "progress": pa.float64(), "public": pa.bool_(), "note_public": pa.bool_()}
PUBLISHED_FILES = ("staff.duckdb", "public.duckdb")


@dataclass(frozen=True)
class AgendaSnapshot:
    """The agenda store at one stand: what one published version holds."""

    stand: int
    store: str                     # the store's id
    tables: dict[str, pa.Table]

    def published_in(self, manifest: dict) -> bool:
        """Whether the version of this manifest holds this snapshot."""
        return manifest.get("agenda_stand") == self.stand and manifest.get("agenda_store") == self.store


def agenda_snapshot(data_dir: Path) -> AgendaSnapshot:
    """Items, current updates and links of the store, read in one transaction (one consistent stand)."""
    con = store.connect(data_dir)
    try:
        con.execute("BEGIN")
        stand, identity = store.stand(con), store.store_id(con)
        items, updates, links = store.items(con), store.updates(con), store.links(con)
        con.execute("COMMIT")
    finally:
        con.close()
    return AgendaSnapshot(stand, identity, {
        "store_agenda_items": _table(items, store.ITEM_COLUMNS, ITEM_TYPES),
        "store_agenda_updates": _table(updates, store.STORED_UPDATE_COLUMNS, UPDATE_TYPES),
        "store_agenda_links": _table([{"initiative_id": k, "item_id": v} for k, v in links.items()],
                                     ["initiative_id", "item_id"], {})})


def _table(rows: list[dict], columns: list[str], types: dict) -> pa.Table:
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    return pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=schema)


def register_agenda(con, snapshot: AgendaSnapshot) -> None:
    """Make the snapshot's tables readable by the publish SQL in this DuckDB connection."""
    for name, table in snapshot.tables.items():
        con.register(name, table)


def seed_store(data_dir: Path, working) -> bool:
    """A store that never had a change takes the agenda of the working database once (a data directory made
    before the store existed loses nothing). True when it did."""
    con = store.connect(data_dir)
    try:
        if store.stand(con) or not working.execute("SELECT count(*) FROM agenda_items").fetchone()[0]:
            return False
        from etl.sources.agenda import Agenda
        from etl.wijkagenda.merge import merge_import

        items = _rows(working, "SELECT * FROM agenda_items ORDER BY id", store.ITEM_COLUMNS)
        updates = _rows(working, "SELECT * FROM agenda_updates ORDER BY item_id, date", store.UPDATE_COLUMNS)
        agenda = Agenda(items, [{**u, "note_public": False} for u in updates], len(items) + len(updates))
        merge_import(con, agenda, "wijkbeeld (from the working database)", "wijkbeeld.duckdb")
        return True
    finally:
        con.close()


def _seed_from_working(data_dir: Path) -> None:
    """Right after an upgrade the store is empty while the working database (and what is published) has an
    agenda: fill the store first, or this publish would take the agenda off the maps."""
    from etl.store import WORKING_DB, connect

    con = store.connect(data_dir)
    try:
        empty = store.stand(con) == 0
    finally:
        con.close()
    if empty and (data_dir / WORKING_DB).exists():
        working = connect(data_dir / WORKING_DB, read_only=True)
        try:
            seed_store(data_dir, working)
        finally:
            working.close()


def _rows(working, query: str, columns: list[str]) -> list[dict]:
    cursor = working.execute(query)
    names = [d[0] for d in cursor.description]
    return [{c: row[names.index(c)] for c in columns} for row in cursor.fetchall()]


def publish_agenda(data_dir: Path, progress=print):
    """A new version with the agenda as it stands now and everything else of the published one (see above)."""
    import duckdb

    from etl.publish import (PublishResult, check_link, current_version, finish_version, new_build, now,
                             read_manifest, start_versions)
    from etl.store import quote_literal, sql

    check_link(data_dir)
    with data_dir_lock(data_dir, wait=False):
        current = current_version(data_dir)
        if current is None:
            raise PublishError("nothing is published yet: run wijkbeeld publish first")
        versions = start_versions(data_dir)
        previous = read_manifest(versions / current)
        _seed_from_working(data_dir)
        snapshot = agenda_snapshot(data_dir)
        if snapshot.published_in(previous):
            return PublishResult("unchanged", current, versions / current, previous.get("counts", {}))
        version, build = new_build(versions)
        for name in PUBLISHED_FILES:
            shutil.copyfile(versions / current / name, build / name)
        _link_tree(versions / current / "geometry", build / "geometry")
        con = duckdb.connect(config={"autoload_known_extensions": False, "autoinstall_known_extensions": False})
        try:
            for name in PUBLISHED_FILES:
                con.execute(f"ATTACH {quote_literal(build / name)} AS {name.split('.')[0]}")
            register_agenda(con, snapshot)
            con.execute(sql("publish_staff_agenda"))
            con.execute(sql("publish_public_agenda"))
            for db in ("staff", "public"):
                con.execute(f"UPDATE {db}.meta SET value = ? WHERE key = 'version'", [version])
                con.execute(f"UPDATE {db}.meta SET value = ? WHERE key = 'published_at'",
                            [now().isoformat(timespec="seconds")])
        finally:
            con.close()
        return finish_version(data_dir, build, version, previous["counts"], progress, source=previous.get("source"),
                              agenda_stand=snapshot.stand, agenda_store=snapshot.store,
                              geometry=previous.get("geometry", current))


def _link_tree(source: Path, target: Path) -> None:
    """The same files under ``target``, as hard links (a copy where the file system has none)."""
    target.mkdir()
    for path in sorted(source.iterdir()):
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)
