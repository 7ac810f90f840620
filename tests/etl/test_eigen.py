"""The gemeente's own figures (wijkbeeld etl eigen): pairing, declaration, validation, loading and publishing."""
from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest

from dashboard.db import open_read_only
from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR
from etl.errors import LoadError
from etl.publish import publish
from etl.sources.eigen import read_eigen

KNOWN = {"GM9999", "WK999900", "WK999901", "BU99990001", "BU99990101"}
DECLARATION = [["code", "label", "eenheid", "thema", "bron", "openbaar", "richting", "omschrijving"],
               ["veilig", "Voelt zich veilig in de buurt", "%", "wonen", "Bewonersenquête 2023", "ja",
                "hoger is beter", "Aandeel bewoners dat zich (zeer) veilig voelt."],
               ["meldingen_overlast", "Meldingen van overlast", "per 1.000 inwoners", "wonen",
                "Meldingenregistratie gemeente", "nee", "lager is beter", ""]]
FIGURES = [["wijkcode", "naam", "jaar", "veilig", "meldingen_overlast"],
           ["WK999900", "Centrum", 2023, 71.5, 12.25],
           ["WK999901", "Oude Haven", 2023, 64, None],
           ["GM9999", "Voorbeeldstad", 2023, 70.1, 9.5]]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def workbook(path, figures=FIGURES, declaration=DECLARATION, declaration_sheet="indicatoren"):
    book = openpyxl.Workbook()
    book.active.title = "cijfers"
    for row in figures:
        book.active.append(row)
    if declaration is not None:
        sheet = book.create_sheet(declaration_sheet)
        for row in declaration:
            sheet.append(row)
    book.save(path)
    return path


def csv_pair(folder, figures_text: str, declaration_text: str | None, name="eigen"):
    path = folder / f"{name}.csv"
    path.write_text(figures_text, encoding="utf-8")
    if declaration_text is not None:
        (folder / f"{name}_indicatoren.csv").write_text(declaration_text, encoding="utf-8")
    return path


def refused(path, catalog, known=KNOWN) -> list:
    with pytest.raises(LoadError) as caught:
        read_eigen(path, known, catalog)
    return caught.value.problems


class TestRead:
    def test_a_workbook_with_its_declaration(self, tmp_path, catalog):
        batch = read_eigen(workbook(tmp_path / "enquete.xlsx"), KNOWN, catalog)
        values = batch.observations.set_index(["indicator_id", "code"])
        assert values.loc[("eigen.veilig", "WK999900"), "value"] == 71.5
        assert values.loc[("eigen.veilig", "GM9999"), "level"] == "gemeente"
        assert ("eigen.meldingen_overlast", "WK999901") not in values.index   # an empty cell is no figure
        assert set(batch.observations["source_table"]) == {"enquete"}
        assert set(batch.observations["status"]) == {"ok"} and set(batch.observations["year"]) == {2023}
        indicators = batch.indicators.set_index("id")
        veilig = indicators.loc["eigen.veilig"]
        assert (veilig["label_nl"], veilig["unit"], veilig["theme"], veilig["direction"], veilig["public"],
                veilig["attribution"]) == ("Voelt zich veilig in de buurt", "%", "wonen", "higher_is_better", True,
                                           "Bron: Bewonersenquête 2023")
        assert indicators.loc["eigen.meldingen_overlast", "public"] == False   # noqa: E712 (numpy bool)
        assert indicators.loc["eigen.meldingen_overlast", "direction"] == "lower_is_better"
        assert set(batch.column_map["source"]) == {"eigen"}

    def test_a_csv_with_its_declaration_beside_it(self, tmp_path, catalog):
        path = csv_pair(tmp_path, "buurtcode;jaar;Veilig (%)\nBU99990001;2022;52,3\nBU99990101;2022;61\n",
                        "code;label;eenheid;thema;bron\nveilig;Voelt zich veilig;%;wonen;Enquête\n")
        batch = read_eigen(path, KNOWN, catalog)
        assert batch.observations.set_index("code")["value"].to_dict() == {"BU99990001": 52.3, "BU99990101": 61.0}
        assert set(batch.observations["level"]) == {"buurt"}
        # empty openbaar: not public; empty richting: neutral
        assert batch.indicators[["public", "direction"]].values.tolist() == [[False, "neutral"]]

    def test_a_declaration_without_figures_is_noted(self, tmp_path, catalog):
        declaration = DECLARATION + [["later", "Later", "%", "wonen", "Enquête 2025"]]
        batch = read_eigen(workbook(tmp_path / "e.xlsx", declaration=declaration), KNOWN, catalog)
        assert "declared but without figures: later" in batch.notes
        assert dict(zip(batch.column_map["indicator_id"], batch.column_map["status"]))["eigen.later"] == \
            "unpublished"


class TestRefused:
    def test_without_a_declaration(self, tmp_path, catalog):
        csv = csv_pair(tmp_path, "wijkcode;jaar;veilig\nWK999900;2023;70\n", None)
        assert "eigen_indicatoren.csv beside the file" in str(refused(csv, catalog)[0])
        book = workbook(tmp_path / "e.xlsx", declaration=None)
        assert "a sheet 'indicatoren'" in str(refused(book, catalog)[0])

    def test_every_problem_at_once_with_file_row_and_field(self, tmp_path, catalog):
        figures = [["wijkcode", "jaar", "veilig", "onbekend"],
                   ["WK999900", 2023, 71.5, 1],
                   ["WK123456", 2023, 60, None],          # unknown code
                   ["BU9999", 2023, 60, None],            # not a code
                   ["WK999900", 2023, 70, None],          # the same region and year again
                   ["WK999901", 2023, "veel", None],      # no number
                   ["WK999901", 1850, 50, None]]          # no plausible year
        declaration = [DECLARATION[0], DECLARATION[1], ["veilig", "Nog eens", "%", "sport", "x"]]
        path = workbook(tmp_path / "kapot.xlsx", figures, declaration)
        found = {(p.row, p.field) for p in refused(path, catalog)}
        figures_sheet = f"{path} [cijfers]"
        messages = [str(p) for p in refused(path, catalog)]
        assert {(1, "onbekend"), (3, "wijkcode"), (4, "wijkcode"), (5, "wijkcode"), (6, "veilig"),
                (7, "jaar"), (3, "thema"), (3, "code")} <= found
        assert any(m.startswith(figures_sheet) and "not a declared indicator" in m for m in messages)
        assert any("unknown code" in m and "WK123456" in m for m in messages)
        assert any("occur twice (also on row 2)" in m for m in messages)
        assert any(m.startswith(f"{path} [indicatoren], row 3, field 'code'") and "declared twice" in m
                   for m in messages)

    def test_missing_columns_of_the_declaration(self, tmp_path, catalog):
        declaration = [["code", "label"], ["veilig", "Veilig"]]
        problems = refused(workbook(tmp_path / "e.xlsx", FIGURES[:2], declaration), catalog)
        assert {p.field for p in problems} >= {"eenheid", "thema", "bron"}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The demo boundaries of 2024 in a working database, with a workbook of own figures loaded and published."""
    data_dir = tmp_path_factory.mktemp("eigen")
    jobs.load_boundaries(data_dir, file=DEMO_DIR / "wijkenbuurten_2024.gpkg")
    path = workbook(tmp_path_factory.mktemp("eigen-input") / "enquete.xlsx")
    jobs.load_eigen(data_dir, file=path)
    publish(data_dir, load_catalog(), progress=lambda message: None)
    return data_dir, path


class TestLoadAndPublish:
    def test_staff_has_every_own_figure_with_its_source_line(self, loaded):
        data_dir, _ = loaded
        con = open_read_only(data_dir / "published" / "staff.duckdb")
        try:
            own = dict(con.execute("SELECT id, attribution FROM indicators WHERE source = 'eigen'").fetchall())
            count = con.execute("SELECT count(*) FROM observations WHERE indicator_id LIKE 'eigen.%'").fetchone()[0]
        finally:
            con.close()
        assert own == {"eigen.veilig": "Bron: Bewonersenquête 2023",
                       "eigen.meldingen_overlast": "Bron: Meldingenregistratie gemeente"}
        assert count == 5

    def test_the_public_file_only_has_what_is_declared_public(self, loaded):
        data_dir, _ = loaded
        con = open_read_only(data_dir / "published" / "public.duckdb")
        try:
            own = [r[0] for r in con.execute("SELECT id FROM indicators WHERE source = 'eigen'").fetchall()]
            observed = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observations "
                                                  "WHERE indicator_id LIKE 'eigen.%'").fetchall()}
            dump = str(con.execute("SELECT * FROM indicators").fetchall())
        finally:
            con.close()
        assert own == ["eigen.veilig"] and observed == {"eigen.veilig"}
        assert "Meldingen" not in dump

    def test_loading_the_file_again_replaces_what_it_loaded(self, loaded, tmp_path):
        data_dir, path = loaded
        workbook(path, figures=[row[:4] for row in FIGURES], declaration=DECLARATION[:2])
        jobs.load_eigen(data_dir, file=path)
        from etl.store import connect
        con = connect(data_dir / "wijkbeeld.duckdb", read_only=True)
        try:
            own = [r[0] for r in con.execute("SELECT id FROM indicators WHERE source = 'eigen'").fetchall()]
            observed = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM observations "
                                                  "WHERE source_table = 'enquete'").fetchall()}
        finally:
            con.close()
        assert own == ["eigen.veilig"] and observed == {"eigen.veilig"}

    def test_unknown_codes_are_checked_against_the_loaded_boundaries(self, loaded, tmp_path):
        data_dir, _ = loaded
        path = workbook(tmp_path / "elders.xlsx", figures=[FIGURES[0], ["WK015001", "Elders", 2023, 50, 1]])
        with pytest.raises(LoadError, match="unknown code") as caught:
            jobs.load_eigen(data_dir, file=path)
        assert (caught.value.problems[0].row, caught.value.problems[0].field) == (2, "wijkcode")

    def test_the_command(self, loaded, tmp_path):
        data_dir, _ = loaded
        path = workbook(tmp_path / "cli.xlsx")
        result = subprocess.run([sys.executable, "-m", "dashboard.cli", "--data-dir", str(data_dir), "etl", "eigen",
                                 "--file", str(path)], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert "2 own indicators (1 public)" in result.stderr
