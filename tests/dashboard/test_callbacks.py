"""The repaint callback as the browser calls it: a change of the level of detail alone sends only the other
geometry file's address; any change of the view sends the paint and the legend too."""
from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from tools.stress.serving import callback_payload

VIEW = {"indicator.value": "laag_inkomen", "year.value": 2023, "level.value": "buurt", "scheme.value": "quantiles",
        "k.value": 5, "fixed.value": [], "selected.data": "", "map-layer.value": "indicator", "lang.data": "nl"}


@pytest.fixture(scope="module")
def client(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir)).server.test_client()


def repaint(client, values: dict, changed: list[str]) -> dict:
    dependencies = json.loads(client.get("/_dash-dependencies").data)
    dependency = next(d for d in dependencies if "paint.data" in d["output"])
    payload = callback_payload(dependency, values) | {"changedPropIds": changed}
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return json.loads(response.data)["response"]


@pytest.mark.parametrize("overview, name", [(True, "2023-buurt-overzicht.geojson"), (False, "2023-buurt.geojson")])
def test_another_level_of_detail_sends_only_the_geometry_address(client, overview, name):
    detail = {"overview_max_zoom": 10, "overview": overview}
    answer = repaint(client, VIEW | {"detail.data": detail}, ["detail.data"])
    assert set(answer) == {"regions"}
    assert answer["regions"]["url"].endswith("/" + name)


def test_a_change_of_view_sends_the_paint_and_legend(client):
    answer = repaint(client, VIEW | {"indicator.value": "aardgas", "detail.data": {"overview": False}},
                     ["indicator.value"])
    assert set(answer) == {"regions", "paint", "legend"}
    assert answer["paint"]["data"]["labels"].endswith("/nl/aardgas/2023/buurt.json")
    assert len(answer["paint"]["data"]["classes"]) == 50


@pytest.mark.parametrize("detail", [None, "overzicht", {"overview": "yes"}, {"overview": 1}, []])
def test_a_malformed_level_of_detail_gives_the_detailed_file(client, detail):
    answer = repaint(client, VIEW | {"detail.data": detail}, ["detail.data"])
    assert answer["regions"]["url"].endswith("/2023-buurt.geojson")
