"""The dashboard's only reader: the published DuckDB file, read-only, following new versions.

Each call resolves the ``published`` link; when publish has swapped in a new version the next
call opens it, so the dashboard never needs a restart and never sees a half-written file.
"""
from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

import duckdb
from cachetools import LRUCache
from flask import g, has_request_context

from dashboard.published import NotPublished, published_version
from etl.store import latest_schema_version

SQL_DIR = Path(__file__).with_name("sql")
AUDIENCE_FILES = {"staff": "staff.duckdb", "public": "public.duckdb"}
MEMO_SIZE = 512          # results of memo(): figures for the tooltips (~1 MB for every buurt), initiatives, pages
# Paints (memo(..., paints=True)): a class string and a legend each, ~20 KB for every buurt. Kept apart, and enough
# of them for every figure, year and level of a national catalogue (~400 indicator-years per level): a memo that
# one round of them overflows computes every paint every time (75-95 ms; a kept one is answered in ~5 ms).
PAINTS_KEPT = 4096
KEEP_OPEN = 2   # versions with an open connection: the current one and the one before a publish
# Published files carry the schema version of the working database they came from (meta.schema_version; none
# before versions: 1). This reader takes them from the oldest whose tables its queries still find to the newest
# this release writes: raise OLDEST_SCHEMA_VERSION when a query needs what older files lack.
OLDEST_SCHEMA_VERSION = 1


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


_NOT_YET = object()   # a memo may hold None (e.g. "no such file")


def _manifest(version_dir: Path) -> dict:
    try:
        return json.loads((version_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


class UnknownSchemaVersion(NotPublished):
    """The published file has a schema version this reader does not know (made by another wijkbeeld release)."""


def check_published_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a published file this reader cannot answer from, before any query fails on it."""
    try:
        meta = dict(con.execute(query_text("meta")).fetchall())
    except duckdb.CatalogException:
        meta = {}
    version = meta.get("schema_version", "1" if meta else "unknown")
    readable = range(OLDEST_SCHEMA_VERSION, latest_schema_version() + 1)
    if not (version.isdigit() and int(version) in readable):
        raise UnknownSchemaVersion(
            f"{path} has schema version {version}; this wijkbeeld reads versions {readable.start} to "
            f"{readable.stop - 1}. Publish again with this wijkbeeld (wijkbeeld publish), or serve it with the "
            "wijkbeeld that made it.")


class PublishedData:
    def __init__(self, data_dir: Path, audience: str = "staff"):
        if audience not in AUDIENCE_FILES:
            raise ValueError(f"audience {audience!r} is not one of {tuple(AUDIENCE_FILES)}")
        self.link = Path(data_dir) / "published"
        self.audience = audience
        self._lock = threading.Lock()
        self._connections: dict[str, duckdb.DuckDBPyConnection] = {}   # newest last
        self._cache: dict = {}
        # guarded by _lock: LRUCache is not thread-safe
        self._memo: LRUCache = LRUCache(maxsize=MEMO_SIZE)
        self._paints: LRUCache = LRUCache(maxsize=PAINTS_KEPT)
        self._pin = f"wijkbeeld_version_{id(self)}"

    def version(self) -> str:
        """The published version (``versions/<id>``), resolved once per request: one request, one version."""
        if has_request_context():
            pinned = g.get(self._pin)
            if pinned is None:
                pinned = self._read_link()
                setattr(g, self._pin, pinned)
            return pinned
        return self._read_link()

    def pin(self, version_id: str) -> bool:
        """Answer this request from an earlier version that is still on disk (its own URLs name it);
        False when that version is gone."""
        folder = f"versions/{version_id}"
        if not (self.link.parent / folder / AUDIENCE_FILES[self.audience]).is_file() or not has_request_context():
            return False
        setattr(g, self._pin, folder)
        return True

    def pinned_or_current(self) -> str:
        """The id of the version this request uses (resolving it now if it has none yet)."""
        return self.version().rsplit("/", 1)[-1]

    def pinned_version(self) -> str | None:
        """The version id this request used, if it used one."""
        pinned = g.get(self._pin) if has_request_context() else None
        return pinned.rsplit("/", 1)[-1] if pinned else None

    def _read_link(self) -> str:
        return published_version(self.link)

    def version_dir(self) -> Path:
        return self.link.parent / self.version()

    def geometry_version(self) -> str:
        """The version whose geometry this one has (its own, or, after ``publish --agenda-only``, the version it
        was made from): geometry URLs name it, so a browser keeps its geometry across agenda publishes."""
        return self.memo(("geometry_version",), lambda: _manifest(self.version_dir()).get(
            "geometry", self.pinned_or_current()))

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """A connection to the version this request uses; the previous version stays open for requests
        that began before a publish, older ones are closed."""
        version = self.version()
        with self._lock:
            con = self._connections.get(version)
            if con is None:
                path = self.link.parent / version / AUDIENCE_FILES[self.audience]
                con = open_read_only(path)
                try:
                    check_published_schema(con, path)
                except UnknownSchemaVersion:
                    con.close()
                    raise
                self._connections[version] = con
                while len(self._connections) > KEEP_OPEN:
                    self._connections.pop(next(iter(self._connections))).close()
                self._cache = {k: v for k, v in self._cache.items() if k[0] in self._connections}
            return con

    def close(self) -> None:
        """Close every connection; what was computed is kept, and the next query opens the version it needs."""
        with self._lock:
            while self._connections:
                self._connections.popitem()[1].close()

    def rows(self, name: str, params: list | tuple | dict = ()) -> list[dict]:
        """Run a named query and return its rows as dicts."""
        cursor = self._connection().cursor()
        try:
            result = cursor.execute(query_text(name), params if isinstance(params, dict) else list(params))
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row)) for row in result.fetchall()]
        finally:
            cursor.close()

    def memo(self, key: tuple, compute, paints: bool = False):
        """``compute()`` once per published version and key (a pure function of the published data);
        the most recent MEMO_SIZE results are kept, and apart from them the most recent PAINTS_KEPT paints."""
        full_key = (self.version(), key)
        kept = self._paints if paints else self._memo
        with self._lock:
            value = kept.get(full_key, _NOT_YET)
        if value is _NOT_YET:
            value = compute()            # outside the lock: other requests go on meanwhile
            with self._lock:
                kept[full_key] = value
        return value

    def cached(self, name: str, params: tuple = ()) -> list[dict]:
        """Rows of a query that only changes with a new published version (catalog, years, bounds)."""
        self._connection()
        key = (self.version(), name, params)
        if key not in self._cache:
            self._cache[key] = self.rows(name, params)
        return self._cache[key]
