"""The pure SVG presenters: trend sparklines, bars and the static map. Well-formed, escaped, to scale."""
import math
import xml.etree.ElementTree as ET

import pytest

from dashboard.present.sparkline import bar, sparkline
from dashboard.present.svgmap import projection, svg_map

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def square(code, name, west, south, size=0.01):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Feature", "properties": {"code": code, "name": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


POINTS = [{"year": 2023, "value": 12.7, "status": "ok"}, {"year": 2021, "value": 12.8, "status": "ok"},
          {"year": 2022, "value": 13.1, "status": "ok"}, {"year": 2024, "value": None, "status": "missing"}]


class TestSparkline:
    def test_a_line_through_the_known_years_in_order(self):
        root = parsed(sparkline(POINTS, "%"))
        line = root.find(f"{SVG}polyline")
        xs = [float(p.split(",")[0]) for p in line.get("points").split()]
        assert len(xs) == 3 and xs == sorted(xs)
        assert len(root.findall(f"{SVG}circle")) == 3

    def test_the_title_lists_every_figure_in_dutch(self):
        title = parsed(sparkline(POINTS, "%", "nl")).find(f"{SVG}title").text
        assert title == "2021: 12,8%; 2022: 13,1%; 2023: 12,7%"

    def test_higher_values_are_drawn_higher(self):
        root = parsed(sparkline(POINTS, "%"))
        ys = {round(float(c.get("cx"))): float(c.get("cy")) for c in root.findall(f"{SVG}circle")}
        by_year = [ys[k] for k in sorted(ys)]  # 2021, 2022, 2023
        assert by_year[1] < by_year[0] < by_year[2]

    def test_estimates_are_dashed_with_open_dots_and_marked(self):
        points = [{"year": y, "value": v, "status": "estimate"} for y, v in ((2016, 49.1), (2020, 53.1), (2022, 54.7))]
        root = parsed(sparkline(points, "%"))
        assert root.find(f"{SVG}polyline").get("stroke-dasharray")
        assert [c.get("fill") for c in root.findall(f"{SVG}circle")][:2] == ["#ffffff", "#ffffff"]
        assert "2022: 54,7% (modelschatting)" in root.find(f"{SVG}title").text

    def test_one_figure_is_a_dot_without_a_line(self):
        root = parsed(sparkline([{"year": 2022, "value": 5.0, "status": "ok"}]))
        assert root.find(f"{SVG}polyline") is None and len(root.findall(f"{SVG}circle")) == 1

    def test_no_figures_is_nothing(self):
        assert sparkline([]) == "" and sparkline([{"year": 2024, "value": None, "status": "missing"}]) == ""

    def test_equal_values_stay_inside_the_box(self):
        root = parsed(sparkline([{"year": y, "value": 8.1, "status": "ok"} for y in (2021, 2022)], height=30))
        assert all(0 < float(c.get("cy")) < 30 for c in root.findall(f"{SVG}circle"))

    def test_the_label_is_escaped(self):
        svg = sparkline(POINTS, "%", label='<script>alert("x")</script>')
        assert "<script>" not in svg
        assert parsed(svg).find(f"{SVG}title").text.startswith('<script>alert("x")</script>: 2021')


class TestBar:
    def test_length_is_the_share_of_the_maximum(self):
        rects = parsed(bar(5, 20, width=120)).findall(f"{SVG}rect")
        assert float(rects[1].get("width")) == pytest.approx(30.0)

    @pytest.mark.parametrize("value, maximum", [(None, 10), (3, None), (3, 0)])
    def test_no_figure_no_bar(self, value, maximum):
        assert bar(value, maximum) == ""

    def test_clamped_to_the_track(self):
        assert float(parsed(bar(30, 20, width=100)).findall(f"{SVG}rect")[1].get("width")) == 100
        assert float(parsed(bar(-3, 20, width=100)).findall(f"{SVG}rect")[1].get("width")) == 0

    def test_label_escaped_and_colour_checked(self):
        assert "&lt;b&gt;" in bar(1, 2, label="<b>")
        with pytest.raises(ValueError, match="colour"):
            bar(1, 2, colour='red" onload="x')


class TestProjection:
    def test_longitude_is_shortened_by_the_cosine_of_the_latitude(self):
        to_xy, width, height = projection([square("A", "a", 5.0, 52.0, size=1.0)], width=1000, max_height=1000,
                                          padding=0)
        assert width / height == pytest.approx(math.cos(math.radians(52.5)))

    def test_north_is_up_and_west_is_left(self):
        to_xy, _, _ = projection([square("A", "a", 5.0, 52.0)], padding=0)
        assert to_xy(5.0, 52.01) == (0.0, 0.0)
        x, y = to_xy(5.01, 52.0)
        assert x > 0 and y > 0

    def test_fits_the_box(self):
        features = [square("A", "a", 5.0, 52.0), square("B", "b", 5.3, 52.0)]  # wide
        _, width, height = projection(features, width=480, max_height=420, padding=8)
        assert width == pytest.approx(480) and height < 420
        _, width, height = projection([square("A", "a", 5.0, 52.0), square("B", "b", 5.0, 52.4)], 480, 420, 8)
        assert height == pytest.approx(420) and width < 480

    def test_no_coordinates(self):
        with pytest.raises(ValueError):
            projection([])


class TestSvgMap:
    def test_a_path_per_region_filled_by_code(self):
        features = [square("BU1", "Eén", 5.0, 52.0), square("BU2", "Twee", 5.01, 52.0)]
        root = parsed(svg_map(features, {"BU1": "#ff0000"}, title="Kaart"))
        paths = root.findall(f"{SVG}path")
        assert [p.get("data-code") for p in paths] == ["BU1", "BU2"]
        assert [p.get("fill") for p in paths] == ["#ff0000", "#f0f0f0"]
        assert [p.find(f"{SVG}title").text for p in paths] == ["Eén (BU1)", "Twee (BU2)"]
        assert root.get("aria-label") == "Kaart"

    def test_labels_are_drawn_on_their_region(self):
        features = [square("BU1", "a", 5.0, 52.0), square("BU2", "b", 5.01, 52.0)]
        texts = parsed(svg_map(features, labels={"BU1": "1", "BU2": "2"})).iter(f"{SVG}text")
        placed = {t.text: float(t.get("x")) for t in texts}
        assert placed["1"] < placed["2"]

    def test_multipolygons_with_holes(self):
        outer = [[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.1], [5.0, 52.0]]
        hole = [[5.04, 52.04], [5.06, 52.04], [5.06, 52.06], [5.04, 52.04]]
        feature = {"type": "Feature", "properties": {"code": "WK1", "name": "w"},
                   "geometry": {"type": "MultiPolygon", "coordinates": [[outer, hole], [outer]]}}
        path = parsed(svg_map([feature])).find(f"{SVG}path")
        assert path.get("d").count("M") == 3 and path.get("fill-rule") == "evenodd"

    def test_names_and_labels_are_escaped(self):
        feature = square('BU"1', "<script>alert(1)</script>", 5.0, 52.0)
        svg = svg_map([feature], labels={'BU"1': "<b>"}, title="<i>")
        assert "<script>" not in svg and "<b>" not in svg and "<i>" not in svg
        root = parsed(svg)
        assert root.find(f"{SVG}path").get("data-code") == 'BU"1'
        assert root.find(f"{SVG}path/{SVG}title").text.startswith("<script>alert(1)</script>")

    def test_a_fill_that_is_no_colour_is_refused(self):
        with pytest.raises(ValueError, match="colour"):
            svg_map([square("BU1", "a", 5.0, 52.0)], {"BU1": 'red" onclick="x'})

    def test_other_geometry_is_refused(self):
        point = {"type": "Feature", "properties": {"code": "X", "name": "x"},
                 "geometry": {"type": "Point", "coordinates": [5, 52]}}
        with pytest.raises(ValueError, match="Point"):
            svg_map([point])

    def test_nothing_to_draw(self):
        assert svg_map([]) == ""
