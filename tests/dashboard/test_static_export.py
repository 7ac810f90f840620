"""The static public map: only the public file's contents, only local resources, every text escaped."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest

from dashboard import settings
from dashboard.cli import main
from dashboard.db import PublishedData, open_read_only
from dashboard.text import t
from dashboard.static_export import ExportError, export_public_map
from dashboard.static_page import BoundPopup, legend_html, popup_html, script_json, tooltip_html

EVIL = "<script>alert(1)</script>"
TILES = settings.BASEMAPS["grijs"]
ATTRIBUTION_LINKS = ("https://leafletjs.com",)


@pytest.fixture(scope="module")
def exported(demo_data_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("static") / "kaart"
    export_public_map(demo_data_dir, out, progress=lambda message: None, basemap=TILES)
    return out


def in_page(text: str) -> str:
    """How a text from the data stands in index.html: HTML-escaped, inside a JSON string."""
    return script_json(html.escape(text))[1:-1]


def output_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", errors="ignore") for p in folder.rglob("*") if p.is_file())


class Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


class TestExportPublicMap:
    def test_writes_the_page_and_leaflet(self, exported):
        for name in ("index.html", "leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE",
                     "leaflet/images/layers.png"):
            assert (exported / name).is_file(), name
        assert not list(exported.parent.glob(".kaart.*")), "temporary folders left behind"

    def test_loads_every_resource_from_its_own_folder(self, exported):
        page = (exported / "index.html").read_text()
        resources = Resources()
        resources.feed(page)
        assert sorted(resources.urls) == ["leaflet/leaflet.css", "leaflet/leaflet.js"]
        for url in resources.urls:
            assert (exported / url).is_file()
        outside = set(re.findall(r"https?://[^\s\"'<>]+", page)) - {TILES}
        assert all(url.startswith(ATTRIBUTION_LINKS) for url in outside), outside
        for cdn in ("jquery", "bootstrap", "cdn.jsdelivr", "cdnjs", "awesome-markers"):
            assert cdn not in page.lower()

    def test_one_layer_per_featured_indicator_with_buurt_figures(self, exported, demo_data_dir):
        page = (exported / "index.html").read_text()
        data = PublishedData(demo_data_dir, "public")
        with_buurt = {r["indicator_id"] for r in data.rows("available_years") if r["level"] == "buurt"}
        featured = {r["id"] for r in data.rows("indicators") if r["featured"]} & with_buurt
        assert featured and with_buurt - featured, "the demo has featured indicators and others"
        for ind in data.rows("indicators"):
            if ind["id"] in featured:
                assert in_page(ind["label_nl"]) in page, ind["id"]
        assert page.count("L.geoJson(") == len(featured)
        assert "Kaartgegevens" in page and "CC BY 4.0" in page and "RIVM" in page
        assert in_page(t("common.fictional", "nl")) in page

    def test_every_public_initiative_and_nothing_private(self, exported, demo_data_dir):
        text = output_text(exported)
        public = PublishedData(demo_data_dir, "public").rows("initiatives")
        assert public
        for row in public:
            assert in_page(row["name"]) in text, row["name"]
        staff = open_read_only(demo_data_dir / "published" / "staff.duckdb")
        try:
            hidden = [r[0] for r in staff.execute("SELECT name FROM initiatives WHERE NOT public").fetchall()]
            contacts = [r[0] for r in staff.execute("SELECT contact FROM initiatives WHERE contact IS NOT NULL").fetchall()]
        finally:
            staff.close()
        assert hidden and contacts
        parts = {part.strip() for contact in contacts for part in [contact, *contact.split("|")] if part.strip()}
        for secret in [*hidden, *parts]:
            for form in {secret, html.escape(secret), in_page(secret)}:
                assert form not in text, secret

    def test_without_basemap_nothing_outside(self, demo_data_dir, tmp_path):
        export_public_map(demo_data_dir, tmp_path / "kaart", progress=lambda m: None, basemap=None)
        page = (tmp_path / "kaart" / "index.html").read_text()
        assert "pdok" not in page and "L.tileLayer" not in page

    def test_replaces_an_earlier_export(self, demo_data_dir, tmp_path):
        out = tmp_path / "kaart"
        for _ in range(2):
            export_public_map(demo_data_dir, out, progress=lambda m: None, basemap=None)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kaart"]

    def test_refuses_a_folder_with_other_files(self, demo_data_dir, tmp_path):
        (tmp_path / "notes.txt").write_text("mine")
        with pytest.raises(ExportError, match="not an earlier export"):
            export_public_map(demo_data_dir, tmp_path, progress=lambda m: None)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


class TestEscaping:
    def test_script_json_cannot_end_the_script(self):
        text = script_json({"name": EVIL + "<!-- \u2028"})
        assert "<" not in text and ">" not in text and "\u2028" not in text

    def test_tooltip(self):
        tip = tooltip_html(EVIL, "12 " + EVIL)
        assert "<script" not in tip and "&lt;script&gt;alert(1)&lt;/script&gt;" in tip

    def test_popup(self):
        point = {"properties": {"name": EVIL, "organisation": EVIL, "theme": EVIL, "status": "loopt",
                                "description": EVIL, "start": "2024-01-01", "end": None}}
        assert "<script" not in popup_html(point, "nl")

    def test_legend(self):
        text = legend_html(EVIL, 2024, [{"colour": '"><script>', "label": EVIL, "count": 1}], EVIL)
        assert "<script" not in text

    def test_rendered_popup_stays_inside_its_script(self):
        fmap = folium.Map(tiles=None)
        marker = folium.CircleMarker([52.0, 5.0]).add_to(fmap)
        BoundPopup(popup_html({"properties": {"name": "</script>" + EVIL, "organisation": None, "theme": None,
                                              "status": None, "description": None, "start": None, "end": None}},
                              "nl")).add_to(marker)
        page = fmap.get_root().render()
        assert "alert(1)" in page and "<script>alert" not in page and "</script><script>alert" not in page


class TestCommand:
    def test_export_public_map(self, demo_data_dir, tmp_path, monkeypatch):
        monkeypatch.setenv("WIJKBEELD_BASEMAP", "none")
        code = main(["export", "public-map", "--data-dir", str(demo_data_dir), "--out", str(tmp_path / "kaart")])
        assert code == 0 and (tmp_path / "kaart" / "index.html").is_file()

    def test_any_indicator_when_asked_by_id(self, demo_data_dir, tmp_path, monkeypatch):
        monkeypatch.setenv("WIJKBEELD_BASEMAP", "none")
        data = PublishedData(demo_data_dir, "public")
        with_buurt = {r["indicator_id"] for r in data.rows("available_years") if r["level"] == "buurt"}
        other = next(i for i in data.rows("indicators") if not i["featured"] and i["id"] in with_buurt)
        code = main(["export", "public-map", "--data-dir", str(demo_data_dir), "--out", str(tmp_path / "kaart"),
                     "--indicator", other["id"], "--indicator", "laag_inkomen"])
        page = (tmp_path / "kaart" / "index.html").read_text()
        assert code == 0 and page.count("L.geoJson(") == 2
        assert in_page(other["label_nl"]) in page

    def test_an_unknown_or_private_indicator_is_one_clear_error(self, demo_data_dir, tmp_path, capsys):
        for asked in ("onzin", "eigen.schuldhulp_aanmeldingen"):
            code = main(["export", "public-map", "--data-dir", str(demo_data_dir), "--out", str(tmp_path / "kaart"),
                         "--indicator", asked])
            assert code == 1 and f"no published public indicator '{asked}'" in capsys.readouterr().err
            assert not (tmp_path / "kaart").exists()

    def test_nothing_published_is_one_clear_error(self, tmp_path, capsys):
        code = main(["export", "public-map", "--data-dir", str(tmp_path / "leeg"), "--out", str(tmp_path / "kaart")])
        assert code == 1
        assert "nothing published" in capsys.readouterr().err
        assert not (tmp_path / "kaart").exists()


def test_the_page_can_be_zoomed_and_has_a_table_and_a_language(exported):
    page = (exported / "index.html").read_text() if exported.is_dir() else exported.read_text()
    assert "user-scalable=no" not in page and "maximum-scale" not in page
    assert '<html lang="nl">' in page
    assert page.index('id="wb-table"') > page.index('class="folium-map"'), "the table comes after the map"
