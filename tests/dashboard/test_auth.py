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


class TestRecentLogins:
    """A page's thirty requests cost one password check, and nothing remembered outlives a change of password."""

    @pytest.fixture
    def counted(self, monkeypatch):
        import dashboard.auth as auth
        calls = []
        real = auth.check_password_hash
        monkeypatch.setattr(auth, "check_password_hash", lambda *a: calls.append(1) or real(*a))
        return calls

    @pytest.fixture
    def file_client(self, demo_data_dir, tmp_path):
        users_file = tmp_path / "users"
        users_file.write_text(f"anna:{hash_password(PASSWORD)}\nbob:{hash_password('bob password')}\n")
        app = create_app(Settings.from_env({"WIJKBEELD_USERS_FILE": str(users_file)}, data_dir=demo_data_dir))
        return app.server.test_client(), users_file

    def test_one_check_for_many_requests(self, file_client, counted):
        client, _ = file_client
        for _ in range(5):
            assert client.get("/healthz").status_code == 200
            assert client.get("/_dash-layout", headers=basic("anna", PASSWORD)).status_code == 200
        assert len(counted) == 1

    def test_a_wrong_password_is_checked_every_time_and_never_let_in(self, file_client, counted):
        client, _ = file_client
        assert client.get("/_dash-layout", headers=basic("anna", PASSWORD)).status_code == 200
        for _ in range(3):
            assert client.get("/_dash-layout", headers=basic("anna", PASSWORD + "!")).status_code == 401
            assert client.get("/_dash-layout", headers=basic("nobody", PASSWORD)).status_code == 401
        assert len(counted) == 1 + 6, "unknown names take the same check as known ones"

    def test_a_changed_password_or_removed_account_counts_at_once(self, file_client):
        client, users_file = file_client
        assert client.get("/_dash-layout", headers=basic("anna", PASSWORD)).status_code == 200
        assert client.get("/_dash-layout", headers=basic("bob", "bob password")).status_code == 200
        users_file.write_text(f"anna:{hash_password('a new one')}\n")
        assert client.get("/_dash-layout", headers=basic("anna", PASSWORD)).status_code == 401
        assert client.get("/_dash-layout", headers=basic("anna", "a new one")).status_code == 200
        assert client.get("/_dash-layout", headers=basic("bob", "bob password")).status_code == 401
