"""RIVM Gezondheid per wijk en buurt (50120NED): exports, margins, age groups, bad input, download."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.sources.health import fetch_health, margin_kind, read_health_file

HEADER = ["ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1", "SoortRegio_2",
          "Eenzaam_28", "ErnstigZeerErnstigEenzaam_29", "FietsenNaarSchoolOfWerk_36"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def write_csv(path, rows, header=HEADER, separator=",", bom=False):
    lines = [separator.join(header)] + [separator.join(row) for row in rows]
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(code, eenzaam="    47.6", ernstig="    11.4", marges="MW00000", leeftijd="20300", perioden="2020JJ00"):
    return ["1", leeftijd, marges, code.ljust(10), perioden, "Deventer".ljust(40), "Gemeente  ", eenzaam, ernstig, ""]


class TestMarginKind:
    def test_cbs_codes(self):
        assert [margin_kind(c) for c in ("MW00000", "MOG0095", "MBG0095", " MW00000 ")] == \
            ["value", "lower", "upper", "value"]

    def test_labels_and_unknown(self):
        assert margin_kind("Ondergrens 95%-interval") == "lower"
        assert margin_kind("upper bound") == "upper"
        assert margin_kind("MXX0001") is None


RIVM_2020 = "health/rivm_50120NED_gezondheid_wijk_buurt_2020_18plus"


@pytest.fixture(scope="module")
def csv_batch(shared_cbs, catalog):
    started = time.perf_counter()
    batch = read_health_file(shared_cbs / f"{RIVM_2020}.csv", catalog)
    return batch, time.perf_counter() - started


@pytest.fixture(scope="module")
def xlsx_batch(shared_cbs, catalog):
    return read_health_file(shared_cbs / f"{RIVM_2020}.xlsx", catalog)


@pytest.mark.shared
class TestRealRivmExport:
    def test_loads_fast(self, csv_batch):
        assert csv_batch[1] < 5

    def test_loneliness_for_every_buurt(self, csv_batch):
        batch = csv_batch[0]
        eenzaam = batch.observations.query("indicator_id == 'eenzaam'")
        assert eenzaam["level"].value_counts().to_dict() == {"buurt": 13808, "wijk": 3177, "gemeente": 355,
                                                             "land": 1}
        buurten = eenzaam.query("level == 'buurt'")
        assert buurten["code"].is_unique
        # Most buurten carry a model estimate; 742 (mostly "verspreide huizen", ...09) carry the CBS "." symbol.
        assert buurten["status"].value_counts().to_dict() == {"estimate": 13066, "missing": 742}
        assert buurten.query("status == 'estimate'")["value"].notna().all()
        assert buurten.query("status == 'missing'")["value"].isna().all()
        assert set(eenzaam.query("level in ['land', 'gemeente']")["status"]) == {"estimate"}
        assert set(eenzaam["age_group"]) == {"18+"}
        assert set(eenzaam["year"]) == {2020}
        assert set(eenzaam["source_table"]) == {"50120NED"} and set(eenzaam["source_column"]) == {"Eenzaam_28"}
        assert batch.rows_in == 17341

    def test_known_values(self, csv_batch):
        values = csv_batch[0].observations.set_index(["indicator_id", "code"])["value"]
        assert values["eenzaam", "GM0150"] == 47.6 and values["ernstig_eenzaam", "GM0150"] == 11.4
        assert values["eenzaam", "BU01500101"] == 51.3 and values["ernstig_eenzaam", "BU01500101"] == 13.2
        assert values["eenzaam", "NL00"] == 47.0 and values["ernstig_eenzaam", "NL00"] == 11.2

    def test_column_map(self, csv_batch):
        column_map = csv_batch[0].column_map
        assert dict(zip(column_map["indicator_id"], column_map["source_key"])) == {
            "eenzaam": "Eenzaam_28", "ernstig_eenzaam": "ErnstigZeerErnstigEenzaam_29",
            "moeite_rondkomen": "MoeiteMetRondkomen_38"}
        assert set(column_map["table_id"]) == {"50120NED"} and set(column_map["year"]) == {2020}
        assert set(column_map["status"]) == {"resolved"}

    def test_no_margins_in_this_export(self, csv_batch):
        assert csv_batch[0].observations[["lower", "upper"]].isna().all().all()

    def test_xlsx_gives_the_same_observations(self, csv_batch, xlsx_batch):
        pd.testing.assert_frame_equal(csv_batch[0].observations, xlsx_batch.observations)
        pd.testing.assert_frame_equal(csv_batch[0].column_map, xlsx_batch.column_map)


class TestSyntheticExports:
    def test_semicolons_bom_margins_and_age_groups(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [
            row("NL01"),
            row("GM0150", eenzaam="    47.6"),
            row("GM0150", eenzaam="    45.1", marges="MOG0095"),
            row("GM0150", eenzaam="    50.2", marges="MBG0095"),
            row("GM0150", eenzaam="    40.0", leeftijd="53115"),
            row("BU01500101", eenzaam="", ernstig="-99997"),
        ], separator=";", bom=True)
        batch = read_health_file(path, catalog)
        observations = batch.observations.set_index(["indicator_id", "code"])
        gm = observations.loc[("eenzaam", "GM0150")]
        assert (gm["value"], gm["lower"], gm["upper"], gm["status"]) == (47.6, 45.1, 50.2, "estimate")
        assert observations.loc[("eenzaam", "NL00"), "level"] == "land"
        assert pd.isna(observations.loc[("eenzaam", "NL00"), "lower"])
        buurt = observations.loc[("eenzaam", "BU01500101")]
        assert buurt["status"] == "missing" and pd.isna(buurt["value"])
        assert observations.loc[("ernstig_eenzaam", "BU01500101"), "status"] == "suppressed"
        assert len(batch.observations) == 2 * 3
        assert any("kept 5 of 6 rows" in note for note in batch.notes)

    def test_another_age_group(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150"), row("GM0150", eenzaam="40.0",
                                                                            leeftijd="53115")])
        batch = read_health_file(path, catalog, age_group="53115")
        assert batch.observations.query("indicator_id == 'eenzaam'")["value"].tolist() == [40.0]
        assert set(batch.observations["age_group"]) == {"18-64"}
        assert len(read_health_file(path, catalog, age_group="18-64").observations) == 2

    def test_several_waves(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", perioden="2016JJ00"), row("GM0150")])
        batch = read_health_file(path, catalog)
        assert sorted(set(batch.observations["year"])) == [2016, 2020]

    def test_an_empty_column_is_unpublished(self, tmp_path, catalog):
        header = HEADER[:-1] + ["MoeiteMetRondkomen_38"]
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150"), row("BU01500101")], header=header)
        batch = read_health_file(path, catalog)
        status = dict(zip(batch.column_map["indicator_id"], batch.column_map["status"]))
        assert status == {"eenzaam": "resolved", "ernstig_eenzaam": "resolved", "moeite_rondkomen": "unpublished"}
        assert "not yet published in 50120NED: moeite_rondkomen" in batch.notes


class TestBadInput:
    def test_unknown_region_code(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150"), row("XX12")])
        with pytest.raises(LoadError, match="not a CBS region code") as caught:
            read_health_file(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.file, problem.row, problem.field) == (str(path), 3, "WijkenEnBuurten")

    def test_missing_required_column(self, tmp_path, catalog):
        header = [name for name in HEADER if name != "Perioden"]
        rows = [[cell for name, cell in zip(HEADER, row("GM0150")) if name != "Perioden"]]
        path = write_csv(tmp_path / "gezondheid.csv", rows, header=header)
        with pytest.raises(LoadError) as caught:
            read_health_file(path, catalog)
        assert (caught.value.problems[0].file, caught.value.problems[0].field) == (str(path), "Perioden")

    def test_a_number_that_is_not_one(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150"), row("BU01500101", ernstig="    n.b.")])
        with pytest.raises(LoadError, match="not a number") as caught:
            read_health_file(path, catalog)
        problem = caught.value.problems[0]
        assert (problem.row, problem.field, problem.value) == (3, "ErnstigZeerErnstigEenzaam_29", "    n.b.")

    def test_a_period_that_is_no_year(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", perioden="2020KW01")])
        with pytest.raises(LoadError, match="period") as caught:
            read_health_file(path, catalog)
        assert caught.value.problems[0].field == "Perioden"

    def test_no_rows_of_the_age_group(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", leeftijd="80200")])
        with pytest.raises(LoadError, match="20300"):
            read_health_file(path, catalog)

    def test_not_a_workbook(self, tmp_path, catalog):
        path = tmp_path / "gezondheid.xlsx"
        path.write_bytes(b"PK\x03\x04 truncated")
        with pytest.raises(LoadError) as caught:
            read_health_file(path, catalog)
        assert caught.value.problems[0].file == str(path)


class TestFetchHealth:
    def test_through_the_local_service(self, odata_server, monkeypatch, catalog):
        monkeypatch.setenv("WIJKBEELD_CBS_DATADERDEN_URL", odata_server.base)
        odata_server.route("/ODataApi/odata/50120NED/DataProperties", {"odata.metadata": "x", "value": [
            {"Type": "Dimension", "Key": "Leeftijd", "Title": "Leeftijd"},
            {"Type": "Topic", "Key": "Eenzaam_27", "Title": "Eenzaam", "Unit": "%"},
            {"Type": "Topic", "Key": "ErnstigZeerErnstigEenzaam_28", "Title": "Ernstig/zeer ernstig eenzaam",
             "Unit": "%"},
        ]})
        rows = []
        for number, (code, marges, value) in enumerate([
                ("NL01", "MW00000", 47.0), ("GM0150", "MW00000", 47.6), ("GM0150", "MOG0095", 46.0),
                ("GM0150", "MBG0095", 49.1), ("BU01500101", "MW00000", None)]):
            rows.append({"ID": number, "Leeftijd": "20300", "Marges": marges, "WijkenEnBuurten": code.ljust(10),
                         "Perioden": "2022JJ00", "Eenzaam_27": value, "ErnstigZeerErnstigEenzaam_28": 11.0})
        odata_server.pages("/ODataFeed/odata/50120NED/TypedDataSet", rows, page_size=2)
        messages = []
        batch, provenance = fetch_health("50120NED", catalog, progress=messages.append)

        assert "$filter=Leeftijd%20eq%20%2720300%27" in provenance["url"]
        assert messages[-1] == "50120NED: 5 rows"
        observations = batch.observations.set_index(["indicator_id", "code"])
        gm = observations.loc[("eenzaam", "GM0150")]
        assert (gm["value"], gm["lower"], gm["upper"], gm["year"]) == (47.6, 46.0, 49.1, 2022)
        assert observations.loc[("eenzaam", "BU01500101"), "status"] == "missing"
        assert set(batch.observations["age_group"]) == {"18+"}
        assert set(batch.column_map["source_title"]) == {"Eenzaam", "Ernstig/zeer ernstig eenzaam"}
        assert set(batch.column_map["year"]) == {2022}
        assert len(provenance["sha256"]) == 64
