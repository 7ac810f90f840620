"""The current agenda as the spreadsheet the importer reads (``data/demo/wijkagenda.xlsx`` is one): sheet
``agenda`` with the items, ``voortgang`` with the current progress updates, and ``wijkbeeld`` saying when it was
downloaded and at which stand of the store. Importing the download unchanged changes nothing; an import of an edited
download only conflicts with edits made in the dashboard after it was downloaded.
"""
from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from etl.sources.agenda import INFO_SHEET

ITEM_HEADERS = {"id": "id", "wijk_code": "wijkcode", "title": "titel", "description": "omschrijving",
                "theme": "thema", "owner": "eigenaar", "status": "status", "progress": "voortgang (%)",
                "start": "startdatum", "due": "deadline", "parent_id": "bovenliggend", "indicator_id": "indicator",
                "baseline_year": "basisjaar", "direction": "richting", "target": "doel", "public": "openbaar",
                "note": "notitie"}
UPDATE_HEADERS = {"item_id": "id", "date": "datum", "progress": "voortgang (%)", "status": "status",
                  "note": "notitie", "public": "openbaar"}
STAND = "stand"
DATE_FORMAT = "DD-MM-YYYY"


def public_cell(update: dict, item_public: bool) -> str:
    """``openbaar`` of a progress update as the importer reads it back: nee (not shown), ja (shown with its note),
    empty (its progress shown, its note not).

    >>> [public_cell({"public": p, "note_public": n}, True) for p, n in ((False, False), (True, True), (True, False))]
    ['nee', 'ja', '']
    """
    if not (item_public and update["public"]):
        return "nee"
    return "ja" if update.get("note_public") else ""


def workbook_bytes(items: list[dict], updates: list[dict], stand: int, scope: str, made: datetime) -> bytes:
    """The .xlsx of these items and their current updates."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "agenda"
    sheet.append(list(ITEM_HEADERS.values()))
    for item in items:
        _append(sheet, [("ja" if item["public"] else "nee") if f == "public" else item[f] for f in ITEM_HEADERS])
    public = {i["id"]: i["public"] for i in items}
    progress = book.create_sheet("voortgang")
    progress.append(list(UPDATE_HEADERS.values()))
    for update in updates:
        _append(progress, [public_cell(update, public.get(update["item_id"], False)) if f == "public" else update[f]
                           for f in UPDATE_HEADERS])
    info = book.create_sheet(INFO_SHEET)
    for row in (("wat", "waarde"), (STAND, stand), ("gedownload", made.isoformat(timespec="seconds")),
                ("wijk", scope),
                ("uitleg", "Gedownload uit wijkbeeld. Pas de tabbladen agenda en voortgang aan en lees het bestand "
                           "weer in; laat dit tabblad staan: het zegt welke wijzigingen in wijkbeeld dit bestand al "
                           "kent.")):
        info.append(row)
    format_header(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append(sheet, values: list) -> None:
    """A row whose text stays text: a cell that starts with ``=`` is not made a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
        elif isinstance(cell.value, (date, datetime)):
            cell.number_format = DATE_FORMAT


def format_header(book) -> None:
    from openpyxl.styles import Font

    for sheet in book.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)


def download_stand(path: Path) -> int | None:
    """The stand of the store a downloaded workbook was made at (its ``wijkbeeld`` sheet), or None."""
    if Path(path).suffix.lower() != ".xlsx":
        return None
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:            # not a workbook: the importer says so, with the file's name
        return None
    try:
        if INFO_SHEET not in book.sheetnames:
            return None
        for row in book[INFO_SHEET].iter_rows(values_only=True):
            if row and row[0] == STAND and isinstance(row[1], (int, float)):
                return int(row[1])
        return None
    finally:
        book.close()
