"""The ETL jobs behind ``wijkbeeld etl …``: pick the source, extract, load, log."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.load import RunResult, file_sha256, run_job
from etl.sources.download import download

PDOK_SUFFIXES = ("", "_v1", "_v2", "_v3")


def _local_file(path: Path) -> Path:
    if not path.exists():
        raise LoadError("file not found", file=str(path))
    if not path.is_file():
        raise LoadError("not a file", file=str(path))
    return path


def load_boundaries(data_dir: Path, file: Path | None = None, year: int | None = None, progress=None,
                    gemeenten: list[str] | None = None) -> RunResult:
    """A Wijk- en buurtkaart file, or PDOK's of ``year`` (downloaded once into the cache); only the regions of
    ``gemeenten`` when given (PDOK's file is of the whole country: it is filtered when read)."""
    from etl.batch import only_gemeenten
    from etl.sources.boundaries import read_boundaries

    catalog = load_catalog()
    if file is None:
        file = download(pdok_urls(year, catalog), data_dir / "cache", progress)
    path = _local_file(file)

    def extract():
        if progress:
            progress(f"boundaries: reading {path}")
        batch = read_boundaries(path, catalog, year=year)
        return only_gemeenten(batch, gemeenten) if gemeenten else batch

    return run_job(data_dir, "boundaries", str(path) + _scope(gemeenten), extract, catalog,
                   sha256=_combined_sha256([path], " ".join(sorted(gemeenten))) if gemeenten else file_sha256(path))


def _scope(gemeenten: list[str] | None) -> str:
    """What a source was limited to, for the run log."""
    return f" ({', '.join(gemeenten)})" if gemeenten else ""


def pdok_urls(year: int, catalog) -> list[str]:
    """Candidate PDOK download addresses for a year: the file name suffix varies by release."""
    template = os.environ.get("WIJKBEELD_PDOK_URL") or catalog.sources["wijkenbuurten"]["url"]
    return [template.format(year=year, suffix=suffix) for suffix in PDOK_SUFFIXES]


def load_kerncijfers(data_dir: Path, file: Path | None = None, table: str | None = None, year: int | None = None,
                     progress=None, gemeenten: list[str] | None = None) -> RunResult:
    """A kerncijfers table from CBS OData (only the rows of ``gemeenten`` when given) or a recorded file of it."""
    from etl.sources import kerncijfers

    catalog = load_catalog()
    return _load_table_or_file(
        data_dir, "kerncijfers", file, table, catalog, gemeenten,
        read_file=lambda path: kerncijfers.read_kerncijfers_file(path, catalog, year=year),
        fetch=lambda asked: kerncijfers.fetch_kerncijfers(table, catalog, progress=progress, year=year,
                                                          gemeenten=asked))


def load_health(data_dir: Path, file: Path | None = None, table: str | None = None, progress=None,
                gemeenten: list[str] | None = None) -> RunResult:
    """RIVM 50120NED from CBS OData (only the rows of ``gemeenten`` when given) or an export of it."""
    from etl.sources import health

    catalog = load_catalog()
    return _load_table_or_file(
        data_dir, "health", file, table, catalog, gemeenten,
        read_file=lambda path: health.read_health_file(path, catalog),
        fetch=lambda asked: health.fetch_health(table, catalog, progress=progress, gemeenten=asked))


def _load_table_or_file(data_dir, job, file, table, catalog, gemeenten, read_file, fetch) -> RunResult:
    """A CBS table fetched over OData (``fetch(gemeenten to ask for, or None)``), or a recorded/exported file of it.

    The service is asked for the rows of at most :data:`odata.MAX_ASKED_GEMEENTEN` gemeenten (a longer ``$filter``
    makes too long an address); the rows of more are kept when read, and the run's fingerprint names them."""
    from etl.batch import only_gemeenten
    from etl.sources import odata

    if file is not None:
        path = _local_file(file)
        return run_job(data_dir, job, str(path), lambda: read_file(path), catalog, sha256=file_sha256(path))
    asked = gemeenten if gemeenten and len(gemeenten) <= odata.MAX_ASKED_GEMEENTEN else None

    def fetched():
        batch, provenance = fetch(asked)
        batch.sha256 = provenance["sha256"]
        if gemeenten and not asked:
            batch = only_gemeenten(batch, gemeenten)
            batch.sha256 = hashlib.sha256(f"{provenance['sha256']} {' '.join(gemeenten)}".encode()).hexdigest()
        return batch

    return run_job(data_dir, job, f"CBS OData {table}" + _scope(gemeenten), fetched, catalog)


def load_initiatives(data_dir: Path, file: Path, progress=None, *, empty_ok: bool = False) -> RunResult:
    """Initiatives from a .csv/.xlsx/.geojson, located in the buurten of the newest indeling loaded; a file with a
    header but no rows is refused unless ``empty_ok`` (it would empty the table)."""
    from etl.sources.initiatives import read_initiatives

    catalog = load_catalog()
    path = _local_file(file)
    year, regions = newest_regions(data_dir)
    if progress:
        progress(f"initiatives: reading {path}")

    def extract():
        return read_initiatives(path, _required(regions, path), year, empty_ok=empty_ok)

    return run_job(data_dir, "initiatives", str(path), extract, catalog,
                   sha256=_combined_sha256([path], year))


def load_agenda(data_dir: Path, file: Path, progress=None, *, empty_ok: bool = False, replace_edits: bool = False,
                who: str | None = None) -> RunResult:
    """The wijkagenda from a .xlsx (items and a progress sheet) or a .csv (and ``<stem>_voortgang.csv``), merged
    into the agenda store (:mod:`etl.wijkagenda.merge`): refused when it would undo an edit made in the dashboard
    unless ``replace_edits``, and when it has a header but no items unless ``empty_ok``."""
    from etl.sources.agenda import updates_csv

    catalog = load_catalog()
    path = _local_file(file)
    year, regions = newest_regions(data_dir)
    sources = [path] + [p for p in [updates_csv(path)] if path.suffix.lower() == ".csv" and p.is_file()]
    if progress:
        progress(f"agenda: reading {', '.join(map(str, sources))}")
    indicators = {i.id: i.direction for i in catalog.indicators} | loaded_indicators(data_dir)

    def extract():
        wijken = _required(regions, path)
        agenda, result = import_agenda(data_dir, path, wijken.loc[wijken["level"] == "wijk", "code"], indicators,
                                       year, who=who or f"{command_line_user()} (wijkbeeld etl agenda)",
                                       empty_ok=empty_ok, replace_edits=replace_edits)
        return _agenda_batch(agenda, result)

    # always read: the store may have changed since this file was last imported
    return run_job(data_dir, "agenda", str(path), extract, catalog, sha256=_combined_sha256(sources, year),
                   always=True)


def import_agenda(data_dir: Path, path: Path, wijk_codes, indicators: dict[str, str], year, *, who: str,
                  scope: str = "*",
                  empty_ok: bool = False, replace_edits: bool = False, outside: dict | None = None,
                  file_name: str | None = None):
    """Read an agenda file with the importer's rules and merge it into the store: (agenda read, ImportResult).

    ``wijk_codes``: the wijken of the newest indeling, ``indicators``: catalog id → direction. Used by ``wijkbeeld
    etl agenda`` and by the dashboard's upload (``scope``: the one wijk it may touch, ``outside``: the stored items
    of other wijken, id → parent id)."""
    from etl.sources.agenda import AgendaRules, read_agenda_file
    from etl.wijkagenda import store
    from etl.wijkagenda.merge import merge_import
    from etl.wijkagenda.template import download_stand

    rules = AgendaRules(frozenset(wijk_codes), dict(indicators), year, scope, outside or {})
    agenda = read_agenda_file(path, rules, empty_ok=empty_ok)
    con = store.connect(data_dir)
    try:
        result = merge_import(con, agenda, who, file_name or str(path), scope=scope, stand=download_stand(path),
                              replace_edits=replace_edits)
    finally:
        con.close()
    return agenda, result


def _agenda_batch(agenda, result):
    """The file's rows for the working database, and what the import changed in the store for the run log."""
    import pandas as pd

    from etl.batch import Batch
    from etl.wijkagenda import store

    changes = ", ".join(f"{n} {what}" for what, n in result.counts.items() if n) or "nothing changed"
    notes = [f"{len(agenda.items)} agenda items, {len(agenda.updates or [])} progress updates; in the agenda store: "
             f"{changes}"] + [f"replaced the dashboard edit of {r}" for r in result.replaced]
    frames = {"agenda_items": pd.DataFrame(agenda.items, columns=store.ITEM_COLUMNS)}
    if agenda.updates is not None:
        frames["agenda_updates"] = pd.DataFrame(agenda.updates, columns=store.UPDATE_COLUMNS)
    return Batch(rows_in=agenda.rows_in, notes=notes, replace=frames, unchanged=result.change is None)


def command_line_user() -> str:
    import getpass

    return os.environ.get("SUDO_USER") or getpass.getuser()


def load_eigen(data_dir: Path, file: Path, progress=None) -> RunResult:
    """The gemeente's own figures from a .xlsx (figures and a sheet ``indicatoren``) or a .csv (and
    ``<stem>_indicatoren.csv``), checked against the region codes of every indeling loaded."""
    from etl.sources.eigen import declaration_csv, read_eigen

    catalog = load_catalog()
    path = _local_file(file)
    declaration = declaration_csv(path)
    sources = [path] + ([declaration] if path.suffix.lower() == ".csv" and declaration.is_file() else [])
    codes = loaded_codes(data_dir)
    if progress:
        progress(f"eigen: reading {', '.join(map(str, sources))}")

    def extract():
        if not codes:
            raise LoadError("no regions in the working database: load boundaries first (wijkbeeld etl boundaries)",
                            file=str(path))
        return read_eigen(path, codes, catalog)

    fingerprint = hashlib.sha256(" ".join(sorted(codes)).encode()).hexdigest()[:16]
    return run_job(data_dir, "eigen", str(path), extract, catalog, sha256=_combined_sha256(sources, fingerprint))


def loaded_indicators(data_dir: Path) -> dict[str, str]:
    """Every indicator of the catalogue in the working database (CBS, RIVM and own figures) → its direction."""
    from etl.store import open_working

    con = open_working(data_dir)
    try:
        return dict(con.execute("SELECT id, direction FROM indicators").fetchall())
    finally:
        con.close()


def loaded_codes(data_dir: Path) -> set[str]:
    """Every gemeente, wijk and buurt code of every indeling in the working database."""
    from etl.store import open_working

    con = open_working(data_dir)
    try:
        return {code for code, in con.execute("SELECT DISTINCT code FROM regions").fetchall()}
    finally:
        con.close()


def newest_regions(data_dir: Path):
    """``(year, GeoDataFrame)`` of the wijken and buurten of the newest indeling in the working database,
    geometry in EPSG:28992; ``(None, None)`` when no boundaries are loaded."""
    import geopandas as gpd
    import shapely

    from etl.lock import data_dir_lock
    from etl.store import open_working, sql

    with data_dir_lock(data_dir):   # opening may migrate the working database
        con = open_working(data_dir)
        try:
            year = con.execute("SELECT max(year) FROM regions WHERE level = 'buurt'").fetchone()[0]
            if year is None:
                return None, None
            rows = con.execute(sql("newest_regions"), [year]).fetchall()
        finally:
            con.close()
    columns = ["year", "level", "code", "name", "wijk_code", "gemeente_code"]
    return year, gpd.GeoDataFrame([r[:-1] for r in rows], columns=columns,
                                  geometry=shapely.from_wkb([bytes(r[-1]) for r in rows]), crs="EPSG:28992")


def _required(regions, path):
    if regions is None:
        raise LoadError("no buurten in the working database: load boundaries first (wijkbeeld etl boundaries)",
                        file=str(path))
    return regions


def _combined_sha256(paths: list[Path], year) -> str:
    """One fingerprint for the files read and the indeling they were located in."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(file_sha256(path).encode())
    digest.update(f"indeling {year}".encode())
    return digest.hexdigest()


def report(result: RunResult, progress, label: str | None = None) -> None:
    """What a job did, in a line (and its notes), after ``label`` when given (a step of an update)."""
    prefix = f"{label}: " if label else ""
    if result.status == "unchanged":
        progress(f"{prefix}unchanged: {result.notes[0]}")
        return
    progress(f"{prefix}loaded (run {result.run_id}): {result.rows_in:,} rows read, {result.rows_out:,} rows written")
    for note in result.notes:
        progress(f"  note: {note}")
