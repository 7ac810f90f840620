"""HTTP from a chosen loopback address (Linux routes all of 127/8 to lo, so 127.0.0.2, 127.0.0.3, … are
different clients to nginx and gunicorn), and bursts of requests counted by status."""
from __future__ import annotations

import http.client
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Answer:
    status: int
    headers: dict            # lower-case names; repeated headers joined with ", "
    body: bytes

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


def read(response: http.client.HTTPResponse) -> Answer:
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return Answer(response.status, headers, response.read())


def fetch(port: int, path: str, *, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
          source: str = HOST, timeout: float = 60) -> Answer:
    """One request on a new connection from ``source``."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return read(connection.getresponse())
    finally:
        connection.close()


def callback(port: int, body: bytes, *, source: str = HOST, headers: dict | None = None) -> Answer:
    return fetch(port, "/_dash-update-component", method="POST", body=body, source=source,
                 headers={"Content-Type": "application/json", **(headers or {})})


@dataclass
class Burst:
    statuses: Counter = field(default_factory=Counter)
    retry_after: set = field(default_factory=set)     # Retry-After of the 429 answers
    errors: list = field(default_factory=list)        # failed connections
    seconds: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses[200]


def burst(port: int, body: bytes, *, source: str, requests: int = 40, threads: int = 8, xff=None) -> Burst:
    """``requests`` callbacks from one client address, from ``threads`` connections at once. ``xff(i)`` gives the
    X-Forwarded-For header the client claims on request ``i`` (a spoof), or None for none."""
    outcome, lock = Burst(), threading.Lock()
    numbers = iter(range(requests))

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=60, source_address=(source, 0))
        while True:
            with lock:
                i = next(numbers, None)
            if i is None:
                break
            headers = {"Content-Type": "application/json"}
            if xff is not None:
                headers["X-Forwarded-For"] = xff(i)
            try:
                connection.request("POST", "/_dash-update-component", body=body, headers=headers)
                answer = read(connection.getresponse())
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                with lock:
                    outcome.errors.append(repr(error))
                continue
            with lock:
                outcome.statuses[answer.status] += 1
                if answer.status == 429:
                    outcome.retry_after.add(answer.header("retry-after"))
        connection.close()

    started = time.monotonic()
    workers = [threading.Thread(target=client, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    outcome.seconds = time.monotonic() - started
    return outcome
