"""geo/join.py: point-in-polygon assignment and lon/lat ⇄ RD for points."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.join import assign_points, lonlat_to_rd, rd_to_lonlat

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


@pytest.fixture(scope="module")
def buurten() -> gpd.GeoDataFrame:
    """The demo buurten of 2024, one row per code (the separate water part merged), as [code, geometry]."""
    layer = gpd.read_file(DEMO / "wijkenbuurten_2024.gpkg", layer="buurten")
    dissolved = layer.dissolve("buurtcode", as_index=False, sort=True)
    return dissolved.rename(columns={"buurtcode": "code"})[["code", "geometry"]]


class TestAssignPoints:
    def test_representative_point_of_each_buurt_lands_in_that_buurt(self, buurten):
        points = shapely.point_on_surface(buurten.geometry.values)
        assert assign_points(points, buurten).tolist() == buurten["code"].tolist()

    def test_rd_and_wgs84_input_give_the_same_buurt(self, buurten):
        points = shapely.point_on_surface(buurten.geometry.values[:10])
        lon, lat = rd_to_lonlat(shapely.get_x(points), shapely.get_y(points))
        x, y = lonlat_to_rd(lon, lat)
        again = shapely.points(x, y)
        assert assign_points(again, buurten).tolist() == assign_points(points, buurten).tolist()
        assert np.allclose(x, shapely.get_x(points), atol=1e-3) and np.allclose(y, shapely.get_y(points), atol=1e-3)

    def test_points_outside_every_region_and_missing_points_give_none(self, buurten):
        far = shapely.Point(100_000, 400_000)
        assert assign_points([far, None, shapely.Point()], buurten).tolist() == [None, None, None]

    def test_a_point_on_a_shared_border_goes_to_the_first_region(self):
        regions = gpd.GeoDataFrame({"code": ["A", "B"]},
                                   geometry=[shapely.box(0, 0, 10, 10), shapely.box(10, 0, 20, 10)], crs="EPSG:28992")
        assert assign_points([shapely.Point(10, 5)], regions).tolist() == ["A"]

    def test_regions_in_another_crs_are_refused(self):
        regions = gpd.GeoDataFrame({"code": ["A"]}, geometry=[shapely.box(4, 52, 5, 53)], crs="EPSG:4326")
        with pytest.raises(ValueError, match="EPSG:28992"):
            assign_points([shapely.Point(4.5, 52.5)], regions)


class TestReproject:
    def test_amersfoort_is_the_rd_origin_area(self):
        x, y = lonlat_to_rd([5.387206], [52.155172])
        assert x[0] == pytest.approx(155_000, abs=2) and y[0] == pytest.approx(463_000, abs=2)

    def test_round_trip(self):
        lon, lat = rd_to_lonlat([121_000, 200_000], [487_000, 500_000])
        x, y = lonlat_to_rd(lon, lat)
        assert np.allclose(x, [121_000, 200_000], atol=1e-3) and np.allclose(y, [487_000, 500_000], atol=1e-3)
