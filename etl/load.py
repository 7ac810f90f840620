"""Run one ETL job: extract a Batch, write it to the working database in one transaction, log the run.

A job either lands whole or not at all; every attempt leaves a row in ``etl_runs``. A source whose
sha256 was loaded before (with the same catalog) is not loaded again: rerunning changes nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd
import pyarrow as pa
import shapely

from etl.batch import COLUMN_MAP_COLUMNS, INDICATOR_COLUMNS, OBSERVATION_COLUMNS, REGION_COLUMNS, Batch
from etl.catalog import CATALOG_PATH, Catalog
from etl.errors import LoadError
from etl.lock import data_dir_lock
from etl.store import open_working, sql, transaction

INSERT_RUN = ("INSERT INTO etl_runs (run_id, job, source, sha256, catalog_sha256, rows_in, rows_out, started, "
              "finished, status, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass(frozen=True)
class RunResult:
    run_id: int | None
    status: str           # ok | unchanged
    rows_in: int
    rows_out: int
    notes: tuple[str, ...]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def catalog_sha256() -> str:
    return hashlib.sha256(CATALOG_PATH.read_bytes()).hexdigest()


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def run_job(data_dir: Path, job: str, source: str, extract: Callable[[], Batch], catalog: Catalog,
            sha256: str | None = None, always: bool = False) -> RunResult:
    """Load what ``extract`` returns unless this exact source was loaded before.

    ``sha256`` is that of the local file; for a download, the extractor sets ``Batch.sha256``. ``always``: read
    it even so (the agenda, whose store may have changed since); when the extractor then says the reading changed
    nothing (``Batch.unchanged``), the earlier run stands and nothing is written.
    """
    with data_dir_lock(data_dir):
        con = open_working(data_dir)
        try:
            if sha256 and not always and (previous := _previous_run(con, job, sha256)):
                return previous
            started = now()
            try:
                batch = extract()
            except LoadError as error:
                _log_run(con, job, source, sha256, None, None, started, "failed", str(error))
                raise
            digest = sha256 or batch.sha256
            # a download seen before; or, read ``always``, a file seen before whose reading changed nothing
            if digest and (batch.unchanged or not always) and (previous := _previous_run(con, job, digest)):
                return previous
            run_id, rows_out = _write(con, batch, catalog, job, source, digest, started)
            return RunResult(run_id, "ok", batch.rows_in, rows_out, tuple(batch.notes))
        finally:
            con.close()


def _previous_run(con, job: str, sha256: str) -> RunResult | None:
    row = con.execute(
        "SELECT run_id, rows_in, rows_out FROM etl_runs WHERE job = ? AND sha256 = ? AND catalog_sha256 = ? "
        "AND status = 'ok' ORDER BY run_id DESC LIMIT 1", [job, sha256, catalog_sha256()]).fetchone()
    if row is None:
        return None
    return RunResult(row[0], "unchanged", row[1], row[2], (f"already loaded in run {row[0]}; nothing changed",))


def _write(con, batch: Batch, catalog: Catalog, job: str, source: str, sha256: str | None,
           started: datetime) -> tuple[int, int]:
    """Write the batch and its ``etl_runs`` row in one transaction; returns the run id and the rows written."""
    regions = batch.regions
    observations = batch.observations.reindex(columns=OBSERVATION_COLUMNS)
    column_map = batch.column_map.reindex(columns=COLUMN_MAP_COLUMNS)
    staged_regions = _staged_regions(regions) if regions is not None and len(regions) else _empty_regions()
    con.register("staged_regions", staged_regions)
    con.register("staged_observations", _arrow(observations))
    con.register("staged_column_map", _arrow(column_map))
    try:
        with transaction(con):
            run_id = _next_run_id(con)
            con.execute("SET VARIABLE run_id = ?", [run_id])
            if batch.indicators is not None:
                _forget_declared(con, sorted(set(batch.indicators["source_table"]) | set(column_map["table_id"])))
            con.execute(sql("upsert"))
            rows_out = len(staged_regions) + len(observations) + _replace_tables(con, batch.replace)
            if batch.indicators is not None:
                _declare_indicators(con, batch.indicators)
            refresh_indicators(con, catalog)
            con.execute(INSERT_RUN, [run_id, job, source, sha256, catalog_sha256(), batch.rows_in, rows_out,
                                     started, now(), "ok", "; ".join(batch.notes)])
    finally:
        for name in ("staged_regions", "staged_observations", "staged_column_map"):
            con.unregister(name)
    return run_id, rows_out


def _next_run_id(con) -> int:
    """One more than the highest run id committed. Taken inside the transaction that writes the run, under the
    data-directory lock (one writer): a killed job cannot leave it behind its rows, as a DuckDB sequence can after
    a WAL replay."""
    return con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM etl_runs").fetchone()[0]


def _replace_tables(con, tables: dict[str, pd.DataFrame]) -> int:
    """Replace whole tables (inside the caller's transaction), columns matched by name."""
    written = 0
    for table, frame in tables.items():
        columns = [c for c in frame.columns if c != "geom"]
        staged = _arrow(pd.DataFrame(frame[columns]))
        select = ", ".join(f'"{c}"' for c in columns)
        if "geom" in frame.columns:
            wkb = [None if g is None else shapely.to_wkb(g) for g in frame["geom"]]
            staged = staged.append_column("geom_wkb", pa.array(wkb, pa.binary()))
            select += ', ST_GeomFromWKB(geom_wkb) AS "geom"'
        name = f"staged_{table}"
        con.register(name, staged)
        try:
            con.execute(f'DELETE FROM "{table}"')
            target = ", ".join(f'"{c}"' for c in columns + (["geom"] if "geom" in frame.columns else []))
            con.execute(f'INSERT INTO "{table}" ({target}) SELECT {select} FROM {name}')
        finally:
            con.unregister(name)
        written += len(frame)
    return written


def refresh_indicators(con, catalog: Catalog) -> None:
    """Rebuild the indicators and themes tables: metadata of the newest table per series (``column_map``), the
    curated indicators of the TOML, and the declared own figures, with curation applied (:meth:`Catalog.curate`).

    Runs inside the caller's transaction, after each load and before each publish, so a changed ``indicators.toml``
    reaches the published files without reloading a source.
    """
    cursor = con.execute(sql("indicator_metadata"))
    names = [d[0] for d in cursor.description]
    rows = {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}
    for row in rows.values():
        if row["source"] is None:     # resolved before the catalogue kept the source (schema version 1)
            curated = catalog.curated(row["id"])
            row["source"] = curated.source if curated else \
                ("gezondheid" if row["source_table"] == catalog.sources["gezondheid"]["tables"]["all"] else "kerncijfers")
    for row in catalog.curated_rows():
        rows.setdefault(row["id"], row)
    own = con.execute("SELECT * FROM indicators WHERE source = 'eigen'").fetchdf().to_dict("records")
    for row in own:
        rows[row["id"]] = {k: (None if _is_na(v) else v) for k, v in row.items()}
    frame = pd.DataFrame(catalog.curate(list(rows.values())))
    frame = frame.reindex(columns=INDICATOR_COLUMNS).astype({"decimals": "Int64", "position": "Int64"})
    con.register("refreshed_indicators", _arrow(frame))
    try:
        con.execute("DELETE FROM indicators")
        con.execute("INSERT INTO indicators BY NAME SELECT * FROM refreshed_indicators")
    finally:
        con.unregister("refreshed_indicators")
    con.execute("DELETE FROM themes")
    con.executemany("INSERT INTO themes (id, label_nl, label_en, position) VALUES (?, ?, ?, ?)",
                    catalog.theme_rows())


def _forget_declared(con, tables: list[str]) -> None:
    """What a declaring source (own figures) loaded before from these files: replaced whole by this load."""
    for table in ("observations", "column_map"):
        key = "source_table" if table == "observations" else "table_id"
        con.execute(f"DELETE FROM {table} WHERE list_contains(?, {key})", [tables])
    con.execute("DELETE FROM indicators WHERE source = 'eigen' AND list_contains(?, source_table)", [tables])


def _declare_indicators(con, declared: pd.DataFrame) -> None:
    """Own figures' declarations: the source's rows replace what it declared before."""
    frame = declared.reindex(columns=INDICATOR_COLUMNS)
    con.register("declared_indicators", _arrow(frame))
    try:
        con.execute("INSERT OR REPLACE INTO indicators BY NAME SELECT * FROM declared_indicators")
    finally:
        con.unregister("declared_indicators")


def _is_na(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _log_run(con, job, source, sha256, rows_in, rows_out, started, status, message) -> None:
    with transaction(con):
        con.execute(INSERT_RUN, [_next_run_id(con), job, source, sha256, catalog_sha256(), rows_in, rows_out,
                                 started, now(), status, message[:4000]])


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame as Arrow, missing values (NaN, NA, None) as NULL. Typed columns convert as they are (NaN is NULL
    for Arrow too); a frame with object columns goes through Python objects, which any cell survives."""
    if not any(dtype == object for dtype in frame.dtypes):
        return pa.Table.from_pandas(frame, preserve_index=False)
    return pa.Table.from_pandas(frame.astype(object).where(frame.notna(), None), preserve_index=False)


def _staged_regions(regions) -> pa.Table:
    """Regions as plain columns plus WKB (EPSG:28992 is checked by the extractors)."""
    if regions.crs is not None and regions.crs.to_epsg() != 28992:
        raise ValueError(f"regions must be in EPSG:28992, not {regions.crs}")
    table = _arrow(pd.DataFrame(regions[REGION_COLUMNS[:-1]]))
    return table.append_column("geometry", pa.array(shapely.to_wkb(regions.geometry.values), pa.binary()))


def _empty_regions() -> pa.Table:
    return pa.table({"year": pa.array([], pa.int32()), "level": pa.array([], pa.string()),
                     "code": pa.array([], pa.string()), "name": pa.array([], pa.string()),
                     "gemeente_code": pa.array([], pa.string()), "wijk_code": pa.array([], pa.string()),
                     "geometry": pa.array([], pa.binary())})
