"""The ``wijkbeeld`` command line as a user runs it: exit codes and messages, no tracebacks."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import tree_checksums

WIJKBEELD = [sys.executable, "-m", "dashboard.cli"]


def wijkbeeld(*args, data_dir: Path, env=None):
    return subprocess.run([*WIJKBEELD, "--data-dir", str(data_dir), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_status_shows_what_the_demo_loaded(demo_data_dir):
    result = wijkbeeld("status", data_dir=demo_data_dir)
    assert result.returncode == 0, result.stderr
    assert "published version: " in result.stdout and "none" not in result.stdout.split("published version: ")[1][:5]
    assert "eenzaam" in result.stdout and "buurt" in result.stdout


def test_a_missing_file_is_one_clear_message_and_exit_1(tmp_path):
    result = wijkbeeld("etl", "boundaries", "--file", str(tmp_path / "nope.gpkg"), data_dir=tmp_path)
    assert result.returncode == 1
    assert "nope.gpkg" in result.stderr and "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_input_leaves_published_files_byte_identical(demo_data_dir, tmp_path):
    before = tree_checksums(demo_data_dir / "published")
    bad = tmp_path / "85984NED_TypedDataSet.json"
    bad.write_text('{"odata.metadata": "x", "value": [{"ID": 0, "WijkenEnBu')
    result = wijkbeeld("etl", "kerncijfers", "--file", str(bad), data_dir=demo_data_dir)
    assert result.returncode == 1 and str(bad) in result.stderr and "Traceback" not in result.stderr
    assert wijkbeeld("publish", data_dir=demo_data_dir).returncode == 0
    assert tree_checksums(demo_data_dir / "published") == before


def test_a_failed_download_names_the_address_and_changes_nothing(demo_data_dir):
    before = tree_checksums(demo_data_dir / "published")
    result = wijkbeeld("etl", "boundaries", "--year", "2024", data_dir=demo_data_dir,
                       env={"WIJKBEELD_PDOK_URL": "http://127.0.0.1:9/wijkenbuurten_{year}{suffix}.gpkg"})
    assert result.returncode == 1 and "download failed" in result.stderr and "127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_checksums(demo_data_dir / "published") == before


def test_serving_staff_on_an_open_address_is_refused(tmp_path):
    result = wijkbeeld("serve", "--host", "0.0.0.0", data_dir=tmp_path)
    assert result.returncode == 2 and "127.0.0.1" in result.stderr


def test_one_command_line_has_the_commands_of_both_packages(tmp_path):
    result = wijkbeeld("--help", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    for command in ("etl", "publish", "demo", "status", "serve", "export", "user"):
        assert f"\n    {command} " in result.stdout
    assert "bench" not in result.stdout   # the benchmark is a tool beside the product: python -m bench.run


def test_the_etl_never_imports_the_dashboard():
    """Every module of the installed ``etl`` package, imported in a fresh interpreter, leaves ``dashboard`` out."""
    code = ("import importlib, pkgutil, sys, etl\n"
            "for module in pkgutil.walk_packages(etl.__path__, 'etl.'):\n"
            "    importlib.import_module(module.name)\n"
            "from etl import cli\n"
            "cli.add_commands(cli.common_options().add_subparsers(), cli.common_options())\n"
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('dashboard', 'tools', 'bench')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
