"""Finding a figure among a few hundred: the finder's choices, what a figure means, and /cijfers (every figure by
theme and CBS group) in both apps, against the published demo."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard import views
from dashboard.app import create_app
from dashboard.components.controls import indicator_options
from dashboard.db import PublishedData
from dashboard.present.catalogue import about, finder_options, group_path, in_order
from dashboard.present.sources import Sources
from dashboard.settings import Settings
from dashboard.text import INDICATOR_THEMES, label, t

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}   # a staff app without a login answers loopback only
STAFF_ONLY = "eigen.schuldhulp_aanmeldingen"   # the demo's own figure declared not public (data/demo)


@pytest.fixture(scope="module")
def staff(demo_data_dir):
    return PublishedData(demo_data_dir, "staff")


@pytest.fixture(scope="module", params=["staff", "public"])
def app_and_data(request, demo_data_dir):
    app = create_app(Settings(data_dir=demo_data_dir, audience=request.param))
    return app.server.test_client(), PublishedData(demo_data_dir, request.param)


def catalogue_ids(body: str) -> list[str]:
    return re.findall(r'<li class="cat-figure" data-indicator="([^"]+)">', body)


class TestFinderChoices:
    def test_every_indicator_once_in_theme_order_featured_first(self, staff):
        indicators = views.indicators(staff)
        options = finder_options(indicators, "nl")
        assert sorted(o["value"] for o in options) == sorted(i["id"] for i in indicators)
        by_id = {i["id"]: i for i in indicators}
        keys = [(INDICATOR_THEMES.index(by_id[o["value"]]["theme"]), not by_id[o["value"]]["featured"])
                for o in options]
        assert keys == sorted(keys)

    def test_found_by_name_theme_cbs_group_and_title(self, staff):
        options = {o["value"]: o for o in finder_options(views.indicators(staff), "nl")}
        woz = options["wonen_en_vastgoed.gemiddelde_woz_waarde_van_woningen"]
        assert woz["label"] == "Gemiddelde WOZ-waarde van woningen · Wonen en vastgoed"
        for words in ("Gemiddelde WOZ-waarde", label("theme", "wonen", "nl"), "Wonen en vastgoed"):
            assert words in woz["search"]
        nested = next(i for i in views.indicators(staff) if len(group_path(i)) > 1)
        assert all(g in options[nested["id"]]["search"] for g in group_path(nested))
        assert options[nested["id"]]["label"].endswith(" · " + group_path(nested)[-1])

    def test_in_english(self, staff):
        options = {o["value"]: o for o in finder_options(views.indicators(staff), "en")}
        first = views.indicators(staff)[0]
        assert options[first["id"]]["label"].startswith(first["label_en"])

    def test_a_theme_lists_its_featured_figures_first_by_name_then_the_rest_with_their_group(self, staff):
        indicators = views.indicators(staff)
        options = indicator_options(indicators, "energie", "nl")
        by_id = {i["id"]: i for i in indicators}
        featured = [o for o in options if by_id[o["value"]]["featured"]]
        assert options[:len(featured)] == featured and len(featured) < len(options)
        assert all(o["label"] == by_id[o["value"]]["label_nl"] for o in featured)
        assert all(" · " in o["label"] and o["search"] for o in options[len(featured):])
        assert {by_id[o["value"]]["theme"] for o in options} == {"energie"}


class TestAbout:
    def test_says_meaning_unit_group_source_and_years(self, staff):
        woz = views.indicator(staff, "wonen_en_vastgoed.gemiddelde_woz_waarde_van_woningen")
        years = views.indicator_years(staff, woz["id"])
        lines = dict(views.about_figure(staff, woz["id"], "nl"))
        assert lines[t("catalogue.description", "nl")] == woz["cbs_description"].strip()
        assert lines[t("catalogue.unit", "nl")] == "x 1 000 euro"
        assert lines[t("catalogue.cbs_group", "nl")] == "Wonen en vastgoed"
        assert lines[t("catalogue.source", "nl")] == f"CBS (85984NED), {years[-1]}"
        assert str(years[0]) in lines[t("catalogue.years", "nl")]

    def test_an_age_group_is_said(self, staff):
        lines = dict(views.about_figure(staff, "eenzaam_65plus", "en"))
        assert lines[t("catalogue.age_group", "en")] == "65+"

    def test_lines_without_content_are_left_out(self):
        lines = about({"id": "x", "theme": "wonen", "source": "eigen", "attribution": "Bron: enquête",
                       "label_nl": "x", "label_en": "x"}, [], Sources([]), "nl")
        assert lines == [(t("common.theme", "nl"), label("theme", "wonen", "nl")),
                         (t("catalogue.source", "nl"), "Bron: enquête")]
        assert all(text not in ("None", "") for _, text in lines)

    def test_an_unknown_indicator_has_nothing_to_say(self, staff):
        assert views.about_figure(staff, "<script>", "nl") == []


class TestCataloguePage:
    def test_lists_every_published_figure_once_by_theme_featured_first(self, app_and_data):
        client, data = app_and_data
        response = client.get("/cijfers", environ_base=LOCAL)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        ids = catalogue_ids(body)
        assert sorted(ids) == sorted(i["id"] for i in views.indicators(data)) and len(ids) == len(set(ids))
        themes = re.findall(r'<section class="cat-theme" id="thema-([^"]+)"', body)
        assert themes == list(dict.fromkeys(i["theme"] for i in in_order(views.indicators(data))))
        assert t("catalogue.count", "nl", count=len(ids)) in body

    def test_each_theme_shows_featured_figures_before_the_others(self, app_and_data):
        client, data = app_and_data
        body = client.get("/cijfers", environ_base=LOCAL).get_data(as_text=True)
        featured = {i["id"] for i in views.indicators(data) if i["featured"]}
        for section in re.findall(r'<section class="cat-theme".*?</section>', body, re.S):
            ids = catalogue_ids(section)
            flags = [i in featured for i in ids]
            assert flags == sorted(flags, reverse=True), "featured first within a theme"

    def test_each_figure_opens_on_the_map(self, app_and_data):
        client, data = app_and_data
        body = client.get("/cijfers?taal=en", environ_base=LOCAL).get_data(as_text=True)
        links = re.findall(r'<a href="([^"]+)" class="cat-map">', body)
        assert len(links) == len(views.indicators(data))
        query = parse_qs(urlsplit(unescape(links[0])).query)
        assert query["taal"] == ["en"] and query["indicator"][0] in {i["id"] for i in views.indicators(data)}
        page = client.get(unescape(links[0]), environ_base=LOCAL)
        assert page.status_code == 200

    def test_the_public_app_leaves_out_what_is_not_public(self, demo_data_dir):
        public = create_app(Settings(data_dir=demo_data_dir, audience="public")).server.test_client()
        staff = create_app(Settings(data_dir=demo_data_dir, audience="staff")).server.test_client()
        assert STAFF_ONLY in catalogue_ids(staff.get("/cijfers", environ_base=LOCAL).get_data(as_text=True))
        body = public.get("/cijfers").get_data(as_text=True)
        assert STAFF_ONLY not in body and "schuldhulp" not in body.lower()

    def test_never_says_none(self, app_and_data):
        client, _ = app_and_data
        body = client.get("/cijfers", environ_base=LOCAL).get_data(as_text=True)
        assert not re.search(r">\s*None\s*<", body)
