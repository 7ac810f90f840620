"""The Locatieserver client on recorded answers, and against local test servers: a good one, a slow one and a
failing one (127.0.0.1, each stops by itself after a bounded number of requests)."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.locatieserver import (AddressSearchUnavailable, Locatieserver, Place, Suggestion, parse_lookup,
                                     parse_suggest)

RECORDED = Path(__file__).with_name("locatieserver")


def recorded(name: str) -> dict:
    return json.loads((RECORDED / name).read_text())


class TestParseRecordedAnswers:
    def test_suggest(self):
        assert parse_suggest(recorded("suggest-utrecht.json")) == [
            Suggestion("gem-df0ca8ab37eccea5217e2a13f74d2833", "Gemeente Utrecht", "gemeente"),
            Suggestion("wpl-d7676180b7f172bcb7356429b19563a5", "Utrecht, Utrecht, Utrecht", "woonplaats")]

    def test_lookup_of_an_address_has_its_buurt_and_wijk(self):
        assert parse_lookup(recorded("lookup-schiphol-adres.json")) == Place(
            "Evert van de Beekstraat 202, 1118CP Schiphol", "BU03941663", "WK039416", 52.30389723, 4.74790756)

    def test_lookup_of_a_postcode_has_only_a_centroid(self):
        place = parse_lookup(recorded("lookup-schiphol-postcode.json"))
        assert place.buurtcode is None and (place.lat, place.lon) == (52.3031994, 4.74654356)

    def test_lookup_without_codes(self):
        place = parse_lookup(recorded("lookup-utrecht-adres.json"))
        assert place.buurtcode is None and place.wijkcode is None and place.label.startswith("Europalaan 93")

    def test_an_empty_answer_and_a_foreign_one(self):
        assert parse_lookup({"response": {"numFound": 0, "start": 0, "docs": []}}) is None
        with pytest.raises(AddressSearchUnavailable):
            parse_suggest({"error": "nope"})


class Recorded(BaseHTTPRequestHandler):
    """Answers suggest and lookup from the recorded files; ``mode`` slow or failing on the server."""

    def do_GET(self):  # noqa: N802
        self.server.paths.append(self.path)
        mode = self.server.mode
        if mode == "slow":
            time.sleep(3)
        if mode == "failing":
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b"<html>Service Unavailable</html>")
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path.endswith("/suggest"):
            body = (RECORDED / "suggest-voorbeeldstad.json").read_bytes()
        elif url.path.endswith("/lookup") and query.get("id") == ["adr-00000000000000000000000000009999"]:
            body = (RECORDED / "lookup-voorbeeldstad-adres.json").read_bytes()
        elif url.path.endswith("/lookup"):
            body = json.dumps({"response": {"numFound": 0, "start": 0, "docs": []}}).encode()
        else:
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve_recorded(mode: str = "ok", max_requests: int = 200, seconds: float = 300):
    """A Locatieserver on 127.0.0.1 that stops by itself after ``max_requests`` or ``seconds``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    server.mode, server.paths, server.daemon_threads = mode, [], True
    server.timeout = 0.2

    def loop():
        deadline = time.monotonic() + seconds
        while len(server.paths) < max_requests and time.monotonic() < deadline and not server.stopped:
            server.handle_request()
        server.server_close()

    server.stopped = False
    threading.Thread(target=loop, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/bzk/locatieserver/search/v3_1"


@pytest.fixture
def locatieserver():
    servers = []

    def start(mode="ok"):
        server, url = serve_recorded(mode)
        servers.append(server)
        return server, url

    yield start
    for server in servers:
        server.stopped = True


class TestClient:
    def test_suggest_then_lookup(self, locatieserver):
        server, url = locatieserver()
        client = Locatieserver(url)
        found = client.suggest("kadestraat 12")
        assert found[0] == Suggestion("adr-00000000000000000000000000009999", "Kadestraat 12, 9999AB Voorbeeldstad",
                                      "adres")
        place = client.lookup(found[0].id)
        assert (place.buurtcode, place.wijkcode) == ("BU99990101", "WK999901")
        suggest_query = parse_qs(urlsplit(server.paths[0]).query)
        assert suggest_query["q"] == ["kadestraat 12"] and "adres" in suggest_query["fq"][0]

    def test_a_malformed_id_is_never_sent(self, locatieserver):
        server, url = locatieserver()
        assert Locatieserver(url).lookup("../../admin") is None
        assert server.paths == []

    def test_a_slow_server_costs_at_most_the_timeout_then_pauses(self, locatieserver):
        server, url = locatieserver("slow")
        client = Locatieserver(url, timeout=0.5, pause=30)
        started = time.monotonic()
        with pytest.raises(AddressSearchUnavailable):
            client.suggest("kadestraat")
        assert time.monotonic() - started < 2.5, "the 0.5 s timeout, not the 3 s answer"
        with pytest.raises(AddressSearchUnavailable):
            client.suggest("kadestraat")
        assert len(server.paths) == 1, "paused: not asked again"

    def test_a_failing_server(self, locatieserver):
        _, url = locatieserver("failing")
        with pytest.raises(AddressSearchUnavailable):
            Locatieserver(url).suggest("kadestraat")

    def test_nobody_listening(self):
        with pytest.raises(AddressSearchUnavailable):
            Locatieserver("http://127.0.0.1:9/v3_1", timeout=0.5).suggest("kadestraat")
