import geopandas as gpd
import pytest
from shapely import Point, box

from geo.crs import RD, WGS84, guess_crs, to_rd

AMERSFOORT_LONLAT = (5.387, 52.156)
AMERSFOORT_RD = (155_000, 463_000)


def frame(geometries, crs=None):
    return gpd.GeoDataFrame(geometry=geometries, crs=crs)


class TestToRd:
    def test_reprojects_lonlat(self):
        rd = to_rd(frame([Point(*AMERSFOORT_LONLAT)], WGS84), "test")
        assert rd.crs.equals(RD)
        x, y = rd.geometry.iloc[0].coords[0]
        assert x == pytest.approx(AMERSFOORT_RD[0], abs=100)
        assert y == pytest.approx(AMERSFOORT_RD[1], abs=100)

    def test_keeps_rd(self):
        rd = to_rd(frame([box(154_000, 462_000, 156_000, 464_000)], RD), "test")
        assert tuple(rd.total_bounds) == (154_000, 462_000, 156_000, 464_000)

    def test_no_crs_lonlat_is_taken_as_wgs84(self):
        rd = to_rd(frame([Point(*AMERSFOORT_LONLAT)]), "test")
        assert rd.crs.equals(RD)
        assert rd.total_bounds[0] == pytest.approx(AMERSFOORT_RD[0], abs=100)

    def test_no_crs_rd_is_taken_as_rd(self):
        rd = to_rd(frame([Point(*AMERSFOORT_RD)]), "test")
        assert tuple(rd.total_bounds[:2]) == AMERSFOORT_RD

    def test_no_crs_elsewhere_raises(self):
        with pytest.raises(ValueError, match="elsewhere.*no CRS"):
            to_rd(frame([Point(600_000, 6_800_000)]), "elsewhere")

    def test_lonlat_labelled_rd_raises(self):
        with pytest.raises(ValueError, match=r"mislabelled.*outside the Netherlands.*lon/lat"):
            to_rd(frame([Point(*AMERSFOORT_LONLAT)], RD), "mislabelled")

    def test_web_mercator_labelled_rd_raises(self):
        mercator = frame([Point(*AMERSFOORT_LONLAT)], WGS84).to_crs("EPSG:3857").set_crs(RD, allow_override=True)
        with pytest.raises(ValueError, match="outside the Netherlands"):
            to_rd(mercator, "mercator")

    def test_rd_labelled_lonlat_raises(self):
        with pytest.raises(ValueError, match="RD metres"):
            to_rd(frame([Point(*AMERSFOORT_RD)], WGS84), "rd-as-lonlat")

    def test_outside_the_netherlands_raises(self):
        with pytest.raises(ValueError, match="outside the Netherlands"):
            to_rd(frame([Point(2.35, 48.86)], WGS84), "paris")

    def test_empty_frame_passes(self):
        assert len(to_rd(frame([], WGS84), "empty")) == 0


class TestGuessCrs:
    def test_guesses(self):
        assert guess_crs((3.4, 50.8, 7.2, 53.5)) == WGS84
        assert guess_crs((13_000, 306_000, 278_000, 620_000)) == RD
        assert guess_crs((0, 0, 1e6, 1e7)) is None
