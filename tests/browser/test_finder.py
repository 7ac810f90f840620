"""Finding a figure among a few hundred, as a person does it: type a few letters of its name or of its CBS group,
choose it, read what it means, and find it again on /cijfers, the catalogue by theme and CBS group."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.map_page import open_map, published, wait_colours, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]

WOZ = "wonen_en_vastgoed.gemiddelde_woz_waarde_van_woningen"
SEARCH_FIELD = ".dash-dropdown-content input.dash-dropdown-search"
OPTION = ".dash-dropdown-content .dash-dropdown-option"


def find(page, typed: str) -> list[str]:
    """Open the finder with the keyboard, type, and read the choices it offers."""
    page.locator("#finder").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement?.matches('{SEARCH_FIELD}')")
    page.keyboard.type(typed, delay=20)
    page.locator(OPTION).first.wait_for()
    return [o.strip() for o in page.locator(OPTION).all_inner_texts()]


def view_query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def test_type_part_of_a_name_choose_it_and_the_map_shows_it(watched, staff_url, published):  # noqa: F811
    page = watched
    codes = open_map(page, staff_url, published)
    name = published.labels[WOZ][0]
    offered = find(page, "woz")
    assert f"{name} · Wonen en vastgoed" in offered
    page.locator(OPTION).filter(has_text=name).first.click()
    page.wait_for_function("t => document.querySelector('.legend-title')?.innerText.startsWith(t)", arg=name)
    year = int(page.inner_text(".legend-title").rsplit(", ", 1)[1])
    wait_colours(page, published.expected_colours(WOZ, year, "buurt", codes))
    assert page.inner_text("#theme").strip() == "Wonen"
    assert page.inner_text("#indicator").strip() == name
    page.wait_for_function("i => location.search.includes('indicator=' + encodeURIComponent(i))", arg=WOZ)
    assert view_query(page)["indicator"] == [WOZ]
    assert page.inner_text("#finder").strip() != name, "the finder is empty again, ready for the next search"

    # what it means: CBS's description, unit, group and source, folded under the choice
    page.locator(".about-figure summary").click()
    about = page.inner_text("#about-figure")
    assert "x 1 000 euro" in about and "Wonen en vastgoed" in about and "85984NED" in about
    assert "None" not in about
    screenshot(page, "finder-woz-about")


def test_a_cbs_group_finds_every_figure_in_it(watched, staff_url, published):  # noqa: F811
    page = watched
    open_map(page, staff_url, published)
    offered = find(page, "aardgasverbruik")
    assert len(offered) >= 3 and all("aardgas" in o.lower() for o in offered), offered
    page.keyboard.press("Escape")


def test_the_about_panel_follows_the_indicator(watched, public_url, published):  # noqa: F811
    page = watched
    open_map(page, public_url, published, f"?indicator={WOZ}&taal=en")
    page.locator(".about-figure summary").click()
    assert "x 1 000 euro" in page.inner_text("#about-figure")
    find(page, "lonely")
    page.locator(OPTION).first.click()
    page.wait_for_function("() => !document.querySelector('#about-figure').innerText.includes('x 1 000 euro')")
    assert "Age group" in page.inner_text("#about-figure") or "Unit" in page.inner_text("#about-figure")


def test_the_catalogue_page_opens_any_figure_on_the_map(watched, public_url, published):  # noqa: F811
    page = watched
    open_map(page, public_url, published)
    page.click("#catalogue-link")
    page.wait_for_selector("h1")
    assert page.url.endswith("/cijfers")
    themes = page.locator(".cat-theme h2").all_inner_texts()
    assert themes[:3] == ["Armoede", "Energie", "Eenzaamheid"]
    assert_accessible(page, "catalogue")
    # a figure that is not featured: one step away, under "more in this theme"
    section = page.locator("#thema-energie")
    section.locator(".cat-more > summary").click()
    figure = section.locator(".cat-more .cat-figure").first
    indicator = figure.get_attribute("data-indicator")
    figure.locator("summary").click()
    assert figure.locator("dl").inner_text().strip()
    screenshot(page, "catalogue")
    figure.locator("a.cat-map").click()
    page.wait_for_function("t => document.querySelector('.legend-title')?.innerText.startsWith(t)",
                           arg=published.labels[indicator][0])
    assert view_query(page)["indicator"] == [indicator]


def test_finder_on_a_phone(browser, browser_type_launch_args, public_url, published):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(public_url + "/")
        page.wait_for_selector("#panel-toggle")
        page.click("#panel-toggle")
        page.locator("#finder").tap()
        page.locator(SEARCH_FIELD).tap()
        page.keyboard.type("woz", delay=20)
        page.locator(OPTION).filter(has_text=published.labels[WOZ][0]).first.tap()
        page.wait_for_function("i => location.search.includes(encodeURIComponent(i))", arg=WOZ)
        screenshot(page, "finder-phone")
    finally:
        context.close()
