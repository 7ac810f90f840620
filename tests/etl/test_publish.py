"""etl/publish.py: versions are built aside, validated and swapped in whole; failures leave them as they were."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from etl.catalog import load_catalog, parse_catalog
from etl.errors import LoadError, PublishError
from etl.load import run_job
from etl.publish import PUBLIC_SCHEMA, current_version, public_columns, publish
from etl.store import connect
from tests.conftest import tree_checksums
from tests.etl.test_load import small_batch


def silent(message):
    pass


@pytest.fixture
def loaded(tmp_path) -> Path:
    run_job(tmp_path, "kerncijfers", "test", small_batch, load_catalog(), sha256="a" * 64)
    return tmp_path


def test_publish_builds_staff_public_and_geometry_behind_a_link(loaded):
    result = publish(loaded, load_catalog(), progress=silent)
    published = loaded / "published"
    assert published.is_symlink() and current_version(loaded) == result.version
    assert {p.name for p in published.iterdir()} == {"staff.duckdb", "public.duckdb", "geometry", "manifest.json"}
    collection = json.loads((published / "geometry" / "2024-buurt.geojson").read_text())
    (lon, lat), *_ = collection["features"][0]["geometry"]["coordinates"][0][0]
    assert 3 < lon < 8 and 50 < lat < 54, "served geometry is lon/lat EPSG:4326"
    assert collection["features"][0]["properties"] == {"i": 0, "code": "BU99990001", "name": "Centrum"}
    manifest = json.loads((published / "manifest.json").read_text())
    assert manifest["files"]["staff.duckdb"] == tree_checksums(published)["staff.duckdb"]


def test_public_file_holds_only_whitelisted_tables_and_columns(loaded):
    publish(loaded, load_catalog(), progress=silent)
    con = connect(loaded / "published" / "public.duckdb", read_only=True)
    try:
        assert public_columns(con) == json.loads(PUBLIC_SCHEMA.read_text())
    finally:
        con.close()


@pytest.mark.parametrize("audience", ["staff", "public"])
def test_both_files_name_every_catalog_source_with_its_licence_and_attribution(loaded, audience):
    publish(loaded, load_catalog(), progress=silent)
    con = connect(loaded / "published" / f"{audience}.duckdb", read_only=True)
    try:
        rows = con.execute("SELECT source_id, name, publisher, licence, attribution, url FROM sources").fetchall()
    finally:
        con.close()
    assert {r[0]: r[1:] for r in rows} == {
        key: (s["name"], s["publisher"], s["licence"], s["attribution"], s.get("url"))
        for key, s in load_catalog().sources.items()}


def test_a_catalog_source_without_a_licence_is_refused():
    source = {"name": "Eigen telling", "publisher": "Gemeente", "attribution": "Bron: gemeente"}
    with pytest.raises(ValueError, match="source eigen: missing licence"):
        parse_catalog({"source": {"eigen": source}, "indicator": []})


def test_publishing_unchanged_data_keeps_the_version(loaded):
    first = publish(loaded, load_catalog(), progress=silent)
    second = publish(loaded, load_catalog(), progress=silent)
    assert second.status == "unchanged" and second.version == first.version


def test_a_failed_load_after_publishing_leaves_published_files_byte_identical(loaded):
    publish(loaded, load_catalog(), progress=silent)
    before = tree_checksums(loaded / "published")

    def broken():
        raise LoadError("unknown code", file="x.csv", row=2, field="buurtcode")

    with pytest.raises(LoadError):
        run_job(loaded, "kerncijfers", "x.csv", broken, load_catalog(), sha256="e" * 64)
    with pytest.raises(Exception):
        publish(loaded / "missing", load_catalog(), progress=silent)
    assert tree_checksums(loaded / "published") == before


def test_a_failure_while_the_geometry_is_written_beside_the_tables_stops_the_publish(loaded):
    """The geometry files are written in a thread of their own: what goes wrong there still ends the publish with
    its error, and the published version stays as it was."""
    publish(loaded, load_catalog(), progress=silent)
    before = tree_checksums(loaded / "published")
    run_job(loaded, "kerncijfers", "test", lambda: small_batch(20.0), load_catalog(), sha256="f" * 64)

    def output_gone(message):
        if message.startswith("geometry"):
            raise BrokenPipeError("stdout closed")

    with pytest.raises(BrokenPipeError):
        publish(loaded, load_catalog(), progress=output_gone)
    assert tree_checksums(loaded / "published") == before
    assert publish(loaded, load_catalog(), progress=silent).status == "ok"


def test_a_publish_killed_midway_is_cleaned_up_by_the_next(loaded):
    publish(loaded, load_catalog(), progress=silent)
    before = tree_checksums(loaded / "published")
    stale = loaded / "versions" / ".tmp-20000101T000000-dead"
    stale.mkdir()
    (stale / "staff.duckdb").write_bytes(b"half a file")
    os.symlink("versions/nowhere", loaded / ".published.deadbeef")
    assert tree_checksums(loaded / "published") == before
    run_job(loaded, "kerncijfers", "test", lambda: small_batch(20.0), load_catalog(), sha256="f" * 64)
    result = publish(loaded, load_catalog(), progress=silent)
    assert result.status == "ok" and not stale.exists() and not (loaded / ".published.deadbeef").exists()


def test_best_observation_wins_when_sources_overlap(loaded):
    """A sentinel from the map file never hides a published figure from the statistical table."""
    from tests.etl.test_load import small_batch as batch_with

    def map_file():
        batch = batch_with(None)
        batch.regions = None
        batch.observations["source_table"] = "wijkenbuurten_2024"
        batch.observations["status"] = "missing"
        return batch

    run_job(loaded, "boundaries", "map", map_file, load_catalog(), sha256="9" * 64)
    publish(loaded, load_catalog(), progress=silent)
    con = connect(loaded / "published" / "staff.duckdb", read_only=True)
    rows = con.execute("SELECT code, value, status, source_table FROM observations ORDER BY code").fetchall()
    con.close()
    assert rows[0] == ("BU99990001", 12.5, "ok", "85984NED")


def test_nothing_to_publish_is_a_clear_error(tmp_path):
    with pytest.raises(PublishError, match="load data first"):
        publish(tmp_path, load_catalog(), progress=silent)
