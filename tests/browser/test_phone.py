"""The public map on a phone (390 × 844) and a tablet (768 × 1024): every control visible and usable (the element
at its centre is the control itself), the controls as a panel, the legend folded, the profile as a sheet, tapping a
region. Screenshots of the public site at phone, tablet and desktop size go to test-artifacts/."""
from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.map_page import (REGIONS_CANVAS, TIMEOUT, assert_clean, drawn_geometry,  # noqa: F401
                                    inside_point, open_map, published)

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}

# why a control is not usable where it is, or null: scrolled into view, it must have a size, lie on the screen and
# be the element found at its centre (or hold it, or share its <label>)
JS_UNUSABLE = """element => {
    element.scrollIntoView({block: "center", inline: "center"});
    const box = element.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) return "no size";
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return "off screen at " + x + "," + y;
    const hit = document.elementFromPoint(x, y);
    if (!hit) return "nothing at its centre";
    const label = element.closest("label");
    if (hit === element || element.contains(hit) || (label && label.contains(hit))) return null;
    return "covered by " + hit.tagName + (hit.id ? "#" + hit.id : "") + " ." + String(hit.className);
}"""

CONTROLS = ("#controls-panel button:not(.dash-dropdown-focus-target), #controls-panel input:not([disabled]), "
            "#controls-panel summary")


def unusable(page, selector: str) -> dict[str, str]:
    problems = {}
    for index in range(page.locator(selector).count()):
        element = page.locator(selector).nth(index)
        problem = element.evaluate(JS_UNUSABLE)
        if problem:
            problems[f"{selector} #{index} {element.evaluate('e => e.id || e.outerHTML.slice(0, 80)')}"] = problem
    return problems


@pytest.fixture
def phone(browser, browser_type_launch_args):
    context = browser.new_context(viewport=PHONE, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.js_errors, page.requested = [], []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    page.set_default_timeout(TIMEOUT)
    yield page
    context.close()


def test_phone_map_fills_the_screen_with_controls_in_a_panel(phone, public_url, published):  # noqa: F811
    page = phone
    open_map(page, public_url, published)
    map_box = page.locator(".leaflet-container").bounding_box()
    assert map_box["width"] == PHONE["width"] and map_box["height"] > 0.75 * PHONE["height"]
    assert not page.locator("#controls-panel").is_visible(), "the controls wait behind their button"
    assert not page.locator("#legend").is_visible(), "the legend is folded to its button"
    assert not page.locator("#profile-panel").is_visible()
    on_map = "#panel-toggle, #lang-link, #legend-toggle, .leaflet-control-zoom a"
    assert unusable(page, on_map) == {}
    screenshot(page, "phone-map")
    assert not [url for url in page.requested if "favicon" in url], "the page holds its icon"

    page.locator("#panel-toggle").tap()
    page.wait_for_function("() => document.activeElement?.id === 'panel-close'")
    assert page.get_attribute("#panel-toggle", "aria-expanded") == "true"
    assert unusable(page, CONTROLS) == {}
    page.locator("#controls-panel").evaluate("e => e.scrollTo(0, 0)")
    screenshot(page, "phone-controls")
    assert_accessible(page, "phone-controls")
    page.locator("#level input[value=wijk]").tap()
    page.locator("#panel-close").tap()
    page.wait_for_function("() => document.activeElement?.id === 'panel-toggle'")
    assert not page.locator("#controls-panel").is_visible()
    page.wait_for_function("() => location.search.includes('niveau=wijk')")

    page.locator("#legend-toggle").tap()
    assert page.locator("#legend").is_visible()
    assert unusable(page, "#legend-toggle") == {}
    screenshot(page, "phone-legend")
    page.locator("#legend-toggle").tap()
    assert not page.locator("#legend").is_visible()
    assert_clean(page)


def test_phone_tap_a_region_opens_its_profile_as_a_sheet(phone, public_url, published):  # noqa: F811
    page = phone
    codes = open_map(page, public_url, published, "?niveau=wijk")
    features = {f["properties"]["code"]: f for f in published.features(drawn_geometry(page))}
    for code in codes:
        point = page.evaluate("""([lat, lon, selector]) => {
            const map = window.wijkbeeld.map;
            const p = map.latLngToContainerPoint([lat, lon]), box = map.getContainer().getBoundingClientRect();
            const x = box.left + p.x, y = box.top + p.y;
            return {x, y, canvas: document.elementFromPoint(x, y) === document.querySelector(selector)}; }""",
                              [*inside_point(features[code]), REGIONS_CANVAS])
        if point["canvas"]:
            break
    else:
        raise AssertionError("no region to tap")
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_function("name => document.querySelector('#profile-name')?.textContent === name",
                           arg=published.names[code])
    sheet = page.locator("#profile-panel").bounding_box()
    assert sheet["y"] > 0.3 * PHONE["height"] and sheet["y"] + sheet["height"] <= PHONE["height"] + 1, \
        "the sheet covers the lower part of the map"
    assert sheet["width"] == PHONE["width"]
    assert unusable(page, "#profile-close") == {}
    screenshot(page, "phone-profile")
    assert_accessible(page, "phone-profile")
    page.locator("#profile-close").tap()
    page.wait_for_function("() => !document.querySelector('#profile-panel').classList.contains('has-region')")
    assert not page.locator("#profile-panel").is_visible()
    assert_clean(page)


def test_tablet_every_control_is_usable(browser, public_url, published):  # noqa: F811
    context = browser.new_context(viewport=TABLET, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.requested, page.js_errors = [], []
    page.on("request", lambda request: page.requested.append(request.url))
    open_map(page, public_url, published, "?regio=BU99990101")
    assert not page.locator("#panel-toggle").is_visible(), "a tablet keeps the controls beside the map"
    assert page.locator("#legend").is_visible()
    page.evaluate("() => window.scrollTo(0, 0)")
    screenshot(page, "tablet-map")
    tablet_controls = CONTROLS.replace("#controls-panel button", "#controls-panel button:not(#panel-close)")
    assert unusable(page, tablet_controls + ", #lang-link, .leaflet-control-zoom a, #profile-close") == {}
    context.close()


def test_desktop_screenshot(browser, public_url, published):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    open_map(page, public_url, published, "?regio=BU99990101")
    assert not page.locator("#panel-toggle").is_visible() and page.locator("#controls-panel").is_visible()
    screenshot(page, "desktop-map")
    context.close()
