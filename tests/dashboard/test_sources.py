"""Sources, licences and attributions come from the published file, never from the ETL's catalog."""
import ast
from pathlib import Path

import pytest

import dashboard
from dashboard import views
from dashboard.app import create_app
from dashboard.db import PublishedData
from dashboard.page import render
from dashboard.settings import Settings
from dashboard.static_export import build_map

LICENCE, ATTRIBUTION = "CC BY-SA 4.0 (gewijzigd)", "Bron: CBS, zoals gepubliceerd"


@pytest.fixture(scope="module")
def data_dir(edit_published):
    """The demo with other words for the kerncijfers' licence and attribution in its published files only."""
    data_dir, edit = edit_published
    edit("UPDATE sources SET licence = ?, attribution = ? WHERE source_id = 'kerncijfers'", [LICENCE, ATTRIBUTION])
    return data_dir


@pytest.fixture(scope="module")
def client(data_dir):
    return create_app(Settings(data_dir=data_dir)).server.test_client()


def texts(component) -> str:
    if isinstance(component, (str, int, float)):
        return str(component)
    children = getattr(component, "children", None)
    children = children if isinstance(children, list) else [children]
    return " ".join(texts(c) for c in children if c is not None)


def test_the_map_names_the_published_attribution_and_licence(client, data_dir):
    staff = PublishedData(data_dir, "staff")
    with client.application.test_request_context("/"):
        page = texts(render(staff, "?indicator=laag_inkomen"))
    assert f"{ATTRIBUTION} ({LICENCE})" in page                 # the footer
    assert f"{ATTRIBUTION}, 2023" in page                        # under the legend


def test_exports_carry_the_published_licence(client):
    csv = client.get("/export/kaart.csv?indicator=laag_inkomen").get_data(as_text=True)
    assert csv.splitlines()[1].endswith(LICENCE)
    assert client.get("/export/kaart.geojson?indicator=laag_inkomen").get_json()["metadata"]["licentie"] == LICENCE


def test_the_briefing_lists_the_published_sources(client):
    page = client.get("/briefing/WK999900").get_data(as_text=True)
    assert LICENCE in page and ATTRIBUTION in page


def test_the_static_map_names_the_published_attribution(data_dir):
    page = build_map(PublishedData(data_dir, "public"), "nl", None).get_root().render()
    assert ATTRIBUTION in page and LICENCE in page


def test_the_public_file_has_the_sources(data_dir):
    assert ATTRIBUTION in views.sources(PublishedData(data_dir, "public")).footer()


def test_no_dashboard_module_reads_the_catalog():
    for path in Path(dashboard.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for a in node.names}
        assert "load_catalog" not in names and "indicators.toml" not in path.read_text(encoding="utf-8"), path
