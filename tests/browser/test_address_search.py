"""Find by address: the page asks our server, our server asks Locatieserver (here a local server answering with
recorded responses, or a slow or failing one); the region search by name and code works whatever it does."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot, serve_in_thread
from tests.browser.map_page import assert_clean, open_map, published, watched  # noqa: F401 (fixtures)
from tests.dashboard.test_locatieserver import serve_recorded

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]

UNAVAILABLE = "Adres zoeken is nu niet beschikbaar; zoeken op naam of code van een gebied werkt wel."


@pytest.fixture(scope="module")
def address_urls(demo_data_dir):
    """A public app per Locatieserver: one answering, one slow, one failing."""
    from dashboard.app import create_app
    from dashboard.settings import Settings

    started, urls = [], {}
    urls["servers"] = {}
    for mode in ("ok", "slow", "failing"):
        locatieserver, base = serve_recorded(mode)
        server, url = serve_in_thread(create_app(Settings(data_dir=demo_data_dir, audience="public",
                                                          locatieserver=base)))
        started.append((locatieserver, server))
        urls[mode] = url
        urls["servers"][mode] = locatieserver
    yield urls
    for locatieserver, server in started:
        locatieserver.stopped = True
        server.shutdown()


def type_search(page, text: str):
    page.click("#search")
    page.locator(".dash-dropdown-content input.dash-dropdown-search").fill(text)


def test_an_address_selects_its_buurt_with_its_profile(watched, address_urls, published):  # noqa: F811
    page = watched
    response = page.goto(address_urls["ok"] + "/")
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    open_map(page, address_urls["ok"], published)
    type_search(page, "Kadestraat 12")
    option = page.locator(".dash-dropdown-content .dash-dropdown-option",
                          has_text="Kadestraat 12, 9999AB Voorbeeldstad (adres)")
    option.wait_for()
    assert_accessible(page, "public-address-search")
    option.click()
    page.wait_for_function("() => document.querySelector('#profile-name')?.textContent === 'Kadewijk'")
    assert page.inner_text("#search-status") == "Kadestraat 12, 9999AB Voorbeeldstad ligt in buurt Kadewijk."
    page.wait_for_function("() => location.search.includes('regio=BU99990101')")
    screenshot(page, "address-search")
    assert {urlsplit(u).hostname for u in page.requested} <= {"127.0.0.1", "service.pdok.nl"}, \
        "the browser never talks to Locatieserver itself"
    assert_clean(page)


@pytest.mark.parametrize("mode", ["slow", "failing"])
def test_without_locatieserver_regions_are_still_found(watched, address_urls, published, mode):  # noqa: F811
    page = watched
    open_map(page, address_urls[mode], published)
    locatieserver = address_urls["servers"][mode]
    started = time.monotonic()
    type_search(page, "Kadew")
    option = page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Kadewijk (buurt BU99990101)")
    option.wait_for()
    page.wait_for_function("text => document.querySelector('#search-status')?.textContent === text", arg=UNAVAILABLE)
    # Locatieserver's 1.5 s timeout, not its 3 s (slow) answer, and not forever (generous for a loaded machine)
    assert time.monotonic() - started < 6, "the search waits at most Locatieserver's timeout"
    assert "Traceback" not in page.content()
    option.click()
    page.wait_for_function("() => document.querySelector('#profile-name')?.textContent === 'Kadewijk'")
    # afterwards Locatieserver is left alone for a while: the next searches do not wait for it
    asked = len(locatieserver.paths)
    type_search(page, "Oude H")
    page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Oude Haven").wait_for()
    assert len(locatieserver.paths) == asked
    assert_clean(page)
