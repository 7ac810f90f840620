"""The map page as the browser tests see it: the published demo read independently of the dashboard (expected
colours from mapclassify directly), the fixtures of a watched page, and helpers to open the map, wait for it to be
drawn and still, choose in a dropdown and read pixels. Used by test_map.py, test_map_view.py and the other map
tests."""
from __future__ import annotations

import json
import shutil
import struct
import time
import zlib
from urllib.parse import urlsplit

import duckdb
import mapclassify
import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from shapely.geometry import shape
from shapely.ops import polylabel

# pytest-base-url (pulled in by pytest-playwright) defines its session fixture in a class: pytest 9 warns
pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]

# ColorBrewer YlGnBu, as published by ColorBrewer (not imported from geo.classify on purpose)
YLGNBU = {3: ["#edf8b1", "#7fcdbb", "#2c7fb8"], 4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
          5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]}
MISSING = "#ffffff"
FILL_OPACITY = 0.78
TILE_HOST = "service.pdok.nl"
TIMEOUT = 10_000


# ---------------------------------------------------------------- data, independent of the dashboard

class Published:
    """Read-only view of the demo's published staff DB and geometry files (a copy, so the app's own
    read-only connection is never disturbed)."""

    def __init__(self, data_dir, tmp_dir):
        copy = tmp_dir / "staff.duckdb"
        shutil.copy(data_dir / "published" / "staff.duckdb", copy)
        con = duckdb.connect(str(copy), read_only=True)
        self.observations = {(i, y, lv, c): v for i, y, lv, c, v in con.execute(
            "SELECT indicator_id, year, level, code, value FROM observations").fetchall()}
        self.names = dict(con.execute("SELECT DISTINCT ON (code) code, name FROM regions "
                                      "ORDER BY code, year DESC").fetchall())
        self.wijk_of = dict(con.execute("SELECT code, wijk_code FROM regions WHERE level = 'buurt'").fetchall())
        self.labels = {i: (nl, en) for i, nl, en in con.execute(
            "SELECT id, label_nl, label_en FROM indicators").fetchall()}
        self.region_counts = dict(((y, lv), n) for y, lv, n in con.execute(
            "SELECT year, level, count(*) FROM regions GROUP BY ALL").fetchall())
        con.close()
        self.geometry_dir = data_dir / "published" / "geometry"

    def features(self, geometry_name: str) -> list[dict]:
        return json.loads((self.geometry_dir / geometry_name).read_text())["features"]

    def values(self, indicator, year, level, codes) -> dict[str, float | None]:
        return {c: self.observations.get((indicator, year, level, c)) for c in codes}

    def pooled(self, indicator, level) -> list[float]:
        return [v for (i, _, lv, _), v in self.observations.items() if i == indicator and lv == level and v is not None]

    def expected_colours(self, indicator, year, level, codes, scheme=mapclassify.Quantiles, k=5,
                         pooled=False) -> dict[str, str]:
        values = self.values(indicator, year, level, codes)
        present = {c: v for c, v in values.items() if v is not None}
        basis = self.pooled(indicator, level) if pooled else list(present.values())
        bins = scheme(np.asarray(basis, dtype=float), k=k).bins
        assert len(set(bins)) == k, "test data should give k distinct breaks"
        palette = YLGNBU[k]
        # mapclassify: a value belongs to the first class whose upper bound it does not exceed
        return {c: (palette[min(int(np.searchsorted(bins, v, side="left")), k - 1)] if v is not None else MISSING)
                for c, v in values.items()}


@pytest.fixture(scope="module")
def published(demo_data_dir, tmp_path_factory):
    return Published(demo_data_dir, tmp_path_factory.mktemp("published-copy"))


def inside_point(feature) -> tuple[float, float]:
    """(lat, lon) well inside a region: the pole of inaccessibility of its largest part."""
    geometry = shape(feature["geometry"])
    if geometry.geom_type == "MultiPolygon":
        geometry = max(geometry.geoms, key=lambda g: g.area)
    point = polylabel(geometry, tolerance=1e-6)
    return point.y, point.x


# ---------------------------------------------------------------- the page

JS_PAINTED = """() => Object.fromEntries(Object.entries(window.wijkbeeld.layers)
    .filter(([code, layer]) => layer._map).map(([code, layer]) => [code, layer.options.fillColor || null]))"""
JS_PAINTED_ANY = """() => { const classes = window.wijkbeeld.hideout.classes;
    return typeof classes === "string" && classes.length > 0; }"""
JS_DRAWN_COUNT = """n => window.wijkbeeld && window.wijkbeeld.layers &&
    Object.values(window.wijkbeeld.layers).filter(layer => layer._map).length === n"""
JS_COLOURS_ARE = """expected => Object.entries(expected).every(([code, colour]) => {
    const layer = window.wijkbeeld.layers[code];
    return layer && layer._map && layer.options.fillColor === colour; })"""
JS_MAP = "() => Object.values(window.wijkbeeld.layers).find(layer => layer._map)._map"
JS_STILL = """() => {
    const layer = Object.values(window.wijkbeeld.layers).find(l => l._map);
    if (!layer) return false;
    const map = layer._map, now = map.getCenter().toString() + map.getZoom();
    const still = window.__wijkbeeldView === now && !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
    window.__wijkbeeldView = now;
    return still; }"""
JS_CENTER = """() => { const m = Object.values(window.wijkbeeld.layers).find(l => l._map)._map;
    const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"""
JS_PIXEL = """([lat, lon]) => {
    const map = Object.values(window.wijkbeeld.layers).find(l => l._map)._map;
    const point = map.latLngToContainerPoint([lat, lon]);
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + point.x, y = box.top + point.y;
    const canvas = document.querySelector('.leaflet-overlay-pane canvas');
    const cbox = canvas.getBoundingClientRect();
    const px = Math.floor((x - cbox.left) * canvas.width / cbox.width);
    const py = Math.floor((y - cbox.top) * canvas.height / cbox.height);
    const rgba = Array.from(canvas.getContext('2d').getImageData(px, py, 1, 1).data);
    const background = getComputedStyle(map.getContainer()).backgroundColor;
    return {x, y, rgba, onCanvas: document.elementFromPoint(x, y) === canvas, background,
            dpr: window.devicePixelRatio}; }"""


def geometry_requests(page) -> list[str]:
    return [url for url in page.requested if "/geometry/" in url]


def drawn_geometry(page) -> str:
    """The name of the geometry file the page drew last (``2023-buurt.geojson``)."""
    return geometry_requests(page)[-1].rsplit("/", 1)[1]


def wait_drawn(page, published, geometry_name: str | None = None) -> list[str]:
    """Wait until every region of the requested geometry file (or of ``geometry_name``, once the page has
    asked for it) is on the map; their codes in file order."""
    if geometry_name:
        deadline = time.monotonic() + TIMEOUT / 1000
        while not any(u.endswith("/" + geometry_name) for u in geometry_requests(page)):
            assert time.monotonic() < deadline, f"{geometry_name} never requested: {geometry_requests(page)}"
            page.wait_for_timeout(50)
    page.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.includes('/geometry/'))",
                           timeout=TIMEOUT)
    page.wait_for_function("() => window.wijkbeeld && Object.keys(window.wijkbeeld.layers).length > 0",
                           timeout=TIMEOUT)
    # painted, not only drawn: the classes arrive from their own callback, in parallel with the geometry
    page.wait_for_function(JS_PAINTED_ANY, timeout=TIMEOUT)
    codes = [f["properties"]["code"] for f in published.features(drawn_geometry(page))]
    page.wait_for_function(JS_DRAWN_COUNT, arg=len(codes), timeout=TIMEOUT)
    return codes


def wait_still(page):
    page.wait_for_function(JS_STILL, polling=150, timeout=TIMEOUT)


def wait_colours(page, expected: dict[str, str]):
    page.wait_for_function(JS_COLOURS_ARE, arg=expected, timeout=TIMEOUT)


def painted(page) -> dict[str, str]:
    return page.evaluate(JS_PAINTED)


def choose(page, control_id: str, option_text: str):
    """Open a dropdown with the mouse and click the option with exactly this text."""
    page.click(f"#{control_id}")
    options = page.locator(".dash-dropdown-content .dash-dropdown-option")
    options.filter(has_text=option_text).first.wait_for(timeout=TIMEOUT)
    exact = [i for i, text in enumerate(options.all_inner_texts()) if text.strip() == option_text]
    assert exact, f"no option {option_text!r} in #{control_id}: {options.all_inner_texts()}"
    options.nth(exact[0]).click()
    try:
        page.wait_for_function("() => !document.querySelector('.dash-dropdown-content')", timeout=1000)
    except PlaywrightTimeout:  # clicking the option already chosen leaves the list open
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('.dash-dropdown-content')", timeout=TIMEOUT)
    assert shown(page, control_id) == option_text


def shown(page, control_id: str) -> str:
    return page.inner_text(f"#{control_id}").strip()


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def css_rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(float(p)) for p in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def screen_pixel(page, x: float, y: float) -> tuple[int, int, int]:
    """The colour a person sees at (x, y): a 1×1 screenshot, decoded (for one pixel every PNG filter is raw)."""
    png = page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1}, animations="disabled")
    position, data = 8, b""
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            assert body[8] == 8 and body[9] in (2, 6), "8-bit RGB or RGBA PNG expected"
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    return tuple(zlib.decompress(data)[1:4])  # a filter byte, then the pixel


def assert_clean(page):
    """Only 127.0.0.1 and basemap tiles requested, and no JavaScript errors."""
    hosts = {urlsplit(url).hostname for url in page.requested if not url.startswith(("data:", "blob:"))}
    assert hosts <= {"127.0.0.1", TILE_HOST}, hosts
    assert page.js_errors == []


@pytest.fixture
def watched(watched_page):
    """watched_page, plus console errors (those of failed tile loads are expected offline)."""
    watched_page.console_errors = []
    watched_page.on("console", lambda message: watched_page.console_errors.append(
        (message.text, message.location.get("url", ""))) if message.type == "error" else None)
    watched_page.set_default_timeout(TIMEOUT)
    return watched_page


def open_map(page, url: str, published, query: str = "") -> list[str]:
    page.goto(url + "/" + query)
    codes = wait_drawn(page, published)
    wait_still(page)
    return codes



def visible_point(page, published, codes, wanted=lambda code: True):
    """A (code, x, y) inside a region that is not hidden under the legend or a control."""
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    for code in codes:
        if not wanted(code):
            continue
        pixel = page.evaluate(JS_PIXEL, list(inside_point(features[code])))
        if pixel["onCanvas"]:
            return code, pixel["x"], pixel["y"]
    raise AssertionError("no buurt visible")
