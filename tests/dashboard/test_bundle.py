"""The page's own scripts and styles come as one file each, holding what Dash's tags would have loaded, in Dash's
order, cached for a year and compressed."""
from __future__ import annotations

import gzip
import re

import pytest

from dashboard.app import ASSETS, create_app
from dashboard.settings import Settings

TAG = re.compile(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"')


@pytest.fixture(scope="module", params=["staff", "public"])
def app(request, demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience=request.param))


def dash_assets(app, kind: str) -> list[str]:
    """The assets Dash's own tags name, in its order."""
    client = app.server.test_client()
    client.get("/")   # Dash registers its resources on the first request
    tags = app._generate_scripts_html() if kind == "js" else app._generate_css_dist_html()
    return re.findall(r'/assets/([^"?]+)', tags)


@pytest.mark.parametrize("kind", ["js", "css"])
def test_the_page_names_one_bundle_of_what_dash_would_have_loaded(app, kind):
    assets = dash_assets(app, kind)
    assert len(assets) >= (5 if kind == "js" else 2) and "regions-reader.js" not in assets
    assert app.bundles.files[kind] == assets
    page = app.server.test_client().get("/").get_data(as_text=True)
    named = TAG.findall(page)
    assert not [url for url in named if "/assets/" in url and url != "/assets/regions-reader.js"], named
    bundles = [url for url in named if url.startswith("/bundle/") and url.endswith("." + kind)]
    assert len(bundles) == 1
    body = app.server.test_client().get(bundles[0]).get_data()
    for name in assets:
        assert (ASSETS / name).read_bytes().strip() in body, name
    # in Dash's order: each file starts after the one before it
    starts = [body.index((ASSETS / name).read_bytes().strip()) for name in assets]
    assert starts == sorted(starts)


def test_the_scripts_bundle_sits_where_dashs_assets_did(app):
    """After dash_leaflet's bundle (the layer extends Leaflet's) and before the renderer (which starts the page)."""
    named = TAG.findall(app.server.test_client().get("/").get_data(as_text=True))
    at = next(n for n, url in enumerate(named) if url.startswith("/bundle/") and url.endswith(".js"))
    leaflet = next(n for n, url in enumerate(named) if "/dash_leaflet/dash_leaflet" in url)
    renderer = next(n for n, url in enumerate(named) if "/dash-renderer/" in url)
    assert leaflet < at < renderer


def test_a_bundle_is_cached_for_a_year_compressed_and_only_by_its_name(app):
    client = app.server.test_client()
    for url in (u for u in TAG.findall(client.get("/").get_data(as_text=True)) if u.startswith("/bundle/")):
        plain, zipped = client.get(url), client.get(url, headers={"Accept-Encoding": "gzip"})
        assert plain.status_code == zipped.status_code == 200
        cache_control = {part.strip() for part in plain.headers["Cache-Control"].split(",")}
        assert {"public", "immutable", "max-age=31536000"} <= cache_control
        assert zipped.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert client.get("/bundle/wijkbeeld-000000000000.js").status_code == 404
