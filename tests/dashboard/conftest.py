"""Fixtures of the dashboard tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def edit_published(demo_data_dir, tmp_path_factory):
    """A copy of the published demo whose staff and public files ``edit(sql, params)`` changes, for figures and
    sources the demo does not have; returns ``(data_dir, edit)``."""
    data_dir = tmp_path_factory.mktemp("edited") / "data"
    shutil.copytree(demo_data_dir, data_dir, symlinks=True)
    version: Path = (data_dir / "published").resolve()

    def edit(statement: str, params: list | None = None) -> None:
        for name in ("staff.duckdb", "public.duckdb"):
            con = duckdb.connect(str(version / name))
            try:
                con.execute(statement, params or [])
            finally:
                con.close()

    return data_dir, edit
