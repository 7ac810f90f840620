"""The wijkagenda: items and progress updates read from .xlsx or .csv, refused whole with every problem listed;
and what of it reaches the public file."""
from __future__ import annotations

from dashboard.db import open_read_only

import shutil
from datetime import date, datetime

import openpyxl
import pytest

from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.publish import publish
from etl.sources.agenda import read_agenda
from tests.conftest import tree_checksums

WIJKEN = {f"WK9999{n:02d}" for n in range(6)}
INDICATORS = {i.id: i.direction for i in load_catalog().indicators}
ITEMS = "id;wijkcode;titel;status;voortgang;startdatum;deadline;bovenliggend;indicator;basisjaar;richting;doel;openbaar;notitie"
UPDATES = "id;datum;voortgang;status;notitie"


def item(id="A1", **change):
    cells = {"id": id, "wijkcode": "WK999901", "titel": "Armoedeaanpak", "status": "loopt", "voortgang": "40",
             "startdatum": "01-01-2023", "deadline": "31-12-2025", "bovenliggend": "", "indicator": "laag_inkomen",
             "basisjaar": "2021", "richting": "", "doel": "12,5", "openbaar": "ja", "notitie": "intern"}
    cells.update(change)
    return ";".join(cells[c] for c in ITEMS.split(";"))


def write(tmp_path, items, updates=None, name="agenda"):
    path = tmp_path / f"{name}.csv"
    path.write_text("\n".join([ITEMS, *items]) + "\n", encoding="utf-8-sig")
    if updates is not None:
        (tmp_path / f"{name}_voortgang.csv").write_text("\n".join([UPDATES, *updates]) + "\n", encoding="utf-8")
    return path


def read(path):
    return read_agenda(path, WIJKEN, INDICATORS, 2024)


def refused(path):
    with pytest.raises(LoadError) as error:
        read(path)
    return [(p.file, p.row, p.field, p.value) for p in error.value.problems]


class TestDemoFile:
    def test_items_and_updates(self):
        batch = read(DEMO_DIR / "wijkagenda.xlsx")
        items, updates = batch.replace["agenda_items"], batch.replace["agenda_updates"]
        assert len(items) == 15 and items["id"].is_unique and set(items["wijk_code"]) == WIJKEN
        assert set(items["status"]) == {"idee", "gepland", "loopt", "afgerond", "gestopt"}
        assert items["parent_id"].dropna().isin(items["id"]).all() and items["parent_id"].notna().sum() >= 3
        linked = items[items["indicator_id"].notna()]
        assert len(linked) >= 4 and set(linked["baseline_year"]) <= {2021, 2022} and linked["target"].notna().all()
        assert linked["direction"].isin(["omhoog", "omlaag"]).all()
        assert 0 < items["public"].sum() < 15 and items["note"].notna().any()
        assert 35 <= len(updates) <= 50 and updates["item_id"].isin(items["id"]).all()
        assert updates["progress"].between(0, 100).all() and all(isinstance(d, date) for d in updates["date"])
        private = set(items.loc[~items["public"], "id"])
        assert not updates.loc[updates["item_id"].isin(private), "public"].any()


    def test_committed_templates_are_what_the_generator_makes(self, tmp_path):
        """Regenerate with ``python -m tools.demo_wijkagenda`` when this fails."""
        from tools import demo_wijkagenda

        for path in demo_wijkagenda.generate(tmp_path, demo_dir=DEMO_DIR):
            assert path.read_bytes() == (DEMO_DIR / path.name).read_bytes(), path.name


class TestFormats:
    def test_csv_with_a_voortgang_file_beside_it(self, tmp_path):
        path = write(tmp_path, [item("A1", voortgang=""), item("A2", bovenliggend="A1", indicator="")],
                     ["A1;2023-03-01;10;loopt;gestart", "A1;1-6-2023;25;;", "A2;45000;5;gepland;x"])
        batch = read(path)
        items = batch.replace["agenda_items"].set_index("id")
        assert items.loc["A1", "progress"] == 25, "an item without progress takes its latest update's"
        assert items.loc["A1", "direction"] == "omlaag", "from the catalog: laag_inkomen is lower_is_better"
        assert items.loc["A1", "target"] == 12.5 and items.loc["A2", "parent_id"] == "A1"
        updates = batch.replace["agenda_updates"]
        assert updates["date"].tolist() == [date(2023, 3, 1), date(2023, 6, 1), date(2023, 3, 15)]

    def test_xlsx_second_sheet_serial_and_text_dates(self, tmp_path):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Acties"
        sheet.append(["ID", "Wijk", "Title", "Progress", "Start", "Due", "Public", "Note"])
        sheet.append(["B1", "WK999903", "Groen plein", 0.3, datetime(2024, 1, 1), "1-3-2025", "yes", "<b>x</b>"])
        sheet["D2"].number_format = "0%"
        updates = workbook.create_sheet("Blad2")
        updates.append(["Item", "Date", "Progress"])
        updates.append(["B1", 45352, 30])
        workbook.save(tmp_path / "a.xlsx")
        batch = read(tmp_path / "a.xlsx")
        row = batch.replace["agenda_items"].iloc[0]
        assert (row["progress"], row["start"], row["due"], row["note"]) == (
            pytest.approx(30), date(2024, 1, 1), date(2025, 3, 1), "<b>x</b>")
        assert batch.replace["agenda_updates"]["date"].tolist() == [date(2024, 3, 1)]


class TestProblems:
    def test_progress_outside_0_100(self, tmp_path):
        path = write(tmp_path, [item(voortgang="150")])
        assert refused(path) == [(str(path), 2, "voortgang", "150")]

    def test_due_before_start(self, tmp_path):
        path = write(tmp_path, [item(startdatum="2024-06-01", deadline="01-01-2024")])
        assert refused(path) == [(str(path), 2, "deadline", "2024-01-01")]

    def test_update_for_an_unknown_item(self, tmp_path):
        path = write(tmp_path, [item("A1")], ["A1;2024-01-01;10;;", "A9;2024-02-01;20;;"])
        assert refused(path) == [(str(tmp_path / "agenda_voortgang.csv"), 3, "id", "A9")]

    def test_unknown_parent(self, tmp_path):
        path = write(tmp_path, [item("A1"), item("A2", bovenliggend="A7")])
        assert refused(path) == [(str(path), 3, "bovenliggend", "A7")]

    def test_parents_in_a_cycle(self, tmp_path):
        path = write(tmp_path, [item("A1", bovenliggend="A2"), item("A2", bovenliggend="A1")])
        assert [r[1:3] for r in refused(path)] == [(2, "bovenliggend"), (3, "bovenliggend")]

    def test_unknown_indicator(self, tmp_path):
        path = write(tmp_path, [item(indicator="geluk")])
        assert refused(path) == [(str(path), 2, "indicator", "geluk")]

    def test_unknown_wijk_and_a_buurt_code_as_wijk(self, tmp_path):
        path = write(tmp_path, [item("A1", wijkcode="WK012345"), item("A2", wijkcode="BU99990001")])
        assert refused(path) == [(str(path), 2, "wijkcode", "WK012345"), (str(path), 3, "wijkcode", "BU99990001")]

    def test_duplicate_id(self, tmp_path):
        path = write(tmp_path, [item("A1"), item("A1")])
        assert refused(path) == [(str(path), 3, "id", "A1")]

    def test_missing_required_fields(self, tmp_path):
        path = write(tmp_path, [item("A1", wijkcode="", titel=""), item("")])
        assert refused(path) == [(str(path), 2, "titel", None), (str(path), 2, "wijkcode", None),
                                 (str(path), 3, "id", None)]

    def test_missing_required_column(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("id;titel\nA1;Plan\n")
        assert refused(path) == [(str(path), 1, "wijkcode", None)]

    def test_invalid_status_theme_direction_and_year(self, tmp_path):
        path = write(tmp_path, [item(status="bezig", richting="zijwaarts", basisjaar="21")])
        assert sorted(r[2:] for r in refused(path)) == [("basisjaar", "21"), ("richting", "zijwaarts"),
                                                        ("status", "bezig")]

    def test_every_problem_in_items_and_updates_is_listed(self, tmp_path):
        path = write(tmp_path, [
            item("A1"),
            item("A2", voortgang="150", bovenliggend="A0"),
            item("A1", startdatum="2025-01-01", deadline="2024-01-01"),
        ], ["A1;2024-01-01;-5;;", "A3;2024-02-01;20;;", "A1;gisteren;20;;"])
        found = refused(path)
        updates = str(tmp_path / "agenda_voortgang.csv")
        assert sorted((f.endswith("voortgang.csv"), r, field) for f, r, field, _ in found) == [
            (False, 3, "bovenliggend"), (False, 3, "voortgang"), (False, 4, "deadline"), (False, 4, "id"),
            (True, 2, "voortgang"), (True, 3, "id"), (True, 4, "datum")]
        assert {f for f, *_ in found} == {str(path), updates}

    def test_xlsx_problems_name_the_sheet(self, tmp_path):
        workbook = openpyxl.Workbook()
        workbook.active.title = "agenda"
        workbook.active.append(["id", "wijkcode", "titel"])
        workbook.active.append(["A1", "WK999900", "Plan"])
        workbook.create_sheet("voortgang").append(["id", "datum", "voortgang"])
        workbook["voortgang"].append(["A1", datetime(2024, 1, 1), 150])
        workbook.save(tmp_path / "a.xlsx")
        assert refused(tmp_path / "a.xlsx") == [(f"{tmp_path / 'a.xlsx'} [voortgang]", 2, "voortgang", 150)]


class TestPublished:
    def test_public_file_holds_no_contact_no_note_and_no_private_rows(self, demo_data_dir):
        staff = open_read_only(demo_data_dir / "published" / "staff.duckdb")
        public = open_read_only(demo_data_dir / "published" / "public.duckdb")
        try:
            private_initiatives = {r[0] for r in staff.execute("SELECT id FROM initiatives WHERE NOT public").fetchall()}
            private_items = {r[0] for r in staff.execute("SELECT id FROM agenda_items WHERE NOT public").fetchall()}
            assert private_initiatives and private_items, "the demo has private rows to keep out"
            assert staff.execute("SELECT count(*) FROM agenda_updates").fetchone()[0] > \
                public.execute("SELECT count(*) FROM agenda_updates").fetchone()[0] > 0
            columns = {(t, c) for t, c in public.execute(
                "SELECT table_name, column_name FROM information_schema.columns").fetchall()}
            assert not {c for t, c in columns if c in ("contact", "public", "note_public", "geom")}
            # a progress update's note is public only when marked so (the demo's voortgang marks none)
            assert {t for t, c in columns if c == "note"} == {"agenda_updates"}
            assert public.execute("SELECT count(note) FROM agenda_updates").fetchone()[0] == 0
            public_initiatives = {r[0] for r in public.execute("SELECT id FROM initiatives").fetchall()}
            public_items = {r[0] for r in public.execute("SELECT id FROM agenda_items").fetchall()}
            updated = {r[0] for r in public.execute("SELECT item_id FROM agenda_updates").fetchall()}
            parents = {r[0] for r in public.execute("SELECT parent_id FROM agenda_items WHERE parent_id IS NOT NULL")
                       .fetchall()}
            assert public_initiatives and not public_initiatives & private_initiatives
            assert public_items and not public_items & private_items
            assert updated <= public_items and parents <= public_items
            text = " ".join(str(v) for t in ("initiatives", "agenda_items", "agenda_updates")
                            for row in public.execute(f"SELECT * FROM {t}").fetchall() for v in row)
            assert "@voorbeeldstad.example" not in text and "FG" not in text.split()
        finally:
            staff.close()
            public.close()

    def test_staff_file_has_everything_with_lon_lat(self, demo_data_dir):
        staff = open_read_only(demo_data_dir / "published" / "staff.duckdb")
        try:
            assert staff.execute("SELECT count(*), count(contact), min(lon), max(lat) FROM initiatives").fetchone()[:2] \
                == (25, 25)
            assert staff.execute("SELECT count(*), count(note) FROM agenda_items").fetchone()[0] == 15
        finally:
            staff.close()

    def test_a_refused_agenda_leaves_published_files_byte_identical(self, demo_data_dir, tmp_path):
        data_dir = tmp_path / "d"
        shutil.copytree(demo_data_dir, data_dir, symlinks=True)
        before = tree_checksums(data_dir / "published")
        bad = write(tmp_path, [item("A1", voortgang="150")], ["A9;2024-01-01;10;;"])
        with pytest.raises(LoadError) as error:
            jobs.load_agenda(data_dir, bad)
        assert len(error.value.problems) == 2
        publish(data_dir, load_catalog(), progress=lambda m: None)
        assert tree_checksums(data_dir / "published") == before
        staff = open_read_only(data_dir / "published" / "staff.duckdb")
        try:
            assert staff.execute("SELECT count(*) FROM agenda_items").fetchone()[0] == 15
        finally:
            staff.close()

    def test_cli_loads_an_agenda(self, demo_data_dir, tmp_path):
        from dashboard.cli import main

        data_dir = tmp_path / "d"
        shutil.copytree(demo_data_dir, data_dir, symlinks=True)
        good = write(tmp_path, [item("A1")], ["A1;2024-01-01;10;loopt;"])
        assert main(["etl", "agenda", "--file", str(good), "--data-dir", str(data_dir)]) == 0
        bad = write(tmp_path, [item("A1", voortgang="150")], name="slecht")
        assert main(["etl", "agenda", "--file", str(bad), "--data-dir", str(data_dir)]) == 1
