"""The wijkagenda in the profile: presenters on hand-built items, the section on the published demo."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.agenda_view import agenda_section, wijk_progress
from dashboard.db import PublishedData, open_read_only
from dashboard.present.agenda import (flatten, gemeente_summary, outcome, roll_up, share_definition, timeline,
                                      track, wijk_summary)

TODAY = date(2025, 6, 1)


def item(id, parent=None, status="loopt", progress=50.0, expected=40.0, **extra):
    return {"id": id, "parent_id": parent, "status": status, "progress": progress, "expected_progress": expected,
            "title": f"Punt {id}", "wijk_code": "WK000101", **extra}


class TestRollUp:
    def test_parent_gets_the_mean_of_its_children_and_keeps_its_own_figure(self):
        tree = roll_up([item("a", progress=10), item("b", "a", progress=40), item("c", "a", progress=100)])
        assert [n["id"] for n in tree] == ["a"]
        assert tree[0]["progress"] == 70
        assert tree[0]["reported_progress"] == 10 and tree[0]["rolled_up"]
        assert [c["id"] for c in tree[0]["children"]] == ["b", "c"]

    def test_rolls_up_from_the_leaves(self):
        tree = roll_up([item("a"), item("b", "a", progress=0), item("c", "b", progress=80), item("d", "b", progress=20),
                        item("e", "a", progress=100)])
        b = tree[0]["children"][0]
        assert b["progress"] == 50 and tree[0]["progress"] == 75
        assert [n["id"] for n in flatten(tree)] == ["a", "b", "c", "d", "e"]

    def test_stopped_children_are_left_out(self):
        tree = roll_up([item("a", progress=30), item("b", "a", progress=60),
                        item("c", "a", status="gestopt", progress=5)])
        assert tree[0]["progress"] == 60

    def test_parent_with_only_stopped_children_keeps_its_own_figure(self):
        tree = roll_up([item("a", progress=30), item("b", "a", status="gestopt", progress=5)])
        assert tree[0]["progress"] == 30 and not tree[0]["rolled_up"]

    def test_unknown_parent_makes_an_item_top_level(self):
        tree = roll_up([item("a", parent="not-public"), item("b")])
        assert [n["id"] for n in tree] == ["a", "b"]

    def test_a_cycle_of_parents_loses_no_item(self):
        tree = roll_up([item("a", parent="b"), item("b", parent="a")])
        assert sorted(n["id"] for n in flatten(tree)) == ["a", "b"]


class TestTrack:
    @pytest.mark.parametrize("row, expected", [
        ({"status": "afgerond", "progress": 80, "expected_progress": 100}, "afgerond"),
        ({"status": "gestopt", "progress": 80, "expected_progress": 10}, "gestopt"),
        ({"status": "loopt", "progress": 40, "expected_progress": 40}, "op_schema"),
        ({"status": "loopt", "progress": 39, "expected_progress": 40}, "achter"),
        ({"status": "gepland", "progress": 0, "expected_progress": 0}, "op_schema"),
        ({"status": "idee", "progress": 0, "expected_progress": None}, "onbekend"),
        ({"status": "loopt", "progress": None, "expected_progress": 20}, "onbekend"),
    ])
    def test_rule(self, row, expected):
        assert track(row) == expected


class TestSummaries:
    ITEMS = [item("a", progress=10, expected=50), item("b", "a", progress=60, expected=50),
             item("c", "a", status="afgerond", progress=100), item("d", status="gestopt", progress=20),
             item("e", status="idee", progress=0, expected=None)]

    def test_wijk_summary(self):
        s = wijk_summary(self.ITEMS)
        assert s["items"] == 5
        assert s["by_status"] == {"idee": 1, "gepland": 0, "loopt": 2, "afgerond": 1, "gestopt": 1}
        # a rolls up to 80 (≥ 50 expected): on track; b on track; c done; d stopped; e unknown
        assert (s["done"], s["on_track"], s["behind"], s["stopped"], s["unknown"]) == (1, 2, 0, 1, 1)
        assert s["share_on_track"] == pytest.approx(3 / 5)
        assert s["average_progress"] == pytest.approx((80 + 0) / 2)  # top-level a and e; stopped d left out

    def test_empty_wijk(self):
        s = wijk_summary([])
        assert s["items"] == 0 and s["share_on_track"] is None and s["average_progress"] is None

    def test_gemeente_summary_rolls_wijken_up(self):
        s = gemeente_summary({"WK2": [item("x", progress=20, expected=50)], "WK1": self.ITEMS})
        assert [w["wijk_code"] for w in s["wijken"]] == ["WK1", "WK2"]
        assert s["wijken"][1]["behind"] == 1
        assert s["total"]["items"] == 6
        assert s["total"]["share_on_track"] == pytest.approx(3 / 6)
        assert s["total"]["average_progress"] == pytest.approx((80 + 0 + 20) / 3)

    def test_definition_is_written_out(self):
        assert "op schema" in share_definition("nl") and "on track" in share_definition("en")


def test_timeline_is_oldest_first_with_words():
    rows = timeline([{"date": date(2024, 3, 1), "progress": 40.0, "status": "loopt"},
                     {"date": date(2023, 1, 5), "progress": 5.0, "status": "gepland"}], "nl")
    assert [(r["date_text"], r["progress_text"], r["status_label"]) for r in rows] == [
        ("5 jan 2023", "5%", "gepland"), ("1 mrt 2024", "40%", "loopt")]
    english = timeline([{"date": date(2023, 1, 5), "progress": 5.0, "status": "gepland"}], "en")
    assert english[0]["status_label"] == "planned"


def series(*pairs, status="ok"):
    return [{"year": y, "value": v, "status": status if v is not None else s, "lower": None, "upper": None}
            for y, v, s in ((p + ("missing",))[:3] for p in pairs)]


INDICATOR = {"id": "laag_inkomen", "label_nl": "Huishoudens met een laag inkomen",
             "label_en": "Households with a low income", "unit": "%", "direction": "lower_is_better"}
LINKED = {"id": "x", "indicator_id": "laag_inkomen", "baseline_year": 2021, "start": date(2022, 1, 1),
          "direction": "omlaag"}


class TestOutcome:
    def test_measured_against_the_gemeente(self):
        o = outcome(LINKED, series((2021, 17.8), (2022, 17.7), (2023, 17.0)),
                    series((2021, 12.7), (2023, 12.6)), 2023, "nl", INDICATOR)
        assert o["kind"] == "measured"
        assert (o["baseline_year"], o["latest_year"]) == (2021, 2023)
        assert o["change"] == pytest.approx(-0.8) and o["gemeente_change"] == pytest.approx(-0.1)
        assert o["as_intended"] is True and o["versus_gemeente"] == "better"
        assert "17,8% in 2021, 17,0% in 2023 (−0,8 procentpunt)" in o["text"]
        assert "Dat is de bedoelde richting (omlaag)." in o["text"]
        assert "gunstiger dan in de gemeente" in o["text"]
        assert o["text"].endswith(o["caveat"]) and "niet waardoor" in o["caveat"]

    def test_wrong_direction_in_english(self):
        o = outcome(LINKED, series((2021, 10.0), (2023, 11.0)), series((2021, 10.0), (2023, 10.2)), 2023, "en",
                    INDICATOR)
        assert o["as_intended"] is False and o["versus_gemeente"] == "worse"
        assert "not the intended direction (down)" in o["text"] and "not why" in o["text"]

    def test_cannot_measure_yet_when_the_newest_year_is_before_the_start(self):
        item = {**LINKED, "baseline_year": 2022, "start": date(2023, 1, 1)}
        o = outcome(item, series((2020, 9.0), (2022, 9.5)), series((2022, 8.0)), 2022, "nl", INDICATOR)
        assert o["kind"] == "too_early" and o["change"] is None
        assert "Het effect kan nog niet gemeten worden: het nieuwste cijfer is van 2022, en de aanpak begon in 2023." \
            in o["text"]
        assert "niet waardoor" in o["text"]

    def test_cannot_measure_yet_when_the_newest_year_is_the_baseline_year(self):
        item = {**LINKED, "baseline_year": 2022, "start": date(2022, 3, 1)}
        o = outcome(item, series((2021, 9.0), (2022, 9.5)), [], 2022, "en", INDICATOR)
        assert o["kind"] == "too_early"
        assert "cannot be measured yet" in o["text"] and "the baseline year itself" in o["text"]

    def test_suppressed_baseline_is_said_in_words(self):
        o = outcome(LINKED, series((2021, None, "suppressed"), (2023, 12.0)), series((2021, 8.0), (2023, 8.1)),
                    2023, "nl", INDICATOR)
        assert o["kind"] == "no_baseline" and o["change"] is None
        assert "In het basisjaar 2021 is het cijfer geheim (te weinig inwoners)" in o["text"]

    def test_suppressed_later_years_leave_no_usable_figure(self):
        o = outcome(LINKED, series((2021, 12.0), (2022, None, "suppressed"), (2023, None, "suppressed")),
                    series((2021, 8.0)), 2023, "nl", INDICATOR)
        assert o["kind"] == "no_latest"
        assert "Na het basisjaar 2021 is er nog geen bruikbaar cijfer (2023: geheim (te weinig inwoners))." in o["text"]

    def test_newest_year_not_yet_published_uses_the_last_figure_and_says_so(self):
        o = outcome(LINKED, series((2021, 17.8), (2023, 17.6), (2024, None)), series((2021, 12.7), (2023, 12.6)),
                    2024, "nl", INDICATOR)
        assert o["kind"] == "measured" and o["latest_year"] == 2023
        assert "Voor 2024 is het cijfer onbekend." in o["text"]

    def test_baseline_without_a_figure_falls_back_to_the_last_earlier_year(self):
        o = outcome({**LINKED, "baseline_year": 2021}, series((2020, 9.0), (2022, 10.1), status="estimate"),
                    series((2020, 12.6), (2022, 13.8), status="estimate"), None, "nl", INDICATOR)
        assert o["kind"] == "measured" and o["baseline_year"] == 2020
        assert "Voor het basisjaar 2021 is er geen cijfer; het laatste eerdere jaar is 2020." in o["text"]
        assert "modelschattingen" in o["text"]

    def test_unknown_gemeente_change(self):
        o = outcome(LINKED, series((2021, 17.8), (2023, 17.0)), [], 2023, "nl", INDICATOR)
        assert o["gemeente_change"] is None and o["versus_gemeente"] is None
        assert "Voor de gemeente is de verandering over dezelfde jaren niet bekend." in o["text"]

    def test_no_figures_at_all(self):
        o = outcome(LINKED, [], [], None, "nl", INDICATOR)
        assert o["kind"] == "no_data" and "geen cijfers" in o["text"]


# --- the section on the published demo ----------------------------------------------------------------------


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from walk(child)


def props(component) -> dict:
    return component.to_plotly_json()["props"]


def text(component) -> str:
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, (str, int, float)):
        return str(children)
    if not isinstance(children, (list, tuple)):
        children = [children]
    return " ".join(str(c) if isinstance(c, (str, int, float)) else text(c) for c in children if c is not None)


def items_shown(section) -> dict[str, object]:
    return {props(c)["data-item"]: c for c in walk(section) if props(c).get("className") == "agenda-item"}


def direct(data_dir, audience: str, sql: str, params=()) -> list[tuple]:
    """A query straight on the published file, opened as the dashboard opens it (DuckDB wants one config per file)."""
    file = {"staff": "staff.duckdb", "public": "public.duckdb"}[audience]
    with open_read_only(data_dir / "published" / file) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def staff(demo_data_dir):
    return PublishedData(demo_data_dir, "staff")


@pytest.fixture(scope="module")
def public(demo_data_dir):
    return PublishedData(demo_data_dir, "public")


def region(data, code):
    return data.rows("region", (code,))[0]


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_wijk_shows_its_items_with_their_progress(demo_data_dir, audience):
    data = PublishedData(demo_data_dir, audience)
    section = agenda_section(data, region(data, "WK999904"), "nl", TODAY)
    assert props(section)["id"] == "agenda"
    shown = items_shown(section)
    stored = {i: (p, parent) for i, p, parent in
              direct(demo_data_dir, audience, "SELECT id, progress, parent_id FROM agenda_items WHERE wijk_code = ?",
                     ["WK999904"])}
    assert set(shown) == set(stored)
    children_of = {}
    for i, (_, parent) in stored.items():
        if parent:
            children_of.setdefault(parent, []).append(stored[i][0])
    for item_id, component in shown.items():
        expected = (sum(children_of[item_id]) / len(children_of[item_id]) if item_id in children_of
                    else stored[item_id][0])
        bar = next(c for c in walk(component) if props(c).get("role") == "progressbar")
        assert bar.to_plotly_json()["props"]["aria-valuenow"] == round(expected)
        shown_text = next(c for c in walk(bar) if props(c).get("className") == "progress-text")
        assert text(shown_text) == f"{round(expected)}%"
    # WA-13 is nested under its parent WA-11
    assert "WA-13" in items_shown(shown["WA-11"])


def test_public_lacks_the_items_that_are_not_public(staff, public, demo_data_dir):
    hidden = {r[0] for r in direct(demo_data_dir, "staff", "SELECT id FROM agenda_items WHERE NOT public")}
    assert hidden  # the demo has some
    for wijk in ("WK999902", "WK999903", "WK999905"):
        staff_ids = set(items_shown(agenda_section(staff, region(staff, wijk), "nl", TODAY)))
        public_ids = set(items_shown(agenda_section(public, region(public, wijk), "nl", TODAY)))
        assert public_ids == staff_ids - hidden
        assert staff_ids & hidden


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_linked_item_shows_what_the_figure_did_and_not_why(demo_data_dir, audience):
    data = PublishedData(demo_data_dir, audience)
    shown = items_shown(agenda_section(data, region(data, "WK999901"), "nl", TODAY))
    block = next(c for c in walk(shown["WA-01"]) if "agenda-outcome" in props(c).get("className", ""))
    words = text(block)
    assert "Huishoudens met een laag inkomen" in words and "niet waardoor" in words
    assert "2021" in words and "in de gemeente" in words.lower()
    centrum = items_shown(agenda_section(data, region(data, "WK999900"), "nl", TODAY))
    assert "kan nog niet gemeten worden" in text(centrum["WA-04"])


def test_history_is_a_timeline_of_the_updates(staff, demo_data_dir):
    shown = items_shown(agenda_section(staff, region(staff, "WK999901"), "en", TODAY))
    timeline_list = next(c for c in walk(shown["WA-02"]) if props(c).get("className") == "timeline")
    stored = direct(demo_data_dir, "staff", "SELECT progress FROM agenda_updates WHERE item_id = 'WA-02' ORDER BY date")
    assert len(timeline_list.children) == len(stored)
    assert [text(li).split("—")[1].strip() for li in timeline_list.children] == [f"{round(p)}%" for (p,) in stored]


def test_buurt_shows_the_agenda_of_its_wijk(staff):
    buurt = staff.rows("search_regions", ("BU999901%",))
    code = next(r["code"] for r in buurt if r["code"].startswith("BU999901"))
    section = agenda_section(staff, region(staff, code), "nl", TODAY)
    assert text(section.children[0]) == "Wijkagenda van Oude Haven"
    assert set(items_shown(section)) == {"WA-01", "WA-02", "WA-03"}


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_gemeente_shows_the_roll_up_per_wijk(demo_data_dir, audience):
    data = PublishedData(demo_data_dir, audience)
    section = agenda_section(data, region(data, "GM9999"), "nl", TODAY)
    rows = [c for c in walk(section) if props(c).get("className") == "agenda-wijk"]
    counts = dict(direct(demo_data_dir, audience, "SELECT wijk_code, count(*) FROM agenda_items GROUP BY 1"))
    assert {props(r)["data-wijk"]: r.children[1].children for r in rows} == counts
    total = next(c for c in walk(section) if props(c).get("className") == "agenda-total")
    assert total.children[1].children == sum(counts.values())


def test_no_section_where_there_is_no_agenda(staff):
    assert agenda_section(staff, {"level": "wijk", "code": "WK000000", "name": "Nergens"}, "nl", TODAY) is None


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_wijk_progress_for_the_map(demo_data_dir, audience):
    data = PublishedData(demo_data_dir, audience)
    progress = wijk_progress(data, TODAY)
    counts = dict(direct(demo_data_dir, audience, "SELECT wijk_code, count(*) FROM agenda_items GROUP BY 1"))
    assert {code: p["items"] for code, p in progress.items()} == counts
    assert all(0 <= p["share_on_track"] <= 1 for p in progress.values())
    # Het Broek: WA-09 afgerond; staff also sees WA-10 gestopt
    assert progress["WK999903"]["share_on_track"] == (0.5 if audience == "staff" else 1.0)
