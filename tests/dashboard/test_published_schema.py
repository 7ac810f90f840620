"""The reader refuses a published file whose schema version it does not know, as "not published", before any
query can fail on it; files published before schema versions are version 1."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.db import NotPublished, PublishedData, UnknownSchemaVersion, open_read_only
from etl.store import latest_schema_version


def published_copy(demo_data_dir: Path, tmp_path: Path, change_meta: str | None) -> Path:
    """A data directory publishing a copy of the demo's staff file, its ``meta`` changed by ``change_meta``."""
    version = os.readlink(demo_data_dir / "published")
    shutil.copytree(demo_data_dir / version, tmp_path / version)
    os.symlink(version, tmp_path / "published")
    if change_meta:
        con = duckdb.connect(str(tmp_path / version / "staff.duckdb"))
        con.execute(change_meta)
        con.close()
    return tmp_path


def test_the_demo_carries_the_schema_version_it_was_published_with(demo_data_dir):
    con = open_read_only(demo_data_dir / "published" / "staff.duckdb")
    try:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
               (str(latest_schema_version()),)
    finally:
        con.close()


def test_a_file_published_before_schema_versions_is_read(demo_data_dir, tmp_path):
    data_dir = published_copy(demo_data_dir, tmp_path, "DELETE FROM meta WHERE key = 'schema_version'")
    assert PublishedData(data_dir, "staff").rows("indicators")


@pytest.mark.parametrize("change_meta", [
    f"UPDATE meta SET value = '{latest_schema_version() + 1}' WHERE key = 'schema_version'",
    "UPDATE meta SET value = 'twee' WHERE key = 'schema_version'",
    "DROP TABLE meta",
])
def test_an_unknown_schema_version_is_not_published(demo_data_dir, tmp_path, change_meta):
    data_dir = published_copy(demo_data_dir, tmp_path, change_meta)
    data = PublishedData(data_dir, "staff")
    with pytest.raises(UnknownSchemaVersion, match="has schema version .*; this wijkbeeld reads versions 1 to"):
        data.rows("indicators")
    with pytest.raises(NotPublished):   # what every page and route already answers without a traceback
        data.cached("meta")
