"""geo/geojson.py: GeoJSON text for the browser, written by GEOS, as short as Python would write it."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
import shapely

from geo.geojson import collection_text, feature_texts


def test_features_hold_their_properties_and_geometry_rounded_to_five_decimals():
    rng = np.random.default_rng(7)
    corners = rng.uniform([3.3, 50.7], [7.2, 53.5], (300, 2))
    shapes = [shapely.MultiPolygon([shapely.box(x, y, x + rng.uniform(0.001, 0.02), y + 0.01)]) for x, y in corners]
    properties = [{"i": i, "code": f"BU{i:08d}", "name": f'Zoë "{i}" \'t Zand'} for i in range(len(shapes))]
    collection = json.loads(collection_text(feature_texts(shapes, properties)))
    assert [f["properties"] for f in collection["features"]] == properties
    for shape, feature in zip(shapes, collection["features"]):
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "MultiPolygon"
        written = feature["geometry"]["coordinates"][0][0]
        expected = [value for xy in shape.geoms[0].exterior.coords for value in xy]
        assert [value for xy in written for value in xy] == pytest.approx(expected, abs=6e-6)


def test_no_coordinate_is_written_longer_than_five_decimals():
    """GEOS writes some grid points with 17 digits (53.284910000000004): the bytes every browser downloads."""
    shapes = [shapely.box(6.66391, 53.28491, 6.66392 + k * 1e-5, 53.28492 + k * 1e-5) for k in range(500)]
    text = collection_text(feature_texts(shapes, [{"i": k} for k in range(500)]))
    assert not re.search(r"\d\.\d{6,}", text)
    assert json.loads(text)["features"][0]["geometry"]["coordinates"][0][2] == [6.66391, 53.28492]
