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

    def test_every_topic_is_a_series(self, csv_batch):
        column_map = csv_batch[0].column_map.set_index("source_key")
        assert len(column_map) == 35   # every column but ID, the 4 dimensions and the 3 region descriptions
        assert column_map.loc["Eenzaam_28", "indicator_id"] == "eenzaam"
        assert column_map.loc["ErnstigZeerErnstigEenzaam_29", "indicator_id"] == "ernstig_eenzaam"
        assert column_map.loc["MoeiteMetRondkomen_38", "indicator_id"] == "moeite_rondkomen"
        overgewicht = column_map.loc["Overgewicht_9"]
        assert (overgewicht["indicator_id"], overgewicht["source_title"], overgewicht["cbs_group"],
                overgewicht["unit"], overgewicht["decimals"], overgewicht["age_group"]) == \
            ("gezondheid.overgewicht", "Overgewicht", "Leefstijl > Gewicht", "%", 1, "18+")
        assert column_map.loc["MatigVeelRegieOverEigenLeven_27", "indicator_id"] == \
            "gezondheid.matig_veel_regie_over_eigen_leven"
        assert set(column_map["table_id"]) == {"50120NED"} and set(column_map["year"]) == {2020}
        assert set(column_map["source"]) == {"gezondheid"}
        # the 2020 wave left the walking and cycling figures empty
        unpublished = set(column_map.index[column_map["status"] == "unpublished"])
        assert unpublished == {"LopenEnOfFietsenNaarSchoolOfWerk_34", "LopenNaarSchoolOfWerk_35",
                               "FietsenNaarSchoolOfWerk_36"}
        assert "Gemeentenaam_1" not in column_map.index and "Codering_3" not in column_map.index

    def test_known_values_of_other_topics(self, csv_batch):
        values = csv_batch[0].observations.set_index(["indicator_id", "code"])["value"]
        assert values["gezondheid.mantelzorger", "NL00"] > 0
        assert values.loc["gezondheid.overgewicht"].notna().sum() > 13000

    def test_no_margins_in_this_export(self, csv_batch):
        assert csv_batch[0].observations[["lower", "upper"]].isna().all().all()

    def test_xlsx_gives_the_same_observations(self, csv_batch, xlsx_batch):
        pd.testing.assert_frame_equal(csv_batch[0].observations, xlsx_batch.observations)
        pd.testing.assert_frame_equal(csv_batch[0].column_map, xlsx_batch.column_map)


def as_age_group(source_path, target_path, leeftijd: str, shift: float = 0.0, gemeente: str | None = None):
    """A copy of a real export with another ``Leeftijd`` in every row (and its figures shifted by ``shift``),
    of Nederland and one gemeente only when ``gemeente`` (``0150``) is given."""
    frame = pd.read_csv(source_path, dtype=str, keep_default_na=False)
    if gemeente:
        codes = frame["WijkenEnBuurten"].str.strip()
        frame = frame[(codes == "NL01") | codes.str[2:6].eq(gemeente)]
    frame["Leeftijd"] = leeftijd
    if shift:
        for column in ("Eenzaam_28", "ErnstigZeerErnstigEenzaam_29"):
            frame[column] = [f"{float(v) + shift:8.1f}" if v.strip() not in ("", ".") else v for v in frame[column]]
    frame.to_csv(target_path, index=False)
    return target_path


@pytest.fixture(scope="module")
def plus65(shared_cbs, tmp_path_factory):
    """The real 18+ export turned into a 65+ one: every Leeftijd 80200, loneliness 10 points higher."""
    folder = tmp_path_factory.mktemp("rivm65")
    return as_age_group(shared_cbs / f"{RIVM_2020}.csv", folder / "rivm_2020_65plus.csv", "80200", shift=10.0)


@pytest.mark.shared
class TestRealExportPerAgeGroup:
    """A real 65+ export (``Leeftijd`` 80200) loads, alone or next to the 18+ one."""

    def test_a_file_of_65_plus_alone(self, plus65, catalog):
        batch = read_health_file(plus65, catalog)
        eenzaam = batch.observations.query("indicator_id == 'eenzaam_65plus'").set_index("code")
        assert eenzaam.loc["GM0150", "value"] == pytest.approx(57.6) and eenzaam.loc["NL00", "value"] == 57.0
        assert set(batch.observations["age_group"]) == {"65+"}
        assert all(i.endswith("_65plus") for i in batch.column_map["indicator_id"])
        assert len(batch.column_map) == 35
        assert any("65+ (80200)" in note for note in batch.notes)

    def test_65_plus_next_to_18_plus_in_one_working_database(self, shared_cbs, tmp_path):
        """Deventer's rows of the real export, as 18+ and as a derived 65+ file, loaded one after the other."""
        from etl import jobs
        from etl.store import connect

        real = shared_cbs / f"{RIVM_2020}.csv"
        jobs.load_health(tmp_path, file=as_age_group(real, tmp_path / "18plus.csv", "20300", gemeente="0150"))
        jobs.load_health(tmp_path, file=as_age_group(real, tmp_path / "65plus.csv", "80200", 10.0, "0150"))
        con = connect(tmp_path / "wijkbeeld.duckdb", read_only=True)
        try:
            values = dict(con.execute("SELECT indicator_id, value FROM observations WHERE code = 'GM0150' "
                                      "AND indicator_id IN ('eenzaam', 'eenzaam_65plus')").fetchall())
            labels = dict(con.execute("SELECT id, label_nl FROM indicators WHERE id LIKE 'eenzaam%' "
                                      "OR id LIKE 'gezondheid.roker%'").fetchall())
            ages = dict(con.execute("SELECT id, age_group FROM indicators WHERE source = 'gezondheid'").fetchall())
        finally:
            con.close()
        assert values == {"eenzaam": 47.6, "eenzaam_65plus": pytest.approx(57.6)}
        assert labels == {"eenzaam": "Eenzaam", "eenzaam_65plus": "Eenzaam (65 jaar of ouder)",
                          "gezondheid.roker": "Roker", "gezondheid.roker_65plus": "Roker (65 jaar of ouder)"}
        assert list(ages.values()).count("18+") == 35 and list(ages.values()).count("65+") == 35

    def test_both_age_groups_in_one_file(self, shared_cbs, tmp_path, catalog):
        real = shared_cbs / f"{RIVM_2020}.csv"
        adults = as_age_group(real, tmp_path / "18plus.csv", "20300", gemeente="0150")
        older = as_age_group(real, tmp_path / "65plus.csv", "80200", 10.0, "0150")
        both = tmp_path / "both.csv"
        both.write_text(adults.read_text(encoding="utf-8")
                        + "".join(older.read_text(encoding="utf-8").splitlines(keepends=True)[1:]), encoding="utf-8")
        batch = read_health_file(both, catalog)
        assert set(batch.observations["age_group"]) == {"18+", "65+"}
        regions = 1 + 1 + 15 + 69    # Nederland, Deventer, its wijken and buurten (2020)
        assert len(batch.observations) == 2 * 35 * regions
        only = read_health_file(both, catalog, age_group="65+")
        assert set(only.observations["age_group"]) == {"65+"}


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
        # 18+: NL, GM0150 and a buurt; 18-64: GM0150; each with 3 topics (the empty walking column too)
        assert len(batch.observations) == (3 + 1) * 3
        young = observations.loc[("eenzaam_18_64", "GM0150")]
        assert (young["value"], young["age_group"]) == (40.0, "18-64")

    def test_margins_of_every_topic_and_age_group(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [
            row("GM0150", leeftijd="80200"),
            row("GM0150", eenzaam="40.1", ernstig="9.0", marges="MOG0095", leeftijd="80200"),
            row("GM0150", eenzaam="55.2", ernstig="14.0", marges="MBG0095", leeftijd="80200"),
        ])
        observations = read_health_file(path, catalog).observations.set_index("indicator_id")
        assert tuple(observations.loc["eenzaam_65plus", ["value", "lower", "upper"]]) == (47.6, 40.1, 55.2)
        assert tuple(observations.loc["ernstig_eenzaam_65plus", ["value", "lower", "upper"]]) == (11.4, 9.0, 14.0)

    def test_one_age_group_by_code_or_label(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150"), row("GM0150", eenzaam="40.0",
                                                                            leeftijd="53115")])
        batch = read_health_file(path, catalog, age_group="53115")
        assert batch.observations.query("indicator_id == 'eenzaam_18_64'")["value"].tolist() == [40.0]
        assert set(batch.observations["age_group"]) == {"18-64"}
        assert len(read_health_file(path, catalog, age_group="18-64").observations) == 3
        assert any("kept 1 of 2 rows" in note for note in batch.notes)

    def test_an_unknown_age_group_loads_under_its_code(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", leeftijd="12345")])
        batch = read_health_file(path, catalog)
        assert set(batch.observations["age_group"]) == {"12345"}
        assert "eenzaam_leeftijd_12345" in set(batch.observations["indicator_id"])

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

    def test_no_rows_of_the_age_group_asked_for(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", leeftijd="80200")])
        with pytest.raises(LoadError, match=r"no rows for Leeftijd 20300 \(present: 80200\)"):
            read_health_file(path, catalog, age_group="18+")

    def test_the_same_region_period_and_age_group_twice(self, tmp_path, catalog):
        path = write_csv(tmp_path / "gezondheid.csv", [row("GM0150", leeftijd="80200"), row("GM0150"),
                                                        row("GM0150", leeftijd="80200")])
        with pytest.raises(LoadError, match="occur twice") as caught:
            read_health_file(path, catalog)
        assert caught.value.problems[0].row == 4

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

        assert "$filter" not in provenance["url"], "every age group is fetched"
        assert messages[-1] == "50120NED: 5 rows"
        observations = batch.observations.set_index(["indicator_id", "code"])
        gm = observations.loc[("eenzaam", "GM0150")]
        assert (gm["value"], gm["lower"], gm["upper"], gm["year"]) == (47.6, 46.0, 49.1, 2022)
        assert observations.loc[("eenzaam", "BU01500101"), "status"] == "missing"
        assert set(batch.observations["age_group"]) == {"18+"}
        assert set(batch.column_map["source_title"]) == {"Eenzaam", "Ernstig/zeer ernstig eenzaam"}
        assert set(batch.column_map["year"]) == {2022}
        assert len(provenance["sha256"]) == 64
