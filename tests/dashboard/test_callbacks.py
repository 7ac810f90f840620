"""The paint callback as the browser calls it (assets/wijkbeeld.js asks it only for a view it has not painted):
the geometry address of the level of detail shown and of either level, the paint and the legend, and the
browser's name for the view back, so it keeps the paint under it."""
from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from dashboard import ids
from dashboard.app import create_app
from dashboard.settings import Settings
from tools.stress.serving import callback_payload

VIEW = {"indicator.value": "laag_inkomen", "year.value": 2023, "level.value": "buurt", "scheme.value": "quantiles",
        "k.value": 5, "fixed.value": [], "selected.data": "", "map-layer.value": "indicator", "lang.data": "nl"}
ASKED = f"{ids.PAINT_ASKED}.data"


@pytest.fixture(scope="module")
def client(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir)).server.test_client()


def paint(client, values: dict) -> dict:
    dependencies = json.loads(client.get("/_dash-dependencies").data)
    dependency = next(d for d in dependencies if d["output"] == f"{ids.PAINT_ANSWER}.data")
    response = client.post("/_dash-update-component", json=callback_payload(dependency, values))
    assert response.status_code == 200
    return json.loads(response.data)["response"][ids.PAINT_ANSWER]["data"]


@pytest.mark.parametrize("overview, name", [(True, "2023-buurt-overzicht.geojson"), (False, "2023-buurt.geojson")])
def test_the_answer_names_the_geometry_of_the_level_of_detail_shown_and_of_both(client, overview, name):
    answer = paint(client, VIEW | {"detail.data": {"overview_max_zoom": 10, "overview": overview}})
    assert answer["url"].endswith("/" + name)
    assert answer["paint"]["files"]["overview"].endswith("/2023-buurt-overzicht.geojson")
    assert answer["paint"]["files"]["detail"].endswith("/2023-buurt.geojson")


def test_a_view_is_answered_with_its_paint_legend_and_the_browsers_name_for_it(client):
    key = quote(json.dumps(["aardgas", 2023, "buurt", "quantiles", 5, [], "indicator", "nl"]))
    answer = paint(client, VIEW | {"indicator.value": "aardgas", "detail.data": {"overview": False},
                                   ASKED: {"key": key, "n": 3}})
    assert answer["key"] == key
    assert answer["paint"]["labels"].endswith("/nl/aardgas/2023/buurt.json")
    assert len(answer["paint"]["classes"]) == 50
    assert answer["legend"], "the legend comes with the paint"


@pytest.mark.parametrize("asked", [None, "x", {"key": 5}, {"key": "x" * 1001}, {"key": '["<b>"]'}, []])
def test_no_name_or_a_malformed_one_comes_back_as_none(client, asked):
    assert paint(client, VIEW | {ASKED: asked})["key"] is None


@pytest.mark.parametrize("detail", [None, "overzicht", {"overview": "yes"}, {"overview": 1}, []])
def test_a_malformed_level_of_detail_gives_the_detailed_file(client, detail):
    answer = paint(client, VIEW | {"detail.data": detail})
    assert answer["url"].endswith("/2023-buurt.geojson")


def test_a_gemeente_shown_on_its_own_is_answered_with_its_own_file_at_either_level(client):
    answer = paint(client, VIEW | {"detail.data": {"overview_max_zoom": 10, "overview": True, "scope": "GM9999"}})
    assert answer["url"].endswith("/2023-buurt-GM9999.geojson")
    assert {level: url.rsplit("/", 1)[1] for level, url in answer["paint"]["files"].items()} == {
        "overview": "2023-buurt-GM9999.geojson", "detail": "2023-buurt-GM9999.geojson"}
