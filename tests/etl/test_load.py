"""etl/load.py: a job lands whole or not at all, and rerunning it changes nothing."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from etl.batch import OBSERVATION_COLUMNS, Batch
from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.load import run_job
from etl.store import connect, WORKING_DB


def small_batch(value: float = 12.5) -> Batch:
    regions = gpd.GeoDataFrame({
        "year": [2024, 2024], "level": ["gemeente", "buurt"], "code": ["GM9999", "BU99990001"],
        "name": ["Voorbeeldstad", "Centrum"], "gemeente_code": ["GM9999", "GM9999"], "wijk_code": [None, "WK999900"],
    }, geometry=[shapely.box(150000, 450000, 152000, 452000), shapely.box(150000, 450000, 151000, 451000)],
        crs="EPSG:28992")
    observations = pd.DataFrame([
        ["laag_inkomen", 2024, "buurt", "BU99990001", value, "ok", None, None, None, "85984NED", "HuishoudensMetEenLaagInkomen_89"],
        ["laag_inkomen", 2024, "gemeente", "GM9999", None, "suppressed", None, None, None, "85984NED", "HuishoudensMetEenLaagInkomen_89"],
    ], columns=OBSERVATION_COLUMNS)
    return Batch(regions=regions, observations=observations, rows_in=2)


def table_rows(data_dir, table):
    con = connect(data_dir / WORKING_DB, read_only=True)
    try:
        return con.execute(f"SELECT * EXCLUDE (run_id) FROM {table} ORDER BY ALL").fetchall() if table == "observations" \
            else con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_a_batch_lands_with_geometry_in_rd_and_sentinels_as_null(tmp_path):
    result = run_job(tmp_path, "kerncijfers", "test", small_batch, load_catalog(), sha256="a" * 64)
    assert result.status == "ok" and result.rows_out == 4
    con = connect(tmp_path / WORKING_DB, read_only=True)
    area, = con.execute("SELECT ST_Area(geom) FROM regions WHERE code = 'BU99990001'").fetchone()
    assert area == pytest.approx(1_000_000)
    rows = con.execute("SELECT code, value, status FROM observations ORDER BY code").fetchall()
    assert rows == [("BU99990001", 12.5, "ok"), ("GM9999", None, "suppressed")]
    assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == len(load_catalog().indicators)


def test_rerunning_the_same_source_changes_nothing(tmp_path):
    catalog = load_catalog()
    run_job(tmp_path, "kerncijfers", "test", small_batch, catalog, sha256="a" * 64)
    before = {t: table_rows(tmp_path, t) for t in ("regions", "observations", "etl_runs")}
    again = run_job(tmp_path, "kerncijfers", "test", lambda: small_batch(99.0), catalog, sha256="a" * 64)
    assert again.status == "unchanged"
    assert {t: table_rows(tmp_path, t) for t in before} == before


def test_a_new_version_of_a_source_replaces_its_rows(tmp_path):
    catalog = load_catalog()
    run_job(tmp_path, "kerncijfers", "test", small_batch, catalog, sha256="a" * 64)
    run_job(tmp_path, "kerncijfers", "test", lambda: small_batch(14.0), catalog, sha256="b" * 64)
    values = [r for r in table_rows(tmp_path, "observations") if r[3] == "BU99990001"]
    assert len(values) == 1 and values[0][4] == 14.0


def test_a_load_replaces_only_what_it_brings(tmp_path):
    """``etl update`` for a second gemeente loads the same table again: the first gemeente's figures stay, the
    keys both loads bring hold the newer value once, and another table's figure of the same region stays."""
    catalog = load_catalog()

    def other_gemeente():
        batch = small_batch(30.0)
        batch.regions = None
        batch.observations.loc[1, ["code", "status", "value"]] = ["GM9998", "ok", 7.0]
        return batch

    def other_table():
        batch = small_batch(40.0)
        batch.observations["source_table"] = "wijkenbuurten_2024"
        return batch

    run_job(tmp_path, "kerncijfers", "first", small_batch, catalog, sha256="a" * 64)
    run_job(tmp_path, "kerncijfers", "map file", other_table, catalog, sha256="b" * 64)
    run_job(tmp_path, "kerncijfers", "second", other_gemeente, catalog, sha256="c" * 64)
    rows = sorted((r[3], r[9], r[4], r[5]) for r in table_rows(tmp_path, "observations"))
    assert rows == [("BU99990001", "85984NED", 30.0, "ok"), ("BU99990001", "wijkenbuurten_2024", 40.0, "ok"),
                    ("GM9998", "85984NED", 7.0, "ok"), ("GM9999", "85984NED", None, "suppressed"),
                    ("GM9999", "wijkenbuurten_2024", None, "suppressed")]


def test_a_failed_extract_writes_no_data_and_logs_the_failure(tmp_path):
    catalog = load_catalog()
    run_job(tmp_path, "kerncijfers", "test", small_batch, catalog, sha256="a" * 64)
    before = {t: table_rows(tmp_path, t) for t in ("regions", "observations")}

    def broken():
        raise LoadError("not a number", file="bad.json", row=3, field="AantalInwoners_5", value="abc")

    with pytest.raises(LoadError, match=r"bad.json, row 3, field 'AantalInwoners_5'"):
        run_job(tmp_path, "kerncijfers", "bad.json", broken, catalog, sha256="c" * 64)
    assert {t: table_rows(tmp_path, t) for t in before} == before
    runs = table_rows(tmp_path, "etl_runs")
    assert [r[9] for r in runs] == ["ok", "failed"] and "row 3" in runs[-1][10]


def test_a_write_that_fails_midway_rolls_back_everything(tmp_path):
    catalog = load_catalog()
    run_job(tmp_path, "kerncijfers", "test", small_batch, catalog, sha256="a" * 64)
    before = {t: table_rows(tmp_path, t) for t in ("regions", "observations", "etl_runs")}

    def half_bad():
        batch = small_batch(50.0)
        batch.observations.loc[1, "code"] = None   # violates NOT NULL after the first row was inserted
        return batch

    with pytest.raises(Exception):
        run_job(tmp_path, "kerncijfers", "test", half_bad, catalog, sha256="d" * 64)
    assert {t: table_rows(tmp_path, t) for t in before} == before
