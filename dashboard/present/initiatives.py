"""Initiatives → map points: GeoJSON with plain-text properties, filtered by theme and status."""
from __future__ import annotations

from datetime import date

# Paul Tol's colour-blind-safe qualitative colours; the letter on each marker tells the theme too.
THEME_COLOURS = {
    "armoede": "#CC6677", "energie": "#DDCC77", "eenzaamheid": "#AA4499", "bevolking": "#332288",
    "wonen": "#88CCEE", "veiligheid": "#882255", "groen": "#117733", "ontmoeting": "#44AA99",
    "gezondheid": "#999933", "jeugd": "#0077BB", "overig": "#BBBBBB",
}


def theme_colour(theme: str | None) -> str:
    return THEME_COLOURS.get(theme or "overig", THEME_COLOURS["overig"])


def _day(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value else None)


def initiative_points(rows: list[dict], themes: list[str] | None, statuses: list[str] | None) -> dict:
    """A FeatureCollection of the initiatives whose theme and status are chosen (None: all)."""
    features = []
    for row in rows:
        if themes is not None and row["theme"] not in themes:
            continue
        if statuses is not None and row["status"] not in statuses:
            continue
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(row["lon"], 6), round(row["lat"], 6)]},
            "properties": {
                "id": row["id"], "name": row["name"], "organisation": row["organisation"],
                "status": row["status"], "theme": row["theme"], "description": row["description"],
                "start": _day(row["start"]), "end": _day(row["end"]),
                "serves": row.get("agenda_item"), "serves_id": row.get("agenda_item_id"),
                "colour": theme_colour(row["theme"]),
                "letter": (row["theme"] or "overig")[0].upper() if row["theme"] in THEME_COLOURS else "•",
            },
        })
    return {"type": "FeatureCollection", "features": features}
