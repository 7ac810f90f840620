import json
from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Polygon, box

from etl.batch import OBSERVATION_COLUMNS, REGION_COLUMNS
from etl.catalog import Catalog, load_catalog
from etl.errors import LoadError
from etl.sources.boundaries import read_boundaries, snake_case
from etl.values import parse_value
from geo.crs import RD, WGS84

# Real extracts under ../shared/cbs, through the `shared_cbs` fixture of tests/etl/conftest.py (skips where absent).
BAARN = "boundaries/buurten_2024_GM0308_baarn_pdok_wfs.geojson"
GEMEENTEN_2023 = "boundaries/gemeenten_2023_pdok_wfs_simplified.geojson"
ORIGIN = (155_000, 463_000)  # Amersfoort, the origin of RD


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def baarn(shared_cbs, catalog):
    return read_boundaries(shared_cbs / BAARN, catalog)


@pytest.fixture(scope="module")
def gemeenten_2023(shared_cbs, catalog):
    return read_boundaries(shared_cbs / GEMEENTEN_2023, catalog)


def square(col, row, size=500):
    x, y = ORIGIN[0] + col * size, ORIGIN[1] + row * size
    return box(x, y, x + size, y + size)


def layer(records, crs=RD):
    return gpd.GeoDataFrame(pd.DataFrame(records), geometry="geometry", crs=crs)


BUURTEN = [
    {"buurtcode": "BU01500101", "buurtnaam": "Noord", "wijkcode": "WK015001", "gemeentecode": "GM0150",
     "water": "NEE", "aantal_inwoners": 1200, "geometry": square(0, 0)},
    {"buurtcode": "BU01500102", "buurtnaam": "Zuid", "wijkcode": "WK015001", "gemeentecode": "GM0150",
     "water": "NEE", "aantal_inwoners": 800, "geometry": square(1, 0)},
    {"buurtcode": "BU01500201", "buurtnaam": "Oost", "wijkcode": "WK015002", "gemeentecode": "GM0150",
     "water": "NEE", "aantal_inwoners": -99997, "geometry": square(2, 0)},
]
WIJKEN = [
    {"wijkcode": "WK015001", "wijknaam": "Wijk 1", "gemeentecode": "GM0150", "water": "NEE",
     "aantal_inwoners": 2000, "geometry": square(0, 0).union(square(1, 0))},
    {"wijkcode": "WK015002", "wijknaam": "Wijk 2", "gemeentecode": "GM0150", "water": "NEE",
     "aantal_inwoners": -99997, "geometry": square(2, 0)},
]
GEMEENTEN = [
    {"gemeentecode": "GM0150", "gemeentenaam": "Deventer", "water": "NEE", "aantal_inwoners": 2005,
     "geometry": box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 1500, ORIGIN[1] + 500)},
    {"gemeentecode": "GM0998", "gemeentenaam": "Buitenland", "water": "B", "aantal_inwoners": None,
     "geometry": square(5, 5)},
]


@pytest.fixture
def pdok_gpkg(tmp_path):
    """A small GeoPackage shaped like PDOK's: three layers, EPSG:28992, snake_case columns, jaar column."""
    path = tmp_path / "wijkenbuurten_2024.gpkg"
    water = {**BUURTEN[1], "water": "JA", "buurtnaam": "Zuid (water)", "aantal_inwoners": 0,
             "geometry": square(1, 1)}
    for name, records in (("gemeenten", GEMEENTEN), ("wijken", WIJKEN), ("buurten", BUURTEN + [water])):
        frame = layer(records).assign(jaar=2024)
        frame.to_file(path, layer=name, driver="GPKG")
    return path


def regions_of(batch, level):
    return batch.regions[batch.regions.level == level].set_index("code")


def observation(batch, code, indicator="inwoners"):
    o = batch.observations
    rows = o[(o.code == code) & (o.indicator_id == indicator)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def raw_status(value):
    return parse_value(value)[1]


class TestSnakeCase:
    @pytest.mark.parametrize("name, folded", [
        ("aantalInwoners", "aantal_inwoners"),
        ("stedelijkheidAdressenPerKm2", "stedelijkheid_adressen_per_km2"),
        ("aantal_inwoners", "aantal_inwoners"),
        ("AANT_INW", "aant_inw"),
        ("BU_CODE", "bu_code"),
        ("percentagePersonen0Tot15Jaar", "percentage_personen_0_tot_15_jaar"),
    ])
    def test_folds(self, name, folded):
        assert snake_case(name) == folded


@pytest.mark.shared
class TestBaarn2024:
    @pytest.fixture
    def raw(self, shared_cbs):
        return json.loads((shared_cbs / BAARN).read_text())

    @pytest.fixture
    def batch(self, baarn):
        return baarn

    def test_levels_and_year(self, batch):
        assert list(batch.regions.columns) == REGION_COLUMNS
        assert batch.regions.level.value_counts().to_dict() == {"buurt": 21, "wijk": 5, "gemeente": 1}
        assert set(batch.regions.year) == {2024}
        assert batch.rows_in == 21
        assert "derived 5 wijken and 1 gemeente from buurten" in batch.notes

    def test_geometry_valid_rd_in_netherlands(self, batch):
        regions = batch.regions
        assert regions.crs.equals(RD)
        assert set(regions.geom_type) == {"MultiPolygon"}
        assert regions.is_valid.all()
        xmin, ymin, xmax, ymax = regions.total_bounds
        assert -10_000 < xmin < xmax < 300_000 and 280_000 < ymin < ymax < 630_000
        gemeente = regions_of(batch, "gemeente").loc["GM0308"]
        assert gemeente["name"] == "Baarn"
        assert gemeente.geometry.area == pytest.approx(regions_of(batch, "buurt").area.sum(), rel=1e-6)

    def test_parents(self, batch):
        buurt = regions_of(batch, "buurt").loc["BU03080401"]
        assert (buurt["name"], buurt.gemeente_code, buurt.wijk_code) == ("Amerpoort Sherpa", "GM0308", "WK030804")
        assert set(regions_of(batch, "wijk").gemeente_code) == {"GM0308"}

    def test_inwoners_equal_raw_values(self, batch, raw):
        expected = {f["properties"]["buurtcode"]: f["properties"]["aantal_inwoners"] for f in raw["features"]}
        o = batch.observations
        got = o[o.indicator_id == "inwoners"].set_index("code").value.to_dict()
        assert got == expected
        assert list(o.columns) == OBSERVATION_COLUMNS
        assert set(o.level) == {"buurt"}  # nothing invented for the derived wijken and gemeente
        assert set(o.source_table) == {"wijkenbuurten_2024"}

    def test_sentinels_become_null_with_status(self, batch, raw):
        o = batch.observations
        for indicator, column in (("laag_inkomen", "percentage_huishoudens_met_laag_inkomen"),
                                  ("inwoners", "aantal_inwoners")):
            rows = o[o.indicator_id == indicator]
            expected = pd.Series([raw_status(f["properties"][column]) for f in raw["features"]]).value_counts()
            assert rows.status.value_counts().to_dict() == expected.to_dict()
            assert rows[rows.status != "ok"].value.isna().all()
        assert (o[o.indicator_id == "laag_inkomen"].status == "missing").all()

    def test_suppressed_value_of_amerpoort_sherpa(self, shared_cbs, catalog):
        one_person = replace(catalog.by_id("huishoudens"), id="eenpersoons", unit="%",
                             boundary_columns=("percentage_eenpersoonshuishoudens",))
        batch = read_boundaries(shared_cbs / BAARN, Catalog(catalog.indicators + (one_person,), catalog.sources))
        row = observation(batch, "BU03080401", "eenpersoons")
        assert (pd.isna(row.value), row.status) == (True, "suppressed")
        assert observation(batch, "BU03080400", "eenpersoons").status == "ok"

    def test_unpublished_columns(self, batch):
        note = next(n for n in batch.notes if n.startswith("not yet published"))
        assert "laag_inkomen" in note and "aardgas" in note and "inwoners" not in note
        cmap = batch.column_map.set_index("indicator_id")
        assert cmap.loc["inwoners"].status == "resolved"
        assert cmap.loc["inwoners"].source_key == "aantal_inwoners"
        assert cmap.loc["laag_inkomen"].status == "unpublished"
        assert cmap.loc["elektriciteit"].source_key == "gemiddeld_elektriciteitsverbruik_totaal"
        assert set(cmap.table_id) == {"wijkenbuurten_2024"}


@pytest.mark.shared
class TestGemeenten2023:
    @pytest.fixture
    def batch(self, gemeenten_2023):
        return gemeenten_2023

    def test_342_gemeenten_without_buitenland(self, batch):
        assert batch.regions.level.value_counts().to_dict() == {"gemeente": 342}
        assert "GM0998" not in set(batch.regions.code)
        assert batch.rows_in == 343
        assert any("GM0998" in note for note in batch.notes)
        assert set(batch.regions.year) == {2023}

    def test_camel_case_inwoners(self, batch):
        row = observation(batch, "GM0150")
        assert (row.value, row.status, row.source_column) == (102_781, "ok", "aantalInwoners")
        assert "GM0998" not in set(batch.observations.code)


class TestGeoPackage:
    def test_three_layers(self, pdok_gpkg, catalog):
        batch = read_boundaries(pdok_gpkg, catalog)
        assert batch.regions.level.value_counts().to_dict() == {"buurt": 3, "wijk": 2, "gemeente": 1}
        assert batch.rows_in == 2 + 2 + 4
        assert regions_of(batch, "wijk").loc["WK015001", "name"] == "Wijk 1"
        assert not any(n.startswith("derived") for n in batch.notes)
        levels = batch.observations.groupby("level").size().to_dict()
        assert levels == {"gemeente": 1, "wijk": 2, "buurt": 3}
        assert observation(batch, "WK015002").status == "suppressed"
        assert observation(batch, "GM0150").value == 2005

    def test_water_part_is_merged(self, pdok_gpkg, catalog):
        batch = read_boundaries(pdok_gpkg, catalog)
        zuid = regions_of(batch, "buurt").loc["BU01500102"]
        assert zuid["name"] == "Zuid"
        assert zuid.geometry.area == pytest.approx(2 * 500 * 500)
        assert observation(batch, "BU01500102").value == 800  # from the land part, not the water part
        assert any(n.startswith("merged") for n in batch.notes)

    def test_year_from_file_name(self, tmp_path, catalog):
        path = tmp_path / "wijkenbuurten_2022.gpkg"
        layer(BUURTEN).to_file(path, layer="buurten")
        assert set(read_boundaries(path, catalog).regions.year) == {2022}
        assert set(read_boundaries(path, catalog, year=2021).regions.year) == {2021}

    def test_year_from_jrstatcode(self, tmp_path, catalog):
        path = tmp_path / "export.gpkg"
        layer(BUURTEN).assign(jrstatcode=lambda f: "2023" + f.buurtcode).to_file(path, layer="export")
        assert set(read_boundaries(path, catalog).regions.year) == {2023}

    def test_no_year_asks_for_it(self, tmp_path, catalog):
        path = tmp_path / "export.gpkg"
        layer(BUURTEN).to_file(path, layer="export")
        with pytest.raises(LoadError, match="--year"):
            read_boundaries(path, catalog)

    def test_qgis_single_layer_with_null_column(self, tmp_path, catalog):
        path = tmp_path / "buurten_qgis.gpkg"
        frame = layer(BUURTEN).drop(columns=["wijkcode", "gemeentecode"])
        frame["opmerking"] = None
        frame["aantal_huishoudens"] = None
        frame.to_file(path, layer="mijn_export")
        batch = read_boundaries(path, catalog, year=2024)
        assert batch.regions.level.value_counts().to_dict() == {"buurt": 3, "wijk": 2, "gemeente": 1}
        assert regions_of(batch, "buurt").loc["BU01500201", "wijk_code"] == "WK015002"
        assert (batch.observations.query("indicator_id == 'huishoudens'").status == "missing").all()
        assert any("huishoudens" in n for n in batch.notes if n.startswith("not yet published"))

    def test_null_parent_code_comes_from_own_code(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.gpkg"
        records = [dict(r) for r in BUURTEN]
        records[2]["wijkcode"] = None
        layer(records).to_file(path, layer="buurten")
        batch = read_boundaries(path, catalog)
        assert regions_of(batch, "buurt").loc["BU01500201", "wijk_code"] == "WK015002"

    def test_statcode_tells_the_level(self, tmp_path, catalog):
        path = tmp_path / "wijken.gpkg"
        frame = layer(WIJKEN).drop(columns=["wijkcode", "gemeentecode"]).assign(statcode=["WK015001", "WK015002"])
        frame.to_file(path, layer="laag1")
        batch = read_boundaries(path, catalog, year=2024)
        assert batch.regions.level.value_counts().to_dict() == {"wijk": 2, "gemeente": 1}

    def test_gebiedsindelingen_layout_gives_names(self, tmp_path, catalog):
        """CBS's gebiedsindelingen service: statcode, statnaam, jrstatcode, rubriek; one level per file."""
        path = tmp_path / "buurt_gegeneraliseerd.geojson"
        records = [{"statcode": b["buurtcode"], "statnaam": b["buurtnaam"], "jrstatcode": "2024" + b["buurtcode"],
                    "rubriek": "buurt", "id": n, "geometry": b["geometry"]} for n, b in enumerate(BUURTEN)]
        layer(records).to_file(path)
        batch = read_boundaries(path, catalog)
        assert set(batch.regions.year) == {2024}
        buurten = regions_of(batch, "buurt")
        assert buurten["name"].to_dict() == {"BU01500101": "Noord", "BU01500102": "Zuid", "BU01500201": "Oost"}
        assert buurten.loc["BU01500201", "wijk_code"] == "WK015002"
        # wijken and the gemeente are dissolved from the buurten: no name in this file (publish fills it)
        assert regions_of(batch, "wijk")["name"].isna().all()

    def test_a_buurt_layer_never_names_its_gemeente_after_itself(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.geojson"
        records = [{"statcode": b["buurtcode"], "statnaam": b["buurtnaam"], "gemeentecode": "GM0150",
                    "geometry": b["geometry"]} for b in BUURTEN]
        layer(records).to_file(path)
        assert regions_of(read_boundaries(path, catalog), "gemeente")["name"].isna().all()

    def test_dbf_names(self, tmp_path, catalog):
        path = tmp_path / "buurt_2019.shp"
        frame = pd.DataFrame(BUURTEN).rename(columns={"buurtcode": "BU_CODE", "buurtnaam": "BU_NAAM",
                                                      "gemeentecode": "GM_CODE", "aantal_inwoners": "AANT_INW",
                                                      "wijkcode": "WK_CODE", "water": "WATER"})
        layer(frame.to_dict("records")).to_file(path)
        batch = read_boundaries(path, catalog)
        assert set(batch.regions.year) == {2019}
        assert regions_of(batch, "buurt").loc["BU01500101", "name"] == "Noord"
        row = observation(batch, "BU01500101")
        assert (row.value, row.source_column) == (1200, "AANT_INW")

    def test_invalid_geometry_is_repaired(self, tmp_path, catalog):
        path = tmp_path / "bowtie_2024.gpkg"
        x, y = ORIGIN
        bowtie = Polygon([(x, y), (x + 500, y + 500), (x + 500, y), (x, y + 500)])
        layer([{**BUURTEN[0], "geometry": bowtie}]).to_file(path, layer="buurten")
        buurt = regions_of(read_boundaries(path, catalog), "buurt").loc["BU01500101"]
        assert buurt.geometry.is_valid and buurt.geometry.geom_type == "MultiPolygon"
        assert buurt.geometry.area == pytest.approx(2 * 500 * 250 / 2)

    def test_geojson_wgs84(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.geojson"
        layer(BUURTEN).to_crs(WGS84).to_file(path)
        batch = read_boundaries(path, catalog)
        assert regions_of(batch, "buurt").loc["BU01500101"].geometry.area == pytest.approx(500 * 500, rel=1e-3)


class TestBadInput:
    def test_missing_file(self, tmp_path, catalog):
        with pytest.raises(LoadError, match="not found") as caught:
            read_boundaries(tmp_path / "nope_2024.gpkg", catalog)
        assert caught.value.problems[0].file.endswith("nope_2024.gpkg")

    def test_truncated_geopackage(self, pdok_gpkg, catalog):
        data = pdok_gpkg.read_bytes()
        pdok_gpkg.write_bytes(data[: len(data) // 2])
        with pytest.raises(LoadError, match="truncated") as caught:
            read_boundaries(pdok_gpkg, catalog)
        assert str(pdok_gpkg) in str(caught.value)

    def test_not_a_gis_file(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.gpkg"
        path.write_text("hello")
        with pytest.raises(LoadError, match="cannot read") as caught:
            read_boundaries(path, catalog)
        assert str(path) in str(caught.value)

    def test_lonlat_labelled_rd(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.geojson"
        lonlat = layer(BUURTEN).to_crs(WGS84)
        lonlat.set_crs(RD, allow_override=True).to_file(path)
        with pytest.raises(LoadError, match="outside the Netherlands") as caught:
            read_boundaries(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.file, problem.field) == (str(path), "geometry")

    def test_no_code_column(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.gpkg"
        layer(BUURTEN).drop(columns=["buurtcode", "wijkcode", "gemeentecode"]).to_file(path, layer="buurten")
        with pytest.raises(LoadError, match="no region code column") as caught:
            read_boundaries(path, catalog)
        assert "buurtcode/wijkcode/gemeentecode" in caught.value.problems[0].field

    @pytest.mark.parametrize("bad", ["BU123", "WK015001"])
    def test_invalid_code(self, tmp_path, catalog, bad):
        path = tmp_path / "buurten_2024.gpkg"
        records = [dict(r) for r in BUURTEN]
        records[1]["buurtcode"] = bad
        layer(records).to_file(path, layer="buurten")
        with pytest.raises(LoadError) as caught:
            read_boundaries(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.row, problem.field, problem.value) == (2, "buurtcode", bad)

    def test_non_numeric_value(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.gpkg"
        records = [{**r, "aantal_inwoners": str(r["aantal_inwoners"])} for r in BUURTEN]
        records[2]["aantal_inwoners"] = "abc"
        layer(records).to_file(path, layer="buurten")
        with pytest.raises(LoadError, match="not a number") as caught:
            read_boundaries(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.row, problem.field, problem.value) == (3, "aantal_inwoners", "abc")

    def test_empty_geometry(self, tmp_path, catalog):
        path = tmp_path / "buurten_2024.geojson"
        records = [dict(r) for r in BUURTEN]
        records[0]["geometry"] = None
        layer(records).to_crs(WGS84).to_file(path)
        with pytest.raises(LoadError) as caught:
            read_boundaries(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.row, problem.field) == (1, "geometry")
