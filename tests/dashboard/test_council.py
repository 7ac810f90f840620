"""The council pages: a briefing per wijk or gemeente, and the side-by-side comparison, on the demo."""
import re
import shutil
from datetime import date

import pytest

from dashboard.components.profile import council_links
from dashboard.db import open_read_only
from dashboard.present.figure import quantity_text
from dashboard.present.agenda import percent_text

WIJK, GEMEENTE = "WK999900", "GM9999"


def app_client(data_dir):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    app = create_app(Settings(data_dir=data_dir))
    return app.server.test_client()


@pytest.fixture(scope="module")
def client(demo_data_dir):
    return app_client(demo_data_dir)


@pytest.fixture(scope="module")
def db(demo_data_dir):
    con = open_read_only(demo_data_dir / "published" / "staff.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def wijk_page(client) -> str:
    response = client.get(f"/briefing/{WIJK}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def block(page: str, start: str, end: str) -> str:
    """The text from ``start`` up to the first ``end`` after it."""
    at = page.index(start)
    return page[at:page.index(end, at)]


def newest(db, indicator: str, code: str) -> tuple[int, float]:
    return db.execute("SELECT year, value FROM observations WHERE indicator_id = ? AND code = ? AND value IS NOT NULL "
                      "ORDER BY year DESC LIMIT 1", [indicator, code]).fetchone()


class TestWijkBriefing:
    def test_title_names_the_wijk_its_level_gemeente_and_published_date(self, wijk_page, db):
        assert "<h1>Centrum</h1>" in wijk_page
        assert f"Wijk {WIJK}" in wijk_page and "gemeente Voorbeeldstad" in wijk_page
        published = date.fromisoformat(db.execute("SELECT value FROM meta WHERE key = 'published_at'")
                                       .fetchone()[0][:10])
        months = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
        assert f"Gepubliceerde versie van {published.day} {months[published.month - 1]} {published.year}" in wijk_page

    def test_the_map_draws_every_buurt_of_the_wijk_and_no_other(self, wijk_page, db):
        svg = block(wijk_page, '<svg class="svgmap"', "</svg>")
        drawn = re.findall(r'data-code="(BU\d{8})"', svg)
        newest_year = db.execute("SELECT max(year) FROM regions WHERE code = ?", [WIJK]).fetchone()[0]
        buurten = db.execute("SELECT code, name FROM regions WHERE year = ? AND level = 'buurt' AND wijk_code = ? "
                             "ORDER BY code", [newest_year, WIJK]).fetchall()
        assert drawn == [code for code, _ in buurten]
        assert all(f"<title>{name} ({code})</title>" in svg for code, name in buurten)
        assert "<script" not in svg and "<image" not in svg and "http" not in svg.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")

    def test_buurten_are_coloured_by_their_class(self, wijk_page):
        svg = block(wijk_page, '<svg class="svgmap"', "</svg>")
        fills = set(re.findall(r'<path [^>]*fill="(#[0-9a-f]{6})"', svg))
        assert len(fills) > 1
        assert "Huishoudens met een laag inkomen" in block(wijk_page, 'id="kaart"', "</section>")

    @pytest.mark.parametrize("indicator, unit", [("laag_inkomen", "%"), ("aardgas", "m³"), ("eenzaam", "%"),
                                                 ("inwoners", "")])
    def test_key_figures_equal_the_database_in_dutch(self, wijk_page, db, indicator, unit):
        row = block(wijk_page, f'<tr data-indicator="{indicator}">', "</tr>")
        year, value = newest(db, indicator, WIJK)
        own = quantity_text(value, unit, "nl")
        assert own in row and f"({year})" in row
        _, gemeente = db.execute("SELECT year, value FROM observations WHERE indicator_id = ? AND code = ? AND "
                                 "year = ?", [indicator, GEMEENTE, year]).fetchone()
        assert quantity_text(gemeente, unit, "nl") in row
        assert '<svg class="sparkline"' in row
        assert re.search(rf"\({year}\)|, {year}", row)  # source and year under the figure

    def test_every_featured_indicator_has_a_row_and_no_other(self, wijk_page, db):
        featured = {r[0] for r in db.execute("SELECT id FROM indicators WHERE featured").fetchall()}
        figures = block(wijk_page, '<section id="kerncijfers">', "</section>")
        assert set(re.findall(r'<tr data-indicator="([^"]+)"', figures)) == featured

    def test_any_indicator_on_the_map_gets_its_row_too(self, client, db):
        other = db.execute("SELECT id FROM indicators WHERE NOT featured AND source = 'kerncijfers' "
                           "ORDER BY id LIMIT 1").fetchone()[0]
        page = client.get(f"/briefing/{WIJK}?kaart={other}").get_data(as_text=True)
        assert f'<tr data-indicator="{other}"' in page

    def test_nl_reference_and_estimates_are_shown(self, wijk_page, db):
        row = block(wijk_page, '<tr data-indicator="eenzaam">', "</tr>")
        year, value = newest(db, "eenzaam", "NL00")
        assert quantity_text(value, "%", "nl") + " (modelschatting)" in row
        assert "stroke-dasharray" in row  # the estimate's trend is dashed

    def test_agenda_titles_progress_status_and_owner(self, wijk_page, db):
        items = db.execute("SELECT id, title, progress, owner, parent_id FROM agenda_items WHERE wijk_code = ?",
                           [WIJK]).fetchall()
        assert items
        parents = {parent for *_, parent in items if parent}
        agenda = block(wijk_page, 'id="agenda"', "</section>")
        for item_id, title, progress, owner, _ in items:
            assert title in agenda
            if owner:
                assert owner in agenda
            if item_id not in parents:  # a parent shows its children's mean
                entry = block(agenda, f'data-item="{item_id}"', "</li>")
                assert percent_text(progress, "nl") in entry
                assert f'aria-valuenow="{round(progress)}"' in entry
        assert "Gekoppeld cijfer" in agenda and "geen oorzaak" in agenda

    def test_initiatives_of_the_wijk_only(self, wijk_page, db):
        rows = db.execute("SELECT name, wijk_code, organisation FROM initiatives").fetchall()
        section = block(wijk_page, 'id="initiatieven"', "</section>")
        assert any(w == WIJK for _, w, _ in rows)
        for name, wijk, organisation in rows:
            assert (name in section) == (wijk == WIJK), name

    def test_sources_and_licences(self, wijk_page):
        sources = block(wijk_page, 'id="bronnen"', "</footer>")
        assert "CBS Kerncijfers wijken en buurten" in sources and "CC BY 4.0" in sources
        assert "Wijk- en buurtkaart" in sources

    def test_printable_and_self_contained(self, wijk_page):
        assert "@page" in wijk_page and "A4" in wijk_page
        assert "<script" not in wijk_page and "<link" not in wijk_page
        assert not re.search(r'(src|href)="https?://', wijk_page)

    def test_the_map_indicator_can_be_chosen_and_unknown_falls_back(self, client):
        page = client.get(f"/briefing/{WIJK}?kaart=eenzaam").get_data(as_text=True)
        assert "gekleurd naar Eenzaam" in page
        page = client.get(f"/briefing/{WIJK}?kaart=<x>").get_data(as_text=True)
        assert "gekleurd naar Huishoudens met een laag inkomen" in page


@pytest.fixture(scope="module")
def gemeente_page(client) -> str:
    response = client.get(f"/briefing/{GEMEENTE}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


class TestGemeenteBriefing:
    def test_wijken_on_the_map_and_in_the_table(self, gemeente_page, db):
        wijken = db.execute("SELECT code, name FROM regions WHERE level = 'wijk' AND year = 2024 ORDER BY code"
                            ).fetchall()
        svg = block(gemeente_page, '<svg class="svgmap"', "</svg>")
        assert re.findall(r'data-code="(WK\d{6})"', svg) == [c for c, _ in wijken]
        table = block(gemeente_page, 'id="per-wijk"', "</section>")
        for code, name in wijken:
            assert f'data-code="{code}"' in table and name in table

    def test_per_wijk_figures_equal_the_database(self, gemeente_page, db):
        year, _ = newest(db, "laag_inkomen", GEMEENTE)
        value = db.execute("SELECT value FROM observations WHERE indicator_id = 'laag_inkomen' AND code = 'WK999901' "
                           "AND year = ?", [year]).fetchone()[0]
        row = block(gemeente_page, 'data-code="WK999901"><th', "</tr>")
        assert quantity_text(value, "%", "nl") in row

    def test_agenda_roll_up_per_wijk_with_a_total(self, gemeente_page, db):
        agenda = block(gemeente_page, 'id="agenda"', "</section>")
        count = db.execute("SELECT count(*) FROM agenda_items").fetchone()[0]
        assert "Totaal" in agenda and f'<td class="num">{count}</td>' in block(agenda, 'class="total"', "</tr>")
        assert all(f'data-wijk="{w}"' in agenda for (w,) in
                   db.execute("SELECT DISTINCT wijk_code FROM agenda_items").fetchall())

    def test_initiatives_of_every_wijk(self, gemeente_page, db):
        section = block(gemeente_page, 'id="initiatieven"', "</section>")
        assert all(name in section for (name,) in db.execute("SELECT name FROM initiatives").fetchall())


class TestBriefingRefuses:
    @pytest.mark.parametrize("name", ["WK999999", "GM0001", "BU99990001", "wk999900", "WK99990", "WK9999000",
                                      "WK999900.pdf.pdf", "WK999900.html", "%3Cscript%3E", "NL00", "WK999900 "])
    def test_unknown_or_bad_codes_are_404(self, client, name):
        assert client.get(f"/briefing/{name}").status_code == 404

    def test_bad_pdf_codes_are_404_without_starting_chromium(self, client):
        assert client.get("/briefing/WK999999.pdf").status_code == 404
        assert client.get("/briefing/x.pdf").status_code == 404


@pytest.fixture(scope="module")
def escaped_page(demo_data_dir, tmp_path_factory) -> str:
    """The briefing of a copy of the demo whose initiative names carry markup."""
    from etl import jobs
    from etl.catalog import load_catalog
    from etl.demo import DEMO_DIR
    from etl.publish import publish

    data_dir = tmp_path_factory.mktemp("council-escape") / "data"
    shutil.copytree(demo_data_dir, data_dir, symlinks=True)
    text = (DEMO_DIR / "initiatieven.csv").read_text(encoding="utf-8-sig")
    text = text.replace("Buurtkamer De Waag", "<script>alert('x')</script> Buurtkamer", 1)
    text = text.replace("Stichting Welzijn Voorbeeldstad", 'Welzijn "<b>"', 1)
    path = tmp_path_factory.mktemp("council-input") / "initiatieven.csv"
    path.write_text(text, encoding="utf-8-sig")
    assert jobs.load_initiatives(data_dir, path).status == "ok"
    publish(data_dir, load_catalog(), progress=lambda m: None)
    return app_client(data_dir).get(f"/briefing/{WIJK}").get_data(as_text=True)


class TestEscaping:
    def test_a_name_with_a_script_is_escaped(self, escaped_page):
        assert "<script>" not in escaped_page and "<b>" not in escaped_page
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Buurtkamer" in escaped_page
        assert "Welzijn &#34;&lt;b&gt;&#34;" in escaped_page


class TestCompare:
    def test_two_wijken_side_by_side(self, client, db):
        response = client.get("/vergelijk?codes=WK999900,WK999901&indicatoren=laag_inkomen,eenzaam")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        table = block(page, '<table class="compare">', "</table>")
        heads = re.findall(r'<th scope="col" class="num[^"]*" data-code="(\w+)"', table)
        assert heads == ["WK999900", "WK999901", "GM9999", "NL00"]
        assert re.findall(r'<tr data-indicator="(\w+)"', table) == ["laag_inkomen", "eenzaam"]
        for indicator in ("laag_inkomen", "eenzaam"):
            year, _ = newest(db, indicator, "WK999900")
            row = block(table, f'<tr data-indicator="{indicator}">', "</tr>")
            assert f"({year})" in row
            for code in ("WK999900", "WK999901", "GM9999"):
                value = db.execute("SELECT value FROM observations WHERE indicator_id = ? AND code = ? AND year = ?",
                                   [indicator, code, year]).fetchone()[0]
                assert quantity_text(value, "%", "nl") in row
            assert row.count('<svg class="bar"') >= 3
        assert "modelschatting" in block(table, '<tr data-indicator="eenzaam">', "</tr>")

    def test_four_regions_wijken_and_buurten_with_a_year(self, client, db):
        response = client.get("/vergelijk?codes=WK999900&codes=WK999901,BU99990001&codes=WK999903&jaar=2022")
        assert response.status_code == 200
        table = block(response.get_data(as_text=True), '<table class="compare">', "</table>")
        assert re.findall(r'data-code="(\w+)"', table)[:4] == ["WK999900", "WK999901", "BU99990001", "WK999903"]
        assert "Marktplein" in table
        featured = [r[0] for r in db.execute("SELECT id FROM indicators WHERE featured").fetchall()]
        assert sorted(re.findall(r'<tr data-indicator="([^"]+)"', table)) == sorted(featured)  # not asked: featured
        assert "(2022)" in block(table, '<tr data-indicator="laag_inkomen">', "</tr>")

    def test_any_indicator_can_be_compared_and_the_form_offers_every_one(self, client, db):
        other = db.execute("SELECT id FROM indicators WHERE NOT featured ORDER BY id LIMIT 1").fetchone()[0]
        page = client.get(f"/vergelijk?codes=WK999900,WK999901&indicatoren={other}").get_data(as_text=True)
        table = block(page, '<table class="compare">', "</table>")
        assert re.findall(r'<tr data-indicator="([^"]+)"', table) == [other]
        boxes = re.findall(r'<input type="checkbox" name="indicatoren" value="([^"]+)"\s*( checked)?>', page)
        assert len(boxes) == db.execute("SELECT count(*) FROM indicators").fetchone()[0]
        assert [i for i, checked in boxes if checked] == [other]
        first = client.get("/vergelijk").get_data(as_text=True)
        checked = re.findall(r'value="([^"]+)"\s* checked>', first)
        assert sorted(checked) == sorted(r[0] for r in db.execute("SELECT id FROM indicators WHERE featured").fetchall())

    @pytest.mark.parametrize("query, message", [
        ("codes=WK999900", "twee tot vier"),
        ("codes=WK999900,WK999901,WK999902,WK999903,WK999904", "twee tot vier"),
        ("codes=WK999900,WK999900", "twee tot vier"),
        ("codes=WK999900,WK999901&indicatoren=laag_inkomen,onzin", "Onbekende indicator onzin"),
        ("codes=WK999900,WK999901&indicatoren=", "ten minste één indicator"),
        ("codes=WK999900,WK999999", "WK999999 komt niet voor"),
        ("codes=WK999900,GM9999", "vergelijk wijken of buurten"),
        ("codes=WK999900,<script>", "geen CBS-code"),
        ("codes=WK999900,WK999901&jaar=twintig", "geen jaartal"),
    ])
    def test_bad_requests_are_400_with_a_clear_message(self, client, query, message):
        response = client.get(f"/vergelijk?{query}")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert message in page and 'role="alert"' in page
        assert "<script>" not in page
        assert '<form method="get" action="/vergelijk"' in page  # to put it right

    def test_the_form_alone_offers_wijken_buurten_and_indicators(self, client):
        response = client.get("/vergelijk?regio=WK999900")
        assert response.status_code == 200
        form = block(response.get_data(as_text=True), "<form", "</form>")
        assert form.count('<select name="codes">') == 4
        assert '<option value="WK999900" selected>' in form and 'value="BU99990001"' in form
        assert 'name="indicatoren" value="laag_inkomen"' in form


class TestCouncilLinks:
    def test_wijk_links(self):
        links = council_links(WIJK)
        assert [a.href for a in links] == [f"/briefing/{WIJK}", f"/briefing/{WIJK}.pdf", f"/vergelijk?regio={WIJK}"]
        assert [a.children for a in links][0].startswith("Briefing")

    def test_a_buurt_links_to_the_briefing_of_its_wijk(self):
        assert council_links("BU99990001")[0].href == "/briefing/WK999900"

    def test_no_links_for_a_bad_code(self):
        assert council_links("<x>") == []

    def test_the_links_lead_somewhere(self, client):
        for a in council_links("BU99990001"):
            if not a.href.endswith(".pdf"):
                assert client.get(a.href).status_code == 200, a.href
