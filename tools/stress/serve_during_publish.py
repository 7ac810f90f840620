"""Serve the dashboard with gunicorn while publishing new versions: no request may fail, every answer comes
from one version.

    python -m tools.stress.serve_during_publish --data DIR --seconds 30
    python -m tools.stress.serve_during_publish --data DIR --publishes 5

``DIR`` is a data directory with a published version (``wijkbeeld demo --data-dir DIR``); the run works on a
copy of it in a temporary folder, so ``DIR`` is left as it is. gunicorn (2 workers) serves the staff app on a free
port of 127.0.0.1; a few client threads repaint the map (``/_dash-update-component``, the request the browser
sends when the indicator, year or level changes) and fetch the geometry URL each repaint names, while this process
loads a slightly changed kerncijfers file and publishes, again and again: for ``--seconds``, or ``--publishes``
times however long that takes. Between two publishes, and after the last, the clients make at least
``--requests-between`` requests, so every version is asked for, on a fast machine as on a busy one. Only 127.0.0.1
is contacted; the run is bounded in requests (``--max-requests``) and, against a hang, in time (``--timeout``).

Each publish plants a marker figure (the inhabitants of the gemeente) so a response tells which version's data
it holds. A response is consistent when the version in its ``X-Wijkbeeld-Version`` header, the versions in the
URLs it names (``/geometry/<version>/…``, ``/values/<version>/…``) and the version whose marker is in the values
all agree; every such URL is fetched right away, as the browser would, and must answer 200.
Exit status 0 when nothing failed and every response was consistent.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tools.stress.serving import HOST, UNLIMITED, callback_payload, free_port, start_gunicorn, stop

MAX_REQUESTS = 20_000
MARKER_BASE = 9_123_400           # inhabitants of the gemeente in publish k: MARKER_BASE + k
MARKER_INDICATOR, MARKER_LEVEL = "inwoners", "gemeente"
KERNCIJFERS_TABLE = "85984NED"
VERSIONED_URL = re.compile(r"^/(geometry|values)/([^/]+)/")
VIEW = {"indicator.value": MARKER_INDICATOR, "year.value": None, "level.value": MARKER_LEVEL,
        "scheme.value": "quantiles", "k.value": 5, "fixed.value": [], "selected.data": None,
        "map-layer.value": "indicator", "lang.data": "nl"}
OTHER_VIEWS = [{"indicator.value": i, "level.value": lv} for i in ("laag_inkomen", "inwoners", "eenzaam")
               for lv in ("buurt", "wijk")]


@dataclass
class Outcome:
    """What the clients saw."""

    requests: int = 0
    failures: list = field(default_factory=list)          # (what, status or error)
    inconsistent: list = field(default_factory=list)      # geometry URL of another version than the header's
    marker_responses: list = field(default_factory=list)  # what the repaints of the marker view held
    versions_answering: Counter = field(default_factory=Counter)
    without_header: int = 0
    file_fetches: int = 0










PAINT_OUTPUT = "paint-answer.data"   # dashboard.ids.PAINT_ANSWER


def repaint_dependency(port: int) -> dict:
    """The callback that paints the map (the browser sends it for a view it has not painted before): its answer
    holds the regions layer's ``url``, the paint and the legend."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/_dash-dependencies", timeout=30) as response:
        dependencies = json.loads(response.read())
    return next(d for d in dependencies if d["output"] == PAINT_OUTPUT)


class Publisher:
    """Loads a changed kerncijfers file and publishes; remembers which marker each version carries."""

    def __init__(self, data_dir: Path, work: Path):
        from etl.demo import DEMO_DIR

        self.data_dir, self.work = data_dir, work
        self.source = DEMO_DIR / "kerncijfers"
        self.payload = json.loads((self.source / f"{KERNCIJFERS_TABLE}_TypedDataSet.json").read_text())
        self.gemeente_row = next(i for i, row in enumerate(self.payload["value"])
                                 if row["WijkenEnBuurten"].strip().startswith("GM"))
        self.markers: dict[str, int | None] = {}
        self.seconds: list[float] = []
        self.count = 0

    def publish_once(self) -> str:
        from etl import jobs
        from etl.catalog import load_catalog
        from etl.publish import publish

        self.count += 1
        folder = self.work / f"kerncijfers-{self.count}"
        folder.mkdir()
        shutil.copy(self.source / f"{KERNCIJFERS_TABLE}_DataProperties.json", folder)
        payload = json.loads(json.dumps(self.payload))
        payload["value"][self.gemeente_row]["AantalInwoners_5"] = MARKER_BASE + self.count
        path = folder / f"{KERNCIJFERS_TABLE}_TypedDataSet.json"
        path.write_text(json.dumps(payload))
        started = time.monotonic()
        jobs.load_kerncijfers(self.data_dir, file=path)
        result = publish(self.data_dir, load_catalog(), progress=lambda message: None)
        self.seconds.append(time.monotonic() - started)
        self.markers[result.version] = MARKER_BASE + self.count
        return result.version


def markers_in(text: str) -> set[int]:
    """Marker figures in a text, written plainly (values) or with Dutch thousands dots (legend)."""
    pattern = r"(?<![\d.])(9\.?123\.?4\d\d)(?![\d])"
    return {int(m.replace(".", "")) for m in re.findall(pattern, text)}


def version_urls(value) -> list[str]:
    """Every versioned URL (``/geometry/<version>/…``, ``/values/<version>/…``) in a decoded JSON response."""
    if isinstance(value, str):
        return [value] if VERSIONED_URL.match(value) else []
    if isinstance(value, dict):
        return [u for v in value.values() for u in version_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in version_urls(v)]
    return []


def client(port: int, body_for, outcome: Outcome, lock: threading.Lock, done: threading.Event, budget,
           seed: int) -> None:
    """Repaint, then fetch every file the repaint names (as the browser does), until ``done`` or the budget ends."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(method: str, path: str, body: bytes | None = None):
        nonlocal connection
        try:
            headers = {"Content-Type": "application/json"} if body else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            return response.status, dict(response.getheaders()), data
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            return None, {}, repr(error).encode()

    def count(what: str, status, data: bytes) -> bool:
        with lock:
            outcome.requests += 1
            if status != 200:
                outcome.failures.append((what, status or data.decode(errors="replace")[:200]))
            return status == 200

    while not done.is_set():
        with lock:
            if next(budget, None) is None:
                break
        view = rng.choice([{}, {}, *OTHER_VIEWS])      # the marker view most of the time
        status, headers, data = request("POST", "/_dash-update-component", body_for(view))
        if not count("repaint", status, data):
            continue
        version = headers.get("X-Wijkbeeld-Version")
        try:
            urls = version_urls(json.loads(data))
        except ValueError:
            urls = []
        texts = [data.decode(errors="replace")]
        for url in urls:
            status, _, body = request("GET", url)
            if count(f"GET {url}", status, body):
                texts.append(body.decode(errors="replace"))
        checks = {"header": version, "urls": urls, "markers": sorted(set().union(*map(markers_in, texts))),
                  "view": view or "marker"}
        with lock:
            outcome.file_fetches += len(urls)
            outcome.versions_answering[version] += 1
            if version is None:
                outcome.without_header += 1
            if not urls or (version and any(VERSIONED_URL.match(u).group(2) != version for u in urls)):
                outcome.inconsistent.append(checks)
            if not view:
                outcome.marker_responses.append(checks)
    connection.close()


def run(data: Path, seconds: float | None = 30, clients: int = 4, max_requests: int = MAX_REQUESTS,
        progress=print, *, publishes: int | None = None, requests_between: int = 20, timeout: float = 600) -> dict:
    """Serve a copy of ``data`` and publish into it ``publishes`` times, or else for ``seconds``; returns the
    summary (see ``main``).

    Publishes are paced by requests, not by the clock: before each publish, and after the last, the clients make
    ``requests_between`` requests. ``timeout`` only ends a run that hangs (the summary says ``timed_out``).
    """
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-stress-") as temporary:
        work = Path(temporary)
        data_dir = work / "data"
        shutil.copytree(data, data_dir, symlinks=True)
        from etl.publish import current_version

        publisher = Publisher(data_dir, work)
        publisher.markers[current_version(data_dir)] = None
        port = free_port()
        progress(f"serve-during-publish: gunicorn (2 workers) on {HOST}:{port}, data copied to {data_dir}")
        server = start_gunicorn(data_dir, port, env=UNLIMITED)
        started = time.monotonic()
        give_up = started + timeout
        until = give_up if publishes is not None or seconds is None else min(give_up, started + seconds)
        try:
            outcome, timed_out = publish_under_load(port, publisher, clients=clients, max_requests=max_requests,
                                                    publishes=publishes, until=until,
                                                    requests_between=requests_between, give_up=give_up,
                                                    progress=progress)
        finally:
            log = stop(server)
    return summary(outcome, publisher, log) | {"timed_out": timed_out}


def publish_under_load(port: int, publisher: Publisher, *, clients: int = 4, max_requests: int = MAX_REQUESTS,
                       publishes: int | None = None, until: float | None = None, requests_between: int = 20,
                       give_up: float, progress=print, also=()) -> tuple[Outcome, bool]:
    """``clients`` threads repaint through 127.0.0.1:``port`` (gunicorn, or nginx in front of several) while
    ``publisher`` publishes ``publishes`` times, or else until the monotonic time ``until``; each publish waits for
    ``requests_between`` requests, and so does the end. ``also``: more callables, each run in a thread with the
    ``done`` event that ends the clients. Returns what the clients saw, and whether ``give_up`` ended the run."""
    outcome, lock, done = Outcome(), threading.Lock(), threading.Event()
    dependency = repaint_dependency(port)

    def body_for(view: dict) -> bytes:
        return json.dumps(callback_payload(dependency, VIEW | view)).encode()

    budget = iter(range(max_requests))
    threads = [threading.Thread(target=client, args=(port, body_for, outcome, lock, done, budget, n), daemon=True)
               for n in range(clients)]
    threads += [threading.Thread(target=more, args=(done,), daemon=True) for more in also]
    for thread in threads:
        thread.start()

    def requests_after(mark: int) -> None:
        """Wait until the clients have made ``requests_between`` more requests (or cannot make them)."""
        while (outcome.requests < mark + requests_between and time.monotonic() < give_up
               and any(thread.is_alive() for thread in threads)):
            time.sleep(0.02)

    try:
        requests_after(0)
        while (publisher.count < publishes) if publishes is not None else (time.monotonic() < until):
            if time.monotonic() >= give_up:
                break
            version = publisher.publish_once()
            progress(f"serve-during-publish: published {version} "
                     f"({outcome.requests} requests so far, {len(outcome.failures)} failed)")
            requests_after(outcome.requests)
        timed_out = time.monotonic() >= give_up
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    return outcome, timed_out


def summary(outcome: Outcome, publisher: Publisher, log: str) -> dict:
    """Requests, failures and the consistency of every answer with the version that gave it."""
    wrong_data = []
    for checks in outcome.marker_responses:
        if checks["header"] is None:
            continue
        expected = publisher.markers.get(checks["header"], "unknown version")
        found = checks["markers"]
        if expected == "unknown version" or found != ([expected] if expected else []):
            wrong_data.append(checks | {"expected marker": expected})
    return {
        "requests": outcome.requests,
        "file_fetches": outcome.file_fetches,
        "failures": len(outcome.failures),
        "failure_examples": outcome.failures[:5],
        "failures_by_kind": dict(Counter(f"{kind(what)} {status}" for what, status in outcome.failures)),
        "publishes": publisher.count,
        "versions_published": [str(version) for version in publisher.markers],
        "publish_seconds": [round(s, 2) for s in publisher.seconds],
        "versions_answering": {str(k): v for k, v in outcome.versions_answering.items()},
        "responses_without_version_header": outcome.without_header,
        "urls_missing_or_of_another_version": len(outcome.inconsistent),
        "data_not_of_answering_version": len(wrong_data),
        "inconsistent_examples": (outcome.inconsistent + wrong_data)[:5],
        "server_errors_logged": log.count("Traceback"),
    }


def kind(what: str) -> str:
    """``repaint``, ``GET /values``, ``GET /geometry``: what a failed request was."""
    return "/".join(what.split("/", 2)[:2]) if what.startswith("GET /") else what


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.stress.serve_during_publish", description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a data directory with a published version (copied)")
    parser.add_argument("--seconds", type=float, default=30, help="how long to serve and publish (default 30)")
    parser.add_argument("--publishes", type=int, help="publish this many times instead, however long it takes")
    parser.add_argument("--requests-between", type=int, default=20,
                        help="requests the clients make before each publish and after the last (default 20)")
    parser.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help=f"at most (default {MAX_REQUESTS})")
    parser.add_argument("--timeout", type=float, default=600, help="give up a run that hangs (default 600 s)")
    args = parser.parse_args(argv)
    if not (args.data / "published").is_symlink():
        parser.error(f"{args.data} has no published version (run: wijkbeeld demo --data-dir {args.data})")
    result = run(args.data, seconds=args.seconds, clients=args.clients, max_requests=args.max_requests,
                 publishes=args.publishes, requests_between=args.requests_between, timeout=args.timeout,
                 progress=lambda message: print(message, file=sys.stderr, flush=True))
    print(json.dumps(result, indent=1, default=str))
    bad = result["failures"] + result["urls_missing_or_of_another_version"] + result["data_not_of_answering_version"]
    return 1 if bad or result["responses_without_version_header"] or result["server_errors_logged"] \
        or result["timed_out"] else 0


if __name__ == "__main__":
    sys.exit(main())
