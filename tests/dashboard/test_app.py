"""The page shell: it names the files its first view will fetch, so the browser fetches them while the scripts
start, and every file it names is served; its scripts are Dash's less the polyfill."""
from __future__ import annotations

import gzip
import json
import re
from urllib.parse import unquote

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="(fetch|script)"( crossorigin="anonymous")?>')
READER = re.compile(r'<script src="/assets/regions-reader.js" data-regions="([^"]+)"></script>')
FIRST_PAINT = re.compile(r'<script type="application/json" id="first-paint">(.*?)</script>')


@pytest.fixture(scope="module", params=["staff", "public"])
def client(request, demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience=request.param)).server.test_client()


@pytest.fixture(scope="module")
def version(demo_data_dir) -> str:
    return (demo_data_dir / "published").resolve().name


def preloads(client, query: str = "") -> list[tuple[str, str]]:
    """The files the page's head names: the regions' file (read from the head by assets/regions-reader.js) as
    ("regions"), then its preloads."""
    response = client.get("/" + query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return ([(href, "fetch") for href in READER.findall(page)]
            + [(href, kind) for href, kind, _ in PRELOAD.findall(page)])


def test_the_default_view_names_its_geometry_figures_and_scripts(client, version):
    found = preloads(client)
    fetches = [href for href, kind in found if kind == "fetch"]
    assert fetches == [f"/geometry/{version}/2023-buurt.geojson", f"/values/{version}/nl/laag_inkomen/2023/buurt.json"]
    assert any(href.endswith("/async-GeoJSON.js") for href, kind in found if kind == "script")


def test_the_head_reads_the_regions_before_the_pages_scripts_and_holds_their_paint(client, version):
    """The regions' file is read from the head, before any of the page's scripts (assets/regions-reader.js,
    which is not one of the assets Dash adds); the paint is the one the layout's paint store holds."""
    page = client.get("/?niveau=wijk").get_data(as_text=True)
    assert READER.findall(page) == [f"/geometry/{version}/2023-wijk.geojson"]
    assert re.findall(r'<script src="([^"]+)"', page)[0] == "/assets/regions-reader.js"
    assert page.count("regions-reader.js") == 1
    assert client.get("/assets/regions-reader.js").status_code == 200
    paint = json.loads(FIRST_PAINT.search(page).group(1))
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?niveau=wijk"}).get_json()
    stores = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Store" and isinstance(node.get("props"), dict):
                stores[node["props"].get("id")] = node["props"].get("data")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(layout)
    assert paint == stores["paint"] and paint["geometry"] == "2023-wijk"
    assert stores["regions"] == f"/geometry/{version}/2023-wijk.geojson"


def test_the_view_in_the_query_is_the_one_named(client, version):
    found = [href for href, kind in preloads(client, "?indicator=aardgas&jaar=2021&niveau=wijk") if kind == "fetch"]
    assert found == [f"/geometry/{version}/2021-wijk.geojson", f"/values/{version}/nl/aardgas/2021/wijk.json"]
    # the country in view: the buurten come from the overview file
    found = [href for href, kind in preloads(client, "?lat=52.1&lon=5.3&zoom=8") if kind == "fetch"]
    assert found[0] == f"/geometry/{version}/2023-buurt-overzicht.geojson"


def test_every_named_file_is_served(client):
    for query in ("", "?niveau=gemeente", "?lat=52.1&lon=5.3&zoom=8"):
        for href, _ in preloads(client, query):
            assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("query, crafted", [("?niveau=<script>x", "<script>x"),
                                            ("?indicator=%22%3E%3Cscript%3Ey", '"><script>y'),
                                            ('?jaar=1999&regio=x"z', 'x"z')])
def test_a_crafted_query_names_only_the_default_files(client, version, query, crafted):
    assert crafted not in client.get("/" + query).get_data(as_text=True)
    assert [href for href, kind in preloads(client, query) if kind == "fetch"] == \
        [f"/geometry/{version}/2023-buurt.geojson", f"/values/{version}/nl/laag_inkomen/2023/buurt.json"]


SCRIPT = re.compile(r'<script src="([^"]+)"></script>')


def test_the_page_loads_no_dash_table_and_no_layout_needs_it(client):
    """dash_table's bundle is left out of the page: no layout the app serves has a component of it."""
    assert not [s for s in SCRIPT.findall(client.get("/").get_data(as_text=True)) if "dash_table" in s]
    for query in ("", "?niveau=wijk", "?regio=GM0999", "?laag=agenda"):
        layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/" + query})
        body = layout.get_data(as_text=True)
        assert layout.status_code == 200 and '"namespace":"dash_core_components"' in body
        assert '"namespace":"dash_table"' not in body


def test_the_page_loads_regenerator_runtime_instead_of_dashs_polyfill(client):
    """Dash's bundles need only regenerator-runtime of @babel/polyfill; the page loads that (vendored, first),
    compressed and cached for a year like Dash's own bundles."""
    scripts = SCRIPT.findall(client.get("/").get_data(as_text=True))
    assert not [s for s in scripts if "polyfill" in s]
    assert scripts[0] == "/vendor/regenerator-runtime-0.13.11.js"
    for _ in range(2):   # the second from the compression cache
        response = client.get(scripts[0], headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.cache_control.max_age >= 365 * 24 * 3600 and response.cache_control.public
        assert b"regeneratorRuntime = runtime" in gzip.decompress(response.data)


@pytest.mark.parametrize("name", ["runtime.js", "leaflet.js", "..%2Fapp.py", "regenerator-runtime-0.13.10.js"])
def test_only_the_vendored_scripts_are_served_from_vendor(client, name):
    response = client.get(f"/vendor/{name}")
    assert response.status_code == 404 or b"regeneratorRuntime" not in response.data


def page_of(layout: dict) -> dict:
    """The layout's page and the address it was rendered for, from the JSON Dash sends."""
    children = layout["props"]["children"]
    found = {c["props"]["id"]: c["props"] for c in children}
    return {"rendered_for": found["rendered-for"].get("data"), "page": found["page"].get("children")}


def test_the_layout_brings_the_page_of_the_address_that_asks_for_it(client):
    """Dash fetches its layout from the page, whose address the Referer names: the first view needs no callback."""
    response = client.get("/_dash-layout", headers={"Referer": "http://localhost/?niveau=wijk&regio=WK999901"})
    assert response.status_code == 200
    found = page_of(response.get_json())
    assert found["rendered_for"] == "?niveau=wijk&regio=WK999901"
    assert "WK999901" in json.dumps(found["page"])

    plain = page_of(client.get("/_dash-layout", headers={"Referer": "http://localhost/"}).get_json())
    assert plain["rendered_for"] == "" and plain["page"]


def test_without_a_referer_the_page_comes_from_its_callback(client):
    found = page_of(client.get("/_dash-layout").get_json())
    assert found == {"rendered_for": None, "page": None}


def test_a_fresh_worker_serves_the_pages_scripts_to_requests_that_arrive_together(demo_data_dir):
    """The browser asks for the page's scripts on several connections at once; the threads of a worker that has
    answered nothing yet (gunicorn gthread) must all find them, not 404 while the first sets Dash up."""
    import threading

    scripts = SCRIPT.findall(create_app(Settings(data_dir=demo_data_dir)).server.test_client().get("/")
                             .get_data(as_text=True))
    suites = [s for s in scripts if s.startswith("/_dash-component-suites/")]
    assert len(suites) >= 6
    for _ in range(3):
        fresh = create_app(Settings(data_dir=demo_data_dir)).server
        start, statuses = threading.Barrier(len(suites)), {}

        def fetch(url):
            client = fresh.test_client()
            start.wait()
            statuses[url] = client.get(url).status_code

        threads = [threading.Thread(target=fetch, args=(url,)) for url in suites]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == {url: 200 for url in suites}


def test_the_page_holds_its_own_icon(client):
    """wijkbeeld's icon is in the page (no request; Dash's 15 KB one was fetched twice per first view), and is an
    SVG image."""
    page = client.get("/").get_data(as_text=True)
    icons = re.findall(r'<link rel="icon" href="data:image/svg\+xml,([^"]+)">', page)
    assert len(icons) == 1 and "_favicon.ico" not in page
    assert unquote(icons[0]).startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
