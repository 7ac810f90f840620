"""The agenda in and out as files: the current agenda as the importer's spreadsheet, a spreadsheet read in through
the browser (by the command line's own function, :func:`etl.jobs.import_agenda`: the same checks, every problem
listed, nothing loaded in part), and the history as CSV. Per wijk, or the whole agenda for a role over all of it."""
from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

from flask import Response, abort, request

from dashboard import urls
from dashboard.editing import guard
from dashboard.editing.present import HISTORY_COLUMNS, history_table
from dashboard.editing.reference import Reference, page
from dashboard.present.export import to_csv
from etl.errors import LoadError
from etl.jobs import import_agenda
from etl.wijkagenda import store
from etl.wijkagenda.template import workbook_bytes

UPLOAD_MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".xlsx", ".csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register(server, data) -> None:
    reference = Reference(data)

    @server.route(urls.AGENDA_XLSX_ALL)
    def agenda_download_all():
        return _download("*")

    @server.route(urls.AGENDA_XLSX)
    def agenda_download(wijk: str):
        return _download(guard.wijk_or_404(wijk))

    @server.route(urls.AGENDA_HISTORY_ALL)
    def agenda_history_all():
        return _history("*")

    @server.route(urls.AGENDA_HISTORY)
    def agenda_history(wijk: str):
        return _history(guard.wijk_or_404(wijk))

    @server.route(urls.AGENDA_IMPORT_ALL, methods=["GET", "POST"])
    def agenda_import_all():
        return _import(reference, "*")

    @server.route(urls.AGENDA_IMPORT, methods=["GET", "POST"])
    def agenda_import(wijk: str):
        return _import(reference, guard.wijk_or_404(wijk))


def _download(scope: str) -> Response:
    guard.require("viewer", scope)
    wijk = None if scope == "*" else scope
    with guard.agenda_store() as con:
        con.execute("BEGIN")
        stand, items, updates = store.stand(con), store.items(con, wijk), store.updates(con, wijk)
        con.execute("COMMIT")
    body = workbook_bytes(items, updates, stand, scope, datetime.now(timezone.utc))
    name = "wijkagenda" if wijk is None else f"wijkagenda-{wijk}"
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"',
                                                  "Cache-Control": "no-store"})


def _history(scope: str) -> Response:
    guard.require("viewer", scope)
    with guard.agenda_store() as con:
        changes = store.history(con, wijk_code=None if scope == "*" else scope)
    name = "wijkagenda-historie" if scope == "*" else f"wijkagenda-historie-{scope}"
    return Response(to_csv(HISTORY_COLUMNS, history_table(changes)), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"})


def _import(reference: Reference, scope: str) -> Response:
    """GET: the upload form. POST: read the file as the command line does and merge it into the store."""
    identity = guard.require("editor", scope)
    context = {"scope": scope, "wijk_name": reference.wijken().get(scope, scope), "problems": [], "result": None}
    if request.method == "GET":
        return page("agenda_import.html", **context)
    request.max_content_length = UPLOAD_MAX_BYTES
    guard.check_form()
    upload = request.files.get("bestand")
    if upload is None or not upload.filename:
        abort(400)
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUFFIXES:
        context["problems"] = [f"{Path(upload.filename).name}: use .xlsx or .csv"]
        return page("agenda_import.html", status=400, **context)
    file_name = Path(upload.filename).name[:200]
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        upload.save(path)
        rules = reference.rules()
        with guard.agenda_store() as con:
            outside = {i["id"]: i["parent_id"] for i in store.items(con) if scope != "*" and i["wijk_code"] != scope}
        try:
            _, result = import_agenda(guard.data_dir(), path, rules.wijk_codes, rules.indicators, rules.year,
                                      who=identity.name, scope=scope, outside=outside, file_name=file_name,
                                      empty_ok=request.form.get("leeg") == "ja",
                                      replace_edits=request.form.get("vervang") == "ja")
        except LoadError as error:
            context["problems"] = [str(p).replace(str(path), file_name) for p in error.problems]
            return page("agenda_import.html", status=400, **context)
    context["result"] = {"counts": {k: v for k, v in result.counts.items() if v}, "replaced": result.replaced}
    return page("agenda_import.html", **context)
