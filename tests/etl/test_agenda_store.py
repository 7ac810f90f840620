"""The wijkagenda store: edits with their history, imports merged into it (conflicts named, round trips that change
nothing), and the spreadsheet that goes out and comes back."""
from __future__ import annotations

from datetime import date, datetime, timezone

import openpyxl
import pytest

from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.sources.agenda import AgendaRules, item_from_fields, read_agenda_file, update_from_fields
from etl.wijkagenda import edits, store
from etl.wijkagenda.merge import merge_import
from etl.wijkagenda.template import download_stand, workbook_bytes

WIJKEN = frozenset(f"WK9999{n:02d}" for n in range(6))
RULES = AgendaRules(WIJKEN, {i.id: i.direction for i in load_catalog().indicators}, 2024)


def read(path, rules=RULES, **options):
    return read_agenda_file(path, rules, **options)


@pytest.fixture
def con(tmp_path):
    """A store with the demo agenda imported."""
    connection = store.connect(tmp_path)
    merge_import(connection, read(DEMO_DIR / "wijkagenda.xlsx"), "ina (import)", "wijkagenda.xlsx")
    yield connection
    connection.close()


def download(con, tmp_path, scope="*", name="download.xlsx"):
    wijk = None if scope == "*" else scope
    path = tmp_path / name
    path.write_bytes(workbook_bytes(store.items(con, wijk), store.updates(con, wijk), store.stand(con), scope,
                                    datetime.now(timezone.utc)))
    return path


def update(item_id="WA-01", day=date(2026, 1, 5), progress=60.0, note="buurtkamer open", own="ja"):
    item = {"id": item_id, "public": True}
    return update_from_fields({"id": item_id, "datum": day.isoformat(), "voortgang": str(progress),
                               "status": "loopt", "notitie": note, "openbaar": own}, {item_id: item})


class TestEdits:
    def test_the_store_is_sqlite_in_wal_mode_with_the_demo(self, con):
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert len(store.items(con)) == 15 and len(store.updates(con)) == 47

    def test_an_update_records_who_when_and_the_item_before_and_after(self, con):
        before = store.get_item(con, "WA-01")
        change = edits.add_update(con, "anna", update())
        item = store.get_item(con, "WA-01")
        assert item["progress"] == 60 and item["revision"] == before["revision"] + 1
        last = store.history(con, item_id="WA-01")[0]
        assert (last["id"], last["who"], last["source"], last["action"]) == (change, "anna", "dashboard",
                                                                             "update_added")
        assert last["before"] == {"progress": before["progress"]}
        assert last["after"]["progress"] == 60 and last["after"]["update"]["note"] == "buurtkamer open"
        assert datetime.fromisoformat(last["at"]).tzinfo is not None

    def test_an_older_update_leaves_the_items_progress_alone(self, con):
        edits.add_update(con, "anna", update(day=date(2020, 1, 1), progress=5))
        assert store.get_item(con, "WA-01")["progress"] == 45

    def test_a_correction_replaces_an_update_and_keeps_the_old_one(self, con):
        first = edits.add_update(con, "anna", update(progress=60))
        wrong = con.execute("SELECT id FROM updates WHERE change_id = ?", [first]).fetchone()[0]
        corrected = edits.add_update(con, "bob", update(progress=50), corrects=wrong)
        current = [u for u in store.updates(con) if u["item_id"] == "WA-01"]
        assert [u["progress"] for u in current if u["date"] == date(2026, 1, 5)] == [50]
        old = con.execute("SELECT progress, replaced_by FROM updates WHERE id = ?", [wrong]).fetchone()
        assert tuple(old) == (60, corrected)
        last = store.history(con, item_id="WA-01")[0]
        assert last["action"] == "update_corrected" and last["before"]["update"]["progress"] == 60
        with pytest.raises(edits.NotFound):
            edits.add_update(con, "bob", update(progress=40), corrects=wrong)     # only a current one

    def test_changing_an_item_from_an_old_form_is_refused(self, con):
        item = store.get_item(con, "WA-02")
        changed = {**item, "title": "Vroegsignalering schulden en energie"}
        assert edits.change_item(con, "anna", changed, item["revision"])
        with pytest.raises(edits.Stale) as stale:
            edits.change_item(con, "bob", {**item, "owner": "Iemand anders"}, item["revision"])
        assert stale.value.change["who"] == "anna"
        assert store.get_item(con, "WA-02")["title"] == "Vroegsignalering schulden en energie"
        assert edits.change_item(con, "anna", changed, item["revision"] + 1) is None     # nothing differs

    def test_a_new_item_uses_the_importers_checks(self, con):
        fields = {"id": "WA-99", "wijkcode": "WK999901", "titel": "Buurtkamer", "status": "gepland",
                  "voortgang": "0", "startdatum": "2026-01-01", "deadline": "2025-01-01", "openbaar": "ja",
                  "bovenliggend": "WA-01"}
        with pytest.raises(LoadError) as refused:
            item_from_fields(fields, RULES)
        assert [(p.field, p.message.split(" (")[0]) for p in refused.value.problems] == \
            [("deadline", "due before the start"), ("bovenliggend", "unknown parent: no item with this id")]
        rules = AgendaRules(RULES.wijk_codes, RULES.indicators, 2024, outside={"WA-01": None})
        item = item_from_fields({**fields, "deadline": "2026-12-31"}, rules)
        edits.add_item(con, "anna", item)
        assert store.get_item(con, "WA-99")["parent_id"] == "WA-01"
        with pytest.raises(LoadError, match="exists already"):
            edits.add_item(con, "anna", item)

    def test_an_initiative_serves_one_item(self, con):
        edits.set_links(con, "anna", "WA-01", ["INI-001", "INI-002"])
        edits.set_links(con, "anna", "WA-02", ["INI-002"])
        assert store.links(con) == {"INI-001": "WA-01", "INI-002": "WA-02"}
        assert "INI-002 was linked to WA-01" in store.history(con, item_id="WA-02")[0]["remark"]


class TestImports:
    def test_the_download_imported_unchanged_changes_nothing(self, con, tmp_path):
        edits.add_update(con, "anna", update())
        edits.add_update(con, "anna", update(day=date(2026, 2, 1), own=""))
        edits.add_update(con, "anna", update(day=date(2026, 2, 2), own="nee"))
        edits.change_item(con, "anna", {**store.get_item(con, "WA-05"), "public": False},
                          store.get_item(con, "WA-05")["revision"])
        stand = store.stand(con)
        for scope in ("*", "WK999901"):
            path = download(con, tmp_path, scope, f"{scope.strip('*') or 'all'}.xlsx")
            assert download_stand(path) == stand
            outside = {i["id"]: i["parent_id"] for i in store.items(con) if scope != "*" and i["wijk_code"] != scope}
            rules = AgendaRules(RULES.wijk_codes, RULES.indicators, 2024, scope, outside)
            result = merge_import(con, read(path, rules), "anna", path.name, scope=scope, stand=stand)
            assert result.change is None and not result.counts
        assert store.stand(con) == stand

    def test_an_import_that_would_undo_an_edit_is_refused_naming_it(self, con, tmp_path):
        edits.add_update(con, "anna", update(progress=60))
        stand = store.stand(con)
        with pytest.raises(LoadError) as refused:
            merge_import(con, read(DEMO_DIR / "wijkagenda.xlsx"), "ina", "wijkagenda.xlsx")
        text = str(refused.value)
        assert "item WA-01: changed in wijkbeeld by anna" in text and "voortgang (%)" in text
        assert "progress update of 2026-01-05 for item WA-01 was added in wijkbeeld by anna" in text
        assert "--vervang" in text
        assert store.stand(con) == stand and store.get_item(con, "WA-01")["progress"] == 60

    def test_with_vervang_the_file_wins_and_says_what_it_replaced(self, con):
        edits.add_update(con, "anna", update(progress=60))
        result = merge_import(con, read(DEMO_DIR / "wijkagenda.xlsx"), "ina", "wijkagenda.xlsx", replace_edits=True)
        assert result.replaced and result.replaced[0].startswith("WA-01: anna")
        assert store.get_item(con, "WA-01")["progress"] == 45
        changes = store.history(con, item_id="WA-01")
        assert {c["action"] for c in changes[:2]} == {"item_changed", "update_withdrawn"}
        assert all("replaces the edit of anna" in c["remark"] for c in changes[:2])
        withdrawn = con.execute("SELECT count(*) FROM updates WHERE replaced_by IS NOT NULL").fetchone()[0]
        assert withdrawn == 1          # never deleted: marked as withdrawn by the import

    def test_a_download_edited_after_an_edit_in_wijkbeeld_is_no_conflict(self, con, tmp_path):
        edits.add_update(con, "anna", update(progress=60))
        path = download(con, tmp_path)
        book = openpyxl.load_workbook(path)
        sheet = book["agenda"]
        header = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "WA-01":
                row[header.index("voortgang (%)")].value = 65     # the user's own, later figure
        book.save(path)
        merge_import(con, read(path), "ina", path.name, stand=download_stand(path))
        assert store.get_item(con, "WA-01")["progress"] == 65

    def test_a_file_without_progress_sheet_leaves_the_updates(self, con, tmp_path):
        book = openpyxl.load_workbook(DEMO_DIR / "wijkagenda.xlsx")
        del book["voortgang"]
        path = tmp_path / "zonder.xlsx"
        book.save(path)
        merge_import(con, read(path), "ina", path.name)
        assert len(store.updates(con)) == 47

    def test_a_wijk_import_touches_only_its_wijk(self, con, tmp_path):
        path = download(con, tmp_path, "WK999901")
        book = openpyxl.load_workbook(path)
        gone = book["agenda"].cell(3, 1).value
        book["agenda"].delete_rows(3)           # one item of WK999901 less, and its progress
        for number in reversed(range(2, book["voortgang"].max_row + 1)):
            if book["voortgang"].cell(number, 1).value == gone:
                book["voortgang"].delete_rows(number)
        book.save(path)
        outside = {i["id"]: i["parent_id"] for i in store.items(con) if i["wijk_code"] != "WK999901"}
        rules = AgendaRules(RULES.wijk_codes, RULES.indicators, 2024, "WK999901", outside)
        result = merge_import(con, read(path, rules), "anna", path.name, scope="WK999901")
        assert result.counts["items removed"] == 1
        assert len(store.items(con)) == 14 and len(store.items(con, "WK999902")) > 0
        other = tmp_path / "ander.xlsx"
        other.write_bytes((DEMO_DIR / "wijkagenda.xlsx").read_bytes())
        with pytest.raises(LoadError, match="this import is for wijk WK999901 only"):
            read(other, rules)


    def test_an_item_removed_and_added_again_brings_no_old_progress_back(self, con, tmp_path):
        whole = download(con, tmp_path, name="heel.xlsx")
        for progress_sheet in (True, False):
            book = openpyxl.load_workbook(whole)
            items = book["agenda"]
            items.delete_rows(next(n for n in range(2, items.max_row + 1) if items.cell(n, 1).value == "WA-02"))
            if progress_sheet:
                sheet = book["voortgang"]
                for number in reversed(range(2, sheet.max_row + 1)):
                    if sheet.cell(number, 1).value == "WA-02":
                        sheet.delete_rows(number)
            else:
                del book["voortgang"]
            path = tmp_path / f"zonder-wa-02-{progress_sheet}.xlsx"
            book.save(path)
            merge_import(con, read(path), "ina", path.name)
            assert store.get_item(con, "WA-02") is None and len(store.updates(con)) == 43
            merge_import(con, read(whole), "ina", whole.name)
            assert len(store.updates(con)) == 47
            assert con.execute("SELECT count(*) FROM updates WHERE replaced_by IS NULL").fetchone()[0] == 47


class TestEmptyAndCutOffFiles:
    def test_a_header_without_rows_is_refused_unless_said(self, tmp_path):
        path = tmp_path / "agenda.csv"
        path.write_text("id;wijkcode;titel\n", encoding="utf-8")
        with pytest.raises(LoadError, match="--leeg"):
            read(path)
        assert read(path, empty_ok=True).items == []

    @pytest.mark.parametrize("tail", ["WA-02;WK99", 'WA-02;WK999901;"Half'])
    def test_a_csv_cut_off_in_a_row_is_refused(self, tmp_path, tail):
        path = tmp_path / "agenda.csv"
        path.write_text(f"id;wijkcode;titel\nWA-01;WK999901;Heel\n{tail}", encoding="utf-8")
        with pytest.raises(LoadError) as refused:
            read(path)
        cut = [p for p in refused.value.problems if "cut off" in p.message]
        assert [(p.file, p.row) for p in cut] == [(str(path), 3)]
