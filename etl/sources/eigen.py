"""The gemeente's own figures (``wijkbeeld etl eigen``): a bewonersenquête, a veiligheidsmonitor, own registrations.

Two tables, paired as the agenda's are (see :func:`etl.sources.spreadsheet.read_paired`):

- the figures: one row per region (``code``: a gemeente, wijk or buurt code of the loaded boundaries) and ``jaar``,
  one column per indicator, headed by the indicator's code; an empty cell is no figure;
- the declaration, one row per indicator: ``code``, ``label``, ``eenheid``, ``thema`` (a theme of
  ``etl/indicators.toml``), ``bron``, and optionally ``openbaar`` (empty: not public), ``richting``
  (hoger/lager is beter), ``omschrijving``, ``label_en``, ``decimalen``, ``uitgelicht``.

An ``.xlsx`` holds both (the declaration on the sheet ``indicatoren``, else the second sheet); a ``.csv`` has its
declaration in ``<stem>_indicatoren.csv`` beside it. Column names and accepted values are declared in
``etl/wijkagenda_columns.toml`` (sections ``eigen`` and ``eigen_indicatoren``).

The import is refused whole, with every problem by file (and sheet), row and field: unknown region codes,
a region and year twice, cells that are no number, undeclared columns, bad declarations. The indicators get the
id ``eigen.<code>`` and the source line of their ``bron``; they reach the public file only when declared public.
A file owns what it loaded: loading it again replaces its indicators and figures.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from etl.batch import COLUMN_MAP_COLUMNS, INDICATOR_COLUMNS, OBSERVATION_COLUMNS, Batch, empty_observations
from etl.catalog import Catalog
from etl.topics import slug
from etl.codes import level_of, normalise_code
from etl.errors import LoadError
from etl.sources.cells import is_empty, parse_choice, parse_int, parse_number, parse_text
from etl.sources.spreadsheet import (Problems, Sheet, columns_config, fold_header, parse_bool, read_paired, records,
                                     sibling_csv, spec)
from etl.values import OK

SOURCE = "eigen"
DECLARATION = "indicatoren"
LEVELS = ("gemeente", "wijk", "buurt")
YEARS = (1990, 2100)
DECIMALS = (0, 6)


def declaration_csv(path: Path) -> Path:
    """Where the declaration of a .csv of own figures lives: ``<stem>_indicatoren.csv`` beside it."""
    return sibling_csv(path, DECLARATION)


def source_table(path: Path) -> str:
    """The name the figures of a file are stored under (``source_table``): the file's stem."""
    return Path(path).stem


def read_eigen(path: Path, known_codes, catalog: Catalog) -> Batch:
    """Read and check a file of own figures and its declaration; every problem is listed in one LoadError.

    ``known_codes``: the gemeente, wijk and buurt codes of every indeling loaded in the working database.
    """
    path = Path(path)
    figures, declaration = read_paired(path, columns_config()["eigen_indicatoren"]["sheets"], DECLARATION)
    if figures is None:
        raise LoadError("no sheet with figures (only a declaration of indicators)", file=str(path))
    if declaration is None:
        expected = (f"{declaration_csv(path).name} beside the file" if path.suffix.lower() == ".csv"
                    else f"a sheet '{DECLARATION}' (or a second sheet)")
        raise LoadError(f"no declaration of the indicators: expected {expected}", file=str(path))
    problems = Problems()
    declared = _declaration(declaration, catalog, problems)
    table = source_table(path)
    observations, years = _figures(figures, declared, set(known_codes), problems)
    problems.raise_if_any()

    indicators, column_map, notes = [], [], []
    for position, (key, entry) in enumerate(declared.items()):
        indicator_id = entry["id"]
        found = years.get(indicator_id)
        if not found:
            notes.append(f"declared but without figures: {entry['column'] or key}")
        indicators.append({
            "id": indicator_id, "label_nl": entry["label"], "label_en": entry["label_en"] or entry["label"],
            "theme": entry["theme"], "unit": entry["unit"], "direction": entry["direction"], "source": SOURCE,
            "description": entry["description"], "title": entry["label"],
            "cbs_group": f"Eigen cijfers > {entry['source']}", "cbs_description": entry["description"],
            "decimals": entry["decimals"], "source_table": table, "position": position, "age_group": None,
            "featured": entry["featured"], "public": entry["public"], "attribution": f"Bron: {entry['source']}"})
        column_map.append({
            "table_id": table, "year": max(found) if found else None, "indicator_id": indicator_id,
            "source_key": entry["column"] or entry["code"], "source_title": entry["label"], "unit": entry["unit"],
            "status": "resolved" if found else "unpublished", "source": SOURCE,
            "cbs_group": f"Eigen cijfers > {entry['source']}", "description": entry["description"],
            "decimals": entry["decimals"], "position": position, "age_group": None})
    frame = pd.DataFrame(observations, columns=OBSERVATION_COLUMNS) if observations else empty_observations()
    frame = frame.assign(source_table=table).astype(empty_observations().dtypes.to_dict())
    public = sum(entry["public"] for entry in declared.values())
    notes.insert(0, f"{len(declared)} own indicators ({public} public), {len(frame)} figures, "
                    f"years {', '.join(map(str, sorted({y for ys in years.values() for y in ys}))) or '-'}")
    return Batch(observations=frame,
                 column_map=pd.DataFrame(column_map, columns=COLUMN_MAP_COLUMNS).astype(
                     {"year": "Int64", "decimals": "Int64", "position": "Int64"}),
                 indicators=pd.DataFrame(indicators, columns=INDICATOR_COLUMNS).astype(
                     {"decimals": "Int64", "position": "Int64"}),
                 notes=notes, rows_in=len(figures.rows) + len(declaration.rows))


def _declaration(sheet: Sheet, catalog: Catalog, problems: Problems) -> dict[str, dict]:
    """Folded code → the declared indicator."""
    rows = records(sheet, spec("eigen_indicatoren"), problems)
    themes = parse_choice([theme.id for theme in catalog.themes])
    directions = columns_config()["indicator_directions"]
    direction = parse_choice(sorted(set(directions.values())), directions)
    declared: dict[str, dict] = {}
    seen: dict[str, int] = {}
    for number, cells in rows.rows:
        code = rows.value(number, cells, "code")
        entry = {"code": code, "column": None,
                 "label": rows.value(number, cells, "label"), "label_en": rows.value(number, cells, "label_en"),
                 "unit": rows.value(number, cells, "unit"), "source": rows.value(number, cells, "source"),
                 "theme": rows.value(number, cells, "theme", themes),
                 "direction": rows.value(number, cells, "direction", direction) or "neutral",
                 "public": bool(rows.value(number, cells, "public", parse_bool)),
                 "featured": bool(rows.value(number, cells, "featured", parse_bool)),
                 "description": rows.value(number, cells, "description"),
                 "decimals": rows.value(number, cells, "decimals", parse_int)}
        if entry["decimals"] is not None and not DECIMALS[0] <= entry["decimals"] <= DECIMALS[1]:
            rows.problem(f"decimals lie between {DECIMALS[0]} and {DECIMALS[1]}", number, "decimals",
                         cells.get("decimals"))
        if code is None:
            continue
        key = fold_header(code)
        if not slug(key):
            rows.problem("a code needs letters or digits", number, "code", code)
        elif key in seen:
            rows.problem(f"declared twice (also on row {seen[key]})", number, "code", code)
        else:
            seen[key] = number
            declared[key] = entry | {"id": f"{SOURCE}.{slug(key)}"}
    return declared


def _figures(sheet: Sheet, declared: dict[str, dict], known: set[str], problems: Problems):
    """Observation rows of the figures sheet, and the years each indicator has figures for."""
    kind = spec("eigen")
    rows = records(sheet, kind, problems)
    listed = {alias for aliases in kind.aliases.values() for alias in aliases}
    columns = []   # (position in the row, header, declared entry)
    for index, header in enumerate(sheet.header):
        folded = fold_header(header)
        if folded in listed:
            continue
        if not folded:
            if any(index < len(cells) and not is_empty(cells[index]) for _, cells in sheet.rows):
                problems.add("a column with figures but no header", file=sheet.source, row=sheet.header_row,
                             field=f"column {index + 1}")
            continue
        entry = declared.get(folded)
        if entry is None:
            problems.add("not a declared indicator: declare it in the sheet 'indicatoren' (or the .csv "
                         f"<stem>_{DECLARATION}.csv)", file=sheet.source, row=sheet.header_row, field=header)
            continue
        entry["column"] = header
        columns.append((index, header, entry))

    out, years, seen = [], {}, {}
    for (number, cells), (_, raw) in zip(rows.rows, sheet.rows):
        code, level = _code(rows, number, cells, known)
        year = rows.value(number, cells, "year", parse_int)
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            rows.problem("not a plausible year", number, "year", cells.get("year"))
            year = None
        if code is not None and year is not None:
            if (code, year) in seen:
                rows.problem(f"the same region and year occur twice (also on row {seen[code, year]})", number,
                             "code", code)
            seen[code, year] = number
        for index, header, entry in columns:
            cell = raw[index] if index < len(raw) else None
            if is_empty(cell):
                continue
            try:
                value = parse_number(cell)
            except ValueError as error:
                problems.add(str(error), file=sheet.source, row=number, field=header, value=cell)
                continue
            if code is None or year is None:
                continue
            out.append({"indicator_id": entry["id"], "year": year, "level": level, "code": code, "value": value,
                        "status": OK, "lower": np.nan, "upper": np.nan, "age_group": None, "source_table": None,
                        "source_column": header})
            years.setdefault(entry["id"], set()).add(year)
    return out, years


def _code(rows, number: int, cells: dict, known: set[str]) -> tuple[str | None, str | None]:
    raw = rows.value(number, cells, "code")
    if raw is None:
        return None, None
    code = normalise_code(parse_text(raw))
    level = level_of(code)
    if level not in LEVELS:
        rows.problem("not a gemeente, wijk or buurt code (like GM0150, WK015001, BU01500101)", number, "code", raw)
    elif code not in known:
        rows.problem("unknown code: no region with this code in the boundaries loaded (wijkbeeld etl boundaries)",
                     number, "code", raw)
    else:
        return code, level
    return None, None
