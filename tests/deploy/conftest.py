"""Real gunicorn services and a real nginx (the shipped deploy/nginx/wijkbeeld.conf, rendered for 127.0.0.1 by
tools/nginx.py) over a copy of the published demo. Everything listens on free 127.0.0.1 ports and is stopped here.

Services (started together once, so their workers boot side by side):
- ``staff``: the staff app with a users file (2 workers);
- ``public_a``, ``public_b``: two public instances, separate processes with their own runtime dirs, as two
  hosts would be (2 workers each); the public site's upstream holds both. ``public_a`` is
  ``gunicorn dashboard.wsgi:server``, ``public_b`` is ``wijkbeeld serve --public`` (the systemd units' command);
- ``limited``: a public instance with a small per-client limit (3 workers), for the app's own limiter.
All trust X-Forwarded-For from 127.0.0.1 only (nginx), as a municipality would configure it.
"""
from __future__ import annotations

import contextlib
import json
import shutil
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.stress.serving import UNLIMITED, free_port, gunicorn_command, output, spawn_server, stop, wait_until_ready
from tools.nginx import NGINX, Nginx, Rendering

STAFF_USER, STAFF_PASSWORD = "anna", "een-heel-lang-wachtwoord"
SITE_RATE, SITE_BURST = "6r/m", 10     # the site's nginx: after a burst of 10, one request per 10 s per client
APP_RATE, APP_BURST = 1, 10            # the limited app: after a burst of 10, one request per second per client
LOOSE = 10_000                         # nginx limits nobody reaches, where a test is about something else


@dataclass
class App:
    name: str
    audience: str
    port: int
    process: object
    runtime: Path

    def log(self) -> str:
        return output(self.process)


@pytest.fixture(scope="session")
def nginx_binary() -> Path:
    if not NGINX.exists():
        pytest.skip("Debian nginx is not installed (make test installs it; or: make nginx)")
    return NGINX


@pytest.fixture(scope="session")
def deploy_root(demo_data_dir, tmp_path_factory) -> Path:
    """A folder with ``data/`` (a copy of the published demo: the scale-out test publishes into it) and a users file."""
    from dashboard.auth import hash_password

    root = tmp_path_factory.mktemp("deploy")
    shutil.copytree(demo_data_dir, root / "data", symlinks=True)
    users = root / "users.txt"
    users.write_text(f"{STAFF_USER}:{hash_password(STAFF_PASSWORD)}\n", encoding="utf-8")
    users.chmod(0o600)
    return root


@pytest.fixture(scope="session")
def apps(nginx_binary, deploy_root) -> dict[str, App]:
    base = {"WIJKBEELD_TRUSTED_PROXIES": "127.0.0.1", "WIJKBEELD_BASEMAP": "none"}
    specs = {
        "staff": ("staff", 2, {**UNLIMITED, "WIJKBEELD_USERS_FILE": str(deploy_root / "users.txt")}),
        "public_a": ("public", 2, UNLIMITED),
        "public_b": ("public", 2, UNLIMITED),
        "limited": ("public", 3, {"WIJKBEELD_RATE_LIMIT": str(APP_RATE), "WIJKBEELD_RATE_BURST": str(APP_BURST)}),
    }
    data_dir = deploy_root / "data"
    started: dict[str, App] = {}
    try:
        for name, (audience, workers, env) in specs.items():
            runtime = deploy_root / f"run-{name}"
            runtime.mkdir(mode=0o700)
            port = free_port()
            env = {**base, **env, "WIJKBEELD_RUNTIME_DIR": str(runtime), "XDG_RUNTIME_DIR": str(runtime),
                   "WIJKBEELD_DATA_DIR": str(data_dir), "WIJKBEELD_AUDIENCE": audience}
            if name == "public_b":
                command = [str(Path(sys.executable).with_name("wijkbeeld")), "serve", "--public", "--port", str(port),
                           "--workers", str(workers)]
            else:
                command = gunicorn_command(port, workers)
            started[name] = App(name, audience, port, spawn_server(command, env), runtime)
        for app in started.values():
            wait_until_ready(app.process, app.port, timeout=240)
        yield started
    finally:
        for app in started.values():        # gunicorn's quick shutdown, all at once
            if app.process.poll() is None:
                app.process.send_signal(signal.SIGINT)
        for app in started.values():
            stop(app.process)


@contextlib.contextmanager
def running_nginx(folder: Path, **rendering):
    """nginx with the shipped site rendered for 127.0.0.1 (see tools.nginx.Rendering), stopped afterwards."""
    server = Nginx(Rendering(folder, **rendering)).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def site(apps, deploy_root):
    """The shipped configuration: staff site → staff, public site → both public instances; small site limits."""
    with running_nginx(deploy_root / "nginx-site", staff_port=free_port(), public_port=free_port(),
                       staff_upstream=[f"127.0.0.1:{apps['staff'].port}"],
                       public_upstream=[f"127.0.0.1:{apps['public_a'].port}", f"127.0.0.1:{apps['public_b'].port}"],
                       rate=SITE_RATE, burst=SITE_BURST) as server:
        yield server


@pytest.fixture(scope="session")
def repaint_body(apps):
    """The body of the map's repaint callback (``/_dash-update-component``) for a view of the demo."""
    from tools.stress.serve_during_publish import VIEW, callback_payload, repaint_dependency

    dependency = repaint_dependency(apps["public_a"].port)
    return json.dumps(callback_payload(dependency, VIEW)).encode()
