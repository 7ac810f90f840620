"""The exported static public map, opened from disk (file://) in headless Chromium."""
from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from dashboard import settings
from dashboard.db import PublishedData
from dashboard.static_export import choropleth_layers, export_public_map
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
TILE_HOST = urlparse(settings.BASEMAPS["grijs"]).hostname


@pytest.fixture(scope="module")
def exported_index(demo_data_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("static-browser") / "kaart"
    return export_public_map(demo_data_dir, out, progress=lambda message: None, basemap=settings.BASEMAPS["grijs"])


def test_static_map_opens_from_disk_without_outside_requests(page, exported_index, demo_data_dir):
    errors, requested = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))
    page.goto(exported_index.as_uri())
    page.wait_for_selector(".leaflet-container .leaflet-overlay-pane path.leaflet-interactive")

    data = PublishedData(demo_data_dir, "public")
    buurten = len(choropleth_layers(data, "nl")[0]["rows"])  # the layer shown first
    initiatives = len(data.rows("initiatives"))
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == buurten
    assert page.locator(".leaflet-initiatives-pane path.leaflet-interactive").count() == initiatives
    assert page.locator(".leaflet-control-layers-base input[type=radio]").count() >= 2
    assert "Voorbeeldstad" in page.locator("#fictional-note").inner_text()
    legend = page.locator("#wb-legend")
    first = legend.inner_text()
    page.locator(".leaflet-control-layers-base label").nth(1).click()
    assert legend.inner_text() != first

    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.dispatch_event("mouseover")
    page.wait_for_selector(".leaflet-tooltip")
    first_layer = choropleth_layers(data, "nl")[0]
    geometry = json.loads((data.version_dir() / "geometry" / f"{first_layer['geometry_year']}-buurt.geojson").read_text())
    assert page.locator(".leaflet-tooltip strong").inner_text() == geometry["features"][0]["properties"]["name"]
    page.locator(".leaflet-initiatives-pane path.leaflet-interactive").first.click(force=True)
    assert page.locator(".leaflet-popup-content strong").inner_text() == data.rows("initiatives")[0]["name"]

    assert errors == []
    for url in requested:
        parsed = urlparse(url)
        assert parsed.scheme in ("file", "data") or parsed.hostname == TILE_HOST, url
    assert any(url.endswith("leaflet/leaflet.js") for url in requested)
    page.wait_for_timeout(300)  # the popup's fade-in
    screenshot(page, "static-export")


def test_static_map_has_a_sortable_table_and_a_phone_layout(browser, exported_index, demo_data_dir):
    from tests.browser.axe import assert_accessible

    data = PublishedData(demo_data_dir, "public")
    first = choropleth_layers(data, "nl")[0]
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(exported_index.as_uri())
    page.wait_for_selector(".leaflet-container .leaflet-overlay-pane path.leaflet-interactive")
    map_box = page.locator(".folium-map").bounding_box()
    assert map_box["width"] == 390 and map_box["height"] == 844, "the map fills the phone's screen"
    assert not page.locator("#wb-legend ul").is_visible(), "the legend starts folded on a phone"
    page.locator("#wb-legend summary").tap()
    assert page.locator("#wb-legend ul").is_visible()
    screenshot(page, "static-export-phone")

    rows = page.locator("#wb-table tbody tr")
    assert rows.count() >= len(first["rows"])
    codes = {r["code"]: r["value"] for r in first["rows"]}
    page.locator("#wb-table thead button[data-column='1']").click()
    assert page.get_attribute("#wb-table thead th:nth-child(2)", "aria-sort") == "ascending"
    sorted_values = [float(v) for v in page.locator("#wb-table tbody td:nth-child(2)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)") if v]
    assert sorted_values == sorted(sorted_values)
    assert len(sorted_values) == sum(v is not None for v in codes.values())
    page.locator("#wb-table").scroll_into_view_if_needed()
    screenshot(page, "static-export-phone-table")
    assert_accessible(page, "static-export-phone")
    context.close()
