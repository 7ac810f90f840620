"""Level of detail: at country zoom the buurten come from the coarser overview file, closer in from the detailed
one; either way every buurt is drawn and painted in its class colour."""
from __future__ import annotations

import json
import re

import pytest

from tests.browser.map_page import (Published, assert_clean, choose, drawn_geometry, geometry_requests,  # noqa: F401
                                    painted, wait_colours, wait_drawn, watched)

pytestmark = pytest.mark.browser


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
    clipped = "() => Object.values(window.wijkbeeld.layers).filter(l => l._map).map(l => !l.options.noClip)"
    assert not any(page.evaluate(clipped)), "the whole country in view: nothing to clip"

    page.evaluate("() => Object.values(window.wijkbeeld.layers).find(l => l._map)._map.setZoom(13)")
    codes = wait_drawn(page, published, "2023-buurt.geojson")
    page.wait_for_function("""expected => Object.entries(expected).every(([code, colour]) => {
        const layer = window.wijkbeeld.layers[code]; return layer && layer._map && layer.options.fillColor === colour; })""",
                           arg=expected)
    assert painted(page) == expected
    assert all(page.evaluate(clipped)), "closer in, what is off screen is clipped away"
    assert [u.rsplit("/", 1)[1] for u in geometry_requests(page)] == ["2023-buurt-overzicht.geojson",
                                                                      "2023-buurt.geojson"]

    # zooming asks nothing of the server, within one level of detail or across: the paint names the geometry
    # file of either level, and the browser has the overview already
    callbacks = []
    page.on("request", lambda r: callbacks.append(json.loads(r.post_data)["output"])
            if "_dash-update-component" in r.url else None)
    for zoom in (14, 12, 11):
        page.evaluate("z => Object.values(window.wijkbeeld.layers).find(l => l._map)._map.setZoom(z)", zoom)
        page.wait_for_function("z => Object.values(window.wijkbeeld.layers).find(l => l._map)._map.getZoom() === z",
                               arg=zoom)
    page.wait_for_timeout(500)
    assert callbacks == []
    page.evaluate("() => Object.values(window.wijkbeeld.layers).find(l => l._map)._map.setZoom(9)")
    # the overview's buurten again: made at country zoom, unclipped
    page.wait_for_function("""n => { const drawn = Object.values(window.wijkbeeld.layers).filter(l => l._map);
        return drawn.length === n && drawn.every(l => l.options.noClip); }""", arg=len(codes))
    assert painted(page) == expected
    page.wait_for_timeout(500)
    assert callbacks == []
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
    page.evaluate("() => Object.values(window.wijkbeeld.layers).find(l => l._map)._map.setZoom(8)")
    everywhere = wait_drawn(page, published, f"{year}-buurt-overzicht.geojson")
    wait_colours(page, published.expected_colours("aardgas", year, "buurt", everywhere))
    # the initiatives likewise: first the gemeente's, then all of them
    page.wait_for_function("() => performance.getEntriesByType('resource').filter(r => r.name.includes('/initiatieven/')"
                           " && !r.name.includes('gemeente=')).length === 1", timeout=30_000)
    initiatives = [u for u in page.requested if "/initiatieven/" in u]
    assert len(initiatives) == 2 and "gemeente=GM9999" in initiatives[0], initiatives
    assert_clean(page)
