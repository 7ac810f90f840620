"""A worker computes the default first view before it takes its first request.

What a page needs is computed once per published version and kept by the worker (dashboard/db.py memo); on the
national catalogue the default view's first page took a fresh worker 1.1 s (what is published, the default paint,
the map's first position), its layout 0.1 s and the figures its head preloads 0.4 s more. Without this, the first
visitor of every worker waits for that. Both gunicorn entry points (``wijkbeeld serve`` and ``dashboard.wsgi``)
build their app in the worker, after the fork, with :func:`worker_app`. A new published version is computed by
the first request that asks for it, as before.
"""
from __future__ import annotations

import os
import time

import dash

from dashboard.app import create_app
from dashboard.observe import stderr_logger
from dashboard.page import first_paint
from dashboard.published import NotPublished
from dashboard.settings import Settings

WORKER_LOG = stderr_logger("wijkbeeld.worker")


def worker_app(settings: Settings) -> dash.Dash:
    """The app for one gunicorn worker: :func:`create_app`, warmed."""
    app = create_app(settings)
    warm(app)
    return app


def warm(app: dash.Dash) -> None:
    """Compute the default view's page head (regions, paint, first position), its layout and the figures its head
    preloads, as a browser's first visit asks for them, without the hooks of a request (no login, log or limit).
    Never stops the worker: with nothing published, or a file it cannot read, the first request says so as it
    would have. Leaves no connection open: an app warmed before a fork (gunicorn ``--preload``) hands its workers
    what it computed, never a connection (STACK.md)."""
    data = app.server.config["WIJKBEELD_DATA"]
    started = time.perf_counter()
    try:
        with app.server.test_request_context("/", headers={"Referer": "http://localhost/"}):
            _, paint = first_paint(data, "")
            app.serve_layout()
            version = data.pinned_or_current()
        figures = paint.get("labels") if paint else None
        if isinstance(figures, str):    # what the page's head preloads: the figures of the tooltips (routes.py)
            with app.server.test_request_context(figures):
                app.server.dispatch_request()
    except Exception as error:      # the same error reaches the first request, which answers it as usual
        reason = error if isinstance(error, NotPublished) else f"{type(error).__name__}: {error}"
        WORKER_LOG.info(f"process {os.getpid()} not warmed: {reason}")
        return
    finally:
        data.close()
    WORKER_LOG.info(f"process {os.getpid()} warmed: the default view of version {version} in "
                    f"{time.perf_counter() - started:.2f} s")
