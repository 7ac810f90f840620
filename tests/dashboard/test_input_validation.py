"""Crafted requests get a 4xx or a harmless default: path traversal in every file route (also percent-encoded),
SQL fragments, 100 KB query strings, oversized and pathological bodies. Never a 500, a traceback, or the bytes
of a file that is not meant to be served.

test_public_leak.py walks every callback with crafted values and test_security.py checks headers, rate limits
and the body size limit; this file adds the routes that take a path or a code, and the odd sizes and shapes.
"""
from __future__ import annotations

import io
import json
import time

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import Settings
from tools.stress.serving import callback_payload

LONG = 100 * 1024
# Bytes of files that must never come back: DuckDB files, the catalog, Python source, the system.
SECRETS = (b"DUCK", b"[[indicator]]", b"READER_CONFIG", b"def ", b"root:x:0:0", b"Traceback", b'"files": {')


# No limit the validation tests could reach: a 429 would stand in for the status they check.
UNLIMITED = {"rate_limit": 1e9, "rate_burst": 10**9}


@pytest.fixture(scope="module")
def staff(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience="staff", **UNLIMITED)).server.test_client()


@pytest.fixture(scope="module")
def public(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience="public", **UNLIMITED)).server.test_client()


def test_the_rate_limit_cannot_answer_in_place_of_validation(public):
    """100 malformed callbacks from one client in a row: every one is refused as malformed, none as too many."""
    for _ in range(100):
        assert public.post("/_dash-update-component", data=b"{}", content_type="application/json").status_code == 400


@pytest.fixture(scope="module")
def version(demo_data_dir) -> str:
    return (demo_data_dir / "published").resolve().name


def harmless(response, allowed=(200, 204, 301, 302, 304, 308, 400, 403, 404, 405, 413, 414, 431)) -> None:
    body = response.get_data()
    assert response.status_code in allowed, (response.status_code, body[:300])
    for secret in SECRETS:
        assert secret not in body, (secret, body[:300])

DASH_BODY_500 = ("Dash answers 500 (KeyError, TypeError, RecursionError in dash/_callback.py) for a callback body of "
                 "the wrong shape. Fix in dashboard/security.py: a before_request hook on /_dash-update-component "
                 "that parses the body (catching ValueError and RecursionError), checks it is an object whose "
                 "'output' names a registered callback (app.callback_map) and whose inputs/state are lists of "
                 "objects, and answers 400 otherwise")
DASH_SUITES_500 = ("Dash raises DependencyException (500) for an unknown library in /_dash-component-suites/<lib>/...; "
                   "nothing leaks, but it should be a 404: add server.register_error_handler(dash.exceptions."
                   "DependencyException, lambda e: ('', 404)) in dashboard/app.py create_app")


TRAVERSALS = [
    "/geometry/../published/staff.duckdb",
    "/geometry/%2e%2e/%2e%2e/wijkbeeld.duckdb",
    "/geometry/{version}/..%2Fstaff.duckdb",
    "/geometry/{version}/..%2f..%2fwijkbeeld.duckdb",
    "/geometry/{version}/%2e%2e%2fmanifest.json",
    "/geometry/{version}/..%5cstaff.duckdb",
    "/geometry/{version}/2024-buurt.geojson%00.duckdb",
    "/geometry/{version}/2024-buurt.geojson/../../staff.duckdb",
    "/geometry/..%2F..%2F..%2F..%2Fetc%2Fpasswd/2024-buurt.geojson",
    "/geometry/{version}%2F..%2F..%2Fversions/2024-buurt.geojson",
    "/geometry/%252e%252e/%252e%252e/staff.duckdb",
    "/geometry/..;/staff.duckdb",
    "/values/../staff.duckdb",
    "/values/{version}/..%2F..%2Fstaff/2024/buurt.json",
    "/values/{version}/inwoners/2024/..%2F..%2Fstaff.json",
    "/values/..%2F..%2Fwijkbeeld.duckdb/inwoners/2024/buurt.json",
    "/assets/../db.py",
    "/assets/..%2Fdb.py",
    "/assets/%2e%2e/%2e%2e/etl/indicators.toml",
    "/assets/..%2F..%2Fetl%2Findicators.toml",
    "/assets/....//....//etc/passwd",
    "/assets/%252e%252e%252fdb.py",
    "/assets/..%5c..%5cetl%5cindicators.toml",
    "/assets//etc/passwd",
    pytest.param("/_dash-component-suites/../../dashboard/db.py"),
    pytest.param("/_dash-component-suites/dash/..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
    pytest.param("/_dash-component-suites/dash/%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    "/export/profiel/..%2F..%2Fstaff.csv",
    "/export/profiel/..%2Fstaff.duckdb.csv",
    "/export/profiel/%2e%2e%2f%2e%2e%2fetc%2fpasswd.csv",
    "/export/profiel/WK999901'%20OR%201=1--.csv",
    "/export/profiel/WK999901%00.csv",
    "/export/profiel/wk999901.csv",
    "/export/profiel/" + "9" * 10_000 + ".csv",
    "/briefing/..%2F..%2Fstaff.duckdb",
    "/briefing/WK999901%2F..%2F..%2Fetc%2Fpasswd.pdf",
    "/published/staff.duckdb",
    "/versions/{version}/staff.duckdb",
    "/wijkbeeld.duckdb",
    "/.wijkbeeld.lock",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_in_a_file_route_serves_nothing_it_should_not(path, staff, public, version):
    for client in (staff, public):
        response = client.get(path.format(version=version))
        harmless(response)
        if "%2e%2e" in path.lower() or "%2f" in path.lower() or ".." in path:
            assert response.status_code != 200 or b"<html" in response.get_data().lower()[:200], \
                "a traversal answers an error (or, for the page route, the app shell)"


def test_a_real_geometry_file_and_profile_still_answer(staff, version):
    assert staff.get(f"/geometry/{version}/2024-buurt.geojson").status_code == 200
    assert staff.get("/export/profiel/WK999901.csv").status_code == 200


LONG_QUERIES = [
    "/?thema=" + "a" * LONG,
    "/?" + "&".join(f"k{n}=v" for n in range(LONG // 6)),
    "/export/kaart.csv?indicator=" + "x" * LONG,
    "/export/kaart.geojson?" + "&".join(["niveau=buurt"] * (LONG // 12)),
    "/export/kaart.csv?indicator=%27%20OR%201%3D1%20--&jaar=1e308&niveau=..%2F..%2Fstaff&klassen=-1&vast=%00",
    "/export/kaart.csv?jaar=" + "9" * 5000,
    "/export/profiel/WK999901.csv?" + "a=" + "b" * LONG,
    "/kwaliteit?" + "x=" * (LONG // 2),
    "/vergelijk?codes=" + ",".join(["WK999901"] * (LONG // 9)),
    "/vergelijk?codes=GM9999%27%3B%20DROP%20TABLE%20regions%3B--&jaar=1e999&indicatoren=" + "x," * 5000,
    "/briefing/WK999901?jaar=" + "1" * LONG,
    f"/geometry/0/2024-buurt.geojson?{'q' * LONG}",
]


@pytest.mark.parametrize("path", LONG_QUERIES, ids=lambda p: p[:60])
def test_long_and_crafted_query_strings_are_harmless_and_quick(path, staff):
    started = time.monotonic()
    response = staff.get(path)
    harmless(response)
    assert time.monotonic() - started < 10, "a crafted query must not make the server work for long"


def test_the_public_app_refuses_staff_routes_whatever_the_query(public):
    for path in ("/export/kaart.csv?" + "a" * LONG, "/export/profiel/..%2F..%2Fstaff.csv", "/kwaliteit?x=1",
                 "/vergelijk?codes=WK999901", "/briefing/WK999901.pdf"):
        response = public.get(path)
        assert response.status_code == 404
        harmless(response)


def repaint(client, values: dict):
    """The map's paint callback (the one the browser sends when it has not painted a view before)."""
    dependencies = json.loads(client.get("/_dash-dependencies").data)
    dependency = next(d for d in dependencies if d["output"] == f"{ids.PAINT_ANSWER}.data")
    return client.post("/_dash-update-component", json=callback_payload(dependency, values))


CRAFTED_VIEWS = [
    {"indicator.value": "inwoners' OR 1=1 --", "year.value": 2024, "level.value": "buurt"},
    {"indicator.value": "inwoners", "year.value": 10 ** 30, "level.value": "buurt"},
    {"indicator.value": "inwoners", "year.value": -1, "level.value": "../../staff"},
    {"indicator.value": "x" * (200 * 1024), "level.value": "buurt"},
    {"indicator.value": ["inwoners"], "k.value": {"$gt": 1}, "scheme.value": "'; DROP TABLE regions; --"},
    {"indicator.value": "inwoners", "k.value": 10 ** 6, "fixed.value": ["x"] * 1000, "selected.data": "WK999901"},
    {"indicator.value": "inwoners", "selected.data": {"code": "WK999901"}, "map-layer.value": "../agenda"},
    {"indicator.value": "inwoners", "lang.data": "<script>alert(1)</script>", "level.value": "gemeente"},
    {"indicator.value": "inwoners", "paint-asked.data": {"key": '["<script>alert(1)</script>"]'}},
    {"indicator.value": "inwoners", "paint-asked.data": {"key": {"DROP TABLE": 1}, "n": "x" * 1000}},
]


@pytest.mark.parametrize("values", CRAFTED_VIEWS, ids=range(len(CRAFTED_VIEWS)))
def test_crafted_repaint_values_give_a_default_view_or_a_4xx(values, staff):
    response = repaint(staff, values)
    harmless(response)
    if response.status_code == 200:
        text = response.get_data(as_text=True)
        assert "<script>" not in text and "DROP TABLE" not in text


def _bug(body, name):
    """A body that once crashed Dash with a 500 (DASH_BODY_500), now refused with a 400."""
    return pytest.param(body, id=name)


@pytest.mark.parametrize("body", [
    _bug(b"[" * 200_000, "deep-array"),              # nesting deep enough to exhaust a recursive parser
    _bug(b'{"output": "x", "inputs": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "deep-inputs"),
    _bug(b'{"output": "..regions.url...regions.hideout...legend.children..", "inputs": NaN}', "nan"),
    _bug(b'{"output": 1e999}', "huge-number"),
    _bug(b"\xff\xfe" + "{}".encode("utf-16-le"), "utf16"),
    _bug(b'{"output": "' + b"a" * 200_000 + b'"}', "long-output"),
    pytest.param(b"", id="empty"),
    pytest.param(b"{not json", id="not-json"),
])
def test_pathological_callback_bodies_get_a_400(body, public, staff):
    for client in (staff, public):
        response = client.post("/_dash-update-component", data=body, content_type="application/json")
        harmless(response, allowed=(400,))


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_callback_body_over_the_limit_is_refused(chunked, public, staff):
    """A well-formed callback of 400 KB is held to the 256 KB limit, also chunked (no Content-Length, as gunicorn
    passes it on). With a Content-Length it is a 413 before anything is read; a chunked body is cut at the limit,
    so the callback check sees a truncated body and answers 400: either way Dash never parses it."""
    from werkzeug.test import EnvironBuilder

    for client in (staff, public):
        output = next(d["output"] for d in json.loads(client.get("/_dash-dependencies").data)
                      if d["output"] == f"{ids.PAINT_ANSWER}.data")
        body = json.dumps({"output": output, "inputs": [], "state": [], "padding": "x" * 400_000}).encode()
        environ = EnvironBuilder(path="/_dash-update-component", method="POST", input_stream=io.BytesIO(body),
                                 content_type="application/json").get_environ()
        if chunked:
            environ.pop("CONTENT_LENGTH", None)
            environ.update({"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True})
        else:
            environ["CONTENT_LENGTH"] = str(len(body))
        harmless(client.open(environ), allowed=(400,) if chunked else (413,))
