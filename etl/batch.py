"""What an extractor hands to the loader: rows in the shape of the working tables.

Extractors (``etl/sources/*``) are pure: they read a file or a response and return a
:class:`Batch`, or raise :class:`etl.errors.LoadError`. Only ``etl/load.py`` writes.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

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
