"""Every way to run the dashboard applies the same settings and rules: ``wijkbeeld serve`` (gunicorn), the WSGI
callable under gunicorn, and the app the tests build. Real processes on 127.0.0.1, real HTTP."""
from __future__ import annotations

import base64
import gzip
import http.client
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.auth import hash_password
from dashboard.settings import Settings, SettingsError
from tools.stress.serving import HOST, REPO, free_port, output, start_gunicorn, start_server, stop
from tests.dashboard.walk import every_path

PASSWORD = "correct horse battery staple"
WARMED = "warmed: the default view of version"   # dashboard/warm.py, once per worker


def request(port: int, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
            source: str | None = None) -> tuple[int, dict, bytes]:
    """One request on a fresh connection (so gunicorn may hand it to any worker), from ``source`` if given."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30,
                                            source_address=(source, 0) if source else None)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def basic(name: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("users") / "users.txt"
    path.write_text(f"anna:{hash_password(PASSWORD)}\n")
    return path


@pytest.fixture(scope="module")
def staff_paths(demo_data_dir, users_file):
    """The staff app's routes, as the in-process app built from the same settings has them."""
    app = create_app(Settings(data_dir=demo_data_dir, users={"anna": hash_password(PASSWORD)}))
    paths = every_path(app.server)
    assert {"/", "/_dash-layout", "/_dash-update-component", "/kwaliteit", "/export/kaart.csv"} <= set(paths)
    return paths


def serve_command(data_dir, port: int, *flags: str) -> list[str]:
    wijkbeeld = Path(sys.executable).with_name("wijkbeeld")     # the installed command, as a user runs it
    return [str(wijkbeeld), "--data-dir", str(data_dir), "serve", "--port", str(port), *flags]


def assert_login_everywhere(port: int, paths: list[str]) -> None:
    for path in paths:
        for method in ("GET", "POST"):
            status, headers, _ = request(port, path, method)
            assert status == 401, f"{method} {path} answered {status}"
            assert headers["www-authenticate"].startswith("Basic")
    status, _, body = request(port, "/kwaliteit", headers=basic("anna", PASSWORD))
    assert status == 200 and b"etl_runs" in body


def test_wijkbeeld_serve_runs_gunicorn_and_asks_a_login_on_every_staff_route(demo_data_dir, users_file, staff_paths):
    port = free_port()
    server = start_server(serve_command(demo_data_dir, port, "--workers", "2"), port,
                          {"WIJKBEELD_USERS_FILE": str(users_file)})
    try:
        status, headers, _ = request(port, "/healthz")
        assert status == 200 and headers["server"].startswith("gunicorn"), "not the development server"
        assert_login_everywhere(port, staff_paths)
        wait_until_warmed(server, 2)
        # the process that forks the workers never loads DuckDB: one that had kept each worker from exiting
        assert "duckdb" not in Path(f"/proc/{server.pid}/maps").read_text(), "DuckDB loaded in gunicorn's master"
    finally:
        log = stop(server)
    assert "Booting worker" in log and "development server" not in log.lower()
    assert log.count(WARMED) == 2, "each worker computes the first view first"


def wait_until_warmed(server, workers: int) -> None:
    """Until every worker has said it is warmed (the ones that answered nothing yet may still be starting); at
    most a minute."""
    deadline = time.monotonic() + 60
    while output(server).count(WARMED) < workers and time.monotonic() < deadline:
        time.sleep(0.1)


def test_the_wsgi_callable_under_gunicorn_warms_each_worker_before_its_first_request(demo_data_dir):
    port = free_port()
    server = start_gunicorn(demo_data_dir, port, workers=2, audience="public")
    try:
        wait_until_warmed(server, 2)
    finally:
        log = stop(server)
    assert log.count(WARMED) == 2, log[-2000:]
    assert " GET / " not in log, "warmed in the worker, not by a request"


def test_the_wsgi_callable_under_gunicorn_asks_a_login_on_every_staff_route(demo_data_dir, users_file, staff_paths):
    port = free_port()
    server = start_gunicorn(demo_data_dir, port, workers=2, env={"WIJKBEELD_USERS_FILE": str(users_file)})
    try:
        assert_login_everywhere(port, staff_paths)
    finally:
        stop(server)


def test_wijkbeeld_serve_refuses_a_staff_app_without_login_on_an_open_address(demo_data_dir):
    result = subprocess.run(serve_command(demo_data_dir, free_port(), "--host", "0.0.0.0"), cwd=REPO,
                            capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "WIJKBEELD_RUNTIME_DIR": str(demo_data_dir / "rt")})
    assert result.returncode == 2 and "needs a login" in result.stderr and "Traceback" not in result.stderr


def test_gunicorn_refuses_the_wsgi_callable_without_login_on_an_open_address(demo_data_dir):
    port = free_port()
    result = subprocess.run([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"0.0.0.0:{port}",
                             "dashboard.wsgi:server"], cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "WIJKBEELD_DATA_DIR": str(demo_data_dir)})
    assert result.returncode != 0, "gunicorn served a staff dashboard without login on 0.0.0.0"
    assert "needs a login" in result.stderr


def test_the_wsgi_callable_refuses_an_open_host_setting_without_login(demo_data_dir):
    result = subprocess.run([sys.executable, "-c", "import dashboard.wsgi"], cwd=REPO, capture_output=True,
                            text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "WIJKBEELD_HOST": "0.0.0.0",
                                                        "WIJKBEELD_DATA_DIR": str(demo_data_dir)})
    assert result.returncode != 0 and "needs a login" in result.stderr


def test_settings_refuse_what_would_expose_staff_data(demo_data_dir):
    with pytest.raises(SettingsError, match="needs a login"):
        Settings(data_dir=demo_data_dir, host="0.0.0.0")
    with pytest.raises(SettingsError, match="needs a login"):
        Settings(data_dir=demo_data_dir, trusted_proxies=Settings.from_env(
            {"WIJKBEELD_TRUSTED_PROXIES": "127.0.0.1", "WIJKBEELD_AUDIENCE": "public"}).trusted_proxies)
    for variable, value in [("WIJKBEELD_PORT", "eighty"), ("WIJKBEELD_TRUSTED_PROXIES", "nginx"),
                            ("WIJKBEELD_AUDIENCE", "council"), ("WIJKBEELD_BASEMAP", "http://{z}"),
                            ("WIJKBEELD_WORKERS", "0")]:
        with pytest.raises(SettingsError, match=variable):
            Settings.from_env({variable: value, "WIJKBEELD_DATA_DIR": str(demo_data_dir)})
    public = Settings.from_env({"WIJKBEELD_AUDIENCE": "public", "WIJKBEELD_HOST": "0.0.0.0"})
    assert public.login is None and public.host == "0.0.0.0"


def test_a_staff_app_without_login_answers_only_this_machine(demo_data_dir):
    client = create_app(Settings(data_dir=demo_data_dir)).server.test_client()
    assert client.get("/kwaliteit").status_code == 200
    assert client.get("/kwaliteit", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 403
    assert client.get("/kwaliteit", environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 403


def test_health_and_readiness(demo_data_dir, tmp_path):
    client = create_app(Settings(data_dir=demo_data_dir, users={"anna": hash_password(PASSWORD)})).server.test_client()
    assert client.get("/healthz").status_code == 200, "no login for the health check"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.headers["X-Wijkbeeld-Version"] in ready.get_data(as_text=True)
    empty = create_app(Settings(data_dir=tmp_path, audience="public")).server.test_client()
    assert empty.get("/healthz").status_code == 200
    not_ready = empty.get("/readyz")
    assert not_ready.status_code == 503 and "Traceback" not in not_ready.get_data(as_text=True)


@pytest.fixture(scope="module")
def public_gunicorn(demo_data_dir, tmp_path_factory):
    """The public app under gunicorn with four workers, a small burst and a slow refill, trusting 127.0.0.1."""
    port = free_port()
    server = start_gunicorn(demo_data_dir, port, workers=4, audience="public", env={
        "WIJKBEELD_RATE_LIMIT": "0.05", "WIJKBEELD_RATE_BURST": "8", "WIJKBEELD_TRUSTED_PROXIES": "127.0.0.1",
        "WIJKBEELD_RUNTIME_DIR": str(tmp_path_factory.mktemp("runtime"))})
    yield port, server
    stop(server)


def allowed_of(port: int, count: int, **kwargs) -> int:
    statuses = [request(port, "/_dash-update-component", "POST", body=b"{}",
                        headers={"Content-Type": "application/json", **kwargs.pop("headers_each", {})}, **kwargs)[0]
                for _ in range(count)]
    assert set(statuses) <= {400, 429}, statuses
    return statuses.count(400)      # the limiter let it through to validation


def test_the_rate_limit_holds_across_all_workers(public_gunicorn):
    port, _ = public_gunicorn
    # 40 requests on fresh connections reach all four workers; a per-worker limit would let up to 4 × 8 through
    assert allowed_of(port, 40, source="127.0.0.11") <= 8 + 1


def test_a_forwarded_address_counts_only_from_a_trusted_proxy(public_gunicorn):
    port, _ = public_gunicorn
    # 127.0.0.12 is not a trusted proxy: a different made-up X-Forwarded-For each time changes nothing
    spoofed = [request(port, "/_dash-update-component", "POST", body=b"{}", source="127.0.0.12",
                       headers={"Content-Type": "application/json", "X-Forwarded-For": f"198.51.100.{n}"})[0]
               for n in range(20)]
    assert spoofed.count(400) <= 9 and 429 in spoofed
    # 127.0.0.1 is the trusted proxy: the clients it names each have their own bucket
    for client in ("198.51.100.201", "198.51.100.202"):
        assert allowed_of(port, 5, source="127.0.0.1", headers_each={"X-Forwarded-For": client}) == 5


def test_every_request_is_logged_once_with_its_version(public_gunicorn, demo_data_dir):
    port, server = public_gunicorn
    status, headers, _ = request(port, "/?marker=logged")
    assert status == 200
    version = headers["x-wijkbeeld-version"]
    server.log.seek(0)
    lines = [line for line in server.log.read().decode().splitlines() if "GET / 200" in line]
    assert any(f"version={version}" in line for line in lines), lines[-3:]


def test_text_is_compressed_and_pre_gzipped_files_are_not_compressed_twice(public_gunicorn):
    port, _ = public_gunicorn
    status, headers, packed = request(port, "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip"
    body = gzip.decompress(packed)
    scripts = [src for src in (s.split('"')[0] for s in body.decode().split('src="')[1:])
               if "_dash-component-suites" in src]
    assert scripts, "the page names Dash's bundles"
    _, plain_headers, plain = request(port, scripts[0])
    status, headers, packed = request(port, scripts[0], headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and "content-encoding" not in plain_headers
    assert gzip.decompress(packed) == plain and len(packed) < len(plain) / 2
    geometry = [s.split('"')[0] for s in body.decode().split('data-regions="')[1:] if s.startswith("/geometry/")]
    status, headers, packed = request(port, geometry[0], headers={"Accept-Encoding": "gzip, br"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(packed).startswith(b"{")
