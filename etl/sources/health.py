"""RIVM/GGD *Gezondheid per wijk en buurt* (CBS table 50120NED on dataderden.cbs.nl): loneliness and more.

Every figure is a small-area model estimate (status ``estimate``) for one age group (``Leeftijd``: 20300 = 18 jaar
of ouder, 80200 = 65 jaar of ouder, …), with a ``Marges`` dimension: ``MW00000`` is the point estimate,
``MOG0095``/``MBG0095`` the lower/upper bound of the 95 % interval. Every topic of every age group a file holds is
its own series (``eenzaam`` for 18+, ``eenzaam_65plus``); a file may hold any subset of the age groups.

Exports (StatLine/RIVM ``.csv`` or ``.xlsx``) carry the OData keys as header (``Eenzaam_28``): every column but the
dimensions and region names is a topic, identified by its key stem, titled and grouped as ``indicators.toml``
declares. A download reads titles, units and groups from the DataProperties.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from etl.batch import COLUMN_MAP_COLUMNS, Batch, observations_frame
from etl.catalog import Catalog
from etl.topics import Topic, join_group, key_stem, topics_of
from etl.codes import level_of, normalise_code
from etl.errors import LoadError, Problem
from etl.sources import odata
from etl.sources.kerncijfers import RESOLVED, UNPUBLISHED, parse_column, unpublished_note
from etl.values import ESTIMATE, MISSING

SOURCE = "gezondheid"
REGION_KEY, PERIOD_KEY, AGE_KEY, MARGIN_KEY = "WijkenEnBuurten", "Perioden", "Leeftijd", "Marges"
REQUIRED = (REGION_KEY, PERIOD_KEY)
DIMENSIONS = ("ID", AGE_KEY, MARGIN_KEY, REGION_KEY, PERIOD_KEY)
POINT_ESTIMATE = "MW00000"
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


def age_code(age_group: str, catalog: Catalog) -> str:
    """Accept a Leeftijd code (``20300``) or its short label (``18+``)."""
    text = str(age_group).strip()
    for code, group in catalog.age_groups(SOURCE).items():
        if text == group.short:
            return code
    return text


# --- topics ------------------------------------------------------------------------------------------------------

def export_topics(columns, catalog: Catalog) -> list[tuple[str, Topic]]:
    """``(series id of the default age group, topic)`` of each figure column of an export, by key stem."""
    excluded = catalog.not_figures(SOURCE)
    topics = []
    for position, key in enumerate(columns):
        if key in DIMENSIONS or key_stem(key).casefold() in excluded:
            continue
        topic = catalog.declared_topic(SOURCE, key)
        topics.append((catalog.stem_series_id(SOURCE, key), Topic(**{**topic.__dict__, "position": position})))
    return topics


def download_topics(data_properties: list[dict], catalog: Catalog) -> list[tuple[str, Topic]]:
    """The same from a download's DataProperties: CBS's titles and groups; curated by title, else by key stem."""
    config = catalog.sources[SOURCE]
    topics = []
    for topic in topics_of(data_properties, catalog, SOURCE):
        curated = catalog.resolve_title(topic.title, source=SOURCE)
        indicator_id = curated.id if curated else catalog.stem_series_id(SOURCE, topic.key)
        topics.append((indicator_id, Topic(**{**topic.__dict__, "unit": topic.unit or config.get("unit")})))
    return topics


# --- reading exports ---------------------------------------------------------------------------------------------

def read_health_file(path, catalog: Catalog, age_group: str | None = None) -> Batch:
    """A StatLine/RIVM export of 50120NED (``.csv`` with ``,`` or ``;``, or ``.xlsx``) as a Batch.

    Every age group the file holds loads, unless ``age_group`` (a code or ``18+``) names one. Rows are reported as
    spreadsheet rows: the header is row 1.
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
    return read_health(frame, export_topics(frame.columns, catalog), table_id, catalog, age_group=age_group,
                       source=str(path), first_row=2)


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

def read_health(frame: pd.DataFrame, topics: list[tuple[str, Topic]], table_id: str, catalog: Catalog,
                age_group: str | None = None, source: str | None = None, first_row: int = 1) -> Batch:
    """Observations of every topic and age group of a 50120NED frame (export or TypedDataSet rows).

    ``topics``: ``(series id, topic)`` per figure column (see :func:`export_topics`); ``age_group`` keeps one
    Leeftijd only; ``first_row`` is the number the first data row is reported as (2 for a file with a header row).
    """
    source = source or table_id
    batch = Batch(rows_in=len(frame))
    for key in REQUIRED:
        if key not in frame.columns:
            raise LoadError("required field is missing", file=source, field=key)
    known = {key.casefold() for key in catalog.sources[SOURCE].get("topics", {})}
    if not any(key_stem(topic.key).casefold() in known or catalog.resolve_key(topic.key, SOURCE)
               for _, topic in topics):
        raise LoadError(f"no catalog indicator of {table_id} among the columns (expected OData keys such as "
                        "Eenzaam_28 beside the dimensions)", file=source)
    frame = frame.reset_index(drop=True)
    row_numbers = np.arange(len(frame)) + first_row

    wanted = age_code(age_group, catalog) if age_group else None
    if AGE_KEY in frame.columns:
        ages = _stripped(frame[AGE_KEY]).to_numpy()
        empty = np.flatnonzero(ages == "")
        if len(empty):
            raise LoadError(problems=[Problem("no age group", file=source, row=int(row_numbers[position]),
                                              field=AGE_KEY) for position in empty[:MAX_PROBLEMS]])
        if wanted is not None:
            keep = ages == wanted
            if not keep.any() and len(frame):
                present = ", ".join(sorted(set(ages))[:10])
                raise LoadError(f"no rows for {AGE_KEY} {wanted} (present: {present})", file=source, field=AGE_KEY)
            if not keep.all():
                batch.notes.append(f"{table_id}: kept {int(keep.sum())} of {len(frame)} rows ({AGE_KEY} {wanted})")
            frame, row_numbers, ages = frame[keep].reset_index(drop=True), row_numbers[keep], ages[keep]
    else:
        ages = np.full(len(frame), wanted or catalog.default_age_group(SOURCE), dtype=object)

    years = _years(frame[PERIOD_KEY], source, row_numbers)
    codes, levels = _codes(frame[REGION_KEY], source, row_numbers)
    kinds = (_stripped(frame[MARGIN_KEY]).map(lambda code: margin_kind(code) or "?")
             if MARGIN_KEY in frame.columns else pd.Series("value", index=frame.index)).to_numpy()
    if (kinds == "?").any():
        unknown = sorted(set(_stripped(frame[MARGIN_KEY])[kinds == "?"]))
        batch.notes.append(f"{table_id}: skipped {int((kinds == '?').sum())} rows with unknown {MARGIN_KEY} "
                           f"{', '.join(unknown[:5])}")

    ident = pd.DataFrame({"age": ages, "year": years, "code": codes})
    point = kinds == "value"
    duplicated = ident[point].duplicated()
    if duplicated.any():
        first = duplicated.to_numpy().nonzero()[0][0]
        raise LoadError("the same region, period and age group occur twice", file=source,
                        row=int(row_numbers[point][first]), field=REGION_KEY, value=ident[point].iloc[first]["code"])

    groups = sorted(set(ages[point]))
    if len(groups) > 1 or (groups and groups[0] != catalog.default_age_group(SOURCE)):
        batch.notes.append(f"{table_id}: age groups " + ", ".join(
            f"{catalog.age_group(code, SOURCE).short} ({code})" for code in groups))
    parts, unpublished, column_map = [], [], []
    cells_of = {key: frame[key].to_numpy() if key in frame.columns else np.full(len(frame), None, dtype=object)
                for _, topic in topics for key in [topic.key]}
    for code in groups:
        group = catalog.age_group(code, SOURCE)
        rows = ages == code
        point_rows = rows & point
        point_ident = pd.MultiIndex.from_frame(ident.loc[point_rows, ["year", "code"]])
        bound_index = {kind: pd.MultiIndex.from_frame(ident.loc[rows & (kinds == kind), ["year", "code"]])
                       for kind in ("lower", "upper")}
        for base_id, topic in topics:
            indicator_id = catalog.with_age_group(base_id, code, SOURCE)
            values, statuses = parse_column(cells_of[topic.key][rows], source=source, field=topic.key,
                                            row_numbers=row_numbers[rows], ok_status=ESTIMATE)
            in_group = point[rows]
            bounds = {}
            for kind in ("lower", "upper"):
                bound = pd.Series(values[(kinds[rows] == kind)], index=bound_index[kind])
                bound = bound[~bound.index.duplicated()]
                bounds[kind] = bound.reindex(point_ident).to_numpy()
            point_values, point_statuses = values[in_group], statuses[in_group]
            status = RESOLVED
            if (point_statuses == MISSING).all():
                status = UNPUBLISHED
                unpublished.append(indicator_id)
            has_value = ~np.isnan(point_values)
            parts.append({"indicator_id": indicator_id, "year": years[point_rows], "level": levels[point_rows],
                          "code": codes[point_rows], "value": point_values, "status": point_statuses,
                          "lower": np.where(has_value, bounds["lower"], np.nan),
                          "upper": np.where(has_value, bounds["upper"], np.nan),
                          "age_group": group.short, "source_table": table_id, "source_column": topic.key})
            column_map.append({"table_id": table_id, "year": int(years.max()) if len(years) else None,
                               "indicator_id": indicator_id, "source_key": topic.key, "source_title": topic.title,
                               "unit": topic.unit, "status": status, "source": SOURCE,
                               "cbs_group": join_group(topic.group), "description": topic.description,
                               "decimals": topic.decimals, "position": topic.position, "age_group": group.short})
    if unpublished:
        batch.notes.append(unpublished_note(table_id, unpublished))
    waves = sorted(set(years.tolist()))
    if len(waves) > 1:
        batch.notes.append(f"{table_id}: waves {', '.join(map(str, waves))}")
    batch.column_map = pd.DataFrame(column_map, columns=COLUMN_MAP_COLUMNS).astype(
        {"year": "Int64", "decimals": "Int64", "position": "Int64"})
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
                 age_group: str | None = None, get: Callable = odata.get_json,
                 gemeenten: Sequence[str] | None = None) -> tuple[Batch, dict]:
    """Download 50120NED from dataderden: DataProperties for titles and groups, rows of every age group (or of
    ``age_group`` only) via ODataFeed paging; only the rows of ``gemeenten`` (their wijken, buurten and the
    Netherlands) when given, filtered by the service.

    Returns the batch and its provenance ``{"url", "sha256", "rows"}``.
    """
    table_id = table_id or catalog.sources[SOURCE]["tables"]["all"]
    base = odata.dataderden_base()
    properties = odata.data_properties(base, table_id, get=get)
    topics = download_topics(properties, catalog)
    if not topics:
        raise LoadError(f"no figures among the DataProperties of {table_id}",
                        file=odata.data_properties_url(base, table_id))
    wanted = age_code(age_group, catalog) if age_group else None
    # Dimension keys are compared in their stored (padded) form; 50120NED's Leeftijd members are 5 wide.
    ages = f"{AGE_KEY} eq {odata.odata_string(wanted)}" if wanted else None
    regions = odata.regions_filter(REGION_KEY, gemeenten) if gemeenten else None
    url = odata.typed_dataset_url(base, table_id, filter=odata.all_of(ages, regions),
                                  select=[*DIMENSIONS, *(topic.key for _, topic in topics)])
    rows = odata.fetch_rows(url, get=get, progress=progress)
    frame = pd.DataFrame(rows)
    if not len(frame):
        raise LoadError("no rows" + (f" for {AGE_KEY} {wanted}" if wanted else ""), file=url)
    batch = read_health(frame, topics, table_id, catalog, age_group=wanted, source=url)
    batch.sha256 = odata.rows_sha256(rows)
    return batch, {"url": url, "sha256": batch.sha256, "rows": len(rows)}
