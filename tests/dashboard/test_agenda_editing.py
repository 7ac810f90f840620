"""The wijkagenda's pages in the staff app: roles per wijk, forms that are escaped, token-protected and checked by
the importer's own rules, the history, the spreadsheet out and in, and the roles page."""
from __future__ import annotations

import base64
import io
import json
import re

import pytest
from werkzeug.security import generate_password_hash

from dashboard.accounts import read_accounts
from dashboard.app import create_app
from dashboard.present.initiatives import THEME_COLOURS
from dashboard.text import STATUSES
from dashboard.settings import Settings
from etl import jobs
from etl.errors import LoadError
from etl.wijkagenda import store
from etl.wijkagenda.publish import publish_agenda

PASSWORD = "correct horse battery staple"
CHEAP = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")      # fast logins for many requests
USERS = {"anna": "editor=WK999901", "bob": "viewer=*", "chef": "beheerder=GM9999", "nemo": "geen"}


def login(name: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{PASSWORD}".encode()).decode()}


@pytest.fixture(scope="module")
def data_dir(demo_copy):
    return demo_copy("editing")


@pytest.fixture(scope="module")
def users_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("users") / "users.txt"
    path.write_text("".join(f"{name}:{CHEAP}:{roles}\n" for name, roles in USERS.items()))
    return path


@pytest.fixture(scope="module")
def client(data_dir, users_file):
    settings = Settings.from_env({"WIJKBEELD_USERS_FILE": str(users_file)}, data_dir=data_dir)
    return create_app(settings).server.test_client()


def token(client, path: str, user: str = "anna") -> str:
    """The form token of a page (none on a page without forms: a viewer's)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path, headers=login(user)).get_data(as_text=True))
    return found[1] if found else ""


def page_of(client, search: str, user: str) -> str:
    """What the map page shows for ``?search`` (its content comes with the layout, which the page asks for)."""
    answer = client.get("/_dash-layout", headers={**login(user), "Referer": f"http://localhost/{search}"})
    assert answer.status_code == 200
    return json.dumps(answer.get_json(), ensure_ascii=False)


def add_update(client, item="WA-01", user="anna", **fields):
    form = {"csrf": token(client, f"/wijkagenda/punt/{item}", user), "actie": "voortgang", "datum": "2026-01-05",
            "voortgang": "62", "status": "loopt", "notitie": "<script>alert(1)</script> buurtkamer", "openbaar": "",
            **fields}
    return client.post(f"/wijkagenda/punt/{item}", headers=login(user), data=form)


class TestRoles:
    def test_an_editor_of_one_wijk_gets_403_on_another(self, client):
        assert client.get("/wijkagenda/WK999901", headers=login("anna")).status_code == 200
        assert client.get("/wijkagenda/WK999902", headers=login("anna")).status_code == 403
        assert client.get("/wijkagenda/punt/WA-10", headers=login("anna")).status_code == 403
        assert add_update(client, "WA-10", user="bob").status_code == 403      # bob sees, may not change
        assert client.get("/wijkagenda/punt/WA-10", headers=login("bob")).status_code == 200
        assert client.get("/wijkagenda/WK999902/nieuw", headers=login("anna")).status_code == 403

    def test_a_login_without_roles_sees_nothing(self, client):
        assert client.get("/", headers=login("nemo")).status_code == 403

    def test_the_profile_links_editors_to_the_agenda(self, client):
        page = page_of(client, "?regio=WK999901", "anna")
        assert '"href": "/wijkagenda/WK999901"' in page and "Wijkagenda bijwerken" in page
        viewer = page_of(client, "?regio=WK999901", "bob")
        assert "Wijkagenda en historie" in viewer and "Wijkagenda bijwerken" not in viewer


class TestForms:
    def test_an_update_is_saved_escaped_with_its_history(self, client, data_dir):
        answer = add_update(client)
        assert answer.status_code == 303 and answer.headers["Location"].endswith("bericht=opgeslagen")
        page = client.get("/wijkagenda/punt/WA-01", headers=login("anna")).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; buurtkamer" in page and "<script>alert" not in page
        con = store.connect(data_dir)
        last = store.history(con, item_id="WA-01")[0]
        con.close()
        assert (last["who"], last["action"], last["after"]["progress"]) == ("anna", "update_added", 62)

    @pytest.mark.parametrize("change", [{"csrf": ""}, {"csrf": "1.abc"}])
    def test_a_post_without_a_valid_token_is_refused(self, client, change):
        assert add_update(client, **change).status_code == 403

    def test_a_token_of_another_user_or_another_site_is_refused(self, client):
        form = {"csrf": token(client, "/wijkagenda/punt/WA-01", "bob"), "actie": "voortgang", "datum": "2026-01-06"}
        assert client.post("/wijkagenda/punt/WA-01", headers=login("anna"), data=form).status_code == 403
        form["csrf"] = token(client, "/wijkagenda/punt/WA-01")
        evil = {**login("anna"), "Origin": "https://evil.example"}
        assert client.post("/wijkagenda/punt/WA-01", headers=evil, data=form).status_code == 403

    def test_bad_values_get_the_importers_messages_and_save_nothing(self, client, data_dir):
        con = store.connect(data_dir)
        stand = store.stand(con)
        answer = add_update(client, datum="31-02-2026", voortgang="150", status="bijna")
        assert answer.status_code == 400
        text = answer.get_data(as_text=True)
        for message in ("not a valid date", "progress must lie between 0 and 100", "not one of: idee"):
            assert message in text
        assert store.stand(con) == stand
        con.close()

    def test_an_item_changed_meanwhile_is_not_overwritten(self, client, data_dir):
        page = client.get("/wijkagenda/punt/WA-02", headers=login("anna")).get_data(as_text=True)
        form = {name: value for name, value in re.findall(r'<input type="text" id="f-\w+" name="(\w+)" value="([^"]*)"',
                                                            page)}
        form |= {"csrf": token(client, "/wijkagenda/punt/WA-02"), "actie": "wijzig", "wijkcode": "WK999901",
                 "openbaar": "ja", "status": "loopt", "revisie": re.search(r'name="revisie" value="(\d+)"', page)[1]}
        assert client.post("/wijkagenda/punt/WA-02", headers=login("anna"),
                           data={**form, "eigenaar": "Eerste"}).status_code == 303
        stale = client.post("/wijkagenda/punt/WA-02", headers=login("anna"), data={**form, "eigenaar": "Tweede"})
        assert stale.status_code == 409 and "intussen gewijzigd" in stale.get_data(as_text=True)
        con = store.connect(data_dir)
        assert store.get_item(con, "WA-02")["owner"] == "Eerste"
        con.close()

    def test_a_sub_item_and_its_initiatives(self, client, data_dir):
        form = {"csrf": token(client, "/wijkagenda/WK999901/nieuw"), "id": "WA-90", "wijkcode": "WK999901",
                "titel": "Buurtkamer <b>Oude Haven</b>", "status": "gepland", "bovenliggend": "WA-01",
                "openbaar": "ja", "startdatum": "2026-01-01", "deadline": "2026-12-31"}
        assert client.post("/wijkagenda/WK999901/nieuw", headers=login("anna"), data=form).status_code == 303
        assert client.post("/wijkagenda/WK999901/nieuw", headers=login("anna"),
                           data={**form, "csrf": token(client, "/wijkagenda/WK999901/nieuw")}).status_code == 400
        initiative = next(r for r in client.application.config["WIJKBEELD_DATA"].rows("agenda_initiatives")
                          if r["wijk_code"] == "WK999901")
        linked = client.post("/wijkagenda/punt/WA-90", headers=login("anna"), data={
            "csrf": token(client, "/wijkagenda/punt/WA-90"), "actie": "koppel", "initiatief": initiative["id"]})
        assert linked.status_code == 303
        unknown = client.post("/wijkagenda/punt/WA-90", headers=login("anna"), data={
            "csrf": token(client, "/wijkagenda/punt/WA-90"), "actie": "koppel", "initiatief": "INI-NOPE"})
        assert unknown.status_code == 400
        publish_agenda(data_dir, progress=lambda m: None)
        version = client.get("/readyz").get_data(as_text=True).split()[-1]
        query = "&".join([f"thema={th}" for th in THEME_COLOURS] + [f"status={st}" for st in STATUSES])
        points = client.get(f"/initiatieven/{version}.geojson?{query}", headers=login("anna")).get_json()
        served = {f["properties"]["id"]: f["properties"]["serves"] for f in points["features"]}
        assert served[initiative["id"]] == "Buurtkamer <b>Oude Haven</b>"
        profile = page_of(client, "?regio=WK999901", "anna")
        assert initiative["name"] in profile and "agenda-initiatives" in profile


class TestFiles:
    def test_history_as_csv(self, client):
        add_update(client, voortgang="63", datum="2026-01-07")
        answer = client.get("/wijkagenda/WK999901/historie.csv", headers=login("anna"))
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
        lines = answer.get_data(as_text=True).splitlines()
        assert lines[0].lstrip("\ufeff").startswith("tijdstip;wie;bron;actie;punt;wijk;veld;was;werd")
        assert any(";anna;dashboard;voortgang toegevoegd;WA-01;WK999901;" in line for line in lines)
        assert client.get("/wijkagenda/historie.csv", headers=login("anna")).status_code == 403

    def test_the_download_uploaded_unchanged_changes_nothing(self, client, data_dir):
        workbook = client.get("/wijkagenda/WK999901.xlsx", headers=login("anna"))
        assert workbook.status_code == 200
        con = store.connect(data_dir)
        stand = store.stand(con)
        answer = self.upload(client, workbook.data, "wijkagenda-WK999901.xlsx")
        assert answer.status_code == 200 and "Er was niets veranderd" in answer.get_data(as_text=True)
        assert store.stand(con) == stand
        con.close()

    def test_an_upload_is_checked_exactly_as_the_command_line_checks_it(self, client, data_dir, tmp_path):
        path = tmp_path / "agenda.csv"
        path.write_text("id;wijkcode;titel;voortgang\nWA-01;WK999901;Armoede;150\nWA-50;WK999902;Elders;10\n"
                        "WA-51;WK999901;Half", encoding="utf-8")
        answer = self.upload(client, path.read_bytes(), "agenda.csv")
        assert answer.status_code == 400
        shown = re.findall(r"<li>([^<]+)</li>", answer.get_data(as_text=True))
        with pytest.raises(LoadError) as cli:
            jobs.load_agenda(data_dir, path)       # the whole agenda: the wijk of WA-50 is no problem there
        expected = [str(p).replace(str(path), "agenda.csv").replace("'", "&#39;") for p in cli.value.problems]
        assert set(expected) < set(shown)
        assert any("this import is for wijk WK999901 only" in s for s in shown)

    def test_an_upload_that_would_undo_an_edit_names_it_and_vervang_wins(self, client, data_dir):
        old = client.get("/wijkagenda/WK999901.xlsx", headers=login("anna")).data
        add_update(client, voortgang="64", datum="2026-01-08")
        refused = self.upload(client, old, "oud.xlsx")
        assert refused.status_code == 400 and "changed in wijkbeeld by anna" in refused.get_data(as_text=True)
        won = self.upload(client, old, "oud.xlsx", vervang="ja")
        assert won.status_code == 200 and "WA-01: anna" in won.get_data(as_text=True)

    @staticmethod
    def upload(client, body: bytes, name: str, **options):
        form = {"csrf": token(client, "/wijkagenda/WK999901/inlezen"), "bestand": (io.BytesIO(body), name), **options}
        return client.post("/wijkagenda/WK999901/inlezen", headers=login("anna"), data=form,
                           content_type="multipart/form-data")


class TestRolesPage:
    def test_a_beheerder_gives_roles_within_their_scope(self, client, users_file):
        assert client.get("/beheer/rollen", headers=login("anna")).status_code == 403
        form = {"csrf": token(client, "/beheer/rollen", "chef"), "gebruiker": "anna",
                "rollen": "editor=WK999901,WK999902"}
        assert client.post("/beheer/rollen", headers=login("chef"), data=form).status_code == 200
        assert read_accounts(users_file)["anna"].roles.text() == "editor=WK999901,WK999902"
        assert client.get("/wijkagenda/WK999902", headers=login("anna")).status_code == 200    # at once
        too_much = client.post("/beheer/rollen", headers=login("chef"), data={**form, "rollen": "beheerder=*"})
        assert too_much.status_code == 403 and read_accounts(users_file)["anna"].roles.text() != "beheerder=*"


def test_the_public_app_has_no_agenda_pages(data_dir):
    client = create_app(Settings(data_dir=data_dir, audience="public")).server.test_client()
    for path in ("/wijkagenda", "/wijkagenda/WK999901", "/wijkagenda/punt/WA-01", "/wijkagenda/WK999901/nieuw",
                 "/wijkagenda.xlsx", "/wijkagenda/WK999901.xlsx", "/wijkagenda/historie.csv",
                 "/wijkagenda/WK999901/inlezen", "/beheer/rollen"):
        for method in ("GET", "POST"):
            assert client.open(path, method=method).status_code == 404, (method, path)


def test_the_users_file_keeps_old_lines_as_viewers(tmp_path):
    from dashboard.cli import main

    path = tmp_path / "users.txt"
    path.write_text(f"oud:{CHEAP}\n")
    assert main(["user", "rol", "oud", "--file", str(path), "--rol", "editor:WK999901"]) == 0
    assert read_accounts(path)["oud"].roles.text() == "viewer=* editor=WK999901"
    assert main(["user", "rol", "oud", "--file", str(path), "--weg", "viewer=*"]) == 0
    assert read_accounts(path)["oud"].roles.text() == "editor=WK999901"
    assert main(["user", "rol", "oud", "--file", str(path), "--rol", "schrijver:WK1"]) == 2
    assert read_accounts(path)["oud"].hash == CHEAP
