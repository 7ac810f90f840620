"""Fixtures shared by the ETL tests."""
from __future__ import annotations

import pytest

class ODataServer:
    """A local stand-in for a CBS OData service: canned answers per path, every request recorded.

    ``route(path, body, status=200)`` answers ``path`` (with its query, or any query when the path has none);
    ``answer(path, function)`` answers ``path`` with any query by ``function(path_with_query) -> (status, body)``;
    anything else is a 404. ``base`` is ``http://127.0.0.1:<port>``. ``fail_from = n`` makes the server fail from
    its n-th request on (``fail_how``: ``"500"``, or ``"drop"`` to close the connection without an answer), as a
    service that goes down half-way; ``None`` makes it healthy again.
    """

    def __init__(self):
        import http.server
        import threading

        self.routes: dict[str, tuple[int, bytes]] = {}
        self.answers: dict = {}
        self.requests: list[tuple[str, dict]] = []
        self.fail_from: int | None = None
        self.fail_how = "500"
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests.append((self.path, dict(self.headers)))
                if server.fail_from is not None and len(server.requests) >= server.fail_from:
                    if server.fail_how == "drop":
                        self.close_connection = True
                        return
                    status, body = 500, b'{"odata.error": "internal server error"}'
                elif self.path.split("?")[0] in server.answers:
                    status, body = server.answers[self.path.split("?")[0]](self.path)
                else:
                    status, body = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0]) \
                        or (404, b'{"odata.error": "not found"}')
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()

    def route(self, path: str, body, status: int = 200) -> str:
        import json

        if not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        self.routes[path] = (status, body)
        return self.base + path

    def answer(self, path: str, function) -> str:
        self.answers[path] = function
        return self.base + path

    def pages(self, path: str, rows: list[dict], page_size: int, metadata: str = "") -> list[str]:
        """Serve ``rows`` at ``path`` as v3 pages linked by ``odata.nextLink``; returns the page URLs."""
        chunks = [rows[start:start + page_size] for start in range(0, len(rows), page_size)] or [[]]
        plain = path.split("?")[0]
        urls = []
        for number, chunk in enumerate(chunks):
            body = {"odata.metadata": metadata or f"{self.base}/ODataFeed/OData/x/$metadata#TypedDataSet",
                    "value": chunk}
            if number + 1 < len(chunks):
                body["odata.nextLink"] = f"{self.base}{plain}?$skiptoken={(number + 1) * page_size}"
            urls.append(self.route(path if number == 0 else f"{plain}?$skiptoken={number * page_size}", body))
        return urls

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def odata_server():
    """A local OData server on 127.0.0.1 (port 0): nothing in the ETL tests goes to the real network."""
    server = ODataServer()
    yield server
    server.close()

