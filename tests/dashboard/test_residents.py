"""The residents' pages without a browser: the accessibility statement and its contact setting."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings, SettingsError


@pytest.fixture(scope="module")
def public_client(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience="public",
                               contact="toegankelijkheid@voorbeeldstad.nl")).server.test_client()


class TestContactSetting:
    def test_an_address_or_a_page(self):
        assert Settings.from_env({"WIJKBEELD_CONTACT": "a11y@gemeente.nl"}, data_dir="d").contact == "a11y@gemeente.nl"
        assert Settings.from_env({"WIJKBEELD_CONTACT": "https://gemeente.nl/melden"},
                                 data_dir="d").contact == "https://gemeente.nl/melden"
        assert Settings.from_env({}, data_dir="d").contact is None

    def test_anything_else_names_the_variable(self):
        with pytest.raises(SettingsError, match="WIJKBEELD_CONTACT"):
            Settings.from_env({"WIJKBEELD_CONTACT": "javascript:alert(1)"}, data_dir="d")


class TestAccessibilityStatement:
    def test_states_the_level_and_the_contact(self, public_client):
        body = public_client.get("/toegankelijkheid").get_data(as_text=True)
        assert '<html lang="nl">' in body and "WCAG 2.1 AA" in body
        assert 'href="mailto:toegankelijkheid@voorbeeldstad.nl"' in body

    def test_in_english(self, public_client):
        body = public_client.get("/toegankelijkheid?taal=en").get_data(as_text=True)
        assert '<html lang="en">' in body and "Report a problem" in body

    def test_without_a_contact_it_points_to_the_gemeente(self, demo_data_dir):
        client = create_app(Settings(data_dir=demo_data_dir, audience="staff")).server.test_client()
        body = client.get("/toegankelijkheid", environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)
        assert "Meld het bij de gemeente" in body


def test_the_map_page_has_the_language_of_its_view(public_client):
    assert '<html lang="en">' in public_client.get("/?taal=en").get_data(as_text=True)
    assert '<html lang="nl">' in public_client.get("/").get_data(as_text=True)
