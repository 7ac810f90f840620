"""The Dash application shell: one app per audience over one published file.

The public app has only the map over the public file. Staff-only routes (exports, data quality,
council briefings) are not registered in it at all, and the staff app asks for a login on every
route when users are configured.
"""
from __future__ import annotations

import re
import threading
from datetime import date
from html import escape as html_escape
from pathlib import Path
from urllib.parse import quote

import dash
from cachetools import LRUCache
from dash._utils import to_json
from flask import abort, request

from dashboard import callbacks, urls
from dashboard.auth import account_book, current_identity, require_basic_auth, require_oidc
from dashboard.bundle import Bundles, bundled, immutable_response, register_bundle_route
from dashboard.compression import compress_responses
from dashboard.council import register_council_routes
from dashboard.db import NotPublished, PublishedData
from dashboard.editing import register_editing_routes
from dashboard.exports import register_export_routes
from dashboard.locatieserver import Locatieserver
from dashboard.observe import log_every_request, register_health_routes
from dashboard.page import first_paint, layout as page_layout, page_query
from dashboard.proxies import ForwardedClient
from dashboard.quality import register_quality_route
from dashboard.residents import register_resident_routes
from dashboard.routes import register_geometry_route
from dashboard.security import (add_security_headers, limit_expensive_requests, refuse_malformed_callbacks,
                                refuse_oversized, serve_loopback_only)
from dashboard.settings import Settings
from dashboard.templating import script_json


def create_app(settings: Settings) -> dash.Dash:
    """The app for ``settings.audience``, with the login, limits and privacy rules ``settings`` asks for; every
    entry point (``wijkbeeld serve``, ``dashboard.wsgi``, the tests) builds it here."""
    data = PublishedData(settings.data_dir, settings.audience)
    app = WijkbeeldDash(__name__, title="wijkbeeld", update_title=None, serve_locally=True,
                        suppress_callback_exceptions=True, assets_folder=str(ASSETS), assets_ignore=ASSETS_IGNORE)
    app.layout = page_layout(data)
    server = app.server
    server.config["WIJKBEELD_DATA"] = data
    server.config["WIJKBEELD_SETTINGS"] = settings
    server.config["WIJKBEELD_LOCATIESERVER"] = Locatieserver(settings.locatieserver) if settings.locatieserver else None
    server.wsgi_app = ForwardedClient(server.wsgi_app, settings.trusted_proxies)
    log_every_request(server, data)
    register_health_routes(server, data)
    if settings.audience == "staff":
        if settings.login == "basic":
            require_basic_auth(server, account_book(settings))
        elif settings.login == "oidc":
            require_oidc(app, dict(settings.oidc))
        else:
            serve_loopback_only(server)
        register_staff_routes(app, data)
    else:
        refuse_staff_paths(server)
    register_geometry_route(server, data)
    register_vendor_route(server)
    register_bundle_route(server, app.bundles)
    register_resident_routes(server, data, settings)
    callbacks.register(app, data)
    if settings.audience == "public":
        limit_expensive_requests(server, settings)
    add_security_headers(app)
    add_version_header(server, data)
    refuse_malformed_callbacks(app)
    server.register_error_handler(dash.exceptions.DependencyException, lambda error: ("", 404))
    refuse_oversized(server)
    compress_responses(server)
    return app


# Dash's @babel/polyfill (all of the standard library again, for browsers older than 2019) is replaced by the one part
# Dash's bundles call: regenerator-runtime (dashboard/vendor/regenerator-runtime/README.md)
POLYFILL_SCRIPT = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')
VENDORED = {urls.REGENERATOR_RUNTIME.rsplit("/", 1)[1]: Path(__file__).with_name("vendor") / "regenerator-runtime"
            / "runtime.js"}


# Dash loads dash_table's bundle whether or not a page shows a DataTable; ours show none
DASH_TABLE_SCRIPT = re.compile(r'<script src="[^"]*/dash_table/bundle[^"]*"></script>\s*')


def page_scripts(scripts: str, runtime_url: str) -> str:
    """Dash's script tags as the page needs them: the polyfill's replaced by regenerator-runtime's, and
    dash_table's left out.

    >>> page_scripts('<script src="/_dash-component-suites/dash/deps/polyfill@7.v4m1.12.1.min.js"></script>'
    ...              '<script src="/_dash-component-suites/dash/dash_table/bundle.v7m1.js"></script>'
    ...              '<script src="/r.js"></script>', "/vendor/rt.js")
    '<script src="/vendor/rt.js"></script><script src="/r.js"></script>'
    """
    scripts = DASH_TABLE_SCRIPT.sub("", scripts, count=1)
    return POLYFILL_SCRIPT.sub(lambda _: f'<script src="{html_escape(runtime_url)}"></script>', scripts, count=1)


def register_vendor_route(server) -> None:
    """The vendored scripts the page loads, cached for a year. Read once into memory: Flask-Compress compresses
    them then, and leaves files streamed from disk as they are."""
    scripts = {name: path.read_bytes() for name, path in VENDORED.items()}

    @server.route(urls.VENDOR)
    def vendored(name: str):
        if name not in scripts:
            abort(404)
        return immutable_response(scripts[name], "text/javascript")


# Parts of the components' scripts that are otherwise only asked for once the page has been built
LAYOUTS_KEPT = 64             # serialised layouts each process keeps (WijkbeeldDash.serve_layout)
REGIONS_READER = "regions-reader.js"   # in the page's head, not among its assets: it starts reading at once
ASSETS = Path(__file__).with_name("assets")
ASSETS_IGNORE = re.escape(REGIONS_READER)
FIRST_PAINT = "first-paint"   # the first view's paint in the page's head (assets/regions.js)
ASYNC_CHUNKS = ("/_dash-component-suites/dash_leaflet/async-GeoJSON.js",
                "/_dash-component-suites/dash/dcc/async-dropdown.js")


# wijkbeeld's icon in the page itself: Dash's (Plotly's, 15 KB) was fetched twice per first view, the second time
# when the page writes its view into the address bar
ICON = '<link rel="icon" href="data:image/svg+xml,{}">'.format(
    quote(Path(__file__).with_name("icon.svg").read_text().strip(), safe=" /:="))
# Dash's own page, with the language of the view on <html> (the URL's taal) and the scripts in a plain <div>:
# Dash's <footer> around them would be a second "contentinfo" landmark beside the page's own footer.
INDEX = """<!DOCTYPE html>
<html lang="{%lang%}">
    <head>
        {%metas%}
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


class WijkbeeldDash(dash.Dash):
    """Dash whose page starts on the first view right away, in parallel with starting the scripts: its regions'
    file is read by a worker started from the page's head, its figures are preloaded and its paint is in the
    page, so the map is drawn as soon as it is made; whose own scripts and styles come as one file each; and whose
    layouts are kept serialised."""

    def __init__(self, *args, **kwargs):
        self._setting_up = threading.Lock()
        self._layouts_lock = threading.Lock()
        self._layouts: LRUCache = LRUCache(maxsize=LAYOUTS_KEPT)   # guarded by _layouts_lock
        self.bundles = Bundles(ASSETS, ASSETS_IGNORE)
        super().__init__(*args, **kwargs)
        self.index_string = INDEX.replace("{%lang%}", "nl").replace("{%favicon%}", ICON)

    def _setup_server(self):
        """Dash registers the scripts it may serve on a worker's first request, after marking the worker set up: a
        thread of the same worker that starts meanwhile (gthread) found none registered and answered the page's
        scripts 404, so a fresh worker could break the first page it served. The others now wait for the first."""
        with self._setting_up:
            super()._setup_server()

    def serve_layout(self):
        """The layout of a page, serialised once per published version, address, identity (the profile shows what
        the user may edit) and day (an agenda item falls behind by the date): building and serialising it took
        50-400 ms of every first view."""
        data = self.server.config["WIJKBEELD_DATA"]
        try:
            key = (data.version(), page_query(), current_identity(), date.today())
        except NotPublished:
            return super().serve_layout()
        with self._layouts_lock:
            body = self._layouts.get(key)
        if body is None:
            body = to_json(self.get_layout())
            with self._layouts_lock:
                self._layouts[key] = body
        return self.backend.make_response(body, mimetype="application/json")

    def interpolate_index(self, **kwargs):
        query = request.query_string.decode("utf-8", "replace")
        regions, paint = first_paint(self.server.config["WIJKBEELD_DATA"], f"?{query}" if query else "")
        figures = paint.get("labels") if paint else None
        reader = html_escape(self.get_asset_url(REGIONS_READER))
        kwargs["metas"] = kwargs.get("metas", "") + "".join(
            [f'<script src="{reader}"' + (f' data-regions="{html_escape(regions)}"' if regions else "") + '></script>']
            + ([f'<link rel="preload" href="{html_escape(figures)}" as="fetch" crossorigin="anonymous">']
               if isinstance(figures, str) else [])
            + [f'<link rel="preload" href="{self.get_relative_path(c)}" as="script">' for c in ASYNC_CHUNKS]
            + ([f'<script type="application/json" id="{FIRST_PAINT}">{script_json(paint)}</script>'] if paint else []))
        runtime = self.get_relative_path(urls.REGENERATOR_RUNTIME)
        kwargs["scripts"] = bundled(page_scripts(kwargs.get("scripts", ""), runtime), self.bundles.files["js"],
                                    self.get_relative_path(urls.bundle_url(self.bundles.names["js"])))
        kwargs["css"] = bundled(kwargs.get("css", ""), self.bundles.files["css"],
                                self.get_relative_path(urls.bundle_url(self.bundles.names["css"])))
        lang = "en" if request.args.get("taal") == "en" else "nl"
        return super().interpolate_index(**kwargs).replace('<html lang="nl">', f'<html lang="{lang}">', 1)


def register_staff_routes(app: dash.Dash, data: PublishedData) -> None:
    register_export_routes(app.server, data)
    register_quality_route(app.server, data)
    register_council_routes(app.server, data)
    register_editing_routes(app.server, data)
    callbacks.register_staff(app)


def refuse_staff_paths(server) -> None:
    """In the public app, staff paths answer 404 rather than falling through to the page."""
    def not_here(rest: str = ""):
        abort(404)

    for number, path in enumerate(urls.STAFF_PATHS):
        server.add_url_rule(path, f"not_public_{number}", not_here, methods=["GET", "POST"])


def add_version_header(server, data: PublishedData) -> None:
    """Say which published version answered, so a client (and the tests) can tell versions apart."""
    @server.after_request
    def version_header(response):
        if pinned := data.pinned_version():
            response.headers["X-Wijkbeeld-Version"] = pinned
        return response
