"""RIVM/GGD *Gezondheid per wijk en buurt* (CBS table 50120NED on dataderden.cbs.nl): loneliness and more.

Every figure is a small-area model estimate (status ``estimate``), for one age group (``Leeftijd``), with a
``Marges`` dimension: ``MW00000`` is the point estimate, ``MOG0095``/``MBG0095`` the lower/upper bound of the 95 %
interval. Exports (StatLine/RIVM ``.csv`` or ``.xlsx``) carry the OData keys as header (``Eenzaam_28``), so columns
resolve by key stem; a download resolves them by DataProperties title.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from etl.batch import Batch
from etl.catalog import Catalog
from etl.codes import level_of, normalise_code
from etl.errors import LoadError, Problem
from etl.sources import odata
from etl.sources.kerncijfers import (RESOLVED, UNPUBLISHED, observations_frame, parse_column, resolve_columns,
                                     resolve_keys, unpublished_note)
from etl.values import ESTIMATE, MISSING

SOURCE = "gezondheid"
REGION_KEY, PERIOD_KEY, AGE_KEY, MARGIN_KEY = "WijkenEnBuurten", "Perioden", "Leeftijd", "Marges"
REQUIRED = (REGION_KEY, PERIOD_KEY)
DIMENSIONS = ("ID", AGE_KEY, MARGIN_KEY, REGION_KEY, PERIOD_KEY)
POINT_ESTIMATE = "MW00000"
# Leeftijd members of 50120NED.
AGE_GROUPS = {"20300": "18+", "53115": "18-64", "80200": "65+"}
MAX_PROBLEMS = 20


def margin_kind(code: str) -> str | None:
    """What a ``Marges`` member holds: ``value``, ``lower`` or ``upper`` (None when unknown).

    CBS writes ``MW00000`` (waarde), ``MOG0095`` (ondergrens) and ``MBG0095`` (bovengrens).

    >>> [margin_kind(c) for c in ("MW00000", "MOG0095", "MBG0095", "Bovengrens 95%", "M1")]
    ['value', 'lower', 'upper', 'upper', None]
    """
    text = str(code).strip().upper()
    if text == "" or text.startswith("MW") or text in ("WAARDE", "VALUE"):
        return "value"
    if text.startswith("MOG") or "ONDER" in text or "LOWER" in text:
        return "lower"
    if text.startswith("MBG") or "BOVEN" in text or "UPPER" in text:
        return "upper"
    return None


def age_label(code: str) -> str:
    return AGE_GROUPS.get(code, code)


def age_code(age_group: str) -> str:
    """Accept a Leeftijd code (``20300``) or its label (``18+``)."""
    text = str(age_group).strip()
    for code, label in AGE_GROUPS.items():
        if text == label:
            return code
    return text


# --- reading exports ---------------------------------------------------------------------------------------------

def read_health_file(path, catalog: Catalog, age_group: str | None = None) -> Batch:
    """A StatLine/RIVM export of 50120NED (``.csv`` with ``,`` or ``;``, or ``.xlsx``) as a Batch.

    Keeps the rows of one age group (the catalog's, ``20300`` = 18+, unless ``age_group`` says otherwise). Rows are
    reported as spreadsheet rows: the header is row 1.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        frame = _read_xlsx(path)
    else:
        raise LoadError("expected a .csv or .xlsx export", file=str(path))
    table_id = catalog.sources[SOURCE]["tables"]["all"]
    column_map = resolve_keys([c for c in frame.columns if c not in DIMENSIONS], catalog, table_id, None,
                              source=SOURCE)
    return read_health(frame, column_map, table_id, catalog, age_group=age_group, source=str(path),
                       first_row=2)


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = handle.readline()
        delimiter = ";" if header.count(";") > header.count(",") else ","
        return pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror or error}", file=str(path)) from error
    except UnicodeDecodeError as error:
        raise LoadError(f"not UTF-8 text: {error}", file=str(path)) from error
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise LoadError(f"not a readable CSV file: {error}", file=str(path)) from error


def _read_xlsx(path: Path) -> pd.DataFrame:
    import openpyxl
    from zipfile import BadZipFile

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, BadZipFile, KeyError, ValueError) as error:
        raise LoadError(f"not a readable .xlsx file: {error}", file=str(path)) from error
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise LoadError("the first sheet is empty", file=str(path))
        names = [str(name).strip() if name is not None else f"column_{n}" for n, name in enumerate(header, 1)]
        data = [row for row in rows if any(cell is not None for cell in row)]
    finally:
        workbook.close()
    frame = pd.DataFrame(data, columns=names, dtype=object)
    # Make cells look as they do in the CSV export: text, empty for no value.
    return frame.map(_cell_text)


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


# --- frame → batch -----------------------------------------------------------------------------------------------

def read_health(frame: pd.DataFrame, column_map: pd.DataFrame, table_id: str, catalog: Catalog,
                age_group: str | None = None, source: str | None = None, first_row: int = 1) -> Batch:
    """Observations of the resolved columns of a 50120NED frame (export or TypedDataSet rows).

    ``first_row`` is the number the first data row is reported as (2 for a file with a header row).
    """
    source = source or table_id
    batch = Batch(rows_in=len(frame))
    for key in REQUIRED:
        if key not in frame.columns:
            raise LoadError("required field is missing", file=source, field=key)
    if not len(column_map):
        raise LoadError(f"no catalog indicator of source '{SOURCE}' found among the columns", file=source)
    frame = frame.reset_index(drop=True)
    row_numbers = np.arange(len(frame)) + first_row

    wanted_age = age_code(age_group or catalog.sources[SOURCE]["age_group"])
    keep = np.ones(len(frame), dtype=bool)
    if AGE_KEY in frame.columns:
        ages = _stripped(frame[AGE_KEY])
        keep = (ages == wanted_age).to_numpy()
        if not keep.any() and len(frame):
            present = ", ".join(sorted(set(ages))[:10])
            raise LoadError(f"no rows for {AGE_KEY} {wanted_age} (present: {present})", file=source, field=AGE_KEY)
        if not keep.all():
            batch.notes.append(f"{table_id}: kept {int(keep.sum())} of {len(frame)} rows ({AGE_KEY} {wanted_age})")
    frame, row_numbers = frame[keep].reset_index(drop=True), row_numbers[keep]

    years = _years(frame[PERIOD_KEY], source, row_numbers)
    codes, levels = _codes(frame[REGION_KEY], source, row_numbers)
    kinds = (_stripped(frame[MARGIN_KEY]).map(lambda code: margin_kind(code) or "?")
             if MARGIN_KEY in frame.columns else pd.Series("value", index=frame.index))
    if (kinds == "?").any():
        unknown = sorted(set(_stripped(frame[MARGIN_KEY])[kinds == "?"]))
        batch.notes.append(f"{table_id}: skipped {int((kinds == '?').sum())} rows with unknown {MARGIN_KEY} "
                           f"{', '.join(unknown[:5])}")

    ident = pd.DataFrame({"year": years, "code": codes})
    point = (kinds == "value").to_numpy()
    duplicated = ident[point].duplicated()
    if duplicated.any():
        first = duplicated.to_numpy().nonzero()[0][0]
        raise LoadError("the same region and period occur twice", file=source,
                        row=int(row_numbers[point][first]), field=REGION_KEY, value=ident[point].iloc[first]["code"])

    age = age_label(wanted_age) if AGE_KEY in frame.columns or age_group else None
    parts, unpublished = [], []
    column_map = column_map.copy()
    column_map["status"] = RESOLVED
    for index, entry in column_map.iterrows():
        key = entry["source_key"]
        cells = frame[key] if key in frame.columns else pd.Series([None] * len(frame))
        values, statuses = parse_column(cells, source=source, field=key, row_numbers=row_numbers,
                                        ok_status=ESTIMATE)
        bounds = {}
        for kind in ("lower", "upper"):
            rows = (kinds == kind).to_numpy()
            bound = pd.Series(values[rows], index=pd.MultiIndex.from_frame(ident[rows]))
            bound = bound[~bound.index.duplicated()]
            bounds[kind] = bound.reindex(pd.MultiIndex.from_frame(ident[point])).to_numpy()
        point_values, point_statuses = values[point], statuses[point]
        if (point_statuses == MISSING).all():
            column_map.loc[index, "status"] = UNPUBLISHED
            unpublished.append(entry["indicator_id"])
        has_value = ~np.isnan(point_values)
        parts.append({"indicator_id": entry["indicator_id"], "year": years[point], "level": levels[point],
                      "code": codes[point], "value": point_values, "status": point_statuses,
                      "lower": np.where(has_value, bounds["lower"], np.nan),
                      "upper": np.where(has_value, bounds["upper"], np.nan),
                      "age_group": age, "source_table": table_id, "source_column": key})
    if unpublished:
        batch.notes.append(unpublished_note(table_id, unpublished))
    if len(years):
        column_map["year"] = int(years.max())
        waves = sorted(set(years.tolist()))
        if len(waves) > 1:
            batch.notes.append(f"{table_id}: waves {', '.join(map(str, waves))}")
    batch.column_map = column_map.astype({"year": "Int64"})
    batch.observations = observations_frame(parts)
    return batch


def _stripped(column: pd.Series) -> pd.Series:
    return column.map(lambda cell: "" if cell is None or cell != cell else str(cell).strip())


def _years(periods: pd.Series, source: str, row_numbers: np.ndarray) -> np.ndarray:
    """``2020JJ00`` (or ``2020``) → 2020; anything else is a LoadError."""
    known: dict = {}
    years = np.empty(len(periods), dtype="int64")
    for position, cell in enumerate(periods):
        if cell not in known:
            match = re.fullmatch(r"(\d{4})(JJ00)?", str(cell).strip())
            if not match:
                raise LoadError("not a year period (expected e.g. 2020JJ00)", file=source,
                                row=int(row_numbers[position]), field=PERIOD_KEY, value=cell)
            known[cell] = int(match.group(1))
        years[position] = known[cell]
    return years


def _codes(raw: pd.Series, source: str, row_numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised region codes and levels; every code that is no CBS region code is reported at once."""
    known: dict = {}
    codes = np.empty(len(raw), dtype=object)
    levels = np.empty(len(raw), dtype=object)
    problems: list[Problem] = []
    for position, cell in enumerate(raw):
        if cell not in known:
            code = normalise_code(cell) if isinstance(cell, str) else ""
            known[cell] = (code, level_of(code))
        codes[position], levels[position] = known[cell]
        if levels[position] is None and len(problems) < MAX_PROBLEMS:
            problems.append(Problem("not a CBS region code", file=source, row=int(row_numbers[position]),
                                    field=REGION_KEY, value=cell))
    if problems:
        raise LoadError(problems=problems)
    return codes, levels


# --- download ----------------------------------------------------------------------------------------------------

def fetch_health(table_id: str | None, catalog: Catalog, progress: Callable[[str], object] | None = None,
                 age_group: str | None = None, get: Callable = odata.get_json) -> tuple[Batch, dict]:
    """Download 50120NED from dataderden: DataProperties by title, rows of one age group via ODataFeed paging.

    Returns the batch and its provenance ``{"url", "sha256", "rows"}``.
    """
    table_id = table_id or catalog.sources[SOURCE]["tables"]["all"]
    base = odata.dataderden_base()
    properties = odata.data_properties(base, table_id, get=get)
    column_map = resolve_columns(properties, catalog, table_id, None, source=SOURCE)
    if not len(column_map):
        raise LoadError(f"no catalog indicator found by title in the DataProperties of {table_id}",
                        file=odata.data_properties_url(base, table_id))
    wanted_age = age_code(age_group or catalog.sources[SOURCE]["age_group"])
    # Dimension keys are compared in their stored (padded) form; 50120NED's Leeftijd members are 5 wide.
    url = odata.typed_dataset_url(base, table_id, filter=f"{AGE_KEY} eq '{wanted_age}'",
                                  select=[*DIMENSIONS, *column_map["source_key"]])
    rows = odata.fetch_rows(url, get=get, progress=progress)
    frame = pd.DataFrame(rows)
    if not len(frame):
        raise LoadError(f"no rows for {AGE_KEY} {wanted_age}", file=url)
    batch = read_health(frame, column_map, table_id, catalog, age_group=wanted_age, source=url)
    batch.sha256 = odata.rows_sha256(rows)
    return batch, {"url": url, "sha256": batch.sha256, "rows": len(rows)}
