"""Coordinate reference systems: reprojecting to RD New and checking the result lies in the Netherlands."""
from __future__ import annotations

import geopandas as gpd
import numpy as np

RD = "EPSG:28992"
WGS84 = "EPSG:4326"

# (xmin, ymin, xmax, ymax) of the Netherlands, a little generous (the EEZ and Buitenland reach further).
RD_BOUNDS = (-25_000.0, 250_000.0, 330_000.0, 650_000.0)
LONLAT_BOUNDS = (2.0, 50.0, 8.5, 54.5)


def to_rd(gdf: gpd.GeoDataFrame, source_name: str) -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to EPSG:28992 and check it lies within the Netherlands.

    A frame without CRS is taken as lon/lat (the GeoJSON default) or RD when its coordinates
    fit one of them. Raises ``ValueError`` naming ``source_name`` when the CRS is missing and
    cannot be guessed, or when the result lies outside the Netherlands (a wrong CRS label).

    >>> from shapely import Point
    >>> rd = to_rd(gpd.GeoDataFrame(geometry=[Point(5.3872, 52.1552)]), "amersfoort")
    >>> [int(round(v, -2)) for v in rd.total_bounds[:2]]
    [155000, 463000]
    """
    bounds = gdf.total_bounds
    if gdf.crs is None:
        guessed = guess_crs(bounds)
        if guessed is None:
            raise ValueError(f"{source_name}: no CRS given and coordinates {_show(bounds)} are neither "
                             f"lon/lat ({WGS84}) nor RD ({RD}) within the Netherlands")
        gdf = gdf.set_crs(guessed)
    rd = gdf.to_crs(RD)
    if len(rd) and not within(rd.total_bounds, RD_BOUNDS):
        raise ValueError(f"{source_name}: coordinates lie outside the Netherlands after reprojecting "
                         f"from {gdf.crs.to_string()} to {RD}; the CRS of the file is probably wrong"
                         f"{_hint(bounds, gdf.crs)} (coordinates {_show(bounds)})")
    return rd


def guess_crs(bounds) -> str | None:
    """``WGS84`` or ``RD`` when bounds ``(xmin, ymin, xmax, ymax)`` fit the Netherlands in that CRS, else None."""
    if within(bounds, LONLAT_BOUNDS):
        return WGS84
    if within(bounds, RD_BOUNDS):
        return RD
    return None


def within(bounds, box) -> bool:
    """Whether finite ``bounds`` lie inside ``box``; NaN bounds (nothing to check) count as inside."""
    bounds = np.asarray(bounds, dtype=float)
    if np.isnan(bounds).all():
        return True
    if not np.isfinite(bounds).all():
        return False
    xmin, ymin, xmax, ymax = bounds
    return bool(box[0] <= xmin and box[1] <= ymin and xmax <= box[2] and ymax <= box[3])


def _hint(bounds, crs) -> str:
    guessed = guess_crs(bounds)
    if guessed is None or crs.equals(guessed):
        return ""
    kind = "lon/lat degrees" if guessed == WGS84 else "RD metres"
    return f"; the coordinates look like {kind} ({guessed})"


def _show(bounds) -> str:
    return "x {:.6g}..{:.6g}, y {:.6g}..{:.6g}".format(bounds[0], bounds[2], bounds[1], bounds[3])
