"""dashboard/auth.py and the staff/public split: every staff route asks for a login; public has no staff routes."""
from __future__ import annotations

import base64

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from tests.dashboard.walk import every_path
from dashboard.auth import AuthConfigError, check, configured_users, hash_password, parse_users

PASSWORD = "correct horse battery staple"


def basic(name: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def users():
    return {"anna": hash_password(PASSWORD)}


@pytest.fixture(scope="module")
def staff_client(demo_data_dir, users):
    return create_app(Settings(data_dir=demo_data_dir, audience="staff", users=users)).server.test_client()


@pytest.fixture(scope="module")
def public_client(demo_data_dir):
    return create_app(Settings(data_dir=demo_data_dir, audience="public")).server.test_client()


def test_every_staff_route_refuses_without_login(demo_data_dir, users):
    app = create_app(Settings(data_dir=demo_data_dir, audience="staff", users=users))
    client = app.server.test_client()
    routes = every_path(app.server)
    assert {"/", "/_dash-layout", "/_dash-update-component", "/kwaliteit", "/export/kaart.csv"} <= set(routes)
    for path in routes:
        for method in ("GET", "POST"):
            response = client.open(path, method=method)
            assert response.status_code == 401, f"{method} {path} answered {response.status_code}"
            assert response.headers["WWW-Authenticate"].startswith("Basic")


@pytest.mark.parametrize("headers", [
    basic("anna", "wrong password"), basic("bob", PASSWORD), basic("anna", ""), {"Authorization": "Bearer anna"},
    {"Authorization": "Basic not-base64!"}, {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()},
])
def test_wrong_or_malformed_credentials_are_refused(staff_client, headers):
    assert staff_client.get("/kwaliteit", headers=headers).status_code == 401


def test_the_right_password_opens_pages_exports_and_quality(staff_client):
    headers = basic("anna", PASSWORD)
    assert staff_client.get("/", headers=headers).status_code == 200
    quality = staff_client.get("/kwaliteit", headers=headers)
    assert quality.status_code == 200 and b"etl_runs" in quality.data
    export = staff_client.get("/export/kaart.csv?indicator=eenzaam&niveau=wijk", headers=headers)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")


def test_public_app_has_no_staff_routes_and_no_login(public_client):
    assert public_client.get("/").status_code == 200
    for path in ("/kwaliteit", "/export/kaart.csv", "/export/kaart.geojson", "/export/profiel/WK999901.csv",
                 "/briefing/WK999901", "/briefing/WK999901.pdf", "/vergelijk?codes=WK999900,WK999901"):
        response = public_client.get(path)
        assert response.status_code == 404, path


def test_parse_users_reads_hashes_and_rejects_plain_passwords(tmp_path):
    hashed = hash_password(PASSWORD)
    users = parse_users(f"# staff\nanna:{hashed}\n\n", "users.txt")
    assert check(users, "anna", PASSWORD) and not check(users, "anna", "x") and not check(users, "bob", PASSWORD)
    with pytest.raises(AuthConfigError, match="users.txt, line 1"):
        parse_users("anna:plaintext", "users.txt")
    path = tmp_path / "users.txt"
    path.write_text(f"anna:{hashed}\n")
    assert configured_users({"WIJKBEELD_USERS_FILE": str(path)}) == {"anna": hashed}
    assert configured_users({}) == {}
