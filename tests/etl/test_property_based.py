"""Property-based tests (hypothesis): whatever arrives, the readers refuse it with a LoadError that says where
(file, row, field) or read it into rows of the working tables' shape; well-formed files round-trip; the value parser
gives a finite number or a status, or refuses what is no figure; and the URL parser gives a view that exists.

Examples are derandomized (the same every run, so a strict xfail stays stable) and no example database is
written; a few dozen examples per property keep the run to a few seconds.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from dashboard.state import LAYERS, LEVELS, Available, ViewState, is_code, parse_state
from dashboard.text import LANGUAGES
from dashboard.urls import VIEW_KEYS as KEYS
from etl.batch import OBSERVATION_COLUMNS, REGION_COLUMNS, Batch
from etl.catalog import load_catalog
from etl.codes import level_of, wijk_of
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.sources.spreadsheet import columns_config
from etl.values import ESTIMATE, MISSING, OK, STATUSES, SUPPRESSED, parse_value
from geo.classify import K_RANGE, SCHEMES

TRIED: Counter = Counter()


def examples(n: int, shrink: bool = True):
    """``n`` derandomized examples; ``shrink=False`` for a known bug (xfail), where shrinking only costs time."""
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])
    return settings(max_examples=n, deadline=None, database=None, derandomize=True, phases=phases,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\nhypothesis inputs tried: " + ", ".join(f"{k} {v}" for k, v in sorted(TRIED.items()))
              + f" (total {sum(v for k, v in TRIED.items() if not k.endswith('refused'))})", flush=True)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-hypothesis-") as name:
        yield Path(name)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def regions() -> gpd.GeoDataFrame:
    """The wijken and buurten of the demo, as ``jobs.newest_regions`` returns them (EPSG:28992)."""
    parts = []
    for layer, level, code in (("wijken", "wijk", "wijkcode"), ("buurten", "buurt", "buurtcode")):
        gdf = gpd.read_file(DEMO_DIR / "wijkenbuurten_2024.gpkg", layer=layer)
        parts.append(gpd.GeoDataFrame({
            "year": 2024, "level": level, "code": gdf[code], "name": gdf.get("buurtnaam", gdf.get("wijknaam")),
            "wijk_code": gdf["wijkcode"], "gemeente_code": gdf["gemeentecode"]}, geometry=gdf.geometry.values,
            crs=gdf.crs))
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


def refused_or_read(read, importer: str, path: Path) -> Batch | None:
    """Run a reader on ``path``: it refuses with a LoadError that says where, or returns a well-formed Batch.

    Any other exception fails the property. Returns the batch, or None when the input was refused.
    """
    TRIED[importer] += 1
    try:
        batch = read()
    except LoadError as error:
        TRIED[f"{importer} refused"] += 1
        assert_says_where(error, path)
        return None
    assert_well_formed(batch)
    return batch


def assert_says_where(error: LoadError, path: Path) -> None:
    """Every problem names the file, a row that the file can have, and a field by name, as its text shows."""
    rows = most_rows(path.read_bytes())
    assert error.problems
    for problem in error.problems:
        text = str(problem)
        assert problem.message.strip() and "Traceback" not in text
        assert Path(problem.file) == path and text.startswith(str(path)), text
        assert problem.row is None or 1 <= problem.row <= rows, (problem.row, rows, text)
        assert problem.row is None or f"row {problem.row}" in text
        assert problem.field is None or (problem.field.strip() and f"field '{problem.field}'" in text), text
        assert text in str(error)


def most_rows(data: bytes) -> int:
    """An upper bound of the row numbers a reader may name: the lines of a text, plus the items of a JSON list."""
    bound = len(data.splitlines()) + 1
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError):
        return bound
    if isinstance(payload, dict):
        payload = payload.get("features", payload.get("value"))
    return bound + (len(payload) if isinstance(payload, list) else 0)


def assert_well_formed(batch: Batch) -> None:
    """Rows in the working tables' shape: known columns, codes of their level, a figure only where one is."""
    assert isinstance(batch, Batch) and batch.rows_in >= 0
    observations = batch.observations
    assert list(observations.columns) == OBSERVATION_COLUMNS
    assert observations["status"].isin(STATUSES).all()
    has_figure = observations["status"].isin([OK, ESTIMATE])
    assert (observations["value"].notna() == has_figure).all(), "a figure exactly where the status says so"
    assert np.isfinite(observations.loc[has_figure, "value"].astype(float)).all()
    assert all(level_of(code) == level for code, level in zip(observations["code"], observations["level"]))
    if batch.regions is not None:
        assert list(batch.regions.columns) == REGION_COLUMNS and batch.regions.crs.to_epsg() == 28992
        assert set(batch.regions.geom_type) <= {"MultiPolygon"}
        assert all(level_of(code) == level for code, level in zip(batch.regions["code"], batch.regions["level"]))
    for frame in batch.replace.values():
        assert len(frame) <= batch.rows_in


# --- values --------------------------------------------------------------------------------------------------------

CELLS = st.one_of(st.none(), st.booleans(), st.integers(-10**300, 10**300), st.floats(), st.text(max_size=30),
                  st.from_regex(r"\A\s*-?\d{1,12}([.,]\d{0,6})?(e[+-]?\d{1,3})?\s*\Z"),
                  st.sampled_from([".", "x", "-", "?", "-99997", "-99999999", "nan", "inf", "1,5", "1.234,5"]))


@examples(300)
@given(CELLS)
def test_parse_value_gives_a_finite_number_a_status_or_a_value_error(cell):
    TRIED["parse_value"] += 1
    try:
        value, status = parse_value(cell)
    except ValueError as error:
        TRIED["parse_value refused"] += 1
        assert str(error).strip()
        assert isinstance(cell, (bool, str, float)), "None and whole numbers in the float range are always read"
        assert not (isinstance(cell, float) and math.isfinite(cell)), "a finite float is always read"
        assert not (isinstance(cell, str) and is_decimal(cell)), f"a plain decimal numeral was refused: {cell!r}"
        return
    assert status in STATUSES
    assert (value is None) == (status != "ok")
    assert value is None or math.isfinite(value)


@examples(200)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-99989))
def test_a_finite_figure_survives_being_written_as_text(number):
    TRIED["parse_value"] += 1
    assert parse_value(repr(number)) == (number, "ok")
    assert parse_value(f"  {number!r}  ") == (number, "ok")
    if "." in repr(number) and "e" not in repr(number):
        assert parse_value(repr(number).replace(".", ",")) == (number, "ok")   # a Dutch decimal comma


@examples(50, shrink=False)
@given(st.integers(min_value=10**308, max_value=10**400) | st.integers(min_value=-10**400, max_value=-10**308))
def test_parse_value_of_integers_beyond_the_float_range(number):
    TRIED["parse_value"] += 1
    try:
        expected = float(number)
    except OverflowError:
        with pytest.raises(ValueError, match="not a finite number"):
            parse_value(number)
        return
    assert parse_value(number) == ((expected, OK) if number > 0 else (None, MISSING))   # CBS sentinels are < -99990


DECIMAL = re.compile(r"\s*-?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d{1,3})?\s*")


def is_decimal(text: str) -> bool:
    """A plain decimal numeral (point or comma, optional exponent) whose value is a finite float."""
    if not DECIMAL.fullmatch(text):
        return False
    return math.isfinite(float(text.strip().replace(",", ".")))


# --- readers on arbitrary input ------------------------------------------------------------------------------------

BYTES = st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
                  st.text(max_size=200).map(lambda t: t.encode("utf-16")))


def csv_text(header: list[str]):
    """CSV-ish text: the real header (sometimes), then rows of arbitrary cells joined by ; , or tab."""
    cell = st.one_of(st.text(max_size=12), st.sampled_from(["", "GM9999", "WK999901", "BU99990000", "2022JJ00",
                                                            "20300", "MW00000", "=1+1", "9" * 400, "1e308", "ja"]))
    row = st.lists(cell, max_size=len(header) + 2)
    return st.tuples(st.sampled_from([";", ",", "\t"]), st.booleans(), st.lists(row, max_size=6)).map(
        lambda t: "\n".join([t[0].join(header)] * t[1] + [t[0].join(r) for r in t[2]]))


HEALTH_HEADER = ["ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Eenzaam_28", "ErnstigZeerErnstigEenzaam_29"]
INITIATIVES_HEADER = ["id", "naam", "thema", "status", "startdatum", "einddatum", "lengtegraad", "breedtegraad",
                      "rd_x", "rd_y", "buurtcode", "wijkcode", "openbaar"]
AGENDA_HEADER = ["id", "wijkcode", "titel", "thema", "status", "voortgang (%)", "startdatum", "deadline",
                 "bovenliggend", "indicator", "basisjaar", "richting", "doel", "openbaar"]


@examples(60)
@given(st.one_of(BYTES, csv_text(HEALTH_HEADER).map(str.encode)))
def test_the_health_reader_refuses_or_reads_any_bytes(folder, catalog, data):
    from etl.sources.health import read_health_file

    path = write(folder, "50120NED_gezondheid.csv", data)
    refused_or_read(lambda: read_health_file(path, catalog), "health", path)


@examples(60)
@given(st.one_of(BYTES, csv_text(INITIATIVES_HEADER).map(str.encode)))
def test_the_initiatives_reader_refuses_or_reads_any_csv(folder, regions, data):
    from etl.sources.initiatives import read_initiatives

    path = write(folder, "initiatieven.csv", data)
    refused_or_read(lambda: read_initiatives(path, regions, 2024), "initiatives", path)


@examples(60)
@given(st.one_of(BYTES, csv_text(AGENDA_HEADER).map(str.encode)))
def test_the_agenda_reader_refuses_or_reads_any_csv(folder, regions, data):
    from etl.sources.agenda import read_agenda

    path = write(folder, "wijkagenda.csv", data)
    wijken = regions.loc[regions["level"] == "wijk", "code"]
    refused_or_read(lambda: read_agenda(path, wijken, {"laag_inkomen": "lower_is_better"}, 2024), "agenda", path)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**300, 10**300), st.floats(allow_nan=False),
                    st.text(max_size=15), st.sampled_from(["GM9999    ", "WK999901", "BU99990000", "NL01", "."]))
KERNCIJFERS_KEYS = st.sampled_from(["ID", "WijkenEnBuurten", "AantalInwoners_5", "HuishoudensTotaal_29", "Iets_1"])


def kerncijfers_payload(cells):
    rows = st.lists(st.dictionaries(KERNCIJFERS_KEYS, cells, max_size=5), max_size=5)
    return st.one_of(rows, st.fixed_dictionaries({"odata.metadata": st.just("x/OData/85984NED/$metadata#T"),
                                                   "value": rows}), st.recursive(SCALARS, lambda inner: st.lists(
                                                       inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                             inner, max_size=3),
                                                       max_leaves=8))


@examples(80)
@given(st.one_of(BYTES, kerncijfers_payload(SCALARS).map(lambda p: json.dumps(p).encode())))
def test_the_kerncijfers_reader_refuses_or_reads_any_json(folder, catalog, data):
    from etl.sources.kerncijfers import read_kerncijfers_file

    path = write(folder, "85984NED_TypedDataSet.json", data)
    refused_or_read(lambda: read_kerncijfers_file(path, catalog), "kerncijfers", path)


@examples(80, shrink=False)
@given(kerncijfers_payload(st.one_of(SCALARS, st.lists(SCALARS, max_size=2),
                                     st.dictionaries(st.text(max_size=3), SCALARS, max_size=2))))
def test_the_kerncijfers_reader_refuses_nested_cells(folder, catalog, payload):
    from etl.sources.kerncijfers import read_kerncijfers_file

    path = write(folder, "85984NED_TypedDataSet.json", json.dumps(payload))
    refused_or_read(lambda: read_kerncijfers_file(path, catalog), "kerncijfers", path)


POLYGON = st.lists(st.tuples(st.floats(150_000, 160_000), st.floats(450_000, 460_000)), min_size=3, max_size=6).map(
    lambda ring: {"type": "Polygon", "coordinates": [[list(p) for p in ring + ring[:1]]]})
GEOMETRY = st.one_of(st.none(), POLYGON, st.just({"type": "Point", "coordinates": [155000, 455000]}),
                     st.just({"type": "Polygon", "coordinates": []}), st.text(max_size=5))
FEATURE = st.fixed_dictionaries({
    "type": st.just("Feature"), "geometry": GEOMETRY,
    "properties": st.fixed_dictionaries({"buurtcode": st.sampled_from(["BU99990000", "BU99990001", "WK999900", "X", ""]),
                                         "jaar": st.sampled_from([2024, 2023, "2024", None]),
                                         "aantal_inwoners": SCALARS})})
GEOJSON = st.lists(FEATURE, max_size=4).map(lambda features: json.dumps(
    {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
     "features": features}).encode())


@examples(60)
@given(st.one_of(BYTES, GEOJSON))
def test_the_boundaries_reader_refuses_or_reads_any_geojson(folder, catalog, data):
    from etl.sources.boundaries import read_boundaries

    path = write(folder, "buurten_2024.geojson", data)
    refused_or_read(lambda: read_boundaries(path, catalog), "boundaries", path)


@examples(60)
@given(st.one_of(BYTES, st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["type", "features", "properties", "geometry", "coordinates", "id", "naam"]), inner, max_size=4),
    max_leaves=10).map(lambda p: json.dumps(p).encode())))
def test_the_initiatives_reader_refuses_or_reads_any_json(folder, regions, data):
    """Arbitrary JSON that is not a FeatureCollection: refused."""
    from etl.sources.initiatives import read_initiatives

    try:
        assume(json.loads(data).get("type") != "FeatureCollection")
    except (ValueError, AttributeError, UnicodeDecodeError):
        pass
    path = write(folder, "initiatieven.geojson", data)
    assert refused_or_read(lambda: read_initiatives(path, regions, 2024), "initiatives", path) is None


@examples(60, shrink=False)
@given(st.one_of(st.integers(), st.text(max_size=3), st.lists(st.one_of(
    st.text(max_size=3), st.integers(), st.fixed_dictionaries({"type": st.just("Feature"), "properties": st.one_of(
        st.lists(st.text(max_size=3), max_size=2), st.text(max_size=3))})), min_size=1, max_size=3)))
def test_the_initiatives_reader_refuses_any_feature_collection(folder, regions, features):
    from etl.sources.initiatives import read_initiatives

    path = write(folder, "initiatieven.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    assert refused_or_read(lambda: read_initiatives(path, regions, 2024), "initiatives", path) is None


# --- well-formed files round-trip ----------------------------------------------------------------------------------

# What a person types in a cell: any text but control characters, already without surrounding spaces (the
# readers strip cells); HTML and formula-like text stay verbatim (escaping is the dashboard's job).
CELL_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=25).map(str.strip).filter(bool)
FIGURES = st.one_of(st.none(), st.integers(-10**15, 10**15), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from([-99997, -99995, -99999997, -99999999, 0, 0.5]))


def initiative_rows(codes: list[str]):
    config = columns_config()
    choices = {"status": config["statuses"] + list(config["status_aliases"]), "theme": config["themes"],
               "public": ["ja", "nee", "Ja", "NEE", "1", "0", "true", "false"]}
    row = st.fixed_dictionaries({"name": CELL_TEXT, "buurtcode": st.sampled_from(codes),
                                 **{name: st.sampled_from(values) for name, values in choices.items()}})
    return st.lists(row, min_size=1, max_size=8)


@examples(60)
@given(data=st.data())
def test_initiatives_written_as_csv_read_back_as_written(folder, regions, data):
    from etl.sources.initiatives import read_initiatives

    buurten = sorted(regions.loc[regions["level"] == "buurt", "code"])
    rows = data.draw(initiative_rows(buurten))
    ids = data.draw(st.lists(CELL_TEXT, min_size=len(rows), max_size=len(rows), unique_by=str.casefold))
    delimiter = data.draw(st.sampled_from([";", ",", "\t"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["id", "naam", "thema", "status", "buurtcode", "openbaar"])
    writer.writerows([identifier, row["name"], row["theme"], row["status"], row["buurtcode"], row["public"]]
                     for identifier, row in zip(ids, rows))
    path = write(folder, "initiatieven.csv", out.getvalue())
    batch = refused_or_read(lambda: read_initiatives(path, regions, 2024), "initiatives round-trip", path)

    assert batch is not None, "a well-formed file is read"
    frame = batch.replace["initiatives"]
    aliases = columns_config()["status_aliases"]
    assert batch.rows_in == len(frame) == len(rows)
    assert list(frame["id"]) == ids and list(frame["name"]) == [row["name"] for row in rows]
    assert list(frame["theme"]) == [row["theme"] for row in rows]
    assert list(frame["status"]) == [aliases.get(row["status"], row["status"]) for row in rows]
    assert list(frame["buurt_code"]) == [row["buurtcode"] for row in rows]
    assert list(frame["wijk_code"]) == [wijk_of(row["buurtcode"]) for row in rows]
    assert list(frame["public"]) == [row["public"].casefold() in ("ja", "1", "true") for row in rows]


@examples(60)
@given(st.lists(FIGURES, min_size=1, max_size=12), st.data())
def test_kerncijfers_written_as_json_read_back_as_written(folder, catalog, regions, figures, data):
    from etl.sources.kerncijfers import read_kerncijfers_file

    codes = data.draw(st.lists(st.sampled_from(sorted(regions["code"])), min_size=len(figures),
                               max_size=len(figures), unique=True))
    rows = [{"ID": n, "WijkenEnBuurten": code.ljust(10), "AantalInwoners_5": figure}
            for n, (code, figure) in enumerate(zip(codes, figures))]
    path = write(folder, "85984NED_TypedDataSet.json",
                 json.dumps({"odata.metadata": "https://example.test/OData/85984NED/$metadata#T", "value": rows}))
    batch = refused_or_read(lambda: read_kerncijfers_file(path, catalog), "kerncijfers round-trip", path)

    assert batch is not None, "a well-formed file is read"
    observations = batch.observations.set_index("code")
    assert batch.rows_in == len(rows) and sorted(observations.index) == sorted(codes)
    assert set(observations["indicator_id"]) == {"inwoners"} and set(observations["year"]) == {2024}
    for code, figure in zip(codes, figures):
        value, status = parse_value(figure)
        assert observations.at[code, "status"] == status
        assert (value is None and pd.isna(observations.at[code, "value"])) or observations.at[code, "value"] == value


# --- the view in the URL -------------------------------------------------------------------------------------------

AVAILABLE = Available(
    themes={"laag_inkomen": "armoede", "sociaal_minimum": "armoede", "inwoners": "bevolking", "eenzaam": "eenzaamheid"},
    years={("laag_inkomen", "buurt"): [2021, 2022], ("laag_inkomen", "wijk"): [2022], ("inwoners", "buurt"): [2024],
           ("eenzaam", "gemeente"): [2020, 2022]})
URL_VALUES = st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none(),
                       st.lists(st.text(max_size=3), max_size=2), st.sampled_from(
                           ["laag_inkomen", "armoede", "buurt", "wijk", "2022", "2021", "5", "1", "ja", "52.1", "5.3",
                            "12", "en", "agenda", "natural_breaks", "BU99990000", "WK999901", "GM9999",
                            "GM9999' OR 1=1 --", "../../etc/passwd", "1e308", "nan", "inf", "-0"]))
URL_KEYS = st.one_of(st.sampled_from(list(KEYS.values())), st.text(max_size=8))


def assert_allowed(state: ViewState) -> None:
    assert state.indicator in AVAILABLE.themes
    assert state.theme == AVAILABLE.themes[state.indicator]
    assert state.level in LEVELS
    years = AVAILABLE.years_of(state.indicator, state.level)
    assert state.year in years if years else state.year is None
    assert state.scheme in SCHEMES and state.k in K_RANGE and isinstance(state.fixed, bool)
    assert state.region is None or is_code(state.region)
    assert state.lat is None or 50.5 <= state.lat <= 54.0
    assert state.lon is None or 3.0 <= state.lon <= 7.5
    assert state.zoom is None or 6 <= state.zoom <= 18
    assert state.lang in LANGUAGES and state.layer in LAYERS


@examples(300)
@given(st.dictionaries(URL_KEYS, URL_VALUES, max_size=12))
def test_any_query_dict_gives_a_view_that_exists(query):
    TRIED["parse_state"] += 1
    state = parse_state(query, AVAILABLE)
    assert_allowed(state)
    assert parse_state(state.to_query(), AVAILABLE) == state, "the URL written for a view restores it"


@examples(200)
@given(st.one_of(st.text(max_size=200), st.lists(st.tuples(URL_KEYS, URL_VALUES.map(str)), max_size=10).map(
    lambda pairs: "?" + "&".join(f"{k}={v}" for k, v in pairs))))
def test_any_query_string_gives_a_view_that_exists(query):
    TRIED["parse_state"] += 1
    state = parse_state(query, AVAILABLE)
    assert_allowed(state)
    assert parse_state(state.to_query(), AVAILABLE) == state
