"""``python -m bench.run``: load the national benchmark input, publish, serve with gunicorn and measure.

Prints a table and writes ``bench/results.json``. Every figure is measured in this run; nothing is assumed.
Only 127.0.0.1 is contacted; the load test is bounded in time and in number of requests.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import behind_nginx
from etl.demo import demo_files
from tools.stress.serving import UNLIMITED, free_port, start_gunicorn, stop

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.json"
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
BUDGETS = {"first_draw_s": 1.5, "repaint_s": 0.3, "geometry_gzip_bytes": 4_000_000, "value_update_bytes": 50_000,
           "etl_publish_s": 120.0, "etl_peak_rss_mb": 4096.0, "callback_p95_ms": 50.0, "errors": 0,
           "nginx_files_errors": 0, "nginx_callback_errors": 0, "nginx_files_publishing_errors": 0,
           "nginx_callback_publishing_errors": 0}
# how many times better than the naive baseline, in the same run
RATIO_BUDGETS = {"first_draw_s": 1.8, "geometry_gzip_bytes": 5.0}
TIMEOUT_MS = 60_000
REPAINT_INDICATORS = ("laag_inkomen", "sociaal_minimum")
MAX_REQUESTS = 50_000
CLIENTS = 16

# drawn and painted: every region on the map, and the classes of the view applied
JS_DRAWN = """n => { const w = window.wijkbeeld; if (!w || !w.layers || !(w.hideout.classes || "").length) return false;
    let k = 0; for (const layer of Object.values(w.layers)) { if (layer._map && layer.options.fillColor) k++; }
    return k === n; }"""
JS_NAIVE_DRAWN = """([n, file]) => { const w = window.naive; if (!w || w.count !== n) return false;
    for (const layer of Object.values(w.layers)) {
        if (!layer._map || file.indexOf(layer.feature.properties.indicator) < 0
            || layer.options.fillColor !== layer.feature.properties.fill) return false; }
    return true; }"""
JS_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))))"


# ---------------------------------------------------------------------------------------- ETL and publish

def etl_commands(inputs: Path) -> list[list[str]]:
    """The ``wijkbeeld`` commands that load the benchmark input, in the order the demo loads its own."""
    files = demo_files(inputs)
    commands = [["etl", "boundaries", "--file", str(p)] for p in files["boundaries"]]
    commands += [["etl", "initiatives", "--file", str(p)] for p in files["initiatives"]]
    commands += [["etl", "agenda", "--file", str(p)] for p in files["agenda"]]
    commands += [["etl", "kerncijfers", "--file", str(p)] for p in files["kerncijfers"]]
    commands += [["etl", "health", "--file", str(p)] for p in files["health"]]
    return commands + [["publish"]]


def load_and_publish(inputs: Path, data_dir: Path, progress) -> dict:
    """Run every job as its own ``wijkbeeld`` process; wall time of all, and the largest peak RSS of any."""
    started = time.perf_counter()
    steps = []
    for command in etl_commands(inputs):
        t = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), *command],
                                capture_output=True, text=True, cwd=REPO)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
        steps.append((" ".join(command[:2]), time.perf_counter() - t))
        progress(f"  {steps[-1][0]:<22} {steps[-1][1]:6.1f} s")
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss   # kilobytes on Linux: the largest child
    return {"etl_publish_s": seconds, "etl_peak_rss_mb": peak_kb / 1024, "steps": steps}


def geometry_bytes(data_dir: Path) -> dict:
    """Raw and gzip bytes of each published geometry file."""
    folder = data_dir / "published" / "geometry"
    sizes = {}
    for path in sorted(folder.glob("*.geojson")):
        gz = path.with_name(path.name + ".gz")
        sizes[path.stem] = {"raw": path.stat().st_size,
                            "gzip": gz.stat().st_size if gz.exists() else len(gzip.compress(path.read_bytes()))}
    return sizes


# ---------------------------------------------------------------------------------------- the browser

def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)


def buurt_count(data_dir: Path) -> tuple[int, str]:
    """Regions in the newest buurt geometry file, and its name."""
    folder = data_dir / "published" / "geometry"
    path = sorted(folder.glob("*-buurt.geojson"))[-1]
    return len(json.loads(path.read_bytes())["features"]), path.name


def first_draws(browser, url: str, n: int, runs: int) -> list[float]:
    """Navigation to every buurt on the map and the canvas painted, each with a cold cache (performance.now())."""
    draws = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(JS_DRAWN, arg=n, polling="raf", timeout=TIMEOUT_MS)
        draws.append(page.evaluate(JS_FRAMES) / 1000)
        context.close()
    return draws


def choose(page, control_id: str, option_text: str):
    """Open a dropdown and return the option (not yet clicked) with exactly this text."""
    page.click(f"#{control_id}")
    options = page.locator(".dash-dropdown-content [role=option]")
    options.filter(has_text=option_text).first.wait_for(timeout=TIMEOUT_MS)
    exact = [i for i, text in enumerate(options.all_inner_texts()) if text.strip() == option_text]
    return options.nth(exact[0])


def repaints(browser, url: str, n: int, labels: dict, runs: int) -> dict:
    """Indicator changes through the dropdown, timed from the click to the map repainted; the repaint
    callback's request (to replay) and response size."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    captured = []

    def on_response(response):
        request = response.request
        if request.method == "POST" and "_dash-update-component" in request.url \
                and "paint.data" in (request.post_data or ""):
            captured.append((request.post_data, len(response.body()), response.headers.get("content-encoding")))

    page.on("response", on_response)
    page.goto(url + f"/?indicator={REPAINT_INDICATORS[0]}", timeout=TIMEOUT_MS)
    page.wait_for_function(JS_DRAWN, arg=n, polling="raf", timeout=TIMEOUT_MS)
    page.evaluate(JS_FRAMES)
    times = []
    for run in range(runs):
        indicator = REPAINT_INDICATORS[(run + 1) % 2]
        option = choose(page, "indicator", labels[indicator])
        page.evaluate("() => { window.__before = window.wijkbeeld.hideout; }")
        start = time.perf_counter()
        option.click()
        page.wait_for_function("() => window.wijkbeeld.hideout !== window.__before", polling="raf",
                               timeout=TIMEOUT_MS)
        page.evaluate(JS_FRAMES)
        times.append(time.perf_counter() - start)
        page.wait_for_timeout(300)   # let the other callbacks of the change (profile, URL) settle
    context.close()
    payload, size, encoding = captured[-1]
    return {"times": times, "payload": payload, "bytes": size, "encoding": encoding}


def naive_draws(browser, url: str, n: int, files: dict, runs: int) -> dict:
    draws = []
    first = next(iter(files.values()))
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(JS_NAIVE_DRAWN, arg=[n, first], polling=100, timeout=TIMEOUT_MS)
        draws.append(page.evaluate(JS_FRAMES) / 1000)
        context.close()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_function(JS_NAIVE_DRAWN, arg=[n, first], polling=100, timeout=TIMEOUT_MS)
    times = []
    labels = list(files)
    for run in range(runs):
        label = labels[(run + 1) % 2]
        option = choose(page, "indicator", label)
        start = time.perf_counter()
        option.click()
        page.wait_for_function(JS_NAIVE_DRAWN, arg=[n, files[label]], polling=100, timeout=TIMEOUT_MS)
        page.evaluate(JS_FRAMES)
        times.append(time.perf_counter() - start)
    context.close()
    return {"draws": draws, "repaints": times}


# ---------------------------------------------------------------------------------------- load test

def variants(payload: str, combos: list[tuple[str, int]]) -> list[bytes]:
    """The captured repaint request with other indicator/year values filled in."""
    body = json.loads(payload)
    out = []
    for indicator, year in combos:
        changed = json.loads(json.dumps(body))
        for item in changed["inputs"]:
            if item.get("id") == "indicator" and item.get("property") == "value":
                item["value"] = indicator
            if item.get("id") == "year" and item.get("property") == "value":
                item["value"] = year
        out.append(json.dumps(changed).encode())
    return out


def load_test(port: int, bodies: list[bytes], seconds: float, clients: int = CLIENTS) -> dict:
    """``clients`` threads POST the repaint callback back to back for ``seconds`` (at most MAX_REQUESTS)."""
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    sent = iter(range(MAX_REQUESTS))

    def client(offset: int):
        k = offset
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            with lock:
                if next(sent, None) is None:
                    return
            body = bodies[k % len(bodies)]
            k += 1
            t = time.perf_counter()
            try:
                connection.request("POST", "/_dash-update-component", body=body,
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                ok = False
                connection.close()
                response = error
            elapsed = time.perf_counter() - t
            with lock:
                (latencies if ok else errors).append(elapsed if ok else str(getattr(response, "status", response)))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else None  # noqa: E731
    return {"requests": len(latencies), "errors": len(errors), "error_examples": errors[:3],
            "p50_ms": pick(0.50), "p95_ms": pick(0.95), "requests_per_s": len(latencies) / wall,
            "seconds": wall, "clients": clients}


def repaint_combos(data_dir: Path) -> list[tuple[str, int]]:
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        return con.execute("SELECT DISTINCT indicator_id, year FROM observations WHERE level = 'buurt' "
                           "AND value IS NOT NULL ORDER BY ALL").fetchall()
    finally:
        con.close()


def labels_nl(data_dir: Path) -> dict[str, str]:
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        return dict(con.execute("SELECT id, label_nl FROM indicators").fetchall())
    finally:
        con.close()


# ---------------------------------------------------------------------------------------- report

def spread(values: list[float]) -> str:
    return f"{min(values):.3f}–{max(values):.3f}"


def table(results: dict) -> str:
    def fmt(key, value):
        if value is None:
            return "–"
        if key.endswith("bytes"):
            return f"{value / 1e6:.2f} MB" if value >= 1e5 else f"{value / 1e3:.1f} KB"
        if key.endswith("_per_s"):
            return f"{value:,.1f}/s"
        if key.endswith("_s"):
            return f"{value:.3f} s"
        if key.endswith("_ms"):
            return f"{value:.1f} ms"
        if key.endswith("_mb"):
            return f"{value:,.0f} MB"
        if isinstance(value, float):
            return f"{value:,.1f}"
        return f"{value:,}"

    keys = ["first_draw_s", "repaint_s", "geometry_gzip_bytes", "value_update_bytes", "etl_publish_s",
            "etl_peak_rss_mb", "callback_p95_ms", "requests_per_s", "errors"]
    keys += [key for key in behind_nginx.summary_keys({}) if key in results]
    width = max(len(key) for key in keys) + 2
    lines = [f"{'figure':<{width}}{'measured':>14}{'budget':>14}{'naive':>14}{'naive/ours':>12}{'ratio budget':>14}  ok"]
    for key in keys:
        ours, naive, budget = results.get(key), results.get(f"naive_{key}"), BUDGETS.get(key)
        ratio = naive / ours if naive and ours else None
        wanted = RATIO_BUDGETS.get(key)
        met = [ours <= budget] if budget is not None and ours is not None else []
        met += [ratio is not None and ratio >= wanted] if wanted else []
        ok = "–" if not met else ("yes" if all(met) else "NO")
        lines.append(f"{key:<{width}}{fmt(key, ours):>14}{fmt(key, budget):>14}{fmt(key, naive):>14}"
                     f"{f'{ratio:.2f}×' if ratio else '–':>12}{f'≥ {wanted:.1f}×' if wanted else '–':>14}  {ok}")
    return "\n".join(lines)


def run(inputs: Path, quick: bool = False, progress=print) -> int:
    from playwright.sync_api import sync_playwright

    from bench import naive

    inputs = Path(inputs).resolve()
    runs, load_seconds = (3, 5.0) if quick else (7, 30.0)
    work = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-"))
    data_dir = work / "data"
    results: dict = {}
    details: dict = {"inputs": str(inputs), "quick": quick, "runs": runs}
    try:
        progress(f"bench: loading {inputs} through the ETL into {data_dir}")
        etl = load_and_publish(inputs, data_dir, progress)
        results.update({k: etl[k] for k in ("etl_publish_s", "etl_peak_rss_mb")})
        details["etl_steps"] = etl["steps"]
        sizes = geometry_bytes(data_dir)
        details["geometry_bytes"] = sizes
        n, buurt_file = buurt_count(data_dir)
        results["geometry_gzip_bytes"] = sizes[buurt_file.removesuffix(".geojson")]["gzip"]
        labels = labels_nl(data_dir)

        progress("bench: writing the naive full-detail GeoJSON")
        naive_dir = work / "naive"
        naive_dir.mkdir()
        gpkg = demo_files(inputs)["boundaries"][-1]
        naive_files = {labels[i]: f"buurten-{i}.geojson" for i in REPAINT_INDICATORS}
        columns = {"laag_inkomen": "percentage_huishoudens_met_laag_inkomen",
                   "sociaal_minimum": "percentage_huishoudens_onder_of_rond_sociaal_minimum"}
        for indicator in REPAINT_INDICATORS:
            naive.coloured_file(gpkg, columns[indicator], indicator, naive_dir / f"buurten-{indicator}.geojson")
        naive_path = naive_dir / f"buurten-{REPAINT_INDICATORS[0]}.geojson"
        naive_raw = naive_path.stat().st_size
        naive_gzip = len(gzip.compress(naive_path.read_bytes(), compresslevel=6))
        details["naive_geometry_bytes"] = {"raw": naive_raw, "gzip": naive_gzip}
        results["naive_geometry_gzip_bytes"] = naive_gzip
        results["naive_value_update_bytes"] = naive_raw   # a repaint sends the whole file again, as served

        port = free_port()
        progress(f"bench: gunicorn (2 workers) on 127.0.0.1:{port}")
        server = start_gunicorn(data_dir, port, timeout=120, env=UNLIMITED)
        naive_server, naive_url = naive.serve_in_thread(naive.naive_app(naive_dir, naive_files))
        try:
            url = f"http://127.0.0.1:{port}"
            with sync_playwright() as playwright:
                browser = launch(playwright)
                progress(f"bench: first draw of {n:,} buurten, {runs} cold loads")
                draws = first_draws(browser, url, n, runs)
                progress(f"bench: repaint after an indicator change, {runs} runs")
                painted = repaints(browser, url, n, labels, runs)
                progress("bench: the naive page")
                naive_times = naive_draws(browser, naive_url, n, naive_files, runs)
                browser.close()
            results["first_draw_s"] = statistics.median(draws)
            results["repaint_s"] = statistics.median(painted["times"])
            results["value_update_bytes"] = painted["bytes"]
            results["naive_first_draw_s"] = statistics.median(naive_times["draws"])
            results["naive_repaint_s"] = statistics.median(naive_times["repaints"])
            details.update(first_draws_s=draws, repaints_s=painted["times"], naive_first_draws_s=naive_times["draws"],
                           naive_repaints_s=naive_times["repaints"], value_update_encoding=painted["encoding"])

            combos = repaint_combos(data_dir)
            progress(f"bench: load test, {CLIENTS} clients, {load_seconds:.0f} s, {len(combos)} indicator-years")
            load = load_test(port, variants(painted["payload"], combos), load_seconds)
            results.update(callback_p95_ms=load["p95_ms"], requests_per_s=load["requests_per_s"],
                           errors=load["errors"])
            details["load"] = load
        finally:
            stop(server)
            naive_server.shutdown()

        progress("bench: the public site behind nginx (deploy/nginx/wijkbeeld.conf), as a municipality runs it")
        site = behind_nginx.measure(data_dir, combos, demo_files(inputs)["initiatives"][0], seconds=load_seconds,
                                    publishes=1 if quick else 2, progress=progress)
        results.update(behind_nginx.summary_keys(site))
        details["behind_nginx"] = site
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for key in ("etl_publish_s", "etl_peak_rss_mb", "callback_p95_ms", "requests_per_s", "errors"):
        results.setdefault(f"naive_{key}", None)   # the baseline has no ETL and no value callback
    report = table(results)
    print(report)
    print(f"\nfirst draw: median of {runs} {spread(details['first_draws_s'])} s; repaint: "
          f"{spread(details['repaints_s'])} s; naive draw {spread(details['naive_first_draws_s'])} s, "
          f"naive repaint {spread(details['naive_repaints_s'])} s")
    print("geometry per level (raw / gzip): " + ", ".join(
        f"{name} {s['raw'] / 1e6:.2f}/{s['gzip'] / 1e6:.2f} MB" for name, s in details["geometry_bytes"].items()))
    print(f"naive buurten: {details['naive_geometry_bytes']['raw'] / 1e6:.1f} MB raw, "
          f"{details['naive_geometry_bytes']['gzip'] / 1e6:.1f} MB gzip; load test: {details['load']['requests']:,} "
          f"requests, p50 {details['load']['p50_ms']:.1f} ms")
    site = details["behind_nginx"]
    print(f"behind nginx: {site['files']['requests']:,} file and {site['callbacks']['requests']:,} callback requests "
          f"at {behind_nginx.CLIENTS} clients; while publishing ({site['publishing']['publishes']} publishes, "
          f"{site['publishing']['seconds']} s) {site['files_while_publishing']['requests']:,} + "
          f"{site['callbacks_while_publishing']['requests']:,}; server tracebacks {site['server_errors_logged']}, "
          f"nginx errors {site['nginx_errors_logged']}" + (f"; publish failed: {site['publishing']['error']}"
                                                           if site['publishing']['error'] else ""))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({**results, "details": details}, indent=1, default=str) + "\n")
    print(f"written to {RESULTS}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data/bench-input"), help="what bench.generate wrote")
    parser.add_argument("--quick", action="store_true", help="fewer runs and a shorter load test")
    args = parser.parse_args(argv)
    return run(args.data, quick=args.quick, progress=lambda message: print(message, file=sys.stderr, flush=True))


if __name__ == "__main__":
    sys.exit(main())
