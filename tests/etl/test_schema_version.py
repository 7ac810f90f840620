"""Schema versions: upgrades migrate the working database in place and lose nothing; newer files are refused.

``data/schema_v1.sql`` is a frozen copy of the schema of the release before schema versions (version 1).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from dashboard.db import open_read_only
from etl.catalog import load_catalog
from dashboard.cli import main
from etl.demo import DEMO_DIR
from etl.errors import SchemaVersionError
from etl.store import (MIGRATIONS_DIR, WORKING_DB, connect, latest_schema_version, migrate, migrations,
                       open_working)

SCHEMA_V1 = Path(__file__).with_name("data") / "schema_v1.sql"
TABLES_V1 = ("regions", "indicators", "observations", "column_map", "etl_runs", "initiatives", "agenda_items",
             "agenda_updates")
SQUARE = "MULTIPOLYGON(((150000 450000, 151000 450000, 151000 451000, 150000 451000, 150000 450000)))"


def make_v1_database(data_dir: Path) -> None:
    """A working database as the release before schema versions left it: its schema, some of everything."""
    data_dir.mkdir(parents=True)
    con = connect(data_dir / WORKING_DB)
    try:
        con.execute(SCHEMA_V1.read_text())   # its etl_run_id sequence left behind its runs, as a crash could
        con.execute(f"""
            INSERT INTO regions (year, level, code, name, gemeente_code, wijk_code, geom) VALUES
                (2019, 'gemeente', 'GM0001', 'Oudstad', 'GM0001', NULL, ST_GeomFromText('{SQUARE}')),
                (2019, 'wijk', 'WK000101', 'Oud-Centrum', 'GM0001', 'WK000101', ST_GeomFromText('{SQUARE}')),
                (2019, 'buurt', 'BU00010101', 'Oude Haven', 'GM0001', 'WK000101', ST_GeomFromText('{SQUARE}'));
            INSERT INTO observations (indicator_id, year, level, code, value, status, lower, upper, age_group,
                                      source_table, source_column, run_id) VALUES
                ('laag_inkomen', 2019, 'buurt', 'BU00010101', 12.5, 'ok', NULL, NULL, NULL, '84583NED', 'Laag_70', 2),
                ('laag_inkomen', 2019, 'wijk', 'WK000101', NULL, 'suppressed', NULL, NULL, NULL, '84583NED', 'Laag_70', 2),
                ('eenzaam', 2016, 'buurt', 'BU00010101', 44.0, 'estimate', 40.0, 48.0, '18+', '50120NED', 'Eenzaam', 3);
            INSERT INTO column_map (table_id, year, indicator_id, source_key, source_title, unit, status) VALUES
                ('84583NED', 2019, 'laag_inkomen', 'Laag_70', 'Huishoudens met een laag inkomen', '%', 'resolved');
            INSERT INTO etl_runs (run_id, job, source, sha256, catalog_sha256, rows_in, rows_out, started, finished,
                                  status, message) VALUES
                (1, 'boundaries', '/oud/wijkenbuurten_2019.gpkg', 'aa', 'cc', 3, 3, '2024-01-01 10:00', '2024-01-01 10:01', 'ok', ''),
                (2, 'kerncijfers', '/oud/84583NED.json', 'bb', 'cc', 2, 2, '2024-01-01 10:02', '2024-01-01 10:03', 'ok', ''),
                (3, 'health', '/oud/50120NED.csv', NULL, 'cc', NULL, NULL, '2024-01-01 10:04', '2024-01-01 10:04', 'failed', 'kapot');
            INSERT INTO initiatives (id, name, description, theme, status, organisation, start, "end", geom, lon, lat,
                                     buurt_code, wijk_code, gemeente_code, public, contact) VALUES
                ('i1', 'Repair café', 'Elke zaterdag', 'armoede', 'loopt', 'Buurthuis', '2023-01-01', NULL,
                 ST_Point(150500, 450500), 5.1, 52.0, 'BU00010101', 'WK000101', 'GM0001', true, NULL),
                ('i2', 'Stille groep', NULL, 'eenzaamheid', 'idee', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 'WK000101', 'GM0001', false, 'jan@example.org');
            INSERT INTO agenda_items (id, wijk_code, title, description, theme, owner, status, progress, start, due,
                                      parent_id, indicator_id, baseline_year, direction, target, public, note) VALUES
                ('A1', 'WK000101', 'Minder armoede', NULL, 'armoede', 'Team Oud', 'loopt', 40, '2023-01-01',
                 '2026-12-31', NULL, 'laag_inkomen', 2019, 'omlaag', 10, true, 'intern');
            INSERT INTO agenda_updates (item_id, date, progress, status, note, public) VALUES
                ('A1', '2024-06-01', 40, 'loopt', 'halverwege', true);
        """)
        # the curated indicators, as that release wrote them after every load
        con.executemany("INSERT OR REPLACE INTO indicators (id, label_nl, label_en, theme, unit, direction, source, "
                        "description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(i.id, i.label_nl, i.label_en, i.theme, i.unit, i.direction, i.source, i.description)
                         for i in load_catalog().indicators])
    finally:
        con.close()


def v1_rows(path: Path) -> dict[str, set[tuple]]:
    """Every row of the version-1 tables, in their version-1 columns (geometry as WKT)."""
    reference = connect(":memory:")
    reference.execute(SCHEMA_V1.read_text())
    columns = reference.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                                "ORDER BY table_name, ordinal_position").fetchall()
    reference.close()
    con = connect(path, read_only=True)
    try:
        rows = {}
        for table in TABLES_V1:
            select = ", ".join(f'ST_AsText("{c}")' if kind == "GEOMETRY" else f'"{c}"'
                               for t, c, kind in columns if t == table)
            rows[table] = set(con.execute(f"SELECT {select} FROM {table}").fetchall())
        return rows
    finally:
        con.close()


def versions(path: Path) -> list[tuple]:
    con = connect(path, read_only=True)
    try:
        return con.execute("SELECT version, name, note FROM schema_version ORDER BY version").fetchall()
    finally:
        con.close()


def test_migration_001_is_the_released_schema_unchanged():
    """A released migration is never edited: what it did is in databases out there."""
    assert migrations()[0].path.read_text() == SCHEMA_V1.read_text()


def test_a_new_database_gets_every_migration_in_order(tmp_path):
    open_working(tmp_path).close()
    assert [v[:2] for v in versions(tmp_path / WORKING_DB)] == [(m.version, m.path.stem) for m in migrations()]


def test_a_database_of_the_release_before_is_upgraded_by_a_load_and_keeps_every_row(tmp_path, capsys):
    data_dir = tmp_path / "data"
    make_v1_database(data_dir)
    before = v1_rows(data_dir / WORKING_DB)
    assert main(["--data-dir", str(data_dir), "status"]) == 0
    assert "schema version: 1" in capsys.readouterr().out

    kerncijfers = DEMO_DIR / "kerncijfers" / "85984NED_TypedDataSet.json"
    assert main(["--data-dir", str(data_dir), "etl", "kerncijfers", "--file", str(kerncijfers)]) == 0

    after = v1_rows(data_dir / WORKING_DB)
    for table in TABLES_V1:
        if table == "indicators":   # rewritten from the catalog by every load: every one is still there
            assert {r[0] for r in before[table]} <= {r[0] for r in after[table]}
        else:
            assert before[table] <= after[table], f"{table} lost rows: {before[table] - after[table]}"
    assert max(r[0] for r in after["etl_runs"]) == 4, "a new run id, whatever the old sequence says"
    assert len(after["observations"]) > len(before["observations"])
    assert versions(data_dir / WORKING_DB) == (
        [(1, migrations()[0].path.stem, "made before schema versions")]
        + [(m.version, m.path.stem, None) for m in migrations()[1:]])

    assert main(["--data-dir", str(data_dir), "publish"]) == 0
    for name in ("staff.duckdb", "public.duckdb"):
        con = open_read_only(data_dir / "published" / name)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            assert meta["schema_version"] == str(latest_schema_version())
            assert ("GM0001", "Oudstad") in con.execute("SELECT code, name FROM regions").fetchall()
        finally:
            con.close()


def test_a_database_of_a_newer_release_is_refused_and_left_alone(tmp_path, capsys):
    data_dir = tmp_path / "data"
    open_working(data_dir).close()
    newer = latest_schema_version() + 1
    con = connect(data_dir / WORKING_DB)
    con.execute("INSERT INTO schema_version (version, name, applied) VALUES (?, '999_future', now()::TIMESTAMP)",
                [newer])
    con.close()
    before = versions(data_dir / WORKING_DB)
    kerncijfers = DEMO_DIR / "kerncijfers" / "85984NED_TypedDataSet.json"
    for command in (["etl", "kerncijfers", "--file", str(kerncijfers)], ["publish"], ["status"]):
        assert main(["--data-dir", str(data_dir), *command]) == 1, command
        error = capsys.readouterr().err
        assert f"has schema version {newer}, made by a newer wijkbeeld" in error and "Traceback" not in error
    assert versions(data_dir / WORKING_DB) == before
    assert not (data_dir / "published").exists()


def test_the_next_numbered_file_is_picked_up_and_a_failing_one_changes_nothing(tmp_path):
    folder = tmp_path / "migrations"
    folder.mkdir()
    shutil.copy(migrations()[0].path, folder / "001_schema.sql")
    (folder / "002_catalogue.sql").write_text("ALTER TABLE indicators ADD COLUMN featured BOOLEAN DEFAULT false;\n"
                                              "CREATE TABLE themes (id VARCHAR PRIMARY KEY);\n")
    (folder / "003_broken.sql").write_text("CREATE TABLE half (a INTEGER);\nSELECT * FROM no_such_table;\n")
    con = connect(tmp_path / WORKING_DB)
    try:
        with pytest.raises(SchemaVersionError, match="003_broken.sql failed; the database stays at schema version 2"):
            migrate(con, folder)
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert "themes" in tables and "half" not in tables
        assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
        (folder / "003_broken.sql").write_text("CREATE TABLE half (a INTEGER);\n")
        assert migrate(con, folder) == 3 and migrate(con, folder) == 3
    finally:
        con.close()


@pytest.mark.parametrize("names", [["001_a.sql", "003_c.sql"], ["001_a.sql", "001_b.sql"], ["001_a.sql", "2_b.sql"],
                                   ["001_a.sql", "002-b.sql"]])
def test_migrations_are_numbered_without_gaps_or_repeats(tmp_path, names):
    for name in names:
        (tmp_path / name).write_text("SELECT 1;\n")
    with pytest.raises(SchemaVersionError, match="without gaps or repeats"):
        migrations(tmp_path)


def test_the_shipped_migrations_are_in_order():
    assert migrations(MIGRATIONS_DIR)[-1].version == latest_schema_version() == len(migrations())


def test_publish_after_an_upgrade_rebuilds_what_the_release_before_published(demo_data_dir, tmp_path):
    """Nothing loaded since the upgrade, yet the published files are rebuilt with the new schema version."""
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir, symlinks=True)
    before = os.readlink(data_dir / "published")
    manifest = data_dir / before / "manifest.json"
    old = json.loads(manifest.read_text())
    old["source"] = old["source"].split(", schema version")[0]   # how the release before fingerprinted it
    manifest.write_text(json.dumps(old))
    assert main(["--data-dir", str(data_dir), "publish"]) == 0
    rebuilt = os.readlink(data_dir / "published")
    assert rebuilt != before
    assert main(["--data-dir", str(data_dir), "publish"]) == 0
    assert os.readlink(data_dir / "published") == rebuilt, "then it is up to date"
