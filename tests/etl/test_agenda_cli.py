"""``wijkbeeld etl agenda`` and ``etl initiatives`` on the command line: files that would lose data are refused
(a header without rows unless --leeg), and an agenda file that would undo a dashboard edit unless --vervang."""
from __future__ import annotations

from datetime import date

import pytest

from dashboard.cli import main
from etl.demo import DEMO_DIR
from etl.store import open_working
from etl.wijkagenda import edits, store


@pytest.fixture(scope="module")
def data_dir(demo_copy):
    return demo_copy("agenda-cli")


def run(data_dir, *args) -> int:
    return main(["--data-dir", str(data_dir), "etl", *args])


def count(data_dir, table: str) -> int:
    con = open_working(data_dir)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_an_initiatives_file_with_only_a_header_empties_nothing_unless_leeg(data_dir, tmp_path, capsys):
    empty = tmp_path / "initiatieven.csv"
    empty.write_text("id;naam;buurtcode;openbaar\n", encoding="utf-8")
    before = count(data_dir, "initiatives")
    assert run(data_dir, "initiatives", "--file", str(empty)) == 1
    assert "--leeg" in capsys.readouterr().err and count(data_dir, "initiatives") == before > 0
    assert run(data_dir, "initiatives", "--file", str(empty), "--leeg") == 0
    assert count(data_dir, "initiatives") == 0
    assert run(data_dir, "initiatives", "--file", str(DEMO_DIR / "initiatieven.csv")) == 0


def test_a_cut_off_initiatives_file_is_refused(data_dir, tmp_path, capsys):
    whole = (DEMO_DIR / "initiatieven.csv").read_bytes()
    cut = tmp_path / "initiatieven.csv"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    before = count(data_dir, "initiatives")
    assert run(data_dir, "initiatives", "--file", str(cut)) == 1
    assert "cut off" in capsys.readouterr().err and count(data_dir, "initiatives") == before


def test_an_agenda_file_undoing_an_edit_needs_vervang(data_dir, capsys):
    con = store.connect(data_dir)
    try:
        edits.add_update(con, "anna", {"item_id": "WA-03", "date": date(2026, 1, 5), "progress": 100.0,
                                       "status": "afgerond", "note": None, "public": True, "note_public": False})
        stand = store.stand(con)
        assert run(data_dir, "agenda", "--file", str(DEMO_DIR / "wijkagenda.xlsx")) == 1
        said = capsys.readouterr().err
        assert "added in wijkbeeld by anna" in said and "--vervang" in said and store.stand(con) == stand
        assert run(data_dir, "agenda", "--file", str(DEMO_DIR / "wijkagenda.xlsx"), "--vervang") == 0
        assert "replaced the dashboard edit of WA-03: anna" in capsys.readouterr().err
        assert store.stand(con) > stand
    finally:
        con.close()
