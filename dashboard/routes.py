"""Static geometry files of the published version: cacheable forever, because the URL names the version."""
from __future__ import annotations

import json
import re

from flask import Response, abort, request

from dashboard.db import NotPublished, PublishedData

VERSION = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{8}$")
LEVELS = ("gemeente", "wijk", "buurt")
GEOMETRY_FILE = re.compile(r"^\d{4}-(gemeente|wijk|buurt)(-overzicht)?\.geojson$")
OVERVIEW_MAX_ZOOM = 10   # at this zoom and below, buurten are drawn from the coarser overview file


def geometry_url(version: str, year: int, level: str, zoom: float | None = None) -> str:
    """The geometry file for a level; the overview of the buurten when the map shows the country or a province."""
    overview = level == "buurt" and zoom is not None and zoom <= OVERVIEW_MAX_ZOOM
    return f"/geometry/{version}/{year}-{level}{'-overzicht' if overview else ''}.geojson"


def register_geometry_route(server, data: PublishedData) -> None:
    @server.route("/geometry/<version>/<name>")
    def geometry(version: str, name: str):
        if not VERSION.match(version) or not GEOMETRY_FILE.match(name):
            abort(404)
        try:
            folder = data.link.parent / "versions" / version / "geometry"
        except NotPublished:
            abort(404)
        gzipped = request.accept_encodings.quality("gzip") > 0
        path = folder / (f"{name}.gz" if gzipped else name)
        if not path.is_file():
            abort(404)
        etag = f'"{version}-{path.name}"'
        headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": etag, "Vary": "Accept-Encoding"}
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers=headers)
        response = Response(path.read_bytes(), mimetype="application/geo+json")
        response.headers.update(headers)
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        return response

    @server.route("/values/<version>/<indicator>/<int:year>/<level>.json")
    def values(version: str, indicator: str, year: int, level: str):
        from dashboard import views

        if not VERSION.match(version) or level not in LEVELS or not data.pin(version):
            abort(404)
        body = data.memo(("values", indicator, year, level),
                         lambda: views.values_file(data, indicator, year, level))
        if body is None:
            abort(404)
        response = Response(json.dumps(body, separators=(",", ":")), mimetype="application/json")
        response.headers.update({"Cache-Control": "public, max-age=31536000, immutable"})
        return response

    @server.route("/geometry/<path:anything>")
    def no_geometry(anything: str):
        abort(404)
