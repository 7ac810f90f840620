"""Level of detail: at country zoom the buurten come from the coarser overview file, closer in from the detailed
one; either way every buurt is drawn and painted in its class colour, on the canvas where the map shows it."""
from __future__ import annotations

import json
import re

import pytest

from tests.browser.map_page import (JS_COLOURS_ARE, Published, assert_canvas_holds, assert_clean,  # noqa: F401
                                    canvas_samples, choose, drawn_geometry, geometry_requests, painted,
                                    wait_colours, wait_drawn, watched, zoom_to)

pytestmark = pytest.mark.browser


def assert_canvas_shows(page, published, expected: dict[str, str], codes: list[str], at_least: int) -> None:
    """The canvas holds each sampled region's class colour at its inside point, in the file drawn at this zoom."""
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    sampled = canvas_samples(page, expected, features, codes)
    assert len(sampled) >= at_least, sampled
    for code, (colour, pixel) in sampled.items():
        assert_canvas_holds(colour, pixel, code)


@pytest.fixture(scope="module")
def published(demo_data_dir, tmp_path_factory):
    return Published(demo_data_dir, tmp_path_factory.mktemp("published-lod"))


def test_overview_at_country_zoom_and_detail_closer_in(watched, staff_url, published):
    page = watched
    page.goto(staff_url + "/?lat=52.09&lon=5.37&zoom=9")
    codes = wait_drawn(page, published, "2023-buurt-overzicht.geojson")
    assert len(codes) == 50
    expected = published.expected_colours("laag_inkomen", 2023, "buurt", codes)
    assert painted(page) == expected
    assert_canvas_shows(page, published, expected, codes, 3)

    zoom_to(page, 13)
    codes = wait_drawn(page, published, "2023-buurt.geojson")
    page.wait_for_function(JS_COLOURS_ARE, arg=expected)
    assert painted(page) == expected
    assert_canvas_shows(page, published, expected, codes, 3)
    assert [u.rsplit("/", 1)[1] for u in geometry_requests(page)] == ["2023-buurt-overzicht.geojson",
                                                                      "2023-buurt.geojson"]

    # zooming asks nothing of the server, within one level of detail or across: the paint names the geometry
    # file of either level, and the browser has the overview already
    callbacks = []
    page.on("request", lambda r: callbacks.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    for zoom in (14, 12, 11):
        zoom_to(page, zoom)
        assert drawn_geometry(page) == "2023-buurt.geojson"
    page.wait_for_timeout(500)
    assert callbacks == []
    zoom_to(page, 9)
    # the overview's buurten again, read before: not fetched again
    assert wait_drawn(page, published, "2023-buurt-overzicht.geojson") == codes
    page.wait_for_function(JS_COLOURS_ARE, arg=expected)
    assert painted(page) == expected
    assert_canvas_shows(page, published, expected, codes, 3)
    page.wait_for_timeout(500)
    assert callbacks == []
    assert len(geometry_requests(page)) == 2, geometry_requests(page)
    assert_clean(page)


def test_a_gemeente_opens_on_its_own_buurten_and_the_rest_follows_when_the_view_leaves_it(watched, public_url,
                                                                                          published):
    """The first view of a gemeente fetches only its own buurten (a file per gemeente, a fraction of the country's
    bytes), painted and repainted like all; zoomed out from it, every buurt of the level comes."""
    page = watched
    page.goto(public_url + "/?regio=GM9999")
    codes = wait_drawn(page, published)
    first = drawn_geometry(page)
    assert re.fullmatch(r"\d{4}-buurt-GM9999\.geojson", first), geometry_requests(page)
    assert len(geometry_requests(page)) == 1, geometry_requests(page)
    year = int(first[:4])
    assert codes and all(code.startswith("BU9999") for code in codes)
    wait_colours(page, published.expected_colours("laag_inkomen", year, "buurt", codes))

    # another indicator repaints the gemeente's buurten in place, without another file
    choose(page, "theme", "Energie")
    choose(page, "indicator", published.labels["aardgas"][0])
    wait_colours(page, published.expected_colours("aardgas", year, "buurt", codes))
    assert len(geometry_requests(page)) == 1, geometry_requests(page)

    # zoomed out: the whole level, from the overview at country zoom, in the colours of the same figures
    zoom_to(page, 8)
    everywhere = wait_drawn(page, published, f"{year}-buurt-overzicht.geojson")
    wait_colours(page, published.expected_colours("aardgas", year, "buurt", everywhere))
    # the initiatives likewise: first the gemeente's, then all of them
    page.wait_for_function("() => performance.getEntriesByType('resource').filter(r => r.name.includes('/initiatieven/')"
                           " && !r.name.includes('gemeente=')).length === 1", timeout=30_000)
    initiatives = [u for u in page.requested if "/initiatieven/" in u]
    assert len(initiatives) == 2 and "gemeente=GM9999" in initiatives[0], initiatives
    assert_clean(page)
