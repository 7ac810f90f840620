"""What a person sees on the map page, in headless Chromium against the published demo (Voorbeeldstad).

Expected colours are computed here from the published DuckDB file with mapclassify directly, never with the
dashboard's own classification code, and compared with what Leaflet painted (and, for a few regions, with the
pixels on the canvas and on the screen).
"""
from __future__ import annotations

import json
import re
import shutil
import statistics
import struct
import time
import zlib
from urllib.parse import parse_qs, urlsplit

import duckdb
import mapclassify
import numpy as np
import pytest
from playwright.sync_api import expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from shapely.geometry import shape
from shapely.ops import polylabel

from tests.browser.conftest import screenshot

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


# ---------------------------------------------------------------- 1. the demo loads and paints right


def test_all_buurten_drawn_in_the_colour_of_their_class(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    assert drawn_geometry(page).endswith("-buurt.geojson")
    year = int(drawn_geometry(page)[:4])
    assert len(codes) == published.region_counts[(year, "buurt")] == 50
    expected = published.expected_colours("laag_inkomen", 2023, "buurt", codes)
    assert painted(page) == expected
    assert set(expected.values()) == {*YLGNBU[5], MISSING}
    legend_counts = [int(t.strip("()")) for t in page.locator(".legend-class .legend-count").all_inner_texts()]
    assert legend_counts == [list(expected.values()).count(c) for c in YLGNBU[5]]
    assert page.inner_text(".legend-title") == f"{published.labels['laag_inkomen'][0]}, 2023"
    screenshot(page, "map-default")
    assert_clean(page)


def canvas_samples(page, expected: dict[str, str], features: dict, codes: list[str]) -> dict[str, dict]:
    """A region of each colour (missing left out) whose inside point is on the canvas: its pixel there."""
    sampled = {}
    for code in codes:
        colour = expected[code]
        if colour == MISSING or colour in {c for c, _ in sampled.values()}:
            continue
        pixel = page.evaluate(JS_PIXEL, list(inside_point(features[code])))
        if pixel["onCanvas"]:   # not under the legend or a control
            sampled[code] = (colour, pixel)
    return sampled


def assert_canvas_holds(colour: str, pixel: dict, code: str) -> None:
    """The canvas holds the fill at its opacity; nothing else is drawn below a region's interior."""
    rgb, alpha = pixel["rgba"][:3], pixel["rgba"][3]
    assert alpha == pytest.approx(FILL_OPACITY * 255, abs=4), (code, pixel)
    assert rgb == pytest.approx(list(hex_rgb(colour)), abs=4), (code, colour, pixel)


def test_canvas_and_screen_pixels_show_the_class_colours(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    expected = published.expected_colours("laag_inkomen", 2023, "buurt", codes)
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    sampled = canvas_samples(page, expected, features, codes)
    for code, (colour, pixel) in sampled.items():
        assert_canvas_holds(colour, pixel, code)
        # on screen: the fill blended over what is under it (no tiles offline: the map's background)
        under = css_rgb(pixel["background"])
        blended = [FILL_OPACITY * f + (1 - FILL_OPACITY) * b for f, b in zip(hex_rgb(colour), under)]
        assert screen_pixel(page, pixel["x"], pixel["y"]) == pytest.approx(blended, abs=8), (code, colour)
    assert len(sampled) >= 3, "at least three classes sampled on screen"


# ---------------------------------------------------------------- 2. another indicator or year recolours


def test_indicator_change_recolours_without_fetching_geometry(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    before = painted(page)
    fetched = len(geometry_requests(page))
    choose(page, "theme", "Energie")
    choose(page, "indicator", published.labels["aardgas"][0])
    expected = published.expected_colours("aardgas", 2023, "buurt", codes)
    wait_colours(page, expected)
    after = painted(page)
    assert after == expected and after != before
    assert sum(before[c] != after[c] for c in codes) >= 10
    assert page.inner_text(".legend-title") == f"{published.labels['aardgas'][0]}, 2023"
    assert len(geometry_requests(page)) == fetched, geometry_requests(page)[fetched:]

    # another year: the figures of that year, on that year's geometry (a new file only if the year differs)
    choose(page, "year", "2021")
    codes_2021 = wait_drawn(page, published, "2021-buurt.geojson")
    assert drawn_geometry(page) == "2021-buurt.geojson" and len(codes_2021) == 49
    expected_2021 = published.expected_colours("aardgas", 2021, "buurt", codes_2021)
    wait_colours(page, expected_2021)
    assert painted(page) == expected_2021
    assert [u.rsplit("/", 1)[1] for u in geometry_requests(page)[fetched:]] == ["2021-buurt.geojson"]
    assert page.inner_text(".legend-title").endswith(", 2021")
    assert_clean(page)


def test_scheme_and_k_change_recolours_with_the_same_geometry(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    fetched = len(geometry_requests(page))
    choose(page, "scheme", "Gelijke intervallen")
    choose(page, "k", "4")
    expected = published.expected_colours("laag_inkomen", 2023, "buurt", codes, mapclassify.EqualInterval, 4)
    wait_colours(page, expected)
    assert painted(page) == expected
    assert page.locator(".legend-class").count() == 4
    assert len(geometry_requests(page)) == fetched
    assert_clean(page)



def test_a_view_painted_before_comes_back_without_asking_the_server(watched, staff_url, published):
    """A change of view asks the server once, for the paint of a view the browser has not painted (its year is
    chosen in the browser: no callback for the year first); back to a view painted before asks nothing."""
    page = watched
    outputs = []
    page.on("request", lambda r: outputs.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    codes = open_map(page, staff_url, published)
    first = painted(page)
    paints = lambda: outputs.count("paint-answer.data")  # noqa: E731
    figures = lambda: len([u for u in page.requested if "/values/" in u])  # noqa: E731

    choose(page, "indicator", published.labels["sociaal_minimum"][0])
    other = published.expected_colours("sociaal_minimum", 2023, "buurt", codes)
    wait_colours(page, other)
    page.wait_for_timeout(300)
    assert paints() == 1 and not any("year." in output for output in outputs), outputs
    asked, fetched = len(outputs), figures()

    choose(page, "indicator", published.labels["laag_inkomen"][0])   # the page's own first view
    wait_colours(page, first)
    assert page.inner_text(".legend-title") == f"{published.labels['laag_inkomen'][0]}, 2023"
    choose(page, "indicator", published.labels["sociaal_minimum"][0])
    wait_colours(page, other)
    assert page.inner_text(".legend-title") == f"{published.labels['sociaal_minimum'][0]}, 2023"
    page.wait_for_timeout(300)
    assert paints() == 1 and figures() == fetched, outputs[asked:]

    # back and forth at one position, the canvas is drawn from the picture taken when it showed that paint
    # (assets/pictures.js): the same pixels as drawing every region
    assert page.evaluate("() => window.wijkbeeld.pictures.kept.size") >= 1
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    sampled = canvas_samples(page, other, features, codes)
    assert len(sampled) >= 3
    for sample_code, (colour, pixel) in sampled.items():
        assert_canvas_holds(colour, pixel, sample_code)

    # the selected region only moves the outline: painted in the browser too
    code = codes[3]
    page.evaluate("code => window.dash_clientside.set_props('selected', {data: code})", code)
    page.wait_for_function("code => window.wijkbeeld.layers[code].options.weight === 3", arg=code)
    assert painted(page) == other
    page.wait_for_timeout(300)
    assert paints() == 1
    assert_clean(page)


# an option of the open dropdown clicked through the DOM, and the map's fills read as soon as the click's
# listeners have run, before anything Dash does in answer to it (its callbacks run after the event)
JS_CLICK_AND_READ = """value => {
    const radio = document.querySelector('.dash-dropdown-option input[value="' + value + '"]');
    radio.closest('.dash-dropdown-option').click();
    return (""" + JS_PAINTED + """)(); }"""


def test_a_figure_painted_before_is_painted_in_the_click_itself(watched, staff_url, published):
    """Choosing an indicator the browser has painted restyles the map in the click's own event, not after Dash's
    round of callbacks; the legend, the year and the address follow as for any change."""
    page = watched
    codes = open_map(page, staff_url, published)
    first = painted(page)
    choose(page, "indicator", published.labels["sociaal_minimum"][0])
    wait_colours(page, published.expected_colours("sociaal_minimum", 2023, "buurt", codes))

    page.click("#indicator")
    page.locator(".dash-dropdown-content .dash-dropdown-option").first.wait_for(timeout=TIMEOUT)
    assert page.evaluate(JS_CLICK_AND_READ, "laag_inkomen") == first
    page.wait_for_function("() => !document.querySelector('.dash-dropdown-content')", timeout=TIMEOUT)
    page.wait_for_function("title => document.querySelector('.legend-title').innerText === title",
                           arg=f"{published.labels['laag_inkomen'][0]}, 2023", timeout=TIMEOUT)
    assert shown(page, "indicator") == published.labels["laag_inkomen"][0]
    page.wait_for_function("() => new URLSearchParams(location.search).get('indicator') === 'laag_inkomen'",
                           timeout=TIMEOUT)
    assert painted(page) == first

    # a figure not painted before waits for the server's answer: nothing changes in the click
    page.click("#indicator")
    page.locator(".dash-dropdown-content .dash-dropdown-option").first.wait_for(timeout=TIMEOUT)
    other = next(value for value in page.eval_on_selector_all(".dash-dropdown-option input[type=radio]",
                                                               "radios => radios.map(r => r.value)")
                 if value not in ("laag_inkomen", "sociaal_minimum"))
    assert page.evaluate(JS_CLICK_AND_READ, other) == first
    page.wait_for_function("label => document.querySelector('.legend-title').innerText.startsWith(label)",
                           arg=published.labels[other][0], timeout=TIMEOUT)
    page.wait_for_function("""value => { const w = window.wijkbeeld;
        return w.paint && JSON.parse(decodeURIComponent(w.paint.key))[0] === value
            && Object.values(w.layers).some(layer => layer._map && layer.feature.paintedAs === w.paint.geometry); }""",
                           arg=other, timeout=TIMEOUT)
    assert_clean(page)


def test_layers_hold_only_the_regions_drawn(watched, staff_url, published):
    page = watched
    open_map(page, staff_url, published, "?indicator=aardgas&jaar=2023")
    choose(page, "year", "2021")
    codes = wait_drawn(page, published, "2021-buurt.geojson")
    assert sorted(page.evaluate("() => Object.keys(window.wijkbeeld.layers)")) == sorted(codes)

# ---------------------------------------------------------------- 3. click and hover a buurt

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


def test_click_opens_the_profile(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    figure = lambda c: published.observations.get(("laag_inkomen", 2023, "buurt", c))  # noqa: E731
    # a buurt with a figure that has decimals
    code, x, y = visible_point(page, published, codes, lambda c: figure(c) is not None and figure(c) != int(figure(c)))
    value = published.observations[("laag_inkomen", 2023, "buurt", code)]
    wijk = published.wijk_of[code]

    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip .map-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.locator("strong").inner_text() == published.names[code]
    # the figures come from a cacheable file fetched once per view; the tooltip fills in when it is there
    # the tooltip says the figure as the profile does (the server formats it: dashboard/present/figure.py)
    expect(tooltip.locator(".tooltip-value")).to_have_text("2023: " + f"{value:.1f}".replace(".", ",") + "%")

    page.mouse.click(x, y)
    page.wait_for_function("name => document.querySelector('#profile-name')?.textContent === name",
                           arg=published.names[code])
    assert page.inner_text("#profile-code").endswith(code)
    rows = page.locator("#profile-figures tbody tr")
    self_row = page.locator("#profile-figures tr.figure-self")
    assert self_row.locator(".figure-name").inner_text() == published.names[code]
    assert self_row.locator(".figure-value").inner_text() == f"{value:.1f}".replace(".", ",") + "%"
    names = rows.locator(".figure-name").all_inner_texts()
    assert names[:3] == [published.names[code], published.names[wijk], published.names["GM9999"]]
    wijk_value = published.observations[("laag_inkomen", 2023, "wijk", wijk)]
    assert rows.nth(1).locator(".figure-value").inner_text() == f"{wijk_value:.1f}".replace(".", ",") + "%"
    # the selected region is outlined on the map and kept in the URL
    page.wait_for_function("code => window.wijkbeeld.layers[code].options.weight === 3", arg=code)
    page.wait_for_function("code => location.search.includes('regio=' + code)", arg=code)
    screenshot(page, "map-profile")
    assert_clean(page)


# ---------------------------------------------------------------- 4. the URL holds the view

FULL_STATE = ("?thema=energie&indicator=aardgas&jaar=2022&niveau=wijk&indeling=equal_interval&klassen=4&vast=1"
              "&regio=WK999901&taal=en&lat=52.09&lon=5.41&zoom=12")


def test_full_state_is_restored_and_kept(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published, FULL_STATE)
    assert drawn_geometry(page) == "2022-wijk.geojson" and len(codes) == 6
    label_en = published.labels["aardgas"][1]
    assert shown(page, "theme") == "Energy"
    assert shown(page, "indicator") == label_en
    assert shown(page, "year") == "2022"
    assert shown(page, "scheme") == "Equal intervals"
    assert shown(page, "k") == "4"
    assert page.locator("#level input[value=wijk]").is_checked()
    assert page.locator("#fixed input").is_checked()
    assert page.inner_text("label[for=theme]") == "Theme"
    assert page.inner_text(".legend-title") == f"{label_en}, 2022"
    assert page.locator(".legend-class").count() == 4
    assert page.inner_text("#profile-name") == "Oude Haven"
    lat, lon, zoom = page.evaluate(JS_CENTER)
    assert (round(lat, 2), round(lon, 2), zoom) == (52.09, 5.41, 12)
    # fixed classes: breaks from every year's wijk figures, equal intervals, 4 classes
    wait_colours(page, published.expected_colours("aardgas", 2022, "wijk", codes, mapclassify.EqualInterval, 4,
                                                  pooled=True))
    screenshot(page, "map-english-url-state")

    choose(page, "k", "3")
    page.wait_for_function("() => location.search.includes('klassen=3')")
    query = parse_qs(urlsplit(page.url).query)
    assert {k: v[0] for k, v in query.items() if k not in ("lat", "lon", "zoom")} == {
        "thema": "energie", "indicator": "aardgas", "jaar": "2022", "niveau": "wijk", "indeling": "equal_interval",
        "klassen": "3", "vast": "1", "regio": "WK999901", "taal": "en"}
    # the staff downloads follow the view written to the URL (their address comes from dashboard/urls.py)
    search = page.evaluate("() => location.search")
    assert page.get_attribute("#export-csv", "href") == "/export/kaart.csv" + search
    assert page.get_attribute("#export-geojson", "href") == "/export/kaart.geojson" + search

    reloaded = page.url
    page.goto(reloaded)
    wait_drawn(page, published)
    assert shown(page, "k") == "3" and shown(page, "indicator") == label_en
    assert page.locator(".legend-class").count() == 3
    assert page.inner_text("#profile-name") == "Oude Haven"
    assert page.inner_text("label[for=k]") == "Number of classes"
    assert_clean(page)


def test_language_link_keeps_the_view(watched, staff_url, published):
    page = watched
    open_map(page, staff_url, published, "?indicator=aardgas&niveau=wijk")
    page.click("#lang-link")
    page.wait_for_url("**taal=en**")
    wait_drawn(page, published)
    assert page.inner_text("label[for=indicator]") == "Indicator"
    assert shown(page, "theme") == "Energy" and page.locator("#level input[value=wijk]").is_checked()
    assert_clean(page)


# ---------------------------------------------------------------- 5. search


def test_find_a_buurt_by_name(watched, staff_url, published):
    page = watched
    open_map(page, staff_url, published)
    before = page.evaluate(JS_CENTER)
    page.click("#search")
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill("kade")
    option = page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Kadewijk")
    option.wait_for()
    assert option.inner_text() == "Kadewijk (buurt BU99990101)"
    option.click()
    page.wait_for_function("() => document.querySelector('#profile-name')?.textContent === 'Kadewijk'")
    page.wait_for_function("""before => { const m = Object.values(window.wijkbeeld.layers).find(l => l._map)._map;
        const c = m.getCenter();
        return Math.abs(c.lat - before[0]) + Math.abs(c.lng - before[1]) > 1e-4 || m.getZoom() !== before[2]; }""",
                           arg=before)
    wait_still(page)
    lat, lon, _ = page.evaluate(JS_CENTER)
    bounds = page.evaluate("code => { const b = window.wijkbeeld.layers[code].getBounds(); "
                           "return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }", "BU99990101")
    south, west, north, east = bounds
    assert south < lat < north and west < lon < east, "the map centres on the buurt found"
    assert_clean(page)



def test_search_options_speak_the_page_language(watched, staff_url, published):
    page = watched
    open_map(page, staff_url, published, "?taal=en")
    page.click("#search")
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill("kade")
    option = page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Kadewijk")
    option.wait_for()
    assert option.inner_text() == "Kadewijk (neighbourhood (buurt) BU99990101)"

# ---------------------------------------------------------------- 6. nothing leaves 127.0.0.1


def test_only_local_requests_and_no_errors(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published, "?niveau=wijk")
    assert drawn_geometry(page).endswith("-wijk.geojson") and len(codes) == 6
    code, x, y = visible_point(page, published, codes)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.locator("#profile-name").wait_for()
    screenshot(page, "map-wijk-level")
    external = [u for u in page.requested if urlsplit(u).hostname not in ("127.0.0.1", None)]
    assert all(urlsplit(u).hostname == TILE_HOST and u.endswith(".png") for u in external), external
    assert_clean(page)
    unexpected = [(text, url) for text, url in page.console_errors
                  if not (TILE_HOST in url or "ERR_NAME_NOT_RESOLVED" in text)]
    assert unexpected == []


def test_the_first_view_is_no_callback_and_one_fetch_of_each_file(watched, staff_url, published):
    """The layout brings map, legend and profile (page.layout); geometry and figures (hinted in the page itself,
    so fetched while the scripts start) are each fetched once, and nothing is asked of the server again."""
    page = watched
    callbacks = []
    page.on("request", lambda r: callbacks.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    open_map(page, staff_url, published)
    page.wait_for_timeout(500)
    assert callbacks == []
    assert len(geometry_requests(page)) == 1
    # no listener per region (they cost the first draw), and the basemap's attribution is still shown
    listeners = page.evaluate("() => Object.values(window.wijkbeeld.layers).filter(l => l._map)"
                              ".map(l => Object.keys(l._events || {}).length)")
    assert listeners and max(listeners) == 0
    assert "Kadaster" in page.inner_text(".leaflet-control-attribution")
    assert len([u for u in page.requested if "/values/" in u]) == 1
    assert_clean(page)

    # a region in the URL: its profile comes with the page, not from a callback of its own
    callbacks.clear()
    open_map(page, staff_url, published, "?niveau=wijk&regio=WK999901")
    assert page.inner_text("#profile-name") == published.names["WK999901"]
    assert "profile.children" not in callbacks
    assert_clean(page)


def test_without_a_referer_the_page_callback_brings_the_view(watched, staff_url, published):
    """A browser that sends no Referer gets an empty layout, and the page callback fills it with the view."""
    page = watched
    callbacks = []
    page.on("request", lambda r: callbacks.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    page.route("**/_dash-layout", lambda route: route.fulfill(response=route.fetch(
        headers={k: v for k, v in route.request.headers.items() if k.lower() != "referer"})))
    open_map(page, staff_url, published, "?niveau=wijk&regio=WK999901")
    assert page.inner_text("#profile-name") == published.names["WK999901"]
    assert callbacks[0] == "page.children" and callbacks.count("page.children") == 1
    assert drawn_geometry(page).endswith("-wijk-GM9999.geojson")
    assert_clean(page)


def test_public_dashboard_loads_too(watched, public_url, published):
    page = watched
    codes = open_map(page, public_url, published)
    assert len(codes) == 50
    assert_clean(page)


# ---------------------------------------------------------------- 7. keyboard and labels


def test_controls_have_labels(watched, staff_url, published):
    page = watched
    open_map(page, staff_url, published)
    expected = {"theme": "Thema", "indicator": "Indicator", "level": "Niveau", "year": "Jaar",
                "scheme": "Klassenindeling", "k": "Aantal klassen", "search": "Zoek gemeente, wijk of buurt"}
    for control, text in expected.items():
        assert page.locator(f"#{control}").count() == 1, control
        assert page.locator(f"label[for={control}]").all_inner_texts() == [text]
    assert page.inner_text("#fixed label") == "Zelfde klassen voor alle jaren"



def test_dropdowns_are_named_by_their_label(watched, staff_url, published):
    """Dash 4's dcc.Dropdown names its button by its own value; assets/a11y.js names it by its <label> and value,
    and puts the button itself in the tab order instead of a hidden input."""
    page = watched
    open_map(page, staff_url, published)
    for text, control, value in (("Thema", "theme", "Armoede"), ("Jaar", "year", "2023")):
        named = page.get_by_role("button", name=f"{text} {value}", exact=True)
        assert named.count() == 1 and named.evaluate("e => e.id") == control
        assert named.evaluate("e => e.tabIndex") == 0
        assert page.locator(f"#{control}").evaluate("e => e.previousElementSibling.disabled")


def test_indicator_changes_with_the_keyboard_alone(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    page.focus("#theme")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('.dash-dropdown-wrapper')"
                         "?.querySelector('.dash-dropdown').id") == "indicator"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('.dash-dropdown-content')")
    # Dash 4's dropdown has no type-ahead on its options: walk down with the arrow keys, one focus move at a time
    for _ in range(5):
        focused = page.evaluate("() => document.activeElement.value")
        if focused == "sociaal_minimum":
            break
        page.keyboard.press("ArrowDown")
        page.wait_for_function("before => document.activeElement.value !== before", arg=focused)
    page.keyboard.press("Enter")
    page.wait_for_function("text => document.querySelector('#indicator').innerText.trim() === text",
                           arg=published.labels["sociaal_minimum"][0])
    wait_colours(page, published.expected_colours("sociaal_minimum", 2023, "buurt", codes))
    assert_clean(page)


# ---------------------------------------------------------------- timings (printed; run with -s to read them)


def test_time_to_draw_and_to_repaint(browser, browser_type_launch_args, staff_url, published):
    draws = []
    for _ in range(5):
        context = browser.new_context()  # a cold cache each time
        page = context.new_page()
        page.requested = []
        page.on("request", lambda request, page=page: page.requested.append(request.url))
        start = time.perf_counter()
        page.goto(staff_url)
        wait_drawn(page, published)
        draws.append(time.perf_counter() - start)
        context.close()

    context = browser.new_context()
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(staff_url + "/?indicator=aardgas&jaar=2023")
    codes = wait_drawn(page, published)
    expected = {i: published.expected_colours(i, 2023, "buurt", codes) for i in ("aardgas", "elektriciteit")}
    repaints = []
    for indicator in ["elektriciteit", "aardgas"] * 2 + ["elektriciteit"]:
        page.click("#indicator")
        # exactly the label: with the whole catalogue, other options contain it ("Appartement (Gemiddelde …)")
        label = published.labels[indicator][0]
        option = page.locator(".dash-dropdown-content .dash-dropdown-option",
                              has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        option.wait_for()
        start = time.perf_counter()
        option.click()
        wait_colours(page, expected[indicator])
        repaints.append(time.perf_counter() - start)
    context.close()
    print(f"\n[timing] goto → all {len(codes)} buurten drawn (cold cache): median "
          f"{statistics.median(draws):.3f} s of {[round(d, 3) for d in draws]}")
    print(f"[timing] indicator change → repainted: median {statistics.median(repaints):.3f} s "
          f"of {[round(r, 3) for r in repaints]}")
    assert statistics.median(draws) < 5 and statistics.median(repaints) < 2
