"""Bad input of every kind stops its load with file, row and field, and the published files stay byte-identical."""
from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.publish import publish
from tests.conftest import tree_checksums


@pytest.fixture
def published_copy(demo_data_dir, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(demo_data_dir, copy, symlinks=True)
    return copy


def truncated_geopackage(tmp_path: Path) -> Path:
    path = tmp_path / "wijkenbuurten_2024.gpkg"
    data = (DEMO_DIR / "wijkenbuurten_2024.gpkg").read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def unknown_codes_csv(tmp_path: Path) -> Path:
    source = next((DEMO_DIR / "gezondheid").glob("*.csv")).read_text(encoding="utf-8")
    lines = source.splitlines()
    row = next(i for i, line in enumerate(lines) if ",GM9999" in line)
    lines[row] = lines[row].replace(",GM9999    ,", ",XX12345   ,", 1)
    path = tmp_path / "gezondheid_bad_codes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, row + 1


def wrong_crs_geojson(tmp_path: Path) -> Path:
    """Lon/lat degrees written into a file that says it is RD New (EPSG:28992)."""
    buurten = gpd.read_file(DEMO_DIR / "wijkenbuurten_2024.gpkg", layer="buurten").to_crs("EPSG:4326")
    wrong = buurten.set_crs("EPSG:28992", allow_override=True)
    path = tmp_path / "buurten_wrong_crs.geojson"
    wrong.to_file(path, driver="GeoJSON")
    return path


def missing_column_geojson(tmp_path: Path) -> Path:
    frame = gpd.GeoDataFrame({"naam": ["Centrum"]}, geometry=[shapely.box(150000, 450000, 151000, 451000)],
                             crs="EPSG:28992")
    path = tmp_path / "zonder_codes_2024.geojson"
    frame.to_file(path, driver="GeoJSON")
    return path


CASES = {
    "truncated geopackage": (lambda p: jobs.load_boundaries(p["data"], file=truncated_geopackage(p["tmp"])),
                             ["wijkenbuurten_2024.gpkg"]),
    "unknown region code": (lambda p: jobs.load_health(p["data"], file=unknown_codes_csv(p["tmp"])[0]),
                            ["gezondheid_bad_codes.csv", "row ", "WijkenEnBuurten", "XX12345"]),
    "wrong crs": (lambda p: jobs.load_boundaries(p["data"], file=wrong_crs_geojson(p["tmp"])),
                  ["buurten_wrong_crs.geojson", "geometry"]),
    "missing code column": (lambda p: jobs.load_boundaries(p["data"], file=missing_column_geojson(p["tmp"])),
                            ["zonder_codes_2024.geojson", "buurtcode"]),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused_and_published_files_stay_byte_identical(case, published_copy, tmp_path):
    load, expected = CASES[case]
    before = tree_checksums(published_copy / "published")
    with pytest.raises(LoadError) as refused:
        load({"data": published_copy, "tmp": tmp_path})
    message = str(refused.value)
    for fragment in expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert publish(published_copy, load_catalog(), progress=lambda m: None).status == "unchanged"
    assert tree_checksums(published_copy / "published") == before


def test_loading_the_same_files_twice_gives_the_same_database(demo_data_dir, tmp_path):
    """Idempotence: the demo loaded into a fresh directory twice equals the demo loaded once."""
    from etl.demo import load_demo
    from etl.store import WORKING_DB, connect

    def content(data_dir):
        con = connect(data_dir / WORKING_DB, read_only=True)
        try:
            return {t: con.execute(f"SELECT * EXCLUDE ({ex}) FROM {t} ORDER BY ALL").fetchall()
                    for t, ex in (("regions", "geom"), ("observations", "run_id"), ("column_map", "unit"))} | {
                "geometry": con.execute("SELECT code, year, ST_AsText(geom) FROM regions ORDER BY ALL").fetchall()}
        finally:
            con.close()

    once = content(demo_data_dir)
    again = tmp_path / "twice"
    load_demo(again, progress=lambda m: None)
    load_demo(again, progress=lambda m: None)
    assert content(again) == once
    con = connect(again / WORKING_DB, read_only=True)
    statuses = con.execute("SELECT count(*), count(DISTINCT sha256) FROM etl_runs WHERE status = 'ok'").fetchone()
    con.close()
    assert statuses[0] == statuses[1], "the second run of each file was skipped, not loaded again"
