"""Find an address, postcode or place through PDOK Locatieserver v3.1, on the server.

The browser only talks to our own server (the Content-Security-Policy keeps ``connect-src 'self'``); the app asks
Locatieserver with short timeouts and a bounded total wait, and after a failure leaves it alone for a while, so a
slow or failing Locatieserver never holds up the search by region name and code. Parsing is pure and tested on
recorded responses (tests/dashboard/locatieserver/).

>>> parse_point("POINT(5.40168265 52.16646193)")
(52.16646193, 5.40168265)
>>> is_document_id("adr-fb6a9e8075bd7e25281db1d21fb17982"), is_document_id("../../etc")
(True, False)
"""
from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from dashboard.state import is_code

DOCUMENT_ID = re.compile(r"[a-z]{3}-[0-9a-f]{32}")
POINT = re.compile(r"POINT\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)")
# what a resident looks for: an address, a postcode, a street or a place (no provinces, parcels, water boards)
TYPES = "type:(adres OR postcode OR weg OR woonplaats)"
MAX_BODY = 512 * 1024


class AddressSearchUnavailable(RuntimeError):
    """Locatieserver did not answer in time, or not with what v3.1 answers."""


@dataclass(frozen=True)
class Suggestion:
    id: str
    label: str
    type: str


@dataclass(frozen=True)
class Place:
    label: str
    buurtcode: str | None
    wijkcode: str | None
    lat: float | None
    lon: float | None


def is_document_id(value) -> bool:
    return isinstance(value, str) and DOCUMENT_ID.fullmatch(value) is not None


def parse_point(text) -> tuple[float, float] | None:
    """``POINT(lon lat)`` (centroide_ll, WGS84) → (lat, lon)."""
    found = POINT.fullmatch(text.strip()) if isinstance(text, str) else None
    return (float(found.group(2)), float(found.group(1))) if found else None


def _docs(body) -> list[dict]:
    docs = body.get("response", {}).get("docs") if isinstance(body, dict) else None
    if not isinstance(docs, list):
        raise AddressSearchUnavailable("not a Locatieserver response: no response.docs")
    return [d for d in docs if isinstance(d, dict)]


def parse_suggest(body) -> list[Suggestion]:
    """The documents of a ``suggest`` answer, as (id, label, type); others than well-formed ones are left out."""
    return [Suggestion(d["id"], str(d.get("weergavenaam") or ""), str(d.get("type") or ""))
            for d in _docs(body) if is_document_id(d.get("id")) and d.get("weergavenaam")]


def parse_lookup(body) -> Place | None:
    """The first document of a ``lookup`` answer: its name, buurt and wijk code (when CBS codes) and centroid."""
    docs = _docs(body)
    if not docs:
        return None
    doc = docs[0]
    point = parse_point(doc.get("centroide_ll"))
    buurt, wijk = doc.get("buurtcode"), doc.get("wijkcode")
    return Place(label=str(doc.get("weergavenaam") or ""), buurtcode=buurt if is_code(buurt) else None,
                 wijkcode=wijk if is_code(wijk) else None, lat=point[0] if point else None,
                 lon=point[1] if point else None)


class Locatieserver:
    """A client of one Locatieserver v3.1 base URL (``.../search/v3_1``).

    ``timeout`` bounds the whole wait for one answer; after a failure the client answers
    ``AddressSearchUnavailable`` at once for ``pause`` seconds instead of asking again.
    """

    _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="locatieserver")

    def __init__(self, base_url: str, timeout: float = 1.5, pause: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.pause = pause
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    def suggest(self, text: str, rows: int = 5) -> list[Suggestion]:
        text = " ".join(str(text).split())[:100]
        return parse_suggest(self._get("suggest", {"q": text, "rows": rows, "fq": TYPES}))

    def lookup(self, document_id: str) -> Place | None:
        if not is_document_id(document_id):
            return None
        return parse_lookup(self._get("lookup", {"id": document_id,
                                                 "fl": "id weergavenaam type buurtcode wijkcode centroide_ll"}))

    @property
    def available(self) -> bool:
        with self._lock:
            return self._failed_at is None or time.monotonic() - self._failed_at > self.pause

    def _get(self, endpoint: str, query: dict) -> dict:
        if not self.available:
            raise AddressSearchUnavailable("paused after a failure")
        url = f"{self.base_url}/{endpoint}?{urllib.parse.urlencode(query)}"
        future = self._pool.submit(self._fetch, url)
        try:
            body = future.result(timeout=self.timeout)
        except (FutureTimeout, OSError, ValueError) as error:
            with self._lock:
                self._failed_at = time.monotonic()
            raise AddressSearchUnavailable(f"{endpoint}: {type(error).__name__}") from None
        with self._lock:
            self._failed_at = None
        return body

    def _fetch(self, url: str) -> dict:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "wijkbeeld"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (a setting, https)
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            return json.loads(response.read(MAX_BODY + 1)[:MAX_BODY])
