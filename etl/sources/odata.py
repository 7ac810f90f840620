"""A small client for the CBS OData v3 services, on the standard library.

Metadata (``DataProperties``) comes from the ``ODataApi`` endpoint; data from the ``ODataFeed`` endpoint, which
pages with ``odata.nextLink`` (the ``ODataApi`` endpoint stops at 10,000 rows). Both answer with the v3 envelope
``{"odata.metadata": ..., "value": [...]}``; recorded files may hold the bare ``value`` list.

The bases come from the environment when set, so tests and mirrors can point elsewhere:
``WIJKBEELD_CBS_ODATA_URL`` (kerncijfers, default https://opendata.cbs.nl) and ``WIJKBEELD_CBS_DATADERDEN_URL``
(third-party tables such as RIVM 50120NED, default https://dataderden.cbs.nl).
"""
from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable

from etl.codes import level_of
from etl.errors import LoadError
from etl.progress import meter

USER_AGENT = "wijkbeeld"
# More gemeenten than this are not put in a $filter (three clauses each make too long an address): their rows are
# kept when read instead.
MAX_ASKED_GEMEENTEN = 12
KERNCIJFERS_BASE = "https://opendata.cbs.nl"
DATADERDEN_BASE = "https://dataderden.cbs.nl"


def kerncijfers_base() -> str:
    """Base URL of the CBS open-data OData service (``WIJKBEELD_CBS_ODATA_URL`` overrides it)."""
    return (os.environ.get("WIJKBEELD_CBS_ODATA_URL") or KERNCIJFERS_BASE).rstrip("/")


def dataderden_base() -> str:
    """Base URL of the CBS third-party OData service (``WIJKBEELD_CBS_DATADERDEN_URL`` overrides it)."""
    return (os.environ.get("WIJKBEELD_CBS_DATADERDEN_URL") or DATADERDEN_BASE).rstrip("/")


def get_json(url: str, timeout: float = 60):
    """GET ``url`` and parse the JSON body; any failure is a :class:`LoadError` naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        raise LoadError(f"download failed: HTTP {error.code} {error.reason}", file=url) from error
    except urllib.error.URLError as error:
        raise LoadError(f"download failed: {error.reason}", file=url) from error
    except (TimeoutError, socket.timeout) as error:
        raise LoadError(f"download timed out after {timeout} s", file=url) from error
    except (OSError, http.client.HTTPException) as error:
        raise LoadError(f"download failed: {error}", file=url) from error
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise LoadError(f"response is not valid JSON: {error}", file=url) from error


def payload_rows(payload, source: str) -> list[dict]:
    """The rows of one OData answer: the ``value`` of a v3/v4 envelope, or a bare list."""
    if isinstance(payload, dict) and isinstance(payload.get("value"), list):
        rows = payload["value"]
    elif isinstance(payload, list):
        rows = payload
    else:
        raise LoadError("not an OData answer: expected a list or an object with a 'value' list", file=source)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise LoadError("not an OData row: expected an object", file=source, row=number, value=row)
    return rows


def next_link(payload) -> str | None:
    """The URL of the next page, if the answer says there is one."""
    if isinstance(payload, dict):
        return payload.get("odata.nextLink") or payload.get("@odata.nextLink")
    return None


def table_of(url: str) -> str | None:
    """The table id in an OData URL (``.../odata/85984NED/TypedDataSet`` → ``85984NED``)."""
    match = re.search(r"/odata/([^/?$]+)", url, flags=re.IGNORECASE)
    return match.group(1) if match else None


def fetch_rows(url: str, get: Callable = get_json, progress: Callable[[str], object] | None = None) -> list[dict]:
    """All rows behind ``url``, following ``odata.nextLink`` until no page is left."""
    label = table_of(url) or url
    rows: list[dict] = []
    seen: set[str] = set()
    page_url: str | None = url

    def line(*_):
        return f"{label}: {len(rows)} rows" + (" …" if page_url else "")

    with meter(progress, label, unit="pages", line=line) as pages:
        while page_url:
            if page_url in seen:
                raise LoadError("the next page link points back to a page already read", file=page_url)
            seen.add(page_url)
            payload = get(page_url)
            rows.extend(payload_rows(payload, source=page_url))
            page_url = next_link(payload)
            pages.update(note=f"{len(rows):,} rows")
    return rows


def data_properties_url(base: str, table_id: str) -> str:
    return f"{base.rstrip('/')}/ODataApi/odata/{table_id}/DataProperties"


def data_properties(base: str, table_id: str, get: Callable = get_json) -> list[dict]:
    """The DataProperties of a table: topics (``Key``, ``Title``, ``Unit``), dimensions, the GeoDetail."""
    return fetch_rows(data_properties_url(base, table_id), get=get)


def typed_dataset_url(base: str, table_id: str, *, select: Iterable[str] | None = None,
                      filter: str | None = None) -> str:
    """``{base}/ODataFeed/odata/{table}/TypedDataSet``, with ``$filter``/``$select`` when given.

    >>> typed_dataset_url("https://opendata.cbs.nl", "85984NED")
    'https://opendata.cbs.nl/ODataFeed/odata/85984NED/TypedDataSet'
    >>> typed_dataset_url("http://x", "50120NED", filter="Leeftijd eq '20300'", select=["ID", "Eenzaam_27"])
    'http://x/ODataFeed/odata/50120NED/TypedDataSet?$filter=Leeftijd%20eq%20%2720300%27&$select=ID,Eenzaam_27'
    """
    url = f"{base.rstrip('/')}/ODataFeed/odata/{table_id}/TypedDataSet"
    query = []
    if filter:
        query.append("$filter=" + urllib.parse.quote(filter, safe=""))
    if select:
        query.append("$select=" + ",".join(urllib.parse.quote(key, safe="") for key in select))
    return url + ("?" + "&".join(query) if query else "")


def regions_filter(field: str, gemeenten: Iterable[str]) -> str:
    """An OData v3 ``$filter`` for the rows of ``gemeenten``, their wijken and buurten, and of the Netherlands (the
    reference beside them; ``NL00`` in kerncijfers, ``NL01`` in 50120NED). Every code of a gemeente's regions
    starts with its four digits; ``startswith`` needs no padding.

    >>> regions_filter("WijkenEnBuurten", ["GM0150"])  # doctest: +NORMALIZE_WHITESPACE
    "startswith(WijkenEnBuurten,'GM0150') or startswith(WijkenEnBuurten,'WK0150') or
     startswith(WijkenEnBuurten,'BU0150') or startswith(WijkenEnBuurten,'NL')"
    """
    if not re.fullmatch(r"[A-Za-z_]\w*", field):
        raise ValueError(f"not an OData property name: {field!r}")
    prefixes = []
    for code in gemeenten:
        if level_of(code) != "gemeente":
            raise ValueError(f"not a gemeente code: {code!r} (expected GM and four digits, e.g. GM0150)")
        prefixes += [code, "WK" + code[2:], "BU" + code[2:]]
    return " or ".join(f"startswith({field},{odata_string(prefix)})" for prefix in [*prefixes, "NL"])


def odata_string(text: str) -> str:
    """``text`` as an OData string literal: in quotes, a quote doubled.

    >>> odata_string("it's")
    "'it''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def all_of(*conditions: str | None) -> str | None:
    """The conditions given (None: none), joined with ``and``, each in brackets when there are several.

    >>> all_of("Leeftijd eq '20300'", "a or b"), all_of(None, "a or b"), all_of(None)
    ("(Leeftijd eq '20300') and (a or b)", 'a or b', None)
    """
    present = [c for c in conditions if c]
    if len(present) <= 1:
        return present[0] if present else None
    return " and ".join(f"({c})" for c in present)


def shown_url(text: str) -> str:
    """An address as a message shows it: a ``$select`` of a hundred keys left out.

    >>> shown_url("http://x/ODataFeed/odata/85984NED/TypedDataSet?$filter=a&$select=ID,WijkenEnBuurten,A_1&$skiptoken=9")
    'http://x/ODataFeed/odata/85984NED/TypedDataSet?$filter=a&$select=…&$skiptoken=9'
    """
    return re.sub(r"([?&]\$select=)[^&]*", r"\1…", text)


def rows_sha256(rows: list[dict]) -> str:
    """sha256 of the canonical JSON of fetched rows: the same data gives the same hash, whatever the paging."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
