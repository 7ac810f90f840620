"""CBS *Kerncijfers wijken en buurten* (OData v3): resolve columns by title, read rows into observations.

Column keys change their suffix every year (``HuishoudensMetEenLaagInkomen_78`` → ``_89``) and stems get renamed,
so columns are resolved by their DataProperties *Title* through the catalog; the key stem is the fallback when no
DataProperties are at hand. A new table arrives with income and energy columns still empty: such a column is
recorded as ``unpublished`` in the column map, never loaded as zeros.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from etl.batch import COLUMN_MAP_COLUMNS, Batch, observations_frame
from etl.catalog import Catalog
from etl.topics import join_group, topics_of
from etl.codes import level_of, normalise_code
from etl.errors import LoadError
from etl.sources import odata
from etl.values import MISSING, OK, parse_value

SOURCE = "kerncijfers"
REGION_KEY = "WijkenEnBuurten"
RESOLVED, UNPUBLISHED = "resolved", "unpublished"


# --- column resolution -------------------------------------------------------------------------------------------

def resolve_columns(data_properties: list[dict], catalog: Catalog, table_id: str, year: int | None,
                    source: str = SOURCE) -> pd.DataFrame:
    """Column map (COLUMN_MAP_COLUMNS) of every numeric topic among the DataProperties: the catalogue of the table.

    Each topic becomes a series (see :meth:`Catalog.series_id`): a curated id where ``indicators.toml`` names its
    title, else the slug of its group path and title. A curated title counts once: titles repeat within a table
    (``Appartement_54`` in kWh and ``Appartement_62`` in m³), so a later topic with a curated title is a series of
    its own. Title, unit, group, decimals and description are kept as CBS gives them.
    """
    rows, seen = [], set()
    for topic in topics_of(data_properties, catalog, source):
        indicator_id = catalog.series_id(source, topic, taken=seen)
        if indicator_id in seen:
            continue   # the very same group path and title twice: the first one counts
        seen.add(indicator_id)
        rows.append({"table_id": table_id, "year": year, "indicator_id": indicator_id, "source_key": topic.key,
                     "source_title": topic.title, "unit": topic.unit, "status": RESOLVED, "source": source,
                     "cbs_group": join_group(topic.group), "description": topic.description,
                     "decimals": topic.decimals, "position": topic.position, "age_group": None})
    return _column_map_frame(rows)


def resolve_keys(keys: Iterable[str], catalog: Catalog, table_id: str, year: int | None,
                 source: str = SOURCE) -> pd.DataFrame:
    """Column map of the curated indicators found by key stem (``AantalInwoners_5`` → ``inwoners``).

    The fallback when no DataProperties are at hand: without groups no other topic can be told apart, so only
    curated indicators load; title and unit stay unknown.
    """
    rows, seen = [], set()
    for key in keys:
        indicator = catalog.resolve_key(key, source=source)
        if indicator is None or indicator.id in seen:
            continue
        seen.add(indicator.id)
        rows.append({"table_id": table_id, "year": year, "indicator_id": indicator.id,
                     "source_key": key, "source_title": None, "unit": None, "status": RESOLVED, "source": source})
    return _column_map_frame(rows)


def _column_map_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMN_MAP_COLUMNS)
    return frame.astype({"year": "Int64", "decimals": "Int64", "position": "Int64"}) if len(frame) else frame


def map_year(data_properties: list[dict]) -> int | None:
    """The indeling year the GeoDetail of the DataProperties names (``MapYear``), if any."""
    for prop in data_properties:
        if prop.get("Type") == "GeoDetail" and prop.get("MapYear"):
            return int(prop["MapYear"])
    return None


# --- values ------------------------------------------------------------------------------------------------------

# Cells of these types are parsed once per distinct value (CBS columns repeat values a lot); anything else (a bool,
# a list from a broken JSON file) cell by cell, so that it is refused with its row.
_FACTORIZABLE = frozenset({str, float, int, type(None), np.float64, np.int64, np.float32, np.int32})


def parse_column(raw: Iterable, *, source: str, field: str, row_numbers: Iterable[int] | None = None,
                 ok_status: str = OK) -> tuple[np.ndarray, np.ndarray]:
    """Parse one column of cells into ``(values, statuses)``; a cell that is no number is a LoadError.

    Each distinct cell is parsed once. ``row_numbers`` gives the row each cell is reported as (1-based positions
    when absent); ``ok_status`` replaces ``ok`` (model estimates).
    """
    cells = list(raw)
    numbers = list(row_numbers) if row_numbers is not None else None

    def refuse(position, cell):
        row = numbers[position] if numbers is not None else position + 1
        return LoadError("not a number", file=source, row=row, field=field, value=cell)

    if all(type(cell) in _FACTORIZABLE for cell in cells):
        codes, distinct = pd.factorize(pd.Series(cells, dtype=object), use_na_sentinel=True)
        parsed_values = np.empty(len(distinct) + 1, dtype="float64")
        parsed_statuses = np.empty(len(distinct) + 1, dtype=object)
        for index, cell in enumerate(distinct):
            try:
                value, status = parse_value(cell)
            except (ValueError, TypeError):
                position = int(np.flatnonzero(codes == index)[0])
                raise refuse(position, cells[position]) from None
            parsed_values[index] = np.nan if value is None else value
            parsed_statuses[index] = ok_status if status == OK else status
        parsed_values[-1], parsed_statuses[-1] = np.nan, MISSING      # code -1: None or NaN
        return parsed_values[codes], parsed_statuses[codes]

    values = np.empty(len(cells), dtype="float64")
    statuses = np.empty(len(cells), dtype=object)
    for position, cell in enumerate(cells):
        try:
            value, status = parse_value(cell)
        except (ValueError, TypeError):
            raise refuse(position, cell) from None
        values[position] = np.nan if value is None else value
        statuses[position] = ok_status if status == OK else status
    return values, statuses


def region_codes(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalised codes (padding stripped, ``NL0x`` → ``NL00``) and their levels (None: no CBS region code)."""
    known: dict = {}
    codes, levels = [], []
    for cell in raw:
        cell = cell if isinstance(cell, str) else ""   # a number, list or object is no region code
        if cell not in known:
            code = normalise_code(cell) if cell else ""
            known[cell] = (code, level_of(code))
        code, level = known[cell]
        codes.append(code)
        levels.append(level)
    return pd.Series(codes, index=raw.index, dtype=object), pd.Series(levels, index=raw.index, dtype=object)


def unpublished_note(table_id: str, indicator_ids: list[str], shown: int = 8) -> str:
    more = f" and {len(indicator_ids) - shown} more" if len(indicator_ids) > shown else ""
    return f"not yet published in {table_id}: {', '.join(indicator_ids[:shown])}{more}"


# --- rows → batch ------------------------------------------------------------------------------------------------

def read_kerncijfers(rows: list[dict], column_map: pd.DataFrame, table_id: str, year: int, catalog: Catalog,
                     source: str | None = None) -> Batch:
    """One observation per (resolved column, row) of a kerncijfers TypedDataSet.

    Rows whose region is no land/gemeente/wijk/buurt code are skipped and counted in a note. ``source`` (file or
    URL) names where bad input came from; the table id when absent.
    """
    source = source or table_id
    batch = Batch(rows_in=len(rows))
    column_map = column_map.copy()
    if not len(rows):
        batch.column_map = column_map
        batch.notes.append(f"{table_id}: no rows")
        return batch
    frame = pd.DataFrame(rows)
    if REGION_KEY not in frame.columns:
        raise LoadError("required field is missing", file=source, field=REGION_KEY)

    for row, cell in enumerate(frame[REGION_KEY], start=1):
        if not isinstance(cell, str):
            raise LoadError("a region code must be text", file=source, row=row, field=REGION_KEY, value=cell)
    codes, levels = region_codes(frame[REGION_KEY])
    keep = levels.notna().to_numpy()
    if not keep.all():
        skipped = codes[~keep]
        examples = ", ".join(sorted(set(skipped))[:5])
        batch.notes.append(f"{table_id}: skipped {len(skipped)} rows whose {REGION_KEY} is no gemeente, wijk "
                           f"or buurt code (e.g. {examples})")
    row_numbers = np.flatnonzero(keep) + 1
    kept_codes, kept_levels = codes[keep].to_numpy(), levels[keep].to_numpy()
    seen: dict[str, int] = {}
    for row, code in zip(row_numbers, kept_codes):
        if code in seen:
            raise LoadError(f"the same region occurs twice (also row {seen[code]})", file=source, row=int(row),
                            field=REGION_KEY, value=code)
        seen[code] = int(row)

    absent = ~column_map["source_key"].isin(frame.columns)
    if absent.any():
        batch.notes.append(f"{table_id}: {int(absent.sum())} topics of the DataProperties are not in the rows "
                           f"(e.g. {', '.join(column_map.loc[absent, 'source_key'][:3])}); not loaded")
        column_map = column_map[~absent].reset_index(drop=True)
    parts, unpublished = [], []
    column_map["status"] = RESOLVED
    for index, entry in column_map.iterrows():
        key = entry["source_key"]
        cells = frame[key].to_numpy()[keep]
        values, statuses = parse_column(cells, source=source, field=key, row_numbers=row_numbers)
        if (statuses == MISSING).all():
            column_map.loc[index, "status"] = UNPUBLISHED
            unpublished.append(entry["indicator_id"])
        parts.append({"indicator_id": entry["indicator_id"], "year": year, "level": kept_levels,
                      "code": kept_codes, "value": values, "status": statuses, "lower": np.nan,
                      "upper": np.nan, "age_group": None, "source_table": table_id, "source_column": key})
    if unpublished:
        batch.notes.append(unpublished_note(table_id, unpublished))
    column_map["year"] = year
    batch.column_map = _column_map_frame(column_map.to_dict("records"))
    batch.observations = observations_frame(parts)
    return batch


# --- recorded files ----------------------------------------------------------------------------------------------

def read_json_file(path: Path):
    try:
        with open(path, "rb") as handle:
            return json.loads(handle.read())
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror or error}", file=str(path)) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise LoadError(f"not valid JSON (truncated?): {error}", file=str(path)) from error


def table_id_of_file(path: Path, payload) -> str | None:
    """Table id from ``odata.metadata`` (``.../OData/85984NED/$metadata#...``) or the file name prefix."""
    if isinstance(payload, dict):
        metadata = str(payload.get("odata.metadata") or payload.get("@odata.context") or "")
        match = re.search(r"/odata/([^/]+)/\$metadata", metadata, flags=re.IGNORECASE)
        if match:
            return match.group(1)
    match = re.match(r"(\d{5}[A-Za-z]{3})(?![A-Za-z0-9])", path.name)
    return match.group(1).upper() if match else None


def data_properties_beside(path: Path, table_id: str) -> Path | None:
    for name in (f"{table_id}_DataProperties.json", "DataProperties.json"):
        candidate = path.with_name(name)
        if candidate.is_file() and candidate != path:
            return candidate
    return None


def read_kerncijfers_file(path, catalog: Catalog, year: int | None = None) -> Batch:
    """A recorded TypedDataSet JSON (v3 envelope or bare list) as a Batch.

    Columns resolve by title when ``<TABLE>_DataProperties.json`` (or ``DataProperties.json``) lies beside the
    file, else by key stem. The year is ``year``, else the DataProperties ``MapYear``, else the catalog's year of
    the table.
    """
    path = Path(path)
    payload = read_json_file(path)
    rows = odata.payload_rows(payload, source=str(path))
    table_id = table_id_of_file(path, payload)
    if table_id is None:
        raise LoadError("cannot tell the table id: no odata.metadata and the file name does not start with it "
                        "(e.g. 85984NED_TypedDataSet.json)", file=str(path))
    if not rows:
        raise LoadError("the file holds no rows", file=str(path))
    if REGION_KEY not in rows[0]:
        raise LoadError("required field is missing", file=str(path), row=1, field=REGION_KEY)

    batch_notes = []
    properties_path = data_properties_beside(path, table_id)
    properties = odata.payload_rows(read_json_file(properties_path), source=str(properties_path)) \
        if properties_path else None
    year = year or (map_year(properties) if properties else None) or catalog.kerncijfers_year(table_id)
    if year is None:
        raise LoadError(f"cannot tell the year of table {table_id}: pass --year", file=str(path))
    if properties is not None:
        column_map = resolve_columns(properties, catalog, table_id, year)
        batch_notes.append(f"{table_id}: columns resolved by title from {properties_path.name}")
    else:
        column_map = resolve_keys(list(rows[0]), catalog, table_id, year)
        batch_notes.append(f"{table_id}: no DataProperties beside the file; columns resolved by key stem")
    if not len(column_map):
        raise LoadError(f"no catalog indicator found among the columns of {table_id}", file=str(path))
    batch = read_kerncijfers(rows, column_map, table_id, year, catalog, source=str(path))
    batch.notes[:0] = batch_notes
    return batch


# --- download ----------------------------------------------------------------------------------------------------

def fetch_kerncijfers(table_id: str, catalog: Catalog, progress: Callable[[str], object] | None = None,
                      year: int | None = None, get: Callable = odata.get_json,
                      gemeenten: Sequence[str] | None = None) -> tuple[Batch, dict]:
    """Download a kerncijfers table: DataProperties through ODataApi, rows through ODataFeed paging; only the rows
    of ``gemeenten`` (their wijken, buurten and the Netherlands) when given, filtered by the service.

    Returns the batch and its provenance ``{"url", "sha256", "rows"}`` (sha256 of the canonical JSON rows).
    """
    base = odata.kerncijfers_base()
    properties = odata.data_properties(base, table_id, get=get)
    year = year or map_year(properties) or catalog.kerncijfers_year(table_id)
    if year is None:
        raise LoadError(f"cannot tell the year of table {table_id}: pass --year",
                        file=odata.data_properties_url(base, table_id))
    column_map = resolve_columns(properties, catalog, table_id, year)
    if not len(column_map):
        raise LoadError(f"no catalog indicator found by title in the DataProperties of {table_id}",
                        file=odata.data_properties_url(base, table_id))
    url = odata.typed_dataset_url(base, table_id, select=["ID", REGION_KEY, *column_map["source_key"]],
                                  filter=odata.regions_filter(REGION_KEY, gemeenten) if gemeenten else None)
    rows = odata.fetch_rows(url, get=get, progress=progress)
    batch = read_kerncijfers(rows, column_map, table_id, year, catalog, source=url)
    batch.sha256 = odata.rows_sha256(rows)
    return batch, {"url": url, "sha256": batch.sha256, "rows": len(rows)}
