"""``wijkbeeld publish --agenda-only``: a saved edit reaches the published files in seconds, reusing the rest of the
version (geometry hard-linked, nothing simplified again), atomic and versioned as a full publish."""
from __future__ import annotations

import shutil
import time
from datetime import date

import pytest

from dashboard.cli import main
from dashboard.db import open_read_only
from etl.catalog import load_catalog
from etl.lock import Busy, data_dir_lock
from etl.publish import publish, read_manifest
from etl.status import status_report
from etl.wijkagenda import edits, store
from etl.wijkagenda.publish import publish_agenda


@pytest.fixture
def data_dir(demo_copy):
    return demo_copy("agenda-only")


def save_update(data_dir, note="KANARIE-intern", own_note_public=False, progress=70.0):
    con = store.connect(data_dir)
    try:
        return edits.add_update(con, "anna", {"item_id": "WA-01", "date": date(2026, 1, 5), "progress": progress,
                                              "status": "loopt", "note": note, "public": True,
                                              "note_public": own_note_public})
    finally:
        con.close()


def rows(path, query):
    con = open_read_only(path)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_an_edit_is_published_alone_reusing_the_geometry(data_dir):
    before = (data_dir / "published").resolve()
    save_update(data_dir)
    began = time.perf_counter()
    result = publish_agenda(data_dir, progress=lambda m: None)
    seconds = time.perf_counter() - began
    after = (data_dir / "published").resolve()
    assert result.status == "ok" and after != before and before.exists()
    for path in (before / "geometry").iterdir():
        assert (after / "geometry" / path.name).stat().st_ino == path.stat().st_ino, "geometry is not reused"
    manifest = read_manifest(after)
    con = store.connect(data_dir)
    assert manifest["agenda_stand"] == store.stand(con) and manifest["geometry"] == read_manifest(before)["geometry"]
    con.close()
    assert manifest["counts"] == read_manifest(before)["counts"]
    staff = rows(after / "staff.duckdb", "SELECT progress, note FROM agenda_updates WHERE item_id = 'WA-01' "
                                         "AND date = '2026-01-05'")
    public = rows(after / "public.duckdb", "SELECT progress, note FROM agenda_updates WHERE item_id = 'WA-01' "
                                           "AND date = '2026-01-05'")
    assert staff == [(70.0, "KANARIE-intern")] and public == [(70.0, None)]
    assert rows(after / "public.duckdb", "SELECT progress FROM agenda_items WHERE id = 'WA-01'") == [(70.0,)]
    assert rows(after / "staff.duckdb", "SELECT value FROM meta WHERE key = 'version'") == [(after.name,)]
    assert seconds < 30
    print(f"\nagenda-only publish: {seconds:.2f} s")


def test_a_note_marked_public_reaches_the_public_file(data_dir):
    save_update(data_dir, note="De buurtkamer is open", own_note_public=True)
    publish_agenda(data_dir, progress=lambda m: None)
    assert rows(data_dir / "published" / "public.duckdb",
                "SELECT note FROM agenda_updates WHERE date = '2026-01-05'") == [("De buurtkamer is open",)]


def test_nothing_changed_publishes_nothing_and_a_busy_data_dir_waits(data_dir, capsys):
    assert publish_agenda(data_dir, progress=lambda m: None).status == "unchanged"
    save_update(data_dir)
    current = (data_dir / "published").resolve()
    with data_dir_lock(data_dir):
        with pytest.raises(Busy):
            publish_agenda(data_dir, progress=lambda m: None)
        assert main(["--data-dir", str(data_dir), "publish", "--agenda-only"]) == 0
    assert "busy" in capsys.readouterr().err and (data_dir / "published").resolve() == current
    assert "by anna (update_added): not yet published" in status_report(data_dir)
    assert main(["--data-dir", str(data_dir), "publish", "--agenda-only"]) == 0
    assert (data_dir / "published").resolve() != current
    assert "by anna (update_added): published" in status_report(data_dir)


def test_a_full_publish_takes_the_edits_too(data_dir):
    save_update(data_dir, progress=71.0)
    assert publish(data_dir, load_catalog(), progress=lambda m: None).status == "ok"
    assert rows(data_dir / "published" / "public.duckdb",
                "SELECT progress FROM agenda_items WHERE id = 'WA-01'") == [(71.0,)]
    assert publish(data_dir, load_catalog(), progress=lambda m: None).status == "unchanged"
    assert publish_agenda(data_dir, progress=lambda m: None).status == "unchanged"


def test_a_data_dir_from_before_the_store_keeps_its_agenda(data_dir):
    shutil.rmtree(data_dir / store.STORE_DIR)
    publish(data_dir, load_catalog(), progress=lambda m: None)
    con = store.connect(data_dir)
    try:
        assert len(store.items(con)) == 15 and len(store.updates(con)) == 47
        assert store.history(con)[-1]["who"].startswith("wijkbeeld (from the working database)")
    finally:
        con.close()
    assert rows(data_dir / "published" / "staff.duckdb", "SELECT count(*) FROM agenda_items") == [(15,)]


def test_browsers_keep_the_geometry_across_agenda_publishes(data_dir):
    """Geometry URLs name the version that built the geometry, which is served while any version reuses it."""
    from dashboard.app import create_app
    from dashboard.settings import Settings

    built = read_manifest((data_dir / "published").resolve())["geometry"]
    client = create_app(Settings(data_dir=data_dir, audience="public")).server.test_client()
    for progress in (71.0, 72.0, 73.0, 74.0):          # more versions than are kept: the one that built it goes
        save_update(data_dir, progress=progress)
        publish_agenda(data_dir, progress=lambda m: None)
    assert not (data_dir / "versions" / built).exists()
    assert client.application.config["WIJKBEELD_DATA"].geometry_version() == built
    answer = client.get(f"/geometry/{built}/2024-wijk.geojson")
    assert answer.status_code == 200 and answer.get_json()["features"]
    assert client.get("/geometry/20200101T000000-00000000/2024-wijk.geojson").status_code == 404


def test_right_after_an_upgrade_the_agenda_only_publish_keeps_the_agenda(data_dir):
    shutil.rmtree(data_dir / store.STORE_DIR)            # as a data directory made before the store existed
    assert publish_agenda(data_dir, progress=lambda m: None).status == "ok"
    assert rows(data_dir / "published" / "public.duckdb", "SELECT count(*) FROM agenda_items")[0][0] > 0
    assert rows(data_dir / "published" / "staff.duckdb", "SELECT count(*) FROM agenda_items") == [(15,)]
