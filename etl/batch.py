"""What an extractor hands to the loader: rows in the shape of the working tables.

Extractors (``etl/sources/*``) are pure: they read a file or a response and return a
:class:`Batch`, or raise :class:`etl.errors.LoadError`. Only ``etl/load.py`` writes.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

# Columns of the frames a Batch carries (the working tables, minus bookkeeping).
REGION_COLUMNS = ["year", "level", "code", "name", "gemeente_code", "wijk_code", "geometry"]
OBSERVATION_COLUMNS = ["indicator_id", "year", "level", "code", "value", "status",
                       "lower", "upper", "age_group", "source_table", "source_column"]
COLUMN_MAP_COLUMNS = ["table_id", "year", "indicator_id", "source_key", "source_title", "unit", "status",
                      "source", "cbs_group", "description", "decimals", "position", "age_group"]
# Columns of a declaration of own figures (source 'eigen'): indicators that describe themselves.
INDICATOR_COLUMNS = ["id", "label_nl", "label_en", "theme", "unit", "direction", "source", "description", "title",
                     "cbs_group", "cbs_description", "decimals", "source_table", "position", "age_group", "featured",
                     "public", "attribution"]


@dataclass
class Batch:
    """One load's worth of rows.

    regions       GeoDataFrame with REGION_COLUMNS, geometry in EPSG:28992 (MultiPolygon), or None
    observations  DataFrame with OBSERVATION_COLUMNS (value NULL unless status is ok/estimate)
    column_map    DataFrame with COLUMN_MAP_COLUMNS: how each source column was resolved, and what the source
                  says about it (title, group, unit, decimals, description): the catalogue is made from these
    indicators    DataFrame with INDICATOR_COLUMNS, for sources that declare their own indicators (own figures);
                  None for CBS and RIVM, whose indicators come from the column map
    notes         human-readable remarks for the run log (e.g. "not yet published: laag_inkomen")
    rows_in       how many source rows/features were read
    sha256        of what was read, when the extractor fetched it itself (online sources)
    unchanged     reading it changed nothing outside the working database (the agenda store): a file loaded
                  before is then not loaded again
    replace       whole tables this source owns, replaced by these frames in the same transaction
                  (e.g. {"initiatives": frame}); a column named ``geom`` holds shapely geometries
                  in EPSG:28992 and is stored as GEOMETRY
    """

    regions: gpd.GeoDataFrame | None = None
    observations: pd.DataFrame = field(default_factory=lambda: empty_observations())
    column_map: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMN_MAP_COLUMNS))
    indicators: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    rows_in: int = 0
    sha256: str | None = None
    replace: dict[str, pd.DataFrame] = field(default_factory=dict)
    unchanged: bool = False


def empty_observations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        OBSERVATION_COLUMNS,
        ["string", "int64", "string", "string", "float64", "string",
         "float64", "float64", "string", "string", "string"])})


def observations_frame(parts: list[dict]) -> pd.DataFrame:
    """Observation parts as one frame with the OBSERVATION_COLUMNS dtypes.

    A part is one column of a source table: each field an array, or one value for the whole part (its indicator,
    table, year). Built column by column in Arrow, where a value for a whole part is repeated without a Python
    object per row: a kerncijfers year is 2.2 M rows.

    >>> frame = observations_frame([{"indicator_id": "a", "year": 2024, "level": np.array(["buurt", "wijk"]),
    ...     "code": np.array(["BU01", "WK01"]), "value": np.array([1.5, np.nan]), "status": np.array(["ok", "missing"]),
    ...     "lower": np.nan, "upper": np.nan, "age_group": None, "source_table": "t", "source_column": "A_1"}])
    >>> frame[["indicator_id", "code", "value", "age_group"]].values.tolist()
    [['a', 'BU01', 1.5, <NA>], ['a', 'WK01', nan, <NA>]]
    """
    if not parts:
        return empty_observations()
    dtypes = empty_observations().dtypes.to_dict()
    sizes = [max(len(v) for v in part.values() if isinstance(v, np.ndarray)) for part in parts]
    columns, texts = {}, {}
    for name, dtype in dtypes.items():
        values = [part[name] for part in parts]
        if isinstance(dtype, pd.StringDtype):
            columns[name] = _text_column(values, sizes, texts)
        else:
            columns[name] = np.concatenate([np.asarray(v, dtype=dtype) if isinstance(v, np.ndarray)
                                            else np.full(size, v, dtype=dtype) for v, size in zip(values, sizes)])
    table = pa.table(columns)
    return table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get).astype(dtypes)


def _text_column(values: list, sizes: list[int], converted: dict) -> pa.ChunkedArray:
    """A text column in Arrow from its parts: arrays converted (an array that several parts share, such as the
    codes of a table's rows, once, in ``converted``) and single values repeated by one take."""
    arrays = [v for v in values if isinstance(v, np.ndarray)]
    for array in arrays:
        if id(array) not in converted:
            converted[id(array)] = (array, pa.array(array, type=pa.large_string(), from_pandas=True))
    if not arrays:
        single = pa.array(values, type=pa.large_string())
        return pa.chunked_array([single.take(pa.array(np.repeat(np.arange(len(values), dtype=np.int32), sizes)))])
    return pa.chunked_array([converted[id(v)][1] if isinstance(v, np.ndarray)
                             else pa.array([v], type=pa.large_string()).take(pa.array(np.zeros(size, np.int32)))
                             for v, size in zip(values, sizes)], type=pa.large_string())


def only_gemeenten(batch: Batch, gemeenten) -> Batch:
    """The part of ``batch`` about ``gemeenten`` (``GM`` codes): their regions, and figures of them, their wijken
    and buurten and the Netherlands; the column map whole. For sources that cannot be asked for less (a
    GeoPackage of the whole country).

    >>> batch = Batch(observations=pd.DataFrame({"code": ["NL00", "GM0150", "BU01500101", "GM0151"]}))
    >>> list(only_gemeenten(batch, ["GM0150"]).observations["code"])
    ['NL00', 'GM0150', 'BU01500101']
    """
    from etl.codes import NEDERLAND, gemeente_of

    wanted = set(gemeenten)
    keep = batch.observations["code"].map(lambda code: code == NEDERLAND or gemeente_of(code) in wanted)
    regions = batch.regions
    if regions is not None:
        regions = regions[regions["code"].map(gemeente_of).isin(wanted)]
    kept = len(regions) if regions is not None else int(keep.sum())
    note = f"kept the {kept:,} regions of {', '.join(sorted(wanted))}" if regions is not None else \
        f"kept the {kept:,} figures of {', '.join(sorted(wanted))} and the Netherlands"
    return dataclasses.replace(batch, regions=regions, observations=batch.observations[keep.to_numpy(dtype=bool)],
                               notes=[*batch.notes, note])
