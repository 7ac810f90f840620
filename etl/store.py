"""The working DuckDB file: opening it with the spatial extension, and its schema.

The schema is the sum of the numbered files ``etl/sql/migrations/NNN_name.sql``, applied in order. A working
database records the migrations it has had in ``schema_version``; one made by the release before schema versions
(its tables, no such table) is version 1. Opening a database migrates it to the newest version, each file in a
transaction of its own, keeping every row; a database newer than the code is refused, never migrated down.
"""
from __future__ import annotations

import importlib.util
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

from etl.errors import SchemaVersionError

SQL_DIR = Path(__file__).with_name("sql")
MIGRATIONS_DIR = SQL_DIR / "migrations"
MIGRATION_FILE = re.compile(r"(\d{3})_\w+\.sql")
WORKING_DB = "wijkbeeld.duckdb"


@cache
def spatial_extension_path() -> str:
    """Path of the spatial extension shipped by ``duckdb-extension-spatial`` (no download)."""
    spec = importlib.util.find_spec("duckdb_extension_spatial")
    root = Path(spec.submodule_search_locations[0])
    found = next(root.glob(f"extensions/v{duckdb.__version__}/spatial.duckdb_extension"), None)
    if found is None:
        raise RuntimeError(f"no spatial extension for duckdb {duckdb.__version__} under {root}")
    return str(found)


def connect(path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file with spatial loaded and lon/lat (x/y) axis order."""
    config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    con.execute(f"LOAD {quote_literal(spatial_extension_path())}")
    con.execute("SET geometry_always_xy = true")
    return con


def quote_literal(text: str | Path) -> str:
    """``text`` as an SQL string literal, for the few statements that take no bound parameters (``LOAD``,
    ``ATTACH``): a path may hold quotes, spaces and any letter.

    >>> quote_literal("/data/it's Zoë's")
    "'/data/it''s Zoë''s'"
    """
    return "'" + str(text).replace("'", "''") + "'"


def sql(name: str) -> str:
    """The text of ``etl/sql/<name>.sql``."""
    return (SQL_DIR / f"{name}.sql").read_text()


def open_working(data_dir: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the working database, migrated to the newest schema version.

    Migrating writes: callers hold the data-directory lock (``etl.lock.data_dir_lock``).
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    con = connect(data_dir / WORKING_DB)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def transaction(con, begin: str = "BEGIN TRANSACTION"):
    """``BEGIN`` … ``COMMIT``; ``ROLLBACK`` when the block raises (a failed ``COMMIT`` has rolled back itself).
    DuckDB and SQLite connections alike; ``begin`` is SQLite's ``BEGIN IMMEDIATE`` for a writer that must wait."""
    con.execute(begin)
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@dataclass(frozen=True)
class Migration:
    version: int
    path: Path


@cache
def migrations(folder: Path = MIGRATIONS_DIR) -> tuple[Migration, ...]:
    """Every ``NNN_name.sql`` in ``folder``, in order. The numbers run 1, 2, 3, … without gaps or repeats: two
    branches that took the same number must renumber one before they are merged."""
    paths = sorted(folder.glob("*.sql"))
    found = [Migration(int(match.group(1)), path) for path in paths if (match := MIGRATION_FILE.fullmatch(path.name))]
    if len(found) != len(paths) or [m.version for m in found] != list(range(1, len(found) + 1)):
        raise SchemaVersionError(f"{folder}: migrations must be named 001_name.sql, 002_name.sql, … without gaps or "
                                 f"repeats; found {[path.name for path in paths]}")
    return tuple(found)


def latest_schema_version() -> int:
    """The schema version this code writes: the number of its newest migration."""
    return migrations()[-1].version


def schema_version(con) -> int:
    """The schema version of an open working database: 0 when it is empty, 1 when it was made by the release
    before schema versions."""
    tables = _tables(con)
    if "schema_version" in tables:
        return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
    return 1 if "etl_runs" in tables else 0


def check_schema_version(con, folder: Path = MIGRATIONS_DIR) -> int:
    """The schema version of an open working database; refuses one written by a newer wijkbeeld."""
    version, known = schema_version(con), migrations(folder)[-1].version
    if version > known:
        path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
        raise SchemaVersionError(
            f"{path} has schema version {version}, made by a newer wijkbeeld; this one knows versions up to {known}. "
            "Install the newer wijkbeeld (a database is never migrated down).")
    return version


def migrate(con, folder: Path = MIGRATIONS_DIR) -> int:
    """Apply the migrations an open working database lacks, in order, each in its own transaction with its row in
    ``schema_version``; returns the version it is at. A failed migration leaves the database at the version before."""
    version = check_schema_version(con, folder)
    if version == 1 and "schema_version" not in _tables(con):
        with transaction(con):   # made by the release before schema versions: it is version 1
            _record(con, migrations(folder)[0], "made before schema versions")
    for step in migrations(folder)[version:]:
        try:
            with transaction(con):
                con.execute(step.path.read_text())
                _record(con, step, "")
        except duckdb.Error as error:
            raise SchemaVersionError(f"migration {step.path.name} failed; the database stays at schema version "
                                     f"{version}: {error}") from error
        version = step.version
    return version


def _tables(con) -> set[str]:
    return {name for (name,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
    ).fetchall()}


def _record(con, step: Migration, note: str) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
                "applied TIMESTAMP NOT NULL, note VARCHAR)")
    con.execute("INSERT INTO schema_version (version, name, applied, note) "
                "VALUES (?, ?, timezone('UTC', now()), ?)", [step.version, step.path.stem, note or None])
