"""The demo dashboard as a person sees it in headless Chromium."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_demo_page_shows_the_fictional_gemeente_and_its_indicators(watched_page, staff_url, demo_data_dir):
    from dashboard.db import PublishedData

    page = watched_page
    page.goto(staff_url)
    page.wait_for_selector("#indicator-table")
    assert "fictieve gemeente" in page.inner_text("#fictional-note")
    assert "Voorbeeldstad" in page.inner_text("#gemeenten")
    expected = {r["label_nl"] for r in PublishedData(demo_data_dir).rows("indicator_overview")}
    table = page.inner_text("#indicator-table")
    assert all(label in table for label in expected)
    screenshot(page, "demo-overview")
    assert page.js_errors == []
    assert {urlparse(u).hostname for u in page.requested} == {"127.0.0.1"}
