"""The map page beyond its colours, in headless Chromium against the published demo: clicking a region opens its
profile, the view is kept in and restored from the URL, the language link, finding a buurt, what the page asks of
the network, labelled controls and the keyboard."""
from __future__ import annotations

import json
import re
import statistics
import time
from urllib.parse import parse_qs, urlsplit

import mapclassify
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.map_page import (JS_CENTER, JS_OUTLINED, TILE_HOST, assert_clean, choose, drawn_geometry,
                                    geometry_requests, is_bold_outline, map_layers, open_map, outline_pixel,
                                    published, pytestmark, shown, visible_point, wait_colours, wait_drawn,
                                    wait_still, watched)  # noqa: F401 (fixtures)


# ---------------------------------------------------------------- 3. click and hover a buurt

def test_click_opens_the_profile(watched, staff_url, published):
    page = watched
    codes = open_map(page, staff_url, published)
    figure = lambda c: published.observations.get(("laag_inkomen", 2023, "buurt", c))  # noqa: E731
    # a buurt with a figure that has decimals
    code, x, y = visible_point(page, published, codes, lambda c: figure(c) is not None and figure(c) != int(figure(c)))
    value = published.observations[("laag_inkomen", 2023, "buurt", code)]
    wijk = published.wijk_of[code]
    feature = next(f for f in published.features(drawn_geometry(page)) if f["properties"]["code"] == code)
    edge = outline_pixel(page, feature)
    assert not is_bold_outline(edge), ("outlined before it is selected", edge)
    assert page.evaluate("() => window.wijkbeeld.regions.drawn.selected") is None

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
    # the selected region is outlined on the map (on the canvas: its edge is covered by the bold outline) and kept
    # in the URL
    page.wait_for_function(JS_OUTLINED, arg=code)
    wait_still(page)
    edge = outline_pixel(page, feature)
    assert is_bold_outline(edge), edge
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
    page.wait_for_function("""before => { const m = window.wijkbeeld.map;
        const c = m.getCenter();
        return Math.abs(c.lat - before[0]) + Math.abs(c.lng - before[1]) > 1e-4 || m.getZoom() !== before[2]; }""",
                           arg=before)
    wait_still(page)
    lat, lon, _ = page.evaluate(JS_CENTER)
    bounds = page.evaluate("code => { const b = window.wijkbeeld.regions.boundsOf(code); "
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
    codes = open_map(page, staff_url, published)
    page.wait_for_timeout(500)
    assert callbacks == []
    assert len(geometry_requests(page)) == 1
    # no Leaflet layer (nor listener) per region: one layer draws them all; the basemap's attribution is still shown
    layers = map_layers(page)
    assert layers["regions"] == 1 and layers["paths"] == 0 and layers["of a region"] == 0, layers
    assert "Kadaster" in page.inner_text(".leaflet-control-attribution")
    assert len([u for u in page.requested if "/values/" in u]) == 1
    assert_clean(page)

    # a region in the URL: its profile comes with the page, not from a callback of its own
    callbacks.clear()
    wijken = open_map(page, staff_url, published, "?niveau=wijk&regio=WK999901")
    assert page.inner_text("#profile-name") == published.names["WK999901"]
    assert "profile.children" not in callbacks
    page.wait_for_function(JS_OUTLINED, arg="WK999901")
    # as many layers with 6 wijken as with 50 buurten
    assert len(wijken) < len(codes) and map_layers(page) == layers
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

