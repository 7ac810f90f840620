"""Every public page and state has no axe-core violation of impact serious or critical (WCAG 2.1 AA rules,
colour contrast included), and the map's controls are named by their labels."""
from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.map_page import open_map, published, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]


@pytest.mark.parametrize("query", ["", "?taal=en"], ids=["nl", "en"])
def test_public_map(watched, public_url, published, query):  # noqa: F811
    open_map(watched, public_url, published, query)
    assert watched.evaluate("() => document.documentElement.lang") == ("en" if query else "nl")
    assert_accessible(watched, f"public-map-{'en' if query else 'nl'}")


@pytest.mark.parametrize("query", ["?regio=BU99990101", "?taal=en&niveau=wijk&regio=WK999901"], ids=["nl", "en"])
def test_public_map_with_a_profile(watched, public_url, published, query):  # noqa: F811
    open_map(watched, public_url, published, query)
    watched.locator("#profile-name").wait_for()
    assert_accessible(watched, f"public-profile-{'en' if 'taal' in query else 'nl'}")


def test_public_map_while_searching(watched, public_url, published):  # noqa: F811
    open_map(watched, public_url, published)
    watched.click("#search")
    watched.locator(".dash-dropdown-content input.dash-dropdown-search").fill("kade")
    watched.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Kadewijk").wait_for()
    assert_accessible(watched, "public-search")


def test_staff_map(watched, staff_url, published):  # noqa: F811
    open_map(watched, staff_url, published, "?regio=BU99990101")
    assert_accessible(watched, "staff-map")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_accessibility_statement(watched, public_url, lang):
    page = watched
    page.goto(public_url + ("/toegankelijkheid" if lang == "nl" else "/toegankelijkheid?taal=en"))
    assert "WCAG 2.1 AA" in page.inner_text("#a11y-level")
    assert page.evaluate("() => document.documentElement.lang") == lang
    assert_accessible(page, f"toegankelijkheid-{lang}")


def test_the_map_links_to_the_statement(watched, public_url, published):  # noqa: F811
    open_map(watched, public_url, published)
    watched.click("#a11y-link")
    watched.wait_for_url("**/toegankelijkheid")
    assert watched.inner_text("h1") == "Toegankelijkheid"


def test_choice_groups_are_named_radio_buttons(watched, public_url, published):  # noqa: F811
    """Dash 4 renders radio items as a listbox of options around native inputs; assets/a11y.js repairs that."""
    open_map(watched, public_url, published)
    group = watched.get_by_role("radiogroup", name="Niveau")
    assert group.count() == 1
    assert group.get_by_role("radio", name="Buurt").is_checked()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_my_area(watched, public_url, lang):
    page = watched
    page.goto(public_url + "/mijn-buurt/BU99990101" + ("?taal=en" if lang == "en" else ""))
    assert page.inner_text("h1") == "Kadewijk"
    assert_accessible(page, f"mijn-buurt-{lang}")
    screenshot(page, f"mijn-buurt-{lang}")


def test_my_area_reads_without_javascript_and_prints(browser, public_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(public_url + "/mijn-buurt/WK999901")
    assert "van de 100 huishoudens hebben een laag inkomen" in page.inner_text("main")
    page.emulate_media(media="print")
    assert "Wat de wijkagenda van plan is" in page.inner_text("main")
    assert len(page.pdf(format="A4")) > 1000, "Chromium prints it"
    context.close()


def test_the_profile_leads_to_my_area(watched, public_url, published):  # noqa: F811
    open_map(watched, public_url, published, "?regio=BU99990101")
    watched.click("#my-area-link")
    watched.wait_for_url("**/mijn-buurt/BU99990101")
    assert watched.inner_text("h1") == "Kadewijk"
