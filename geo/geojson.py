"""GeoJSON for the browser: EPSG:4326, lon/lat, rounded, with only the properties the map needs."""
from __future__ import annotations

import json
import re

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


def feature_texts(geometries: np.ndarray, properties: list[dict]) -> list[str]:
    """Each lon/lat geometry with its properties as the GeoJSON text of a Feature, coordinates rounded. GEOS writes
    the geometries (several times faster than Python objects through ``json``); :func:`collection_text` makes a
    FeatureCollection of any of them.

    >>> text, = feature_texts([shapely.box(5.123456, 52.0, 5.2, 52.1)], [{"i": 0, "name": 'Zoë "t Zand'}])
    >>> json.loads(text)["properties"], json.loads(text)["geometry"]["coordinates"][0][2]
    ({'i': 0, 'name': 'Zoë "t Zand'}, [5.12346, 52.1])
    """
    rounded = shapely.set_precision(np.asarray(geometries, dtype=object), 10 ** -DECIMALS, mode="pointwise")
    return ['{"type":"Feature","properties":' + dumps(props) + ',"geometry":' + _LONG.sub(_shortest, shape) + "}"
            for props, shape in zip(properties, shapely.to_geojson(rounded))]


# GEOS writes some coordinates on the grid with 17 digits (53.284910000000004): those as Python writes them
_LONG = re.compile(r"-?\d+\.\d{%d,}" % (DECIMALS + 1))


def _shortest(match: re.Match) -> str:
    return repr(round(float(match.group()), DECIMALS))


def collection_text(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def dumps(collection: dict) -> str:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
