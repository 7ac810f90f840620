"""Reading the spreadsheets a gemeente keeps itself (initiatives, the wijkagenda): .csv and .xlsx as exported.

What Dutch municipal exports look like, and what is accepted:

- CSV separated by ``;`` (Excel with Dutch settings) with decimal commas (``52,0877``), or by ``,`` (or tab);
  UTF-8 with or without BOM, or Windows-1252 (``cp1252``, Excel's "CSV" on Windows): UTF-8 is tried first.
- XLSX with real date cells, Excel serial numbers (``45292`` is 2024-01-01) or text dates ``2024-03-01``,
  ``01-03-2024``, ``1-3-2024`` (also with ``/`` or ``.``); percentage-formatted cells (``45%``) read as 45.
- Column headers matched case-insensitively against the aliases in ``etl/wijkagenda_columns.toml``.

Rows are numbered as the user sees them in the spreadsheet: the header is row 1. Readers collect every
problem in :class:`Problems` and raise one :class:`~etl.errors.LoadError` listing all of them.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable

from etl.errors import LoadError, Problem
from etl.sources.cells import is_empty, parse_choice, parse_text, plain, shown

COLUMNS_PATH = Path(__file__).resolve().parents[1] / "wijkagenda_columns.toml"
JOIN = " | "


# --- the declarative column file --------------------------------------------------------------------------------

@cache
def columns_config() -> dict:
    """``etl/wijkagenda_columns.toml``: themes, statuses, and the column aliases per kind of file."""
    return tomllib.loads(COLUMNS_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Spec:
    """The columns of one kind of sheet: field → accepted headers (folded), required and joined fields."""

    kind: str
    aliases: dict[str, tuple[str, ...]]
    required: tuple[str, ...] = ()
    joined: tuple[str, ...] = ()


def spec(kind: str) -> Spec:
    """The column spec of ``initiatives``, ``agenda`` or ``updates``."""
    section = columns_config()[kind]
    aliases = {name: tuple(fold_header(a) for a in names) for name, names in section["columns"].items()}
    return Spec(kind, aliases, tuple(section.get("required", ())), tuple(section.get("joined", ())))


def fold_header(text) -> str:
    """A header as compared with the aliases: lower case, units in brackets dropped, separators as ``_``.

    >>> [fold_header(h) for h in ("Start datum", " E-mail ", "Voortgang (%)", "RD.X", "\\ufeffId")]
    ['start_datum', 'e_mail', 'voortgang', 'rd_x', 'id']
    """
    text = str(text or "").replace("\ufeff", "").casefold()
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return re.sub(r"[\s\-./]+", "_", text.strip()).strip("_")


# --- problems ---------------------------------------------------------------------------------------------------

MAX_PROBLEMS = 50


@dataclass
class Problems:
    """Every problem found in one import; :meth:`raise_if_any` refuses the whole import at once."""

    items: list[Problem] = field(default_factory=list)
    more: int = 0

    def add(self, message: str, file=None, row=None, field=None, value=None) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.more += 1      # a broken file of a million rows should not make a million-line message
            return
        self.items.append(Problem(message, file=file, row=row, field=field, value=value))

    def raise_if_any(self) -> None:
        if self.items:
            extra = [Problem(f"… and {self.more} more problems")] if self.more else []
            raise LoadError(problems=self.items + extra)


# --- reading files into sheets ----------------------------------------------------------------------------------

@dataclass
class Sheet:
    """One table as read: ``source`` names it in problems (the path, plus ``[sheet]`` for a workbook)."""

    source: str
    name: str
    header: list[str]
    header_row: int
    rows: list[tuple[int, list]]          # (row number as the user sees it, cells)
    cut_off: tuple[int, str] | None = None    # (row, why): the file ends in the middle of that row


def decode(data: bytes, source: str) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), else Windows-1252.

    >>> decode("Café".encode("cp1252"), "a.csv"), decode("\\ufeffCafé".encode("utf-8"), "a.csv")
    ('Café', 'Café')
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise LoadError("neither UTF-8 nor Windows-1252 text; save the file as CSV UTF-8", file=source,
                        row=data[:error.start].count(b"\n") + 1) from error


def read_csv(path: Path) -> Sheet:
    """A CSV file as one sheet; the separator (``;``, ``,`` or tab) is the most frequent one in the header."""
    source = str(path)
    try:
        text = decode(Path(path).read_bytes(), source)
    except OSError as error:
        raise LoadError(f"cannot read file: {error.strerror or error}", file=source) from error
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise LoadError(f"not a readable CSV file: {error}", file=source) from error
    numbered = [(n, [cell.strip() for cell in record]) for n, record in enumerate(records, 1)]
    sheet = _sheet(source, Path(path).stem, numbered)
    sheet.cut_off = csv_cut_off(text, delimiter, numbered, len(sheet.header))
    return sheet


def csv_cut_off(text: str, delimiter: str, numbered: list[tuple[int, list]], columns: int) -> tuple[int, str] | None:
    """Where a CSV file ends in the middle of a row, as an interrupted download or save leaves it: inside a quoted
    cell, or without a line ending after fewer cells than the header has. ``(row, why)``, or None.

    A last row without a line ending but with every cell is accepted (many programs write no final newline), and
    so is one as long as the shortest other row (some leave out empty cells at the end of a row).

    >>> rows = lambda t: [(n, r) for n, r in enumerate(csv.reader(io.StringIO(t), delimiter=";"), 1)]
    >>> [csv_cut_off(t, ";", rows(t), 3) for t in ("a;b;c\\n1;2;3\\n", "a;b;c\\n1;2;3", "a;b;c\\n1;2")]
    [None, None, (2, 'the file ends after 2 of the 3 columns of this row')]
    >>> csv_cut_off('a;b;c\\n1;"tw', ";", rows('a;b;c\\n1;"tw'), 3)
    (2, 'the file ends inside a quoted cell (a closing " is missing)')
    """
    if not numbered:
        return None
    number, cells = numbered[-1]
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):   # the last row took in the rest of the file
            return number, 'the file ends inside a quoted cell (a closing " is missing)'
    # as many cells as the header, or, from a program that leaves out empty cells at the end, as the shortest row
    expected = min([columns] + [len(c) for _, c in numbered[1:-1] if any(c)])
    if not text.endswith(("\n", "\r")) and number > 1 and len(cells) < expected:
        return number, f"the file ends after {len(cells)} of the {columns} columns of this row"
    return None


def read_xlsx(path: Path) -> list[Sheet]:
    """Every non-empty sheet of a workbook, cells as Python values (formulas as their cached results)."""
    import openpyxl
    from zipfile import BadZipFile

    source = str(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (OSError, BadZipFile, KeyError, ValueError) as error:
        raise LoadError(f"not a readable .xlsx file: {error}", file=source) from error
    sheets = []
    try:
        for worksheet in workbook.worksheets:
            numbered = [(n, [_xlsx_cell(cell) for cell in row])
                        for n, row in enumerate(worksheet.iter_rows(min_row=1), 1)]
            sheet = _sheet(f"{source} [{worksheet.title}]", worksheet.title, numbered)
            if sheet.header:
                sheets.append(sheet)
    finally:
        workbook.close()
    if not sheets:
        raise LoadError("the workbook has no filled sheet", file=source)
    return sheets


def sibling_csv(path: Path, suffix: str) -> Path:
    """The .csv that goes with a .csv: ``<stem>_<suffix>.csv`` beside it (``wijkagenda.csv`` → ``wijkagenda_voortgang.csv``)."""
    return Path(path).with_name(f"{Path(path).stem}_{suffix}.csv")


def read_paired(path: Path, second_names, csv_suffix: str, ignore=()) -> tuple[Sheet | None, Sheet | None]:
    """The main sheet and its companion sheet (or None) of a file a gemeente keeps as two tables.

    An ``.xlsx``: the companion is the sheet named one of ``second_names`` (case-insensitive), else the second sheet;
    the main sheet is the other (first) one, None when the workbook holds only the companion; sheets named one of
    ``ignore`` are left out. A ``.csv``: the file itself, and ``<stem>_<csv_suffix>.csv`` beside it when present.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sibling = sibling_csv(path, csv_suffix)
        return read_csv(path), (read_csv(sibling) if sibling.is_file() else None)
    if suffix != ".xlsx":
        raise LoadError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx", file=str(path))
    sheets = [s for s in read_xlsx(path) if fold_header(s.name) not in {fold_header(n) for n in ignore}]
    names = [fold_header(n) for n in second_names]
    second = next((s for s in sheets if fold_header(s.name) in names), sheets[1] if len(sheets) > 1 else None)
    main = next(s for s in sheets if s is not second) if len(sheets) > 1 or second is None else None
    return main, second


def _xlsx_cell(cell):
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return value * 100          # a cell formatted as 45% holds 0.45
    return value


def _sheet(source: str, name: str, numbered: list[tuple[int, list]]) -> Sheet:
    filled = [(n, cells) for n, cells in numbered if any(not is_empty(c) for c in cells)]
    if not filled:
        return Sheet(source, name, [], 1, [])
    (header_row, header), rows = filled[0], filled[1:]
    return Sheet(source, name, ["" if is_empty(h) else str(h).strip() for h in header], header_row, rows)


# --- columns ----------------------------------------------------------------------------------------------------

@dataclass
class Records:
    """The rows of a sheet by field name, with what is needed to report a problem as the user sees it."""

    source: str
    rows: list[tuple[int, dict]]          # (row number, field → raw cell)
    headers: dict[str, str]               # field → the header(s) as written in the file
    problems: Problems

    def has(self, name: str) -> bool:
        return name in self.headers

    def header(self, name: str) -> str:
        return self.headers.get(name, name)

    def problem(self, message: str, row: int | None, name: str | None, value=None) -> None:
        self.problems.add(message, file=self.source, row=row, field=self.header(name) if name else None,
                          value=value)

    def unique_id(self, row: int, identifier, seen: dict) -> None:
        """Record ``identifier`` as seen on ``row``, or report it as a duplicate of an earlier row."""
        if identifier is None:
            return
        if identifier in seen:
            self.problem(f"duplicate id (also on row {seen[identifier]})", row, "id", identifier)
        else:
            seen[identifier] = row

    def value(self, row: int, cells: dict, name: str, parse: Callable = None):
        """The parsed cell of ``name`` (None when empty or absent); a bad value is recorded, giving None."""
        raw = cells.get(name)
        if is_empty(raw):
            return None
        try:
            return (parse or parse_text)(raw)
        except ValueError as error:
            self.problem(str(error), row, name, shown(raw))
            return None


EMPTY_REFUSED = ("the file has a header but no rows: importing it would empty the table. If that is what you "
                 "mean, import it with --leeg (in the dashboard: tick 'leegmaken')")


def records(sheet: Sheet, spec: Spec, problems: Problems, empty_ok: bool = True) -> Records:
    """Map a sheet's columns to the fields of ``spec``; unknown columns are ignored.

    A required column that is missing, or a field given by two columns (unless it is a joined field such as
    ``contact``), is a problem on row 1. Empty required cells are problems on their rows. A file cut off in the
    middle of a row is a problem on that row; a header without rows is one unless ``empty_ok`` (it would empty a
    table that replaces whole: what an interrupted download or a wrong export looks like).
    """
    if sheet.cut_off:
        row, why = sheet.cut_off
        problems.add(f"{why}: the file is cut off (an interrupted download or save?); save or download it whole "
                     "again", file=sheet.source, row=row)
    if sheet.header and not sheet.rows and not empty_ok:
        problems.add(EMPTY_REFUSED, file=sheet.source, row=sheet.header_row)
    by_alias = {alias: name for name, aliases in spec.aliases.items() for alias in aliases}
    positions: dict[str, list[int]] = {}
    for index, header in enumerate(sheet.header):
        name = by_alias.get(fold_header(header))
        if name:
            positions.setdefault(name, []).append(index)
    headers = {name: ", ".join(sheet.header[i] for i in indexes) for name, indexes in positions.items()}
    result = Records(sheet.source, [], headers, problems)
    for name, indexes in positions.items():
        if len(indexes) > 1 and name not in spec.joined:
            result.problem(f"several columns mean '{name}'; keep one", sheet.header_row, name)
            positions[name] = indexes[:1]
    for name in spec.required:
        if name not in positions:
            aliases = ", ".join(spec.aliases[name])
            problems.add(f"missing column (one of: {aliases})", file=sheet.source, row=sheet.header_row,
                         field=spec.aliases[name][0])
    for number, cells in sheet.rows:
        row = {}
        for name, indexes in positions.items():
            values = [cells[i] for i in indexes if i < len(cells) and not is_empty(cells[i])]
            if name in spec.joined:
                row[name] = JOIN.join(parse_text(v) for v in values) if values else None
            else:
                row[name] = values[0] if values else None
        for name in spec.required:
            if name in positions and is_empty(row.get(name)):
                result.problem("required, but empty", number, name)
        result.rows.append((number, row))
    return result


# --- values the column file names (its [booleans], statuses and themes) ----------------------------------

def parse_bool(value) -> bool:
    """A yes/no cell: ja/nee, true/false, 1/0, yes/no (see ``[booleans]`` in the column file).

    >>> [parse_bool(v) for v in ("Ja", "nee", 1, "TRUE", "no", True)]
    [True, False, True, True, False, True]
    """
    value = plain(value)
    if isinstance(value, bool):
        return value
    text = parse_text(value).casefold()
    words = columns_config()["booleans"]
    if text in words["true"]:
        return True
    if text in words["false"]:
        return False
    raise ValueError("not yes or no (ja/nee, true/false, 1/0)")


def parse_status(value) -> str:
    config = columns_config()
    return parse_choice(config["statuses"], config["status_aliases"])(value)


def parse_theme(value) -> str:
    return parse_choice(columns_config()["themes"])(value)
