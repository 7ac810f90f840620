"""What a person sees on the map page, in headless Chromium against the published demo (Voorbeeldstad).

Expected colours are computed here from the published DuckDB file with mapclassify directly, never with the
dashboard's own classification code, and compared with what Leaflet painted (and, for a few regions, with the
pixels on the canvas and on the screen).
"""
from __future__ import annotations

import json

import mapclassify
import pytest

from tests.browser.conftest import screenshot
from tests.browser.map_page import (FILL_OPACITY, JS_PAINTED, JS_PIXEL, MISSING, TIMEOUT, YLGNBU,
                                    assert_clean, choose, css_rgb, drawn_geometry, geometry_requests,
                                    hex_rgb, inside_point, open_map, painted, published, pytestmark,
                                    screen_pixel, shown, wait_colours, wait_drawn, watched)  # noqa: F401 (fixtures)


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
