"""What a person sees on the map page, in headless Chromium against the published demo (Voorbeeldstad).

Expected colours are computed here from the published DuckDB file with mapclassify directly, never with the
dashboard's own classification code, and compared with what the regions' canvas layer drew (assets/regions.js:
its ``shown()``, and for a few regions the pixels on the canvas and on the screen).
"""
from __future__ import annotations

import json

import mapclassify
import pytest

from tests.browser.conftest import screenshot
from tests.browser.map_page import (FILL_OPACITY, JS_OUTLINED, JS_PAINTED, MISSING, TIMEOUT, YLGNBU,
                                    assert_canvas_holds, assert_clean, canvas_samples, choose, css_rgb,
                                    drawn_geometry, geometry_requests, hex_rgb, map_layers, open_map, painted,
                                    published, pytestmark, screen_pixel, shown, wait_colours, wait_drawn,
                                    watched)  # noqa: F401 (fixtures)


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

    # back and forth at one position, the canvas is drawn again with each paint: its pixels hold the class colours
    # of the paint shown last, as on the first draw
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    sampled = canvas_samples(page, other, features, codes)
    assert len(sampled) >= 3
    for sample_code, (colour, pixel) in sampled.items():
        assert_canvas_holds(colour, pixel, sample_code)

    # the selected region only moves the outline: painted in the browser too
    code = codes[3]
    page.evaluate("code => window.dash_clientside.set_props('selected', {data: code})", code)
    page.wait_for_function(JS_OUTLINED, arg=code)
    assert painted(page) == other
    page.wait_for_timeout(300)
    assert paints() == 1
    assert_clean(page)


# an option of the open dropdown clicked through the DOM: the indicator of the paint in force as soon as the click's
# listeners have run, and the map's fills as the canvas shows them in the next frame (the regions' layer draws a
# new paint in the frame after it: assets/regions.js)
JS_CLICK_AND_READ = """value => new Promise(resolve => {
    const radio = document.querySelector('.dash-dropdown-option input[value="' + value + '"]');
    radio.closest('.dash-dropdown-option').click();
    const paint = window.wijkbeeld.paint, indicator = JSON.parse(decodeURIComponent(paint.key))[0];
    requestAnimationFrame(() => resolve({indicator, painted: (""" + JS_PAINTED + """)()})); })"""


class HeldCallbacks:
    """Every request for a server callback held until released: what the page shows meanwhile needs no answer of
    the server."""

    def __init__(self, page):
        self.page, self.held = page, []
        page.route("**/_dash-update-component", self.hold)

    def hold(self, route):
        self.held.append(route)

    def release(self):
        self.page.unroute("**/_dash-update-component", self.hold)
        for route in self.held:
            route.continue_()


def test_a_figure_painted_before_is_painted_in_the_click_itself(watched, staff_url, published):
    """Choosing an indicator the browser has painted restyles the map in the click's own event (drawn in the next
    frame), not after Dash's round of callbacks nor the server's answer; the legend, the year and the address
    follow as for any change."""
    page = watched
    codes = open_map(page, staff_url, published)
    first = painted(page)
    choose(page, "indicator", published.labels["sociaal_minimum"][0])
    wait_colours(page, published.expected_colours("sociaal_minimum", 2023, "buurt", codes))

    page.click("#indicator")
    page.locator(".dash-dropdown-content .dash-dropdown-option").first.wait_for(timeout=TIMEOUT)
    held = HeldCallbacks(page)
    assert page.evaluate(JS_CLICK_AND_READ, "laag_inkomen") == {"indicator": "laag_inkomen", "painted": first}
    held.release()
    page.wait_for_function("() => !document.querySelector('.dash-dropdown-content')", timeout=TIMEOUT)
    page.wait_for_function("title => document.querySelector('.legend-title').innerText === title",
                           arg=f"{published.labels['laag_inkomen'][0]}, 2023", timeout=TIMEOUT)
    assert shown(page, "indicator") == published.labels["laag_inkomen"][0]
    page.wait_for_function("() => new URLSearchParams(location.search).get('indicator') === 'laag_inkomen'",
                           timeout=TIMEOUT)
    assert painted(page) == first

    # a figure not painted before waits for the server's answer: nothing changes in the click, nor in the frame
    # after it (the server's answer is held meanwhile)
    page.click("#indicator")
    page.locator(".dash-dropdown-content .dash-dropdown-option").first.wait_for(timeout=TIMEOUT)
    other = next(value for value in page.eval_on_selector_all(".dash-dropdown-option input[type=radio]",
                                                               "radios => radios.map(r => r.value)")
                 if value not in ("laag_inkomen", "sociaal_minimum"))
    held = HeldCallbacks(page)
    assert page.evaluate(JS_CLICK_AND_READ, other) == {"indicator": "laag_inkomen", "painted": first}
    held.release()
    page.wait_for_function("label => document.querySelector('.legend-title').innerText.startsWith(label)",
                           arg=published.labels[other][0], timeout=TIMEOUT)
    # then drawn with the server's paint for it
    page.wait_for_function("""value => { const w = window.wijkbeeld, d = w.regions.drawn;
        return w.paint && JSON.parse(decodeURIComponent(w.paint.key))[0] === value
            && d && d.own && d.paint === w.paint && d.regions === w.regions.regions; }""",
                           arg=other, timeout=TIMEOUT)
    assert painted(page) != first
    assert_clean(page)


def test_the_canvas_holds_only_the_regions_drawn(watched, staff_url, published):
    """Another year's file replaces the regions drawn; the map has one layer for all regions, no Leaflet layer per
    region."""
    page = watched
    codes_2023 = open_map(page, staff_url, published, "?indicator=aardgas&jaar=2023")
    before = map_layers(page)
    assert before["regions"] == 1 and before["paths"] == 0 and before["of a region"] == 0, before
    assert before["not markers"] < len(codes_2023), before
    choose(page, "year", "2021")
    codes = wait_drawn(page, published, "2021-buurt.geojson")
    assert set(codes) != set(codes_2023)
    assert sorted(page.evaluate("() => Object.keys(window.wijkbeeld.regions.shown())")) == sorted(codes)
    assert sorted(p["code"] for p in page.evaluate("() => window.wijkbeeld.regions.regions.properties")) \
        == sorted(codes)
    assert map_layers(page) == before
