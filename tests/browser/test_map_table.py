"""The map's text alternative: a table of the regions drawn, with figure and class, sortable, and a keyboard-only
path from the search (or the table) to a profile and back."""
from __future__ import annotations

import pytest

from dashboard.present.figure import quantity_text
from dashboard.text import t
from tests.browser.axe import assert_accessible
from tests.browser.conftest import screenshot
from tests.browser.map_page import YLGNBU, open_map, published, watched  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]


MISSING = t("figure.missing", "nl")


def nl(value: float) -> str:
    """A share as the tooltips and the table say it (dashboard/present/figure.py)."""
    return quantity_text(value, "%", "nl")


def number_of(figure: str) -> float:
    return float(figure.removesuffix("%").replace(".", "").replace(",", "."))


def table_rows(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#region-table tbody tr')).map(tr => ({
        code: tr.dataset.code, name: tr.querySelector('th').innerText.trim(),
        figure: tr.querySelectorAll('td')[0].innerText.trim(), cls: tr.querySelectorAll('td')[1].innerText.trim(),
        colour: getComputedStyle(tr.querySelector('.swatch')).backgroundColor}))""")


def open_table(page):
    page.keyboard.press("Escape")
    page.locator("#map-table summary").focus()
    page.keyboard.press("Enter")                     # a <summary> opens with the keyboard
    page.wait_for_function("() => document.querySelectorAll('#region-table tbody tr').length > 0")


def test_the_table_lists_every_region_drawn_with_figure_and_class(watched, public_url, published):  # noqa: F811
    page = watched
    codes = open_map(page, public_url, published)
    open_table(page)
    page.wait_for_function("n => document.querySelectorAll('#region-table tbody tr').length === n", arg=len(codes))
    rows = table_rows(page)
    assert {r["code"] for r in rows} == set(codes)
    assert [r["name"] for r in rows] == sorted((r["name"] for r in rows), key=str.casefold)
    expected = published.expected_colours("laag_inkomen", 2023, "buurt", codes)
    palette = YLGNBU[5]
    for row in rows:
        value = published.observations.get(("laag_inkomen", 2023, "buurt", row["code"]))
        assert row["name"] == published.names[row["code"]]
        assert row["figure"] == (nl(value) if value is not None else MISSING)
        if value is None:
            assert row["cls"] == MISSING
        else:
            legend_label = page.locator(".legend-item.legend-class").nth(palette.index(expected[row["code"]]))
            assert row["cls"] == legend_label.locator(".legend-label").inner_text()
    assert page.inner_text("#region-table caption").startswith(published.labels["laag_inkomen"][0])
    assert_accessible(page, "public-table")


def test_sorting_by_figure_with_the_keyboard(watched, public_url, published):  # noqa: F811
    page = watched
    open_map(page, public_url, published)
    open_table(page)
    page.locator("#region-table button[data-sort=value]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#region-table th[aria-sort=ascending] button')"
                           "?.dataset.sort === 'value'")
    figures = [r["figure"] for r in table_rows(page)]
    numbers = [number_of(f) for f in figures if f != MISSING]
    assert numbers == sorted(numbers) and figures[-1] == MISSING, "ascending, empty figures last"
    assert page.evaluate("() => document.activeElement.dataset.sort") == "value", "focus stays on the sort button"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#region-table th[aria-sort=descending]')")
    numbers = [number_of(r["figure"]) for r in table_rows(page) if r["figure"] != MISSING]
    assert numbers == sorted(numbers, reverse=True)


def test_a_row_opens_its_profile_and_closing_returns_to_the_row(watched, public_url, published):  # noqa: F811
    page = watched
    open_map(page, public_url, published)
    open_table(page)
    row = page.locator("#region-table tr[data-code=BU99990101] button")
    row.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'profile-name'")
    assert page.inner_text("#profile-name") == published.names["BU99990101"]
    assert "has-region" in page.get_attribute("#profile-panel", "class")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == "profile-close"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.closest('tr')?.dataset.code === 'BU99990101'")
    assert "has-region" not in page.get_attribute("#profile-panel", "class")
    page.wait_for_function("() => !location.search.includes('regio=')")


def test_keyboard_only_from_search_to_a_profile_and_back(watched, public_url, published):  # noqa: F811
    page = watched
    open_map(page, public_url, published)
    page.locator("#search").focus()
    page.keyboard.press("Enter")                      # opens the search box, and its field takes the focus
    page.wait_for_function("() => document.activeElement?.matches('.dash-dropdown-content input.dash-dropdown-search')")
    page.keyboard.type("kade", delay=30)
    assert page.input_value(".dash-dropdown-content input.dash-dropdown-search") == "kade", "no key lost"

    page.locator(".dash-dropdown-content .dash-dropdown-option", has_text="Kadewijk").wait_for()
    page.keyboard.press("Enter")                      # the first match
    page.wait_for_function("() => document.activeElement?.id === 'profile-name'")
    assert page.inner_text("#profile-name") == "Kadewijk"
    screenshot(page, "keyboard-search-profile")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement?.id === 'search'")
    assert "has-region" not in page.get_attribute("#profile-panel", "class")
