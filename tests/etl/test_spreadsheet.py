"""etl/sources/spreadsheet.py: what municipal .csv/.xlsx exports look like, read the same way."""
from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from etl.errors import LoadError
from etl.sources.cells import parse_date, parse_number
from etl.sources.spreadsheet import (Problems, fold_header, parse_bool, parse_status, parse_theme, read_csv,
                                     read_xlsx, records, spec)


class TestReadCsv:
    def test_semicolons_utf8_bom(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_bytes("\ufeffid;naam;lat\r\n1;Café;52,0877\r\n".encode("utf-8"))
        sheet = read_csv(path)
        assert sheet.header == ["id", "naam", "lat"] and sheet.rows == [(2, ["1", "Café", "52,0877"])]

    def test_cp1252_is_detected(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_bytes("id;naam\r\n1;Café de Buurtkamer\r\n".encode("cp1252"))
        assert read_csv(path).rows[0][1][1] == "Café de Buurtkamer"

    def test_commas_with_quoted_decimal_commas(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text('id,naam,lat\n1,"Buurt, huis","52,0877"\n', encoding="utf-8")
        assert read_csv(path).rows == [(2, ["1", "Buurt, huis", "52,0877"])]

    def test_empty_lines_keep_the_row_numbers_the_user_sees(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("id;naam\n1;a\n;\n3;c\n", encoding="utf-8")
        assert [n for n, _ in read_csv(path).rows] == [2, 4]


class TestReadXlsx:
    def test_cells_keep_their_types_and_percentages_read_as_percent(self, tmp_path):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "agenda"
        sheet.append(["id", "start", "voortgang"])
        sheet.append(["A1", datetime(2024, 3, 1), 0.45])
        sheet["C2"].number_format = "0%"
        workbook.create_sheet("voortgang").append(["id", "datum"])
        workbook.save(tmp_path / "a.xlsx")
        first, second = read_xlsx(tmp_path / "a.xlsx")
        assert first.source.endswith("a.xlsx [agenda]") and second.name == "voortgang"
        (number, cells), = first.rows
        assert number == 2 and cells[1] == datetime(2024, 3, 1) and cells[2] == pytest.approx(45)

    def test_not_a_workbook(self, tmp_path):
        (tmp_path / "a.xlsx").write_text("nope")
        with pytest.raises(LoadError, match="not a readable .xlsx"):
            read_xlsx(tmp_path / "a.xlsx")


class TestColumns:
    def test_headers_fold_case_spaces_and_units(self):
        assert fold_header(" Voortgang (%) ") == "voortgang" and fold_header("RD-X") == "rd_x"

    def test_aliases_and_joined_contact_columns(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("ID;Titel;Contactpersoon;E-mail;Telefoon;iets anders\n7;Plan;Jan;jan@x.example;;z\n")
        rows = records(read_csv(path), spec("initiatives"), Problems())
        assert rows.rows == [(2, {"id": "7", "name": "Plan", "contact": "Jan | jan@x.example"})]
        assert rows.header("name") == "Titel"

    def test_missing_required_column_is_a_problem_on_the_header_row(self, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text("id;omschrijving\n1;x\n")
        problems = Problems()
        records(read_csv(path), spec("initiatives"), problems)
        (problem,) = problems.items
        assert (problem.file, problem.row, problem.field) == (str(path), 1, "naam")
        assert "missing column" in problem.message


class TestValues:
    @pytest.mark.parametrize("raw, expected", [
        ("52,0877", 52.0877), ("4.8945", 4.8945), ("155.000,25", 155000.25), ("1,234.5", 1234.5),
        ("155.000", 155.0), (" 45 % ", 45.0), (12, 12.0), ("-3,5", -3.5)])
    def test_numbers(self, raw, expected):
        assert parse_number(raw) == pytest.approx(expected)

    @pytest.mark.parametrize("raw", ["abc", "1,2,3x", "", True])
    def test_not_numbers(self, raw):
        with pytest.raises(ValueError):
            parse_number(raw)

    @pytest.mark.parametrize("raw", [
        "2024-03-01", "01-03-2024", "1-3-2024", "1/3/2024", "01.03.2024", "2024-03-01 00:00:00",
        45352, 45352.0, "45352", datetime(2024, 3, 1, 0, 0), date(2024, 3, 1)])
    def test_dates(self, raw):
        assert parse_date(raw) == date(2024, 3, 1)

    @pytest.mark.parametrize("raw", ["31-02-2024", "maart", "12", 3.5, "2024-13-01"])
    def test_not_dates(self, raw):
        with pytest.raises(ValueError):
            parse_date(raw)

    @pytest.mark.parametrize("raw, expected", [("ja", True), ("Nee", False), ("TRUE", True), ("false", False),
                                               ("1", True), (0, False), ("yes", True), ("no", False)])
    def test_booleans(self, raw, expected):
        assert parse_bool(raw) is expected

    def test_not_a_boolean(self):
        with pytest.raises(ValueError, match="ja/nee"):
            parse_bool("misschien")

    def test_statuses_and_themes_from_the_column_file(self):
        assert parse_status("Loopt") == "loopt" and parse_status("in uitvoering") == "loopt"
        assert parse_theme("Wonen") == "wonen" and parse_theme("armoede") == "armoede"
        with pytest.raises(ValueError, match="idee, gepland, loopt, afgerond, gestopt"):
            parse_status("bezig?")
        with pytest.raises(ValueError, match="not one of"):
            parse_theme("sport")
