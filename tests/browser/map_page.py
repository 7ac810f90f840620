"""The map page as the browser tests see it: the published demo read independently of the dashboard (expected
colours from mapclassify directly), the fixtures of a watched page, and helpers to open the map, wait for it to be
drawn and still, choose in a dropdown and read pixels. Used by test_map.py, test_map_view.py and the other map
tests."""
from __future__ import annotations

import json
import shutil
import struct
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
    return inside_point_and_clearance(feature)[:2]


def inside_point_and_clearance(feature) -> tuple[float, float, float]:
    """(lat, lon, clearance): the inside point and its distance to the region's outline, in degrees."""
    geometry = shape(feature["geometry"])
    if geometry.geom_type == "MultiPolygon":
        geometry = max(geometry.geoms, key=lambda g: g.area)
    point = polylabel(geometry, tolerance=1e-6)
    return point.y, point.x, geometry.boundary.distance(point)


# ---------------------------------------------------------------- the page

# the regions are drawn by one canvas layer (assets/regions.js, window.wijkbeeld.regions): what it drew last is
# read through its own API (drawn, shown(), boundsOf()), the map is window.wijkbeeld.map
JS_PAINTED = """() => Object.fromEntries(Object.entries(window.wijkbeeld.regions.shown())
    .map(([code, shown]) => [code, shown.fill]))"""
JS_PAINTED_ANY = """() => { const classes = window.wijkbeeld.hideout.classes;
    return typeof classes === "string" && classes.length > 0; }"""
# the file the canvas shows, once drawn with a paint of its own regions (not still the paint of another file)
JS_DRAWN_URL = """() => { const r = window.wijkbeeld && window.wijkbeeld.regions, d = r && r.drawn;
    return d && d.regions === r.regions && d.own && d.classes.length > 0 ? r.url : null; }"""
# every region of the file named (codes in file order) drawn on the canvas, painted with its own file's paint
JS_DRAWN_CODES = """([name, codes]) => { const r = window.wijkbeeld && window.wijkbeeld.regions, d = r && r.drawn;
    if (!d || d.regions !== r.regions || !d.own || !d.classes.length || !r.url.endsWith('/' + name)) return false;
    const drawn = r.regions.properties.map(p => p.code);
    return d.count === codes.length && JSON.stringify(drawn) === JSON.stringify(codes)
        && Object.keys(r.shown()).length === codes.length; }"""
JS_DRAWN_COUNT = """n => { const r = window.wijkbeeld && window.wijkbeeld.regions, d = r && r.drawn;
    return !!d && d.regions === r.regions && d.count === n && Object.keys(r.shown()).length === n; }"""
JS_COLOURS_ARE = """expected => { const shown = window.wijkbeeld.regions.shown();
    return Object.entries(expected).every(([code, colour]) => shown[code] && shown[code].fill === colour); }"""
# the selected region's bold outline drawn (and no other region's)
JS_OUTLINED = """code => { const r = window.wijkbeeld.regions, d = r.drawn;
    if (!d || d.selected !== code) return false;
    return Object.entries(r.shown()).every(([c, s]) => s.weight === (c === code ? 3 : 0.7)); }"""
JS_MAP = "() => window.wijkbeeld.map"
JS_STILL = """() => {
    const map = window.wijkbeeld && window.wijkbeeld.map;
    if (!map) return false;
    const now = map.getCenter().toString() + map.getZoom();
    const still = window.__wijkbeeldView === now && !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
    window.__wijkbeeldView = now;
    return still; }"""
JS_CENTER = """() => { const m = window.wijkbeeld.map;
    const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }"""
JS_SET_ZOOM = "z => window.wijkbeeld.map.setZoom(z)"
REGIONS_CANVAS = ".leaflet-overlay-pane canvas.wijkbeeld-regions"
JS_PIXEL = """([lat, lon, clearance = 0]) => {
    const map = window.wijkbeeld.map;
    const point = map.latLngToContainerPoint([lat, lon]);
    const clearancePx = map.latLngToContainerPoint([lat, lon + clearance]).x - point.x;
    const box = map.getContainer().getBoundingClientRect();
    const x = box.left + point.x, y = box.top + point.y;
    const canvas = document.querySelector('""" + REGIONS_CANVAS + """');
    const cbox = canvas.getBoundingClientRect();
    const px = Math.floor((x - cbox.left) * canvas.width / cbox.width);
    const py = Math.floor((y - cbox.top) * canvas.height / cbox.height);
    const within = px >= 0 && py >= 0 && px < canvas.width && py < canvas.height;
    const rgba = Array.from(canvas.getContext('2d').getImageData(px, py, 1, 1).data);
    const background = getComputedStyle(map.getContainer()).backgroundColor;
    return {x, y, rgba, onCanvas: within && document.elementFromPoint(x, y) === canvas, background,
            dpr: window.devicePixelRatio, clearancePx}; }"""
# a sampled pixel this far (CSS pixels) from a region's outline holds its fill alone: in a region only a few
# pixels wide the inside point can lie on a neighbour's outline (0.7 px wide, antialiased)
CLEARANCE_PX = 2
# the layers on the Leaflet map (every one, those of groups too): the regions must be one of them, not one each
JS_MAP_LAYERS = """() => { const all = []; window.wijkbeeld.map.eachLayer(layer => all.push({
    regions: layer === window.wijkbeeld.regions, path: layer instanceof L.Path, marker: layer instanceof L.Marker,
    region: !!(layer.feature && layer.feature.properties && /^(BU|WK|GM)/.test(layer.feature.properties.code))}));
    return all; }"""


def geometry_requests(page) -> list[str]:
    return [url for url in page.requested if "/geometry/" in url]


def drawn_geometry(page) -> str:
    """The name of the geometry file whose regions the canvas shows (``2023-buurt.geojson``)."""
    url = page.evaluate(JS_DRAWN_URL)
    assert url, "no regions drawn with their own paint"
    return url.rsplit("/", 1)[1]


def wait_drawn(page, published, geometry_name: str | None = None) -> list[str]:
    """Wait until every region of the geometry file the map asked for (or of ``geometry_name``, once the map has
    asked for it) is drawn on the canvas with its paint; their codes in file order."""
    if geometry_name:
        page.wait_for_function("name => (window.wijkbeeld?.regions?.url || '').endsWith('/' + name)",
                               arg=geometry_name, timeout=TIMEOUT)
    # painted, not only drawn: the classes arrive from their own callback, in parallel with the geometry
    page.wait_for_function(JS_PAINTED_ANY, timeout=TIMEOUT)
    url = page.wait_for_function(JS_DRAWN_URL, timeout=TIMEOUT).json_value()
    name = url.rsplit("/", 1)[1]
    if geometry_name:
        assert name == geometry_name, (name, geometry_name)
    assert any(u.endswith("/" + name) for u in geometry_requests(page)), (name, geometry_requests(page))
    codes = [f["properties"]["code"] for f in published.features(name)]
    page.wait_for_function(JS_DRAWN_CODES, arg=[name, codes], timeout=TIMEOUT)
    return codes


def wait_still(page):
    page.wait_for_function(JS_STILL, polling=150, timeout=TIMEOUT)


def map_layers(page) -> dict[str, int]:
    """How many layers the Leaflet map has: the regions' own, vector ones, those of a region, and all but markers
    (the initiatives')."""
    layers = page.evaluate(JS_MAP_LAYERS)
    return {"regions": sum(layer["regions"] for layer in layers), "paths": sum(layer["path"] for layer in layers),
            "of a region": sum(layer["region"] for layer in layers),
            "not markers": sum(not layer["marker"] for layer in layers)}


def zoom_to(page, zoom: int):
    """Zoom the map (once a zoom under way has ended: Leaflet ignores another meanwhile) and wait until it is
    there."""
    page.wait_for_function("() => !window.wijkbeeld.map._animatingZoom", timeout=TIMEOUT)
    page.evaluate(JS_SET_ZOOM, zoom)
    page.wait_for_function("z => window.wijkbeeld.map.getZoom() === z && !window.wijkbeeld.map._animatingZoom",
                           arg=zoom, timeout=TIMEOUT)


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
    assert page.js_errors == [], page.js_errors


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
        pixel = page.evaluate(JS_PIXEL, list(inside_point_and_clearance(features[code])))
        if pixel["onCanvas"] and pixel["clearancePx"] >= CLEARANCE_PX:
            return code, pixel["x"], pixel["y"]
    raise AssertionError("no buurt visible")


def canvas_samples(page, expected: dict[str, str], features: dict, codes: list[str]) -> dict[str, dict]:
    """A region of each colour (missing left out) whose inside point is on the canvas, clear of its outline: its
    pixel there."""
    sampled = {}
    for code in codes:
        colour = expected[code]
        if colour == MISSING or colour in {c for c, _ in sampled.values()}:
            continue
        pixel = page.evaluate(JS_PIXEL, list(inside_point_and_clearance(features[code])))
        if pixel["onCanvas"] and pixel["clearancePx"] >= CLEARANCE_PX:   # not under the legend or a control
            sampled[code] = (colour, pixel)
    return sampled


def assert_canvas_holds(colour: str, pixel: dict, code: str) -> None:
    """The canvas holds the fill at its opacity; nothing else is drawn below a region's interior."""
    rgb, alpha = pixel["rgba"][:3], pixel["rgba"][3]
    assert alpha == pytest.approx(FILL_OPACITY * 255, abs=4), (code, pixel)
    assert rgb == pytest.approx(list(hex_rgb(colour)), abs=4), (code, colour, pixel)


def edge_points(feature) -> list[tuple[float, float]]:
    """(lat, lon) on a region's outline: the middle of each edge of its rings, longest edges first."""
    geometry = shape(feature["geometry"])
    polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
    edges = []
    for polygon in polygons:
        for ring in [polygon.exterior, *polygon.interiors]:
            points = list(ring.coords)
            edges += [((x0 - x1) ** 2 + (y0 - y1) ** 2, ((y0 + y1) / 2, (x0 + x1) / 2))
                      for (x0, y0), (x1, y1) in zip(points, points[1:])]
    return [middle for _, middle in sorted(edges, reverse=True)]


def outline_pixel(page, feature) -> dict:
    """The canvas pixel in the middle of the longest edge of a region that is on the canvas (not under the legend
    or a control)."""
    for point in edge_points(feature):
        pixel = page.evaluate(JS_PIXEL, list(point))
        if pixel["onCanvas"]:
            return pixel
    raise AssertionError(f"no edge of {feature['properties']['code']} on the canvas")


def is_bold_outline(pixel: dict) -> bool:
    """The selected region's outline (3 px of black at 0.9 over the fills) covers this canvas pixel: nearly opaque
    and nearly black, which no fill of the palettes nor the thin grey outline of every region is."""
    rgb, alpha = pixel["rgba"][:3], pixel["rgba"][3]
    return alpha >= 0.9 * 255 - 4 and max(rgb) <= 60
