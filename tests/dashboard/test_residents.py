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


class TestMyArea:
    """``/mijn-buurt/<code>``: figures in sentences against gemeente and NL, from the public file only."""

    @pytest.fixture(scope="class")
    def public_figures(self, demo_data_dir, tmp_path_factory):
        import shutil

        import duckdb

        copy = tmp_path_factory.mktemp("public-copy") / "public.duckdb"
        shutil.copy(demo_data_dir / "published" / "public.duckdb", copy)
        con = duckdb.connect(str(copy), read_only=True)
        rows = {(i, y, c): v for i, y, c, v in con.execute(
            "SELECT indicator_id, year, code, value FROM observations").fetchall()}
        con.close()
        return rows

    def test_a_buurt_in_plain_dutch(self, public_client, public_figures):
        response = public_client.get("/mijn-buurt/BU99990101")
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert '<html lang="nl">' in body and "<h1 id=\"area-name\">Kadewijk</h1>" in body
        own = round(public_figures[("laag_inkomen", 2023, "BU99990101")])
        gemeente = round(public_figures[("laag_inkomen", 2023, "GM9999")])
        assert f"{own} van de 100 huishoudens hebben een laag inkomen. In de gemeente {gemeente}" in body
        assert "CBS (85618NED), 2023" in body
        assert "Dit is een schatting." in body, "model estimates say so"
        assert "<script" not in body, "the text needs no JavaScript"
        assert 'href="/?regio=BU99990101"' in body and 'href="/mijn-buurt/BU99990101?taal=en"' in body

    def test_a_wijk_in_english_with_its_agenda(self, public_client):
        body = public_client.get("/mijn-buurt/WK999901?taal=en").get_data(as_text=True)
        assert '<html lang="en">' in body and "What the wijkagenda plans" in body
        assert "in 100 households have a low income" in body
        assert "December 2026" in body

    @pytest.mark.parametrize("path", ["/mijn-buurt/GM9999", "/mijn-buurt/BU00000000", "/mijn-buurt/bu99990101",
                                      "/mijn-buurt/%3Cscript%3E"])
    def test_anything_but_a_buurt_or_wijk_is_not_found(self, public_client, path):
        assert public_client.get(path).status_code == 404

    def test_the_profile_links_to_it(self, public_client):
        import json

        layout = public_client.post("/_dash-update-component", json={
            "output": "page.children", "outputs": {"id": "page", "property": "children"},
            "inputs": [{"id": "url", "property": "search", "value": "?regio=BU99990101"}], "changedPropIds": []})
        assert "/mijn-buurt/BU99990101" in json.dumps(layout.get_json())


def test_the_locatieserver_setting():
    assert Settings.from_env({}, data_dir="d").locatieserver == "https://api.pdok.nl/bzk/locatieserver/search/v3_1"
    assert Settings.from_env({"WIJKBEELD_LOCATIESERVER": "none"}, data_dir="d").locatieserver is None
    assert Settings(data_dir="d").locatieserver is None, "built directly (tests): no address search"
    with pytest.raises(SettingsError, match="WIJKBEELD_LOCATIESERVER"):
        Settings.from_env({"WIJKBEELD_LOCATIESERVER": "http://example.org/v3_1"}, data_dir="d")
