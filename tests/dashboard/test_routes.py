import gzip
import json
import os
from urllib.parse import urlencode

import pytest

from dashboard.urls import geometry_url


@pytest.fixture(scope="module")
def client(demo_data_dir):
    from dashboard.app import create_app
    from dashboard.settings import Settings

    return create_app(Settings(data_dir=demo_data_dir)).server.test_client()


@pytest.fixture(scope="module")
def version(demo_data_dir):
    return os.path.basename(os.readlink(demo_data_dir / "published"))


@pytest.fixture(scope="module")
def db_head(demo_data_dir):
    """The first bytes of each published DuckDB file: no response may ever contain them."""
    return [(demo_data_dir / "published" / name).read_bytes()[:64] for name in ("staff.duckdb", "public.duckdb")]


def features(body: bytes) -> list[dict]:
    return json.loads(body)["features"]


class TestGeometryRoute:
    def test_plain_when_gzip_is_not_asked(self, client, version):
        response = client.get(geometry_url(version, 2023, "buurt"), headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert response.mimetype == "application/geo+json"
        assert len(features(response.data)) == 50

    def test_gzip_when_asked_holds_the_same_json(self, client, version):
        url = geometry_url(version, 2023, "buurt")
        plain = client.get(url).data
        response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        assert len(response.data) < len(plain)
        assert json.loads(gzip.decompress(response.data)) == json.loads(plain)

    @pytest.mark.parametrize("level", ["gemeente", "wijk", "buurt"])
    def test_features_are_ordered_by_code_and_numbered(self, client, version, level):
        found = features(client.get(geometry_url(version, 2024, level)).data)
        codes = [f["properties"]["code"] for f in found]
        assert codes == sorted(codes)
        assert [f["properties"]["i"] for f in found] == list(range(len(found)))
        assert all(f["properties"]["name"] for f in found)

    @pytest.mark.parametrize("level", ["wijk", "buurt"])
    def test_a_gemeente_file_holds_its_own_regions_as_the_whole_file_has_them(self, client, version, level):
        """The same features, numbered as in the file of the whole level: the same figures paint both."""
        everything = features(client.get(geometry_url(version, 2024, level)).data)
        own = features(client.get(geometry_url(version, 2024, level, gemeente="GM9999")).data)
        assert own == [f for f in everything if f["properties"]["code"][2:6] == "9999"] and own
        assert client.get(geometry_url(version, 2024, level, gemeente="GM0001")).status_code == 404
        assert client.get(geometry_url(version, 2024, "gemeente", gemeente="GM9999")).status_code == 404

    @pytest.mark.parametrize("encoding", ["identity", "gzip"])
    def test_cached_forever_with_an_etag(self, client, version, encoding):
        response = client.get(geometry_url(version, 2023, "wijk"), headers={"Accept-Encoding": encoding})
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert response.headers["ETag"]
        assert "Accept-Encoding" in response.headers["Vary"]

    def test_staff_files_are_kept_by_browsers_only_public_files_by_any_cache(self, client, demo_data_dir, version):
        from dashboard.app import create_app
        from dashboard.settings import Settings

        public = create_app(Settings(data_dir=demo_data_dir, audience="public")).server.test_client()
        for url in (geometry_url(version, 2023, "wijk"), f"/values/{version}/nl/inwoners/2024/wijk.json",
                    f"/initiatieven/{version}.geojson"):
            assert client.get(url).headers["Cache-Control"].startswith("private, max-age=31536000"), url
            assert public.get(url).headers["Cache-Control"].startswith("public, max-age=31536000"), url

    @pytest.mark.parametrize("encoding", ["identity", "gzip"])
    def test_if_none_match_gives_304_that_keeps_the_caching_headers(self, client, version, encoding):
        url = geometry_url(version, 2023, "wijk")
        etag = client.get(url, headers={"Accept-Encoding": encoding}).headers["ETag"]
        response = client.get(url, headers={"If-None-Match": etag, "Accept-Encoding": encoding})
        assert response.status_code == 304 and response.data == b""
        assert response.headers["ETag"] == etag and "immutable" in response.headers["Cache-Control"]
        assert "Accept-Encoding" in response.headers["Vary"]
        other = client.get(url, headers={"If-None-Match": '"something-else"', "Accept-Encoding": encoding})
        assert other.status_code == 200 and other.headers.get("Content-Encoding") == (
            "gzip" if encoding == "gzip" else None)

    def test_plain_and_gzipped_files_have_their_own_etag(self, client, version):
        url = geometry_url(version, 2023, "wijk")
        plain, packed = (client.get(url, headers={"Accept-Encoding": e}).headers["ETag"] for e in ("identity", "gzip"))
        assert plain != packed and version in plain and version in packed
        assert client.get(url, headers={"If-None-Match": plain, "Accept-Encoding": "gzip"}).status_code == 200

    def test_gzip_refused_with_q0_gives_plain(self, client, version):
        response = client.get(geometry_url(version, 2023, "wijk"), headers={"Accept-Encoding": "gzip;q=0"})
        assert "Content-Encoding" not in response.headers

    def test_unknown_version(self, client):
        assert client.get(geometry_url("20000101T000000-deadbeef", 2023, "buurt")).status_code == 404

    def test_year_not_published(self, client, version):
        assert client.get(geometry_url(version, 1999, "buurt")).status_code == 404

    @pytest.mark.parametrize("name", [
        "staff.duckdb", "public.duckdb", "manifest.json", "2024-buurt.geojson.gz", "2024-provincie.geojson",
        "2024-buurt.geojson%00", "2024-buurt.geojson%0A", "2024-buurt.geojson%0A.gz", "24-buurt.geojson",
        "2024-BUURT.geojson",
    ])
    def test_bad_name_is_404_and_never_the_database(self, client, version, db_head, name):
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = client.get(f"/geometry/{version}/{name}", headers=headers)
            assert response.status_code == 404, name
            assert all(head not in response.data for head in db_head)

    TRAVERSAL = ["../staff.duckdb", "..%2Fstaff.duckdb", "%2e%2e%2fstaff.duckdb", "2024-buurt.geojson/../../x",
                 "2024-buurt.geojson/..%2F..%2Fstaff.duckdb", "../../published/staff.duckdb"]

    @pytest.mark.parametrize("name", TRAVERSAL)
    def test_traversal_never_serves_the_database_or_geometry(self, client, version, db_head, name):
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = client.get(f"/geometry/{version}/{name}", headers=headers)
            assert all(head not in response.data for head in db_head)
            assert response.mimetype != "application/geo+json"
            assert "Content-Encoding" not in response.headers

    @pytest.mark.parametrize("name", TRAVERSAL)
    def test_traversal_is_404(self, client, version, name):
        assert client.get(f"/geometry/{version}/{name}").status_code == 404

    @pytest.mark.parametrize("path", [
        "/geometry/../staff.duckdb", "/geometry/..%2Fpublished/staff.duckdb",
        "/geometry/{version}/../staff.duckdb", "/geometry/{version}/..", "/geometry/published/2024-buurt.geojson",
        "/geometry/versions/2024-buurt.geojson", "/geometry/{version}%2F..%2F{version}/2024-buurt.geojson",
        "/published/staff.duckdb", "/versions/{version}/staff.duckdb", "/staff.duckdb",
    ])
    def test_bad_paths_never_serve_the_database(self, client, version, db_head, path):
        response = client.get(path.format(version=version))
        assert response.status_code in (404, 405, 308) or not response.data.startswith(b"\x00")
        assert all(head not in response.data for head in db_head)


class TestInitiativesRoute:
    @pytest.fixture(scope="class")
    def data(self, client):
        return client.application.config["WIJKBEELD_DATA"]

    def located(self, data):
        return [r for r in data.rows("initiatives") if r["lat"] is not None and r["lon"] is not None]

    def test_all_themes_and_statuses_give_every_located_initiative(self, client, data):
        from dashboard import views

        themes, statuses = views.initiative_choices(data)
        response = client.get(views.initiatives_url(data, themes, statuses))
        assert response.status_code == 200 and response.mimetype == "application/geo+json"
        found = features(response.data)
        assert sorted(f["properties"]["id"] for f in found) == sorted(r["id"] for r in self.located(data))
        assert "immutable" in response.headers["Cache-Control"]

    def test_one_theme_and_one_status(self, client, data):
        from dashboard import views

        themes, statuses = views.initiative_choices(data)
        for theme in themes:
            found = features(client.get(views.initiatives_url(data, [theme], statuses)).data)
            assert {f["properties"]["theme"] for f in found} == {theme}
            assert len(found) == sum(r["theme"] == theme for r in self.located(data))
        found = features(client.get(views.initiatives_url(data, themes, [statuses[0]])).data)
        assert found and {f["properties"]["status"] for f in found} == {statuses[0]}

    def test_of_one_gemeente_those_whose_buurt_or_wijk_lies_in_it(self, client, data):
        """While the map shows one gemeente on its own; a code that is no gemeente on the map gives them all."""
        from dashboard import views

        themes, statuses = views.initiative_choices(data)
        own = features(client.get(views.initiatives_url(data, themes, statuses, "GM9999")).data)
        inside = [r for r in self.located(data) if (r["buurt_code"] or r["wijk_code"] or "")[2:6] == "9999"]
        assert inside and sorted(f["properties"]["id"] for f in own) == sorted(r["id"] for r in inside)
        for other in ("GM0001", "BU99990101", "' OR 1=1 --"):
            url = views.initiatives_url(data, themes, statuses, other)
            assert "gemeente" not in url
            assert len(features(client.get(url).data)) == len(self.located(data))
            found = features(client.get(views.initiatives_url(data, themes, statuses) + "&" + urlencode({"gemeente": other})).data)
            assert len(found) == len(self.located(data)), other

    def test_nothing_chosen_or_unknown_values_give_no_points(self, client, version):
        for query in ("", "?thema=onbekend&status=loopt", "?thema=%00&status=' OR 1=1 --", "?thema=armoede"):
            response = client.get(f"/initiatieven/{version}.geojson{query}")
            assert response.status_code == 200 and features(response.data) == [], query

    def test_gzip_when_asked_holds_the_same_json(self, client, data):
        from dashboard import views

        url = views.initiatives_url(data, *views.initiative_choices(data))
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in plain.headers and packed.headers["Content-Encoding"] == "gzip"
        assert json.loads(gzip.decompress(packed.data)) == json.loads(plain.data)

    @pytest.mark.parametrize("version_text", ["20000101T000000-deadbeef", "..", "staff", "%2e%2e"])
    def test_unknown_version_is_404(self, client, db_head, version_text):
        response = client.get(f"/initiatieven/{version_text}.geojson?thema=armoede")
        assert response.status_code == 404
        assert all(head not in response.data for head in db_head)

    def test_the_public_app_gives_only_public_initiatives(self, demo_data_dir, tmp_path):
        import shutil

        import duckdb

        from dashboard import views
        from dashboard.app import create_app
        from dashboard.settings import Settings

        copy = tmp_path / "staff.duckdb"
        shutil.copy(demo_data_dir / "published" / "staff.duckdb", copy)
        with duckdb.connect(str(copy), read_only=True) as con:
            located = dict(con.execute("SELECT id, public FROM initiatives "
                                       "WHERE lat IS NOT NULL AND lon IS NOT NULL").fetchall())
        public = create_app(Settings(data_dir=demo_data_dir, audience="public"))
        data = public.server.config["WIJKBEELD_DATA"]
        found = features(public.server.test_client().get(
            views.initiatives_url(data, *views.initiative_choices(data))).data)
        shown = {f["properties"]["id"] for f in found}
        assert shown == {i for i, is_public in located.items() if is_public}
        assert shown and shown < set(located)


class TestValuesRoute:
    """The figures for tooltips and the table: one file per indicator, year, level and language."""

    def test_gzip_when_asked_holds_the_same_json_for_every_request(self, client, version):
        url = f"/values/{version}/nl/inwoners/2024/buurt.json"
        plain = [client.get(url, headers={"Accept-Encoding": "identity"}) for _ in range(2)]
        packed = [client.get(url, headers={"Accept-Encoding": "gzip"}) for _ in range(2)]
        assert all(r.status_code == 200 and "Content-Encoding" not in r.headers for r in plain)
        assert all(r.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in r.headers["Vary"] for r in packed)
        figures = json.loads(plain[0].data)
        assert figures["labels"] and all(json.loads(gzip.decompress(r.data)) == figures for r in packed)
        assert json.loads(plain[1].data) == figures

    def test_the_worker_keeps_the_file_encoded(self, client, version):
        """What the memo keeps is the answer's bytes, not the figures to encode again for every request."""
        data = client.application.config["WIJKBEELD_DATA"]
        client.get(f"/values/{version}/en/inwoners/2024/wijk.json")
        raw, packed = data.memo(("values", "en", "inwoners", 2024, "wijk"), lambda: pytest.fail("not kept"))
        assert isinstance(raw, bytes) and gzip.decompress(packed) == raw

    @pytest.mark.parametrize("path", ["nl/onbekend/2024/buurt.json", "xx/inwoners/2024/buurt.json",
                                      "nl/inwoners/1999/buurt.json", "nl/inwoners/2024/land.json"])
    def test_unknown_figures_are_404(self, client, version, path):
        assert client.get(f"/values/{version}/{path}").status_code == 404
