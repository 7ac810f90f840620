"""Through the public site: the versioned files keep their year-long Cache-Control and are kept by nginx's cache,
compressed files pass once-compressed (never twice), and text the app sent plain is compressed by nginx."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from tests.deploy.helpers import fetch

pytestmark = pytest.mark.deploy

GZIP = {"Accept-Encoding": "gzip"}
YEAR = "max-age=31536000"


def decoded(answer) -> bytes:
    """The body as the browser sees it: gunzipped once when the answer says gzip."""
    if answer.header("content-encoding") == "gzip":
        assert answer.body[:2] == b"\x1f\x8b"
        body = gzip.decompress(answer.body)
        assert body[:2] != b"\x1f\x8b", "compressed twice"
        return body
    assert answer.header("content-encoding") in (None, "identity")
    return answer.body


@pytest.fixture(scope="module")
def public_page(site):
    """The public page through nginx, and the files it names."""
    answer = fetch(site.rendering.public_port, "/", headers=GZIP)
    assert answer.status == 200
    html = decoded(answer).decode()
    urls = re.findall(r'(?:src|href|data-regions)="([^"]+)"', html)   # data-regions: the map's first file
    return answer, html, urls


def one(urls: list[str], pattern: str) -> str:
    found = [u for u in urls if re.search(pattern, u)]
    assert found, f"no URL like {pattern} in {urls}"
    return found[0]


def test_the_page_is_compressed_and_names_the_version_that_answered(public_page):
    answer, _, urls = public_page
    assert answer.header("content-encoding") == "gzip"
    version = answer.header("x-wijkbeeld-version")
    named = {m.group(1) for u in urls if (m := re.match(r"^/(?:geometry|values)/([^/]+)/", u))}
    assert version and named == {version}


@pytest.mark.parametrize("kind", ["geometry", "values", "initiatieven"])
def test_versioned_files_are_cached_for_a_year_and_by_nginx(site, public_page, kind):
    answer, _, urls = public_page
    version = answer.header("x-wijkbeeld-version")
    url = f"/initiatieven/{version}.geojson" if kind == "initiatieven" else one(urls, rf"^/{kind}/{version}/")
    port = site.rendering.public_port
    zipped, again, plain = (fetch(port, url, headers=GZIP), fetch(port, url, headers=GZIP), fetch(port, url))
    for got in (zipped, again, plain):
        assert got.status == 200, (url, got.status)
        cache_control = got.header("cache-control", "")
        assert YEAR in cache_control and "public" in cache_control and "immutable" in cache_control, cache_control
        json.loads(decoded(got))
    assert decoded(zipped) == decoded(again) == plain.body
    assert again.header("x-cache-status") == "HIT", f"nginx did not keep {url}"
    if len(plain.body) > 1024:
        assert zipped.header("content-encoding") == "gzip"


def test_geometry_arrives_gzipped_once(site, public_page):
    _, _, urls = public_page
    url = one(urls, r"^/geometry/")
    zipped = fetch(site.rendering.public_port, url, headers=GZIP)
    assert zipped.header("content-encoding") == "gzip"
    assert json.loads(gzip.decompress(zipped.body))["type"] == "FeatureCollection"
    assert "accept-encoding" in zipped.header("vary", "").lower()


@pytest.mark.parametrize("pattern", [r"^/_dash-component-suites/dash/dash-renderer/.*\.v[0-9_]+m\d+.*\.js$",
                                     r"^/vendor/regenerator-runtime-[0-9.]+\.js$",
                                     r"^/bundle/wijkbeeld-[0-9a-f]+\.js$", r"^/bundle/wijkbeeld-[0-9a-f]+\.css$"])
def test_dash_scripts_are_compressed_and_the_fingerprinted_ones_cached(site, apps, public_page, pattern):
    _, _, urls = public_page
    url = one(urls, pattern)
    port = site.rendering.public_port
    zipped, again = fetch(port, url, headers=GZIP), fetch(port, url, headers=GZIP)
    direct = fetch(apps["public_a"].port, url)
    assert zipped.status == again.status == direct.status == 200
    assert zipped.header("content-encoding") == "gzip"
    assert decoded(zipped) == decoded(again) == decoded(direct)
    assert len(zipped.body) < len(decoded(direct)) / 2
    assert YEAR in zipped.header("cache-control", "")
    assert again.header("x-cache-status") == "HIT"


def test_a_script_without_a_fingerprint_is_not_kept_by_nginx(site, public_page):
    """Dash's async chunks keep their name across releases: without the app's Cache-Control nginx must not keep
    them, or an upgrade would serve last release's chunk."""
    _, _, urls = public_page
    url = one(urls, r"^/_dash-component-suites/.*/async-[^/]*\.js$")
    port = site.rendering.public_port
    first, second = fetch(port, url, headers=GZIP), fetch(port, url, headers=GZIP)
    assert first.status == second.status == 200
    if "max-age" not in first.header("cache-control", ""):
        assert second.header("x-cache-status") != "HIT"
    assert second.header("content-encoding") == "gzip"


def test_text_answers_are_compressed(site, public_page):
    """Everything textual above gzip_min_length (1 KB), whether the app compressed it or nginx did."""
    _, _, urls = public_page
    paths = ["/_dash-dependencies", "/assets/wijkbeeld.css", "/assets/wijkbeeld.js"]
    for path in paths:
        answer = fetch(site.rendering.public_port, path, headers=GZIP)
        assert answer.status == 200, path
        assert len(decoded(answer)) > 1024, path
        assert answer.header("content-encoding") == "gzip", path
        assert "accept-encoding" in answer.header("vary", "").lower(), path


def test_a_callback_answer_is_compressed_once(site, repaint_body):
    answer = fetch(site.rendering.public_port, "/_dash-update-component", method="POST", body=repaint_body,
                   headers={"Content-Type": "application/json", **GZIP}, source="127.0.0.31")
    assert answer.status == 200
    json.loads(decoded(answer))
