"""The public site as a municipality runs it: ``wijkbeeld serve --public`` (gunicorn) behind nginx with the shipped
``deploy/nginx/wijkbeeld.conf`` (rendered for 127.0.0.1 by tools/nginx.py), under 64 concurrent clients.

Four figures each with requests/s, p50/p95 and errors: the versioned files (geometry, figures, initiatives, from
nginx's cache once warm) and the map's paint callback, each alone, and both at once (32 + 32 clients) while new
versions are published (the ordinary ``wijkbeeld etl initiatives`` and ``wijkbeeld publish`` commands, as the
nightly job runs them). The clients run in several processes, so Python's GIL in the client does not set the
pace; they share the machine's cores with nginx and gunicorn, as every figure of this bench does.

The site's per-client limits (20/s, burst 60 in the shipped file) are lifted for the measurement: 64 clients from
one address would otherwise be one client, limited by design. Only 127.0.0.1 is contacted; every load test is
bounded in time and in requests.

    python -m bench.behind_nginx --data DIR [--seconds S]      # DIR: a data directory with a published version
"""
from __future__ import annotations

import argparse
import csv
import http.client
import json
import multiprocessing
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.nginx import Nginx, Rendering
from tools.stress.serve_during_publish import VIEW, callback_payload, repaint_dependency, version_urls
from tools.stress.serving import HOST, UNLIMITED, free_port, start_server, stop

REPO = Path(__file__).resolve().parents[1]
CLIENTS = 64
PROCESSES = 4                 # client processes; CLIENTS / PROCESSES threads each
MAX_REQUESTS = 1_000_000      # per load test, all clients together
NO_LIMIT = 1_000_000          # nginx's limit_req rate and burst for the measurement
LEAD_SECONDS = 6              # for the client processes to start (spawn) before a load test's clock runs
GZIP = {"Accept-Encoding": "gzip"}


# ---------------------------------------------------------------------------------------- clients

def _client_process(port: int, requests: list, start_at: float, seconds: float, threads: int, budget: int,
                    stop, queue, pause: tuple[float, float] | None = None) -> None:
    """Threads sending ``requests`` (kind, method, path, body) round-robin from ``start_at`` (time.time()) until
    ``seconds`` have passed, ``stop`` is set or the budget ends; back to back, or each pausing a random time
    within ``pause`` (seconds) after every answer, as a person does between one choice and the next."""
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    numbers = iter(range(budget))
    pacing = random.Random()
    time.sleep(max(0.0, start_at - time.time()))
    stop_at = time.monotonic() + seconds

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        k = offset
        if pause:   # people do not start together
            time.sleep(pacing.uniform(0, pause[1]))
        while time.monotonic() < stop_at and not (stop is not None and stop.is_set()):
            with lock:
                if next(numbers, None) is None:
                    break
            kind, method, path, body = requests[k % len(requests)]
            k += 1
            headers = {**GZIP, **({"Content-Type": "application/json"} if body else {})}
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                status = repr(error)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.setdefault(kind, []).append(elapsed)
                else:
                    errors.append(f"{kind} {path[:80]}: {status}")
            if pause:
                time.sleep(min(pacing.uniform(*pause), max(0.0, stop_at - time.monotonic())))
        connection.close()

    workers = [threading.Thread(target=client, args=(i * 7,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    queue.put({"kinds": sorted({kind for kind, *_ in requests}), "latencies": latencies, "errors": errors,
               "ended": time.time(), "budget_used": next(numbers, None) is None})


def load(port: int, groups: dict[str, list], seconds: float, clients: int = CLIENTS,
         max_requests: int = MAX_REQUESTS, stop=None, start_at: float | None = None,
         pause: tuple[float, float] | None = None) -> dict:
    """``clients`` clients, split evenly over ``groups`` (kind → requests) and over PROCESSES processes, all
    starting together, for ``seconds`` (or until ``stop``, a multiprocessing Event, is set) and at most
    ``max_requests``, back to back or pausing (``pause``: see _client_process); per kind: requests, requests/s,
    p50 and p95 in ms, errors."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    per_group = clients // len(groups)
    per_process = max(1, PROCESSES // len(groups))
    plan = [(requests, per_group // per_process + (1 if p < per_group % per_process else 0))
            for requests in groups.values() for p in range(per_process)]
    # every process started before the clock runs
    start_at = start_at or time.time() + LEAD_SECONDS
    processes = [context.Process(target=_client_process, args=(port, requests, start_at, seconds, threads,
                                                               max_requests // len(plan), stop, queue, pause))
                 for requests, threads in plan]
    for process in processes:
        process.start()
    results = [queue.get(timeout=start_at - time.time() + seconds + 300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    out = {}
    for kind in groups:
        mine = [r for r in results if kind in r["kinds"]]
        wall = max(r["ended"] for r in mine) - start_at
        times = sorted(t for r in results for t in r["latencies"].get(kind, []))
        errors = [e for r in results for e in r["errors"] if e.startswith(f"{kind} ")]

        def pick(q: float, times=times):
            return round(1000 * times[min(len(times) - 1, int(q * len(times)))], 2) if times else None

        out[kind] = {"requests": len(times), "requests_per_s": round(len(times) / wall, 1), "p50_ms": pick(0.50),
                     "p95_ms": pick(0.95), "errors": len(errors), "error_examples": errors[:3],
                     "clients": per_group, "seconds": round(wall, 2),
                     "stopped_by_request_bound": any(r["budget_used"] for r in mine)}
    return out


# ---------------------------------------------------------------------------------------- what the clients ask

def callback_requests(port: int, combos: list[tuple[str, int]]) -> list:
    """The public app's paint callback (what the browser sends on a change to a view it has not painted) for every
    indicator-year at buurt level."""
    dependency = repaint_dependency(port)
    return [("callback", "POST", "/_dash-update-component",
             json.dumps(callback_payload(dependency, VIEW | {"indicator.value": indicator, "year.value": year,
                                                             "level.value": "buurt"})).encode())
            for indicator, year in combos]


def file_requests(port: int, callbacks: list, most: int = 40) -> list:
    """The versioned files the callbacks name (geometry and figures), and the initiatives file."""
    urls: set[str] = set()
    version = None
    for _, _, path, body in callbacks[:most]:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if response.status == 200:
            version = response.getheader("X-Wijkbeeld-Version") or version
            urls.update(version_urls(json.loads(data)))
    if version:
        urls.add(f"/initiatieven/{version}.geojson")
    return [("files", "GET", url, None) for url in sorted(urls)]


def warm(port: int, requests: list) -> None:
    """One fetch of every file, so the load test measures nginx's cache."""
    for _, method, path, body in requests:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        connection.request(method, path, body=body, headers=GZIP)
        connection.getresponse().read()
        connection.close()


# ---------------------------------------------------------------------------------------- publishing meanwhile

class Publishing(threading.Thread):
    """Loads a changed copy of the initiatives file and publishes, ``times`` times, each as its own ``wijkbeeld``
    process (what the nightly job does)."""

    def __init__(self, data_dir: Path, initiatives: Path, work: Path, times: int, done, start_at: float):
        super().__init__(daemon=True)
        self.data_dir, self.initiatives, self.work, self.times = data_dir, initiatives, work, times
        self.done, self.start_at = done, start_at
        self.seconds: list[float] = []
        self.versions: list[str] = []
        self.error: str | None = None

    def changed_copy(self, k: int) -> Path:
        with open(self.initiatives, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle, delimiter=_delimiter(self.initiatives)))
        column = rows[0].index("naam") if "naam" in rows[0] else 1
        rows[1][column] = f"{rows[1][column]} ({k})"     # a new source, so publish makes a new version
        path = self.work / f"initiatieven-{k}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, delimiter=_delimiter(self.initiatives)).writerows(rows)
        return path

    def run(self) -> None:
        time.sleep(max(0.0, self.start_at - time.time()))
        try:
            for k in range(1, self.times + 1):
                started = time.monotonic()
                for command in (["etl", "initiatives", "--file", str(self.changed_copy(k))], ["publish"]):
                    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "--data-dir", str(self.data_dir),
                                           *command], capture_output=True, text=True, cwd=REPO, timeout=1800)
                    if done.returncode != 0:
                        raise RuntimeError(f"{' '.join(command)}: {done.stderr[-2000:]}")
                self.seconds.append(round(time.monotonic() - started, 2))
                self.versions.append((self.data_dir / "published").resolve().name)
        except Exception as error:       # reported with the figures, never swallowed
            self.error = repr(error)
        finally:
            self.done.set()


def _delimiter(path: Path) -> str:
    first = path.read_text(encoding="utf-8-sig").splitlines()[0]
    return ";" if first.count(";") > first.count(",") else ","


# ---------------------------------------------------------------------------------------- the run

def measure(data_dir: Path, combos: list[tuple[str, int]], initiatives: Path, seconds: float = 30.0,
            publishes: int = 2, progress=print) -> dict:
    """Serve ``data_dir`` (published) behind nginx and measure; ``data_dir`` gets ``publishes`` new versions."""
    work = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-nginx-"))
    app_port, site_port = free_port(), free_port()
    runtime = work / "run"
    runtime.mkdir(mode=0o700)
    env = {**UNLIMITED, "WIJKBEELD_TRUSTED_PROXIES": "127.0.0.1", "WIJKBEELD_RUNTIME_DIR": str(runtime),
           "WIJKBEELD_BASEMAP": "none"}
    progress(f"bench: wijkbeeld serve --public on 127.0.0.1:{app_port} behind nginx on 127.0.0.1:{site_port}")
    server = start_server([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), "serve", "--public",
                           "--port", str(app_port)], app_port, env)
    nginx = Nginx(Rendering(work / "nginx", public_port=site_port, public_upstream=[f"{HOST}:{app_port}"],
                            rate=f"{NO_LIMIT}r/s", burst=NO_LIMIT))
    results: dict = {}
    try:
        nginx.start()
        callbacks = callback_requests(site_port, combos)
        files = file_requests(site_port, callbacks)
        warm(site_port, files)
        progress(f"bench: behind nginx, {len(files)} versioned files from the cache, {CLIENTS} clients, {seconds:.0f} s")
        results["files"] = load(site_port, {"files": files}, seconds)["files"]
        progress(f"bench: behind nginx, the paint callback ({len(callbacks)} indicator-years), {CLIENTS} clients, "
                 f"{seconds:.0f} s")
        results["callbacks"] = load(site_port, {"callback": callbacks}, seconds)["callback"]
        progress(f"bench: behind nginx, files and callbacks ({CLIENTS // 2} + {CLIENTS // 2} clients) while "
                 f"publishing {publishes} times")
        done = multiprocessing.get_context("spawn").Event()
        start_at = time.time() + LEAD_SECONDS
        publishing = Publishing(data_dir, initiatives, work, publishes, done, start_at)
        publishing.start()
        during = load(site_port, {"files": files, "callback": callbacks}, 1800, stop=done, start_at=start_at)
        publishing.join(timeout=1800)
        results["files_while_publishing"] = during["files"]
        results["callbacks_while_publishing"] = during["callback"]
        results["publishing"] = {"publishes": len(publishing.seconds), "seconds": publishing.seconds,
                                 "versions": publishing.versions, "error": publishing.error}
    finally:
        nginx.stop()
        # every error log whole (stop() returns the end of the main one; the sites log to their own), and what the
        # first errors say
        errors = [line for path in sorted(nginx.error_log.parent.glob("*error.log"))
                  for line in path.read_text(errors="replace").splitlines() if "[error]" in line]
        results["nginx_errors_logged"], results["nginx_error_examples"] = len(errors), errors[:3]
        log = stop(server)
        results["server_errors_logged"] = log.count("Traceback")
        shutil.rmtree(work, ignore_errors=True)
    return results


def summary_keys(results: dict) -> dict:
    """The flat keys for bench/results.json and the table."""
    out = {}
    for name, key in (("files", "nginx_files"), ("callbacks", "nginx_callback"),
                      ("files_while_publishing", "nginx_files_publishing"),
                      ("callbacks_while_publishing", "nginx_callback_publishing")):
        figure = results.get(name) or {}
        out[f"{key}_requests_per_s"] = figure.get("requests_per_s")
        out[f"{key}_p95_ms"] = figure.get("p95_ms")
        out[f"{key}_errors"] = figure.get("errors")
    return out


def main(argv: list[str] | None = None) -> int:
    from etl.demo import demo_files
    from bench.run import repaint_combos

    parser = argparse.ArgumentParser(prog="python -m bench.behind_nginx", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a data directory with a published version (copied)")
    parser.add_argument("--inputs", type=Path, help="where its initiatives file is (default: the demo's)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--publishes", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-bench-") as temporary:
        data_dir = Path(temporary) / "data"
        shutil.copytree(args.data, data_dir, symlinks=True)
        initiatives = demo_files(args.inputs)["initiatives"][0] if args.inputs else demo_files()["initiatives"][0]
        results = measure(data_dir, repaint_combos(data_dir), initiatives, args.seconds, args.publishes,
                          progress=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps({**summary_keys(results), "details": results}, indent=1))
    bad = sum(v for k, v in summary_keys(results).items() if k.endswith("_errors") and v)
    return 1 if bad or results["server_errors_logged"] or results["publishing"]["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
