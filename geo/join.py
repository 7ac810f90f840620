"""Point-in-polygon: which region a point lies in, and reprojecting points between lon/lat and RD.

Pure: no database, no Dash. Points and regions are in EPSG:28992 (RD New); lon/lat is EPSG:4326 in x/y order.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

RD = "EPSG:28992"
WGS84 = "EPSG:4326"

_LONLAT_TO_RD = Transformer.from_crs(WGS84, RD, always_xy=True)
_RD_TO_LONLAT = Transformer.from_crs(RD, WGS84, always_xy=True)


def lonlat_to_rd(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Reproject lon/lat degrees (EPSG:4326) to RD metres (EPSG:28992).

    >>> x, y = lonlat_to_rd([5.387206], [52.155172])
    >>> int(round(x[0], -2)), int(round(y[0], -2))
    (155000, 463000)
    """
    x, y = _LONLAT_TO_RD.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(x), np.atleast_1d(y)


def rd_to_lonlat(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Reproject RD metres (EPSG:28992) to lon/lat degrees (EPSG:4326), x = lon.

    >>> lon, lat = rd_to_lonlat([155000], [463000])
    >>> round(float(lon[0]), 3), round(float(lat[0]), 3)
    (5.387, 52.155)
    """
    lon, lat = _RD_TO_LONLAT.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.atleast_1d(lon), np.atleast_1d(lat)


def assign_points(points_rd, regions: gpd.GeoDataFrame) -> np.ndarray:
    """The ``code`` of the region each point lies in (None where none), points and regions in EPSG:28992.

    A point on a shared border belongs to the first such region in ``regions`` order, so the answer is
    deterministic. ``None`` entries among the points give ``None``.

    >>> regions = gpd.GeoDataFrame({"code": ["A", "B"]}, geometry=[shapely.box(0, 0, 10, 10),
    ...                            shapely.box(10, 0, 20, 10)], crs=RD)
    >>> assign_points([shapely.Point(5, 5), shapely.Point(15, 5), shapely.Point(50, 50), None], regions).tolist()
    ['A', 'B', None, None]
    """
    if regions.crs is not None and regions.crs.to_epsg() != 28992:
        raise ValueError(f"regions must be in {RD}, not {regions.crs}")
    points = np.asarray(points_rd, dtype=object).reshape(-1)
    codes = np.full(len(points), None, dtype=object)
    present = np.array([p is not None and not shapely.is_empty(p) for p in points], dtype=bool)
    if not present.any() or len(regions) == 0:
        return codes
    tree = shapely.STRtree(np.asarray(regions.geometry.values, dtype=object))
    point_index, region_index = tree.query(points[present], predicate="intersects")
    first = {}
    for p, r in zip(point_index.tolist(), region_index.tolist()):
        if p not in first or r < first[p]:
            first[p] = r
    region_codes = regions["code"].to_numpy(dtype=object)
    targets = np.flatnonzero(present)
    for p, r in first.items():
        codes[targets[p]] = region_codes[r]
    return codes
