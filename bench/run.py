"""``python -m bench.run``: load the national benchmark input, publish, serve with gunicorn and measure.

Prints every budget with its reference and verdict (bench/verdict.py) and writes ``bench/results.json``. Every
figure, and every reference a budget is a ratio of, is measured in this run; nothing is assumed. Only 127.0.0.1 is
contacted; the load tests are bounded in time and in number of requests.
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import behind_nginx, browser, canvas, floor, naive, report, verdict
from bench.generate import REFERENCE
from etl.demo import demo_files
from tools.stress.serving import UNLIMITED, free_port, start_gunicorn, stop

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results.json"
# The paint callback's load tests. Every worker computes a paint the first time it is asked for and keeps it
# (dashboard/db.py memo): WARM_ROUNDS rounds of all of them first (4 clients, each answered by either worker), so
# that 1 and 64 clients are compared on the same footing. The 64 pause between callbacks, a random time within
# PAUSE_S, as a resident choosing one figure after another does (quicker than anyone reads a map); 64 clients back
# to back are a queue on 2 cores whose p95 is bounded below by 64 / (requests per second) (Little's law): reported
# beside them as the most the machine answers.
WARM_ROUNDS = 6
WARM_VIEWS = 2   # untimed loads of the public first view, one for each worker
PAUSE_S = (0.5, 1.5)
BACK_TO_BACK = "64 back to back"


# ---------------------------------------------------------------------------------------- ETL and publish

def etl_commands(inputs: Path, kerncijfers: Path | None = None) -> list[list[str]]:
    """The ``wijkbeeld`` commands that load the benchmark input, in the order the demo loads its own;
    ``kerncijfers``: another folder of kerncijfers files (the 9-indicator reference)."""
    files = demo_files(inputs)
    if kerncijfers is not None:
        files["kerncijfers"] = sorted(kerncijfers.glob("*_TypedDataSet.json"))
    commands = [["etl", "boundaries", "--file", str(p)] for p in files["boundaries"]]
    commands += [["etl", "initiatives", "--file", str(p)] for p in files["initiatives"]]
    commands += [["etl", "agenda", "--file", str(p)] for p in files["agenda"]]
    commands += [["etl", "kerncijfers", "--file", str(p)] for p in files["kerncijfers"]]
    commands += [["etl", "health", "--file", str(p)] for p in files["health"]]
    return commands + [["publish"]]


def load_and_publish(inputs: Path, data_dir: Path, progress, kerncijfers: Path | None = None) -> dict:
    """Run every job as its own ``wijkbeeld`` process; wall time of all, and the largest peak RSS of any
    process run so far (``RUSAGE_CHILDREN``: run the one whose peak counts first)."""
    started = time.perf_counter()
    steps = []
    for command in etl_commands(inputs, kerncijfers):
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


# ---------------------------------------------------------------------------------------- the published data

def repaint_combos(data_dir: Path) -> list[tuple[str, int]]:
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        return con.execute("SELECT DISTINCT indicator_id, year FROM observations WHERE level = 'buurt' "
                           "AND value IS NOT NULL ORDER BY ALL").fetchall()
    finally:
        con.close()


def unpainted_indicators(data_dir: Path, count: int) -> dict[str, str]:
    """``count`` other indicators of the repaint indicators' theme with figures at buurt level for the same year, as
    the indicator dropdown lists them (id → its option's text): for changes to an indicator the page has not
    painted."""
    from dashboard.components.controls import indicator_options
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        rows = con.execute("SELECT * FROM indicators")
        indicators = [dict(zip([c[0] for c in rows.description], row)) for row in rows.fetchall()]
        newest = dict(con.execute("SELECT indicator_id, max(year) FROM observations WHERE level = 'buurt' "
                                  "AND value IS NOT NULL GROUP BY ALL").fetchall())
    finally:
        con.close()
    theme = next(i["theme"] for i in indicators if i["id"] == browser.REPAINT_INDICATORS[0])
    # of the same year, so on the same geometry: a repaint, not a new map
    options = [o for o in indicator_options(indicators, theme, "nl") if o["value"] not in browser.REPAINT_INDICATORS
               and newest.get(o["value"]) == newest[browser.REPAINT_INDICATORS[0]]]
    return {o["value"]: o["label"] for o in options[:count]}


def labels_nl(data_dir: Path) -> dict[str, str]:
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "staff.duckdb")
    try:
        return dict(con.execute("SELECT id, label_nl FROM indicators").fetchall())
    finally:
        con.close()



# ---------------------------------------------------------------------------------------- measuring

def buurt_count(data_dir: Path) -> tuple[int, str]:
    """Regions in the newest buurt geometry file, and its name."""
    folder = data_dir / "published" / "geometry"
    path = sorted(folder.glob("*-buurt.geojson"))[-1]
    return len(json.loads(path.read_bytes())["features"]), path.name


def largest_gemeente(data_dir: Path) -> tuple[str, int]:
    """The code of the gemeente with the most buurten in the newest indeling (the heaviest first view of one
    gemeente), and how many: its first view is drawn when they all are."""
    from dashboard.db import open_read_only

    con = open_read_only(data_dir / "published" / "public.duckdb")
    try:
        return tuple(con.execute(
            "SELECT 'GM' || substr(code, 3, 4) AS gemeente, count(*) FROM regions WHERE level = 'buurt' "
            "AND year = (SELECT max(year) FROM regions WHERE level = 'buurt') "
            "GROUP BY ALL ORDER BY count(*) DESC, gemeente LIMIT 1").fetchone())
    finally:
        con.close()


def staff_file_bytes(data_dir: Path) -> dict:
    published = data_dir / "published"
    return {name: (published / name).stat().st_size for name in ("staff.duckdb", "public.duckdb")
            if (published / name).exists()}


def naive_files(inputs: Path, labels: dict, folder: Path) -> dict:
    """The naive page's two coloured full-detail files; label -> file name."""
    gpkg = demo_files(inputs)["boundaries"][-1]
    columns = {"laag_inkomen": "percentage_huishoudens_met_laag_inkomen",
               "sociaal_minimum": "percentage_huishoudens_onder_of_rond_sociaal_minimum"}
    for indicator in browser.REPAINT_INDICATORS:
        naive.coloured_file(gpkg, columns[indicator], indicator, folder / f"buurten-{indicator}.geojson")
    return {labels[i]: f"buurten-{i}.geojson" for i in browser.REPAINT_INDICATORS}


def p95_by_clients(port: int, bodies: list, seconds: float) -> dict:
    """The paint callback replayed (client processes), once each worker has computed every paint (WARM_ROUNDS):
    by 1 client, by 64 clients that pause between callbacks as residents do (PAUSE_S), and by 64 back to back
    (what the machine answers at most)."""
    requests = [("callback", "POST", "/_dash-update-component", body) for body in bodies]
    behind_nginx.load(port, {"callback": requests}, 600, clients=4, max_requests=WARM_ROUNDS * len(requests))
    return {1: behind_nginx.load(port, {"callback": requests}, seconds, clients=1)["callback"],
            64: behind_nginx.load(port, {"callback": requests}, seconds, clients=64, pause=PAUSE_S)["callback"],
            BACK_TO_BACK: behind_nginx.load(port, {"callback": requests}, seconds, clients=64)["callback"]}


def browser_figures(data_dir: Path, work: Path, inputs: Path, n: int, labels: dict, runs: int, progress) -> dict:
    """Everything measured in Chromium: the dashboard (staff, as before), the floor, the naive page, and the public
    first view of one gemeente on a desktop and on a phone."""
    from playwright.sync_api import sync_playwright

    naive_dir = work / "naive"
    naive_dir.mkdir()
    progress("bench: writing the naive full-detail GeoJSON")
    files = naive_files(inputs, labels, naive_dir)
    port, public_port = free_port(), free_port()
    progress(f"bench: gunicorn (2 workers) on 127.0.0.1:{port}, the public app on 127.0.0.1:{public_port}")
    server = start_gunicorn(data_dir, port, timeout=120, env=UNLIMITED)
    public = start_gunicorn(data_dir, public_port, timeout=120, audience="public",
                            env={**UNLIMITED, "WIJKBEELD_BASEMAP": "none"})
    naive_server, naive_url = naive.serve_in_thread(naive.naive_app(naive_dir, files).server)
    out: dict = {"naive_path": naive_dir / next(iter(files.values()))}
    try:
        url = f"http://127.0.0.1:{port}"
        with sync_playwright() as playwright:
            chromium = browser.launch(playwright)
            progress(f"bench: first draw of {n:,} buurten, {runs} cold loads")
            out["draws"] = browser.cold_loads(chromium, url, browser.JS_DRAWN, n, runs)
            drawn = data_dir / "published" / "geometry" / out["draws"]["geometry"][0]
            with naive.serving(floor.floor_app(drawn)) as floor_url:
                progress(f"bench: the floor page (plain Leaflet, {drawn.name}), {runs} cold loads")
                out["floor"] = browser.cold_loads(chromium, floor_url, browser.JS_FLOOR_DRAWN, n, runs)
            with naive.serving(canvas.canvas_app(drawn)) as canvas_url:
                progress(f"bench: the same file drawn by one canvas layer of its own, {runs} cold loads")
                out["canvas"] = browser.cold_loads(chromium, canvas_url, canvas.JS_DRAWN, n, runs)
            progress(f"bench: repaint after an indicator change, {runs} runs back and forth, {runs} to new indicators")
            new = unpainted_indicators(data_dir, runs)
            out["repaints"] = browser.repaints(chromium, url, n, labels | new, runs, list(new))
            progress("bench: the naive page")
            out["naive"] = browser.naive_draws(chromium, naive_url, n, files, runs)
            gemeente, own = largest_gemeente(data_dir)
            view = f"http://127.0.0.1:{public_port}/?regio={gemeente}"
            progress(f"bench: the public first view of {gemeente}, unthrottled and as a phone, "
                     f"{max(1, runs // 2)} each")
            out["gemeente"], out["gemeente_buurten"] = gemeente, own
            # untimed first: the first load a worker answers computes the view (~0.7 s of layout): otherwise the
            # first desktop load waits for that and the phone's, after it, does not
            for _ in range(WARM_VIEWS):
                browser.first_view(chromium, view, own)
            out["desktop"] = [browser.first_view(chromium, view, own) for _ in range(max(1, runs // 2))]
            out["phone"] = [browser.first_view(chromium, view, own, phone=True) for _ in range(max(1, runs // 2))]
            # the floor of that view: its geometry file alone in the bare Leaflet page, on the desktop and the phone
            fetched = data_dir / "published" / "geometry" / out["desktop"][0]["geometry"][0]
            with naive.serving(floor.floor_app(fetched)) as floor_url:
                progress(f"bench: the floor page of that view ({fetched.name}), unthrottled and as a phone")
                browser.first_view(chromium, floor_url, own, drawn=browser.JS_FLOOR_DRAWN)
                out["floor_desktop"], out["floor_phone"] = (
                    [browser.first_view(chromium, floor_url, own, phone=phone, drawn=browser.JS_FLOOR_DRAWN)
                     for _ in range(max(1, runs // 2))] for phone in (False, True))
            chromium.close()
        out["combos"] = repaint_combos(data_dir)
        load_seconds = runs * 2.0
        progress(f"bench: the public paint callback, {len(out['combos'])} indicator-years: {WARM_ROUNDS} rounds to "
                 f"warm the workers, then by 1, by 64 pausing {PAUSE_S[0]}-{PAUSE_S[1]} s and by 64 back to back "
                 f"clients, {load_seconds:.0f} s each")
        out["load"] = p95_by_clients(public_port, [r[3] for r in behind_nginx.callback_requests(public_port,
                                                                                                 out["combos"])],
                                     load_seconds)
    finally:
        stop(server)
        stop(public)
        naive_server.shutdown()
    return out


def run(inputs: Path, quick: bool = False, progress=print, published: Path | None = None, nginx: bool = True) -> int:
    """``published``: a data directory loaded from ``inputs`` and published before, measured as it is (a copy;
    no ETL figures): for working on the serving side without waiting for the ETL."""
    inputs = Path(inputs).resolve()
    if not (inputs / REFERENCE / "kerncijfers").is_dir():
        raise SystemExit(f"{inputs} has no {REFERENCE}/ (written by an older bench.generate): generate it again with "
                         f"python -m bench.generate --out {inputs}")
    runs, load_seconds = (3, 5.0) if quick else (7, 30.0)
    work = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-"))
    data_dir = work / "data"
    results: dict = {}
    details: dict = {"inputs": str(inputs), "quick": quick, "runs": runs}
    try:
        if published is not None:
            shutil.copytree(published, data_dir, symlinks=True)
        else:
            progress(f"bench: loading {inputs} (the full catalogue) through the ETL into {data_dir}")
            etl = load_and_publish(inputs, data_dir, progress)
            results.update({k: etl[k] for k in ("etl_publish_s", "etl_peak_rss_mb")})
            progress("bench: the same with today's 9 indicators, for reference")
            reference = load_and_publish(inputs, work / "reference", progress,
                                         kerncijfers=inputs / REFERENCE / "kerncijfers")
            shutil.rmtree(work / "reference", ignore_errors=True)
            results["etl_publish_9_s"] = reference["etl_publish_s"]
            details.update(etl_steps=etl["steps"], etl_9_steps=reference["steps"])
        files = staff_file_bytes(data_dir)
        results["staff_file_bytes"] = files.get("staff.duckdb")
        details["published_file_bytes"] = files
        sizes = geometry_bytes(data_dir)
        details["geometry_bytes"] = sizes
        n, buurt_file = buurt_count(data_dir)
        results["geometry_gzip_bytes"] = sizes[buurt_file.removesuffix(".geojson")]["gzip"]

        seen = browser_figures(data_dir, work, inputs, n, labels_nl(data_dir), runs, progress)
        naive_bytes = seen["naive_path"].read_bytes()
        details["naive_geometry_bytes"] = {"raw": len(naive_bytes), "gzip": len(gzip.compress(naive_bytes, 6))}
        desktop = statistics.median(v["seconds"] for v in seen["desktop"])
        results.update(
            first_draw_s=statistics.median(seen["draws"]["draws"]),
            floor_first_draw_s=statistics.median(seen["floor"]["draws"]),
            canvas_first_draw_s=statistics.median(seen["canvas"]["draws"]),
            naive_first_draw_s=statistics.median(seen["naive"]["draws"]),
            repaint_s=statistics.median(seen["repaints"]["times"]),
            naive_repaint_s=statistics.median(seen["naive"]["repaints"]),
            repaint_after_figures_ms=statistics.median(seen["repaints"]["after_figures_ms"]),
            repaint_new_s=statistics.median(seen["repaints"]["new_times"]),
            repaint_new_after_answer_ms=statistics.median(seen["repaints"]["new_after_figures_ms"]),
            value_update_bytes=seen["repaints"]["bytes"],
            naive_geometry_gzip_bytes=details["naive_geometry_bytes"]["gzip"],
            public_first_view_bytes=statistics.median(v["bytes"] for v in seen["desktop"]),
            desktop_first_view_s=desktop,
            phone_first_view_s=statistics.median(v["seconds"] for v in seen["phone"]),
            floor_desktop_first_view_s=statistics.median(v["seconds"] for v in seen["floor_desktop"]),
            floor_phone_first_view_s=statistics.median(v["seconds"] for v in seen["floor_phone"]),
            callback_p95_ms_1=seen["load"][1]["p95_ms"], callback_p95_ms_64=seen["load"][64]["p95_ms"],
            callback_p95_ms_64_back_to_back=seen["load"][BACK_TO_BACK]["p95_ms"],
            requests_per_s=seen["load"][BACK_TO_BACK]["requests_per_s"],
            errors=sum(figure["errors"] for figure in seen["load"].values()))
        details.update(first_draws_s=seen["draws"]["draws"], first_draw_geometry=seen["draws"]["geometry"],
                       floor_first_draws_s=seen["floor"]["draws"], canvas_first_draws_s=seen["canvas"]["draws"],
                       repaints_s=seen["repaints"]["times"],
                       repaint_after_figures_ms=seen["repaints"]["after_figures_ms"],
                       repaints_asked_server=seen["repaints"]["asked"], repaints_new_s=seen["repaints"]["new_times"],
                       repaint_new_after_answer_ms=seen["repaints"]["new_after_figures_ms"],
                       naive_first_draws_s=seen["naive"]["draws"], naive_repaints_s=seen["naive"]["repaints"],
                       repaints_wall_s=seen["repaints"]["wall"], naive_repaints_wall_s=seen["naive"]["repaints_wall"],
                       value_update_encoding=seen["repaints"]["encoding"], first_view_gemeente=seen["gemeente"],
                       first_view_buurten=seen["gemeente_buurten"], first_view_desktop=seen["desktop"],
                       first_view_phone=seen["phone"], floor_first_view_desktop=seen["floor_desktop"],
                       floor_first_view_phone=seen["floor_phone"],
                       load={str(k): v for k, v in seen["load"].items()})

        if nginx:
            progress("bench: the public site behind nginx (deploy/nginx/wijkbeeld.conf), as a municipality runs it")
            site = behind_nginx.measure(data_dir, seen["combos"], demo_files(inputs)["initiatives"][0],
                                        seconds=load_seconds, publishes=1 if quick else 2, progress=progress)
            results.update(behind_nginx.summary_keys(site))
            details["behind_nginx"] = site
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(verdict.table(results))
    print(report.summary(details))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({**results, "details": details}, indent=1, default=str) + "\n")
    print(f"written to {RESULTS}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("data/bench-input"), help="what bench.generate wrote")
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter load tests")
    parser.add_argument("--published", type=Path, help="a data directory already loaded from --data and published: "
                                                       "measure it (a copy) without the ETL")
    parser.add_argument("--no-nginx", action="store_true", help="leave out the public site behind nginx")
    args = parser.parse_args(argv)
    return run(args.data, quick=args.quick, published=args.published, nginx=not args.no_nginx,
               progress=lambda message: print(message, file=sys.stderr, flush=True))


if __name__ == "__main__":
    sys.exit(main())
