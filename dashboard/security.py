"""HTTP hardening: security headers with a Content-Security-Policy the app works under, and a bounded
rate of expensive requests per client."""
from __future__ import annotations

import json
import math

from flask import Response, request

from dashboard import urls
from dashboard.proxies import PEER
from dashboard.ratelimit import SharedTokenBucket
from dashboard.settings import is_loopback

TILE_HOSTS = "https://service.pdok.nl"


def content_security_policy(script_hashes: list[str]) -> str:
    """Only our own scripts (and Dash's one inline bootstrap line, by hash); tiles from PDOK."""
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {' '.join(script_hashes)}",
        "style-src 'self' 'unsafe-inline'",     # React and Leaflet position elements with style attributes
        f"img-src 'self' data: blob: {TILE_HOSTS}",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(app) -> None:
    policy = content_security_policy(app.csp_hashes())

    @app.server.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


def limit_expensive_requests(server, settings) -> SharedTokenBucket:
    """Callbacks, data files, exports and briefings: ``settings.rate_limit`` a second per client, shared by all
    workers of the service (``X-Forwarded-For`` counts only from a trusted proxy: see dashboard/proxies.py)."""
    bucket = SharedTokenBucket(settings.runtime_dir / "ratelimit.sqlite3", settings.rate_limit, settings.rate_burst)

    @server.before_request
    def limit():
        if request.path.startswith(urls.EXPENSIVE_PREFIXES) and not bucket.allow(request.remote_addr or "?"):
            return Response("Te veel verzoeken; probeer het zo opnieuw.\n", status=429, mimetype="text/plain",
                            headers={"Retry-After": "1"})
        return None

    return bucket


def serve_loopback_only(server) -> None:
    """A staff app without a login answers only requests that come straight from this machine: not through a
    proxy, not on another address the server happens to listen on."""
    @server.before_request
    def local_only():
        environ = request.environ
        peer = environ.get(PEER, environ.get("REMOTE_ADDR", ""))
        local = environ.get("gunicorn.socket")
        listening = local.getsockname() if local is not None else ("127.0.0.1",)
        listening = listening[0] if isinstance(listening, tuple) else ""     # a unix socket: a proxy's
        forwarded = any(h in environ for h in ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP"))
        if forwarded or not is_loopback(str(peer)) or not is_loopback(str(listening)):
            return Response("Dit dashboard zonder login is alleen op deze computer te gebruiken.\n"
                            "This dashboard without a login is for use on this computer only.\n",
                            status=403, mimetype="text/plain")
        return None


def refuse_oversized(server, max_bytes: int = 256 * 1024) -> None:
    """No callback needs more than a few kilobytes; larger bodies are refused before they are parsed."""
    server.config["MAX_CONTENT_LENGTH"] = max_bytes


class _Refused(ValueError):
    pass


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _Refused("not a finite number")
    return number


def _constant(name: str):
    raise _Refused(f"{name} is not JSON")


def well_formed_callback(body: bytes, known_outputs) -> bool:
    """A callback request Dash can answer: an object naming a known output, with lists of inputs and state."""
    try:
        payload = json.loads(body.decode("utf-8"), parse_float=_finite, parse_constant=_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    if not isinstance(payload, dict) or payload.get("output") not in known_outputs:
        return False
    return all(isinstance(payload.get(key, []), list) and all(isinstance(x, dict) for x in payload.get(key, []))
               for key in ("inputs", "state"))


def refuse_malformed_callbacks(app) -> None:
    """Malformed callback requests get a 400 before Dash sees them (never a 500)."""
    @app.server.before_request
    def check_callback():
        if request.path == "/_dash-update-component" and request.method == "POST":
            if not well_formed_callback(request.get_data(cache=True), app.callback_map):
                return Response("Ongeldig verzoek\n", status=400, mimetype="text/plain")
        return None
