"""Real files as they come: what the published files hold when boundaries and figures do not line up.

Built from the real extracts in ../shared/cbs (skipped where absent), loaded under other indeling years to make
the situations of issue #12: national gemeenten for 2022, one gemeente's buurten for 2021 (codes only, in the
layout of CBS's gebiedsindelingen service), 2023 and 2024, and RIVM figures of 2020.
"""
from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard import views
from dashboard.db import PublishedData, open_read_only
from etl import jobs
from etl.catalog import load_catalog
from etl.publish import publish

BAARN = "boundaries/buurten_2024_GM0308_baarn_pdok_wfs.geojson"
GEMEENTEN = "boundaries/gemeenten_2023_pdok_wfs_simplified.geojson"
RIVM = "health/rivm_50120NED_gezondheid_wijk_buurt_2020_18plus.csv"
NAMELESS = "BU03089999"     # a buurt that no file names


def gebiedsindelingen(baarn: gpd.GeoDataFrame, year: int, names: bool) -> gpd.GeoDataFrame:
    """Baarn's buurten as the gebiedsindelingen service writes them: statcode, statnaam, jrstatcode, rubriek."""
    frame = gpd.GeoDataFrame({"statcode": baarn["buurtcode"], "jrstatcode": f"{year}" + baarn["buurtcode"],
                              "rubriek": "buurt", "geometry": baarn.geometry}, crs=baarn.crs)
    if names:
        frame.insert(1, "statnaam", baarn["buurtnaam"].str.upper())
    return frame


@pytest.fixture(scope="module")
def data_dir(shared_cbs, tmp_path_factory):
    data_dir, inputs = tmp_path_factory.mktemp("real-layouts"), tmp_path_factory.mktemp("real-layouts-inputs")
    baarn = gpd.read_file(shared_cbs / BAARN)
    codes_only = gebiedsindelingen(baarn, 2021, names=False)
    corner = codes_only.to_crs("EPSG:28992").total_bounds
    extra = gpd.GeoDataFrame({"statcode": [NAMELESS], "jrstatcode": [f"2021{NAMELESS}"], "rubriek": ["buurt"]},
                             geometry=[box(corner[2], corner[1], corner[2] + 300, corner[1] + 300)],
                             crs="EPSG:28992").to_crs(codes_only.crs)
    pd.concat([codes_only, extra]).to_file(inputs / "buurt_2021.geojson")
    gebiedsindelingen(baarn, 2024, names=True).to_file(inputs / "buurt_2024.geojson")
    adults = pd.read_csv(shared_cbs / RIVM, dtype=str, keep_default_na=False)
    adults[adults["SoortRegio_2"].str.strip().isin(["Land", "Gemeente"])].to_csv(inputs / "rivm_2020.csv",
                                                                                  index=False)
    jobs.load_boundaries(data_dir, file=shared_cbs / GEMEENTEN, year=2022)
    jobs.load_boundaries(data_dir, file=inputs / "buurt_2021.geojson")
    jobs.load_boundaries(data_dir, file=shared_cbs / BAARN, year=2023)
    jobs.load_boundaries(data_dir, file=inputs / "buurt_2024.geojson")
    jobs.load_health(data_dir, file=inputs / "rivm_2020.csv")
    publish(data_dir, load_catalog(), progress=lambda message: None)
    return data_dir


@pytest.fixture(scope="module")
def regions(data_dir) -> pd.DataFrame:
    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        return con.execute("SELECT year, level, code, name FROM regions").fetchdf()
    finally:
        con.close()


@pytest.mark.shared
class TestNames:
    def test_no_region_is_published_without_a_name(self, regions):
        assert regions["name"].notna().all() and (regions["name"].str.strip() != "").all()

    def test_statnaam_is_read(self, regions):
        named = regions.query("year == 2024 and level == 'buurt'").set_index("code")["name"]
        assert named["BU03080401"] == "AMERPOORT SHERPA"

    def test_a_year_without_names_takes_them_from_the_nearest_year(self, regions):
        by_year = regions.query("level == 'buurt'").pivot(index="code", columns="year", values="name")
        both = by_year[2021].notna() & by_year[2023].notna()
        assert both.sum() == 21
        assert (by_year.loc[both, 2021] == by_year.loc[both, 2023]).all(), "2023 is nearer to 2021 than 2024"
        gemeente = regions.query("year == 2021 and level == 'gemeente'")
        assert gemeente["name"].tolist() == ["Baarn"]

    def test_a_region_named_nowhere_shows_its_code(self, regions):
        assert regions.query("code == @NAMELESS")["name"].tolist() == [NAMELESS]

    def test_the_geometry_files_name_every_region(self, data_dir):
        for path in (data_dir / "published" / "geometry").glob("*.geojson"):
            names = [f["properties"]["name"] for f in json.loads(path.read_text())["features"]]
            assert all(isinstance(name, str) and name.strip() for name in names), path.name


@pytest.mark.shared
class TestGeometryYear:
    @pytest.fixture(scope="class")
    def data(self, data_dir):
        return PublishedData(data_dir, "staff")

    def test_figures_go_on_the_indeling_that_holds_most_of_their_codes(self, data):
        """2020 figures of 355 gemeenten: the national gemeenten of 2022, not the one gemeente of 2021."""
        assert views.geometry_year(data, 2020, "gemeente") == 2022

    def test_a_year_with_boundaries_of_its_own_keeps_them(self, data):
        assert views.geometry_year(data, 2021, "gemeente") == 2021
        assert views.geometry_year(data, 2024, "buurt") == 2024

    def test_without_figures_the_nearest_year(self, data):
        assert views.geometry_year(data, 2020, "buurt") == 2021
        assert views.geometry_year(data, None, "buurt") == 2024

    def test_the_map_of_2020_draws_the_gemeenten(self, data):
        drawn = data.rows("map_values", {"indicator": "eenzaam", "year": 2020, "geometry_year": 2022,
                                         "level": "gemeente"})
        assert len(drawn) == 342
        assert sum(row["value"] is not None for row in drawn) > 300

    def test_nederland_is_published_as_a_reference(self, data):
        rows = data.rows("compare_values", ("eenzaam", 2020, ["NL00"]))
        assert [(r["level"], r["value"]) for r in rows] == [("land", 47.0)]
