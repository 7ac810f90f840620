"""HTTP hardening: security headers with a Content-Security-Policy the app works under, and a bounded
rate of expensive requests per client."""
from __future__ import annotations

import json
import math
import threading
import time

from flask import Response, request

TILE_HOSTS = "https://service.pdok.nl"
EXPENSIVE = ("/_dash-update-component", "/export/", "/briefing/", "/vergelijk", "/initiatieven/")


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


class TokenBucket:
    """``rate`` requests a second per key, bursts up to ``burst``; thread-safe, per process."""

    def __init__(self, rate: float, burst: int, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - 1 if allowed else tokens, now)
            if len(self._buckets) > 50_000:     # forget idle clients rather than grow without bound
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 60}
            return allowed


def limit_expensive_requests(server, rate: float = 20, burst: int = 60) -> TokenBucket:
    bucket = TokenBucket(rate, burst)

    @server.before_request
    def limit():
        if request.path.startswith(EXPENSIVE) and not bucket.allow(request.remote_addr or "?"):
            return Response("Te veel verzoeken; probeer het zo opnieuw.\n", status=429, mimetype="text/plain",
                            headers={"Retry-After": "1"})
        return None

    return bucket


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
