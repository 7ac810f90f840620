"""A corpus of broken inputs for every importer: each is refused with file, row and field (or, where the
importer is meant to accept it, loaded faithfully), never crashes, and leaves the published files byte-identical.

The broken files are made here from the demo inputs (in a temporary folder), plus a few hand-made text cases
in ``tests/data/broken/``. Every importer shares one copy of the published demo: a refused load changes
nothing, so after all of them ``publish`` must still say "unchanged". Cases an importer accepts (a
repaired self-intersection, a formula-like name) each get their own copy.

The 100 MB inputs run only with ``WIJKBEELD_SLOW_TESTS=1`` (they take tens of seconds).
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.publish import publish
from etl.store import WORKING_DB, connect
from tests.conftest import REPO, tree_checksums

BROKEN_DIR = Path(__file__).resolve().parents[1] / "data" / "broken"
SLOW = os.environ.get("WIJKBEELD_SLOW_TESTS") == "1"
TRIED: Counter = Counter()     # bad inputs tried per importer, printed at the end of the module

LOADERS: dict[str, Callable] = {
    "boundaries": lambda data, path: jobs.load_boundaries(data, file=path),
    "kerncijfers": lambda data, path: jobs.load_kerncijfers(data, file=path),
    "health": lambda data, path: jobs.load_health(data, file=path),
    "initiatives": lambda data, path: jobs.load_initiatives(data, file=path),
    "agenda": lambda data, path: jobs.load_agenda(data, file=path),
}


@dataclass(frozen=True)
class Case:
    """One broken input: ``make(folder)`` writes it and returns its path; ``expect`` are fragments of the error."""

    importer: str
    name: str
    make: Callable[[Path], Path]
    expect: tuple[str, ...] = ()
    bug: str | None = None          # a known app bug: the case is xfail(strict=True) with this reason
    was_bug: str | None = None      # an app bug this case found, since fixed
    file: str | None = None         # the file the error names, when not the one passed to the loader
    marks: tuple = field(default=())


# --- making broken files from the demo inputs -----------------------------------------------------------------

def _write(folder: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def _junk(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


# Boundaries: the demo buurten layer, one feature changed, written as GeoJSON (rows are feature numbers).

_BUURTEN: list = []


def demo_buurten() -> gpd.GeoDataFrame:
    if not _BUURTEN:
        _BUURTEN.append(gpd.read_file(DEMO_DIR / "wijkenbuurten_2024.gpkg", layer="buurten"))
    return _BUURTEN[0].copy()


def buurten_geojson(change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame], name: str = "buurten_2024.geojson"):
    def make(folder: Path) -> Path:
        path = folder / name
        change(demo_buurten()).to_file(path, driver="GeoJSON")
        return path
    return make


def set_cell(row: int, column: str, value):
    """Feature ``row`` (1-based) gets ``value`` in ``column`` (the column becomes text when value is text)."""
    def change(gdf):
        if isinstance(value, str) or value is None:
            gdf[column] = gdf[column].astype(object)
        elif isinstance(value, float):
            gdf[column] = gdf[column].astype(float)
        gdf.loc[row - 1, column] = value
        return gdf
    return change


def set_geometry(row: int, geometry):
    def change(gdf):
        geometries = list(gdf.geometry)
        geometries[row - 1] = geometry
        return gdf.set_geometry(gpd.GeoSeries(geometries, crs=gdf.crs))
    return change


def relabel_crs(crs: str, reproject_to: str | None = None):
    def change(gdf):
        if reproject_to:
            gdf = gdf.to_crs(reproject_to)
        return gdf.set_crs(crs, allow_override=True)
    return change


def demo_bytes(name: str, cut: float | int | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        data = (DEMO_DIR / name).read_bytes()
        if cut is not None:
            data = data[: int(len(data) * cut) if isinstance(cut, float) else cut]
        return _write(folder, Path(name).name, data)
    return make


def bytes_as(name: str, data: bytes | str) -> Callable[[Path], Path]:
    return lambda folder: _write(folder, name, data)


def geojson_text_cut(folder: Path) -> Path:
    path = buurten_geojson(lambda g: g)(folder)
    text = path.read_bytes()
    path.write_bytes(text[: len(text) // 2])
    return path


def bowtie():
    """A self-intersecting 'figure eight' polygon inside the demo gemeente (RD metres)."""
    return shapely.Polygon([(154000, 455000), (155000, 456000), (155000, 455000), (154000, 456000)])


BOUNDARIES = [
    Case("boundaries", "empty gpkg", bytes_as("wijkenbuurten_2024.gpkg", b""), ("wijkenbuurten_2024.gpkg",)),
    Case("boundaries", "empty geojson", bytes_as("buurten_2024.geojson", b""), ("buurten_2024.geojson",)),
    Case("boundaries", "gpkg truncated to a third", demo_bytes("wijkenbuurten_2024.gpkg", 1 / 3),
         ("wijkenbuurten_2024.gpkg", "truncated")),
    Case("boundaries", "gpkg truncated to 100 bytes", demo_bytes("wijkenbuurten_2024.gpkg", 100),
         ("wijkenbuurten_2024.gpkg",)),
    Case("boundaries", "geojson truncated halfway", geojson_text_cut, ("buurten_2024.geojson",)),
    Case("boundaries", "text named .gpkg", bytes_as("wijkenbuurten_2024.gpkg", "buurtcode;naam\nBU1;x\n"),
         ("wijkenbuurten_2024.gpkg",)),
    Case("boundaries", "random bytes named .geojson", bytes_as("buurten_2024.geojson", _junk(4096)),
         ("buurten_2024.geojson",)),
    Case("boundaries", "degrees labelled RD", buurten_geojson(relabel_crs("EPSG:28992", "EPSG:4326")),
         ("buurten_2024.geojson", "field 'geometry'", "CRS")),
    Case("boundaries", "RD metres labelled lon/lat", buurten_geojson(relabel_crs("EPSG:4326")),
         ("buurten_2024.geojson", "field 'geometry'")),
    Case("boundaries", "web mercator labelled RD", buurten_geojson(relabel_crs("EPSG:28992", "EPSG:3857")),
         ("buurten_2024.geojson", "field 'geometry'")),
    Case("boundaries", "a point for a buurt", buurten_geojson(set_geometry(3, shapely.Point(154500, 455500))),
         ("buurten_2024.geojson", "row 3", "field 'geometry'", "not a polygon")),
    Case("boundaries", "a line for a buurt",
         buurten_geojson(set_geometry(4, shapely.LineString([(154000, 455000), (155000, 456000)]))),
         ("row 4", "field 'geometry'")),
    Case("boundaries", "no geometry", buurten_geojson(set_geometry(2, None)),
         ("buurten_2024.geojson", "row 2", "field 'geometry'", "no geometry")),
    Case("boundaries", "coordinates 1e308", buurten_geojson(set_geometry(5, shapely.box(0, 0, 1e308, 1e308))),
         ("buurten_2024.geojson", "field 'geometry'")),
    Case("boundaries", "unknown code", buurten_geojson(set_cell(4, "buurtcode", "XX123")),
         ("buurten_2024.geojson", "row 4", "field 'buurtcode'", "XX123")),
    Case("boundaries", "wijk code as buurt code", buurten_geojson(set_cell(5, "buurtcode", "WK999900")),
         ("row 5", "field 'buurtcode'", "WK999900")),
    Case("boundaries", "empty code", buurten_geojson(set_cell(6, "buurtcode", "  ")),
         ("row 6", "field 'buurtcode'")),
    Case("boundaries", "wrong parent wijk", buurten_geojson(set_cell(7, "wijkcode", "BU99990000")),
         ("row 7", "field 'wijkcode'")),
    Case("boundaries", "400 nines in aantal_inwoners", buurten_geojson(set_cell(6, "aantal_inwoners", "9" * 400)),
         ("buurten_2024.geojson", "row 6", "field 'aantal_inwoners'")),
    Case("boundaries", "inf in aantal_inwoners", buurten_geojson(set_cell(2, "aantal_inwoners", "inf")),
         ("row 2", "field 'aantal_inwoners'")),
    Case("boundaries", "text in aantal_inwoners", buurten_geojson(set_cell(7, "aantal_inwoners", "veel")),
         ("row 7", "field 'aantal_inwoners'", "veel")),
    Case("boundaries", "formula in aantal_inwoners",
         buurten_geojson(set_cell(8, "aantal_inwoners", "=HYPERLINK(\"http://x.example\",\"1\")")),
         ("row 8", "field 'aantal_inwoners'")),
    Case("boundaries", "two years", buurten_geojson(set_cell(3, "jaar", 2023)), ("field 'jaar'", "2023, 2024")),
    Case("boundaries", "no year anywhere",
         buurten_geojson(lambda g: g.drop(columns=["jaar", "jrstatcode"]), name="buurten.geojson"),
         ("buurten.geojson", "field 'jaar'")),
    Case("boundaries", "no code column",
         buurten_geojson(lambda g: g.drop(columns=["buurtcode", "wijkcode", "gemeentecode", "jrstatcode"])),
         ("buurten_2024.geojson", "buurtcode")),
    Case("boundaries", "feature collection without features",
         bytes_as("buurten_2024.geojson", '{"type": "FeatureCollection", "features": []}'),
         ("buurten_2024.geojson",)),
    Case("boundaries", "a JSON list", bytes_as("buurten_2024.geojson", "[1, 2, 3]"), ("buurten_2024.geojson",)),
    Case("boundaries", "hand-made: geometry of strings", lambda f: _broken(f, "buurten_bad_coordinates_2024.geojson"),
         ("buurten_bad_coordinates_2024.geojson",)),
]


# Kerncijfers: the 2024 demo TypedDataSet with its DataProperties beside it, one thing changed.

KERNCIJFERS = "85984NED_TypedDataSet.json"


def kerncijfers_payload() -> dict:
    return json.loads((DEMO_DIR / "kerncijfers" / KERNCIJFERS).read_text())


def kerncijfers_json(change: Callable[[dict], object] | None = None, text: str | bytes | None = None,
                     name: str = KERNCIJFERS, properties: bool = True):
    def make(folder: Path) -> Path:
        folder = folder / "kerncijfers"
        folder.mkdir(exist_ok=True)
        if properties:
            shutil.copy(DEMO_DIR / "kerncijfers" / "85984NED_DataProperties.json", folder)
        if text is not None:
            return _write(folder, name, text)
        payload = kerncijfers_payload()
        changed = change(payload) if change else payload
        return _write(folder, name, json.dumps(payload if changed is None else changed))
    return make


def kerncijfers_cell(row: int, key: str, value):
    def change(payload):
        payload["value"][row - 1][key] = value
    return change


def kerncijfers_raw_cell(row: int, key: str, literal: str):
    """A cell written as a raw JSON literal (a 400-digit integer, Infinity) that json.dumps would not write."""
    def make(folder: Path) -> Path:
        payload = kerncijfers_payload()
        payload["value"][row - 1][key] = "__RAW__"
        text = json.dumps(payload).replace('"__RAW__"', literal)
        return kerncijfers_json(text=text)(folder)
    return make


def drop_key(key: str):
    """Remove ``key`` from the envelope, or from the first row when the envelope has no such key."""
    def change(payload):
        (payload if key in payload else payload["value"][0]).pop(key)
    return change


def kerncijfers_duplicate_row(payload):
    twin = dict(payload["value"][3], ID=999)
    twin["AantalInwoners_5"] = (twin.get("AantalInwoners_5") or 0) + 1000
    payload["value"].insert(4, twin)


KERNCIJFERS_CASES = [
    Case("kerncijfers", "empty file", kerncijfers_json(text=b""), (KERNCIJFERS, "not valid JSON")),
    Case("kerncijfers", "truncated", lambda f: _cut(kerncijfers_json()(f), 0.5), (KERNCIJFERS, "not valid JSON")),
    Case("kerncijfers", "CSV instead of JSON", kerncijfers_json(text="WijkenEnBuurten;AantalInwoners_5\nGM9999;5\n"),
         (KERNCIJFERS, "not valid JSON")),
    Case("kerncijfers", "Windows-1252 bytes", kerncijfers_json(text='{"value": [{"Naam": "Caf\xe9"}]}'.encode("cp1252")),
         (KERNCIJFERS, "not valid JSON")),
    Case("kerncijfers", "random bytes", kerncijfers_json(text=_junk(2048)), (KERNCIJFERS,)),
    Case("kerncijfers", "a bare number", kerncijfers_json(text="42"), (KERNCIJFERS, "not an OData answer")),
    Case("kerncijfers", "value is text", kerncijfers_json(text='{"value": "rows"}'), (KERNCIJFERS, "not an OData")),
    Case("kerncijfers", "a row that is text", kerncijfers_json(lambda p: p["value"].insert(2, "GM9999")),
         (KERNCIJFERS, "row 3", "not an OData row")),
    Case("kerncijfers", "no rows", kerncijfers_json(lambda p: p["value"].clear()), (KERNCIJFERS, "no rows")),
    Case("kerncijfers", "no region key", kerncijfers_json(drop_key("WijkenEnBuurten")),
         (KERNCIJFERS, "row 1", "field 'WijkenEnBuurten'")),
    Case("kerncijfers", "text in a number column", kerncijfers_json(kerncijfers_cell(3, "AantalInwoners_5", "veel")),
         (KERNCIJFERS, "row 3", "field 'AantalInwoners_5'", "veel")),
    Case("kerncijfers", "formula in a number column",
         kerncijfers_json(kerncijfers_cell(4, "AantalInwoners_5", "=1+1")),
         (KERNCIJFERS, "row 4", "field 'AantalInwoners_5'")),
    Case("kerncijfers", "Infinity literal", kerncijfers_raw_cell(5, "AantalInwoners_5", "Infinity"),
         (KERNCIJFERS, "row 5", "field 'AantalInwoners_5'")),
    Case("kerncijfers", "1e400 literal", kerncijfers_raw_cell(5, "AantalInwoners_5", "1e400"),
         (KERNCIJFERS, "row 5", "field 'AantalInwoners_5'")),
    Case("kerncijfers", "'9'*400 as text", kerncijfers_json(kerncijfers_cell(6, "AantalInwoners_5", "9" * 400)),
         (KERNCIJFERS, "row 6", "field 'AantalInwoners_5'")),
    Case("kerncijfers", "'9'*400 as an integer literal", kerncijfers_raw_cell(6, "AantalInwoners_5", "9" * 400),
         (KERNCIJFERS, "row 6", "field 'AantalInwoners_5'"),
         was_bug="etl/values.py parse_value: float(10**400) raises OverflowError, which parse_column does not catch "
             "(crash instead of LoadError); catch OverflowError in parse_value and raise ValueError"),
    Case("kerncijfers", "-1e309 as text (minus infinity)",
         kerncijfers_json(kerncijfers_cell(6, "AantalInwoners_5", "-1e309")),
         (KERNCIJFERS, "row 6", "field 'AantalInwoners_5'"),
         was_bug="etl/values.py parse_value: -inf passes the `number <= -99990` sentinel test before the isinf "
             "check and is silently stored as 'missing'; test math.isinf before the sentinel ranges"),
    Case("kerncijfers", "a list in a number column", kerncijfers_json(kerncijfers_cell(3, "AantalInwoners_5", [1, 2])),
         (KERNCIJFERS, "row 3", "field 'AantalInwoners_5'"),
         was_bug="etl/sources/kerncijfers.py parse_column: the cache key (type(cell), cell) is unhashable for a "
             "list/dict cell, so TypeError escapes; key on repr(cell) or parse unhashable cells uncached"),
    Case("kerncijfers", "an object as region code", kerncijfers_json(kerncijfers_cell(2, "WijkenEnBuurten", {"a": 1})),
         (KERNCIJFERS, "row 2", "field 'WijkenEnBuurten'"),
         was_bug="etl/sources/kerncijfers.py region_codes: `cell not in known` raises TypeError for a dict/list "
             "cell; treat non-str cells as no code (or refuse them with row and field)"),
    Case("kerncijfers", "the same region twice, other figures", kerncijfers_json(kerncijfers_duplicate_row),
         (KERNCIJFERS, "row 5", "field 'WijkenEnBuurten'"),
         was_bug="etl/sources/kerncijfers.py read_kerncijfers: a region code that occurs twice is not detected and "
             "INSERT OR REPLACE keeps one of the two figures silently; refuse it as read_health does ('the same "
             "region and period occur twice', with row and field)"),
    Case("kerncijfers", "no table id", kerncijfers_json(drop_key("odata.metadata"), name="kerncijfers.json"),
         ("kerncijfers.json", "table id")),
    Case("kerncijfers", "unknown table, no year", kerncijfers_json(
        drop_key("odata.metadata"), name="12345XYZ_TypedDataSet.json", properties=False),
         ("12345XYZ_TypedDataSet.json", "year")),
    Case("kerncijfers", "no catalog column", kerncijfers_json(
        lambda p: {"value": [{"WijkenEnBuurten": "GM9999", "Iets_1": 3}]}, properties=False),
         (KERNCIJFERS, "no catalog indicator")),
    Case("kerncijfers", "hand-made: truncated JSON", lambda f: _broken(f, "85984NED_TypedDataSet.json"),
         (KERNCIJFERS, "not valid JSON")),
]


# Health: the demo 50120NED export (comma separated, header row 1), one cell changed.

HEALTH = "50120NED_gezondheid_wijk_buurt_18plus.csv"


def health_rows() -> list[list[str]]:
    text = (DEMO_DIR / "gezondheid" / HEALTH).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def health_csv(change: Callable[[list[list[str]]], object] | None = None, text: str | bytes | None = None,
               name: str = HEALTH, delimiter: str = ",", encoding: str = "utf-8"):
    def make(folder: Path) -> Path:
        if text is not None:
            return _write(folder, name, text)
        rows = health_rows()
        if change:
            change(rows)
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        return _write(folder, name, out.getvalue(), encoding)
    return make


def health_cell(row: int, column: str, value: str):
    """Spreadsheet row ``row`` (the header is row 1) gets ``value`` in ``column``."""
    def change(rows):
        rows[row - 1][rows[0].index(column)] = value
    return change


def health_name_cp1252(rows):
    rows[2][rows[0].index("Gemeentenaam_1")] = "Caf\xe9 \u20ac"


HEALTH_CASES = [
    Case("health", "empty file", health_csv(text=b""), (HEALTH, "CSV")),
    Case("health", "tab separated", health_csv(delimiter="\t"), (HEALTH, "field 'WijkenEnBuurten'")),
    Case("health", "Windows-1252", health_csv(health_name_cp1252, encoding="cp1252"), (HEALTH, "UTF-8")),
    Case("health", "UTF-16", health_csv(encoding="utf-16"), (HEALTH, "UTF-8")),
    Case("health", "random bytes", health_csv(text=_junk(4096, seed=3)), (HEALTH,)),
    Case("health", "a row with too many cells", health_csv(lambda rows: rows[5].extend(["1", "2", "3"])),
         (HEALTH, "CSV")),
    Case("health", "unknown region code", health_csv(health_cell(3, "WijkenEnBuurten", "XX12345")),
         (HEALTH, "row 3", "field 'WijkenEnBuurten'", "XX12345")),
    Case("health", "same region and period twice", health_csv(lambda rows: rows.insert(4, list(rows[3]))),
         (HEALTH, "row 5", "field 'WijkenEnBuurten'")),
    Case("health", "bad period", health_csv(health_cell(4, "Perioden", "2020XX99")),
         (HEALTH, "row 4", "field 'Perioden'", "2020XX99")),
    Case("health", "text in a figure", health_csv(health_cell(6, "Eenzaam_28", "veel")),
         (HEALTH, "row 6", "field 'Eenzaam_28'", "veel")),
    Case("health", "formula in a figure", health_csv(health_cell(6, "Eenzaam_28", "=HYPERLINK(\"http://x\")")),
         (HEALTH, "row 6", "field 'Eenzaam_28'")),
    Case("health", "'9'*400 in a figure", health_csv(health_cell(7, "Eenzaam_28", "9" * 400)),
         (HEALTH, "row 7", "field 'Eenzaam_28'")),
    Case("health", "inf in a figure", health_csv(health_cell(7, "Eenzaam_28", "inf")),
         (HEALTH, "row 7", "field 'Eenzaam_28'")),
    Case("health", "an empty age group", health_csv(lambda rows: rows[3].__setitem__(1, "")),
         (HEALTH, "row 4", "field 'Leeftijd'")),
    Case("health", "no catalog column", health_csv(text="WijkenEnBuurten,Perioden,Iets_1\nGM9999,2020JJ00,3\n"),
         (HEALTH, "no catalog indicator")),
    Case("health", "no period column", health_csv(text="WijkenEnBuurten,Eenzaam_28\nGM9999,3\n"),
         (HEALTH, "field 'Perioden'")),
    Case("health", "text named .xlsx", health_csv(text="not a workbook", name="gezondheid.xlsx"),
         ("gezondheid.xlsx", "xlsx")),
    Case("health", "unsupported suffix", health_csv(name="gezondheid.txt"), ("gezondheid.txt", ".csv")),
    Case("health", "hand-made: semicolons and decimal commas gone wrong", lambda f: _broken(f, "gezondheid_mixed.csv"),
         ("gezondheid_mixed.csv", "row 3")),
]


# Initiatives: the first rows of the demo template (';', header row 1), one cell changed.

INITIATIVES = "initiatieven.csv"


def initiative_rows(count: int = 6) -> list[list[str]]:
    text = (DEMO_DIR / INITIATIVES).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))[: count + 1]


def initiatives_csv(change: Callable | None = None, text: str | bytes | None = None, name: str = INITIATIVES,
                    delimiter: str = ";", encoding: str = "utf-8"):
    def make(folder: Path) -> Path:
        if text is not None:
            return _write(folder, name, text)
        rows = initiative_rows()
        if change:
            change(rows)
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        return _write(folder, name, out.getvalue(), encoding)
    return make


def cell(row: int, column: str, value: str):
    def change(rows):
        rows[row - 1][rows[0].index(column)] = value
    return change


def cells(*changes):
    def change(rows):
        for one in changes:
            one(rows)
    return change


def unquoted_commas(folder: Path) -> Path:
    return _write(folder, INITIATIVES, "\r\n".join(",".join(row) for row in initiative_rows()))


def initiatives_geojson(features, name: str = "initiatieven.geojson"):
    return bytes_as(name, json.dumps({"type": "FeatureCollection", "features": features}))


POINT = {"type": "Point", "coordinates": [5.4089, 52.0943]}

INITIATIVE_CASES = [
    Case("initiatives", "empty file", initiatives_csv(text=b""), (INITIATIVES, "missing column")),
    Case("initiatives", "comma separated without quoting decimal commas", unquoted_commas,
         (INITIATIVES, "row 2")),
    Case("initiatives", "header separated by ';', rows by tabs",
         initiatives_csv(text="id;naam;buurtcode\nINI-1\tNaam\tBU99990000\n"), (INITIATIVES, "row 2", "naam")),
    Case("initiatives", "UTF-16", initiatives_csv(encoding="utf-16"), (INITIATIVES, "missing column")),
    Case("initiatives", "neither UTF-8 nor Windows-1252",
         initiatives_csv(text=b"id;naam;buurtcode\nINI-1;Caf\x81;BU99990000\n"), (INITIATIVES, "row 2", "UTF-8")),
    Case("initiatives", "a field over the CSV field limit",
         initiatives_csv(text='id;naam;buurtcode\nINI-1;"' + "x" * 200_000 + '";BU99990000\n'), (INITIATIVES,)),
    Case("initiatives", "duplicate id", initiatives_csv(cell(4, "id", "INI-001")),
         (INITIATIVES, "row 4", "field 'id'", "duplicate id", "INI-001")),
    Case("initiatives", "empty name", initiatives_csv(cell(3, "naam", "")), (INITIATIVES, "row 3", "field 'naam'")),
    Case("initiatives", "unknown buurtcode", initiatives_csv(cell(4, "buurtcode", "BU00000001")),
         (INITIATIVES, "row 4", "field 'buurtcode'", "BU00000001")),
    Case("initiatives", "not a buurtcode", initiatives_csv(cell(4, "buurtcode", "'; DROP TABLE regions; --")),
         (INITIATIVES, "row 4", "field 'buurtcode'")),
    Case("initiatives", "unknown wijkcode", initiatives_csv(cells(cell(4, "buurtcode", ""),
                                                                  cell(4, "wijkcode", "WK000001"))),
         (INITIATIVES, "row 4", "field 'wijkcode'")),
    Case("initiatives", "lon and lat swapped", initiatives_csv(cells(cell(2, "lengtegraad", "52,094328"),
                                                                      cell(2, "breedtegraad", "5,408900"))),
         (INITIATIVES, "row 2", "lengtegraad/breedtegraad", "swapped")),
    Case("initiatives", "lon 1e308", initiatives_csv(cell(2, "lengtegraad", "1e308")),
         (INITIATIVES, "row 2", "lengtegraad", "outside the Netherlands")),
    Case("initiatives", "lon '9'*400", initiatives_csv(cell(2, "lengtegraad", "9" * 400)),
         (INITIATIVES, "row 2", "field 'lengtegraad'", "not a number")),
    Case("initiatives", "lat inf", initiatives_csv(cell(2, "breedtegraad", "inf")),
         (INITIATIVES, "row 2", "field 'breedtegraad'", "not a number")),
    Case("initiatives", "lat nan", initiatives_csv(cell(2, "breedtegraad", "nan")),
         (INITIATIVES, "row 2", "field 'breedtegraad'")),
    Case("initiatives", "lon without lat", initiatives_csv(cell(2, "breedtegraad", "")),
         (INITIATIVES, "row 2", "lengtegraad/breedtegraad", "go together")),
    Case("initiatives", "RD outside the Netherlands", initiatives_csv(cell(3, "rd_x", "9999999")),
         (INITIATIVES, "row 3", "rd_x/rd_y")),
    Case("initiatives", "no location", initiatives_csv(cell(4, "buurtcode", "")),
         (INITIATIVES, "row 4", "field 'location'")),
    Case("initiatives", "end before start", initiatives_csv(cell(4, "einddatum", "01-01-2020")),
         (INITIATIVES, "row 4", "field 'einddatum'")),
    Case("initiatives", "31 February", initiatives_csv(cell(3, "startdatum", "31-02-2024")),
         (INITIATIVES, "row 3", "field 'startdatum'", "31-02-2024")),
    Case("initiatives", "date 1e308", initiatives_csv(cell(3, "startdatum", "1e308")),
         (INITIATIVES, "row 3", "field 'startdatum'")),
    Case("initiatives", "not yes or no", initiatives_csv(cell(5, "openbaar", "misschien")),
         (INITIATIVES, "row 5", "field 'openbaar'", "misschien")),
    Case("initiatives", "unknown theme", initiatives_csv(cell(5, "thema", "=HYPERLINK(\"http://x\")")),
         (INITIATIVES, "row 5", "field 'thema'")),
    Case("initiatives", "unknown status", initiatives_csv(cell(6, "status", "'; --")),
         (INITIATIVES, "row 6", "field 'status'")),
    Case("initiatives", "two name columns", initiatives_csv(lambda rows: [r.append(r[1]) for r in rows] and
                                                            rows[0].__setitem__(-1, "titel")),
         (INITIATIVES, "row 1", "field 'naam, titel'")),
    Case("initiatives", "unsupported suffix", initiatives_csv(name="initiatieven.txt"), ("initiatieven.txt",)),
    Case("initiatives", "text named .xlsx", initiatives_csv(text="id;naam", name="initiatieven.xlsx"),
         ("initiatieven.xlsx", "xlsx")),
    Case("initiatives", "geojson truncated", bytes_as("initiatieven.geojson", '{"type": "FeatureCollection", "fea'),
         ("initiatieven.geojson", "GeoJSON")),
    Case("initiatives", "geojson not a collection", bytes_as("initiatieven.geojson", '{"type": "Point"}'),
         ("initiatieven.geojson", "FeatureCollection")),
    Case("initiatives", "geojson bad coordinates",
         initiatives_geojson([{"type": "Feature", "properties": {"id": "1", "naam": "a"},
                               "geometry": {"type": "Point", "coordinates": ["x", "y"]}}]),
         ("initiatieven.geojson", "row 1")),
    Case("initiatives", "geojson features is a number",
         bytes_as("initiatieven.geojson", '{"type": "FeatureCollection", "features": 5}'),
         ("initiatieven.geojson",),
         was_bug="etl/sources/initiatives.py geojson_sheet: `features` is iterated unchecked (TypeError for a "
             "number, AttributeError for a list of strings); refuse when it is not a list of objects"),
    Case("initiatives", "geojson feature is text",
         initiatives_geojson(["feature"]), ("initiatieven.geojson", "row 1"),
         was_bug="etl/sources/initiatives.py geojson_sheet: a feature that is not an object raises AttributeError "
             "(feature.get); refuse it with its row"),
    Case("initiatives", "geojson properties is a list",
         initiatives_geojson([{"type": "Feature", "properties": ["id", "naam"], "geometry": POINT}]),
         ("initiatieven.geojson", "row 1"),
         was_bug="etl/sources/initiatives.py geojson_sheet: properties that are not an object raise "
             "AttributeError (properties.get); refuse them with the row"),
    Case("initiatives", "hand-made: formula and quotes gone wrong", lambda f: _broken(f, "initiatieven_kapot.csv"),
         ("initiatieven_kapot.csv", "row 3", "field 'id'")),
]


# Agenda: a small CSV agenda (items, and <stem>_voortgang.csv beside it), one cell changed.

AGENDA = "wijkagenda.csv"
AGENDA_HEADER = ["id", "wijkcode", "titel", "omschrijving", "thema", "eigenaar", "status", "voortgang (%)",
                 "startdatum", "deadline", "bovenliggend", "indicator", "basisjaar", "richting", "doel", "openbaar",
                 "notitie"]
UPDATES_HEADER = ["id", "datum", "voortgang (%)", "status", "notitie"]


def agenda_rows() -> list[list[str]]:
    return [AGENDA_HEADER,
            ["WA-01", "WK999901", "Armoedeaanpak", "Schuldhulp", "armoede", "Gemeente", "loopt", "45", "01-01-2022",
             "31-12-2026", "", "laag_inkomen", "2021", "omlaag", "14", "ja", "intern"],
            ["WA-02", "WK999902", "Ontmoeten", "", "eenzaamheid", "Welzijn", "gepland", "10", "01-03-2023",
             "", "WA-01", "eenzaam", "2022", "", "", "nee", ""],
            ["WA-03", "WK999903", "Groen", "", "groen", "Bewoners", "idee", "", "", "", "", "", "", "", "", "ja", ""]]


def update_rows() -> list[list[str]]:
    return [UPDATES_HEADER, ["WA-01", "29-06-2023", "28", "loopt", "Subsidie"],
            ["WA-02", "01-09-2023", "15", "loopt", ""]]


def agenda_csv(change: Callable | None = None, updates: Callable | None = None, text: str | bytes | None = None,
               name: str = AGENDA):
    def make(folder: Path) -> Path:
        if text is not None:
            return _write(folder, name, text)
        items, progress = agenda_rows(), update_rows()
        if change:
            change(items)
        if updates:
            updates(progress)
        for rows, path in ((items, folder / name), (progress, folder / f"{Path(name).stem}_voortgang.csv")):
            out = io.StringIO()
            csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
            _write(folder, path.name, out.getvalue())
        return folder / name
    return make


def agenda_xlsx(cut: float | None = None, only_progress: bool = False):
    def make(folder: Path) -> Path:
        path = folder / "wijkagenda.xlsx"
        if only_progress:
            book = openpyxl.Workbook()
            book.active.title = "voortgang"
            for row in update_rows():
                book.active.append(row)
            book.save(path)
            return path
        data = (DEMO_DIR / "wijkagenda.xlsx").read_bytes()
        return _write(folder, path.name, data[: int(len(data) * cut)] if cut else data)
    return make


AGENDA_CASES = [
    Case("agenda", "empty csv", agenda_csv(text=b""), (AGENDA, "missing column")),
    Case("agenda", "unknown wijkcode", agenda_csv(cell(3, "wijkcode", "WK123456")),
         (AGENDA, "row 3", "field 'wijkcode'", "WK123456")),
    Case("agenda", "buurtcode as wijkcode", agenda_csv(cell(2, "wijkcode", "BU99990000")),
         (AGENDA, "row 2", "field 'wijkcode'", "not a wijkcode")),
    Case("agenda", "SQL in wijkcode", agenda_csv(cell(2, "wijkcode", "WK999901' OR '1'='1")),
         (AGENDA, "row 2", "field 'wijkcode'")),
    Case("agenda", "duplicate id", agenda_csv(cell(4, "id", "WA-01")), (AGENDA, "row 4", "field 'id'", "duplicate")),
    Case("agenda", "empty title", agenda_csv(cell(2, "titel", "")), (AGENDA, "row 2", "field 'titel'")),
    Case("agenda", "progress 150", agenda_csv(cell(2, "voortgang (%)", "150")),
         (AGENDA, "row 2", "field 'voortgang (%)'", "between 0 and 100")),
    Case("agenda", "progress 1e308", agenda_csv(cell(2, "voortgang (%)", "1e308")),
         (AGENDA, "row 2", "field 'voortgang (%)'")),
    Case("agenda", "progress '9'*400", agenda_csv(cell(2, "voortgang (%)", "9" * 400)),
         (AGENDA, "row 2", "field 'voortgang (%)'", "not a number")),
    Case("agenda", "progress -inf", agenda_csv(cell(2, "voortgang (%)", "-inf")),
         (AGENDA, "row 2", "field 'voortgang (%)'")),
    Case("agenda", "baseline year 1e308", agenda_csv(cell(2, "basisjaar", "1e308")),
         (AGENDA, "row 2", "field 'basisjaar'")),
    Case("agenda", "baseline year 2021.5", agenda_csv(cell(2, "basisjaar", "2021,5")),
         (AGENDA, "row 2", "field 'basisjaar'", "whole number")),
    Case("agenda", "target '9'*400", agenda_csv(cell(2, "doel", "9" * 400)), (AGENDA, "row 2", "field 'doel'")),
    Case("agenda", "unknown indicator", agenda_csv(cell(3, "indicator", "=HYPERLINK(\"http://x\")")),
         (AGENDA, "row 3", "field 'indicator'")),
    Case("agenda", "unknown direction", agenda_csv(cell(2, "richting", "zijwaarts")),
         (AGENDA, "row 2", "field 'richting'")),
    Case("agenda", "unknown parent", agenda_csv(cell(3, "bovenliggend", "WA-99")),
         (AGENDA, "row 3", "field 'bovenliggend'", "unknown parent")),
    Case("agenda", "parent cycle", agenda_csv(cell(2, "bovenliggend", "WA-02")),
         (AGENDA, "field 'bovenliggend'", "cycle")),
    Case("agenda", "due before start", agenda_csv(cell(2, "deadline", "01-01-2020")),
         (AGENDA, "row 2", "field 'deadline'")),
    Case("agenda", "update of an unknown item", agenda_csv(updates=cell(3, "id", "WA-77")),
         ("row 3", "field 'id'", "WA-77"), file="wijkagenda_voortgang.csv"),
    Case("agenda", "update with a bad date", agenda_csv(updates=cell(2, "datum", "gisteren")),
         ("row 2", "field 'datum'", "gisteren"), file="wijkagenda_voortgang.csv"),
    Case("agenda", "xlsx truncated", agenda_xlsx(cut=0.5), ("wijkagenda.xlsx", "xlsx")),
    Case("agenda", "empty xlsx", bytes_as("wijkagenda.xlsx", b""), ("wijkagenda.xlsx",)),
    Case("agenda", "xlsx with only a progress sheet", agenda_xlsx(only_progress=True),
         ("wijkagenda.xlsx", "only a progress sheet")),
    Case("agenda", "unsupported suffix", agenda_csv(name="wijkagenda.ods"), ("wijkagenda.ods",)),
    Case("agenda", "hand-made: wrong separator and Excel formulas", lambda f: _broken(f, "wijkagenda_kapot.csv"),
         ("wijkagenda_kapot.csv", "row 2")),
]

CASES = BOUNDARIES + KERNCIJFERS_CASES + HEALTH_CASES + INITIATIVE_CASES + AGENDA_CASES


def _cut(path: Path, share: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path


def _broken(folder: Path, name: str) -> Path:
    """A hand-made case from tests/data/broken/ (copied, so the loader sees it under the same name)."""
    target = folder / name
    shutil.copy(BROKEN_DIR / name, target)
    return target


# --- fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published_copies(demo_data_dir, tmp_path_factory):
    """One copy of the published demo per importer; refused loads leave it as it was.

    The test holds a connection to each working database, so DuckDB keeps the file open in this process and the
    loads skip re-loading the spatial extension (0.25 s each); what a load writes or rolls back is the same.
    """
    copies, held = {}, []

    def copy(importer: str):
        if importer not in copies:
            target = tmp_path_factory.mktemp(f"corpus-{importer}") / "data"
            shutil.copytree(demo_data_dir, target, symlinks=True)
            con = connect(target / WORKING_DB)
            held.append(con)
            copies[importer] = (target, tree_checksums(target / "published"), con)
        return copies[importer]

    copy.source = demo_data_dir
    yield copy
    for con in held:
        con.close()


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    if TRIED:
        say(request.config, "bad inputs tried per importer: " + ", ".join(f"{k} {v}" for k, v in sorted(TRIED.items()))
            + f" (total {sum(TRIED.values())})")


def say(config, line: str) -> None:
    """Print past pytest's output capture (the counts are the point of the run)."""
    capture = config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)


def last_ok_run(con):
    return con.execute("SELECT max(run_id) FROM etl_runs WHERE status = 'ok'").fetchone()[0]


def _param(case: Case):
    marks = list(case.marks)
    if case.bug:
        marks.append(pytest.mark.xfail(strict=True, reason=case.bug))
    return pytest.param(case, id=f"{case.importer}: {case.name}", marks=marks)


# --- the corpus -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_is_refused_naming_file_row_and_field(case: Case, published_copies, tmp_path):
    if case.bug:    # a known bug may load what it should refuse: keep the shared copy clean
        data_dir = loaded_copy(published_copies.source, tmp_path / "own")
        con = connect(data_dir / WORKING_DB)
        published_before = tree_checksums(data_dir / "published")
    else:
        data_dir, published_before, con = published_copies(case.importer)
    ok_before = last_ok_run(con)
    path = case.make(tmp_path)
    TRIED[case.importer] += 1
    try:
        with pytest.raises(LoadError) as refused:
            LOADERS[case.importer](data_dir, path)
        assert tree_checksums(data_dir / "published") == published_before, "published files changed"
        assert last_ok_run(con) == ok_before, "a refused load wrote to the working database"
    finally:
        if case.bug:
            con.close()
    message = str(refused.value)
    assert "Traceback" not in message
    for fragment in (case.file or path.name, *case.expect):
        assert fragment in message, f"{fragment!r} not in {message!r}"


@pytest.mark.parametrize("importer", list(LOADERS))
def test_after_the_refusals_publish_changes_nothing(importer, published_copies):
    data_dir, published_before, _ = published_copies(importer)
    assert publish(data_dir, load_catalog(), progress=lambda m: None).status == "unchanged"
    assert tree_checksums(data_dir / "published") == published_before


# --- inputs an importer accepts on purpose: loaded faithfully, never a crash ----------------------------------

def loaded_copy(demo_data_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(demo_data_dir, target, symlinks=True)
    return target


def cut_mid_last_row(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
    """The file cut off in the middle of its last row (a download or copy that stopped)."""
    def cut(folder: Path) -> Path:
        path = make(folder)
        data = path.read_bytes().rstrip(b"\r\n")
        path.write_bytes(data[: data.rindex(b"\n") + (len(data) - data.rindex(b"\n")) // 2])
        return path
    return cut


def latin1_geojson(folder: Path) -> Path:
    path = buurten_geojson(set_cell(1, "buurtnaam", "Caf\xe9buurt"))(folder)
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    return path


# Inputs an importer accepts on purpose (or may refuse): never another exception, published files untouched.
TOLERATED = [
    Case("boundaries", "Latin-1 GeoJSON", latin1_geojson),
    Case("boundaries", "two features with one code (land and water)",
         buurten_geojson(lambda g: gpd.GeoDataFrame(pd.concat([g, g.iloc[[2]]]), crs=g.crs))),
    Case("boundaries", "1e308 inhabitants", buurten_geojson(set_cell(3, "aantal_inwoners", 1e308))),
    Case("kerncijfers", "unknown region codes", kerncijfers_json(kerncijfers_cell(3, "WijkenEnBuurten", "XX999"))),
    Case("kerncijfers", "UTF-16 JSON", lambda f: _reencode(kerncijfers_json()(f), "utf-16")),
    Case("health", "header only", health_csv(lambda rows: rows.__delitem__(slice(1, None)))),
    Case("health", "cut in the middle of the last row", cut_mid_last_row(health_csv())),
    Case("health", "semicolons and decimal commas", health_csv(
        lambda rows: [r.__setitem__(i, c.replace(".", ",")) for r in rows for i, c in enumerate(r)], delimiter=";")),
    Case("initiatives", "header only", initiatives_csv(lambda rows: rows.__delitem__(slice(1, None)))),
    Case("initiatives", "Windows-1252", initiatives_csv(cell(2, "naam", "Caf\xe9 \u20ac"), encoding="cp1252")),
    Case("initiatives", "NUL in a name", initiatives_csv(cell(2, "naam", "Buurt\x00kamer"))),
    Case("initiatives", "cut in the middle of the last row", cut_mid_last_row(initiatives_csv())),
    Case("initiatives", "SQL and HTML in text", initiatives_csv(cells(
        cell(2, "naam", "Robert'); DROP TABLE initiatives; --"), cell(3, "omschrijving", "<script>alert(1)</script>")))),
    Case("agenda", "header only", agenda_csv(lambda rows: rows.__delitem__(slice(1, None)),
                                             updates=lambda rows: rows.__delitem__(slice(1, None)))),
    Case("agenda", "target 1e308", agenda_csv(cell(2, "doel", "1e308"))),
]


def _reencode(path: Path, encoding: str) -> Path:
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    return path


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.importer}: {c.name}") for c in TOLERATED])
def test_odd_but_acceptable_input_loads_or_is_refused_never_crashes(case: Case, published_copies, tmp_path):
    data_dir, published_before, _ = published_copies("tolerated")
    path = case.make(tmp_path)
    TRIED[case.importer] += 1
    try:
        result = LOADERS[case.importer](data_dir, path)
    except LoadError as error:
        assert path.name in str(error)
    else:
        assert result.status in ("ok", "unchanged")
    assert tree_checksums(data_dir / "published") == published_before


FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def test_formula_like_names_are_stored_as_text_and_neutralised_in_the_staff_csv(demo_data_dir, tmp_path):
    from dashboard.app import create_app
    from dashboard.settings import Settings
    from dashboard.db import open_read_only

    data_dir = loaded_copy(demo_data_dir, tmp_path)
    published_before = tree_checksums(data_dir / "published")

    def names(gdf):
        gdf["buurtnaam"] = gdf["buurtnaam"].astype(object)
        for row, formula in enumerate(FORMULAS):
            gdf.loc[row, "buurtnaam"] = formula
        return gdf

    path = buurten_geojson(names)(tmp_path)
    TRIED["boundaries"] += 1
    jobs.load_boundaries(data_dir, file=path)
    rows = initiative_rows()
    rows[1][rows[0].index("naam")] = FORMULAS[0]
    rows[2][rows[0].index("omschrijving")] = "@cmd|' /C calc'!A0"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    initiatives = _write(tmp_path, "initiatieven_formules.csv", out.getvalue())
    TRIED["initiatives"] += 1
    jobs.load_initiatives(data_dir, file=initiatives)
    assert tree_checksums(data_dir / "published") == published_before, "a load alone never touches published"

    publish(data_dir, load_catalog(), progress=lambda m: None)
    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        stored = dict(con.execute("SELECT code, name FROM regions WHERE year = 2024 AND level = 'buurt'").fetchall())
        initiative = con.execute("SELECT name FROM initiatives WHERE id = 'INI-001'").fetchone()[0]
        description = con.execute("SELECT description FROM initiatives WHERE id = 'INI-002'").fetchone()[0]
    finally:
        con.close()
    codes = list(demo_buurten()["buurtcode"][: len(FORMULAS)])
    # stored verbatim (cells are stripped of surrounding whitespace on reading)
    assert [stored[c] for c in codes] == [f.strip() for f in FORMULAS]
    assert initiative == FORMULAS[0] and description == "@cmd|' /C calc'!A0"

    client = create_app(Settings(data_dir=data_dir, audience="staff")).server.test_client()
    response = client.get("/export/kaart.csv?indicator=inwoners&niveau=buurt&jaar=2024")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    by_code = {row[0]: row[1] for row in table[1:]}
    for code, formula in zip(codes, FORMULAS):
        exported = by_code[code]
        assert exported == "'" + formula.strip(), exported
        assert not exported.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_self_intersecting_and_repeated_geometries_are_repaired_not_crashed(demo_data_dir, tmp_path):
    """The loader repairs an invalid polygon (make_valid) and merges features that repeat a code."""
    data_dir = loaded_copy(demo_data_dir, tmp_path)
    published_before = tree_checksums(data_dir / "published")

    def change(gdf):
        geometries = list(gdf.geometry)
        geometries[0] = bowtie()
        gdf = gdf.set_geometry(gpd.GeoSeries(geometries, crs=gdf.crs))
        return gpd.GeoDataFrame(
            pd.concat([gdf, gdf.iloc[[1]]], ignore_index=True), crs=gdf.crs)

    path = buurten_geojson(change)(tmp_path)
    assert not shapely.is_valid(gpd.read_file(path).geometry[0])
    TRIED["boundaries"] += 1
    result = jobs.load_boundaries(data_dir, file=path)
    assert result.status == "ok" and any("merged" in n for n in result.notes)
    con = connect(data_dir / WORKING_DB, read_only=True)
    try:
        invalid = con.execute("SELECT count(*) FROM regions WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom)").fetchone()
        first = con.execute("SELECT ST_Area(geom) FROM regions WHERE year = 2024 AND code = ?",
                            [demo_buurten()["buurtcode"][0]]).fetchone()
    finally:
        con.close()
    assert invalid == (0,)
    assert first[0] == pytest.approx(shapely.make_valid(bowtie()).area)
    assert tree_checksums(data_dir / "published") == published_before


@pytest.mark.parametrize("value", [1e308, 1.7976931348623157e308, 5e-324, -12.5])
def test_huge_and_tiny_figures_are_stored_faithfully(value, demo_data_dir, tmp_path):
    data_dir = loaded_copy(demo_data_dir, tmp_path)
    TRIED["kerncijfers"] += 1
    path = kerncijfers_json(kerncijfers_cell(2, "AantalInwoners_5", value))(tmp_path)
    jobs.load_kerncijfers(data_dir, file=path)
    code = kerncijfers_payload()["value"][1]["WijkenEnBuurten"].strip()
    con = connect(data_dir / WORKING_DB, read_only=True)
    try:
        stored = con.execute("SELECT value, status FROM observations WHERE indicator_id = 'inwoners' AND code = ? "
                             "AND source_table = '85984NED'", [code]).fetchone()
    finally:
        con.close()
    assert stored == (value, "ok")


# --- through the real command line: one case per importer --------------------------------------------------------

CLI_SAMPLE = {
    "boundaries": "unknown code", "kerncijfers": "text in a number column", "health": "bad period",
    "initiatives": "duplicate id", "agenda": "unknown wijkcode",
}


def cli(data_dir: Path, *args, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)


def test_the_cli_exits_non_zero_with_the_error_and_publishes_nothing(demo_data_dir, tmp_path):
    data_dir = loaded_copy(demo_data_dir, tmp_path)
    published_before = tree_checksums(data_dir / "published")
    by_name = {(c.importer, c.name): c for c in CASES}
    for importer, name in CLI_SAMPLE.items():
        case = by_name[(importer, name)]
        folder = tmp_path / importer
        folder.mkdir()
        path = case.make(folder)
        TRIED[importer] += 1
        done = cli(data_dir, "etl", importer, "--file", str(path))
        assert done.returncode != 0, (importer, done.stderr)
        assert "wijkbeeld: error:" in done.stderr and "Traceback" not in done.stderr, done.stderr
        for fragment in (path.name, *case.expect):
            assert fragment in done.stderr, (importer, fragment, done.stderr)
        assert tree_checksums(data_dir / "published") == published_before
    done = cli(data_dir, "publish")
    assert done.returncode == 0 and "nothing changed" in done.stderr
    assert tree_checksums(data_dir / "published") == published_before


# --- 100 MB inputs: refused fast or loaded within bounded memory (WIJKBEELD_SLOW_TESTS=1) ---------------------------

MB = 1 << 20
MAX_SECONDS = 120
MAX_RSS_MB = 2000           # 20 times the file: health takes ~1.1 GB, kerncijfers ~1.2 GB


def big_health_csv(folder: Path) -> Path:
    """100 MB of well-formed rows whose region codes are all unknown."""
    header = "ID,Leeftijd,Marges,WijkenEnBuurten,Perioden,Eenzaam_28\n"
    row = "{n},20300,MW00000,XX{n:08d},2022JJ00,    42.0\n"
    return _fill(folder / HEALTH, header, lambda n: row.format(n=n))


def big_initiatives_csv(folder: Path) -> Path:
    header = "id;naam;buurtcode\n"
    return _fill(folder / INITIATIVES, header, lambda n: f"INI-{n};Initiatief {n};BU00000001\n")


def big_junk_geojson(folder: Path) -> Path:
    """100 MB that starts like a FeatureCollection and goes on with junk."""
    path = folder / "buurten_2024.geojson"
    with open(path, "wb") as handle:
        handle.write(b'{"type": "FeatureCollection", "features": [')
        chunk = random.Random(1).randbytes(MB)
        for _ in range(100):
            handle.write(chunk)
    return path


def big_kerncijfers_json(folder: Path) -> Path:
    """100 MB of valid-looking rows with one bad value at the end."""
    folder = folder / "kerncijfers"
    folder.mkdir()
    path = folder / KERNCIJFERS
    with open(path, "w") as handle:
        handle.write('{"odata.metadata": "x/OData/85984NED/$metadata#T", "value": [')
        size, n = 0, 0
        while size < 100 * MB:
            line = json.dumps({"ID": n, "WijkenEnBuurten": f"BU{n % 10**8:08d}", "AantalInwoners_5": n}) + ",\n"
            handle.write(line)
            size += len(line)
            n += 1
        handle.write('{"ID": -1, "WijkenEnBuurten": "GM9999", "AantalInwoners_5": "veel"}]}')
    return path


def _fill(path: Path, header: str, row: Callable[[int], str]) -> Path:
    with open(path, "w") as handle:
        handle.write(header)
        size, n = len(header), 0
        while size < 100 * MB:
            block = "".join(row(n + i) for i in range(10_000))
            handle.write(block)
            size += len(block)
            n += 10_000
    return path


BIG_INITIATIVES_BUG = (
    "etl/sources/spreadsheet.py: 100 MB of initiatives (2.5 million rows, every buurtcode unknown) took 89 s and "
    "5.4 GB peak RSS, and the LoadError listed all 2.5 million problems: Problems has no cap (boundaries and health "
    "stop at MAX_PROBLEMS = 20) and read_csv keeps every row. Cap the problems listed (raise after 20 with "
    "'... and N more') and refuse a sheet of more than e.g. 100,000 rows or 20 MB before parsing it")
BIG = {"health": big_health_csv, "initiatives": big_initiatives_csv, "boundaries": big_junk_geojson,
       "kerncijfers": big_kerncijfers_json}


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="100 MB inputs take long: run with WIJKBEELD_SLOW_TESTS=1")
@pytest.mark.parametrize("importer", [
    pytest.param(importer, marks=[pytest.mark.xfail(strict=True, reason=BIG_INITIATIVES_BUG)] if importer == "initiatives"
                 else []) for importer in BIG])
def test_a_100_mb_file_is_refused_in_bounded_time_and_memory(importer, demo_data_dir, tmp_path, request):
    data_dir = loaded_copy(demo_data_dir, tmp_path)
    published_before = tree_checksums(data_dir / "published")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = BIG[importer](inputs)
    assert path.stat().st_size >= 100 * MB
    TRIED[importer] += 1
    command = [sys.executable, "-c",
               "import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr); "
               "sys.exit(done.returncode)",
               sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), "etl", importer, "--file", str(path)]
    started = time.monotonic()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=MAX_SECONDS * 2)
    seconds = time.monotonic() - started
    peak_mb = int(done.stderr.strip().splitlines()[-1])
    say(request.config, f"{importer}: 100 MB refused in {seconds:.1f} s, peak RSS {peak_mb} MB: "
                        f"{done.stderr.splitlines()[-2][:200]}")
    assert done.returncode != 0 and "wijkbeeld: error:" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert path.name in done.stderr
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB
    assert tree_checksums(data_dir / "published") == published_before
