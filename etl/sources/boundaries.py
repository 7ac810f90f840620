"""Extract the CBS/Kadaster Wijk- en buurtkaart: regions and the kerncijfers it carries as columns.

Reads the PDOK GeoPackage (layers ``gemeenten``, ``wijken``, ``buurten``), PDOK WFS GeoJSON
(snake_case or camelCase attributes), old DBF-style names (``BU_CODE``, ``AANT_INW``), the layout of CBS's
*gebiedsindelingen* service (``statcode``, ``statnaam``, ``jrstatcode``, ``rubriek``) and single layers saved
from QGIS. A region whose file names it nowhere keeps a NULL name here; publish fills it
(etl/sql/publish_staff_regions.sql). Pure: returns a :class:`etl.batch.Batch` or raises :class:`LoadError`.
"""
from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

from etl.batch import COLUMN_MAP_COLUMNS, OBSERVATION_COLUMNS, REGION_COLUMNS, Batch, empty_observations
from etl.catalog import Catalog
from etl.codes import gemeente_of, level_of, normalise_code, wijk_of
from etl.errors import LoadError, Problem
from etl.values import MISSING, OK, parse_value
from geo.crs import RD, to_rd

LEVELS = ("gemeente", "wijk", "buurt")  # coarse to fine
PLURAL = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
CODE_COLUMNS = {"buurt": ("buurtcode", "bu_code"), "wijk": ("wijkcode", "wk_code"),
                "gemeente": ("gemeentecode", "gm_code")}
NAME_COLUMNS = {"buurt": ("buurtnaam", "bu_naam"), "wijk": ("wijknaam", "wk_naam"),
                "gemeente": ("gemeentenaam", "gm_naam")}
STATCODE_COLUMNS = ("statcode", "jrstatcode", "jaarstatcode")
# The name of a feature in the layout of CBS's gebiedsindelingen service (statcode, statnaam, jrstatcode, rubriek):
# a name of the feature's own level, never of its gemeente or wijk.
STATNAAM_COLUMNS = ("statnaam", "jrstatnaam")
WATER_COLUMNS = ("water", "h2o")
WATER_VALUES = {"JA", "J", "1", "TRUE", "Y", "YES"}
BUITENLAND = "GM0998"
MAX_PROBLEMS = 20


def read_boundaries(path, catalog: Catalog, year: int | None = None) -> Batch:
    """Read a Wijk- en buurtkaart file into regions (EPSG:28992) and kerncijfers observations."""
    path = Path(path)
    layers = read_layers(path)
    year = file_year(path, layers, year)
    table = f"wijkenbuurten_{year}"
    parts, values, offset = [], [], 0
    for layer, gdf in layers:
        where = str(path) if len(layers) == 1 else f"{path} (layer {layer})"
        gdf = gdf.set_axis(pd.RangeIndex(offset, offset + len(gdf)))
        parts.append(layer_parts(gdf, layer, where))
        values.append(layer_values(gdf, catalog, where))
        offset += len(gdf)
    parts = pd.concat(parts)
    values = pd.concat(values)

    notes = []
    regions = merge_parts(parts, notes)
    regions = drop_buitenland(regions, notes)
    derived = derive_levels(regions, parts, notes)
    observations = region_values(regions, values, year, table)
    column_map = resolved_columns(observations, catalog, year, table, path.name, notes)
    regions = pd.concat([regions, derived]) if len(derived) else regions
    return Batch(regions=region_frame(regions, year), observations=observations,
                 column_map=column_map, notes=notes, rows_in=offset)


# --- reading -------------------------------------------------------------------------------------------

def read_layers(path: Path) -> list[tuple[str, gpd.GeoDataFrame]]:
    """The layers to read: ``gemeenten``/``wijken``/``buurten`` when present, else every layer with geometry."""
    if not path.is_file():
        raise LoadError("file not found", file=str(path))
    try:
        listed = [(str(name), kind) for name, kind in pyogrio.list_layers(path)]
    except Exception as error:  # pyogrio/GDAL raise many types for unreadable files
        raise unreadable(path, error) from error
    spatial = [name for name, kind in listed if kind is not None]
    known = [name for name in spatial if name.lower() in PLURAL.values()]
    chosen = known or spatial
    if not chosen:
        raise LoadError("no layer with geometry in this file", file=str(path), field="geometry")
    layers = []
    for name in chosen:
        try:
            layers.append((name, pyogrio.read_dataframe(path, layer=name)))
        except Exception as error:
            raise unreadable(path, error, name) from error
    return layers


def unreadable(path: Path, error: Exception, layer: str | None = None) -> LoadError:
    text = " ".join(str(error).split()) or type(error).__name__
    reason = text.rsplit("failed: ", 1)[-1][:160]  # GDAL quotes whole SQL statements before the cause
    what = f"layer {layer!r}" if layer else "the file"
    return LoadError(f"cannot read {what}: is it truncated, corrupt or not a GIS file? ({reason})",
                     file=str(path))


def snake_case(name: str) -> str:
    """Fold a column name to snake_case: camelCase from WFS, UPPER from DBF.

    >>> snake_case("aantalInwoners"), snake_case("stedelijkheidAdressenPerKm2"), snake_case("AANT_INW")
    ('aantal_inwoners', 'stedelijkheid_adressen_per_km2', 'aant_inw')
    >>> snake_case("percentagePersonen0Tot15Jaar")
    'percentage_personen_0_tot_15_jaar'
    """
    if name.islower() or name.isupper() or not any(c.isalpha() for c in name):
        return name.lower()
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()
    return re.sub(r"(?<=[a-z])(?<!km)(?=\d)", "_", name)


def folded_columns(gdf: gpd.GeoDataFrame) -> dict[str, str]:
    """``{snake_case name: original name}`` of the attribute columns (first one wins on a clash)."""
    folded = {}
    for column in gdf.columns:
        if column != gdf.geometry.name:
            folded.setdefault(snake_case(str(column)), column)
    return folded


def first_column(columns: dict[str, str], candidates) -> str | None:
    return next((columns[c] for c in candidates if c in columns), None)


def file_year(path: Path, layers, year: int | None) -> int:
    """The indeling year: the argument, the ``jaar`` column, a ``jrstatcode`` prefix, or the file name."""
    if year is not None:
        return int(year)
    found = set()
    for _, gdf in layers:
        columns = folded_columns(gdf)
        for key, pattern in (("jaar", r"\s*(\d{4})(\.0*)?\s*$"), ("jrstatcode", r"\s*(\d{4})"),
                             ("jaarstatcode", r"\s*(\d{4})")):
            if key in columns:
                found |= {int(m[1]) for v in gdf[columns[key]].dropna() if (m := re.match(pattern, str(v)))}
    if len(found) > 1:
        raise LoadError(f"the file holds several years {sorted(found)}; pass --year", file=str(path), field="jaar")
    if found:
        return found.pop()
    named = re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.stem)
    if named:
        return int(named[-1])
    raise LoadError("cannot tell the year: no jaar or jrstatcode column and no year in the file name; "
                    "pass --year", file=str(path), field="jaar")


# --- regions ---------------------------------------------------------------------------------------------

def detect_level(gdf: gpd.GeoDataFrame, columns: dict[str, str], where: str) -> tuple[str, str]:
    """``(level, code column)`` of the finest level a code column holds: buurtcode/wijkcode/gemeentecode, or a
    statcode column whose codes are all of one level (a buurt layer of gebiedsindelingen may name its gemeente)."""
    found = [(level, first_column(columns, CODE_COLUMNS[level])) for level in LEVELS]
    found = [(level, column) for level, column in found if column is not None]
    column = first_column(columns, STATCODE_COLUMNS)
    if column is not None:
        levels = {level_of(normalise_code(v)) for v in gdf[column].dropna()} & set(LEVELS)
        if len(levels) == 1:
            found.append((levels.pop(), column))
    if found:
        return max(found, key=lambda pair: LEVELS.index(pair[0]))
    expected = "/".join(CODE_COLUMNS[level][0] for level in reversed(LEVELS))
    raise LoadError(f"no region code column: expected one of {expected} (or statcode/jrstatcode)",
                    file=where, field=expected)


def layer_parts(gdf: gpd.GeoDataFrame, layer: str, where: str) -> pd.DataFrame:
    """One row per feature: level, code, names, parent codes, water flag and RD polygon geometry."""
    columns = folded_columns(gdf)
    level, code_column = detect_level(gdf, columns, where)
    problems: list[Problem] = []
    codes = checked_codes(gdf[code_column], level, code_column, where, problems)
    parents = {parent: parent_codes(gdf, columns, level, parent, codes, where, problems)
               for parent in ("gemeente", "wijk")}
    geometry = rd_polygons(gdf, layer, where, problems)
    if problems:
        raise too_many(problems)
    water_column = first_column(columns, WATER_COLUMNS)
    return pd.DataFrame({
        "level": level,
        "code": codes,
        "name": text_column(gdf, first_column(columns, NAME_COLUMNS[level] + STATNAAM_COLUMNS)),
        "gemeente_code": parents["gemeente"],
        "wijk_code": parents["wijk"],
        "gemeente_name": text_column(gdf, first_column(columns, NAME_COLUMNS["gemeente"])),
        "wijk_name": text_column(gdf, first_column(columns, NAME_COLUMNS["wijk"])),
        "water": [str(v).strip().upper() in WATER_VALUES for v in text_column(gdf, water_column)],
        "geometry": geometry,
    }, index=gdf.index)


def checked_codes(raw: pd.Series, level: str, column: str, where: str, problems: list,
                  allow_null: bool = False) -> list[str | None]:
    """Normalised codes; a NULL (unless allowed) or a code of another level is a problem naming row and field."""
    codes = []
    for row, value in enumerate(raw, start=1):
        code = None if is_null(value) or not str(value).strip() else normalise_code(value)
        if code is None and allow_null:
            codes.append(None)
            continue
        if code is None or level_of(code) != level:
            problems.append(Problem(f"not a valid CBS {level} code", file=where, row=row, field=column,
                                    value=None if code is None else value))
        codes.append(code)
    return codes


def parent_codes(gdf, columns: dict[str, str], level: str, parent: str, codes: list, where: str,
                 problems: list) -> list[str | None]:
    """The gemeente or wijk of each row: from its column where filled, else from the row's own code."""
    derived = [(gemeente_of if parent == "gemeente" else wijk_of)(c) if c else None for c in codes]
    column = first_column(columns, CODE_COLUMNS[parent])
    if column is None or LEVELS.index(parent) >= LEVELS.index(level):
        return derived
    given = checked_codes(gdf[column], parent, column, where, problems, allow_null=True)
    return [g or d for g, d in zip(given, derived)]


def text_column(gdf: gpd.GeoDataFrame, column: str | None) -> list[str | None]:
    if column is None:
        return [None] * len(gdf)
    return [None if is_null(v) else str(v).strip() for v in gdf[column]]


def rd_polygons(gdf: gpd.GeoDataFrame, layer: str, where: str, problems: list) -> list:
    """Geometry in EPSG:28992 as valid MultiPolygons; NULL, empty and non-polygonal rows are problems."""
    for row, geom in enumerate(gdf.geometry, start=1):
        if geom is None or geom.is_empty:
            problems.append(Problem("no geometry", file=where, row=row, field="geometry"))
    if problems:
        raise too_many(problems)
    try:
        rd = to_rd(gdf[[gdf.geometry.name]], f"layer {layer!r}")
    except ValueError as error:
        raise LoadError(str(error), file=where, field="geometry") from error
    polygons = [as_multipolygon(geom) for geom in rd.geometry]
    for row, geom in enumerate(polygons, start=1):
        if geom.is_empty:
            problems.append(Problem("geometry is not a polygon", file=where, row=row, field="geometry"))
    return polygons


def as_multipolygon(geom) -> MultiPolygon:
    """The polygonal parts of ``geom``, repaired with ``make_valid`` when invalid."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    return MultiPolygon(polygon_parts(geom))


def polygon_parts(geom) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [] if geom.is_empty else [geom]
    if isinstance(geom, (MultiPolygon, GeometryCollection)):
        return [p for part in geom.geoms for p in polygon_parts(part)]
    return []


def merge_parts(parts: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """One row per (level, code): geometries unioned, attributes from the first land (non-water) part."""
    ordered = parts.assign(part=parts.index).sort_values(["level", "code", "water", "part"], kind="stable")
    first = ordered.drop_duplicates(["level", "code"]).set_index(["level", "code"])
    repeated = ordered[ordered.duplicated(["level", "code"], keep=False)]
    if len(repeated):
        unions = repeated.groupby(["level", "code"]).geometry.agg(union_polygons)
        first["geometry"] = [unions.get(key, geom) for key, geom in zip(first.index, first.geometry)]
        notes.append(f"merged {len(repeated)} features into {len(unions)} regions that repeat a code "
                     f"(e.g. land and water parts)")
    return first.reset_index()


def union_polygons(geometries) -> MultiPolygon:
    return as_multipolygon(shapely.union_all(list(geometries)))


def drop_buitenland(regions: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    abroad = regions.gemeente_code.eq(BUITENLAND) | regions.code.eq(BUITENLAND)
    if abroad.any():
        n = int(abroad.sum())
        notes.append(f"dropped {BUITENLAND} Buitenland ({n} region{'' if n == 1 else 's'})")
    return regions[~abroad]


def derive_levels(regions: pd.DataFrame, parts: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Wijken and gemeenten the file lacks, dissolved from the finest level it has."""
    have = set(regions.level)
    finest = next((level for level in reversed(LEVELS) if level in have), None)
    missing = [level for level in LEVELS[:LEVELS.index(finest)] if level not in have] if finest else []
    if not missing:
        return pd.DataFrame(columns=regions.columns)
    source = regions[regions.level == finest]
    derived = [dissolve(source, parts, level) for level in reversed(missing)]
    made = " and ".join(count(len(frame), level) for frame, level in zip(derived, reversed(missing)))
    notes.append(f"derived {made} from {PLURAL[finest]}")
    return pd.concat(derived)


def dissolve(source: pd.DataFrame, parts: pd.DataFrame, level: str) -> pd.DataFrame:
    key = f"{level}_code"
    names = parts.dropna(subset=[key, f"{level}_name"]).drop_duplicates(key).set_index(key)[f"{level}_name"]
    geometry = source.groupby(key).geometry.agg(union_polygons)
    codes = list(geometry.index)
    return pd.DataFrame({
        "level": level,
        "code": codes,
        "name": [names.get(c) for c in codes],   # None: publish takes a name of another year, else the code
        "gemeente_code": [gemeente_of(c) for c in codes],
        "wijk_code": None,
        "geometry": list(geometry),
        "part": None,
    })


def count(n: int, level: str) -> str:
    return f"{n} {level if n == 1 else PLURAL[level]}"


def region_frame(regions: pd.DataFrame, year: int) -> gpd.GeoDataFrame:
    order = {level: i for i, level in enumerate(LEVELS)}
    regions = regions.assign(year=year, _order=regions.level.map(order)).sort_values(["_order", "code"])
    frame = gpd.GeoDataFrame(regions[REGION_COLUMNS].reset_index(drop=True), geometry="geometry", crs=RD)
    frame["year"] = frame["year"].astype("int64")
    return frame


# --- values ----------------------------------------------------------------------------------------------

def layer_values(gdf: gpd.GeoDataFrame, catalog: Catalog, where: str) -> pd.DataFrame:
    """Long frame (part, indicator_id, value, status, source_column) of every catalog column in a layer."""
    chosen: dict[str, tuple[str, list]] = {}
    problems: list[Problem] = []
    for folded, column in folded_columns(gdf).items():
        indicator = catalog.resolve_boundary_column(folded)
        if indicator is None:
            continue
        parsed = parse_column(gdf[column], column, where, problems)
        known = sum(status == OK for _, status in parsed)
        if indicator.id not in chosen or known > sum(s == OK for _, s in chosen[indicator.id][1]):
            chosen[indicator.id] = (column, parsed)
    if problems:
        raise too_many(problems)
    frames = [pd.DataFrame({"part": gdf.index, "indicator_id": indicator_id,
                            "value": [v for v, _ in parsed], "status": [s for _, s in parsed],
                            "source_column": column})
              for indicator_id, (column, parsed) in chosen.items()]
    columns = ["part", "indicator_id", "value", "status", "source_column"]
    return pd.concat(frames) if frames else pd.DataFrame(columns=columns)


def parse_column(raw: pd.Series, column: str, where: str, problems: list) -> list[tuple[float | None, str]]:
    parsed = []
    for row, value in enumerate(raw, start=1):
        value = None if is_null(value) else (value.item() if isinstance(value, np.generic) else value)
        try:
            parsed.append(parse_value(value))
        except ValueError:
            problems.append(Problem("not a number", file=where, row=row, field=column, value=value))
            parsed.append((None, MISSING))
    return parsed


def region_values(regions: pd.DataFrame, values: pd.DataFrame, year: int, table: str) -> pd.DataFrame:
    """Observations of the file's own regions (never of derived ones), from their representative part."""
    if values.empty:
        return empty_observations()
    keys = regions[["part", "level", "code"]].astype({"part": "int64"})
    rows = values.astype({"part": "int64"}).merge(keys, on="part")
    observations = rows.assign(year=year, lower=np.nan, upper=np.nan, age_group=None, source_table=table)
    return observations[OBSERVATION_COLUMNS].astype(empty_observations().dtypes.to_dict()).reset_index(drop=True)


def resolved_columns(observations: pd.DataFrame, catalog: Catalog, year: int, table: str, file: str,
                     notes: list[str]) -> pd.DataFrame:
    """column_map rows; indicators whose columns hold no figure at all are 'unpublished' (and noted)."""
    rows, unpublished = [], []
    for indicator_id, group in observations.groupby("indicator_id", sort=False):
        published = group.status.ne(MISSING).any()
        if not published:
            unpublished.append(indicator_id)
        rows.append({"table_id": table, "year": year, "indicator_id": indicator_id,
                     "source_key": group.source_column.iloc[0], "source_title": None,
                     "unit": catalog.by_id(indicator_id).unit,
                     "status": "resolved" if published else "unpublished",
                     "source": catalog.by_id(indicator_id).source})
    if unpublished:
        notes.append(f"not yet published in {file}: {', '.join(unpublished)}")
    return pd.DataFrame(rows, columns=COLUMN_MAP_COLUMNS)


# --- helpers ---------------------------------------------------------------------------------------------

def is_null(value) -> bool:
    return value is None or (not isinstance(value, (str, bytes)) and bool(pd.isna(value)))


def too_many(problems: list[Problem]) -> LoadError:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(Problem(f"... and {len(problems) - MAX_PROBLEMS} more problems"))
    return LoadError(problems=shown)
