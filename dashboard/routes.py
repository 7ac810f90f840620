"""Static files of the published version (geometry, figures, initiatives): cacheable forever, because the URL names
the version."""
from __future__ import annotations

import gzip
import json
import re

from flask import Response, abort, request, send_file

from dashboard import urls, views
from dashboard.db import NotPublished, PublishedData
from dashboard.text import LANGUAGES

VERSION = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{8}$")
LEVELS = ("gemeente", "wijk", "buurt")
GEOMETRY_FILE = re.compile(r"^\d{4}-(gemeente|wijk|buurt)(-overzicht|-GM\d{4})?\.geojson$")
IMMUTABLE = "public, max-age=31536000, immutable"   # versioned files: the URL changes when they do
OVERVIEW_MAX_ZOOM = 10   # at this zoom and below, buurten are drawn from the coarser overview file


def detail(zoom: float, scope: str | None = None, scope_bounds: list | None = None) -> dict:
    """The level of detail for a zoom, as the browser keeps it (assets/wijkbeeld.js ``detail``): only a zoom
    that crosses the threshold asks the server for another geometry file. ``scope``: the gemeente the map shows on
    its own while the view stays on it (its centre within ``scope_bounds``, not zoomed out), then every region."""
    return {"overview_max_zoom": OVERVIEW_MAX_ZOOM, "overview": zoom <= OVERVIEW_MAX_ZOOM, "scope": scope,
            "scope_bounds": scope_bounds}


def _json_and_gzip(body) -> tuple[bytes, bytes]:
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return raw, gzip.compress(raw, compresslevel=6, mtime=0)


def _encoded_response(raw: bytes, packed: bytes, mimetype: str, cache_control: str) -> Response:
    """``packed`` (gzip) to a client that accepts it, else ``raw``."""
    gzipped = request.accept_encodings.quality("gzip") > 0
    response = Response(packed if gzipped else raw, mimetype=mimetype)
    response.headers.update({"Cache-Control": cache_control, "Vary": "Accept-Encoding"})
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    return response


def register_geometry_route(server, data: PublishedData) -> None:
    # Staff files need a login: browsers may keep them, shared caches (a proxy) may not.
    immutable = IMMUTABLE if data.audience == "public" else IMMUTABLE.replace("public", "private")

    @server.route(urls.GEOMETRY)
    def geometry(version: str, name: str):
        if not VERSION.match(version) or not GEOMETRY_FILE.match(name):
            abort(404)
        gzipped = request.accept_encodings.quality("gzip") > 0
        folder = data.link.parent / "versions" / version / "geometry"
        try:
            if not folder.is_dir() and data.geometry_version() == version:
                folder = data.version_dir() / "geometry"  # made by a version since pruned, reused by the current one
        except NotPublished:
            abort(404)
        path = folder / (f"{name}.gz" if gzipped else name)
        if not path.is_file():
            abort(404)
        # Flask answers If-None-Match (304) and Range itself; the URL names the version, so it never changes.
        response = send_file(path, mimetype="application/geo+json", conditional=True, etag=f"{version}-{path.name}")
        response.headers.update({"Cache-Control": immutable, "Vary": "Accept-Encoding"})
        if gzipped and response.status_code != 304:
            response.headers["Content-Encoding"] = "gzip"
        return response

    @server.route(urls.VALUES)
    def values(version: str, lang: str, indicator: str, year: int, level: str):
        if not VERSION.match(version) or lang not in LANGUAGES or level not in LEVELS or not data.pin(version):
            abort(404)

        def compute():
            body = views.values_file(data, indicator, year, level, lang)
            return None if body is None else _json_and_gzip(body)

        # kept encoded and compressed: a request after the first costs neither json.dumps nor compressing ~1 MB
        encoded = data.memo(("values", lang, indicator, year, level), compute)
        if encoded is None:
            abort(404)
        return _encoded_response(*encoded, "application/json", immutable)

    @server.route(urls.INITIATIVES)
    def initiative_points(version: str):
        if not VERSION.match(version) or not data.pin(version):
            abort(404)
        chosen = views.initiative_filter(data, request.args.getlist(urls.INITIATIVE_KEYS["theme"]),
                                         request.args.getlist(urls.INITIATIVE_KEYS["status"]))
        chosen += (views.initiative_scope(data, request.args.get(urls.INITIATIVE_KEYS["gemeente"])),)
        raw, packed = data.memo(("initiatives",) + chosen, lambda: _json_and_gzip(views.initiative_layer(data, *chosen)))
        return _encoded_response(raw, packed, "application/geo+json", immutable)

    @server.route(urls.ANY_GEOMETRY)
    def no_geometry(anything: str):
        abort(404)
