"""Staff-only downloads: the current view as CSV or GeoJSON, and a region's profile as CSV.

Registered only in the staff app; every value the browser sends is checked (dashboard/state.py).
"""
from __future__ import annotations

import json

from flask import Response, abort, request

from dashboard import urls, views
from dashboard.db import PublishedData
from dashboard.present.export import feature_collection, to_csv
from dashboard.state import is_code, parse_state
from etl.codes import NEDERLAND

VIEW_COLUMNS = ["code", "naam", "niveau", "indicator", "jaar", "waarde", "eenheid", "status", "ondergrens",
                "bovengrens", "bron", "licentie"]


def _view_rows(data: PublishedData):
    state = parse_state(request.query_string.decode("utf-8", "replace"), views.available(data))
    drawn_year = views.geometry_year(data, state.year, state.level)
    if drawn_year is None or state.year is None:
        abort(404)
    indicator = views.indicator(data, state.indicator)
    sources = views.sources(data)
    rows = data.rows("export_values", {"indicator": state.indicator, "year": state.year,
                                       "geometry_year": drawn_year, "level": state.level})
    table = [{"code": r["code"], "naam": r["name"], "niveau": r["level"], "indicator": indicator["label_nl"],
              "jaar": state.year, "waarde": r["value"], "eenheid": indicator["unit"], "status": r["status"] or "missing",
              "ondergrens": r["lower"], "bovengrens": r["upper"],
              "bron": sources.text(r["source_table"], indicator["source"], state.year),
              "licentie": sources.licence(indicator["source"])}
             for r in rows]
    return state, drawn_year, indicator, table


def _download(body: str, filename: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def register_export_routes(server, data: PublishedData) -> None:
    @server.route(urls.EXPORT_VIEW_CSV)
    def view_csv():
        state, _, _, table = _view_rows(data)
        return _download(to_csv(VIEW_COLUMNS, table), f"wijkbeeld-{state.indicator}-{state.year}-{state.level}.csv",
                         "text/csv; charset=utf-8")

    @server.route(urls.EXPORT_VIEW_GEOJSON)
    def view_geojson():
        state, drawn_year, indicator, table = _view_rows(data)
        path = data.version_dir() / "geometry" / f"{drawn_year}-{state.level}.geojson"
        geometry = json.loads(path.read_text())
        by_code = {r["code"]: {k: r[k] for k in VIEW_COLUMNS if k not in ("code", "naam")} for r in table}
        metadata = {"indicator": indicator["label_nl"], "jaar": state.year, "indeling": drawn_year,
                    "eenheid": indicator["unit"], "bron": views.sources(data).attribution(indicator),
                    "licentie": views.sources(data).licence(indicator["source"]),
                    "crs": "EPSG:4326", "geometrie": "vereenvoudigd voor de kaart"}
        body = json.dumps(feature_collection(geometry, by_code, metadata), ensure_ascii=False)
        return _download(body, f"wijkbeeld-{state.indicator}-{state.year}-{state.level}.geojson",
                         "application/geo+json")

    @server.route(urls.EXPORT_PROFILE)
    def profile_csv(code: str):
        if not is_code(code) or (region := views.region(data, code)) is None:
            abort(404)
        codes = [c for c in (code, region["wijk_code"], region["gemeente_code"], NEDERLAND) if c]
        rows, sources = data.rows("profile_export", (codes,)), views.sources(data)
        table = [{"code": r["code"], "niveau": r["level"], "indicator": r["label_nl"], "jaar": r["year"],
                  "waarde": r["value"], "eenheid": r["unit"], "status": r["status"], "ondergrens": r["lower"],
                  "bovengrens": r["upper"], "bron": sources.text(r["source_table"], r["source"], r["year"]),
                  "licentie": sources.licence(r["source"])} for r in rows]
        columns = [c for c in VIEW_COLUMNS if c != "naam"]
        return _download(to_csv(columns, table), f"wijkbeeld-profiel-{code}.csv", "text/csv; charset=utf-8")
