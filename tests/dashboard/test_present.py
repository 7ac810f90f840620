from urllib.parse import unquote

import pytest

from dashboard.present.legend import MISSING, MISSING_COLOUR, SUPPRESSED, SUPPRESSED_COLOUR, legend_entries, paint
from dashboard.present.profile import comparison, crosses_change, trend_image
from dashboard.present.sources import Sources
from etl.codes import NEDERLAND

YLGNBU_3 = ["#edf8b1", "#7fcdbb", "#2c7fb8"]


def rows_of(values, status="ok"):
    return [{"code": f"BU{i:08d}", "value": v, "status": status if v is not None else "missing"}
            for i, v in enumerate(values)]


@pytest.fixture
def painted():
    """1..10 in three equal intervals (breaks 4, 7, 10), then one suppressed and one missing region."""
    rows = rows_of([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) + [
        {"code": "BU00000010", "value": None, "status": "suppressed"},
        {"code": "BU00000011", "value": None, "status": "missing"}]
    return paint(rows, "equal_interval", 3)


class TestPaint:
    def test_classes_in_row_order(self, painted):
        assert painted["breaks"] == [4.0, 7.0, 10.0]
        assert painted["classes"] == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, SUPPRESSED, MISSING]
        assert painted["colours"] == YLGNBU_3
        assert (painted["suppressed"], painted["missing"]) == (SUPPRESSED_COLOUR, MISSING_COLOUR)

    def test_missing_values_are_missing_and_the_lowest_is_exact(self):
        result = paint(rows_of([1.23456, None, 3.0, 4.0]), "quantiles", 3)
        assert result["classes"][1] == MISSING
        assert result["low"] == 1.23456

    def test_estimate_when_any_row_is_an_estimate(self):
        rows = rows_of([1.0, 2.0, 3.0, 4.0])
        assert paint(rows, "quantiles", 3)["estimate"] is False
        rows[1]["status"] = "estimate"
        assert paint(rows, "quantiles", 3)["estimate"] is True

    def test_fixed_breaks_come_from_the_pooled_values(self):
        result = paint(rows_of([50.0, 55.0, 60.0]), "equal_interval", 5, breaks_from=list(range(0, 101)))
        assert result["breaks"] == [20.0, 40.0, 60.0, 80.0, 100.0]
        assert result["classes"] == [2, 2, 2]

    def test_nothing_to_paint(self):
        result = paint(rows_of([None, None]), "quantiles", 5)
        assert result["classes"] == [MISSING, MISSING] and result["colours"] == [] and result["breaks"] == []

    def test_fewer_distinct_values_than_classes(self):
        result = paint(rows_of([2.0, 2.0, 5.0]), "quantiles", 5)
        assert result["breaks"] == [2.0, 5.0] and len(result["colours"]) == 2 and result["classes"] == [0, 0, 1]


class TestLegendEntries:
    def test_one_entry_per_class_with_counts_then_suppressed_and_missing(self, painted):
        entries = legend_entries(painted, "%", "nl")
        assert [(e["kind"], e["label"], e["count"]) for e in entries] == [
            ("class", "1,0 – 4,0%", 4), ("class", "4,0 – 7,0%", 3), ("class", "7,0 – 10,0%", 3),
            ("suppressed", "geheim (te weinig inwoners)", 1), ("missing", "onbekend", 1)]
        assert [e["colour"] for e in entries] == [*YLGNBU_3, SUPPRESSED_COLOUR, MISSING_COLOUR]

    def test_english(self, painted):
        labels = [e["label"] for e in legend_entries(painted, "%", "en")]
        assert labels[0] == "1.0 – 4.0%" and labels[-2:] == ["suppressed (too few inhabitants)", "not available"]

    def test_counts_add_up_to_the_regions(self, painted):
        assert sum(e["count"] for e in legend_entries(painted, "%", "nl")) == len(painted["classes"])

    def test_no_suppressed_or_missing_entries_when_there_are_none(self):
        entries = legend_entries(paint(rows_of([1.0, 2.0, 3.0, 4.0]), "quantiles", 3), "%", "nl")
        assert {e["kind"] for e in entries} == {"class"}

    def test_dutch_thousands_and_decimals(self):
        entries = legend_entries(paint(rows_of([1234.5, 2345.5, 3456.5, 98765.25]), "quantiles", 3), "m³", "nl")
        assert entries[0]["label"].startswith("1.234,5 – ")
        assert entries[-1]["label"].endswith(" m³")

    def test_single_value_class_shows_one_number(self):
        entries = legend_entries(paint(rows_of([2.0, 2.0, 5.0]), "quantiles", 5), "", "nl")
        assert [e["label"] for e in entries] == ["2,0", "2,0 – 5,0"]

    def test_fixed_breaks_first_class_starts_at_the_pooled_minimum(self):
        result = paint(rows_of([50.0, 55.0, 60.0]), "equal_interval", 5, breaks_from=list(range(0, 101)))
        assert legend_entries(result, "%", "nl")[0]["label"] == "0,0 – 20,0%"

    def test_empty(self):
        assert legend_entries(paint(rows_of([None]), "quantiles", 5), "%", "nl") == [
            {"colour": MISSING_COLOUR, "label": "onbekend", "count": 1, "kind": "missing"}]


REGION = {"code": "BU99990000", "name": "Binnenstad", "level": "buurt", "wijk_code": "WK999900",
          "gemeente_code": "GM9999"}
INDICATOR = {"id": "laag_inkomen", "unit": "%", "source": "kerncijfers", "label_nl": "Laag inkomen",
             "label_en": "Low income"}
NAMES = {"WK999900": "Centrum", "GM9999": "Voorbeeldstad"}
SOURCES = Sources([{"source_id": "kerncijfers", "name": "CBS Kerncijfers wijken en buurten", "publisher": "CBS",
                    "licence": "CC BY 4.0", "attribution": "Bron: CBS", "url": None}])


def obs(code, value, status="ok"):
    return {"code": code, "value": value, "status": status, "lower": None, "upper": None,
            "source_table": "85618NED"}


class TestComparison:
    def test_region_then_wijk_gemeente_and_nl(self):
        rows = [obs(NEDERLAND, 12.0), obs("GM9999", 14.0), obs("WK999900", 13.5), obs("BU99990000", 15.9)]
        figures = comparison(REGION, INDICATOR, 2023, rows, NAMES, SOURCES, "nl")
        assert [(f["code"], f["name"], f["level"], f["text"], f["self"]) for f in figures] == [
            ("BU99990000", "Binnenstad", "Buurt", "15,9%", True),
            ("WK999900", "Centrum", "Wijk", "13,5%", False),
            ("GM9999", "Voorbeeldstad", "Gemeente", "14,0%", False),
            (NEDERLAND, "Nederland", "Nederland", "12,0%", False)]
        assert figures[0]["source"] == "CBS (85618NED), 2023"

    def test_parents_not_loaded_are_left_out(self):
        rows = [obs("BU99990000", 15.9), obs("GM9999", 14.0)]
        figures = comparison(REGION, INDICATOR, 2023, rows, NAMES, SOURCES, "nl")
        assert [f["code"] for f in figures] == ["BU99990000", "GM9999"]

    def test_region_without_figure_still_comes_first(self):
        figures = comparison(REGION, INDICATOR, 2023, [obs("WK999900", 13.5)], NAMES, SOURCES, "en")
        assert [f["code"] for f in figures] == ["BU99990000", "WK999900"]
        assert figures[0]["text"] == "not available" and figures[0]["value"] is None and figures[0]["source"] == ""

    def test_wijk_compares_with_gemeente_and_nl(self):
        wijk = {"code": "WK999900", "name": "Centrum", "level": "wijk", "wijk_code": None, "gemeente_code": "GM9999"}
        rows = [obs("WK999900", 13.5), obs("GM9999", 14.0), obs(NEDERLAND, 12.0)]
        figures = comparison(wijk, INDICATOR, 2023, rows, NAMES, SOURCES, "en")
        assert [(f["code"], f["level"]) for f in figures] == [
            ("WK999900", "District (wijk)"), ("GM9999", "Municipality"), (NEDERLAND, "Netherlands")]
        assert figures[-1]["name"] == "The Netherlands"

    def test_gemeente_compares_with_nl_only(self):
        gemeente = {"code": "GM9999", "name": "Voorbeeldstad", "level": "gemeente", "wijk_code": None,
                    "gemeente_code": "GM9999"}
        figures = comparison(gemeente, INDICATOR, 2023, [obs("GM9999", 14.0), obs(NEDERLAND, 12.0)], NAMES, SOURCES, "nl")
        assert [f["code"] for f in figures] == ["GM9999", NEDERLAND]

    def test_parent_without_a_name_shows_its_code(self):
        rows = [obs("BU99990000", 1.0), obs("WK999900", 2.0)]
        figures = comparison(REGION, INDICATOR, 2023, rows, {}, SOURCES, "nl")
        assert figures[1]["name"] == "WK999900"


class TestCrossesChange:
    @pytest.mark.parametrize("present,loaded,trend,expected", [
        ([2021, 2022, 2023], [2021, 2022, 2023], [2021, 2022, 2023], False),
        ([2022, 2023], [2021, 2022, 2023], [2022, 2023], False),  # starts after the change: comparable
        ([2021, 2023], [2021, 2022, 2023], [2021, 2023], True),  # gap in the middle
        ([2021, 2022], [2021, 2022, 2023], [2021, 2022, 2023], True),
        (None, [2021, 2022], [2021, 2022], True),
        ([2021], None, [2021], False),
        ([2021], [2021], [], False),
    ])
    def test_cases(self, present, loaded, trend, expected):
        assert crosses_change(present, loaded, trend) is expected


class TestTrendImage:
    """The profile's trend: an SVG picture (no chart library on the page) with every figure in its text."""

    @staticmethod
    def svg(image: dict) -> str:
        assert image["src"].startswith("data:image/svg+xml;charset=utf-8,")
        return unquote(image["src"].split(",", 1)[1])

    def test_band_when_margins_exist_and_estimates_dashed(self):
        rows = [{"year": 2020, "value": 40.0, "status": "estimate", "lower": 38.0, "upper": 42.0},
                {"year": 2022, "value": 44.0, "status": "estimate", "lower": 41.0, "upper": 47.0}]
        image = trend_image(rows, INDICATOR, "nl")
        svg = self.svg(image)
        assert 'class="margin"' in svg and 'stroke-dasharray="3 2"' in svg
        assert image["alt"] == ("Laag inkomen: 2020: 40,0% (modelschatting, marge 38,0–42,0); "
                                "2022: 44,0% (modelschatting, marge 41,0–47,0)")
        assert ">2020</text>" in svg and ">2022</text>" in svg

    def test_no_band_without_margins_and_missing_years_left_out(self):
        rows = [{"year": 2021, "value": 10.0, "status": "ok"}, {"year": 2022, "value": None, "status": "missing"},
                {"year": 2023, "value": 12.0, "status": "ok"}]
        image = trend_image(rows, INDICATOR, "en")
        svg = self.svg(image)
        assert 'class="margin"' not in svg and "stroke-dasharray" not in svg
        assert svg.count("<circle") == 2
        assert image["alt"] == "Low income: 2021: 10.0%; 2023: 12.0%"
