"""Initiatives: read from .csv/.xlsx/.geojson, located in their buurt, refused whole with every problem listed."""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime

import openpyxl
import pytest
import shapely

from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.publish import publish
from etl.sources.initiatives import read_initiatives
from etl.store import WORKING_DB, connect
from geo.join import rd_to_lonlat
from tests.conftest import tree_checksums

HEADER = "id;naam;thema;status;startdatum;einddatum;lon;lat;x;y;buurtcode;wijkcode;openbaar;contactpersoon;email"


@pytest.fixture(scope="module")
def regions(demo_data_dir):
    year, frame = jobs.newest_regions(demo_data_dir)
    assert year == 2024
    return frame


@pytest.fixture(scope="module")
def place(regions):
    """A point well inside buurt BU99990001 in RD and lon/lat (decimal-comma text)."""
    buurt = regions[regions["code"] == "BU99990001"].geometry.iloc[0]
    point = shapely.point_on_surface(buurt)
    lon, lat = rd_to_lonlat([point.x], [point.y])
    return {"x": point.x, "y": point.y, "lon": float(lon[0]), "lat": float(lat[0]),
            "lon_text": f"{lon[0]:.6f}".replace(".", ","), "lat_text": f"{lat[0]:.6f}".replace(".", ","),
            "x_text": f"{point.x:.2f}".replace(".", ","), "y_text": f"{point.y:.2f}".replace(".", ",")}


def write(tmp_path, lines, name="initiatieven.csv", encoding="utf-8-sig"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def good_row(place, id="1", name="Buurtkamer", **change):
    cells = {"id": id, "naam": name, "thema": "ontmoeting", "status": "loopt", "startdatum": "01-03-2024",
             "einddatum": "", "lon": place["lon_text"], "lat": place["lat_text"], "x": "", "y": "", "buurtcode": "",
             "wijkcode": "", "openbaar": "ja", "contactpersoon": "Jan", "email": "jan@voorbeeldstad.example"}
    cells.update(change)
    return ";".join(cells[c] for c in HEADER.split(";"))


def problems_of(error):
    return [(p.row, p.field, p.value) for p in error.value.problems]


def refused(path, regions):
    with pytest.raises(LoadError) as error:
        read_initiatives(path, regions, 2024)
    assert all(p.file == str(path) for p in error.value.problems)
    return error


class TestDemoFile:
    def test_every_demo_initiative_is_located(self, regions):
        frame = read_initiatives(DEMO_DIR / "initiatieven.csv", regions, 2024).replace["initiatives"]
        assert len(frame) == 25 and frame["id"].is_unique
        assert frame["wijk_code"].notna().all() and frame["gemeente_code"].eq("GM9999").all()
        assert frame["lon"].between(3, 8).all() and frame["lat"].between(50, 54).all()
        assert frame["contact"].str.contains("@voorbeeldstad.example").all()
        assert 0 < frame["public"].sum() < 25
        assert set(frame["wijk_code"]) == {f"WK9999{n:02d}" for n in range(6)}
        # wijk-code-only rows have a wijk and no buurt; the rest lie in a buurt of their wijk
        wijk_only = frame["buurt_code"].isna()
        assert 0 < wijk_only.sum() < 25
        located = frame[~wijk_only]
        assert (located["buurt_code"].str[2:8] == located["wijk_code"].str[2:8]).all()


class TestFormats:
    def test_semicolons_decimal_commas_and_cp1252(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, name="Café de Buurtkamer")], encoding="cp1252")
        frame = read_initiatives(path, regions, 2024).replace["initiatives"]
        row = frame.iloc[0]
        assert row["name"] == "Café de Buurtkamer" and row["buurt_code"] == "BU99990001"
        assert row["wijk_code"] == "WK999900" and row["start"] == date(2024, 3, 1) and row["public"]
        assert row["contact"] == "Jan | jan@voorbeeldstad.example"
        assert row["lon"] == pytest.approx(place["lon"], abs=1e-6)

    def test_rd_and_wgs84_give_the_same_buurt(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, id="1"),
                                good_row(place, id="2", lon="", lat="", x=place["x_text"], y=place["y_text"])])
        frame = read_initiatives(path, regions, 2024).replace["initiatives"]
        assert frame["buurt_code"].tolist() == ["BU99990001", "BU99990001"]

    def test_comma_separated_with_points_and_a_code_only_location(self, tmp_path, regions):
        path = tmp_path / "a.csv"
        path.write_text("ID,Name,Buurtcode,Wijkcode,Public\nA,Moestuin,BU99990001,,no\nB,Wijkfeest,,WK999902,yes\n")
        frame = read_initiatives(path, regions, 2024).replace["initiatives"]
        buurt = regions[regions["code"] == "BU99990001"].geometry.iloc[0]
        assert frame["geom"].iloc[0].equals(shapely.point_on_surface(buurt))
        assert frame["buurt_code"].iloc[0] == "BU99990001" and frame["buurt_code"].isna().iloc[1]
        assert frame["wijk_code"].tolist() == ["WK999900", "WK999902"] and frame["public"].tolist() == [False, True]

    def test_xlsx_with_date_cells_and_serial_numbers(self, tmp_path, regions, place):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["Nummer", "Titel", "Start", "Eind", "Lengtegraad", "Breedtegraad", "Openbaar"])
        sheet.append([1, "Tuin", datetime(2024, 3, 1), 45658, place["lon"], place["lat"], True])
        workbook.save(tmp_path / "a.xlsx")
        row = read_initiatives(tmp_path / "a.xlsx", regions, 2024).replace["initiatives"].iloc[0]
        assert (row["id"], row["start"], row["end"]) == ("1", date(2024, 3, 1), date(2025, 1, 1))
        assert row["buurt_code"] == "BU99990001"

    def test_geojson_points_in_wgs84(self, tmp_path, regions, place):
        collection = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [place["lon"], place["lat"]]},
             "properties": {"id": "G1", "naam": "Bankje", "openbaar": "ja"}}]}
        path = tmp_path / "a.geojson"
        path.write_text(json.dumps(collection))
        row = read_initiatives(path, regions, 2024).replace["initiatives"].iloc[0]
        assert (row["id"], row["buurt_code"], row["public"]) == ("G1", "BU99990001", True)

    def test_html_is_stored_verbatim(self, tmp_path, regions, place):
        evil = "<img src=x onerror=alert(1)>"
        path = write(tmp_path, [HEADER, good_row(place, name=evil)])
        assert read_initiatives(path, regions, 2024).replace["initiatives"]["name"].iloc[0] == evil


class TestProblems:
    def test_unknown_code(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon="", lat="", buurtcode="BU12345678")])
        assert problems_of(refused(path, regions)) == [(2, "buurtcode", "BU12345678")]

    def test_coordinates_outside_the_netherlands(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon="2,3522", lat="48,8566")])
        error = refused(path, regions)
        assert problems_of(error) == [(2, "lon/lat", ("2,3522", "48,8566"))]
        assert "outside the Netherlands" in error.value.problems[0].message

    def test_rd_given_as_lon_lat(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon=place["x_text"], lat=place["y_text"])])
        error = refused(path, regions)
        assert problems_of(error) == [(2, "lon/lat", (place["x_text"], place["y_text"]))]
        assert "RD metres" in error.value.problems[0].message

    def test_lon_lat_given_as_x_y(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon="", lat="", x=place["lon_text"], y=place["lat_text"])])
        error = refused(path, regions)
        assert problems_of(error) == [(2, "x/y", (place["lon_text"], place["lat_text"]))]
        assert "lon/lat degrees" in error.value.problems[0].message

    def test_swapped_lat_lon(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon=place["lat_text"], lat=place["lon_text"])])
        error = refused(path, regions)
        assert problems_of(error) == [(2, "lon/lat", (place["lat_text"], place["lon_text"]))]
        assert "swapped" in error.value.problems[0].message

    def test_a_point_in_the_netherlands_but_in_no_loaded_buurt(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon="4,8945", lat="52,3667")])   # Amsterdam
        assert "in no buurt of indeling 2024" in str(refused(path, regions).value)

    def test_duplicate_id(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, id="7"), good_row(place, id="8"), good_row(place, id="7")])
        error = refused(path, regions)
        assert problems_of(error) == [(4, "id", "7")] and "row 2" in error.value.problems[0].message

    def test_end_before_start(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, einddatum="1-2-2024")])
        assert problems_of(refused(path, regions)) == [(2, "einddatum", "2024-02-01")]

    def test_missing_required_field(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, name="")])
        assert problems_of(refused(path, regions)) == [(2, "naam", None)]

    def test_no_location(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, lon="", lat="")])
        assert problems_of(refused(path, regions)) == [(2, "location", None)]

    def test_invalid_theme_status_and_flag(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, thema="sport", status="bezig", openbaar="misschien")])
        assert problems_of(refused(path, regions)) == [
            (2, "thema", "sport"), (2, "status", "bezig"), (2, "openbaar", "misschien")]

    def test_code_that_disagrees_with_the_coordinates(self, tmp_path, regions, place):
        path = write(tmp_path, [HEADER, good_row(place, wijkcode="WK999905")])
        assert problems_of(refused(path, regions)) == [(2, "wijkcode", "WK999905")]

    def test_every_problem_in_the_file_is_listed(self, tmp_path, regions, place):
        path = write(tmp_path, [
            HEADER,
            good_row(place, id="1"),
            good_row(place, id="1", name=""),                                        # row 3: duplicate, no name
            good_row(place, id="3", lon="", lat="", buurtcode="BU00000000"),         # row 4: unknown code
            good_row(place, id="4", lon=place["lat_text"], lat=place["lon_text"]),   # row 5: swapped
            good_row(place, id="5", startdatum="1-3-2024", einddatum="2024-01-01"),  # row 6: end before start
        ])
        error = refused(path, regions)
        assert sorted((r, f) for r, f, _ in problems_of(error)) == [
            (3, "id"), (3, "naam"), (4, "buurtcode"), (5, "lon/lat"), (6, "einddatum")]
        assert str(error.value).startswith("5 problems:")


class TestJob:
    def test_no_boundaries_loaded(self, tmp_path):
        path = write(tmp_path, [HEADER], name="leeg.csv")
        with pytest.raises(LoadError, match="load boundaries first"):
            jobs.load_initiatives(tmp_path / "data", path)

    def test_a_refused_import_leaves_database_and_published_files_as_they_were(self, demo_data_dir, tmp_path,
                                                                                 place):
        data_dir = tmp_path / "d"
        shutil.copytree(demo_data_dir, data_dir, symlinks=True)
        before = tree_checksums(data_dir / "published")
        bad = write(tmp_path, [HEADER, good_row(place, id="X1"), good_row(place, id="X1", lon="200")])
        with pytest.raises(LoadError):
            jobs.load_initiatives(data_dir, bad)
        con = connect(data_dir / WORKING_DB, read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM initiatives WHERE id LIKE 'INI-%'").fetchone()[0] == 25
            assert con.execute("SELECT status FROM etl_runs ORDER BY run_id DESC LIMIT 1").fetchone()[0] == "failed"
        finally:
            con.close()
        assert publish(data_dir, load_catalog(), progress=lambda m: None).status == "unchanged"
        assert tree_checksums(data_dir / "published") == before

    def test_a_good_import_replaces_the_table_and_reloading_changes_nothing(self, demo_data_dir, tmp_path, place):
        data_dir = tmp_path / "d"
        shutil.copytree(demo_data_dir, data_dir, symlinks=True)
        good = write(tmp_path, [HEADER, good_row(place, id="N1")])
        assert jobs.load_initiatives(data_dir, good).status == "ok"
        assert jobs.load_initiatives(data_dir, good).status == "unchanged"
        con = connect(data_dir / WORKING_DB, read_only=True)
        try:
            rows = con.execute("SELECT id, buurt_code, ST_X(geom) FROM initiatives").fetchall()
        finally:
            con.close()
        assert rows == [("N1", "BU99990001", pytest.approx(place["x"], abs=0.2))]
