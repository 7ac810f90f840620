"""Kill the ETL (SIGKILL) during loads and publishes: what is published stays whole, the next run just works.

A load killed right after each of its SQL statements in turn (after its run id is taken, after COMMIT, …) leaves a
working database that the next load writes to: run ids are never handed out twice after a WAL replay.

Then random kills during loads and publishes:

After every kill the ``published`` link points at a complete version (the old one or a new one): every file
of its manifest exists with its sha256, both DuckDB files open read-only with their tables and counts. The
next run recovers without manual cleanup (the flock dies with the process, stale ``versions/.tmp-*`` builds
are removed by the next publish, the working database opens and replays its log).

The default run kills 6 times; ``WIJKBEELD_SLOW_TESTS=1`` adds a run with 30 kills (about a minute).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from dashboard.db import open_read_only
from etl import jobs
from etl.demo import DEMO_DIR
from etl.publish import VERSIONS
from etl.store import WORKING_DB, connect
from tests.conftest import REPO
from tests.etl.kill_after import wijkbeeld_killed_after

SLOW = os.environ.get("WIJKBEELD_SLOW_TESTS") == "1"
TABLES = ("regions", "observations", "indicators")
KERNCIJFERS = DEMO_DIR / "kerncijfers"


class Variants:
    """Fresh inputs on demand, each a little different, so no load is skipped as already loaded."""

    def __init__(self, folder: Path):
        import geopandas as gpd

        self.folder = folder
        self.count = 0
        base = folder / "base.geojson"
        gpd.read_file(DEMO_DIR / "wijkenbuurten_2024.gpkg", layer="buurten").to_file(base, driver="GeoJSON")
        self.buurten = base.read_text()
        self.payload = json.loads((KERNCIJFERS / "85984NED_TypedDataSet.json").read_text())

    def boundaries(self) -> Path:
        self.count += 1
        path = self.folder / f"buurten_2024_v{self.count}.geojson"
        path.write_text(self.buurten.replace('"Binnenstad"', f'"Binnenstad {self.count}"', 1))
        return path

    def kerncijfers(self) -> Path:
        self.count += 1
        folder = self.folder / f"k{self.count}"
        folder.mkdir()
        shutil.copy(KERNCIJFERS / "85984NED_DataProperties.json", folder)
        payload = json.loads(json.dumps(self.payload))
        payload["value"][0]["AantalInwoners_5"] = 40_000 + self.count
        path = folder / "85984NED_TypedDataSet.json"
        path.write_text(json.dumps(payload))
        return path

    def load_command(self, rng: random.Random) -> list[str]:
        if rng.random() < 0.5:
            return ["etl", "boundaries", "--file", str(self.boundaries())]
        return ["etl", "kerncijfers", "--file", str(self.kerncijfers())]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_published(data_dir: Path) -> str:
    """The published version is complete; returns its id."""
    link = data_dir / "published"
    assert link.is_symlink(), "the published link is gone"
    version_dir = data_dir / os.readlink(link)
    assert version_dir.parent.name == VERSIONS and not version_dir.name.startswith("."), version_dir
    manifest = json.loads((version_dir / "manifest.json").read_text())
    assert manifest["version"] == version_dir.name
    for name, digest in manifest["files"].items():
        assert sha256(version_dir / name) == digest, f"{name} differs from the manifest"
    for db in ("staff.duckdb", "public.duckdb"):
        con = open_read_only(version_dir / db)
        try:
            for table in TABLES:   # the public file may hold fewer (own figures not declared public)
                counts = manifest["counts"]
                expected = counts.get(f"public_{table}", counts[table]) if db == "public.duckdb" else counts[table]
                assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == expected
            assert con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == version_dir.name
        finally:
            con.close()
    return version_dir.name


def cli(data_dir: Path, args: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as err:
        return subprocess.Popen([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), *args], cwd=REPO,
                                stdout=subprocess.DEVNULL, stderr=err)


def run_with_kills(demo_data_dir: Path, tmp_path: Path, kills: int, seed: int, budget_s: float) -> Counter:
    """Load/publish under random SIGKILLs until ``kills`` processes were killed; returns what happened.

    Half the kills come after a random 0.05–2 s; the other half a random 0–1 s after the job's first progress
    line, so that enough of them land while it writes rather than while Python imports its modules.
    """
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    shutil.copytree(demo_data_dir, data_dir, symlinks=True)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    variants = Variants(inputs)
    log = tmp_path / "stderr.log"
    seen = Counter()
    versions = [check_published(data_dir)]
    started = time.monotonic()
    while seen["killed"] < kills:
        assert time.monotonic() - started < budget_s, f"took too long: {dict(seen)}"
        target = rng.choice(["load", "publish"])
        if target == "publish":
            # something new to publish; loading in-process also proves the working database survived the last kill
            assert jobs.load_kerncijfers(data_dir, file=variants.kerncijfers()).status == "ok"
            args = ["publish"]
        else:
            args = variants.load_command(rng)
        process = cli(data_dir, args, log)
        if rng.random() < 0.5:
            delay = rng.uniform(0.05, 2.0)
        else:   # half the kills land once the job has started working (its first progress line), not in imports
            while process.poll() is None and log.stat().st_size == 0:
                time.sleep(0.01)
            delay = rng.uniform(0.0, 1.0)
        try:
            returncode = process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            seen["killed"] += 1
            seen[f"killed during {target}"] += 1
            output = log.read_text(errors="replace")
            # how far it got: nothing printed yet means still starting up (imports)
            seen["killed while working" if output.strip() else "killed while starting"] += 1
        else:
            assert returncode == 0, log.read_text(errors="replace")
            seen[f"{target} finished before the kill"] += 1
        version = check_published(data_dir)
        assert version == versions[-1] or version > versions[-1], "published went back to an older version"
        if version != versions[-1]:
            versions.append(version)
    seen["stale builds left by kills"] = len(list((data_dir / VERSIONS).glob(".tmp-*")))

    # recovery, without any cleanup by hand: a load and a publish run to the end
    assert jobs.load_boundaries(data_dir, file=variants.boundaries()).status == "ok"
    done = subprocess.run([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), "publish"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "published version" in done.stderr, done.stderr
    final = check_published(data_dir)
    assert final > versions[-1]
    assert list((data_dir / VERSIONS).glob(".tmp-*")) == [], "publish leaves no stale builds behind"
    assert list(data_dir.glob(".published.*")) == [], "no dangling temporary links"
    con = connect(data_dir / WORKING_DB, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM etl_runs").fetchone()[0] > 0
    finally:
        con.close()
    seen["versions published"] = len(versions)
    seen["seconds"] = round(time.monotonic() - started)
    return seen


def report(config, line: str) -> None:
    capture = config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}", flush=True)


def test_killed_loads_and_publishes_leave_a_whole_published_version(demo_data_dir, tmp_path, request):
    seen = run_with_kills(demo_data_dir, tmp_path, kills=6, seed=20241, budget_s=60)
    report(request.config, f"crash safety (6 kills): {dict(seen)}")


@pytest.mark.slow
@pytest.mark.skipif(not SLOW, reason="30 kills take about a minute: run with WIJKBEELD_SLOW_TESTS=1")
def test_thirty_kills_spread_over_loads_and_publishes(demo_data_dir, tmp_path, request):
    seen = run_with_kills(demo_data_dir, tmp_path, kills=30, seed=7, budget_s=90)
    report(request.config, f"crash safety (30 kills): {dict(seen)}")
    assert seen["killed during load"] and seen["killed during publish"]


def run_ids(data_dir: Path) -> list[int]:
    con = connect(data_dir / WORKING_DB, read_only=True)
    try:
        return [row[0] for row in con.execute("SELECT run_id FROM etl_runs ORDER BY run_id").fetchall()]
    finally:
        con.close()


@pytest.mark.parametrize("outcome", ["ok", "failed"])
def test_a_load_killed_after_any_of_its_statements_leaves_the_next_load_working(outcome, tmp_path):
    """Kill a load after statement 1, then 2, 3, … until it finishes; after every kill a normal load must succeed
    with a new run id. ``failed``: the killed load reads a broken file, so what is killed is its log row."""
    data_dir = tmp_path / "data"
    variants = Variants(tmp_path)
    assert jobs.load_kerncijfers(data_dir, file=variants.kerncijfers()).status == "ok"
    killed_after = []
    for statement in range(1, 100):
        source = variants.kerncijfers()
        if outcome == "failed":
            source.write_text(source.read_text()[:500])   # truncated JSON: the job logs a failed run
        exit_status, last = wijkbeeld_killed_after(
            statement, ["--data-dir", str(data_dir), "etl", "kerncijfers", "--file", str(source)], tmp_path / "report")
        if exit_status != -signal.SIGKILL:
            assert exit_status == (0 if outcome == "ok" else 1), f"after {killed_after}"
            break
        killed_after.append(last)
        before = run_ids(data_dir)
        result = jobs.load_kerncijfers(data_dir, file=variants.kerncijfers())
        assert result.status == "ok" and result.run_id > max(before), f"killed after {last!r}"
        assert run_ids(data_dir) == before + [result.run_id]
    assert killed_after, "the load ran no statement at all"
    # the moment that broke: the run's row committed, the process killed before it could close the database
    assert any("etl_runs" in s for s in killed_after) and (outcome == "failed" or "COMMIT" in killed_after)
