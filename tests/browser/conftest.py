"""Headless Debian Chromium through Playwright, and the dashboard served on 127.0.0.1."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make test installs it)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run",
                     # every outside host fails inside the browser: a test can never reach the internet
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]}


def serve_in_thread(app):
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="session")
def staff_url(demo_data_dir):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    server, url = serve_in_thread(create_app(Settings(data_dir=demo_data_dir, audience="staff")))
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def public_url(demo_data_dir):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    server, url = serve_in_thread(create_app(Settings(data_dir=demo_data_dir, audience="public")))
    yield url
    server.shutdown()


@pytest.fixture
def watched_page(page):
    """A page that records JavaScript errors and every request's host."""
    page.js_errors = []
    page.requested = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    return page


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
