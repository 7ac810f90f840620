"""GeoJSON for the browser: EPSG:4326, lon/lat, rounded, with only the properties the map needs."""
from __future__ import annotations

import json

import numpy as np
import shapely
from pyproj import Transformer

# 5 decimals of a degree is ~1 m: finer than the 10 m simplification, and the bytes the browser waits for.
DECIMALS = 5

_RD_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def rd_to_wgs84(geometries: np.ndarray) -> np.ndarray:
    """Reproject shapely geometries from EPSG:28992 to EPSG:4326 (x = lon, y = lat)."""
    return shapely.transform(np.asarray(geometries, dtype=object),
                             lambda xy: np.column_stack(_RD_TO_WGS84.transform(xy[:, 0], xy[:, 1])))


def feature_collection(geometries: np.ndarray, properties: list[dict]) -> dict:
    """A FeatureCollection of lon/lat geometries with the given properties, coordinates rounded."""
    rounded = shapely.set_precision(np.asarray(geometries, dtype=object), 10 ** -DECIMALS, mode="pointwise")
    features = [{"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)}
                for geom, props in zip(rounded, properties)]
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict) -> str:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
