"""What a proxy, an orchestrator and an operator see of a running service: health checks and one log line per
request."""
from __future__ import annotations

import logging
import sys
import time

from flask import Response, g, request

from dashboard import urls
from dashboard.db import NotPublished, PublishedData


def stderr_logger(name: str) -> logging.Logger:
    """A logger of ours that writes its lines, timed, to standard error (gunicorn's error log, journald)."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


ACCESS_LOG = stderr_logger("wijkbeeld.access")


def register_health_routes(server, data: PublishedData) -> None:
    """``/healthz``: the process answers. ``/readyz``: a published version can be read (503 until then)."""
    @server.route(urls.HEALTHZ)
    def healthz():
        return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})

    @server.route(urls.READYZ)
    def readyz():
        try:
            version = data.rows("meta", ())
            answer, status = f"ready {data.pinned_or_current()}\n", 200 if version is not None else 503
        except NotPublished as error:
            answer, status = f"not ready: {error}\n", 503
        except Exception as error:      # an unreadable file is "not ready", never a traceback
            answer, status = f"not ready: {type(error).__name__}\n", 503
        return Response(answer, status=status, mimetype="text/plain", headers={"Cache-Control": "no-store"})


def log_every_request(server, data: PublishedData) -> None:
    """One line per request: method, path, status, duration and the published version that answered."""
    @server.before_request
    def start_clock():
        g.wijkbeeld_started = time.perf_counter()

    @server.after_request
    def access_line(response):
        started = g.get("wijkbeeld_started")
        duration = (time.perf_counter() - started) * 1000 if started else 0.0
        ACCESS_LOG.info("%s %s %s %s %d %.1fms version=%s", request.remote_addr or "-", request.method,
                        request.path, response.status_code, response.calculate_content_length() or 0, duration,
                        data.pinned_version() or "-")
        return response
