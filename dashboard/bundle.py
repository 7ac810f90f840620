"""The page's own scripts and styles (dashboard/assets), served as one file of each.

Dash names each asset with a tag of its own; over HTTP/1.1 a browser opens six connections to a host, so on a
phone over 4G the page's nine small files were rounds of requests of their own, each waiting out the network's
latency. The bundles hold the same files in Dash's order, are named by their content and compressed in memory like
the vendored scripts. :func:`bundled` puts a bundle's tag where Dash's tag of its first file was; a page whose tags
differ from the bundle (another order, a file added since the start) keeps Dash's tags.

>>> bundled('<script src="/assets/a.js?m=1"></script><script src="/assets/b.js?m=1"></script><script src="/x.js">'
...         '</script>', ["a.js", "b.js"], "/bundle/w-1.js")
'<script src="/bundle/w-1.js"></script><script src="/x.js"></script>'
>>> bundled('<script src="/assets/b.js?m=1"></script>', ["a.js", "b.js"], "/bundle/w-1.js")
'<script src="/assets/b.js?m=1"></script>'
"""
from __future__ import annotations

import hashlib
import re
from html import escape as html_escape
from pathlib import Path

from flask import Response, abort

from dashboard import urls

MAX_AGE_S = 365 * 24 * 3600   # for files whose name changes with their content (or version)
KINDS = {"js": "text/javascript", "css": "text/css"}
ASSET_TAG = re.compile(r'<(?:script src|link rel="stylesheet" href)="[^"]*/assets/([^"?]+)(?:\?m=[^"]*)?"'
                       r'(?:></script>|>)\s*')


class Bundles:
    """The assets of each kind, in Dash's order (sorted by name, less ``ignore``), joined into one body."""

    def __init__(self, folder: Path, ignore: str):
        skip = re.compile(ignore)
        self.files: dict[str, list[str]] = {}
        self.bodies: dict[str, bytes] = {}
        self.names: dict[str, str] = {}
        for kind in KINDS:
            files = sorted(p.name for p in folder.glob(f"*.{kind}") if not skip.search(p.name))
            body = b"\n".join((folder / name).read_bytes().rstrip() + (b";" if kind == "js" else b"")
                              for name in files) + b"\n"
            self.files[kind], self.bodies[kind] = files, body
            self.names[kind] = f"wijkbeeld-{hashlib.sha256(body).hexdigest()[:12]}.{kind}"


def bundled(tags: str, files: list[str], url: str) -> str:
    """``tags`` with Dash's tags of ``files`` (all of them, in that order) replaced by one tag of ``url``."""
    found = [(m.group(1), m) for m in ASSET_TAG.finditer(tags)]
    if [name for name, _ in found] != files or not files:
        return tags
    tag = (f'<script src="{html_escape(url)}"></script>' if url.endswith(".js")
           else f'<link rel="stylesheet" href="{html_escape(url)}">')
    out, at = [], 0
    for number, (_, match) in enumerate(found):
        out += [tags[at:match.start()], tag if number == 0 else ""]
        at = match.end()
    return "".join(out + [tags[at:]])


def register_bundle_route(server, bundles: Bundles) -> None:
    """The bundles, cached for a year (their name changes with their content)."""
    by_name = {bundles.names[kind]: (bundles.bodies[kind], mimetype) for kind, mimetype in KINDS.items()}

    @server.route(urls.BUNDLE)
    def bundle(name: str):
        if name not in by_name:
            abort(404)
        return immutable_response(*by_name[name])


def immutable_response(body: bytes, mimetype: str) -> Response:
    """``body`` cached for a year by anyone: for a file whose name changes with its content or version."""
    response = Response(body, mimetype=mimetype)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE_S
    response.cache_control.immutable = True
    return response
