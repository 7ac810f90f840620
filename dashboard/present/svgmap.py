"""Regions (GeoJSON features in lon/lat) → a static SVG map that prints and needs no tiles. Pure.

The projection is equirectangular with longitudes scaled by the cosine of the middle latitude: at the scale
of a gemeente this is indistinguishable from a proper projection, and it needs no library. Names are
escaped; fills must be ``#rrggbb`` colours.
"""
from __future__ import annotations

import math
import re

import shapely
from markupsafe import Markup, escape

DEFAULT_FILL, STROKE = "#f0f0f0", "#333333"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")


def _rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise ValueError(f"geometry type {geometry['type']!r} is not one of ('Polygon', 'MultiPolygon')")


def projection(features: list[dict], width: float = 480, max_height: float = 420, padding: float = 8):
    """A function lon, lat → x, y in an SVG box, and the box's width and height.

    The features fill ``width`` or ``max_height``, whichever comes first, keeping their shape: one degree of
    longitude is ``cos(middle latitude)`` as long as one degree of latitude. North is up.

    >>> square = {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 53], [5, 52]]]}
    >>> to_xy, w, h = projection([{"geometry": square}], width=100, max_height=1000, padding=0)
    >>> round(w), round(h), to_xy(5, 53)
    (100, 164, (0.0, 0.0))
    """
    points = [point for f in features for ring in _rings(f["geometry"]) for point in ring]
    if not points:
        raise ValueError("no coordinates to draw")
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    stretch = math.cos(math.radians((south + north) / 2))
    span_x, span_y = max((east - west) * stretch, 1e-9), max(north - south, 1e-9)
    scale = min((width - 2 * padding) / span_x, (max_height - 2 * padding) / span_y)

    def to_xy(lon: float, lat: float) -> tuple[float, float]:
        return padding + (lon - west) * stretch * scale, padding + (north - lat) * scale

    return to_xy, span_x * scale + 2 * padding, span_y * scale + 2 * padding


def _path(geometry: dict, to_xy) -> str:
    parts = []
    for ring in _rings(geometry):
        xy = [to_xy(lon, lat) for lon, lat, *_ in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(parts)


def svg_map(features: list[dict], fills: dict[str, str] | None = None, labels: dict[str, str] | None = None,
            title: str = "", width: float = 480, max_height: float = 420) -> Markup:
    """An inline SVG with one ``<path>`` per feature, filled by its code, named in its ``<title>``.

    ``features`` carry ``properties.code`` and ``properties.name`` and a (Multi)Polygon in lon/lat;
    ``fills`` maps a code to a colour (default light grey); ``labels`` maps a code to a short text drawn on
    the region (a number that a key beside the map explains, for instance), placed on its surface.

    >>> tile = {"type": "Feature", "properties": {"code": "BU1", "name": "<b>"},
    ...         "geometry": {"type": "Polygon", "coordinates": [[[5, 52], [6, 52], [6, 53], [5, 52]]]}}
    >>> svg = svg_map([tile], {"BU1": "#ff0000"})
    >>> 'fill="#ff0000"' in svg and "<title>&lt;b&gt; (BU1)</title>" in svg
    True
    """
    if not features:
        return Markup("")
    fills, labels = fills or {}, labels or {}
    to_xy, w, h = projection(features, width, max_height)
    name = escape(title)
    parts = [f'<svg class="svgmap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.1f} {h:.1f}" '
             f'width="{w:.0f}" height="{h:.0f}" role="img" aria-label="{name}"><title>{name}</title>']
    for feature in features:
        code, region_name = feature["properties"]["code"], feature["properties"].get("name") or ""
        fill = fills.get(code, DEFAULT_FILL)
        if not COLOUR.fullmatch(fill):
            raise ValueError(f"fill {fill!r} of {code!r} is not a #rrggbb colour")
        parts.append(f'<path d="{_path(feature["geometry"], to_xy)}" fill="{fill}" fill-rule="evenodd" '
                     f'stroke="{STROKE}" stroke-width="0.8" stroke-linejoin="round" data-code="{escape(code)}">'
                     f"<title>{escape(region_name)} ({escape(code)})</title></path>")
    for feature in features:
        code = feature["properties"]["code"]
        if code in labels:
            spot = shapely.geometry.shape(feature["geometry"]).representative_point()
            x, y = to_xy(spot.x, spot.y)
            parts.append(f'<g class="map-label"><circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="#ffffff" '
                         f'fill-opacity="0.85" stroke="#333333" stroke-width="0.5"/>'
                         f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" dominant-baseline="central" '
                         f'font-size="10" font-family="sans-serif" fill="#000000">{escape(labels[code])}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
