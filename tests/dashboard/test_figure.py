"""One figure formatter (dashboard/present/figure.py), and one figure reading the same in every place that shows it."""
import json
import re
from datetime import date

import duckdb
import pytest
from markupsafe import escape

from dashboard import views
from dashboard.app import create_app
from dashboard.db import PublishedData
from dashboard.settings import Settings
from dashboard.present.agenda import outcome
from dashboard.present.figure import change_text, figure_text, quantity_text, range_text, row_text
from dashboard.state import parse_state
from dashboard.static_export import build_map
from dashboard.static_page import script_json, tooltip_html


class TestFigureText:
    def test_plain_figure(self):
        assert figure_text(15.9, "ok", "%", "nl") == "15,9%"
        assert figure_text(1234.0, "ok", "m³", "nl") == "1.234 m³"
        assert figure_text(15.9, "ok", "%", "en") == "15.9%"

    def test_a_count_has_no_unit(self):
        assert figure_text(13085.0, "ok", "aantal", "nl") == "13.085"

    def test_estimate_with_margins(self):
        assert figure_text(47.6, "estimate", "%", "nl", 45.1, 50.2) == "47,6% (modelschatting, marge 45,1–50,2)"
        assert figure_text(47.6, "estimate", "%", "en", 45.1, 50.2) == "47.6% (model estimate, margin 45.1–50.2)"

    def test_estimate_without_margins(self):
        assert figure_text(47.6, "estimate", "%", "nl") == "47,6% (modelschatting)"

    def test_suppressed(self):
        assert figure_text(None, "suppressed", "%", "nl") == "geheim (te weinig inwoners)"
        assert figure_text(None, "suppressed", "%", "en") == "suppressed (too few inhabitants)"

    @pytest.mark.parametrize("value, status", [(None, "missing"), (None, "?"), (None, None), (float("nan"), "ok"),
                                               (float("inf"), "ok"), ("12", "ok")])
    def test_no_number_is_missing_never_a_sentinel(self, value, status):
        assert figure_text(value, status, "%", "nl") == "onbekend"
        assert figure_text(value, status, "%", "en") == "not available"


class TestRowText:
    @pytest.mark.parametrize("row", [None, {}, {"value": None, "status": "missing"}])
    def test_no_row_is_missing(self, row):
        assert row_text(row, "%", "nl") == "onbekend"

    def test_margins_from_the_row(self):
        row = {"value": 47.6, "status": "estimate", "lower": 45.1, "upper": 50.2}
        assert row_text(row, "%", "nl") == figure_text(47.6, "estimate", "%", "nl", 45.1, 50.2)


class TestQuantityText:
    def test_whole_numbers_of_a_hundred_and_more_have_no_decimals(self):
        assert quantity_text(1500.0, "kWh", "en") == "1,500 kWh" and quantity_text(12.0, "m³", "nl") == "12,0 m³"


class TestRangeText:
    def test_one_unit_at_the_end(self):
        assert range_text(1.0, 4.0, "%", "nl") == "1,0 – 4,0%" and range_text(2.0, 2.0, "", "nl") == "2,0"


class TestChangeText:
    def test_percentages_change_in_points(self):
        assert change_text(-0.8, "%", "nl") == "−0,8 procentpunt"
        assert change_text(1.25, "%", "en") == "+1.2 percentage points"


# ---------------------------------------------------------------- one figure, every place

WIJK = "WK999900"


@pytest.fixture(scope="module")
def edited(edit_published) -> dict:
    """A copy of the published demo in which buurt B2's figure is secret, B3's missing and B1's estimate has a
    margin; the cases: one figure of each kind, as (indicator, year, code, what it must read)."""
    data_dir, edit = edit_published
    version = (data_dir / "published").resolve()
    con = duckdb.connect(str(version / "staff.duckdb"), read_only=True)
    in_every_year = "code IN (SELECT code FROM regions WHERE level = 'buurt' GROUP BY code HAVING count(*) = 4)"
    b1, b2, b3 = [c for (c,) in con.execute(
        f"SELECT code FROM observations WHERE indicator_id = 'laag_inkomen' AND value IS NOT NULL AND code LIKE ? "
        f"AND year IN (2021, 2022, 2023) AND {in_every_year} GROUP BY code HAVING count(*) = 3 ORDER BY code",
        ["BU" + WIJK[2:] + "%"]).fetchall()[:3]]
    value = dict(con.execute("SELECT indicator_id || year, value FROM observations WHERE code = ? "
                             "AND (indicator_id, year) IN (('laag_inkomen', 2023), ('inwoners', 2024), "
                             "('eenzaam', 2022))", [b1]).fetchall())
    con.close()
    edit("UPDATE observations SET value = NULL, status = 'suppressed' WHERE indicator_id = 'laag_inkomen' "
         "AND year = 2023 AND code = ?", [b2])
    edit("UPDATE observations SET value = NULL, status = 'missing' WHERE indicator_id = 'laag_inkomen' "
         "AND year = 2023 AND code = ?", [b3])
    edit("UPDATE observations SET lower = 40.2, upper = 51.8 WHERE indicator_id = 'eenzaam' AND year = 2022 "
         "AND code = ?", [b1])
    # what each must read, written out here rather than computed by the dashboard's code
    dutch = lambda v: f"{v:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")  # noqa: E731
    cases = {
        "percentage": ("laag_inkomen", 2023, b1, dutch(value["laag_inkomen2023"]) + "%"),
        "count": ("inwoners", 2024, b1, f"{value['inwoners2024']:,.0f}".replace(",", ".")),
        "estimate": ("eenzaam", 2022, b1, dutch(value["eenzaam2022"]) + "% (modelschatting, marge 40,2–51,8)"),
        "suppressed": ("laag_inkomen", 2023, b2, "geheim (te weinig inwoners)"),
        "missing": ("laag_inkomen", 2023, b3, "onbekend"),
    }
    return {"data_dir": data_dir, "version": version.name, "cases": cases, "codes": (b1, b2, b3)}


@pytest.fixture(scope="module")
def client(edited):
    return create_app(Settings(data_dir=edited["data_dir"])).server.test_client()


@pytest.fixture(scope="module")
def staff(edited):
    return PublishedData(edited["data_dir"], "staff")


@pytest.fixture(scope="module")
def static_page(edited) -> str:
    return build_map(PublishedData(edited["data_dir"], "public"), "nl", None).get_root().render()


def features(edited, year: int) -> list[dict]:
    path = edited["data_dir"] / "published" / "geometry" / f"{year}-buurt.geojson"
    return json.loads(path.read_text())["features"]


def in_tooltip(client, edited, indicator, year, code) -> str:
    labels = client.get(f"/values/{edited['version']}/nl/{indicator}/{year}/buurt.json").get_json()["labels"]
    (index,) = [f["properties"]["i"] for f in features(edited, year) if f["properties"]["code"] == code]
    return labels[index]


def in_profile(staff, indicator, year, code) -> str:
    state = parse_state(f"?indicator={indicator}&jaar={year}&niveau=buurt&regio={code}", views.available(staff))
    def walk(node):
        yield node
        for child in (getattr(node, "children", None) or []) if not isinstance(node, str) else []:
            yield from walk(child)
    rows = [c for part in views.profile_view(staff, code, state) for c in walk(part)
            if getattr(c, "className", None) == "figure-self"]
    return next(c.children for c in rows[0].children if c.className == "figure-value")


def cell(page: str, start: str, index: int) -> str:
    """The text of the ``index``-th numeric cell in the table row that starts with ``start``."""
    row = page[page.index(start):page.index("</tr>", page.index(start))]
    return re.split(r'<td class="num[^"]*">', row)[index + 1].split("<")[0].strip()


def in_briefing(client, indicator, code) -> str:
    page = client.get(f"/briefing/{WIJK}?kaart={indicator}").get_data(as_text=True)
    return cell(page, f'<tr data-code="{code}">', 1)


def in_comparison(client, edited, indicator, year, code) -> str:
    codes = edited["codes"]
    page = client.get(f"/vergelijk?codes={','.join(codes)}&indicatoren={indicator}&jaar={year}").get_data(as_text=True)
    return cell(page, f'<tr data-indicator="{indicator}">', codes.index(code))


def in_static_map(static_page, edited, year, code, expected) -> str:
    (name,) = [f["properties"]["name"] for f in features(edited, year) if f["properties"]["code"] == code]
    return expected if script_json(tooltip_html(name, expected)) in static_page else "(not in the static map)"


def in_agenda(staff, indicator, year, code) -> str:
    """What the agenda says of the figure when it is the latest of a linked item's series."""
    rows = [r for r in staff.rows("agenda_indicator_values", ([indicator], [code])) if r["year"] <= year]
    first = min(r["year"] for r in rows if r["value"] is not None)
    unit = views.indicator(staff, indicator)["unit"]
    said = outcome({"indicator_id": indicator, "baseline_year": first, "start": date(first, 1, 1)}, rows, [], year,
                   "nl", {"label_nl": indicator, "unit": unit, "direction": "neutral"})
    if said["latest_year"] == year:
        return said["latest_text"]
    return said["text"].split(f"Voor {year} is het cijfer ")[1].split(".")[0]


@pytest.mark.parametrize("case", ["percentage", "count", "estimate", "suppressed", "missing"])
def test_one_figure_reads_the_same_everywhere(case, edited, client, staff, static_page):
    indicator, year, code, expected = edited["cases"][case]
    readings = {
        "map tooltip": in_tooltip(client, edited, indicator, year, code),
        "profile": in_profile(staff, indicator, year, code),
        "briefing": in_briefing(client, indicator, code),
        "comparison": in_comparison(client, edited, indicator, year, code),
        "static map": in_static_map(static_page, edited, year, code, expected),
        "agenda": in_agenda(staff, indicator, year, code),
    }
    assert readings == {place: str(escape(expected)) if place in ("briefing", "comparison") else expected
                        for place in readings}
