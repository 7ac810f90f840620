"""Exports of what is on screen: CSV that spreadsheets open safely, GeoJSON with its provenance."""
from __future__ import annotations

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading quote; numbers stay numbers.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell(-3.5), safe_cell("Centrum")
    ('\\'=HYPERLINK("http://x")', -3.5, 'Centrum')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: list[str], rows: list[dict]) -> str:
    """CSV with a header, ``;``-separated and decimal commas as Dutch spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(safe_cell(row.get(c))) for c in columns])
    return "\ufeff" + out.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}".replace(".", ",")
    return value


def feature_collection(geometry: dict, rows: dict[str, dict], metadata: dict) -> dict:
    """The published (simplified) geometry with the figures of the view as properties, and provenance."""
    features = []
    for feature in geometry["features"]:
        code = feature["properties"]["code"]
        properties = {"code": code, "name": feature["properties"].get("name"), **rows.get(code, {})}
        features.append({"type": "Feature", "properties": properties, "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}
