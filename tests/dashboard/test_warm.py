"""A worker computes the default view before its first request (dashboard/warm.py); the gunicorn entry points that
build their app with it are tested in test_entry_points.py."""
from __future__ import annotations

import logging
import re

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from dashboard.warm import WORKER_LOG, worker_app

LOCAL = {"REMOTE_ADDR": "127.0.0.1"}
PRELOAD = re.compile(r'<link rel="preload" href="([^"]+)" as="fetch"')
SESSION_TOKEN = re.compile(rb'"end_id":"[^"]*"')    # Dash's config names a new one on every page


def kept(app) -> int:
    """Results the app has computed and kept: figures, paints and serialised layouts."""
    data = app.server.config["WIJKBEELD_DATA"]
    return len(data._memo) + len(data._paints) + len(app._layouts)


def first_visit(app) -> tuple[bytes, bytes, bytes]:
    """The page, the figures its head preloads and the layout a browser's first visit of the default view asks
    for."""
    client = app.server.test_client()
    page = client.get("/", environ_base=LOCAL)
    figures = client.get(PRELOAD.search(page.text)[1], environ_base=LOCAL)
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/"}, environ_base=LOCAL)
    assert page.status_code == figures.status_code == layout.status_code == 200
    return SESSION_TOKEN.sub(b"", page.data), figures.data, layout.data


@pytest.fixture
def worker_lines():
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    WORKER_LOG.addHandler(handler)
    yield lines
    WORKER_LOG.removeHandler(handler)


@pytest.mark.parametrize("audience", ["public", "staff"])
def test_the_first_visit_finds_the_default_view_computed(demo_data_dir, audience, worker_lines):
    cold = create_app(Settings(data_dir=demo_data_dir, audience=audience))
    warmed = worker_app(Settings(data_dir=demo_data_dir, audience=audience))
    assert kept(cold) == 0 and kept(warmed) > 0
    before = kept(warmed)
    assert first_visit(warmed) == first_visit(cold), "warming changed what the first visit gets"
    assert kept(warmed) == before, "the first visit computed something the warm-up had not"
    assert kept(cold) == before, "the warm-up computed something the first visit does not need"
    assert len(worker_lines) == 1 and "warmed: the default view of version" in worker_lines[0]


def test_a_warmed_app_holds_no_connection_to_hand_to_a_fork(demo_data_dir):
    warmed = worker_app(Settings(data_dir=demo_data_dir, audience="public"))
    assert warmed.server.config["WIJKBEELD_DATA"]._connections == {}
    assert warmed.server.test_client().get("/readyz").status_code == 200, "the next request opens it again"


def test_nothing_published_still_starts_and_says_so(tmp_path, worker_lines):
    app = worker_app(Settings(data_dir=tmp_path, audience="public"))
    assert len(worker_lines) == 1 and "not warmed: nothing published in" in worker_lines[0]
    assert app.server.test_client().get("/readyz").status_code == 503
