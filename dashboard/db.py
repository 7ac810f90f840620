"""The dashboard's only reader: the published DuckDB file, read-only, following new versions.

Each call resolves the ``published`` link; when publish has swapped in a new version the next
call opens it, so the dashboard never needs a restart and never sees a half-written file.
"""
from __future__ import annotations

import os
import threading
from functools import cache
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).with_name("sql")
AUDIENCE_FILES = {"staff": "staff.duckdb", "public": "public.duckdb"}


@cache
def query_text(name: str) -> str:
    """A named query from ``dashboard/sql/<name>.sql``; values are always bound parameters."""
    return (SQL_DIR / f"{name}.sql").read_text()


# How every reader opens a published file. DuckDB refuses a second connection to one file with other
# settings in the same process, so anything that reads published files (tests too) opens them this way.
READER_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False,
                 "autoinstall_known_extensions": False}


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(Path(path).resolve()), read_only=True, config=READER_CONFIG)


class NotPublished(RuntimeError):
    """There is no published version yet."""


class PublishedData:
    def __init__(self, data_dir: Path, audience: str = "staff"):
        if audience not in AUDIENCE_FILES:
            raise ValueError(f"audience {audience!r} is not one of {tuple(AUDIENCE_FILES)}")
        self.link = Path(data_dir) / "published"
        self.audience = audience
        self._lock = threading.Lock()
        self._version: str | None = None
        self._con: duckdb.DuckDBPyConnection | None = None
        self._cache: dict = {}

    def version(self) -> str:
        try:
            return os.readlink(self.link)
        except OSError:
            raise NotPublished(f"nothing published in {self.link.parent} (run: wijkbeeld demo)") from None

    def version_dir(self) -> Path:
        return self.link.parent / self.version()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        version = self.version()
        with self._lock:
            if version != self._version:
                path = self.link.parent / version / AUDIENCE_FILES[self.audience]
                con = open_read_only(path)
                old, self._con, self._version = self._con, con, version
                self._cache = {}
                if old is not None:
                    old.close()
            return self._con

    def rows(self, name: str, params: list | tuple | dict = ()) -> list[dict]:
        """Run a named query and return its rows as dicts."""
        cursor = self._connection().cursor()
        try:
            result = cursor.execute(query_text(name), params if isinstance(params, dict) else list(params))
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row)) for row in result.fetchall()]
        finally:
            cursor.close()

    def cached(self, name: str, params: tuple = ()) -> list[dict]:
        """Rows of a query that only changes with a new published version (catalog, years, bounds)."""
        self._connection()
        key = (self._version, name, params)
        if key not in self._cache:
            self._cache[key] = self.rows(name, params)
        return self._cache[key]
