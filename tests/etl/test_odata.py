"""The CBS OData client, against a local server: paging, envelopes, failures. Nothing goes to the real network."""
from __future__ import annotations

import socket

import pytest

from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.sources import odata
from etl.sources.kerncijfers import fetch_kerncijfers

FEED = "/ODataFeed/odata/85984NED/TypedDataSet"
PROPERTIES = "/ODataApi/odata/85984NED/DataProperties"


def region_rows(count: int) -> list[dict]:
    """Rows as CBS sends them: padded region keys, one value column."""
    codes = ["NL00", "GM0150"] + [f"WK0150{n:02d}" for n in range(3)] + [f"BU015000{n:02d}" for n in range(count)]
    return [{"ID": number, "WijkenEnBuurten": code.ljust(10), "AantalInwoners_5": 100 + number}
            for number, code in enumerate(codes[:count])]


class TestRegionsFilter:
    def test_each_gemeente_its_wijken_and_buurten_and_the_netherlands(self):
        text = odata.regions_filter("WijkenEnBuurten", ["GM0150", "GM0177"])
        assert text.split(" or ") == [f"startswith(WijkenEnBuurten,'{p}')" for p in
                                      ("GM0150", "WK0150", "BU0150", "GM0177", "WK0177", "BU0177", "NL")]

    @pytest.mark.parametrize("code", ["GM0150') or true or ('", "GM015", "BU01500101", ""])
    def test_anything_but_a_gemeente_code_is_refused(self, code):
        with pytest.raises(ValueError, match="not a gemeente code"):
            odata.regions_filter("WijkenEnBuurten", [code])

    def test_the_property_is_a_name(self):
        with pytest.raises(ValueError):
            odata.regions_filter("WijkenEnBuurten eq 'x' or x", ["GM0150"])

    def test_with_an_age_group_both_hold(self):
        assert odata.all_of("Leeftijd eq '20300'", odata.regions_filter("WijkenEnBuurten", ["GM0150"])) \
            .startswith("(Leeftijd eq '20300') and (startswith(WijkenEnBuurten,'GM0150') or ")


class TestUrls:
    def test_typed_dataset_url(self):
        assert odata.typed_dataset_url("https://opendata.cbs.nl", "85984NED") == \
            "https://opendata.cbs.nl/ODataFeed/odata/85984NED/TypedDataSet"

    def test_data_properties_url(self):
        assert odata.data_properties_url("https://opendata.cbs.nl/", "85984NED") == \
            "https://opendata.cbs.nl/ODataApi/odata/85984NED/DataProperties"

    def test_bases_from_environment(self, monkeypatch):
        monkeypatch.delenv("WIJKBEELD_CBS_ODATA_URL", raising=False)
        monkeypatch.delenv("WIJKBEELD_CBS_DATADERDEN_URL", raising=False)
        assert odata.kerncijfers_base() == "https://opendata.cbs.nl"
        assert odata.dataderden_base() == "https://dataderden.cbs.nl"
        monkeypatch.setenv("WIJKBEELD_CBS_ODATA_URL", "http://127.0.0.1:1/")
        monkeypatch.setenv("WIJKBEELD_CBS_DATADERDEN_URL", "http://127.0.0.1:2")
        assert odata.kerncijfers_base() == "http://127.0.0.1:1"
        assert odata.dataderden_base() == "http://127.0.0.1:2"


class TestFetchRows:
    def test_follows_next_links_and_reads_every_row_once(self, odata_server):
        rows = region_rows(7)
        urls = odata_server.pages(FEED, rows, page_size=3)
        assert len(urls) == 3
        messages = []
        fetched = odata.fetch_rows(urls[0], progress=messages.append)
        assert [row["ID"] for row in fetched] == list(range(7))
        assert [path for path, _ in odata_server.requests] == [url[len(odata_server.base):] for url in urls]
        assert messages == ["85984NED: 3 rows …", "85984NED: 6 rows …", "85984NED: 7 rows"]

    def test_sends_the_user_agent(self, odata_server):
        url = odata_server.route(FEED, {"value": []})
        odata.fetch_rows(url)
        assert odata_server.requests[0][1]["User-Agent"] == "wijkbeeld"

    def test_accepts_a_bare_list(self, odata_server):
        url = odata_server.route(PROPERTIES, [{"Key": "AantalInwoners_5"}])
        assert odata.fetch_rows(url) == [{"Key": "AantalInwoners_5"}]

    def test_a_link_back_to_a_read_page_stops(self, odata_server):
        url = odata_server.route(FEED, {"value": [{"ID": 1}], "odata.nextLink": odata_server.base + FEED})
        with pytest.raises(LoadError, match="already read"):
            odata.fetch_rows(url)

    def test_an_answer_without_value_is_an_error(self, odata_server):
        url = odata_server.route(FEED, {"odata.error": {"message": "oops"}})
        with pytest.raises(LoadError) as caught:
            odata.fetch_rows(url)
        assert caught.value.problems[0].file == url

    def test_the_fetch_function_can_be_replaced(self):
        pages = {"a": {"value": [{"ID": 1}], "odata.nextLink": "b"}, "b": {"value": [{"ID": 2}]}}
        assert odata.fetch_rows("a", get=pages.__getitem__) == [{"ID": 1}, {"ID": 2}]


class TestFailures:
    def test_not_found_names_the_url(self, odata_server):
        url = odata_server.base + "/ODataFeed/odata/00000XXX/TypedDataSet"
        with pytest.raises(LoadError, match="HTTP 404") as caught:
            odata.get_json(url)
        assert caught.value.problems[0].file == url
        assert url in str(caught.value)

    def test_a_closed_port_names_the_url(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/ODataApi/odata/85984NED/DataProperties"
        with pytest.raises(LoadError, match="download failed") as caught:
            odata.get_json(url, timeout=5)
        assert url in str(caught.value)

    def test_invalid_json_names_the_url(self, odata_server):
        url = odata_server.route(FEED, b'{"value": [{"ID": 1}, ')
        with pytest.raises(LoadError, match="not valid JSON") as caught:
            odata.fetch_rows(url)
        assert caught.value.problems[0].file == url

    def test_a_failed_page_stops_the_fetch(self, odata_server):
        url = odata_server.route(FEED, {"value": [{"ID": 1}], "odata.nextLink": odata_server.base + "/gone"})
        with pytest.raises(LoadError, match="HTTP 404") as caught:
            odata.fetch_rows(url)
        assert caught.value.problems[0].file == odata_server.base + "/gone"


class TestFetchKerncijfers:
    def test_pages_through_the_local_service(self, odata_server, monkeypatch):
        monkeypatch.setenv("WIJKBEELD_CBS_ODATA_URL", odata_server.base)
        odata_server.route(PROPERTIES, {"odata.metadata": "x", "value": [
            {"Type": "GeoDetail", "Key": "WijkenEnBuurten", "Title": "Wijken en buurten", "MapYear": 2024},
            {"Type": "Topic", "Key": "AantalInwoners_5", "Title": "Aantal inwoners", "Unit": "aantal"},
        ]})
        rows = region_rows(8)
        odata_server.pages(FEED, rows, page_size=3)
        messages = []
        batch, provenance = fetch_kerncijfers("85984NED", load_catalog(), progress=messages.append)

        observations = batch.observations
        assert len(observations) == 8
        assert observations["code"].is_unique
        assert set(observations["code"]) == {row["WijkenEnBuurten"].strip() for row in rows}
        assert observations.set_index("code").loc["BU01500001", "value"] == 106
        assert set(observations["year"]) == {2024}
        assert provenance["url"].startswith(odata_server.base + FEED)
        assert "$select=ID,WijkenEnBuurten,AantalInwoners_5" in provenance["url"]
        assert provenance["sha256"] == odata.rows_sha256(rows)
        assert messages[-1] == "85984NED: 8 rows"
        assert all(path.startswith(("/ODataApi/", "/ODataFeed/")) for path, _ in odata_server.requests)

    def test_a_missing_table_names_the_url(self, odata_server, monkeypatch):
        monkeypatch.setenv("WIJKBEELD_CBS_ODATA_URL", odata_server.base)
        with pytest.raises(LoadError, match="HTTP 404") as caught:
            fetch_kerncijfers("85984NED", load_catalog())
        assert caught.value.problems[0].file == odata_server.base + PROPERTIES


@pytest.mark.shared
class TestRealEnvelope:
    def test_woonplaatsen_typed_dataset(self, shared_cbs, odata_server):
        body = (shared_cbs / "odata" / "84489NED_TypedDataSet_woonplaatsen_2019.json").read_bytes()
        url = odata_server.route("/ODataFeed/odata/84489NED/TypedDataSet", body)
        rows = odata.fetch_rows(url)
        assert len(rows) == 2500
        assert rows[0]["Woonplaatscode_1"] == "WP1925    "
        assert b"S\\u00fadwest-Frysl\\u00e2n" in body            # escaped on the wire, decoded here
        assert "Súdwest-Fryslân" in {row["Naam_2"].strip() for row in rows}
        deventer = {row["Woonplaatsen"]: row["Code_3"].strip() for row in rows if row["Naam_2"].strip() == "Deventer"}
        assert {"WP2854", "WP2855"} <= set(deventer)          # names are no keys
        assert set(deventer.values()) == {"GM0150"}
