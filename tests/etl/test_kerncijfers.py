"""Kerncijfers wijken en buurten: columns by title or key stem, recorded TypedDataSets, unpublished columns."""
from __future__ import annotations

import json

import pytest

from etl.batch import COLUMN_MAP_COLUMNS, OBSERVATION_COLUMNS
from etl.catalog import load_catalog
from etl.errors import LoadError
from etl.sources.kerncijfers import read_kerncijfers, read_kerncijfers_file, resolve_columns, resolve_keys

METADATA = "https://opendata.cbs.nl/ODataApi/OData/85984NED/$metadata#Cbs.OData.WebAPI.TypedDataSet"


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def typed_rows() -> list[dict]:
    """A 2024 table as it looks when new: income still null everywhere, a secret figure, a null, a province."""
    return [
        {"ID": 0, "WijkenEnBuurten": "NL00      ", "AantalInwoners_5": 17942942,
         "HuishoudensMetEenLaagInkomen_89": None, "GemiddeldAardgasverbruikTotaal_61": 1020.0},
        {"ID": 1, "WijkenEnBuurten": "GM0308    ", "AantalInwoners_5": 25285,
         "HuishoudensMetEenLaagInkomen_89": None, "GemiddeldAardgasverbruikTotaal_61": 1240.0},
        {"ID": 2, "WijkenEnBuurten": "WK030804  ", "AantalInwoners_5": 705,
         "HuishoudensMetEenLaagInkomen_89": None, "GemiddeldAardgasverbruikTotaal_61": -99997},
        {"ID": 3, "WijkenEnBuurten": "BU03080401", "AantalInwoners_5": None,
         "HuishoudensMetEenLaagInkomen_89": None, "GemiddeldAardgasverbruikTotaal_61": 980.5},
        {"ID": 4, "WijkenEnBuurten": "PV26      ", "AantalInwoners_5": 1354834,
         "HuishoudensMetEenLaagInkomen_89": None, "GemiddeldAardgasverbruikTotaal_61": 1100.0},
    ]


def data_properties(map_year: int = 2024) -> list[dict]:
    return [
        {"Type": "GeoDetail", "Key": "WijkenEnBuurten", "Title": "Wijken en buurten", "MapYear": map_year},
        {"Type": "TopicGroup", "Key": "", "Title": "Bevolking"},
        {"Type": "Topic", "Key": "AantalInwoners_5", "Title": "Aantal inwoners", "Unit": "aantal"},
        {"Type": "Topic", "Key": "GemiddeldAardgasverbruikTotaal_61", "Title": "Gemiddeld aardgasverbruik totaal",
         "Unit": "m³"},
        {"Type": "Topic", "Key": "HuishoudensMetEenLaagInkomen_89", "Title": "Huishoudens met een laag inkomen",
         "Unit": "%"},
    ]


def write_json(path, payload):
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def real_properties(shared_cbs) -> list[dict]:
    return json.loads((shared_cbs / "odata" / "85984NED_DataProperties.json").read_text("utf-8"))


def as_2023(properties: list[dict]) -> list[dict]:
    """The 2024 layout as the tables before it wrote it: electricity *use* instead of *delivery*, other suffixes."""
    older = []
    for prop in properties:
        prop = dict(prop)
        for new, old in (("Gemiddelde elektriciteitslevering", "Gemiddeld elektriciteitsverbruik"),
                         ("GemiddeldeElektriciteitslevering", "GemiddeldElektriciteitsverbruik")):
            prop["Title"] = (prop.get("Title") or "").replace(new, old)
            prop["Key"] = (prop.get("Key") or "").replace(new, old)
        if prop["Key"] and prop["Key"][-1].isdigit():
            stem, number = prop["Key"].rsplit("_", 1)
            prop["Key"] = f"{stem}_{int(number) - 2}"
        older.append(prop)
    return older


@pytest.mark.shared
class TestResolveColumnsOnRealDataProperties:
    def test_the_curated_titles_resolve(self, shared_cbs, catalog):
        column_map = resolve_columns(real_properties(shared_cbs), catalog, "85984NED", 2024)
        assert list(column_map.columns) == COLUMN_MAP_COLUMNS
        keys = dict(zip(column_map["indicator_id"], column_map["source_key"]))
        assert {k: v for k, v in keys.items() if "." not in k} == {
            "laag_inkomen": "HuishoudensMetEenLaagInkomen_89",
            "sociaal_minimum": "HuishOnderOfRondSociaalMinimum_90",
            "aardgas": "GemiddeldAardgasverbruikTotaal_61",
            "elektriciteit": "GemiddeldeElektriciteitsleveringTotaal_53",
            "inwoners": "AantalInwoners_5",
            "huishoudens": "HuishoudensTotaal_29",
        }
        units = dict(zip(column_map["indicator_id"], column_map["unit"]))
        assert units["aardgas"] == "m³" and units["elektriciteit"] == "kWh"
        assert set(column_map["table_id"]) == {"85984NED"} and set(column_map["year"]) == {2024}

    def test_every_numeric_topic_is_an_indicator(self, shared_cbs, catalog):
        properties = real_properties(shared_cbs)
        column_map = resolve_columns(properties, catalog, "85984NED", 2024).set_index("source_key")
        topics = [p for p in properties if p["Type"] == "Topic"]
        assert len(topics) == 128
        texts = {p["Key"] for p in topics if p["Datatype"] == "String"}
        assert texts == {"Gemeentenaam_1", "SoortRegio_2", "Codering_3", "IndelingswijzigingGemeenteWijkBuurt_4",
                         "MeestVoorkomendePostcode_125"}
        # every figure but the postcode's coverage class (numeric, yet no figure)
        assert set(column_map.index) == {p["Key"] for p in topics} - texts - {"Dekkingspercentage_126"}
        assert column_map["indicator_id"].is_unique and len(column_map) == 122
        assert set(column_map["source"]) == {"kerncijfers"}

    def test_repeated_titles_are_told_apart_by_their_group(self, shared_cbs, catalog):
        column_map = resolve_columns(real_properties(shared_cbs), catalog, "85984NED", 2024).set_index("source_key")
        assert column_map.loc["Appartement_54", "indicator_id"] == \
            "energie.gemiddelde_elektriciteitslevering.naar_woningtype.appartement"
        assert column_map.loc["Appartement_62", "indicator_id"] == \
            "energie.gemiddeld_aardgasverbruik.naar_woningtype.appartement"
        assert column_map.loc["Appartement_54", "cbs_group"] == \
            "Energie > Gemiddelde elektriciteitslevering > Naar woningtype"
        assert column_map.loc["Nederland_17", "indicator_id"] != column_map.loc["Nederland_20", "indicator_id"]

    def test_title_unit_decimals_and_description_as_cbs_gives_them(self, shared_cbs, catalog):
        column_map = resolve_columns(real_properties(shared_cbs), catalog, "85984NED", 2024).set_index("source_key")
        woz = column_map.loc["GemiddeldeWOZWaardeVanWoningen_39"]
        assert (woz["indicator_id"], woz["source_title"], woz["unit"], woz["decimals"], woz["cbs_group"]) == \
            ("wonen_en_vastgoed.gemiddelde_woz_waarde_van_woningen", "Gemiddelde WOZ-waarde van woningen",
             "x 1 000 euro", 0, "Wonen en vastgoed")
        assert column_map.loc["GemiddeldeHuishoudensgrootte_33", "decimals"] == 1
        assert column_map.loc["PercentageJongerenMetJeugdzorg_99", "description"]
        # padding CBS leaves in titles is gone
        assert column_map.loc["EuropaExclusiefNederland_18", "source_title"] == "Europa (exclusief Nederland)"

    def test_the_same_topic_in_an_older_table_is_the_same_series(self, shared_cbs, catalog):
        """Keys move their suffix every year and 2024 renamed electricity use to delivery: one series each."""
        newer = resolve_columns(real_properties(shared_cbs), catalog, "85984NED", 2024)
        older = resolve_columns(as_2023(real_properties(shared_cbs)), catalog, "85618NED", 2023)
        assert set(older["indicator_id"]) == set(newer["indicator_id"])
        keys = dict(zip(older["indicator_id"], older["source_key"]))
        assert keys["elektriciteit"] == "GemiddeldElektriciteitsverbruikTotaal_51"
        assert keys["energie.gemiddelde_elektriciteitslevering.naar_woningtype.appartement"] == "Appartement_52"


class TestResolveColumns:
    def test_a_curated_title_counts_once(self, catalog):
        properties = [
            {"Type": "Topic", "Key": "HuishoudensMetEenLaagInkomen_89", "Title": "Huishoudens met een laag inkomen",
             "Unit": "%"},
            {"Type": "Topic", "Key": "HuishoudensMetEenLaagInkomen_99", "Title": "Huishoudens  met een LAAG inkomen",
             "Unit": "aantal"},
        ]
        column_map = resolve_columns(properties, catalog, "85984NED", 2024)
        assert dict(zip(column_map["source_key"], column_map["indicator_id"])) == {
            "HuishoudensMetEenLaagInkomen_89": "laag_inkomen",
            "HuishoudensMetEenLaagInkomen_99": "kerncijfers.huishoudens_met_een_laag_inkomen"}

    def test_topic_groups_and_other_sources_stay_apart(self, catalog):
        properties = [{"Type": "TopicGroup", "Key": "", "Title": "Aantal inwoners"},
                      {"Type": "Topic", "Key": "Eenzaam_27", "Title": "Eenzaam"}]
        assert resolve_columns(properties, catalog, "85984NED", 2024)["indicator_id"].tolist() == \
            ["kerncijfers.eenzaam"]
        assert resolve_columns(properties, catalog, "50120NED", 2022, source="gezondheid")["indicator_id"] \
            .tolist() == ["eenzaam"]

    def test_text_topics_are_no_indicators(self, catalog):
        properties = [{"Type": "Topic", "Key": "Gemeentenaam_1", "Title": "Gemeentenaam", "Datatype": "String"},
                      {"Type": "Topic", "Key": "Dekkingspercentage_126", "Title": "Dekkingspercentage",
                       "Datatype": "Long"},
                      {"Type": "Topic", "Key": "Motorfietsen_116", "Title": "Motorfietsen", "Datatype": "Long"}]
        assert resolve_columns(properties, catalog, "85984NED", 2024)["source_key"].tolist() == ["Motorfietsen_116"]


class TestResolveKeys:
    def test_by_key_stem(self, catalog):
        column_map = resolve_keys(["ID", "WijkenEnBuurten", "AantalInwoners_5", "HuishoudensMetEenLaagInkomen_78",
                                   "GemiddeldElektriciteitsverbruikTotaal_47", "Onbekend_3"],
                                  catalog, "85318NED", 2022)
        assert dict(zip(column_map["indicator_id"], column_map["source_key"])) == {
            "inwoners": "AantalInwoners_5", "laag_inkomen": "HuishoudensMetEenLaagInkomen_78",
            "elektriciteit": "GemiddeldElektriciteitsverbruikTotaal_47"}
        assert column_map["source_title"].isna().all()


class TestReadKerncijfers:
    @pytest.fixture
    def batch(self, catalog):
        column_map = resolve_columns(data_properties(), catalog, "85984NED", 2024)
        return read_kerncijfers(typed_rows(), column_map, "85984NED", 2024, catalog)

    def test_one_observation_per_column_and_region(self, batch):
        observations = batch.observations
        assert list(observations.columns) == OBSERVATION_COLUMNS
        assert len(observations) == 3 * 4
        assert set(observations["code"]) == {"NL00", "GM0308", "WK030804", "BU03080401"}
        levels = dict(zip(observations["code"], observations["level"]))
        assert levels == {"NL00": "land", "GM0308": "gemeente", "WK030804": "wijk", "BU03080401": "buurt"}
        assert set(observations["source_table"]) == {"85984NED"}
        assert batch.rows_in == 5

    def test_rows_without_a_region_level_are_skipped_with_a_note(self, batch):
        assert "PV26" not in set(batch.observations["code"])
        assert any("skipped 1 rows" in note and "PV26" in note for note in batch.notes)

    def test_sentinels_and_nulls(self, batch):
        gas = batch.observations.query("indicator_id == 'aardgas'").set_index("code")
        assert gas.loc["WK030804", "status"] == "suppressed" and gas["value"].isna()["WK030804"]
        assert gas.loc["GM0308", "value"] == 1240.0 and gas.loc["GM0308", "status"] == "ok"
        inwoners = batch.observations.query("indicator_id == 'inwoners'").set_index("code")
        assert inwoners.loc["BU03080401", "status"] == "missing" and inwoners["value"].isna()["BU03080401"]

    def test_an_all_null_column_is_unpublished(self, batch):
        status = dict(zip(batch.column_map["indicator_id"], batch.column_map["status"]))
        assert status == {"inwoners": "resolved", "aardgas": "resolved", "laag_inkomen": "unpublished"}
        assert "not yet published in 85984NED: laag_inkomen" in batch.notes
        income = batch.observations.query("indicator_id == 'laag_inkomen'")
        assert set(income["status"]) == {"missing"} and income["value"].isna().all()

    def test_a_value_that_is_no_number(self, catalog):
        rows = typed_rows()
        rows[3]["GemiddeldAardgasverbruikTotaal_61"] = "abc"
        column_map = resolve_columns(data_properties(), catalog, "85984NED", 2024)
        with pytest.raises(LoadError) as caught:
            read_kerncijfers(rows, column_map, "85984NED", 2024, catalog, source="https://x/TypedDataSet")
        problem = caught.value.problems[0]
        assert (problem.file, problem.row, problem.field, problem.value) == \
            ("https://x/TypedDataSet", 4, "GemiddeldAardgasverbruikTotaal_61", "abc")


class TestReadKerncijfersFile:
    def test_envelope_with_data_properties_beside(self, tmp_path, catalog):
        path = write_json(tmp_path / "typed.json", {"odata.metadata": METADATA, "value": typed_rows()})
        write_json(tmp_path / "85984NED_DataProperties.json", data_properties(map_year=2024))
        batch = read_kerncijfers_file(path, catalog)
        assert set(batch.column_map["source_title"]) == {"Aantal inwoners", "Gemiddeld aardgasverbruik totaal",
                                                         "Huishoudens met een laag inkomen"}
        assert set(batch.observations["year"]) == {2024}
        assert "not yet published in 85984NED: laag_inkomen" in batch.notes

    def test_year_from_map_year_before_the_catalog(self, tmp_path, catalog):
        path = write_json(tmp_path / "85984NED_TypedDataSet.json", typed_rows())
        write_json(tmp_path / "DataProperties.json", {"odata.metadata": "x", "value": data_properties(2023)})
        assert set(read_kerncijfers_file(path, catalog).observations["year"]) == {2023}
        assert set(read_kerncijfers_file(path, catalog, year=2022).observations["year"]) == {2022}

    def test_bare_list_by_key_stem_and_catalog_year(self, tmp_path, catalog):
        path = write_json(tmp_path / "85984NED_TypedDataSet.json", typed_rows())
        batch = read_kerncijfers_file(path, catalog)
        assert set(batch.column_map["indicator_id"]) == {"inwoners", "aardgas", "laag_inkomen"}
        assert batch.column_map["source_title"].isna().all()
        assert set(batch.observations["year"]) == {2024}
        assert any("key stem" in note for note in batch.notes)

    def test_unknown_table_without_year_asks_for_it(self, tmp_path, catalog):
        path = write_json(tmp_path / "99999NED_TypedDataSet.json", typed_rows())
        with pytest.raises(LoadError, match="--year"):
            read_kerncijfers_file(path, catalog)
        assert len(read_kerncijfers_file(path, catalog, year=2024).observations) == 12

    def test_truncated_json_names_the_file(self, tmp_path, catalog):
        path = tmp_path / "85984NED_TypedDataSet.json"
        path.write_text(json.dumps({"odata.metadata": METADATA, "value": typed_rows()})[:300], encoding="utf-8")
        with pytest.raises(LoadError, match="not valid JSON") as caught:
            read_kerncijfers_file(path, catalog)
        assert caught.value.problems[0].file == str(path)

    def test_missing_region_field(self, tmp_path, catalog):
        rows = [{key: value for key, value in row.items() if key != "WijkenEnBuurten"} for row in typed_rows()]
        path = write_json(tmp_path / "85984NED_TypedDataSet.json", rows)
        with pytest.raises(LoadError) as caught:
            read_kerncijfers_file(path, catalog)
        assert caught.value.problems[0].field == "WijkenEnBuurten"
        assert caught.value.problems[0].file == str(path)

    def test_no_table_id(self, tmp_path, catalog):
        path = write_json(tmp_path / "export.json", typed_rows())
        with pytest.raises(LoadError, match="table id"):
            read_kerncijfers_file(path, catalog)
