"""Publish: build the files the dashboard reads, validate them, and swap them in atomically.

Layout of a data directory::

    wijkbeeld.duckdb            working database (ETL writes here)
    versions/<id>/              one complete published version
        staff.duckdb public.duckdb geometry/<year>-<level>.geojson manifest.json
        (each .duckdb has a ``meta`` table: published_at, version, schema_version of the working database)
    published -> versions/<id>  symlink, replaced with one rename(2)

Readers resolve ``published`` once per request and so always see one complete version. A build
that fails, or a process killed mid-way, leaves only a ``versions/.tmp-*`` folder that the next
publish removes; ``published`` is untouched.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from etl.catalog import Catalog
from etl.codes import gemeente_of
from etl.errors import PublishError
from etl.load import catalog_sha256, now, refresh_indicators
from etl.lock import data_dir_lock
from etl.progress import meter
from etl.store import SQL_DIR, WORKING_DB, connect, open_working, quote_literal, schema_version, sql
from geo.geojson import collection_text, feature_texts, rd_to_wgs84
from geo.simplify import OVERVIEW_TOLERANCE_M, TOLERANCE_M, simplify_coverage

PUBLISHED = "published"
VERSIONS = "versions"
KEEP_VERSIONS = 3
PUBLIC_SCHEMA = Path(__file__).with_name("public_schema.json")
OVERVIEW = "overzicht"
PER_GEMEENTE = ("wijk", "buurt")   # levels that also get a file per gemeente
PUBLIC_FILTERED = ("observations", "indicators")   # own figures not declared public stay in the staff file


@dataclass(frozen=True)
class PublishResult:
    status: str          # ok | unchanged
    version: str
    path: Path
    counts: dict


def published_dir(data_dir: Path) -> Path:
    return data_dir / PUBLISHED


def current_version(data_dir: Path) -> str | None:
    link = published_dir(data_dir)
    return Path(os.readlink(link)).name if link.is_symlink() else None


def publish(data_dir: Path, catalog: Catalog, progress=print) -> PublishResult:
    """Build a new version from the working database and the agenda store, and make it the published one."""
    from etl.wijkagenda.publish import agenda_snapshot, register_agenda, seed_store

    working = data_dir / WORKING_DB
    if not working.exists():
        raise PublishError(f"nothing to publish: {working} does not exist; load data first (wijkbeeld etl …)")
    check_link(data_dir)
    with data_dir_lock(data_dir):
        versions = start_versions(data_dir)
        con = open_working(data_dir)
        try:
            refresh_indicators(con, catalog)
            seed_store(data_dir, con)
            agenda = agenda_snapshot(data_dir)
            source = _source_fingerprint(con)
            current = current_version(data_dir)
            previous = read_manifest(versions / current) if current else {}
            if previous.get("source") == source and agenda.published_in(previous):
                return PublishResult("unchanged", current, versions / current, previous["counts"])
            version, build = new_build(versions)
            register_agenda(con, agenda)
            counts = _build(con, build, catalog, progress)
        finally:
            con.close()
        return finish_version(data_dir, build, version, counts, progress, source=source, agenda_stand=agenda.stand,
                              agenda_store=agenda.store, geometry=version)


def check_link(data_dir: Path) -> None:
    link = published_dir(data_dir)
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} is not a link made by wijkbeeld publish; move it away first")


def start_versions(data_dir: Path) -> Path:
    """The versions folder, without the leftovers of a publish that was killed."""
    versions = data_dir / VERSIONS
    versions.mkdir(exist_ok=True)
    _remove_stale(versions)
    return versions


def new_build(versions: Path) -> tuple[str, Path]:
    """A new version id and the temporary folder it is built in."""
    version = now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    build = versions / f".tmp-{version}"
    build.mkdir()
    return version, build


def finish_version(data_dir: Path, build: Path, version: str, counts: dict, progress, **manifest) -> PublishResult:
    """Check what was built, write its manifest, and swap it in: from here on readers get this version."""
    versions = build.parent
    validate_version(build, counts)
    _write_manifest(build, version, counts, manifest)
    final = versions / version
    os.rename(build, final)
    _swap_link(data_dir, Path(VERSIONS) / version)
    _prune(versions, keep=version)
    progress(f"published version {version}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return PublishResult("ok", version, final, counts)


def _source_fingerprint(con) -> str:
    """What a version was built from: a new run, catalog or schema version (after an upgrade), or other publish SQL
    (a release that publishes another table, such as ``sources``), publishes again."""
    last_run = con.execute("SELECT coalesce(max(run_id), 0) FROM etl_runs WHERE status = 'ok'").fetchone()[0]
    recipe = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(SQL_DIR.glob("publish_*.sql")))).hexdigest()
    return (f"run {last_run}, catalog {catalog_sha256()[:16]}, schema version {schema_version(con)}, "
            f"publish {recipe[:16]}")


def _build(con, build: Path, catalog: Catalog, progress) -> dict:
    staff = build / "staff.duckdb"
    con.execute(f"ATTACH {quote_literal(staff)} AS staff")
    con.execute(sql("publish_staff_regions"))
    # the geometry files from the regions, beside the tables: GEOS and zlib let go of the GIL, and DuckDB keeps
    # neither core busy all the time, so the two together take little more than the longer one
    reader = con.cursor()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-geometry") as pool:
            geometry = pool.submit(_write_geometry, reader, build / "geometry", progress)
            counts = _build_tables(con, build, catalog)
            counts["geometry_files"] = geometry.result()
    finally:
        reader.close()
    con.execute("DETACH staff")
    con.execute("DETACH public")
    return counts


def _build_tables(con, build: Path, catalog: Catalog) -> dict:
    """The staff and public files' tables (the staff file's regions are in already) and their row counts."""
    public = build / "public.duckdb"
    con.execute(sql("publish_staff"))
    con.executemany("INSERT INTO staff.sources (source_id, name, publisher, licence, attribution, url) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [[key, s["name"], s["publisher"], s["licence"], s["attribution"], s.get("url")]
                     for key, s in catalog.sources.items()])
    con.execute(sql("publish_staff_initiatives"))
    con.execute(sql("publish_staff_agenda"))
    con.execute(f"ATTACH {quote_literal(public)} AS public")
    con.execute(sql("publish_public"))
    con.execute(sql("publish_public_initiatives"))
    con.execute(sql("publish_public_agenda"))
    for db in ("staff", "public"):
        con.execute(f"CREATE TABLE {db}.meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(f"INSERT INTO {db}.meta (key, value) VALUES ('published_at', ?), ('version', ?), "
                    "('schema_version', ?)",
                    [now().isoformat(timespec="seconds"), build.name.removeprefix(".tmp-"), str(schema_version(con))])
    counts = {table: con.execute(f"SELECT count(*) FROM staff.{table}").fetchone()[0]
              for table in ("regions", "observations", "indicators")}
    counts |= {f"public_{table}": con.execute(f"SELECT count(*) FROM public.{table}").fetchone()[0]
               for table in PUBLIC_FILTERED}
    return counts


def _write_geometry(con, folder: Path, progress) -> int:
    """Simplified EPSG:4326 GeoJSON per (year, level), a coarser overview of the buurten, and the buurten and
    wijken of each gemeente on their own (the first view of a gemeente): the only geometry the browser ever gets."""
    folder.mkdir()
    groups = con.execute("SELECT DISTINCT year, level FROM staff.regions ORDER BY year, level").fetchall()
    with meter(progress, "publish: geometry", total=len(groups), unit="layers") as layers:
        for year, level in groups:
            rows = con.execute(
                "SELECT code, name, ST_AsWKB(geom) FROM staff.regions WHERE year = ? AND level = ? ORDER BY code",
                [year, level]).fetchall()
            geometries = shapely.from_wkb(np.array([bytes(r[2]) for r in rows], dtype=object))
            # i: the feature's place in the file, so the browser can look values up in a plain array; a
            # gemeente's own file keeps the places of the whole file, so the same figures paint it
            properties = [{"i": i, "code": code, "name": name} for i, (code, name, _) in enumerate(rows)]
            simplified = simplify_coverage(geometries, TOLERANCE_M[level])
            features = feature_texts(rd_to_wgs84(simplified), properties)
            _write_geojson(folder / f"{year}-{level}.geojson", features, progress)
            if level in PER_GEMEENTE:
                for gemeente, own in _per_gemeente(features, properties).items():
                    _write_geojson(folder / f"{year}-{level}-{gemeente}.geojson", own)
            if level in OVERVIEW_TOLERANCE_M:
                # coarser from the detailed result: the same shapes as from the source's, in half the time
                overview = simplify_coverage(simplified, OVERVIEW_TOLERANCE_M[level])
                _write_geojson(folder / f"{year}-{level}-{OVERVIEW}.geojson",
                               feature_texts(rd_to_wgs84(overview), properties), progress)
            layers.update(note=f"{year} {level}")
    return len(groups)


def _per_gemeente(features: list[str], properties: list[dict]) -> dict[str, list[str]]:
    own: dict[str, list[str]] = {}
    for feature, props in zip(features, properties):
        if (gemeente := gemeente_of(props["code"])) is not None:
            own.setdefault(gemeente, []).append(feature)
    return own


def _write_geojson(path: Path, features: list[str], progress=None) -> None:
    text = collection_text(features).encode()
    path.write_bytes(text)
    packed = gzip.compress(text, compresslevel=9, mtime=0)
    path.with_name(path.name + ".gz").write_bytes(packed)
    if progress is not None:
        progress(f"geometry {path.stem}: {len(features)} regions, {len(text):,} bytes ({len(packed):,} gzip)")


def validate_version(build: Path, counts: dict) -> None:
    """Open what was built read-only and check it is complete and the public file holds nothing extra."""
    whitelist = json.loads(PUBLIC_SCHEMA.read_text())
    for name in ("staff.duckdb", "public.duckdb"):
        con = connect(build / name, read_only=True)
        try:
            for table in ("regions", "observations", "indicators"):
                found = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                expected = counts[f"public_{table}" if name == "public.duckdb" and table in PUBLIC_FILTERED
                                  else table]
                if found != expected:
                    raise PublishError(f"{name}: {table} has {found} rows, expected {expected}")
            if name == "public.duckdb":
                columns = public_columns(con)
                extra = {t: sorted(set(c) - set(whitelist.get(t, []))) for t, c in columns.items()}
                extra = {t: c for t, c in extra.items() if c or t not in whitelist}
                if extra:
                    raise PublishError(f"public.duckdb holds tables or columns outside the whitelist: {extra}")
        finally:
            con.close()
    for path in (build / "geometry").glob("*.geojson"):
        json.loads(path.read_text())


def public_columns(con) -> dict[str, list[str]]:
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "ORDER BY table_name, ordinal_position").fetchall()
    columns: dict[str, list[str]] = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def _write_manifest(build: Path, version: str, counts: dict, fields: dict) -> None:
    """``manifest.json``: the version, what it was made from (``source``: the ETL runs and catalog;
    ``agenda_stand`` and ``agenda_store``: the agenda store's latest change and id; ``geometry``: the version whose
    geometry it has), counts and checksums."""
    files = {str(p.relative_to(build)): _sha256(p) for p in sorted(build.rglob("*")) if p.is_file()}
    manifest = {"version": version, **fields, "counts": counts, "files": files}
    (build / "manifest.json").write_text(json.dumps(manifest, indent=1))
    for path in build.rglob("*"):
        if path.is_file():
            with open(path, "rb+") as handle:
                os.fsync(handle.fileno())


def read_manifest(version_dir: Path) -> dict:
    try:
        return json.loads((version_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


def _swap_link(data_dir: Path, target: Path) -> None:
    temporary = data_dir / f".{PUBLISHED}.{uuid.uuid4().hex[:8]}"
    os.symlink(target, temporary)
    os.replace(temporary, published_dir(data_dir))
    fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale(versions: Path) -> None:
    """Leftovers of a publish that was killed: partial builds and dangling temporary links."""
    for path in versions.glob(".tmp-*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in versions.parent.glob(f".{PUBLISHED}.*"):
        if path.is_symlink():
            path.unlink()


def _prune(versions: Path, keep: str) -> None:
    # by the second in the name, then by when it was made: an agenda publish can make two in one second
    finished = sorted((p for p in versions.iterdir() if not p.name.startswith(".")),
                      key=lambda p: (p.name[:15], p.stat().st_mtime_ns))
    for old in finished[:-KEEP_VERSIONS]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
