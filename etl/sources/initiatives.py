"""Initiatives a gemeente keeps in a spreadsheet or GeoJSON: what, who, where, and whether residents may see it.

One row per initiative (columns and their aliases in ``etl/wijkagenda_columns.toml``). The location is, in this
order of preference: ``lon``/``lat`` (WGS84 degrees), ``x``/``y`` (RD New metres, EPSG:28992), or a ``buurtcode``
or ``wijkcode`` (the region's representative point, shapely ``point_on_surface``). A point is assigned to the buurt
it lies in (point-in-polygon against the buurten of one indeling year, the newest in the working database) and so
to its wijk and gemeente; a wijk-code-only initiative gets the wijk, no buurt. A GeoJSON file carries the location
as its Point geometry (WGS84, or RD when the file says ``EPSG:28992``) and the columns as properties; its rows are
the feature numbers (1 = first feature).

``public`` says whether residents may see an initiative (empty: no); ``contact`` never leaves the staff file.
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from etl.batch import Batch
from etl.codes import level_of, normalise_code
from etl.errors import LoadError
from etl.sources.cells import parse_date, parse_number
from etl.sources.spreadsheet import (Problems, Records, Sheet, parse_bool, parse_status, parse_theme, read_csv,
                                     read_xlsx, records, spec)
from geo.crs import LONLAT_BOUNDS, RD_BOUNDS
from geo.join import assign_points, lonlat_to_rd, rd_to_lonlat

COLUMNS = ["id", "name", "description", "theme", "status", "organisation", "start", "end", "geom", "lon", "lat",
           "buurt_code", "wijk_code", "gemeente_code", "public", "contact"]
SUFFIXES = (".csv", ".xlsx", ".geojson", ".json")


def read_sheet(path: Path) -> Sheet:
    """The one table of an initiatives file (.csv, the first sheet of an .xlsx, or a GeoJSON)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path)[0]
    if suffix in (".geojson", ".json"):
        return geojson_sheet(path)
    raise LoadError(f"unsupported file type {suffix or '(none)'}: use .csv, .xlsx or .geojson", file=str(path))


def read_initiatives(path: Path, regions: gpd.GeoDataFrame, year: int | None = None, *,
                     empty_ok: bool = False) -> Batch:
    """Read, check and locate every initiative of ``path``; every problem is listed in one LoadError.

    ``regions``: the wijken and buurten of one indeling year (columns ``level``, ``code``, ``wijk_code``,
    ``gemeente_code`` and geometry in EPSG:28992). A file with a header but no rows is refused unless ``empty_ok``.
    """
    problems = Problems()
    rows = records(read_sheet(path), spec("initiatives"), problems, empty_ok=empty_ok)
    places = _Places(regions, year)
    out, seen, points = [], {}, []
    for number, cells in rows.rows:
        item = {name: rows.value(number, cells, name)
                for name in ("id", "name", "description", "organisation", "contact")}
        item["theme"] = rows.value(number, cells, "theme", parse_theme)
        item["status"] = rows.value(number, cells, "status", parse_status)
        item["start"] = rows.value(number, cells, "start", parse_date)
        item["end"] = rows.value(number, cells, "end", parse_date)
        public = rows.value(number, cells, "public", parse_bool)
        item["public"] = bool(public)
        if item["start"] and item["end"] and item["end"] < item["start"]:
            rows.problem(f"ends before it starts ({item['start'].isoformat()})", number, "end",
                         item["end"].isoformat())
        rows.unique_id(number, item["id"], seen)
        point, by_code = _location(rows, number, cells, places)
        out.append(item)
        points.append((number, cells, point, by_code))
    _assign(rows, out, points, places)
    problems.raise_if_any()
    frame = pd.DataFrame(out, columns=COLUMNS)
    public = int(frame["public"].sum())
    notes = [f"{len(frame)} initiatives ({public} public), located in the buurten of {places.year}"]
    return Batch(rows_in=len(rows.rows), notes=notes, replace={"initiatives": frame})


class _Places:
    """The regions of one indeling year, by code, with a representative point each."""

    def __init__(self, regions: gpd.GeoDataFrame, year):
        if regions.crs is not None and regions.crs.to_epsg() != 28992:
            raise ValueError(f"regions must be in EPSG:28992, not {regions.crs}")
        self.year = year if year is not None else (int(regions["year"].max()) if "year" in regions else None)
        self.buurten = regions[regions["level"] == "buurt"].reset_index(drop=True)
        self.by_code = {row.code: row for row in regions.itertuples(index=False) if row.level in ("buurt", "wijk")}

    def region(self, code: str, level: str):
        row = self.by_code.get(code)
        return row if row is not None and row.level == level else None

    def representative_point(self, code: str):
        return shapely.point_on_surface(self.by_code[code].geometry)


def _location(rows: Records, number: int, cells: dict, places: _Places):
    """The RD point of a row (or None) and the code it was taken from (None when from coordinates)."""
    lon, lat = (rows.value(number, cells, name, parse_number) for name in ("lon", "lat"))
    x, y = (rows.value(number, cells, name, parse_number) for name in ("x", "y"))
    if _given(cells, "lon") or _given(cells, "lat"):
        return _from_lonlat(rows, number, cells, lon, lat), None
    if _given(cells, "x") or _given(cells, "y"):
        return _from_rd(rows, number, cells, x, y), None
    for name, level in (("buurt_code", "buurt"), ("wijk_code", "wijk")):
        code = _code(rows, number, cells, name, level, places)
        if code:
            return places.representative_point(code), code
        if _given(cells, name):
            return None, "invalid"
    rows.problems.add("no location: give lon/lat, x/y (RD), a buurtcode or a wijkcode", file=rows.source,
                      row=number, field="location")
    return None, None


def _from_lonlat(rows, number, cells, lon, lat):
    field, raw = _pair(rows, cells, "lon", "lat")
    if lon is None or lat is None:
        if _given(cells, "lon") != _given(cells, "lat"):
            rows.problems.add("lon and lat go together: fill both", file=rows.source, row=number, field=field,
                              value=raw)
        return None
    if _inside((lon, lat), LONLAT_BOUNDS):
        x, y = lonlat_to_rd([lon], [lat])
        return shapely.Point(x[0], y[0])
    if _inside((lat, lon), LONLAT_BOUNDS):
        message = "lon and lat are swapped (lon ~3–7, lat ~50–54 in the Netherlands)"
    elif _inside((lon, lat), RD_BOUNDS):
        message = "these look like RD metres (EPSG:28992), not lon/lat degrees: put them in x and y"
    else:
        message = "outside the Netherlands"
    rows.problems.add(message, file=rows.source, row=number, field=field, value=raw)
    return None


def _from_rd(rows, number, cells, x, y):
    field, raw = _pair(rows, cells, "x", "y")
    if x is None or y is None:
        if _given(cells, "x") != _given(cells, "y"):
            rows.problems.add("x and y go together: fill both", file=rows.source, row=number, field=field,
                              value=raw)
        return None
    if _inside((x, y), RD_BOUNDS):
        return shapely.Point(x, y)
    if _inside((x, y), LONLAT_BOUNDS) or _inside((y, x), LONLAT_BOUNDS):
        message = "these look like lon/lat degrees (WGS84), not RD metres: put them in lon and lat"
    elif _inside((y, x), RD_BOUNDS):
        message = "x and y are swapped (RD x ~0–300,000, y ~300,000–620,000)"
    else:
        message = "outside the Netherlands"
    rows.problems.add(message, file=rows.source, row=number, field=field, value=raw)
    return None


def _code(rows, number, cells, name, level, places) -> str | None:
    raw = rows.value(number, cells, name)
    if raw is None:
        return None
    code = normalise_code(raw)
    if level_of(code) != level:
        rows.problem(f"not a {level}code (like {'BU01500101' if level == 'buurt' else 'WK015001'})", number, name,
                     raw)
    elif places.region(code, level) is None:
        rows.problem(f"unknown {level}code: no {level} of indeling {places.year} in the working database", number,
                     name, raw)
    else:
        return code
    return None


def _assign(rows: Records, out: list[dict], points: list, places: _Places) -> None:
    """Buurt, wijk and gemeente of every located row; lon/lat for the map; problems where it does not fit."""
    located = [p[2] for p in points]
    buurt_codes = assign_points(np.array(located, dtype=object), places.buurten)
    for item, (number, cells, point, by_code), buurt_code in zip(out, points, buurt_codes):
        item["geom"] = point
        if point is None:
            continue
        lon, lat = rd_to_lonlat([point.x], [point.y])
        item["lon"], item["lat"] = round(float(lon[0]), 7), round(float(lat[0]), 7)
        if by_code and level_of(by_code) == "wijk":
            wijk = places.region(by_code, "wijk")
            item.update(buurt_code=None, wijk_code=wijk.code, gemeente_code=wijk.gemeente_code)
            continue
        if by_code:
            buurt_code = by_code
        if buurt_code is None:
            field, raw = _pair(rows, cells, "lon", "lat") if _given(cells, "lon") else _pair(rows, cells, "x", "y")
            rows.problems.add(f"lies in no buurt of indeling {places.year} in the working database", file=rows.source,
                              row=number, field=field, value=raw)
            continue
        buurt = places.region(buurt_code, "buurt")
        item.update(buurt_code=buurt.code, wijk_code=buurt.wijk_code, gemeente_code=buurt.gemeente_code)
        _check_codes(rows, number, cells, buurt, places, skip="buurt_code" if by_code else None)


def _check_codes(rows, number, cells, buurt, places, skip=None) -> None:
    """Codes given beside coordinates (or a wijkcode beside a buurtcode) must agree with the buurt."""
    for name, level, expected in (("buurt_code", "buurt", buurt.code), ("wijk_code", "wijk", buurt.wijk_code)):
        if name == skip:
            continue
        code = _code(rows, number, cells, name, level, places)
        if code and code != expected:
            rows.problem(f"the coordinates lie in {level} {expected}, not in {code}", number, name, code)


def _given(cells: dict, name: str) -> bool:
    value = cells.get(name)
    return value is not None and not (isinstance(value, str) and not value.strip()) \
        and not (isinstance(value, float) and np.isnan(value))


def _pair(rows: Records, cells: dict, a: str, b: str):
    return f"{rows.header(a)}/{rows.header(b)}", (cells.get(a), cells.get(b))


def _inside(xy, box) -> bool:
    return box[0] <= xy[0] <= box[2] and box[1] <= xy[1] <= box[3]


# --- GeoJSON ----------------------------------------------------------------------------------------------------

def geojson_sheet(path: Path) -> Sheet:
    """A GeoJSON FeatureCollection as a sheet: its properties as columns, its geometry as lon/lat or x/y."""
    source = str(path)
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise LoadError(f"not a readable GeoJSON file: {error}", file=source) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise LoadError("not a GeoJSON FeatureCollection", file=source)
    crs = json.dumps(data.get("crs") or "")
    names = ("x", "y") if "28992" in crs else ("lon", "lat")
    features = data.get("features") or []
    if not isinstance(features, list):
        raise LoadError("'features' is not a list", file=source, field="features")
    for number, feature in enumerate(features, 1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise LoadError("a feature must be an object with an object of properties", file=source, row=number,
                            field="properties")
    header: list[str] = []
    for feature in features:
        for key in (feature.get("properties") or {}):
            if key not in header:
                header.append(key)
    header += [n for n in names if n not in header]
    rows = []
    for number, feature in enumerate(features, 1):
        properties = feature.get("properties") or {}
        cells = [properties.get(key) for key in header]
        geometry = feature.get("geometry")
        if geometry:
            try:
                point = shapely.geometry.shape(geometry)
            except (ValueError, TypeError, AttributeError, KeyError) as error:
                raise LoadError(f"invalid geometry: {error}", file=source, row=number) from error
            if not point.is_empty:
                point = point if point.geom_type == "Point" else shapely.point_on_surface(point)
                cells[header.index(names[0])], cells[header.index(names[1])] = point.x, point.y
        rows.append((number, cells))
    return Sheet(source, Path(path).stem, header, None, rows)
