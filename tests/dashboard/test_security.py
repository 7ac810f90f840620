"""dashboard/security.py: headers on every response, a bounded rate of expensive requests, no oversized bodies."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from dashboard.ratelimit import SharedTokenBucket
from dashboard.security import content_security_policy


@pytest.fixture(scope="module")
def public_client(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience="public")).server.test_client()


def test_every_response_carries_the_security_headers(public_client):
    for path in ("/", "/_dash-layout", "/assets/wijkbeeld.js", "/no-such-page"):
        headers = public_client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self' 'sha256-" in policy
        assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_the_policy_names_the_one_inline_script_dash_needs(demo_data_dir):
    app = create_app(Settings(data_dir=demo_data_dir, audience="public"))
    assert all(h in content_security_policy(app.csp_hashes()) for h in app.csp_hashes())


def test_expensive_requests_are_rate_limited_per_client(demo_data_dir):
    client = create_app(Settings(data_dir=demo_data_dir, audience="public")).server.test_client()
    statuses = [client.post("/_dash-update-component", json={}, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
                for _ in range(100)]
    assert 429 in statuses and statuses[0] != 429
    other = client.post("/_dash-update-component", json={}, environ_base={"REMOTE_ADDR": "10.9.9.8"})
    assert other.status_code != 429, "another client is not slowed down"
    assert client.get("/", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200, "pages are not limited"


def test_initiative_files_are_rate_limited_too(demo_data_dir):
    """Each combination of filters is a file computed once; cycling through them must not tie up the server."""
    app = create_app(Settings(data_dir=demo_data_dir, audience="public"))
    client = app.server.test_client()
    version = app.server.config["WIJKBEELD_DATA"].version().rsplit("/", 1)[-1]
    statuses = [client.get(f"/initiatieven/{version}.geojson?thema=t{n}", environ_base={"REMOTE_ADDR": "10.9.9.7"})
                .status_code for n in range(100)]
    assert statuses[0] == 200 and 429 in statuses


def test_token_bucket_refills_with_time(tmp_path):
    now = [0.0]
    bucket = SharedTokenBucket(tmp_path / "limits.sqlite3", rate=2, burst=2, clock=lambda: now[0])
    assert [bucket.allow("a") for _ in range(3)] == [True, True, False]
    assert bucket.allow("b"), "another client has a bucket of its own"
    now[0] += 0.5
    assert bucket.allow("a") and not bucket.allow("a")
    now[0] += 100
    assert [bucket.allow("a") for _ in range(3)] == [True, True, False], "a full bucket holds no more than burst"


def test_oversized_callback_bodies_are_refused(public_client):
    response = public_client.post("/_dash-update-component", data=b"x" * (300 * 1024),
                                  content_type="application/json")
    assert response.status_code == 413


def test_errors_show_no_traceback(public_client):
    response = public_client.post("/_dash-update-component", data=b"{not json", content_type="application/json")
    assert response.status_code >= 400 and b"Traceback" not in response.data


def test_each_response_says_which_published_version_answered(public_client, demo_data_dir):
    import os

    version = os.readlink(demo_data_dir / "published").rsplit("/", 1)[-1]
    response = public_client.post("/_dash-update-component", json={
        "output": "page.children", "outputs": {"id": "page", "property": "children"},
        "inputs": [{"id": "url", "property": "search", "value": ""}], "changedPropIds": ["url.search"], "state": []},
        environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert response.status_code == 200 and response.headers["X-Wijkbeeld-Version"] == version
    assert version in response.get_data(as_text=True), "the geometry URL names the same version"
