"""Compress text responses in the app, for when no proxy in front does it (nginx does, see deploy/).

Flask-Compress picks gzip, brotli or zstd by the client's ``Accept-Encoding``; responses that are already
compressed (the pre-gzipped geometry and initiative files) keep their own ``Content-Encoding``. Dash's
component bundles are fingerprinted and never change while the process runs, so each is compressed once.
"""
from __future__ import annotations

import threading

from flask_compress import Compress

from dashboard import urls

BUNDLES = "/_dash-component-suites/"
# and the vendored scripts, versioned by name, and the page's own scripts and styles, named by their content
IMMUTABLE = (BUNDLES, urls.VENDOR.split("<")[0], urls.BUNDLE.split("<")[0])


class BundleCache:
    """Flask-Compress's cache backend, keeping only immutable scripts: Dash's bundles, the vendored ones and the
    page's own (a few dozen files)."""

    def __init__(self):
        self._data: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def set(self, key: str, value: bytes) -> None:
        if any(prefix in key for prefix in IMMUTABLE) and len(self._data) < 256:
            with self._lock:
                self._data[key] = value


def cache_key(request) -> str:
    """The bundle's path and version; anything else gets a key the cache never keeps."""
    if request.method == "GET" and request.path.startswith(IMMUTABLE):
        return request.full_path
    return "-"


def compress_responses(server) -> None:
    server.config.update(COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_BR_LEVEL=5, COMPRESS_LEVEL=6,
                         COMPRESS_MIN_SIZE=1024, COMPRESS_STREAMS=False,
                         COMPRESS_CACHE_BACKEND=BundleCache, COMPRESS_CACHE_KEY=cache_key,
                         COMPRESS_MIMETYPES=["text/html", "text/css", "text/plain", "text/csv", "text/javascript",
                                             "application/javascript", "application/json", "application/geo+json",
                                             "image/svg+xml"])
    Compress(server)
