"""A data directory whose path holds quotes, spaces and non-ASCII letters works for every command.

Paths reach SQL only where DuckDB takes no bound parameter (``LOAD``, ``ATTACH``), through one helper,
``etl.store.quote_literal``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.db import PublishedData
from etl import store
from dashboard.cli import main
from etl.store import connect, quote_literal

ODD = "it's a \"wijk\" — Zoë's map"


@pytest.fixture(scope="module")
def odd_data_dir(tmp_path_factory) -> Path:
    """The demo, loaded and published by ``wijkbeeld demo`` into a folder with an awkward name."""
    data_dir = tmp_path_factory.mktemp("paths") / ODD
    assert main(["--data-dir", str(data_dir), "demo"]) == 0
    return data_dir


def test_quote_literal_doubles_single_quotes():
    assert quote_literal("/data/it's Zoë's") == "'/data/it''s Zoë''s'"
    assert quote_literal(Path('/a "b"/c')) == "'/a \"b\"/c'"


def test_demo_loads_and_publishes(odd_data_dir):
    assert (odd_data_dir / "published" / "staff.duckdb").is_file()
    assert (odd_data_dir / "published" / "public.duckdb").is_file()


def test_status(odd_data_dir, capsys):
    assert main(["--data-dir", str(odd_data_dir), "status"]) == 0
    shown = capsys.readouterr().out
    assert f"data directory: {odd_data_dir}" in shown
    assert "published version: none" not in shown and "buurt" in shown


def test_export_public_map(odd_data_dir):
    out = odd_data_dir.parent / f"kaart van {ODD}"
    assert main(["--data-dir", str(odd_data_dir), "export", "public-map", "--out", str(out)]) == 0
    assert "Voorbeeldstad" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_the_dashboard_reads_the_published_files(odd_data_dir, audience):
    data = PublishedData(odd_data_dir, audience)
    assert data.rows("indicators")
    assert {r["key"] for r in data.rows("meta")} >= {"version", "published_at"}


def test_the_spatial_extension_loads_from_an_odd_path(tmp_path, monkeypatch):
    folder = tmp_path / ODD
    folder.mkdir()
    extension = folder / "spatial.duckdb_extension"
    os.symlink(store.spatial_extension_path(), extension)
    monkeypatch.setattr(store, "spatial_extension_path", lambda: str(extension))
    con = connect(folder / "test.duckdb")
    try:
        assert con.execute("SELECT ST_AsText(ST_Point(1, 2))").fetchone()[0] == "POINT (1 2)"
    finally:
        con.close()
